import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from portal.models import Agency, Role
from tests.factories import UserFactory

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library"


@pytest.fixture
def tay_ninh(demo_core):
    """The demo province's agencies and users only (no regulations): an empty regulation library."""
    return demo_core


@pytest.fixture
def cycle(tay_ninh):
    """Decision 731 loaded, a 2021 period in self-assessment, and one person per role."""
    from scoring import services
    from scoring.models import Phase
    from scoring.selectors import criteria_set_by_code

    services.regulation_import_file(
        province=tay_ninh, name="731.yaml", content=(LIBRARY / "tay-ninh-731-2019.yaml").read_bytes()
    )
    today = timezone.localdate()
    period = services.period_create(
        province=tay_ninh,
        year=2021,
        criteria_set=criteria_set_by_code(province=tay_ninh, code="tn-731-2019"),
        name="Đánh giá năm 2021",
        self_assessment_opens_on=today - dt.timedelta(days=3),
        self_assessment_due_on=today + dt.timedelta(days=10),
        appraisal_due_on=today + dt.timedelta(days=20),
        explanation_due_on=today + dt.timedelta(days=25),
        agencies_as_of=dt.date(2021, 10, 30),
    )
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)
    agency = {
        code: Agency.objects.get(code=code) for code in ("so-tu-phap", "so-y-te", "so-noi-vu", "vp-ubnd", "ubnd-tinh")
    }
    people = {
        "staff": UserFactory(username="cb.tp", agency=agency["so-tu-phap"], roles=[Role.AGENCY_STAFF]),
        "head": UserFactory(username="ld.tp", agency=agency["so-tu-phap"], roles=[Role.AGENCY_HEAD]),
        "other_staff": UserFactory(username="cb.yt", agency=agency["so-y-te"], roles=[Role.AGENCY_STAFF]),
        "other_head": UserFactory(username="ld.yt", agency=agency["so-y-te"], roles=[Role.AGENCY_HEAD]),
        "reviewer": UserFactory(username="td.snv", agency=agency["so-noi-vu"], roles=[Role.REVIEWER]),
        "coreviewer": UserFactory(username="ph.vp", agency=agency["vp-ubnd"], roles=[Role.CO_REVIEWER]),
        "leader": UserFactory(username="ld.tinh", agency=agency["ubnd-tinh"], roles=[Role.LEADER]),
        "admin": UserFactory(username="qt", agency=agency["so-noi-vu"], roles=[Role.ADMIN]),
    }
    dossiers = {d.agency.code: d for d in period.dossiers.select_related("agency")}
    return {"period": period, "people": people, "dossiers": dossiers, "agency": agency, "province": tay_ninh}
