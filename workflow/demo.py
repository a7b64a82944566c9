"""A realistic demo year, built through the same services an officer's commands use.

The mix follows published reports (spec §5: in Pingtan 2022 half the requests ended 本机关不掌握, a
quarter were disclosed, a tenth partly disclosed, a few withheld or lapsed), and the timelines use
every action: corrections, consultations across holidays, an extension, a fee, a delay, withdrawals,
and a few replies that came late. Requests received in the last weeks are still open, so the
officer's views have something due, and a few from December of last year were carried over.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from rules import actions as a
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.usecases import requests as services

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
COMPANIES = ["华信建设有限公司", "明德律师事务所", "绿源环保科技有限公司", "城市发展研究院", "阳光公益基金会",
             "恒通物流有限公司", "北辰置业有限公司", "启明法律服务所"]
SUBJECTS = [
    "2025年度城乡低保资金发放明细", "某小区旧城改造项目征收补偿方案", "本辖区养老机构名录及备案材料",
    "某路段道路拓宽工程立项批复", "2026年政府采购项目中标公告", "社会组织年检结果", "某企业环评审批文件",
    "临时救助审批流程及标准", "殡葬改革实施方案", "婚姻登记处窗口服务规范", "某宗地块规划许可证",
    "区民政局2025年部门预算", "特困人员供养标准调整文件", "某行政处罚决定书", "养老服务补贴发放名单",
]
# (outcome, weight) – other.* outcomes are produced by their own actions below.
OUTCOME_MIX = [
    ("unavailable.not_held", 40), ("disclosed", 26), ("partially_disclosed", 11),
    ("withheld.process_information", 3), ("withheld.internal_affairs", 2), ("withheld.third_party_rights", 2),
    ("withheld.enforcement_file", 1), ("not_processed.repeated", 2), ("not_processed.petition", 2),
    ("unavailable.needs_compilation", 2), ("withheld.administrative_query", 1),
]
TYPES = [("natural_person", 86), ("commercial", 7), ("legal_services", 3), ("research", 1),
         ("public_interest", 1), ("other_org", 2)]
CHANNELS = [("online", 55), ("post", 20), ("in_person", 15), ("mail", 7), ("fax", 3)]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _id_number(rng: random.Random) -> str:
    from rules.intake.personal_data import check_digit

    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    body = f"110105{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + check_digit(body)


def default_path() -> Path:
    from workflow.store.db import default_path as data_path

    return data_path().with_name("demo.sqlite")


def build(path: str | None, n_requests: int, seed: int, today: date | None = None) -> tuple[str, Gongkai]:
    target = Path(path) if path else default_path()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    app = Gongkai.open(str(target), officer="李明", today=today)
    rng = random.Random(seed)
    cal = app.settings.calendar
    start = date(app.today.year - 1, 12, 1)
    span = (app.today - start).days
    receipts = sorted(start + timedelta(days=rng.randrange(span + 1)) for _ in range(n_requests))
    for received in receipts:
        if not cal.is_working_day(received):
            received = cal.next_working_day(received)
        if received > app.today:
            continue
        _one(app, rng, received)
    _appeals(app, rng)
    return str(target), app


def _appeals(app: Gongkai, rng: random.Random) -> None:
    """A few applicants contest a refusal: reviews (复议前置, 行政复议法 Art. 23) and a lawsuit."""
    from workflow.usecases import appeals, views

    cal = app.settings.calendar
    refused = [r for r in views.list_requests(app, state="concluded", year=app.today.year)
               if (r["outcome"] or "").startswith(("withheld.", "unavailable.", "partially"))]
    for i, r in enumerate(rng.sample(refused, min(4, len(refused)))):
        filed = cal.add(date.fromisoformat(r["concluded_on"]), rng.randint(10, 30)).date
        if filed > app.today:
            continue
        kind = "litigation_after_review" if i == 3 else "review"
        appeal_id = appeals.file(app, r["ref"], kind, filed)
        decided = cal.add(filed, rng.randint(20, 40)).date
        if i < 2 and decided <= app.today:
            appeals.conclude(app, appeal_id, ("upheld", "corrected")[i], decided)


def _one(app: Gongkai, rng: random.Random, received: date) -> None:
    cal = app.settings.calendar
    kind = _pick(rng, TYPES)
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) if kind == "natural_person" else rng.choice(COMPANIES)
    ref = services.register(app, Register(
        received_on=received, channel=_pick(rng, CHANNELS), applicant_name=name, applicant_type=kind,
        subject=rng.choice(SUBJECTS), phone=f"13{rng.randrange(10**8, 10**9)}",
        id_number=_id_number(rng) if kind == "natural_person" and rng.random() < 0.6 else None,
        address="某市某区人民路" + str(rng.randrange(1, 300)) + "号" if rng.random() < 0.5 else None,
    ))
    officer = replace(app, officer=rng.choice(["李明", "王芳", "陈静"]))
    day = received

    def act(action: str, after: int, **payload: object) -> bool:
        nonlocal day
        when = cal.add(day, max(after, 1)).date
        if when > app.today:
            return False
        services.advance(officer, Advance(ref, action, when, dict(payload)))
        day = when
        return True

    r = rng.random()
    if r < 0.08:  # unclear: ask for a correction
        if not act(a.REQUEST_CORRECTION, rng.randint(2, 6), period=15, items="请明确所需信息的名称、文号或时间范围"):
            return
        if rng.random() < 0.3:
            act(a.LAPSE_CORRECTION, 16)
            return
        if not act(a.RECEIVE_CORRECTION, rng.randint(3, 12)):
            return
        if rng.random() < 0.4:
            act(a.DECIDE, rng.randint(5, 15), outcome="unavailable.unclear_after_correction")
            return
    elif r < 0.16:  # third party consulted (Art. 32)
        if not act(a.CONSULT, rng.randint(2, 6), party="third-party", to="相关企业"):
            return
        if not act(a.CONSULT_REPLY, rng.randint(5, 14)):
            return
    elif r < 0.19:
        act(a.EXTEND, rng.randint(12, 18), days=20, approved_by="张主任")
    elif r < 0.205:  # many requests from one applicant: fee (109号)
        if not act(a.NOTIFY_FEE, rng.randint(5, 10), amount="700.00", pages=100):
            return
        if rng.random() < 0.5:
            act(a.FEE_LAPSED, 21)
            return
        if not act(a.FEE_PAID, rng.randint(3, 10)):
            return
    elif r < 0.215:
        act(a.DELAY, rng.randint(10, 15), until=(cal.add(received, 45).date).isoformat(), reason="申请数量明显超过合理范围")
    elif r < 0.235:
        act(a.WITHDRAW, rng.randint(1, 8), reason="申请人撤回申请")
        return
    late = rng.random() < 0.03
    act(a.DECIDE, rng.randint(21, 24) if late else rng.randint(3, 17), outcome=_pick(rng, OUTCOME_MIX))
