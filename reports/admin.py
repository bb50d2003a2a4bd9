"""Admin of the texts and signers a province prints on its year-end documents."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scope import ProvinceScopedAdmin
from portal.models import Program

from .models import CONTEST_TEXT_DEFAULTS, DocumentSigner, DocumentTexts
from .selectors import default_texts
from .wording import CONTEST_PLACEHOLDERS, PLACEHOLDERS


def _placeholder_help() -> str:
    names = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    return gettext("Each document fills in these names written in braces: %(names)s.") % {"names": names}


placeholder_help = lazy(_placeholder_help, str)()


def _contest_placeholder_help() -> str:
    names = ", ".join(f"{{{name}}}" for name in CONTEST_PLACEHOLDERS[len(PLACEHOLDERS) :])
    return gettext(
        "Besides, a contest's texts may use %(names)s: {theme} is “, chủ đề …” when the contest has a theme, "
        "{award}, {score} and {entrant} are the certificate's."
    ) % {"names": names}


contest_placeholder_help = lazy(_contest_placeholder_help, str)()


@admin.register(DocumentTexts)
class DocumentTextsAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "province", "program", "valid_from_year"]
    list_filter = ["province", "program"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 90})}}
    fieldsets = [
        (None, {"fields": ["province", "program", "valid_from_year"]}),
        (
            _("Header and place"),
            {"fields": ["committee_parent", "committee_name", "department_parent", "department_name", "place_name"]},
        ),
        (
            _("Wording"),
            {
                "fields": [
                    "program_title", "decision_authority", "addressee", "decision_maker", "department_title",
                    "legal_bases", "proposal_basis", "decision_article_2", "decision_article_3",
                    "summary_recommendations",
                ],
                "description": placeholder_help,
            },
        ),
        (
            _("Contests: the award decision and certificates"),
            {
                "fields": [
                    "contest_subject", "contest_consideration", "contest_article_1", "contest_article_2",
                    "contest_certificate",
                ],
                "description": contest_placeholder_help,
            },
        ),
        (
            _("Numbers and recipients"),
            {
                "fields": [
                    "decision_symbol", "decision_recipients", "proposal_symbol", "proposal_recipients",
                    "summary_symbol", "summary_recipients", "scoresheet_symbol", "scoresheet_recipients",
                ]
            },
        ),
    ]  # fmt: skip

    def get_changeform_initial_data(self, request):
        """A new version starts from the province's latest texts (or the defaults), for this year."""
        initial = super().get_changeform_initial_data(request)
        province = request.user.province
        year = timezone.localdate().year
        program = initial.get("program", Program.DVCQ)
        latest = DocumentTexts.objects.filter(province=province, program=program).first() if province else None
        fields = [*default_texts(province, program, year), *CONTEST_TEXT_DEFAULTS] if province else []
        if latest is not None:
            texts = {field: getattr(latest, field) for field in fields}
        elif province is not None:
            texts = {**default_texts(province, program, year), **CONTEST_TEXT_DEFAULTS}
        else:
            texts = {}
        return {**texts, "program": program, "valid_from_year": year, **initial}


@admin.register(DocumentSigner)
class DocumentSignerAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "title", "kind", "valid_from_year", "program", "province"]
    list_filter = ["province", "program", "kind"]
    search_fields = ["name", "title"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}
    fields = ["province", "program", "kind", "valid_from_year", "authority", "title", "name"]
