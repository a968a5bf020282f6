"""Benchmark (not a test): the site's budgets. Prints a table; exits 1 when a budget is broken.

    python3 build.py bench budgets [--quick] [--site site]
    .venv/bin/python tests/bench/bench_budgets.py [--quick]

- guide page first load (HTML + CSS + JS, gzip -9 and brotli): the heaviest guide page, within
  10% of Material's default page (`mkdocs new` with theme material, font: false, built here now);
- calculator runtime first-use transfer (brotli): every file under assets/pyodide/ the calculator
  page fetches until performance.mark('calculator-ready'), measured in Chromium: at most 4.1 MB;
- full build of both languages, in a temporary copy of the project, with 0, 10, 100 and 1,000
  generated regional policy profiles: seconds, and growth about linear (the time per added
  profile at 1,000 at most twice that at 100);
- a content edit during `serve` shows in the browser within 3 s.

--quick skips the 1,000-profile build and the serve check.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.dev import budgets  # noqa: E402

MB = 1_000_000
RUNTIME_BUDGET = 4.1 * MB
STOCK_STATED = 5.46 * MB
RELOAD_BUDGET = 3.0
LINEAR_FACTOR = 2.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    ap.add_argument("--quick", action="store_true", help="skip the 1,000-profile build and the serve check")
    args = ap.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site} has no index.html: run `python3 build.py` first", file=sys.stderr)
        return 2
    rows: list[tuple[str, str, str, bool]] = []        # (what, measured, budget, ok)
    notes: list[str] = []

    # 1. Guide page first load against Material's default page, measured the same way.
    work = budgets.temp_dir("material-default-")
    try:
        default = budgets.first_load(budgets.material_default_page(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pages = {p: budgets.first_load(p) for p in budgets.guide_pages(site)}
    heaviest = max(pages, key=lambda p: pages[p]["gzip"])
    ours = pages[heaviest]
    for kind in ("gzip", "brotli"):
        limit = default[kind] * 1.10
        rows.append((f"guide page first load, {kind} (heaviest: {heaviest.relative_to(site)})",
                     f"{ours[kind] / 1024:.1f} KB ({ours[kind] / default[kind]:.2f} x default)",
                     f"<= {limit / 1024:.1f} KB (Material default {default[kind] / 1024:.1f} KB + 10%)",
                     ours[kind] <= limit))
    notes.append(f"guide pages measured: {len(pages)}; lightest "
                 f"{min(v['gzip'] for v in pages.values()) / 1024:.1f} KB gzip; each is HTML + linked CSS + JS "
                 f"({ours['files']} files), search index and worker excluded (loaded on first search)")

    # 2. Calculator runtime, first use, brotli.
    from playwright.sync_api import sync_playwright
    from builder.dev.browser import launch
    stock = budgets.stock_runtime_bytes(ROOT / "node_modules" / "pyodide")
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            calc = budgets.calculator_first_use(site, browser)
            rows.append(("calculator runtime first-use transfer, brotli",
                         f"{calc['runtime'] / MB:.2f} MB",
                         f"<= {RUNTIME_BUDGET / MB:.1f} MB", calc["runtime"] <= RUNTIME_BUDGET))
            notes.append("runtime files fetched (brotli bytes): " +
                         ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sorted(calc["files"].items())))
            notes.append(f"calculator page's own assets (HTML, CSS, JS, data) besides the runtime: "
                         f"{calc['page'] / 1024:.0f} KB brotli")
            notes.append(f"stock runtime files (node_modules/pyodide): {stock['raw'] / MB:.2f} MB raw "
                         f"(stated as {STOCK_STATED / MB:.2f} MB), {stock['brotli'] / MB:.2f} MB brotli")

            # 3. Build time and its growth with generated regional profiles.
            counts = [0, 10, 100] + ([] if args.quick else [1000])
            project = budgets.project_copy(ROOT, budgets.temp_dir("budget-build-"))
            try:
                out = project / "site"
                budgets.time_build(project, out)                      # warm caches (precompress, runtime)
                times = {}
                for n in counts:
                    budgets.generate_profiles(project, n)
                    budgets.time_build(project, out)                  # compress the new data once
                    times[n] = budgets.time_build(project, out, runs=2)
                rows.append(("full build, both languages (0 generated profiles)", f"{times[0]:.2f} s",
                             "seconds (< 10 s)", times[0] < 10))
                for n in counts[1:]:
                    rows.append((f"full build with {n:,} generated profiles", f"{times[n]:.2f} s",
                                 "(growth below)", True))
                top = counts[-1]
                per_100 = (times[100] - times[0]) / 100
                per_top = (times[top] - times[0]) / top
                if top > 100:
                    ok = per_top <= LINEAR_FACTOR * max(per_100, 0.001)
                    rows.append((f"build growth: s per added profile at 100 / at {top:,}",
                                 f"{per_100 * 1000:.1f} ms / {per_top * 1000:.1f} ms",
                                 f"about linear (at {top:,} <= {LINEAR_FACTOR:g} x at 100)", ok))

                # 4. A content edit during serve.
                if not args.quick:
                    budgets.generate_profiles(project, 0)
                    reload_s = budgets.serve_reload_seconds(project, browser, budgets.free_port())
                    rows.append(("content edit during serve, until the page shows it", f"{reload_s:.2f} s",
                                 f"<= {RELOAD_BUDGET:g} s", reload_s <= RELOAD_BUDGET))
            finally:
                shutil.rmtree(project, ignore_errors=True)
        finally:
            browser.close()

    width = max(len(r[0]) for r in rows)
    mwidth = max(len(r[1]) for r in rows)
    print(f"{'budget':<{width}}  {'measured':<{mwidth}}  {'limit':<}  result")
    for what, measured, limit, ok in rows:
        print(f"{what:<{width}}  {measured:<{mwidth}}  {limit}  {'ok' if ok else 'OVER BUDGET'}")
    print()
    for note in notes:
        print("note: " + note)
    broken = [r[0] for r in rows if not r[3]]
    if broken:
        print(f"\n{len(broken)} budget(s) broken: " + "; ".join(broken), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
