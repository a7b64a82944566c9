"""Each letter on the way cites the article whose sentence obliges the office to write it; a blank the
officer must fill is refused by the option's name, an unconfigured office by the setting's name; the
consulted party never learns who asked. Each request was received on Monday 2026-03-02.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.database import Cli
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import InvalidInput
from workflow.usecases import notices
from workflow.usecases.requests import advance, register

RECEIVED = date(2026, 3, 2)
REG = "《中华人民共和国政府信息公开条例》"


def _request(app: Gongkai, *steps: tuple[str, date, dict[str, Any]], subject: str = "2025年低保资金发放明细",
             name: str = "张三") -> str:
    ref = register(app, Register(received_on=RECEIVED, channel="in_person", applicant_name=name,
                                 applicant_type="natural_person", subject=subject, phone="13812345678"))
    for action, on, payload in steps:
        advance(app, Advance(ref, action, on, payload))
    return ref


def _text(app: Gongkai, ref: str, kind: str, **blanks: str) -> str:
    return notices.render(app, ref, notices.Request(kind, blanks=blanks)).data.decode()


# letter kind (and consulted party): the steps, the article cited, the regulation's sentence (spec §1.5–1.6).
NOTICES: dict[str, tuple[tuple[str, date, dict[str, Any]], str, str]] = {
    "correction": (("request-correction", date(2026, 3, 5), {"items": "请写明文号"}), "第三十条",
                   "申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性告知申请人作出补正"),
    "extension": (("extend", date(2026, 3, 20), {"days": "5", "approved_by": "张主任", "reason": "需调取档案"}),
                  "第三十三条第二款", "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人"),
    "consultation:third-party": (
        ("consult", date(2026, 3, 4), {"party": "third-party", "to": "某公司", "describe": "某公司的经营数据"}),
        "第三十二条", "依申请公开的政府信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见"),
    "consultation:agency": (
        ("consult", date(2026, 3, 4), {"party": "agency", "to": "某市财政局", "describe": "资金拨付文件"}),
        "第三十四条", "申请公开的政府信息由两个以上行政机关共同制作的，牵头制作的行政机关…可以征求相关行政机关的意见"),
    "consultation:authority": (  # UNCONFIRMED against the spec: quoted from the 2019 text
        ("consult", date(2026, 3, 4), {"party": "authority", "to": "某市国家保密局", "describe": "某项目的批复"}),
        "第十七条第三款", "行政机关不能确定政府信息是否可以公开的，应当…报有关主管部门或者保密行政管理部门确定"),
    "consultation:coordination": (  # UNCONFIRMED against the spec: quoted from the 2019 text
        ("consult", date(2026, 3, 4), {"party": "coordination", "to": "某市自然资源局", "describe": "联合发文"}),
        "第十一条第二款", "行政机关公开政府信息涉及其他机关的，应当与有关机关协商、确认"),
    "fee": (("notify-fee", date(2026, 3, 3), {"amount": "100", "items": "11"}), "第四十二条",
            "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，"
            "行政机关可以收取信息处理费"),
}
OTHER_ARTICLES = ("第三十条", "第三十二条", "第三十四条", "第十七条第三款", "第十一条第二款", "第三十三条第二款")


@pytest.mark.parametrize("letter", list(NOTICES))
def test_each_notice_cites_the_article_that_obliges_it(office: Path, app: Gongkai, letter: str) -> None:
    step, article, _sentence = NOTICES[letter]
    ref = _request(app, step)
    text = _text(app, ref, letter.split(":")[0])
    assert f"{REG}{article}" in text
    assert not any(a in text for a in OTHER_ARTICLES if a != article)
    assert "按按" not in text and "你方" not in text


def test_an_agency_is_addressed_as_your_unit_and_silence_is_consent_only_under_art_34(
        office: Path, app: Gongkai) -> None:
    by_party = {p: _text(app, _request(app, NOTICES[f"consultation:{p}"][0]), "consultation")
                for p in ("agency", "authority", "coordination", "third-party")}
    assert all("贵单位" in by_party[p] for p in ("agency", "authority", "coordination"))
    assert "视为同意公开" in by_party["agency"]
    assert not any("视为同意公开" in by_party[p] for p in ("authority", "coordination", "third-party"))


def test_the_consultation_letter_never_names_the_applicant_found_in_the_subject(
        office: Path, app: Gongkai) -> None:
    ref = _request(app, ("consult", date(2026, 3, 4), {"to": "某街道办事处", "describe": "2025年临时救助审批材料"}),
                   subject="本人李四2025年临时救助审批材料", name="李四")
    text = _text(app, ref, "consultation")
    assert "李四" not in text and "本人" not in text and "13812345678" not in text
    assert "2025年临时救助审批材料" in text
    with pytest.raises(InvalidInput, match="names the applicant") as refused:
        _text(app, ref, "consultation", describe="李四的临时救助审批材料")
    assert refused.value.field == "--describe"


@pytest.mark.parametrize(("step", "kind", "blanks", "option"), [
    (("request-correction", date(2026, 3, 5), {}), "correction", {}, "--items"),
    (("extend", date(2026, 3, 20), {"days": "5", "approved_by": "张主任"}), "extension", {}, "--reason"),
    (("notify-fee", date(2026, 3, 3), {"amount": "100"}), "fee", {}, "--pages"),
    (("consult", date(2026, 3, 4), {"describe": "经营数据"}), "consultation", {}, "--to"),
    (("consult", date(2026, 3, 4), {"to": "某公司"}), "consultation", {}, "--describe"),
    (("decide", date(2026, 3, 20), {"outcome": "disclosed"}), "reply", {"obtain": "网站"}, "--ground"),
    (("decide", date(2026, 3, 20), {"outcome": "disclosed"}), "reply", {"ground": "provided"}, "--obtain"),
    (("decide", date(2026, 3, 20), {"outcome": "disclosed"}), "reply", {"ground": "none", "obtain": "网站"},
     "--ground"),
    (("decide", date(2026, 3, 20), {"outcome": "partially_disclosed", "obtain": "网站"}), "reply", {}, "--note"),
    (("decide", date(2026, 3, 20), {"outcome": "unavailable.not_held"}), "reply", {"ground": "elsewhere"},
     "--holder"),
])
def test_a_blank_the_officer_must_fill_is_refused_by_its_options_name(
        office: Path, app: Gongkai, step: tuple[str, date, dict[str, Any]], kind: str, blanks: dict[str, str],
        option: str) -> None:
    ref = _request(app, step)
    with pytest.raises(InvalidInput) as refused:
        _text(app, ref, kind, **blanks)
    assert refused.value.field == option


@pytest.mark.parametrize(("toml", "setting"), [
    ("", "office.name"),
    ('[office]\nname = "某市某局"\n', "letters.contact"),
    ('[office]\nname = "某市某局"\n[letters]\ncontact = "电话：1"\n', "letters.review_body"),
    ('[office]\nname = "某市某局"\n[letters]\ncontact = "电话：1"\nreview_body = "某市人民政府"\n', "letters.court"),
    ('[office]\nname = "某市某局"\n[letters]\ncontact = "电话：1"\nreview_body = "某市人民政府"\ncourt = "某区人民法院"\n',
     "letters.abbr"),
])
def test_a_letter_is_refused_until_the_office_is_configured_and_a_draft_is_marked(
        cli: Cli, _isolated_config: Path, tmp_path: Path, toml: str, setting: str) -> None:
    (_isolated_config / "gongkai.toml").write_text(toml, encoding="utf-8")
    ref = cli.json("register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
                   "--applicant-type", "natural_person", "--subject", "低保资金")["ref"]  # type: ignore[index]
    cli("advance", ref, "request-correction", "--on", "2026-03-05", "--items", "请写明文号")
    before = cli.dump()
    refused = cli("notice", ref, "correction", "--out", str(tmp_path / "a.docx"), ok=False)
    assert refused.stderr.startswith(f"gongkai: {setting}: is not configured")
    draft = cli("notice", ref, "correction", "--draft", "--out", str(tmp_path / "a.txt"))
    assert "草稿，未记录" in draft.stdout and f"warning: draft: {setting} is not configured" in draft.stderr
    text = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert "【草稿（未经核定，不得发出）】" in text
    if setting == "office.name":
        assert "【未配置 office.name】" in text
    assert cli.dump() == before and not (tmp_path / "a.docx").exists()
