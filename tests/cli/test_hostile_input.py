"""Hostile input at the boundary: each gets one line on stderr naming where it is, and the database
is left exactly as it was."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import time_machine

from tests.database import Cli

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant-type",
            "natural_person", "--subject", "2025年低保资金发放明细"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def refused(cli: Cli, *args: str, code: int = 1, **env: str) -> str:
    before = cli.dump()
    result = cli.runner.invoke(__import__("cli.app").app.app, ["--db", cli.db, *args], env=env or None)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("gongkai: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    assert cli.dump() == before
    return result.stderr


@pytest.fixture
def one(cli: Cli) -> Cli:
    cli(*REGISTER, "--applicant", "张三")
    return cli


def test_a_control_character_in_a_name_is_refused_naming_the_option(one: Cli) -> None:
    error = refused(one, *REGISTER, "--applicant", "张\x01三")
    assert error == ("gongkai: --applicant: '张\\x01三' 第 2 个字符是控制字符 U+0001；"
                     "应为可打印的文字\n")


def test_an_argument_that_is_not_utf8_is_refused(one: Cli) -> None:
    not_utf8 = os.fsdecode(b"\xd5\xc5\xc8\xfd")  # 张三 in GBK, typed in a UTF-8 terminal
    error = refused(one, *REGISTER, "--applicant", not_utf8)
    assert error.startswith("gongkai: --applicant: '\\xd5\\xc5\\xc8\\xfd' 第 1 个字符不是有效的 UTF-8 文本（字节 0xD5）")


def test_an_escape_sequence_in_a_positional_argument_or_the_officer_is_refused(one: Cli) -> None:
    assert "第 4 个参数" in refused(one, "show", "\x1b[2J2026-0001")
    assert "GONGKAI_OFFICER" in refused(one, "list", GONGKAI_OFFICER="李\x7f明")


def test_an_absurd_fee_is_refused_as_an_amount(one: Cli) -> None:
    for amount in ("1e30", "1000000.01", "NaN", "-5"):
        error = refused(one, "advance", "2026-0001", "notify-fee", "--on", "2026-03-03", "--amount", amount)
        assert error.startswith("gongkai: --amount: "), error


def test_an_absurd_table2_figure_is_refused(one: Cli) -> None:
    assert "超过 10,000,000" in refused(one, "table2", "2026", "--rules-issued", "1e30")


def write_csv(path: Path, name: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["编号", "收到日期", "申请方式", "申请人类型", "申请人", "申请内容"])
        out.writerow(["2026-0100", "2026-03-02", "online", "natural_person", "李四", "某信息"])
        out.writerow(["2026-0101", "2026-03-03", "online", "natural_person", name, "某信息"])
    return path


def test_a_control_character_in_an_imported_cell_names_its_row_and_column(one: Cli, tmp_path: Path) -> None:
    error = refused(one, "import", "requests", str(write_csv(tmp_path / "台账.csv", "王\x00五")))
    assert error.startswith("gongkai: 台账.csv 第 3 行 '申请人' 列: '王\\x00五' 第 2 个字符是控制字符 U+0000")


def write_xlsx(path: Path, name: str) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "收到日期", "申请方式", "申请人类型", "申请人", "申请内容"])
    sheet.append(["2026-0100", "2026-03-02", "online", "natural_person", name, "某信息"])
    book.save(path)
    return path


def with_cell(path: Path, placeholder: str, text: str) -> Path:
    """The workbook with a cell's text put in by hand: openpyxl itself writes at most 32,767 characters."""
    members = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            members[info.filename] = z.read(info).replace(placeholder.encode(), text.encode())
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_an_xlsx_cell_longer_than_a_csv_cell_may_be_is_refused(one: Cli, tmp_path: Path) -> None:
    sheet = with_cell(write_xlsx(tmp_path / "台账.xlsx", "PLACEHOLDER"), "PLACEHOLDER", "张" * 200_000)
    error = refused(one, "import", "requests", str(sheet))
    assert error.startswith("gongkai: 台账.xlsx 第 2 行第 5 列: 单元格超过 131,072 个字符")


def test_a_workbook_that_decompresses_to_too_much_is_refused_before_it_is_parsed(one: Cli, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", "张三")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (65 << 20) + b"</sst>")
    assert path.stat().st_size < 1 << 20  # under a megabyte on disk
    error = refused(one, "import", "requests", str(path))
    assert "bomb.xlsx 解压后有" in error and "请拆分为几个较小的工作簿" in error


def test_a_broken_pipe_after_the_commit_says_the_change_was_saved(one: Cli) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before gongkai writes: `gongkai advance … --json | true`
    done = subprocess.run([sys.executable, "-m", "cli", "--db", one.db, "advance", "2026-0001", "decide", "--on",
                           "2026-03-10", "--outcome", "disclosed", "--json"], stdout=write, stderr=subprocess.PIPE,
                          text=True, timeout=60)
    os.close(write)
    assert done.stderr == "gongkai: 输出被截断（管道已关闭）；修改此前已经保存\n"
    assert done.returncode == 0
    assert one.json("show", "2026-0001")["state"] == "concluded"  # type: ignore[index]
