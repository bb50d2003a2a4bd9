"""Grassroots democracy (QCDC) scoreboards: each scoring body scores its own population only, the
steering committee reads every QCDC result of its province and no DVCQ draft, an enterprise sees its
own dossier only, enterprises and party committees never join a DVCQ period, the committee's
deadline reminds the bodies not done and the committee hears of the results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from portal import demo
from portal.models import Notification, Program, User
from scoring import services
from scoring.models import Dossier, Phase
from scoring.selectors import criteria_set_by_code, dossier_data, may_mark
from scoring.selectors.steering import qcdc_progress
from scoring.services.committee import committee_deadline_remind, qcdc_period_dates

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library"
YEAR = 2026
FULL_MARKS = {"boolean": "true", "percent_linear": "100", "count_deduct": "0"}  # levels: the first level


def _import(province, name: str, content: bytes | None = None):
    content = content or (LIBRARY / name).read_bytes()
    return services.regulation_import_file(province=province, name=name, content=content)


@pytest.fixture
def qcdc(db):
    """The demo's people and units (portal only), the QCDC file and this year's QCDC period in
    appraisal; a DVCQ period beside it, still in self-assessment (drafts)."""
    province = demo.load()
    _import(province, "tay-ninh-qcdc-2023.yaml")
    sets = [criteria_set_by_code(province=province, code=f"tn-qcdc-2023:{c}") for c in ("01", "02", "03")]
    period = services.period_create(
        province=province,
        year=YEAR,
        program=Program.QCDC,
        criteria_set=sets[0],
        further_sets=sets[1:],
        name="Chấm điểm thi đua QCDC năm 2026",
        **qcdc_period_dates(YEAR),
    )
    period.auto_switch = False
    period.save()
    dossiers = {d.agency.code: d for d in period.dossiers.select_related("agency", "period", "group")}
    submitted = dt.datetime(YEAR, 10, 10, 9, tzinfo=dt.UTC)
    Dossier.objects.filter(period=period).exclude(agency__code="dn-xi-mang").update(
        status=Dossier.Status.SUBMITTED, submitted_at=submitted
    )
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)
    _import(province, "tay-ninh-1563-2022.yaml")
    dvcq = services.period_create(
        province=province,
        year=YEAR,
        criteria_set=criteria_set_by_code(province=province, code="tn-1563-2022"),
        name="Đánh giá DVCQ năm 2026",
        self_assessment_opens_on=dt.date(YEAR, 10, 1),
        self_assessment_due_on=dt.date(YEAR, 12, 1),
        appraisal_due_on=dt.date(YEAR, 12, 10),
        explanation_due_on=dt.date(YEAR, 12, 15),
    )
    services.period_set_phase(period=dvcq, phase=Phase.SELF_ASSESSMENT, by=None)
    users = {u.username: u for u in User.objects.filter(username__in=demo.DEMO_USERS)}
    return {"province": province, "period": period, "dvcq": dvcq, "dossiers": dossiers, "users": users}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _leaf(dossier):
    data = dossier_data(
        Dossier.objects.select_related("period", "agency", "agency_version", "group").get(pk=dossier.pk)
    )
    node = next(n for n in data.spec.walk() if n.is_leaf)
    return data, node


def test_each_scoring_body_marks_its_own_population_only(qcdc):
    users, dossiers = qcdc["users"], qcdc["dossiers"]
    cases = {  # scorer → (the population it marks, the others it does not)
        "chamdiem.ldld": ("dn-cao-su", ["so-tu-phap", "du-cong-an"]),
        "chamdiem.bdvtu": ("du-cong-an", ["so-tu-phap", "dn-cao-su"]),
        "thamdinh.noivu": ("so-tu-phap", ["dn-cao-su", "du-cong-an"]),
    }
    for username, (own, others) in cases.items():
        data, node = _leaf(dossiers[own])
        assert may_mark(data, node, users[username]), username
        for other in others:
            data, node = _leaf(dossiers[other])
            assert not may_mark(data, node, users[username]), (username, other)
    # Sở Nội vụ still reads an enterprise's dossier as the organiser; the Federation a state body's not.
    enterprise = dossiers["dn-cao-su"]
    assert client_of(users["thamdinh.noivu"]).get(reverse("scoring:dossier", args=[enterprise.pk])).status_code == 200


def test_the_labour_federation_marks_an_enterprise_and_is_refused_a_state_body(qcdc):
    users, dossiers = qcdc["users"], qcdc["dossiers"]
    federation = users["chamdiem.ldld"]
    data, node = _leaf(dossiers["dn-cao-su"])
    criterion = data.criteria[node.code]
    url = reverse("scoring:mark_cell", args=[dossiers["dn-cao-su"].pk, criterion.pk])
    response = client_of(federation).post(
        url, {f"mark_{criterion.pk}": "true", f"mv_{criterion.pk}": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert dossiers["dn-cao-su"].marks.filter(scorer__code="ldld-tinh").count() == 1
    data, node = _leaf(dossiers["so-tu-phap"])
    criterion = data.criteria[node.code]
    url = reverse("scoring:mark_cell", args=[dossiers["so-tu-phap"].pk, criterion.pk])
    response = client_of(federation).post(
        url, {f"mark_{criterion.pk}": "kip_thoi", f"mv_{criterion.pk}": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code in (403, 404)
    assert not dossiers["so-tu-phap"].marks.exists()


def test_a_scoring_body_queue_lists_its_population_only(qcdc):
    users, period = qcdc["users"], qcdc["period"]
    page = client_of(users["chamdiem.ldld"]).get(reverse("scoring:queue", args=[period.pk])).content.decode()
    assert "Công ty Cổ phần Cao su Tây Ninh" in page and "Công ty TNHH May mặc Trảng Bàng" in page
    assert "Sở Tư pháp" not in page and "Đảng ủy Công an tỉnh" not in page
    page = client_of(users["chamdiem.bdvtu"]).get(reverse("scoring:queue", args=[period.pk])).content.decode()
    assert "Đảng ủy Công an tỉnh" in page and "Đảng ủy Quân sự tỉnh" in page
    assert "Sở Tư pháp" not in page and "Công ty Cổ phần Cao su Tây Ninh" not in page
    # Sở Nội vụ, the organiser, follows every population.
    page = client_of(users["thamdinh.noivu"]).get(reverse("scoring:queue", args=[period.pk])).content.decode()
    assert "Sở Tư pháp" in page and "Công ty Cổ phần Cao su Tây Ninh" in page and "Đảng ủy Công an tỉnh" in page


def test_the_steering_committee_reads_qcdc_results_and_no_dvcq_draft(qcdc):
    users, period, dvcq, dossiers = qcdc["users"], qcdc["period"], qcdc["dvcq"], qcdc["dossiers"]
    committee = client_of(users["bcd.qcdc"])
    page = committee.get(reverse("scoring:ranking", args=[period.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Sở Tư pháp", "Công ty Cổ phần Cao su Tây Ninh", "Đảng ủy Công an tỉnh"):
        assert name in text
    # Each submitted dossier's score sheet (one not submitted is read as it stood when self-assessment
    # closed, as the province's readers read it).
    assert committee.get(reverse("scoring:dossier", args=[dossiers["dn-cao-su"].pk])).status_code == 200
    # DVCQ: neither the ranking nor a draft dossier.
    assert committee.get(reverse("scoring:ranking", args=[dvcq.pk])).status_code in (403, 404)
    draft = dvcq.dossiers.get(agency__code="so-tu-phap")
    assert committee.get(reverse("scoring:dossier", args=[draft.pk])).status_code in (403, 404)


def test_an_enterprise_sees_its_own_dossier_only(qcdc):
    users, dossiers = qcdc["users"], qcdc["dossiers"]
    enterprise = client_of(users["canbo.caosu"])
    assert enterprise.get(reverse("scoring:dossier", args=[dossiers["dn-cao-su"].pk])).status_code == 200
    for other in ("dn-mia-duong", "so-tu-phap", "du-cong-an"):
        assert enterprise.get(reverse("scoring:dossier", args=[dossiers[other].pk])).status_code in (403, 404)
    # The assessment menu takes the enterprise to its own QCDC dossier.
    response = enterprise.get(reverse("scoring:home"))
    assert response.status_code == 302 and response.url == reverse("scoring:dossier", args=[dossiers["dn-cao-su"].pk])


def test_enterprises_and_party_committees_take_no_part_in_dvcq(qcdc):
    province, dvcq = qcdc["province"], qcdc["dvcq"]
    codes = set(dvcq.dossiers.values_list("agency__code", flat=True))
    assert "so-tu-phap" in codes
    assert not {c for c in codes if c.startswith(("dn-", "du-"))} and not codes & {"ldld-tinh", "ban-dan-van-tu"}
    # Even a DVCQ set naming no group (it applies to every group) leaves them out.
    content = (LIBRARY / "tay-ninh-731-2019.yaml").read_bytes()
    content = content.replace(b"applies_to_groups: [khoi-so, khoi-dvsn, khoi-tw, khoi-huyen]", b"applies_to_groups: []")
    every = _import(province, "731.yaml", content).criteria_sets.get()
    period = services.period_create(
        province=province,
        year=2019,
        criteria_set=every,
        name="DVCQ 2019",
        self_assessment_opens_on=dt.date(2026, 10, 1),
        self_assessment_due_on=dt.date(2026, 11, 1),
        appraisal_due_on=dt.date(2026, 11, 10),
        explanation_due_on=dt.date(2026, 11, 15),
    )
    codes = set(period.dossiers.values_list("agency__code", flat=True))
    assert "xa-ben-cau" in codes and not {c for c in codes if c.startswith(("dn-", "du-"))}
    # Nor do they count on the leader's overview.
    page = client_of(qcdc["users"]["lanhdao.tinh"]).get(reverse("leader_home")).content.decode()
    assert "Sở Tư pháp" in page and "Công ty Cổ phần Cao su Tây Ninh" not in page


def test_the_committee_lands_on_its_page_with_each_population(qcdc):
    users = qcdc["users"]
    client = Client()
    client.force_login(users["bcd.qcdc"])
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("steering_home")
    page = response.content.decode()
    assert qcdc["period"].name in page
    assert 'href="/ban-chi-dao/"' in page  # the menu
    for body in ("Sở Nội vụ", "Liên đoàn Lao động tỉnh Tây Ninh", "Ban Dân vận Tỉnh ủy Tây Ninh"):
        assert body in page
    assert reverse("scoring:ranking", args=[qcdc["period"].pk]) in page
    # Nobody else's page: the Federation's scorer is refused it.
    assert client_of(users["chamdiem.ldld"]).get(reverse("steering_home")).status_code == 403


def test_progress_counts_each_scoring_body_and_the_deadline_reminds_those_not_done(qcdc):
    users, period, dossiers = qcdc["users"], qcdc["period"], qcdc["dossiers"]
    due = period.decision_due_on
    assert due == dt.date(YEAR, 11, 19)  # before 20/11
    populations = qcdc_progress(province=qcdc["province"])[0].populations
    assert [(p.total, p.submitted, p.appraised) for p in populations[1:]] == [(4, 3, 0), (4, 4, 0)]
    # A week before the deadline, every body not done hears of it, once.
    assert committee_deadline_remind(day=due - dt.timedelta(days=7)) > 0
    assert committee_deadline_remind(day=due - dt.timedelta(days=7)) == 0
    federation = Notification.objects.filter(recipient=users["chamdiem.ldld"], key__startswith="qcdc-deadline:")
    assert federation.count() == 1 and "doanh nghiệp" in federation.get().title
    # The Federation marks every criterion of its three submitted enterprises: no more reminders to it.
    for code in ("dn-cao-su", "dn-mia-duong", "dn-may-trang-bang"):
        data, _node = _leaf(dossiers[code])
        for node in data.spec.walk():
            if node.is_leaf:
                services.mark_save(
                    dossier=data.dossier,
                    criterion=data.criteria[node.code],
                    scorer=users["chamdiem.ldld"].agency,
                    raw=FULL_MARKS.get(node.score_type.value) or node.params["levels"][0]["code"],
                    by=users["chamdiem.ldld"],
                    version=0,
                )
    assert qcdc_progress(province=qcdc["province"])[0].populations[1].done
    committee_deadline_remind(day=due + dt.timedelta(days=1))  # overdue
    assert federation.count() == 1
    party = Notification.objects.filter(recipient=users["chamdiem.bdvtu"], key__startswith="qcdc-deadline:")
    assert party.count() == 2


def test_the_committee_hears_when_results_are_published_and_final(qcdc):
    users, period = qcdc["users"], qcdc["period"]
    services.period_set_phase(period=period, phase=Phase.EXPLANATION, by=None)
    notices = Notification.objects.filter(recipient=users["bcd.qcdc"])
    assert notices.count() == 1 and period.name in notices.get().title
    assert notices.get().url == reverse("scoring:ranking", args=[period.pk])
    # A DVCQ period's results are not the committee's.
    services.period_set_phase(period=qcdc["dvcq"], phase=Phase.EXPLANATION, by=None)
    assert notices.count() == 1
