"""``gongkai verify``: the history is complete, unaltered, and agrees with what the rows say.

Request records are evidence in reviews and lawsuits. Three independent checks, each a finding
(ref, what, detail), never an exception:

* the hash chain of each request's events: an edited, inserted or deleted event breaks it;
* the numbering of each agency's year: a deleted request leaves a gap (below an imported reference,
  only the numbers that register must have given count); a voided one does not (``gongkai void`` keeps its row and number, and its history says who and why);
* the replay: the state, outcome and deadlines that the events give must equal the cached row and
  deadline rows, so a row edited behind gongkai's back is caught too; the request's own columns
  (channel, applicant type, registering officer, particulars) must be what its register event says.

Then every fact outside the requests (``workflow.store.evidence``): the ledger's chains hold and the
agencies, officers, appeals, closed years, year log and table 二 are what they last recorded; each
frozen report still has its checksum; and the newest checkpoint (signed, when a public key is
configured) still agrees with the events and chains as they are now, so a history rewritten and
re-hashed with the project's own function is caught too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from workflow.app import Gongkai
from workflow.domain.errors import GongkaiError, InvalidInput
from workflow.domain.lifecycle import Case
from workflow.store import db, history, models
from workflow.store.evidence import checkpoints, facts

LABELS = {"chain": "办理记录链", "numbering": "编号", "replay": "重放", "request": "申请登记项",
          "ledger": "记录链", "report": "冻结报告", "checkpoint": "签名检查点", **facts.LABELS}


@dataclass(frozen=True)
class Finding:
    ref: str
    check: str  # chain | numbering | replay | request | ledger | report | checkpoint | a table of the ledger
    detail: str

    @property
    def label(self) -> str:
        """The check's name in Chinese, as ``verify`` prints it."""
        return LABELS.get(self.check, self.check)


def _chain(row: models.Request, events: list[models.Event]) -> Iterator[Finding]:
    prev = history.GENESIS
    for expected_seq, e in enumerate(events, start=1):
        if e.seq != expected_seq:
            yield Finding(row.ref, "chain", f"event #{expected_seq} is missing (found #{e.seq} in its place)")
            return
        if e.prev_hash != prev:
            yield Finding(row.ref, "chain", f"event #{e.seq} does not follow event #{e.seq - 1} (chain broken)")
            return
        try:
            recomputed = history.event_hash(prev, row.agency, row.ref, e.seq, e.action, e.occurred_on,
                                            e.recorded_at, e.officer, e.payload)
        except (ValueError, TypeError):
            recomputed = ""
        if recomputed != e.hash:
            yield Finding(row.ref, "chain", f"event #{e.seq} ({e.action}) was altered after it was recorded")
            return
        prev = e.hash
    if prev != row.last_hash:
        yield Finding(row.ref, "chain", "the newest event(s) were removed: the request row records a later hash")


def _replay(app: Gongkai, session: Session, row: models.Request, events: list[models.Event]) -> Iterator[Finding]:
    try:
        case = Case.replay(row.ref, [history.to_domain(e) for e in events], app.context)
    except (GongkaiError, KeyError, ValueError, StopIteration, json.JSONDecodeError) as e:
        yield Finding(row.ref, "replay", f"the history does not replay: {e}")
        return
    if case.received_on != row.received_on:
        yield Finding(row.ref, "replay", f"received_on is {row.received_on} but the history says {case.received_on}")
    cached = history.cached_columns(case)
    stored_deadlines = sorted(
        (d.kind, d.key, d.due_on.isoformat()) for d in
        session.execute(select(models.Deadline).where(models.Deadline.request_id == row.id)).scalars())
    expected = sorted((d.kind, d.key, d.due.isoformat()) for d in cached.pop("_deadlines"))
    for column, value in cached.items():
        if getattr(row, column) != value:
            yield Finding(row.ref, "replay", f"{column} is {getattr(row, column)!r} but the history gives {value!r}")
    if stored_deadlines != expected:
        yield Finding(row.ref, "replay", f"deadline rows {stored_deadlines} differ from the history's {expected}")
    register = events[0]
    for ref, check, detail in facts.against_register(row, register, json.loads(register.payload)):
        yield Finding(ref, check, detail)


def _numbering(rows: list[models.Request]) -> Iterator[Finding]:
    """Numbers that certainly existed and are gone. ``register`` numbers max + 1, so a registered
    request numbered n means n - 1 existed then; in an agency's year with no imported request every
    number up to the highest was given that way, so every gap is a deletion. An imported reference
    (2026-0042) leaves the numbers below it to the office's old ledger: no alarm for them. One finding
    per gap, never one per number, so a reference like 2026-999999999 costs nothing."""
    years: dict[tuple[str, int], list[tuple[int, bool]]] = defaultdict(list)
    for r in rows:
        years[(r.agency, r.year)].append((r.seq, bool(r.imported_from)))
    for (agency, year), numbered in sorted(years.items()):
        numbered.sort()
        any_imported = any(imported for _, imported in numbered)
        previous = 0
        for seq, imported in numbered:
            if seq > previous + 1:
                if not any_imported:
                    yield _missing(agency, year, previous + 1, seq - 1)
                elif not imported:
                    yield _missing(agency, year, seq - 1, seq - 1)
            previous = max(previous, seq)


