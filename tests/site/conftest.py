"""Fixtures for the site tests (helpers live in tests/support/)."""
from __future__ import annotations

import pytest

from support.browsing import keep_local
from support.project import ROOT


@pytest.fixture(scope="session")
def content():
    from builder.content.load import load_content
    return load_content(ROOT)


@pytest.fixture
def phone(browser, site_url):
    """A 360x740 page whose every request outside the local site is blocked and recorded."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    outside = keep_local(ctx, (site_url, "data:", "blob:"))
    page = ctx.new_page()
    page.outside_requests = outside
    yield page
    ctx.close()
