"""docs/render_images.py, which makes the README's pictures of the report and a letter, runs end to end.

It builds the demo year 2025, closes it through the command line and renders the closed year's DOCX
report and a 予以公开 reply with LibreOffice; each picture is one A4 page at 80 dpi, under 300 KB.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                    reason="needs LibreOffice and poppler-utils (apt-get install libreoffice-writer-nogui poppler-utils)")
def test_the_readme_images_are_made_again_from_the_demo_year(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "docs" / "render_images.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["letter-reply.png", "report-2025.png"]
    for name in written:
        path = tmp_path / name
        assert path.stat().st_size < 300 * 1024
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert (image.width, image.height) in ((661, 935), (662, 935), (662, 936))  # A4 at 80 dpi
            darkest = image.convert("L").getextrema()[0]
            assert isinstance(darkest, int) and darkest < 64  # something is printed on it, not a blank page
    for name in written:  # the README shows the pictures the script makes
        assert f"docs/images/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")
