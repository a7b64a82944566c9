"""The README's pictures of a published report and a letter, made again from the demo year.

    .venv/bin/python docs/render_images.py            # writes docs/images/report-2025.png, letter-reply.png
    .venv/bin/python docs/render_images.py --out DIR  # elsewhere (the test writes to a temporary folder)

It builds the demo year 2025 in a temporary database and configuration folder (the code of ``gongkai
demo``, dated 31 December 2025, so that every date of the pictures is the same whenever it runs),
then goes through the command line as an office would: the office's name, contact and remedy bodies
in ``gongkai.toml``, the three texts of the report, table 二 (``gongkai table2``), ``gongkai close-year
2025``, the closed year's ``gongkai report 2025 --format docx`` and the 予以公开 reply of a disclosed
request (``gongkai notice REF reply``). LibreOffice turns both into PDF (``soffice --headless``),
``pdftoppm`` the first page of each into a PNG at 80 dpi (the report's title, sections 一 and 二 and
the head of table 三; the whole letter). Needs LibreOffice, poppler-utils and a Chinese font (``apt-get install libreoffice-writer-nogui
poppler-utils fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEAR = 2025
DPI = 80
OFFICE = """[office]
name = "示例市示例区民政局"

[letters]
contact = "联系人：王五　联系电话：0591-12345678"
review_body = "示例市民政局或示例区人民政府"
court = "示例区人民法院"
"""
SECTIONS = {
    1: "本机关坚持以公开为常态、不公开为例外，依法办理政府信息公开申请，按时答复，规范出具告知书。",
    5: "存在的主要问题是部分答复说理不够充分。下一步将加强培训，统一告知书文本。",
    6: "本年度未收取信息处理费。无其他需要报告的事项。",
}
TABLE2_FILE = """[article20_1.rules]
issued = 0
repealed = 0
in_force = 0
[article20_1.normative_documents]
issued = 3
repealed = 1
in_force = 12
[article20_5.licensing]
decisions = 1320
[article20_6.penalties]
decisions = 86
[article20_6.coercive_measures]
decisions = 2
[article20_8.administrative_fees]
amount_10k_yuan = 0
"""
OBTAIN = "本机关将该信息的电子文本通过电子邮件发送至您预留的邮箱，您也可于工作日到本机关政务服务窗口领取纸质件"


def run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def demo_year(work: Path) -> tuple[Path, str]:
    """The demo year 2025 in a new database; the first request of 2025 decided 予以公开."""
    from workflow import demo
    from workflow.usecases import views

    target, app = demo.build(str(work / "demo.sqlite"), 160, 2026, today=date(YEAR, 12, 31))
    disclosed = [r["ref"] for r in views.list_requests(app, year=YEAR) if r["outcome"] == "disclosed"]
    app.engine.dispose()
    return Path(target), sorted(disclosed)[0]


def to_png(document: Path, out: Path, env: dict[str, str]) -> Path:
    """The document's first page as a PNG."""
    folder = document.parent
    run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(document), env=env)
    stem = folder / document.stem
    run("pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(stem.with_suffix(".pdf")),
        str(stem), env=env)
    shutil.copyfile(stem.with_suffix(".png"), out)
    return out


def render(out: Path) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="gongkai-images-") as tmp:
        work = Path(tmp)
        config = work / "config"
        (config / "templates").mkdir(parents=True)
        (config / "gongkai.toml").write_text(OFFICE, encoding="utf-8")
        for n, text in SECTIONS.items():
            (config / "templates" / f"report_section{n}-{YEAR}.md").write_text(text + "\n", encoding="utf-8")
        env = {**os.environ, "GONGKAI_CONFIG_DIR": str(config), "GONGKAI_OFFICER": "李明",
               "HOME": str(work), "COLUMNS": "100"}  # HOME: LibreOffice's profile, away from the user's
        os.environ["GONGKAI_CONFIG_DIR"] = str(config)
        db, ref = demo_year(work)
        env["GONGKAI_DB"] = str(db)
        gongkai = [sys.executable, "-m", "cli"]
        letter = work / "letter.docx"
        run(*gongkai, "notice", ref, "reply", "--ground", "provided", "--obtain", OBTAIN, "--out", str(letter), env=env)
        (work / "table2.toml").write_text(TABLE2_FILE, encoding="utf-8")
        run(*gongkai, "table2", str(YEAR), "--file", str(work / "table2.toml"), env=env)
        run(*gongkai, "close-year", str(YEAR), env=env)
        report = work / "report.docx"
        run(*gongkai, "report", str(YEAR), "--format", "docx", "--out", str(report), env=env)
        out.mkdir(parents=True, exist_ok=True)
        return [to_png(report, out / f"report-{YEAR}.png", env), to_png(letter, out / "letter-reply.png", env)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "images", help="folder of the PNGs (docs/images)")
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install libreoffice-writer-nogui poppler-utils")
    for path in render(args.out):
        print(f"{path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
