"""Preview server: build, serve site/ at http://127.0.0.1:8000, rebuild and reload on change.

Why not `mkdocs serve`: it watches one docs_dir and rebuilds one MkDocs config, while our
site is generated (content/ -> Markdown) and built twice (zh, en) plus later stages, and must
keep serving the last good site when a content edit is wrong. So: stdlib http.server serving
site/, a polling watcher (no extra dependency, works on every filesystem), and a tiny reload
script that the server injects into HTML responses only (never written into site/).

Each rebuild runs `build_site` in a fresh Python process, so edits to calculator/ or
builder/ code take effect too; the browser polls /__build and reloads when it changes.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST, PORT = "127.0.0.1", 8000
WATCHED = ("content", "calculator", "theme", "web", "builder/pages/templates", "builder/pages/zh_terms.txt", "mkdocs.yml")
POLL_SECONDS = 0.3

RELOAD_SCRIPT = b"""(function () {
  var seen = null;
  function poll() {
    fetch("/__build", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (id) {
      if (seen !== null && id !== seen) { location.reload(); return; }
      seen = id; setTimeout(poll, 500);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
INJECT = b'<script src="/__reload.js"></script></body>'


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


def build_in_subprocess(root: Path, out: Path) -> int:
    code = ("import sys; from pathlib import Path; from builder.pipeline import build_site; "
            f"sys.exit(build_site(Path({str(root)!r}), Path({str(out)!r}), preview=True))")
    return subprocess.call([sys.executable, "-c", code], cwd=root)


class Handler(http.server.SimpleHTTPRequestHandler):
    build_id = "0"

    def log_message(self, fmt, *args):  # keep the console for build messages
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/__build":
            return self._send(Handler.build_id.encode(), "text/plain")
        if path == "/__reload.js":
            return self._send(RELOAD_SCRIPT, "text/javascript")
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
        if build_in_subprocess(root, out) == 0:
            Handler.build_id = str(time.time_ns())
            print(f"Rebuilt in {time.perf_counter() - t0:.2f}s; browsers reload.", flush=True)
        else:
            print("Still serving the last good site; fix the problem above and save again.", flush=True)


def serve(root: Path, out: Path, port: int = PORT) -> int:
    from builder.pipeline import build_site

    root, out = Path(root).resolve(), Path(out).resolve()
    status = build_site(root, out, preview=True)
    if status != 0 and not (out / "index.html").exists():
        print("Nothing to serve yet: fix the problems above and run again.", file=sys.stderr)
        return status
    Handler.build_id = str(time.time_ns())
    # directory= is resolved per request, so the atomic swap of site/ is picked up at once.
    handler = functools.partial(Handler, directory=str(out))
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    stop = threading.Event()
    threading.Thread(target=watch, args=(root, out, stop), daemon=True).start()
    print(f"Serving {out} at http://{HOST}:{port}/ (Ctrl-C to stop); watching {', '.join(WATCHED)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":  # python -m builder.dev.serve [port]   (tests run it on a free port)
    _root = Path(os.getcwd()).resolve()
    sys.exit(serve(_root, _root / "site", int(sys.argv[1]) if len(sys.argv) > 1 else PORT))
