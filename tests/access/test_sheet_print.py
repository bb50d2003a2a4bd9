"""One agency's score page prints like the ranking (issue 13): a print button, the Decree 30 heading
and print.css (A4, Times New Roman) on paper, the agency's name and totals; the same rule as the page."""

import re

from django.urls import reverse

from reports.selectors import scoresheet_context


def _text(response) -> str:
    return response.content.decode(errors="ignore")


def test_the_score_page_prints_with_the_decree_30_heading_name_and_totals(world, clients, db):
    final = world.periods["final"]
    url = reverse("reports:agency_sheet", args=[final.pk, "so-tu-phap"])
    dossier = final.dossiers.get(agency__code="so-tu-phap")
    sheet = scoresheet_context(dossier)
    assert sheet["total"] == "94,25" and sheet["self_total"] == "100,00"  # the world's final result
    for role in ("staff", "head", "reviewer", "leader"):
        response = clients[role].get(url)
        assert response.status_code == 200, role
        page = _text(response)
        assert re.search(r'<button type="button" class="btn[^"]*" data-print>In \(khổ A4\)</button>', page), role
        assert re.search(r'<link rel="stylesheet" href="[^"]*css/print[^"]*\.css" media="print">', page)
        heading = page.split('class="print-header')[1].split("</div>\n</div>")[0]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading and "Độc lập - Tự do - Hạnh phúc" in heading
        assert f'<h1 class="h3">{sheet["agency"]}</h1>' in page
        totals = page.split('<tfoot id="sheet-totals">')[1].split("</tfoot>")[0]
        cells = re.findall(r'<td class="text-end">([^<]*)</td>', totals.split('class="fw-semibold"')[1])
        assert cells == [sheet["self_total"], sheet["appraised_total"], sheet["total"]], role
        assert f">{sheet['bonus']}<" in totals and f">{sheet['penalty']}<" in totals
        # The screen's buttons, forms and the chart stay off the paper.
        assert 'class="d-flex flex-wrap gap-2 d-print-none" id="sheet-actions"' in page
        assert '<section class="mb-4 d-print-none"><h2 class="h5">' in page


def test_another_agencys_staff_cannot_open_or_print_the_score_page(world, clients, db):
    final = world.periods["final"]
    other = clients["staff"].get(reverse("reports:agency_sheet", args=[final.pk, "so-y-te"]))
    assert other.status_code == 404
    assert "print-header" not in _text(other) and "sheet-totals" not in _text(other)
    assert clients["anon"].get(reverse("reports:agency_sheet", args=[final.pk, "so-tu-phap"])).status_code == 302
