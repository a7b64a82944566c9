"""A deadline that runs into a year whose holiday notice is not out yet is provisional, everywhere,
until the year's file arrives; then it is recomputed without anyone touching the request."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from rules.calendar import official_years
from tests.database import Cli

pytestmark = pytest.mark.skipif(2027 in official_years(), reason="the installed chinesecalendar already has 2027")

MADE_UP_2027 = """
year = 2027
source = "a made-up notice for the test: 元旦 2027-01-01 to 01-04, no make-up day"
days_off = ["2027-01-01..2027-01-04"]
makeup_workdays = []
"""


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-12-16 10:00 +0800", tick=False):
        yield


def test_a_deadline_into_2027_is_provisional_until_the_year_file_is_added(cli: Cli, _isolated_config: Path) -> None:
    ref = cli.json("register", "--received-on", "2026-12-15", "--channel", "in_person", "--applicant", "张三",
                   "--applicant-type", "natural_person", "--subject", "某信息")["ref"]  # type: ignore[index]
    shown = cli.json("show", ref)
    # 12-16 … 12-31 are 12 working days; 2027-01-01 (Fri) is 元旦; 01-04 … 01-13 give the other 8.
    assert (shown["reply_due"], shown["reply_due_provisional"]) == ("2027-01-13", True)  # type: ignore[index]
    assert "暂定" in cli("list").stdout
    assert cli.json("list")[0]["reply_due_provisional"] is True  # type: ignore[index]

    (_isolated_config / "holidays").mkdir()
    (_isolated_config / "holidays" / "2027.toml").write_text(MADE_UP_2027, encoding="utf-8")

    listed = cli.json("list")[0]  # type: ignore[index]
    assert (listed["reply_due"], listed["reply_due_provisional"]) == ("2027-01-14", False)
    shown = cli.json("show", ref)
    assert (shown["reply_due"], shown["reply_due_provisional"]) == ("2027-01-14", False)  # type: ignore[index]
    assert "暂定" not in cli("list").stdout


def test_a_broken_year_file_is_a_clear_error_naming_the_file(cli: Cli, _isolated_config: Path) -> None:
    (_isolated_config / "holidays").mkdir()
    (_isolated_config / "holidays" / "2027.toml").write_text('days_off = ["2027-02-30"]', encoding="utf-8")
    result = cli("list", ok=False)
    assert result.exit_code == 1
    assert "2027.toml: days_off" in result.stderr and "'2027-02-30' 不是日期" in result.stderr
