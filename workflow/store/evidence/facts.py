"""What ``verify`` compares beyond the events: the tables against the ledger, and each request's own
columns against its register event.

Each check yields ``(ref, check, detail)``, the detail in Chinese. Examples: the ``closed_year`` row of
ziran's 2025 deleted → ``("ziran/2025", "closed_year", "年度关闭（冻结报告） ziran/2025 已被删除…")``; a
request whose applicant type was changed from 自然人 to 法人 by SQL → ``("2026-0003", "request",
"applicant_type 为 'legal_person'，但登记记录为 'natural_person'")``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from workflow.domain.errors import EvidenceMismatch
from workflow.store import history, models
from workflow.store.evidence import ledger

LABELS = {"agency": "机关", "officer": "工作人员", "appeal": "复议诉讼", "closed_year": "年度关闭（冻结报告）",
          "year_log": "年度关闭日志", "table2_entry": "表二数据"}
Found = tuple[str, str, str]


def _rows(session: Session, tracked: ledger.Tracked, agency: str | None) -> Iterator[Any]:
    model: Any = tracked.model
    if tracked.kind == "appeal":
        query = select(model).join(models.Request, col(models.Request.id) == col(model.request_id))
        if agency is not None:
            query = query.where(models.Request.agency == agency)
    else:
        query = select(model)
        if agency is not None and tracked.kind in ("agency", "officer"):
            return
        if agency is not None:
            query = query.where(model.agency == agency)
    yield from session.execute(query).scalars()


def against_ledger(session: Session, agency: str | None) -> Iterator[Found]:
    """Every ledger chain in scope holds, and every tracked table is what its chain last recorded."""
    scope = None if agency is None else [f"agency:{agency}"]
    expected: dict[tuple[str, str], dict[str, Any]] = {}
    for chain, entries in ledger.chains(session, scope):
        why = ledger.broken(chain, entries)
        if why is not None:
            yield chain, "ledger", f"记录链 {chain}：{why}"
        expected.update(ledger.replayed(entries))
    for tracked in ledger.TRACKED:
        actual = {tracked.key(r): ledger.facts(tracked.kind, r) for r in _rows(session, tracked, agency)}
        label = LABELS[tracked.kind]
        wanted = {k: v for (kind, k), v in expected.items() if kind == tracked.kind}
        for key in sorted(wanted.keys() - actual.keys()):
            yield key, tracked.kind, f"{label} {key} 已被删除（记录链仍记载它）"
        for key in sorted(actual.keys() - wanted.keys()):
            yield key, tracked.kind, f"{label} {key} 不在记录链中（绕过 gongkai 写入）"
        for key in sorted(actual.keys() & wanted.keys()):
            changed = sorted(c for c in actual[key].keys() | wanted[key].keys()
                             if actual[key].get(c) != wanted[key].get(c))
            if changed:
                what = "；".join(f"{c} 现为 {actual[key].get(c)!r}，记录为 {wanted[key].get(c)!r}" for c in changed)
                yield key, tracked.kind, f"{label} {key} 与记录链不符：{what}"


def frozen_reports(session: Session, agency: str | None) -> Iterator[Found]:
    """Each frozen report is still the text its checksum was taken of."""
    query = select(models.ClosedYear)
    if agency is not None:
        query = query.where(models.ClosedYear.agency == agency)
    for row in session.execute(query).scalars():
        problem = report_problem(row)
        if problem:
            yield f"{row.agency}/{row.year}", "report", problem


def report_problem(row: models.ClosedYear, recorded: str | None = None) -> str | None:
    """Why the frozen report cannot be trusted: its text no longer has its checksum, or the checksum is
    not the one the ledger recorded at closing (``recorded``, when looked up)."""
    actual = hashlib.sha256(row.report.encode()).hexdigest()
    if actual != row.checksum:
        return (f"{row.year} 年冻结的年度报告已被改动：内容的 sha256 为 {actual[:12]}…，"
                f"关闭时为 {row.checksum[:12]}…")
    if recorded is not None and recorded != row.checksum:
        return (f"{row.year} 年冻结的年度报告及其校验值已被替换：校验值为 {row.checksum[:12]}…，"
                f"记录链记载关闭时为 {recorded[:12]}…")
    return None


def recorded_checksum(session: Session, row: models.ClosedYear) -> str:
    """The checksum the ledger last recorded for this closed year ("" when it records none)."""
    found = session.execute(text("SELECT payload FROM ledger WHERE kind = 'closed_year' AND key = :k "
                                 "ORDER BY id DESC LIMIT 1"), {"k": f"{row.agency}/{row.year}"}).scalar()
    payload = json.loads(found) if found else None
    return str(payload.get("checksum", "")) if isinstance(payload, dict) else ""


def check_frozen(session: Session, row: models.ClosedYear) -> None:
    """Refuse to print a frozen report that is not the one closed (``gongkai report YEAR``)."""
    problem = report_problem(row, recorded_checksum(session, row))
    if problem:
        raise EvidenceMismatch(f"{problem}；拒绝输出。`gongkai verify` 列出全部发现")


_REF = re.compile(r"^(\d{4})-(\d+)$")
PARTICULARS = "particulars"


FIELDS = ("applicant_name", "subject", "phone", "id_number", "address")


def particulars(values: dict[str, Any], salt: str | None = None) -> str:
    """A salted digest of the applicant's particulars, which the register event carries instead of them."""
    salt = salt or secrets.token_hex(8)
    content = history.canonical({f: values.get(f) for f in FIELDS})
    return f"{salt}${hashlib.sha256((salt + content).encode()).hexdigest()}"


def shown(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An event's payload as ``show`` and ``audit`` print it: the particulars' digest is evidence, not news."""
    return {k: v for k, v in payload.items() if k != PARTICULARS}


def against_register(row: models.Request, register: models.Event, payload: dict[str, Any]) -> Iterator[Found]:
    """The request's own columns are what its register event recorded."""
    recorded = {"channel": payload.get("channel"), "applicant_type": payload.get("applicant_type"),
                "imported_from": payload.get("imported_from"), "officer": register.officer}
    for column, value in recorded.items():
        if getattr(row, column) != value:
            yield row.ref, "request", f"{column} 为 {getattr(row, column)!r}，但登记记录为 {value!r}"
    numbered = _REF.match(row.ref)
    if numbered and (row.year, row.seq) != (int(numbered[1]), int(numbered[2])):
        yield row.ref, "request", f"年度和编号为 {row.year}-{row.seq}，与编号 {row.ref} 不符"
    digest = payload.get(PARTICULARS)
    if isinstance(digest, str) and "$" in digest and particulars({f: getattr(row, f) for f in FIELDS}, digest.split("$", 1)[0]) != digest:
        yield row.ref, "request", "申请人姓名、内容描述或个人信息（电话、证件号、地址）与登记时不符"
