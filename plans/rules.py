"""Permissions of the plans app, composed from the portal's predicates."""

import rules

from portal.rules import (
    is_agency_member,
    is_co_reviewer,
    is_own_agency,
    is_portal_admin,
    is_province_reader,
    is_reviewer,
    is_same_province,
    is_steering_committee,
)


@rules.predicate
def is_plan_issued(user, obj) -> bool:
    plan = getattr(obj, "plan", None) or getattr(getattr(obj, "type", None), "plan", None) or obj
    return getattr(plan, "status", None) == "issued"


is_plan_manager = is_reviewer | is_portal_admin

# An issued plan is the province's published document: every agency, and the co-scorers who check
# its tasks against criteria, may read it; drafts stay with the planners.
rules.add_perm(
    "plans.view_plan",
    is_same_province & (is_province_reader | ((is_agency_member | is_co_reviewer) & is_plan_issued)),
)
rules.add_perm("plans.manage_plan", is_same_province & is_plan_manager)
rules.add_perm("plans.view_deliverable", (is_own_agency & is_agency_member) | (is_same_province & is_province_reader))
rules.add_perm("plans.submit_deliverable", is_own_agency & is_agency_member & is_plan_issued)
rules.add_perm("plans.review_deliverable", is_same_province & is_plan_manager)
rules.add_perm("plans.access_my_duties", is_agency_member)


# --- "Dân vận khéo" models ------------------------------------------------------------------------


def _dvk_status_is(*statuses: str) -> rules.Predicate:
    @rules.predicate(name=f"dvk_status_in_{'_'.join(statuses)}")
    def check(user, model) -> bool:
        return getattr(model, "status", None) in statuses

    return check


is_dvk_draft = _dvk_status_is("draft")
is_dvk_editable = _dvk_status_is("draft", "returned")
is_dvk_registered = _dvk_status_is("submitted", "approved")
is_dvk_awaiting_review = _dvk_status_is("submitted")
is_dvk_under_way = _dvk_status_is("approved")


@rules.predicate
def is_dvk_recognised(user, model) -> bool:
    return bool(getattr(model, "level", ""))


@rules.predicate
def is_superior_unit(user, model) -> bool:
    """The user belongs to the unit the model's unit reports to (a district for its commune)."""
    parent_id = getattr(getattr(model, "agency_version", None), "parent_id", None)
    return bool(user.agency_id) and parent_id == user.agency_id


# The unit's superior, or Sở Nội vụ (never on its own models), reviews and recognises.
is_dvk_reviewer = (is_reviewer & ~is_own_agency) | (is_superior_unit & is_agency_member)

rules.add_perm("plans.view_dvk_registry", rules.is_authenticated)
rules.add_perm("plans.register_dvk_model", is_agency_member)
rules.add_perm(
    "plans.view_dvk_model",
    is_same_province
    & (
        (is_own_agency & is_agency_member)
        | (~is_dvk_draft & (is_province_reader | (is_superior_unit & is_agency_member)))
        | is_dvk_recognised
    ),
)
rules.add_perm("plans.edit_dvk_model", is_own_agency & is_agency_member & is_dvk_editable)
rules.add_perm("plans.report_dvk_progress", is_own_agency & is_agency_member & is_dvk_registered)
rules.add_perm("plans.review_dvk_model", is_same_province & is_dvk_awaiting_review & is_dvk_reviewer)
rules.add_perm("plans.recognise_dvk_model", is_same_province & is_dvk_under_way & is_dvk_reviewer)
rules.add_perm("plans.carry_dvk_model", is_own_agency & is_agency_member & is_dvk_under_way)
rules.add_perm("plans.replicate_dvk_model", is_same_province & is_agency_member & is_dvk_recognised & ~is_own_agency)


# --- Grassroots democracy (QCDC): the units' reports as a form, exemplars ----------------------------


@rules.predicate
def is_deliverable_submitted(user, deliverable) -> bool:
    """Submitted and not returned: the unit's report is with Sở Nội vụ (and no longer editable)."""
    return bool(getattr(deliverable, "is_submitted", False))


@rules.predicate
def was_deliverable_submitted(user, deliverable) -> bool:
    """Submitted once (a returned report is still read, as it was submitted, by those who collect)."""
    return getattr(deliverable, "submitted_at", None) is not None


@rules.predicate
def is_exemplar_recognised(user, exemplar) -> bool:
    return bool(getattr(exemplar, "level", ""))


# Those who collect the reports and read the units' submitted ones: Sở Nội vụ, the leaders, the
# administrator and the steering committee of the province; never a unit's draft.
is_qcdc_collector = is_province_reader | is_steering_committee

rules.add_perm("plans.fill_qcdc_report", is_own_agency & is_agency_member & is_plan_issued & ~is_deliverable_submitted)
rules.add_perm(
    "plans.view_qcdc_report",
    (is_own_agency & is_agency_member) | (is_same_province & was_deliverable_submitted & is_qcdc_collector),
)
# Object: the plan (or anything with the province's id) of the reports.
rules.add_perm("plans.view_qcdc_collection", is_same_province & is_qcdc_collector)
# The committee's draft report: the committee, and Sở Nội vụ who drafts it for the committee.
rules.add_perm("plans.download_qcdc_summary", is_same_province & (is_steering_committee | is_plan_manager))

rules.add_perm("plans.view_exemplars", rules.is_authenticated)
rules.add_perm("plans.nominate_exemplar", is_agency_member)
rules.add_perm(
    "plans.view_exemplar",
    is_same_province & ((is_own_agency & is_agency_member) | is_qcdc_collector | is_exemplar_recognised),
)
# Recognised yearly by Sở Nội vụ.
rules.add_perm("plans.recognise_exemplar", is_same_province & is_reviewer & ~is_exemplar_recognised)
