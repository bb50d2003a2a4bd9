"""WeasyPrint and the engine run with the cycle collector paused (scoring/engine/cycles.py): it
must be running again afterwards, also after an error, and stay off for a caller that had it off."""

import gc

import pytest

from reports import weasy
from scoring.engine.cycles import cycle_collection_paused


def test_the_collector_runs_again_after_a_pdf_and_after_an_error():
    assert gc.isenabled()
    pdf = weasy.html_to_pdf("<p>Phụ lục</p>")
    assert pdf.startswith(b"%PDF") and gc.isenabled()
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_a_caller_that_had_the_collector_off_keeps_it_off():
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
