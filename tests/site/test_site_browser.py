"""In Chromium at 360x740 with every non-local request blocked: no sideways scroll, one h1,
landmarks, the language switch keeps the page, search finds Chinese and English words."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from support.browsing import search
from support.pages import LANG_PREFIX, html_file, page_ids

pytestmark = pytest.mark.browser

PAGES = page_ids()
ALL = [(lang, pid) for lang in ("zh", "en") for pid in PAGES]


def test_every_page_fits_a_phone_and_has_landmarks(phone, site_url):
    problems = []
    for lang, pid in ALL:
        phone.goto(site_url + LANG_PREFIX[lang] + html_file(pid))
        facts = phone.evaluate("""() => ({
            scroll: document.documentElement.scrollWidth,
            h1: document.querySelectorAll('h1').length,
            banner: !!document.querySelector('header, [role=banner]'),
            main: !!document.querySelector('main, [role=main]'),
            nav: !!document.querySelector('nav, [role=navigation]'),
            footer: !!document.querySelector('footer, [role=contentinfo]'),
            lang: document.documentElement.lang,
        })""")
        if facts["scroll"] > 360:
            problems.append(f"{lang}/{pid}: scrolls sideways ({facts['scroll']} px)")
        if facts["h1"] != 1:
            problems.append(f"{lang}/{pid}: {facts['h1']} h1")
        for landmark in ("banner", "main", "nav", "footer"):
            if not facts[landmark]:
                problems.append(f"{lang}/{pid}: no {landmark} landmark")
        if facts["lang"] != lang:
            problems.append(f"{lang}/{pid}: html lang={facts['lang']}")
    assert not problems
    assert phone.outside_requests == []


@pytest.mark.parametrize("start,target,hreflang", [
    ("activation.html", "en/activation.html", "en"),
    ("en/legal.html", "legal.html", "zh"),
    ("index.html", "en/index.html", "en"),
])
def test_language_switch_lands_on_the_same_page(phone, site_url, start, target, hreflang):
    phone.goto(site_url + start)
    phone.locator(".md-header .md-select > button").click()
    phone.locator(f'.md-select__link[hreflang="{hreflang}"]').click()
    phone.wait_for_url(site_url + target)
    assert phone.locator("h1").count() == 1
    assert phone.outside_requests == []


@pytest.mark.parametrize("lang,query,expected", [
    ("zh", "激活", "activation.html"),
    ("zh", "药店", "pharmacy.html"),
    ("en", "pharmacy", "pharmacy.html"),
])
def test_search_finds_the_page(phone, site_url, lang, query, expected):
    phone.goto(site_url + LANG_PREFIX[lang] + "index.html")
    hrefs = search(phone, query, timeout_ms=5000)
    assert hrefs and urlsplit(hrefs[0]).path == "/" + LANG_PREFIX[lang] + expected, hrefs   # best match first
    assert phone.outside_requests == []
