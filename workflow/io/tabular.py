"""Reading and writing the spreadsheets offices keep: .csv (as Chinese Excel saves it) and .xlsx.

Offices' sheets arrive in three encodings: UTF-8, UTF-8 with a byte-order mark (Excel's "CSV UTF-8"),
and GB18030 (Excel's plain "CSV" on a Chinese Windows, a superset of GBK and GB2312). A file is read
as UTF-8 first and as GB18030 when that fails; a GB18030 file of Chinese text is practically never
valid UTF-8, so the guess is safe. Headers are matched through alias tables (``收到日期`` →
``received_on``) after trimming spaces, so the same reader serves requests and appeals.

Writing neutralises formula injection (OWASP "CSV injection"): a cell a spreadsheet would evaluate,
one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, gets a leading ``'``.
Reading takes that quote off again, so an export imports back to the same text.
Example: a subject ``=HYPERLINK("http://x","点击")`` is written ``'=HYPERLINK("http://x","点击")``.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from workflow.domain.errors import InvalidInput

FORMATS = (".csv", ".xlsx")
MAX_CELL = csv.field_size_limit()  # 131,072 characters: what the csv module refuses, .xlsx cells too
# A workbook is a zip of XML: before it is parsed, what it would decompress to is bounded. The shared
# strings are read whole into memory (the sheets are streamed), so they are bounded more tightly.
MAX_XLSX_BYTES = 1 << 30
MAX_SHARED_STRINGS_BYTES = 64 << 20
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    """A file's rows as text, keyed by canonical column name, with spreadsheet row numbers."""

    name: str
    columns: tuple[str, ...]  # canonical names, in file order
    ignored: tuple[str, ...]  # headers that match no known column
    encoding: str  # utf-8, utf-8-sig, gb18030 or xlsx
    rows: Iterable[tuple[int, dict[str, str]]]  # (row number as the spreadsheet shows it, cells)
    size: int = 0  # how much there is to read: bytes of a .csv, rows of an .xlsx (0: unknown)
    position: Callable[[], int] = lambda: 0  # how much has been read, in the same unit


def check_format(path: Path) -> None:
    _format(path)


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput("FILE", f"{path.name}：应为 .csv 或 .xlsx 文件，而不是 {suffix or '无扩展名'!r}")
    return suffix


def read(path: Path, aliases: Mapping[str, str]) -> Sheet:
    """Every non-blank row of the file's first sheet, with headers mapped through ``aliases``."""
    sheet = stream(path, aliases)
    return replace(sheet, rows=list(sheet.rows))


def stream(path: Path, aliases: Mapping[str, str]) -> Sheet:
    """As :func:`read`, but the rows are read as they are iterated (once), so a file of a million rows
    never has to be held in memory; an unreadable row raises InvalidInput naming it."""
    if not path.is_file():
        raise InvalidInput("FILE", f"{path} 不存在或不是文件")
    if _format(path) == ".csv":
        encoding, records, size, position = _csv_records(path)
    else:
        encoding, records, size, position = _xlsx_records(path)
    header = next(records, None)
    if header is None:
        raise InvalidInput("FILE", f"{path.name} 是空的；第一行应为表头")
    columns, ignored = _columns(header, aliases, path.name)
    return Sheet(path.name, tuple(c for c in columns if c), tuple(ignored), encoding,
                 _checked(_rows(records, columns), dict(zip(columns, header, strict=False)), path.name), size, position)


