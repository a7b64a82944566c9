"""Outcome categories: how a request ends, as the rows of table 三 count it.

Every concluded request lands in exactly one outcome row (spec §3.6 C2, D2). Some outcomes are
only possible after something has happened (spec §1.3, Appendix A.2):

* ``other.correction_lapsed`` (三（六）1) only when a correction was requested and its period ran out;
* ``unavailable.unclear_after_correction`` (三（四）3) only after a corrected application arrived;
* ``other.fee_unpaid`` (三（六）2) only when a fee notice went unpaid past its period.

The first and the last are reached through their own actions (``lapse-correction``,
``fee-lapsed``), never through ``decide``; ``withdraw`` ends in ``other.other``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rules import spelling
from rules.report.layout import OUTCOME_ROWS, TABLE3_ROWS


class Needs(StrEnum):
    """What must have happened before an outcome may be chosen."""

    NOTHING = "nothing"
    CORRECTION_RECEIVED = "correction_received"
    CORRECTION_LAPSED = "correction_lapsed"
    FEE_LAPSED = "fee_lapsed"


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str  # printed row label
    group: str  # printed group label, e.g. （三）不予公开
    basis: str  # the article(s) the reply rests on
    needs: Needs = Needs.NOTHING

    @property
    def by_decision(self) -> bool:
        """Whether ``decide --outcome`` may choose it (the lapses have actions of their own)."""
        return self.needs in (Needs.NOTHING, Needs.CORRECTION_RECEIVED)


_BASIS: dict[str, str] = {
    "disclosed": "条例第三十六条第（一）（二）项",
    "partially_disclosed": "条例第三十七条",
    "withheld.state_secret": "条例第十四条",
    "withheld.prohibited_by_law": "条例第十四条",
    "withheld.security_stability": "条例第十四条",
    "withheld.third_party_rights": "条例第十五条、第三十二条",
    "withheld.internal_affairs": "条例第十六条第一款",
    "withheld.process_information": "条例第十六条第二款",
    "withheld.enforcement_file": "条例第十六条第二款",
    "withheld.administrative_query": "条例第三十六条第（七）项",
    "unavailable.not_held": "条例第三十六条第（四）（五）项",
    "unavailable.needs_compilation": "条例第三十八条",
    "unavailable.unclear_after_correction": "条例第三十条",
    "not_processed.petition": "条例第三十九条第一款",
    "not_processed.repeated": "条例第三十六条第（六）项",
    "not_processed.publication": "条例第三十九条第二款",
    "not_processed.excessive": "条例第三十五条",
    "not_processed.confirmation": "条例第三十六条第（六）项（参照）",
    "other.correction_lapsed": "条例第三十条",
    "other.fee_unpaid": "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    "other.other": "—",
}

_NEEDS: dict[str, Needs] = {
    "unavailable.unclear_after_correction": Needs.CORRECTION_RECEIVED,
    "other.correction_lapsed": Needs.CORRECTION_LAPSED,
    "other.fee_unpaid": Needs.FEE_LAPSED,
}


OUTCOMES: dict[str, Outcome] = {
    row.code: Outcome(row.code, row.label, row.group or "", _BASIS[row.code], _NEEDS.get(row.code, Needs.NOTHING))
    for row in TABLE3_ROWS if row.code in OUTCOME_ROWS
}
WITHDRAWN = "other.other"


def _aliases(label: str) -> set[str]:
    """「1.属于国家秘密」 also answers to 「属于国家秘密」; 「（二）部分公开（…）」 to 「部分公开」."""
    bare = label.split(".", 1)[-1] if label[:1].isdigit() else label
    if bare.startswith("（"):
        bare = bare.split("）", 1)[-1]
    return {label, bare, bare.split("（", 1)[0]}


# Every spelling an outcome answers to, worked out once (an import looks one up per row). Built in
# reverse so that an alias two labels share goes to the first in table order; codes take precedence.
_BY_SPELLING: dict[str, Outcome] = {s: o for o in reversed(OUTCOMES.values()) for s in _aliases(o.label)} | OUTCOMES


LABELS: dict[str, str] = {o.code: o.label for o in OUTCOMES.values()}
# Short forms officers say: a reply that discloses everything is simply 「公开」.
SHORT_FORMS = {"公开": "disclosed", "全部公开": "disclosed"}


def outcome(text: str) -> Outcome:
    """An outcome from its dotted code, its printed row label, or a part of one label only
    (「不掌握」 is unavailable.not_held; 「不予公开」 names no row, 「公开」 is 予以公开)."""
    found = _BY_SPELLING.get(text.strip()) or _BY_SPELLING.get(spelling.normal(text))
    if found is None:
        return OUTCOMES[spelling.lookup(text, "办理结果", LABELS, SHORT_FORMS)]
    return found


_DECIDABLE = {received: frozenset(o.code for o in OUTCOMES.values()
                                  if o.by_decision and (o.needs is Needs.NOTHING or received))
              for received in (False, True)}


def decidable(correction_received: bool) -> frozenset[str]:
    """The outcome codes ``decide`` accepts in a request's situation."""
    return _DECIDABLE[correction_received]
