"""The ledger's chain and replay, without a database: each entry follows the one before, and the
replay gives the rows as last recorded (a deleted row is absent).

Ziran closes 2025 on 2026-01-20 (entry 1: closed_year ziran/2025 with its checksum), reopens it on
2026-01-22 (entry 2: the row deleted), and closes it again (entry 3)."""

from __future__ import annotations

from datetime import UTC, datetime

from workflow.store import history, models
from workflow.store.evidence import ledger

CHAIN = "agency:ziran"


def entries() -> list[models.Ledger]:
    rows, prev = [], history.GENESIS
    for seq, (payload, day) in enumerate([('{"checksum":"9f01"}', 20), ("null", 22), ('{"checksum":"9f02"}', 23)], 1):
        at = datetime(2026, 1, day, 2, 0, tzinfo=UTC)
        h = ledger.entry_hash(prev, CHAIN, seq, "closed_year", "ziran/2025", payload, at)
        rows.append(models.Ledger(chain=CHAIN, seq=seq, kind="closed_year", key="ziran/2025", payload=payload,
                                  recorded_at=at, prev_hash=prev, hash=h))
        prev = h
    return rows


def test_an_untouched_chain_holds_and_replays_to_the_last_closing() -> None:
    assert ledger.broken(CHAIN, entries()) is None
    assert ledger.replayed(entries()) == {("closed_year", "ziran/2025"): {"checksum": "9f02"}}


def test_a_reopening_leaves_the_year_open_in_the_replay() -> None:
    assert ledger.replayed(entries()[:2]) == {}


def test_an_edited_payload_breaks_the_chain_at_that_entry() -> None:
    rows = entries()
    rows[0].payload = '{"checksum":"0000"}'
    assert ledger.broken(CHAIN, rows) == "第 1 条记录（closed_year ziran/2025）在记录后被改动"


def test_a_deleted_entry_is_missing_from_the_chain() -> None:
    rows = entries()
    del rows[1]
    assert ledger.broken(CHAIN, rows) == "第 2 条记录缺失（该处是第 3 条）"


def test_the_recorded_moment_is_the_same_in_any_time_zone() -> None:
    from datetime import timedelta, timezone

    naive_utc = datetime(2026, 1, 20, 2, 0)
    shanghai = datetime(2026, 1, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    assert ledger.entry_hash("", CHAIN, 1, "k", "x", "null", naive_utc) == \
        ledger.entry_hash("", CHAIN, 1, "k", "x", "null", shanghai)
