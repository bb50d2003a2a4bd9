"""Working days and reminder dates — pure functions, no database.

Deadlines and reminders know Vietnamese public holidays (the `holidays` package: Tết, Giỗ Tổ
Hùng Vương, 30/4, 1/5, 2/9 and their days off) and weekends: a reminder never lands on Tết.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def holiday_name(day: dt.date) -> str | None:
    return holidays.country_holidays("VN", years=[day.year], language="vi").get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def previous_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += ONE_DAY
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier)."""
    sign = 1 if end >= start else -1
    low, high = sorted((start, end))
    days = sum(1 for i in range(1, (high - low).days + 1) if is_working_day(low + dt.timedelta(days=i)))
    return sign * days


@dataclass(frozen=True)
class Policy:
    """The reminder policy as plain data (mirrors plans.models.ReminderPolicy)."""

    days_before: tuple[int, ...] = (7, 3, 1)
    on_due_day: bool = True
    overdue_every_days: int = 3
    overdue_max: int = 5
    escalate_to_head: bool = True
    shift_due_to_working_day: bool = True


def shifted_due(due: dt.date, policy: Policy) -> dt.date:
    """A deadline that falls on a holiday or weekend moves to the next working day, if the policy says so."""
    return next_working_day(due) if policy.shift_due_to_working_day else due


def reminder_dates(due: dt.date, policy: Policy) -> list[tuple[str, dt.date]]:
    """(kind, date) of every reminder for a deadline, each on a working day, at most one per day.

    Before the deadline a reminder that would land on a day off moves earlier; after it, later,
    and each overdue reminder counts its interval from the one before.
    When two land on the same day, the one nearer the deadline is kept.
    """
    planned: dict[dt.date, str] = {}
    for days in sorted(policy.days_before, reverse=True):
        day = previous_working_day(due - dt.timedelta(days=days))
        planned[day] = f"before_{days}"
    if policy.on_due_day:
        planned[previous_working_day(due)] = "due"
    # Overdue reminders count their interval from the previous one, so a weekend never bunches two.
    last = due
    for n in range(1, policy.overdue_max + 1):
        last = next_working_day(last + dt.timedelta(days=max(1, policy.overdue_every_days)))
        planned[last] = f"overdue_{n}"
    return sorted(((kind, day) for day, kind in planned.items()), key=lambda item: item[1])


def is_overdue_kind(kind: str) -> bool:
    return kind.startswith("overdue_")
