"""Summaries of repeated measurements: these machines are noisy, so every number is a median or a
p95 over several alternating rounds, never one run."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile (with few samples it is the largest but one, or the largest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "median": statistics.median(samples),
        "p95": p95(samples),
        "min": min(samples),
        "max": max(samples),
    }


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def alternate(rounds: int, portal: Callable[[int], float], anchor: Callable[[int], float]) -> tuple[list, list]:
    """Runs anchor and portal in turn (the order flips each round), so drift hits both alike."""
    portal_samples, anchor_samples = [], []
    for i in range(rounds):
        pair = [(anchor, anchor_samples), (portal, portal_samples)]
        for fn, samples in pair if i % 2 == 0 else reversed(pair):
            samples.append(fn(i))
    return portal_samples, anchor_samples
