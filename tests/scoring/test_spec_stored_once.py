"""A criteria set is stored once: the validated library document is its source of truth."""

from pathlib import Path

from scoring.libraryio import read_library_file
from scoring.models import CriteriaSet, Criterion
from scoring.selectors import criteria_set_spec
from scoring.selectors.regulations import forget_criteria_sets, spec_of_data

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library"


def file_specs() -> dict:
    specs = {}
    for path in LIBRARY.glob("*.yaml"):
        doc = read_library_file(path.name, path.read_bytes())
        specs.update({(doc.meta.code, spec.code): spec for spec in doc.specs})
    return specs


def test_every_imported_set_reads_back_exactly_as_its_file_states_it(demo_province):
    files = file_specs()
    stored = CriteriaSet.objects.select_related("regulation")
    assert stored.exists()
    for criteria_set in stored:
        key = (criteria_set.regulation.code, criteria_set.code)
        assert spec_of_data(criteria_set.spec_data) == files[key], key
        assert criteria_set_spec(criteria_set) == files[key], key


def test_the_engine_reads_the_document_not_the_rows(demo_province):
    # The rows are anchors for scores (and copies for the admin): editing one in place changes nothing
    # the engine computes with, so a new field of the format has one place to live (scoring/libraryio).
    criteria_set = CriteriaSet.objects.get(regulation__code="tn-731-2019")
    before = criteria_set_spec(criteria_set)
    Criterion.objects.filter(criteria_set=criteria_set, code="1.1").update(max_points=99, title="Sửa tay")
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(rounding=0, bonus_cap=50)
    forget_criteria_sets()
    after = criteria_set_spec(CriteriaSet.objects.get(pk=criteria_set.pk))
    assert after == before
    assert after.node("1.1").max_points != 99 and after.rounding == before.rounding
