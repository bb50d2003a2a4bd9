"""Generated documents, kept and served again until the data behind them changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GeneratedReport(models.Model):
    """Văn bản đã tạo — one rendering of a document, identified by the hash of its content."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision recognising the results (with appendix)")
        PROPOSAL = "proposal", _("Proposal of the Department of Home Affairs (with appendix)")
        SCORESHEET = "scoresheet", _("Score sheet of an agency")
        SUMMARY = "summary", _("Summary report of the year")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    period = models.ForeignKey("scoring.ScoringPeriod", on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    dossier = models.ForeignKey(
        "scoring.Dossier", on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    scope = models.CharField(max_length=20, blank=True, help_text="The dossier id for per-agency documents.")
    content_hash = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind", "scope", "content_hash"], name="report_once_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period.year}"

    @property
    def province_id(self) -> int:
        return self.period.province_id
