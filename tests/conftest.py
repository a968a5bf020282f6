"""Fixtures every suite shares: one built site, one local server and one browser per test session,
and the markers that split the quick tier (`python3 build.py test --fast`) from the rest.

Playwright's sync API allows one running instance per process, so every browser test uses the
`browser` fixture here rather than starting its own. Shared helpers live in tests/support/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.dev.static_server import StaticServer
from support.project import ROOT

# Markers by what a test uses (fixtures) or where it lives, so no test needs to declare them.
BROWSER_FIXTURES = {"browser", "phone", "phone_page", "desktop_page", "file_page"}
SITE_BUILD_FIXTURES = {"built_site", "site_url", "served", "bundle_dir", "built_project"}
PYODIDE_FILES = {"test_in_pyodide.py", "test_pyodide_runtime.py", "test_file_route.py"}
# Files whose tests build a copy of the project themselves (no fixture says so).
SITE_BUILD_FILES = {"test_content_safety.py", "test_build_runs.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SITE_BUILD_FIXTURES or item.path.name in SITE_BUILD_FILES:
            item.add_marker(pytest.mark.site_build)
        if item.path.name in PYODIDE_FILES:
            item.add_marker(pytest.mark.pyodide)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


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
