"""Giấy biên nhận: what the portal acknowledges when an agency submits its dossier — written with
the submission, then sent once to the agency's head and staff (in the portal and by e-mail)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import User
from portal.selectors import users_of_agency
from portal.services import notification_send

from ..models import Dossier
from ..models.cycle import SubmissionReceipt
from ..selectors.dossier import DossierData

log = logging.getLogger(__name__)


# What goes with the receipt's e-mail as attachments: (file name, content, MIME type) for a receipt.
# `reports` lays the receipt out as PDF and registers it here when it loads (nothing imports reports).
ReceiptAttachment = tuple[str, bytes, str]
_attachers: list[Callable[[SubmissionReceipt], ReceiptAttachment]] = []


def receipt_attachment_register(attacher: Callable[[SubmissionReceipt], ReceiptAttachment]) -> None:
    if attacher not in _attachers:
        _attachers.append(attacher)


def person_name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def receipt_write(*, dossier: Dossier, data: DossierData, by: User, self_total) -> SubmissionReceipt:
    """The receipt of the submission just made (under the dossier's lock, in its transaction); the
    e-mail goes once the submission is committed."""
    count = SubmissionReceipt.objects.filter(dossier=dossier).count() + 1
    leaves = [n for n in data.spec.walk() if n.is_leaf and n.self_scorable]
    scores = [data.scores.get(n.code) for n in leaves]
    receipt = SubmissionReceipt.objects.create(
        dossier=dossier,
        # BN-<year>-<dossier>-<n-th submission>: unique, and readable over the phone.
        code=f"BN-{dossier.period.year}-{dossier.pk:06d}-{count}",
        submitted_at=dossier.submitted_at,
        submitted_by=by,
        submitted_by_name=person_name(by),
        agency_name=dossier.agency_version.name,
        self_total=self_total,
        max_total=data.spec.max_total,
        criteria_scored=sum(1 for s in scores if s and s.self_raw and not s.not_applicable),
        criteria_not_applicable=sum(1 for s in scores if s and s.not_applicable),
        evidence_count=sum(len(items) for items in data.evidence.values()),
        late_days=dossier.late_days,
    )
    transaction.on_commit(lambda: _queue_mail(receipt.pk))
    return receipt


def _queue_mail(receipt_id: int) -> None:
    from ..tasks import receipt_mail  # tasks import the services

    receipt_mail.delay(receipt_id)


def receipt_url(receipt: SubmissionReceipt) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("scoring:receipt", args=[receipt.dossier_id])


def receipt_send(*, receipt_id: int) -> int:
    """Sends the receipt to the agency's head and staff, once (the row is claimed first); returns
    how many e-mail addresses it went to."""
    claimed = SubmissionReceipt.objects.filter(pk=receipt_id, mailed_at__isnull=True).update(mailed_at=timezone.now())
    if not claimed:
        return 0  # already sent by an earlier run
    receipt = SubmissionReceipt.objects.select_related("dossier__period", "dossier__agency").get(pk=receipt_id)
    people = list(users_of_agency(agency=receipt.dossier.agency))
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "receipt": receipt,
            "period": receipt.dossier.period,
            "url": receipt_url(receipt),
            "pdf_url": settings.SITE_URL.rstrip("/") + reverse("reports:receipt_pdf", args=[receipt.dossier_id]),
        }
        subject = render_to_string("scoring/email/receipt_subject.txt", context).strip()
        body = render_to_string("scoring/email/receipt_body.txt", context)
        for person in people:
            notification_send(
                recipient=person, key=f"receipt:{receipt.code}", title=subject, body=body, url=context["url"]
            )
    addresses = [p.email for p in people if p.email]
    if addresses:
        # A resend after a crash carries the same Message-ID: mail systems fold it into one.
        message_id = f"<{hashlib.sha256(receipt.code.encode()).hexdigest()[:32]}@dvcq.portal>"
        message = EmailMultiAlternatives(subject, body, to=addresses, headers={"Message-ID": message_id})
        for attacher in _attachers:  # the receipt PDF; the body keeps its link too
            try:
                message.attach(*attacher(receipt))
            except Exception:  # the receipt still goes, with its link, when its PDF cannot be made
                log.exception("receipt %s: attachment not made", receipt.code)
        message.send()
    return len(addresses)
