"""Helpers for the audit suite: pages to visit, axe, CSP watch, screenshots on failure."""
from __future__ import annotations

import json
import re
from pathlib import Path

from support.browsing import keep_local
from support.project import ROOT
from support.pages import LANG_PREFIX, all_pages, html_file, page_ids  # noqa: F401  (re-used by the audits)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "__audit__/axe.min.js"            # served by a route from node_modules, on the site's origin
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = Path("/tmp/shots")
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}

# The calculator filled two ways: a result, and then an error.
RESULT_VISIT = {"profile": "example", "plan": "employee-in-service", "setting": "inpatient",
                "level": "tertiary", "total": "20000"}

# Records CSP violations in the page (init scripts run before the page's own, outside its CSP).
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(
  e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
"""


def audit_context(browser, site_url: str, **options):
    """A browser context that blocks every request outside the site, serves axe on the site's origin
    (so the page's own CSP lets it run, and nothing comes from a CDN) and records CSP violations."""
    ctx = browser.new_context(**options)
    ctx.csp_console = []
    ctx.outside = keep_local(ctx, (site_url, "data:", "blob:"))
    # Registered later, so it answers first (Playwright runs matching routes newest first).
    ctx.route(site_url + AXE_PATH, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    ctx.add_init_script(CSP_WATCH)
    ctx.on("console", lambda m: "Content Security Policy" in m.text and ctx.csp_console.append(m.text))
    return ctx


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def run_axe(page, site_url: str, include_rules: list[str] | None = None) -> list[str]:
    """axe-core at the WCAG 2.2 AA tags; one line per failing node."""
    # Let CSS transitions finish (Material fades the header title on scroll): a half-faded text is
    # not what the reader sees once the page is still.
    try:
        page.wait_for_function("() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')",
                               timeout=3000)
    except Exception:
        pass
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=site_url + AXE_PATH)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if include_rules:
        options = {"runOnly": {"type": "rule", "values": include_rules}, "resultTypes": ["violations"]}
    result = page.evaluate("(opts) => axe.run(document, opts)", options)
    out = []
    for v in result["violations"]:
        for node in v["nodes"]:
            out.append(f"{v['id']} ({v['impact']}): {node['target']} — {node['failureSummary'].splitlines()[-1].strip()}"
                       f" | {node['html'][:120]}")
    return out


def shot(page, name: str) -> str:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:   # a screenshot must never hide the real failure
        return f"(no screenshot: {exc})"
    return str(path)


def fill_calculator(page, visit: dict[str, str]) -> None:
    for name, value in visit.items():
        field = page.locator(f'#calc-form [name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def wait_ready(page, timeout: float = 30000) -> None:
    page.wait_for_function("() => performance.getEntriesByName('calculator-ready').length > 0", timeout=timeout)


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
