"""The information-processing fee (国办函〔2020〕109号): the tiers, the monthly count."""

from __future__ import annotations

import pytest

from rules import fees


@pytest.mark.parametrize(("pages", "yuan"), [
    (1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2_700), (201, 2_740),
])
def test_pages_are_charged_on_the_excess_tier_by_tier(pages: int, yuan: int) -> None:
    assert fees.per_page(pages).total == yuan


def test_the_chengdu_notice_of_1500_pages_comes_to_54700_yuan() -> None:
    fee = fees.per_page(1_500)
    assert fee.total == 54_700
    assert fee.arithmetic() == "70×10+100×20+1300×40=54700"


def test_the_xian_notice_of_2219_pages_comes_to_83460_yuan() -> None:
    assert fees.per_page(2_219).total == 83_460  # 700 + 2,000 + 2,019 × 40


def test_items_1_to_10_of_a_month_are_free_and_11_to_30_cost_100_each() -> None:
    assert fees.per_item(10).total == 0
    assert fees.per_item(11).total == 100
    assert fees.per_item(30).total == 2_000
    assert fees.per_item(1, counted_before=10).total == 100


def test_above_30_items_each_band_of_10_is_100_yuan_dearer_by_default() -> None:
    # Items 28-33: 28, 29, 30 at 100; 31, 32, 33 at 200 (the default reading of Art. 4(三)).
    fee = fees.per_item(6, counted_before=27)
    assert (fee.first, fee.last, fee.total) == (28, 33, 900)
    assert fees.per_item(1, counted_before=40).total == 300  # the 41st item
    assert fees.per_item(1, counted_before=50).total == 400  # the 51st


def test_the_other_reading_keeps_items_31_to_40_at_100() -> None:
    assert fees.per_item(6, counted_before=27, first_band_raised=False).total == 600
    assert fees.per_item(1, counted_before=40, first_band_raised=False).total == 200


def test_a_fee_cannot_be_computed_for_nothing() -> None:
    with pytest.raises(ValueError, match="至少为 1"):
        fees.per_page(0)
    with pytest.raises(ValueError, match="至少为 1"):
        fees.per_item(0)
