"""Where the calculator or the planner cannot run (scripts off, or no WebAssembly), the page says
so in a resident's words, not in technical terms, and offers no link to a page that needs them."""
from __future__ import annotations

import pytest

from support.pages import LANG_PREFIX

pytestmark = [pytest.mark.browser, pytest.mark.site_build]

JARGON = ("JavaScript", "WebAssembly", "Wasm")
NO_WASM = "delete window.WebAssembly;"


def _visible_links(page) -> list[str]:
    return page.locator("article a[href]").evaluate_all(
        "els => els.filter(e => e.checkVisibility()).map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("how", ["scripts off", "no WebAssembly"])
@pytest.mark.parametrize("lang", list(LANG_PREFIX))
@pytest.mark.parametrize("name", ["calculator.html", "planner.html"])
def test_the_notice_is_plain_and_links_nowhere_that_needs_scripts(browser, site_url, lang, name, how):
    options = {"viewport": {"width": 360, "height": 740}}
    if how == "scripts off":
        options["java_script_enabled"] = False
    context = browser.new_context(**options)
    if how == "no WebAssembly":
        context.add_init_script(NO_WASM)
    try:
        page = context.new_page()
        page.goto(site_url + LANG_PREFIX[lang] + name)
        if how == "no WebAssembly":
            app = "#calculator-app" if name == "calculator.html" else "#planner-app"
            page.wait_for_selector(f"{app}[data-ready=unsupported]", state="attached", timeout=10_000)
        notice = page.locator("#calc-nojs")
        assert notice.is_visible()
        text = notice.inner_text()
        assert not [word for word in JARGON if word.lower() in text.lower()], text
        links = _visible_links(page)
        assert not [h for h in links if h.split("#")[0].split("?")[0].endswith("planner.html")], links
    finally:
        context.close()
