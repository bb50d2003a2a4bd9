"""A plan's target is judged by one rule: the ranking page and the leader's dashboard always agree,
whatever the target's comparison (≥, >, ≤) and wherever the share falls against it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Target
from portal.models import User
from scoring.models import ScoringPeriod
from scoring.selectors import BEST_BAND_METRIC, best_band_share


def ranking_verdict(page: str) -> bool:
    box = page.split('id="target"')[1].split("</div>")[0]
    return "<strong>đạt</strong>" in box


def dashboard_verdict(page: str, title: str) -> bool:
    row = page.split(f"<td>{title}</td>")[1].split("</tr>")[0]
    assert "Chưa đo" not in row
    return ">Đạt<" in row


@pytest.mark.django_db
def test_the_ranking_page_and_the_dashboard_agree_on_every_comparison(demo_db, client):
    period = ScoringPeriod.objects.get(province__code="tay-ninh", year=2021, program="dvcq")
    target = Target.objects.get(plan__province=period.province, plan__year=2021, metric=BEST_BAND_METRIC)
    share, _label = best_band_share(period)
    client.force_login(User.objects.get(username="lanhdao.tinh"))
    seen = set()
    for comparison in Target.Comparison.values:
        for threshold in (share - 1, share, share + 1):
            Target.objects.filter(pk=target.pk).update(comparison=comparison, threshold=threshold)
            expected = {"gte": share >= threshold, "gt": share > threshold, "lte": share <= threshold}[comparison]
            ranking = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
            dashboard = client.get(reverse("reports:dashboard"), {"year": 2021}).content.decode()
            assert ranking_verdict(ranking) is expected, (comparison, threshold)
            assert dashboard_verdict(dashboard, target.title) is expected, (comparison, threshold)
            assert Target.Comparison(comparison).label in ranking.split('id="target"')[1].split("</div>")[0]
            seen.add(expected)
    assert seen == {True, False}
    assert isinstance(share, Decimal)
