"""Benchmark (not a test): the offline bundle's calculator from file:// against the stock runtime over http.

    .venv/bin/python tests/bench/bench_offline_bundle.py [--runs N] [--site DIR] [--identity]

Budget: time to `calculator-ready` cold from the unzipped bundle via file:// must be at most
0.6 x the stock runtime's cold boot over http, measured in the same run.

- bundle: site/downloads/offline-bundle.zip (built into a temporary directory with
  builder.pipeline.build_site unless --site names a built site) unzipped into a temporary folder
  whose path has a space and Chinese characters; calculator.html opened from file:// in a fresh
  browser context with every non-file request blocked; time from navigation start to
  performance.mark("calculator-ready") (what the page marks when the worker answers its first run).
- stock: tests/bench/bench_calculator_page.py's bare page and module worker (node_modules/pyodide as
  shipped, loadPyodide, `import decimal, json`) served by its static host (brotli, ETag, no-cache);
  fresh browser context (empty HTTP cache, no compiled wasm), time to performance.mark("stock-ready").
Samples alternate (bundle, stock, stock, bundle, ...) after one untimed round of each, so load from
other processes falls on both alike; the load average is printed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_calculator_page import BARE_PAGE, BARE_WORKER, BR_CACHE, serve  # noqa: E402
from builder.dev.browser import launch  # noqa: E402
from builder.publish.precompress import COMPRESSIBLE, _cached  # noqa: E402

BUDGET = 0.6


def wait_mark(page, mark: str, timeout: float = 120.0) -> float:
    # Polls evaluate() (not wait_for_function, which needs the eval the bundle's CSP forbids).
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = page.evaluate("(m) => { const e = performance.getEntriesByName(m); return e.length ? e[0].startTime : null; }",
                              mark)
        if found is not None:
            return found
        time.sleep(0.02)
    raise TimeoutError(f"no performance mark {mark!r} after {timeout:g} s on {page.url}")


def cold_bundle(browser, bundle: Path) -> float:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            return route.continue_()
        outside.append(url)
        return route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((bundle / "calculator.html").as_uri())
    try:
        ms = wait_mark(page, "calculator-ready")
    finally:
        context.close()
    if outside or errors:
        raise RuntimeError(f"bundle page: requests outside {outside}, errors {errors}")
    return ms


def cold_stock(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url)
    try:
        return wait_mark(page, "stock-ready")
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary directory)")
    parser.add_argument("--identity", action="store_true", help="serve the stock runtime uncompressed")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        site = args.site
        if site is None:
            from builder.pipeline import build_site
            site = top / "site"
            t0 = time.monotonic()
            if build_site(ROOT, site, quiet=True) != 0:
                print("build failed", file=sys.stderr)
                return 2
            print(f"built the site in {time.monotonic() - t0:.1f} s")
        zip_path = site / "downloads" / "offline-bundle.zip"
        if not zip_path.is_file():
            print(f"{zip_path} is missing: build the site first", file=sys.stderr)
            return 2
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(top / "离线 副本")
            files = len(zf.namelist())
        zip_bytes = zip_path.stat().st_size
        bundle = top / "离线 副本" / "shebao-guide"
        stock = top / "http" / "stock"
        shutil.copytree(ROOT / "node_modules" / "pyodide", stock)
        (stock / "index.html").write_text(BARE_PAGE)
        (stock / "bare-worker.js").write_text(BARE_WORKER)
        if not args.identity:  # compress before timing, as a static host would have done
            for path in sorted(stock.rglob("*")):
                if path.is_file() and path.suffix in COMPRESSIBLE and path.stat().st_size >= 1024:
                    _cached(BR_CACHE, path.read_bytes(), "br")
        server, base = serve(top / "http", args.identity)
        stock_url = base + "/stock/index.html"
        load_before = os.getloadavg()
        times: dict[str, list[float]] = {"bundle file://": [], "stock http": []}
        try:
            with sync_playwright() as p:
                browser = launch(p)
                cold_bundle(browser, bundle)          # untimed: the browser's own first-use costs
                cold_stock(browser, stock_url)
                for run in range(args.runs):
                    order = ("bundle file://", "stock http") if run % 2 == 0 else ("stock http", "bundle file://")
                    for name in order:
                        times[name].append(cold_bundle(browser, bundle) if name == "bundle file://"
                                           else cold_stock(browser, stock_url))
                browser.close()
        finally:
            server.shutdown()
        load_after = os.getloadavg()

    med = statistics.median
    b, s = med(times["bundle file://"]), med(times["stock http"])
    print(f"offline bundle: {zip_bytes} bytes ({zip_bytes / 1048576:.1f} MB), {files} files")
    print(f"runs: {args.runs} alternating, cold (fresh context each); stock served "
          f"{'identity' if args.identity else 'brotli'} from 127.0.0.1")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} ({os.cpu_count()} CPUs)")
    for name, values in times.items():
        print(f"  {name:16} median {med(values):7.0f} ms   {[round(v) for v in values]}")
    ratio = b / s
    print(f"ratio bundle/stock {ratio:.2f} (budget {BUDGET})")
    print("within budget" if ratio <= BUDGET else "OVER BUDGET")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
