"""The alert sweep on a real database: the right alerts on the right working days, each exactly once.

The calendar (2026, official): 02-14 and 02-28 are make-up Saturdays, 02-15 … 02-23 the Spring
Festival, 04-04 … 04-06 Qingming.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tests.database import Cli
from workflow.alerts import sweep as alerts
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.store import db, models
from workflow.usecases import requests as services


def register(app: Gongkai, received_on: date) -> str:
    return services.register(app, Register(received_on=received_on, channel="online", applicant_name="张三",
                                           applicant_type="natural_person", subject="2025年低保资金发放明细",
                                           phone="13812345678"))


def advance(app: Gongkai, ref: str, action: str, on: date, **payload: object) -> None:
    services.advance(replace(app, today=on), Advance(ref=ref, action=action, on=on, payload=payload))


def seen(result: alerts.SweepResult) -> list[tuple[str, str, str]]:
    return [(a["kind"], a["threshold"], a["due"]) for a in result.new]


def days(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


@pytest.fixture
def log_path(_isolated_config: Path) -> Path:
    (_isolated_config / "gongkai.toml").write_text('[alerts]\nlog = "alerts.jsonl"\n', encoding="utf-8")
    return _isolated_config / "alerts.jsonl"


def test_a_request_walked_through_two_months_is_warned_on_the_right_working_days_once(
        make_app: Callable[..., Gongkai], log_path: Path) -> None:
    """Received Tue 2026-02-10; extended by 10 working days on 03-10; answered 04-02.

    correction notice due 02-26: before-5 on 02-12, nothing over the Spring Festival, before-2 on
    02-24, due on 02-26, never overdue. Reply due 03-16: before-5 on 03-09. The extension moves it to
    03-30, so 03-12 (before-2 for 03-16) brings nothing; for 03-30: before-5 on 03-23, before-2 on
    03-26, due 03-30, overdue on 03-31, 04-01 and 04-02, then nothing once it is answered.
    """
    app = make_app(today=date(2026, 2, 10))
    ref = register(app, date(2026, 2, 10))
    raised: dict[str, list[tuple[str, str, str]]] = {}
    for day in days(date(2026, 2, 10), date(2026, 4, 7)):
        with time_machine.travel(datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC), tick=False):
            today = replace(app, today=date.today())
            if day == date(2026, 3, 10):
                advance(app, ref, "extend", day, days=10, approved_by="张主任")
            first, again = alerts.sweep(today), alerts.sweep(today)
            assert again.new == [], f"a second sweep on {day} raised {seen(again)}"
            if first.new:
                raised[day.isoformat()] = seen(first)
            if day == date(2026, 4, 2):
                advance(app, ref, "decide", day, outcome="disclosed")
    assert raised == {
        "2026-02-12": [("correction_notice", "before-5", "2026-02-26")],
        "2026-02-24": [("correction_notice", "before-2", "2026-02-26")],
        "2026-02-26": [("correction_notice", "due", "2026-02-26")],
        "2026-03-09": [("reply", "before-5", "2026-03-16")],
        "2026-03-23": [("reply", "before-5", "2026-03-30")],
        "2026-03-26": [("reply", "before-2", "2026-03-30")],
        "2026-03-30": [("reply", "due", "2026-03-30")],
        "2026-03-31": [("reply", "overdue-1", "2026-03-30")],
        "2026-04-01": [("reply", "overdue-2", "2026-03-30")],
        "2026-04-02": [("reply", "overdue-3", "2026-03-30")],
    }
    logged = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    assert [(x["created_on"], x["threshold"], x["due"]) for x in logged] == [
        (d, t, due) for d, found in raised.items() for _, t, due in found]
    assert all(x["ref"] == ref and x["officer"] == "李明" for x in logged)
    assert "张三" not in log_path.read_text(encoding="utf-8")  # no applicant's data in the log
    assert [x["to_supervisors"] for x in logged if x["due"] == "2026-03-30"] == [False, False, False, True, True, True]


def test_a_consultation_pauses_the_reply_alerts_and_warns_of_its_own_date(make_app: Callable[..., Gongkai]) -> None:
    """Received 03-02, third party consulted 03-03: its opinion is due 03-24 (15 working days)."""
    app = make_app(today=date(2026, 3, 2))
    ref = register(app, date(2026, 3, 2))
    advance(app, ref, "consult", date(2026, 3, 3), party="third-party")
    got = {d.isoformat(): seen(alerts.sweep(replace(app, today=d)))
           for d in days(date(2026, 3, 3), date(2026, 3, 26))}
    assert {d: found for d, found in got.items() if found} == {  # no correction can be asked for now
        "2026-03-17": [("consultation", "before-5", "2026-03-24")],
        "2026-03-20": [("consultation", "before-2", "2026-03-24")],
        "2026-03-24": [("consultation", "due", "2026-03-24")],
        "2026-03-25": [("consultation", "overdue-1", "2026-03-24")],
        "2026-03-26": [("consultation", "overdue-2", "2026-03-24")],
    }
    late = alerts.list_alerts(app)[0]
    assert (late["threshold"], late["action"], late["to_supervisors"]) == ("overdue-2", "consult-reply", True)


def test_a_lapsed_correction_period_asks_for_lapse_correction_until_it_is_recorded(
        make_app: Callable[..., Gongkai]) -> None:
    """Correction asked 03-03 with 3 working days: due 03-06; lapse-correction is allowed from 03-07."""
    app = make_app(today=date(2026, 3, 2))
    ref = register(app, date(2026, 3, 2))
    advance(app, ref, "request-correction", date(2026, 3, 3), period=3)
    assert seen(alerts.sweep(replace(app, today=date(2026, 3, 3)))) == [("correction_period", "before-5", "2026-03-06")]
    overdue = alerts.sweep(replace(app, today=date(2026, 3, 9))).new
    assert [(a["threshold"], a["action"]) for a in overdue] == [("overdue-1", "lapse-correction")]
    assert "lapse-correction" in overdue[0]["message"]
    advance(app, ref, "lapse-correction", date(2026, 3, 9))
    assert alerts.sweep(replace(app, today=date(2026, 3, 10))).new == []


def test_open_requests_are_flagged_for_carry_over_from_15_december(make_app: Callable[..., Gongkai]) -> None:
    app = make_app(today=date(2026, 12, 14), officer="李明")
    register(app, date(2026, 12, 1))
    register(make_app(today=date(2026, 12, 14), officer="王芳"), date(2026, 12, 2))
    done = register(app, date(2026, 12, 3))
    advance(app, done, "decide", date(2026, 12, 4), outcome="disclosed")
    assert [a for a in alerts.sweep(app).new if a["kind"] == "carry_over"] == []
    found = [a for a in alerts.sweep(replace(app, today=date(2026, 12, 15))).new if a["kind"] == "carry_over"]
    assert sorted((a["officer"], a["threshold"], a["due"], a["key"]) for a in found) == [
        ("李明", "opens", "2026-12-31", "2026"), ("王芳", "opens", "2026-12-31", "2026")]
    assert found[0]["message"].startswith("您有1件申请尚未办结，2026-12-31前未办结的将结转2027年度继续办理")
    assert [a["threshold"] for a in alerts.sweep(replace(app, today=date(2026, 12, 24))).new
            if a["kind"] == "carry_over"] == ["before-5", "before-5"]


def test_the_annual_report_is_due_by_31_january_until_the_year_is_closed(make_app: Callable[..., Gongkai],
                                                                       db_target: str) -> None:
    app = make_app(today=date(2026, 1, 2))
    register(app, date(2025, 12, 1))
    assert [a for a in alerts.sweep(app).new if a["kind"] == "annual_report"] == []
    opened = [a for a in alerts.sweep(replace(app, today=date(2026, 1, 4))).new if a["kind"] == "annual_report"]
    assert [(a["agency"], a["key"], a["threshold"], a["due"], a["to_supervisors"]) for a in opened] == [
        ("本机关", "2025", "opens", "2026-01-31", True)]
    late = [a for a in alerts.sweep(replace(app, today=date(2026, 2, 2))).new if a["kind"] == "annual_report"]
    assert [a["threshold"] for a in late] == ["overdue-1"]
    with db.unit_of_work(app.engine) as session:
        session.add(models.ClosedYear(agency="本机关", year=2025, closed_at=datetime.now(UTC), closed_by="张主任",
                                      checksum="0" * 64, report="{}"))
    assert [a for a in alerts.sweep(replace(app, today=date(2026, 2, 3))).new if a["kind"] == "annual_report"] == []


def test_alerts_run_prints_what_it_raised_and_a_second_run_nothing(cli: Cli) -> None:
    with time_machine.travel("2026-03-16 08:00 +0800", tick=False):
        cli("register", "--received-on", "2026-02-10", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "某批复")
        first = cli.json("alerts", "run")
        assert isinstance(first, dict) and set(first) == {"on", "new", "sent", "failed", "pending", "unaddressed"}
        assert [(a["ref"], a["kind"], a["threshold"]) for a in first["new"]] == [("2026-0001", "reply", "due")]
        assert cli.json("alerts", "run")["new"] == []  # type: ignore[index]
    with time_machine.travel("2026-03-17 08:00 +0800", tick=False):
        human = cli("alerts", "run").stdout
        assert "2026-0001" in human and "逾期1个工作日" in human
        assert cli.json("alerts", "run", "--on", "2026-03-16")["new"] == []  # type: ignore[index]
        listed = cli.json("alerts", "list")
        assert [a["threshold"] for a in listed] == ["overdue-1", "due"]  # type: ignore[union-attr]
        assert cli.json("alerts", "list", "--pending") == []


def test_alerts_run_refuses_a_future_date_and_changes_nothing(cli: Cli) -> None:
    with time_machine.travel("2026-03-16 08:00 +0800", tick=False):
        cli("register", "--received-on", "2026-02-10", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "某批复")
        before = cli.dump()
        result = cli("alerts", "run", "--on", "2026-03-17", ok=False)
        assert result.exit_code == 1  # type: ignore[attr-defined]
        assert "--on: 2026-03-17 晚于今天" in result.stderr  # type: ignore[attr-defined]
        assert cli("alerts", "run", "--on", "2026-3-x", ok=False).exit_code == 1  # type: ignore[attr-defined]
        assert cli.dump() == before


# -- two sweeps at once ------------------------------------------------------------------------------

def _sweep_in_a_process(target: str, config_dir: str, day: date, start: Any, out: Any) -> None:
    import os

    from workflow.settings import Settings

    os.environ["GONGKAI_CONFIG_DIR"] = config_dir
    app = Gongkai.open(target, officer="李明", today=day, settings=Settings.load())
    start.wait(60)
    result = alerts.sweep(app)
    out.put(([a["id"] for a in result.new], result.delivered.sent))


def test_two_sweeps_in_parallel_processes_raise_and_deliver_each_alert_once(
        make_app: Callable[..., Gongkai], db_target: str, _isolated_config: Path) -> None:
    from tests.integration.test_mail import SmtpSink

    with SmtpSink() as smtp:
        (_isolated_config / "gongkai.toml").write_text(
            f'[alerts]\nlog = "alerts.jsonl"\n[alerts.smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\n'
            f'[alerts.officers]\n"李明" = "liming@example.gov.cn"\n[alerts.supervisors]\n"张主任" = "zhang@example.gov.cn"\n',
            encoding="utf-8")
        app = make_app(today=date(2026, 3, 13))
        for offset in range(40):  # received 02-02 … 03-13: every threshold from before-5 to overdue
            register(app, date(2026, 2, 2) + timedelta(days=offset))
        ctx = multiprocessing.get_context("spawn")
        start, out = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_sweep_in_a_process,
                             args=(db_target, str(_isolated_config), date(2026, 3, 13), start, out)) for _ in range(2)]
        for p in procs:
            p.start()
        results = [out.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
    raised = [i for ids, _ in results for i in ids]
    assert len(raised) == len(set(raised)) > 10
    assert sorted(a["id"] for a in alerts.list_alerts(app, limit=1000)) == sorted(raised)
    logged = [json.loads(line)["id"] for line in (_isolated_config / "alerts.jsonl").read_text().splitlines()]
    assert sorted(logged) == sorted(raised)
    assert sorted(smtp.alert_ids("liming@example.gov.cn")) == sorted(raised)
    overdue = [a["id"] for a in alerts.list_alerts(app, limit=1000) if a["overdue"]]
    assert overdue and sorted(smtp.alert_ids("zhang@example.gov.cn")) == sorted(overdue)
    assert sum(sent["log"] for _, sent in results) == len(raised)


# -- scale -------------------------------------------------------------------------------------------

def open_requests(app: Gongkai, n: int, due: date) -> None:
    """``n`` open requests whose reply fell due on ``due``, written straight into the tables."""
    from sqlalchemy import insert, select

    now = datetime.now(UTC)
    with app.engine.begin() as c:
        c.execute(insert(models.Request), [
            {"agency": "本机关", "ref": f"2026-{i:05d}", "year": 2026, "seq": i, "received_on": date(2026, 2, 10),
             "channel": "online", "applicant_name": "张三", "applicant_type": "natural_person", "subject": "某批复",
             "officer": "李明", "state": "received", "created_at": now} for i in range(1, n + 1)])
        ids = c.execute(select(models.Request.id)).scalars().all()
        c.execute(insert(models.Deadline), [{"request_id": i, "kind": "reply", "key": "", "due_on": due} for i in ids])


@pytest.mark.parametrize("n", [20, 900])
def test_a_sweep_takes_the_same_few_statements_for_20_or_900_overdue_requests(
        make_app: Callable[..., Gongkai], log_path: Path, n: int) -> None:
    """No per-request query: the deadline rows come in one indexed query, alerts and deliveries go in bulk."""
    from sqlalchemy import event

    app = make_app(today=date(2026, 3, 17))
    open_requests(app, n, date(2026, 3, 16))
    statements: list[str] = []
    event.listen(app.engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    result = alerts.sweep(app)
    assert len(result.new) == n and result.delivered.sent["log"] == n
    assert len(statements) <= 12, statements
    assert len(log_path.read_text().splitlines()) == n


# -- recording and delivering once ---------------------------------------------------------------------

def table_rows(app: Gongkai, table: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    with app.engine.connect() as c:
        return [dict(row._mapping) for row in c.execute(select(table.__table__).order_by(table.__table__.c.id))]


def test_a_second_sweep_the_same_day_records_nothing_and_sends_nothing(
        make_app: Callable[..., Gongkai], log_path: Path) -> None:
    app = make_app(today=date(2026, 3, 17))
    open_requests(app, 30, date(2026, 3, 16))
    first = alerts.sweep(app)
    assert len(first.new) == 30 and first.delivered.sent == {"log": 30, "mail": 0}
    recorded, log = (table_rows(app, models.Alert), table_rows(app, models.AlertDelivery)), log_path.read_text()
    again = alerts.sweep(app)
    assert again.new == [] and again.delivered.sent == {"log": 0, "mail": 0} and again.delivered.pending == 0
    assert (table_rows(app, models.Alert), table_rows(app, models.AlertDelivery)) == recorded
    assert log_path.read_text() == log
    assert {(d["state"], d["attempts"], d["claim"]) for d in recorded[1]} == {("sent", 1, None)}


def test_the_deliveries_a_sweep_creates_are_its_own_while_it_sends(
        make_app: Callable[..., Gongkai], log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second sweep that runs after the first one recorded its alerts but before it sent them finds
    nothing new and nothing to claim: each alert is logged once, by the sweep that raised it."""
    from workflow.alerts import delivery as alert_delivery

    app = make_app(today=date(2026, 3, 17))
    open_requests(app, 25, date(2026, 3, 16))
    send, meanwhile = alert_delivery._send, []

    def send_after_another_sweep(cfg: alerts.AlertSettings, claimed: alert_delivery.Batch, *retried: Any) -> Any:
        if not meanwhile:
            meanwhile.append(None)
            meanwhile[0] = alerts.sweep(app)
        return send(cfg, claimed, *retried)

    monkeypatch.setattr(alert_delivery, "_send", send_after_another_sweep)
    first = alerts.sweep(app)
    (second,) = meanwhile
    assert second.new == [] and second.delivered.sent == {"log": 0, "mail": 0}
    assert len(first.new) == 25 and first.delivered.sent == {"log": 25, "mail": 0} and first.delivered.pending == 0
    logged = [json.loads(line)["id"] for line in log_path.read_text().splitlines()]
    assert logged == [a["id"] for a in first.new] == sorted(logged)


