"""The renderers: Markdown, XLSX, DOCX and the chart, checked on the published Pingtan 2022 tables.

The renderer tests build the neutral report straight from ``spec/examples/pingtan-2022.json`` (no
database: renderers only read a :class:`Report`); tests/cli/test_report_documents.py writes the files
through the command line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from datetime import date, datetime
from pathlib import Path

import pytest

from rules.report.layout import TABLE3_NOTE
from tests.conftest import SPEC, write_report_texts
from workflow.reports import chart as report_chart
from workflow.reports import compute as report
from workflow.reports import counts as report_counts
from workflow.reports import docx as report_docx
from workflow.reports import markdown as report_md
from workflow.reports import xlsx as report_xlsx

OFFICE = "平潭综合实验区管委会"


@pytest.fixture
def pingtan() -> report.Report:
    data = json.loads((SPEC / "examples" / "pingtan-2022.json").read_text(encoding="utf-8"))
    table2 = report_counts.empty_table2()
    table2["article20_5"]["licensing"]["decisions"] = 1320
    table2["article20_8"]["administrative_fees"]["amount_10k_yuan"] = 12.35
    received = [7, 6, 7, 7, 7, 7, 7, 8, 7, 6, 5, 0]
    return report.Report(2022, data["agency"], table2, data["table3"], data["table4"], [], date(2023, 1, 20),
                         {"requests": 0, "amount": "0.00"}, received, received)


def test_markdown_has_sections_1_to_6_and_the_tables_in_the_official_order(pingtan: report.Report) -> None:
    md = report_md.markdown(pingtan, OFFICE, "r-chart.png")
    assert md.startswith("# 平潭综合实验区管委会2022年度政府信息公开工作年度报告（草稿）\n")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
                        "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况",
                        "## 六、其他需要报告的事项"]
    assert f"| {TABLE3_NOTE} |  |  | 申请人情况 |" in md
    assert "|  | （四）无法提供 | 1.本机关不掌握相关政府信息 | 37 | 0 | 0 | 0 | 0 | 0 | 37 |" in md
    assert "| 0 | 1 | 1 | 0 | 2 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |" in md
    assert "| 行政许可 | 1320 |  |  |" in md
    assert "全年新收政府信息公开申请74件，上年结转1件，共计75件" in md
    assert "2022年，无收取信息处理费情况。" in md
    assert "![2022年每月申请数与办理结果](r-chart.png)" in md


def test_an_office_template_replaces_a_text_section_for_one_year(pingtan: report.Report, _isolated_config: Path) -> None:
    (_isolated_config / "templates").mkdir()
    (_isolated_config / "templates" / "report_section5-2022.md").write_text(
        "$year年，答复文书说理不够充分，已组织培训。\n", encoding="utf-8")
    assert "2022年，答复文书说理不够充分，已组织培训。" in report_md.markdown(pingtan, OFFICE)
    pingtan.year = 2023
    assert "答复文书说理不够充分" not in report_md.markdown(pingtan, OFFICE)


def _merged(ws) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(r) for r in ws.merged_cells.ranges}


def test_the_xlsx_has_the_official_merged_header_cells_and_the_figures(pingtan: report.Report, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    report_xlsx.write(pingtan, OFFICE, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["说明", "表二", "表三", "表四"]
    t3 = wb["表三"]
    assert t3["A2"].value == TABLE3_NOTE
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A7:A28", "B9:B16", "B17:B19", "A5:C5", "A29:C29"} <= _merged(t3)
    assert [t3.cell(4, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = {t3.cell(r, 3).value or t3.cell(r, 2).value or t3.cell(r, 1).value: [t3.cell(r, c).value for c in range(4, 11)]
            for r in range(5, 30)}
    assert rows["1.本机关不掌握相关政府信息"] == [37, 0, 0, 0, 0, 0, 37]
    assert rows["（七）总计"] == [72, 3, 0, 0, 0, 0, 75]
    assert rows["二、上年结转政府信息公开申请数量"] == [1, 0, 0, 0, 0, 0, 1]
    t4 = wb["表四"]
    assert {"A2:E2", "F2:O2", "F3:J3", "K3:O3", "A3:A4"} <= _merged(t4)
    assert [t4.cell(5, c).value for c in range(1, 16)] == [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    t2 = wb["表二"]
    assert [(t2.cell(r, 1).value, t2.cell(r, 2).value) for r in range(2, 16) if t2.cell(r, 1).value == "行政许可"] == [
        ("行政许可", 1320)]


def test_the_docx_has_the_merged_tables_the_note_and_the_chart(pingtan: report.Report, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "r.docx"
    report_docx.write(pingtan, OFFICE, path, report_chart.png(pingtan))
    d = docx.Document(str(path))
    assert [len(t.rows) for t in d.tables] == [14, 28, 4]
    t3 = d.tables[1]
    assert t3.cell(0, 0).text == TABLE3_NOTE and t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # one merged cell
    assert t3.cell(0, 3)._tc is t3.cell(0, 9)._tc and t3.cell(0, 3).text == "申请人情况"
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(5, 0)._tc is t3.cell(26, 0)._tc
    not_held = next(r for r in t3.rows if r.cells[2].text == "1.本机关不掌握相关政府信息")
    assert [c.text for c in not_held.cells[3:]] == ["37", "0", "0", "0", "0", "0", "37"]
    t4 = d.tables[2]
    assert t4.cell(0, 5).text == "行政诉讼" and t4.cell(0, 5)._tc is t4.cell(0, 14)._tc
    assert [c.text for c in t4.rows[3].cells] == ["0", "1", "1", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]
    texts = [p.text for p in d.paragraphs]
    assert "六、其他需要报告的事项" in texts and "2022年，无收取信息处理费情况。" in texts
    assert len(d.inline_shapes) == 1


def test_the_chart_is_a_png_that_renders_without_missing_glyphs(pingtan: report.Report) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = report_chart.png(pingtan)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first == report_chart.png(pingtan)
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_without_a_chinese_font_the_chart_is_refused_with_how_to_install_one(pingtan: report.Report,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_chart, "cjk_font", lambda: None)  # a bare server: no font draws Chinese
    with pytest.raises(report_chart.NoChineseFont) as refused:
        report_chart.png(pingtan)
    message = str(refused.value)
    assert message.startswith("图表未生成：本机没有可显示中文的字体")
    assert "sudo apt-get install fonts-noto-cjk" in message and "Debian/Ubuntu" in message
    assert "Fedora" in message and "Windows" in message and "macOS" in message
    told: list[str] = []
    assert report_chart.png_or_none(pingtan, told.append) is None
    assert told == [f"gongkai: {message} 年报照常写出，不附图表。"]


def _cjk_installed() -> bool:
    return bool(shutil.which("fc-list")) and bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True,
                                                                 text=True, check=False).stdout.strip())


@pytest.mark.skipif(not _cjk_installed(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
def test_a_font_installed_after_matplotlib_cached_its_list_is_found_by_its_family(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """matplotlib writes its list of fonts once; fonts-noto-cjk installed later is not in it, and must be
    found anyway, by its family name, without deleting the cache."""
    from matplotlib import font_manager

    stale = font_manager.FontManager()
    stale.ttflist = [f for f in stale.ttflist if not report_chart.covers(f.fname)]  # as before the install
    monkeypatch.setattr(font_manager, "fontManager", stale)
    monkeypatch.setattr(report_chart, "_found", [])
    assert report_chart.cjk_font() in report_chart.CJK_FAMILIES
    assert any(report_chart.covers(f.fname) for f in stale.ttflist)


@pytest.mark.skipif(not _cjk_installed(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
@pytest.mark.parametrize(("installed", "chosen"), [
    (["Songti SC", "Hiragino Sans GB", "PingFang SC"], "PingFang SC"),  # macOS: 苹方 first
    (["SimSun", "SimHei", "Microsoft YaHei"], "Microsoft YaHei"),  # Windows: 微软雅黑, then 黑体
    (["AR PL UMing CN", "WenQuanYi Zen Hei"], "WenQuanYi Zen Hei"),  # an older Linux
])
def test_the_chart_s_font_is_looked_up_by_the_families_of_windows_macos_and_linux(
        installed: list[str], chosen: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each family is a Chinese font under the name another system gives it (the file is this machine's)."""
    import dataclasses

    from matplotlib import font_manager

    machine = font_manager.FontManager()
    machine.addfont(next(p for p in font_manager.findSystemFonts() if report_chart.covers(p)))
    chinese = next(f for f in machine.ttflist if report_chart.covers(f.fname))
    machine.ttflist = [f for f in machine.ttflist if not report_chart.covers(f.fname)]
    machine.ttflist += [dataclasses.replace(chinese, name=name) for name in installed]
    monkeypatch.setattr(font_manager, "fontManager", machine)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [])
    monkeypatch.setattr(report_chart, "_found", [])
    assert report_chart.cjk_font() == chosen


