"""The use cases on the in-memory unit of work: what each one records, refuses and returns, with no
database at all. Requests below were received on Monday 2026-03-02 (20 working days: 03-30).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.fakes import FakeStore, fake_app
from workflow.app import FINGERPRINT, Gongkai, refresh_deadlines
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import (
    ConcurrentChange,
    FrozenYear,
    IllegalAction,
    InvalidInput,
    NotApprover,
    NotPermitted,
    UnknownRequest,
)
from workflow.usecases import appeals, fees, notices, views
from workflow.usecases.requests import advance, register

RECEIVED = date(2026, 3, 2)


def _register(app: Gongkai, name: str = "张三", on: date = RECEIVED, agency: str | None = None) -> str:
    return register(app, Register(received_on=on, channel="online", applicant_name=name,
                                  applicant_type="natural_person", subject="2025年低保资金发放明细",
                                  phone="13812345678", agency=agency))


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def app(store: FakeStore) -> Gongkai:
    return fake_app(store)


def test_registering_numbers_requests_by_year_and_caches_the_reply_deadline(app: Gongkai, store: FakeStore) -> None:
    assert [_register(app), _register(app), _register(app, on=date(2025, 12, 30))] == \
        ["2026-0001", "2026-0002", "2025-0001"]
    row = next(r for r in store.rows.values() if r.ref == "2026-0001")
    assert (row.state, row.reply_due, row.version) == ("received", date(2026, 3, 30), 2)
    assert [e.action for e in store.events[row.id or 0]] == ["register"]


def test_advancing_writes_the_event_and_returns_the_request_as_show_prints_it(app: Gongkai, store: FakeStore) -> None:
    ref = _register(app)
    shown = advance(app, Advance(ref, "decide", date(2026, 3, 16), {"outcome": "disclosed"}))
    assert (shown["state"], shown["outcome"], shown["concluded_on"], shown["late"]) == \
        ("concluded", "disclosed", "2026-03-16", False)
    assert [e["action"] for e in shown["events"]] == ["register", "decide"]
    assert [e["seq"] for e in shown["events"]] == [1, 2]
    assert store.copy_of(ref)[0]["state"] == "concluded"


def test_a_refused_action_writes_nothing(app: Gongkai, store: FakeStore) -> None:
    ref = _register(app)
    before, commits = store.copy_of(ref), store.commits
    with pytest.raises(IllegalAction, match="fee-paid"):
        advance(app, Advance(ref, "fee-paid", date(2026, 3, 5)))
    with pytest.raises(InvalidInput, match="--days"):
        advance(app, Advance(ref, "extend", date(2026, 3, 5), {"days": "21", "approved_by": "张主任"}))
    assert (store.copy_of(ref), store.commits) == (before, commits)


def test_nothing_may_be_dated_in_a_frozen_year(app: Gongkai, store: FakeStore) -> None:
    ref = _register(app, on=date(2025, 12, 1))
    store.closed.add((app.home_agency, 2025))
    with pytest.raises(FrozenYear, match="2025"):
        advance(app, Advance(ref, "decide", date(2025, 12, 10), {"outcome": "disclosed"}))
    with pytest.raises(FrozenYear):
        _register(app, on=date(2025, 12, 2))
    advance(app, Advance(ref, "decide", date(2026, 1, 5), {"outcome": "disclosed"}))  # 2026 is open


def test_an_officer_changes_only_the_requests_of_their_own_agency(store: FakeStore) -> None:
    platform = fake_app(store, officer="平台", role="platform")
    store.agencies.update({"ziran", "jiaotong"})
    ref = _register(platform, agency="ziran")
    officer = fake_app(store, officer="王五", agency="jiaotong", role="officer")
    with pytest.raises(UnknownRequest):  # another agency's requests are not even found
        advance(officer, Advance(ref, "withdraw", date(2026, 3, 5)))
    with pytest.raises(NotPermitted, match="jiaotong"):
        advance(officer, Advance(ref, "withdraw", date(2026, 3, 5), agency="ziran"))
    with pytest.raises(NotPermitted):
        _register(officer, agency="ziran")


def test_an_extension_is_approved_by_a_supervisor_of_the_agency(app: Gongkai, store: FakeStore) -> None:
    ref = _register(app)
    store.approvers = {"张主任": app.home_agency, "李主任": "other"}
    with pytest.raises(NotApprover, match="李主任"):
        advance(app, Advance(ref, "extend", date(2026, 3, 20), {"days": "20", "approved_by": "李主任"}))
    shown = advance(app, Advance(ref, "extend", date(2026, 3, 20), {"days": "20", "approved_by": "张主任"}))
    assert shown["reply_due"] == "2026-04-28"


def test_a_stale_version_is_refused(app: Gongkai) -> None:
    ref = _register(app)
    shown = advance(app, Advance(ref, "consult", date(2026, 3, 3)))
    with pytest.raises(ConcurrentChange):
        advance(app, Advance(ref, "consult-reply", date(2026, 3, 9), expected_version=shown["version"] - 1))
    advance(app, Advance(ref, "consult-reply", date(2026, 3, 9), expected_version=shown["version"]))


def test_revealing_personal_data_is_recorded(app: Gongkai, store: FakeStore) -> None:
    ref = _register(app)
    shown = views.show(app, ref, reveal=True)
    assert shown["applicant"]["phone"] == "13812345678"
    assert [e.action for e in store.copy_of(ref)[1]] == ["register", "reveal"]


def test_a_preview_records_nothing_and_a_letter_written_to_a_file_is_recorded(
        office: Path, store: FakeStore, tmp_path: Path) -> None:
    app = fake_app(store)  # made after the office's settings are written
    ref = _register(app)
    advance(app, Advance(ref, "request-correction", date(2026, 3, 5), {"items": "请写明文件的文号"}))
    preview = notices.render(app, ref, notices.Request("correction"))
    assert "请写明文件的文号" in preview.data.decode() and preview.seq is None
    assert [e.action for e in store.copy_of(ref)[1]] == ["register", "request-correction"]
    written = notices.render(app, ref, notices.Request("correction", tmp_path / "补正.txt"))
    assert written.seq == 3 and (tmp_path / "补正.txt").read_bytes() == written.data
    assert [e.action for e in store.copy_of(ref)[1]] == ["register", "request-correction", "notice"]


def test_a_fee_counts_the_items_filed_earlier_in_the_month(app: Gongkai) -> None:
    first, second = _register(app), _register(app, on=date(2026, 3, 5))
    notified = fees.notify(app, first, date(2026, 3, 4), items=12)
    assert notified["total"] == 200  # items 11 and 12
    assert fees.quote(app, second, items=3)["counted_before"] == 12


def test_an_appeal_is_filed_and_concluded(app: Gongkai) -> None:
    ref = _register(app)
    advance(app, Advance(ref, "decide", date(2026, 3, 16), {"outcome": "disclosed"}))
    filed = appeals.file_shown(app, ref, "复议", date(2026, 4, 20))
    done = appeals.conclude_shown(app, int(filed["id"]), "纠正", date(2026, 6, 15))
    assert (done["kind"], done["result"]) == ("review", "corrected")
    assert [a["result"] for a in appeals.listing(app, ref)] == ["corrected"]


def test_a_calendar_change_recomputes_the_open_requests_once(app: Gongkai, store: FakeStore) -> None:
    open_ref, done_ref = _register(app), _register(app)
    advance(app, Advance(done_ref, "withdraw", date(2026, 3, 3)))
    assert refresh_deadlines(app) == 1
    assert store.meta[FINGERPRINT] == app.settings.calendar_fingerprint
    assert refresh_deadlines(app) == 0
    assert store.copy_of(open_ref)[0]["reply_due"] == date(2026, 3, 30)
