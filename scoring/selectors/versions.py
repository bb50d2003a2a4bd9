"""What a period may move to: the newer versions of its regulation (scoring.services.versions)."""

from __future__ import annotations

from ..models import CriteriaSet, PeriodVersionChange, Regulation, ScoringPeriod


def newer_criteria_sets(period: ScoringPeriod) -> list[CriteriaSet]:
    """The criteria sets a period may move to: those of the regulations that replace its own set's
    regulation, directly or further down the chain (`replaces`: 731 → 1743 → 1563), of the same
    province and programme, newest first. Only a regulation that names the one it replaces is a new
    version of it; the province's other regulations are other schemes, not versions. Two queries
    (one when nothing replaces the period's regulation), three for a period with further sets, which
    is offered one choice per newer regulation (every set moves); `period.criteria_set.regulation`
    loaded."""
    regulations = Regulation.objects.filter(province_id=period.province_id, program=period.program)
    replaced_by: dict[str, list[Regulation]] = {}
    for regulation in regulations.only("pk", "code", "replaces_code"):
        replaced_by.setdefault(regulation.replaces_code, []).append(regulation)
    start = period.criteria_set.regulation.code
    seen, todo, found = {start}, [start], []
    while todo:
        for regulation in replaced_by.get(todo.pop(), []):
            if regulation.code not in seen:  # a loop in the chain ends here
                seen.add(regulation.code)
                found.append(regulation.pk)
                todo.append(regulation.code)
    if not found:
        return []
    sets = CriteriaSet.objects.filter(regulation_id__in=found).select_related("regulation")
    sets = list(sets.order_by("-regulation__issued_on", "regulation__code", "code"))
    if not period.further_sets.exists():
        return sets
    # Several sets move together, each to the set of its code in the newer regulation: one choice
    # per regulation, named by the set that replaces the period's main one (else its first set).
    main_code, chosen = period.criteria_set.code, {}
    for each in sets:
        current = chosen.get(each.regulation_id)
        if current is None or (each.code == main_code and current.code != main_code):
            chosen[each.regulation_id] = each
    return [each for each in sets if chosen.get(each.regulation_id) is each]


def version_changes(period: ScoringPeriod) -> list[PeriodVersionChange]:
    """The period's moves to newer versions, newest first, each with who made it (one query)."""
    return list(period.version_changes.select_related("by").order_by("-at", "-pk"))
