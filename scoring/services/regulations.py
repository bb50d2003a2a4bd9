"""State changes of the scoring app."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Agency, Province, User

from ..engine.types import CriteriaSetSpec, CriterionSpec
from ..libraryio import LibraryError, LibraryErrors, Location, RegulationDoc, read_library_file
from ..models import ClassBand, CriteriaSet, Criterion, CriterionScorer, GateRule, QuotaRule, Regulation
from ..selectors.regulations import criteria_set_data_of, forget_criteria_sets


def regulation_import_file(
    *, province: Province, name: str, content: bytes, by: User | None = None, replace: bool = False
) -> Regulation:
    """Validates a library file (YAML or .xlsx) and loads it; on any error nothing is written.

    Raises LibraryErrors listing every problem with its line or cell.
    """
    known = set(Agency.objects.filter(province=province).values_list("code", flat=True))
    doc = read_library_file(name, content, known_agencies=known)
    return regulation_import(
        province=province, doc=doc, by=by, replace=replace, sha256=hashlib.sha256(content).hexdigest()
    )


@transaction.atomic
def regulation_import(
    *, province: Province, doc: RegulationDoc, by: User | None = None, replace: bool = False, sha256: str = ""
) -> Regulation:
    """Creates the regulation and each of its criteria sets with their criteria, scorers, bands,
    gates and quotas."""
    meta = doc.meta
    existing = Regulation.objects.filter(province=province, code=meta.code).first()
    if existing is not None:
        if not replace:
            raise LibraryErrors(
                [
                    LibraryError(
                        Location(),
                        _("Regulation “%(code)s” is already loaded; use replace to load it again.")
                        % {"code": meta.code},
                    )
                ]
            )
        in_use = [cs for cs in existing.criteria_sets.all() if criteria_set_is_pinned(cs)]
        if in_use:
            raise LibraryErrors(
                [
                    LibraryError(
                        Location(),
                        _(
                            "Regulation “%(code)s” is used by a scoring period and cannot be replaced; load it as a new version with another code."
                        )
                        % {"code": meta.code},
                    )
                ]
            )
        existing.delete()
    regulation = Regulation.objects.create(
        province=province,
        code=meta.code,
        program=meta.program,
        so_ky_hieu=meta.so_ky_hieu,
        alt_so_ky_hieu=list(meta.alt_so_ky_hieu),
        title=meta.title,
        issuer=meta.issuer,
        signer=meta.signer,
        issued_on=meta.issued_on,
        effective_from=meta.effective_from,
        effective_to=meta.effective_to,
        replaces_code=meta.replaces,
        source_url=meta.source_url,
        is_reconstruction=meta.is_reconstruction,
        note=meta.note,
        source_sha256=sha256,
        imported_by=by,
    )
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    for spec in doc.specs:
        _save_criteria_set(regulation, spec, agencies)
    forget_criteria_sets()  # the rows above were bulk-created: no signal told the memory of sets
    return regulation


def _save_criteria_set(regulation: Regulation, spec: CriteriaSetSpec, agencies: dict[str, Agency]) -> CriteriaSet:
    """One criteria set of the regulation with its criteria, scorers, classes, gates and quotas."""
    criteria_set = CriteriaSet.objects.create(
        regulation=regulation,
        code=spec.code,
        name=spec.name,
        applies_to_groups=list(spec.applies_to_groups),
        max_total=spec.max_total,
        rescale_to=spec.rescale_to,
        ceiling=spec.ceiling,
        bonus_cap=spec.bonus_cap,
        penalty_cap=spec.penalty_cap,
        rounding=spec.rounding,
        fallback_to_self=spec.fallback_to_self,
        round_at=spec.round_at.value,
        ceiling_at=spec.ceiling_at.value,
        combine_rule=spec.combine.value,
        tie_break_penalties=spec.tie_break_penalties.value,
        unclassified_rank=spec.unclassified_rank.value,
        show_unclassified_total=spec.show_unclassified_total,
        spec_data=criteria_set_data_of(regulation, spec),
    )
    counter = iter(range(1, 100_000))
    for node in (*spec.criteria, *spec.bonus, *spec.penalties):
        _save_criterion(criteria_set, node, None, counter, agencies)
    ClassBand.objects.bulk_create(
        ClassBand(
            criteria_set=criteria_set,
            code=b.code,
            label=b.label,
            min_points=b.min_points,
            max_points=b.max_points,
            order=b.order,
        )
        for b in spec.bands
    )
    GateRule.objects.bulk_create(
        GateRule(
            criteria_set=criteria_set,
            code=g.code,
            title=g.title,
            trigger=g.trigger.value,
            target=g.target,
            effect=g.effect.value,
            band_code=g.band,
            order=i,
        )
        for i, g in enumerate(spec.gates)
    )
    QuotaRule.objects.bulk_create(
        QuotaRule(criteria_set=criteria_set, band_code=q.band, max_percent=q.max_percent) for q in spec.quotas
    )
    return criteria_set


def _save_criterion(criteria_set, node: CriterionSpec, parent, counter, agencies: dict[str, Agency]) -> None:
    criterion = Criterion.objects.create(
        criteria_set=criteria_set,
        parent=parent,
        code=node.code,
        order=next(counter),
        title=node.title,
        guidance=node.guidance,
        evidence_hint=node.evidence_hint,
        kind=node.kind.value,
        score_type=str(node.score_type),
        max_points=node.max_points,
        params=node.params,
        self_scorable=node.self_scorable,
        na_policy=node.na_policy.value,
        applies_to_groups=list(node.applies_to_groups),
        combine_rule=node.scorers.combine.value if node.scorers else "",
    )
    if node.scorers:
        CriterionScorer.objects.bulk_create(
            CriterionScorer(
                criterion=criterion, agency=agencies[code], is_primary=(i == 0 and bool(node.scorers.primary)), order=i
            )
            for i, code in enumerate(node.scorers.all)
        )
    for child in node.children:
        _save_criterion(criteria_set, child, criterion, counter, agencies)


def criteria_set_is_pinned(criteria_set: CriteriaSet) -> bool:
    """True once a scoring period uses the set: from then on its numbers never change in place."""
    if criteria_set.pk is None:
        return False
    return criteria_set.periods.exists() or criteria_set.further_periods.exists()
