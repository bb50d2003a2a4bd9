"""Grassroots democracy (QCDC): the steering committee's deadline and what it is told.

Kế hoạch 19-KH/BCĐ of Tây Ninh has each scoring body (Sở Nội vụ, the Labour Federation, Ban Dân vận
Tỉnh ủy with the party committees) send its results to the steering committee (Ban Chỉ đạo) before
20/11 each year. A QCDC period carries that deadline as its decision date; each scoring body not done
with its population is reminded before and after it on the days the plans' reminder schedule gives
(`plans.schedule.reminder_dates`, the same policy as the DVCQ deadlines), once per reminder
(`notification_send` is unique per recipient and key); a day the sweep missed is caught up once,
with the latest reminder due. The committee is told when the results are published and when final.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from plans.schedule import Policy, reminder_dates
from portal.models import Program, Role, User
from portal.services import notification_send

from ..models import Phase, ScoringPeriod
from ..selectors.steering import qcdc_progress
from ._base import about_period

# The day the results are due at the committee: "trước ngày 20/11 hằng năm" (§5.2, §5.3).
COMMITTEE_DAY = (11, 20)
SCORER_ROLES = (Role.REVIEWER, Role.CO_REVIEWER)


def qcdc_period_dates(year: int) -> dict[str, dt.date]:
    """The dates of a year's QCDC period, counted back from the committee's day: units assess
    themselves in September and October, the scoring bodies appraise until 10/11, explanations until
    14/11, results at the committee on 19/11 — the day before 20/11. For `services.period_create`."""
    committee = dt.date(year, *COMMITTEE_DAY)
    return {
        "self_assessment_opens_on": dt.date(year, 9, 1),
        "self_assessment_due_on": dt.date(year, 10, 15),
        "appraisal_due_on": committee - dt.timedelta(days=10),
        "explanation_due_on": committee - dt.timedelta(days=6),
        "decision_due_on": committee - dt.timedelta(days=1),
    }


def _scorers_of(province_id: int, codes: tuple[str, ...]) -> list[User]:
    """The people who mark for the scoring bodies: the agencies' reviewers and co-reviewers; where the
    set names no agency, the province's reviewers."""
    people = User.objects.filter(province_id=province_id, is_active=True, groups__name__in=SCORER_ROLES)
    if codes:
        people = people.filter(agency__code__in=codes)
    else:
        people = people.filter(groups__name=Role.REVIEWER)
    return list(people.distinct().order_by("pk"))


def committee_deadline_remind(*, day: dt.date, policy: Policy | None = None) -> int:
    """Reminds each scoring body of every QCDC period not final whose population is not appraised
    yet: the latest reminder the schedule gives up to `day` for the period's decision date, once.
    Returns how many notifications were new."""
    policy = policy or Policy()
    periods = (
        ScoringPeriod.objects.filter(program=Program.QCDC, decision_due_on__isnull=False)
        .exclude(phase=Phase.FINAL)
        .select_related("criteria_set__regulation")
        .prefetch_related("further_sets__criteria_set__regulation")
    )
    sent = 0
    for progress in qcdc_progress(periods=periods):
        period = progress.period
        due = period.decision_due_on
        planned = [(kind, on) for kind, on in reminder_dates(due, policy) if on <= day]
        if not planned:
            continue
        kind, _on = planned[-1]
        for population in progress.populations:
            if population.done or not population.total:
                continue
            title = about_period(
                _("Results for the steering committee are due on %(due)s: %(population)s")
                % {"due": due.strftime("%d/%m/%Y"), "population": population.name},
                period,
            )
            body = _("%(appraised)s of %(submitted)s submitted dossiers appraised.") % {
                "appraised": population.appraised,
                "submitted": population.submitted,
            }
            for person in _scorers_of(period.province_id, population.body_codes):
                key = f"qcdc-deadline:{period.pk}:{population.criteria_set.pk}:{kind}"
                before = person.notifications.filter(key=key).exists()
                notification_send(
                    recipient=person,
                    key=key,
                    title=title,
                    body=body,
                    url=reverse("scoring:queue", args=[period.pk]),
                )
                sent += not before
    return sent


def committee_notify(*, period: ScoringPeriod, key: str, title: str) -> int:
    """Tells the province's steering committee about a QCDC period's results (once per key)."""
    if period.program != Program.QCDC:
        return 0
    members = User.objects.filter(
        Q(province_id=period.province_id), is_active=True, groups__name=Role.STEERING_COMMITTEE
    ).distinct()
    for member in members:
        notification_send(
            recipient=member,
            key=f"period:{period.pk}:committee:{key}",
            title=about_period(title, period),
            url=reverse("scoring:ranking", args=[period.pk]),
        )
    return len(members)
