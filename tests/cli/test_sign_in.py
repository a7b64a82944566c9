"""On SQLite, once an officer has a login, the actor is the operating-system account that runs gongkai.

The account is read from the process's real user id (``pwd.getpwuid(os.getuid())``): ``--officer``
naming someone else is refused, and ``GONGKAI_OFFICER``, ``USER`` and ``LOGNAME`` change nothing. The
tests run as one account (``ME``); where a second person must sign in, the test moves ``ME``'s login
from one officer's row to another's, as if that person had sat down at the keyboard.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
from pathlib import Path

import pytest
import time_machine

from tests.database import Cli
from workflow.store import schema

ME = pwd.getpwuid(os.getuid()).pw_name
REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "某信息"]
EXTEND = ["extend", "--on", "2026-03-20", "--days", "10"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def office(db_path: Path) -> Cli:
    """某区民政局 (minzheng) and 某区自然资源局 (ziranziyuan); 省平台 the first platform officer, who signs
    in with this machine's account."""
    cli = Cli(str(db_path))
    cli("agency", "add", "minzheng", "某区民政局")
    cli("agency", "add", "ziranziyuan", "某区自然资源局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform", "--login", ME)
    return cli


def sit_down(cli: Cli, officer: str | None) -> None:
    """``officer`` now signs in with this machine's account (``ME``); None: no officer does."""
    with sqlite3.connect(cli.db) as c:
        c.execute("UPDATE officer SET login = NULL WHERE login = ?", (ME,))
        c.execute("UPDATE officer SET login = ? WHERE name = ?", (ME, officer))


