"""Queries per page, for every page of every role, the two autosaves and the read API: the same
list on the demo-sized database and on the national one, so a count that grows with the data shows."""

from __future__ import annotations

import re
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .inproc import TRANSACTION_CONTROL, client_for, request
from .subjects import Subjects, new_raw


def _mark_form(subjects: Subjects, code: str) -> tuple[str, dict]:
    from scoring.models import AppraisalMark, Criterion

    dossier = subjects.ap_dossier
    criterion = Criterion.objects.get(criteria_set_id=subjects.ap_period.criteria_set_id, code=code)
    mark = AppraisalMark.objects.filter(dossier=dossier, criterion=criterion, scorer=subjects.reviewer.agency).first()
    cid = criterion.pk
    raw = new_raw(criterion.score_type, criterion.params, criterion.max_points, mark.raw if mark else "")
    form = {f"mark_{cid}": raw, f"comment_{cid}": "", f"mv_{cid}": str(mark.version if mark else 0)}
    return f"/cham-diem/ho-so/{dossier.pk}/tham-dinh/{cid}/", form


def page_list(subjects: Subjects) -> list[tuple[str, str, object, str, object]]:
    """(role, page, user, method, path or callable giving (path, form))."""
    from plans.models import Plan

    draft, appraised = subjects.draft_dossier, subjects.ap_dossier
    staff, head = subjects.staff_of(draft), subjects.head_of(draft)
    ap, final = subjects.ap_period, subjects.final_period
    plan = Plan.objects.get(province=ap.province, year=ap.year)
    reviewer, coreviewer, leader = subjects.reviewer, subjects.coreviewer, subjects.leader

    def autosave():
        cell = next(c for c in subjects.cells(400) if c.dossier_id == draft.pk)
        return cell.portal_path, cell.form()

    return [
        ("agency staff", "agency home", staff, "get", "/don-vi/"),
        ("agency staff", "self-assessment grid", staff, "get", f"/cham-diem/ho-so/{draft.pk}/"),
        ("agency staff", "autosave of one cell", staff, "post", autosave),
        ("agency staff", "my duties (deliverables)", staff, "get", "/ke-hoach/nhiem-vu-cua-toi/"),
        ("agency staff", "notifications", staff, "get", "/thong-bao/"),
        ("agency head", "self-assessment grid", head, "get", f"/cham-diem/ho-so/{draft.pk}/"),
        ("reviewer", "review home", reviewer, "get", "/tham-dinh/"),
        ("reviewer", "appraisal queue", reviewer, "get", f"/cham-diem/ky/{ap.pk}/tham-dinh/"),
        ("reviewer", "appraisal page", reviewer, "get", f"/cham-diem/ho-so/{appraised.pk}/"),
        ("reviewer", "autosave of one mark", reviewer, "post", lambda: _mark_form(subjects, "5.1")),
        ("reviewer", "period page", reviewer, "get", f"/cham-diem/ky/{ap.pk}/"),
        ("reviewer", "provisional ranking", reviewer, "get", f"/cham-diem/ky/{ap.pk}/xep-hang/"),
        ("reviewer", "final ranking", reviewer, "get", f"/cham-diem/ky/{final.pk}/xep-hang/"),
        ("reviewer", "plan follow-up matrix", reviewer, "get", f"/ke-hoach/{plan.pk}/theo-doi/"),
        ("co-reviewer", "appraisal queue", coreviewer, "get", f"/cham-diem/ky/{ap.pk}/tham-dinh/"),
        ("co-reviewer", "appraisal page", coreviewer, "get", f"/cham-diem/ho-so/{appraised.pk}/"),
        ("leader", "leader home", leader, "get", "/lanh-dao/"),
        ("leader", "dashboard (final year)", leader, "get", f"/bao-cao/?year={final.year}"),
        ("leader", "dashboard (provisional year)", leader, "get", f"/bao-cao/?year={ap.year}"),
        ("leader", "agency sheet (final year)", leader, "get",
         f"/bao-cao/ky/{final.pk}/don-vi/{appraised.agency.code}/"),
        ("API", "periods", reviewer, "get", "/api/v1/periods/"),
        ("API", "agencies", reviewer, "get", "/api/v1/agencies/"),
        ("API", "criteria sets", reviewer, "get", "/api/v1/criteria-sets/"),
        ("API", "ranking (provisional)", reviewer, "get", f"/api/v1/periods/{ap.pk}/ranking/"),
        ("API", "ranking (final)", reviewer, "get", f"/api/v1/periods/{final.pk}/ranking/"),
        ("API", "plan deliverables", reviewer, "get", f"/api/v1/plans/{plan.pk}/deliverables/"),
    ]  # fmt: skip


def most_repeated(captured: CaptureQueriesContext) -> str:
    """The statement sent most often with different values ("24× SELECT portal_agencyversion"):
    where a page's count comes from one query per row."""
    shapes = Counter()
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith(TRANSACTION_CONTROL):
            continue
        shape = re.sub(r"\b\d+(\.\d+)?\b", "?", re.sub(r"'(?:[^']|'')*'", "?", sql))
        shapes[shape] += 1
    if not shapes:
        return ""
    shape, count = shapes.most_common(1)[0]
    if count < 3:
        return ""
    table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', shape)
    return f"{count}× {shape.split()[0]} {table.group(1) if table else shape[:40]}"


def per_page(subjects: Subjects) -> list[dict]:
    """Each page twice (the first warms caches); the second's queries, time, status and its most
    repeated statement."""
    clients = {}
    rows = []
    for role, page, user, method, target in page_list(subjects):
        client = clients.get(user.pk) or clients.setdefault(user.pk, client_for(user))
        for _attempt in range(2):
            path, form = target() if callable(target) else (target, None)
            headers = {"HTTP_HX_REQUEST": "true"} if method == "post" else {}
            with CaptureQueriesContext(connection) as captured:
                elapsed, queries, status = request(client, method, path, form, **headers)
        rows.append({"role": role, "page": page, "queries": queries, "ms": round(elapsed * 1000, 1), "status": status,
                     "repeated": most_repeated(captured)})  # fmt: skip
    return rows
