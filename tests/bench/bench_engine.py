"""Micro-benchmark (not a test): estimates per second of the engine in CPython.

    .venv/bin/python tests/bench/bench_engine.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import calculator  # noqa: E402
from calculator.profile_files import load_profile_file  # noqa: E402

VISITS = [
    {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "20000",
     "out_of_catalogue": "1700", "category_b": "2000", "account_balance": "3000"},
    {"plan": "employee-retired", "setting": "outpatient", "level": "primary", "total": "2400.50",
     "deductible_paid_this_year": "300", "account_balance": "800"},
    {"plan": "resident", "setting": "inpatient", "level": "secondary", "total": "160000",
     "supplementary_base_this_year": "5000"},
    {"plan": "employee-in-service", "setting": "pharmacy", "total": "86.40", "account_balance": "1200"},
]


def main() -> None:
    profile = load_profile_file(Path(__file__).resolve().parents[2] / "content" / "policies" / "example.yaml")
    for v in VISITS:  # warm-up
        calculator.estimate_or_errors(profile, v)
    rounds, per_round = 7, 2000
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(per_round):
            calculator.estimate_or_errors(profile, VISITS[i % len(VISITS)])
        rates.append(per_round / (time.perf_counter() - start))
    median = statistics.median(rates)
    print(f"CPython {sys.version.split()[0]}: {median:,.0f} estimates/s "
          f"(median of {rounds} rounds of {per_round}; {1e6 / median:.1f} µs per estimate incl. to_json)")


if __name__ == "__main__":
    main()
