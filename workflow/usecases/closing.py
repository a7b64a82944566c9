"""Year-end: table 二 entered by hand, the year closed (report checked and frozen) or reopened.

Closing stores the report JSON exactly as ``gongkai report YEAR --format json`` prints it, with its
sha256, and records the closing point (``as_of``, the day of closing) that decides which appeal
results count. From then on the unit of work (``workflow.store.unit_of_work``) refuses anything dated in the year, so the
requests can no longer change the frozen figures; ``report`` prints the stored bytes. Closing again
recomputes the report at the same closing point and must find the same bytes. Reopening removes
the freeze and logs who did it and why (``year_log``).

A year that fails its checks is not frozen: the findings are returned as data, with nothing written.
Nor is a year whose report is not complete: until each text section has the office's own text for
the year (``workflow.reports.sections``) and every cell of table 二 has a figure (an explicit 0 is
one), ``close_year`` refuses and names what is missing.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from rules.report.layout import TABLE2_BLOCKS
from workflow.app import Gongkai
from workflow.domain.errors import FrozenYear, InvalidInput
from workflow.reports import compute as report
from workflow.reports import sections
from workflow.store import db, history, models, repository
from workflow.usecases import integrity
from workflow.usecases.agencies import require_supervisor


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _now() -> datetime:
    return history.now()  # UTC, like every recorded timestamp


@dataclass
class Closing:
    year: int
    agency: str
    closed: bool  # frozen now (by this command or before it)
    already: bool = False  # it was closed before this command
    checksum: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    as_of: date | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "agency": self.agency, "closed": self.closed, "already_closed": self.already,
                "checksum": self.checksum, "closed_at": self.closed_at.isoformat() if self.closed_at else None,
                "closed_by": self.closed_by, "as_of": self.as_of.isoformat() if self.as_of else None,
                "checks": self.findings}


def _reproduced(session: Session, row: models.ClosedYear) -> Closing:
    """Closing a closed year again: the same report must come out, byte for byte."""
    as_of = row.as_of or row.closed_at.date()
    again = report.dumps(report.compute_in(session, report.Scope(row.year, row.agency, as_of)).as_json())
    result = Closing(row.year, row.agency, True, True, row.checksum, row.closed_at, row.closed_by, as_of)
    if again != row.report:
        result.findings = [{"check": "frozen", "cell": "", "expected": 0, "actual": 0, "requests": [],
                            "requests_total": 0,
                            "message": f"the frozen report (sha256 {row.checksum[:12]}…) is no longer what the "
                                       f"requests give (sha256 {checksum(again)[:12]}…): the data changed behind "
                                       f"the freeze; reopen the year to see and correct it"}]
    return result


def close_year(app: Gongkai, year: int, all_agencies: bool = False) -> Closing:
    agency = report.scope_agency(app, all_agencies)
    require_supervisor(app.identity, agency, f"结账（close-year {year}）")
    report.check_year(year)
    if app.today <= date(year, 12, 31):
        raise InvalidInput("YEAR", f"{year} 年尚未结束（今天是 {app.today.isoformat()}），不能结账；"
                                   f"可用 gongkai report {year} 预览")
    with app.unit_of_work() as uow:
        session = uow.session
        repository.lock_year_to_close(session, agency, year)  # changes dated in the year wait, or are waited for
        existing = report.frozen(session, agency, year)
        if existing is not None:
            return _reproduced(session, existing)
        computed = report.compute_in(session, report.Scope(year, agency, app.today))
        if computed.checks:
            return Closing(year, agency, False, findings=computed.checks)
        _refuse_incomplete(computed)
        text = report.dumps(computed.as_json())
        digest, now = checksum(text), _now()
        session.add(models.ClosedYear(agency=agency, year=year, closed_at=now, closed_by=app.officer,
                                      checksum=digest, report=text, as_of=app.today))
        session.add(models.YearLog(agency=agency, year=year, action="close", officer=app.officer, at=now,
                                   checksum=digest))
        uow.commit()
    integrity.checkpoint_after(app)  # every chain head as the year closes, signed when a key is configured
    return Closing(year, agency, True, False, digest, now, app.officer, app.today)


def _refuse_incomplete(computed: report.Report) -> None:
    missing = sections.missing(computed)
    if not missing:
        return
    cells = [m.removeprefix("表二 ") for m in missing if m.startswith("表二 ")]
    texts = [m for m in missing if not m.startswith("表二 ")]
    parts = ([f"本机关须自行填写的{'；'.join(texts)}"] if texts else []) + (
        [f"表二 {'、'.join(cells)}（用 gongkai table2 {computed.year} 填报，没有的填 0）"] if cells else [])
    raise InvalidInput("YEAR", f"{computed.year} 年度报告尚不完整，不能结账；缺少："
                               + "；以及".join(parts))


def reopen_year(app: Gongkai, year: int, reason: str, all_agencies: bool = False) -> dict[str, Any]:
    agency = report.scope_agency(app, all_agencies)
    require_supervisor(app.identity, agency, f"重开年度（reopen-year {year}）")
    report.check_year(year)
    why = (reason or "").strip()
    if not why:
        raise InvalidInput("--reason", "重新开放已结转的年度须说明原因（原因会被记录）")
    with app.unit_of_work() as uow:
        session = uow.session
        repository.lock_year_to_close(session, agency, year)  # not while the year is being closed
        row = report.frozen(session, agency, year)
        if row is None:
            raise InvalidInput("YEAR", f"{_who(agency)}的 {year} 年度尚未结转，无须重新开放")
        now = _now()
        session.add(models.YearLog(agency=agency, year=year, action="reopen", officer=app.officer, at=now,
                                   checksum=row.checksum, reason=why))
        session.delete(row)
        uow.commit()
        return {"year": year, "agency": agency, "reopened": True, "checksum": row.checksum,
                "officer": app.officer, "at": now.isoformat(), "reason": why}


def _who(agency: str) -> str:
    return "全平台" if agency == report.ALL else f"机关 {agency!r} "


def log(app: Gongkai, year: int, all_agencies: bool = False) -> list[dict[str, Any]]:
    agency = report.scope_agency(app, all_agencies)
    y = models.YearLog
    query = select(y).where(y.agency == agency, y.year == year).order_by(y.id)  # type: ignore[arg-type]
    with db.unit_of_work(app.engine, write=False) as session:
        return [{"action": e.action, "officer": e.officer, "at": e.at.isoformat(), "checksum": e.checksum,
                 "reason": e.reason} for e in session.execute(query).scalars()]


# -- table 二 ------------------------------------------------------------------------------------

CELLS: dict[tuple[str, str, str], str] = {
    (b.code, r.code, c.code): f"{b.label} {r.label} {c.label}"
    for b in TABLE2_BLOCKS for r in b.rows for c in b.columns
}
AMOUNT = ("article20_8", "administrative_fees", "amount_10k_yuan")
MAX_TABLE2_COUNT = Decimal("10000000")  # documents, decisions or cases of one agency in one year
MAX_TABLE2_AMOUNT = Decimal("100000000")  # 万元 (a trillion yuan)


def _value(key: tuple[str, str, str], value: Any) -> str:
    where = ".".join(key)
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(where, f"{str(value)[:40]!r} 不是数字；应为 0 或正整数") from None
    if isinstance(value, bool) or not d.is_finite() or d < 0:
        raise InvalidInput(where, f"{str(value)[:40]} 不能为负数；应为 0 或正整数")
    limit = MAX_TABLE2_AMOUNT if key == AMOUNT else MAX_TABLE2_COUNT
    if d > limit:
        raise InvalidInput(where, f"{str(value)[:40]} 超过 {limit:,}；应为一个机关一年的数字")
    if key == AMOUNT:
        if d != d.quantize(Decimal("0.0001")):
            raise InvalidInput(where, f"{value} 万元的小数超过四位（1 元为 0.0001 万元）")
        return str(d.normalize()) if d != 0 else "0"
    if d != d.to_integral_value():
        raise InvalidInput(where, f"{value} 不是整数；应为文件或决定的件数")
    return str(int(d))


def read_table2_file(path: Path) -> dict[tuple[str, str, str], Any]:
    """A TOML file laid out like the JSON ``table2``: ``[article20_1.rules]`` then ``issued = 2`` …"""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        raise InvalidInput(str(path), f"无法按 TOML 格式读取：{e}") from None
    out: dict[tuple[str, str, str], Any] = {}
    for block, rows in data.items():
        if not isinstance(rows, dict):
            raise InvalidInput(f"{path}: {block}", "应为 [article20_1.rules] 这样的表")
        for row, columns in rows.items():
            if not isinstance(columns, dict):
                raise InvalidInput(f"{path}: {block}.{row}", "应为“列 = 数值”形式的行")
            for column, value in columns.items():
                out[(block, row, column)] = value
    return out


def enter_table2(app: Gongkai, year: int, values: dict[tuple[str, str, str], Any]) -> dict[str, Any]:
    """Set the given figures of table 二 for the agency's year (others keep their values)."""
    agency = app.agency or app.settings.agency
    require_supervisor(app.identity, agency, f"填报表二（{year}）")
    report.check_year(year)
    for key in values:
        if key not in CELLS:
            raise InvalidInput(".".join(key), f"不是表二的格子；可用："
                                              f"{', '.join('.'.join(k) for k in CELLS)}")
    checked = {key: _value(key, v) for key, v in values.items()}
    e = models.Table2Entry
    with db.unit_of_work(app.engine) as session:
        repository.lock_years_to_write(session, [(agency, year)])  # close-year waits for this, or it for close-year
        for closed in (report.frozen(session, agency, year), report.frozen(session, report.ALL, year)):
            if closed is not None and checked:
                raise FrozenYear(year, "table2")
        for (block, row, column), value in checked.items():
            query = select(e).where(e.agency == agency, e.year == year, e.block == block, e.row_code == row,
                                    e.column_code == column)
            entry = session.execute(query).scalars().first()
            if entry is None:
                entry = models.Table2Entry(agency=agency, year=year, block=block, row_code=row, column_code=column,
                                           value=value, entered_by=app.officer, entered_at=_now())
            entry.value, entry.entered_by, entry.entered_at = value, app.officer, _now()
            session.add(entry)
    with db.unit_of_work(app.engine, write=False) as session:
        return report.table2(session, report.Scope(year, agency, app.today))
