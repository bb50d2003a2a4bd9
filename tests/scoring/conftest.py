import pytest

from portal.models import Agency, Role
from tests.factories import UserFactory


@pytest.fixture
def tay_ninh(demo_core):
    """The demo province's agencies and users only (no regulations): an empty regulation library."""
    return demo_core


@pytest.fixture
def cycle(tay_ninh):
    """Decision 731 loaded, a 2021 period in self-assessment, and one person per role."""
    from scoring import services
    from scoring.models import Phase
    from tests.scoring.cycle_helpers import period_2021_on_731

    period = period_2021_on_731(tay_ninh)
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
