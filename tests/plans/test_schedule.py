"""Working days and reminder dates (pure)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from plans.schedule import Policy, is_working_day, next_working_day, reminder_dates, shifted_due

D = dt.date


def test_tet_and_weekends_are_not_working_days():
    assert not is_working_day(D(2021, 2, 12))  # Tết Nguyên Đán
    assert not is_working_day(D(2021, 4, 21))  # Giỗ Tổ Hùng Vương (10/3 âm lịch)
    assert not is_working_day(D(2021, 9, 2))
    assert not is_working_day(D(2021, 11, 20))  # Saturday
    assert is_working_day(D(2021, 11, 22))


def test_deadline_on_tet_moves_to_the_next_working_day_and_reminders_come_before_tet():
    due = shifted_due(D(2021, 2, 15), Policy())
    assert due == D(2021, 2, 17)
    assert reminder_dates(due, Policy()) == [
        ("before_1", D(2021, 2, 9)),  # 7, 3 and 1 days before all fall in Tết: one reminder just before it
        ("due", D(2021, 2, 17)),
        ("overdue_1", D(2021, 2, 22)),  # 20/2 is a Saturday
        ("overdue_2", D(2021, 2, 25)),
        ("overdue_3", D(2021, 3, 1)),
        ("overdue_4", D(2021, 3, 4)),
        ("overdue_5", D(2021, 3, 8)),
    ]


def test_annual_report_due_on_a_saturday():
    due = shifted_due(D(2021, 11, 20), Policy())
    assert due == D(2021, 11, 22)
    assert [d for _, d in reminder_dates(due, Policy())][:3] == [D(2021, 11, 15), D(2021, 11, 19), D(2021, 11, 22)]


def test_policy_without_shift_keeps_the_deadline():
    assert shifted_due(D(2021, 11, 20), Policy(shift_due_to_working_day=False)) == D(2021, 11, 20)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31)),
    st.lists(st.integers(1, 20), max_size=4, unique=True),
    st.integers(1, 7),
    st.integers(0, 6),
)
def test_reminders_only_on_working_days_and_at_most_one_a_day(due, before, every, overdue_max):
    policy = Policy(days_before=tuple(before), overdue_every_days=every, overdue_max=overdue_max)
    dates = [day for _, day in reminder_dates(shifted_due(due, policy), policy)]
    assert all(is_working_day(day) for day in dates)
    assert len(dates) == len(set(dates))
    assert dates == sorted(dates)
    overdue = [kind for kind, _ in reminder_dates(shifted_due(due, policy), policy) if kind.startswith("overdue")]
    assert len(overdue) == overdue_max


def test_next_working_day_skips_the_whole_tet_holiday():
    assert next_working_day(D(2021, 2, 10)) == D(2021, 2, 17)
