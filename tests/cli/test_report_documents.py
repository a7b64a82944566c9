"""The annual report written through the command line: every format, and the demo's preview.

The renderers themselves are tested on the published Pingtan 2022 tables in tests/unit/test_report_documents.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import time_machine

from tests.database import Cli
from workflow.app import Gongkai
from workflow.domain.commands import Register
from workflow.usecases import requests as services


@pytest.fixture
def small_year(make_app: Callable[..., Gongkai]) -> Gongkai:
    app = make_app(today=date(2026, 1, 20))
    services.register(app, Register(received_on=date(2025, 12, 1), channel="online", applicant_name="周杰",
                                    applicant_type="natural_person", subject="某批复"))
    return app


def test_report_writes_each_format_through_the_command_line(cli: Cli, small_year: Gongkai, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        assert cli("report", "2025", "--format", "xlsx").stdout.strip() == "gongkai-report-2025.xlsx"
        cli("report", "2025", "--format", "docx", "--out", "年报.docx")
        cli("report", "2025", "--format", "md", "--out", "年报.md")
        printed = cli("report", "2025", "--format", "md").stdout
        wrong = cli("report", "2025", "--format", "xlsx", "--out", "passwd", ok=False)
    assert {p.name for p in tmp_path.iterdir()} >= {"gongkai-report-2025.xlsx", "年报.docx", "年报.md", "年报-chart.png"}
    assert "![2025年每月申请数与办理结果](年报-chart.png)" in (tmp_path / "年报.md").read_text(encoding="utf-8")
    assert printed.startswith("# 本机关2025年度政府信息公开工作年度报告") and "chart.png" not in printed
    assert wrong.exit_code == 1 and "--out: 'passwd' does not end in .xlsx" in wrong.stderr


def test_without_a_chinese_font_the_report_is_written_without_its_chart_and_the_officer_is_told_how_to_add_one(
        cli: Cli, small_year: Gongkai, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    from workflow.reports import chart

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(chart, "cjk_font", lambda: None)  # a bare server: no font draws Chinese
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        written = cli("report", "2025", "--format", "docx", "--out", "年报.docx")
        md = cli("report", "2025", "--format", "md", "--out", "年报.md")
    for result in (written, md):
        assert result.exit_code == 0 and result.stdout.strip() in ("年报.docx", "年报.md")
        assert "gongkai: 图表未生成：本机没有可显示中文的字体" in result.stderr
        assert "sudo apt-get install fonts-noto-cjk" in result.stderr and "年报照常写出，不附图表。" in result.stderr
    assert len(docx.Document(str(tmp_path / "年报.docx")).inline_shapes) == 0
    assert not (tmp_path / "年报-chart.png").exists()
    text = (tmp_path / "年报.md").read_text(encoding="utf-8")
    assert "## 四、政府信息公开行政复议、行政诉讼情况" in text and "chart.png" not in text


def test_the_demo_ends_with_the_years_report(cli: Cli, tmp_path: Path) -> None:
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        out = cli("demo", "--path", str(tmp_path / "demo.sqlite"), "--requests", "40").stdout
    tail = out[out.index("2026 年度报告（预览）"):]
    assert "三、收到和处理政府信息公开申请情况" in tail and "四、政府信息公开行政复议、行政诉讼情况" in tail
    assert "勾稽关系校验：全部通过" in tail
