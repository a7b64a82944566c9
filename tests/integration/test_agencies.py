"""Many agencies on one platform: officers see and change only their own agency's requests."""

from __future__ import annotations

import pytest
import time_machine

from tests.database import Cli

REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "某信息"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def platform(cli: Cli) -> Cli:
    cli("agency", "add", "minzheng", "某区民政局")
    cli("agency", "add", "ziranziyuan", "某区自然资源局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng")
    cli("--officer", "省平台", "officer", "add", "张主任", "--agency", "minzheng", "--role", "supervisor")
    cli("--officer", "省平台", "officer", "add", "王芳", "--agency", "ziranziyuan")
    return cli


def test_an_officer_cannot_see_or_change_another_agencys_requests(platform: Cli) -> None:
    cli = platform
    mine = cli.json("--officer", "李明", *REQUEST)["ref"]  # type: ignore[index]
    theirs = cli.json("--officer", "王芳", *REQUEST)["ref"]  # type: ignore[index]
    assert mine == theirs == "2026-0001"  # numbered per agency
    assert [r["agency"] for r in cli.json("--officer", "李明", "list")] == ["minzheng"]  # type: ignore[union-attr]
    assert [r["agency"] for r in cli.json("--officer", "王芳", "list")] == ["ziranziyuan"]  # type: ignore[union-attr]
    refused = cli("--officer", "王芳", "--agency", "minzheng", "list", ok=False)
    assert refused.exit_code == 1 and "属于机关 'ziranziyuan'" in refused.stderr
    shown = cli.json("--officer", "王芳", "show", "2026-0001")
    assert shown["agency"] == "ziranziyuan"  # type: ignore[index]
    cli("--officer", "王芳", "advance", "2026-0001", "decide", "--on", "2026-03-10", "--outcome", "disclosed")
    assert cli.json("--officer", "李明", "show", "2026-0001")["state"] == "received"  # type: ignore[index]


def test_a_platform_officer_sees_every_agency_and_can_narrow_to_one(platform: Cli) -> None:
    cli = platform
    cli("--officer", "李明", *REQUEST)
    cli("--officer", "王芳", *REQUEST)
    assert sorted(r["agency"] for r in cli.json("--officer", "省平台", "list")) == ["minzheng", "ziranziyuan"]  # type: ignore[union-attr]
    narrowed = cli.json("--officer", "省平台", "--agency", "ziranziyuan", "list")
    assert [r["agency"] for r in narrowed] == ["ziranziyuan"]  # type: ignore[union-attr]
    ambiguous = cli("--officer", "省平台", "show", "2026-0001", ok=False)
    assert "多个机关都有编号为" in ambiguous.stderr


def test_unregistered_officers_are_refused_once_a_registry_exists(platform: Cli) -> None:
    result = platform("--officer", "路人", "list", ok=False)
    assert result.exit_code == 1 and "未在本平台登记" in result.stderr


def test_only_platform_officers_register_officers(platform: Cli) -> None:
    result = platform("--officer", "李明", "officer", "add", "新人", "--agency", "minzheng", ok=False)
    assert "只有平台管理员（platform）可以" in result.stderr


def test_an_extension_needs_a_supervisor_of_the_agency(platform: Cli) -> None:
    cli = platform
    ref = cli.json("--officer", "李明", *REQUEST)["ref"]  # type: ignore[index]
    before = cli.dump()
    bad = cli("--officer", "李明", "advance", ref, "extend", "--on", "2026-03-20", "--days", "10",
              "--approved-by", "王芳", ok=False)
    assert "不是机关 'minzheng' 的负责人" in bad.stderr
    assert cli.dump() == before
    cli("--officer", "李明", "advance", ref, "extend", "--on", "2026-03-20", "--days", "10", "--approved-by", "张主任")


def test_a_stale_version_is_refused_as_changed_by_someone_else(cli: Cli) -> None:
    ref = cli.json(*REQUEST)["ref"]  # type: ignore[index]
    seen = cli.json("show", ref)["version"]  # type: ignore[index]
    cli("--officer", "甲", "advance", ref, "consult", "--on", "2026-03-03")
    before = cli.dump()
    late = cli("--officer", "乙", "advance", ref, "decide", "--on", "2026-03-04", "--outcome", "disclosed",
               "--if-version", str(seen), ok=False)
    assert late.exit_code == 1 and "已被他人修改" in late.stderr
    assert cli.dump() == before
