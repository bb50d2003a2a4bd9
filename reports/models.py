"""Generated documents, kept and served again until the data behind them changes, and the texts
and signers a province prints on them (data per province, programme and year)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.models import Program
from portal.scopes import ProvinceScopedManager

from .wording import CONTEST_PLACEHOLDERS, unknown_placeholders


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
        FAILED = "failed", pgettext_lazy("document state", "Failed")  # not a reminder's "Failed" (sending)

    class Failure(models.TextChoices):
        """Why a document ended failed: the code is shown beside its text, for the administrator."""

        NOT_QUEUED = "not_queued", _("The job queue did not accept the request (the queue server cannot be reached).")
        NOT_STARTED = "not_started", _("No background worker started the job in time.")
        WORKER_LOST = "worker_lost", _("The background worker stopped while it was generating the document.")
        TIME_LIMIT = "time_limit", _("Generating the document took too long and was stopped.")
        ERROR = "error", _("An error occurred while generating the document; the administrator can see the details.")

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
    docx = models.FileField(_("Word file"), upload_to="reports/", blank=True)
    # The n-th content of this document (kind and scope) in the period: a new number whenever the
    # data behind it changed; asking again for the same content gives the same version.
    version = models.PositiveIntegerField(_("version"), default=1)
    failure = models.CharField(_("reason of the failure"), max_length=20, choices=Failure.choices, blank=True)
    error = models.TextField(blank=True)
    # Each request (and each "try again") is a new attempt; a run of an older attempt, redelivered
    # late by the broker, finds its claim gone and changes nothing.
    attempt = models.PositiveIntegerField(default=1)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="The running job's heartbeat.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    objects = ProvinceScopedManager("period__province")  # a query runs only in a province scope (portal/scopes.py)

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


ONE_PER_LINE = _("One per line, in the order printed.")


def validate_placeholders(text: str) -> None:
    unknown = unknown_placeholders(text)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Write braces only around the names listed below the field."),
            params={"names": ", ".join(unknown)},
        )


def validate_contest_placeholders(text: str) -> None:
    unknown = unknown_placeholders(text, CONTEST_PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Write braces only around the names listed below the field."),
            params={"names": ", ".join(unknown)},
        )


# What a contest's award decision and certificates print until the province writes its own (the
# sentences the templates had): editable per programme and year with the other texts.
CONTEST_TEXT_DEFAULTS = {
    "contest_subject": "Về việc tặng giải {contest}",
    "contest_consideration": "Xét kết quả chấm điểm của Ban Giám khảo cuộc thi ({judges} thành viên chấm độc lập; "
    "điểm của mỗi đơn vị: {combine})",
    "contest_article_1": "Tặng giải {contest}{theme} cho các tập thể sau:",
    "contest_article_2": "Quyết định này có hiệu lực kể từ ngày ký.",
    "contest_certificate": "Đã đạt {award} {contest}{theme}, với {score} điểm.",
}


def contest_text(label, key: str) -> models.TextField:
    """A text of a contest's award documents: its wording until the province changes it (from
    CONTEST_TEXT_DEFAULTS) and only the placeholders a contest fills."""
    return models.TextField(label, default=CONTEST_TEXT_DEFAULTS[key], validators=[validate_contest_placeholders])


class DocumentTexts(models.Model):
    """Nội dung văn bản — what a province prints on the year-end documents of a programme, from a
    year on (a new version from a later year keeps the earlier years' documents as they were)."""

    province = models.ForeignKey(
        "portal.Province", on_delete=models.PROTECT, related_name="document_texts", verbose_name=_("province")
    )
    program = models.CharField(_("programme"), max_length=10, choices=Program.choices, default=Program.DVCQ)
    valid_from_year = models.PositiveSmallIntegerField(
        _("valid from the year"), help_text=_("Used for the documents of this year and later years.")
    )
    # Header (Nghị định 30/2020, Phụ lục I): the issuing body in capitals, its parent body above it.
    committee_parent = models.CharField(
        _("parent body of the People's Committee"), max_length=200, blank=True, help_text=_("Usually empty.")
    )
    committee_name = models.TextField(
        _("People's Committee (issues the decision)"), help_text=_("e.g. ỦY BAN NHÂN DÂN, then TỈNH TÂY NINH.")
    )
    department_parent = models.CharField(
        _("parent body of the Department"), max_length=200, blank=True, help_text=_("e.g. UBND TỈNH TÂY NINH")
    )
    department_name = models.TextField(
        _("Department (issues the proposal, summary and score sheets)"), help_text=_("e.g. SỞ NỘI VỤ")
    )
    place_name = models.CharField(
        _("place name before the date"), max_length=120, help_text=_('e.g. Tây Ninh ("Tây Ninh, ngày 15 tháng 12 …")')
    )
    # Wording
    program_title = models.CharField(
        _("programme as written in the documents"),
        max_length=200,
        help_text=_("e.g. công tác dân vận chính quyền"),
    )
    decision_authority = models.CharField(
        _("authority line of the decision"),
        max_length=200,
        help_text=_("e.g. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH"),
    )
    addressee = models.CharField(
        _("addressee of the proposal"),
        max_length=200,
        help_text=_('After "Kính gửi:", e.g. Ủy ban nhân dân tỉnh Tây Ninh'),
    )
    decision_maker = models.CharField(
        _("who issues the decision"), max_length=200, help_text=_("e.g. Chủ tịch Ủy ban nhân dân tỉnh")
    )
    department_title = models.CharField(
        _("Department as named in sentences"), max_length=200, help_text=_("e.g. Sở Nội vụ")
    )
    legal_bases = models.TextField(
        _("legal bases (căn cứ) of the decision"),
        validators=[validate_placeholders],
        help_text=_("One per line, in the order printed. You may write {year}, {regulation_number} and the like."),
    )
    proposal_basis = models.CharField(
        _("line citing the proposal"),
        max_length=300,
        validators=[validate_placeholders],
        help_text=_("e.g. Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {proposal_number} {proposal_date}"),
    )
    decision_article_2 = models.TextField(_("Article 2 of the decision"), validators=[validate_placeholders])
    decision_article_3 = models.TextField(
        _("Article 3 of the decision (who carries it out)"), validators=[validate_placeholders]
    )
    summary_recommendations = models.TextField(
        _("recommendations of the summary report"), blank=True, validators=[validate_placeholders]
    )
    # A contest's award decision (quyết định tặng giải) and certificates (giấy khen).
    contest_subject = models.CharField(
        _("subject of a contest's award decision"),
        max_length=300,
        default=CONTEST_TEXT_DEFAULTS["contest_subject"],
        validators=[validate_contest_placeholders],
    )
    contest_consideration = contest_text(_("consideration line of a contest's award decision"), "contest_consideration")
    contest_article_1 = contest_text(
        _("Article 1 of a contest's award decision, before the prizes"), "contest_article_1"
    )
    contest_article_2 = contest_text(_("Article 2 of a contest's award decision"), "contest_article_2")
    contest_certificate = contest_text(_("sentence of a contest's certificate"), "contest_certificate")
    # Number symbols (ký hiệu, Phụ lục III) and recipients (nơi nhận) of each document.
    decision_symbol = models.CharField(_("symbol of the decision"), max_length=30, help_text=_("e.g. QĐ-UBND"))
    proposal_symbol = models.CharField(_("symbol of the proposal"), max_length=30, help_text=_("e.g. TTr-SNV"))
    summary_symbol = models.CharField(_("symbol of the summary report"), max_length=30, help_text=_("e.g. BC-SNV"))
    scoresheet_symbol = models.CharField(_("symbol of the score sheet"), max_length=30, help_text=_("e.g. PĐ-SNV"))
    decision_recipients = models.TextField(
        _("recipients of the decision"), validators=[validate_placeholders], help_text=ONE_PER_LINE
    )
    proposal_recipients = models.TextField(
        _("recipients of the proposal"), validators=[validate_placeholders], help_text=ONE_PER_LINE
    )
    summary_recipients = models.TextField(
        _("recipients of the summary report"), validators=[validate_placeholders], help_text=ONE_PER_LINE
    )
    scoresheet_recipients = models.TextField(
        _("recipients of the score sheet"), validators=[validate_placeholders], help_text=ONE_PER_LINE
    )
    history = HistoricalRecords()
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("document texts")
        verbose_name_plural = _("document texts")
        ordering = ["province", "program", "-valid_from_year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "program", "valid_from_year"], name="documenttexts_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} — {self.valid_from_year}"


class DocumentSigner(models.Model):
    """Người ký — who signs one kind of year-end document of a programme, from a year on."""

    province = models.ForeignKey(
        "portal.Province", on_delete=models.PROTECT, related_name="document_signers", verbose_name=_("province")
    )
    program = models.CharField(_("programme"), max_length=10, choices=Program.choices, default=Program.DVCQ)
    kind = models.CharField(_("document"), max_length=20, choices=GeneratedReport.Kind.choices)
    valid_from_year = models.PositiveSmallIntegerField(
        _("signs from the year"),
        help_text=_(
            "Signs the documents of this year and of later years, until a signer from a later year is entered."
        ),
    )
    authority = models.TextField(
        _("authority lines"),
        blank=True,
        help_text=_("Above the title, one per line, e.g. TM. ỦY BAN NHÂN DÂN, then KT. CHỦ TỊCH. Empty when the "
                    "holder signs in their own name."),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=120, help_text=_("e.g. CHỦ TỊCH, PHÓ CHỦ TỊCH, GIÁM ĐỐC"))
    name = models.CharField(_("full name"), max_length=120)
    history = HistoricalRecords()
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("document signer")
        verbose_name_plural = _("document signers")
        ordering = ["province", "program", "kind", "-valid_from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "program", "kind", "valid_from_year"], name="documentsigner_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.get_kind_display()} ({self.valid_from_year})"
