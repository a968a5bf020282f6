"""Preview server: build into .build/preview-PORT/, serve it at http://127.0.0.1:PORT/, rebuild and
reload on change. site/ is never touched: a deployable build stays what `python3 build.py` made.

Why not `mkdocs serve`: it watches one docs_dir and rebuilds one MkDocs config, while our site is
generated (content/ -> Markdown), built per language plus later stages, and must keep serving the
last good site when a content edit is wrong. So: stdlib http.server, a polling watcher (no extra
dependency, works on every filesystem), and web/dev/reload.js, which the server adds to the HTML it
sends (never written into the preview folder).

The preview skips the offline bundle, the service worker and compressed copies (pipeline.PREVIEW_SKIPS),
so its offline page does not link to them. The link check runs after the browsers have reloaded
(in this process: an edit to builder/checks/ needs a restart), and prints what it finds. Each rebuild runs `python -m builder.dev.cli build --preview` in a fresh
process, so edits to calculator/ or builder/ code take effect too; the browser polls /__build and
reloads when it changes.
"""
from __future__ import annotations

import errno
import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

from builder.dev.static_server import StaticHandler
from builder.site_layout import WEB

HOST = "127.0.0.1"
WATCHED = ("content", "calculator", "theme", "web", "builder/pages/templates", "builder/pages/zh_terms.txt",
           "mkdocs.yml")
POLL_SECONDS = 0.2
RELOAD_JS = WEB / "dev" / "reload.js"
INJECT = b'<script src="/__reload.js"></script></body>'


def preview_folder(root: Path, port: int) -> Path:
    return root / ".build" / f"preview-{port}"


def snapshot(root: Path) -> dict[str, tuple[float, int]]:
    """mtime and size of every watched file (cheap enough to poll: a few hundred files)."""
    state: dict[str, tuple[float, int]] = {}
    for name in WATCHED:
        base = root / name
        paths = [base] if base.is_file() else base.rglob("*") if base.is_dir() else []
        for p in paths:
            if "__pycache__" in p.parts or not p.is_file():
                continue
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            state[str(p)] = (st.st_mtime, st.st_size)
    return state


def check_links(root: Path, out: Path) -> None:
    """The build's link check, run on the preview once browsers have the new pages."""
    from builder.checks.links import check_site_links
    from builder.content.load import ContentError
    try:
        problems = check_site_links(root, out)
    except ContentError:
        return                  # the next build reports it
    if problems:
        print("\n  ".join(["Link problems in the preview (a full build stops on them):", *problems]), flush=True)


def build_preview(root: Path, out: Path) -> int:
    return subprocess.call([sys.executable, "-m", "builder.dev.cli", "build", "--preview", "--out", str(out)],
                           cwd=root)


class Handler(StaticHandler):
    build_id = "0"

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/__build":
            return self._send(Handler.build_id.encode(), "text/plain")
        if path == "/__reload.js":
            return self._send(RELOAD_JS.read_bytes(), "text/javascript")
        local = Path(self.translate_path(path))
        if local.is_dir():
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            body = local.read_bytes().replace(b"</body>", INJECT, 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, ctype: str):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def watch(root: Path, out: Path, stop: threading.Event) -> None:
    state = snapshot(root)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(root)
        if now == state:
            continue
        time.sleep(0.1)  # let an editor finish writing
        state = snapshot(root)
        t0 = time.perf_counter()
        if build_preview(root, out) == 0:
            Handler.build_id = str(time.time_ns())
            print(f"Rebuilt in {time.perf_counter() - t0:.2f}s; browsers reload.", flush=True)
            check_links(root, out)
        else:
            print("Still serving the last good site; fix the problem above and save again.", flush=True)


def serve(root: Path, port: int) -> int:
    root = Path(root).resolve()
    out = preview_folder(root, port)
    # Take the port first: a port in use must not cost a build, nor replace anything.
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), functools.partial(Handler, directory=str(out)))
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            print(f"Port {port} on {HOST} is {'in use' if exc.errno == errno.EADDRINUSE else 'not allowed'}: "
                  f"stop what serves there or choose another with `python3 build.py serve --port N`.",
                  file=sys.stderr)
            return 2
        raise
    with server:
        status = build_preview(root, out)
        if status != 0 and not (out / "index.html").exists():
            print("Nothing to serve yet: fix the problems above and run again.", file=sys.stderr)
            return status
        Handler.build_id = str(time.time_ns())
        threading.Thread(target=check_links, args=(root, out), daemon=True).start()
        stop = threading.Event()
        threading.Thread(target=watch, args=(root, out, stop), daemon=True).start()
        print(f"Serving a preview of {root.name} at http://{HOST}:{port}/ (Ctrl-C to stop); "
              f"watching {', '.join(WATCHED)}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
    return 0
