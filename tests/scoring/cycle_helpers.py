"""Steps of the cycle done through the services, for tests that start further along."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from scoring import services
from scoring.engine.leaf import score_type_of
from scoring.models import Criterion, Dossier
from scoring.selectors import criteria_set_by_code, criteria_set_spec

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library"


def full_mark(node) -> str:
    """A mark worth the criterion's maximum, as its score type says."""
    return score_type_of(node).full_marks(node)


def fill_complete(dossier: Dossier, by, marks: dict[str, str] | None = None) -> None:
    """Self-scores every criterion the agency scores (full marks unless given) with a reference as evidence."""
    marks = marks or {}
    spec = criteria_set_spec(dossier.period.criteria_set)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set=dossier.period.criteria_set)}
    for node in spec.walk():
        if not node.is_leaf or not node.self_scorable:
            continue
        score = dossier.scores.filter(criterion=criteria[node.code]).first()
        if score and score.is_automatic:
            continue
        services.self_score_save(
            dossier=dossier, criterion=criteria[node.code], by=by, raw=marks.get(node.code, full_mark(node)),
            version=score.version if score else 0,
        )  # fmt: skip
        services.evidence_add(
            dossier=dossier, criterion=criteria[node.code], by=by, doc_number="12/BC-STP",
            doc_date=dt.date(2021, 10, 1), summary=f"Báo cáo tiêu chí {node.code}",
        )  # fmt: skip


def criterion(dossier: Dossier, code: str) -> Criterion:
    return Criterion.objects.get(criteria_set=dossier.period.criteria_set, code=code)


def period_2021_on_731(province):
    """Decision 731 imported and a 2021 period whose self-assessment opened three days ago."""
    services.regulation_import_file(
        province=province, name="731.yaml", content=(LIBRARY / "tay-ninh-731-2019.yaml").read_bytes()
    )
    return period_on(province, "tn-731-2019", year=2021, agencies_as_of=dt.date(2021, 10, 30))


def period_on(province, set_code: str, *, year: int, agencies_as_of: dt.date | None = None):
    """A period on an imported criteria set whose self-assessment opened three days ago."""
    today = timezone.localdate()
    return services.period_create(
        province=province,
        year=year,
        criteria_set=criteria_set_by_code(province=province, code=set_code),
        name=f"Đánh giá năm {year}",
        self_assessment_opens_on=today - dt.timedelta(days=3),
        self_assessment_due_on=today + dt.timedelta(days=10),
        appraisal_due_on=today + dt.timedelta(days=20),
        explanation_due_on=today + dt.timedelta(days=25),
        agencies_as_of=agencies_as_of,
    )
