"""Benchmark (not a test): Pyodide in a module Web Worker in Chromium, served by `python -m http.server`.

    .venv/bin/python tests/bench/bench_pyodide_browser.py [--runs N]

Stages the runtime (builder.runtime.package.stage_runtime) into a temporary directory with a tiny
page and prints, per loadPyodide variant, the median time from navigation start to "ready" in a
fresh browser context (cold: empty HTTP cache) and after a reload in the same context (warm), and
the median estimate round trip (page -> worker -> page) of the site's own worker
(calculator-worker.js, as builder.runtime.stage writes it), driven with the page's messages.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.dev.browser import launch  # noqa: E402
from builder.dev.static_server import free_port  # noqa: E402
from builder.runtime.package import stage_runtime  # noqa: E402
from builder.runtime.stage import hosted_worker_source  # noqa: E402

# A bare worker that boots with the options named in its query string, to measure each option.
# (Benchmark scaffolding, written into the temporary folder it measures.)
VARIANT_WORKER = r"""
const q = new URL(import.meta.url).searchParams;
const base = new URL("pyodide/", import.meta.url).href;
const t0 = performance.now();
const { loadPyodide } = await import(base + "pyodide.mjs");
const opts = { indexURL: base };
if (q.get("stdlib") === "pre") opts.stdLibURL = base + "python_stdlib.zip";
else opts.stdLibURL = base + "python_stdlib_stock.zip";
if (q.get("lock") === "full") opts.lockFileURL = base + "pyodide-lock-full.json";
if (q.get("packages") === "empty") opts.packages = [];
if (q.get("check") === "off") opts.checkAPIVersion = false;
if (q.get("full") === "off") opts.fullStdLib = false;
const py = await loadPyodide(opts);
py.runPython("import decimal, json, dataclasses, enum, typing");
self.postMessage({ type: "ready", ms: performance.now() - t0 });
"""

PAGE = r"""<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">
const q = new URLSearchParams(location.search);
const worker = new Worker(q.get("w"), { type: "module" });
const done = {};
worker.onmessage = (e) => {
  const m = e.data;
  if (m.type === "ready") { window.readyAt = performance.now(); window.workerMs = m.ms; }
  if (m.type === "error") window.failed = m.message;
  if (m.type === "result") done[m.id]?.(m.ok ? m.value : m.error);
};
// The site's worker waits for the page's init, as calculator.js sends it; the variants ignore it.
worker.postMessage({ type: "init", packages: ["calculator.zip"], imports: ["calculator.jsonapi"] });
const run = (func, args) => new Promise((resolve) => {
  const id = Math.random().toString(36).slice(2);
  const t = performance.now();
  done[id] = (result) => resolve({ ms: performance.now() - t, result });
  worker.postMessage({ type: "run", id, module: "calculator.jsonapi", func, args });
});
window.roundTrip = async (profile, visit) => {
  if (window.loadedProfile !== profile.id) {
    await run("load_profiles", [{ [profile.id]: profile }]);
    window.loadedProfile = profile.id;
  }
  return run("estimate", [profile.id, visit]);
};
</script>
"""


def build_site(tmp: Path) -> dict:
    manifest = stage_runtime(ROOT, tmp / "pyodide")
    shutil.copyfile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip", tmp / "pyodide" / "python_stdlib_stock.zip")
    shutil.copyfile(ROOT / "node_modules" / "pyodide" / "pyodide-lock.json", tmp / "pyodide" / "pyodide-lock-full.json")
    (tmp / "pyodide" / "calculator-worker.js").write_text(hosted_worker_source(), encoding="utf-8")
    (tmp / "variant-worker.js").write_text(VARIANT_WORKER)
    (tmp / "index.html").write_text(PAGE)
    return manifest


def time_to_ready(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function("window.readyAt || window.failed", timeout=60000)
    failed = page.evaluate("window.failed")
    if failed:
        raise RuntimeError(failed)
    return page.evaluate("window.readyAt")


def measure(browser, url: str, runs: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        cold.append(time_to_ready(page, url))
        warm.append(time_to_ready(page, url))  # same context: HTTP cache (and wasm code cache) warm
        warm.append(time_to_ready(page, url))
        context.close()
    return cold, warm


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        manifest = build_site(tmp)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                                  cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            base = f"http://127.0.0.1:{port}/index.html?w="
            variants = {
                "stock stdlib, indexURL only": "variant-worker.js?stdlib=stock",
                "precompiled stdlib (stdLibURL)": "variant-worker.js?stdlib=pre",
                "precompiled + full 119 kB lock file": "variant-worker.js?stdlib=pre&lock=full",
                "precompiled + packages: []": "variant-worker.js?stdlib=pre&packages=empty",
                "precompiled + checkAPIVersion false": "variant-worker.js?stdlib=pre&check=off",
                "precompiled + fullStdLib false": "variant-worker.js?stdlib=pre&full=off",
                "site worker (+calculator import)": "pyodide/calculator-worker.js",
            }
            results = {}
            with sync_playwright() as p:
                browser = launch(p)
                samples = {name: ([], []) for name in variants}
                for _ in range(args.runs):  # rounds interleave the variants, so drift hits all alike
                    for name, worker in variants.items():
                        cold, warm = measure(browser, base + worker, 1)
                        samples[name][0].extend(cold)
                        samples[name][1].extend(warm)
                for name, (cold, warm) in samples.items():
                    results[name] = (statistics.median(cold), statistics.median(warm))
                    print(f"{name:42s} cold {results[name][0]:7.0f} ms   warm {results[name][1]:7.0f} ms"
                          f"   (cold runs {[round(x) for x in cold]})", flush=True)
                stock = results["stock stdlib, indexURL only"]
                ref = results["site worker (+calculator import)"]
                print(f"site worker vs stock: cold {ref[0] / stock[0]:.2f}x, warm {ref[1] / stock[1]:.2f}x")

                sys.path.insert(0, str(ROOT / "tests"))
                from test_pyodide_runtime import SPEC_PROFILE as profile, SPEC_VISIT as visit
                context = browser.new_context()
                page = context.new_page()
                time_to_ready(page, base + variants["site worker (+calculator import)"])
                trips = []
                for i in range(200):
                    v = dict(visit, total=str(20000 + i))
                    r = page.evaluate("([p, v]) => roundTrip(p, v)", [profile, v])
                    trips.append(r["ms"])
                print(f"estimate round trip (page->worker->page), median of 200 after warm-up: "
                      f"{statistics.median(trips[20:]):.2f} ms; fund for total 20000: "
                      f"{page.evaluate('([p, v]) => roundTrip(p, v)', [profile, visit])['result']['fund']}")
                context.close()
                browser.close()
            print(f"staged runtime: {manifest['total_bytes'] / 1e6:.1f} MB "
                  f"(python_stdlib.zip {manifest['files']['python_stdlib.zip']['bytes'] / 1e6:.1f} MB)")
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
