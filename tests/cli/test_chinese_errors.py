"""Every refusal speaks Chinese: one line on stderr naming the option or argument and what it takes,
whether the domain refuses (a guard of the lifecycle, a payload check, an unknown reference) or the
command line itself does (an unknown option, a missing argument, a value of the wrong type). Codes and
option names may stay as they are typed; an English sentence may not.

And every command that takes a reference takes it as ``advance`` does: ``1``, ``0001``, ``１``,
``２０２６－０００１`` are all 2026-0001 in 2026; one that names no request is refused with the
references of other years that have its number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine

from tests.database import Cli

TODAY = "2026-11-25"
REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "网络", "--applicant", "张三",
            "--applicant-type", "个人", "--subject", "2025年低保资金发放明细", "--phone", "13812345678"]

# Command suggestions (gongkai list --all) and codes (notify-fee, unavailable.not_held) are allowed.
_COMMAND = re.compile(r"gongkai(?: [-\w.=/]+)+")
_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")


def english(line: str) -> str | None:
    """Three English words in a row, outside a command suggestion (None if there are none)."""
    found = _SENTENCE.search(_COMMAND.sub("", line.removeprefix("gongkai: ")))
    return found.group(0) if found else None


def test_three_english_words_are_a_sentence_and_a_command_or_code_is_not() -> None:
    assert english("gongkai: no request for you; `gongkai list` shows them") == "no request for you"
    assert english("gongkai: --limit: 应为整数（用法：gongkai list --help）") is None
    assert english("现在可以：consult（征求意见）、notify-fee（收费通知）") is None
    assert english("Error: No such option: --nope") == "Error: No such option"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY + " 10:00 +0800", tick=False):
        yield


FAILING = [
    # the command line itself (Typer/click): exit code 2
    (["--nope"], 2, "--nope: 没有此选项"),
    (["bogus"], 2, "没有命令 'bogus'"),
    (["show"], 2, "REF: 缺少此参数"),
    (["advance", "1"], 2, "ACTION: 缺少此参数"),
    (["list", "--limit", "x"], 2, "--limit: 应为整数"),
    (["list", "--limit"], 2, "--limit: 此选项需要一个值"),
    (["list", "--all=yes"], 2, "--all: 此选项不带值"),
    (["list", "extra"], 2, "多余的参数：extra"),
    (["list", "--lmit", "3"], 2, "--lmit: 没有此选项；是否要用：--limit"),
    (["due", "--within", "1.5"], 2, "--within: 应为整数"),
    # the domain: exit code 1
    (["show", "9"], 1, "没有编号为 '2026-0009' 的申请"),
    (["advance", "1", "decide", "--on", "2026-03-01", "--outcome", "公开"], 1, "--on: 2026-03-01 早于收到申请之日"),
    (["advance", "1", "decide", "--on", "2026-12-01", "--outcome", "公开"], 1, "--on: 2026-12-01 晚于今天"),
    (["advance", "1", "decide", "--on", "2026-03-10"], 1, "--outcome: 作出答复须填写此项（表三的办理结果，代码或名称）"),
    (["advance", "1", "extend", "--on", "2026-03-10", "--approved-by", "张"], 1,
     "--days: 延长答复期限须填写此项（延长的工作日数，最多20个）"),
    (["advance", "1", "decide", "--on", "2026-03-10", "--outcome", "公开", "--days", "3"], 1,
     "--days: 作出答复不用此选项"),
    (["advance", "1", "extend", "--on", "2026-03-10", "--days", "21", "--approved-by", "张"], 1,
     "--days: 21 超出范围，应为 1 到 20"),
    (["advance", "1", "fee-paid", "--on", "2026-03-10"], 1, "现在不能已缴费（fee-paid）"),
    (["advance", "1", "lapse-correction", "--on", "2026-03-10"], 1, "现在可以："),
    (["advance", "1", "consult", "--on", "2026-03-10", "--party", "邻居"], 1, "--party: '邻居' 不是征求意见的对象"),
    (["advance", "1", "notify-fee", "--on", "2026-03-10", "--amount", "十元", "--pages", "40"], 1,
     "--amount: '十元' 不是以元计的金额"),
    (["register", "--received-on", "2026-03-02", "--channel", "飞鸽", "--applicant", "李四",
      "--applicant-type", "个人", "--subject", "x"], 1, "--channel: 无法识别的渠道 '飞鸽'"),
    (["register", "--received-on", "2026-03-02", "--channel", "当面", "--applicant", "李四",
      "--applicant-type", "个人", "--subject", "x", "--id-number", "123"], 1, "--id-number: 应为 18 位"),
    (["register", "--received-on", "2026-03-02", "--channel", "当面", "--applicant", "  ",
      "--applicant-type", "个人", "--subject", "x"], 1, "--applicant: 不能为空"),
    (["fee", "1"], 1, "--pages/--items: 须给出 --pages N 或 --items N 之一"),
    (["fee", "1", "--pages", "0"], 1, "--pages: 0 超出范围"),
    (["appeal", "1", "--kind", "上访", "--filed-on", "2026-04-01"], 1, "--kind: '上访' 不是复议诉讼类型"),
    (["appeal", "1"], 1, "--kind: 必须填写"),
    (["appeal", "conclude", "x", "--result", "维持"], 1, "ID: 'x' 不是复议诉讼编号"),
    (["appeal", "conclude", "7", "--result", "维持"], 1, "ID: 没有编号为 7 的复议诉讼"),
    (["void", "1"], 1, "--reason: 作废须填写（为何属于误登记）"),
    (["alerts", "run", "--on", "2026-12-01"], 1, "--on: 2026-12-01 晚于今天"),
    (["alerts", "list", "--limit", "0"], 1, "--limit: 0 超出范围"),
    (["scheduler", "go"], 1, "ACTION: 'go' 不是定时任务的操作"),
    (["report", "2026", "--format", "pdf"], 1, "--format: 'pdf' 不是可用的格式"),
    (["report", "2026", "--format", "xlsx", "--out", "passwd"], 1, "--out: 'passwd' 不以 .xlsx 结尾"),
    (["show", "1", "--on", "下周"], 1, "--on: '下周' 不是日期"),
    (["report", "1800"], 1, "YEAR: 1800 不是报告年度；应为 1990 至 2200 之间的年份"),
    (["close-year", "2026"], 1, "YEAR: 2026 年尚未结束（今天是 2026-11-25），不能结账"),
    (["reopen-year", "2025"], 1, "--reason: 重新开放已结转的年度须说明原因"),
    (["notice", "1", "correction"], 1, "KIND: 2026-0001 没有记录 request-correction"),
    (["notice", "1", "extension", "--format", "docx"], 1, "--format: DOCX 文书须用 --out 文件名.docx 指定输出文件"),
    (["import", "requests", "台账.txt"], 1, "FILE: 台账.txt 不存在或不是文件"),
]


@pytest.mark.parametrize(("args", "code", "message"), FAILING, ids=[" ".join(a) for a, _, _ in FAILING])
def test_a_refused_command_says_why_in_one_chinese_line_and_changes_nothing(cli: Cli, args: list[str], code: int,
                                                                           message: str) -> None:
    cli(*REGISTER)
    before = cli.dump()
    result = cli(*args, ok=False)
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("gongkai: "), result.stderr  # type: ignore[attr-defined]
    assert message in lines[0]
    assert english(lines[0]) is None, lines[0]
    assert result.stdout == ""  # type: ignore[attr-defined]
    assert cli.dump() == before


# -- short references everywhere --------------------------------------------------------------------

SHORT_FORMS = ["1", "0001", "１", "００１", "2026-1", "２０２６－０００１"]


@pytest.mark.parametrize("typed", SHORT_FORMS)
@pytest.mark.parametrize("command", [
    ["show", "{ref}", "--json"],
    ["advance", "{ref}", "征求意见", "--on", "2026-03-04", "--party", "第三方", "--to", "某公司", "--json"],
    ["void", "{ref}", "--reason", "重复登记", "--json"],
    ["fee", "{ref}", "--pages", "40", "--json"],
    ["appeal", "{ref}", "--kind", "复议", "--filed-on", "2026-04-01", "--json"],
    ["appeal", "list", "{ref}", "--json"],
    ["audit", "--ref", "{ref}", "--json"],
], ids=lambda c: c[0] if isinstance(c, list) and c[0] != "appeal" else "-".join(c[:2]) if isinstance(c, list) else c)
def test_every_command_taking_a_reference_reads_its_short_and_full_width_forms(cli: Cli, command: list[str],
                                                                              typed: str) -> None:
    cli(*REGISTER)
    if command[:2] == ["appeal", "list"]:
        cli("appeal", "2026-0001", "--kind", "复议", "--filed-on", "2026-04-01")
    result = cli(*[typed if a == "{ref}" else a for a in command])
    assert "2026-0001" in result.stdout  # type: ignore[attr-defined]


def test_notice_reads_a_short_reference(cli: Cli) -> None:
    cli(*REGISTER)
    cli("advance", "1", "延长答复期限", "--on", "2026-03-20", "--days", "20", "--approved-by", "张主任")
    letter = cli("notice", "１", "extension", "--draft").stdout  # type: ignore[attr-defined]
    assert "张三" in letter and "2026年3月2日" in letter  # 2026-0001's applicant and receipt date


@pytest.mark.parametrize("command", [["show"], ["advance", "{ref}", "撤回"], ["void", "{ref}", "--reason", "x"],
                                     ["fee", "{ref}", "--pages", "40"], ["notice", "{ref}", "reply"],
                                     ["appeal", "{ref}", "--kind", "复议"], ["appeal", "list", "{ref}"]],
                         ids=lambda c: "-".join(c[:2]))
def test_an_unknown_short_reference_is_refused_naming_the_requests_of_other_years_with_its_number(
        cli: Cli, command: list[str]) -> None:
    """Typed in 2026, ``17`` is 2026-0017; there is none, but 2025-0017 … are there: the refusal names them."""
    with time_machine.travel("2025-12-01 10:00 +0800", tick=False):
        for _ in range(17):
            cli("register", "--received-on", "2025-11-03", "--channel", "当面", "--applicant", "李四",
                "--applicant-type", "个人", "--subject", "某事项")
    before = cli.dump()
    args = [*command, "17"] if command == ["show"] else [("１７" if a == "{ref}" else a) for a in command]
    result = cli(*args, ok=False)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr == "gongkai: 没有编号为 '2026-0017' 的申请；是否指：2025-0017\n"  # type: ignore[attr-defined]
    assert cli.dump() == before


# -- refusals of roles and settings -----------------------------------------------------------------

def _one_chinese_line(result: object, message: str) -> None:
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert result.exit_code == 1 and len(lines) == 1 and message in lines[0], result.stderr  # type: ignore[attr-defined]
    assert english(lines[0]) is None, lines[0]


def test_an_officer_who_is_not_a_platform_officer_may_not_back_up_or_close_the_year(cli: Cli, tmp_path: Path) -> None:
    cli("agency", "add", "minzheng", "某区民政局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng")
    before = cli.dump()
    _one_chinese_line(cli("--officer", "李明", "backup", str(tmp_path / "b.bak"), ok=False),
                      "只有平台管理员（platform）可以备份数据库（backup）；'李明' 是 'minzheng' 的 officer")
    _one_chinese_line(cli("--officer", "李明", "close-year", "2025", ok=False), "负责人（supervisor）")
    _one_chinese_line(cli("--officer", "李明", "officer", "add", "新人", "--agency", "minzheng", ok=False),
                      "只有平台管理员（platform）可以登记经办人（officer add）")
    _one_chinese_line(cli("--officer", "李明", "--agency", "ziranziyuan", "list", ok=False),
                      "经办人 '李明' 属于机关 'minzheng'，不能在机关 'ziranziyuan' 办理")
    _one_chinese_line(cli("--officer", "陌生人", "list", ok=False), "经办人 '陌生人' 未在本平台登记")
    assert cli.dump() == before and not (tmp_path / "b.bak").exists()


def test_a_letter_is_refused_in_chinese_until_office_name_is_set_unless_it_is_a_draft(cli: Cli) -> None:
    """No gongkai.toml: office.name is not configured, so the letter is refused; --draft marks the gap."""
    cli(*REGISTER)
    cli("advance", "1", "request-correction", "--on", "2026-03-05", "--items", "请写明文号")
    before = cli.dump()
    refused = cli("notice", "1", "correction", ok=False)
    _one_chinese_line(refused, "office.name: 未配置（本机关）：写文书前请在 gongkai.toml 的 [office] 中填写，或加 --draft")
    draft = cli("notice", "1", "correction", "--draft")
    assert "【未配置 office.name】" in draft.stdout  # type: ignore[attr-defined]
    assert "gongkai: 注意：草稿：未配置 office.name" in draft.stderr  # type: ignore[attr-defined]
    assert all(english(line) is None for line in draft.stderr.splitlines()), draft.stderr  # type: ignore[attr-defined]
    assert cli.dump() == before
