"""Reminders from the appraisal queue: the reviewer picks agencies, each agency's staff and head get
a notice in the portal and an e-mail, and every reminder is recorded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed_text
from portal.models import Role, User
from portal.services import notification_send

from ..models import Dossier, DossierReminder, ScoringPeriod
from ..selectors.queue import queue_dossiers
from ._base import about_period, dossier_url, period_label

# Who an agency's reminder reaches: the people who fill in and approve its dossier.
REMINDED_ROLES = (Role.AGENCY_STAFF, Role.AGENCY_HEAD)


@dataclass(frozen=True)
class RemindersSent:
    """What one bulk reminder did: agencies reminded, people notified in the portal, e-mails to send."""

    agencies: int
    people: int
    emails: int


def _people_by_agency(agency_ids: set[int]) -> dict[int, list[User]]:
    people = (
        User.objects.filter(agency_id__in=agency_ids, is_active=True, groups__name__in=REMINDED_ROLES)
        .distinct()
        .order_by("username")
    )
    by_agency: dict[int, list[User]] = defaultdict(list)
    for person in people:
        by_agency[person.agency_id].append(person)
    return by_agency


def _wants_email(person: User) -> bool:
    return bool(person.email and person.email_reminders)


def _default_body(dossier: Dossier) -> str:
    period = dossier.period
    if dossier.submitted_at is None:
        return _(
            "The self-assessment dossier of %(agency)s for %(period)s has not been submitted yet. "
            "The deadline is %(due)s; please complete it and have the head submit it on the portal."
        ) % {
            "agency": dossier.agency_version.name,
            "period": period_label(period),
            "due": period.self_assessment_due_on.strftime("%d/%m/%Y"),
        }
    return _("Please check the dossier of %(agency)s for %(period)s on the portal and answer what is asked.") % {
        "agency": dossier.agency_version.name,
        "period": period_label(period),
    }


def _ids(values: Iterable) -> set[int]:
    return {int(v) for v in values if str(v).strip().isdigit()}


@transaction.atomic
def dossiers_remind(*, period: ScoringPeriod, dossier_ids: Iterable, by: User, message: str = "") -> RemindersSent:
    """Reminds the agencies of the chosen dossiers of `by`'s queue (their province's period, never
    their own agency): a notice in the portal to each staff member and head, an e-mail to those who
    receive e-mail (sent after the commit), one recorded reminder per dossier. Ids outside the queue
    are ignored; none left is refused."""
    dossiers = list(
        queue_dossiers(period=period, user=by)
        .filter(pk__in=_ids(dossier_ids))
        .select_related("agency", "agency_version", "period")
    )
    if not dossiers:
        raise ValidationError(_("Choose at least one agency to remind."))
    message = typed_text(DossierReminder, "body", message, NOTE_MAX_CHARS).strip()
    people = _people_by_agency({d.agency_id for d in dossiers})
    title = about_period(_("Reminder from the appraisal team"), period)
    sent = []
    for dossier in dossiers:
        recipients = people.get(dossier.agency_id, [])
        reminder = DossierReminder.objects.create(
            dossier=dossier,
            sent_by=by,
            title=title,
            body=message or _default_body(dossier),
            notified=len(recipients),
            emailed=sum(1 for p in recipients if _wants_email(p)),
        )
        for person in recipients:
            notification_send(
                recipient=person,
                key=f"dossier-reminder:{reminder.pk}",
                title=title,
                body=reminder.body,
                url=dossier_url(dossier.pk),
            )
        sent.append(reminder)
    ids = [r.pk for r in sent if r.emailed]
    if ids:
        from ..tasks import dossier_reminders_email  # tasks import the services

        transaction.on_commit(lambda: dossier_reminders_email.delay(ids))
    return RemindersSent(agencies=len(sent), people=sum(r.notified for r in sent), emails=sum(r.emailed for r in sent))


def dossier_reminder_email_send(*, reminder_id: int) -> int:
    """Sends a recorded reminder's e-mails once (the run that claims it), over one SMTP session;
    returns how many were sent."""
    claimed = DossierReminder.objects.filter(pk=reminder_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return 0  # another run sent them
    reminder = DossierReminder.objects.select_related("dossier__period", "dossier__agency_version").get(pk=reminder_id)
    dossier = reminder.dossier
    recipients = [p for p in _people_by_agency({dossier.agency_id}).get(dossier.agency_id, []) if _wants_email(p)]
    url = settings.SITE_URL.rstrip("/") + dossier_url(dossier.pk)
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for person in recipients:
            body = render_to_string(
                "scoring/email/reminder_body.txt", {"reminder": reminder, "person": person, "url": url}
            )
            EmailMultiAlternatives(
                f"[{settings.PORTAL_NAME}] {reminder.title}",
                body,
                to=[person.email],
                headers={"Message-ID": f"<dossier-reminder-{reminder.pk}-{person.pk}@dvcq.portal>"},
                connection=connection,
            ).send()
    return len(recipients)
