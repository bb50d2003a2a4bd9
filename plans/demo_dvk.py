"""Demo "Dân vận khéo" models: this year's models of a few units in all four fields, some
recognised (one carried over from last year), so the registry and its counts are not empty."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.models import Agency, Province, User

from . import services
from .demo import demo_pdf
from .models import DvkField, DvkLevel, DvkModel

# (unit, name, field, lead, recognition (level, number, issuer) or None, state)
MODELS = [
    ("so-tu-phap", "Dân vận khéo trong trợ giúp pháp lý lưu động cho người dân vùng biên giới", DvkField.BUILDING,
     "Chi bộ Trung tâm Trợ giúp pháp lý", (DvkLevel.PROVINCE, "58-QĐ/BDVTU", "Ban Dân vận Tỉnh ủy"), "approved"),
    ("so-noi-vu", "Một lần đến, trọn một việc: bộ phận một cửa thân thiện", DvkField.ADMIN_REFORM,
     "Giám đốc Sở Nội vụ", (DvkLevel.UNIT, "15/QĐ-SNV", "Sở Nội vụ"), "approved"),
    ("xa-ben-cau", "Dân vận khéo trong vận động hiến đất mở đường giao thông nông thôn", DvkField.NEW_COUNTRYSIDE,
     "Chủ tịch UBND xã Bến Cầu", (DvkLevel.PROVINCE, "71-QĐ/BDVTU", "Ban Dân vận Tỉnh ủy"), "approved"),
    ("xa-long-chu-2025", "Giữ gìn bản sắc văn hóa gắn với du lịch cộng đồng", DvkField.CULTURE_ECONOMY,
     "Mặt trận Tổ quốc xã Long Chữ", None, "approved"),
    ("so-y-te", "Khéo vận động tiêm chủng đầy đủ cho trẻ em", DvkField.CULTURE_ECONOMY,
     "Trung tâm Kiểm soát bệnh tật", None, "submitted"),
]  # fmt: skip


def _data(year: int, name: str, field: str, lead: str) -> services.DvkModelData:
    return services.DvkModelData(
        year=year,
        name=name,
        field=field,
        goal="Nâng cao sự hài lòng và đồng thuận của Nhân dân; giải quyết dứt điểm kiến nghị chính đáng.",
        lead=lead,
        participants="Cán bộ, công chức, viên chức, người lao động; Mặt trận Tổ quốc và các đoàn thể",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
        expected_result="Mô hình được duy trì, nhân rộng; không phát sinh khiếu kiện đông người.",
    )


def load(province: Province) -> None:
    if DvkModel.objects.filter(province=province).exists():
        return
    today = timezone.localdate()
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    reviewer = User.objects.get(username="thamdinh.noivu")
    clerk = User.objects.get(username="quantri")  # enters the units' demo forms
    staff = User.objects.get(username="canbo.tuphap")
    decided = min(dt.date(today.year, 3, 15), today)
    # Last year's model of Sở Nội vụ, recognised by the province and kept this year.
    last = services.dvk_model_save(
        agency=agencies["so-noi-vu"],
        data=_data(today.year - 1, "Dân vận khéo trong tiếp công dân, đối thoại với Nhân dân", DvkField.BUILDING,
                   "Phó Giám đốc Sở Nội vụ"),
        by=clerk,
    )  # fmt: skip
    last = services.dvk_model_submit(model=last, by=clerk)
    last = services.dvk_model_review(model=last, approve=True, comment="", by=reviewer)
    services.dvk_model_recognise(
        model=last, level=DvkLevel.PROVINCE, decision_number="102-QĐ/BDVTU",
        decision_date=dt.date(today.year - 1, 11, 20), issuer="Ban Dân vận Tỉnh ủy", by=reviewer,
    )  # fmt: skip
    kept = services.dvk_model_carry(model=last, by=clerk)
    kept = services.dvk_model_submit(model=kept, by=clerk)
    services.dvk_model_review(model=kept, approve=True, comment="", by=reviewer)
    for code, name, field, lead, recognition, state in MODELS:
        by = staff if code == "so-tu-phap" else clerk
        model = services.dvk_model_save(agency=agencies[code], data=_data(today.year, name, field, lead), by=by)
        model = services.dvk_model_submit(model=model, by=by)
        if state == "approved":
            model = services.dvk_model_review(model=model, approve=True, comment="", by=reviewer)
            services.dvk_progress_add(
                model=model, reported_on=decided, text="Đã triển khai đến toàn thể cán bộ; kết quả bước đầu tích cực.",
                upload=SimpleUploadedFile(f"tien-do-{code}.pdf", demo_pdf(f"Tien do {code}")), by=by,
            )  # fmt: skip
        if recognition:
            level, number, issuer = recognition
            services.dvk_model_recognise(
                model=model, level=level, decision_number=number, decision_date=decided, issuer=issuer, by=reviewer
            )
