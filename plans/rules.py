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
