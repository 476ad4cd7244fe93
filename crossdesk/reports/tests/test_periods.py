from datetime import date

import pytest

from crossdesk.core.errors import ApplicationError
from crossdesk.reports.periods import period_from_params, preset_period

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("week", date(2026, 11, 16), date(2026, 11, 22)),
        ("month", date(2026, 11, 1), date(2026, 11, 30)),
        ("quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("year", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_each_preset_is_the_span_that_contains_today(preset, start, end):
    period = preset_period(preset, TODAY)
    assert (period.start, period.end, period.preset) == (start, end, preset)


def test_the_pages_default_to_this_quarter_and_take_custom_dates():
    assert period_from_params({}, TODAY).start == date(2026, 10, 1)
    custom = period_from_params({"period": "custom", "from": "2026-09-28", "to": "2026-10-11"}, TODAY)
    assert (custom.start, custom.end, custom.days) == (date(2026, 9, 28), date(2026, 10, 11), 14)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "decade"}, "period"),
        ({"period": "custom", "to": "2026-10-11"}, "from"),
        ({"period": "custom", "from": "2026-10-11"}, "to"),
        ({"from": "2026-10-11", "to": "2026-10-01"}, "to"),
    ],
)
def test_a_bad_period_names_its_field(params, field):
    with pytest.raises(ApplicationError) as refused:
        period_from_params(params, TODAY)
    assert refused.value.field == field
