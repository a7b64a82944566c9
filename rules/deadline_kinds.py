"""Every kind of deadline, declared once: its name, how officers read it, and what to do once it passed.

The deadline rules (``rules.deadlines``) compute the five deadlines of a request; the alerts
(``rules.alerts``) add those of the year (carry-over on 31 December, an agency's own annual report
by 31 January, 条例第四十九条, and the roll-up of a county, city or province later, 国办公开办函〔2021〕30号). Listings, alerts and letters read the labels and the suggested
action here rather than spelling the kinds again.

Example: ``KINDS[CORRECTION_PERIOD]`` is 「申请人补正期限」 (「补正」 in a narrow listing); once it
has passed, the office records ``lapse-correction``: the applicant is deemed to have given up
(条例第三十条).
"""

from __future__ import annotations

from dataclasses import dataclass

from rules import actions

REPLY = "reply"
CORRECTION_NOTICE = "correction_notice"
CORRECTION_PERIOD = "correction_period"
CONSULTATION = "consultation"
FEE_PAYMENT = "fee_payment"
CARRY_OVER = "carry_over"
ANNUAL_REPORT = "annual_report"
ANNUAL_ROLLUP = "annual_rollup"


@dataclass(frozen=True)
class DeadlineKind:
    name: str
    label: str
    short: str = ""  # in a narrow listing; '' for the year's deadlines, which no request lists
    action: str | None = None  # what to record once it has passed
    advice: str = ""  # the sentence that says what to do once it has passed
    never_overdue: bool = False  # only ever warns
    of_the_year: bool = False  # the year's, not a request's


KINDS: dict[str, DeadlineKind] = {k.name: k for k in (
    DeadlineKind(REPLY, "答复期限", "答复", advice="已超过法定答复期限（条例第三十三条），请立即答复"),
    # A last chance to ask, not a duty.
    DeadlineKind(CORRECTION_NOTICE, "补正告知期限", "补正告知", never_overdue=True),
    DeadlineKind(CORRECTION_PERIOD, "申请人补正期限", "补正", actions.LAPSE_CORRECTION,
                 f"申请人逾期未补正，视为放弃申请（条例第三十条）：请记录 {actions.LAPSE_CORRECTION}"),
    DeadlineKind(CONSULTATION, "征求意见答复期限", "征求意见", actions.CONSULT_REPLY,
                 "征求意见期限已过：第三方逾期未提出意见的由本机关依法决定（条例第三十二条），"
                 f"其他机关逾期未提出意见的视为同意（第三十四条）；记录 {actions.CONSULT_REPLY} 恢复答复期限计算"),
    DeadlineKind(FEE_PAYMENT, "缴费期限", "缴费", actions.FEE_LAPSED,
                 f"申请人逾期未缴纳信息处理费，视为放弃申请（国办函〔2020〕109号）：请记录 {actions.FEE_LAPSED}"),
    # A request still open on 31 December is simply carried over.
    DeadlineKind(CARRY_OVER, "年度结转", never_overdue=True, of_the_year=True),
    DeadlineKind(ANNUAL_REPORT, "年度报告", advice="已超过年度报告公布期限（条例第四十九条），请尽快完成年度报告",
                 of_the_year=True),
    # The roll-up a government's competent department compiles from its departments' and lower
    # governments' reports (国办公开办函〔2021〕30号 §二（二）); frozen as the platform's year.
    DeadlineKind(ANNUAL_ROLLUP, "汇总年度报告",
                 advice="已超过汇总年度报告报送期限（国办公开办函〔2021〕30号），请尽快汇总报送并公布",
                 of_the_year=True),
)}
LABELS: dict[str, str] = {k.name: k.label for k in KINDS.values()}
SHORT_LABELS: dict[str, str] = {k.name: k.short for k in KINDS.values() if k.short}
OF_A_REQUEST: tuple[str, ...] = tuple(k.name for k in KINDS.values() if not k.of_the_year)
OF_THE_YEAR: tuple[str, ...] = tuple(k.name for k in KINDS.values() if k.of_the_year)
NEVER_OVERDUE: frozenset[str] = frozenset(k.name for k in KINDS.values() if k.never_overdue)
