"""Corrections in the open (issue 14) on the in-memory unit of work: a request registered by mistake
is voided, an action recorded by mistake is undone, and the history keeps both.

Requests below were received on Monday 2026-03-02: 20 working days give a reply due 2026-03-30; an
extension of 15 working days on 03-20 moves it to 2026-04-21 (Qingming 04-04 … 04-06 not counted).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.fakes import FakeStore, fake_app
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import FrozenYear, IllegalAction, InvalidInput, NotApprover
from workflow.domain.lifecycle import Event
from workflow.usecases import views
from workflow.usecases.requests import advance, register, void

RECEIVED = date(2026, 3, 2)


def _register(app: Gongkai, on: date = RECEIVED) -> str:
    return register(app, Register(received_on=on, channel="online", applicant_name="张三",
                                  applicant_type="natural_person", subject="2025年低保资金发放明细"))


def _do(app: Gongkai, ref: str, action: str, on: date, **payload: Any) -> dict[str, Any]:
    return advance(app, Advance(ref, action, on, payload))


def _reply_letter_written(app: Gongkai, ref: str, about: int, on: date) -> None:
    """The 答复告知书 of event #about was generated (what ``gongkai notice REF reply`` records)."""
    with app.unit_of_work() as uow:
        case = uow.requests.get(ref)
        case.apply(Event("notice", on, {"kind": "reply", "about": about}, app.officer))
        uow.commit()


def _officers(store: FakeStore) -> Gongkai:
    """Officers are registered: 李明 works in agency local, 张主任 is its supervisor (负责人)."""
    store.agencies.add("local")
    store.approvers = {"张主任": "local"}
    return fake_app(store, agency="local", role="officer")


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def app(store: FakeStore) -> Gongkai:
    return fake_app(store)


# -- void ------------------------------------------------------------------------------------------

def test_a_voided_request_keeps_its_number_and_says_who_voided_it_and_why(app: Gongkai, store: FakeStore) -> None:
    ref = _register(app)
    shown = void(app, ref, "重复登记（同2026-0002）", date(2026, 3, 3))
    assert (shown["state"], shown["state_label"], shown["outcome"], shown["reply_due"]) == \
        ("voided", "已作废", None, "2026-03-30")
    assert shown["voided"] == {"on": "2026-03-03", "officer": "李明", "reason": "重复登记（同2026-0002）"}
    assert [e["action"] for e in shown["events"]] == ["register", "void"]
    assert _register(app) == "2026-0002"  # the voided number stays taken
    row = store.copy_of(ref)[0]
    assert (row["state"], row["next_due"], row["concluded_on"]) == ("voided", None, None)


def test_a_voided_request_accepts_no_further_action(app: Gongkai) -> None:
    ref = _register(app)
    void(app, ref, "测试数据", date(2026, 3, 3))
    for action, payload in (("decide", {"outcome": "disclosed"}), ("undo", {"reason": "误作废"}),
                            ("void", {"reason": "再次作废"}), ("withdraw", {})):
        with pytest.raises(IllegalAction, match=rf"状态为已作废，现在不能.*（{action}）"):
            _do(app, ref, action, date(2026, 3, 4), **payload)


def test_a_concluded_request_registered_by_mistake_may_be_voided(app: Gongkai) -> None:
    ref = _register(app)
    _do(app, ref, "decide", date(2026, 3, 16), outcome="disclosed")
    shown = void(app, ref, "重复登记", date(2026, 3, 17))
    assert (shown["state"], shown["allowed_now"]) == ("voided", [])


def test_void_and_undo_need_a_reason(app: Gongkai) -> None:
    ref = _register(app)
    for action in ("void", "undo"):
        with pytest.raises(InvalidInput, match=r"--reason: .*须填写此项"):
            _do(app, ref, action, date(2026, 3, 3))


def test_show_does_not_offer_the_corrections_as_next_steps(app: Gongkai) -> None:
    ref = _register(app)
    allowed = views.request_view(*_row_and_case(app, ref), RECEIVED)["allowed_now"]
    assert "void" not in allowed and "undo" not in allowed and "decide" in allowed


def _row_and_case(app: Gongkai, ref: str) -> tuple[Any, Any]:
    with app.unit_of_work() as uow:
        case = uow.requests.get(ref)
        return uow.requests.row(case), case


# -- undo ------------------------------------------------------------------------------------------

def test_undoing_an_extension_restores_the_reply_deadline_of_03_30(app: Gongkai, store: FakeStore) -> None:
    """1 register 03-02 · 2 extend 03-20 (15 days) · 3 undo 03-23: the reply is due 03-30 again."""
    ref = _register(app)
    assert _do(app, ref, "extend", date(2026, 3, 20), days="15", approved_by="张主任")["reply_due"] == "2026-04-21"
    shown = _do(app, ref, "undo", date(2026, 3, 23), reason="误操作：未经批准")
    assert (shown["state"], shown["reply_due"], shown["extension_days"]) == ("received", "2026-03-30", 0)
    assert shown["events"][2]["payload"] == {"reason": "误操作：未经批准", "undoes": 2}
    assert [e["undone_by"] for e in shown["events"]] == [None, 3, None]
    assert store.copy_of(ref)[0]["reply_due"] == date(2026, 3, 30)
    # the extension may be recorded again, properly this time: it is no longer in effect
    assert _do(app, ref, "extend", date(2026, 3, 24), days="10", approved_by="张主任")["reply_due"] == "2026-04-14"


