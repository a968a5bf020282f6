"""Benchmark (not a test): the engine's speed in CPython and inside Pyodide under Node.

    python3 build.py bench engine            (or .venv/bin/python tests/bench/bench_engine.py)
    python3 build.py bench engine --cpython  (skip Pyodide)

Prints estimates per second in CPython, and inside the staged Pyodide runtime the median time
per estimate (budget: under 0.5 ms) and per year of 50 visits (budget: under 25 ms). Both sides
run the same timing code, tests/pyodide/engine_timing.py, over the same visits.

First it prints the worst case the profile limits allow (calculator/limits.py): `check` of the
largest profile plus a year of 1,000 visits on it, time and peak memory of a fresh process.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pyodide"))

import calculator  # noqa: E402
import engine_timing  # noqa: E402
from calculator.profile_files import load_profile_file  # noqa: E402

ESTIMATE_BUDGET_MS = 0.5
YEAR_BUDGET_MS = 25.0
PROFILES = {"example": ROOT / "content" / "policies" / "example.yaml",
            "v2-city": ROOT / "tests" / "calculator" / "v2-city.yaml"}

VISITS = [
    ("example", {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "20000",
                 "out_of_catalogue": "1700", "category_b": "2000", "account_balance": "3000"}),
    ("example", {"plan": "employee-retired", "setting": "outpatient", "level": "primary", "total": "2400.50",
                 "deductible_paid_this_year": "300", "account_balance": "800"}),
    ("example", {"plan": "resident", "setting": "inpatient", "level": "secondary", "total": "160000",
                 "supplementary_base_this_year": "5000"}),
    ("example", {"plan": "employee-in-service", "setting": "pharmacy", "total": "86.40", "account_balance": "1200"}),
    ("v2-city", {"plan": "employee", "setting": "inpatient", "level": "tertiary", "total": "200000",
                 "location": "referred", "prior_admissions": 1, "top_ups_this_year": {"large-expense": {"base": "25000"}},
                 "account_balance": "500"}),
    ("v2-city", {"plan": "employee", "setting": "outpatient", "level": "community", "total": "20000",
                 "policy_range_this_year": "5000", "deductible_paid_this_year": "1800", "account_balance": "100"}),
    ("v2-city", {"plan": "resident", "setting": "inpatient", "level": "community", "total": "10000",
                 "out_of_catalogue": "1000", "account_owner": "family", "account_balance": "5000"}),
]


def year_of_50_visits() -> dict:
    """A year of a chronically ill employee: outpatient visits, pharmacy purchases, three admissions."""
    admission = {"setting": "inpatient", "level": "secondary", "total": "42000", "category_b": "5000",
                 "out_of_catalogue": "1200"}
    kinds = [{"setting": "outpatient", "level": "community", "total": "860.50"},
             {"setting": "pharmacy", "total": "126.80"},
             {"setting": "outpatient", "level": "tertiary", "total": "3400", "category_b": "600"},
             {"setting": "outpatient", "level": "primary", "total": "1500", "location": "referred"}]
    visits = []
    for i in range(50):
        month = 6 + i // 5  # five visits a month, July to April
        date = f"{2026 + month // 12}-{month % 12 + 1:02d}-{1 + (i * 6) % 28:02d}"
        visits.append({"date": date, **(admission if i in (9, 24, 41) else kinds[i % len(kinds)])})
    return {"plan": "employee", "start": {"date": "2026-07-01", "account_balance": "1500",
                                          "contribution_base": "9000"}, "visits": visits}


def pyodide_figures(inputs: dict[str, str]) -> dict | None:
    if shutil.which("node") is None:
        print("Pyodide: skipped, node is not installed")
        return None
    from builder.runtime.package import stage_runtime

    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "pyodide"
        stage_runtime(ROOT, staged)
        files = []
        for name, text in inputs.items():
            path = Path(tmp) / f"{name}.json"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        proc = subprocess.run(["node", str(ROOT / "tests" / "pyodide" / "engine_timing.mjs"), str(staged), *files],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)
    if proc.returncode != 0:
        print(f"Pyodide: the timing run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def worst_case_child() -> None:
    """Run in a fresh process: check the largest profile, settle and write out the longest year."""
    import resource
    import time

    import yaml
    sys.path.insert(0, str(ROOT / "tests"))
    from support.worst_profile import longest_year, worst_profile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "worst.yaml"
        path.write_text(yaml.safe_dump(worst_profile(), allow_unicode=True, sort_keys=False), encoding="utf-8")
        size = path.stat().st_size
        start = time.perf_counter()
        profile = load_profile_file(path)
        checked = time.perf_counter()
        year = calculator.year_or_errors(profile, longest_year())
        assert "errors" not in year, year["errors"][:3]
        text = json.dumps(year, ensure_ascii=False, indent=2)
        done = time.perf_counter()
    print(json.dumps({"profile_bytes": size, "plans": len(profile.plans), "check_s": checked - start,
                      "year_s": done - checked, "year_json_mb": len(text.encode()) / 1e6,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def worst_case() -> None:
    from calculator import limits
    proc = subprocess.run([sys.executable, __file__, "--worst-child"], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    if proc.returncode != 0:
        print(f"worst case: the run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        return
    w = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"Worst case the limits allow ({w['plans']} plans, {limits.MAX_LEVELS} levels, {limits.MAX_LAYERS} "
          f"layers of {limits.MAX_BANDS} bands, {limits.MAX_EXAMPLES} examples; {w['profile_bytes']:,} B of YAML): "
          f"check {w['check_s']:.2f} s, then a year of 1,000 visits settled and written out {w['year_s']:.2f} s "
          f"({w['year_json_mb']:.1f} MB of JSON); peak memory {w['peak_mb']:.0f} MB")


def verdict(value: float, budget: float) -> str:
    return f"within the budget of {budget:g} ms" if value < budget else f"OVER the budget of {budget:g} ms"


def main(argv: list[str]) -> int:
    if "--worst-child" in argv:
        worst_case_child()
        return 0
    worst_case()
    profiles = {pid: calculator.profile_to_dict(load_profile_file(path)) for pid, path in PROFILES.items()}
    inputs = {"profiles": json.dumps(profiles), "visits": json.dumps(VISITS),
              "year": json.dumps(["v2-city", year_of_50_visits()])}
    cpython = json.loads(engine_timing.measure(inputs["profiles"], inputs["visits"], inputs["year"]))
    print(f"CPython {sys.version.split()[0]}: {cpython['estimates_per_second']:,.0f} estimates/s "
          f"(median {cpython['estimate_median_us']:.1f} µs, p90 {cpython['estimate_p90_us']:.1f} µs per estimate "
          f"incl. to_json, {cpython['estimates']} over {len(VISITS)} v1 and v2 visits); "
          f"a year of {cpython['year_visits']} visits: median {cpython['year_median_ms']:.2f} ms, "
          f"fastest {cpython['year_min_ms']:.2f} ms")
    if "--cpython" in argv:
        return 0
    inside = pyodide_figures(inputs)
    if inside is None:
        return 1
    per_estimate_ms = inside["estimate_median_us"] / 1000
    print(f"Pyodide under Node (the shipped runtime, booted in {inside['ready_ms']:.0f} ms):")
    print(f"  per estimate: median {per_estimate_ms:.3f} ms, p90 {inside['estimate_p90_us'] / 1000:.3f} ms, "
          f"fastest {inside['estimate_min_us'] / 1000:.3f} ms "
          f"({inside['estimates']} estimates) — {verdict(per_estimate_ms, ESTIMATE_BUDGET_MS)}")
    print(f"  per year of {inside['year_visits']} visits: median {inside['year_median_ms']:.2f} ms, "
          f"p90 {inside['year_p90_ms']:.2f} ms, fastest {inside['year_min_ms']:.2f} ms ({inside['years']} years) — "
          f"{verdict(inside['year_median_ms'], YEAR_BUDGET_MS)}")
    print("(on a machine shared with other work a 20-80 ms sample is often interrupted while a 0.2 ms one is\n"
          " not: the year's median then overstates its cost, and 'fastest' is the undisturbed figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
