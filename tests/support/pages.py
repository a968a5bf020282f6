"""The site's pages as tests see them: ids, built file names, language prefixes, visible text."""
from __future__ import annotations

import functools
import re
from html import unescape

from builder.site_layout import LANGS, lang_prefix

from support.project import ROOT

LANG_PREFIX = {lang: lang_prefix(lang) for lang in LANGS}


@functools.lru_cache(maxsize=1)
def page_ids() -> tuple[str, ...]:
    # Collection asks for the ids once per language and module: read the content once.
    from builder.content.load import load_content
    return tuple(load_content(ROOT).page_ids)


def html_file(page_id: str) -> str:
    from builder.pages.render import page_url
    return page_url(page_id)


def all_pages() -> list[tuple[str, str]]:
    return [(lang, pid) for lang in LANGS for pid in page_ids()]


def visible_text(html: str) -> str:
    """Text of the <article> (the page body), tags stripped, entities decoded, spaces collapsed."""
    m = re.search(r"<article\b.*?</article>", html, re.S)
    body = m.group(0) if m else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
