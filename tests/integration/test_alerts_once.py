"""Alerts exactly once where the channel allows it: the log file and the database; at least once by
SMTP, with a Message-ID that lets the recipient drop the copy.

A sweep writes the log and sends the mail outside any transaction, then records the deliveries. When
it is killed in between, the next sweep takes its claim over (after ``CLAIM_EXPIRES``): it finds the
alerts already in the log and does not write them again; the mail goes again, under the same
Message-ID.

Requests received 2026-02-10 and 2026-03-13: on Tue 2026-03-17 the first one's reply (due 03-16) is
overdue-1 and the second one's correction notice (due 03-24) at before-5.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tests.integration.test_alerts import log_path, open_requests  # noqa: F401  (a fixture)
from tests.integration.test_mail import SmtpSink, two_requests  # noqa: F401  (a fixture)
from workflow.alerts import delivery as alert_delivery
from workflow.alerts import sweep as alerts
from workflow.app import Gongkai

START = datetime(2026, 3, 17, 7, 30, tzinfo=UTC)
TAKEN_OVER = START + alert_delivery.CLAIM_EXPIRES + timedelta(seconds=1)


def killed_after_sending(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep's process dies once the log is written and the mail sent, before it records that."""
    send = alert_delivery._send

    def send_then_die(*args: Any) -> Any:
        send(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(alert_delivery, "_send", send_then_die)


def logged(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_sweep_killed_between_sending_and_recording_logs_each_alert_once_and_mails_the_same_message_id(
        two_requests: Callable[[int], Gongkai], _isolated_config: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    log = _isolated_config / "alerts.jsonl"
    with SmtpSink() as smtp:
        app = two_requests(smtp.port)
        with time_machine.travel(START, tick=False):
            with monkeypatch.context() as m:
                killed_after_sending(m)
                with pytest.raises(KeyboardInterrupt):
                    alerts.sweep(app)
            raised = [a["id"] for a in alerts.list_alerts(app)]
            assert len(raised) == 2 and [a["id"] for a in logged(log)] == sorted(raised)
            assert len(smtp.received) == 2  # the officer's digest and the supervisor's
        with time_machine.travel(TAKEN_OVER, tick=False):
            taken_over = alerts.deliver(app)
            assert taken_over.sent == {"log": 2, "mail": 3} and taken_over.pending == 0
            assert alerts.deliver(app).sent == {"log": 0, "mail": 0}
    assert [a["id"] for a in logged(log)] == sorted(raised)  # not written again
    officer, supervisor = smtp.to("liming@example.gov.cn"), smtp.to("zhang@example.gov.cn")
    assert len(officer) == len(supervisor) == 2  # SMTP is at least once …
    assert officer[0]["Message-ID"] == officer[1]["Message-ID"]  # … and the copy says it is one
    assert supervisor[0]["Message-ID"] == supervisor[1]["Message-ID"] != officer[0]["Message-ID"]
    assert officer[0]["Message-ID"].endswith("@example.gov.cn>")


def test_the_next_days_digest_has_a_message_id_of_its_own(
        two_requests: Callable[[int], Gongkai]) -> None:  # noqa: F811
    with SmtpSink() as smtp:
        app = two_requests(smtp.port)
        alerts.sweep(app)
        alerts.sweep(replace(app, today=date(2026, 3, 18)))  # overdue-2 is new
    first, second = smtp.to("liming@example.gov.cn")
    assert first["Message-ID"] != second["Message-ID"]


def test_a_line_cut_short_by_a_kill_is_left_alone_and_its_alert_written_again_whole(
        make_app: Callable[..., Gongkai], log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    app = make_app(today=date(2026, 3, 17))
    open_requests(app, 3, date(2026, 3, 16))
    with time_machine.travel(START, tick=False), monkeypatch.context() as m:
        killed_after_sending(m)
        with pytest.raises(KeyboardInterrupt):
            alerts.sweep(app)
    lines = log_path.read_bytes().splitlines(keepends=True)
    log_path.write_bytes(lines[0] + lines[1][:40])  # killed while it wrote the second line
    with time_machine.travel(TAKEN_OVER, tick=False):
        assert alerts.deliver(app).sent == {"log": 3, "mail": 0}
    text = log_path.read_text(encoding="utf-8").splitlines()
    assert text[1] == lines[1][:40].decode()  # the stub stays, on a line of its own
    ids = [json.loads(line)["id"] for i, line in enumerate(text) if i != 1]
    assert sorted(ids) == sorted(a["id"] for a in alerts.list_alerts(app)) and len(ids) == 3


def alert(alert_id: int, threshold: str, created_on: str = "2026-03-17") -> dict[str, Any]:
    return {"id": alert_id, "created_on": created_on, "ref": "2026-0001", "kind": "reply", "key": "",
            "threshold": threshold, "due": "2026-03-16"}


def test_after_a_restore_an_id_given_to_another_alert_is_still_logged(tmp_path: Path) -> None:
    """A database restored from an older backup numbers new alerts from where the backup stopped: the
    log knows an alert by its id and what it is about, not by the id alone."""
    log = tmp_path / "alerts.jsonl"
    assert alert_delivery._write_log(log, [alert(7, "before-5")]) is None
    assert alert_delivery._write_log(log, [alert(7, "before-5")], [alert(7, "before-5")]) is None
    assert alert_delivery._write_log(log, [alert(7, "overdue-1")], [alert(7, "overdue-1")]) is None
    assert [(a["id"], a["threshold"]) for a in logged(log)] == [(7, "before-5"), (7, "overdue-1")]
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_the_log_is_searched_back_only_to_the_day_before_the_alert_was_raised(tmp_path: Path) -> None:
    """Looking for alerts taken over costs the lines written since they were raised, not the whole log:
    a line logged two days before an alert was raised cannot be that alert's line."""
    log = tmp_path / "alerts.jsonl"
    with time_machine.travel(datetime(2026, 3, 15, 1, 0, tzinfo=UTC), tick=False):
        alert_delivery._write_log(log, [alert(1, "before-5", "2026-03-15")])
    with time_machine.travel(datetime(2026, 3, 17, 1, 0, tzinfo=UTC), tick=False):
        alert_delivery._write_log(log, [alert(2, "before-2")])
    with log.open("rb") as f:
        assert alert_delivery.already_logged(f, [alert(2, "before-2"), alert(1, "before-5", "2026-03-17")]) == {
            (2, "2026-0001", "reply", "", "before-2", "2026-03-16")}
        assert len(alert_delivery.already_logged(f, [alert(1, "before-5", "2026-03-16")])) == 1


def test_a_log_that_is_a_symbolic_link_is_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "passwd"
    elsewhere.write_text("root:x:0:0\n", encoding="utf-8")
    (tmp_path / "alerts.jsonl").symlink_to(elsewhere)
    error = alert_delivery._write_log(tmp_path / "alerts.jsonl", [alert(1, "before-5")])
    assert error and "cannot append" in error and elsewhere.read_text(encoding="utf-8") == "root:x:0:0\n"
