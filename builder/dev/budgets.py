"""Measurements behind the budgets benchmark (tests/bench/bench_budgets.py).

Each function measures one thing and returns figures; the benchmark script compares them with the
budgets and prints the table. Nothing here is a test: timings depend on the machine.
"""
from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import brotli

from builder.dev.static_server import StaticServer, free_port  # noqa: F401  (free_port: for benches)

STYLESHEET = re.compile(rb'<link rel="stylesheet" href="([^"]+)"')
SCRIPT_SRC = re.compile(rb'<script\b[^>]*\bsrc="([^"]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def br(data: bytes) -> int:
    return len(brotli.compress(data, quality=11))


def first_load(html_path: Path) -> dict[str, int]:
    """A page's first load: its HTML plus the stylesheets and scripts it links (what the browser
    fetches before the page is usable; lazy loads such as the search index are not counted).
    Bytes raw, gzip -9 and brotli 11."""
    html = html_path.read_bytes()
    files = [html]
    for ref in STYLESHEET.findall(html) + SCRIPT_SRC.findall(html):
        target = (html_path.parent / ref.decode().split("?")[0]).resolve()
        files.append(target.read_bytes())
    return {"files": len(files), "raw": sum(map(len, files)), "gzip": sum(map(gz, files)),
            "brotli": sum(map(br, files))}


MATERIAL_DEFAULT_CONFIG = """\
site_name: My Docs
use_directory_urls: false
theme:
  name: material
  font: false
"""
MATERIAL_DEFAULT_INDEX = """\
# Welcome to MkDocs

For full documentation visit [mkdocs.org](https://www.mkdocs.org).

## Commands

* `mkdocs new [dir-name]` - Create a new project.
* `mkdocs serve` - Start the live-reloading docs server.
* `mkdocs build` - Build the documentation site.
* `mkdocs -h` - Print help message and exit.

## Project layout

    mkdocs.yml    # The configuration file.
    docs/
        index.md  # The documentation homepage.
        ...       # Other markdown pages, images and other files.
"""


def material_default_page(work: Path) -> Path:
    """Build `mkdocs new`'s page with theme material (font: false, as this site) in `work`;
    return the built index.html."""
    (work / "docs").mkdir(parents=True, exist_ok=True)
    (work / "mkdocs.yml").write_text(MATERIAL_DEFAULT_CONFIG, encoding="utf-8")
    (work / "docs" / "index.md").write_text(MATERIAL_DEFAULT_INDEX, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml"),
                    "-d", str(work / "site")], check=True)
    return work / "site" / "index.html"


def guide_pages(site: Path) -> list[Path]:
    """Every page but the calculator, the planner and the rule card (which load the engine's assets on
    purpose) and 404."""
    return sorted(p for p in site.rglob("*.html")
                  if p.name not in ("calculator.html", "planner.html", "my-rules.html", "404.html") and "downloads" not in p.parts
                  and not p.name.startswith("__"))


def calculator_first_use(site: Path, browser) -> dict[str, object]:
    """Open calculator.html from a local server in a fresh context (empty cache), wait for
    performance.mark('calculator-ready'), and sum the brotli size of every file it fetched."""
    server = StaticServer(site)
    base = server.start()
    urls: list[str] = []
    ctx = browser.new_context()
    try:
        ctx.on("request", lambda r: urls.append(r.url))
        page = ctx.new_page()
        page.goto(base + "calculator.html")
        page.wait_for_function("() => performance.getEntriesByName('calculator-ready').length > 0",
                               timeout=60000)
    finally:
        ctx.close()
        server.stop()
    runtime = page_assets = 0
    runtime_files: dict[str, int] = {}
    for url in dict.fromkeys(urls):
        if not url.startswith(base):
            continue
        path = site / url[len(base):].split("?")[0].split("#")[0]
        if not path.is_file():
            continue
        size = br(path.read_bytes()) if not path.with_name(path.name + ".br").is_file() \
            else path.with_name(path.name + ".br").stat().st_size
        if "assets/pyodide/" in url:
            runtime += size
            runtime_files[path.name] = size
        else:
            page_assets += size
    return {"runtime": runtime, "page": page_assets, "files": runtime_files}


def stock_runtime_bytes(pyodide: Path) -> dict[str, int]:
    names = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json", "python_stdlib.zip")
    raw = sum((pyodide / n).stat().st_size for n in names)
    return {"raw": raw, "brotli": sum(br((pyodide / n).read_bytes()) for n in names)}


def project_copy(root: Path, dest: Path) -> Path:
    """What a build reads, copied (content, theme, config, code); node_modules and .cache linked."""
    for name in ("content", "theme", "web", "builder", "calculator"):
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "package.json", "package-lock.json"):
        if (root / name).exists():
            shutil.copy(root / name, dest / name)
    for name in ("node_modules", ".cache"):
        if (root / name).exists():
            (dest / name).symlink_to(root / name)
    return dest


def generate_profiles(project: Path, count: int) -> None:
    """`count` regional profiles made from the example one (new id and name each)."""
    policies = project / "content" / "policies"
    for old in policies.glob("gen-*.yaml"):
        old.unlink()
    template = (policies / "example.yaml").read_text(encoding="utf-8")
    for i in range(count):
        text = template.replace("id: example", f"id: gen-{i:04d}", 1)
        text = text.replace("name: {zh: 示例地区（示意）, en: Example region (illustrative)}",
                            f"name: {{zh: 生成地区 {i}（示意）, en: Generated region {i} (illustrative)}}", 1)
        (policies / f"gen-{i:04d}.yaml").write_text(text, encoding="utf-8")


def time_build(project: Path, out: Path, runs: int = 1) -> float:
    """Wall time of a full build (both languages, every stage) in a fresh Python process, best of `runs`."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "builder.dev.cli", "build", "--out", str(out)], cwd=project,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"build failed in {project}:\n{done.stderr[-2000:]}")
        best = min(best, elapsed)
    return best


def serve_reload_seconds(project: Path, browser, port: int) -> float:
    """Start `python -m builder.dev.cli serve --port PORT` in `project`, open the English home page, edit
    content/home.yaml, and time from the write until the page shows the new text."""
    proc = subprocess.Popen([sys.executable, "-m", "builder.dev.cli", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        import urllib.request
        deadline = time.monotonic() + 300          # the first preview build, on a busy machine
        while True:
            try:
                urllib.request.urlopen(base + "__build", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("serve did not start")
                time.sleep(0.2)
        ctx = browser.new_context()
        try:
            page = ctx.new_page()
            page.goto(base + "en/index.html")
            page.wait_for_timeout(1200)          # the reload script has seen the current build id
            home = project / "content" / "home.yaml"
            marker = f"Reload check {time.time_ns()}"
            text = home.read_text(encoding="utf-8")
            old = "en: Activate my card"
            assert old in text, "content/home.yaml changed: update builder/budgets.serve_reload_seconds"
            t0 = time.perf_counter()
            home.write_text(text.replace(old, f"en: {marker}", 1), encoding="utf-8")
            # A generous deadline: on a busy machine the figure is still measured, not a timeout.
            page.wait_for_function("(m) => document.body && document.body.innerText.includes(m)", arg=marker,
                                   timeout=180_000)
            return time.perf_counter() - t0
        finally:
            ctx.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def indent(text: str) -> str:
    return textwrap.indent(text, "  ")
