"""The score-save endpoints fuzzed (hypothesis): self_cell and mark_cell POSTs with arbitrary text,
numbers, non-ASCII digits, huge strings, missing fields and wrong versions. Never a 500; a refused
save changes nothing (self-scores, marks and their history compared before and after); an accepted
one is a save of the version the request named, and only of that."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.models import AppraisalMark, CriterionScore

EXAMPLES = 60
CODES = ["1.1", "1.2", "2.2", "2.5", "5.1"]  # percentage, count, points, levels, yes/no

numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.decimals(min_value=0, max_value=100, places=2).map(lambda d: str(d).replace(".", ",")),
)
unicode_digits = st.text(st.characters(categories=["Nd"]), min_size=1, max_size=6)
huge = st.integers(3_000, 120_000).flatmap(lambda n: st.sampled_from(["9" * n, "ệ" * n, "1," + "5" * n]))
levels = st.sampled_from(["dung_han", "hieu_qua", "co_dang_ky", "khong", "true", "false", "Có", "Không", " "])
value = st.one_of(numbers, unicode_digits, st.text(max_size=200), huge, levels)
field = st.one_of(st.none(), value)  # None: the field is not sent at all
version = st.one_of(
    st.just("current"),
    st.none(),
    st.integers(-3, 10**12).map(str),
    unicode_digits,
    st.text(max_size=12),
    st.just("9" * 5000),
)
MISSING_VERSION = (
    "Giá trị này chưa được lưu: trang không cho biết bạn đang sửa phiên bản nào của ô. "
    "Hãy tải lại trang rồi lưu lại; nội dung bạn đã nhập vẫn còn trong ô."
)
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def state(dossier) -> dict:
    """Everything a cell save may touch, as rows."""
    return {
        "scores": list(CriterionScore.objects.filter(dossier=dossier).order_by("pk").values_list()),
        "marks": list(AppraisalMark.objects.filter(dossier=dossier).order_by("pk").values_list()),
        "score history": CriterionScore.history.filter(dossier_id=dossier.pk).count(),
        "mark history": AppraisalMark.history.filter(dossier_id=dossier.pk).count(),
    }


@pytest.fixture(scope="module")
def posters(world, clients):
    """Clients that answer 500 instead of raising, signed in as the agency's staff and the reviewer."""
    result = {}
    for role in ("staff", "reviewer"):
        result[role] = Client(raise_request_exception=False)
        result[role].cookies = clients[role].cookies
    return result


def _post(client, url: str, data: dict, current: int):
    sent = {k: (str(current) if v == "current" else v) for k, v in data.items() if v is not None}
    return client.post(url, sent, HTTP_HX_REQUEST="true")


def _check(response, before: dict, after: dict, key: str, current: int, sent_version) -> None:
    assert response.status_code < 500, response.content[:2000]
    if response.status_code != 200:
        assert response.status_code in (403, 409, 422), response.status_code
        assert after == before, "a refused save changed the database"
        return
    # Accepted: only with the version the page showed, and it moves on by one.
    assert sent_version in ("current", str(current)), sent_version
    changed = [row for row in after[key] if row not in before[key]]
    assert len(changed) == 1


@given(code=st.sampled_from(CODES), raw=field, note=field, why=field, v=version)
@SETTINGS
def test_self_cell_never_fails_and_a_refusal_changes_nothing(world, posters, db, code, raw, note, why, v):
    dossier = world.dossier("self", "own")
    c = world.criterion(dossier, code)
    row = CriterionScore.objects.filter(dossier=dossier, criterion=c).first()
    current = row.version if row else 0
    url = f"/cham-diem/ho-so/{dossier.pk}/tu-cham/{c.pk}/"
    with transaction.atomic():
        before = state(dossier)
        data = {f"raw_{c.pk}": raw, f"note_{c.pk}": note, f"why_{c.pk}": why, f"v_{c.pk}": v}
        response = _post(posters["staff"], url, data, current)
        after = state(dossier)
        transaction.set_rollback(True)
    _check(response, before, after, "scores", current, v)


@given(code=st.sampled_from(CODES), mark=field, comment=field, v=version)
@SETTINGS
def test_mark_cell_never_fails_and_a_refusal_changes_nothing(world, posters, db, code, mark, comment, v):
    dossier = world.dossier("appraisal", "own")
    c = world.criterion(dossier, code)
    reviewer = world.users["reviewer"]
    row = AppraisalMark.objects.filter(dossier=dossier, criterion=c, scorer_id=reviewer.agency_id).first()
    current = row.version if row else 0
    url = f"/cham-diem/ho-so/{dossier.pk}/tham-dinh/{c.pk}/"
    with transaction.atomic():
        before = state(dossier)
        data = {f"mark_{c.pk}": mark, f"comment_{c.pk}": comment, f"mv_{c.pk}": v}
        response = _post(posters["reviewer"], url, data, current)
        after = state(dossier)
        transaction.set_rollback(True)
    _check(response, before, after, "marks", current, v)


def test_a_save_without_a_version_is_refused_beside_the_cell_with_the_typed_value_kept(world, clients, db):
    dossier = world.dossier("self", "own")
    c = world.criterion(dossier, "2.2")
    before = state(dossier)
    response = clients["staff"].post(
        f"/cham-diem/ho-so/{dossier.pk}/tu-cham/{c.pk}/", {f"raw_{c.pk}": "3,5"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert MISSING_VERSION in page
    assert 'value="3,5"' in page and 'role="alert"' in page
    assert state(dossier) == before


def test_every_autosaving_row_carries_the_version_it_edits(world, clients, db):
    """Each row that posts to a cell save holds that row's version, whichever of its fields autosaves."""
    import re

    def rows(page: str):
        return re.findall(r'(<tr id="row-[^"]+" class="criterion-row.*?</tr>)', page, flags=re.S)

    dossier = world.dossier("self", "own")
    page = clients["staff"].get(f"/cham-diem/ho-so/{dossier.pk}/").content.decode()
    saving = [row for row in rows(page) if "/tu-cham/" in row]
    assert len(saving) >= 10
    for row in saving:
        cid = re.search(r"/tu-cham/(\d+)/", row).group(1)
        score = CriterionScore.objects.filter(dossier=dossier, criterion_id=cid).first()
        assert row.count(f'name="v_{cid}"') == 1, row[:300]
        assert f'name="v_{cid}" value="{score.version if score else 0}"' in row
    dossier = world.dossier("appraisal", "own")
    page = clients["reviewer"].get(f"/cham-diem/ho-so/{dossier.pk}/").content.decode()
    marking = [row for row in rows(page) if "/tham-dinh/" in row]
    assert marking
    for row in marking:
        cid = re.search(r"/tham-dinh/(\d+)/", row).group(1)
        mark = AppraisalMark.objects.filter(
            dossier=dossier, criterion_id=cid, scorer_id=world.users["reviewer"].agency_id
        ).first()
        assert f'name="mv_{cid}" value="{mark.version if mark else 0}"' in row
