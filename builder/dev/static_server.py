"""A quiet static server over a folder, with the types module scripts, workers and wasm streaming
need: the preview server builds on it, and tests and benchmarks serve built sites with it."""
from __future__ import annotations

import functools
import http.server
import socket
import threading
from pathlib import Path


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
                      ".webmanifest": "application/manifest+json"}

    def log_message(self, *args):
        pass


class StaticServer:
    """Serves `directory` at http://127.0.0.1:PORT/ from a thread; stop() and start() again keep the
    port, so a page's origin (and its service worker) survives a restart."""

    def __init__(self, directory: Path, port: int = 0, handler: type = StaticHandler):
        self.directory, self.port, self.handler, self.httpd = Path(directory), port, handler, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> str:
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", self.port), functools.partial(self.handler, directory=str(self.directory)))
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self.url

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self) -> "StaticServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
