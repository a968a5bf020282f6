"""Benchmark (not a test): a first visit on an emulated mid-range phone, against the stock runtime.

    .venv/bin/python tests/bench/bench_phone.py [--runs N] [--site site] [--variant NAME=DIR ...] [--requests]

Lighthouse's mobile profile, applied through the Chrome DevTools Protocol before navigating:
Network.emulateNetworkConditions (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up) and
Emulation.setCPUThrottlingRate 4, on a 360x740 viewport, each run in a fresh browser context
(empty caches and storage). Measured: navigation start to performance.mark("calculator-ready") on
the calculator page, and to "stock-ready" on a bare page that boots the stock runtime from
node_modules/pyodide in the same kind of module worker (tests/bench/bench_calculator_page.py).
Both are served alike, as the README's deploy section says: brotli when accepted, ETags,
`Cache-Control: no-cache`. Bytes over the wire are counted at the server (status line, headers
and body of every answer): those answered before the ready mark, and all of them until the page
was closed 1 s later. Runs alternate (stock, calculator, calculator, stock, ...). --variant adds
another built site (e.g. a copy from before a change) to the rotation; --requests lists the
answers before ready of each page's last run.
Prints the figures and the ratio side by side; the issue's bar is <= 0.60 x the stock runtime.
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
# Lighthouse's mobile ("slow 4G") figures; bytes per second for the DevTools protocol.
LATENCY_MS = 150
DOWN_BPS = 1.6 * 1000 * 1000 / 8
UP_BPS = 750 * 1000 / 8
CPU_SLOWDOWN = 4


def phone_visit(browser, server, url: str, mark: str) -> tuple[float, int, int, list]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True,
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BPS, "uploadThroughput": UP_BPS})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    start = len(server.sent)
    page.goto(url, timeout=180_000)
    ready = time_to_mark(page, mark, timeout=300_000)
    ready_epoch = page.evaluate(f"performance.timeOrigin + performance.getEntriesByName({mark!r})[0].startTime") / 1000
    time.sleep(1)
    context.close()
    answers = server.sent[start:]
    before = [a for a in answers if a[0] <= ready_epoch]
    return ready, sum(a[2] for a in before), sum(a[2] for a in answers), before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--requests", action="store_true", help="list each request answered before ready")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=DIR",
                        help="another built site to measure in the same rotation")
    args = parser.parse_args()
    sites = {OURS: args.site}
    for spec in args.variant:
        name, _, directory = spec.partition("=")
        sites[name] = Path(directory)
    for site in sites.values():
        if not (site / "calculator.html").exists():
            print(f"{site}/calculator.html is missing: run `python3 build.py` first", file=sys.stderr)
            return 2
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    results: dict[str, list] = {STOCK: [], **{name: [] for name in sites}}
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        urls = {STOCK: ("/stock/index.html", "stock-ready")}
        for i, (name, site) in enumerate(sites.items()):
            (top / f"site{i}").symlink_to(site.resolve())
            urls[name] = (f"/site{i}/calculator.html", "calculator-ready")
        stock_site(top / "stock")
        server, base = serve(top, identity=False)
        precompress_all(top)
        try:
            with sync_playwright() as p:
                browser = launch(p)
                names = list(urls)
                for run in range(args.runs):
                    for name in (names if run % 2 == 0 else names[::-1]):
                        path, mark = urls[name]
                        results[name].append(phone_visit(browser, server, base + path, mark))
                browser.close()
        finally:
            server.shutdown()
    load_after = os.getloadavg()
    med = statistics.median
    s_time, s_bytes = med(r[0] for r in results[STOCK]), med(r[1] for r in results[STOCK])
    print(f"runs: {args.runs} interleaved (medians); emulated phone: {LATENCY_MS} ms round trip, "
          f"{DOWN_BPS * 8 / 1e6:g} Mbit/s down, {UP_BPS * 8 / 1e3:g} kbit/s up, CPU x{CPU_SLOWDOWN}; "
          "served brotli")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'':28}{'ready ms':>10}{'/stock':>8}{'MB before ready':>17}{'/stock':>8}{'MB in all':>11}")
    for name, rows in results.items():
        t, b, total = med(r[0] for r in rows), med(r[1] for r in rows), med(r[2] for r in rows)
        print(f"{name:28}{t:>10.0f}{t / s_time:>8.2f}{b / 1e6:>17.3f}{b / s_bytes:>8.2f}{total / 1e6:>11.3f}")
    print(f"{'bar':28}{'':>10}{0.60:>8.2f}")
    for name, rows in results.items():
        print(f"  {name}: ready {[round(r[0]) for r in rows]} bytes before ready {[r[1] for r in rows]}")
    if args.requests:
        for name, rows in results.items():
            print(f"{name}, last run, answered before ready:")
            for _, path, n in rows[-1][3]:
                print(f"  {n:>10}  {path}")
    ratio = med(r[0] for r in results[OURS]) / s_time
    print("within 0.60 x stock" if ratio <= 0.60 else "OVER 0.60 x stock")
    return 0 if ratio <= 0.60 else 1


if __name__ == "__main__":
    sys.exit(main())
