"""The access matrix's table (tests/access/test_matrix.py reads it): every named URL with how to
build its arguments for an object of the world and what each role gets, in the order of ROLES:
anonymous, agency staff, agency head (both of agency A), reviewer, co-reviewer, leader, admin.
Objects are A's ("own"), B's ("other") or the other province's ("foreign"), in the stage (phase)
named first where it matters."""

from __future__ import annotations

from tests.access.matrix_args import (
    Entry,
    cell,
    d,
    dc,
    notification,
    page,
    period,
    post,
    report_agency,
    report_kind,
    sheet,
    split_key,
)

OK = "302 200 200 200 200 200 200"  # every signed-in role; the anonymous are sent to the login page
NONE = "302 404 404 404 404 404 404"  # nobody: like an object that does not exist
API_OK = "401 200 200 200 200 200 200"
API_NONE = "401 404 404 404 404 404 404"
PUBLIC = "200 200 200 200 200 200 200"
ALL_403 = "302 403 403 403 403 403 403"  # everyone sees it, nobody may do it


def contest(w, o, r):
    return [w.contests[o].pk]


def contest_entrant(w, o, r):
    c = w.contests[o]
    return [c.pk, c.period.dossiers.order_by("pk").first().pk]


def dvk(w, o, r):
    return [w.dvk[o].pk]


def keyed(collection: str):
    """The URL arguments of an object kept in the world's `collection` under the row's owner key."""

    def args(w, o, r):
        return [getattr(w, collection)[o].pk]

    return args


plan, report, deliverable, exemplar = keyed("plans"), keyed("reports"), keyed("deliverables"), keyed("exemplars")


REFUSALS = {401, 403, 404, 405}


