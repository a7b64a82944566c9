"""Every letter an officer sends, written from the request: dates from the deadline rules, the right
article, the remedies. Each request below was received on Monday 2026-03-02 (20 working days: 03-30).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from rules import outcomes
from tests.database import Cli
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.usecases import notices
from workflow.usecases.requests import advance, register

RECEIVED = date(2026, 3, 2)


def _request(app: Gongkai, *steps: tuple[str, date, dict[str, Any]]) -> str:
    ref = register(app, Register(received_on=RECEIVED, channel="in_person", applicant_name="张三",
                                 applicant_type="natural_person", subject="2025年低保资金发放明细",
                                 phone="13812345678"))
    for action, on, payload in steps:
        advance(app, Advance(ref, action, on, payload))
    return ref


def _docx(app: Gongkai, ref: str, kind: str, tmp_path: Path, consultation: int | None = None,
          **blanks: str) -> tuple[list[str], Any]:
    out = tmp_path / f"{ref}-{kind}-{consultation}.docx"
    notices.render(app, ref, notices.Request(kind, out, consultation=consultation, blanks=blanks))
    doc = Document(str(out))
    return [p.text for p in doc.paragraphs], doc


def _with(paragraphs: list[str], text: str) -> str:
    found = [p for p in paragraphs if text in p]
    assert found, f"no paragraph with {text!r} in:\n" + "\n".join(paragraphs)
    return found[0]


# -- the notices on the way ----------------------------------------------------------------------

def test_the_correction_notice_gives_the_items_and_the_end_of_the_period(office: Path, app: Gongkai, tmp_path: Path) -> None:
    # 10 working days after Thursday 03-05: 03-06, 03-09 … 03-13, 03-16 … 03-19.
    ref = _request(app, ("request-correction", date(2026, 3, 5), {"period": "10", "items": "请写明文件的文号或名称"}))
    paragraphs, doc = _docx(app, ref, "correction", tmp_path)
    assert paragraphs[0] == "政府信息公开申请补正告知书" and doc.paragraphs[0].runs[0].bold
    assert paragraphs[2] == "张三："
    body = _with(paragraphs, "申请内容不明确")
    assert "2026年3月2日" in body and "《中华人民共和国政府信息公开条例》第三十条" in body
    assert "请写明文件的文号或名称" in paragraphs
    # Sent, not yet received: the period runs from the applicant's receipt, so no date is printed.
    assert "请您自收到本通知之日起10个工作日内向本机关提交" in _with(paragraphs, "视为放弃申请")
    assert "2026年3月19日" not in "".join(paragraphs)
    assert paragraphs[1] == "某局补正〔2026〕1号" and paragraphs[-2:] == ["某市某局", "2026年3月5日"]


def test_a_correction_notice_handed_over_gives_the_date_its_period_ends(office: Path, app: Gongkai,
                                                                       tmp_path: Path) -> None:
    # Delivered Friday 03-06; 10 working days: 03-09 … 03-13, 03-16 … 03-20.
    ref = _request(app, ("request-correction", date(2026, 3, 5),
                         {"period": "10", "items": "请写明文号", "delivered_on": "2026-03-06"}))
    paragraphs, _ = _docx(app, ref, "correction", tmp_path)
    assert "请您于2026年3月20日前（含当日）向本机关提交" in _with(paragraphs, "视为放弃申请")


def test_the_extension_notice_gives_the_deadline_before_and_after(office: Path, app: Gongkai, tmp_path: Path) -> None:
    # Due 03-30; 20 more working days: 03-31 … 04-03, (04-06 清明) 04-07 … 04-10, … 04-27, 04-28.
    ref = _request(app, ("extend", date(2026, 3, 20), {"days": "20", "approved_by": "张主任",
                                                       "reason": "所申请信息需从多个档案库调取"}))
    paragraphs, _ = _docx(app, ref, "extension", tmp_path)
    assert "延期理由：所申请信息需从多个档案库调取" in paragraphs
    body = _with(paragraphs, "延长20个工作日")
    assert "由2026年3月30日延长至2026年4月28日" in body
    assert "第三十三条第二款" in body
    assert not any("不计算在答复期限内" in p for p in paragraphs)  # nothing was paused
    assert paragraphs[-1] == "2026年3月20日"


def test_an_extension_during_a_consultation_says_the_deadline_will_move(
        office: Path, app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("consult", date(2026, 3, 4), {"to": "某公司"}),
                   ("extend", date(2026, 3, 20), {"days": "10", "approved_by": "张主任", "reason": "需征求第三方意见"}))
    paragraphs, _ = _docx(app, ref, "extension", tmp_path)
    assert "第三十三条第三款" in _with(paragraphs, "征求第三方和其他机关意见所需时间不计算在答复期限内")


def test_an_extension_while_a_fee_is_unpaid_cites_no_consultation_paragraph(
        office: Path, app: Gongkai, tmp_path: Path) -> None:
    # Art. 33 ¶3 covers consultation only; the fee pause is a setting (deadlines.fee_pauses_reply).
    ref = _request(app, ("notify-fee", date(2026, 3, 4), {"amount": "100", "items": "11"}),
                   ("extend", date(2026, 3, 20), {"days": "10", "approved_by": "张主任", "reason": "需调取档案"}))
    paragraphs, _ = _docx(app, ref, "extension", tmp_path)
    pause = _with(paragraphs, "不计算在答复期限内")
    assert "缴纳信息处理费" in pause and "第三十三条第三款" not in "\n".join(paragraphs)


def test_the_consultation_letter_goes_to_the_third_party_without_the_applicants_data(office: Path, app: Gongkai, tmp_path: Path) -> None:
    # 15 working days after Wednesday 03-04: 03-05, 03-06, 03-09 … 03-20, 03-23, 03-24, 03-25.
    ref = _request(app, ("consult", date(2026, 3, 4), {"party": "third-party", "to": "某某建设有限公司",
                                                       "describe": "某某建设有限公司2025年低保资金发放的相关材料"}))
    paragraphs, _ = _docx(app, ref, "consultation", tmp_path)
    assert paragraphs[2] == "某某建设有限公司："
    assert "第三十二条" in _with(paragraphs, "可能损害贵方合法权益")
    # Art. 32: 15 working days from the party's receipt, which is not recorded: no date is printed.
    assert "请贵方自收到本函之日起15个工作日内向本机关提出书面意见" in _with(paragraphs, "由本机关依照")
    text = "\n".join(paragraphs)
    assert "张三" not in text and "13812345678" not in text


def test_a_consulted_agency_is_told_that_silence_means_consent(office: Path, app: Gongkai, tmp_path: Path) -> None:
    # Handed over on 03-04: 15 working days, 03-05 … 03-25 (Art. 34).
    ref = _request(app, ("consult", date(2026, 3, 4), {"party": "agency", "to": "某市财政局", "describe": "低保资金拨付文件",
                                                       "delivered_on": "2026-03-04"}),
                   ("consult", date(2026, 3, 6), {"party": "third-party", "to": "某公司"}))
    paragraphs, _ = _docx(app, ref, "consultation", tmp_path, consultation=1)
    assert "第三十四条" in _with(paragraphs, "由贵单位与本机关共同制作")
    assert "视为同意公开" in _with(paragraphs, "请贵单位于2026年3月25日前（含当日）")
    latest, _ = _docx(app, ref, "consultation", tmp_path, describe="某公司的经营信息")
    assert latest[2] == "某公司：" and "自收到本函之日起15个工作日内" in _with(latest, "提出书面意见")
    assert latest[1] == "某局征求意见〔2026〕1-2号"


def test_the_fee_notice_gives_basis_standard_amount_and_payment_date(office: Path, app: Gongkai, tmp_path: Path) -> None:
    # Handed over on 03-03; 20 working days from the day after: 03-04 … 03-31.
    ref = _request(app, ("notify-fee", date(2026, 3, 3), {"amount": "54700", "pages": "1500",
                                                          "delivered_on": "2026-03-03"}))
    paragraphs, _ = _docx(app, ref, "fee", tmp_path)
    assert "第四十二条" in _with(paragraphs, "国办函〔2020〕109号")
    assert "第201—1500页40元/页" in _with(paragraphs, "收费标准")
    assert _with(paragraphs, "应缴金额") == "应缴金额：人民币54700元。"
    assert _with(paragraphs, "计算方式") == "计算方式：70×10+100×20+1300×40=54700。"
    assert "请您于2026年3月31日前（含当日）缴纳" in _with(paragraphs, "视为放弃申请")


def test_a_fee_notice_whose_amount_disagrees_with_the_tiers_warns(office: Path, app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("notify-fee", date(2026, 3, 3), {"amount": "50000", "pages": "1500"}))
    rendered = notices.render(app, ref, notices.Request("fee", tmp_path / "fee.txt"))
    assert "人民币50000元" in rendered.data.decode()
    assert any("与按标准计算的 54700" in w for w in rendered.letter.warnings)


# -- the reply, for every outcome ----------------------------------------------------------------

DECIDED = date(2026, 3, 20)
# The provision each reply must cite, beside the regulation's sentence it rests on (spec §1.8, §1.9,
# Appendix A.2), written out by hand. "ground" is decide --ground where Art. 36 splits the outcome.
OBTAIN = "登录某市人民政府门户网站“政府信息公开”栏目查阅"
CITES: dict[tuple[str, str], tuple[str, str]] = {
    ("disclosed", "published"): ("第三十六条第（一）项", "所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径"),
    ("disclosed", "provided"): ("第三十六条第（二）项", "所申请公开信息可以公开的，向申请人提供该政府信息，"
                                                   "或者告知申请人获取该政府信息的方式、途径和时间"),
    ("partially_disclosed", ""): ("第三十七条", "能够作区分处理的，行政机关应当向申请人提供可以公开的政府信息内容，"
                                             "并对不予公开的内容说明理由"),
    ("withheld.state_secret", ""): ("第十四条、第三十六条第（三）项", "依法确定为国家秘密的政府信息…不予公开"),
    ("withheld.prohibited_by_law", ""): ("第十四条、第三十六条第（三）项", "法律、行政法规禁止公开的政府信息…不予公开"),
    ("withheld.security_stability", ""): ("第十四条、第三十六条第（三）项",
                                          "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开"),
    ("withheld.third_party_rights", ""): ("第十五条、第三十六条第（三）项", "涉及商业秘密、个人隐私等公开会对第三方"
                                                                     "合法权益造成损害的政府信息，行政机关不得公开"),
    ("withheld.internal_affairs", ""): ("第十六条第一款、第三十六条第（三）项", "行政机关的内部事务信息…可以不予公开"),
    ("withheld.process_information", ""): ("第十六条第二款、第三十六条第（三）项", "过程性信息…可以不予公开"),
    ("withheld.enforcement_file", ""): ("第十六条第二款、第三十六条第（三）项", "行政执法案卷信息，可以不予公开"),
    ("withheld.administrative_query", ""): ("第三十六条第（七）项", "有关法律、行政法规对信息的获取有特别规定的，"
                                                                 "告知申请人依照有关法律、行政法规的规定办理"),
    ("unavailable.not_held", "nonexistent"): ("第三十六条第（四）项", "经检索没有所申请公开信息的，告知申请人该政府信息不存在"),
    ("unavailable.not_held", "elsewhere"): ("第三十六条第（五）项", "所申请公开信息不属于本行政机关负责公开的…能够确定负责公开"
                                                                "该政府信息的行政机关的，告知申请人该行政机关的名称、联系方式"),
    ("unavailable.needs_compilation", ""): ("第三十八条", "需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供"),
    ("unavailable.unclear_after_correction", ""): ("第三十条", "申请内容不明确的…一次性告知申请人作出补正"),
    ("not_processed.petition", ""): ("第三十九条第一款", "以政府信息公开申请的形式进行信访、投诉、举报等活动，"
                                                      "行政机关应当告知申请人不作为政府信息公开申请处理"),
    ("not_processed.repeated", ""): ("第三十六条第（六）项", "申请人重复申请公开相同政府信息的，告知申请人不予重复处理"),
    ("not_processed.publication", ""): ("第三十九条第二款", "要求行政机关提供政府公报、报刊、书籍等公开出版物的，"
                                                         "行政机关可以告知获取的途径"),
    ("not_processed.excessive", ""): ("第三十五条", "行政机关认为申请理由不合理的，告知申请人不予处理"),
    ("not_processed.confirmation", ""): ("第三十六条第（六）项", "（参照）不予重复处理"),
    ("other.correction_lapsed", ""): ("第三十条", "申请人无正当理由逾期不补正的，视为放弃申请"),
    ("other.fee_unpaid", ""): ("国办函〔2020〕109号", "逾期未缴纳的，视为放弃申请"),
    ("other.other", ""): ("撤回", "（撤回：不作决定）"),
}
# The remedies each reply states (spec §6): review first for refusals under Arts. 14–16 and partial
# disclosure (行政复议法第二十三条第一款第（四）项); nothing for a withdrawal; otherwise review or a lawsuit,
# 无法提供 and 不予处理 replies included (法释〔2025〕8号 Art. 1(1)). Review alone only where an office lists the
# outcome in letters.no_lawsuit (empty by default; the narrower reading is UNCONFIRMED).
REVIEW_FIRST = {"partially_disclosed", "withheld.state_secret", "withheld.prohibited_by_law",
                "withheld.security_stability", "withheld.third_party_rights", "withheld.internal_affairs",
                "withheld.process_information", "withheld.enforcement_file"}
CORRECTION = ("request-correction", date(2026, 3, 3), {"period": "5", "items": "请写明文号"})  # ends 03-10
HISTORIES: dict[str, tuple[tuple[str, date, dict[str, Any]], ...]] = {
    "unavailable.unclear_after_correction": (
        CORRECTION, ("receive-correction", date(2026, 3, 6), {}),
        ("decide", DECIDED, {"outcome": "unavailable.unclear_after_correction"})),
    "other.correction_lapsed": (CORRECTION, ("lapse-correction", date(2026, 3, 11), {})),
    "other.fee_unpaid": (("notify-fee", date(2026, 3, 3), {"amount": "100", "items": "11"}),
                         ("fee-lapsed", date(2026, 4, 1), {})),
    "other.other": (("withdraw", date(2026, 3, 4), {"reason": "申请人已通过其他途径获取"}),),
}
DATES = {  # dates of the history that the finding must state
    "unavailable.unclear_after_correction": ["2026年3月3日", "2026年3月6日"],
    "other.correction_lapsed": ["2026年3月3日", "2026年3月10日"],
    "other.fee_unpaid": ["2026年3月3日", "2026年3月31日"],
    "other.other": ["2026年3月4日"],
}


def test_every_outcome_has_a_hand_written_citation_here() -> None:
    assert {code for code, _ in CITES} == set(outcomes.OUTCOMES)


@pytest.mark.parametrize(("code", "ground"), list(CITES))
def test_the_reply_cites_the_outcomes_basis_and_states_the_remedies(
        office: Path, app: Gongkai, tmp_path: Path, code: str, ground: str) -> None:
    decided = {"outcome": code, "note": "具体说明见附件", "ground": ground, "obtain": OBTAIN,
               "holder": "某市自然资源局，联系电话：0591-87654321"}
    steps = HISTORIES.get(code, (("decide", DECIDED, {k: v for k, v in decided.items() if v}),))
    ref = _request(app, *steps)
    paragraphs, _ = _docx(app, ref, "reply", tmp_path)
    assert paragraphs[0] == "政府信息公开申请答复告知书"
    assert "2026年3月2日" in _with(paragraphs, "现")
    finding = paragraphs[4]
    assert CITES[code, ground][0] in finding
    others = {c for (o, g), (c, _) in CITES.items() if o == code and g != ground}
    assert not any(c in finding for c in others)  # one letter per legal finding
    for d in DATES.get(code, []):
        assert d in finding
    if ground == "elsewhere":
        assert "某市自然资源局，联系电话：0591-87654321" in finding
    if code == "disclosed" or code == "partially_disclosed":
        assert OBTAIN in finding
    assert paragraphs[-1] == "2026年" + f"{steps[-1][1].month}月{steps[-1][1].day}日"
    remedies = [p for p in paragraphs if "行政复议" in p]
    if code == "other.other":
        assert remedies == []  # a withdrawal decides nothing against the applicant
        return
    (paragraph,) = remedies
    assert "60日内向某市人民政府申请行政复议" in paragraph
    if code in REVIEW_FIRST:
        assert "《中华人民共和国行政复议法》第二十三条第一款第（四）项" in paragraph
        assert "应当先向行政复议机关申请行政复议" in paragraph and "个月内向" not in paragraph
    else:
        assert "6个月内向某区人民法院提起行政诉讼" in paragraph and "第二十三条" not in paragraph


def test_a_refusal_after_consulting_the_third_party_cites_art_32_too(office: Path, app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("consult", date(2026, 3, 4), {"to": "某公司"}), ("consult-reply", date(2026, 3, 10), {}),
                   ("decide", DECIDED, {"outcome": "withheld.third_party_rights"}))
    paragraphs, _ = _docx(app, ref, "reply", tmp_path)
    assert "第十五条、第三十二条、第三十六条第（三）项" in paragraphs[4]


def test_remedy_periods_and_bodies_come_from_the_settings(
        make_app: Any, tmp_path: Path, _isolated_config: Path) -> None:
    (_isolated_config / "gongkai.toml").write_text(
        '[office]\nname = "某市某局"\n[letters]\nabbr = "某局"\nreview_body = "某市人民政府"\ncourt = "某区人民法院"\n'
        'review_period_days = 60\nlitigation_period_months = 6\ncontact = "联系电话：0591-12345678"\n',
        encoding="utf-8")
    app = make_app()
    ref = _request(app, ("decide", DECIDED, {"outcome": "unavailable.not_held", "ground": "nonexistent"}))
    paragraphs, _ = _docx(app, ref, "reply", tmp_path)
    assert "向某市人民政府申请行政复议" in _with(paragraphs, "行政复议")
    assert "向某区人民法院提起行政诉讼" in _with(paragraphs, "行政诉讼")
    assert "联系电话：0591-12345678" in paragraphs and "某市某局" in paragraphs


# -- through the command line --------------------------------------------------------------------

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细"]


def registered(cli: Cli) -> str:
    return cli.json(*REGISTER)["ref"]  # type: ignore[index]


def test_advance_with_notice_writes_the_letter_and_records_it(office: Path, cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    out = tmp_path / "补正告知书.docx"
    result = cli("advance", ref, "request-correction", "--on", "2026-03-05", "--period", "10",
                 "--items", "请写明文号", "--notice", str(out))
    assert "补正告知书" in result.stdout
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert "自收到本通知之日起10个工作日内" in _with(paragraphs, "向本机关提交补正后的申请")
    events = cli.json("show", ref)["events"]  # type: ignore[index]
    assert [e["action"] for e in events] == ["register", "request-correction", "notice"]
    payload = events[-1]["payload"]
    assert (payload["kind"], payload["file"], payload["format"], payload["about"]) == (
        "correction", str(out), "docx", 2)
    assert events[-1]["on"] == "2026-03-05"  # the letter's date: later backdated actions stay possible
    cli("advance", ref, "receive-correction", "--on", "2026-03-09")


def test_advance_offers_the_letter_its_action_requires(office: Path, cli: Cli) -> None:
    ref = registered(cli)
    result = cli("advance", ref, "extend", "--on", "2026-03-20", "--days", "5", "--approved-by", "张主任")
    assert f"gongkai notice {ref} extension" in result.stdout


def test_a_letter_printed_to_the_screen_is_a_preview_and_records_nothing(office: Path, cli: Cli) -> None:
    ref = registered(cli)
    cli("advance", ref, "decide", "--on", "2026-03-20", "--outcome", "disclosed", "--ground", "published",
        "--obtain", "登录某市人民政府门户网站“政府信息公开”栏目查阅")
    before = cli.dump()
    text = cli("notice", ref, "答复").stdout
    assert "政府信息公开申请答复告知书" in text and "第三十六条第（一）项" in text
    assert cli.dump() == before


def test_a_letter_is_recorded_once_and_a_second_file_of_it_says_it_is_a_copy(
        office: Path, cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    cli("advance", ref, "request-correction", "--on", "2026-03-05", "--items", "请写明文号")
    first = cli("notice", ref, "correction", "--out", str(tmp_path / "a.txt")).stdout
    assert "（已记录）" in first
    second = cli("notice", ref, "correction", "--out", str(tmp_path / "b.txt")).stdout
    assert "副本" in second and "【副本（原件见第3号记录）】" in (tmp_path / "b.txt").read_text(encoding="utf-8")
    events = cli.json("show", ref)["events"]  # type: ignore[index]
    assert [e["action"] for e in events] == ["register", "request-correction", "notice"]
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o600


def test_a_letter_never_overwrites_a_file_or_follows_a_link_without_force(
        office: Path, cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    cli("advance", ref, "request-correction", "--on", "2026-03-05", "--items", "请写明文号")
    (tmp_path / "old.txt").write_text("旧文件", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    before = cli.dump()
    kept = cli("notice", ref, "correction", "--out", str(tmp_path / "old.txt"), ok=False)
    assert "已存在；请换一个文件名，或加 --force 覆盖" in kept.stderr
    linked = cli("notice", ref, "correction", "--out", str(tmp_path / "link.txt"), ok=False)
    assert "是符号链接" in linked.stderr and not (tmp_path / "target.txt").exists()
    assert cli.dump() == before and (tmp_path / "old.txt").read_text(encoding="utf-8") == "旧文件"
    cli("notice", ref, "correction", "--out", str(tmp_path / "old.txt"), "--force")
    assert "请写明文号" in (tmp_path / "old.txt").read_text(encoding="utf-8")


def test_a_letter_printed_again_later_keeps_its_dates(office: Path, cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    cli("advance", ref, "extend", "--on", "2026-03-20", "--days", "20", "--approved-by", "张主任",
        "--reason", "需调取档案")
    cli("advance", ref, "consult", "--on", "2026-03-23", "--to", "某公司")  # moves the reply deadline
    written = cli.json("notice", ref, "extension", "--out", str(tmp_path / "e.txt"))
    assert written["dates"]["reply_due"] == "2026-04-28"  # type: ignore[index]
    assert "2026年4月28日" in (tmp_path / "e.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["notice", "{ref}", "correction"], "没有记录 request-correction"),
    (["notice", "{ref}", "reply"], "没有记录 decide / lapse-correction / fee-lapsed / withdraw"),
    (["notice", "{ref}", "letter"], "无法识别的文书种类 'letter'"),
    (["notice", "{ref}", "consultation", "--consultation", "2"], "只有 0 次征求意见"),
    (["notice", "{ref}", "extension", "--format", "docx"], "DOCX 文书须用 --out"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/missing/x.docx"], "不存在"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/../../etc/passwd"], "应以 .docx 或 .txt 结尾"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/x.txt", "--format", "docx"], "不符"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/x\x00.txt"], "控制字符 U+0000"),
    (["advance", "{ref}", "consult-reply", "--on", "2026-03-10", "--notice", "{tmp}/x.docx"], "不需要文书"),
    (["advance", "{ref}", "decide", "--on", "2026-03-10", "--outcome", "other.fee_unpaid", "--notice",
      "{tmp}/x.docx"], "由事项逾期未缴费（fee-lapsed）记录"),
])
def test_letters_that_cannot_be_written_change_nothing(office: Path, cli: Cli, tmp_path: Path, args: list[str],
                                                        message: str) -> None:
    ref = registered(cli)
    cli("advance", ref, "extend", "--on", "2026-03-05", "--days", "5", "--approved-by", "张主任")
    letters = tmp_path / "letters"
    letters.mkdir()
    before = cli.dump()
    result = cli(*[a.replace("{ref}", ref).replace("{tmp}", str(letters)) for a in args], ok=False)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert cli.dump() == before
    assert list(letters.iterdir()) == []


def test_the_office_edits_a_template_in_its_configuration_directory(
        office: Path, cli: Cli, tmp_path: Path, _isolated_config: Path) -> None:
    ref = registered(cli)
    cli("advance", ref, "request-correction", "--on", "2026-03-05", "--items", "文号")
    (_isolated_config / "notices").mkdir()
    own = _isolated_config / "notices" / "correction.txt"
    own.write_text("# 本机关的格式\n补正通知\n<{applicant}：\n请{correction_period}补正：{items}。\n{details}\n",
                   encoding="utf-8")
    before = cli.dump()
    failed = cli("notice", ref, "correction", ok=False)
    assert failed.exit_code == 1 and f"{own}:5: 不认识的字段 {{details}}" in failed.stderr
    assert cli.dump() == before
    own.write_text("# 本机关的格式\n补正通知\n<{applicant}：\n请{correction_period}补正：{items}。\n",
                   encoding="utf-8")
    # 15 working days (the default period) from the applicant's receipt of the notice.
    assert cli("notice", ref, "correction").stdout.splitlines()[2:] == ["张三：", "　　请自收到本通知之日起15个工作日内补正：文号。"]


def test_on_a_platform_a_letter_is_signed_and_numbered_by_the_requests_own_agency(
        office: Path, cli: Cli) -> None:
    cli("agency", "add", "minzheng", "某区民政局")  # OFFICE_TOML: [letters.abbreviations] minzheng = "某民"
    cli("agency", "add", "ziranziyuan", "某区自然资源局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng")
    cli("--officer", "省平台", "officer", "add", "王芳", "--agency", "ziranziyuan")
    for officer in ("李明", "王芳"):
        ref = cli.json("--officer", officer, *REGISTER)["ref"]  # type: ignore[index]
        cli("--officer", officer, "advance", ref, "request-correction", "--on", "2026-03-05", "--items", "请写明文号")
    lines = cli("--officer", "李明", "notice", ref, "correction").stdout.splitlines()
    # 72 columns: the date 右空四字 (8 columns), the name (10 columns) centred over it (12 columns).
    assert lines[2].strip() == "某民补正〔2026〕1号" and lines[-2:] == [" " * 53 + "某区民政局", " " * 52 + "2026年3月5日"]
    assert "某市某局" not in "".join(lines)
    refused = cli("--officer", "王芳", "notice", ref, "correction", ok=False)
    assert refused.stderr.startswith("gongkai: letters.abbreviations.ziranziyuan: 未配置")


def test_the_notice_command_offers_each_letters_declared_blanks_and_fills_them(office: Path, cli: Cli) -> None:
    from cli.notices import blank_help
    from rules import letters

    declared = {b for k in letters.KINDS.values() for b in k.blanks}
    assert set(blank_help()) == declared and blank_help()["items"] == "correction（补正告知书）：须补正的内容；fee（收费通知书）：计收的件数。"
    shown = cli("notice", "--help").stdout
    assert all(f"--{b}" in shown for b in declared)
    ref = registered(cli)
    cli("advance", ref, "decide", "--on", "2026-03-20", "--outcome", "partially_disclosed", "--obtain", "寄送")
    refused = cli("notice", ref, "reply", ok=False)
    assert refused.stderr.startswith("gongkai: --note: 文书需要此项")
    text = cli("notice", ref, "reply", "--note", "其中个人身份信息属于个人隐私").stdout
    assert "其中个人身份信息属于个人隐私" in text
