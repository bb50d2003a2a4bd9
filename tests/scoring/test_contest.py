"""Contests (cuộc thi "Dân vận khéo"): a panel marking blind, the combine rule and the prizes as
data, ties, the award decision and certificates read back with poppler, access and query counts."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Agency, Role
from scoring.engine.contest import AwardSpec, EntrantScore, combine_panel, rank_entrants
from scoring.models import Contest, JudgeMark, Phase
from scoring.selectors.contest import contest_results, contest_set, sheet_nodes
from scoring.services import period_finalize, period_set_phase, regulation_import_file
from scoring.services.contest import judge_marks_save
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import LIBRARY

D = Decimal
PRIZES = [AwardSpec("nhat", "Giải Nhất", 1), AwardSpec("nhi", "Giải Nhì", 1), AwardSpec("ba", "Giải Ba", 2)]


# --- the pure rules -------------------------------------------------------------------------------


def test_average_of_every_judge():
    assert combine_panel({"a": D("90"), "b": D("80"), "c": D("85.5")}, "average", 2) == (D("85.17"), ())


def test_drop_extremes_sets_aside_one_highest_and_one_lowest():
    score, dropped = combine_panel({"a": D("99"), "b": D("80"), "c": D("85"), "d": D("60")}, "drop_extremes", 2)
    assert score == D("82.50")
    assert set(dropped) == {"a", "d"}


def test_drop_extremes_with_two_judges_is_the_average():
    assert combine_panel({"a": D("90"), "b": D("80")}, "drop_extremes", 1) == (D("85.0"), ())


def _entrant(key, *totals):
    return EntrantScore(key, key, {f"j{i}": D(t) for i, t in enumerate(totals)})


def test_prizes_by_rank_with_their_counts():
    ranked = rank_entrants([_entrant(k, t) for k, t in zip("ABCDEF", (70, 95, 90, 80, 85, 60), strict=True)],
                           "average", PRIZES)  # fmt: skip
    assert [(e.key, e.rank, e.award.code if e.award else None) for e in ranked] == [
        ("B", 1, "nhat"), ("C", 2, "nhi"), ("E", 3, "ba"), ("D", 4, "ba"), ("A", 5, None), ("F", 6, None),
    ]  # fmt: skip


def test_tied_entrants_share_rank_and_prize_and_take_the_places_below():
    # B and C tie for first: both get the first prize; rank 2 is skipped, so the second prize
    # (1 place, rank 2) goes to nobody and D (rank 3) gets a third prize.
    ranked = rank_entrants([_entrant("B", 90), _entrant("C", 90), _entrant("D", 80), _entrant("E", 70),
                            _entrant("F", 60)], "average", PRIZES)  # fmt: skip
    assert [(e.key, e.rank, e.tied, e.award.code if e.award else None) for e in ranked] == [
        ("B", 1, True, "nhat"), ("C", 1, True, "nhat"), ("D", 3, False, "ba"), ("E", 4, False, "ba"),
        ("F", 5, False, None),
    ]  # fmt: skip


def test_entrant_without_a_complete_sheet_has_no_rank():
    ranked = rank_entrants([_entrant("A", 50), EntrantScore("Z", "Z", {})], "average", PRIZES)
    assert (ranked[-1].key, ranked[-1].rank, ranked[-1].award) == ("Z", None, None)


# --- a contest in the database ----------------------------------------------------------------------


@pytest.fixture
def contest(tay_ninh):
    from scoring.demo_contest import contest_open

    regulation_import_file(
        province=tay_ninh, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
    )
    organiser_agency = Agency.objects.get(code="so-noi-vu")
    judges = [UserFactory(username=f"gk{i}", agency=organiser_agency, roles=[Role.AGENCY_STAFF]) for i in (1, 2, 3)]
    c = contest_open(tay_ninh, [(u, "Thành viên") for u in judges], entrants=3)
    c.people = {
        "judges": judges,
        "reviewer": UserFactory(username="td", agency=organiser_agency, roles=[Role.REVIEWER]),
        "staff": UserFactory(username="cb", agency=c.period.dossiers.first().agency, roles=[Role.AGENCY_STAFF]),
    }
    return c


def sheet(contest, level: str) -> dict[str, str]:
    """Marks of one sheet: every criterion at full marks ("full"), or lower ("low")."""
    from scoring.engine.leaf import score_type_of

    marks = {}
    for node in sheet_nodes(contest_set(contest).spec):
        if node.kind == "bonus":
            marks[node.code] = "5" if level == "full" else "0"
        elif level == "full":
            marks[node.code] = score_type_of(node).full_marks(node)
        else:
            choices = score_type_of(node).widget(node).choices
            marks[node.code] = choices[-1][0] if choices else "5" if node.score_type == "range" else "50"
    return marks


def mark_all(contest, levels: dict[int, str]) -> None:
    """Judge i marks every entrant at levels[i]."""
    entrants = list(contest.period.dossiers.order_by("agency__code"))
    for i, judge in enumerate(contest.judges.select_related("user")):
        for dossier in entrants:
            judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks=sheet(contest, levels[i]),
                             by=judge.user)  # fmt: skip


def test_marks_are_kept_with_who_when_and_why(contest):
    judge = contest.judges.first()
    dossier = contest.period.dossiers.first()
    marks = sheet(contest, "full")
    judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks=marks, by=judge.user)
    judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks={"C": "10"}, by=judge.user,
                     reason="Đối chiếu lại biên bản")  # fmt: skip
    mark = JudgeMark.objects.get(judge=judge, dossier=dossier, criterion__code="C")
    last = mark.history.latest()
    assert (mark.raw, last.history_user_id or mark.entered_by_id, last.history_change_reason) == (
        "10",
        judge.user.pk,
        "Đối chiếu lại biên bản",
    )


def test_only_the_judge_marks_and_only_while_marking_is_open(contest):
    judge, other = contest.judges.all()[:2]
    dossier = contest.period.dossiers.first()
    with pytest.raises(ValidationError):
        judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks={"C": "10"}, by=other.user)
    period_set_phase(period=contest.period, phase=Phase.EXPLANATION, by=None)
    contest.period.refresh_from_db()
    with pytest.raises(ValidationError):
        judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks={"C": "10"}, by=judge.user)
    assert not JudgeMark.objects.exists()


def test_combine_rule_is_data_on_the_contest(contest):
    mark_all(contest, {0: "full", 1: "full", 2: "low"})
    average = contest_results(contest).rows[0].entrant
    contest.combine = Contest.Combine.DROP_EXTREMES
    contest.save()
    dropped = contest_results(contest).rows[0].entrant
    full = max(average.judge_totals.values())
    assert average.score < full
    assert dropped.score == full  # the low total (and one full one) set aside
    assert len(dropped.dropped) == 2


def test_a_judge_sees_only_own_marks_until_published(contest, client):
    judges = contest.people["judges"]
    mark_all(contest, {0: "full", 1: "low", 2: "low"})
    JudgeMark.objects.filter(judge__user=judges[1]).update(comment="BI-MAT-GK2")
    dossier = contest.period.dossiers.order_by("agency__code").first()
    client.force_login(judges[0])
    page = client.get(reverse("scoring:contest_sheet", args=[contest.pk, dossier.pk])).content.decode()
    assert "BI-MAT-GK2" not in page
    detail = client.get(reverse("scoring:contest", args=[contest.pk])).content.decode()
    assert 'id="results"' not in detail and 'id="my-sheets"' in detail
    assert client.get(reverse("reports:contest_decision_pdf", args=[contest.pk])).status_code == 403
    assert client.get(reverse("reports:contest_certificate_pdf", args=[contest.pk, dossier.pk])).status_code == 403
    period_set_phase(period=contest.period, phase=Phase.EXPLANATION, by=None)  # results published
    detail = client.get(reverse("scoring:contest", args=[contest.pk])).content.decode()
    assert 'id="results"' in detail
    assert client.get(reverse("reports:contest_decision_pdf", args=[contest.pk])).status_code == 200


def _pdftext(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_award_decision_and_certificate_read_back(contest, client, tmp_path):
    mark_all(contest, {0: "full", 1: "full", 2: "full"})
    period_set_phase(period=contest.period, phase=Phase.SETTLEMENT, by=None)
    contest.period.refresh_from_db()
    period_finalize(period=contest.period, by=contest.people["reviewer"])
    client.force_login(contest.people["reviewer"])
    response = client.get(reverse("reports:contest_decision_pdf", args=[contest.pk]))
    text = _pdftext(b"".join(response.streaming_content), tmp_path)
    for words in (
        "QUYẾT ĐỊNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 125/",
        "Về việc tặng giải Cuộc thi “Dân vận khéo” năm 2024",
        "Giải Nhất",
        "Nơi nhận:",
        "Điều 1.",
    ):
        assert words in text, words
    # All three entrants tie (full marks everywhere): all share the first prize, stated in the decision.
    results = contest_results(contest)
    assert {r.entrant.rank for r in results.rows} == {1}
    dossier = results.rows[0].dossier
    response = client.get(reverse("reports:contest_certificate_pdf", args=[contest.pk, dossier.pk]))
    text = _pdftext(b"".join(response.streaming_content), tmp_path)
    for words in ("GIẤY KHEN", "TẶNG", dossier.agency_version.name.upper(), "Giải Nhất", "100,0"):
        assert words in text.upper() if words.isupper() else words in text, words


def test_outsiders_are_refused_and_change_nothing(contest, client, tay_ninh):
    dossier = contest.period.dossiers.first()
    sheet_url = reverse("scoring:contest_sheet", args=[contest.pk, dossier.pk])
    # A judge of another contest of the province
    outsider = UserFactory(username="gk.khac", agency=Agency.objects.get(code="so-noi-vu"), roles=[Role.AGENCY_STAFF])
    client.force_login(outsider)
    assert client.get(reverse("scoring:contest", args=[contest.pk])).status_code == 404
    assert client.post(sheet_url, {"mark_C": "10"}).status_code == 404
    client.force_login(contest.people["staff"])  # an agency user: not while the results are unpublished
    assert client.get(sheet_url).status_code == 404
    assert client.post(sheet_url, {"mark_C": "10"}).status_code == 404
    client.force_login(contest.people["reviewer"])  # the organiser reads, but never marks
    assert client.get(reverse("scoring:contest", args=[contest.pk])).status_code == 200
    assert client.post(sheet_url, {"mark_C": "10"}).status_code == 403
    assert not JudgeMark.objects.exists()
    assert JudgeMark.history.count() == 0


def test_a_judge_scores_through_the_page(contest, client):
    judge = contest.people["judges"][0]
    dossier = contest.period.dossiers.first()
    client.force_login(judge)
    url = reverse("scoring:contest_sheet", args=[contest.pk, dossier.pk])
    data = {f"mark_{c}": v for c, v in sheet(contest, "full").items()}
    assert client.post(url, data).status_code == 302
    assert JudgeMark.objects.filter(judge__user=judge, dossier=dossier).count() == len(data)
    assert client.post(url, {"mark_C": "99"}).status_code == 200  # refused: above the maximum
    assert JudgeMark.objects.get(judge__user=judge, dossier=dossier, criterion__code="C").raw == "15"


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len([q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


def test_contest_pages_keep_their_query_budget(tay_ninh, client):
    from scoring.demo_contest import contest_open

    regulation_import_file(
        province=tay_ninh, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
    )
    agency = Agency.objects.get(code="so-noi-vu")
    judges = [UserFactory(username=f"gk{i}", agency=agency, roles=[Role.AGENCY_STAFF]) for i in (1, 2, 3)]
    reviewer = UserFactory(username="td", agency=agency, roles=[Role.REVIEWER])
    counts = {}
    for size, year in ((2, 2024), (6, 2025)):
        c = contest_open(tay_ninh, [(u, "") for u in judges], entrants=size, year=year)
        mark_all(c, {0: "full", 1: "low", 2: "full"})
        first = c.period.dossiers.first()
        for who, name, args in ((judges[0], "scoring:contest", [c.pk]), (reviewer, "scoring:contest", [c.pk]),
                                (judges[0], "scoring:contest_sheet", [c.pk, first.pk]),
                                (judges[0], "scoring:contest_list", [])):  # fmt: skip
            client.force_login(who)
            client.get(reverse(name, args=args))  # warm
            counts.setdefault((who.username, name), []).append(_count(client, reverse(name, args=args)))
    for key, (small, large) in counts.items():
        assert small == large <= 15, (key, small, large)


def test_demo_contest_is_finished_with_prizes(tay_ninh):
    from scoring import demo_contest

    regulation_import_file(
        province=tay_ninh, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
    )
    UserFactory(username="td.demo", agency=Agency.objects.get(code="so-noi-vu"), roles=[Role.REVIEWER])
    contest = demo_contest.load(tay_ninh, "Mat-khau-2026!")
    assert contest.period.phase == Phase.FINAL and contest.judges.count() == 3
    results = contest_results(contest)
    assert len(results.rows) == demo_contest.ENTRANTS
    assert results.awarded() and all(r.entrant.score is not None for r in results.rows)
    assert demo_contest.load(tay_ninh, "x") is None  # once