MATRIX: dict[str, Entry] = {
    # --- portal --------------------------------------------------------------------------------
    "home": page({"-": "302 302 302 302 302 302 302"}),
    "agency_home": page({"-": "302 200 200 403 403 403 403"}),
    "review_home": page({"-": "302 403 403 200 200 403 403"}),
    "leader_home": page({"-": "302 403 403 200 403 200 200"}),
    "admin_home": page({"-": "302 403 403 403 403 403 200"}),
    # Ban Chỉ đạo QCDC's page: the steering committee (tests/access/test_qcdc.py) and the administrator.
    "steering_home": page({"-": "302 403 403 403 403 403 200"}),
    "agency_list": page({"-": OK}),
    "agency_detail": page({"own": OK, "other": OK, "foreign": NONE}, lambda w, o, r: [w.agencies[o].code]),
    "notification_list": page({"-": OK}),
    "notification_mark_all_read": post({"-": "302 302 302 302 302 302 302"}),
    "notification_mark_read": post(
        {"own": "302 302 302 302 302 302 302", "other": NONE, "foreign": NONE}, notification
    ),
    "preferences": page({"-": OK}),
    # --- plans ---------------------------------------------------------------------------------
    "plans:plan_list": page({"-": OK}),
    "plans:plan_detail": page(
        {"issued": OK, "draft": "302 404 404 200 404 200 200", "foreign": NONE},
        plan,
    ),
    "plans:plan_matrix": page(
        {"issued": "302 403 403 200 403 200 200", "draft": "302 404 404 200 404 200 200", "foreign": NONE},
        plan,
    ),
    "plans:plan_issue": post(
        {"issued": "302 403 403 302 403 403 302", "draft": "302 404 404 302 404 403 302", "foreign": NONE},
        plan,
    ),
    "plans:plan_copy": post(
        {"issued": "302 403 403 302 403 403 302", "draft": "302 404 404 302 404 403 302", "foreign": NONE},
        plan,
    ),
    "plans:my_duties": page({"-": "302 200 200 403 403 403 403"}),
    "plans:deliverable_detail": page(
        {"own": "302 200 200 200 404 200 200", "other": "302 404 404 200 404 200 200", "foreign": NONE},
        deliverable,
    ),
    "plans:deliverable_submit": post(
        {"own": "302 400 400 403 404 403 403", "other": "302 404 404 403 404 403 403", "foreign": NONE},
        deliverable,
    ),
    "plans:deliverable_document": page(
        {"own": "302 200 200 200 404 200 200", "other": "302 404 404 200 404 200 200", "foreign": NONE},
        deliverable,
    ),
    # "Dân vận khéo" models: a unit's drafts are its own; registered ones are read by Sở Nội vụ, the
    # leaders and the unit's superior; recognised ones by everybody of the province.
    "plans:dvk_registry": page({"-": OK}),
    "plans:dvk_create": page({"-": "302 200 200 403 403 403 403"}),
    "plans:dvk_detail": page(
        {
            "draft own": "302 200 200 404 404 404 404",
            "registered other": "302 404 404 200 404 200 200",
            "recognised other": OK,
            "foreign": NONE,
        },
        dvk,
    ),  # fmt: skip
    "plans:dvk_edit": page(
        {"draft own": "302 200 200 404 404 404 404", "recognised other": ALL_403, "foreign": NONE}, dvk
    ),
    "plans:dvk_submit": post(
        {"draft own": "302 302 302 404 404 404 404", "recognised other": ALL_403, "foreign": NONE}, dvk
    ),
    "plans:dvk_progress_add": post(
        {"under way own": "302 302 302 403 404 403 403", "recognised other": ALL_403, "foreign": NONE},
        dvk,
        lambda w, o, r: {"reported_on": "01/06/2024", "text": "Tiến độ"},
    ),
    "plans:dvk_review": post(
        {
            "registered other": "302 404 404 302 404 403 403",
            "draft own": "302 403 403 404 404 404 404",
            "foreign": NONE,
        },
        dvk,
        lambda w, o, r: {"decision": "approve"},
    ),  # fmt: skip
    "plans:dvk_recognise": post(
        {
            "under way other": "302 404 404 302 404 403 403",
            "under way own": "302 403 403 302 404 403 403",
            "foreign": NONE,
        },
        dvk,
        lambda w, o, r: {
            "level": "province",
            "decision_number": "9/QĐ",
            "decision_date": "01/06/2024",
            "issuer": "Ban Dân vận Tỉnh ủy",
        },
    ),  # fmt: skip
    "plans:dvk_carry": post(
        {"under way own": "302 302 302 403 404 403 403", "recognised other": ALL_403, "foreign": NONE}, dvk
    ),
    "plans:dvk_progress_file": page(
        {"own": "302 200 200 200 404 200 200", "other": OK, "foreign": NONE},
        lambda w, o, r: [w.dvk_progress[o].pk],
    ),
    # Grassroots democracy (QCDC) reports: a unit's draft is its own; a submitted one is read by Sở Nội
    # vụ, the leaders and the administrator (and the steering committee: tests/plans/test_qcdc_reports.py).
    "plans:qcdc_report": page(
        {
            "draft own": "302 200 200 404 404 404 404",
            "submitted other": "302 404 404 200 404 200 200",
            "foreign": NONE,
        },
        lambda w, o, r: [w.qcdc_reports[o].pk],
    ),  # fmt: skip
    "plans:qcdc_collection": page({"-": "302 403 403 200 403 200 200"}),
    # Exemplars: a unit's nominations are its own and the province readers'; recognised ones everybody's.
    "plans:exemplar_list": page({"-": OK}),
    "plans:exemplar_create": page({"-": "302 200 200 403 403 403 403"}),
    "plans:exemplar_detail": page(
        {
            "nominated own": "302 200 200 200 404 200 200",
            "nominated other": "302 404 404 200 404 200 200",
            "recognised other": OK,
            "foreign": NONE,
        },
        exemplar,
    ),  # fmt: skip
    "plans:exemplar_file": page(
        {"nominated own": "302 200 200 200 404 200 200", "recognised other": OK, "foreign": NONE},
        exemplar,
    ),
    # --- scoring -------------------------------------------------------------------------------
    "scoring:home": page({"-": "302 302 302 200 200 200 200"}),
    "scoring:period": page({"final": OK, "foreign": NONE}, period),
    # Moving a period to a newer version of its regulation: the reviewer or the province's
    # administrator, never on a final period.
    "scoring:period_version": page(
        {"appraisal": "302 403 403 200 403 403 200", "final": ALL_403, "foreign": NONE}, period
    ),
    "scoring:queue": page({"appraisal": "302 403 403 200 200 403 403", "foreign": NONE}, period),
    # The bulk reminder: the reviewer of the province, until the period is final (then redirected back
    # to the queue with the confirmation).
    "scoring:queue_remind": post(
        {"appraisal": "302 403 403 302 403 403 403", "final": "302 403 403 403 403 403 403", "foreign": NONE},
        period,
        lambda w, o, r: {"dossier": [w.dossier("appraisal", "other").pk]},
    ),
    "scoring:ranking": page({"final": OK, "appraisal": "302 403 403 200 200 200 200", "foreign": NONE}, period),
    # Contests: the organisers (reviewer, administrator) and the leader read a contest, its judges
    # (the co-reviewer sits on "own") mark it; agency users read it once the results are published.
    "scoring:contest_list": page({"-": OK}),
    # Setting contests up: their organisers (reviewer, administrator); a judge or a leader reads the
    # contest but may not change it; nobody changes a final one.
    "scoring:contest_create": page({"-": "302 403 403 200 403 403 200"}),
    "scoring:contest_edit": page(
        {"own": "302 404 404 200 403 403 200", "published": "302 403 403 200 404 403 200", "foreign": NONE},
        contest,
    ),
    "scoring:contest": page(
        {"own": "302 404 404 200 200 200 200", "published": "302 200 200 200 404 200 200", "foreign": NONE},
        contest,
    ),
    "scoring:contest_sheet": page(
        {"own": "302 404 404 403 200 403 403", "published": "302 403 403 403 404 403 403", "foreign": NONE},
        contest_entrant,
    ),
    "scoring:dossier": page(
        {
            "final own": OK,
            "final other": "302 404 404 200 200 200 200",
            "self own": "302 200 200 404 404 404 404",
            "self other": NONE,
            "foreign": NONE,
        },
        d,
    ),
    "scoring:self_cell": post(
        {
            "self own": "302 200 200 404 404 404 404",
            "self other": NONE,
            "final own": "302 403 403 403 403 403 403",
            "foreign": NONE,
        },
        dc,
        cell("raw", "v"),
    ),  # fmt: skip
    "scoring:evidence_add": post(
        {
            "self own": "302 302 302 404 404 404 404",
            "self other": NONE,
            "final own": "302 403 403 403 403 403 403",
            "foreign": NONE,
        },
        dc,
    ),  # fmt: skip
    "scoring:receipt": page(
        {"final own": OK, "final other": "302 404 404 200 200 200 200", "self own": NONE, "foreign": NONE}, d
    ),
    "scoring:na_declare": post(
        {
            "self own": "302 302 302 404 404 404 404",
            "self other": NONE,
            "final own": "302 403 403 403 403 403 403",
            "foreign": NONE,
        },
        dc,
    ),  # fmt: skip
    "scoring:na_decide": post(
        {
            "appraisal own": "302 403 403 302 403 403 403",
            "appraisal other": "302 404 404 302 403 403 403",
            "foreign": NONE,
        },
        dc,
    ),  # fmt: skip
    "scoring:submit": post({"self own": "302 403 302 404 404 404 404", "self other": NONE, "foreign": NONE}, d),
    "scoring:reopen": post(
        {
            "appraisal own": "302 403 403 302 403 403 403",
            "appraisal other": "302 404 404 302 403 403 403",
            "foreign": NONE,
        },
        d,
    ),  # fmt: skip
    "scoring:mark_cell": post(
        {
            "appraisal own 1.1": "302 403 403 200 200 403 403",
            "appraisal other 1.1": "302 404 404 200 200 403 403",
            # 2.2 is not assigned to the co-reviewer's office
            "appraisal own 2.2": "302 403 403 200 403 403 403",
            "foreign": NONE,
        },
        dc,
        cell("mark", "mv"),
    ),  # fmt: skip
    "scoring:adjustments": post(
        {
            "appraisal own": "302 403 403 302 403 403 403",
            "appraisal other": "302 404 404 302 403 403 403",
            "foreign": NONE,
        },
        d,
    ),  # fmt: skip
    "scoring:evidence_request": post(
        {
            "appraisal own": "302 403 403 302 403 403 403",
            "appraisal other": "302 404 404 302 403 403 403",
            "foreign": NONE,
        },
        dc,
    ),  # fmt: skip
    "scoring:explanation_submit": post(
        {
            "explanation own": "302 302 302 403 403 403 403",
            "explanation other": "302 404 404 403 403 403 403",
            "foreign": NONE,
        },
        dc,
    ),  # fmt: skip
    "scoring:final_change": post(
        {"final own": "302 403 403 302 403 403 403", "final other": "302 404 404 302 403 403 403", "foreign": NONE},
        dc,
    ),
    "scoring:history": page(
        {
            "final own 2.2": "302 200 200 200 404 200 200",
            "final own 1.1": OK,
            "final other 2.2": "302 404 404 200 404 200 200",
            "self other 2.2": NONE,
            "foreign": NONE,
        },
        dc,
    ),  # fmt: skip
    # The steps behind a ranked total: the dossier's detail (as its score sheet), on a ranking the
    # reader may see (an agency's own before the period is final: the ranking is not theirs yet).
    "scoring:result_steps": page(
        {
            "final own": "302 200 200 200 404 200 200",
            "final other": "302 404 404 200 404 200 200",
            "explanation own": "302 403 403 200 404 200 200",
            "self other": NONE,
            "foreign": NONE,
        },
        d,
    ),  # fmt: skip
    "scoring:excel_download": page(
        {
            "final own": "302 200 200 200 403 200 200",
            "final other": "302 404 404 200 403 200 200",
            "self other": NONE,
            "foreign": NONE,
        },
        d,
    ),  # fmt: skip
    "scoring:excel_upload": page(
        {
            "self own": "302 200 200 404 404 404 404",
            "final own": "302 403 403 403 403 403 403",
            "self other": NONE,
            "foreign": NONE,
        },
        d,
    ),  # fmt: skip
    "scoring:evidence_file": page(
        {
            "final own": "302 200 200 200 404 200 200",
            "final other": "302 404 404 200 404 200 200",
            "self other": NONE,
            "foreign": NONE,
        },
        lambda w, o, r: [w.evidence[split_key(o)[:2] if o != "foreign" else ("foreign", "foreign")].pk],
    ),  # fmt: skip
    "scoring:evidence_remove": post(
        {
            "self own": "302 302 302 404 404 404 404",
            "self other": NONE,
            "final own": "302 403 403 403 403 403 403",
            "foreign": NONE,
        },
        lambda w, o, r: [w.evidence[split_key(o)[:2] if o != "foreign" else ("foreign", "foreign")].pk],
    ),  # fmt: skip
    "scoring:explanation_decide": post(
        {"own": "302 403 403 302 403 403 403", "other": "302 404 404 302 403 403 403", "foreign": NONE},
        lambda w, o, r: [w.explanations[o].pk],
    ),
    # --- reports: the published ranking is everyone's in the province; marks and comments follow
    # the one rule (scoring.view_dossier_detail) ---------------------------------------------------
    "reports:dashboard": page({"-": "302 403 403 200 403 200 200"}),
    "reports:agency_sheet": page(
        {
            "final own": "302 200 200 200 404 200 200",
            "final other": "302 404 404 200 404 200 200",
            "appraisal own": "302 403 403 200 404 200 200",
            "foreign": NONE,
        },
        sheet,
    ),  # fmt: skip
    "reports:report_request": Entry(
        {
            "decision final": "302 302 302 302 302 302 302",
            "decision appraisal": "302 403 403 302 302 302 302",
            "scoresheet own final": "302 302 302 302 404 302 302",
            "scoresheet other final": "302 404 404 302 404 302 302",
            "decision foreign": NONE,
        },
        report_kind,
        "post",
        report_agency,
    ),  # fmt: skip
    "reports:report_list": page(
        {"final": OK, "appraisal": "302 403 403 200 200 200 200", "foreign": NONE}, period
    ),  # fmt: skip
    "reports:ranking_xlsx": page({"final": OK, "appraisal": "302 403 403 200 200 200 200", "foreign": NONE}, period),
    "reports:matrix_xlsx": page(
        {"final": "302 200 200 200 404 200 200", "appraisal": "302 403 403 200 404 200 200", "foreign": NONE},
        period,
    ),
    "reports:report_status": page(
        {
            "decision": OK,
            "sheet_own": "302 200 200 200 404 200 200",
            "sheet_other": "302 404 404 200 404 200 200",
            "foreign": NONE,
        },
        report,
    ),  # fmt: skip
    "reports:report_file": page(
        {
            "decision": OK,
            "sheet_own": "302 200 200 200 404 200 200",
            "sheet_other": "302 404 404 200 404 200 200",
            "foreign": NONE,
        },
        report,
    ),  # fmt: skip
    # A judge reads the results (and the documents) only once they are published.
    "reports:contest_decision_pdf": page(
        {"own": "302 404 404 200 403 403 200", "published": "302 200 200 200 404 200 200", "foreign": NONE},
        contest,
    ),
    "reports:contest_certificate_pdf": page(
        {"own": "302 404 404 200 403 403 200", "published": "302 200 200 200 404 200 200", "foreign": NONE},
        contest_entrant,
    ),
    # The steering committee's QCDC draft report: Sở Nội vụ (and the committee) download it; the leader
    # reads the collection but does not draft it.
    "reports:qcdc_summary": page(
        {"own": "302 404 404 200 404 403 200", "foreign": NONE}, lambda w, o, r: [w.qcdc_types[o].pk]
    ),
    "reports:receipt_pdf": page(
        {"final own": OK, "final other": "302 404 404 200 200 200 200", "self own": NONE, "foreign": NONE}, d
    ),
    "reports:report_view": page(
        {
            "decision": OK,
            "sheet_own": "302 200 200 200 404 200 200",
            "sheet_other": "302 404 404 200 404 200 200",
            "foreign": NONE,
        },
        report,
    ),  # fmt: skip
    # Only the decision and the proposal have a Word file; a score sheet's answers 404 to everyone.
    "reports:report_docx": page(
        {"decision": OK, "sheet_own": NONE, "foreign": NONE},
        report,
    ),
    # --- read API (token or session; the anonymous get 401) -----------------------------------------
    "api-schema": page({"-": API_OK}),
    "api-root": page({"-": API_OK}),
    "api-not-found": page({"-": API_NONE}, lambda w, o, r: ["khong-co/"]),
    "period-list": page({"-": API_OK}),
    "period-detail": page({"final": API_OK, "foreign": API_NONE}, period),
    "period-ranking": page({"final": API_OK, "appraisal": "401 403 403 200 200 200 200", "foreign": API_NONE}, period),
    "criteria-set-list": page({"-": API_OK}),
    "criteria-set-detail": page(
        {"final": API_OK, "foreign": API_NONE},
        lambda w, o, r: [w.periods[o].criteria_set_id],
    ),
    "agency-list": page({"-": API_OK}),
    "agency-detail": page({"own": API_OK, "other": API_OK, "foreign": API_NONE}, lambda w, o, r: [w.agencies[o].code]),
    "plan-deliverable-list": page(
        {"issued": API_OK, "draft": "401 404 404 200 404 200 200", "foreign": API_NONE},
        plan,
    ),
    "plan-deliverable-detail": page(
        {"own": "401 200 200 200 404 200 200", "other": "401 404 404 200 404 200 200", "foreign": API_NONE},
        lambda w, o, r: [w.plans["foreign" if o == "foreign" else "issued"].pk, w.deliverables[o].pk],
    ),
    # --- accounts and site-wide -------------------------------------------------------------------
    "login": page({"-": "200 302 302 302 302 302 302"}),
    "logout": page({"-": "405 405 405 405 405 405 405"}),  # POST only
    "password_change": page({"-": OK}),
    "password_change_done": page({"-": OK}),
    "password_reset": page({"-": PUBLIC}),
    "password_reset_done": page({"-": PUBLIC}),
    "password_reset_confirm": page({"-": PUBLIC}, lambda w, o, r: ["MQ", "set-password"]),
    "password_reset_complete": page({"-": PUBLIC}),
    "set_language": page({"-": "302 302 302 302 302 302 302"}),  # GET changes nothing, only redirects
    "javascript-catalog": page({"-": PUBLIC}),
}
