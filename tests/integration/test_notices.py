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


def _docx(app: Gongkai, ref: str, kind: str, tmp_path: Path, **kw: Any) -> tuple[list[str], Any]:
    out = tmp_path / f"{ref}-{kind}.docx"
    notices.render(app, ref, kind, out, **kw)
    doc = Document(str(out))
    return [p.text for p in doc.paragraphs], doc


def _with(paragraphs: list[str], text: str) -> str:
    found = [p for p in paragraphs if text in p]
    assert found, f"no paragraph with {text!r} in:\n" + "\n".join(paragraphs)
    return found[0]


# -- the notices on the way ----------------------------------------------------------------------

def test_the_correction_notice_gives_the_items_and_the_end_of_the_period(app: Gongkai, tmp_path: Path) -> None:
    # 10 working days after Thursday 03-05: 03-06, 03-09 … 03-13, 03-16 … 03-19.
    ref = _request(app, ("request-correction", date(2026, 3, 5), {"period": "10", "items": "请写明文件的文号或名称"}))
    paragraphs, doc = _docx(app, ref, "correction", tmp_path)
    assert paragraphs[0] == "政府信息公开申请补正告知书" and doc.paragraphs[0].runs[0].bold
    assert paragraphs[2] == "张三："
    body = _with(paragraphs, "申请内容不明确")
    assert "2026年3月2日" in body and "《中华人民共和国政府信息公开条例》第三十条" in body
    assert "请写明文件的文号或名称" in paragraphs
    assert "请您于2026年3月19日前（含当日，补正期限为10个工作日）" in _with(paragraphs, "视为放弃申请")
    assert paragraphs[-1] == "2026年3月5日"


def test_the_extension_notice_gives_the_deadline_before_and_after(app: Gongkai, tmp_path: Path) -> None:
    # Due 03-30; 20 more working days: 03-31 … 04-03, (04-06 清明) 04-07 … 04-10, … 04-27, 04-28.
    ref = _request(app, ("extend", date(2026, 3, 20), {"days": "20", "approved_by": "张主任"}))
    paragraphs, _ = _docx(app, ref, "extension", tmp_path)
    body = _with(paragraphs, "延长20个工作日")
    assert "由2026年3月30日延长至2026年4月28日" in body
    assert "第三十三条第二款" in body
    assert not any("不计算在答复期限内" in p for p in paragraphs)  # nothing was paused
    assert paragraphs[-1] == "2026年3月20日"


def test_an_extension_during_a_consultation_says_the_deadline_will_move(app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("consult", date(2026, 3, 4), {"to": "某公司"}),
                   ("extend", date(2026, 3, 20), {"days": "10", "approved_by": "张主任"}))
    paragraphs, _ = _docx(app, ref, "extension", tmp_path)
    assert "第三十三条第三款" in _with(paragraphs, "不计算在答复期限内")


def test_the_consultation_letter_goes_to_the_third_party_without_the_applicants_data(
        app: Gongkai, tmp_path: Path) -> None:
    # 15 working days after Wednesday 03-04: 03-05, 03-06, 03-09 … 03-20, 03-23, 03-24, 03-25.
    ref = _request(app, ("consult", date(2026, 3, 4), {"party": "third-party", "to": "某某建设有限公司"}))
    paragraphs, _ = _docx(app, ref, "consultation", tmp_path)
    assert paragraphs[2] == "某某建设有限公司："
    assert "第三十二条" in _with(paragraphs, "书面征求你方意见")
    assert "2026年3月25日" in _with(paragraphs, "由本机关依照")
    text = "\n".join(paragraphs)
    assert "张三" not in text and "13812345678" not in text


def test_a_consulted_agency_is_told_that_silence_means_consent(app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("consult", date(2026, 3, 4), {"party": "agency", "to": "某市财政局"}),
                   ("consult", date(2026, 3, 6), {"party": "third-party", "to": "某公司"}))
    paragraphs, _ = _docx(app, ref, "consultation", tmp_path, consultation=1)
    assert "第三十四条" in _with(paragraphs, "共同制作")
    assert "视为同意公开" in _with(paragraphs, "2026年3月25日")
    latest, _ = _docx(app, ref, "consultation", tmp_path)
    assert latest[2] == "某公司：" and "2026年3月27日" in _with(latest, "提出书面意见")


def test_the_fee_notice_gives_basis_standard_amount_and_payment_date(app: Gongkai, tmp_path: Path) -> None:
    # 20 working days from the day after 03-03: 03-04 … 03-31.
    ref = _request(app, ("notify-fee", date(2026, 3, 3), {"amount": "54700", "pages": "1500"}))
    paragraphs, _ = _docx(app, ref, "fee", tmp_path)
    assert "第四十二条" in _with(paragraphs, "国办函〔2020〕109号")
    assert "第201—1500页40元/页" in _with(paragraphs, "收费标准")
    assert _with(paragraphs, "应缴金额") == "应缴金额：人民币54700元（70×10+100×20+1300×40=54700）。"
    assert "2026年3月31日" in _with(paragraphs, "视为放弃申请")


