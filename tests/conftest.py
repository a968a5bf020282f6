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
# The quick tier's check (a hook), kept in tests/support/ so a test can run it on tests of its own.
from support.tiers import pytest_collection_modifyitems  # noqa: F401


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
