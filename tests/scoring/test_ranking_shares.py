"""The ranking page's best-class share: per criteria set (each against its own bands) and per group,
as the dashboard counts per set; the combined figure across sets only where it says so."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from portal import demo_quang_binh
from portal.models import User
from scoring import demo_quang_binh as scoring_demo
from scoring.explain import fmt
from scoring.models import ProvisionalResult
from scoring.selectors import best_band_shares, ranking
from scoring.selectors.shares import ranking_shares
from tests.scoring.test_period_sets import open_period


@pytest.fixture
def quang_binh(db):
    province = demo_quang_binh.load()
    scoring_demo.load_regulation(province)
    return province


@pytest.fixture
def people(quang_binh):
    return {u.username: u for u in User.objects.filter(province=quang_binh)}


def percent(part: int, whole: int) -> str:
    return fmt((D(part * 100) / whole).quantize(D("0.01")))


def between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def two_set_period(quang_binh):
    period = open_period(quang_binh)
    stored = ProvisionalResult.objects.filter(dossier__period=period)
    stored.update(band_code="yeu")
    stored.filter(dossier__agency__code__in={"so-tu-phap", "tp-dong-hoi", "h-bo-trach"}).update(band_code="tot")
    return period


def test_the_shares_per_set_and_group_are_those_of_each_sets_bands(quang_binh):
    period = two_set_period(quang_binh)
    sections = ranking(period)
    shares = ranking_shares(period, sections)
    assert shares.several_sets
    assert [(s.criteria_set.library_code, s.in_best) for s in shares.per_set] == [
        ("qb-3140-2022:01", 1),
        ("qb-3140-2022:02", 2),
    ]
    assert shares.per_set == best_band_shares(period)  # what the dashboard counts per set
    by_group = {
        (g.section.criteria_set.library_code, g.section.group.code): (g.in_best, g.total) for g in shares.per_group
    }
    khoi_so = period.dossiers.filter(group__code="khoi-so").count()
    huyen = period.dossiers.filter(group__code="khoi-huyen").count()
    xa = period.dossiers.filter(group__code="khoi-xa").count()
    assert by_group == {
        ("qb-3140-2022:01", "khoi-so"): (1, khoi_so),
        ("qb-3140-2022:02", "khoi-huyen"): (2, huyen),
        ("qb-3140-2022:02", "khoi-xa"): (0, xa),
    }
    assert shares.combined == (D(300) / (khoi_so + huyen + xa)).quantize(D("0.01"))


def test_the_ranking_page_shows_each_sets_share_and_labels_the_combined_one(client, quang_binh, people):
    period = two_set_period(quang_binh)
    khoi_so = period.dossiers.filter(group__code="khoi-so").count()
    in_02 = period.dossiers.filter(criteria_set__code="02").count()
    huyen = period.dossiers.filter(group__code="khoi-huyen").count()
    client.force_login(people["lanhdao.quangbinh"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    set_01 = between(page, 'data-share-set="qb-3140-2022:01">', "</li>")
    assert "Bộ tiêu chí 01 — sở, ban, ngành cấp tỉnh" in set_01
    assert f"{percent(1, khoi_so)}%" in set_01 and "Tốt" in set_01
    set_02 = between(page, 'data-share-set="qb-3140-2022:02">', "</li>")
    assert "Bộ tiêu chí 02 — UBND cấp huyện, cấp xã" in set_02 and f"{percent(2, in_02)}%" in set_02
    combined = between(page, 'id="combined-share">', "</p>")
    assert f"{percent(3, khoi_so + in_02)}%" in combined
    assert combined.strip() != set_01.strip()  # its own sentence, not one set's
    group = between(page, 'data-share-group="khoi-huyen" data-share-set="qb-3140-2022:02">', "</p>")
    assert f"{percent(2, huyen)}%" in group
    # Each group's share sits in that group's section, before its table.
    section = between(page, "Khối UBND huyện, thị xã, thành phố — Bộ tiêu chí 02", "</table>")
    assert 'data-share-group="khoi-huyen"' in section and 'data-share-group="khoi-xa"' not in section


def test_a_one_set_period_shows_one_share_and_no_combined_label(client, cycle):
    period = cycle["period"]
    ProvisionalResult.objects.filter(dossier__period=period).update(band_code="tot")
    client.force_login(cycle["people"]["reviewer"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    assert "<li data-share-set" not in page  # no list per set
    assert "100%" in between(page, 'id="combined-share">', "</p>")
