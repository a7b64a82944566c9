"""Who is acting, and within which agency: what the unit of work checks every change against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    officer: str
    role: str  # single (no registry) | officer | supervisor | platform
    agency: str | None  # the agency the actor is confined to; None = every agency
    # The actor is whoever signed in (an officer's login), not a name given: approvals must then be
    # recorded under the approver's own sign-in (workflow.store.officers).
    signed_in: bool = False
