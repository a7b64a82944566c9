"""Every ``--help`` speaks Chinese and fits an 80-column terminal.

The whole command tree is walked (every command and subcommand, as click knows it, not a hand list):
each page exits 0, no line is wider than 80 cells (a Chinese character takes two), the command's
help and every parameter's help contain Chinese and no English sentence, and the framework's own
words (用法、选项、参数、命令、必填、默认、环境变量) are Chinese too. Codes, option names, metavars,
file extensions and product names (SQLite, PostgreSQL, XLSX …) may stay as they are typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from cli.app import app
from cli.output.help_pages import cells, paragraphs, wrap

HAN = re.compile(r"[\u4e00-\u9fff]")
# What a user types or reads as a name: options (--out, -n), codes with _ . / | : = (unavailable.not_held,
# third-party|agency, review:pending, .docx), words in capitals (DATE, REF, XLSX) and product names.
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_CODE = re.compile(r"[\w-]*\w[_./|:=@]\w[\w./|:=@-]*|\.\w+")
_NAMES = re.compile(r"\b(?:[A-Z0-9][A-Z0-9-]*s?|SQLite|PostgreSQL|LibreOffice|SQLAlchemy|Excel|Ctrl-C|"
                    r"Ed25519|SHA-256|pg_dump|gongkai|Markdown|TOML|JSON)\b")
_SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,;:'()]+[A-Za-z]+){2,}")
_LITTLE = re.compile(r"\b(?:the|of|and|to|is|for|with|from|by|if|its|this|be|an|as|at|not|or|in|a|"
                     r"only|every|each|which|what|when|where|who|how|default|required)\b", re.IGNORECASE)


def english(text: str) -> str | None:
    """An English sentence left in ``text`` (three words in a row, or one of its little words), once
    option names, codes, words in capitals and product names are set aside; None if there is none."""
    rest = _NAMES.sub(" ", _CODE.sub(" ", _OPTION.sub(" ", text)))
    found = _SENTENCE.search(rest) or _LITTLE.search(rest)
    return found.group(0) if found else None


def test_an_english_sentence_is_found_and_codes_and_names_are_not() -> None:
    assert english("Write a letter of a request and record it.") == "Write a letter of a request and record it"
    assert english("Replace FILE if it exists.") == "Replace   if it exists"
    assert english("the day the letter reached them") is not None
    assert english("Show this message and exit.") is not None
    assert english("[default: 2026]") == "default"
    assert english("征求对象：third-party|agency|authority|coordination") is None
    assert english("写入 FILE（.docx 或 .txt）；SQLite 用在线备份，PostgreSQL 用 pg_dump") is None
    assert english("单元格 ROW:COLUMN，如 unavailable.not_held:natural_person") is None
    assert english("方式：review（行政复议）、litigation_direct（未经复议直接起诉）") is None
    assert english("gongkai appeal conclude ID --result upheld|corrected|other --on DATE") is None


def commands() -> Iterator[tuple[list[str], Any]]:
    """Every command and subcommand of ``gongkai``, with the words that call it."""
    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        yield path, command
        if hasattr(command, "list_commands"):  # the root loads its commands as they are asked for
            for name in command.list_commands(None):
                yield from walk(command.get_command(None, name), [*path, name])

    yield from walk(typer.main.get_command(app), [])


COMMANDS = list(commands())
IDS = [" ".join(path) or "gongkai" for path, _ in COMMANDS]


def test_the_walk_reaches_every_subcommand() -> None:
    assert {"alerts run", "officer add", "db upgrade", "evidence checkpoint", "advance", "notice"} <= set(IDS)


def page(path: list[str]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_help_page_is_in_chinese_within_80_columns(path: list[str], command: Any) -> None:
    text = page(path)
    wide = [line for line in text.splitlines() if cell_len(line) > 80]
    assert not wide, "\n".join(wide)
    assert text.startswith("用法：gongkai"), text
    for word in ("Usage", "Options:", "Arguments:", "Commands:", "Show this message", "[required]",
                 "env var", "default:", "completion for"):
        assert word not in text, word
    assert english(text) is None, english(text)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_and_parameter_says_in_chinese_what_it_is(path: list[str], command: Any) -> None:
    # typer adds the completion options to the root after it is built, in English: their Chinese is
    # given as the page is printed, and checked on the page above.
    texts = {"(命令)": command.help or "", **{p.name: getattr(p, "help", "") or "" for p in command.params
                                            if p.name not in ("install_completion", "show_completion")}}
    for name, help_text in texts.items():
        assert HAN.search(help_text), f"{name}: {help_text!r}"
        assert english(help_text) is None, f"{name}: {english(help_text)!r} in {help_text!r}"


def test_the_framework_words_are_chinese() -> None:
    text = page(["notice"])
    assert "选项：" in text and "参数：" in text and "[必填]" in text and "显示本帮助并退出" in text
    top = page([])
    assert "命令：" in top and "[环境变量：GONGKAI_DB]" in top
    assert "--install-completion" in top and "为当前 shell 安装命令补全" in top
    assert "[默认：" in page(["demo"])
    bare = CliRunner().invoke(app, ["db"], env={"COLUMNS": "80"})  # a group without its command shows its help
    assert bare.output.startswith("用法：gongkai db [OPTIONS] COMMAND") and "命令：" in bare.output


def test_a_long_chinese_help_is_wrapped_by_its_width_on_screen() -> None:
    """Click wraps by characters: a line of 60 Chinese characters (120 cells) was left whole."""
    lines = page(["register"]).splitlines()
    assert max(map(cell_len, lines)) <= 80
    assert any(cell_len(line) > 70 for line in lines)  # and the space is used, not wasted


def test_a_chinese_line_breaks_between_characters_but_never_before_a_closing_mark() -> None:
    text = "收到申请之日（条例第三十一条）；日期，可写 2026-03-02、2026/3/2、2026年3月2日、3月2日、今天、昨天。"
    lines = wrap(text, 24, "  ", "  ")
    assert "".join(line.strip() for line in lines).replace("可写2026", "可写 2026") == text
    assert all(cells(line) <= 24 for line in lines)
    assert not any(line.strip()[0] in "，。、；：）" for line in lines)  # no line opens with a closing mark
    assert not any(line.endswith("（") for line in lines)  # nor ends with an opening one
    assert any("2026年3月2日" in line for line in lines)  # and a date is never split


def test_a_code_or_clicks_bracket_is_never_split_and_a_word_longer_than_the_line_is_cut() -> None:
    assert wrap("申请编号。 [必填]", 12) == ["申请编号。", "[必填]"]
    assert wrap("可用 unavailable.not_held:natural_person", 20) == ["可用", "unavailable.not_held", ":natural_person"]
    assert wrap("审结时：结果 upheld 维持", 80) == ["审结时：结果 upheld 维持"]


def test_the_lines_of_a_paragraph_are_joined_without_a_space_between_chinese_characters() -> None:
    assert paragraphs("导入针对已在 gongkai 中的\n申请的复议、\nlitigation_direct 起诉\n\n各列：ref", 80) == [
        "导入针对已在 gongkai 中的申请的复议、litigation_direct 起诉", "", "各列：ref"]
