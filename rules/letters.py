"""What every letter of a request must cite and say: the notices on the way, and the reply by outcome.

The 条例 obliges the office to write at each step: a correction notice stating what to correct and
the period (Art. 30, 「一次性告知」); the extension notice (Art. 33 ¶2, 「告知申请人」); the
written consultation of a third party (Art. 32), a co-producing agency (Art. 34), the competent or
secrecy authority (Art. 17 ¶3) or an agency the information concerns (Art. 11 ¶2: ``PARTIES``); the fee
notice with its basis, standard, amount and payment method (国办函〔2020〕109号 as restated in spec
§2.5); and the reply (Art. 36–39), whose legal basis depends on the outcome:

=============================================  ========================================================
outcome (table 三 row) and ground                the reply cites
=============================================  ========================================================
disclosed: published / provided                条例 Art. 36(1) / Art. 36(2), and how to obtain it
partially disclosed                            Art. 37, how to obtain it, the reasons for the rest
withheld: secret, law, security / third party  Art. 14 / Art. 15 (and 32 if consulted), with 36(3)
withheld: internal / process, enforcement      Art. 16 ¶1 / Art. 16 ¶2, with 36(3)
withheld: administrative query                 Art. 36(7)
not held: nonexistent / elsewhere              Art. 36(4) / Art. 36(5), naming the holder
=============================================  ========================================================

(every row is in ``REPLIES`` and ``GROUNDS`` below). Every reply but a withdrawal states the
applicant's remedies: review first for refusals under Arts. 14–16 and partial disclosure
(``REVIEW_FIRST``, 行政复议法 2023 Art. 23 ¶1(四), which ¶2 obliges the office to state); review only
where courts are said to accept no lawsuit (``NO_LAWSUIT``, UNCONFIRMED); otherwise review or a lawsuit.
The periods (60 days, 6 months) were not checked against the statutes (spec §1.11): they are settings
(``letters.review_period_days``, ``litigation_period_months``) and no article is printed for them.

Findings may hold ``{placeholders}`` for dates of the history, filled from the deadline rules.
Example: ``reply("withheld.internal_affairs").basis`` is
「《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项」, and
``remedies("withheld.internal_affairs", RemedyTerms(review_body="某市人民政府", court="某区人民法院"))``
opens with the review-first sentence of 行政复议法 Art. 23; ``reply("disclosed", ground_code="published")``
cites Art. 36(1) alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules import fees
from rules.actions import ACTIONS
from rules.outcomes import OUTCOMES, WITHDRAWN

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
REVIEW_LAW = "《中华人民共和国行政复议法》"


@dataclass(frozen=True)
class Kind:
    """A kind of letter: its title, the events it is about (the latest one counts), its template."""

    code: str
    title: str
    aliases: tuple[str, ...]
    to_applicant: bool = True
    blanks: tuple[str, ...] = ()  # options of its actions it may be given afterwards (gongkai notice --items …)

    @property
    def actions(self) -> tuple[str, ...]:
        """The actions that require it (``rules.actions``); the one that chooses its outcome first,
        since that is the one an officer is pointed to."""
        return _ACTIONS_OF[self.code]


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("correction", "政府信息公开申请补正告知书", ("补正", "补正告知书"), blanks=("items",)),
    Kind("extension", "政府信息公开申请延期答复告知书", ("延期", "延期答复告知书", "延期告知书"), blanks=("reason",)),
    Kind("consultation", "政府信息公开征求意见书", ("征求意见", "征求意见书"), False, ("to", "describe")),
    Kind("fee", "政府信息公开信息处理费收费通知书", ("收费", "收费通知书", "收费通知"), blanks=("pages", "items")),
    Kind("reply", "政府信息公开申请答复告知书", ("答复", "答复告知书", "答复书"),
         blanks=("ground", "obtain", "holder", "note")),
)}
_ACTIONS_OF: dict[str, tuple[str, ...]] = {
    code: tuple(a.name for a in sorted(ACTIONS.values(), key=lambda a: a.outcome is not None) if a.letter == code)
    for code in KINDS
}
LETTER_OF_ACTION: dict[str, str] = {a.name: a.letter for a in ACTIONS.values() if a.letter}
assert set(LETTER_OF_ACTION.values()) <= set(KINDS) and all(_ACTIONS_OF.values()), "every letter has its actions"


def kind(text: str) -> Kind:
    """A letter kind from its code or Chinese name."""
    value = text.strip()
    for k in KINDS.values():
        if value == k.code or value in k.aliases or value == k.title:
            return k
    choices = "、".join(f"{k.code}（{k.aliases[0]}）" for k in KINDS.values())
    raise ValueError(f"无法识别的文书种类 {text!r}；可用：{choices}")


# -- the notices ---------------------------------------------------------------------------------

CORRECTION_BASIS = f"{REGULATION}第三十条"
# Art. 33 ¶2: 「需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过
# 20个工作日。」 The letter gives the reason the officer records (extend --reason).
EXTENSION_BASIS = f"{REGULATION}第三十三条第二款"
# Art. 33 ¶3: 「行政机关征求第三方和其他机关意见所需时间不计算在前款规定的期限内。」 It covers consultation only;
# the time spent waiting for a fee is not counted by a setting (deadlines.fee_pauses_reply), on no article.
PAUSE_BASIS = f"{REGULATION}第三十三条第三款"


@dataclass(frozen=True)
class Party:
    """Whom a consultation letter goes to, on which article, and whether the law gives it a period.

    Arts. 32 and 34 (spec §1.5, from the 2019 text [S1]): 「应当自收到征求意见书之日起15个工作日内提出意见」.
    Arts. 11 ¶2 and 17 ¶3 are **not in the spec**: quoted from the 2019 text from memory, UNCONFIRMED against
    a primary copy. Neither sets a period: the letter asks for an answer within the office's setting
    (``deadlines.consultation``) and the deadline's explanation says the law sets none. Art. 11 ¶2:
    「行政机关公开政府信息涉及其他机关的，应当与有关机关协商、确认，保证行政机关公开的政府信息准确一致。」 Art. 17 ¶3:
    「行政机关不能确定政府信息是否可以公开的，应当依照法律、法规和国家有关规定报有关主管部门或者保密行政管理部门确定。」
    """

    code: str
    article: str
    who: str  # the party as a deadline's explanation names it
    you: str  # how the letter addresses the party
    why: str  # why the office writes, with {you}
    ask: str  # what it asks for, with {due}: "于…前（含当日）" or "自收到本函之日起N个工作日内"
    silence: str  # what happens if the party does not answer ('' where the article says nothing)
    period_in_law: bool = True  # False: the article sets no period; the office's setting is used
    confirmed: bool = True  # False: the article's text is not in the spec (UNCONFIRMED)

    def deadline_text(self, sent: date, n: int) -> str:
        """What its deadline rests on (``rules.deadlines``): Arts. 32 and 34 give the party 15 working
        days from its receipt of the letter; Arts. 17 ¶3 and 11 ¶2 set no period, so the office's own
        setting (``deadlines.consultation``) is used, and the explanation says so."""
        if self.period_in_law:
            return f"征求意见书（{sent}）送达后{n}个工作日内{self.who}提出意见（条例{self.article}）"
        return (f"征求意见函（{sent}）送达后{n}个工作日内{self.who}答复（条例{self.article}未规定期限，"
                f"按本机关设定的期限 deadlines.consultation）")


PARTIES: dict[str, Party] = {p.code: p for p in (
    Party("third-party", "第三十二条", "第三方", "贵方", "该政府信息公开后可能损害{you}合法权益",
          "请{you}{due}向本机关提出书面意见：同意公开的，请予以明确；不同意公开的，请说明理由。",
          "{you}逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。"),
    Party("agency", "第三十四条", "共同制作机关", "贵单位", "该政府信息由{you}与本机关共同制作",
          "请{you}{due}向本机关提出书面意见：同意公开的，请予以明确；不同意公开的，请说明理由。",
          "{you}逾期未提出意见的，视为同意公开。"),
    Party("authority", "第十七条第三款", "主管部门或者保密行政管理部门", "贵单位", "本机关不能确定该政府信息是否可以公开",
          "现报请{you}确定该政府信息是否可以公开，请{you}{due}书面回复本机关。", "",
          period_in_law=False, confirmed=False),
    Party("coordination", "第十一条第二款", "有关机关", "贵单位", "公开该政府信息涉及{you}",
          "为保证公开的政府信息准确一致，现与{you}协商、确认，请{you}{due}书面回复本机关。", "",
          period_in_law=False, confirmed=False),
)}


def consultation_basis(code: str) -> str:
    """Art. 32 for a third party, Art. 34 for a co-producing agency, Art. 17 ¶3 for the competent or
    secrecy authority, Art. 11 ¶2 for coordination with another agency."""
    return f"{REGULATION}{PARTIES[code].article}"


def fee_basis(method: str) -> str:
    """Art. 42 of the 条例 and Art. 3 of the 办法, with Art. 4 (per item) or Art. 5 (per volume)."""
    article = "第四条" if method == fees.ITEMS else "第五条"
    return f"{REGULATION}第四十二条、{FEE_MEASURES}第三条、{article}"


# -- the reply -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    code: str
    template: str  # the reply template of the outcome's category, e.g. "reply-withheld"
    basis: str  # the full citation ('' for a withdrawal)
    finding: str  # what was decided and why, citing ``basis``; may hold {placeholders}


_WITHHELD_FACT = {
    "withheld.state_secret": ("第十四条", "属于依法确定为国家秘密的政府信息"),
    "withheld.prohibited_by_law": ("第十四条", "属于法律、行政法规禁止公开的政府信息"),
    "withheld.security_stability": ("第十四条", "公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    "withheld.third_party_rights": ("第十五条", "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"),
    "withheld.internal_affairs": ("第十六条第一款", "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等）"),
    "withheld.process_information": ("第十六条第二款",
                                     "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"),
    "withheld.enforcement_file": ("第十六条第二款", "属于行政执法案卷信息"),
}

# code: (template, articles of the 条例 cited, the finding with "{basis}" where the citation goes).
# ``{obtain}`` (decide --obtain) and ``{holder}`` (decide --holder) are blanks the officer must fill.
_OTHERS: dict[str, tuple[str, str, str]] = {
    "partially_disclosed": (
        "reply-partially-disclosed", "第三十七条",
        "经审查，您申请获取的信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。根据{basis}的规定，"
        "本机关向您提供可以公开的政府信息内容，获取方式、途径和时间：{obtain}。对不予公开的内容，理由如下："),
    "withheld.administrative_query": (
        "reply-withheld", "第三十六条第（七）项",
        "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。"
        "根据{basis}的规定，请您依照有关法律、行政法规的规定办理。"),
    "unavailable.needs_compilation": (
        "reply-unavailable", "第三十八条",
        "经审查，本机关没有您所申请的现成信息，提供该信息需要对现有政府信息进行加工、分析。"
        "根据{basis}的规定，本机关不予提供。"),
    "unavailable.unclear_after_correction": (
        "reply-unavailable", "第三十条",
        "本机关于{correction_sent}告知您补正，并于{correction_received}收到补正后的申请，"
        "经指导和释明，申请内容仍不明确，无法确定您所申请公开的政府信息。根据{basis}的规定，本机关无法提供。"),
    "not_processed.petition": (
        "reply-not-processed", "第三十九条第一款",
        "经审查，您以政府信息公开申请的形式提出的是信访、投诉、举报等事项。根据{basis}的规定，"
        "本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出。"),
    "not_processed.repeated": (
        "reply-not-processed", "第三十六条第（六）项",
        "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同的政府信息。根据{basis}的规定，"
        "本机关不予重复处理。"),
    "not_processed.publication": (
        "reply-not-processed", "第三十九条第二款",
        "您申请提供的是政府公报、报刊、书籍等公开出版物。根据{basis}的规定，告知您通过公开发行渠道获取。"),
    "not_processed.excessive": (
        "reply-not-processed", "第三十五条",
        "您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，您的申请理由不合理。"
        "根据{basis}的规定，本机关不予处理。"),
    "not_processed.confirmation": (
        "reply-not-processed", "第三十六条第（六）项",
        "您要求本机关对已获取的政府信息进行确认或者重新出具，不属于获取政府信息的申请。参照{basis}的规定，"
        "本机关不予处理。"),
    "other.correction_lapsed": (
        "reply-other", "第三十条",
        "本机关于{correction_sent}向您发出补正告知书，补正期限已于{correction_due}届满，您无正当理由逾期未补正。"
        "根据{basis}的规定，视为放弃申请，本机关不再处理该政府信息公开申请。"),
}

# Outcomes whose finding depends on which item of Art. 36 applies (decide --ground): one letter per
# legal finding. ground: (its Chinese names, template, articles, finding).
GROUNDS: dict[str, dict[str, tuple[tuple[str, ...], str, str, str]]] = {
    "disclosed": {
        "published": (("已主动公开",), "reply-disclosed", "第三十六条第（一）项",
                      "经审查，您所申请公开的信息已经主动公开。根据{basis}的规定，告知您获取该政府信息的方式、途径："
                      "{obtain}。"),
        "provided": (("可以公开",), "reply-disclosed", "第三十六条第（二）项",
                     "经审查，您所申请公开的信息属于可以公开的政府信息。根据{basis}的规定，本机关予以公开，"
                     "获取该政府信息的方式、途径和时间：{obtain}。"),
    },
    "unavailable.not_held": {
        "nonexistent": (("不存在",), "reply-unavailable", "第三十六条第（四）项",
                        "经检索，本机关没有您所申请公开的信息。根据{basis}的规定，告知您该政府信息不存在。"),
        "elsewhere": (("非本机关负责公开", "不属于本机关"), "reply-unavailable", "第三十六条第（五）项",
                      "经审查，您所申请公开的信息不属于本机关负责公开。根据{basis}的规定，告知您：{holder}"),
    },
}
# What decide --holder may say when no agency can be named (Art. 36(5) names one only 「能够确定」).
HOLDER_UNKNOWN = ("无法确定", "unknown")


def holder_text(holder: str) -> str:
    """The sentence of a 36(5) reply that names the responsible agency (decide --holder)."""
    if holder.strip() in HOLDER_UNKNOWN:
        return "本机关无法确定负责公开该政府信息的行政机关。"
    return f"负责公开该政府信息的行政机关及其联系方式为：{holder.strip().rstrip('。')}。"


def ground(code: str, text: str) -> str:
    """The ground code of ``text`` (code or Chinese name) for outcome ``code``; ValueError if unknown."""
    options = GROUNDS.get(code, {})
    for g, (names, *_rest) in options.items():
        if text.strip() == g or text.strip() in names:
            return g
    choices = "、".join(f"{g}（{names[0]}）" for g, (names, *_r) in options.items())
    raise ValueError(f"{text!r} 不是 {code} 的依据；可用：{choices}")


def _build() -> dict[str, Reply]:
    out: dict[str, Reply] = {}
    for code, (article, fact) in _WITHHELD_FACT.items():
        basis = f"{REGULATION}{article}、第三十六条第（三）项"
        out[code] = Reply(code, "reply-withheld", basis,
                          f"经审查，您申请获取的政府信息{fact}。根据{basis}的规定，本机关决定不予公开。")
    for code, (template, articles, finding) in _OTHERS.items():
        basis = f"{REGULATION}{articles}"
        out[code] = Reply(code, template, basis, finding.replace("{basis}", basis))
    out["other.fee_unpaid"] = Reply(
        "other.fee_unpaid", "reply-other", FEE_MEASURES,
        "本机关于{fee_sent}向您发出收费通知，缴费期限已于{fee_due}届满，您逾期未缴纳信息处理费。"
        f"根据{FEE_MEASURES}的规定，视为放弃申请，本机关不再处理该政府信息公开申请。")
    out[WITHDRAWN] = Reply(WITHDRAWN, "reply-other", "",
                           "您已撤回该政府信息公开申请，本机关于{concluded_on}终止办理。")
    return out


def _grounded() -> dict[tuple[str, str], Reply]:
    out: dict[tuple[str, str], Reply] = {}
    for code, options in GROUNDS.items():
        for g, (_names, template, articles, finding) in options.items():
            basis = f"{REGULATION}{articles}"
            out[code, g] = Reply(code, template, basis, finding.replace("{basis}", basis))
    return out


REPLIES: dict[str, Reply] = _build()
GROUNDED: dict[tuple[str, str], Reply] = _grounded()
assert set(REPLIES) | set(GROUNDS) == set(OUTCOMES), "every outcome needs a reply"


def reply(code: str, third_party_consulted: bool = False, ground_code: str = "") -> Reply:
    """The reply of an outcome (of its ground, for the outcomes of ``GROUNDS``); a refusal for
    third-party rights after consulting cites Art. 32 too."""
    if code in GROUNDS:
        return GROUNDED[code, ground(code, ground_code)]
    r = REPLIES[code]
    if code == "withheld.third_party_rights" and third_party_consulted:
        basis = f"{REGULATION}第十五条、第三十二条、第三十六条第（三）项"
        return Reply(code, r.template, basis, r.finding.replace(r.basis, basis))
    return r


# -- remedies ------------------------------------------------------------------------------------

# Refusals under Arts. 14–16 (table 三（三）1–7) and the withheld part of a partial disclosure: review
# first (行政复议法 Art. 23 ¶1(四), as the court explained it: spec §6). Not 三（三）8 (Art. 36(7)).
REVIEW_FIRST: frozenset[str] = frozenset({"partially_disclosed", *(
    c for c in OUTCOMES if c.startswith("withheld.") and c != "withheld.administrative_query")})
# Replies no lawsuit is offered for: the default of the setting ``letters.no_lawsuit``, empty. The one article
# of 法释〔2025〕8号 the spec quotes (§6, Art. 1(1), confirmed) says courts shall accept a suit against a reply
# that information 无法提供 or 不予处理, which covers a repeated request, a refusal to compile, a petition and
# a publication. A report that courts refuse those four rests on articles nobody here has read (UNCONFIRMED):
# an office that confirms it lists the codes (e.g. "not_processed.repeated") and their replies then state the
# review route alone. Telling an applicant of a route the court accepts is never wrong; leaving it out may be.
NO_LAWSUIT: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RemedyTerms:
    """The periods and the no-lawsuit list (settings, unconfirmed in the spec) and the bodies named."""

    review_body: str
    court: str
    review_days: int = 60
    litigation_months: int = 6
    no_lawsuit: frozenset[str] = NO_LAWSUIT  # the setting letters.no_lawsuit (UNCONFIRMED, see above)


def remedies(code: str, terms: RemedyTerms) -> str:
    """The remedies paragraph of the reply ('' for a withdrawal, which decides nothing against anyone)."""
    if code == WITHDRAWN:
        return ""
    review = (f"如对本答复不服，可以自收到本答复之日起{terms.review_days}日内向{terms.review_body}"
              f"申请行政复议")
    if code in REVIEW_FIRST:
        return (f"根据{REVIEW_LAW}第二十三条第一款第（四）项的规定，对行政机关不予公开政府信息不服的，"
                f"应当先向行政复议机关申请行政复议，对行政复议决定不服的，可以再依法向人民法院提起行政诉讼。"
                f"{review}。")
    if code in terms.no_lawsuit:
        return f"{review}。"
    return (f"{review}，或者自收到本答复之日起{terms.litigation_months}个月内向{terms.court}提起行政诉讼。")