def test_a_sweep_killed_before_sending_is_taken_over_once_its_claim_expires(
        make_app: Callable[..., Gongkai], log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workflow.alerts import delivery as alert_delivery

    app = make_app(today=date(2026, 3, 17))
    open_requests(app, 10, date(2026, 3, 16))

    def killed(*_: object) -> None:
        raise KeyboardInterrupt

    start = datetime(2026, 3, 17, 7, 30, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        with monkeypatch.context() as m:
            m.setattr(alert_delivery, "_send", killed)
            with pytest.raises(KeyboardInterrupt):
                alerts.sweep(app)
        assert not log_path.exists()
        retry = alerts.sweep(app)  # the claim is fresh: the killed sweep may still be sending
        assert retry.new == [] and retry.delivered.sent == {"log": 0, "mail": 0} and retry.delivered.pending == 10
    with time_machine.travel(start + alert_delivery.CLAIM_EXPIRES + timedelta(seconds=1), tick=False):
        taken_over = alerts.deliver(app)
        assert taken_over.sent == {"log": 10, "mail": 0} and taken_over.pending == 0
        assert alerts.deliver(app).sent == {"log": 0, "mail": 0}
    assert len(log_path.read_text().splitlines()) == 10


def test_the_annual_report_is_asked_of_each_agency_that_received_requests_that_year(
        make_app: Callable[..., Gongkai]) -> None:
    """民政局 and 财政局 received requests in 2025, 交通局 only in 2026; 财政局 has closed 2025."""
    from sqlalchemy import insert

    app = make_app(today=date(2026, 2, 2))
    now = datetime.now(UTC)
    with app.engine.begin() as c:
        c.execute(insert(models.Request), [
            {"agency": agency, "ref": f"{received.year}-{i:04d}", "year": received.year, "seq": i,
             "received_on": received, "channel": "online", "applicant_name": "张三",
             "applicant_type": "natural_person", "subject": "某批复", "officer": "李明", "state": "concluded",
             "created_at": now}
            for i, (agency, received) in enumerate([("民政局", date(2025, 3, 1)), ("民政局", date(2026, 1, 5)),
                                                    ("财政局", date(2025, 12, 31)), ("交通局", date(2026, 1, 2))],
                                                   start=1)])
        c.execute(insert(models.ClosedYear), [{"agency": "财政局", "year": 2025, "closed_at": now,
                                               "closed_by": "钱主任", "checksum": "0" * 64, "report": "{}"}])
    raised = [(a["agency"], a["key"], a["threshold"]) for a in alerts.sweep(app).new if a["kind"] == "annual_report"]
    assert raised == [("民政局", "2025", "overdue-1")]


def reports(result: alerts.SweepResult) -> list[tuple[str, str, str, str, bool]]:
    """The annual-report alerts of a sweep: (agency, kind, threshold, due, overdue), own report first."""
    return sorted((a["agency"], a["kind"], a["threshold"], a["due"], "已逾期" in a["message"]) for a in result.new
                  if a["kind"] in ("annual_report", "annual_rollup"))


def close(app: Gongkai, agency: str, year: int) -> None:
    with db.unit_of_work(app.engine) as session:
        session.add(models.ClosedYear(agency=agency, year=year, closed_at=datetime.now(UTC), closed_by="张主任",
                                      checksum="0" * 64, report="{}"))


def test_a_county_office_owes_its_own_report_by_31_january_and_the_county_roll_up_by_20_february(
        make_app: Callable[..., Gongkai], _isolated_config: Path) -> None:
    """The county government's office (office.level = "county") received a request in December 2026.

    2027-01-04 (first working day): both reports are asked for. 2027-02-01: its own report is overdue
    (条例第四十九条), the roll-up is not (国办公开办函〔2021〕30号: 2月20日). It closes its own 2026; on
    Monday 02-22 the roll-up is overdue, until the platform's 2026 is closed (close-year --all-agencies).
    """
    (_isolated_config / "gongkai.toml").write_text('[office]\nlevel = "county"\n', encoding="utf-8")
    app = make_app(today=date(2026, 12, 1))
    register(app, date(2026, 12, 1))
    assert reports(alerts.sweep(replace(app, today=date(2027, 1, 4)))) == [
        ("本机关", "annual_report", "opens", "2027-01-31", False),
        ("本机关", "annual_rollup", "opens", "2027-02-20", False)]
    on_1_february = alerts.sweep(replace(app, today=date(2027, 2, 1)))
    assert reports(on_1_february) == [("本机关", "annual_report", "overdue-1", "2027-01-31", True)]
    rollup = [a for a in alerts.list_alerts(app) if a["kind"] == "annual_rollup"]
    assert [(a["label"], a["to_supervisors"]) for a in rollup] == [("汇总年度报告", True)]
    assert "应于2027-02-20前报送上一级政府信息公开工作主管部门" in rollup[0]["message"]
    close(app, "本机关", 2026)
    assert reports(alerts.sweep(replace(app, today=date(2027, 2, 22)))) == [
        ("本机关", "annual_rollup", "overdue-1", "2027-02-20", True)]
    close(app, "*", 2026)
    assert reports(alerts.sweep(replace(app, today=date(2027, 2, 23)))) == []


def test_on_a_platform_only_the_agencies_named_in_office_levels_owe_a_roll_up(
        make_app: Callable[..., Gongkai], _isolated_config: Path) -> None:
    """A city's platform: 民政局 received a request in 2026; the city's office (shifu) compiles the
    city's roll-up, due 2027-03-10, whether or not it received any request itself."""
    (_isolated_config / "gongkai.toml").write_text('[office.levels]\nshifu = "city"\n', encoding="utf-8")
    app = make_app(today=date(2026, 12, 1))
    with app.engine.begin() as c:
        c.execute(models.Request.__table__.insert(), [  # type: ignore[attr-defined]
            {"agency": "民政局", "ref": "2026-0001", "year": 2026, "seq": 1, "received_on": date(2026, 12, 1),
             "channel": "online", "applicant_name": "张三", "applicant_type": "natural_person", "subject": "某批复",
             "officer": "李明", "state": "concluded", "created_at": datetime.now(UTC)}])
    assert reports(alerts.sweep(replace(app, today=date(2027, 1, 4), agency="民政局"))) == [
        ("民政局", "annual_report", "opens", "2027-01-31", False)]
    assert reports(alerts.sweep(replace(app, today=date(2027, 1, 4)))) == [
        ("shifu", "annual_rollup", "opens", "2027-03-10", False)]


def test_a_level_that_does_not_exist_is_refused_with_the_levels_that_do(_isolated_config: Path) -> None:
    from workflow.alerts.settings import alert_settings
    from workflow.domain.errors import InvalidInput
    from workflow.settings import Settings

    (_isolated_config / "gongkai.toml").write_text('[office.levels]\nxianfu = "town"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="office.levels.xianfu: 'town' 不是层级；可用：agency, "
                                           "county, city, province, vertical"):
        alert_settings(Settings.load())
    (_isolated_config / "gongkai.toml").write_text('[alerts.annual_report_due]\ncounty = "02-30"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="alerts.annual_report_due.county: '02-30' 不是一年中的日期"):
        alert_settings(Settings.load())
    (_isolated_config / "gongkai.toml").write_text('[alerts.annual_report_due]\ncounty = "02-10"\n', encoding="utf-8")
    assert alert_settings(Settings.load()).report_due["county"] == (2, 10)
