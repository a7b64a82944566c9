"""Who is acting, and within which agency: what the unit of work checks every change against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    officer: str
    role: str  # single (no registry) | officer | supervisor | platform
    agency: str | None  # the agency the actor is confined to; None = every agency
