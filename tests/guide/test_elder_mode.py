"""Elder mode (长辈模式) and read aloud: the toggle is a real button with a text label in both
languages; switched on, the NEXT page opens in it before its first paint, with body text of at least
20 px at line height 1.5 or more, no visible control under 44x44 px and text contrast of at least 7:1
(axe's AAA rule); it stays off once switched off; it works from file://. Read aloud speaks the page
with a zh-CN or en voice and is hidden where the device has none."""
from __future__ import annotations

import zipfile

import pytest

from support.audit import LANG_PREFIX, VIEWPORTS, audit_context, run_axe, shot
from support.browsing import search

from builder.site_layout import LANGS

pytestmark = pytest.mark.browser
LABELS = {"zh": "长辈模式", "en": "Elder mode"}
PAGES = ["index.html", "care-away.html", "activation-check.html", "activation-check-bank.html", "e-card.html"]

# Records, when <body> first appears, whether elder mode was already on: that is before any paint
# of the page's content, and before any deferred script could switch it on.
AT_BODY = """
new MutationObserver((_, obs) => {
  if (!document.body) return;
  window.__elderAtBody = document.documentElement.classList.contains('elder');
  obs.disconnect();
}).observe(document, {childList: true, subtree: true});
"""

SIZES = """() => {
  const vw = document.documentElement.clientWidth, small = [], text = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(controls)) {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= 0 || r.left >= vw) continue;     // off-canvas drawer
    if (r.width < 44 || r.height < 44)
      small.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 20) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  for (const el of document.querySelectorAll('article p, article li, article td, article th')) {
    if (!el.checkVisibility() || !el.textContent.trim()) continue;
    const cs = getComputedStyle(el), fs = parseFloat(cs.fontSize), lh = parseFloat(cs.lineHeight);
    if (fs < 20 || !(lh / fs >= 1.5)) text.push(el.tagName + ' "' + el.textContent.trim().slice(0, 20) + '" ' + fs + 'px/' + cs.lineHeight);
  }
  return {small, text, elder: document.documentElement.classList.contains('elder'),
          body: parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)};
}"""


def _toggle(page):
    return page.locator("button[data-elder-toggle]")


@pytest.fixture
def ctx(browser, site_url):
    context = audit_context(browser, site_url, viewport=VIEWPORTS["phone"])
    context.add_init_script(AT_BODY)
    yield context
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_elder_mode_is_remembered_and_applied_before_first_paint(ctx, site_url, lang):
    page = ctx.new_page()
    base = site_url + LANG_PREFIX[lang]
    page.goto(base + "index.html")
    toggle = _toggle(page)
    assert toggle.inner_text().strip() == LABELS[lang]
    assert toggle.get_attribute("aria-pressed") == "false"
    before = page.evaluate(SIZES)
    assert not before["elder"] and before["body"] < 20
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"

    for viewport in ("phone", "desktop"):
        page.set_viewport_size(VIEWPORTS[viewport])
        for name in PAGES[1:]:
            page.goto(base + name)
            facts = page.evaluate(SIZES)
            label = f"{lang}/{name} {viewport}"
            assert page.evaluate("window.__elderAtBody") is True, f"{label}: elder mode came after first paint"
            assert facts["body"] >= 20, label
            assert not facts["text"], f"{label} ({shot(page, 'elder-text-' + label)}): {facts['text']}"
            assert not facts["small"], f"{label} ({shot(page, 'elder-targets-' + label)}): {facts['small']}"
            assert _toggle(page).get_attribute("aria-pressed") == "true"

    _toggle(page).click()
    page.goto(base + "lost-card.html")
    assert page.evaluate("window.__elderAtBody") is False
    assert page.evaluate(SIZES)["body"] < 20
    assert ctx.outside == [] and ctx.csp_console == []


def test_elder_mode_axe_on_and_off_with_aaa_contrast_when_on(ctx, site_url):
    """axe (WCAG 2.2 AA) with elder mode on and off, both languages, 360 and 1280 px, on the pages the
    site audit does not visit (flow questions and outcomes, 404) and, elder mode on, on every page;
    elder mode on, axe's AAA contrast rule (7:1) finds nothing."""
    from support.audit import all_pages, html_file
    page = ctx.new_page()
    extra = ["activation-check-old-card.html", "activation-check-pharmacy.html", "404.html"]
    problems = []
    for elder in (False, True):
        page.goto(site_url + "index.html")
        if _toggle(page).get_attribute("aria-pressed") != str(elder).lower():
            _toggle(page).click()
        names = [(lang, n) for lang in LANGS for n in extra]
        if elder:
            names += [(lang, html_file(pid)) for lang, pid in all_pages()]
        for lang, name in names:
            page.set_viewport_size(VIEWPORTS["phone"])
            page.goto(site_url + LANG_PREFIX[lang] + name)
            assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
            for viewport in ("phone", "desktop"):
                page.set_viewport_size(VIEWPORTS[viewport])
                found = run_axe(page, site_url)
                if elder:
                    found += run_axe(page, site_url, include_rules=["color-contrast-enhanced"])
                if found:
                    label = f"elder-{elder}-{viewport}-{lang}-{name}"
                    problems.append(f"{label} ({shot(page, 'axe-' + label)}):\n    " + "\n    ".join(found))
    assert not problems, "\n".join(problems)
    assert ctx.outside == [] and ctx.csp_console == []


WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')].filter(e => e.checkVisibility()
  && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right))"""


def test_elder_mode_fits_a_360px_phone_on_every_page_and_keeps_search(ctx, built_site, site_url):
    """No page of the built site scrolls sideways at 360 px in elder mode (nor with the language
    menu open), and the header's search button is there and finds a page."""
    names = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                   if p.relative_to(built_site).parts[0] not in ("assets", "downloads"))
    assert "index.html" in names and "en/calculator.html" in names and "en/404.html" in names
    ctx.add_init_script("try { localStorage['shebao-elder'] = '1' } catch (e) {}")
    page = ctx.new_page()
    wide = []
    for name in names:
        page.goto(site_url + name)
        assert page.evaluate("document.documentElement.classList.contains('elder')"), name
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{name}: {width} px ({shot(page, 'elder-wide-' + name)}) {page.evaluate(WIDER_THAN_SCREEN)}")
        button = page.locator('label.md-header__button[for="__search"]')
        box = button.bounding_box() if button.is_visible() else None
        assert box and box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= 360, \
            f"{name}: the search button is not reachable ({box})"
    assert not wide, "\n".join(wide)

    for lang in LANGS:
        page.goto(site_url + LANG_PREFIX[lang] + "index.html")
        page.locator(".md-header .md-select button, .md-header .md-select [tabindex]").first.focus()
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.evaluate(WIDER_THAN_SCREEN)
        hrefs = search(page, "挂失" if lang == "zh" else "lost card")
        assert any("lost-card" in h for h in hrefs), hrefs
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.evaluate(WIDER_THAN_SCREEN)
    assert ctx.outside == [] and ctx.csp_console == []


def test_elder_mode_from_the_unzipped_offline_copy(built_site, browser, tmp_path):
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as z:
        z.extractall(tmp_path)
    home = min(tmp_path.rglob("index.html"), key=lambda p: len(p.parts))
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    context.add_init_script(AT_BODY)
    try:
        page = context.new_page()
        page.goto(home.as_uri())
        # Chromium hands a localStorage write to its browser process asynchronously, and a file://
        # page opened the same instant may be given a new renderer that reads the store before the
        # write arrives; a person is never that fast. A second tab's storage event says the store
        # has the choice, so the next page is opened after it, as it would be by hand.
        watcher = context.new_page()
        watcher.goto(home.as_uri())
        # Marked in the DOM: the page's CSP forbids the eval a polled wait_for_function needs.
        watcher.evaluate("""() => addEventListener('storage', e => {
          if (e.key === 'shebao-elder') document.documentElement.dataset.stored = e.newValue; })""")
        _toggle(page).click()
        watcher.wait_for_selector("html[data-stored]", state="attached", timeout=10_000)
        assert watcher.get_attribute("html", "data-stored") == "1"
        watcher.close()
        page.goto((home.parent / "family-account.html").as_uri())
        assert page.evaluate("window.__elderAtBody") is True
        assert page.evaluate(SIZES)["body"] >= 20
        # The offline copy's home page says where to get a newer copy.
        page.goto(home.as_uri())
        assert page.locator("#offline-in-bundle").is_visible()
    finally:
        context.close()


STUB_SPEECH = """
window.__spoken = [];
const voices = %s;
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  speaking: false, getVoices: () => voices,
  speak(u) { this.speaking = true; window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel() { this.speaking = false; },
}});
"""


@pytest.mark.parametrize("lang, voices, expect", [
    ("zh", [{"lang": "en-US", "name": "e"}, {"lang": "zh-CN", "name": "z"}], "zh-CN"),
    ("zh", [{"lang": "en-US", "name": "e"}, {"lang": "zh-TW", "name": "t"}], None),
    ("en", [{"lang": "zh-CN", "name": "z"}, {"lang": "en-GB", "name": "g"}], "en-GB"),
    ("en", [], None),
])
def test_read_aloud_uses_a_voice_in_the_page_language_or_hides(browser, site_url, lang, voices, expect):
    import json
    context = browser.new_context()
    context.add_init_script(STUB_SPEECH % json.dumps(voices))
    try:
        page = context.new_page()
        page.goto(site_url + LANG_PREFIX[lang] + "care-away.html")
        button = page.locator("button[data-read-aloud]")
        page.locator("button[data-elder-toggle]").wait_for(state="visible")    # elder.js has run
        if expect is None:
            assert button.is_hidden()
            return
        label = button.inner_text()
        button.click()
        spoken = page.evaluate("window.__spoken")
        assert len(spoken) == 1 and spoken[0]["lang"] == expect
        h1 = page.locator("h1").inner_text()
        assert h1 in spoken[0]["text"]
        assert "资料来源" not in spoken[0]["text"] and "Sources" not in spoken[0]["text"][-400:]
        assert button.inner_text() != label           # now "stop reading"
    finally:
        context.close()


def test_read_aloud_with_the_devices_real_voices(browser, site_url):
    """Without a stub: shown exactly when this browser has a zh-CN voice."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + "care-away.html")
        page.locator("button[data-elder-toggle]").wait_for(state="visible")
        has_voice = page.evaluate("speechSynthesis.getVoices().some(v => /^zh[-_](cn|hans)/i.test(v.lang))")
        assert page.locator("button[data-read-aloud]").is_visible() is has_voice
    finally:
        context.close()
