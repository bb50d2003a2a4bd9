"""A contest's award decision and certificates print the province's document texts of the programme
and year (subject, consideration, Articles 1 and 2, the certificate's sentence) — the defaults until
the province writes its own in the admin — read back with poppler."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from portal.models import Agency, Role
from reports.models import CONTEST_TEXT_DEFAULTS, DocumentTexts
from scoring.engine.leaf import score_type_of
from scoring.models import Phase
from scoring.selectors.contest import contest_results, entrant_set, sheet_nodes
from scoring.services import period_finalize, period_set_phase, regulation_import_file
from scoring.services.contest import judge_marks_save
from tests.factories import DocumentTextsFactory, UserFactory
from tests.scoring.cycle_helpers import LIBRARY


@pytest.fixture
def final_contest(demo_core):
    tay_ninh = demo_core
    from scoring.demo_contest import contest_open

    regulation_import_file(
        province=tay_ninh, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
    )
    home = Agency.objects.get(code="so-noi-vu")
    judges = [UserFactory(username=f"gk{i}", agency=home, roles=[Role.AGENCY_STAFF]) for i in (1, 2)]
    contest = contest_open(tay_ninh, [(u, "") for u in judges], entrants=2)
    for judge in contest.judges.select_related("user"):
        for dossier in contest.period.dossiers.all():
            marks = {n.code: score_type_of(n).full_marks(n) for n in sheet_nodes(entrant_set(contest, dossier).spec)}
            judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks=marks, by=judge.user)
    reviewer = UserFactory(username="td", agency=home, roles=[Role.REVIEWER])
    period_set_phase(period=contest.period, phase=Phase.SETTLEMENT, by=None)
    contest.period.refresh_from_db()
    period_finalize(period=contest.period, by=reviewer)
    contest.reviewer = reviewer
    return contest


def _text(response, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(out.split())


def test_default_contest_texts_until_the_province_writes_its_own(final_contest, client, tmp_path):
    client.force_login(final_contest.reviewer)
    url = reverse("reports:contest_decision_pdf", args=[final_contest.pk])
    text = _text(client.get(url), tmp_path)
    name = final_contest.period.name
    assert f"Về việc tặng giải {name}" in text
    assert "Xét kết quả chấm điểm của Ban Giám khảo cuộc thi (2 thành viên chấm độc lập;" in text
    assert f"Điều 1. Tặng giải {name}, chủ đề “{final_contest.theme}” cho các tập thể sau:" in text
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in text

    # The province's own texts for the programme from that year: printed with their placeholders.
    DocumentTextsFactory(
        province=final_contest.period.province, program="dvk", valid_from_year=2024,
        contest_subject="Về việc khen thưởng tập thể đạt giải {contest}",
        contest_article_2="Mỗi giải kèm theo Giấy khen và tiền thưởng theo quy định năm {year}",
        contest_certificate="Đã xuất sắc đạt {award} với {score} điểm tại {contest}",
    )  # fmt: skip
    text = _text(client.get(url), tmp_path)
    assert f"Về việc khen thưởng tập thể đạt giải {name}" in text
    assert "Điều 2. Mỗi giải kèm theo Giấy khen và tiền thưởng theo quy định năm 2024." in text
    assert "Quyết định này có hiệu lực kể từ ngày ký" not in text
    row = contest_results(final_contest).rows[0]
    certificate = _text(
        client.get(reverse("reports:contest_certificate_pdf", args=[final_contest.pk, row.dossier.pk])), tmp_path
    )
    assert f"Đã xuất sắc đạt {row.entrant.award.name} với 100,0 điểm tại {name}" in certificate


def test_contest_texts_are_edited_in_the_admin_and_checked(demo_core, client):
    tay_ninh = demo_core
    admin = UserFactory(username="qt", agency=Agency.objects.get(code="so-noi-vu"), roles=[Role.ADMIN])
    client.force_login(admin)
    add = reverse("admin:reports_documenttexts_add")
    form = client.get(add + "?program=dvk").context["adminform"].form
    assert form.initial["contest_article_2"] == CONTEST_TEXT_DEFAULTS["contest_article_2"]
    data = {k: v for k, v in form.initial.items() if isinstance(v, str | int)}
    data.update(province=tay_ninh.pk, program="dvk", valid_from_year=2026, contest_article_2="Hiệu lực {ngay_ky}")
    response = client.post(add, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["contest_article_2"]
    data["contest_article_2"] = "Quyết định có hiệu lực từ ngày ký; giải thưởng trao trong năm {year} cho {contest}"
    assert client.post(add, data).status_code == 302
    assert DocumentTexts.objects.get(program="dvk").contest_article_2.endswith("cho {contest}")