def _checked(rows: Iterator[tuple[int, dict[str, str]]], headers: Mapping[str, str],
             name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows whose every cell gongkai reads is text it can store and print again (``domain.text``)."""
    from workflow.domain import text

    for number, cells in rows:
        for column, value in cells.items():
            if found := text.problem(value):
                raise InvalidInput(f"{name} 第 {number} 行 {headers.get(column, column).strip()!r} 列",
                                   f"{text.shown(value)} {found}")
        yield number, cells


def _rows(records: Iterator[list[str]], columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    known = [i for i, c in enumerate(columns) if c]
    if not known:  # no column gongkai reads: every row is blank to it
        return
    names = [columns[i] for i in known]
    take = itemgetter(*known) if len(known) > 1 else lambda r: (r[known[0]],)
    width = max(known) + 1
    for number, record in enumerate(records, start=2):
        if len(record) < width:  # a short row: the cells it lacks are blank
            record = record + [""] * (width - len(record))
        texts = [v if v[:1] != "'" else unquote(v) for v in map(str.strip, take(record))]
        if any(texts):
            yield number, dict(zip(names, texts, strict=True))


def _columns(header: Sequence[str], aliases: Mapping[str, str], name: str) -> tuple[list[str], list[str]]:
    columns: list[str] = []
    ignored: list[str] = []
    for cell in header:
        key = _header_key(cell)
        canonical = aliases.get(key, "")
        if canonical and canonical in columns:
            raise InvalidInput(f"{name} 第 1 行", f"有两列都表示 {canonical!r}（第二列是 {cell!r}）；请删去其中一列")
        if not canonical and key:
            ignored.append(cell.strip())
        columns.append(canonical)
    return columns, ignored


def _header_key(text: str) -> str:
    return "".join(text.split()).lower().replace("（", "(").replace("）", ")").replace("-", "_")


def alias_table(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{"received_on": ["收到日期", …]}`` as a lookup from every spelling to the canonical name."""
    out: dict[str, str] = {}
    for canonical, spellings in names.items():
        for spelling in (canonical, *spellings):
            out[_header_key(spelling)] = canonical
    return out


def _csv_records(path: Path) -> tuple[str, Iterator[list[str]], int, Callable[[], int]]:
    encoding = _csv_encoding(path)
    size = path.stat().st_size
    raw = path.open("rb")
    f = io.TextIOWrapper(raw, encoding=encoding, newline="")

    def records() -> Iterator[list[str]]:
        with f:
            reader = csv.reader(f)
            try:
                yield from reader
            except csv.Error as e:
                raise InvalidInput("FILE", f"{path.name} 第 {reader.line_num} 行：{e}；请在 Excel 中重新另存为"
                                           f" \"CSV UTF-8\" 或 .xlsx") from None

    return encoding, records(), size, raw.tell


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without its byte-order mark), else GB18030: the first that reads the whole file."""
    with path.open("rb") as f:
        encodings = ["utf-8-sig"] if f.read(3) == codecs.BOM_UTF8 else ["utf-8", "gb18030"]
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InvalidInput("FILE", f"{path.name} 既不是 UTF-8 也不是 GB18030 编码的文本；请在 Excel 中另存为"
                               f" \"CSV UTF-8\" 或 .xlsx")


def _xlsx_records(path: Path) -> tuple[str, Iterator[list[str]], int, Callable[[], int]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    _check_decompressed_size(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        size = sheet.max_row or 0
    except (BadZipFile, OSError, KeyError, ValueError, IndexError) as e:
        raise InvalidInput("FILE", f"{path.name} 不是可读取的 .xlsx 工作簿（{e}）") from None
    done = [0]

    def records() -> Iterator[list[str]]:
        try:
            for values in sheet.iter_rows(values_only=True):
                done[0] += 1
                texts = [cell_text(v) for v in values]
                if any(len(t) > MAX_CELL for t in texts):
                    column = next(i for i, t in enumerate(texts) if len(t) > MAX_CELL)
                    raise InvalidInput(f"{path.name} 第 {done[0]} 行第 {column + 1} 列",
                                       f"单元格超过 {MAX_CELL:,} 个字符；每个单元格最多 {MAX_CELL:,} 个字符")
                yield texts
        except (BadZipFile, OSError, KeyError, ValueError) as e:
            raise InvalidInput("FILE", f"{path.name} 第 {done[0] + 1} 行：无法读取的 .xlsx 行（{e}）") from None
        finally:
            book.close()

    return "xlsx", records(), size, lambda: done[0]


def _check_decompressed_size(path: Path) -> None:
    """Refuse a workbook that would decompress to more than gongkai will read, before parsing it (a
    1 MB file can hold a 1 GB shared string). The sizes are the zip's own: reading stops at them."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(path) as z:
            infos = z.infolist()
    except (BadZipFile, OSError) as e:
        raise InvalidInput("FILE", f"{path.name} 不是可读取的 .xlsx 工作簿（{e}）") from None
    total = sum(i.file_size for i in infos)
    shared = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if total > MAX_XLSX_BYTES or shared > MAX_SHARED_STRINGS_BYTES:
        raise InvalidInput("FILE", f"{path.name} 解压后有 {total:,} 字节（其中共享文本 {shared:,}）；"
                                   f"最多 {MAX_XLSX_BYTES:,} 字节（共享文本 {MAX_SHARED_STRINGS_BYTES:,}）："
                                   "请拆分为几个较小的工作簿")


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person reads in it: dates as YYYY-MM-DD, 20.0 as 20."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def neutralise(text: str) -> str:
    """A cell no spreadsheet will evaluate as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unquote(text: str) -> str:
    """Undo :func:`neutralise` (a quote followed by a formula start is ours)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


Value = str | int | date | None


def write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Value]], sheet_name: str = "sheet",
          like: Path | None = None) -> int:
    """Write a header and rows; .csv as UTF-8 with BOM (which Excel opens correctly), .xlsx with real
    date and number cells, as the name ``like`` says (default ``path``: a temporary file is written as
    its final name says). Returns the number of rows written."""
    if _format(like or path) == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            count = 0
            for row in rows:
                out.writerow([_csv_cell(v) for v in row])
                count += 1
        return count
    return _write_xlsx(path, header, rows, sheet_name)


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else cell_text(value)


def _write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Value]], sheet_name: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append(list(header))
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count
