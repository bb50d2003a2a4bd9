"""Every permission of the portal core, defined once as predicates (django-rules).

Views (PermissionRequiredMixin / has_perm), templates ({% has_perm %}) and the API ask these
permissions; nothing compares roles elsewhere. Later apps compose these predicates with their own
(phase open, criterion assigned, …) in their rules.py.

An "agency-owned object" is anything with `owner_agency_id` (or `agency_id`) and `province_id`:
an Agency itself, a dossier, a deliverable. Objects of another province never pass any predicate.
"""

from __future__ import annotations

import rules

from .models import Role


def owner_agency_id(obj) -> int | None:
    return getattr(obj, "owner_agency_id", None) or getattr(obj, "agency_id", None)


def role_predicate(role: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role_{role}")
    def check(user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and role in user.roles

    return check


is_agency_staff = role_predicate(Role.AGENCY_STAFF)
is_agency_head = role_predicate(Role.AGENCY_HEAD)
is_reviewer = role_predicate(Role.REVIEWER)
is_co_reviewer = role_predicate(Role.CO_REVIEWER)
is_leader = role_predicate(Role.LEADER)
is_portal_admin = role_predicate(Role.ADMIN)
is_steering_committee = role_predicate(Role.STEERING_COMMITTEE)

is_agency_member = is_agency_staff | is_agency_head


@rules.predicate
def is_same_province(user, obj) -> bool:
    if obj is None or not getattr(user, "is_authenticated", False) or user.province_id is None:
        return False
    return getattr(obj, "province_id", None) == user.province_id


@rules.predicate
def is_own_agency(user, obj) -> bool:
    if obj is None or not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return False
    return is_same_province(user, obj) and owner_agency_id(obj) == user.agency_id


is_other_agency_in_province = is_same_province & ~is_own_agency

# Province-wide readers: they see every agency's submitted work in their province.
is_province_reader = is_reviewer | is_leader | is_portal_admin

# --- Areas of the site (no object: menus and landing pages) ---------------------------------
rules.add_perm("portal.access_agency_area", is_agency_member)
rules.add_perm("portal.access_review_area", is_reviewer | is_co_reviewer)
rules.add_perm("portal.access_leader_area", is_leader | is_reviewer | is_portal_admin)
rules.add_perm("portal.access_admin_area", is_portal_admin)
# The steering committee's page (Ban Chỉ đạo QCDC): its members, and the province's administrator.
rules.add_perm("portal.access_steering_area", is_steering_committee | is_portal_admin)

# Landing pages go by the roles themselves (rules, not perms: a superuser passes every perm).
rules.add_rule("lands_on_agency_home", is_agency_member)
rules.add_rule("lands_on_review_home", is_reviewer | is_co_reviewer)
rules.add_rule("lands_on_leader_home", is_leader)
rules.add_rule("lands_on_admin_home", is_portal_admin)
rules.add_rule("lands_on_steering_home", is_steering_committee)

# --- Agency-owned work (dossiers, deliverables, evidence) ----------------------------------
can_view_agency_work = (is_own_agency & is_agency_member) | (is_same_province & is_province_reader)
rules.add_perm("portal.view_agency_work", can_view_agency_work)
rules.add_perm("portal.edit_agency_draft", is_own_agency & is_agency_member)
rules.add_perm("portal.submit_agency_work", is_own_agency & is_agency_head)
# Nobody appraises their own agency (Sở Nội vụ's own dossier is appraised by another reviewer).
rules.add_perm("portal.appraise_agency", is_other_agency_in_province & is_reviewer)
rules.add_perm("portal.coappraise_agency", is_other_agency_in_province & is_co_reviewer)

# --- Province-wide ---------------------------------------------------------------------------
rules.add_perm("portal.view_agency", is_same_province)
rules.add_perm("portal.view_province_results", is_same_province & is_province_reader)
rules.add_perm("portal.manage_province", is_same_province & is_portal_admin)
