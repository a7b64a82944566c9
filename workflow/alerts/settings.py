"""The [alerts] section of the configuration, checked: thresholds, recipients, mail, the daily time.

Its own module because the sweep that raises alerts and the delivery that sends them both read it
(and the scheduler reads when to run); each imports it, neither imports the other for it::

    [alerts]
    before = [5, 2]          # working days before a deadline
    daily_at = "07:30"
    log = "alerts.jsonl"     # relative to the configuration directory
    [alerts.officers]
    "李明" = "liming@example.gov.cn"

It also reads who compiles a roll-up annual report: ``office.level`` (the level of ``office.agency``)
and ``[office.levels]`` (other agencies of a platform), e.g. ``"xianzhengfuban" = "county"``. An agency
not named there is an ``agency``: it owes its own report only, by the earliest date, so a misspelt
code makes an office hear early, never late.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rules import alerts as rules
from workflow.domain.errors import InvalidInput
from workflow.io.mailer import MailSettings
from workflow.settings import Settings, config_dir


@dataclass(frozen=True)
class AlertSettings:
    """The [alerts] section of the configuration, checked."""

    thresholds: rules.Thresholds = rules.Thresholds()
    carry_over_from: tuple[int, int] = (12, 15)
    annual_report_from: tuple[int, int] = (1, 1)
    log: Path | None = None
    officers: Mapping[str, str] = field(default_factory=dict)
    supervisors: Mapping[str, str] = field(default_factory=dict)
    mail: MailSettings | None = None
    daily_at: tuple[int, int] = (7, 30)
    timezone: str = "Asia/Shanghai"
    retry_minutes: int = 15
    report_due: Mapping[str, tuple[int, int]] = field(default_factory=lambda: dict(rules.REPORT_DUE))
    levels: Mapping[str, str] = field(default_factory=dict)  # agency -> county, city, ...: roll-up offices only


def _report_due(table: Any) -> dict[str, tuple[int, int]]:
    """``[alerts.annual_report_due]``: a day of the year per level, the defaults for those not given."""
    if not isinstance(table, Mapping) or set(table) - set(rules.LEVELS):
        raise InvalidInput("alerts.annual_report_due",
                           f"应为 county = \"02-20\" 这样的行，层级可用：{', '.join(rules.LEVELS)}")
    return {level: _month_day(f"annual_report_due.{level}", table[level]) if level in table else due
            for level, due in rules.REPORT_DUE.items()}


def _levels(settings: Settings) -> dict[str, str]:
    """The agencies that compile a roll-up, and their level: ``office.level`` for ``office.agency``,
    then ``[office.levels]``."""
    office = settings.data.get("office", {})
    table = office.get("levels", {})
    if not isinstance(table, Mapping):
        raise InvalidInput("office.levels", '应为 "xianzhengfuban" = "county" 这样的行（机关代码 = 层级）')
    levels = {settings.agency: office.get("level", rules.AGENCY), **{str(k): v for k, v in table.items()}}
    for agency, level in levels.items():
        if level not in rules.LEVELS:
            where = f"office.levels.{agency}" if agency in table else "office.level"
            raise InvalidInput(where, f"{level!r} 不是层级；可用：{', '.join(rules.LEVELS)}")
    return {agency: level for agency, level in levels.items() if level != rules.AGENCY}


def _month_day(name: str, text: Any) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in str(text).split("-"))
        date(2001, month, day)
    except ValueError:
        raise InvalidInput(f"alerts.{name}", f"{text!r} 不是一年中的日期；应为 月-日（MM-DD），如 12-15") from None
    return month, day


def _clock(text: Any) -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in str(text).split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise InvalidInput("alerts.daily_at", f"{text!r} 不是时刻；应为 时:分（HH:MM），如 07:30") from None
    return hour, minute


def _addresses(name: str, table: Any) -> dict[str, str]:
    if not isinstance(table, Mapping) or not all(isinstance(v, str) and "@" in v for v in table.values()):
        raise InvalidInput(f"alerts.{name}", '应为 "李明" = "liming@example.gov.cn" 这样的行（姓名 = 电子邮件地址）')
    return {str(k): str(v) for k, v in table.items()}


def alert_settings(settings: Settings) -> AlertSettings:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    a = settings.data.get("alerts", {})
    try:
        before = tuple(sorted({int(n) for n in a.get("before", [5, 2])}, reverse=True))
        thresholds = rules.Thresholds(before, bool(a.get("on_the_day", True)), bool(a.get("overdue_daily", True)))
        retry = int(a.get("retry_minutes", 15))
    except (TypeError, ValueError) as e:
        raise InvalidInput("alerts.before", f"应为工作日数的列表，如 [5, 2]（{e}）") from None
    if retry < 1:
        raise InvalidInput("alerts.retry_minutes", f"{retry} 太小；应为 1 分钟或以上")
    timezone = str(a.get("timezone", "Asia/Shanghai"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("alerts.timezone", f"{timezone!r} 不是时区；如 Asia/Shanghai") from None
    log = str(a.get("log", "")).strip()
    log_path = Path(log).expanduser() if log else None
    if log_path is not None and not log_path.is_absolute():
        log_path = config_dir() / log_path
    return AlertSettings(
        thresholds, _month_day("carry_over_from", a.get("carry_over_from", "12-15")),
        _month_day("annual_report_from", a.get("annual_report_from", "01-01")), log_path,
        _addresses("officers", a.get("officers", {})), _addresses("supervisors", a.get("supervisors", {})),
        MailSettings.from_config(a.get("smtp", {})), _clock(a.get("daily_at", "07:30")), timezone, retry,
        _report_due(a.get("annual_report_due", {})), _levels(settings),
    )
