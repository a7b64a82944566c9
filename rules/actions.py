"""Every action of a request, declared once: what it is called, takes, concludes, writes and does to the clock.

An *action* is one fact of a request's history (条例第三十条 to 第三十九条 and 国办函〔2020〕109号
give the steps): the office registers the request, asks for a correction, consults a third party,
extends the reply period, decides … Each module that needs to know something about the actions
reads it here instead of spelling the names again: the lifecycle's transition table
(``workflow.domain.lifecycle``, which adds the states and guards), the payload checks
(``workflow.domain.actions``), the deadline rules (which actions leave the reply clock alone, which
conclude), the letters (which letter an action requires), the spreadsheet import and export (which
dated column an action is read from), and the CLI (labels, ``advance`` options and their help).

Example: ``ACTIONS[EXTEND]`` says that ``extend`` (延长答复期限) takes ``--days`` and
``--approved-by`` (both required), requires the 延期答复告知书 (letter ``extension``), lengthens the
reply period (``Clock.EXTENDS``, 条例第三十三条第二款) and is read from the column ``extended_on``.

This module is pure facts: no checks, no I/O, nothing outside ``rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rules import outcomes

REGISTER = "register"
REQUEST_CORRECTION = "request-correction"
RECEIVE_CORRECTION = "receive-correction"
LAPSE_CORRECTION = "lapse-correction"
CONSULT = "consult"
CONSULT_REPLY = "consult-reply"
EXTEND = "extend"
NOTIFY_FEE = "notify-fee"
FEE_PAID = "fee-paid"
FEE_LAPSED = "fee-lapsed"
DELAY = "delay"
DECIDE = "decide"
WITHDRAW = "withdraw"
NOTICE = "notice"
REVEAL = "reveal"
DELIVERED = "delivered"
VOID = "void"
UNDO = "undo"


class Clock(StrEnum):
    """What an action does to the reply clock (条例第三十三条; see ``rules.deadlines``)."""

    STARTS = "starts"  # receipt: day 0 of the reply period
    STOPS = "stops"  # the period waits for the corrected application (Art. 30)
    RESTARTS = "restarts"  # a corrected application is day 0 again (Art. 30)
    PAUSES = "pauses"  # consultation (Art. 33 ¶3) or, if the settings say so, an unpaid fee notice
    RESUMES = "resumes"  # the reply or payment that ends a pause
    EXTENDS = "extends"  # the period is lengthened once (Art. 33 ¶2)
    DEFERS = "defers"  # a later reply date set by the office (Art. 35)
    DELIVERS = "delivers"  # the other side's period runs from the day a letter reached them
    NEUTRAL = "neutral"  # never moves the reply deadline: a conclusion or a record


class Kind(StrEnum):
    """How an action is recorded."""

    OPENS = "opens"  # the first event of every history (``gongkai register``)
    STEP = "step"  # what an officer records with ``gongkai advance``
    RECORD = "record"  # appended by gongkai itself; changes no state (a letter written, data revealed)


@dataclass(frozen=True)
class Option:
    """One option of an action: the payload key, and the CLI flag ``--name`` with "_" as "-"."""

    name: str
    required: bool = False
    help: str = ""  # quoted when it is missing: "--days: 延长答复期限须填写此项（延长的工作日数，最多20个）"
    flag_help: str = ""  # this action's part of the flag's line under ``gongkai advance --help``
    metavar: str = ""  # how the ACTION synopsis shows it; '' leaves it out of the synopsis
    column: str = ""  # the import/export column it is read from and written to

    @property
    def flag(self) -> str:
        return f"--{self.name.replace('_', '-')}"


@dataclass(frozen=True)
class Column:
    """The dated column of the import/export sheet an action is read from; ``rank`` orders the
    events of one day (a spreadsheet cannot say whether a fee was paid before the letter)."""

    name: str
    rank: int


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # as officers read it in the history
    kind: Kind = Kind.STEP
    options: tuple[Option, ...] = ()
    clock: Clock = Clock.NEUTRAL
    concludes: bool = False
    outcome: str | None = None  # the outcome a concluding action records; None: its --outcome
    letter: str | None = None  # the letter kind it requires (``rules.letters.KINDS``)
    column: Column | None = None
    # A correction of the record (void, undo: issue 14), not a step of the procedure: ``show`` never
    # offers it, and the history keeps what it corrects (``rules.corrections``).
    corrects: bool = False
    # Its ``approved_by`` names a head (负责人) of the request's agency: the unit of work's commit checks
    # that, once officers are registered, whichever action carries it.
    head_approves: bool = False

    @property
    def trigger(self) -> str:
        """Its name as the state machine knows it ("-" is not allowed in a trigger)."""
        return self.name.replace("-", "_")


# Every action in the order officers read them (the CLI's help and labels).
_CONCLUSION = Column("concluded_on", 8)
# A letter's periods run from the day it reached the other side; without it, the day it was sent.
_DELIVERED_ON = Option("delivered_on", help="告知书送达对方之日", metavar="DATE",
                       flag_help="告知书送达对方之日（默认为发出之日）")
ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action(REGISTER, "登记", Kind.OPENS, clock=Clock.STARTS, column=Column("received_on", 0)),
    Action(REQUEST_CORRECTION, "告知补正", options=(
        Option("period", help="申请人补正的期限，工作日数", flag_help="申请人补正的工作日数", metavar="N",
               column="correction_period"),
        Option("items", help="须补正的内容", flag_help="须补正的内容", metavar="TEXT"),
        _DELIVERED_ON),
        clock=Clock.STOPS, letter="correction", column=Column("correction_requested_on", 1)),
    Action(RECEIVE_CORRECTION, "收到补正", clock=Clock.RESTARTS, column=Column("corrected_on", 2)),
    # The clock is already stopped while a correction is awaited; the request ends where it stands.
    Action(LAPSE_CORRECTION, "逾期未补正", concludes=True, outcome="other.correction_lapsed", letter="reply",
           column=_CONCLUSION),
    Action(CONSULT, "征求意见", options=(
        Option("party", help="third-party 第三方（条例第三十二条）、agency 共同制作机关（第三十四条）、authority "
               "主管部门或保密行政管理部门（第十七条第三款）或 coordination 有关机关（第十一条第二款）",
               flag_help="征求谁的意见：third-party 第三方（默认）、agency 共同制作机关、authority "
               "报主管部门或保密部门、coordination 与有关机关协商",
               metavar="third-party|agency|authority|coordination"),
        Option("to", help="被征求意见的一方", flag_help="被征求意见的一方", metavar="NAME"),
        Option("describe", flag_help="向被征求方说明的所涉信息（不写申请人的信息）", metavar="TEXT"), _DELIVERED_ON),
        clock=Clock.PAUSES, letter="consultation", column=Column("consultation_sent_on", 3)),
    Action(CONSULT_REPLY, "收到意见", options=(
        Option("consultation", help="哪一次征求意见的答复（序号），有几次未答复时须写明",
               flag_help="哪一次征求意见（序号）", metavar="N"),),
        clock=Clock.RESUMES, column=Column("consultation_replied_on", 4)),
    Action(EXTEND, "延长答复期限", options=(
        Option("days", True, "延长的工作日数，最多20个", "延长的工作日数（最多20个）", "N", "extended_days"),
        Option("approved_by", True, "批准延期的负责人", "批准延期的负责人", "NAME", "extension_approved_by"),
        Option("reason", flag_help="需要延长答复期限的理由（写入告知书）", metavar="TEXT")),
        clock=Clock.EXTENDS, letter="extension", column=Column("extended_on", 7), head_approves=True),
    Action(NOTIFY_FEE, "收费通知", options=(
        Option("amount", True, "收费金额，单位元", "收费金额（元）", "YUAN", "fee_amount"),
        Option("pages", flag_help="提供的页数", metavar="N"),
        Option("items", flag_help="计收的件数"), _DELIVERED_ON),
        clock=Clock.PAUSES, letter="fee", column=Column("fee_notified_on", 5)),
    Action(FEE_PAID, "已缴费", clock=Clock.RESUMES, column=Column("fee_paid_on", 6)),
    # Ends the fee pause on the day the request ends (国办函〔2020〕109号: 视为放弃申请).
    Action(FEE_LAPSED, "逾期未缴费", clock=Clock.RESUMES, concludes=True, outcome="other.fee_unpaid",
           letter="reply", column=_CONCLUSION),
    # Recorded later than the letter: when the correction notice, consultation letter or fee notice
    # the request waits on reached the applicant or consultee.
    Action(DELIVERED, "送达", options=(
        Option("consultation", help="哪一次征求意见书送达（序号），有几次未答复时须写明",
               flag_help="哪一次征求意见（序号）", metavar="N"),), clock=Clock.DELIVERS),
    Action(DELAY, "延迟答复", options=(
        Option("until", True, "延迟后的答复日期（条例第三十五条）", "延迟后的答复日期", "DATE"),
        Option("reason", True, "延迟答复的理由", "理由", "TEXT")),
        clock=Clock.DEFERS),
    Action(DECIDE, "作出答复", options=(
        Option("outcome", True, "表三的办理结果，代码或名称", "表三的办理结果，代码或名称", "CODE", "outcome"),
        Option("ground", flag_help="disclosed 时：published 已主动公开（条例第三十六条第（一）项）或 provided 予以提供"
               "（第（二）项）；unavailable.not_held 时：nonexistent 经检索没有（第（四）项）或 elsewhere "
               "不属于本机关负责公开（第（五）项）", metavar="GROUND"),
        Option("obtain", flag_help="申请人获取信息的方式、途径和时间", metavar="TEXT"),
        Option("holder", flag_help="负责公开该信息的机关及其联系方式，或「无法确定」", metavar="TEXT")),
        concludes=True, letter="reply", column=_CONCLUSION),
    Action(WITHDRAW, "撤回申请", options=(Option("reason", flag_help="理由", metavar="TEXT"),),
           concludes=True, outcome=outcomes.WITHDRAWN, letter="reply", column=_CONCLUSION),
    # Corrections: a request registered by mistake leaves every listing and count, its number stays
    # taken; the last officer action recorded by mistake is revoked by a compensating event.
    Action(VOID, "作废", options=(
        Option("reason", True, "误登记的原因", "理由", "TEXT"),), corrects=True),
    Action(UNDO, "撤销上一步", options=(
        Option("reason", True, "误记上一步的原因", "理由", "TEXT"),
        Option("approved_by", help="批准撤销的负责人", flag_help="答复告知书已写出的，撤销办结须由负责人批准",
               metavar="NAME")),
        corrects=True, head_approves=True),
    Action(NOTICE, "生成文书", Kind.RECORD),
    Action(REVEAL, "查看个人信息", Kind.RECORD),
)}
# Options every action takes besides its own.
COMMON = (Option("note", help="随该事项记录的备注", flag_help="随该事项记录的备注。", metavar="TEXT"),)

STEPS: tuple[str, ...] = tuple(a.name for a in ACTIONS.values() if a.kind is Kind.STEP)
RECORDS: tuple[str, ...] = tuple(a.name for a in ACTIONS.values() if a.kind is Kind.RECORD)
LABELS: dict[str, str] = {a.name: a.label for a in ACTIONS.values()}
CONCLUDING: frozenset[str] = frozenset(a.name for a in ACTIONS.values() if a.concludes)
CORRECTIONS: frozenset[str] = frozenset(a.name for a in ACTIONS.values() if a.corrects)
HEAD_APPROVES: frozenset[str] = frozenset(a.name for a in ACTIONS.values() if a.head_approves)
CLOCK_NEUTRAL: frozenset[str] = frozenset(a.name for a in ACTIONS.values() if a.clock is Clock.NEUTRAL)
# The outcome each concluding action records on its own; decide records the one its --outcome names.
OUTCOME_OF_ACTION: dict[str, str] = {a.name: a.outcome for a in ACTIONS.values() if a.outcome}
# Outcomes only their own action records (the lapses): decide may not choose them.
RECORDED_BY: dict[str, str] = {code: name for name, code in OUTCOME_OF_ACTION.items()
                               if not outcomes.OUTCOMES[code].by_decision}
assert set(CONCLUDING) - set(OUTCOME_OF_ACTION) == {DECIDE}, "one concluding action takes its outcome"
