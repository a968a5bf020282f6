"""axe-core (node_modules/axe-core, pinned) at WCAG 2.2 AA on every page, both languages, phone and
desktop, in light and dark colour schemes; and on the calculator with a result and with errors showing.
Every visit also checks that the page's CSP blocked nothing and no request left the site."""
from __future__ import annotations

import pytest

from support.audit import (AXE_TAGS, VIEWPORTS, LANG_PREFIX, RESULT_VISIT, all_pages, as_json, csp_violations, fill_calculator,
                       html_file, run_axe, shot, wait_ready)

pytestmark = pytest.mark.browser

# Besides every page in the menu and on the home page: question-flow outcomes with a waiting period.
PAGES = all_pages() + [(lang, pid) for lang in ("zh", "en")
                       for pid in ("cover-start-check-unpaid-5", "cover-start-check-employee-long-gap")]


def test_axe_every_page_both_viewports_light_and_dark(phone_page, site_url):
    """One load per page; axe at 360x740 and 1280x800, each in the light and the dark colour
    scheme (prefers-color-scheme: dark, the reader's system setting)."""
    page = phone_page
    problems = []
    try:
        for lang, pid in PAGES:
            page.set_viewport_size(VIEWPORTS["phone"])
            page.emulate_media(color_scheme="light")
            page.goto(site_url + LANG_PREFIX[lang] + html_file(pid))
            page.wait_for_load_state("load")
            for viewport in ("phone", "desktop"):
                page.set_viewport_size(VIEWPORTS[viewport])
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    found = run_axe(page, site_url)
                    if found:
                        label = f"{viewport}-{scheme}-{lang}-{pid}"
                        problems.append(f"{label} (screenshot {shot(page, 'axe-' + label)}):\n    " + "\n    ".join(found))
            problems += [f"{lang}/{pid}: CSP: {v}" for v in csp_violations(page)]
    finally:
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(VIEWPORTS["phone"])
    assert not problems, "\n".join(problems)
    assert page.context.outside == []
    assert page.context.csp_console == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_calculator_with_result_and_with_errors(lang, phone_page, site_url):
    page = phone_page

    def both_schemes():
        found = []
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found += [f"{scheme}: {v}" for v in run_axe(page, site_url)]
        page.emulate_media(color_scheme="light")
        return found

    page.goto(site_url + LANG_PREFIX[lang] + "calculator.html")
    wait_ready(page)
    fill_calculator(page, RESULT_VISIT)
    page.locator('[data-field="patient_share"]').first.wait_for(state="visible", timeout=10000)
    with_result = both_schemes()
    page.locator("#calc-category_b").fill("12.345")
    page.locator(".calc-submit").click()
    page.locator("#calc-error-summary").wait_for(state="visible", timeout=10000)
    page.locator("#calc-category_b-error").wait_for(state="visible")
    with_errors = both_schemes()
    csp = csp_violations(page)
    if with_result or with_errors or csp:
        path = shot(page, f"axe-calculator-{lang}")
        pytest.fail(f"screenshot {path}\nwith result: {as_json(with_result)}\n"
                    f"with errors: {as_json(with_errors)}\nCSP: {as_json(csp)}")


def test_axe_is_live_and_catches_a_planted_fault(phone_page, site_url):
    """Guards the audit itself: axe runs its WCAG 2.2 rules here and reports a planted fault."""
    page = phone_page
    page.goto(site_url + "index.html")
    page.evaluate("""() => {
      const b = document.createElement('button');           // a button with no name, 10x10, grey on white
      b.style.cssText = 'width:10px;height:10px;min-height:0;padding:0;border:0';
      document.querySelector('article').append(b);
      const p = document.createElement('p');
      p.textContent = 'low contrast'; p.style.color = '#ccc';
      document.querySelector('article').append(p);
    }""")
    found = " ".join(run_axe(page, site_url))
    assert "button-name" in found and "color-contrast" in found, found
    rules = page.evaluate("(tags) => axe.getRules(tags).map(r => r.ruleId)", AXE_TAGS)
    assert "target-size" in rules and "color-contrast" in rules and len(rules) > 50, rules
