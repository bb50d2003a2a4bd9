"""Permissions of the assessment cycle, composed from the portal's predicates with phase facts.

Phase rules are predicates too, so moving a period to another phase changes who may do what
without any view changing. Objects are dossiers (owner agency + province) or periods.
"""

import rules

from portal.models import Program
from portal.rules import (
    is_agency_head,
    is_agency_member,
    is_co_reviewer,
    is_leader,
    is_own_agency,
    is_portal_admin,
    is_province_reader,
    is_reviewer,
    is_same_province,
    is_steering_committee,
)

from .phases import Permit, Phase


def _period(obj):
    return getattr(obj, "period", obj)


def phase_allows(permit: str) -> rules.Predicate:
    """The period's current phase has the switch on (the phase's entry in the period's table)."""

    @rules.predicate(name=f"phase_allows_{permit}")
    def check(user, obj) -> bool:
        return obj is not None and _period(obj).current_phase.allows(permit)

    return check


def phase_in(*phases: str) -> rules.Predicate:
    @rules.predicate(name=f"phase_in_{'_'.join(phases)}")
    def check(user, obj) -> bool:
        return obj is not None and _period(obj).phase in phases

    return check


@rules.predicate
def is_self_assessment_over(user, obj) -> bool:
    """Past every phase in which agencies fill in their dossiers."""
    if obj is None:
        return False
    period = _period(obj)
    return period.phase_table.self_assessment_over(period.phase)


# What each phase permits is data (scoring.phases): these names ask the switches, so a period with one
# more round (a second appraisal with the switches of the first) needs no change here.
is_self_assessment_open = phase_allows(Permit.AGENCIES_EDIT)
is_appraisal_open = phase_allows(Permit.REVIEWERS_MARK)
is_explanation_open = phase_allows(Permit.AGENCIES_EXPLAIN)
is_settling = phase_allows(Permit.REVIEWERS_DECIDE)
is_review_phase = phase_allows(Permit.REVIEWERS_ADJUST)
is_reopening_allowed = phase_allows(Permit.REVIEWERS_REOPEN)
is_period_final = phase_in(Phase.FINAL)
appraisal_is_published = phase_allows(Permit.RESULTS_PUBLISHED)


@rules.predicate
def is_dossier_locked(user, dossier) -> bool:
    return dossier is not None and dossier.status == "submitted"


@rules.predicate
def is_dossier_submitted_or_closed(user, dossier) -> bool:
    # Another agency's draft stays private until it is submitted or self-assessment is over.
    return dossier is not None and (dossier.submitted_at is not None or is_self_assessment_over.test(user, dossier))


is_appraiser = is_reviewer | is_co_reviewer
is_other_agency = is_same_province & ~is_own_agency


@rules.predicate
def is_qcdc_period(user, obj) -> bool:
    """The period (or the dossier's period) is one of grassroots democracy (QCDC)."""
    return obj is not None and _period(obj).program == Program.QCDC


# The steering committee (Ban Chỉ đạo QCDC) reads every grassroots-democracy result of its province:
# the rankings, and each dossier once it is submitted (or self-assessment is over) — never a DVCQ
# period's, and never a draft.
is_committee_reader = is_same_province & is_steering_committee & is_qcdc_period

