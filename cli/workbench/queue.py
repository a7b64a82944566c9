"""The queue of the workbench: its five views, the filter typed after ``/``, and how urgent a row is.

Pure functions over the rows ``workflow.usecases.views.list_requests`` returns, so the filter runs as
the officer types without asking the database again. Example: on 2026-11-25 a row whose next deadline
is 2026-11-24 is overdue (red); one due 2026-11-27 is within two working days (yellow); typing ``17``
keeps 2026-0017 and every applicant, subject or phone number containing 17.

A view lists at most ``SHOWN`` requests, the most urgent: a province's platform has 100,000 open
requests, which no officer scrolls and which would take seconds to draw. When a view holds more, the
filter asks the database (``views.find``) and keeps what belongs to the view (``belongs``).

The first view is read by ``first_view``, with the request at its top as ``views.show`` gives it;
``gongkai work`` starts that read in a thread of its own (``read_first``) before Textual starts, so that
the queries (SQLite runs outside Python's lock) overlap Textual's start instead of following it, and
the first frame drawn already holds the queue and the selected request.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from workflow.usecases import views

if TYPE_CHECKING:
    from workflow.app import Gongkai


@dataclass(frozen=True)
class View:
    key: str
    label: str
    query: dict[str, Any] = field(default_factory=dict)  # list_requests' arguments
    today_only: bool = False
    mine: bool = False


VIEWS: tuple[View, ...] = (
    View("1", "今日到期", {"state": "open", "due_within": 0}, today_only=True),
    View("2", "逾期", {"state": "open", "overdue": True}),
    View("3", "我的", {"state": "open"}, mine=True),
    View("4", "全部", {"state": "open"}),
    View("5", "已办结", {"state": "concluded"}),
)
MINE = VIEWS[2]
ALL_OPEN = VIEWS[3]
SHOWN = 500  # requests listed at most in a view; the filter reaches the rest


def limit(view: View) -> int | None:
    """How many rows to ask for: one more than are shown, to know that there are more. The day's view
    takes every row up to today (it keeps only today's from them): the overdue ones come first."""
    return None if view.today_only else SHOWN + 1


@dataclass(frozen=True)
class First:
    """What the first screen shows: its view, the view's rows, the top row's request (or None)."""

    view: View
    rows: list[dict[str, Any]]
    selected: dict[str, Any] | None


def first_view(gongkai: Gongkai) -> First:
    """The first screen's view and rows: the officer's own open requests; an officer with none of
    their own sees the office's open requests. The request at the top is read with them."""
    view, rows = MINE, views.list_requests(gongkai, **MINE.query, officer=gongkai.officer, limit=limit(MINE))
    if not rows:
        view, rows = ALL_OPEN, views.list_requests(gongkai, **ALL_OPEN.query, limit=limit(ALL_OPEN))
    top = rows[0] if rows else None
    return First(view, rows, views.show(scoped(gongkai, top["agency"]), top["ref"]) if top else None)


def read_first(gongkai: Gongkai) -> Future[First]:
    """``first_view`` started in a thread of its own; the workbench waits for it as it mounts."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="first-view")
    try:
        return pool.submit(first_view, gongkai)
    finally:
        pool.shutdown(wait=False)  # the read runs to its end; the thread goes with it


def scoped(g: Gongkai, agency: str) -> Gongkai:
    """Gongkai reading within one agency: on a platform the same reference (2026-0001) is in every
    agency, and the queue's row knows which one it means."""
    return g if g.agency == agency else dataclasses.replace(g, agency=agency)


def belongs(view: View, row: dict[str, Any], officer: str, today: date) -> bool:
    """Whether a row found by the filter belongs to the view (its ``list_requests`` arguments, as a test)."""
    q, concluded = view.query, row["state"] == "concluded"
    return ((q.get("state") != "open" or not (concluded or row["state"] == "voided"))
            and (q.get("state") != "concluded" or concluded)
            and (not q.get("overdue") or bool(row["overdue"]))
            and (not view.today_only or row["next_due"] == today.isoformat())
            and (not view.mine or row["officer"] == officer))


def normalised(text: str) -> str:
    """What the officer typed, with the input method's full-width forms made plain (２０２６－ → 2026-)."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def in_view(view: View, rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    if view.today_only:
        return [r for r in rows if r["next_due"] == today.isoformat()]
    return rows


def matches(row: dict[str, Any], text: str, phones: set[tuple[str, str]]) -> bool:
    """Whether a row answers the filter: any part of its reference, applicant or subject, or (through
    ``phones``, found in full by the database) its telephone number."""
    wanted = normalised(text)
    if not wanted:
        return True
    haystack = " ".join(str(row[k] or "") for k in ("ref", "applicant", "subject")).casefold()
    return wanted in haystack or (row["agency"], row["ref"]) in phones


def filtered(rows: list[dict[str, Any]], text: str, phones: set[tuple[str, str]]) -> list[dict[str, Any]]:
    return [r for r in rows if matches(r, text, phones)]


def digits_of(text: str) -> str | None:
    """The digits to look for among phone numbers, when the filter is a number of three digits or more."""
    wanted = normalised(text).replace("-", "").replace(" ", "")
    return wanted if len(wanted) >= 3 and wanted.isdigit() else None


def urgency(row: dict[str, Any], today: date, soon: date) -> str:
    """``overdue`` (red), ``soon`` (due within two working days, yellow) or '' for an open row's next deadline."""
    if not row["next_due"] or row["concluded_on"]:
        return ""
    due = date.fromisoformat(row["next_due"])
    return "overdue" if due < today else "soon" if due <= soon else ""
