"""A province's new score type is one class: registered here, in the test only, “stars” (0–5 stars,
each an equal share of the maximum) works end to end without a line changed anywhere else —
the library file's check of its parameters, the criterion row, the dossier page's widget, points in
the engine, the offline Excel form (hint, display, typed back) and error messages."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from portal.models import Agency, Role
from scoring import services
from scoring.engine import CriterionInput, DossierInput, ScoreInputError, score_dossier
from scoring.engine import score_types as registry
from scoring.engine.numbers import number_or_zero, to_count
from scoring.engine.score_types import ScoreTypeDef, Widget
from scoring.engine.score_types.base import _
from scoring.libraryio import LibraryErrors, read_yaml, write_yaml
from scoring.models import Criterion, CriterionScore, Phase
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import period_on

FULL, EMPTY = "★", "☆"


class Stars(ScoreTypeDef):
    """0 to `stars` stars (5 unless the regulation says), each worth an equal share of the maximum."""

    code = "stars"
    label = "Stars"
    numeric_params = frozenset({"stars"})
    input_errors = {"too_many_stars": "Choose from 0 to %(stars)s stars."}

    def stars(self, spec) -> int:
        return int(number_or_zero(spec.params.get("stars", 5)))

    def points(self, spec, raw):
        count = to_count(raw)
        if count > self.stars(spec):
            raise ScoreInputError("too_many_stars", value=raw, stars=self.stars(spec))
        return spec.max_points * count / self.stars(spec)

    def canonical(self, spec, raw):
        typed = str(raw).strip()
        count = str(typed.count(FULL)) if typed and set(typed) <= {FULL, EMPTY} else typed
        self.points(spec, count)
        return str(int(to_count(count)))

    def param_problems(self, spec):
        stars = number_or_zero(spec.params.get("stars", 5))
        if stars < 1 or stars != stars.to_integral_value():
            yield _("“stars” must be a whole number from 1, not %(stars)s.", stars=spec.params.get("stars"))

    def widget(self, spec):
        return Widget(choices=tuple((str(n), self.display(spec, str(n))) for n in range(self.stars(spec) + 1)))

    def hint(self, spec):
        return _("0 to %(stars)s stars", stars=D(self.stars(spec)))

    def display(self, spec, raw):
        return FULL * int(raw) + EMPTY * (self.stars(spec) - int(raw))

    def full_marks(self, spec):
        return str(self.stars(spec))


REGULATION = """\
format: dvcq-regulation/1
regulation: {code: sao-2025, program: dvcq, so_ky_hieu: 9/QĐ-UBND, title: Chấm sao, issuer: UBND tỉnh}
criteria_set: {code: sao, name: Bộ chấm sao, max_total: 100, applies_to_groups: [khoi-so]}
criteria:
  - {code: "1", title: Mức độ hài lòng (sao), max: 10, type: stars, params: {stars: STARS}}
  - {code: "2", title: Các nội dung khác, max: 90, type: range}
BONUS
classification:
  - {code: tot, label: Tốt, min: 80}
  - {code: chua, label: Chưa tốt, min: 0, max: 80}
"""


def regulation(stars="5", bonus="") -> str:
    return REGULATION.replace("STARS", stars).replace("BONUS", bonus)


@pytest.fixture
def stars():
    registry.register(Stars)
    yield registry.get("stars")
    registry.unregister("stars")


@pytest.fixture
def dossier_on_stars(tay_ninh, stars):
    """The stars regulation imported, a period on it in self-assessment, and Sở Tư pháp's staff."""
    services.regulation_import_file(province=tay_ninh, name="sao.yaml", content=regulation().encode())
    period = period_on(tay_ninh, "sao-2025", year=2025)
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)
    staff = UserFactory(username="cb.tp", agency=Agency.objects.get(code="so-tu-phap"), roles=[Role.AGENCY_STAFF])
    return period.dossiers.get(agency__code="so-tu-phap"), staff


def test_the_library_format_checks_the_new_types_parameters_and_where_it_may_be_used(stars):
    with translation.override("en"), pytest.raises(LibraryErrors) as refused:
        read_yaml(regulation(stars="0", bonus="bonus: [{code: T1, title: Thưởng sao, max: 5, type: stars}]"))
    errors = [(e.where.line, e.message) for e in refused.value.errors]
    assert errors == [
        (5, "“stars” must be a whole number from 1, not 0."),
        (7, "Score type “stars” cannot be used for bonus criteria; allowed: boolean, levels, range."),
    ]


def test_a_library_file_with_the_new_type_reads_and_writes_back_identically(stars):
    doc = read_yaml(regulation(stars="5.0"))
    assert doc.spec.node("1").score_type == "stars"
    assert "stars: 5" in write_yaml(doc)  # a number, as the type declares its parameter
    assert read_yaml(write_yaml(doc)) == doc


def test_an_unknown_type_is_refused_until_its_module_is_registered():
    with translation.override("en"), pytest.raises(LibraryErrors) as refused:
        read_yaml(regulation())
    assert "Unknown score type “stars”" in str(refused.value)


def test_the_engine_scores_stars_through_the_registry(stars):
    spec = read_yaml(regulation()).spec
    result = score_dossier(spec, DossierInput("a", "A", "so", {"1": CriterionInput(self_raw="4")}))
    assert result.criteria["1"].self_points == D(8)


def test_the_new_type_end_to_end_on_the_dossier_page_and_the_excel_form(client, dossier_on_stars, tmp_path):
    dossier, staff = dossier_on_stars
    row = Criterion.objects.get(criteria_set=dossier.period.criteria_set, code="1")
    assert row.score_type == "stars" and row.get_score_type_display() == "Stars"
    row.full_clean()  # the model's choices come from the registry: no migration for a new type
    client.force_login(staff)

    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert f'<option value="4">{FULL * 4}{EMPTY}</option>' in page

    save = reverse("scoring:self_cell", args=[dossier.pk, row.pk])
    answer = client.post(save, {f"raw_{row.pk}": "6", f"v_{row.pk}": "0"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422 and "Choose from 0 to 5 stars." in answer.content.decode()
    answer = client.post(save, {f"raw_{row.pk}": "4", f"v_{row.pk}": "0"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    score = CriterionScore.objects.get(dossier=dossier, criterion=row)
    assert (score.self_raw, score.self_points) == ("4", D(8))

    workbook = load_workbook(io.BytesIO(client.get(reverse("scoring:excel_download", args=[dossier.pk])).content))
    sheet = workbook["Tự chấm"]
    cells = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "1")
    assert cells[4].value == "0 to 5 stars"  # the type's hint (no Vietnamese in the catalogue for a test type)
    assert cells[5].value == FULL * 4 + EMPTY
    cells[5].value = FULL * 3 + EMPTY * 2
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "phieu.xlsx"
    client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"file": upload})
    client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"apply": "1"})
    score.refresh_from_db()
    assert (score.self_raw, score.self_points) == ("3", D(6))