def test_once_an_officer_signs_in_the_account_is_the_actor_whatever_name_is_given(
        office: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    office("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng", "--login", "liming")
    sit_down(office, "李明")
    assert office.json("info")["officer"] == "李明"  # type: ignore[index]
    for variable in ("GONGKAI_OFFICER", "USER", "LOGNAME"):
        monkeypatch.setenv(variable, "省平台")
    assert office.json("info")["officer"] == "李明"  # type: ignore[index]
    assert office.json("--officer", "李明", "info")["role"] == "officer"  # type: ignore[index]
    before = office.dump()
    named = office("--officer", "省平台", "officer", "add", "冒名", "--agency", "minzheng", ok=False)
    assert named.exit_code == 1  # type: ignore[attr-defined]
    assert named.stderr.strip() == (  # type: ignore[attr-defined]
        f"gongkai: --officer '省平台' 与登录身份不符：账户 {ME!r} 登记的经办人是 '李明'；已启用登录身份，不能以他人名义办理")
    assert office("--agency", "ziranziyuan", "list", ok=False).exit_code == 1  # type: ignore[attr-defined]
    assert office.dump() == before


def test_an_account_no_officer_signs_in_with_can_do_nothing(office: Cli) -> None:
    office("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng", "--login", "liming")
    sit_down(office, None)
    before = office.dump()
    for args in (["list"], ["--officer", "李明", "list"], ["--officer", "省平台", *REQUEST]):
        refused = office(*args, ok=False)
        assert refused.exit_code == 1, args  # type: ignore[attr-defined]
        assert f"登录账户 {ME!r} 未登记为经办人" in refused.stderr  # type: ignore[attr-defined]
    assert office.dump() == before


def test_a_login_belongs_to_one_officer(office: Cli) -> None:
    office("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng", "--login", "liming")
    twice = office("--officer", "省平台", "officer", "add", "王芳", "--agency", "minzheng", "--login", "liming", ok=False)
    assert "登录账户 'liming' 已登记给另一位经办人" in twice.stderr  # type: ignore[attr-defined]
    blank = office("--officer", "省平台", "officer", "add", "王芳", "--agency", "minzheng", "--login", " ", ok=False)
    assert "登录账户不能为空" in blank.stderr  # type: ignore[attr-defined]


def test_what_each_role_may_do_once_officers_sign_in(office: Cli, tmp_path: Path) -> None:
    office("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng", "--login", "liming")
    office("--officer", "省平台", "officer", "add", "王芳", "--agency", "ziranziyuan", "--login", "wangfang",
           "--email", "wang@example.cn")
    sit_down(office, "李明")
    before = office.dump()
    assert "只有平台管理员（platform）可以" in office("officer", "add", "新人", "--agency", "minzheng", ok=False).stderr  # type: ignore[attr-defined]
    assert "负责人（supervisor）" in office("close-year", "2025", ok=False).stderr  # type: ignore[attr-defined]
    assert "只有平台管理员（platform）可以" in office("backup", str(tmp_path / "b.bak"), ok=False).stderr  # type: ignore[attr-defined]
    assert "只有平台管理员（platform）可以" in office("db", "upgrade", ok=False).stderr  # type: ignore[attr-defined]
    assert [o["name"] for o in office.json("officer", "list")] == ["李明", "省平台"]  # not 王芳 of ziranziyuan  # type: ignore[union-attr]
    assert office.dump() == before and not (tmp_path / "b.bak").exists()
    sit_down(office, "省平台")
    assert len(office.json("officer", "list")) == 3  # type: ignore[arg-type]
    office("backup", str(tmp_path / "b.bak"))
    assert f"→ {schema.HEAD}" in office("db", "upgrade").stdout  # type: ignore[attr-defined]


def test_an_extension_needs_the_heads_approval_under_their_own_sign_in(office: Cli) -> None:
    office("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng", "--login", "liming")
    office("--officer", "省平台", "officer", "add", "张主任", "--agency", "minzheng", "--role", "supervisor",
           "--login", "zhang")
    sit_down(office, "李明")
    ref = office.json(*REQUEST)["ref"]  # type: ignore[index]
    before = office.dump()
    typed = office("advance", ref, *EXTEND, "--approved-by", "张主任", ok=False)
    assert typed.stderr.strip() == (  # type: ignore[attr-defined]
        f"gongkai: --approved-by '张主任'：负责人须以本人登录批准，请其先运行 gongkai approve {ref} extend（或由负责人本人办理）")
    assert "不是机关 'minzheng' 的负责人" in office("approve", ref, "extend", ok=False).stderr  # type: ignore[attr-defined]
    assert office.dump() == before
    sit_down(office, "张主任")
    assert office.json("approve", ref, "延期")["approver"] == "张主任"  # type: ignore[index]
    sit_down(office, "李明")
    office("advance", ref, *EXTEND, "--approved-by", "张主任")
    extended = [e for e in office.json("audit", "--ref", ref) if e["action"] == "extend"]  # type: ignore[union-attr]
    assert [(e["officer"], e["payload"]["approved_by"]) for e in extended] == [("李明", "张主任")]


def test_a_head_may_record_the_extension_themselves(office: Cli) -> None:
    office("--officer", "省平台", "officer", "add", "张主任", "--agency", "minzheng", "--role", "supervisor",
           "--login", "zhang")
    sit_down(office, "张主任")
    ref = office.json(*REQUEST)["ref"]  # type: ignore[index]
    office("advance", ref, *EXTEND, "--approved-by", "张主任")


def test_one_offices_tool_still_takes_a_typed_approver(db_path: Path) -> None:
    cli = Cli(str(db_path))
    ref = cli.json(*REQUEST)["ref"]  # type: ignore[index]
    cli("advance", ref, *EXTEND, "--approved-by", "张主任")


def test_only_a_head_enters_table_2(office: Cli) -> None:
    office("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng", "--login", "liming")
    sit_down(office, "李明")
    before = office.dump()
    refused = office("table2", "2026", "--rules-issued", "2", ok=False)
    assert "只有本机关负责人（supervisor）或平台管理员可以填报表二（2026）" in refused.stderr  # type: ignore[attr-defined]
    assert office.dump() == before
