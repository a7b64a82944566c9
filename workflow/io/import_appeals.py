"""Reviews and lawsuits (table 四) from a spreadsheet, against requests already in gongkai: all or nothing.

Each row names its request by reference (and agency, where references repeat across agencies); an
unknown request, a filing before the request was received, a date in a closed year or an appeal
already recorded is a problem of its row, and any problem fails the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session, col

from workflow.app import Gongkai
from workflow.io import tabular
from workflow.io.import_cells import ImportProblems, Problem, Row, Summary, closed_years, frozen_message
from workflow.store import db, history, models
from workflow.store.evidence import ledger
from workflow.store.repository import lock_years_to_write
from workflow.usecases import appeals as appeal_rules

APPEAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("编号", "申请编号"),
    "agency": ("办理机关", "机关"),
    "kind": ("类型", "案件类型", "复议诉讼类型"),
    "filed_on": ("提起日期", "立案日期", "申请复议日期", "起诉日期"),
    "result": ("结果", "审结结果"),
    "concluded_on": ("审结日期", "结案日期"),
    "note": ("备注",),
}
APPEAL_REQUIRED = ("ref", "kind", "filed_on")


@dataclass
class _Appeal:
    number: int
    ref: str
    agency: str | None
    values: dict[str, Any]  # columns of the appeal table; request_id is added once the request is found


def import_appeals(app: Gongkai, path: Path, dry_run: bool = False) -> Summary:
    """Reviews and lawsuits (table 四) against requests already in gongkai, all or nothing."""
    sheet = tabular.stream(path, tabular.alias_table(APPEAL_COLUMNS))
    missing = [c for c in APPEAL_REQUIRED if c not in sheet.columns]
    if missing:
        raise ImportProblems(sheet.name, [Problem(1, c, "缺少此列") for c in missing])
    recorded_at = history.now()
    parsed: list[_Appeal] = []
    problems: list[Problem] = []
    seen: dict[Any, Any] = {}
    rows = 0
    for number, cells in sheet.rows:
        rows += 1
        row = Row(number, cells, seen)
        appeal = _parse_appeal(app, row, f"{sheet.name}:{number}", recorded_at)
        problems.extend(row.problems)
        if appeal is not None:
            parsed.append(appeal)
    with db.unit_of_work(app.engine, write=not dry_run) as session:
        problems.extend(_match_requests(session, parsed))
        if problems:
            raise ImportProblems(sheet.name, problems)
        if not dry_run and parsed:
            table = models.metadata.tables["appeal"]
            ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                  [a.values for a in parsed]).scalars().all()
            ledger.record_inserted(session.connection(), models.Appeal, [{**a.values, "id": i}
                                                                        for a, i in zip(parsed, ids, strict=True)])
    pending = sum(1 for a in parsed if a.values["result"] is None)
    return Summary(sheet.name, sheet.encoding, rows, 0 if dry_run else len(parsed), dry_run,
                   list(sheet.ignored), {"pending": pending, "concluded": len(parsed) - pending})


def _parse_appeal(app: Gongkai, row: Row, source: str, recorded_at: datetime) -> _Appeal | None:
    ref = row.text("ref", required=True)
    kind = row.code("kind", appeal_rules._kind, required=True)
    filed_on = row.date("filed_on", app.today)
    if filed_on is None and not row.problems_in("filed_on"):
        row.problem("filed_on", "不能为空")
    result = row.code("result", appeal_rules._result)
    concluded_on = row.date("concluded_on", app.today)
    if row.text("result") and not row.text("concluded_on"):
        row.problem("concluded_on", "填了结果，须填审结日期")
    if row.text("concluded_on") and not row.text("result"):
        row.problem("result", "填了审结日期，须填结果（结果空白即尚未审结）")
    if filed_on and concluded_on and concluded_on < filed_on:
        row.problem("concluded_on", f"{concluded_on.isoformat()} 早于提起复议诉讼之日"
                                    f"（{filed_on.isoformat()}）")
    agency = row.text("agency") or app.agency
    if app.agency and agency != app.agency:
        row.problem("agency", f"{agency!r} 不是您所在的机关（{app.agency!r}）")
    if row.problems:
        return None
    values = {"kind": kind, "filed_on": filed_on, "result": result, "concluded_on": concluded_on,
              "officer": app.officer, "note": row.text("note") or None, "imported_from": source,
              "recorded_at": recorded_at}
    return _Appeal(row.number, ref, agency, values)


def _match_requests(session: Session, parsed: list[_Appeal]) -> list[Problem]:
    """Find each appeal's request; refuse unknown references, filing before receipt, frozen years, and
    an appeal already recorded (table 四 would count it twice)."""
    found = _requests_by_ref(session, sorted({a.ref for a in parsed}))
    # Held until the import commits: close-year waits for it, or it for close-year (then sees it closed).
    lock_years_to_write(session, {(m[1], day.year) for a in parsed for m in found.get(a.ref, [])
                                  for day in (a.values["filed_on"], a.values["concluded_on"]) if day})
    closed = closed_years(session)
    seen = _appeals_of(session, sorted({m[0] for rows in found.values() for m in rows}))
    problems = []
    for a in parsed:
        matches = [m for m in found.get(a.ref, []) if a.agency is None or m[1] == a.agency]
        if len(matches) != 1:
            where = f"（机关 {a.agency!r}）" if a.agency else ""
            problems.append(Problem(a.number, "ref", f"没有编号为 {a.ref!r} 的申请{where}；请先导入申请"
                                    if not matches else f"多个机关都有编号 {a.ref}；"
                                                        f"请填写机关一列"))
            continue
        request_id, agency, received_on = matches[0]
        filed_on, concluded_on = a.values["filed_on"], a.values["concluded_on"]
        if filed_on < received_on:
            problems.append(Problem(a.number, "filed_on", f"{filed_on.isoformat()} 早于申请 {a.ref} "
                                                          f"的收到日期（{received_on.isoformat()}）"))
        for column, day in (("filed_on", filed_on), ("concluded_on", concluded_on)):
            if day and ((agency, day.year) in closed or ("*", day.year) in closed):
                problems.append(Problem(a.number, column, frozen_message(day.year)))
        key = (request_id, a.values["kind"], filed_on)
        if key in seen:
            again = f"（第 {seen[key]} 行）" if seen[key] else ""
            problems.append(Problem(a.number, "filed_on", f"{a.ref} 于 "
                                                          f"{filed_on.isoformat()} 提起的{appeal_rules.KIND_LABELS.get(str(a.values['kind']), a.values['kind'])}已经登记{again}"))
        seen[key] = a.number
        a.values["request_id"] = request_id
    return problems


def _requests_by_ref(session: Session, refs: list[str]) -> dict[str, list[tuple[int, str, date]]]:
    r = models.Request
    found: dict[str, list[tuple[int, str, date]]] = {}
    for start in range(0, len(refs), 500):
        query = select(col(r.id), col(r.ref), col(r.agency), col(r.received_on)).where(
            col(r.ref).in_(refs[start:start + 500]))
        for request_id, ref, agency, received_on in session.execute(query):
            found.setdefault(ref, []).append((request_id, agency, received_on))
    return found


def _appeals_of(session: Session, request_ids: list[int]) -> dict[tuple[int, str, date], int]:
    """The appeals already recorded, keyed as the file's are checked (0: from the database)."""
    a = models.Appeal
    seen: dict[tuple[int, str, date], int] = {}
    for start in range(0, len(request_ids), 500):
        query = select(col(a.request_id), col(a.kind), col(a.filed_on)).where(
            col(a.request_id).in_(request_ids[start:start + 500]))
        seen.update({(i, kind, filed_on): 0 for i, kind, filed_on in session.execute(query)})
    return seen
