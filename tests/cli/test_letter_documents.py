"""Every letter kind and every reply outcome, written through the command line as DOCX and printed by
LibreOffice to PDF, as an office would before sending it: A4, the pages expected, every word of the
DOCX on a page and inside it, the office's name and number, the article cited, no blank and no
placeholder. One LibreOffice run converts them all; skipped only where LibreOffice or poppler is
missing (``.ci/run`` installs both).

Each request was received on Monday 2026-03-02 by 某市某局 (abbreviation 某局, ``OFFICE_TOML``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.database import Cli

OFFICE_SUITE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
pytestmark = pytest.mark.skipif(not (OFFICE_SUITE and POPPLER), reason="needs LibreOffice and poppler-utils")

REGISTER = ("register", "--received-on", "2026-03-02", "--channel", "in_person", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细")
DECIDE = ("decide", "--on", "2026-03-20")

# letter: (the steps before it, the step that writes it, the article it must cite, the number it bears)
LETTERS: dict[str, tuple[list[tuple[str, ...]], tuple[str, ...], str]] = {
    "correction": ([], ("request-correction", "--on", "2026-03-05", "--period", "10", "--items", "请写明文件的文号"),
                   "第三十条"),
    "extension": ([], ("extend", "--on", "2026-03-20", "--days", "10", "--approved-by", "张主任",
                       "--reason", "需从档案库调取"), "第三十三条第二款"),
    "consultation.third-party": ([], ("consult", "--on", "2026-03-04", "--party", "third-party", "--to", "某公司",
                                      "--describe", "某公司的经营数据"), "第三十二条"),
    "consultation.agency": ([], ("consult", "--on", "2026-03-04", "--party", "agency", "--to", "某市财政局",
                                 "--describe", "资金拨付文件", "--delivered-on", "2026-03-04"), "第三十四条"),
    "consultation.authority": ([], ("consult", "--on", "2026-03-04", "--party", "authority",
                                    "--to", "某市国家保密局", "--describe", "某项目的批复"), "第十七条第三款"),
    "consultation.coordination": ([], ("consult", "--on", "2026-03-04", "--party", "coordination",
                                       "--to", "某市自然资源局", "--describe", "联合发文"), "第十一条第二款"),
    "fee": ([], ("notify-fee", "--on", "2026-03-03", "--amount", "54700", "--pages", "1500"), "第四十二条"),
    "disclosed.published": ([], (*DECIDE, "--outcome", "disclosed", "--ground", "published",
                                 "--obtain", "本机关门户网站“政府信息公开”栏目"), "第三十六条第（一）项"),
    "disclosed.provided": ([], (*DECIDE, "--outcome", "disclosed", "--ground", "provided",
                                "--obtain", "2026年3月27日前到本机关政务服务窗口领取"), "第三十六条第（二）项"),
    "partially_disclosed": ([], (*DECIDE, "--outcome", "partially_disclosed", "--obtain", "随本告知书寄送",
                                 "--note", "其中个人身份信息属于个人隐私"), "第三十七条"),
    **{f"withheld.{w}": ([], (*DECIDE, "--outcome", f"withheld.{w}"), article) for w, article in (
        ("state_secret", "第十四条"), ("prohibited_by_law", "第十四条"), ("security_stability", "第十四条"),
        ("third_party_rights", "第十五条"), ("internal_affairs", "第十六条第一款"),
        ("process_information", "第十六条第二款"), ("enforcement_file", "第十六条第二款"),
        ("administrative_query", "第三十六条第（七）项"))},
    "unavailable.not_held.nonexistent": ([], (*DECIDE, "--outcome", "unavailable.not_held", "--ground", "nonexistent"),
                                         "第三十六条第（四）项"),
    "unavailable.not_held.elsewhere": ([], (*DECIDE, "--outcome", "unavailable.not_held", "--ground", "elsewhere",
                                            "--holder", "某市统计局，联系电话0591-87654321"), "第三十六条第（五）项"),
    "unavailable.needs_compilation": ([], (*DECIDE, "--outcome", "unavailable.needs_compilation"), "第三十八条"),
    "unavailable.unclear_after_correction": (
        [("request-correction", "--on", "2026-03-05", "--items", "请写明文号"),
         ("receive-correction", "--on", "2026-03-09")],
        ("decide", "--on", "2026-03-25", "--outcome", "unavailable.unclear_after_correction"), "第三十条"),
    **{f"not_processed.{n}": ([], (*DECIDE, "--outcome", f"not_processed.{n}"), article) for n, article in (
        ("petition", "第三十九条第一款"), ("repeated", "第三十六条第（六）项"), ("publication", "第三十九条第二款"),
        ("excessive", "第三十五条"), ("confirmation", "第三十六条第（六）项"))},
    "other.correction_lapsed": (
        [("request-correction", "--on", "2026-03-05", "--period", "10", "--items", "请写明文号",
          "--delivered-on", "2026-03-06")],
        ("lapse-correction", "--on", "2026-03-23"), "第三十条"),
    "other.fee_unpaid": ([("notify-fee", "--on", "2026-03-03", "--amount", "100", "--items", "11",
                           "--delivered-on", "2026-03-03")],
                         ("fee-lapsed", "--on", "2026-04-01"), "国办函〔2020〕109号"),
    "other.other": ([], ("withdraw", "--on", "2026-03-10", "--reason", "申请人书面撤回"), ""),
}
A4 = (595.28, 841.89)  # points
MARGINS = (28 / 25.4 * 72, 26 / 25.4 * 72)  # left, right (GB/T 9704)
FORBIDDEN = ("＿", "【", "{", "}", "本机关本机关", "（印章）", "有管辖权的", "None", "待填", "未配置")


def _convert(docs: list[Path], out: Path) -> None:
    """One LibreOffice run for every document, with its own profile (other runs may be going on)."""
    profile = out / "profile"
    subprocess.run([str(OFFICE_SUITE), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, docs)],
                   check=True, capture_output=True, timeout=600, env={**os.environ, "HOME": str(out)})


def _pages(pdf: Path) -> tuple[int, list[tuple[float, float]]]:
    info = subprocess.run(["pdfinfo", "-l", "99", str(pdf)], check=True, capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    return int(re.search(r"Pages:\s+(\d+)", info).group(1)), sizes  # type: ignore[union-attr]


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word pdftotext finds, with its box (xMin, yMin, xMax, yMax) in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def written(office: Path, cli: Cli, tmp_path: Path) -> dict[str, Path]:
    """Every letter of ``LETTERS`` written with ``advance … --notice FILE.docx``."""
    out: dict[str, Path] = {}
    for name, (before, step, _article) in LETTERS.items():
        ref = cli.json(*REGISTER)["ref"]  # type: ignore[index]
        for s in before:
            cli("advance", ref, *s)
        out[name] = tmp_path / f"{name}.docx"
        cli("advance", ref, *step, "--notice", str(out[name]))
    return out


def test_every_letter_prints_on_a4_whole_and_cites_its_article(written: dict[str, Path], tmp_path: Path) -> None:
    from docx import Document

    pdfs = tmp_path / "pdf"
    _convert(list(written.values()), pdfs)
    for name, docx in written.items():
        pdf = pdfs / f"{name}.pdf"
        pages, sizes = _pages(pdf)
        assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes), (name, sizes)
        assert pages == EXPECTED_PAGES.get(name, 1), (name, pages)
        paragraphs = [p.text for p in Document(str(docx)).paragraphs]
        printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                 text=True).stdout
        flat = _squeeze(printed)
        missing = [p for p in paragraphs if _squeeze(p) not in flat]
        assert not missing, (name, missing)  # nothing cut, nothing lost
        words = _words(pdf)
        outside = [w for w in words if w[0] < MARGINS[0] - 2 or w[2] > A4[0] - MARGINS[1] + 2 or w[3] > A4[1]]
        assert not outside, (name, outside[:3])
        assert paragraphs[1].startswith("某局") and "〔2026〕" in paragraphs[1], (name, paragraphs[1])
        assert "某市某局" in flat and "联系人：王五" in flat, name
        assert not [f for f in FORBIDDEN if f in printed], (name, [f for f in FORBIDDEN if f in printed])
        article = LETTERS[name][2]
        assert _squeeze(article) in flat, (name, article)
        footer = [w for w in words if w[1] > A4[1] - 35 / 25.4 * 72]
        assert [w[4] for w in footer][-3:] == ["—", "1", "—"] or "—1—" in "".join(w[4] for w in footer), (name, footer)


# Every letter fits one page of 22 lines but the fee notice, whose last lines go to page 2 with the
# signing block (never the name and date alone on a page).
EXPECTED_PAGES: dict[str, int] = {"fee": 2}
