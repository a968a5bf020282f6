"""Shared fixtures for the site tests: the site is built ONCE per session into a temp dir."""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from html import unescape
from pathlib import Path

import pytest

from support.browsing import keep_local

ROOT = Path(__file__).resolve().parents[2]
LANG_PREFIX = {"zh": "", "en": "en/"}


def page_ids() -> list[str]:
    from builder.content.load import load_content
    return load_content(ROOT).page_ids


def html_file(page_id: str) -> str:
    return "index.html" if page_id == "home" else f"{page_id}.html"


def visible_text(html: str) -> str:
    """Text of the <article> (the page body), tags stripped, entities decoded, spaces collapsed."""
    m = re.search(r"<article\b.*?</article>", html, re.S)
    body = m.group(0) if m else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def content():
    from builder.content.load import load_content
    return load_content(ROOT)


def copy_project(dest: Path) -> Path:
    """A throwaway copy of what a build reads (content, theme, config, code) to break safely."""
    for name in ("content", "theme", "web", "builder", "calculator"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "package.json", "package-lock.json"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, dest / name)
    for name in ("node_modules", ".cache"):      # read-only inputs of later stages (Pyodide runtime)
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)
    return dest


@pytest.fixture
def phone(browser, site_url):
    """A 360x740 page whose every request outside the local site is blocked and recorded."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    outside = keep_local(ctx, (site_url, "data:", "blob:"))
    page = ctx.new_page()
    page.outside_requests = outside
    yield page
    ctx.close()
