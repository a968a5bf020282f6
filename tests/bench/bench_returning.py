"""Benchmark (not a test): a returning visit to the calculator page against the stock runtime's.

    .venv/bin/python tests/bench/bench_returning.py [--runs N] [--site site] [--later SECONDS]

Each run, in a fresh browser context (one browser profile, empty caches and storage):
- a first visit: navigation start to performance.mark("calculator-ready") (the stock page:
  "stock-ready", the stock runtime from node_modules/pyodide booted in the same kind of module
  worker, as tests/bench/bench_calculator_page.py does);
- the page stays open, as a reader's would, for --later seconds (default 8) after that mark, then
  closes;
- a later visit in a new tab of the same profile: navigation start to the same mark.
The calculator page's later visit also reports how its runtime booted (`data-boot` on the app:
"snapshot" when it came back from the on-device snapshot, "normal" otherwise).

Stock and calculator runs alternate (stock, calculator, calculator, stock, ...) so that load from
other processes falls on both alike; the load average is printed. Served like a static host:
brotli when accepted, ETag revalidation, `Cache-Control: no-cache`.
Prints each figure and the ratios side by side; the issue's bar is later-visit ratio <= 0.15 and a
first visit no slower than before.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_calculator_page import ROOT, launch, precompress_all, serve, stock_site, time_to_mark  # noqa: E402

STOCK = "stock runtime (bare page)"
OURS = "calculator page"


# The stored snapshot's size and the origin's storage use, read in the page after the first visit.
STORED = """async () => {
  const est = navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate() : {};
  const record = await new Promise((ok) => {
    const r = indexedDB.open("shebao-calculator");
    r.onsuccess = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains("snapshots")) { db.close(); ok(null); return; }
      const q = db.transaction("snapshots").objectStore("snapshots").get("runtime");
      q.onsuccess = () => { db.close(); ok(q.result || null); };
      q.onerror = () => { db.close(); ok(null); };
    };
    r.onerror = () => ok(null);
  });
  return {usage: est.usage || 0, bytes: record && record.bytes || 0, heap: record && record.heapBytes || 0};
}"""


def visit_twice(browser, url: str, mark: str, later: float) -> tuple[float, float, str, dict]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    first = time_to_mark(page, mark)
    time.sleep(later)
    stored = page.evaluate(STORED)
    page.close()
    page = context.new_page()
    page.goto(url)
    second = time_to_mark(page, mark)
    boot = page.evaluate("(document.getElementById('calculator-app') || document.body)"
                         ".getAttribute('data-boot') || '-'")
    context.close()
    return first, second, boot, stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--later", type=float, default=8.0,
                        help="seconds the first visit stays open before the later visit (default 8)")
    args = parser.parse_args()
    if not (args.site / "calculator.html").exists():
        print(f"{args.site}/calculator.html is missing: run `python3 build.py` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    results: dict[str, list[tuple[float, float, str, dict]]] = {STOCK: [], OURS: []}
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        (top / "site").symlink_to(args.site.resolve())
        stock_site(top / "stock")
        urls = {STOCK: ("/stock/index.html", "stock-ready"), OURS: ("/site/calculator.html", "calculator-ready")}
        server, base = serve(top, identity=False)
        precompress_all(top)
        try:
            with sync_playwright() as p:
                browser = launch(p)
                for name in urls:   # one untimed first visit each: the browser's own first-use costs
                    context = browser.new_context(bypass_csp=True)
                    page = context.new_page()
                    page.goto(base + urls[name][0])
                    time_to_mark(page, urls[name][1])
                    context.close()
                for run in range(args.runs):
                    for name in ([STOCK, OURS] if run % 2 == 0 else [OURS, STOCK]):
                        path, mark = urls[name]
                        results[name].append(visit_twice(browser, base + path, mark, args.later))
                browser.close()
        finally:
            server.shutdown()
    load_after = os.getloadavg()
    med = statistics.median
    s_first, s_later = med(r[0] for r in results[STOCK]), med(r[1] for r in results[STOCK])
    print(f"runs: {args.runs} interleaved (medians, ms); served brotli; later visit = new tab in the "
          f"same profile {args.later:g} s after the first visit's ready mark")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'':28}{'first':>8}{'later':>8}{'first/stock':>13}{'later/stock':>13}")
    for name, rows in results.items():
        first, later = med(r[0] for r in rows), med(r[1] for r in rows)
        print(f"{name:28}{first:>8.0f}{later:>8.0f}{first / s_first:>13.2f}{later / s_later:>13.3f}")
    print(f"{'bar':28}{'':>16}{'':>13}{0.15:>13.3f}")
    for name, rows in results.items():
        print(f"  {name}: first {[round(r[0]) for r in rows]} later {[round(r[1]) for r in rows]} "
              f"boot {[r[2] for r in rows]}")
    stored = results[OURS][-1][3]
    print(f"snapshot stored on the device: {stored['bytes'] / 1e6:.1f} MB for a {stored['heap'] / 1e6:.1f} MB heap; "
          f"the origin's storage use (navigator.storage.estimate, with the service worker's caches) "
          f"{stored['usage'] / 1e6:.1f} MB")
    ratio = med(r[1] for r in results[OURS]) / s_later
    print("later visit within 0.15 x stock" if ratio <= 0.15 else "later visit OVER 0.15 x stock")
    return 0 if ratio <= 0.15 else 1


if __name__ == "__main__":
    sys.exit(main())
