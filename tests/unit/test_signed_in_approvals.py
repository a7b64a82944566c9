"""Once officers sign in, a typed approver's name is not an approval (the unit of work's commit).

Request received Monday 2 March 2026 in minzheng; 张主任 is its supervisor (负责人). In memory there is
no approval recorded under 张主任's sign-in, so 李明's extension naming 张主任 is refused and nothing is
stored; 张主任, signed in, may record the extension himself.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.fakes import FakeStore, fake_app
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import NotPermitted
from workflow.usecases.requests import advance, register

EXTENSION = {"days": "10", "approved_by": "张主任"}


def _store_with_a_request() -> tuple[FakeStore, str]:
    store = FakeStore(approvers={"张主任": "minzheng"}, agencies={"minzheng"})
    app = fake_app(store, agency="minzheng", role="supervisor", officer="张主任")
    ref = register(app, Register(received_on=date(2026, 3, 2), channel="online", applicant_name="张三",
                                 applicant_type="natural_person", subject="某信息", agency="minzheng"))
    return store, ref


def test_a_signed_in_officer_cannot_extend_on_a_typed_approvers_name() -> None:
    store, ref = _store_with_a_request()
    officer = dataclasses.replace(fake_app(store, agency="minzheng", role="officer"), signed_in=True)
    before = store.copy_of(ref)
    with pytest.raises(NotPermitted, match=f"gongkai approve {ref} extend"):
        advance(officer, Advance(ref, "extend", date(2026, 3, 20), dict(EXTENSION)))
    assert store.copy_of(ref) == before


def test_a_named_officer_still_extends_on_a_typed_approvers_name() -> None:
    store, ref = _store_with_a_request()
    advance(fake_app(store, agency="minzheng", role="officer"), Advance(ref, "extend", date(2026, 3, 20), dict(EXTENSION)))


def test_a_signed_in_head_records_the_extension_himself() -> None:
    store, ref = _store_with_a_request()
    head = dataclasses.replace(fake_app(store, agency="minzheng", role="supervisor", officer="张主任"), signed_in=True)
    advance(head, Advance(ref, "extend", date(2026, 3, 20), dict(EXTENSION)))
    assert [e.action for e in store.copy_of(ref)[1]] == ["register", "extend"]
