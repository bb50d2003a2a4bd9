"""What the "Dân vận khéo" tests share: a model's data, a registered (and recognised) model, the
registration form's fields."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plans import services
from plans.models import DvkField, DvkLevel, DvkModel

YEAR = timezone.localdate().year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def data(name: str = "Dân vận khéo trong cải cách thủ tục hành chính", **changes) -> services.DvkModelData:
    values = {
        "year": YEAR,
        "name": name,
        "field": DvkField.ADMIN_REFORM,
        "goal": "Giảm thời gian giải quyết hồ sơ",
        "lead": "Giám đốc Sở",
        "participants": "Công chức bộ phận một cửa",
        "starts_on": dt.date(YEAR, 1, 15),
        "ends_on": dt.date(YEAR, 12, 15),
        "expected_result": "100% hồ sơ đúng hạn",
        **changes,
    }
    return services.DvkModelData(**values)


def registered(world, *, agency=None, by=None, approve=True, **changes) -> DvkModel:
    model = services.dvk_model_save(agency=agency or world["justice"], data=data(**changes), by=by or world["staff"])
    services.dvk_model_submit(model=model, by=by or world["staff"])
    if approve:
        services.dvk_model_review(model=model, approve=True, comment="", by=world["reviewer"])
    model.refresh_from_db()
    return model


def recognise(world, model, level=DvkLevel.PROVINCE, number="58-QĐ/BDVTU"):
    return services.dvk_model_recognise(
        model=model, level=level, decision_number=number, decision_date=dt.date(YEAR, 1, 20),
        issuer="Ban Dân vận Tỉnh ủy", by=world["reviewer"],
    )  # fmt: skip


def form_post(**changes) -> dict:
    values = {
        "year": str(YEAR),
        "name": "Dân vận khéo trong xây dựng nông thôn mới",
        "field": DvkField.NEW_COUNTRYSIDE,
        "goal": "Vận động hiến đất làm đường",
        "lead": "Chủ tịch UBND",
        "participants": "Các hội, đoàn thể",
        "starts_on": f"01/02/{YEAR}",
        "ends_on": f"30/11/{YEAR}",
        "expected_result": "5 km đường bê tông",
    }
    values.update(changes)
    return values


def names_in(page: str) -> list[str]:
    """The models named in the registry table of `page`, by name."""
    table = page.split('id="dvk-registry"')[1].split("</table>")[0]
    return [m.name for m in DvkModel.objects.order_by("name") if m.name in table]
