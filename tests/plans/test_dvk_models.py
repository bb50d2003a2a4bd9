"""The units' "Dân vận khéo" models: registering, progress with evidence, review, recognition by
level, keeping and replicating; who sees what (the registry: tests/plans/test_dvk_registry.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import selectors, services
from plans.models import DvkField, DvkLevel, DvkModel, DvkProgress, DvkRecognition
from portal.models import AgencyKind, Role
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.plans.dvk_helpers import PDF, YEAR, data, form_post, names_in, recognise, registered

# --- register, progress, review, recognise, keep, replicate ----------------------------------------


def test_agency_registers_a_model_through_the_form(client, world):
    client.force_login(world["staff"])
    response = client.post(reverse("plans:dvk_create"), form_post())
    model = DvkModel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:dvk_detail", args=[model.pk])
    assert (model.agency, model.status, model.year, model.field) == (
        world["justice"], DvkModel.Status.DRAFT, YEAR, DvkField.NEW_COUNTRYSIDE,
    )  # fmt: skip
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "Dân vận khéo trong xây dựng nông thôn mới" in page and "Vận động hiến đất làm đường" in page
    client.post(reverse("plans:dvk_submit", args=[model.pk]))
    model.refresh_from_db()
    assert model.status == DvkModel.Status.SUBMITTED and model.submitted_at is not None
    assert [h.history_change_reason for h in model.history.order_by("history_date")] == [
        "registered as a draft",
        "sent for review by canbo",
    ]


def test_bad_registration_keeps_what_was_typed_and_says_why_in_vietnamese(client, world):
    client.force_login(world["staff"])
    response = client.post(reverse("plans:dvk_create"), form_post(ends_on=f"01/01/{YEAR}", field=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chọn lĩnh vực." in page
    assert "Vận động hiến đất làm đường" in page  # nothing typed is lost
    assert not DvkModel.objects.exists()
    response = client.post(reverse("plans:dvk_create"), form_post(ends_on=f"01/01/{YEAR}"))
    assert response.status_code == 400 and "Thời gian kết thúc không được trước thời gian bắt đầu." in (
        response.content.decode()
    )
    assert not DvkModel.objects.exists()


def test_progress_with_evidence_is_checked_and_served_to_those_who_may_see(client, world):
    model = registered(world)
    client.force_login(world["staff"])
    url = reverse("plans:dvk_progress_add", args=[model.pk])
    disguised = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(
        url, {"reported_on": f"01/06/{YEAR}", "text": "Đã giảm 30% thời gian", "document": disguised}
    )
    assert response.status_code == 400
    assert "mã trang web" in response.content.decode() and "Đã giảm 30% thời gian" in response.content.decode()
    assert not DvkProgress.objects.exists()
    good = SimpleUploadedFile("bao-cao-6-thang.pdf", PDF, "application/pdf")
    response = client.post(url, {"reported_on": f"01/06/{YEAR}", "text": "Đã giảm 30% thời gian", "document": good})
    assert response.status_code == 302
    progress = DvkProgress.objects.get()
    assert progress.document_name == "bao-cao-6-thang.pdf" and len(progress.document_sha256) == 64
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "Đã giảm 30% thời gian" in page and "bao-cao-6-thang.pdf" in page
    file_url = reverse("plans:dvk_progress_file", args=[progress.pk])
    assert b"".join(client.get(file_url).streaming_content) == PDF
    client.force_login(world["health_staff"])  # another unit: the model is not recognised yet
    assert client.get(file_url).status_code == 404


def test_reviewer_returns_then_accepts_and_the_unit_is_told(client, world):
    model = registered(world, approve=False)
    client.force_login(world["reviewer"])
    url = reverse("plans:dvk_review", args=[model.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "Nêu lý do trả lại mô hình." in response.content.decode()
    client.post(url, {"decision": "return", "comment": "Bổ sung chỉ tiêu cụ thể"})
    model.refresh_from_db()
    assert model.status == DvkModel.Status.RETURNED and model.review_comment == "Bổ sung chỉ tiêu cụ thể"
    assert world["staff"].notifications.filter(title__contains="trả lại").exists()
    services.dvk_model_save(
        agency=world["justice"], data=data(goal="Giảm 30% thời gian"), by=world["staff"], model=model
    )
    services.dvk_model_submit(model=model, by=world["staff"])
    client.post(url, {"decision": "approve", "comment": ""})
    model.refresh_from_db()
    assert model.status == DvkModel.Status.APPROVED and model.reviewed_by == world["reviewer"]


def test_recognition_by_level_keeps_the_highest_and_each_decision(client, world):
    model = registered(world)
    client.force_login(world["reviewer"])
    url = reverse("plans:dvk_recognise", args=[model.pk])
    response = client.post(url, {"level": "province", "decision_number": "", "decision_date": "", "issuer": "BDV"})
    assert response.status_code == 400
    assert "Nhập số quyết định." in response.content.decode()
    client.post(url, {"level": "district", "decision_number": "12/QĐ-UBND", "decision_date": f"10/01/{YEAR}",
                      "issuer": "UBND huyện"})  # fmt: skip
    client.post(url, {"level": "province", "decision_number": "58-QĐ/BDVTU", "decision_date": f"20/01/{YEAR}",
                      "issuer": "Ban Dân vận Tỉnh ủy"})  # fmt: skip
    model.refresh_from_db()
    assert model.level == DvkLevel.PROVINCE
    assert list(model.recognitions.values_list("level", "decision_number")) == [
        ("district", "12/QĐ-UBND"), ("province", "58-QĐ/BDVTU"),
    ]  # fmt: skip
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "58-QĐ/BDVTU, 20/01/" in page and "Cấp tỉnh" in page


def test_superior_unit_reviews_and_recognises_up_to_the_district_level(client, world):
    district = AgencyFactory(province=world["province"], code="ubnd-huyen", version__name="UBND huyện Bến Cầu",
                             version__kind=AgencyKind.UBND_HUYEN)  # fmt: skip
    commune = AgencyFactory(province=world["province"], code="xa-an-thanh", version__name="UBND xã An Thạnh",
                            version__kind=AgencyKind.UBND_XA, version__parent=district)  # fmt: skip
    commune_staff = UserFactory(agency=commune, roles=[Role.AGENCY_STAFF])
    district_staff = UserFactory(agency=district, roles=[Role.AGENCY_STAFF])
    model = registered(world, agency=commune, by=commune_staff, approve=False)
    client.force_login(district_staff)
    client.post(reverse("plans:dvk_review", args=[model.pk]), {"decision": "approve", "comment": ""})
    model.refresh_from_db()
    assert model.status == DvkModel.Status.APPROVED
    url = reverse("plans:dvk_recognise", args=[model.pk])
    refused = client.post(url, {"level": "province", "decision_number": "1/QĐ", "decision_date": f"10/01/{YEAR}",
                                "issuer": "UBND huyện"})  # fmt: skip
    assert refused.status_code == 400 and not DvkRecognition.objects.exists()
    client.post(url, {"level": "district", "decision_number": "1/QĐ", "decision_date": f"10/01/{YEAR}",
                      "issuer": "UBND huyện"})  # fmt: skip
    model.refresh_from_db()
    assert model.level == DvkLevel.DISTRICT


def test_model_kept_into_next_year_and_replicated_by_another_unit(client, world):
    model = registered(world)
    recognise(world, model)
    client.force_login(world["staff"])
    response = client.post(reverse("plans:dvk_carry", args=[model.pk]))
    kept = DvkModel.objects.get(carried_from=model)
    assert response["Location"] == reverse("plans:dvk_detail", args=[kept.pk])
    assert (kept.year, kept.status, kept.name) == (YEAR + 1, DvkModel.Status.DRAFT, model.name)
    client.post(reverse("plans:dvk_carry", args=[model.pk]))  # twice: still one copy
    assert DvkModel.objects.filter(carried_from=model).count() == 1
    client.force_login(world["health_staff"])
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "Nhân rộng mô hình này tại đơn vị tôi" in page
    form = client.get(reverse("plans:dvk_create") + f"?nhan-rong={model.pk}").content.decode()
    assert model.name in form and "Sở Tư pháp" in form
    client.post(reverse("plans:dvk_create") + f"?nhan-rong={model.pk}", form_post(name=model.name))
    copy = DvkModel.objects.get(agency=world["health"])
    assert copy.replicated_from == model
    assert selectors.dvk_model_detail(pk=model.pk).replication_count == 1


# --- access --------------------------------------------------------------------------------------


def test_another_agencys_draft_is_404_and_forbidden_posts_change_nothing(client, world):
    draft = services.dvk_model_save(agency=world["justice"], data=data(), by=world["staff"])
    client.force_login(world["health_staff"])
    assert client.get(reverse("plans:dvk_detail", args=[draft.pk])).status_code == 404
    for name in ("dvk_edit", "dvk_submit", "dvk_carry", "dvk_progress_add", "dvk_review", "dvk_recognise"):
        assert client.post(reverse(f"plans:{name}", args=[draft.pk]), form_post()).status_code == 404, name
    client.force_login(world["reviewer"])  # a draft is the unit's own until it is sent
    assert client.get(reverse("plans:dvk_detail", args=[draft.pk])).status_code == 404
    under_way = registered(world, name="Mô hình đang thực hiện")
    client.force_login(world["staff"])  # the unit itself may not review or recognise its model
    before = list(DvkModel.history.values_list("pk", flat=True))
    assert client.post(reverse("plans:dvk_recognise", args=[under_way.pk]), {"level": "province"}).status_code == 403
    client.force_login(world["leader"])  # leaders read
    assert client.get(reverse("plans:dvk_detail", args=[under_way.pk])).status_code == 200
    assert client.post(reverse("plans:dvk_review", args=[under_way.pk]), {"decision": "return"}).status_code == 403
    assert list(DvkModel.history.values_list("pk", flat=True)) == before
    assert not DvkRecognition.objects.exists()
    draft.refresh_from_db()
    assert draft.status == DvkModel.Status.DRAFT and draft.name == data().name


def test_other_units_see_recognised_models_only_and_other_provinces_nothing(client, world):
    under_way = registered(world, name="Mô hình chưa công nhận")
    recognised = registered(world, name="Mô hình được công nhận")
    recognise(world, recognised)
    other_province = ProvinceFactory(code="long-an", name="Long An")
    stranger = UserFactory(agency=AgencyFactory(province=other_province), roles=[Role.REVIEWER])
    client.force_login(world["health_staff"])
    page = client.get(reverse("plans:dvk_registry")).content.decode()
    assert "Mô hình được công nhận" in page and "Mô hình chưa công nhận" not in page
    assert client.get(reverse("plans:dvk_detail", args=[under_way.pk])).status_code == 404
    client.force_login(world["reviewer"])
    page = client.get(reverse("plans:dvk_registry")).content.decode()
    assert "Mô hình được công nhận" in page and "Mô hình chưa công nhận" in page
    client.force_login(stranger)
    page = client.get(reverse("plans:dvk_registry")).content.decode()
    assert names_in(page) == [] and "Không có mô hình nào phù hợp." in page
    assert client.get(reverse("plans:dvk_detail", args=[recognised.pk])).status_code == 404
