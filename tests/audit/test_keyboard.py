"""Keyboard and targets: every visible control on every page is reached with Tab and shows a
visible focus indicator, and is at least 24x24 CSS px (WCAG 2.5.8); the calculator works with the keyboard alone (values typed, selects changed with the
arrow keys, the "earlier this year" disclosure opened, submitted with Enter)."""
from __future__ import annotations

import pytest

from support.audit import LANG_PREFIX, all_pages, csp_violations, html_file, shot, wait_ready

pytestmark = pytest.mark.browser

PAGES = all_pages()

TARGETS = """() => {
  // Labels count where they are the control: Material's header buttons and nav toggles, and the
  // labels of checkboxes and radios. A text field's label is not its target; the field is.
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
            + 'label.md-header__button, label.md-nav__link, label[for]:has(+ input[type=checkbox]), input[type=checkbox] + label[for], input[type=radio] + label[for]';
  const small = [], under44 = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right < 0 || r.left > innerWidth) continue;            // an off-screen drawer, closed
    // WCAG 2.5.8 exempts links inside a sentence or block of text.
    const inText = el.tagName === 'A' && el.closest('p, li, td, dd, blockquote')
                   && !el.matches('.md-button, .md-nav__link, .md-select__link, .md-header__button, .md-tabs__link');
    if (inText) continue;
    if (el.matches('input[type=checkbox]') && el.labels && el.labels.length) continue;  // its label is the target
    const label = '<' + el.tagName + ' ' + (el.className || '') + '> ' + (el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 30);
    if (r.width < 24 || r.height < 24) small.push(label + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
    else if (r.width < 44 || r.height < 44) under44.push(label);
  }
  return {small, under44};
}"""

# Marks every visible, enabled, focusable control; returns how many.
MARK_CONTROLS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  let n = 0;
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.closest('[inert], [hidden]')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // Material's search and drawer toggles are visually hidden checkboxes driven by their labels.
    if (el.matches('input[type=checkbox].md-toggle')) continue;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    el.setAttribute('data-audit', String(n++));
  }
  return n;
}"""

# Which marked control has focus, and whether its focus is visible (outline or a box-shadow ring
# that differs from the unfocused look).
FOCUS_FACTS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  // 'auto' is Chromium's own focus ring (two-tone, visible on any background).
  const outline = s.outlineStyle === 'auto' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
  const ring = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  // Sideways only: off-screen drawers and panels are the failure. Vertically the browser scrolls the
  // focused element into view (headless Chromium sometimes reports the scroll a frame late).
  const onScreen = r.right > 0 && r.left < innerWidth && r.bottom > -scrollY
    && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  return {id: el.getAttribute('data-audit'), tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 40),
          visible: (outline || ring) && onScreen, onScreen,
          outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow, at: [Math.round(r.x), Math.round(r.y)]};
}"""


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_control_reachable_by_tab_with_visible_focus(viewport, phone_page, desktop_page, site_url):
    page = phone_page if viewport == "phone" else desktop_page
    problems, near = [], set()
    for lang, pid in PAGES:
        page.goto(site_url + LANG_PREFIX[lang] + html_file(pid))
        # Transitions off, so a control that slides into view on focus is measured where it ends up.
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; "
                                   "scroll-behavior: auto !important; }")
        total = page.evaluate(MARK_CONTROLS)
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        stops = page.evaluate("() => document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length")
        reached, invisible = set(), []
        for _ in range(stops + 10):
            page.keyboard.press("Tab")
            facts = page.evaluate(FOCUS_FACTS)
            if facts and not facts["visible"]:
                # Material opens the search a moment after its box takes focus, and scrolling to the
                # focused element can lag a frame or two: give it up to a second before judging.
                try:
                    page.wait_for_function(f"() => ({FOCUS_FACTS})().visible", timeout=1000)
                except Exception:
                    pass
                facts = page.evaluate(FOCUS_FACTS)
            if facts is None:
                if reached:      # focus left the document: one full round done
                    break
                continue
            if facts["id"] is not None:
                if facts["id"] in reached:
                    break
                reached.add(facts["id"])
            if not facts["visible"]:
                invisible.append(f"<{facts['tag']}> {facts['text']!r} (on screen: {facts['onScreen']} at {facts['at']}; "
                                 f"outline {facts['outline']}; shadow {facts['shadow']})")
        missed = page.evaluate("""(reached) => [...document.querySelectorAll('[data-audit]')]
            .filter(e => !reached.includes(e.getAttribute('data-audit')))
            .map(e => '<' + e.tagName + ' ' + (e.className || '') + '> ' + (e.textContent || e.name || '').trim().slice(0, 40))""",
                               sorted(reached))
        if missed or invisible:
            problems.append(f"{viewport} {lang}/{pid} ({shot(page, f'kbd-{viewport}-{lang}-{pid}')}): "
                            f"not reached by Tab: {missed}; focus not visible: {invisible}")
        # Target sizes on the same load (WCAG 2.5.8): the disclosure open, so its fields count too.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        found = page.evaluate(TARGETS)
        if found["small"]:
            problems.append(f"{viewport} {lang}/{pid}: targets under 24x24 px: {found['small']} "
                            f"({shot(page, f'targets-{viewport}-{lang}-{pid}')})")
        near.update(found["under44"])
    assert not problems, "\n".join(problems)
    print(f"{viewport}: {len(near)} distinct controls between 24 and 44 px (fine for WCAG 2.5.8 AA): {sorted(near)[:10]}")


