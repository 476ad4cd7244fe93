from datetime import date

from crossdesk.core.files import years_later


def test_retention_runs_at_least_the_full_years_from_a_leap_day():
    assert years_later(date(2026, 11, 21)) == date(2028, 11, 21)
    assert years_later(date(2028, 2, 29)) == date(2030, 3, 1)
