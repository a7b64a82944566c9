"""The national annual-report format (国办公开办函〔2021〕30号): tables 二, 三 and 四 as data.

Codes are gongkai's stable keys (JSON output, imports); labels are printed exactly as the format
prints them. ``tests/unit/test_report_layout.py`` keeps this module equal to the project's
``spec/report-format.toml``.

The template's arithmetic (勾稽关系, spec §3.6), in the terms of these codes::

    new + carried_in == total + carried_out          (C1, every column)
    total column == sum of the six applicant columns (D1, every row)
    total row == sum of the OUTCOME_ROWS             (D2, every column)
    block total == upheld + corrected + other + pending (D3, table 四)
"""

from __future__ import annotations

from dataclasses import dataclass

from rules import spelling


@dataclass(frozen=True)
class Label:
    code: str
    label: str
    group: str | None = None


TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"  # the head over every column of table 三
ORG_GROUP = "法人或其他组织"

APPLICANT_COLUMNS: tuple[Label, ...] = (
    Label("natural_person", "自然人"),
    Label("commercial", "商业企业", ORG_GROUP),
    Label("research", "科研机构", ORG_GROUP),
    Label("public_interest", "社会公益组织", ORG_GROUP),
    Label("legal_services", "法律服务机构", ORG_GROUP),
    Label("other_org", "其他", ORG_GROUP),
)
TABLE3_COLUMNS: tuple[Label, ...] = (*APPLICANT_COLUMNS, Label("total", "总计"))
APPLICANT_TYPES: tuple[str, ...] = tuple(c.code for c in APPLICANT_COLUMNS)

RESULTS = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

TABLE3_ROWS: tuple[Label, ...] = (
    Label("new", "一、本年新收政府信息公开申请数量"),
    Label("carried_in", "二、上年结转政府信息公开申请数量"),
    Label("disclosed", "（一）予以公开", RESULTS),
    Label("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", RESULTS),
    Label("withheld.state_secret", "1.属于国家秘密", WITHHELD),
    Label("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", WITHHELD),
    Label("withheld.security_stability", "3.危及“三安全一稳定”", WITHHELD),
    Label("withheld.third_party_rights", "4.保护第三方合法权益", WITHHELD),
    Label("withheld.internal_affairs", "5.属于三类内部事务信息", WITHHELD),
    Label("withheld.process_information", "6.属于四类过程性信息", WITHHELD),
    Label("withheld.enforcement_file", "7.属于行政执法案卷", WITHHELD),
    Label("withheld.administrative_query", "8.属于行政查询事项", WITHHELD),
    Label("unavailable.not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    Label("unavailable.needs_compilation", "2.没有现成信息需要另行制作", UNAVAILABLE),
    Label("unavailable.unclear_after_correction", "3.补正后申请内容仍不明确", UNAVAILABLE),
    Label("not_processed.petition", "1.信访举报投诉类申请", NOT_PROCESSED),
    Label("not_processed.repeated", "2.重复申请", NOT_PROCESSED),
    Label("not_processed.publication", "3.要求提供公开出版物", NOT_PROCESSED),
    Label("not_processed.excessive", "4.无正当理由大量反复申请", NOT_PROCESSED),
    Label("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", NOT_PROCESSED),
    Label("other.correction_lapsed",
          "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER),
    Label("other.fee_unpaid",
          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", OTHER),
    Label("other.other", "3.其他", OTHER),
    Label("total", "（七）总计", RESULTS),
    Label("carried_out", "四、结转下年度继续办理"),
)

# Table 三's row heads nest: each group → the group it sits in (None: the table itself). The
# outcomes （一）…（七） sit in 三、本年度办理结果, and the reasons of （三）…（六） one level deeper::
#
#     三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密        withheld.state_secret
#     三、本年度办理结果 › （一）予以公开                         disclosed
#     一、本年新收政府信息公开申请数量                            new
TABLE3_GROUP_PARENTS: dict[str, str | None] = {
    RESULTS: None, WITHHELD: RESULTS, UNAVAILABLE: RESULTS, NOT_PROCESSED: RESULTS, OTHER: RESULTS,
}


def _groups(group: str | None) -> tuple[str, ...]:
    """A group and the groups it sits in, outermost first."""
    return () if group is None else (*_groups(TABLE3_GROUP_PARENTS[group]), group)


# Each row of table 三 → the group heads it sits in, outermost first.
TABLE3_NESTING: dict[str, tuple[str, ...]] = {row.code: _groups(row.group) for row in TABLE3_ROWS}
OUTCOME_ROWS: tuple[str, ...] = tuple(
    r.code for r in TABLE3_ROWS if r.code not in ("new", "carried_in", "total", "carried_out")
)

TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
TABLE4_BLOCKS: tuple[Label, ...] = (
    Label("review", "行政复议"),
    Label("litigation_direct", "未经复议直接起诉", "行政诉讼"),
    Label("litigation_after_review", "复议后起诉", "行政诉讼"),
)
TABLE4_COLUMNS: tuple[Label, ...] = (
    Label("upheld", "结果维持"),
    Label("corrected", "结果纠正"),
    Label("other", "其他结果"),
    Label("pending", "尚未审结"),
    Label("total", "总计"),
)
APPEAL_KINDS: tuple[str, ...] = tuple(b.code for b in TABLE4_BLOCKS)
APPEAL_RESULTS: tuple[str, ...] = ("upheld", "corrected", "other")


@dataclass(frozen=True)
class Table2Block:
    code: str
    label: str
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]


TABLE2_TITLE = "二、主动公开政府信息情况"
TABLE2_BLOCKS: tuple[Table2Block, ...] = (
    Table2Block(
        "article20_1", "第二十条第（一）项",
        (Label("issued", "本年制发件数"), Label("repealed", "本年废止件数"), Label("in_force", "现行有效件数")),
        (Label("rules", "规章"), Label("normative_documents", "行政规范性文件")),
    ),
    Table2Block("article20_5", "第二十条第（五）项",
                (Label("decisions", "本年处理决定数量"),), (Label("licensing", "行政许可"),)),
    Table2Block("article20_6", "第二十条第（六）项",
                (Label("decisions", "本年处理决定数量"),),
                (Label("penalties", "行政处罚"), Label("coercive_measures", "行政强制"))),
    Table2Block("article20_8", "第二十条第（八）项",
                (Label("amount_10k_yuan", "本年收费金额（单位：万元）"),),
                (Label("administrative_fees", "行政事业性收费"),)),
)

APPLICANT_LABELS: dict[str, str] = {c.code: c.label for c in APPLICANT_COLUMNS}


# What applicants are called at the counter: a person (个人), a company (企业, 公司).
APPLICANT_SHORT_FORMS = {"个人": "natural_person", "公民": "natural_person", "企业": "commercial",
                         "公司": "commercial", "其他组织": "other_org", "其他法人或其他组织": "other_org"}


def applicant_type(text: str) -> str:
    """A table 三 column code from its code or its printed label (法人 kinds may be prefixed), a short
    form (个人 → 自然人, 企业 → 商业企业) or a part of one label only."""
    value = spelling.normal(text)
    for code, label in APPLICANT_LABELS.items():
        if value in (f"{ORG_GROUP}-{label}", f"{ORG_GROUP}/{label}"):
            return code
    return spelling.lookup(text, "申请人类型", APPLICANT_LABELS, APPLICANT_SHORT_FORMS)
