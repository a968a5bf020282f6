"""Build the whole site: validate -> render Markdown -> MkDocs (zh, en) -> runtime -> offline -> checks -> publish.

    build_site(root, out) -> exit status (0 ok, 2 content error, 1 build failure)

The site is built in a temporary folder next to `out`; only when every stage has passed is it
swapped in (old site renamed away, new renamed in, old deleted), so a failed build leaves the
previous site/ serving exactly as it was.

Stages run in the order of STAGES. A stage is `def stage_x(ctx: BuildContext) -> None` in the module
that does the work; it reads ctx.root / ctx.content and writes only under ctx.site (the temporary
site). It raises StageError (builder.context) to fail the build with a message. No stage imports
this module.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from builder.checks.csp import stage_csp
from builder.checks.links import stage_links
from builder.content.load import ContentError, stage_validate
from builder.context import BuildContext, StageError
from builder.offline.app import stage_offline_app
from builder.offline.bundle import stage_offline_bundle
from builder.offline.service_worker import stage_service_worker
from builder.pages.late_values import stage_late_values
from builder.pages.mkdocs_run import stage_mkdocs
from builder.pages.render import stage_render
from builder.pages.web_assets import stage_web_assets
from builder.publish.minify import stage_minify_css, stage_minify_js_html
from builder.publish.precompress import stage_precompress
from builder.runtime.stage import stage_install_runtime, stage_runtime

Stage = Callable[[BuildContext], None]

# The build, in order.
STAGES: list[Stage] = [
    stage_validate,                 # content/ against its schema; ContentError -> exit 2
    stage_runtime,                  # Pyodide runtime + calculator.zip, staged aside (its size is on a page)
    stage_render,                   # Jinja2 templates -> Markdown, one folder per language
    stage_mkdocs,                   # MkDocs + Material, zh at the root, en/ inside it
    stage_web_assets,               # web/ files copied into the root's assets/
    stage_install_runtime,          # the runtime into assets/pyodide/, calculator-data.js
    stage_offline_app,              # manifests, icons, offline.js
    stage_minify_css,               # our own stylesheets without comments (page-weight budget)
    stage_minify_js_html,           # our guide-page scripts and the pages' whitespace (after offline.js is written)
    stage_csp,                      # CSP meta on every page
    stage_offline_bundle,           # downloads/offline-bundle.zip: the pages rendered again for file://
    stage_late_values,              # the bundle's size on the offline page (the only late value)
    stage_service_worker,           # sw.js over the final pages
    stage_links,                    # internal links resolve, external ones are listed
    stage_precompress,              # .br/.gz copies; keep last, it must see every file
]

# A `serve` preview must rebuild within seconds of an edit. It skips the offline bundle (two more
# MkDocs builds and a zip), the service worker (it would only get in the way of live reload) and
# precompression (no static host reads it). `python3 build.py` runs everything.
# The link check too: `serve` runs it after the browsers have reloaded (builder/dev/serve.py), so an
# editor sees a change as soon as the pages are built.
PREVIEW_SKIPS = {"stage_offline_bundle", "stage_service_worker", "stage_precompress", "stage_links"}


# --- driver ----------------------------------------------------------------------------------

def swap_in(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames (same filesystem), then delete the old tree."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _quiet_mkdocs_logging() -> None:
    # MkDocs logs INFO lines per build ("Cleaning site directory", ...); keep warnings and errors.
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


@contextlib.contextmanager
def build_lock(root: Path):
    """One build of a project at a time: a second one waits here, and says so."""
    lock_path = root / ".build" / "build.lock"
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            print(f"Another build of this project is running ({holder}); waiting for it to finish ...",
                  file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)


def remove_stale(root: Path, out: Path) -> None:
    """Leftovers of builds that were killed (they cannot be running: we hold the build lock)."""
    for path in list((root / ".build").glob("run-*")) + list(out.parent.glob(f".{out.name}.new-*")) \
            + list(out.parent.glob(f".{out.name}.old-*")):
        shutil.rmtree(path, ignore_errors=True)


class Terminated(BaseException):
    """SIGTERM during a build: unwinds like Ctrl-C, so the temporary folders are removed."""


@contextlib.contextmanager
def terminate_cleanly():
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum, frame):
        raise Terminated()
    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_site(root: Path, out: Path, stages: list[Stage] | None = None,
               quiet: bool = False, preview: bool = False) -> int:
    """Run every stage into a temporary folder and swap it into `out`. Returns the exit status:
    0 built, 1 build failure, 2 content error, 130 interrupted (Ctrl-C or SIGTERM).

    preview=True (the `serve` command) skips the stages in PREVIEW_SKIPS."""
    root, out = Path(root).resolve(), Path(out).resolve()
    _quiet_mkdocs_logging()
    out.parent.mkdir(parents=True, exist_ok=True)
    (root / ".build").mkdir(exist_ok=True)
    try:
        with terminate_cleanly(), build_lock(root):
            remove_stale(root, out)
            return _build(root, out, stages or STAGES, quiet, preview)
    except (KeyboardInterrupt, Terminated):
        print("Build stopped; the site was not changed.", file=sys.stderr)
        return 130


def _build(root: Path, out: Path, stages: list[Stage], quiet: bool, preview: bool) -> int:
    site = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    work = Path(tempfile.mkdtemp(prefix="run-", dir=root / ".build"))
    ctx = BuildContext(root=root, out=out, site=site, work=work, preview=preview)
    started = time.perf_counter()
    status = 1
    try:
        for stage in stages:
            if preview and stage.__name__ in PREVIEW_SKIPS:
                continue
            t0 = time.perf_counter()
            stage(ctx)
            ctx.timings.append((stage.__name__, time.perf_counter() - t0))
        swap_in(site, out)
        status = 0
    except ContentError as exc:
        print(f"The content has {len(exc.messages)} problem(s); the site was not changed:", file=sys.stderr)
        for message in exc.messages:
            print("  " + message, file=sys.stderr)
        status = 2
    except StageError as exc:
        print(f"Build failed; the site was not changed: {exc}", file=sys.stderr)
    except Exception:  # a bug or a template error: show it all, keep the old site
        import traceback
        traceback.print_exc()
        print("Build failed (see above); the site was not changed.", file=sys.stderr)
    finally:
        if site.exists():
            shutil.rmtree(site, ignore_errors=True)
        if not os.environ.get("KEEP_BUILD"):
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - started
    if status == 0 and not quiet:
        steps = ", ".join(f"{name.removeprefix('stage_')} {secs:.2f}s" for name, secs in ctx.timings)
        print(f"Built {out} in {total:.2f}s ({steps})", flush=True)
    return status
