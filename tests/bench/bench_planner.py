"""Benchmark (not a test): how long "my year" takes to re-settle a year of visits in the page.

    .venv/bin/python tests/bench/bench_planner.py [--site site] [--visits 50] [--runs 15]

Opens the built planner (site/planner.html) at 360x740 in headless Chromium, imports a year of
--visits visits (the example profile, mixed settings and levels, spread over the year), then
changes the start balance --runs times. Each change re-settles the whole year through the worker
(calculator.jsonapi.year) and redraws every visit; the page records the time from the change to
the redrawn year in #planner-app[data-settle-ms]. Prints the median and the slowest; the budget is
100 ms for 50 visits. The machine's load average is printed: other work on it shows in the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.dev.browser import launch  # noqa: E402
from builder.dev.static_server import StaticServer  # noqa: E402

BUDGET_MS = 100.0


def a_year(n: int) -> dict:
    settings = [("outpatient", "primary", "260"), ("pharmacy", None, "88.50"), ("outpatient", "tertiary", "1450"),
                ("inpatient", "secondary", "23000"), ("outpatient", "secondary", "610.20")]
    visits = []
    for i in range(n):
        setting, level, total = settings[i % len(settings)]
        visit = {"date": f"2026-{1 + (i * 12) // n:02d}-{1 + (i * 7) % 28:02d}", "setting": setting, "total": total}
        if level:
            visit["level"] = level
        visits.append(visit)
    return {"profile": "example", "plan": "employee-in-service",
            "start": {"date": "2026-01-01", "account_balance": "2000", "contribution_base": "8000"}, "visits": visits}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=str(ROOT / "site"))
    ap.add_argument("--visits", type=int, default=50)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    site = Path(args.site)
    if not (site / "planner.html").is_file():
        print(f"no planner page in {site}: run `python3 build.py` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    server = StaticServer(site)
    url = server.start() + "planner.html"
    times = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        year_file = Path(tmp) / "year.json"
        year_file.write_text(json.dumps(a_year(args.visits)), encoding="utf-8")
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(url)
        page.wait_for_selector("#planner-app[data-ready='true']", state="attached", timeout=120_000)
        page.set_input_files("input[name=year-import]", str(year_file))
        page.wait_for_selector(f"[data-visit='{args.visits - 1}']", state="attached")
        for run in range(args.runs):
            page.evaluate("document.getElementById('planner-app').removeAttribute('data-settle-ms')")
            page.fill("[name='start.account_balance']", str(2000 + run))
            page.wait_for_selector("#planner-app[data-settle-ms]", state="attached")
            times.append(float(page.get_attribute("#planner-app", "data-settle-ms")))
        shown = page.locator("[data-visit]").count()
        browser.close()
    server.stop()
    median = statistics.median(times)
    print(f"planner: re-settle a year of {shown} visits in the page (change -> worker -> redrawn), {args.runs} runs")
    print(f"  median {median:.1f} ms, slowest {max(times):.1f} ms, fastest {min(times):.1f} ms "
          f"(budget {BUDGET_MS:.0f} ms: {'within' if median < BUDGET_MS else 'OVER'}); "
          f"load average {os.getloadavg()[0]:.2f}")
    return 0 if median < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
