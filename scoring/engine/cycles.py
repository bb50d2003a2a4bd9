"""Pausing Python's cycle collector around a burst of allocation that makes no garbage cycles.

The collector runs whenever enough objects have been allocated since its last run, and each run
walks every young object again: a burst that builds hundreds of thousands of objects (a national
group's results, WeasyPrint's boxes for a 600-row annex) spends a third of its time there for
nothing to collect. Paused, whatever cycles the burst leaves are collected on the next run after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:  # a caller that turned it off keeps it off
            gc.enable()