def _tab_to(page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} ({shot(page, 'kbd-tab-to')})")


def _arrow_select(page, value: str) -> None:
    """Change the focused <select> with the arrow keys only, as a keyboard user does."""
    for key in ["Home"] + ["ArrowDown"] * 12:
        if key == "Home":
            page.keyboard.press("Home")
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {value!r} with the arrow keys")


def _focus_lands_on(page, element_id: str, label: str) -> None:
    try:
        page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id",
                               arg=element_id, timeout=10000)
    except Exception:
        raise AssertionError(f"focus is on {page.evaluate('() => document.activeElement.id')!r}, "
                             f"not #{element_id} ({shot(page, label)})") from None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_calculator_by_keyboard_alone(lang, phone_page, site_url):
    page = phone_page
    page.goto(site_url + LANG_PREFIX[lang] + "calculator.html")
    wait_ready(page)
    _tab_to(page, "#calc-profile")
    _arrow_select(page, "example")
    _tab_to(page, "#calc-plan")
    _arrow_select(page, "employee-in-service")
    _tab_to(page, "#calc-setting")
    _arrow_select(page, "inpatient")
    _tab_to(page, "#calc-level")
    _arrow_select(page, "tertiary")
    _tab_to(page, "#calc-total")
    page.keyboard.type("20000")
    # The disclosure: reach its summary, open it with Enter, type into a field inside it.
    _tab_to(page, "#calc-earlier > summary")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.getElementById('calc-earlier').open"), "Enter did not open the disclosure"
    _tab_to(page, "#calc-prior_admissions")
    page.keyboard.type("1")
    page.keyboard.press("Enter")           # submits the form from a text field
    share = page.locator('[data-field="patient_share"]').first
    share.wait_for(state="visible", timeout=10000)
    assert share.inner_text().strip(), shot(page, f"kbd-calc-{lang}")
    # After submitting, focus goes to the result heading so a screen reader hears the answer (the
    # result may already show from typing; the focus moves when the submitted estimate arrives).
    _focus_lands_on(page, "calc-result-title", f"kbd-calc-{lang}")
    # The same by keyboard with a mistake: the error summary takes focus, its link leads to the field.
    page.locator("#calc-category_b").focus()
    page.keyboard.type("12.345")
    page.keyboard.press("Enter")
    _focus_lands_on(page, "calc-error-summary", f"kbd-err-{lang}")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "calc-category_b", shot(page, f"kbd-err-{lang}")
    assert csp_violations(page) == []
