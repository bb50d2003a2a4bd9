"""Appraisal, explanation round, finalization and changes after it."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from portal.models import User
from scoring import services
from scoring.models import AppraisalMark, Dossier, Explanation, Phase, Result
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def submitted(cycle):
    """Sở Tư pháp and Sở Y tế have submitted; the period is in appraisal."""
    people = cycle["people"]
    for code, staff, head in (("so-tu-phap", "staff", "head"), ("so-y-te", "other_staff", "other_head")):
        fill_complete(cycle["dossiers"][code], people[staff])
        services.dossier_submit(dossier=cycle["dossiers"][code], by=people[head])
    services.period_set_phase(
        period=cycle["period"], phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn nộp hồ sơ"
    )
    return cycle


def mark(client, dossier, code, value, comment="", version="current"):
    """Posts one mark as the page does, with the version the page shows (or the one given; None sends none)."""
    c = criterion(dossier, code)
    if version == "current":
        user = User.objects.get(pk=client.session["_auth_user_id"])
        current = AppraisalMark.objects.filter(dossier=dossier, criterion=c, scorer_id=user.agency_id)
        version = current.values_list("version", flat=True).first() or 0
    data = {f"mark_{c.pk}": value, f"comment_{c.pk}": comment}
    if version is not None:
        data[f"mv_{c.pk}"] = str(version)
    return client.post(reverse("scoring:mark_cell", args=[dossier.pk, c.pk]), data, **HX)


def test_coreviewer_sees_only_assigned_criteria(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["coreviewer"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    for code in ("1.1", "1.2", "3", "4"):
        assert f'id="row-{code}"' in page
    for code in ("2.1", "2.5", "5.1"):
        assert f'id="row-{code}"' not in page
    assert mark(client, dossier, "2.2", "3").status_code == 403
    assert mark(client, dossier, "1.1", "90").status_code == 200


def test_scorer_sees_other_marks_only_after_entering_their_own(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    mark(client, dossier, "1.1", "80", comment="Số liệu theo dõi của Sở Nội vụ")
    client.force_login(submitted["people"]["coreviewer"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    row = page.split('id="row-1.1"')[1].split("</tr>")[0]
    assert "Số liệu theo dõi của Sở Nội vụ" not in row
    assert "Điểm của cơ quan chấm khác hiện sau khi bạn chấm" in row
    row = mark(client, dossier, "1.1", "90").content.decode()
    assert "Số liệu theo dõi của Sở Nội vụ" in row
    # average of 12 and 13.5 = 12.75; the self-score was 15
    assert "12,75" in row and "-2,25" in row


def test_a_blind_coscorer_sees_no_points_gap_or_subtotal_of_the_others_before_marking(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    mark(client, dossier, "1.1", "80")  # 12 of 15 points: 3 below the self-score
    client.force_login(submitted["people"]["coreviewer"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    cell = page.split('id="row-1.1"')[1].split('class="mark-cell')[1].split("</td>")[0]
    shown = re.sub(r"<[^>]*>", " ", cell)  # the text on screen (a URL may hold the digits of an id)
    assert "appraised" not in cell and "badge" not in cell and not re.search(r"\b12\b", shown)  # no points, no gap
    group = page.split('id="row-1"')[1].split("</tr>")[0]
    assert '<span id="appr-1">—</span>' in group  # no subtotal of criterion 1 either
    assert '<span id="total-final">—</span>' in page
    # Marking another criterion of the group swaps in the subtotal: still hidden while 1.1 is blind.
    partial = mark(client, dossier, "1.2", "0").content.decode()
    assert '<span id="appr-1" hx-swap-oob="true">—</span>' in partial
    assert '<span id="total-final" hx-swap-oob="true">—</span>' in partial


def test_appraised_mark_out_of_range_is_refused_beside_the_cell(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    response = mark(client, dossier, "2.3", "5,5")
    assert response.status_code == 422
    assert "Điểm phải từ 0 đến 5" in response.content.decode()
    assert not AppraisalMark.objects.exists()


def test_stale_mark_is_refused(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    mark(client, dossier, "2.3", "4", version=0)
    response = mark(client, dossier, "2.3", "3", version=0)
    assert response.status_code == 409
    assert AppraisalMark.objects.get().raw == "4"


def test_nobody_appraises_their_own_agency(client, submitted):
    own = submitted["dossiers"]["so-noi-vu"]
    client.force_login(submitted["people"]["reviewer"])
    assert mark(client, own, "2.2", "3").status_code in (403, 404)
    with pytest.raises(Exception, match="Không ai được thẩm định"):
        services.mark_save(
            dossier=own, criterion=criterion(own, "2.2"), scorer=own.agency, raw="3", by=submitted["people"]["reviewer"],
            version=0,
        )  # fmt: skip


def test_bonus_penalty_and_flags_need_a_reason(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    url = reverse("scoring:adjustments", args=[dossier.pk])
    page = client.post(url, {"adj_T1": "true", "reason": ""}, follow=True).content.decode()
    assert "Ghi rõ lý do cộng hoặc trừ điểm" in page
    client.post(
        url, {"adj_T1": "true", "adj_TR1": "true", "flags": "ky_luat", "na": ["3"], "reason": "Theo biên bản kiểm tra"}
    )
    dossier.refresh_from_db()
    assert dossier.flags == ["ky_luat"]
    assert set(dossier.adjustments.values_list("criterion__code", "raw")) == {("T1", "true"), ("TR1", "true")}
    assert dossier.scores.get(criterion__code="3").not_applicable


def test_the_adjustments_form_is_saved_all_or_nothing(client, submitted):
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    url = reverse("scoring:adjustments", args=[dossier.pk])
    before = (list(dossier.adjustments.values_list("criterion__code", "raw")), dossier.scores.get(criterion__code="3"))
    page = client.post(
        url,
        # T1 is fine, T2 is over its 2 points: the refusal of T2 must undo T1, the flag and the N/A too.
        {"adj_T1": "true", "adj_T2": "7", "flags": "ky_luat", "na": ["3"], "reason": "Theo biên bản kiểm tra"},
        follow=True,
    ).content.decode()
    assert 'class="alert alert-danger"' in page and "T2" in page.split('class="alert alert-danger"')[1][:400]
    dossier.refresh_from_db()
    assert list(dossier.adjustments.values_list("criterion__code", "raw")) == before[0] == []
    assert dossier.flags in ([], None)
    assert dossier.scores.get(criterion__code="3").not_applicable is False
    assert dossier.scores.get(criterion__code="3").version == before[1].version


def test_explanation_round_accept_changes_the_mark(client, submitted):
    people = submitted["people"]
    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(people["reviewer"])
    mark(client, dossier, "2.5", "co_dang_ky", comment="Chưa thấy kết quả mô hình")
    # The agency does not see provisional marks before they are published.
    client.force_login(people["staff"])
    assert "Chưa thấy kết quả mô hình" not in client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    services.period_set_phase(
        period=submitted["period"], phase=Phase.EXPLANATION, by=people["reviewer"], reason="Công bố kết quả tạm thời"
    )
    assert "Chưa thấy kết quả mô hình" in client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    c = criterion(dossier, "2.5")
    client.post(
        reverse("scoring:explanation_submit", args=[dossier.pk, c.pk]), {"text": "Mô hình đã được tỉnh công nhận."}
    )
    explanation = Explanation.objects.get()
    client.force_login(people["reviewer"])
    # The new mark is chosen as the criterion's levels are everywhere: by their labels, not typed codes.
    dossier_page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    decision = dossier_page.split('class="border-bottom pb-2 mb-2 explanation-decision" data-code="2.5"')[1]
    decision = decision.split("</form>")[0]
    new_raw = decision.split('name="new_raw"')[1].split("</select>")[0]
    assert '<option value="hieu_qua">Có mô hình, thực hiện hiệu quả (6)</option>' in new_raw
    assert '<input type="text" name="new_raw"' not in decision
    url = reverse("scoring:explanation_decide", args=[explanation.pk])
    page = client.post(url, {"decision": "accept", "new_raw": "hieu_qua", "reason": ""}, follow=True).content.decode()
    assert "Ghi rõ lý do của quyết định" in page
    client.post(url, {"decision": "accept", "new_raw": "hieu_qua", "reason": "Đã đối chiếu quyết định công nhận"})
    explanation.refresh_from_db()
    assert explanation.decision == Explanation.Decision.ACCEPTED
    new_mark = AppraisalMark.objects.get(criterion__code="2.5")
    assert (new_mark.raw, new_mark.points) == ("hieu_qua", D("6"))
    assert new_mark.history.count() == 2
    assert people["staff"].notifications.filter(body="Đã đối chiếu quyết định công nhận").exists()


def test_finalize_freezes_results_and_later_changes_need_a_reason(client, submitted):
    people = submitted["people"]
    period = submitted["period"]
    justice = submitted["dossiers"]["so-tu-phap"]
    client.force_login(people["reviewer"])
    mark(client, justice, "2.2", "3")
    services.period_set_phase(period=period, phase=Phase.EXPLANATION, by=people["reviewer"], reason="Công bố")
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=people["reviewer"], reason="Hết hạn giải trình")
    response = client.post(reverse("scoring:period", args=[period.pk]), {"action": "finalize"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.phase == Phase.FINAL
    result = Result.objects.get(dossier=justice)
    assert result.classified and result.rank >= 1
    before = result.total
    # Edits through the normal paths are closed now.
    client.force_login(people["staff"])
    c = criterion(justice, "2.2")
    assert (
        client.post(reverse("scoring:self_cell", args=[justice.pk, c.pk]), {f"raw_{c.pk}": "1"}, **HX).status_code
        == 403
    )
    client.force_login(people["reviewer"])
    assert mark(client, justice, "2.2", "1").status_code == 403
    page = client.post(
        reverse("scoring:final_change", args=[justice.pk, c.pk]), {"new_raw": "2", "reason": ""}, follow=True
    ).content.decode()
    assert "phải ghi rõ lý do" in page
    client.post(
        reverse("scoring:final_change", args=[justice.pk, c.pk]),
        {"new_raw": "2", "reason": "Sửa sai sót khi tổng hợp", "version": "1"},
    )
    result.refresh_from_db()
    assert result.total == before - 1
    assert result.history.first().history_change_reason.startswith("recomputed: Sửa sai sót")


def test_finalize_refuses_while_explanations_wait(submitted):
    people = submitted["people"]
    dossier = submitted["dossiers"]["so-tu-phap"]
    services.period_set_phase(
        period=submitted["period"], phase=Phase.EXPLANATION, by=people["reviewer"], reason="Công bố"
    )
    services.explanation_submit(
        dossier=dossier, criterion=criterion(dossier, "2.2"), text="Xin xem lại", by=people["staff"]
    )
    services.period_set_phase(
        period=submitted["period"], phase=Phase.SETTLEMENT, by=people["reviewer"], reason="Hết hạn"
    )
    with pytest.raises(Exception, match="giải trình chưa được quyết định"):
        services.period_finalize(period=submitted["period"], by=people["reviewer"])


def test_queue_filters_and_progress(client, submitted):
    period = submitted["period"]
    client.force_login(submitted["people"]["reviewer"])
    mark(client, submitted["dossiers"]["so-tu-phap"], "2.2", "3")
    page = client.get(reverse("scoring:queue", args=[period.pk]), {"status": "submitted"}).content.decode()
    assert 'data-agency="so-tu-phap"' in page and 'data-agency="so-y-te"' in page
    assert 'data-agency="so-tai-chinh"' not in page
    assert 'value="1"' in page  # one criterion marked by me


def test_queue_query_count_does_not_grow(client, submitted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = submitted["period"]
    client.force_login(submitted["people"]["reviewer"])
    counts = []
    for codes in (["so-tu-phap"], ["so-tu-phap", "so-y-te", "so-tai-chinh"]):
        Dossier.objects.filter(period=period).update(status="draft")
        Dossier.objects.filter(period=period, agency__code__in=codes).update(status="submitted")
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("scoring:queue", args=[period.pk]), {"status": "submitted"})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_penalty_with_an_evidence_file(client, submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.demo import demo_pdf

    dossier = submitted["dossiers"]["so-tu-phap"]
    client.force_login(submitted["people"]["reviewer"])
    client.post(
        reverse("scoring:adjustments", args=[dossier.pk]),
        {
            "adj_TR2": "2",
            "ev_TR2": SimpleUploadedFile("quyet-dinh-ky-luat.pdf", demo_pdf("QD ky luat")),
            "reason": "Hai công chức bị kỷ luật",
        },
    )
    adjustment = dossier.adjustments.get(criterion__code="TR2")
    assert adjustment.raw == "2" and adjustment.evidence.name.endswith(".pdf")
    assert adjustment.history.first().history_change_reason == "Hai công chức bị kỷ luật"
