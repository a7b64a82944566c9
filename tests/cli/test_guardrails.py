"""The law's guardrails at the command line and in an import: a late step is refused with its limit
and the day it passed, and changes nothing; an imported late step is kept, listed, and moves nothing.

The request is received on Monday 2026-03-02; its 20 working days end on 2026-03-30.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine

from tests.database import Cli
from tests.integration.test_import_requests import HEADER, row, write_csv

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def test_a_late_extension_is_refused_in_one_line_and_the_request_stays_overdue(cli: Cli) -> None:
    cli(*REGISTER)
    before = cli.dump()
    refused = cli("advance", "2026-0001", "extend", "--days", "20", "--approved-by", "张主任", "--on", "2026-04-02",
                  ok=False)
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "答复期限 2026-03-30 已过" in refused.stderr
    assert cli.dump() == before
    overdue = cli.json("list", "--overdue")
    assert [r["ref"] for r in overdue] == ["2026-0001"]  # type: ignore[union-attr]


def test_a_delivery_date_moves_the_consultees_period_and_show_explains_it(cli: Cli) -> None:
    cli(*REGISTER)
    cli("advance", "2026-0001", "consult", "--party", "third-party", "--on", "2026-03-03")
    cli("advance", "2026-0001", "delivered", "--on", "2026-03-05")
    shown = cli.json("show", "2026-0001")
    consultation = next(d for d in shown["deadlines"] if d["kind"] == "consultation")  # type: ignore[index]
    # 15 working days from delivery on 03-05: 03-06 … 03-26.
    assert (consultation["due"], consultation["day0"]) == ("2026-03-26", "2026-03-05")
    assert "2026-03-05送达" in consultation["explanation"]
    refused = cli("advance", "2026-0001", "decide", "--outcome", "disclosed", "--on", "2026-03-20", ok=False)
    assert "答复期限至 2026-03-26" in refused.stderr


def test_an_imported_late_extension_is_kept_reported_and_moves_nothing(cli: Cli, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "late.csv", [
        row("2026-0001", "2026-03-02", extended_days="20", extension_approved_by="张主任", extended_on="2026-04-02",
            outcome="disclosed", concluded_on="2026-04-20")], header=[*HEADER, "extended_on"])
    summary = json.loads(cli("import", "requests", str(sheet), "--json").stdout)
    assert summary["imported"] == 1
    assert [(p["row"], p["column"]) for p in summary["recorded_late"]] == [(2, "extended_on")]
    assert "答复期限 2026-03-30 已过" in summary["recorded_late"][0]["message"]
    shown = cli.json("show", "2026-0001")
    assert (shown["reply_due"], shown["late"], shown["extension_days"]) == ("2026-03-30", True, 0)  # type: ignore[index]
    extend = shown["events"][1]  # type: ignore[index]
    assert (extend["action"], extend["on"], extend["payload"]["recorded_late"]) == ("extend", "2026-04-02", True)
    told = cli("import", "requests", str(write_csv(tmp_path / "late2.csv", [
        row("2026-0002", "2026-03-02", extended_days="20", extension_approved_by="张主任", extended_on="2026-04-02")],
        header=[*HEADER, "extended_on"])))
    assert "第 2 行 extended_on" in told.stdout and "不改变任何期限" in told.stdout


def test_a_delayed_reply_date_is_shown_as_delayed_in_every_listing(cli: Cli) -> None:
    cli(*REGISTER)
    cli("advance", "2026-0001", "delay", "--until", "2026-04-30", "--reason", "申请人原因", "--on", "2026-03-20")
    listed = cli.json("list")[0]  # type: ignore[index]
    assert (listed["reply_due"], listed["reply_delayed"]) == ("2026-04-30", True)
    wide = cli.runner.invoke(__import__("cli.app", fromlist=["app"]).app, ["--db", cli.db, "list"],
                             env={"COLUMNS": "160"}).stdout
    assert "2026-04-30（延迟）" in wide
    due = cli.json("due", "--on", "2026-04-30")
    assert [(d["kind"], d["label"]) for d in due] == [("reply", "答复期限（延迟答复）")]  # type: ignore[union-attr]
    shown = cli.json("show", "2026-0001")
    assert shown["reply_delayed"] is True and "延迟答复至2026-04-30（条例第三十五条" in next(  # type: ignore[index]
        d["explanation"] for d in shown["deadlines"] if d["kind"] == "reply")  # type: ignore[index]