def _missing(agency: str, year: int, first: int, last: int) -> Finding:
    ref = f"{year}-{first:04d}"
    if first == last:
        return Finding(ref, "numbering", f"request {ref} of agency {agency!r} is missing (deleted?)")
    return Finding(ref, "numbering", f"requests {ref} to {year}-{last:04d} ({last - first + 1} numbers) of agency "
                                     f"{agency!r} are missing (deleted?)")


def verify(app: Gongkai, against_file: bool = True) -> tuple[int, list[Finding]]:
    """Check every request the actor may see; returns (requests checked, findings). ``against_file=False``
    leaves out the checkpoint file outside the database (a backup about to be restored is older than it)."""
    findings: list[Finding] = []
    with db.unit_of_work(app.engine, write=False) as session:
        query = select(models.Request).order_by(col(models.Request.id))
        if app.agency:
            query = query.where(models.Request.agency == app.agency)
        rows = list(session.execute(query).scalars())
        by_id = {r.id: r for r in rows}
        events = session.execute(select(models.Event).order_by(col(models.Event.request_id), col(models.Event.seq)))
        seen: set[int] = set()
        for request_id, group in groupby(events.scalars(), key=lambda e: e.request_id):
            row = by_id.get(request_id)
            if row is None:
                continue
            seen.add(request_id)
            evs = list(group)
            findings.extend(_chain(row, evs))
            findings.extend(_replay(app, session, row, evs))
        for r in rows:
            if r.id not in seen:
                findings.append(Finding(r.ref, "chain", "该申请没有任何办理记录"))
        findings.extend(_numbering(rows))
        found = [*facts.against_ledger(session, app.agency), *facts.frozen_reports(session, app.agency)]
        findings.extend(Finding(*f) for f in found)
        findings.extend(_checkpoints(app, session, against_file))
    return len(rows), findings


def _checkpoints(app: Gongkai, session: Session, against_file: bool) -> Iterator[Finding]:
    """The newest checkpoint in the database and the newest validly signed one in the file still agree
    with the events and chains as they are now."""
    _, public, log = app.settings.evidence_paths
    keyed = public.is_file()
    pinned: list[tuple[str, str]] = []
    for n, line in enumerate(checkpoints.from_file(log) if keyed and against_file else [], start=1):
        if checkpoints.signed_by(public, line["body"], line.get("signature", "")):
            pinned[1:] = [(f"{log.name} 第 {n} 行", line["body"])]
        else:
            yield Finding(f"{log.name}:{n}", "checkpoint", f"检查点文件第 {n} 行的签名无效（被伪造或改动）")
    newest = session.execute(select(models.Checkpoint).order_by(col(models.Checkpoint.id).desc()).limit(1)).first()
    if newest is not None:
        row = newest[0]
        if keyed and row.signature and not checkpoints.signed_by(public, row.body, row.signature):
            yield Finding(f"checkpoint {row.id}", "checkpoint", f"数据库中第 {row.id} 个检查点的签名无效（被伪造或改动）")
        elif not pinned or pinned[-1][1] != row.body:
            pinned.insert(0, (f"数据库检查点 {row.id}", row.body))
    ledger_at = checkpoints.ledger_hashes(session)
    for where, body in pinned:
        then = json.loads(body)
        now = {**checkpoints.heads(session, int(then.get("max_event", 0)), app.agency), "ledger_at": ledger_at}
        for detail in checkpoints.differences(then, now, app.agency):
            yield Finding(where, "checkpoint", f"{detail}（检查点 {then.get('at', '')}）")


def signing_note(app: Gongkai) -> str:
    """Whether ``verify`` could check signatures, said plainly."""
    private, public, log = app.settings.evidence_paths
    if not public.is_file():
        return (f"未配置签名密钥（{public} 不存在）：被人用 SQL 改动并整条重算的记录链无法识别；"
                f"`gongkai evidence init` 生成密钥")
    return f"签名检查点：公钥 {public}，检查点文件 {log}（{len(checkpoints.from_file(log))} 个）"


def checkpoint(app: Gongkai) -> models.Checkpoint:
    """Take a checkpoint of every chain head now: signed, stored and appended to the file when the
    private key is configured; stored unsigned otherwise (the daily sweep, ``close-year``)."""
    with db.unit_of_work(app.engine) as session:
        row = checkpoints.take(session, checkpoints.Keys(*app.settings.evidence_paths))
        session.flush()
        return row


def checkpoint_after(app: Gongkai) -> bool:
    """A checkpoint after a change that is already saved (``close-year``, the sweep): a checkpoint that
    cannot be taken (a database role without the privilege, a full disk) must not turn the saved change
    into an error; ``gongkai evidence checkpoint`` says why. Returns whether one was taken."""
    try:
        checkpoint(app)
    except (GongkaiError, SQLAlchemyError, OSError):
        return False
    return True


def evidence_init(app: Gongkai, directory: Path | None, force: bool) -> tuple[Path, Path]:
    """Write the signing key pair (``gongkai evidence init``), by default where the settings look."""
    private, public, _ = app.settings.evidence_paths
    if directory is None and private.parent != public.parent:
        raise InvalidInput("--dir", f"私钥（{private}）和公钥（{public}）设在不同的文件夹；"
                                    f"请用 --dir 指定一个文件夹，并在 gongkai.toml 中设置这两个路径")
    try:
        return checkpoints.init(directory or private.parent, force)
    except FileExistsError as e:
        raise InvalidInput("--dir", f"{e} 已存在；新的密钥对会使旧密钥签署的检查点无法验证"
                                    f"（加 --force 才替换）") from None
