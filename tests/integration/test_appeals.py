"""Recording appeals (行政复议, 行政诉讼) against a request and concluding them, through the command line."""

from __future__ import annotations

import pytest
import time_machine

from tests.database import Cli

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "征收补偿方案"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def decided(cli: Cli) -> str:
    ref = cli.json(*REGISTER)["ref"]  # type: ignore[index]
    cli("advance", ref, "decide", "--on", "2026-03-16", "--outcome", "withheld.process_information")
    return str(ref)


def test_an_appeal_is_recorded_listed_and_concluded(cli: Cli, decided: str) -> None:
    filed = cli.json("appeal", decided, "--kind", "行政复议", "--filed-on", "2026-04-20", "--note", "市政府复议")
    assert isinstance(filed, dict)
    assert (filed["kind"], filed["filed_on"], filed["result"], filed["result_label"]) == (
        "review", "2026-04-20", None, "尚未审结")
    assert cli.json("report", "2026")["table4"]["review"]["pending"] == 1  # type: ignore[index]
    done = cli.json("appeal", "conclude", str(filed["id"]), "--result", "纠正", "--on", "2026-06-15")
    assert isinstance(done, dict)
    assert (done["result"], done["result_label"], done["concluded_on"]) == ("corrected", "结果纠正", "2026-06-15")
    listed = cli.json("appeal", "list", decided)
    assert isinstance(listed, list)
    assert [(a["id"], a["kind_label"], a["result"]) for a in listed] == [(filed["id"], "行政复议", "corrected")]
    assert cli.json("report", "2026")["table4"]["review"] == {  # type: ignore[index]
        "upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert "行政复议" in cli("appeal", "list", decided).stdout


def test_litigation_is_split_by_whether_a_review_came_first(cli: Cli, decided: str) -> None:
    cli("appeal", decided, "--kind", "未经复议直接起诉", "--filed-on", "2026-05-06")
    cli("appeal", decided, "--kind", "litigation_after_review", "--filed-on", "2026-07-01")
    table4 = cli.json("report", "2026")["table4"]  # type: ignore[index]
    assert (table4["litigation_direct"]["pending"], table4["litigation_after_review"]["pending"]) == (1, 1)


@pytest.mark.parametrize(("args", "message"), [
    (["{ref}", "--kind", "仲裁", "--filed-on", "2026-04-20"], "--kind: '仲裁' 不是复议诉讼类型"),
    (["{ref}", "--filed-on", "2026-04-20"], "--kind: 必须填写"),
    (["{ref}", "--kind", "review", "--filed-on", "2026-02-27"], "早于收到申请之日（2026-03-02）"),
    (["{ref}", "--kind", "review", "--filed-on", "2026-12-01"], "晚于今天（2026-11-25）"),
    (["2026-9999", "--kind", "review", "--filed-on", "2026-04-20"], "没有编号为 '2026-9999' 的申请"),
    (["{ref}", "--kind", "review", "--result", "upheld"], "--result: 只用于 appeal conclude"),
    (["conclude", "1", "--result", "驳回", "--on", "2026-05-01"], "--result: '驳回' 不是复议诉讼结果"),
    (["conclude", "1", "--on", "2026-05-01"], "--result: appeal conclude 须填写此项"),
    (["conclude", "1", "--result", "upheld", "--on", "2026-04-01"], "早于提起复议诉讼之日（2026-04-20）"),
    (["conclude", "7", "--result", "upheld", "--on", "2026-05-01"], "ID: 没有编号为 7 的复议诉讼"),
    (["conclude", "first", "--result", "upheld"], "'first' 不是复议诉讼编号"),
    (["conclude", "1", "--result", "upheld", "--kind", "review"], "--kind: appeal conclude 不用此选项"),
    (["list"], "应写 gongkai appeal list 申请编号"),
])
def test_bad_appeal_input_is_one_clear_line_and_changes_nothing(cli: Cli, decided: str, args: list[str],
                                                                 message: str) -> None:
    cli("appeal", decided, "--kind", "review", "--filed-on", "2026-04-20")
    before = cli.dump()
    result = cli("appeal", *[a.replace("{ref}", decided) for a in args], ok=False)
    assert result.exit_code == 1, result.output
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert cli.dump() == before


def test_an_appeal_cannot_be_concluded_twice(cli: Cli, decided: str) -> None:
    cli("appeal", decided, "--kind", "review", "--filed-on", "2026-04-20")
    cli("appeal", "conclude", "1", "--result", "upheld", "--on", "2026-06-01")
    again = cli("appeal", "conclude", "1", "--result", "other", "--on", "2026-06-02", ok=False)
    assert again.exit_code == 1 and "复议诉讼 1 已经结案（结果维持）" in again.stderr
