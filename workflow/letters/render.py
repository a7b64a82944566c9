"""Letter templates, filled in, and their two renderings: DOCX (python-docx) and plain text.

A template is a UTF-8 text file, one paragraph per line (the format is in ``config/notices/README.md``):
``#`` starts a comment line, the first other line is the title (centred), a line starting with
``<`` is set flush left (the addressee), one starting with ``>`` flush right (the letter's number),
one starting with ``^`` belongs to the signing block (the agency's name, then the date: GB/T 9704
7.3.5.1, the date 右空四字 and the name centred over it, under the seal the office stamps), an empty line is an empty paragraph, and every other line is a body paragraph with a
two-character first-line indent. ``{name}`` is replaced by a field of the letter; a line whose
fields are all empty is left out, so optional paragraphs (details, contact) simply disappear.

The office's own copy, ``notices/NAME.txt`` in the configuration directory, replaces the shipped
``config/notices/NAME.txt``.
"""

from __future__ import annotations

import dataclasses
import io
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import config
from workflow.domain.errors import InvalidInput
from workflow.settings import config_dir

FORMATS = ("docx", "text")
BODY_FONT, TITLE_FONT = "仿宋", "方正小标宋简体"  # the GB/T 9704 faces; a machine without them substitutes
PAGE_FONT = "宋体"


@dataclass(frozen=True)
class Letter:
    kind: str
    title: str
    ref: str
    template: str
    about: int  # seq of the event the letter is about
    lines: tuple[tuple[str, str], ...]  # (title | left | right | sign | body | blank, text)
    dates: dict[str, str]
    warnings: tuple[str, ...]

    def text(self) -> str:
        """All the words of the letter, for searching (tests, previews)."""
        return "\n".join(t for _, t in self.lines)


def template_path(name: str) -> Path:
    own = config_dir() / "notices" / f"{name}.txt"
    return own if own.is_file() else config.DIR / "notices" / f"{name}.txt"


def _placeholders(path: Path, number: int, line: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(line) if name is not None]
    except ValueError as e:
        raise InvalidInput(f"{path}:{number}", f"{e}；字段写作 {{name}}，花括号本身写作 {{{{ }}}}") from None


def fill(template: str, values: dict[str, str], kind: str, title: str, ref: str, about: int,
         dates: dict[str, str], warnings: list[str]) -> Letter:
    """The template ``template`` with ``values`` filled in, as the paragraphs of a letter."""
    path = template_path(template)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InvalidInput(str(path), f"无法读取文书模板：{e.strerror}") from None
    out: list[tuple[str, str]] = []
    for number, line in enumerate(raw.splitlines(), 1):
        if line.startswith("#") or (not out and not line.strip()):
            continue
        names = _placeholders(path, number, line)
        unknown = [n for n in names if n not in values]
        if unknown:
            raise InvalidInput(f"{path}:{number}", f"不认识的字段 {{{unknown[0]}}}；这份文书可用的字段："
                                                   f"{', '.join('{' + k + '}' for k in sorted(values))}")
        if names and not any(values[n] for n in names):
            continue
        if not out:
            align, body = "title", line
        elif line and line[0] in "<>^":
            align, body = {"<": "left", ">": "right", "^": "sign"}[line[0]], line[1:]
        else:
            align, body = ("body" if line.strip() else "blank"), line
        for part in body.format_map(values).split("\n"):
            out.append((align, part.strip()))
    while out and out[-1][0] == "blank":
        out.pop()
    return Letter(kind, title, ref, template, about, tuple(out), dict(dates), tuple(warnings))


def marked(letter: Letter, mark: str) -> Letter:
    """The letter with ``mark`` (草稿, 副本) set flush right under its title."""
    lines = letter.lines[:1] + (("right", f"【{mark}】"),) + letter.lines[1:]
    return dataclasses.replace(letter, lines=lines)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _signers(letter: Letter) -> list[int]:
    return [i for i, (align, _) in enumerate(letter.lines) if align == "sign"]


