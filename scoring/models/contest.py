"""Cuộc thi — a contest of the "Dân vận khéo" programme: a scoring period (program "dvk") whose
dossiers are the entrants, judged by a panel (Ban Giám khảo) of named people, each scoring every
entrant alone (blind to the others until the results are published), their totals combined by the
contest's stated rule, prizes given by rank with a count per prize.

The combine rule and the prizes are data on the contest (scoring.engine.contest does the maths).
Every mark is kept with who, when and why (django-simple-history, change reasons).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.scopes import ProvinceScopedManager

from ..engine.contest import AwardSpec, PanelRule
from .cycle import Dossier, ScoringPeriod
from .regulations import POINTS, Criterion


def default_awards() -> list[dict]:
    """The usual prizes of a district contest (Yên Thế 2024): one first, two second, three third,
    four encouragement prizes."""
    return [
        {"code": "nhat", "name": "Giải Nhất", "count": 1},
        {"code": "nhi", "name": "Giải Nhì", "count": 2},
        {"code": "ba", "name": "Giải Ba", "count": 3},
        {"code": "khuyen_khich", "name": "Giải Khuyến khích", "count": 4},
    ]


class Contest(models.Model):
    """Cuộc thi — the period's panel, combine rule and prizes."""

    class Combine(models.TextChoices):
        AVERAGE = PanelRule.AVERAGE.value, _("Average of the judges' totals")
        DROP_EXTREMES = PanelRule.DROP_EXTREMES.value, _("Average without the highest and the lowest total")

    period = models.OneToOneField(
        ScoringPeriod, on_delete=models.CASCADE, related_name="contest", verbose_name=_("scoring period")
    )
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    combine = models.CharField(_("combine rule"), max_length=20, choices=Combine.choices, default=Combine.AVERAGE)
    awards = models.JSONField(
        _("prizes"),
        default=default_awards,
        help_text=_("Prizes best first, each with its code, name and number of places."),
    )
    history = HistoricalRecords()
    objects = ProvinceScopedManager("period__province")  # a query runs only in a province scope

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-period__year"]

    def __str__(self) -> str:
        return self.period.name

    @property
    def province_id(self) -> int:
        return self.period.province_id

    def judge_for(self, user) -> ContestJudge | None:
        """The user's seat on the panel, or None; asked once per user and contest object (every
        permission check of a page asks it)."""
        if not getattr(user, "is_authenticated", False):
            return None
        cache = self.__dict__.setdefault("_judge_for", {})
        if user.pk not in cache:
            cache[user.pk] = self.judges.filter(user_id=user.pk).first()
        return cache[user.pk]

    @property
    def award_specs(self) -> tuple[AwardSpec, ...]:
        return tuple(AwardSpec(str(a["code"]), str(a["name"]), int(a["count"])) for a in self.awards)


class ContestJudge(models.Model):
    """Thành viên Ban Giám khảo — a person on the contest's panel."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_seats")
    title = models.CharField(_("title on the panel"), max_length=100, blank=True, help_text=_("e.g. Trưởng ban"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()
    objects = ProvinceScopedManager("contest__period__province")

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["contest", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="contestjudge_once_per_contest")]

    def __str__(self) -> str:
        return self.user.full_name or self.user.username


class JudgeMark(models.Model):
    """Điểm giám khảo — one judge's mark on one criterion of one entrant."""

    judge = models.ForeignKey(ContestJudge, on_delete=models.PROTECT, related_name="marks")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="judge_marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    raw = models.CharField(_("mark"), max_length=60)
    points = models.DecimalField(_("points"), **POINTS)
    comment = models.TextField(_("comment"), blank=True)
    entered_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()
    objects = ProvinceScopedManager("dossier__period__province")

    class Meta:
        verbose_name = _("judge's mark")
        verbose_name_plural = _("judges' marks")
        constraints = [
            models.UniqueConstraint(fields=["judge", "dossier", "criterion"], name="judgemark_one_per_judge")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.raw}"
