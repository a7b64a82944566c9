"""E-mail delivery of alerts over SMTP: one digest per recipient, and every failure reported, not raised.

An unreachable or refusing mail server must neither lose an alert nor hold up the sweep: the
connection has a timeout, and :func:`send_digests` returns, for each recipient, the error that
stopped their message (or None when the server accepted it). The caller keeps the failed
deliveries pending and tries again at the next sweep or retry.

SMTP is at least once: a message the server accepted just before the sender was killed is sent
again. Its Message-ID is derived from the recipient and the alerts it lists (``message_id``), so
the copy carries the same one and the recipient's server or client can drop it.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from workflow.domain.errors import InvalidInput

PASSWORD_ENV = "GONGKAI_SMTP_PASSWORD"


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 25
    sender: str = "gongkai@localhost"
    starttls: bool = False
    ssl: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 10.0

    @classmethod
    def from_config(cls, smtp: Mapping[str, Any]) -> MailSettings | None:
        """None when no host is configured: e-mail is off."""
        host = str(smtp.get("host", "")).strip()
        if not host:
            return None
        try:
            port, timeout = int(smtp.get("port", 25)), float(smtp.get("timeout_seconds", 10))
        except (TypeError, ValueError):
            raise InvalidInput("alerts.smtp", "port 和 timeout_seconds 须为数字") from None
        if not 0 < port < 65536 or timeout <= 0:
            raise InvalidInput("alerts.smtp", f"port {port} 或 timeout_seconds {timeout} 超出范围；port 应为 1 至 65535，timeout_seconds 应大于 0")
        username = str(smtp.get("username", "")).strip()
        return cls(host, port, str(smtp.get("from", "gongkai@localhost")), bool(smtp.get("starttls", False)),
                   bool(smtp.get("ssl", False)), username, os.environ.get(PASSWORD_ENV, "") if username else "",
                   timeout)


@dataclass(frozen=True)
class Digest:
    """One message: the alerts of one sweep for one recipient."""

    recipient: str
    subject: str
    lines: Sequence[str]
    alert_ids: Sequence[int]


def message_id(settings: MailSettings, digest: Digest) -> str:
    """The same for the same alerts to the same recipient, whenever they are sent: a digest sent
    again (its sweep was killed after sending, before recording it) can be recognised by the
    receiving server or mail client as the message it already has.

    >>> message_id(MailSettings("mx", sender="gk@mz.gov.cn"), Digest("li@mz.gov.cn", "", [], [7, 9]))
    '<alerts-7-9.35679b47910ef4cb@mz.gov.cn>'
    """
    ids = ",".join(str(i) for i in sorted(digest.alert_ids))
    tag = hashlib.sha256(f"{digest.recipient.strip().lower()}\n{ids}".encode()).hexdigest()[:16]
    domain = settings.sender.rpartition("@")[2].strip(" <>") or "gongkai.local"
    first, last = min(digest.alert_ids, default=0), max(digest.alert_ids, default=0)
    return f"<alerts-{first}-{last}.{tag}@{domain}>"


def compose(settings: MailSettings, digest: Digest) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = digest.recipient
    msg["Subject"] = digest.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = message_id(settings, digest)
    msg["X-Gongkai-Alerts"] = ",".join(str(i) for i in digest.alert_ids)
    body = "\n".join(digest.lines)
    msg.set_content(f"{body}\n\n详情：gongkai show 编号；全部提醒：gongkai alerts list\n", charset="utf-8")
    return msg


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.ssl:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls and not settings.ssl:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _reason(e: BaseException) -> str:
    if isinstance(e, smtplib.SMTPResponseException):
        text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{e.smtp_code} {text}".strip()
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{r}: {code} {msg.decode(errors='replace')}" for r, (code, msg) in e.recipients.items())
    return f"{type(e).__name__}: {e}".strip()


def send_digests(settings: MailSettings, digests: Sequence[Digest]) -> dict[str, str | None]:
    """Send each digest over one connection; the error per recipient, None for those delivered."""
    results: dict[str, str | None] = {}
    if not digests:
        return results
    where = f"{settings.host}:{settings.port}"
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as e:
        return {d.recipient: f"cannot reach the mail server {where}: {_reason(e)}" for d in digests}
    try:
        for i, digest in enumerate(digests):
            try:
                smtp.send_message(compose(settings, digest))
                results[digest.recipient] = None
            except (smtplib.SMTPServerDisconnected, OSError) as e:  # the connection is gone: the rest wait too
                for rest in digests[i:]:
                    results[rest.recipient] = f"the mail server {where} dropped the connection: {_reason(e)}"
                return results
            except smtplib.SMTPException as e:
                results[digest.recipient] = f"the mail server {where} refused the message: {_reason(e)}"
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return results
