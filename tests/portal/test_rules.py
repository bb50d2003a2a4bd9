"""The permission predicates as a matrix: every role × own/other/foreign agency × action."""

import pytest

from portal.models import Role
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory

OWN, OTHER, FOREIGN = "own", "other", "foreign"

# perm → role → (own agency, other agency of the province, agency of another province)
AGENCY_WORK = {
    "portal.view_agency_work": {
        Role.AGENCY_STAFF: (True, False, False),
        Role.AGENCY_HEAD: (True, False, False),
        Role.REVIEWER: (True, True, False),
        Role.CO_REVIEWER: (False, False, False),
        Role.LEADER: (True, True, False),
        Role.ADMIN: (True, True, False),
    },
    "portal.edit_agency_draft": {
        Role.AGENCY_STAFF: (True, False, False),
        Role.AGENCY_HEAD: (True, False, False),
        Role.REVIEWER: (False, False, False),
        Role.CO_REVIEWER: (False, False, False),
        Role.LEADER: (False, False, False),
        Role.ADMIN: (False, False, False),
    },
    "portal.submit_agency_work": {
        Role.AGENCY_STAFF: (False, False, False),
        Role.AGENCY_HEAD: (True, False, False),
        Role.REVIEWER: (False, False, False),
        Role.CO_REVIEWER: (False, False, False),
        Role.LEADER: (False, False, False),
        Role.ADMIN: (False, False, False),
    },
    "portal.appraise_agency": {
        Role.AGENCY_STAFF: (False, False, False),
        Role.AGENCY_HEAD: (False, False, False),
        Role.REVIEWER: (False, True, False),
        Role.CO_REVIEWER: (False, False, False),
        Role.LEADER: (False, False, False),
        Role.ADMIN: (False, False, False),
    },
    "portal.coappraise_agency": {
        Role.AGENCY_STAFF: (False, False, False),
        Role.AGENCY_HEAD: (False, False, False),
        Role.REVIEWER: (False, False, False),
        Role.CO_REVIEWER: (False, True, False),
        Role.LEADER: (False, False, False),
        Role.ADMIN: (False, False, False),
    },
}
# Province-wide permissions: own province (own and other agency alike) vs another province.
PROVINCE_WIDE = {
    "portal.view_province_results": {Role.REVIEWER, Role.LEADER, Role.ADMIN},
    "portal.manage_province": {Role.ADMIN},
    "portal.view_agency": set(Role.values),
}

MATRIX = [
    (perm, role, target, expected[i])
    for perm, by_role in AGENCY_WORK.items()
    for role, expected in by_role.items()
    for i, target in enumerate((OWN, OTHER, FOREIGN))
]


@pytest.fixture
def world(db):
    province = ProvinceFactory()
    own, other = AgencyFactory(province=province), AgencyFactory(province=province)
    foreign = AgencyFactory(province=ProvinceFactory())
    return {"agency": own, OWN: own, OTHER: other, FOREIGN: foreign}


@pytest.mark.parametrize(("perm", "role", "target", "expected"), MATRIX)
def test_agency_work_permission_matrix(world, perm, role, target, expected):
    user = UserFactory(agency=world["agency"], roles=[role])
    assert user.has_perm(perm, world[target]) is expected


@pytest.mark.parametrize("perm", sorted(PROVINCE_WIDE))
@pytest.mark.parametrize("role", Role.values)
def test_province_wide_permissions_stop_at_the_province_border(world, perm, role):
    user = UserFactory(agency=world["agency"], roles=[role])
    allowed = role in PROVINCE_WIDE[perm]
    assert user.has_perm(perm, world[OTHER]) is allowed
    assert user.has_perm(perm, world[FOREIGN]) is False


def test_combined_roles_add_up(world):
    head_and_coreviewer = UserFactory(agency=world["agency"], roles=[Role.AGENCY_HEAD, Role.CO_REVIEWER])
    assert head_and_coreviewer.has_perm("portal.submit_agency_work", world[OWN])
    assert head_and_coreviewer.has_perm("portal.coappraise_agency", world[OTHER])
    assert not head_and_coreviewer.has_perm("portal.coappraise_agency", world[OWN])


def test_user_without_role_or_inactive_gets_nothing(world):
    nobody = UserFactory(agency=world["agency"])
    inactive = UserFactory(agency=world["agency"], roles=[Role.AGENCY_STAFF], is_active=False)
    for perm in AGENCY_WORK:
        assert not nobody.has_perm(perm, world[OWN])
        assert not inactive.has_perm(perm, world[OWN])


def test_anonymous_user_gets_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    for perm in [*AGENCY_WORK, *PROVINCE_WIDE]:
        assert not AnonymousUser().has_perm(perm, world[OWN])
