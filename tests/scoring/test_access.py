"""Every role × every dossier URL of another agency: denied, and nothing of the dossier leaks."""

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import Evidence
from tests.scoring.cycle_helpers import criterion

SECRET = "Ghi chú nội bộ chưa nộp 7Q"
ROLES = ["staff", "head", "reviewer", "coreviewer", "leader", "admin"]


def dossier_urls(dossier, c, evidence):
    return [
        ("get", reverse("scoring:dossier", args=[dossier.pk])),
        ("get", reverse("scoring:history", args=[dossier.pk, c.pk])),
        ("get", reverse("scoring:excel_download", args=[dossier.pk])),
        ("get", reverse("scoring:excel_upload", args=[dossier.pk])),
        ("get", reverse("scoring:evidence_file", args=[evidence.pk])),
        ("post", reverse("scoring:self_cell", args=[dossier.pk, c.pk])),
        ("post", reverse("scoring:evidence_add", args=[dossier.pk, c.pk])),
        ("post", reverse("scoring:evidence_remove", args=[evidence.pk])),
        ("post", reverse("scoring:submit", args=[dossier.pk])),
        ("post", reverse("scoring:reopen", args=[dossier.pk])),
        ("post", reverse("scoring:mark_cell", args=[dossier.pk, c.pk])),
        ("post", reverse("scoring:adjustments", args=[dossier.pk])),
        ("post", reverse("scoring:evidence_request", args=[dossier.pk, c.pk])),
        ("post", reverse("scoring:explanation_submit", args=[dossier.pk, c.pk])),
        ("post", reverse("scoring:final_change", args=[dossier.pk, c.pk])),
    ]


@pytest.fixture
def draft_of_another_agency(cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.demo import demo_pdf

    dossier = cycle["dossiers"]["so-y-te"]
    c = criterion(dossier, "2.2")
    services.self_score_save(
        dossier=dossier, criterion=c, by=cycle["people"]["other_staff"], raw="3", note=SECRET, version=0
    )
    evidence = services.evidence_add(
        dossier=dossier,
        criterion=c,
        by=cycle["people"]["other_staff"],
        upload=SimpleUploadedFile("bb.pdf", demo_pdf("x")),
    )
    return dossier, c, evidence


@pytest.mark.parametrize("role", ROLES)
def test_another_agencys_draft_is_invisible_to_every_role(client, cycle, draft_of_another_agency, role):
    dossier, c, evidence = draft_of_another_agency
    client.force_login(cycle["people"][role])
    for method, url in dossier_urls(dossier, c, evidence):
        response = getattr(client, method)(
            url, {f"raw_{c.pk}": "1", "reason": "x", "text": "x", "message": "x", "new_raw": "1"}
        )
        assert response.status_code in (403, 404), (role, url, response.status_code)
        assert SECRET not in response.content.decode(errors="ignore"), (role, url)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert dossier.scores.get(criterion=c).self_raw == "3"


@pytest.mark.parametrize("role", ["staff", "head"])
def test_another_agencys_submitted_dossier_stays_closed_to_agencies(client, cycle, draft_of_another_agency, role):
    from tests.scoring.cycle_helpers import fill_complete

    dossier, c, evidence = draft_of_another_agency
    fill_complete(dossier, cycle["people"]["other_staff"])
    services.dossier_submit(dossier=dossier, by=cycle["people"]["other_head"])
    client.force_login(cycle["people"][role])
    for method, url in dossier_urls(dossier, c, evidence):
        response = getattr(client, method)(url, {"reason": "x"})
        assert response.status_code == 404, (role, url)


def test_reviewer_reads_a_submitted_dossier_but_cannot_edit_the_agencys_part(client, cycle, draft_of_another_agency):
    from tests.scoring.cycle_helpers import fill_complete

    dossier, c, _evidence = draft_of_another_agency
    fill_complete(dossier, cycle["people"]["other_staff"])
    services.dossier_submit(dossier=dossier, by=cycle["people"]["other_head"])
    client.force_login(cycle["people"]["reviewer"])
    assert client.get(reverse("scoring:dossier", args=[dossier.pk])).status_code == 200
    assert client.post(reverse("scoring:self_cell", args=[dossier.pk, c.pk]), {f"raw_{c.pk}": "1"}).status_code == 403
    assert client.post(reverse("scoring:submit", args=[dossier.pk])).status_code == 403


def test_foreign_province_user_gets_404(client, cycle, draft_of_another_agency):
    from portal.models import Role
    from tests.factories import AgencyFactory, ProvinceFactory, UserFactory

    stranger = UserFactory(
        agency=AgencyFactory(province=ProvinceFactory()), roles=[Role.REVIEWER, Role.ADMIN, Role.LEADER]
    )
    dossier, c, evidence = draft_of_another_agency
    client.force_login(stranger)
    for method, url in dossier_urls(dossier, c, evidence):
        assert getattr(client, method)(url).status_code == 404
    assert client.get(reverse("scoring:ranking", args=[cycle["period"].pk])).status_code == 404
    assert client.get(reverse("scoring:queue", args=[cycle["period"].pk])).status_code == 404
