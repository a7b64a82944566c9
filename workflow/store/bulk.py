"""Writing many rows at once: in one statement (:func:`insert_many`), or, for an import, on a thread of
its own while the caller prepares more (:class:`BulkWriter`).

An import of a province's year writes some 3.4 million rows (requests, events, deadlines) into
tables with a dozen indexes. SQLite inserts them without holding Python's interpreter lock, so a
writer thread lets the B-tree work of one batch run while the next batch's rows are checked,
replayed and hashed: the two cores of a small server both work. All database work of the import,
reads included, goes through this one thread in order, so the connection is never used by two
threads at once.

Rows arrive as tuples in the order of the columns named. SQLite takes them in multi-row INSERT
statements, each date, time and flag converted by its column type's own SQLAlchemy bind processor
(so the stored text is exactly what SQLAlchemy writes and reads back); PostgreSQL takes them through
``COPY``. Both are several times faster than SQLAlchemy's ``executemany`` of dicts.

:func:`insert_many` serves the alert sweep: a batch of narrow rows in one ``INSERT … SELECT`` that
can skip existing keys and return what it inserted, the rows travelling as one parameter (a JSON
array for SQLite's ``json_each``, arrays for PostgreSQL's ``unnest``). For an import's wide rows,
``json_each`` is 2–3 times slower than multi-row VALUES (200,000 requests with their events: 17–21 s
against 8 s), hence the writer's own statements.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Dialect, Table, bindparam, text
from sqlmodel import Session

from workflow.domain.errors import DatabaseError

T = TypeVar("T")
QUEUED = 2  # batches waiting for the writer: enough to keep it busy, few enough to bound memory
CACHE_KB = 256 * 1024  # SQLite's page cache while writing
VARIABLES = 32_766  # per SQLite statement: its default limit since 3.32, whatever a build allows beyond


class BulkWriter:
    """``with BulkWriter(session) as w: w.insert(table, columns, rows); w.call(fn, session)``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        connection = session.connection()
        self.postgresql = connection.dialect.name == "postgresql"
        self._raw: Any = connection.connection.driver_connection
        self._dialect = connection.dialect
        self._converters: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="gongkai-writer")
        self._queued: deque[Future[None]] = deque()
        self._cache_size: int | None = None
        self._rls: dict[str, bool] = {}

    def __enter__(self) -> BulkWriter:
        if not self.postgresql:
            # Room for the pages of the indexes being inserted into (request and event rows land all over
            # them): SQLite itself took 40 s to insert a million requests' rows with its default 2 MB, 26 s
            # with this.
            self._cache_size = self._raw.execute("PRAGMA cache_size").fetchone()[0]
            self._raw.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        # The transaction is committed or rolled back after this: the writer must be idle by then,
        # whatever happened, and a failed write surfaces here unless something else already failed.
        try:
            self.flush(raise_errors=kind is None)
        finally:
            self._thread.shutdown(wait=True)
            if self._cache_size is not None:
                self._raw.execute(f"PRAGMA cache_size = {int(self._cache_size)}")

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(session, *args)`` on the writer thread after every queued batch; its result."""
        return self._thread.submit(fn, self.session, *args).result()

    def insert(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Queue the rows; returns at once unless the writer is behind by more than QUEUED batches."""
        if not rows:
            return
        while len(self._queued) >= QUEUED:
            self._queued.popleft().result()
        write = self._copy if self.postgresql else self._insert_values
        self._queued.append(self._thread.submit(write, table, columns, rows))

    def flush(self, raise_errors: bool = True) -> None:
        """Wait until every queued batch is written."""
        first: BaseException | None = None
        while self._queued:
            try:
                self._queued.popleft().result()
            except Exception as e:  # noqa: BLE001 - reported below, after the queue is drained
                first = first or e
        if first is not None and raise_errors:
            raise first

    def _insert_values(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Multi-row ``INSERT … VALUES (…), (…), …`` statements, as many rows each as SQLite binds
        variables for: a statement releases Python's lock once for all its rows, where ``executemany``
        takes it back after every row and so waits for the busy main thread each time (measured: 200,000
        requests' rows take 13 s this way beside a busy thread, 147 s with ``executemany``)."""
        import sqlite3

        converters = self._converters_of(table, columns)
        names = ", ".join(f'"{c}"' for c in columns)
        one = "(" + ", ".join("?" * len(columns)) + ")"
        per = max(1, min(VARIABLES, self._raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)) // len(columns))
        cursor = self._raw.cursor()
        try:
            for start in range(0, len(rows), per):
                part = rows[start:start + per]
                if converters:
                    part = [_converted(row, converters) for row in part]
                values = list(itertools.chain.from_iterable(part))
                cursor.execute(f'INSERT INTO "{table.name}" ({names}) VALUES {", ".join([one] * len(part))}', values)
        except sqlite3.IntegrityError as e:
            raise _taken(table, e) from None
        except sqlite3.Error as e:  # no SQLAlchemy wrapper on this path
            raise DatabaseError(f"写入 {table.name} 时数据库出错：{e}") from None
        finally:
            cursor.close()

    def _copy(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        import psycopg

        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self._raw.cursor()
        try:
            if self._row_security(table.name):  # COPY FROM refuses a table under row-level security
                with cursor:
                    cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES '
                                       f'({", ".join(["%s"] * len(columns))})', rows)
                return
            with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.errors.UniqueViolation as e:
            raise _taken(table, e) from None
        except psycopg.Error as e:
            raise DatabaseError(f"写入 {table.name} 时数据库出错：{str(e).splitlines()[0]}") from None

    def _row_security(self, table: str) -> bool:
        """Row-level security applies to this connection's role (an officer's login on PostgreSQL)."""
        if table not in self._rls:
            self._rls[table] = bool(self._raw.execute("SELECT row_security_active(%s)", (table,)).fetchone()[0])
        return self._rls[table]

    def _converters_of(self, table: Table, columns: Sequence[str]) -> list[tuple[int, Callable[[Any], Any]]]:
        key = f"{table.name}:{','.join(columns)}"
        if key not in self._converters:
            self._converters[key] = converters(table, columns, self._dialect)
        return self._converters[key]


def converters(table: Table, columns: Sequence[str], dialect: Dialect) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, conversion) of each column whose type converts values for the database: the bind
    processor SQLAlchemy itself applies (dates and times to text, flags to 0/1 on SQLite)."""
    found = []
    for i, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            found.append((i, _remembering(process)))
    return found


def _remembering(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The processor, remembering its answers: an import converts the same few hundred dates a million times."""
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            memo[value] = out = process(value)
            return out

    return convert


def _converted(row: Sequence[Any], converters: list[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    out = list(row)
    for i, convert in converters:
        out[i] = convert(out[i])
    return tuple(out)


def insert_many(session: Session, table: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                constants: Mapping[str, Any] | None = None, returning: Sequence[str] = (),
                skip_existing: bool = False) -> list[Any]:
    """Insert ``rows`` (values of ``columns``) and ``constants``, the same in each, in one statement;
    with ``skip_existing``, rows whose unique key exists are left out. The ``returning`` columns of
    the rows inserted.

    The rows travel as one parameter that an ``INSERT … SELECT`` reads as a table: arrays that
    PostgreSQL unnests (psycopg spends longer parsing a thousand-row VALUES list than the server
    spends inserting it), a JSON array that SQLite reads with ``json_each``, each value converted by
    its column type first so the stored text is what SQLAlchemy writes. Several times faster than an
    executemany of dicts.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect
    consts = dict(constants or {})
    quoted = [f'"{n}"' for n in columns]
    if dialect.name == "postgresql":
        arrays = ", ".join(f"CAST(:rows_{i} AS {table.c[n].type.compile(dialect=dialect)}[])"
                           for i, n in enumerate(columns))
        source, selected = f"unnest({arrays}) AS rows({', '.join(quoted)})", quoted
        params: dict[str, Any] = {f"rows_{i}": [row[i] for row in rows] for i in range(len(columns))}
    else:
        convert = converters(table, columns, dialect)
        if convert:
            rows = [_converted(row, convert) for row in rows]
        source, selected = "json_each(:rows)", [f"json_extract(value, '$[{i}]')" for i in range(len(columns))]
        params = {"rows": json.dumps(rows, ensure_ascii=False)}
    names = ", ".join([*quoted, *[f'"{n}"' for n in consts]])
    values = ", ".join([*selected, *[f":const_{n}" for n in consts]])
    # WHERE: SQLite would read ON CONFLICT as the join's ON clause without it
    sql = f'INSERT INTO "{table.name}" ({names}) SELECT {values} FROM {source} WHERE true'
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(f'"{n}"' for n in returning)
    stmt = text(sql).bindparams(*[bindparam(f"const_{n}", v, type_=table.c[n].type) for n, v in consts.items()])
    if not returning:
        session.execute(stmt, params)
        return []
    return list(session.execute(stmt.columns(*[table.c[n] for n in returning]), params))


def _taken(table: Table, e: Exception) -> DatabaseError:
    """A row already there (a reference or number registered by someone else meanwhile): said in words,
    not in the database's; the import's transaction is rolled back, so nothing of it was written."""
    what = "申请编号" if table.name == "request" else f"{table.name} 记录"
    return DatabaseError(f"导入未写入任何内容：{what}已被他人同时登记或导入占用；"
                         "请核对后重新导入")
