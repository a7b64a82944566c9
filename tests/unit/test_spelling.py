"""What officers type: dates, references and labels as people write them (rules.spelling, domain.vocabulary)."""

from __future__ import annotations

from datetime import date

import pytest

from rules import outcomes, spelling
from rules.report.layout import applicant_type
from workflow.domain import vocabulary
from workflow.domain.errors import InvalidInput

MONDAY = date(2026, 3, 2)  # typed on Monday 2 March 2026


@pytest.mark.parametrize("typed", ["2026-03-02", "2026/3/2", "2026.3.2", "20260302", "2026年3月2日", "3月2日",
                                   "3月2号", "今天", "２０２６／３／２", "２０２６－０３－０２", " 2026年3月2日 "])
def test_every_way_of_writing_the_second_of_march_is_that_day(typed: str) -> None:
    assert spelling.parse_date(typed, MONDAY) == MONDAY


def test_yesterday_and_a_month_day_without_year_are_read_against_today() -> None:
    assert spelling.parse_date("昨天", MONDAY) == date(2026, 3, 1)
    assert spelling.parse_date("9月16日", MONDAY) == date(2026, 9, 16)


@pytest.mark.parametrize("typed", ["2026-3/2", "2026-13-01", "2026年2月30日", "明年", "", "3/2"])
def test_what_is_not_a_date_is_refused_with_the_spellings_accepted(typed: str) -> None:
    with pytest.raises(ValueError, match="日期"):
        spelling.parse_date(typed, MONDAY)


def test_an_impossible_day_says_why() -> None:
    with pytest.raises(ValueError, match="2026年没有2月30日"):
        spelling.parse_date("2026/2/30", MONDAY)


@pytest.mark.parametrize(("typed", "ref"), [("17", "2026-0017"), ("0017", "2026-0017"), ("2026-17", "2026-0017"),
                                            ("２０２６－０００１", "2026-0001"), ("2025-0137", "2025-0137"),
                                            ("10000", "2026-10000"), ("省-7", "省-7")])
def test_a_reference_may_omit_its_year_and_be_typed_full_width(typed: str, ref: str) -> None:
    assert spelling.reference(typed, 2026) == ref


@pytest.mark.parametrize(("typed", "code"), [("撤回申请", "withdraw"), ("撤回", "withdraw"), ("征求意见", "consult"),
                                             ("作出答复", "decide"), ("延期", "extend"), ("decide", "decide"),
                                             ("DECIDE", "decide"), ("撤销上一步", "undo"), ("缴费通知", None)])
def test_an_action_is_its_code_its_label_or_a_part_of_one_label(typed: str, code: str | None) -> None:
    if code is None:
        with pytest.raises(InvalidInput, match="无法识别"):
            vocabulary.action(typed)
    else:
        assert vocabulary.action(typed) == code


def test_a_word_in_several_labels_is_refused_with_them_listed() -> None:
    with pytest.raises(InvalidInput) as e:
        vocabulary.action("撤")
    assert str(e.value) == "ACTION: 事项 '撤' 有歧义，可指：withdraw（撤回申请）、undo（撤销上一步）"
    with pytest.raises(InvalidInput, match="有歧义.*consult（征求意见）.*consult-reply（收到意见）"):
        vocabulary.action("意见")


@pytest.mark.parametrize(("typed", "code"), [("办理中", "received"), ("已办结", "concluded"), ("办结", "concluded"),
                                             ("待补正", "awaiting_correction"), ("未办结", "open"), ("open", "open")])
def test_a_state_by_its_label(typed: str, code: str) -> None:
    assert vocabulary.state(typed) == code


def test_an_ambiguous_state_is_refused() -> None:
    with pytest.raises(InvalidInput, match="--state: 状态 '中' 有歧义"):
        vocabulary.state("中")


@pytest.mark.parametrize(("typed", "code"), [("公开", "disclosed"), ("予以公开", "disclosed"), ("部分公开", "partially_disclosed"),
                                             ("不掌握", "unavailable.not_held"), ("本机关不掌握相关政府信息", "unavailable.not_held"),
                                             ("属于国家秘密", "withheld.state_secret"), ("重复申请", "not_processed.repeated")])
def test_an_outcome_by_its_label_or_a_short_form(typed: str, code: str) -> None:
    assert outcomes.outcome(typed).code == code


def test_an_ambiguous_outcome_lists_the_rows_it_could_be() -> None:
    with pytest.raises(ValueError, match="办理结果 '不予处理' 无法识别"):
        outcomes.outcome("不予处理")
    with pytest.raises(ValueError, match="有歧义.*state_secret.*internal_affairs"):
        outcomes.outcome("属于")


@pytest.mark.parametrize(("typed", "code"), [("个人", "natural_person"), ("企业", "commercial"), ("自然人", "natural_person"),
                                             ("公司", "commercial"), ("科研", "research"), ("法人或其他组织-商业企业", "commercial")])
def test_applicant_types_as_said_at_the_counter(typed: str, code: str) -> None:
    assert applicant_type(typed) == code


def test_an_ambiguous_applicant_type() -> None:
    with pytest.raises(ValueError, match="申请人类型 '机构' 有歧义，可指：research（科研机构）、legal_services（法律服务机构）"):
        applicant_type("机构")


@pytest.mark.parametrize(("typed", "code"), [("负责人", "supervisor"), ("经办人", "officer"), ("platform", "platform")])
def test_roles_by_their_labels(typed: str, code: str) -> None:
    assert vocabulary.role(typed) == code


@pytest.mark.parametrize(("typed", "cell"), [("本机关不掌握相关政府信息:自然人", "unavailable.not_held:natural_person"),
                                             ("不掌握：个人", "unavailable.not_held:natural_person"),
                                             ("其他:企业", "other.other:commercial"),
                                             ("行政复议:尚未审结", "review:pending"),
                                             ("总计:总计", "total:total"),
                                             ("unavailable.not_held:natural_person", "unavailable.not_held:natural_person")])
def test_a_report_cell_by_its_row_and_column_labels(typed: str, cell: str) -> None:
    assert vocabulary.cell(typed) == cell


def test_a_cell_without_a_colon_says_how_to_write_one() -> None:
    with pytest.raises(InvalidInput, match="--cell: '不掌握' 不是 行:列"):
        vocabulary.cell("不掌握")
