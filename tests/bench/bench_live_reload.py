"""Benchmark (not a test): how long a content edit takes to show in an open page during `serve`.

    python3 build.py bench live-reload [--runs N]
    .venv/bin/python tests/bench/bench_live_reload.py [--runs N]

Copies the project to a temporary folder, starts the preview server there on a free port, opens
the English home page in Chromium, edits content/home.yaml and times until the page shows the
edit (builder.dev.budgets.serve_reload_seconds). Prints each run and the median; exits 1 when the
median is over the budget (3 s). The behaviour itself is tested in tests/site/test_site_serve.py.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.dev import budgets  # noqa: E402

BUDGET_SECONDS = 3.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from builder.dev.browser import launch

    times = []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            for run in range(args.runs):
                work = budgets.temp_dir("live-reload-")
                try:
                    project = budgets.project_copy(ROOT, work / "project")
                    seconds = budgets.serve_reload_seconds(project, browser, budgets.free_port())
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                times.append(seconds)
                print(f"run {run + 1}: edit shown after {seconds:.2f} s", flush=True)
        finally:
            browser.close()
    median = statistics.median(times)
    ok = median <= BUDGET_SECONDS
    print(f"median {median:.2f} s over {len(times)} runs (budget <= {BUDGET_SECONDS:g} s): {'ok' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
