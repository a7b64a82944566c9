"""Bringing in an office's existing requests from a spreadsheet: every row checked, then all written at
once or nothing.

Offices adopting gongkai mid-year hold their earlier requests in Excel. Each row becomes a request
with a real, replayed history (:mod:`workflow.io.import_rows`), stored with the same hash chain, cached
columns and deadline rows as the unit of work's commit writes (through the repository's bulk door,
:mod:`workflow.store.bulk_requests`), so an imported
request is shown, listed, counted and verified like one entered by hand; ``imported_from``
("FILE:ROW") says where it came from.

The file is read as a stream, a batch of rows at a time. Each batch is checked (its rows' own cells,
then their references against the file so far and the database, closed years, approvers) and, as
long as no row has had a problem, handed to the :class:`workflow.store.bulk.BulkWriter` thread, which
writes it while the next batch is read. After the first problem nothing more is written, but every
row is still checked, so the import fails as a whole (:class:`ImportProblems` lists every problem)
and its one transaction rolls back: nothing of it is ever seen. Memory stays flat however long the
file is, but for the rows that cannot be numbered before the whole file is known (a blank reference,
or one that is not YEAR-NUMBER of the year received), which wait for the end.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select, tuple_
from sqlmodel import Session, col

from rules import actions
from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.io import tabular
from workflow.io.import_cells import ImportProblems, Problem, Summary, closed_years, frozen_message
from workflow.io.import_rows import ACTION_COLUMN, REQUEST_COLUMNS, REQUIRED, Parsed, RowReader
from workflow.store import history, models, officers
from workflow.store.bulk import BulkWriter
from workflow.store.bulk_requests import BulkRequests
from workflow.store.repository import lock_numbering, lock_years_to_write

Progress = Callable[[str, int, int], None]  # (phase, done, total)
REF = re.compile(r"(\d{4})-0*(\d{1,9})")
CHUNK = 2000  # rows checked, then written, at a time
LOOKUP = 500  # keys per database lookup

def import_requests(app: Gongkai, path: Path, dry_run: bool = False, progress: Progress | None = None) -> Summary:
    """Check every row of ``path`` and write them all in one transaction, or raise ImportProblems."""
    sheet = tabular.stream(path, tabular.alias_table(REQUEST_COLUMNS))
    missing = [c for c in REQUIRED if c not in sheet.columns]
    if missing:
        raise ImportProblems(sheet.name, [Problem(1, c, "缺少此列（各列标题见 gongkai import requests "
                                                       "--help）") for c in missing])
    reader = RowReader(app, sheet.name)
    rows = 0
    with _collector_paused(), app.unit_of_work(write=not dry_run) as uow, uow.bulk() as writer:
        run = _Import(app, writer, dry_run)
        writer.call(run.start)
        for batch in _batches(sheet.rows, CHUNK):
            rows += len(batch)
            parsed = []
            for number, cells in batch:
                p, problems = reader.request(number, cells)
                run.problems.extend(problems)
                if p is not None:
                    parsed.append(p)
            run.add(parsed)
            if progress:
                progress("checking" if dry_run else "importing", sheet.position(), sheet.size)
        run.finish(sheet.name)
        if not dry_run:
            uow.commit()
    return Summary(sheet.name, sheet.encoding, rows, 0 if dry_run else run.written, dry_run, list(sheet.ignored),
                   {"open": run.open, "concluded": run.concluded}, run.recorded_late)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the rows are checked and written.

    A million-row import allocates hundreds of millions of objects and keeps millions (the histories
    it remembers, the references it has seen); the collector walks what is kept again and again, a
    third of such an import's time (26 s of 74 s checking a million rows). The import makes no
    cyclic garbage for it to find (a test holds it to that), so reference counting frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


T = TypeVar("T")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class _Import:
    """One import's checks across the whole file, and its writing while the file stays clean."""

    app: Gongkai
    writer: BulkWriter
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    recorded_late: list[Problem] = field(default_factory=list)  # steps kept although after their limit
    before: int = 0  # the highest request id before the import: the database as it was
    agencies_before: set[str] = field(default_factory=set)  # agencies that already had requests
    closed: set[tuple[str, int]] = field(default_factory=set)
    years_held: set[tuple[str, int]] = field(default_factory=set)  # (agency, year) locked against close-year
    numbering_held: set[tuple[str, int]] = field(default_factory=set)  # (agency, year) locked against register
    known_agencies: set[str] | None = None  # once officers are registered, the agencies that exist
    approvers: dict[tuple[str, str], str] = field(default_factory=dict)  # (agency, name) → refusal or ''
    refs: dict[tuple[str, str], int] = field(default_factory=dict)  # the file's references → row
    claimed: set[tuple[str, int, int]] = field(default_factory=set)  # numbers the file's references take
    waiting: list[Parsed] = field(default_factory=list)  # rows numbered at the end
    requests: BulkRequests | None = None  # the repository's bulk door, once the database is known
    open: int = 0
    concluded: int = 0

    def start(self, session: Session) -> None:
        r = models.Request
        self.before = session.execute(select(func.max(col(r.id)))).scalar() or 0
        self.requests = BulkRequests(self.writer, history.now(), self.before + 1)
        self.agencies_before = set(session.execute(select(col(r.agency)).group_by(col(r.agency))).scalars())
        self.closed = closed_years(session)
        if officers.registry_in_use(session):
            self.known_agencies = set(session.execute(select(col(models.Agency.code))).scalars())

    def add(self, batch: list[Parsed]) -> None:
        for p in batch:
            if p.history.concluded:
                self.concluded += 1
            else:
                self.open += 1
            self.recorded_late.extend(Problem(p.number, column, why) for column, why in p.history.late)
        self._lock_numbering(batch)
        self._check_references(batch)
        self._check_frozen(batch)
        self._check_permissions(batch)
        if not self.problems and not self.dry_run:
            self._write(self._numbered(batch))


    @property
    def written(self) -> int:
        return self.requests.written if self.requests else 0

    def _write(self, batch: list[Parsed]) -> None:
        assert self.requests is not None
        self.requests.add(batch)

    def finish(self, name: str) -> None:
        if not self.problems and not self.dry_run and self.waiting:
            self._number_waiting()
            self._write(self.waiting)
        self.writer.flush()
        if self.problems:
            raise ImportProblems(name, self.problems)

    def _lock_numbering(self, batch: list[Parsed]) -> None:
        """The agency's years the rows are numbered in, held under register's lock until the import
        commits: a request registered meanwhile waits, or was committed before and is seen."""
        years = {(p.agency, p.values["year"]) for p in batch} - self.numbering_held
        if years and not self.dry_run:
            self.writer.call(lock_numbering, years)
            self.numbering_held |= years

    # -- checks ------------------------------------------------------------------------------------

    def _check_references(self, batch: list[Parsed]) -> None:
        """A reference may be neither in the database already nor twice in the file."""
        given = [p for p in batch if p.ref]
        keys = [(p.agency, p.ref) for p in given if p.agency in self.agencies_before]
        existing = self.writer.call(_existing, (models.Request.agency, models.Request.ref), keys, self.before) \
            if keys else set()
        for p in given:
            key = (p.agency, p.ref)
            if key in self.refs:
                self.problems.append(Problem(p.number, "ref", f"{p.ref} 也是第 {self.refs[key]} 行的编号"))
            elif key in existing:
                self.problems.append(Problem(p.number, "ref", f"机关 {p.agency!r} 已有编号 {p.ref}"))
            else:
                self.refs[key] = p.number

    def _check_frozen(self, batch: list[Parsed]) -> None:
        years = {(p.agency, e.on.year) for p in batch for e in p.events} - self.years_held
        if years:  # held until the import commits: close-year waits for it, or it for close-year
            self.writer.call(lock_years_to_write, years)
            self.years_held |= years
            self.closed = self.writer.call(closed_years)
        if not self.closed:
            return
        for p in batch:
            for year in sorted({e.on.year for e in p.events}):
                if (p.agency, year) in self.closed or ("*", year) in self.closed:
                    e = next(e for e in p.events if e.on.year == year)
                    self.problems.append(Problem(p.number, ACTION_COLUMN[e.action], frozen_message(year)))

    def _check_permissions(self, batch: list[Parsed]) -> None:
        """Once officers are registered, as for hand entry: the agency must exist, and an extension's
        approver must be a supervisor (负责人) of it."""
        if self.known_agencies is None:
            return
        for p in batch:
            if p.agency not in self.known_agencies:
                self.problems.append(Problem(p.number, "agency", f"平台上没有机关 {p.agency!r}；"
                                                                  f"gongkai agency list 列出全部机关"))
                continue
            extension = next((e for e in p.history.events if e.action == actions.EXTEND), None)
            if extension is not None:
                key = (p.agency, str(extension.payload["approved_by"]))
                if key not in self.approvers:
                    self.approvers[key] = self.writer.call(_refusal_of_approver, *key)
                if self.approvers[key]:
                    self.problems.append(Problem(p.number, "extension_approved_by", self.approvers[key]))

    # -- numbering ---------------------------------------------------------------------------------

    def _numbered(self, batch: list[Parsed]) -> list[Parsed]:
        """The rows whose reference gives their number, unless that number is taken; the others wait
        for the end of the file."""
        own = [(p, _own_number(p)) for p in batch]
        keys = [k for _, k in own if k is not None and k[0] in self.agencies_before]
        r = models.Request
        taken = self.writer.call(_existing, (r.agency, r.year, r.seq), keys, self.before) if keys else set()
        numbered = []
        for p, key in own:
            if key is None or key in taken or key in self.claimed:
                self.waiting.append(p)
                continue
            self.claimed.add(key)
            p.values["seq"] = key[2]
            numbered.append(p)
        return numbered

    def _number_waiting(self) -> None:
        """The next free number of the agency's year, after every number the file and the database
        hold; a row without a reference takes the one that number gives."""
        found = self.writer.call(_numbers_of, sorted({p.agency for p in self.waiting}), self.before)
        refs: set[tuple[str, str]] = set(self.refs) | {(a, ref) for a, ref, _, _ in found}
        last: dict[tuple[str, int], int] = {}
        for a, y, s in [*self.claimed, *((a, y, s) for a, _, y, s in found)]:
            last[(a, y)] = max(last.get((a, y), 0), s)
        for p in self.waiting:
            year = p.values["year"]
            seq = last.get((p.agency, year), 0) + 1
            while not p.ref and (p.agency, f"{year}-{seq:04d}") in refs:
                seq += 1
            last[(p.agency, year)] = seq
            p.values["seq"] = seq
            if not p.ref:
                p.ref = f"{year}-{seq:04d}"
                refs.add((p.agency, p.ref))


