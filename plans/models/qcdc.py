"""Grassroots democracy (QCDC): the six-month and annual reports the units fill in as a form, and
the exemplary collectives and individuals ("Gương điển hình tiên tiến") the units nominate and Sở Nội
vụ recognises each year.

A report is a deliverable of a plan (its deadline, reminders and review are the deliverable's): its
type carries a `ReportForm` (the figures and texts asked, as data: `ReportField` rows), and each
unit's `Deliverable` its `ReportEntry` (the values it is typing, and those it last submitted — the
only ones anybody else reads). The shipped default form follows the Tây Ninh 2023 QCDC plan
(shared/domain/sources): leadership documents and regulations on democracy, information, dialogue
with the people, citizens received and petitions handled, inspection, training, exemplars.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Agency, AgencyVersion, Province
from portal.scopes import ProvinceScopedManager
from portal.text import search_folded

from .dvk import DvkField, DvkLevel
from .plans import Deliverable, DeliverableType


class ReportForm(models.Model):
    """Mẫu báo cáo — what a deliverable's report asks, filled in the browser instead of uploaded."""

    class Kind(models.TextChoices):
        SIX_MONTHS = "six_months", _("Six-month report")
        ANNUAL = "annual", _("Annual report")

    deliverable_type = models.OneToOneField(
        DeliverableType, on_delete=models.CASCADE, related_name="report_form", verbose_name=_("deliverable")
    )
    kind = models.CharField(_("kind of report"), max_length=12, choices=Kind.choices)
    title = models.CharField(
        _("title of the summary report"),
        max_length=300,
        help_text=_("e.g. Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2026"),
    )
    history = HistoricalRecords()
    objects = ProvinceScopedManager("deliverable_type__plan__province")

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")

    def __str__(self) -> str:
        return self.title

    @property
    def province_id(self) -> int:
        return self.deliverable_type.plan.province_id


class ReportField(models.Model):
    """One line of a report form: a figure (with its unit) or a text."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40, help_text=_("Letters, digits, _ ; unique in the form."))
    label = models.CharField(_("label"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. cuộc, lượt, văn bản"))
    required = models.BooleanField(_("required to submit"), default=True)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("report field")
        verbose_name_plural = _("report fields")
        ordering = ["form", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="reportfield_unique_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_number(self) -> bool:
        return self.kind == self.Kind.NUMBER


class ReportEntry(models.Model):
    """A unit's report: the values being typed (its own draft) and those it submitted last."""

    deliverable = models.OneToOneField(Deliverable, on_delete=models.CASCADE, related_name="report_entry")
    values = models.JSONField(_("values (draft)"), default=dict, blank=True)
    submitted_values = models.JSONField(_("values submitted"), default=dict, blank=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = ProvinceScopedManager("deliverable__agency__province")

    class Meta:
        verbose_name = _("report of a unit")
        verbose_name_plural = _("reports of the units")

    def __str__(self) -> str:
        return str(self.deliverable)

    @property
    def province_id(self) -> int:
        return self.deliverable.agency.province_id

    @property
    def agency_id(self) -> int:
        return self.deliverable.agency_id


class ExemplarKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


def exemplar_upload_to(instance: Exemplar, filename: str) -> str:
    return f"guong-dien-hinh/{instance.year}/{instance.agency.code}/{filename}"


class Exemplar(models.Model):
    """Gương điển hình tiên tiến — a collective or an individual a unit nominates for a year, which Sở
    Nội vụ recognises (level, decision number and date)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="exemplars")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="exemplars", verbose_name=_("unit"))
    agency_version = models.ForeignKey(AgencyVersion, on_delete=models.PROTECT, related_name="exemplars")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name of the collective or individual"), max_length=300)
    kind = models.CharField(_("collective or individual"), max_length=12, choices=ExemplarKind.choices)
    field = models.CharField(_("field"), max_length=20, choices=DvkField.choices)
    achievements = models.TextField(_("achievements"))
    evidence = models.FileField(_("evidence"), upload_to=exemplar_upload_to, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    level = models.CharField(_("recognised at"), max_length=10, choices=DvkLevel.choices, blank=True)
    decision_number = models.CharField(_("number of the decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recognised_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("exemplary collective or individual")
        verbose_name_plural = _("exemplary collectives and individuals")
        ordering = ["-year", "name"]
        indexes = [models.Index(fields=["province", "year", "level"], name="exemplar_registry")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_folded(" ".join((self.name, self.agency_version.name, self.achievements)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plans:exemplar_detail", args=[self.pk])

    @property
    def is_recognised(self) -> bool:
        return bool(self.level)
