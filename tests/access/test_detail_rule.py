"""What an agency may read is one rule: another agency's marks and reviewers' comments are not
theirs, wherever they are asked for (page, PDF, Excel, history, API); the published ranking is."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.access.world import SECRET_COMMENT, SECRET_NOTE


def _text(response) -> str:
    return response.content.decode(errors="ignore")


def test_own_final_sheet_shows_the_reviewers_comment_and_anothers_answers_404(world, clients, db):
    final = world.periods["final"]
    own = clients["staff"].get(reverse("reports:agency_sheet", args=[final.pk, "so-tu-phap"]))
    assert own.status_code == 200 and SECRET_COMMENT in _text(own)
    other = clients["staff"].get(reverse("reports:agency_sheet", args=[final.pk, "so-y-te"]))
    missing = clients["staff"].get(reverse("reports:agency_sheet", args=[final.pk, "khong-co"]))
    assert other.status_code == missing.status_code == 404
    assert SECRET_COMMENT not in _text(other)


def test_another_agencys_score_sheet_pdf_can_be_neither_requested_nor_downloaded(world, clients, db):
    final = world.periods["final"]
    url = reverse("reports:report_request", args=[final.pk, "scoresheet"])
    assert clients["staff"].post(url, {"agency": "so-y-te"}).status_code == 404
    assert clients["staff"].post(url, {"agency": "khong-co"}).status_code == 404
    report = world.reports["sheet_other"]
    for name in ("reports:report_status", "reports:report_file"):
        assert clients["staff"].get(reverse(name, args=[report.pk])).status_code == 404
    # The decision (the published ranking) is the agency's to read.
    assert clients["staff"].get(reverse("reports:report_file", args=[world.reports["decision"].pk])).status_code == 200


def test_the_score_matrix_holds_only_the_rows_the_reader_may_see(world, clients, db):
    final = world.periods["final"]

    def rows(role):
        response = clients[role].get(reverse("reports:matrix_xlsx", args=[final.pk]))
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A4"].value == "Điểm tối đa"  # the maxima row under the header; agencies follow
        return {r[0] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}

    assert rows("staff") == {"Cơ quan so-tu-phap"}
    assert rows("reviewer") == {"Cơ quan so-tu-phap", "Cơ quan so-y-te"}


def test_the_ranking_shows_everyones_totals_but_only_the_readers_own_steps(world, clients, db):
    page = _text(clients["staff"].get(reverse("scoring:ranking", args=[world.periods["final"].pk])))
    assert "Cơ quan so-tu-phap" in page and "Cơ quan so-y-te" in page
    own_row, other_row = (
        page.split(f'data-agency="{code}"')[1].split("</tr>")[0] for code in ("so-tu-phap", "so-y-te")
    )
    assert "<details>" in own_row and "<details>" not in other_row
    assert reverse("scoring:dossier", args=[world.dossier("final", "other").pk]) not in page
    reviewer_page = _text(clients["reviewer"].get(reverse("scoring:ranking", args=[world.periods["final"].pk])))
    assert reviewer_page.count("<details>") == 2


def test_history_shows_marks_only_to_those_the_grid_shows_them_to(world, clients, db):
    dossier = world.dossier("appraisal", "own")  # appraised, not yet published to the agency
    url = reverse("scoring:history", args=[dossier.pk, world.criterion(dossier, "1.1").pk])
    assert "mark:" not in _text(clients["staff"].get(url))
    assert "mark:" not in _text(clients["head"].get(url))
    for role in ("reviewer", "leader", "admin"):
        assert "mark:so-noi-vu" in _text(clients[role].get(url)), role
    published = world.dossier("explanation", "own")
    url = reverse("scoring:history", args=[published.pk, world.criterion(published, "1.1").pk])
    assert "mark:so-noi-vu" in _text(clients["staff"].get(url))


def test_a_co_reviewer_reads_only_the_criteria_its_office_scores(world, clients, db):
    dossier = world.dossier("final", "other")
    assigned, other = world.criterion(dossier, "1.1"), world.criterion(dossier, "2.2")
    client = clients["coreviewer"]
    assert client.get(reverse("scoring:history", args=[dossier.pk, assigned.pk])).status_code == 200
    assert client.get(reverse("scoring:history", args=[dossier.pk, other.pk])).status_code == 404
    assert client.get(reverse("scoring:evidence_file", args=[world.evidence[("final", "other")].pk])).status_code == 404
    grid = _text(client.get(reverse("scoring:dossier", args=[dossier.pk])))
    assert 'id="row-1.1"' in grid and 'id="row-2.2"' not in grid


def test_another_agencys_draft_note_shows_nowhere(world, clients, db):
    draft = world.dossier("self", "other")
    c = world.criterion(draft, "2.2")
    for role in ("staff", "reviewer", "leader", "admin"):
        for url in (
            reverse("scoring:dossier", args=[draft.pk]),
            reverse("scoring:history", args=[draft.pk, c.pk]),
            reverse("scoring:excel_download", args=[draft.pk]),
        ):
            response = clients[role].get(url)
            assert response.status_code == 404 and SECRET_NOTE not in _text(response), (role, url)


def test_the_api_ranking_is_the_published_totals_only(world, clients, db):
    response = clients["staff"].get(f"/api/v1/periods/{world.periods['final'].pk}/ranking/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["agency"] for r in rows} == {"so-tu-phap", "so-y-te"}
    assert set(rows[0]) == {"agency", "name", "group", "rank", "self_total", "appraised_total", "bonus", "penalty",
                            "total", "band", "band_label", "classified", "criteria_set"}  # fmt: skip
    assert SECRET_COMMENT not in response.content.decode()


def test_the_openapi_schema_is_for_signed_in_users(world, clients, db):
    assert clients["anon"].get("/api/v1/schema/").status_code == 401
    assert clients["staff"].get("/api/v1/schema/").status_code == 200


def test_a_draft_shows_no_numbers_in_any_ranking_while_self_assessment_is_open(world, clients, db):
    """The draft's page answers 404 to everyone outside the agency; its totals stay out of lists too."""
    period = world.periods["self"]
    for role in ("reviewer", "coreviewer", "leader"):
        rows = clients[role].get(f"/api/v1/periods/{period.pk}/ranking/").json()["results"]
        assert {r["agency"]: r["self_total"] for r in rows} == {"so-tu-phap": "0.00", "so-y-te": "0.00"}, role
        assert not any(r["classified"] for r in rows)
    page = _text(clients["leader"].get(reverse("scoring:ranking", args=[period.pk])))
    assert "Cơ quan so-y-te" in page and "<details>" not in page