def _own_number(p: Parsed) -> tuple[str, int, int] | None:
    """(agency, year, number) that the reference gives: 2025-0042 received in 2025 is number 42 of
    its agency's 2025; any other reference gives none."""
    m = REF.fullmatch(p.ref)
    year = p.values["year"]
    return (p.agency, year, int(m[2])) if m and int(m[1]) == year and int(m[2]) > 0 else None


# -- lookups, run on the writer's thread ------------------------------------------------------------

def _existing(session: Session, columns: tuple[Any, ...], keys: list[tuple[Any, ...]], before: int) -> set[tuple[Any, ...]]:
    """Which of ``keys`` (values of ``columns``) the requests already have: those held before the
    import, those committed by others since (their numbers are locked now), and the file's own rows
    written so far (the file's own references and numbers are also known to the import)."""
    found: set[tuple[Any, ...]] = set()
    for start in range(0, len(keys), LOOKUP):
        query = select(*[col(c) for c in columns]).where(
            tuple_(*[col(c) for c in columns]).in_(keys[start:start + LOOKUP]))
        found.update(tuple(row) for row in session.execute(query))
    return found


def _numbers_of(session: Session, agency_codes: list[str], before: int) -> list[tuple[str, str, int, int]]:
    """(agency, ref, year, seq) of the agencies' requests, as ``_existing`` sees them."""
    r = models.Request
    query = select(col(r.agency), col(r.ref), col(r.year), col(r.seq)).where(col(r.agency).in_(agency_codes))
    return [tuple(row) for row in session.execute(query)]


def _refusal_of_approver(session: Session, agency: str, approver: str) -> str:
    try:
        officers.check_approver(session, agency, approver)
    except InvalidInput as e:
        return str(e).removeprefix(f"{e.field}: ")
    return ""
