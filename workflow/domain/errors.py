"""The failures a user can cause, each a small named exception with a message that says what to do.

Findings (an overdue request, a report that does not add up) are never exceptions: they are values
that get listed and counted. These are for things that stop a command: nothing has been written
when one of them reaches the command line.
"""

from __future__ import annotations


class GongkaiError(Exception):
    """Base of every error shown to the user as one line, with exit code 1."""

    exit_code = 1


class InvalidInput(GongkaiError):
    """A value given on the command line or in a file is not what was expected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class UnknownRequest(GongkaiError):
    def __init__(self, ref: str, agency: str | None = None) -> None:
        where = f" in agency {agency!r}" if agency else ""
        super().__init__(f"no request {ref!r}{where}; `gongkai list` shows the references")
        self.ref = ref


class IllegalAction(GongkaiError):
    """An action the lifecycle does not allow in the request's present state or situation."""

    def __init__(self, ref: str, state: str, action: str, allowed: list[str], why: str = "") -> None:
        now = ", ".join(allowed) if allowed else f"none (the request is {state})"  # only a concluded or voided one
        reason = f": {why}" if why else ""
        super().__init__(
            f"request {ref} is {state}; {action!r} is not allowed now{reason}. Allowed now: {now}"
        )
        self.ref, self.state, self.action, self.allowed = ref, state, action, allowed


class ConcurrentChange(GongkaiError):
    def __init__(self, ref: str) -> None:
        super().__init__(
            f"request {ref} was changed by someone else while you worked on it; "
            f"look again (`gongkai show {ref}`) and repeat the action"
        )


class FrozenYear(GongkaiError):
    def __init__(self, year: int, action: str, what: str = "") -> None:
        super().__init__(
            f"{year} is closed (its annual report is frozen); {action!r} {what or f'dated in {year}'} is refused. "
            f"Reopen it first: gongkai reopen-year {year} --reason TEXT"
        )
        self.year = year


class CalendarMissing(GongkaiError):
    """Raised when a deadline needs a year for which no calendar exists (message from rules)."""


class DatabaseError(GongkaiError):
    pass


class NotPermitted(GongkaiError):
    """The actor may not see or change this (another agency's request, a platform-only action)."""


class NotApprover(InvalidInput):
    """An extension approved by someone who is not a supervisor (负责人) of the request's agency."""

    def __init__(self, approver: str, agency: str) -> None:
        super().__init__("--approved-by", f"{approver!r} is not a supervisor (负责人) of agency {agency!r}; "
                                          f"`gongkai officer list` shows who is")


class EvidenceMismatch(GongkaiError):
    """A stored fact no longer agrees with its evidence (a frozen report edited in place): refused, exit 3."""

    exit_code = 3
