import datetime as dt

import pytest

from portal.models import Role
from tests.factories import AgencyFactory, AgencyGroupFactory, ProvinceFactory, UserFactory


@pytest.fixture
def world(db):
    """A province with one ranked group, two agencies, and their people."""
    province = ProvinceFactory(code="tay-ninh", name="Tây Ninh")
    group = AgencyGroupFactory(province=province, code="khoi-so", name="Khối sở, ban, ngành")
    justice = AgencyFactory(province=province, code="so-tu-phap", version__name="Sở Tư pháp", version__group=group,
                            version__valid_from=dt.date(2019, 1, 1))  # fmt: skip
    health = AgencyFactory(province=province, code="so-y-te", version__name="Sở Y tế", version__group=group,
                           version__valid_from=dt.date(2019, 1, 1))  # fmt: skip
    home_affairs = AgencyFactory(province=province, code="so-noi-vu", version__name="Sở Nội vụ", version__group=group)
    return {
        "province": province,
        "group": group,
        "justice": justice,
        "health": health,
        "staff": UserFactory(username="canbo", agency=justice, roles=[Role.AGENCY_STAFF], email="canbo@tp.test"),
        "head": UserFactory(username="giamdoc", agency=justice, roles=[Role.AGENCY_HEAD], email="gd@tp.test"),
        "health_staff": UserFactory(username="canbo.yte", agency=health, roles=[Role.AGENCY_STAFF], email="yt@yt.test"),
        "reviewer": UserFactory(
            username="thamdinh", agency=home_affairs, roles=[Role.REVIEWER], email="tdinh@snv.test"
        ),
        "leader": UserFactory(username="lanhdao", agency=home_affairs, roles=[Role.LEADER]),
    }
