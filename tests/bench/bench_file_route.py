"""Benchmark (not a test): cold time to ready of the file:// route vs the stock runtime over http.

    .venv/bin/python tests/bench/bench_file_route.py [--runs N]

In one run, alternating, each sample in a freshly launched browser (nothing cached):
  file-precompiled  page opened from file://, every non-file request blocked, runtime built by
                    builder.runtime.file_route from the staged runtime (precompiled stdlib), a tiny
                    package loaded and imported before 'ready'
  file-stock-stdlib the same with the stock (source) stdlib, to show what precompiling buys
  stock-http        `python -m http.server` on 127.0.0.1 serving node_modules/pyodide, a bare page
                    whose module worker calls loadPyodide() (the baseline the file route is measured against)
Time to ready = performance.now() on the page (from navigation start) when the worker says ready.
Prints medians and the ratio file-precompiled / stock-http (the budget is <= 0.6).
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
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.dev.browser import launch  # noqa: E402
from builder.dev.static_server import free_port  # noqa: E402
from builder.runtime.file_route import build_file_route  # noqa: E402

PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")

FILE_PAGE = """<!doctype html><meta charset="utf-8"><title>file route bench</title>
<script src="runtime/pyodide-file-route.js"></script>
<script>
window.outcome = (async () => {
  const worker = await PyodideFileRoute.startWorker();
  const started = performance.now();
  return await new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error("worker error: " + e.message));
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "ready") {
        const ready = performance.now();
        worker.postMessage({type: "run", id: 1, module: "benchpkg", func: "total", args: [["1.10", "2.20"]]});
        worker.onmessage = (r) => resolve({ready, scriptsLoaded: started, workerMs: m.ms, result: r.data});
      } else if (m.type === "error") reject(new Error(m.message));
    };
    worker.postMessage({type: "init", packages: ["benchpkg.zip"], imports: ["benchpkg"]});
  });
})().catch((e) => ({failed: String(e)}));
</script>
"""

STOCK_PAGE = """<!doctype html><meta charset="utf-8"><title>stock bench</title>
<script>
window.outcome = new Promise((resolve, reject) => {
  const worker = new Worker("stock_worker.mjs", {type: "module"});
  worker.onerror = (e) => reject(new Error("worker error: " + e.message));
  worker.onmessage = (e) => resolve({ready: performance.now(), python: e.data});
}).catch((e) => ({failed: String(e)}));
</script>
"""
STOCK_WORKER = """import { loadPyodide } from "./pyodide/pyodide.mjs";
const pyodide = await loadPyodide();
postMessage(pyodide.runPython("import sys; sys.version.split()[0]"));
"""


def staged_runtime(tmp: Path) -> tuple[Path, str]:
    """Stock runtime files + the precompiled stdlib of builder.runtime.package + a tiny package."""
    from builder.runtime.package import precompiled_stdlib

    staged = tmp / "staged"
    staged.mkdir()
    for name in RUNTIME_FILES:
        shutil.copyfile(PYODIDE / name, staged / name)
    stdlib = precompiled_stdlib(ROOT, PYODIDE)
    shutil.copyfile(stdlib, staged / "python_stdlib.zip")
    with zipfile.ZipFile(staged / "benchpkg.zip", "w", zipfile.ZIP_STORED) as z:
        z.writestr("benchpkg/__init__.py",
                   "from decimal import Decimal\n\ndef total(items):\n    return sum(map(Decimal, items))\n")
    return staged, f"builder.runtime.package.precompiled_stdlib ({stdlib.name})"


def file_site(tmp: Path, staged: Path, name: str, stdlib: Path | None = None) -> Path:
    source = staged
    if stdlib is not None:
        source = tmp / f"{name}-staged"
        shutil.copytree(staged, source)
        shutil.copyfile(stdlib, source / "python_stdlib.zip")
    site = tmp / name
    build_file_route(source, site / "runtime")
    (site / "index.html").write_text(FILE_PAGE, encoding="utf-8")
    return site


def start_stock_server(tmp: Path) -> tuple[subprocess.Popen, str]:
    root = tmp / "stock"
    (root / "pyodide").mkdir(parents=True)
    for name in (*RUNTIME_FILES, "python_stdlib.zip"):
        (root / "pyodide" / name).symlink_to(PYODIDE / name)
    (root / "index.html").write_text(STOCK_PAGE, encoding="utf-8")
    (root / "stock_worker.mjs").write_text(STOCK_WORKER, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "stock_worker.mjs") as r:
                mjs = r.headers.get("Content-Type", "")
            with urllib.request.urlopen(base + "pyodide/pyodide.asm.wasm") as r:
                wasm = r.headers.get("Content-Type", "")
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.terminate()
        raise SystemExit("python -m http.server did not start")
    if "javascript" not in mjs or wasm != "application/wasm":
        proc.terminate()
        raise SystemExit(f"http.server serves .mjs as {mjs!r} and .wasm as {wasm!r}; fix /etc/mime.types")
    return proc, base


def sample(playwright, url: str, file_only: bool) -> dict:
    """One cold sample: a new browser (empty profile), so no HTTP or code cache carries over."""
    browser = launch(playwright)
    try:
        context = browser.new_context()
        leaked: list[str] = []
        if file_only:
            def gate(route):
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    leaked.append(route.request.url)
                    route.abort()
            context.route("**/*", gate)
        page = context.new_page()
        page.goto(url)
        out = page.evaluate("window.outcome")
        if "failed" in out:
            raise SystemExit(f"{url}: {out['failed']}")
        if leaked:
            raise SystemExit(f"{url}: non-file requests {leaked}")
        return out
    finally:
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        staged, stdlib_note = staged_runtime(tmp)
        configs = {
            "file-precompiled": file_site(tmp, staged, "file-pre").joinpath("index.html").as_uri(),
            "file-stock-stdlib": file_site(tmp, staged, "file-stock", PYODIDE / "python_stdlib.zip")
            .joinpath("index.html").as_uri(),
        }
        server, base = start_stock_server(tmp)
        configs["stock-http"] = base + "index.html"
        results: dict[str, list[dict]] = {name: [] for name in configs}
        try:
            with sync_playwright() as p:
                for url in configs.values():          # one discarded warm-up each: OS file cache
                    sample(p, url, url.startswith("file:"))
                for _ in range(args.runs):
                    for name, url in configs.items():
                        results[name].append(sample(p, url, url.startswith("file:")))
        finally:
            server.terminate()
            server.wait()

    for out in results["file-precompiled"]:
        assert out["result"]["ok"] and out["result"]["value"] == "3.30", out["result"]
    med = {name: statistics.median(o["ready"] for o in outs) for name, outs in results.items()}
    print(f"stdlib for file-precompiled: {stdlib_note}")
    print(f"cold time to ready, {args.runs} runs each, fresh browser per run (ms):")
    for name, outs in results.items():
        readies = ", ".join(f"{o['ready']:.0f}" for o in outs)
        extra = ""
        if "scriptsLoaded" in outs[0]:
            extra = (f"  [scripts loaded at {statistics.median(o['scriptsLoaded'] for o in outs):.0f},"
                     f" worker init->ready {statistics.median(o['workerMs'] for o in outs):.0f}]")
        print(f"  {name:18s} median {med[name]:6.0f}   ({readies}){extra}")
    ratio = med["file-precompiled"] / med["stock-http"]
    print(f"ratio file-precompiled / stock-http cold: {ratio:.2f} (budget <= 0.6)")
    print(f"ratio file-stock-stdlib / stock-http cold: {med['file-stock-stdlib'] / med['stock-http']:.2f}")
    print(json.dumps({"median_ms": {k: round(v) for k, v in med.items()}, "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
