"""Who signs a letter and its number (``workflow.letters.signer``): the request's agency by its
registered name, ``office.name`` only for the office's own agency, a 文号 from the settings."""

from __future__ import annotations

from typing import Any

import pytest

from rules import letters
from workflow.domain.errors import InvalidInput
from workflow.letters import signer
from workflow.settings import Settings
from workflow.store import models


def _settings(**letters_: Any) -> Settings:
    return Settings({"office": {"agency": "shiju", "name": "某市某局"},
                     "letters": {"abbr": "某局", "abbreviations": {"minzheng": "某民"}, **letters_}})


def test_the_registered_name_signs_and_office_name_only_for_the_offices_own_agency() -> None:
    s = _settings()
    assert signer.office_name(s, "minzheng", "某区民政局") == "某区民政局"
    assert signer.office_name(s, "shiju", "某市某局（登记名）") == "某市某局（登记名）"
    assert signer.office_name(s, "shiju", None) == "某市某局"
    missing = signer.office_name(s, "ziranziyuan", None)
    assert isinstance(missing, signer.Missing) and "gongkai agency add ziranziyuan 名称" in missing.what
    placeholder = signer.office_name(Settings({"office": {"agency": "shiju", "name": "本机关"}}), "shiju", None)
    assert isinstance(placeholder, signer.Missing) and placeholder.setting == "office.name"


def test_the_number_uses_the_agencys_abbreviation_and_the_requests_year_and_number() -> None:
    s = _settings(number_format="{abbr}{kind}〔{year}〕{n}号")
    row = models.Request(ref="2026-0007", year=2026, seq=7, agency="minzheng", received_on=None,  # type: ignore[arg-type]
                         channel="online", applicant_name="张三", applicant_type="natural_person", subject="x")
    fmt = signer.number_format(s)
    assert signer.number(fmt, "某民", letters.KINDS["correction"], row, 1) == "某民补正〔2026〕7号"
    assert signer.number(fmt, "某民", letters.KINDS["consultation"], row, 2) == "某民征求意见〔2026〕7-2号"
    assert signer.abbreviation(s, "minzheng") == "某民" and signer.abbreviation(s, "shiju") == "某局"
    unknown = signer.abbreviation(s, "ziranziyuan")
    assert isinstance(unknown, signer.Missing) and unknown.setting == "letters.abbreviations.ziranziyuan"


@pytest.mark.parametrize("fmt", ["{abbr}〔{year}〕{number}号", "{abbr}〔{year〕{n}号"])
def test_a_number_format_with_an_unknown_field_or_a_stray_brace_is_refused_by_its_name(fmt: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        signer.number_format(_settings(number_format=fmt))
    assert refused.value.field == "letters.number_format"


def test_a_lawsuit_is_offered_after_a_repeated_request_unless_the_office_lists_it_in_the_setting() -> None:
    # 法释〔2025〕8号 Art. 1(1): courts shall accept a suit against a 不予处理 reply; the narrower reading is an
    # office's setting, never the default.
    assert signer.no_lawsuit(_settings()) == letters.NO_LAWSUIT == frozenset()
    assert signer.no_lawsuit(_settings(no_lawsuit=["not_processed.repeated"])) == {"not_processed.repeated"}
    default = letters.RemedyTerms("某市人民政府", "某区人民法院")
    assert "6个月内向某区人民法院提起行政诉讼" in letters.remedies("not_processed.repeated", default)
    narrowed = letters.RemedyTerms("某市人民政府", "某区人民法院", no_lawsuit=frozenset({"not_processed.repeated"}))
    assert "提起行政诉讼" not in letters.remedies("not_processed.repeated", narrowed)
    assert "申请行政复议" in letters.remedies("not_processed.repeated", narrowed)
    with pytest.raises(InvalidInput) as refused:
        signer.no_lawsuit(_settings(no_lawsuit=["not_processed.repeat"]))
    assert refused.value.field == "letters.no_lawsuit"
