"""A province's year of requests, as an office would bring it in: one row per request, Chinese headers.

The year is 2026 and today is 2026-11-25. About 90% of the requests are concluded, with the outcome
mix of published reports (spec §5: half 本机关不掌握, a quarter disclosed, a tenth partly disclosed, a
few withheld, not processed, withdrawn or lapsed); the other 10% are open, received in the last
twenty-odd working days and mostly recent ones, so their deadlines are spread over the coming
weeks and only a few are overdue. Some histories have a correction, a consultation, a fee or an
extension, as the demo year has (``workflow.demo``). About 1% of the concluded requests led to an
administrative review or a lawsuit (table 四). Requests are spread over the agencies of a province
(larger ones get more). A fixed seed gives the same rows for the same N.

Every timeline steps forward by whole working days on gongkai's own calendar, so the import
accepts every row: what is measured is an import that succeeds.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rules.calendar import WorkCalendar
from rules.deadlines import DatedEvent
from rules.report.layout import APPLICANT_LABELS, TABLE3_ROWS

TODAY = date(2026, 11, 25)
YEAR = 2026
OPEN_SHARE = 0.10
APPEAL_SHARE = 0.01

AGENCIES = (
    ["省政府办公厅", "省发展改革委", "省教育厅", "省公安厅", "省民政厅", "省司法厅", "省财政厅", "省人力资源社会保障厅",
     "省自然资源厅", "省生态环境厅", "省住房城乡建设厅", "省交通运输厅", "省水利厅", "省农业农村厅", "省商务厅",
     "省卫生健康委", "省应急管理厅", "省市场监管局", "省医保局", "省林业局"]
    + [f"{city}市人民政府" for city in ("福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德")]
    + [f"{city}市{dept}" for city in ("福州", "厦门", "泉州", "漳州")
       for dept in ("自然资源和规划局", "住房和城乡建设局", "公安局", "人力资源和社会保障局", "生态环境局")]
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "建国", "海燕", "志强", "桂英", "晓东", "丽华"]
COMPANIES = ["华信建设有限公司", "明德律师事务所", "绿源环保科技有限公司", "城市发展研究院", "阳光公益基金会",
             "恒通物流有限公司", "北辰置业有限公司", "启明法律服务所", "海峡数据科技有限公司", "闽江律师事务所"]
SUBJECTS = [
    "2025年度城乡低保资金发放明细", "某小区旧城改造项目征收补偿方案", "本辖区养老机构名录及备案材料",
    "某路段道路拓宽工程立项批复", "2026年政府采购项目中标公告", "社会组织年检结果", "某企业环评审批文件",
    "临时救助审批流程及标准", "某村集体土地征收批复及补偿标准", "某宗地块国有建设用地使用权出让合同",
    "某行政处罚决定书", "养老服务补贴发放名单", "某项目建设工程规划许可证及附图", "某河道整治工程竣工验收材料",
    "本单位2025年部门决算", "某小区房屋征收评估报告", "社会保险费征缴情况", "某路口交通信号设置依据",
]
# Decided outcomes (code, weight): with the lapses and withdrawals below, about half 本机关不掌握, a quarter
# disclosed, a tenth partly disclosed.
DECIDED = [
    ("unavailable.not_held", 50), ("disclosed", 25), ("partially_disclosed", 10),
    ("withheld.process_information", 2), ("withheld.internal_affairs", 1), ("withheld.third_party_rights", 1),
    ("withheld.enforcement_file", 1), ("withheld.administrative_query", 1), ("not_processed.repeated", 2),
    ("not_processed.petition", 2), ("not_processed.confirmation", 1), ("unavailable.needs_compilation", 2),
    ("other.other", 1),
]
TYPES = [("natural_person", 86), ("commercial", 7), ("legal_services", 3), ("research", 1),
         ("public_interest", 1), ("other_org", 2)]
CHANNELS = [("网络", 55), ("邮寄", 20), ("当面", 15), ("平信", 7), ("传真", 3)]
OUTCOME_LABELS = {r.code: r.label for r in TABLE3_ROWS}
APPEAL_KINDS = [("行政复议", 70), ("未经复议直接起诉", 20), ("复议后起诉", 10)]
APPEAL_RESULTS = [("结果维持", 70), ("结果纠正", 15), ("其他结果", 5), ("", 10)]

# The spreadsheet's columns: canonical name (what workflow.io.imports reads) → the Chinese header written.
HEADERS = {
    "ref": "编号", "agency": "办理机关", "received_on": "收到日期", "channel": "申请渠道",
    "applicant_type": "申请人类型", "applicant_name": "申请人", "subject": "申请内容", "outcome": "办理结果",
    "concluded_on": "办结日期", "correction_requested_on": "补正告知日期", "correction_period": "补正期限",
    "corrected_on": "收到补正日期", "consultation_sent_on": "征求意见日期", "consultation_replied_on": "征求意见答复日期",
    "fee_notified_on": "收费通知日期", "fee_amount": "收费金额", "fee_paid_on": "缴费日期", "extended_days": "延长工作日",
    "extension_approved_by": "延长批准人", "extended_on": "延长日期", "phone": "联系电话", "id_number": "身份证号",
    "address": "联系地址",
}
APPEAL_HEADERS = {"ref": "编号", "agency": "办理机关", "kind": "类型", "filed_on": "提起日期", "result": "结果",
                  "concluded_on": "审结日期"}

# The dated columns, the action each records (as workflow.io.imports reads them) and the same-day rank.
EVENT_COLUMNS = (
    ("correction_requested_on", "request-correction"), ("corrected_on", "receive-correction"),
    ("consultation_sent_on", "consult"), ("consultation_replied_on", "consult-reply"),
    ("fee_notified_on", "notify-fee"), ("fee_paid_on", "fee-paid"), ("extended_on", "extend"),
    ("concluded_on", "decide"),
)


@dataclass
class Story:
    """One request: its particulars and the days things happened (None: did not happen)."""

    ref: str
    agency: str
    received_on: date
    channel: str
    applicant_type: str
    applicant_name: str
    subject: str
    phone: str
    id_number: str
    address: str
    outcome: str | None = None
    days: dict[str, date] = field(default_factory=dict)

    def cells(self) -> dict[str, str]:
        """The row as the spreadsheet holds it (text, Chinese labels)."""
        out = {"ref": self.ref, "agency": self.agency, "received_on": self.received_on.isoformat(),
               "channel": self.channel, "applicant_type": APPLICANT_LABELS[self.applicant_type],
               "applicant_name": self.applicant_name, "subject": self.subject, "phone": self.phone,
               "id_number": self.id_number, "address": self.address,
               "outcome": OUTCOME_LABELS[self.outcome] if self.outcome else ""}
        out.update({k: d.isoformat() for k, d in self.days.items()})
        if "correction_requested_on" in self.days:
            out["correction_period"] = "15"
        if "fee_notified_on" in self.days:
            out["fee_amount"] = "700.00"
        if "extended_on" in self.days:
            out["extended_days"], out["extension_approved_by"] = "20", "张主任"
        return out

    def events(self) -> list[DatedEvent]:
        """The history after registration, as the import builds it (what the deadline rules read)."""
        out = []
        for column, action in EVENT_COLUMNS:
            day = self.days.get(column)
            if day is None:
                continue
            payload: dict[str, object] = {}
            if column == "concluded_on":
                action, payload = _concluding(self)
            elif action == "request-correction":
                payload = {"period": 15}
            elif action == "consult":
                payload = {"party": "third-party"}
            elif action == "notify-fee":
                payload = {"amount": "700.00"}
            elif action == "extend":
                payload = {"days": 20, "approved_by": "张主任"}
            out.append(DatedEvent(action, day, payload))
        return sorted(out, key=lambda e: e.on)  # stable: same-day events keep the column order


def _concluding(s: Story) -> tuple[str, dict[str, object]]:
    if s.outcome == "other.correction_lapsed":
        return "lapse-correction", {}
    if s.outcome == "other.fee_unpaid":
        return "fee-lapsed", {}
    return "decide", {"outcome": s.outcome}


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _id_number(rng: random.Random) -> str:
    from rules.intake.personal_data import check_digit

    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    body = f"350102{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + check_digit(body)


class _Timeline:
    """Steps forward by working days from the receipt; a step past today does not happen."""

    def __init__(self, cal: WorkCalendar, story: Story) -> None:
        self.cal, self.story, self.day = cal, story, story.received_on

    def at(self, column: str, after: int) -> bool:
        when = self.cal.add(self.day, max(after, 1)).date
        if when > TODAY:
            return False
        self.story.days[column], self.day = when, when
        return True


def _history(rng: random.Random, t: _Timeline, concluded: bool) -> None:
    """Fill in what happened (as the demo year does): for an open request, whatever has happened by today."""
    s = t.story
    r = rng.random()
    if r < 0.06:  # unclear: a correction asked for
        if not t.at("correction_requested_on", rng.randint(2, 6)):
            return
        if rng.random() < 0.3 and concluded:
            if t.at("concluded_on", rng.randint(16, 19)):
                s.outcome = "other.correction_lapsed"
            return
        if not concluded and rng.random() < 0.5:
            return  # still waiting for the correction
        if not t.at("corrected_on", rng.randint(3, 12)):
            return
        if rng.random() < 0.4 and concluded:
            if t.at("concluded_on", rng.randint(5, 15)):
                s.outcome = "unavailable.unclear_after_correction"
            return
    elif r < 0.12:  # a third party consulted (条例第三十二条)
        if not t.at("consultation_sent_on", rng.randint(2, 6)):
            return
        if not concluded and rng.random() < 0.6:
            return
        if not t.at("consultation_replied_on", rng.randint(5, 14)):
            return
    elif r < 0.13:  # a fee (国办函〔2020〕109号)
        if not t.at("fee_notified_on", rng.randint(5, 10)):
            return
        if rng.random() < 0.5 and concluded:
            if t.at("concluded_on", rng.randint(21, 24)):
                s.outcome = "other.fee_unpaid"
            return
        if not concluded and rng.random() < 0.6:
            return
        if not t.at("fee_paid_on", rng.randint(3, 10)):
            return
    if rng.random() < 0.03:  # an extension, approved by the head of the office
        extend_after = max(1, rng.randint(12, 18) - t.cal.between(s.received_on, t.day))
        if not t.at("extended_on", extend_after) or not concluded:
            return
    if not concluded:
        return
    late = rng.random() < 0.02
    if t.at("concluded_on", rng.randint(21, 24) if late else rng.randint(3, 17)):
        s.outcome = _pick(rng, DECIDED)


def _receipts(rng: random.Random, cal: WorkCalendar, n: int) -> Iterator[tuple[date, bool]]:
    """(receipt day, concluded?) for n requests: the concluded ones from December 2025 to early November,
    the open ones in the last working days, mostly the most recent."""
    start = date(2025, 12, 1)
    last_closed = cal.add(TODAY, 1).date - timedelta(days=40)  # leaves time to conclude
    span = (last_closed - start).days
    recent = [TODAY]
    while len(recent) < 31:
        recent.append(_previous_working_day(cal, recent[-1]))
    young = list(range(20))  # working days ago; older open requests are rarer, a few are overdue
    for _ in range(n):
        if rng.random() < OPEN_SHARE:
            age = rng.choices(young, [25 - a for a in young])[0] if rng.random() < 0.995 else rng.randint(20, 30)
            yield recent[age], False
        else:
            day = start + timedelta(days=rng.randrange(span + 1))
            while not cal.is_working_day(day):
                day += timedelta(days=1)
            yield day, True


def _previous_working_day(cal: WorkCalendar, d: date) -> date:
    d -= timedelta(days=1)
    while not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def generate(n: int, cal: WorkCalendar, seed: int = 2026) -> list[Story]:
    """n requests of a province's year, sorted by receipt, numbered per agency and year."""
    rng = random.Random(seed)
    weights = [1 + 30 / (i + 1) for i in range(len(AGENCIES))]  # a few large agencies, many small ones
    stories = []
    for received, concluded in _receipts(rng, cal, n):
        kind = _pick(rng, TYPES)
        person = kind == "natural_person"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) if person else rng.choice(COMPANIES)
        s = Story("", rng.choices(AGENCIES, weights)[0], received, _pick(rng, CHANNELS), kind, name,
                  rng.choice(SUBJECTS), f"13{rng.randrange(10**8, 10**9)}",
                  _id_number(rng) if person and rng.random() < 0.6 else "",
                  f"福建省某市某区人民路{rng.randrange(1, 300)}号" if rng.random() < 0.5 else "")
        _history(rng, _Timeline(cal, s), concluded)
        stories.append(s)
    stories.sort(key=lambda s: s.received_on)
    numbers: dict[tuple[str, int], int] = {}
    for s in stories:
        key = (s.agency, s.received_on.year)
        numbers[key] = numbers.get(key, 0) + 1
        s.ref = f"{s.received_on.year}-{numbers[key]:06d}"
    return stories


def appeals(stories: Sequence[Story], seed: int = 2026) -> list[dict[str, str]]:
    """Reviews and lawsuits against about 1% of the concluded requests, filed within 60 days, some decided."""
    rng = random.Random(seed + 1)
    out = []
    for s in stories:
        concluded = s.days.get("concluded_on")
        if concluded is None or rng.random() >= APPEAL_SHARE:
            continue
        filed = concluded + timedelta(days=rng.randint(5, 60))
        if filed > TODAY:
            continue
        result = _pick(rng, APPEAL_RESULTS)
        decided = filed + timedelta(days=rng.randint(30, 90)) if result else None
        if decided is not None and decided > TODAY:
            result, decided = "", None
        out.append({"ref": s.ref, "agency": s.agency, "kind": _pick(rng, APPEAL_KINDS), "filed_on": filed.isoformat(),
                    "result": result, "concluded_on": decided.isoformat() if decided else ""})
    return out


def write_csv(path: Path, headers: dict[str, str], rows: Iterator[dict[str, str]] | Sequence[dict[str, str]]) -> int:
    """UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" saves it."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(headers.values())
        for row in rows:
            out.writerow([row.get(k, "") for k in headers])
            count += 1
    return count
