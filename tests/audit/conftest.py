"""Audit fixtures: one context per viewport for the whole module, shared by every page it visits.
Helpers live in tests/support/audit.py, so no test imports a `conftest` module."""
from __future__ import annotations

import pytest

from support.audit import VIEWPORTS, audit_context


def _context(browser, site_url, **options):
    ctx = audit_context(browser, site_url, **options)
    page = ctx.new_page()
    return ctx, page


@pytest.fixture(scope="module")
def phone_page(browser, site_url):
    ctx, page = _context(browser, site_url, viewport=VIEWPORTS["phone"])
    yield page
    ctx.close()


@pytest.fixture(scope="module")
def desktop_page(browser, site_url):
    ctx, page = _context(browser, site_url, viewport=VIEWPORTS["desktop"])
    yield page
    ctx.close()
