"""The failures a user can cause, each a small named exception with a message that says what to do.

Findings (an overdue request, a report that does not add up) are never exceptions: they are values
that get listed and counted. These are for things that stop a command: nothing has been written
when one of them reaches the command line.
"""

from __future__ import annotations

from collections.abc import Sequence


class GongkaiError(Exception):
    """Base of every error shown to the user as one line, with exit code 1."""

    exit_code = 1


class InvalidInput(GongkaiError):
    """A value given on the command line or in a file is not what was expected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class UnknownRequest(GongkaiError):
    def __init__(self, ref: str, agency: str | None = None, candidates: Sequence[str] = (),
                 several: bool = False) -> None:
        where = f"（机关 {agency!r}）" if agency else ""
        near = f"；是否指：{'、'.join(candidates)}" if candidates else "；gongkai find 可按编号的一部分查找"
        super().__init__(f"多个机关都有编号为 {ref!r} 的申请；请用 --agency 指定机关" if several
                         else f"没有编号为 {ref!r} 的申请{where}{near}")
        self.ref = ref


class IllegalAction(GongkaiError):
    """An action the lifecycle does not allow in the request's present state or situation."""

    def __init__(self, ref: str, state: str, action: str, allowed: list[str], why: str = "") -> None:
        from rules.actions import LABELS
        from workflow.domain.states import STATE_LABELS

        where = STATE_LABELS.get(state, state)
        now = "、".join(f"{x}（{LABELS.get(x, x)}）" for x in allowed) if allowed else f"无（该申请{where}）"
        reason = f"：{why}" if why else ""
        super().__init__(
            f"申请 {ref} 状态为{where}，现在不能{LABELS.get(action, action)}（{action}）{reason}。现在可以：{now}"
        )
        self.ref, self.state, self.action, self.allowed = ref, state, action, allowed


class ConcurrentChange(GongkaiError):
    def __init__(self, ref: str) -> None:
        super().__init__(
            f"申请 {ref} 在您办理期间已被他人修改，本次未作任何修改；请重新查看（gongkai show {ref}）后再办理"
        )


_NOT_ACTIONS = {"table2": "表二（主动公开情况）的填报", "appeal": "复议诉讼的登记", "appeal conclude": "复议诉讼的结案"}


class FrozenYear(GongkaiError):
    def __init__(self, year: int, action: str, what: str = "") -> None:
        from rules.actions import LABELS

        label = LABELS.get(action) or _NOT_ACTIONS.get(action, action)
        super().__init__(
            f"{year} 年度已结转（年度报告已冻结）；{what or f'{year} 年的{label}（{action}）'}被拒绝。"
            f"请先重新开放该年度：gongkai reopen-year {year} --reason 原因"
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
        super().__init__("--approved-by", f"{approver!r} 不是机关 {agency!r} 的负责人；"
                                          f"负责人见 gongkai officer list")


class EvidenceMismatch(GongkaiError):
    """A stored fact no longer agrees with its evidence (a frozen report edited in place): refused, exit 3."""

    exit_code = 3
