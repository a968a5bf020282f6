"""Fixtures every suite shares: one built site, one local server and one browser per test session,
and the check of the markers that choose the quick tier (`python3 build.py test --fast`).

A test is in the quick tier only when it says so: `pytestmark = pytest.mark.fast` in its module, or
`@pytest.mark.fast` on the test. A test that says nothing runs in the full suite only, so a slow test
can never slip into the quick tier by its name or place. A quick test that starts a browser, uses
the built site or runs hypothesis is refused at collection: it would make the tier slow.

Playwright's sync API allows one running instance per process, so every browser test uses the
`browser` fixture here rather than starting its own. Shared helpers live in tests/support/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.dev.static_server import StaticServer
from support.project import ROOT

# What a quick test must not use: these fixtures start Chromium or build the whole site.
SLOW_FIXTURES = {"browser", "built_site", "site_url", "built_project", "bundle_dir"}
SLOW_KINDS = ("browser", "pyodide", "site_build", "property")


def pytest_collection_modifyitems(config, items):
    wrong = []
    for item in items:
        if item.get_closest_marker("fast") is None:
            continue
        kinds = [k for k in SLOW_KINDS if item.get_closest_marker(k) is not None]
        slow = sorted(set(getattr(item, "fixturenames", ())) & SLOW_FIXTURES)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            slow.append("hypothesis")
        if kinds or slow:
            wrong.append(f"{item.nodeid}: marked fast but uses {', '.join(kinds + slow)}")
    if wrong:
        raise pytest.UsageError("quick-tier tests that are not quick (drop their `fast` marker):\n  "
                                + "\n  ".join(wrong))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    from builder.pipeline import build_site
    out = tmp_path_factory.mktemp("build") / "site"
    assert build_site(ROOT, out, quiet=True) == 0
    return out


@pytest.fixture(scope="session")
def site_url(built_site):
    with StaticServer(built_site) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    # Playwright is pinned in requirements.txt: a missing one must fail, not quietly skip.
    from playwright.sync_api import sync_playwright

    from builder.dev.browser import launch
    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()
