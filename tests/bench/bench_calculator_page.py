"""Benchmark (not a test): the calculator page's time to ready against the stock runtime.

    .venv/bin/python tests/bench/bench_calculator_page.py [--runs N] [--site site] [--identity]
                                                         [--settle SECONDS] [--variant NAME=DIR ...]

In one run, from one local server, in headless Chromium:
- the built calculator page (site/calculator.html): time from navigation start to
  performance.mark("calculator-ready");
- a bare page that boots the stock Pyodide runtime (node_modules/pyodide, as shipped) in the
  same kind of worker (module worker, loadPyodide) and marks "stock-ready";
each cold (a fresh browser context: empty HTTP cache) and warm (reload in the same context after
--settle seconds, time in which Chromium stores the compiled wasm next to the cached response, as
it would between a reader's two visits), then the median round trip of an estimate
(page -> worker -> page).

The pages are measured in turns (stock, calculator, calculator, stock, ...) so that load from
other processes on the machine falls on both alike; the load average is printed.
The server answers like a static host: brotli when the browser accepts it (the .br bytes are made
with builder.publish.precompress's settings, for the stock files too), ETag revalidation, no max-age.
--identity serves uncompressed bodies instead.
--variant NAME=DIR adds another built site (e.g. a copy with a changed worker) to the rotation.
Prints the medians and the budget ratios (warm <= 0.4 x stock, cold <= 0.5 x stock).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.dev.browser import launch  # noqa: E402
from builder.publish.precompress import COMPRESSIBLE, _cached  # noqa: E402

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
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".html": "text/html; charset=utf-8", ".css": "text/css", ".json": "application/json",
         ".zip": "application/zip", ".svg": "image/svg+xml"}
BR_CACHE = ROOT / ".cache" / "precompress"


class _CountingWriter:
    """The response stream, counting the bytes that go to the socket."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def write(self, data):
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """GET with brotli (when accepted), strong ETags and `Cache-Control: no-cache`, over HTTP/1.1.

    HTTP/1.1 as any real host speaks it: Chromium neither stores nor revalidates a `no-cache`
    answer that came over HTTP/1.0, so over HTTP/1.0 a later visit and the service worker's copy
    of the runtime would download every file again instead of getting a 304.
    `sent` (a list shared by the server's requests) gets (time.time() when done, path, bytes on the
    wire: status line, headers and body) for each request answered; a kept-alive connection carries
    several.
    """
    protocol_version = "HTTP/1.1"
    identity = False
    _memo: dict = {}
    _lock = threading.Lock()
    sent: list = []

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile)

    def handle_one_request(self):
        before = self.wfile.count
        self.path = None
        super().handle_one_request()
        if self.path and self.wfile.count > before:
            with self._lock:
                self.sent.append((time.time(), self.path, self.wfile.count - before))

    def _body(self, path: Path) -> tuple[bytes, str]:
        key = (str(path), path.stat().st_mtime_ns)
        with self._lock:
            if key not in self._memo:
                data = path.read_bytes()
                self._memo[key] = (data, hashlib.sha256(data).hexdigest()[:20], {})
            return self._memo[key]

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        data, etag, encoded = self._body(path)
        encoding = None
        if (not self.identity and "br" in self.headers.get("Accept-Encoding", "")
                and path.suffix in COMPRESSIBLE and len(data) >= 1024):
            with self._lock:
                if "br" not in encoded:
                    encoded["br"] = _cached(BR_CACHE, data, "br")
            data, encoding = encoded["br"], "br"
        tag = f'"{etag}{"-br" if encoding else ""}"'
        if self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", tag)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(data)


