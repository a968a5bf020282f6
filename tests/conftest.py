"""Fixtures every suite shares: one built site, one local server and one browser per test session.

Playwright's sync API allows one running instance per process, so every browser test uses the
`browser` fixture here rather than starting its own.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    from builder.pipeline import build_site
    out = tmp_path_factory.mktemp("build") / "site"
    assert build_site(ROOT, out, quiet=True) == 0
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Module scripts and workers need a JavaScript type; wasm streaming compilation needs its own.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    # Playwright is pinned in requirements.txt: a missing one must fail, not quietly skip.
    from playwright.sync_api import sync_playwright

    from builder.dev.browser import launch
    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


