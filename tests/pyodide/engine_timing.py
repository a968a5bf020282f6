"""How long the engine takes: one estimate, and one year of visits.

The same function measures CPython (tests/bench/bench_engine.py imports it) and Pyodide
(tests/pyodide/engine_timing.mjs runs this file inside the staged runtime), so both
figures come from identical code. Inputs are JSON text, as the browser worker hands them over.
"""
from __future__ import annotations

import json
import time

import calculator


def _percentiles(samples: list[int]) -> tuple[float, float, float]:
    """(minimum, median, 90th percentile). On a shared machine a long sample is more often
    interrupted by other work than a short one, so the minimum shows the undisturbed cost."""
    samples = sorted(samples)
    return samples[0], samples[len(samples) // 2], samples[int(len(samples) * 0.9)]


def measure(profiles_json: str, visits_json: str, year_json: str, estimates: int = 2000, years: int = 60) -> str:
    """Minimum, median and 90th percentile per estimate (µs) and per year (ms), after warm-up; JSON text."""
    profiles = {pid: calculator.load_profile(data) for pid, data in json.loads(profiles_json).items()}
    visits = [(profiles[pid], visit) for pid, visit in json.loads(visits_json)]
    year_profile, year = json.loads(year_json)
    year_profile = profiles[year_profile]
    for profile, visit in visits * 50:  # warm-up
        assert "errors" not in calculator.estimate_or_errors(profile, visit)
    per_estimate = []
    for i in range(estimates):
        profile, visit = visits[i % len(visits)]
        t = time.perf_counter_ns()
        calculator.estimate_or_errors(profile, visit)
        per_estimate.append(time.perf_counter_ns() - t)
    assert "errors" not in calculator.year_or_errors(year_profile, year)
    per_year = []
    for _ in range(years):
        t = time.perf_counter_ns()
        calculator.year_or_errors(year_profile, year)
        per_year.append(time.perf_counter_ns() - t)
    est_min, est_median, est_p90 = _percentiles(per_estimate)
    year_min, year_median, year_p90 = _percentiles(per_year)
    return json.dumps({
        "estimate_min_us": est_min / 1e3, "estimate_median_us": est_median / 1e3, "estimate_p90_us": est_p90 / 1e3, "estimates": estimates,
        "estimates_per_second": 1e9 * estimates / sum(per_estimate),
        "year_visits": len(year["visits"]), "year_min_ms": year_min / 1e6, "year_median_ms": year_median / 1e6, "year_p90_ms": year_p90 / 1e6,
        "years": years,
    })