def _sign_indents(letter: Letter) -> list[int]:
    """Each signing line's right indent in half-width columns (GB/T 9704 7.3.5.1): the date (the last
    line) 右空四字 and the names centred over it; a name longer than that is 右空二字 and the date
    centred under it."""
    texts = [letter.lines[i][1] for i in _signers(letter)]
    if not texts:
        return []
    widths = [_width(t) for t in texts]
    date_width, widest = widths[-1], max(widths)
    centre = 8 + date_width / 2  # the date's middle, from the right margin
    if widest / 2 > centre - 4:
        centre = 4 + widest / 2
    return [max(0, round(centre - w / 2)) for w in widths]


def _kept_together(letter: Letter) -> set[int]:
    """The lines that stay on the page of the next one: the signing block is never alone on a page
    (GB/T 9704 7.3.5: no page with only the name and date), so the last line of text goes with it."""
    signs = _signers(letter)
    if not signs:
        return set()
    last_text = max((i for i, (align, _) in enumerate(letter.lines[:signs[0]]) if align != "blank"), default=signs[0])
    return set(range(last_text, signs[-1]))


def to_text(letter: Letter, width: int = 72) -> str:
    """Plain text: the title centred, flush-right lines pushed right, body paragraphs indented."""
    lines: list[str] = []
    indents = dict(zip(_signers(letter), _sign_indents(letter), strict=True))
    for i, (align, text) in enumerate(letter.lines):
        pad = max(0, width - _width(text))
        if align == "sign":
            lines.append(" " * max(0, pad - indents[i]) + text)
        elif align == "title":
            lines.extend([" " * (pad // 2) + text, ""])
        elif align == "right":
            lines.append(" " * pad + text)
        elif align == "body":
            lines.append("　　" + text)
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


def to_docx(letter: Letter) -> bytes:
    """A DOCX in the layout of GB/T 9704 (党政机关公文格式): A4, margins 37/35/28/26 mm, body 仿宋 三号
    (16 pt) in black on a 28.95 pt line (22 lines of 28 characters), the title 小标宋 二号 (22 pt)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = BODY_FONT, Pt(16), RGBColor(0, 0, 0)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.95)
    normal.paragraph_format.space_after = normal.paragraph_format.space_before = Pt(0)
    indents = dict(zip(_signers(letter), _sign_indents(letter), strict=True))
    together = _kept_together(letter)
    for i, (align, text) in enumerate(letter.lines):
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = i in together
        p.paragraph_format.widow_control = True
        run = p.add_run(text)
        run.font.color.rgb = RGBColor(0, 0, 0)
        if align == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold, run.font.size, run.font.name = True, Pt(22), TITLE_FONT
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TITLE_FONT)
            p.paragraph_format.line_spacing = Pt(36)
        elif align == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "sign":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(8 * indents[i])  # a half-width column of 三号 is 8 pt
        elif align == "body":
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Pt(32)
    _page_numbers(doc)
    doc.core_properties.title = f"{letter.title}（{letter.ref}）"
    doc.core_properties.author = "gongkai"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_numbers(doc: Any) -> None:
    """GB/T 9704 7.5: the page number as "— 1 —" in 4号 (14 pt) 半角宋体 under the text area (7 mm below
    it), odd pages 居右空一字, even pages 居左空一字."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        section.footer_distance = Mm(23)  # 35 mm margin − 7 mm − the 14 pt line
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                           WD_ALIGN_PARAGRAPH.LEFT)):
            p = footer.paragraphs[0]
            p.alignment = align
            p.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
            p.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing = Pt(16)
            for part in ("— ", None, " —"):
                _footer_run(p, part)


def _footer_run(p: Any, text: str | None) -> None:
    """A run of 宋体 14 pt: ``text``, or (None) the PAGE field."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(t: str = "") -> Any:
        r = p.add_run(t)
        r.font.size, r.font.name = Pt(14), PAGE_FONT
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), PAGE_FONT)
        return r

    if text is not None:
        run(text)
        return
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif instr == "1":
            r.text = "1"
            continue
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
        r._element.append(el)