def test_undoing_a_decision_reopens_the_request(app: Gongkai) -> None:
    ref = _register(app)
    _do(app, ref, "decide", date(2026, 3, 16), outcome="disclosed")
    shown = _do(app, ref, "undo", date(2026, 3, 17), reason="答复录错申请")
    assert (shown["state"], shown["outcome"], shown["concluded_on"], shown["reply_due"]) == \
        ("received", None, None, "2026-03-30")
    assert "decide" in shown["allowed_now"]
    again = _do(app, ref, "decide", date(2026, 3, 18), outcome="unavailable.not_held")
    assert (again["state"], again["outcome"], again["concluded_on"]) == \
        ("concluded", "unavailable.not_held", "2026-03-18")


def test_undo_skips_the_records_in_between_and_they_stay(app: Gongkai) -> None:
    """1 register · 2 extend · 3 notice about #2 · 4 undo: it revokes #2; the letter's record stays."""
    ref = _register(app)
    _do(app, ref, "extend", date(2026, 3, 20), days="15", approved_by="张主任")
    _reply_letter_written(app, ref, 2, date(2026, 3, 20))
    shown = _do(app, ref, "undo", date(2026, 3, 23), reason="误操作")
    assert [(e["action"], e["undone_by"]) for e in shown["events"]] == \
        [("register", None), ("extend", 4), ("notice", None), ("undo", None)]


def test_a_second_undo_revokes_the_action_before_and_register_is_never_undone(app: Gongkai) -> None:
    """1 register 03-02 · 2 consult 03-05 · 3 extend 03-20 · 4 undo (#3) · 5 undo (#2): received, 03-30."""
    ref = _register(app)
    _do(app, ref, "consult", date(2026, 3, 5), to="某公司")
    _do(app, ref, "extend", date(2026, 3, 20), days="15", approved_by="张主任")
    assert _do(app, ref, "undo", date(2026, 3, 23), reason="误操作")["state"] == "in_consultation"
    shown = _do(app, ref, "undo", date(2026, 3, 23), reason="未征求意见")
    assert (shown["state"], shown["reply_due"], shown["paused"]) == ("received", "2026-03-30", False)
    assert [e["payload"].get("undoes") for e in shown["events"]] == [None, None, None, 3, 2]
    with pytest.raises(IllegalAction, match="没有可撤销的事项：只有登记（register）有效；误登记的申请请作废"
                                            r"（gongkai void 编号 --reason 原因）"):
        _do(app, ref, "undo", date(2026, 3, 24), reason="再撤销")


def test_undoing_a_conclusion_whose_reply_letter_was_written_needs_a_supervisor(store: FakeStore) -> None:
    app = _officers(store)
    ref = _register(app)
    _do(app, ref, "decide", date(2026, 3, 16), outcome="disclosed")
    _reply_letter_written(app, ref, 2, date(2026, 3, 16))
    before, commits = store.copy_of(ref), store.commits
    with pytest.raises(InvalidInput, match=r"--approved-by: 撤销已写出答复书的作出答复（#2）须经负责人批准"):
        _do(app, ref, "undo", date(2026, 3, 17), reason="答复有误")
    with pytest.raises(NotApprover, match="'李明' 不是机关 'local' 的负责人"):
        _do(app, ref, "undo", date(2026, 3, 17), reason="答复有误", approved_by="李明")
    assert (store.copy_of(ref), store.commits) == (before, commits)
    shown = _do(app, ref, "undo", date(2026, 3, 17), reason="答复有误", approved_by="张主任")
    assert shown["state"] == "received"


def test_undoing_a_conclusion_with_no_letter_or_in_a_one_officer_office_needs_no_approval(
        app: Gongkai, store: FakeStore) -> None:
    ref = _register(app)
    _do(app, ref, "decide", date(2026, 3, 16), outcome="disclosed")
    _reply_letter_written(app, ref, 2, date(2026, 3, 16))
    assert _do(app, ref, "undo", date(2026, 3, 17), reason="答复有误")["state"] == "received"  # no registry
    officers = _officers(store)
    other = _register(officers)
    _do(officers, other, "decide", date(2026, 3, 16), outcome="disclosed")
    assert _do(officers, other, "undo", date(2026, 3, 17), reason="录错")["state"] == "received"  # no letter


# -- a closed year ---------------------------------------------------------------------------------

def test_no_correction_reaches_into_a_closed_year(app: Gongkai, store: FakeStore) -> None:
    """Received 2025-12-01, decided 2025-12-10, 2025 closed: its report counted both."""
    ref = _register(app, on=date(2025, 12, 1))
    _do(app, ref, "decide", date(2025, 12, 10), outcome="disclosed")
    store.closed.add((app.home_agency, 2025))
    before = store.copy_of(ref)
    with pytest.raises(FrozenYear, match=r"2025 年度已结转.*撤销 2025 年的作出答复（#2）被拒绝"):
        _do(app, ref, "undo", date(2026, 1, 5), reason="答复有误")
    with pytest.raises(FrozenYear, match="作废 2025 年收到的申请被拒绝"):
        void(app, ref, "重复登记", date(2026, 1, 5))
    with pytest.raises(FrozenYear, match="2025 年的作废（void）被拒绝"):
        void(app, ref, "重复登记", date(2025, 12, 11))
    assert store.copy_of(ref) == before


def test_a_2026_action_on_a_request_received_in_a_closed_2025_may_be_undone(app: Gongkai, store: FakeStore) -> None:
    """2025's report counted the request as carried over; undoing its 2026 decision changes none of that."""
    ref = _register(app, on=date(2025, 12, 29))
    store.closed.add((app.home_agency, 2025))
    _do(app, ref, "decide", date(2026, 1, 5), outcome="disclosed")
    assert _do(app, ref, "undo", date(2026, 1, 6), reason="答复有误")["state"] == "received"