def test_a_fee_notice_whose_amount_disagrees_with_the_tiers_warns(app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("notify-fee", date(2026, 3, 3), {"amount": "50000", "pages": "1500"}))
    rendered = notices.render(app, ref, "fee", tmp_path / "fee.txt")
    assert "人民币50000元" in rendered.data.decode()
    assert any("differs from the tiers' 54700" in w for w in rendered.letter.warnings)


# -- the reply, for every outcome ----------------------------------------------------------------

DECIDED = date(2026, 3, 20)
# The provision each reply must cite (spec §1.8, Appendix A.2), written out by hand.
CITES = {
    "disclosed": "第三十六条第（一）项、第（二）项",
    "partially_disclosed": "第三十七条",
    "withheld.state_secret": "第十四条",
    "withheld.prohibited_by_law": "第十四条",
    "withheld.security_stability": "第十四条",
    "withheld.third_party_rights": "第十五条",
    "withheld.internal_affairs": "第十六条第一款",
    "withheld.process_information": "第十六条第二款",
    "withheld.enforcement_file": "第十六条第二款",
    "withheld.administrative_query": "第三十六条第（七）项",
    "unavailable.not_held": "第三十六条第（四）项",
    "unavailable.needs_compilation": "第三十八条",
    "unavailable.unclear_after_correction": "第三十条",
    "not_processed.petition": "第三十九条第一款",
    "not_processed.repeated": "第三十六条第（六）项",
    "not_processed.publication": "第三十九条第二款",
    "not_processed.excessive": "第三十五条",
    "not_processed.confirmation": "第三十六条第（六）项",
    "other.correction_lapsed": "第三十条",
    "other.fee_unpaid": "国办函〔2020〕109号",
    "other.other": "撤回",
}
CORRECTION = ("request-correction", date(2026, 3, 3), {"period": "5"})  # period ends 03-10
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
    assert set(CITES) == set(outcomes.OUTCOMES)


@pytest.mark.parametrize("code", list(CITES))
def test_the_reply_cites_the_outcomes_basis_and_states_the_remedies(
        app: Gongkai, tmp_path: Path, code: str) -> None:
    steps = HISTORIES.get(code, (("decide", DECIDED, {"outcome": code, "note": "具体说明见附件"}),))
    ref = _request(app, *steps)
    paragraphs, _ = _docx(app, ref, "reply", tmp_path)
    assert paragraphs[0] == "政府信息公开申请答复告知书"
    assert "2026年3月2日" in _with(paragraphs, "现")
    finding = paragraphs[4]
    assert CITES[code] in finding
    for d in DATES.get(code, []):
        assert d in finding
    assert paragraphs[-1] == "2026年" + f"{steps[-1][1].month}月{steps[-1][1].day}日"
    remedies = [p for p in paragraphs if "行政复议" in p]
    if code == "other.other":
        assert remedies == []  # a withdrawal decides nothing against the applicant
    elif code.startswith("withheld.") or code == "partially_disclosed":
        (paragraph,) = remedies
        assert "《中华人民共和国行政复议法》第二十三条第一款第（四）项" in paragraph
        assert "应当先向行政复议机关申请行政复议" in paragraph
        assert "60日内向有管辖权的行政复议机关申请行政复议" in paragraph
        assert "个月内向" not in paragraph
    else:
        (paragraph,) = remedies
        assert "60日内向有管辖权的行政复议机关申请行政复议" in paragraph
        assert "6个月内向有管辖权的人民法院提起行政诉讼" in paragraph
        assert "第二十三条" not in paragraph


def test_a_refusal_after_consulting_the_third_party_cites_art_32_too(app: Gongkai, tmp_path: Path) -> None:
    ref = _request(app, ("consult", date(2026, 3, 4), {"to": "某公司"}), ("consult-reply", date(2026, 3, 10), {}),
                   ("decide", DECIDED, {"outcome": "withheld.third_party_rights"}))
    paragraphs, _ = _docx(app, ref, "reply", tmp_path)
    assert "第十五条、第三十二条、第三十六条第（三）项" in paragraphs[4]


def test_remedy_periods_and_bodies_come_from_the_settings(
        make_app: Any, tmp_path: Path, _isolated_config: Path) -> None:
    (_isolated_config / "gongkai.toml").write_text(
        '[office]\nname = "某市某局"\n[letters]\nreview_body = "某市人民政府"\ncourt = "某区人民法院"\n'
        'review_period_days = 60\nlitigation_period_months = 6\ncontact = "联系电话：0591-12345678"\n',
        encoding="utf-8")
    app = make_app()
    ref = _request(app, ("decide", DECIDED, {"outcome": "unavailable.not_held"}))
    paragraphs, _ = _docx(app, ref, "reply", tmp_path)
    assert "向某市人民政府申请行政复议" in _with(paragraphs, "行政复议")
    assert "向某区人民法院提起行政诉讼" in _with(paragraphs, "行政诉讼")
    assert "联系电话：0591-12345678" in paragraphs and "某市某局" in paragraphs


