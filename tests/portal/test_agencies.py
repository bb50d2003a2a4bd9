"""Agencies versioned by date, lineage, and the directory pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import selectors, services
from portal.models import Agency, AgencyLineage, AgencyVersion, LineageKind, Role
from tests.factories import AgencyFactory, AgencyVersionFactory, ProvinceFactory, UserFactory

D2021 = dt.date(2021, 6, 30)
D2026 = dt.date(2026, 1, 15)


def test_demo_agency_names_differ_between_2021_and_2026(demo_core):
    hoa_thanh = Agency.objects.get(code="hoa-thanh")
    assert selectors.agency_name_on(agency=hoa_thanh, day=dt.date(2019, 6, 1)) == "Ủy ban nhân dân huyện Hòa Thành"
    assert selectors.agency_name_on(agency=hoa_thanh, day=D2021) == "Ủy ban nhân dân thị xã Hòa Thành"
    # The district level ended on 1/7/2025.
    assert selectors.agency_name_on(agency=hoa_thanh, day=D2026) is None
    ethnic = Agency.objects.get(code="ban-dan-toc")
    assert selectors.agency_name_on(agency=ethnic, day=D2021) == "Ban Dân tộc"
    assert selectors.agency_name_on(agency=ethnic, day=D2026) == "Sở Dân tộc và Tôn giáo"


def test_demo_groups_in_2021_and_2026(demo_core):
    in_2021 = {g.code: len(v) for g, v in selectors.agency_versions_by_group(province=demo_core, day=D2021)}
    in_2026 = {g.code: len(v) for g, v in selectors.agency_versions_by_group(province=demo_core, day=D2026)}
    assert in_2021["khoi-huyen"] == 9
    assert "khoi-huyen" not in in_2026
    assert in_2021["khoi-xa"] == 12
    assert in_2026["khoi-xa"] == 4
    # 1/3/2025: four departments absorbed, two merged into a new one — five fewer bodies.
    assert in_2021["khoi-so"] - in_2026["khoi-so"] == 5


def test_merged_department_rolls_up_its_predecessors(demo_core):
    home_affairs = Agency.objects.get(code="so-noi-vu")
    codes = set(
        Agency.objects.filter(pk__in=selectors.lineage_ancestor_agencies(agency=home_affairs)).values_list(
            "code", flat=True
        )
    )
    assert codes == {"so-noi-vu", "so-ldtbxh", "la-so-noi-vu"}
    labour = Agency.objects.get(code="so-ldtbxh")
    assert selectors.lineage_current_agency(agency=labour, day=D2021) == labour
    assert selectors.lineage_current_agency(agency=labour, day=D2026) == home_affairs


def test_demo_load_is_idempotent(demo_core):
    from portal import demo

    counts = (Agency.objects.count(), AgencyVersion.objects.count(), AgencyLineage.objects.count())
    demo.load()
    assert (Agency.objects.count(), AgencyVersion.objects.count(), AgencyLineage.objects.count()) == counts


def test_version_on_picks_the_version_valid_that_day(db):
    agency = AgencyFactory(version=False)
    AgencyVersionFactory(agency=agency, name="Tên cũ", valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2020, 1, 31))
    AgencyVersionFactory(agency=agency, name="Tên mới", valid_from=dt.date(2020, 2, 1))
    assert agency.version_on(dt.date(2020, 1, 31)).name == "Tên cũ"
    assert agency.version_on(dt.date(2020, 2, 1)).name == "Tên mới"
    assert agency.version_on(dt.date(2018, 12, 31)) is None


def test_overlapping_versions_are_refused_in_vietnamese(db):
    agency = AgencyFactory(version=False)
    AgencyVersionFactory(agency=agency, valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2021, 12, 31))
    overlapping = AgencyVersion(agency=agency, name="X", kind="so", valid_from=dt.date(2021, 6, 1))
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "trùng" in str(error.value)


def test_rename_service_closes_the_old_version_and_links_them(db):
    agency = AgencyFactory(version=False)
    AgencyVersionFactory(agency=agency, name="Huyện A", kind="ubnd_huyen")
    new = services.agency_version_close_and_open(
        agency=agency, on=dt.date(2020, 2, 1), legal_basis="NQ 867/NQ-UBTVQH14", name="Thị xã A"
    )
    old = agency.versions.get(valid_from=dt.date(2019, 1, 1))
    assert old.valid_to == dt.date(2020, 1, 31)
    assert new.kind == "ubnd_huyen"
    link = AgencyLineage.objects.get()
    assert (link.kind, link.predecessor, link.successor) == (LineageKind.RENAME, old, new)


def test_agency_directory_shows_names_as_of_the_chosen_date(client, demo_core):
    user = UserFactory(agency=Agency.objects.get(code="so-tu-phap"), roles=[Role.AGENCY_STAFF])
    client.force_login(user)
    page_2021 = client.get(reverse("agency_list"), {"on": "30/06/2021"}).content.decode()
    page_2026 = client.get(reverse("agency_list"), {"on": "15/01/2026"}).content.decode()
    assert "Ủy ban nhân dân thị xã Hòa Thành" in page_2021
    assert "Ủy ban nhân dân thị xã Hòa Thành" not in page_2026
    assert "Sở Nông nghiệp và Môi trường" in page_2026


def test_agency_directory_rejects_a_bad_date_in_vietnamese_and_keeps_it(client, demo_core):
    client.force_login(UserFactory(agency=Agency.objects.get(code="so-tu-phap"), roles=[Role.AGENCY_STAFF]))
    page = client.get(reverse("agency_list"), {"on": "31/02/2021"}).content.decode()
    assert "Nhập một ngày hợp lệ" in page
    assert 'value="31/02/2021"' in page


def test_agency_of_another_province_answers_404(client, db):
    mine, theirs = ProvinceFactory(), ProvinceFactory()
    client.force_login(UserFactory(agency=AgencyFactory(province=mine), roles=[Role.REVIEWER]))
    foreign = AgencyFactory(province=theirs)
    assert client.get(reverse("agency_detail", args=[foreign.code])).status_code == 404


def test_agency_detail_shows_lineage(client, demo_core):
    client.force_login(UserFactory(agency=Agency.objects.get(code="so-noi-vu"), roles=[Role.REVIEWER]))
    page = client.get(reverse("agency_detail", args=["so-noi-vu"])).content.decode()
    assert "Sở Lao động - Thương binh và Xã hội" in page
    assert "Sáp nhập" in page
