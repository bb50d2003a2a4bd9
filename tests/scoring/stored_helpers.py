"""The Decision 731 variant the stored-results tests run on: one more gate, on a flag the reviewer
sets (so that flags change results). Imported by the test modules that use it (autouse there)."""

import datetime as dt

import pytest

from scoring import services
from scoring.models import Phase
from tests.scoring.cycle_helpers import LIBRARY, criterion, fill_complete, period_on

G3 = "  - {code: G3, title: Không nộp hồ sơ tự chấm điểm thì không xếp loại, trigger: no_dossier, effect: not_classified}\n"
FLAG_GATE = "  - {code: G4, title: Có cán bộ bị kỷ luật thì không xếp loại, trigger: flag, target: ky_luat, effect: not_classified}\n"


@pytest.fixture(autouse=True)
def _flags_count(monkeypatch):
    """Decision 731 with one more gate, on a flag the reviewer sets (so that flags change results)."""
    from tests.scoring import cycle_helpers

    def period_2021_with_a_flag_gate(province):
        content = (LIBRARY / "tay-ninh-731-2019.yaml").read_text(encoding="utf-8")
        assert G3 in content
        services.regulation_import_file(province=province, name="731.yaml", content=content.replace(G3, G3 + FLAG_GATE).encode())  # fmt: skip
        return period_on(province, "tn-731-2019", year=2021, agencies_as_of=dt.date(2021, 10, 30))

    monkeypatch.setattr(cycle_helpers, "period_2021_on_731", period_2021_with_a_flag_gate)


def appraised_period(cycle):
    """Two submitted and appraised dossiers, the rest drafts, in appraisal."""
    period, people, dossiers = cycle["period"], cycle["people"], cycle["dossiers"]
    for code, staff, head, marks in (
        ("so-tu-phap", "staff", "head", {"2.5": "co_dang_ky"}),
        ("so-y-te", "other_staff", "other_head", {"1.1": "85"}),
    ):
        fill_complete(dossiers[code], people[staff], marks)
        services.dossier_submit(dossier=dossiers[code], by=people[head])
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn")
    services.mark_save(
        dossier=dossiers["so-tu-phap"], criterion=criterion(dossiers["so-tu-phap"], "2.2"),
        scorer=people["reviewer"].agency, raw="1", by=people["reviewer"], version=0,
    )  # fmt: skip
    return period