# -- through the command line --------------------------------------------------------------------

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细"]


def registered(cli: Cli) -> str:
    return cli.json(*REGISTER)["ref"]  # type: ignore[index]


def test_advance_with_notice_writes_the_letter_and_records_it(cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    out = tmp_path / "补正告知书.docx"
    result = cli("advance", ref, "request-correction", "--on", "2026-03-05", "--period", "10",
                 "--items", "请写明文号", "--notice", str(out))
    assert "补正告知书" in result.stdout
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert "2026年3月19日" in _with(paragraphs, "补正期限为10个工作日")
    events = cli.json("show", ref)["events"]  # type: ignore[index]
    assert [e["action"] for e in events] == ["register", "request-correction", "notice"]
    payload = events[-1]["payload"]
    assert (payload["kind"], payload["file"], payload["format"], payload["about"]) == (
        "correction", str(out), "docx", 2)
    assert events[-1]["on"] == "2026-03-05"  # the letter's date: later backdated actions stay possible
    cli("advance", ref, "receive-correction", "--on", "2026-03-09")


def test_advance_offers_the_letter_its_action_requires(cli: Cli) -> None:
    ref = registered(cli)
    result = cli("advance", ref, "extend", "--on", "2026-03-20", "--days", "5", "--approved-by", "张主任")
    assert f"gongkai notice {ref} extension" in result.stdout


def test_notice_prints_text_and_records_it(cli: Cli) -> None:
    ref = registered(cli)
    cli("advance", ref, "decide", "--on", "2026-03-20", "--outcome", "disclosed")
    text = cli("notice", ref, "答复").stdout
    assert "政府信息公开申请答复告知书" in text and "第三十六条第（一）项" in text
    shown = cli.json("show", ref)
    assert isinstance(shown, dict)
    assert shown["events"][-1]["payload"]["file"] == "-"
    assert (shown["state"], shown["outcome"]) == ("concluded", "disclosed")  # replay is untouched


def test_a_letter_printed_again_later_keeps_its_dates(cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    cli("advance", ref, "extend", "--on", "2026-03-20", "--days", "20", "--approved-by", "张主任")
    cli("advance", ref, "consult", "--on", "2026-03-23", "--to", "某公司")  # moves the reply deadline
    written = cli.json("notice", ref, "extension", "--out", str(tmp_path / "e.txt"))
    assert written["dates"]["reply_due"] == "2026-04-28"  # type: ignore[index]
    assert "2026年4月28日" in (tmp_path / "e.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["notice", "{ref}", "correction"], "no request-correction recorded"),
    (["notice", "{ref}", "reply"], "no decide / lapse-correction / fee-lapsed / withdraw recorded"),
    (["notice", "{ref}", "letter"], "unknown letter kind 'letter'"),
    (["notice", "{ref}", "consultation", "--consultation", "2"], "has 0 consultation(s)"),
    (["notice", "{ref}", "extension", "--format", "docx"], "a DOCX letter needs --out FILE"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/missing/x.docx"], "does not exist"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/../../etc/passwd"], "ending in .docx or .txt"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/x.txt", "--format", "docx"], "does not match"),
    (["notice", "{ref}", "extension", "--out", "{tmp}/x\x00.txt"], "control character U+0000"),
    (["advance", "{ref}", "consult-reply", "--on", "2026-03-10", "--notice", "{tmp}/x.docx"], "needs no letter"),
    (["advance", "{ref}", "decide", "--on", "2026-03-10", "--outcome", "other.fee_unpaid", "--notice",
      "{tmp}/x.docx"], "recorded by the action 'fee-lapsed'"),
])
def test_letters_that_cannot_be_written_change_nothing(cli: Cli, tmp_path: Path, args: list[str],
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
        cli: Cli, tmp_path: Path, _isolated_config: Path) -> None:
    ref = registered(cli)
    cli("advance", ref, "request-correction", "--on", "2026-03-05", "--items", "文号")
    (_isolated_config / "notices").mkdir()
    own = _isolated_config / "notices" / "correction.txt"
    own.write_text("# 本机关的格式\n补正通知\n<{applicant}：\n请于{correction_due}前补正：{items}。\n{details}\n",
                   encoding="utf-8")
    before = cli.dump()
    failed = cli("notice", ref, "correction", ok=False)
    assert failed.exit_code == 1 and f"{own}:5: unknown field {{details}}" in failed.stderr
    assert cli.dump() == before
    own.write_text("# 本机关的格式\n补正通知\n<{applicant}：\n请于{correction_due}前补正：{items}。\n",
                   encoding="utf-8")
    # 15 working days (the default period) after 03-05: 03-06 … 03-26.
    assert cli("notice", ref, "correction").stdout.splitlines()[2:] == ["张三：", "　　请于2026年3月26日前补正：文号。"]
