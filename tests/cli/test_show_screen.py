"""``gongkai show`` on one screen (80×24): deadlines first, each on one line with its short explanation;
then the history one line an event, its payload in words (申请人类型：自然人, not applicant_type=natural_person);
the letters written; the letters' files and SHA-256 digests only with ``--verbose``.

The request: received online on Monday 2026-03-02; a correction notice on Wednesday 03-04 (15 working
days, letter written), delivered 03-06; the corrected application received Monday 03-16, so the reply
period restarts from it; a third party consulted on Tuesday 03-17 answered on Tuesday 03-24, so 03-18 …
03-24 (five working days) are not counted. The 20 working days: 03-17, 03-25 … 04-03 (9), the Qingming
holiday 04-04 … 04-06 skipped, 04-07 … 04-21 (20): the reply is due Tuesday 2026-04-21."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from rich.cells import cell_len

from cli.app import app as cli_app
from tests.database import Cli

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "网络", "--applicant", "张三",
            "--applicant-type", "个人", "--subject", "2025年低保资金发放明细", "--phone", "13812345678"]


@pytest.fixture
def history(office: Path, cli: Cli, tmp_path: Path) -> Cli:
    with time_machine.travel("2026-03-25 10:00 +0800", tick=False):
        cli(*REGISTER)
        cli("advance", "1", "告知补正", "--on", "2026-03-04", "--period", "15", "--items", "请明确所需信息的年份",
            "--notice", str(tmp_path / "补正告知书.txt"))
        cli("advance", "1", "送达", "--on", "2026-03-06")
        cli("advance", "1", "收到补正", "--on", "2026-03-16")
        cli("advance", "1", "征求意见", "--on", "2026-03-17", "--party", "第三方", "--to", "某公司")
        cli("advance", "1", "收到意见", "--on", "2026-03-24")
    return cli


def screen(cli: Cli, *args: str) -> list[str]:
    with time_machine.travel("2026-03-25 10:00 +0800", tick=False):
        result = cli.runner.invoke(cli_app, ["--db", cli.db, "show", "1", *args], env={"COLUMNS": "80", "LINES": "24"})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_show_fits_one_80_by_24_screen_deadlines_first_then_one_line_an_event(history: Cli) -> None:
    lines = screen(history)
    assert len(lines) <= 24
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines.index("期限") < lines.index("办理记录")
    block = lines[lines.index("期限") + 1:lines.index("办理记录")]
    deadlines = [line for line in block if re.match(r"  \S", line)]  # an explanation too long goes under its row
    assert [d.split()[0] for d in deadlines] == ["补正告知期限", "申请人补正期限", "征求意见答复期限", "答复期限"]
    assert re.match(r"  答复期限 +2026-04-21 +进行中$", deadlines[3])
    assert block[block.index(deadlines[3]) + 1].startswith("      收到补正后的申请（2026-03-16）后20个工作日")
    for line in block:  # a date is never cut: an explanation ends before one it cannot hold
        assert not re.search(r"\d{4}-\d{0,2}-?\d?…$", line), line
    events = [line.split(maxsplit=4) for line in lines[lines.index("办理记录") + 1:] if re.match(r"  \d+  ", line)]
    assert [e[1:3] for e in events] == [["2026-03-02", "登记"], ["2026-03-04", "告知补正"], ["2026-03-04", "生成文书"],
                                       ["2026-03-06", "送达"], ["2026-03-16", "收到补正"], ["2026-03-17", "征求意见"],
                                       ["2026-03-24", "收到意见"]]
    text = "\n".join(lines)
    assert "申请人类型：自然人，渠道：网络" in text
    assert "征求对象：第三方，征求意见对象：某公司" in text
    assert "applicant_type" not in text and "=" not in text
    assert "文书：政府信息公开申请补正告知书（2026-03-04，#3）" in text


def test_the_letters_file_and_digest_only_with_verbose(history: Cli) -> None:
    assert "SHA-256" not in "\n".join(screen(history))
    verbose = "\n".join(screen(history, "--verbose"))
    assert re.search(r"SHA-256：[0-9a-f]{64}", verbose.replace("\n", ""))
    assert "（条例第三十三条）" in verbose  # the explanations in full
