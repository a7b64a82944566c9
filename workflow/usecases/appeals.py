"""Administrative reviews and lawsuits against a request's handling, counted in table 四.

Each appeal is counted in the year it was filed, with its result as known when the year is closed
(尚未审结 while pending). Litigation is split by whether a review came first (spec §3.6 C4); where the
review body is co-defendant, only the original agency's case is counted (C3), so one lawsuit is one
appeal here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.report.layout import APPEAL_KINDS, APPEAL_RESULTS, TABLE4_BLOCKS, TABLE4_COLUMNS
from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.store import history, models
from workflow.store.unit_of_work import UnitOfWork

KIND_LABELS = {b.code: (f"{b.group}·" if b.group else "") + b.label for b in TABLE4_BLOCKS}
RESULT_LABELS = {c.code: c.label for c in TABLE4_COLUMNS if c.code in APPEAL_RESULTS}


def _kind(value: str) -> str:
    aliases = {"行政复议": "review", "复议": "review", "未经复议直接起诉": "litigation_direct",
               "直接起诉": "litigation_direct", "复议后起诉": "litigation_after_review"}
    kind = aliases.get(value.strip(), value.strip())
    if kind not in APPEAL_KINDS:
        raise InvalidInput("--kind", f"{value!r} 不是复议诉讼类型；可用：行政复议（review）、"
                                     f"直接起诉（litigation_direct）、复议后起诉（litigation_after_review）")
    return kind


def _result(value: str) -> str:
    aliases = {"结果维持": "upheld", "维持": "upheld", "结果纠正": "corrected", "纠正": "corrected",
               "其他结果": "other", "其他": "other"}
    result = aliases.get(value.strip(), value.strip())
    if result not in APPEAL_RESULTS:
        raise InvalidInput("--result", f"{value!r} 不是复议诉讼结果；可用：维持（upheld）、纠正（corrected）、其他（other）")
    return result


def file_in(app: Gongkai, uow: UnitOfWork, ref: str, kind: str, filed_on: date,
            note: str | None = None, imported_from: str | None = None) -> models.Appeal:
    case = uow.requests.get(ref, app.agency)
    row = uow.requests.row(case)
    if filed_on < row.received_on:
        raise InvalidInput("--filed-on", f"{filed_on.isoformat()} 早于收到申请之日"
                                         f"（{row.received_on.isoformat()}）")
    if filed_on > app.today:
        raise InvalidInput("--filed-on", f"{filed_on.isoformat()} 晚于今天（{app.today.isoformat()}）")
    uow.check_year(row.agency, filed_on, "appeal")
    assert row.id is not None
    return uow.appeals.add(models.Appeal(request_id=row.id, kind=_kind(kind), filed_on=filed_on,
                                         officer=app.officer, note=note, imported_from=imported_from,
                                         recorded_at=history.now()))


def conclude_in(app: Gongkai, uow: UnitOfWork, appeal: models.Appeal, row: models.Request, result: str,
                concluded_on: date) -> None:
    if appeal.result is not None:
        raise InvalidInput("appeal", f"复议诉讼 {appeal.id} 已经结案（{RESULT_LABELS.get(appeal.result, appeal.result)}）")
    if concluded_on < appeal.filed_on:
        raise InvalidInput("--on", f"{concluded_on.isoformat()} 早于提起复议诉讼之日"
                                   f"（{appeal.filed_on.isoformat()}）")
    if concluded_on > app.today:
        raise InvalidInput("--on", f"{concluded_on.isoformat()} 晚于今天（{app.today.isoformat()}）")
    uow.check_year(row.agency, concluded_on, "appeal conclude")
    appeal.result = _result(result)
    appeal.concluded_on = concluded_on


def file(app: Gongkai, ref: str, kind: str, filed_on: date, note: str | None = None) -> int:
    with app.unit_of_work() as uow:
        appeal = file_in(app, uow, ref, kind, filed_on, note)
        uow.commit()
        assert appeal.id is not None
        return appeal.id


def _get(app: Gongkai, uow: UnitOfWork, appeal_id: int) -> tuple[models.Appeal, models.Request]:
    found = uow.appeals.get(appeal_id)
    if found is None or (app.agency is not None and found[1].agency != app.agency):
        raise InvalidInput("ID", f"没有编号为 {appeal_id} 的复议诉讼；gongkai appeal list 申请编号 列出该申请的复议诉讼")
    return found


def conclude(app: Gongkai, appeal_id: int, result: str, concluded_on: date) -> None:
    conclude_shown(app, appeal_id, result, concluded_on)


def of_request(app: Gongkai, ref: str) -> list[models.Appeal]:
    with app.unit_of_work(write=False) as uow:
        row = uow.requests.row(uow.requests.get(ref, app.agency))
        assert row.id is not None
        return uow.appeals.of_request(row.id)


def shown(appeal: models.Appeal, ref: str) -> dict[str, Any]:
    """An appeal as ``--json`` prints it (stable keys, ISO dates)."""
    return {
        "id": appeal.id, "ref": ref, "kind": appeal.kind, "kind_label": KIND_LABELS.get(appeal.kind, appeal.kind),
        "filed_on": appeal.filed_on.isoformat(), "result": appeal.result,
        "result_label": RESULT_LABELS.get(appeal.result, appeal.result) if appeal.result else "尚未审结",
        "concluded_on": appeal.concluded_on.isoformat() if appeal.concluded_on else None,
        "officer": appeal.officer, "note": appeal.note,
    }


def file_shown(app: Gongkai, ref: str, kind: str, filed_on: date, note: str | None = None) -> dict[str, Any]:
    with app.unit_of_work() as uow:
        appeal = file_in(app, uow, ref, kind, filed_on, note)
        uow.commit()
        return shown(appeal, ref)


def conclude_shown(app: Gongkai, appeal_id: int, result: str, concluded_on: date) -> dict[str, Any]:
    with app.unit_of_work() as uow:
        appeal, row = _get(app, uow, appeal_id)
        conclude_in(app, uow, appeal, row, result, concluded_on)
        uow.commit()
        return shown(appeal, row.ref)


def listing(app: Gongkai, ref: str) -> list[dict[str, Any]]:
    return [shown(a, ref) for a in of_request(app, ref)]
