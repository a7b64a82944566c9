"""How ``--help`` pages are printed: in Chinese, wrapped by the width a line takes on screen.

Typer's bundled click frames every page with English words ("Usage:", "Options:", "[required]",
"Show this message and exit.") and wraps text by ``len()``: a Chinese character counts one but takes
two cells, so a line of 60 characters (120 cells) was printed whole in an 80-column terminal. The
root group (``cli.arguments.CheckedGroup``) hands every command of the tree the context below, whose
formatter words the frame in Chinese and wraps by cells, breaking Chinese text between any two
characters but never before a closing mark (，。）) or after an opening one (（“), and English
words, codes, option names and dates (2026年3月2日) only at spaces. Arguments are named in capitals
as the help texts name them (REF, KIND), options with their metavars (DATE, N, TEXT, FILE)::

    用法：gongkai notice [OPTIONS] REF KIND
    参数：
      REF   申请编号，如 2026-0001；本年的可只写序号（17 即 2026-0017）。 [必填]
    选项：
      --out FILE        写入 FILE（.docx 或 .txt，须为新文件）并记录；不给则打印正
                        文（预览，不记录）。
      --help            显示本帮助并退出。

This module is the one place click's own words are translated (``FRAMEWORK``, ``HEADINGS``,
``_EXTRAS``); nothing in click or typer is patched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from typer._click.formatting import HelpFormatter
from typer.models import Context

# The help texts click and typer give their own options, as officers read them.
FRAMEWORK = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全（bash、zsh、fish）。",
    "Show completion for the current shell, to copy it or customize the installation.":
        "显示当前 shell 的命令补全脚本，可复制或自行安装。",
}
HEADINGS = {"Usage": "用法", "Options": "选项", "Arguments": "参数", "Commands": "命令"}
# The bracket click appends to an option's help: [env var: GONGKAI_DB; default: 2026; required].
_EXTRAS = (("env var: ", "环境变量："), ("default: ", "默认："), ("required", "必填"))
_BRACKET = r"  \[([^\[\]]*)\]$"

_MARKS = "（“‘《「『〔【，。、；：？！）”’》」』〕】"  # no space is put beside them when lines are joined
_OPENING = re.escape("（“‘《「『〔【([")
_CLOSING = re.escape("，。、；：？！）”’》」』〕】…)]},.;:!?")
# A token is a run of spaces, or what may not be split: one wide character, one word of narrow ones,
# a date (2026年3月2日) or a bracket of click's (``[必填]``, ``[默认：table]``), with the opening marks
# before it and the closing marks after it. The patterns are kept as text: ``re`` compiles (and
# caches) them when a help page is printed, so no other command pays for it at start-up.
_TOKEN = (rf"\s+|\[[^\[\]\s]{{1,40}}\][{_CLOSING}]*|"
          rf"[{_OPENING}]*(?:(?:\d+[年月日])+|[!-~\u00a0-\u2e7f]+|\S)[{_CLOSING}]*")


def cells(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide (Chinese, full-width) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(token: str, room: int) -> tuple[str, str]:
    """The longest head of ``token`` that fits ``room`` cells (at least one character), and the rest."""
    at = 1
    while at < len(token) and cells(token[:at + 1]) <= room:
        at += 1
    return token[:at], token[at:]


def wrap(text: str, width: int, first: str = "", later: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` cells, the first after ``first``, the others after ``later``."""
    lines: list[str] = []
    line, space = first, ""
    fresh = True  # nothing of the text on this line yet
    for token in re.findall(_TOKEN, text):
        if token.isspace():
            space = " "
            continue
        joined = token if fresh else space + token
        if cells(line + joined) <= width:
            line, fresh, space = line + joined, False, ""
            continue
        if not fresh:
            lines.append(line)
            line, fresh, space = later, True, ""
        while cells(line + token) > width:  # a word longer than a whole line: cut it
            head, token = _cut(token, width - cells(line))
            lines.append(line + head)
            line = later
        line, fresh = line + token, False
    if not fresh or not lines:
        lines.append(line)
    return lines


def _joined(lines: list[str]) -> str:
    """The lines of one paragraph as one: a space between them, as between Chinese and a code
    (``输出 JSON``), but none between two Chinese characters or next to a Chinese mark (、，。)."""
    out = ""
    for line in (x.strip() for x in lines):
        tight = out and ((cells(out[-1]) == 2 and cells(line[:1]) == 2) or out[-1] in _MARKS or line[:1] in _MARKS)
        out = out + line if not out or tight else f"{out} {line}"
    return out


