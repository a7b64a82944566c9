"""E-mail alerts through a real SMTP server on loopback (aiosmtpd), and what happens when it fails."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.integration.test_alerts import register
from workflow.alerts import sweep as alerts
from workflow.app import Gongkai


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts, or refuses them all."""

    def __init__(self, port: int | None = None, refuse: str | None = None) -> None:
        self.port = port or free_port()
        self.refuse = refuse
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"

    def __enter__(self) -> SmtpSink:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.received if address in rcpt]

    def alert_ids(self, address: str) -> list[int]:
        return [int(i) for m in self.to(address) for i in str(m["X-Gongkai-Alerts"]).split(",")]


def configure(conf: Path, port: int, timeout: int = 10) -> None:
    (conf / "gongkai.toml").write_text(
        f'[alerts]\nlog = "alerts.jsonl"\n'
        f'[alerts.smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "gongkai@example.gov.cn"\n'
        f'timeout_seconds = {timeout}\n'
        f'[alerts.officers]\n"李明" = "liming@example.gov.cn"\n'
        f'[alerts.supervisors]\n"张主任" = "zhang@example.gov.cn"\n', encoding="utf-8")


@pytest.fixture
def two_requests(make_app: Callable[..., Gongkai], _isolated_config: Path) -> Callable[[int], Gongkai]:
    """Received 02-10 and 03-13 2026. On 03-17 the first one's reply (due 03-16) is overdue-1 and the
    second one's correction notice (due 03-24) is at before-5; on 03-18 only overdue-2 is new."""

    def make(port: int, timeout: int = 10) -> Gongkai:
        configure(_isolated_config, port, timeout)
        app = make_app(today=date(2026, 3, 17))
        register(app, date(2026, 2, 10))
        register(app, date(2026, 3, 13))
        return app

    return make


def test_the_officer_and_the_supervisors_each_get_one_message_listing_their_alerts(
        two_requests: Callable[[int], Gongkai]) -> None:
    with SmtpSink() as smtp:
        app = two_requests(smtp.port)
        result = alerts.sweep(app)
    assert [(a["ref"], a["kind"], a["threshold"]) for a in result.new] == [
        ("2026-0001", "reply", "overdue-1"), ("2026-0002", "correction_notice", "before-5")]
    assert result.delivered.sent == {"log": 2, "mail": 3} and result.delivered.failed == []
    (officer,), (supervisor,) = smtp.to("liming@example.gov.cn"), smtp.to("zhang@example.gov.cn")
    assert officer["Subject"] == "【政府信息公开】期限提醒2条（其中逾期1条）"
    assert officer["From"] == "gongkai@example.gov.cn"
    body = officer.get_content()
    assert "2026-0001　答复期限已于2026-03-16届满，已逾期1个工作日" in body
    assert "2026-0002　补正告知期限于2026-03-24届满，还有5个工作日" in body
    assert "13812345678" not in body and "张三" not in body
    assert smtp.alert_ids("zhang@example.gov.cn") == [result.new[0]["id"]]  # only the overdue one
    assert "（承办人：李明）" in supervisor.get_content()


def test_a_refusing_mail_server_leaves_the_alert_pending_and_a_later_sweep_sends_it_once(
        two_requests: Callable[[int], Gongkai]) -> None:
    with SmtpSink(refuse="451 4.3.0 mailbox busy, try later") as smtp:
        app = two_requests(smtp.port)
        first = alerts.sweep(app)
        assert len(first.new) == 2 and smtp.received == []
        assert first.delivered.sent == {"log": 2, "mail": 0} and first.delivered.pending == 3
        assert {f["recipient"] for f in first.delivered.failed} == {"liming@example.gov.cn", "zhang@example.gov.cn"}
        assert "451 4.3.0 mailbox busy" in first.delivered.failed[0]["error"]
        waiting = alerts.list_alerts(app, pending=True)
        assert {(d["recipient"], d["attempts"], d["state"]) for a in waiting for d in a["deliveries"]
                if d["channel"] == "mail"} == {("liming@example.gov.cn", 1, "pending"), ("zhang@example.gov.cn", 1, "pending")}
        smtp.refuse = None
        later = alerts.sweep(replace(app, today=date(2026, 3, 18)))  # the next day: overdue-2 joins them
    assert [a["threshold"] for a in later.new] == ["overdue-2"]
    assert later.delivered.sent == {"log": 1, "mail": 5} and later.delivered.pending == 0
    everything = sorted(a["id"] for a in alerts.list_alerts(app))
    assert sorted(smtp.alert_ids("liming@example.gov.cn")) == everything
    assert alerts.list_alerts(app, pending=True) == []
    assert {d["attempts"] for a in alerts.list_alerts(app) for d in a["deliveries"] if d["channel"] == "mail"} == {1, 2}


