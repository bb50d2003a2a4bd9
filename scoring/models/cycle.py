"""The yearly assessment cycle: a scoring period pins one criteria set; each participating agency
has a dossier (hồ sơ tự chấm điểm) with self-scores, evidence, appraisers' marks, bonus/penalty
entries, explanations (giải trình) and, once final, its result.

Every change is kept with who/when/why (django-simple-history, change reasons); marks and
self-scores carry a version number so a stale save from a second browser is refused.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Agency, AgencyGroup, AgencyVersion, Program, Province
from portal.scopes import ProvinceScopedManager

from ..phases import PHASE_ORDER, PeriodPhase, Phase, PhaseTable, calendar_starts, default_phases  # noqa: F401
from .regulations import POINTS, CriteriaSet, Criterion


class ScoringPeriod(models.Model):
    """Kỳ đánh giá — a year of a programme, scored against one pinned criteria set."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="periods", verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"))
    program = models.CharField(_("programme"), max_length=10, choices=Program.choices, default=Program.DVCQ)
    name = models.CharField(_("name"), max_length=200)
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="periods", verbose_name=_("criteria set")
    )
    # The key of one of the period's phases; what it permits is the phase's entry in `phases`.
    phase = models.CharField(_("phase"), max_length=20, default=Phase.PREPARATION)
    phases = models.JSONField(
        _("phases"),
        default=default_phases,
        help_text=_(
            "The period's phases in order: key, name, starts_on (YYYY-MM-DD; the built-in phases take "
            "the dates below) and permits (the switches). The last phase is “final”."
        ),
    )
    auto_switch = models.BooleanField(_("switch phases by date"), default=True)
    self_assessment_opens_on = models.DateField(_("self-assessment opens on"))
    self_assessment_due_on = models.DateField(_("self-assessment deadline"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=3,
        help_text=_("Submissions in these days after the deadline are accepted and marked late."),
    )
    appraisal_due_on = models.DateField(_("appraisal ends on"))
    explanation_due_on = models.DateField(_("explanation deadline"))
    decision_due_on = models.DateField(_("decision due on"), null=True, blank=True)
    # The year-end documents' numbers and dates (their texts and signers are the province's
    # document texts in reports).
    proposal_number = models.CharField(_("proposal (tờ trình) number"), max_length=60, blank=True)
    proposal_date = models.DateField(_("proposal date"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("scoring period")
        verbose_name_plural = _("scoring periods")
        ordering = ["province", "-year", "program"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "program"], name="period_unique_year_program")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_final(self) -> bool:
        return self.phase == Phase.FINAL

    @property
    def phase_table(self) -> PhaseTable:
        """The period's phases, read from the row it came with (no query), kept while they and the
        dates stay the same: every permission check asks it."""
        key = (
            self.phases,
            self.self_assessment_opens_on,
            self.self_assessment_due_on,
            self.grace_days,
            self.appraisal_due_on,
            self.explanation_due_on,
        )
        cached = self.__dict__.get("_phase_table")
        if cached is None or cached[0] != key:
            cached = (copy.deepcopy(key), PhaseTable.parse(self.phases, calendar_starts(self)))
            self.__dict__["_phase_table"] = cached
        return cached[1]

    @property
    def current_phase(self) -> PeriodPhase:
        return self.phase_table.get(self.phase)

    def get_phase_display(self) -> str:
        return self.current_phase.label or self.phase

    def sets(self) -> list[tuple[CriteriaSet, tuple[str, ...]]]:
        """Every criteria set the period applies, its own first, each with the group codes it applies
        to (empty: every group no other set names). One query (scoring.models.period_sets)."""
        further = [row.criteria_set for row in self.further_sets.select_related("criteria_set__regulation")]
        return [(each, tuple(each.applies_to_groups)) for each in [self.criteria_set, *further]]


class PhaseChange(models.Model):
    """Every phase switch: automatic by date (no user) or by a reviewer with a reason."""

    period = models.ForeignKey(ScoringPeriod, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20)  # phase keys of the period's own table
    to_phase = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class Dossier(models.Model):
    """Hồ sơ tự chấm điểm — one agency's self-assessment and appraisal in a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened by the reviewer")

    period = models.ForeignKey(ScoringPeriod, on_delete=models.CASCADE, related_name="dossiers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers")
    agency_version = models.ForeignKey(AgencyVersion, on_delete=models.PROTECT, related_name="dossiers")
    group = models.ForeignKey(AgencyGroup, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("group"))
    # The set the dossier is scored against: the one of the period's sets that names its group
    # (scoring.models.period_sets); empty, the period's own. Read by selectors.criteria_set_for.
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("criteria set")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    late_days = models.PositiveSmallIntegerField(_("days late"), default=0)
    flags = models.JSONField(
        _("flags"), default=list, blank=True, help_text=_("Conditions set by the reviewer, e.g. ky_luat.")
    )
    history = HistoricalRecords()
    objects = ProvinceScopedManager("period__province")  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["period", "group__order", "agency_version__name"]
        constraints = [models.UniqueConstraint(fields=["period", "agency"], name="dossier_one_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency_version.name} — {self.period}"

    @property
    def province_id(self) -> int:
        return self.period.province_id

    @property
    def owner_agency_id(self) -> int:
        return self.agency_id

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class NAStatus(models.TextChoices):
    """Where an agency's declaration that a criterion does not apply to it stands."""

    PENDING = "pending", _("Declared not applicable, awaiting the reviewer")
    ACCEPTED = "accepted", _("Not applicable (accepted by the reviewer)")
    REFUSED = "refused", _("Declaration refused by the reviewer")


class CriterionScore(models.Model):
    """Điểm tự chấm — the agency's own mark on one criterion, its note and, without evidence, why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_raw = models.CharField(_("self-score"), max_length=60, blank=True)
    self_points = models.DecimalField(_("self points"), null=True, blank=True, **POINTS)
    note = models.TextField(_("note"), blank=True)
    no_evidence_reason = models.TextField(_("explanation without evidence"), blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    # The agency's declaration that the criterion does not apply to it (where the regulation's
    # na_policy provides for that), and the reviewer's decision on it.
    na_status = models.CharField(
        _("not-applicable declaration"), max_length=10, choices=NAStatus.choices, blank=True, default=""
    )
    na_reason = models.TextField(_("why it does not apply"), blank=True)
    na_decision_reason = models.TextField(_("reviewer's reason"), blank=True)
    na_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    na_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_automatic = models.BooleanField(_("filled in by the portal"), default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-score")
        verbose_name_plural = _("self-scores")
        constraints = [models.UniqueConstraint(fields=["dossier", "criterion"], name="criterionscore_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.self_raw}"


class SubmissionReceipt(models.Model):
    """Giấy biên nhận — what the portal acknowledged when a dossier was submitted: when, by whom,
    under which reference code, with which totals. One per submission (a reopened dossier submitted
    again gets a new one); never changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="receipts")
    code = models.CharField(_("reference code"), max_length=40, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by_name = models.CharField(_("submitted by"), max_length=200)
    agency_name = models.CharField(_("agency"), max_length=300)
    self_total = models.DecimalField(_("self-assessed total"), **POINTS)
    max_total = models.DecimalField(_("maximum"), **POINTS)
    criteria_scored = models.PositiveIntegerField(_("criteria scored"), default=0)
    criteria_not_applicable = models.PositiveIntegerField(_("criteria declared not applicable"), default=0)
    evidence_count = models.PositiveIntegerField(_("evidence items"), default=0)
    late_days = models.PositiveSmallIntegerField(_("days late"), default=0)
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)  # claimed before sending: once

    class Meta:
        verbose_name = _("submission receipt")
        verbose_name_plural = _("submission receipts")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.code


class AppraisalMark(models.Model):
    """Điểm thẩm định — one appraising agency's mark on a criterion of a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    scorer = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="marks_given", verbose_name=_("scoring agency")
    )
    raw = models.CharField(_("mark"), max_length=60)
    points = models.DecimalField(_("points"), **POINTS)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=0)
    entered_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal mark")
        verbose_name_plural = _("appraisal marks")
        constraints = [models.UniqueConstraint(fields=["dossier", "criterion", "scorer"], name="mark_one_per_scorer")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.raw} ({self.scorer.code})"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    dossier = instance.dossier
    return f"evidence/{dossier.period.year}/{dossier.agency.code}/{instance.criterion.code}/{filename}"


class Evidence(models.Model):
    """Tài liệu kiểm chứng — a file, or a reference to an existing document, for one criterion."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        REFERENCE = "reference", _("Reference to a document")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_kind = models.CharField(_("content type"), max_length=10, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    doc_number = models.CharField(_("number and symbol"), max_length=60, blank=True)
    doc_date = models.DateField(_("document date"), null=True, blank=True)
    summary = models.CharField(_("summary (trích yếu)"), max_length=300, blank=True)
    page_ref = models.CharField(_("page or section"), max_length=60, blank=True)
    phase = models.CharField(_("added during"), max_length=20)  # a phase key of the period
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.file_name or f"{self.doc_number} {self.summary}"


class EvidenceRequest(models.Model):
    """Yêu cầu bổ sung — the reviewer asks for more evidence on a criterion."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence_requests")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("what is needed"))
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("evidence request")
        verbose_name_plural = _("evidence requests")
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return self.message[:60]


class Explanation(models.Model):
    """Giải trình — the agency's answer on a criterion, and the reviewer's decision with a reason."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="explanations")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("explanation"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Adjustment(models.Model):
    """Điểm thưởng / điểm trừ — a bonus or penalty item applied to a dossier, with its reason."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="adjustments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    raw = models.CharField(_("value"), max_length=60, help_text=_("Yes, points, or the number of cases/days."))
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="adjustments/", blank=True)
    entered_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bonus or penalty")
        verbose_name_plural = _("bonuses and penalties")
        constraints = [models.UniqueConstraint(fields=["dossier", "criterion"], name="adjustment_once_per_item")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.raw}"