def paragraphs(text: str, width: int, indent: str = "") -> list[str]:
    """Help text in lines: paragraphs (split at blank lines) rewrapped, a paragraph after a ``\\b`` line
    kept line for line, as click does."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.expandtabs().strip("\n")):
        lines = block.splitlines()
        if out:
            out.append("")
        if lines and lines[0].strip() == "\b":
            out += [indent + line for line in lines[1:]]
            continue
        extra = " " * (cells(lines[0]) - cells(lines[0].lstrip())) if lines else ""
        out += wrap(_joined(lines), width, indent + extra, indent + extra)
    return out


def chinese(help_text: str) -> str:
    """An option's help as click assembled it, with click's own words in Chinese."""
    help_text = FRAMEWORK.get(help_text, help_text)
    found = re.search(_BRACKET, help_text)
    if not found:
        return help_text
    extras = []
    for extra in found.group(1).split("; "):
        for english, words in _EXTRAS:
            extra = words + extra.removeprefix(english) if extra.startswith(english) else extra
        extras.append(extra)
    return f"{help_text[:found.start()]}  [{'；'.join(extras)}]"


# How typer shows a value with no metavar of its own (``--limit <int>``), as the rest of the CLI does.
_TYPES = {"<str>": "TEXT", "<int>": "N", "<float>": "NUMBER", "<path>": "PATH", "<list[str]>": "TEXT"}
_TYPE = "|".join(map(re.escape, _TYPES))
_REQUIRED = r"\{([\w.]+)\}"


class ChineseHelpFormatter(HelpFormatter):
    """Click's formatter with Chinese headings and wrapping by cells (see the module's docstring)."""

    section_name = ""  # the heading written last: an argument's row is shown unlike an option's

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = re.sub(_REQUIRED, r"\1", args)  # typer's {REF} for a required argument: REF, as click has it
        head = f"{' ' * self.current_indent}{HEADINGS['Usage']}：{prog} "
        room = max(self.width, cells(head) + 20)
        self.write("\n".join(wrap(args, room, head, " " * cells(head))) + "\n")

    def write_heading(self, heading: str) -> None:
        self.section_name = heading
        self.write(f"{' ' * self.current_indent}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(paragraphs(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(self._term(first), chinese(second)) for first, second in rows]
        first_col = min(max((cells(first) for first, _ in rows), default=0), col_max) + col_spacing
        margin = " " * (self.current_indent + first_col)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + margin)
            lines = paragraphs(second, max(self.width - first_col - self.current_indent, 10))
            self.write("\n".join([lines[0], *(margin + line if line else "" for line in lines[1:])]) + "\n")


    def _term(self, first: str) -> str:
        """An argument by its metavar (``REF <str>``: REF), an option with its metavar (``--limit N``)."""
        if self.section_name == "Arguments":
            return first.split(" ", 1)[0]
        return re.sub(_TYPE, lambda m: _TYPES[m.group(0)], first)


class HelpContext(Context):
    """Typer's context, printing help with :class:`ChineseHelpFormatter`."""

    formatter_class = ChineseHelpFormatter


def first_sentence(help_text: str) -> str:
    """A command's line in its group's list of commands: its help up to the first 。 (click would cut
    it at 45 characters, counted as if each took one cell)."""
    text = _joined(help_text.strip().split("\n\n")[0].splitlines())
    end = text.find("。")
    return text[:end + 1] if end >= 0 else text


def commands(command: Any) -> Iterator[Any]:
    """``command`` and every command under it."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from commands(sub)


def localize(root: Any) -> None:
    """Give every command under ``root`` the Chinese help context, its line in the list of commands and
    its arguments their names in capitals (REF, ACTION, KIND), as the help texts call them.
    (Click's own options get their Chinese help as they are printed: typer adds the completion options
    to the root after it is built, and click makes ``--help`` when it is asked for.)"""
    for command in commands(root):
        command.context_class = HelpContext
        if command.help and not command.short_help:
            command.short_help = first_sentence(command.help)
        for param in command.params:
            if param.param_type_name == "argument" and param.metavar is None and param.name:
                param.metavar = param.name.upper()
