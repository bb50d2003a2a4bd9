"""Setting a contest up in the browser (issue 14): the organiser (Sở Nội vụ's reviewer, the
administrator) creates and changes a contest — name, year, the published criteria set and further
sets, theme, combine rule, places per prize, entrants and panel — through one form and one service;
an entrant is marked on the set it is entered on; refusals are stated beside their fields and
change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.models import Agency, AgencyVersion, Role
from portal.text import vi_sort_key
from scoring.engine.leaf import score_type_of
from scoring.models import Contest, ContestJudge, Dossier, JudgeMark, Phase, ScoringPeriod
from scoring.selectors import criteria_set_by_code
from scoring.selectors.contest import contest_results, entrant_set, judge_sheet, sheet_nodes
from scoring.services import period_set_phase, regulation_import_file
from scoring.services.contest import judge_marks_save
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import LIBRARY

YEAR = 2024


def vi(text: str) -> str:
    with translation.override("vi"):
        return gettext(text)


@pytest.fixture
def world(tay_ninh):
    for name in ("dan-van-kheo-2024.yaml", "tay-ninh-1563-2022.yaml"):
        regulation_import_file(province=tay_ninh, name=name, content=(LIBRARY / name).read_bytes())
    home = Agency.objects.get(code="so-noi-vu")
    communes = list(
        AgencyVersion.objects.valid_in_year(YEAR).filter(agency__province=tay_ninh, group__code="khoi-xa")
        .order_by("agency__code").values_list("agency_id", flat=True)[:3]
    )  # fmt: skip
    return {
        "province": tay_ninh,
        "dvk": criteria_set_by_code(province=tay_ninh, code="dvk-2024"),
        "set01": criteria_set_by_code(province=tay_ninh, code="tn-1563-2022"),
        "communes": communes,
        "department": Agency.objects.get(code="so-tu-phap").pk,
        "reviewer": UserFactory(username="td", full_name="Trần Thẩm Định", agency=home, roles=[Role.REVIEWER]),
        "admin": UserFactory(username="qt", agency=home, roles=[Role.ADMIN]),
        "staff": UserFactory(username="cb", agency=Agency.objects.get(code="so-tu-phap"), roles=[Role.AGENCY_STAFF]),
        "judges": [
            UserFactory(username=f"gk{i}", full_name=name, agency=home, roles=[Role.AGENCY_STAFF])
            for i, name in enumerate(("Ân Văn Giám", "Bùi Thị Khảo", "Đặng Văn Chấm"))
        ],
    }


def form_data(world, **changes) -> dict:
    data = {
        "name": "Cuộc thi “Dân vận khéo” năm 2024",
        "year": str(YEAR),
        "theme": "Chính quyền thân thiện",
        "criteria_set": str(world["dvk"].pk),
        "combine": "drop_extremes",
        "entrants": [str(pk) for pk in world["communes"]],
        "judges": [str(u.pk) for u in world["judges"]],
        "places_nhat": "1",
        "places_nhi": "1",
        "places_ba": "0",
        "places_khuyen_khich": "2",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_organiser_sets_a_contest_up_in_the_browser(world, client):
    client.force_login(world["reviewer"])
    page = client.get(reverse("scoring:contest_list")).content.decode()
    assert reverse("scoring:contest_create") in page
    form = client.get(reverse("scoring:contest_create")).content.decode()
    # The entrants' and the judges' lists are in Vietnamese order.
    shown = [u.full_name for u in world["judges"]]
    assert [form.index(name) for name in shown] == sorted(form.index(name) for name in shown)
    assert sorted(shown, key=vi_sort_key) == shown
    response = client.post(reverse("scoring:contest_create"), form_data(world))
    contest = Contest.objects.get(period__year=YEAR)
    assert response.status_code == 302 and response.url == reverse("scoring:contest", args=[contest.pk])
    period = contest.period
    assert (period.name, period.program, period.phase, period.auto_switch) == (
        "Cuộc thi “Dân vận khéo” năm 2024", "dvk", Phase.PREPARATION, False,
    )  # fmt: skip
    assert sorted(period.dossiers.values_list("agency_id", flat=True)) == sorted(world["communes"])
    assert [j.user for j in contest.judges.order_by("order")] == world["judges"]
    assert [(a["name"], a["count"]) for a in contest.awards] == [
        ("Giải Nhất", 1), ("Giải Nhì", 1), ("Giải Ba", 0), ("Giải Khuyến khích", 2),
    ]  # fmt: skip
    assert (contest.combine, contest.theme) == ("drop_extremes", "Chính quyền thân thiện")
    detail = client.get(reverse("scoring:contest", args=[contest.pk])).content.decode()
    assert "Giải Khuyến khích: 2" in detail and "Ân Văn Giám" in detail
    assert reverse("scoring:contest_edit", args=[contest.pk]) in detail


def test_organiser_changes_prizes_panel_and_entrants(world, client):
    client.force_login(world["admin"])
    client.post(reverse("scoring:contest_create"), form_data(world))
    contest = Contest.objects.get(period__year=YEAR)
    url = reverse("scoring:contest_edit", args=[contest.pk])
    page = client.get(url).content.decode()
    assert 'value="Cuộc thi “Dân vận khéo” năm 2024"' in page
    extra = UserFactory(username="gk9", full_name="Lê Văn Mới", agency=world["judges"][0].agency)
    changed = form_data(
        world, name="Hội thi Dân vận khéo 2024", places_ba="3", combine="average",
        entrants=[str(pk) for pk in world["communes"][:2]],
        judges=[str(u.pk) for u in world["judges"][1:]] + [str(extra.pk)],
    )  # fmt: skip
    assert client.post(url, changed).status_code == 302
    contest.refresh_from_db()
    contest.period.refresh_from_db()
    assert contest.period.name == "Hội thi Dân vận khéo 2024" and contest.combine == "average"
    assert [a["count"] for a in contest.awards] == [1, 1, 3, 2]
    assert sorted(contest.period.dossiers.values_list("agency_id", flat=True)) == sorted(world["communes"][:2])
    assert [j.user.username for j in contest.judges.order_by("order")] == ["gk1", "gk2", "gk9"]
    assert contest.history.latest().history_change_reason == "contest's setup changed"


def test_marked_entrants_judges_and_sets_stay(world, client):
    client.force_login(world["reviewer"])
    client.post(reverse("scoring:contest_create"), form_data(world))
    contest = Contest.objects.get(period__year=YEAR)
    period_set_phase(period=contest.period, phase=Phase.SELF_ASSESSMENT, by=None)
    period_set_phase(period=contest.period, phase=Phase.APPRAISAL, by=None)
    contest.period.refresh_from_db()
    judge = contest.judges.order_by("order").first()
    dossier = contest.period.dossiers.get(agency_id=world["communes"][0])
    judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks={"C": "10"}, by=judge.user)
    url = reverse("scoring:contest_edit", args=[contest.pk])
    before = (list(Dossier.objects.order_by("pk").values_list()), list(ContestJudge.objects.values_list()))
    for change, field, message in (
        ({"entrants": [str(pk) for pk in world["communes"][1:]]}, "entrants",
         vi("Judges have already marked %(units)s: they stay in the contest.") % {"units": dossier.agency_version.name}),
        ({"judges": [str(u.pk) for u in world["judges"][1:]]}, "judges",
         vi("%(judges)s have already marked: they stay on the panel.") % {"judges": "Ân Văn Giám"}),
        ({"criteria_set": str(world["set01"].pk)}, "criteria_set",
         vi("Judges have already marked: the criteria sets stay as they are.")),
        ({"year": "2025"}, "year", vi("Judges have already marked: the year stays as it is.")),
    ):  # fmt: skip
        response = client.post(url, form_data(world, **change))
        assert response.status_code == 400, field
        assert response.context["form"].errors[field] == [message]
        assert message in response.content.decode()
        assert (list(Dossier.objects.order_by("pk").values_list()), list(ContestJudge.objects.values_list())) == before
    assert JudgeMark.objects.count() == 1


def test_refusals_are_stated_beside_their_fields(world, client):
    client.force_login(world["reviewer"])
    response = client.post(
        reverse("scoring:contest_create"), form_data(world, name="", entrants=None, places_nhat="-1")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == [vi("Enter the name of the contest.")]
    assert errors["entrants"] == [vi("Choose at least one entrant.")]
    assert errors["places_nhat"] == [vi("The number of places cannot be below 0.")]
    page = response.content.decode()
    assert vi("Enter the name of the contest.") in page
    assert client.post(reverse("scoring:contest_create"), form_data(world)).status_code == 302
    again = client.post(reverse("scoring:contest_create"), form_data(world, name="Lần hai"))
    assert again.status_code == 400
    assert again.context["form"].errors["year"] == [
        vi("The province already has a contest (a “Dân vận khéo” period) in %(year)s.") % {"year": YEAR}
    ]
    assert ScoringPeriod.objects.filter(program="dvk").count() == 1


def test_only_organisers_set_contests_up(world, client):
    client.force_login(world["reviewer"])
    client.post(reverse("scoring:contest_create"), form_data(world))
    contest = Contest.objects.get()
    for user in (world["staff"], world["judges"][0]):
        client.force_login(user)
        assert client.get(reverse("scoring:contest_create")).status_code == 403
        assert client.post(reverse("scoring:contest_create"), form_data(world, year="2025")).status_code == 403
        assert reverse("scoring:contest_create") not in client.get(reverse("scoring:contest_list")).content.decode()
    client.force_login(world["judges"][0])  # a judge reads the contest, never changes it
    assert client.get(reverse("scoring:contest_edit", args=[contest.pk])).status_code == 403
    client.force_login(world["staff"])  # nothing to read before the results are published
    assert client.get(reverse("scoring:contest_edit", args=[contest.pk])).status_code == 404
    assert ScoringPeriod.objects.filter(program="dvk").count() == 1
    contest.period.phase = Phase.FINAL  # a final contest's setup stands
    contest.period.save()
    client.force_login(world["reviewer"])
    assert client.get(reverse("scoring:contest_edit", args=[contest.pk])).status_code == 403


def test_an_entrant_is_marked_on_the_set_it_is_entered_on(world, client):
    # The contest's own set is the 95 + 5 set of communes; a department enters on 1563's set 01,
    # the further set that names the departments' group.
    client.force_login(world["reviewer"])
    data = form_data(world, further_sets=[str(world["set01"].pk)],
                     entrants=[str(world["communes"][0]), str(world["department"])])  # fmt: skip
    assert client.post(reverse("scoring:contest_create"), data).status_code == 302
    contest = Contest.objects.get()
    commune = contest.period.dossiers.get(agency_id=world["communes"][0])
    department = contest.period.dossiers.get(agency_id=world["department"])
    assert (commune.criteria_set_id, department.criteria_set_id) == (None, world["set01"].pk)
    assert entrant_set(contest, department).pk == world["set01"].pk
    period_set_phase(period=contest.period, phase=Phase.SELF_ASSESSMENT, by=None)
    period_set_phase(period=contest.period, phase=Phase.APPRAISAL, by=None)
    contest.period.refresh_from_db()
    judge = contest.judges.order_by("order").first()
    codes = {row.node.code for row in judge_sheet(contest, judge, department)}
    assert codes == {n.code for n in sheet_nodes(entrant_set(contest, department).spec)}
    assert "1.1" in codes and "C" not in codes
    client.force_login(judge.user)
    page = client.get(reverse("scoring:contest_sheet", args=[contest.pk, department.pk])).content.decode()
    assert 'data-criterion="1.1"' in page and 'data-criterion="C"' not in page
    with pytest.raises(ValidationError):  # a criterion of the contest's own set is not the department's
        judge_marks_save(contest=contest, judge=judge, dossier=department, marks={"C": "10"}, by=judge.user)
    for entrant in (commune, department):
        marks = {n.code: score_type_of(n).full_marks(n) for n in sheet_nodes(entrant_set(contest, entrant).spec)}
        judge_marks_save(contest=contest, judge=judge, dossier=entrant, marks=marks, by=judge.user)
    rows = {r.dossier.pk: r for r in contest_results(contest).rows}
    assert rows[department.pk].judge_totals[0] is not None and rows[commune.pk].judge_totals[0] is not None
