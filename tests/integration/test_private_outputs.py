"""Letters and exports hold personal data: written owner-only (0600), never through a symbolic link
(a letter once replaced an unrelated file through one), and an export replaces a file only with --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from tests.database import Cli

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "某信息", "--address", "北京市朝阳区某路1号"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def unrelated(tmp_path: Path) -> Path:
    path = tmp_path / "unrelated.txt"
    path.write_text("keep me", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(path)
    (tmp_path / "link.csv").symlink_to(path)
    return path


def refused(cli: Cli, *args: str) -> str:
    before = cli.dump()
    result = cli(*args, ok=False)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output  # type: ignore[attr-defined]
    assert cli.dump() == before
    return str(result.stderr)  # type: ignore[attr-defined]


def test_a_letter_is_never_written_through_a_link_and_is_private(office: Path, cli: Cli, tmp_path: Path,
                                                               unrelated: Path) -> None:
    cli(*REGISTER)
    cli("advance", "2026-0001", "extend", "--on", "2026-03-20", "--days", "20", "--approved-by", "张主任",
        "--reason", "需要调取档案")
    assert "是符号链接" in refused(cli, "notice", "2026-0001", "extension", "--out", str(tmp_path / "link.txt"))
    assert unrelated.read_text(encoding="utf-8") == "keep me"
    cli("notice", "2026-0001", "extension", "--out", str(tmp_path / "延期告知书.txt"))
    assert oct((tmp_path / "延期告知书.txt").stat().st_mode & 0o777) == "0o600"


def test_an_export_is_private_and_replaces_nothing_without_force(cli: Cli, tmp_path: Path, unrelated: Path) -> None:
    cli(*REGISTER)
    assert "是符号链接" in refused(cli, "export", "requests", str(tmp_path / "link.csv"), "--force")
    out = tmp_path / "导出.csv"
    cli("export", "requests", str(out))
    assert oct(out.stat().st_mode & 0o777) == "0o600" and "2026-0001" in out.read_text(encoding="utf-8-sig")
    assert "--force" in refused(cli, "export", "requests", str(out))
    cli("export", "requests", str(out), "--force")
    assert unrelated.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(("fmt", "name"), [("json", "年报.json"), ("md", "年报.md"), ("xlsx", "年报.xlsx"),
                                           ("docx", "年报.docx")])
def test_a_report_is_private_never_written_through_a_link_and_replaces_nothing_without_force(
        cli: Cli, tmp_path: Path, unrelated: Path, fmt: str, name: str) -> None:
    cli(*REGISTER)
    link = tmp_path / f"link{Path(name).suffix}"
    link.symlink_to(unrelated)
    assert "是符号链接" in refused(cli, "report", "2026", "--format", fmt, "--out", str(link), "--force")
    assert unrelated.read_text(encoding="utf-8") == "keep me"
    out = tmp_path / name
    cli("report", "2026", "--format", fmt, "--out", str(out))
    written = [out, out.with_name(f"{out.stem}-chart.png")] if fmt == "md" else [out]
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in written)
    first = out.read_bytes()
    out.write_bytes(b"an officer's own edits")
    assert "--force" in refused(cli, "report", "2026", "--format", fmt, "--out", str(out))
    assert out.read_bytes() == b"an officer's own edits"
    cli("report", "2026", "--format", fmt, "--out", str(out), "--force")
    assert oct(out.stat().st_mode & 0o777) == "0o600" and out.read_bytes()[:4] == first[:4]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
