"""Mô hình "Dân vận khéo" — the models a unit registers for a year in the movement's four fields,
follows up with evidence, has reviewed by its superior or Sở Nội vụ, and sees recognised at a level
(unit, district, province, national); models are kept from year to year and replicated elsewhere.

The four fields are those of the Bắc Kạn 2024 plan (shared/domain/sources).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Agency, AgencyVersion, Province
from portal.scopes import ProvinceScopedManager
from portal.text import search_folded


class DvkField(models.TextChoices):
    """Lĩnh vực — the four fields a model belongs to."""

    BUILDING = "building", _("Building the Party, the government, the Fatherland Front and mass organisations")
    ADMIN_REFORM = "admin_reform", _("Administrative reform, the workplace and the civil service")
    NEW_COUNTRYSIDE = "new_countryside", _("New countryside and civilised towns")
    CULTURE_ECONOMY = "culture_economy", _("Culture, community cohesion and economic development")


class DvkLevel(models.TextChoices):
    """Cấp công nhận — in rising order (the order of the choices is the rank)."""

    UNIT = "unit", _("Unit level")
    DISTRICT = "district", _("District level")
    PROVINCE = "province", _("Province level")
    NATIONAL = "national", _("National level")

    @classmethod
    def rank(cls, level: str | None) -> int:
        return [c.value for c in cls].index(level) + 1 if level else 0


class DvkModel(models.Model):
    """Mô hình "Dân vận khéo" — one unit's model for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Registered, awaiting review")
        APPROVED = "approved", _("Under way")
        RETURNED = "returned", _("Returned for correction")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="dvk_models")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dvk_models", verbose_name=_("unit"))
    agency_version = models.ForeignKey(AgencyVersion, on_delete=models.PROTECT, related_name="dvk_models")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name of the model"), max_length=300)
    field = models.CharField(_("field"), max_length=20, choices=DvkField.choices)
    goal = models.TextField(_("goal"))
    lead = models.CharField(_("who leads"), max_length=300)
    participants = models.TextField(_("who takes part"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    expected_result = models.TextField(_("expected result"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The highest level that recognised the model (its DvkRecognition rows hold the decisions):
    # kept on the row so the registry filters and counts without a join.
    level = models.CharField(_("recognised at"), max_length=10, choices=DvkLevel.choices, blank=True)
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("continues the model of the previous year"),
    )
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicates the model"),
    )
    # Name, unit and people without diacritics, lower case: "dan van kheo" finds "Dân vận khéo".
    search_text = models.TextField(editable=False, blank=True)
    submitted_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("“Dân vận khéo” model")
        verbose_name_plural = _("“Dân vận khéo” models")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="dvkmodel_ends_after_start"),
        ]
        indexes = [models.Index(fields=["province", "year", "status"], name="dvkmodel_registry")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_folded(" ".join((self.name, self.agency_version.name, self.lead, self.goal)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plans:dvk_detail", args=[self.pk])

    @property
    def is_recognised(self) -> bool:
        return bool(self.level)

    @property
    def evidence_label(self) -> str:
        """How the model reads beside a scoring criterion it is evidence for."""
        return f"{self.name} ({self.get_level_display()})" if self.level else self.name


def dvk_progress_upload_to(instance: DvkProgress, filename: str) -> str:
    model = instance.model
    return f"dvk/{model.year}/{model.agency.code}/{model.pk}/{filename}"


class DvkProgress(models.Model):
    """Báo cáo tiến độ — what was done so far, with a document as evidence."""

    model = models.ForeignKey(DvkModel, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("as of"))
    text = models.TextField(_("what was done"))
    document = models.FileField(_("evidence"), upload_to=dvk_progress_upload_to, blank=True)
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress of a “Dân vận khéo” model")
        verbose_name_plural = _("progress of “Dân vận khéo” models")
        ordering = ["model", "-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.model} — {self.reported_on}"

    @property
    def province_id(self) -> int:
        return self.model.province_id

    @property
    def agency_id(self) -> int:
        return self.model.agency_id


class DvkRecognition(models.Model):
    """Công nhận — a level's recognition of a model, by a decision (number and date)."""

    model = models.ForeignKey(DvkModel, on_delete=models.CASCADE, related_name="recognitions")
    level = models.CharField(_("level"), max_length=10, choices=DvkLevel.choices)
    decision_number = models.CharField(_("number of the decision"), max_length=60)
    decision_date = models.DateField(_("date of the decision"))
    issuer = models.CharField(_("recognised by"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recognition of a “Dân vận khéo” model")
        verbose_name_plural = _("recognitions of “Dân vận khéo” models")
        ordering = ["model", "decision_date"]
        constraints = [models.UniqueConstraint(fields=["model", "level"], name="dvkrecognition_once_per_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.decision_number}"
