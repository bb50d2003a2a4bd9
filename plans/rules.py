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
