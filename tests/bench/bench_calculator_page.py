"""Benchmark (not a test): the calculator page's time to ready against the stock runtime.

    .venv/bin/python tests/bench/bench_calculator_page.py [--runs N] [--site site]

In one run, from one local server, in headless Chromium:
- the built calculator page (site/calculator.html): time from navigation start to
  performance.mark("calculator-ready");
- a bare page that boots the stock Pyodide runtime (node_modules/pyodide, as shipped) in the
  same kind of worker (module worker, loadPyodide) and marks "stock-ready";
each cold (a fresh browser context: empty HTTP cache) and warm (reload in the same context),
then the median round trip of an estimate (page -> worker -> page).
Prints the medians and the ratios the issue sets (warm <= 0.4 x stock, cold <= 0.5 x stock).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.browser import launch  # noqa: E402

BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>stock</title>
<script type="module">
const w = new Worker("./bare-worker.js", {type: "module"});
w.onmessage = (e) => { performance.mark("stock-ready"); window.__ready = e.data; };
</script>"""
BARE_WORKER = """import { loadPyodide } from "./pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("./", self.location.href).href });
py.runPython("import decimal, json");
postMessage("ready");
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def time_to_mark(page, url: str, mark: str, reload: bool = False) -> float:
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_function(f"performance.getEntriesByName({mark!r}).length > 0", timeout=120_000)
    return page.evaluate(f"performance.getEntriesByName({mark!r})[0].startTime")


def measure(browser, url: str, mark: str, runs: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        cold.append(time_to_mark(page, url, mark))
        warm.append(time_to_mark(page, url, mark, reload=True))
        context.close()
    return cold, warm


def round_trips(browser, url: str, n: int = 60) -> list[float]:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url + "#profile=example&plan=employee-in-service&setting=inpatient&level=tertiary")
    page.wait_for_function("performance.getEntriesByName('calculator-ready').length > 0", timeout=120_000)
    times = page.evaluate("""async (n) => {
      const app = document.getElementById('calculator-app');
      const input = document.querySelector('[name=total]');
      const out = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        input.value = String(20000 + i);
        input.dispatchEvent(new Event('input', {bubbles: true}));
        await new Promise((resolve) => {
          const obs = new MutationObserver(() => {
            if (app.getAttribute('data-busy') === 'false') { obs.disconnect(); resolve(); }
          });
          obs.observe(app, {attributes: true});
        });
        out.push(performance.now() - t0);
      }
      return out;
    }""", n)
    context.close()
    return times[5:]  # the first few warm the worker's code paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    if not (args.site / "calculator.html").exists():
        print(f"{args.site}/calculator.html is missing: run `python3 build.py` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        (top / "site").symlink_to(args.site.resolve())
        stock = top / "stock"
        shutil.copytree(ROOT / "node_modules" / "pyodide", stock)
        (stock / "index.html").write_text(BARE_PAGE)
        (stock / "bare-worker.js").write_text(BARE_WORKER)
        server, base = serve(top)
        try:
            with sync_playwright() as p:
                browser = launch(p)
                s_cold, s_warm = measure(browser, base + "/stock/index.html", "stock-ready", args.runs)
                c_cold, c_warm = measure(browser, base + "/site/calculator.html", "calculator-ready", args.runs)
                trips = round_trips(browser, base + "/site/calculator.html")
                browser.close()
        finally:
            server.shutdown()
    med = statistics.median
    print(f"runs: {args.runs} (medians, ms)")
    print(f"{'':28}{'cold':>10}{'warm':>10}")
    print(f"{'stock runtime (bare page)':28}{med(s_cold):>10.0f}{med(s_warm):>10.0f}")
    print(f"{'calculator page':28}{med(c_cold):>10.0f}{med(c_warm):>10.0f}")
    rc, rw = med(c_cold) / med(s_cold), med(c_warm) / med(s_warm)
    print(f"{'ratio (budget 0.5 / 0.4)':28}{rc:>10.2f}{rw:>10.2f}")
    print(f"estimate round trip: median {med(trips):.2f} ms over {len(trips)} (budget 5 ms)")
    ok = rc <= 0.5 and rw <= 0.4 and med(trips) < 5
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
