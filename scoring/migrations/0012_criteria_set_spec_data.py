"""Criteria sets keep their validated library document (spec_data) as their source of truth.

Sets imported before this migration are written out from their rows once, the way the selectors
read them until now (the rows were then the only copy)."""

from collections import defaultdict

import django.core.serializers.json
from django.db import migrations, models


def _spec_from_rows(CriteriaSet, Criterion, criteria_set):
    from scoring.engine import score_types
    from scoring.engine.types import (
        BandSpec,
        CeilingAt,
        CombineRule,
        CriteriaSetSpec,
        CriterionSpec,
        GateEffect,
        GateSpec,
        GateTrigger,
        NAPolicy,
        NodeKind,
        PenaltyMeasure,
        QuotaSpec,
        RoundAt,
        Scorers,
        UnclassifiedRank,
    )

    rows = list(Criterion.objects.filter(criteria_set=criteria_set).prefetch_related("scorers__agency"))
    children = defaultdict(list)
    for row in rows:  # the model's ordering, as the selectors read them
        children[row.parent_id].append(row)

    def build(row):
        scorers = None
        if row.combine_rule:
            marks = list(row.scorers.all())
            scorers = Scorers(
                primary=next((s.agency.code for s in marks if s.is_primary), None),
                co=tuple(s.agency.code for s in marks if not s.is_primary),
                combine=CombineRule(row.combine_rule),
            )
        return CriterionSpec(
            code=row.code,
            title=row.title,
            kind=NodeKind(row.kind),
            max_points=row.max_points,
            score_type=score_types.code_of(row.score_type),
            params=row.params,
            children=tuple(build(child) for child in children[row.pk]),
            guidance=row.guidance,
            evidence_hint=row.evidence_hint,
            self_scorable=row.self_scorable,
            na_policy=NAPolicy(row.na_policy),
            applies_to_groups=tuple(row.applies_to_groups),
            scorers=scorers,
        )

    top = [build(row) for row in children[None]]
    return CriteriaSetSpec(
        code=criteria_set.code,
        name=criteria_set.name,
        max_total=criteria_set.max_total,
        criteria=tuple(n for n in top if n.kind in (NodeKind.GROUP, NodeKind.ITEM)),
        bonus=tuple(n for n in top if n.kind is NodeKind.BONUS),
        penalties=tuple(n for n in top if n.kind is NodeKind.PENALTY),
        bands=tuple(BandSpec(b.code, b.label, b.min_points, b.max_points, b.order) for b in criteria_set.bands.all()),
        gates=tuple(
            GateSpec(g.code, g.title, GateTrigger(g.trigger), GateEffect(g.effect), g.target, g.band_code)
            for g in criteria_set.gates.all()
        ),
        quotas=tuple(QuotaSpec(q.band_code, q.max_percent) for q in criteria_set.quotas.all()),
        bonus_cap=criteria_set.bonus_cap,
        penalty_cap=criteria_set.penalty_cap,
        rescale_to=criteria_set.rescale_to,
        ceiling=criteria_set.ceiling,
        rounding=criteria_set.rounding,
        applies_to_groups=tuple(criteria_set.applies_to_groups),
        fallback_to_self=criteria_set.fallback_to_self,
        round_at=RoundAt(criteria_set.round_at),
        ceiling_at=CeilingAt(criteria_set.ceiling_at),
        combine=CombineRule(criteria_set.combine_rule),
        tie_break_penalties=PenaltyMeasure(criteria_set.tie_break_penalties),
        unclassified_rank=UnclassifiedRank(criteria_set.unclassified_rank),
        show_unclassified_total=criteria_set.show_unclassified_total,
    )


def write_spec_data(apps, schema_editor):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from scoring.libraryio import RegulationDoc, RegulationMeta
    from scoring.libraryio.document import document_to_data

    CriteriaSet = apps.get_model("scoring", "CriteriaSet")
    Criterion = apps.get_model("scoring", "Criterion")
    for criteria_set in CriteriaSet.objects.select_related("regulation").filter(spec_data__isnull=True):
        r = criteria_set.regulation
        meta = RegulationMeta(
            code=r.code, program=r.program, so_ky_hieu=r.so_ky_hieu, title=r.title, issuer=r.issuer,
            issued_on=r.issued_on, alt_so_ky_hieu=tuple(r.alt_so_ky_hieu), signer=r.signer,
            effective_from=r.effective_from, effective_to=r.effective_to, replaces=r.replaces_code or None,
            source_url=r.source_url, is_reconstruction=r.is_reconstruction, note=r.note,
        )  # fmt: skip
        spec = _spec_from_rows(CriteriaSet, Criterion, criteria_set)
        data = document_to_data(RegulationDoc(meta=meta, specs=(spec,)))
        criteria_set.spec_data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        criteria_set.save(update_fields=["spec_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0011_contest"),
    ]

    operations = [
        migrations.AddField(
            model_name="criteriaset",
            name="spec_data",
            field=models.JSONField(
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="criteria set as the library file states it",
            ),
        ),
        migrations.RunPython(write_spec_data, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="criteriaset",
            name="spec_data",
            field=models.JSONField(
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="criteria set as the library file states it",
            ),
        ),
    ]
