"""Regulations and criteria sets as data (Quy định tiêu chí, thang điểm đánh giá, xếp loại).

A criteria set is immutable once a scoring period pins it: a province changes its rules by
loading a new version, never by editing numbers in place. Rows here mirror the library format
(scoring/library/README.md); the engine reads them through selectors.criteria_set_spec.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Program

from .. import score_types
from ..engine.types import (
    SET_COMBINE_RULES,
    CeilingAt,
    CombineRule,
    GateEffect,
    GateTrigger,
    NAPolicy,
    NodeKind,
    PenaltyMeasure,
    RoundAt,
    UnclassifiedRank,
)

POINTS = {"max_digits": 7, "decimal_places": 2}


def _choices(enum, labels: dict) -> list[tuple[str, str]]:
    return [(member.value, labels[member]) for member in enum]


KIND_CHOICES = _choices(
    NodeKind,
    {
        NodeKind.GROUP: _("Group"),
        NodeKind.ITEM: _("Criterion"),
        NodeKind.BONUS: _("Bonus"),
        NodeKind.PENALTY: _("Penalty"),
    },
)
NA_CHOICES = _choices(
    NAPolicy,
    {
        NAPolicy.ZERO: _("Scores zero"),
        NAPolicy.EXCLUDE: _("Excluded and the rest rescaled"),
        NAPolicy.FULL: _("Counts as full points"),
    },
)
COMBINE_CHOICES = _choices(
    CombineRule,
    {
        CombineRule.PRIMARY_WINS: _("Primary scorer's mark"),
        CombineRule.AVERAGE: _("Average of the marks"),
        CombineRule.MAXIMUM: _("Highest mark"),
        CombineRule.MINIMUM: _("Lowest mark"),
        CombineRule.SUM_PARTS: _("Sum of the parts"),
    },
)
SET_COMBINE_CHOICES = [(value, label) for value, label in COMBINE_CHOICES if value in SET_COMBINE_RULES]
ROUND_AT_CHOICES = _choices(
    RoundAt,
    {
        RoundAt.MARK: _("Every mark"),
        RoundAt.CRITERION: _("Each criterion"),
        RoundAt.TOTAL: _("Only the total"),
    },
)
CEILING_AT_CHOICES = _choices(
    CeilingAt,
    {
        CeilingAt.BEFORE_PENALTY: _("Before the penalty is subtracted"),
        CeilingAt.AFTER_PENALTY: _("After the penalty is subtracted"),
    },
)
PENALTY_MEASURE_CHOICES = _choices(
    PenaltyMeasure,
    {
        PenaltyMeasure.CASES: _("Penalty cases"),
        PenaltyMeasure.DAYS: _("Days late"),
        PenaltyMeasure.POINTS: _("Penalty points"),
    },
)
UNCLASSIFIED_RANK_CHOICES = _choices(
    UnclassifiedRank,
    {
        UnclassifiedRank.LAST: _("Ranked after every classified agency"),
        UnclassifiedRank.BY_TOTAL: _("Ranked by total among the others"),
        UnclassifiedRank.NONE: _("Listed last, without a rank"),
    },
)
TRIGGER_CHOICES = _choices(
    GateTrigger,
    {
        GateTrigger.PENALTY: _("A penalty applied"),
        GateTrigger.FLAG: _("A flag set"),
        GateTrigger.NO_DOSSIER: _("No dossier"),
    },
)
EFFECT_CHOICES = _choices(
    GateEffect, {GateEffect.CAP_AT_BAND: _("Class at most"), GateEffect.NOT_CLASSIFIED: _("Not classified")}
)


class Regulation(models.Model):
    """Quy định — the legal document that sets a scoring scheme."""

    province = models.ForeignKey(
        "portal.Province", on_delete=models.PROTECT, related_name="regulations", verbose_name=_("province")
    )
    code = models.SlugField(_("library code"), max_length=60)
    program = models.CharField(_("programme"), max_length=10, choices=Program.choices)
    so_ky_hieu = models.CharField(_("number and symbol"), max_length=60)
    alt_so_ky_hieu = models.JSONField(
        _("other numbers in sources"), default=list, blank=True, help_text=_("When sources disagree (731 vs 713).")
    )
    title = models.TextField(_("title"))
    issuer = models.CharField(_("issuing body"), max_length=200)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    replaces_code = models.SlugField(_("replaces (library code)"), max_length=60, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    is_reconstruction = models.BooleanField(
        _("reconstructed data"), default=False, help_text=_("Numbers not yet checked against the signed text.")
    )
    note = models.TextField(_("note"), blank=True)
    source_sha256 = models.CharField(_("SHA-256 of the imported file"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("imported by")
    )

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["province", "-issued_on", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="regulation_unique_code")]

    def __str__(self) -> str:
        return f"{self.so_ky_hieu} — {self.title[:80]}"

    @property
    def replaces(self) -> Regulation | None:
        if not self.replaces_code:
            return None
        return Regulation.objects.filter(province_id=self.province_id, code=self.replaces_code).first()


class CriteriaSet(models.Model):
    """Bộ tiêu chí — the scored criteria of a regulation for some agency groups."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, related_name="criteria_sets", verbose_name=_("regulation")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    applies_to_groups = models.JSONField(_("applies to groups (khối)"), default=list, blank=True)
    max_total = models.DecimalField(_("maximum total"), **POINTS)
    rescale_to = models.DecimalField(_("reported on the scale of"), null=True, blank=True, **POINTS)
    ceiling = models.DecimalField(_("highest total with bonus"), null=True, blank=True, **POINTS)
    bonus_cap = models.DecimalField(_("bonus cap"), default=0, **POINTS)
    penalty_cap = models.DecimalField(_("penalty cap"), default=0, **POINTS)
    rounding = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    fallback_to_self = models.BooleanField(_("keep the self-score where nobody appraised"), default=True)
    # The arithmetic the library file states (scoring/library/README.md, "Arithmetic"). Sets
    # stored before these columns keep what the engine did then (migration 0008).
    round_at = models.CharField(_("rounding at"), max_length=10, choices=ROUND_AT_CHOICES, default=RoundAt.TOTAL)
    ceiling_at = models.CharField(
        _("ceiling applies"), max_length=20, choices=CEILING_AT_CHOICES, default=CeilingAt.BEFORE_PENALTY
    )
    combine_rule = models.CharField(
        _("co-scorers' marks without a primary scorer"),
        max_length=20,
        choices=SET_COMBINE_CHOICES,
        default=CombineRule.AVERAGE,
    )
    tie_break_penalties = models.CharField(
        _("“fewer penalties” counts"), max_length=10, choices=PENALTY_MEASURE_CHOICES, default=PenaltyMeasure.CASES
    )
    unclassified_rank = models.CharField(
        _("unclassified agencies"), max_length=10, choices=UNCLASSIFIED_RANK_CHOICES, default=UnclassifiedRank.LAST
    )
    show_unclassified_total = models.BooleanField(_("show the total of unclassified agencies"), default=True)
    # The source of truth: the set as its library file states it (scoring/libraryio's format, one
    # set with its regulation), validated at import. The engine's spec is read back from it; the
    # columns above and the criterion, class, gate and quota rows are copies kept for the admin,
    # the API and as anchors for scores. A new field of the format is written in libraryio alone.
    spec_data = models.JSONField(
        _("criteria set as the library file states it"), encoder=DjangoJSONEncoder, editable=False
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["regulation", "code"]
        constraints = [models.UniqueConstraint(fields=["regulation", "code"], name="criteriaset_unique_code")]

    def __str__(self) -> str:
        return f"{self.regulation.so_ky_hieu} / {self.code}"

    @property
    def library_code(self) -> str:
        """How commands name this set: the regulation's code, then the set's code."""
        return f"{self.regulation.code}:{self.code}"


class Criterion(models.Model):
    """Tiêu chí — a node of the criteria tree (group, item, bonus or penalty)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.TextField(_("title"))
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence_hint = models.TextField(_("evidence expected"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    # Choices from the registry of score types (scoring/engine/score_types/), given as a callable:
    # the migration then names the function, not the list, so a province's new type needs no
    # migration, while forms, the admin and full_clean still offer and check the known codes.
    score_type = models.CharField(_("score type"), max_length=20, choices=score_types.choices)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    self_scorable = models.BooleanField(_("self-scored by the agency"), default=True)
    na_policy = models.CharField(_("when not applicable"), max_length=10, choices=NA_CHOICES, default="zero")
    applies_to_groups = models.JSONField(_("applies to groups (khối)"), default=list, blank=True)
    combine_rule = models.CharField(
        _("combining scorers' marks"),
        max_length=20,
        choices=COMBINE_CHOICES,
        blank=True,
        help_text=_("Empty: scorers inherited from the parent criterion."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


class CriterionScorer(models.Model):
    """Cơ quan chấm — an agency that appraises a criterion (primary or co-scoring)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scorers")
    agency = models.ForeignKey("portal.Agency", on_delete=models.PROTECT, related_name="scored_criteria")
    is_primary = models.BooleanField(_("primary scorer"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion scorer")
        verbose_name_plural = _("criterion scorers")
        ordering = ["criterion", "-is_primary", "order"]
        constraints = [models.UniqueConstraint(fields=["criterion", "agency"], name="criterionscorer_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.agency.code}"


class ClassBand(models.Model):
    """Mức xếp loại — min ≤ total < max."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("code"), max_length=30)
    label = models.CharField(_("class"), max_length=60)
    min_points = models.DecimalField(_("from (≥)"), **POINTS)
    max_points = models.DecimalField(_("to (<)"), null=True, blank=True, **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("class band")
        verbose_name_plural = _("class bands")
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="classband_unique_code")]

    def __str__(self) -> str:
        return self.label


class GateRule(models.Model):
    """Điều kiện xếp loại — e.g. a hot spot caps the class at Khá; no dossier, not classified."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="gates")
    code = models.CharField(_("code"), max_length=30)
    title = models.TextField(_("condition"))
    trigger = models.CharField(_("triggered by"), max_length=20, choices=TRIGGER_CHOICES)
    target = models.CharField(_("penalty code or flag"), max_length=60, blank=True)
    effect = models.CharField(_("effect"), max_length=20, choices=EFFECT_CHOICES)
    band_code = models.CharField(_("highest class allowed"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["criteria_set", "order"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title[:60]}"


class QuotaRule(models.Model):
    """Tỷ lệ tối đa — at most N % of a group in a class, applied in rank order."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="quotas")
    band_code = models.CharField(_("class"), max_length=30)
    max_percent = models.DecimalField(_("maximum share (%)"), **POINTS)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self) -> str:
        return f"{self.band_code} ≤ {self.max_percent}%"