rules.add_perm(
    "scoring.view_dossier",
    (is_own_agency & is_agency_member)
    | (is_other_agency & (is_appraiser | is_leader | is_portal_admin) & is_dossier_submitted_or_closed)
    | (is_own_agency & (is_reviewer | is_leader | is_portal_admin) & is_dossier_submitted_or_closed)
    | (is_committee_reader & is_dossier_submitted_or_closed),
)
rules.add_perm("scoring.edit_dossier", is_own_agency & is_agency_member & is_self_assessment_open & ~is_dossier_locked)
rules.add_perm("scoring.submit_dossier", is_own_agency & is_agency_head & is_self_assessment_open & ~is_dossier_locked)
rules.add_perm(
    "scoring.reopen_dossier",
    is_other_agency & is_reviewer & is_dossier_locked & is_reopening_allowed,
)
rules.add_perm("scoring.appraise_dossier", is_other_agency & is_appraiser & is_appraisal_open)
rules.add_perm("scoring.adjust_dossier", is_other_agency & is_reviewer & is_review_phase)
# THE rule of what may be read of an agency's dossier in detail — every criterion's marks and the
# reviewers' comments — asked by the score sheet (page, PDF request and download), the score matrix,
# the criterion history and the read API alike. The agency itself once the appraisal is published;
# province readers once the dossier is submitted (their own agency's only once published: nobody
# watches their own appraisal). Co-reviewers are not here: they see only the criteria they score,
# in the grid. Another agency's staff never: the published ranking (totals and classes) is theirs,
# the marks behind it are not.
can_read_dossier_detail = (
    (is_agency_member & is_own_agency & appraisal_is_published)
    | (
        is_province_reader
        & is_same_province
        & is_dossier_submitted_or_closed
        & (is_other_agency | appraisal_is_published)
    )
    | (is_committee_reader & is_dossier_submitted_or_closed)
)
rules.add_perm("scoring.view_dossier_detail", can_read_dossier_detail)
# The grid shows marks to those who read the detail, and to appraisers on the criteria they work on.
rules.add_perm("scoring.see_appraisal", can_read_dossier_detail | (is_other_agency & is_appraiser))
# A co-reviewer who is nothing more sees the criteria assigned to its agency only (a rule, not a
# perm: a superuser passes every perm and would see nothing).
rules.add_rule("scoring.sees_assigned_criteria_only", is_other_agency & is_co_reviewer & ~is_province_reader)
# Such a co-reviewer's queue holds the dossiers of the sets it scores only: the Labour Federation
# scores the enterprises of a QCDC period, Ban Dân vận Tỉnh ủy the party committees (no object).
rules.add_rule("scoring.queue_of_scored_sets_only", is_co_reviewer & ~is_province_reader)
rules.add_perm("scoring.explain_dossier", is_own_agency & is_agency_member & is_explanation_open)
# Evidence is added while the agency fills its dossier, and again to back an explanation.
rules.add_perm(
    "scoring.add_evidence",
    is_own_agency & is_agency_member & ((is_self_assessment_open & ~is_dossier_locked) | is_explanation_open),
)
rules.add_perm("scoring.decide_explanation", is_other_agency & is_reviewer & is_settling)
rules.add_perm("scoring.change_final", is_other_agency & is_reviewer & is_period_final)

# Periods
rules.add_perm("scoring.view_period", is_same_province)
can_manage_period = is_same_province & (is_reviewer | is_portal_admin)
rules.add_perm("scoring.manage_period", can_manage_period)  # also who moves its phase
# Moving a period to a newer version of its regulation: never once it is final (its results stand).
rules.add_perm("scoring.change_period_version", can_manage_period & ~is_period_final)
rules.add_perm("scoring.view_queue", is_same_province & is_appraiser)
# Reminding agencies from the queue is the reviewer's (Sở Nội vụ), until the period is final.
rules.add_perm("scoring.remind_agencies", is_same_province & is_reviewer & ~is_period_final)
rules.add_perm(
    "scoring.view_ranking",
    (is_same_province & (is_reviewer | is_co_reviewer | is_leader | is_portal_admin))
    | (is_same_province & is_agency_member & is_period_final)
    | is_committee_reader,
)
rules.add_perm("scoring.access_assessment", is_agency_member | is_appraiser | is_leader | is_portal_admin)

# Contests (cuộc thi, scoring.models.contest): objects are contests. A judge scores every entrant
# alone while the period lets appraisers mark, and sees nobody else's marks until the results are
# published (the period's switch); the organisers (Sở Nội vụ, the administrator) follow the marks
# all along — unless they sit on the panel themselves: then they are judges like the others.


@rules.predicate
def is_contest_judge(user, contest) -> bool:
    return contest is not None and contest.judge_for(user) is not None


is_contest_organiser = is_reviewer | is_portal_admin
rules.add_perm(
    "scoring.view_contest",
    is_same_province
    & (is_contest_judge | is_contest_organiser | is_leader | (is_agency_member & appraisal_is_published)),
)
rules.add_perm("scoring.judge_contest", is_same_province & is_contest_judge)
rules.add_perm("scoring.mark_contest", is_same_province & is_contest_judge & is_appraisal_open)
rules.add_perm(
    "scoring.view_contest_results",
    is_same_province
    & (
        (appraisal_is_published & (is_contest_judge | is_province_reader | is_agency_member))
        | (is_contest_organiser & ~is_contest_judge)
    ),
)
# Setting a contest up in the browser (name, year, sets, rule, prizes, entrants, panel): its
# organisers, until the period is final (its results stand). Creating one asks no object.
rules.add_perm("scoring.add_contest", is_contest_organiser)
rules.add_perm("scoring.manage_contest", is_same_province & is_contest_organiser & ~is_period_final)
