"""Plan pages keep typed text as the services store it: NFC, bounded, the typed value kept on refusal."""

import datetime as dt
import html
import unicodedata

import time_machine
from django.urls import reverse

from plans import services
from plans.models import Deliverable
from tests.factories import DeliverableTypeFactory, PlanFactory
from tests.plans.test_views import NOW, upload


def issued_deliverable(world) -> Deliverable:
    plan = PlanFactory(province=world["province"], year=2021)
    kind = DeliverableTypeFactory(
        plan=plan, code="report_annual", title="Báo cáo năm 2021", due_on=dt.date(2021, 11, 22)
    )
    kind.groups.set([world["group"]])
    services.plan_issue(plan=plan)
    return Deliverable.objects.get(type=kind, agency=world["justice"])


@time_machine.travel(NOW, tick=False)
def test_number_and_symbol_is_stored_nfc(client, world):
    deliverable = issued_deliverable(world)
    client.force_login(world["staff"])
    prefix = f"d{deliverable.pk}"
    number = unicodedata.normalize("NFD", "125/BC-SỞTP")
    client.post(
        reverse("plans:deliverable_submit", args=[deliverable.pk]),
        {f"{prefix}-document": upload(), f"{prefix}-so_ky_hieu": number, f"{prefix}-document_date": "12/11/2021"},
    )
    deliverable.refresh_from_db()
    assert deliverable.so_ky_hieu == "125/BC-SỞTP" and len(deliverable.so_ky_hieu) == 11


@time_machine.travel(NOW, tick=False)
def test_a_too_long_review_comment_is_refused_in_vietnamese_and_kept_in_the_form(client, world):
    deliverable = services.deliverable_submit(
        deliverable=issued_deliverable(world), upload=upload(), so_ky_hieu="1/BC",
        document_date=dt.date(2021, 11, 10), by=world["staff"],
    )  # fmt: skip
    client.force_login(world["reviewer"])
    typed = "Thiếu phụ lục số liệu. " * 90  # 2,070 characters
    response = client.post(
        reverse("plans:deliverable_detail", args=[deliverable.pk]), {"decision": "return", "comment": typed}
    )
    page = html.unescape(response.content.decode())
    assert "Ý kiến quá dài: tối đa 2.000 ký tự (hiện có 2.069). Hãy rút gọn rồi lưu lại." in page
    assert 'maxlength="2000"' in page and typed.strip() in page
    deliverable.refresh_from_db()
    assert deliverable.review == Deliverable.Review.PENDING