def test_the_outcome_groups_of_the_chart_add_up_to_the_total_row(pingtan: report.Report) -> None:
    assert report_chart.outcome_counts(pingtan) == [21, 9, 4, 37, 0, 4]
    assert sum(report_chart.outcome_counts(pingtan)) == pingtan.table3["total"]["total"]


OFFICE_SUITE = shutil.which("libreoffice") or shutil.which("soffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
NOT_PUBLISHED = ("模板", "templates", "sha256", "封存", "预览", "草稿")
A4 = ("595", "841")  # points, portrait or landscape


def frozen(r: report.Report) -> report.Report:
    """The Pingtan year as closed on 2023-01-20, its own texts given and table 二 filled (0 where none)."""
    r.frozen = report.Frozen(datetime(2023, 1, 20, 2), "root", "ab" * 32, date(2023, 1, 20), "{}")
    for rows in r.table2.values():
        for columns in rows.values():
            for column, value in columns.items():
                columns[column] = 0 if value is None else value
    write_report_texts(2022)
    return r


def test_a_published_document_holds_no_status_line_and_a_preview_says_draft(pingtan: report.Report,
                                                                            tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    preview = report_md.markdown(pingtan, OFFICE)
    assert preview.startswith(f"# {OFFICE}2022年度政府信息公开工作年度报告（草稿）") and "预览" not in preview
    assert "【草稿：本节本年度文字尚未提供】" in preview
    report_docx.write(pingtan, OFFICE, tmp_path / "p.docx")
    assert "草稿" in docx.Document(str(tmp_path / "p.docx")).sections[0].header.paragraphs[0].text
    published = report_md.markdown(frozen(pingtan), OFFICE)
    assert published.startswith(f"# {OFFICE}2022年度政府信息公开工作年度报告\n")
    assert not [w for w in NOT_PUBLISHED if w in published]
    assert "存在的主要问题是答复文书说理不够充分" in published
    report_xlsx.write(pingtan, OFFICE, tmp_path / "r.xlsx")
    about = load_workbook(tmp_path / "r.xlsx")["说明"]
    texts = [about.cell(r, 1).value or "" for r in range(1, 20)]
    assert texts[0] == f"{OFFICE}2022年度政府信息公开工作年度报告"
    assert {"一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"} <= set(texts)
    assert not [w for w in NOT_PUBLISHED if any(w in t for t in texts)]


def test_the_shipped_templates_hold_computed_sentences_and_no_instructions() -> None:
    import config

    for n in (1, 5, 6):
        text = (config.DIR / "templates" / f"report_section{n}.md").read_text(encoding="utf-8")
        assert not [w for w in ("请在", "请逐", "模板", "templates", "覆盖", "补充") if w in text], n


def test_the_docx_is_a4_in_gb_9704_fonts_with_repeated_heads_and_unbroken_rows(pingtan: report.Report,
                                                                             tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    path = tmp_path / "r.docx"
    report_docx.write(frozen(pingtan), OFFICE, path, report_chart.png(pingtan))
    d = docx.Document(str(path))
    assert [(round(s.page_width.mm), round(s.page_height.mm)) for s in d.sections] == [(210, 297), (297, 210),
                                                                                   (210, 297)]
    assert (round(d.sections[0].top_margin.mm), round(d.sections[0].left_margin.mm)) == (37, 28)
    fonts = {p.text: (p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")), p.runs[0].font.size.pt)
             for p in d.paragraphs if p.text}
    assert fonts[f"{OFFICE}2022年度政府信息公开工作年度报告"] == ("方正小标宋简体", 22)
    assert fonts["一、总体情况"] == ("黑体", 16) and fonts["2022年，无收取信息处理费情况。"] == ("仿宋_GB2312", 16)
    assert all(str(r.font.color.rgb) == "000000" for p in d.paragraphs for r in p.runs if r.text)
    t3 = d.tables[1]
    heads = [r for r in t3.rows if r._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(heads) == 3 and all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in t3.rows)
    assert "PAGE" in d.sections[0].footer.paragraphs[0]._p.xml
    texts = [p.text for p in d.paragraphs]
    assert texts.index("六、其他需要报告的事项") < texts.index("附图：本年度每月申请数与办理结果")


def test_the_xlsx_prints_each_sheet_landscape_a4_one_page_wide_with_its_heads(pingtan: report.Report,
                                                                            tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report_xlsx.write(pingtan, OFFICE, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
            "landscape", "9", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["表三"].print_title_rows == "$1:$4" and wb["表四"].print_title_rows == "$1:$4"
    assert wb["表三"].column_dimensions["C"].width == 44
    assert {d.height for d in wb["表三"].row_dimensions.values()} == {24, 22, 20, 34}  # title, heads, rows, long labels


def _to_pdf(path: Path, tmp_path: Path) -> Path:
    assert OFFICE_SUITE is not None
    done = subprocess.run([OFFICE_SUITE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=240)
    pdf = path.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    return pdf


def _pages(pdf: Path) -> list[str]:
    """The page sizes in points, as pdfinfo prints them."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    return [line.split("size:")[1].split("pts")[0].strip() for line in out.splitlines() if line.startswith("Page") and " size:" in line]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(OFFICE_SUITE is None or not POPPLER, reason="LibreOffice or poppler-utils is not installed")
def test_the_closed_years_docx_prints_on_four_a4_pages_with_the_office_in_the_title(pingtan: report.Report,
                                                                                   tmp_path: Path) -> None:
    """Page 1: title, 一, 二, the start of 三; page 2: the rest of 三 under its repeated heads; page 3
    (landscape): 四; page 4: 五, 六 and the chart."""
    path = tmp_path / "report.docx"
    report_docx.write(frozen(pingtan), OFFICE, path, report_chart.png(pingtan))
    pdf = _to_pdf(path, tmp_path)
    sizes = _pages(pdf)
    assert len(sizes) == 4 and all(sorted(s.split(" x ")) == sorted(A4) or
                                   {x.split(".")[0] for x in s.split(" x ")} == set(A4) for s in sizes), sizes
    text = _text(pdf)
    assert " ".join(text.split()).startswith(f"{OFFICE}2022 年度政府信息公开工作年度报告".replace(" ", "")[:8])
    assert OFFICE in text.split("\f")[0] and not [w for w in NOT_PUBLISHED if w in text]
    second = text.split("\f")[1]
    assert "申请人情况" in second and "法律服务机构" in second  # table 三's heads repeated on page 2
    assert "商业企业" in text and "商业企\n" not in text


@pytest.mark.slow
@pytest.mark.skipif(OFFICE_SUITE is None or not POPPLER, reason="LibreOffice or poppler-utils is not installed")
def test_the_closed_years_xlsx_prints_one_landscape_a4_page_per_sheet(pingtan: report.Report, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    report_xlsx.write(frozen(pingtan), OFFICE, path)
    pdf = _to_pdf(path, tmp_path)
    sizes = _pages(pdf)
    assert len(sizes) == 4 and all({x.split(".")[0] for x in s.split(" x ")} == set(A4) for s in sizes), sizes
    assert all(float(s.split(" x ")[0]) > float(s.split(" x ")[1]) for s in sizes)  # landscape
    text = _text(pdf)
    assert OFFICE in text.split("\f")[0] and not [w for w in NOT_PUBLISHED if w in text]
    assert "五、存在的主要问题及改进情况" in text.split("\f")[0]