def serve(directory: Path, identity: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve directory on a free port; server.sent lists every answer (see _StaticHost)."""
    host = type("Host", (_StaticHost,), {"identity": identity, "_memo": {}, "sent": []})
    handler = functools.partial(host, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.sent = host.sent
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def stock_site(dest: Path) -> Path:
    """node_modules/pyodide as shipped, with the bare page and worker, in dest."""
    shutil.copytree(ROOT / "node_modules" / "pyodide", dest)
    (dest / "index.html").write_text(BARE_PAGE)
    (dest / "bare-worker.js").write_text(BARE_WORKER)
    return dest


def precompress_all(top: Path) -> None:
    """Make the brotli copies before timing (brotli 11 of a stock stdlib takes a while once)."""
    for path in sorted(top.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSIBLE and path.stat().st_size >= 1024:
            _cached(BR_CACHE, path.read_bytes(), "br")


def time_to_mark(page, mark: str, timeout: float = 120_000) -> float:
    page.wait_for_function(f"performance.getEntriesByName({mark!r}).length > 0", timeout=timeout)
    return page.evaluate(f"performance.getEntriesByName({mark!r})[0].startTime")


def cold_and_warm(browser, url: str, mark: str, settle: float) -> tuple[float, float]:
    # bypass_csp: the site's CSP forbids eval, which Playwright's wait_for_function uses.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    cold = time_to_mark(page, mark)
    time.sleep(settle)
    page.reload()
    warm = time_to_mark(page, mark)
    context.close()
    return cold, warm


def round_trips(browser, url: str, n: int = 60) -> list[float]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(url + "#profile=example&plan=employee-in-service&setting=inpatient&level=tertiary")
    page.wait_for_function("performance.getEntriesByName('calculator-ready').length > 0", timeout=120_000)
    # A reader types after the form has appeared; in the first second after ready the engine's wasm
    # is still being optimised in the background and Material indexes search, on the same 2 cores.
    page.wait_for_timeout(2000)
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
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds between the cold load and the warm reload (default 3)")
    parser.add_argument("--identity", action="store_true", help="serve without compression")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=DIR",
                        help="another built site to measure in the same rotation")
    args = parser.parse_args()
    sites = {"calculator page": args.site}
    for spec in args.variant:
        name, _, directory = spec.partition("=")
        sites[name] = Path(directory)
    for name, site in sites.items():
        if not (site / "calculator.html").exists():
            print(f"{site}/calculator.html is missing: run `python3 build.py` first", file=sys.stderr)
            return 2
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    results: dict[str, tuple[list, list]] = {"stock runtime (bare page)": ([], [])}
    results.update({name: ([], []) for name in sites})
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        urls = {"stock runtime (bare page)": ("/stock/index.html", "stock-ready")}
        for i, (name, site) in enumerate(sites.items()):
            (top / f"site{i}").symlink_to(site.resolve())
            urls[name] = (f"/site{i}/calculator.html", "calculator-ready")
        stock_site(top / "stock")
        server, base = serve(top, args.identity)
        if not args.identity:
            precompress_all(top)
        try:
            with sync_playwright() as p:
                browser = launch(p)
                names = list(urls)
                for name in names:  # one untimed round: the browser's own first-use costs
                    cold_and_warm(browser, base + urls[name][0], urls[name][1], 0)
                for run in range(args.runs):
                    for name in (names if run % 2 == 0 else names[::-1]):
                        path, mark = urls[name]
                        cold, warm = cold_and_warm(browser, base + path, mark, args.settle)
                        results[name][0].append(cold)
                        results[name][1].append(warm)
                trips = round_trips(browser, base + urls["calculator page"][0])
                browser.close()
        finally:
            server.shutdown()
    load_after = os.getloadavg()
    med = statistics.median
    s_cold, s_warm = (med(v) for v in results["stock runtime (bare page)"])
    print(f"runs: {args.runs} interleaved (medians, ms); served {'identity' if args.identity else 'brotli'}; "
          f"warm = reload after {args.settle:g} s")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'':28}{'cold':>10}{'warm':>10}{'cold/stock':>12}{'warm/stock':>12}")
    for name, (cold, warm) in results.items():
        print(f"{name:28}{med(cold):>10.0f}{med(warm):>10.0f}{med(cold) / s_cold:>12.2f}{med(warm) / s_warm:>12.2f}")
    print(f"{'budget':28}{'':>20}{0.5:>12.2f}{0.4:>12.2f}")
    for name, (cold, warm) in results.items():
        print(f"  {name}: cold {[round(x) for x in cold]} warm {[round(x) for x in warm]}")
    c_cold, c_warm = (med(v) for v in results["calculator page"])
    rc, rw = c_cold / s_cold, c_warm / s_warm
    print(f"estimate round trip (typing into the form, 2 s after ready): median {med(trips):.2f} ms "
          f"over {len(trips)} (budget 5 ms)")
    ok = rc <= 0.5 and rw <= 0.4 and med(trips) < 5
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