def test_an_unreachable_mail_server_neither_blocks_the_sweep_nor_loses_the_alert(
        two_requests: Callable[[int], Gongkai], _isolated_config: Path) -> None:
    port = free_port()  # nothing listens here yet
    app = two_requests(port)
    result = alerts.sweep(app)
    assert len(result.new) == 2 and result.delivered.sent == {"log": 2, "mail": 0}
    assert "cannot reach the mail server 127.0.0.1:" in result.delivered.failed[0]["error"]
    assert len((_isolated_config / "alerts.jsonl").read_text().splitlines()) == 2  # the log has them already
    with SmtpSink(port=port) as smtp:
        retried = alerts.deliver(app)
    assert retried.sent == {"log": 0, "mail": 3} and retried.pending == 0
    assert len(smtp.to("liming@example.gov.cn")) == 1


def test_a_mail_server_that_never_answers_costs_one_timeout(two_requests: Callable[..., Gongkai]) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections, never greets
        app = two_requests(silent.getsockname()[1], timeout=1)
        done = threading.Event()
        result: list[alerts.SweepResult] = []
        worker = threading.Thread(target=lambda: (result.append(alerts.sweep(app)), done.set()))
        worker.start()
        assert done.wait(60), "the sweep hung on a silent mail server"
    assert len(result[0].new) == 2 and result[0].delivered.pending == 3
    assert "timed out" in result[0].delivered.failed[0]["error"]


def test_supervisors_registered_for_an_agency_get_its_overdue_alerts(
        make_app: Callable[..., Gongkai], _isolated_config: Path) -> None:
    from workflow.store import db, models

    with SmtpSink() as smtp:
        (_isolated_config / "gongkai.toml").write_text(
            f'[alerts.smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\n', encoding="utf-8")
        setup = make_app(today=date(2026, 3, 17))
        with db.unit_of_work(setup.engine) as session:
            session.add(models.Agency(code="民政局", name="某区民政局"))
            session.add(models.Agency(code="财政局", name="某区财政局"))
            session.flush()
            session.add(models.Officer(name="平台", agency="民政局", role="platform"))
            session.add(models.Officer(name="李明", agency="民政局", role="officer", email="liming@mz.gov.cn"))
            session.add(models.Officer(name="赵主任", agency="民政局", role="supervisor", email="zhao@mz.gov.cn"))
            session.add(models.Officer(name="钱主任", agency="财政局", role="supervisor", email="qian@cz.gov.cn"))
        register(make_app(today=date(2026, 3, 17), officer="李明"), date(2026, 2, 10))
        result = alerts.sweep(make_app(today=date(2026, 3, 17), officer="平台"))
    assert [(a["agency"], a["threshold"]) for a in result.new] == [("民政局", "overdue-1")]
    assert smtp.alert_ids("liming@mz.gov.cn") == smtp.alert_ids("zhao@mz.gov.cn") == [result.new[0]["id"]]
    assert smtp.to("qian@cz.gov.cn") == []


def test_an_officer_without_an_address_is_named_so_the_alert_is_not_silently_unmailed(
        make_app: Callable[..., Gongkai], _isolated_config: Path) -> None:
    with SmtpSink() as smtp:
        configure(_isolated_config, smtp.port)
        app = make_app(today=date(2026, 3, 17), officer="王芳")
        register(app, date(2026, 2, 10))
        result = alerts.sweep(app)
    assert result.unaddressed == ["王芳"]
    assert smtp.to("zhang@example.gov.cn") and result.delivered.sent["mail"] == 1  # the supervisor still hears
