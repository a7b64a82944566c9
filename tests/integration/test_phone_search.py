"""One rule finds a request by its telephone number, for ``gongkai find`` and the workbench's filter
(``views.phone_digits``): the number in full, written with or without dashes, spaces or full-width digits;
a part of a number finds nothing, since the number is shown masked (138****5678)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from workflow.app import Gongkai
from workflow.domain.commands import Register
from workflow.usecases import requests, views


@pytest.fixture
def two(make_app: Callable[..., Gongkai]) -> Gongkai:
    app = make_app(today=date(2026, 11, 25))
    requests.register(app, Register(date(2026, 10, 26), "in_person", "张三", "natural_person", "拆迁补偿方案",
                                    phone="13812345678"))
    requests.register(app, Register(date(2026, 10, 29), "in_person", "某公司", "commercial", "项目批复",
                                    phone="010-8888-6666"))
    return app


@pytest.mark.parametrize(("typed", "found"), [
    ("13812345678", {"2026-0001"}),
    ("138-1234-5678", {"2026-0001"}),
    ("１３８ １２３４ ５６７８", {"2026-0001"}),
    ("01088886666", {"2026-0002"}),  # stored with dashes, typed without
    ("010-8888-6666", {"2026-0002"}),
    ("1381234", set()),  # a part of a number: nothing, in both
    ("5678", set()),
    ("8888", set()),
])
def test_find_and_the_workbench_filter_find_a_phone_number_by_one_rule(two: Gongkai, typed: str,
                                                                      found: set[str]) -> None:
    assert {r["ref"] for r in views.find(two, typed)} == found
    assert {ref for _, ref in views.phone_matches(two, typed)} == found
    assert all(r["phone"] in ("138****5678", "010******6666") for r in views.find(two, typed))
