"""Settings and the working-day calendar, read once per command from the configuration files.

This is the only module that reads configuration: ``rules`` receives the results as values.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import config
from rules import calendar as cal
from rules.deadlines import Periods
from workflow.domain.errors import InvalidInput


def config_dir() -> Path:
    env = os.environ.get("GONGKAI_CONFIG_DIR")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("gongkai"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise InvalidInput(str(path), f"不是有效的 TOML：{e}") from None


def _dates(path: Path, key: str, values: Any, year: int) -> set[date]:
    if not isinstance(values, list):
        raise InvalidInput(f"{path}: {key}", "应为日期列表，如 \"2027-01-01\"，或日期范围 \"A..B\"")
    out: set[date] = set()
    for item in values:
        text = str(item)
        try:
            if ".." in text:
                first, last = (date.fromisoformat(p.strip()) for p in text.split("..", 1))
                out.update(first + timedelta(days=i) for i in range((last - first).days + 1))
            else:
                out.add(date.fromisoformat(text))
        except ValueError:
            raise InvalidInput(f"{path}: {key}", f"{text!r} 不是日期（YYYY-MM-DD）或日期范围（A..B）") from None
    stray = sorted(d for d in out if d.year != year)
    if stray:
        raise InvalidInput(f"{path}: {key}", f"{stray[0].isoformat()} 不在 {year} 年内")
    return out


def read_year_file(path: Path) -> cal.YearSpec:
    data = _read_toml(path)
    try:
        year = int(data.get("year", path.stem))
    except ValueError:
        raise InvalidInput(str(path), "文件须写明 year = YYYY（或以 2027.toml 这样的年份命名）") from None
    days_off = _dates(path, "days_off", data.get("days_off", []), year)
    makeup = _dates(path, "makeup_workdays", data.get("makeup_workdays", []), year)
    try:
        return cal.YearSpec(year, cal.YearStatus.OFFICIAL, frozenset(d for d in days_off if d.weekday() < 5),
                            frozenset(makeup), str(data.get("source", path.name)))
    except ValueError as e:
        raise InvalidInput(str(path), str(e)) from None


@dataclass
class Settings:
    data: dict[str, Any]
    holiday_files: list[Path] = field(default_factory=list)
    directory: Path | None = None  # where gongkai.toml was looked for

    @classmethod
    def load(cls, directory: Path | None = None) -> Settings:
        directory = directory or config_dir()
        data = _read_toml(config.DIR / "defaults.toml")
        user = directory / "gongkai.toml"
        if user.is_file():
            data = _merge(data, _read_toml(user))
        files: dict[str, Path] = {}
        for d in (config.DIR / "holidays", directory / "holidays"):
            if d.is_dir():
                files.update({p.name: p for p in sorted(d.glob("*.toml"))})
        return cls(data, [files[k] for k in sorted(files)], directory)

    def get(self, section: str, key: str) -> Any:
        return self.data[section][key]

    @property
    def agency(self) -> str:
        return str(self.get("office", "agency"))

    @property
    def evidence_paths(self) -> tuple[Path, Path, Path]:
        """(private key, public key, checkpoint file): ``[evidence]`` in gongkai.toml, or by default
        in the ``evidence`` folder of the configuration directory (``gongkai evidence init``)."""
        base = (self.directory or config_dir()) / "evidence"
        given = self.data.get("evidence", {})

        def path(key: str, default: str) -> Path:
            value = str(given.get(key) or "")
            return Path(value).expanduser() if value else base / default

        return (path("private_key", "evidence-key.pem"), path("public_key", "evidence-key.pub.pem"),
                path("checkpoints", "checkpoints.jsonl"))

    @property
    def mask(self) -> bool:
        return bool(self.get("privacy", "mask"))

    @cached_property
    def periods(self) -> Periods:
        d = self.data["deadlines"]
        return Periods(
            reply=int(d["reply"]), correction_notice=int(d["correction_notice"]),
            correction_default=int(d["correction_default"]), consultation=int(d["consultation"]),
            extension_max=int(d["extension_max"]), fee_payment=int(d["fee_payment"]),
            fee_pauses_reply=bool(d["fee_pauses_reply"]), delay_max=int(d["delay_max"]),
            late_correction_restarts=bool(d["late_correction_restarts"]),
        )

    @cached_property
    def calendar(self) -> cal.WorkCalendar:
        official: dict[int, cal.YearSpec] = {}
        for year in cal.official_years():
            spec = cal.official_year(year)
            if spec is not None:
                official[year] = spec
        overrides = {spec.year: spec for spec in map(read_year_file, self.holiday_files)}
        c = self.data["calendar"]
        return cal.assemble(official, overrides, int(c["provisional_years_ahead"]),
                            bool(c["makeup_days_are_working_days"]))

    @cached_property
    def calendar_fingerprint(self) -> str:
        """Changes whenever anything that deadlines are computed from changes."""
        from importlib.metadata import version

        h = hashlib.sha256()
        h.update(version("chinesecalendar").encode())
        h.update(repr(sorted(self.data["calendar"].items())).encode())
        h.update(repr(sorted(self.data["deadlines"].items())).encode())
        for p in self.holiday_files:
            h.update(p.name.encode())
            h.update(p.read_bytes())
        return h.hexdigest()[:16]
