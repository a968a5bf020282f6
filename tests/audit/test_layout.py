"""Phones, text zoom and targets: at 320, 360 and 412 px no page scrolls sideways and the tables
(calculator breakdown, legal articles, the worked example) are readable; text at 200% (and the
whole page zoomed to 200%) keeps every page usable without sideways scroll. (Target sizes are
checked in test_keyboard.py, on the same page loads.)"""
from __future__ import annotations

import pytest

from support.audit import (LANG_PREFIX, RESULT_VISIT, all_pages, audit_context, fill_calculator, html_file,
                       shot, wait_ready)

pytestmark = pytest.mark.browser

PAGES = all_pages()

LAYOUT = """() => {
  const vw = document.documentElement.clientWidth;
  const out = {scroll: document.documentElement.scrollWidth, vw, tables: [], small: [], clipped: []};
  for (const t of document.querySelectorAll('article table')) {
    const box = t.parentElement;
    const scroller = getComputedStyle(t).overflowX === 'auto' ? t
                   : (['auto', 'scroll'].includes(getComputedStyle(box).overflowX) ? box : null);
    const r = t.getBoundingClientRect();
    // Readable: it fits the screen, or it scrolls inside its own box (never the page).
    if (r.right > vw + 1 && !scroller) out.tables.push(t.className + ' overflows the page by ' + Math.round(r.right - vw) + 'px');
    for (const cell of t.querySelectorAll('th, td')) {
      const fs = parseFloat(getComputedStyle(cell).fontSize);
      if (cell.textContent.trim() && fs < 12) out.small.push(cell.textContent.trim().slice(0, 20) + ' ' + fs + 'px');
      const cr = cell.getBoundingClientRect();
      if (cr.width < 2) continue;    // visually hidden header text, kept for screen readers
      if (cell.textContent.trim() && cr.width < 40) out.clipped.push(cell.textContent.trim().slice(0, 20) + ' ' + Math.round(cr.width) + 'px wide');
    }
  }
  // The main text: the h1 and the article fit the width.
  const h1 = document.querySelector('h1').getBoundingClientRect();
  out.h1 = h1.right <= vw + 1 && h1.left >= -1;
  return out;
}"""


def _problems(page, label):
    facts = page.evaluate(LAYOUT)
    out = []
    if facts["scroll"] > facts["vw"]:
        out.append(f"scrolls sideways ({facts['scroll']} > {facts['vw']} px)")
    if not facts["h1"]:
        out.append("the h1 does not fit the width")
    out += facts["tables"] + [f"table text too small: {x}" for x in facts["small"]] + \
        [f"table column too narrow to read: {x}" for x in facts["clipped"]]
    return [f"{label}: {p} ({shot(page, 'layout-' + label)})" for p in out[:1]] + [f"{label}: {p}" for p in out[1:]]


# Widths checked on each page (one load per page, resized in place):
# phones 320/360/412; 640 = a 1280x800 window at 200% page zoom.
WIDTHS = [320, 360, 412, 640]
# Text-only zoom to 200% (the browser's text-size setting, 16 -> 32 px; em media queries follow it
# as they do in a real browser) at a phone and a desktop width.
TEXT_ZOOM_WIDTHS = [360, 1280]


def _load(page, site_url, lang, pid):
    page.goto(site_url + LANG_PREFIX[lang] + html_file(pid))
    if pid == "calculator":     # with the breakdown table filled
        wait_ready(page)
        fill_calculator(page, RESULT_VISIT)
        page.locator("#calc-lines tr").first.wait_for(timeout=10000)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phones_and_zoom_no_sideways_scroll_tables_readable(lang, browser, site_url):
    ctx = audit_context(browser, site_url, viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    problems = []
    pids = [p for l, p in PAGES if l == lang]
    try:
        for pid in pids:
            page.set_viewport_size({"width": 360, "height": 740})
            _load(page, site_url, lang, pid)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 740 if width < 640 else 400})
                problems += _problems(page, f"{width}px-{lang}-{pid}")
        ctx.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        for pid in pids:
            page.set_viewport_size({"width": 360, "height": 740})
            _load(page, site_url, lang, pid)
            assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 38, "text zoom not applied"
            for width in TEXT_ZOOM_WIDTHS:
                page.set_viewport_size({"width": width, "height": 740})
                problems += _problems(page, f"text200-{width}px-{lang}-{pid}")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
