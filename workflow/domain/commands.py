"""What a user asks gongkai to do, as plain values (validated here, executed by ``services``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Register:
    received_on: date
    channel: str
    applicant_name: str
    applicant_type: str
    subject: str
    confirmed_on: date | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    agency: str | None = None
    ref: str | None = None  # given by imports; allocated otherwise
    imported_from: str | None = None


@dataclass(frozen=True)
class Advance:
    ref: str
    action: str
    on: date
    payload: dict[str, Any] = field(default_factory=dict)
    agency: str | None = None
    expected_version: int | None = None  # optimistic locking: apply only if nobody changed it since
