"""The report on the terminal (``gongkai report YEAR``): the official tables at 80 and 160 columns.

Each table is read back line by line: no line is wider than the terminal, every row label of table 三
is there in full (wrapped, never cut) under its group rows, and every figure stands whole at the end
of its row's first line, in the official order. The figures are made up so that no two neighbours are
alike, with one six-digit count (123456 requests from 自然人) that a narrow column would cut.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from rich.cells import cell_len
from rich.console import Console

from cli.output import report_view
from cli.output.text_grid import fit, row, wrap
from rules.report.layout import TABLE3_NOTE, TABLE3_ROWS, TABLE4_BLOCKS, TABLE4_COLUMNS
from workflow.reports.compute import Report
from workflow.reports.counts import empty_table2
from workflow.reports.layout import TABLE3_FIGURES, table3_rows


@pytest.fixture
def year_2026() -> Report:
    t3 = {r.code: {c: (i * 7 + j * 3) % 11 for j, c in enumerate(TABLE3_FIGURES)} for i, r in enumerate(TABLE3_ROWS)}
    t3["new"]["natural_person"] = 123456
    t4 = {b.code: {c.code: 10 * i + j for j, c in enumerate(TABLE4_COLUMNS)} for i, b in enumerate(TABLE4_BLOCKS)}
    t2 = empty_table2()
    t2["article20_5"]["licensing"]["decisions"] = 1320
    t2["article20_8"]["administrative_fees"]["amount_10k_yuan"] = 12.35
    return Report(2026, "A01", t2, t3, t4, [], date(2026, 12, 31))


def printed(r: Report, width: int) -> list[str]:
    console = Console(width=width, file=StringIO(), color_system=None)
    report_view.render_report(console, r)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out.splitlines()


FIGURES = re.compile(r"^(.*?)((?: +\d+){7})$")


def table3_body(lines: list[str]) -> list[str]:
    start = lines.index("三、收到和处理政府信息公开申请情况")
    rule = next(i for i in range(start, len(lines)) if lines[i].startswith("─"))
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    return [line for line in lines[rule + 1:end] if line]


@pytest.mark.parametrize("width", [80, 160])
def test_no_line_is_wider_than_the_terminal(year_2026: Report, width: int) -> None:
    lines = printed(year_2026, width)
    assert max(cell_len(line) for line in lines) <= width
    assert sum(1 for line in lines if line.startswith("─")) == 2  # under the heads of 三 and 四


@pytest.mark.parametrize("width", [80, 160])
def test_table_3_has_every_label_in_full_under_its_groups_and_every_figure_whole(year_2026: Report,
                                                                                 width: int) -> None:
    rows = table3_rows(year_2026)
    expected, shown = [], set()
    for r in rows:
        expected += [g for g in r.groups if g not in shown] + [r.label]
        shown |= set(r.groups)
    assert expected[2:5] == ["三、本年度办理结果", "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]
    labels, figures = [], []
    for line in table3_body(printed(year_2026, width)):
        m = FIGURES.match(line)
        labels.append((m.group(1) if m else line).strip())
        if m:
            figures.append(tuple(int(v) for v in m.group(2).split()))
    assert "".join(labels) == "".join(expected)  # every group and row label, complete, in order
    assert figures == [r.figures for r in rows]  # one line of seven whole figures per row
    assert figures[0] == (123456, 3, 6, 9, 1, 4, 7)  # 一、本年新收: the six-digit count whole


def test_at_80_columns_the_heads_wrap_in_words_of_two_characters_and_the_labels_wrap(year_2026: Report) -> None:
    lines = printed(year_2026, 80)
    assert any(line.endswith("自然人 商业 科研 社会 法律 其他 总计") for line in lines)
    assert any(line.endswith("企业 机构 公益 服务") for line in lines)
    assert any(line.endswith("组织 机构") for line in lines)
    body = table3_body(lines)
    fee = next(i for i, line in enumerate(body) if line.startswith("    2.申请人逾期未按收费通知要求缴纳费用"))
    assert body[fee + 1].startswith("    行政机关不再处理")  # the rest of the label, under it
    head = lines[lines.index("三、收到和处理政府信息公开申请情况") + 1:][:2]
    assert "".join(line.split()[0] for line in head) == TABLE3_NOTE  # over the labels, beside 申请人情况


def test_at_160_columns_each_head_and_label_is_on_one_line(year_2026: Report) -> None:
    lines = printed(year_2026, 160)
    assert any(line.endswith("自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计") for line in lines)
    assert len(table3_body(lines)) == len(TABLE3_ROWS) + 5  # a line per row and per group


@pytest.mark.parametrize("width", [80, 160])
def test_table_4_has_review_then_suits_direct_and_after_review_side_by_side(year_2026: Report, width: int) -> None:
    lines = printed(year_2026, width)
    table = lines[lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1:]
    assert re.fullmatch(r" *行政复议 +行政诉讼", table[0])
    assert re.fullmatch(r" +未经复议直接起诉 +复议后起诉", table[1])
    figures = next(line for line in table[3:] if re.fullmatch(r"[ \d]+", line))
    assert [int(v) for v in figures.split()] == [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24]


def test_on_a_terminal_too_narrow_for_fifteen_columns_table_4_s_blocks_stand_one_under_the_other(
        year_2026: Report) -> None:
    lines = printed(year_2026, 60)
    assert max(cell_len(line) for line in lines) <= 60
    table = lines[lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1:]
    titles = [line.strip() for line in table if line.strip() in ("行政复议", "行政诉讼·未经复议直接起诉",
                                                                   "行政诉讼·复议后起诉")]
    assert titles == ["行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"]
    assert [line.split() for line in table if re.fullmatch(r"[ \d]+", line or "x")] == [
        ["0", "1", "2", "3", "4"], ["10", "11", "12", "13", "14"], ["20", "21", "22", "23", "24"]]
    assert table.count("结果维持 结果纠正 其他结果 尚未审结 总计") == 3


def test_table_2_is_shown_with_what_was_not_entered_marked(year_2026: Report) -> None:
    lines = printed(year_2026, 80)
    assert "2026 年度 · 二、主动公开政府信息情况" in lines[2]
    assert re.fullmatch(r"行政许可 +1320", next(line for line in lines if line.startswith("行政许可")))
    assert re.fullmatch(r"行政事业性收费 +12\.35", next(line for line in lines if line.startswith("行政事业性收费")))
    assert re.fullmatch(r"规章 +— +— +—", next(line for line in lines if line.startswith("规章")))


def test_text_wraps_between_characters_and_never_starts_a_line_with_a_comma() -> None:
    assert wrap("社会公益组织", 4) == ["社会", "公益", "组织"]
    assert wrap("第一项加第二项之和，等于", 18) == ["第一项加第二项之", "和，等于"]
    assert row([("社会公益组织", 4, "right"), ("12", 4, "right")]) == ["社会   12", "公益", "组织"]
    assert fit([8, 8, 12], [1, 3, 1], 15) == [4, 4, 4]
    assert fit([6, 8, 12], [1, 3, 1], 16) == [6, 4, 4]  # 自然人 whole where two more cells fit
    assert fit([8, 8, 12], [6, 3, 1], 15) == [6, 4, 4]  # a figure's width is kept, even over the room
