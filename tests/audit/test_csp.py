"""Content-Security-Policy (builder/checks/csp.py): on every page, hashes matching the page's own
inline scripts, no inline event handlers; the calculator computes under it over http; the file://
runtime route boots under it; an injected inline script is refused; the offline bundle carries it."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from support.audit import (CSP_WATCH, LANG_PREFIX, RESULT_VISIT, ROOT, audit_context, csp_violations,
                       fill_calculator, wait_ready)
from support.browsing import keep_local
from builder.checks.csp import apply_csp, inline_handlers, inline_script_hashes, policy_for

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _check_page(path: Path) -> list[str]:
    html = path.read_text(encoding="utf-8")
    metas = META.findall(html)
    if len(metas) != 1:
        return [f"{path}: {len(metas)} CSP meta tags"]
    problems = []
    first_script = html.find("<script")
    if first_script != -1 and html.find('http-equiv="Content-Security-Policy"') > first_script:
        problems.append(f"{path}: the CSP meta comes after a script")
    script_src = _directives(metas[0])["script-src"]
    hashes = [s for s in script_src if s.startswith("'sha256-")]
    if hashes != inline_script_hashes(html):
        problems.append(f"{path}: script-src hashes do not match the page's inline scripts")
    for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:", "http:", "https:"):
        if bad in script_src:
            problems.append(f"{path}: script-src allows {bad}")
    if inline_handlers(html):
        problems.append(f"{path}: inline event handlers {inline_handlers(html)}")
    return problems


def test_every_page_has_its_policy_and_no_inline_handlers(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 16
    problems = [p for page in pages for p in _check_page(page)]
    assert not problems, "\n".join(problems)
    policy = _directives(META.search((built_site / "calculator.html").read_text(encoding="utf-8")).group(1))
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["default-src"] == ["'self'"]


@pytest.mark.fast
def test_the_checks_catch_handlers_and_stale_hashes(tmp_path):
    assert inline_handlers('<button type="button" onclick="go()">x</button>') == ["onclick"]
    assert inline_handlers('<a href="javascript:void(0)">x</a>')
    assert inline_handlers("<p>Click on=this is text, <b>not</b> a handler</p>") == []
    page = tmp_path / "p.html"
    page.write_text('<!doctype html><html><head><meta charset="utf-8"><script>a=1</script></head></html>')
    assert apply_csp(tmp_path) == 1 and _check_page(page) == []
    assert apply_csp(tmp_path) == 1 and len(META.findall(page.read_text())) == 1    # idempotent
    page.write_text(page.read_text().replace("a=1", "a=2"))        # the page changed after the policy
    assert _check_page(page)
    (tmp_path / "bad.html").write_text('<html><head></head><body><div onmouseover="x()"></div></body></html>')
    with pytest.raises(ValueError, match="bad.html: inline event handler"):
        apply_csp(tmp_path)


def test_injected_inline_script_is_refused_from_file_url(browser, tmp_path):
    """'self' matches file: pages in Chromium: the site's own scripts run from an unzipped copy,
    an inline script the build did not hash does not."""
    (tmp_path / "own.js").write_text("window.own = true;")
    page_file = tmp_path / "index.html"
    page_file.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
                         '<script>window.hashed = true;</script><script src="own.js"></script></head>'
                         '<body><p>x</p></body></html>')
    apply_csp(tmp_path)
    html = page_file.read_text().replace("<p>x</p>", "<p>x</p><script>window.injected = true;</script>")
    page_file.write_text(html)
    ctx = browser.new_context()
    ctx.add_init_script(CSP_WATCH)
    try:
        page = ctx.new_page()
        page.goto(page_file.as_uri())
        state = page.evaluate("() => [!!window.hashed, !!window.own, !!window.injected]")
        violations = csp_violations(page)
    finally:
        ctx.close()
    assert state == [True, True, False]
    assert len(violations) == 1 and violations[0].startswith("script-src-elem blocked inline"), violations


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_calculator_computes_under_the_policy(lang, browser, site_url):
    ctx = audit_context(browser, site_url, viewport={"width": 360, "height": 740})
    try:
        page = ctx.new_page()
        workers = []
        page.on("worker", lambda w: workers.append(w.url))
        page.goto(site_url + LANG_PREFIX[lang] + "calculator.html")
        wait_ready(page)
        fill_calculator(page, RESULT_VISIT)
        share = page.locator('[data-field="patient_share"]').first
        share.wait_for(state="visible", timeout=10000)
        assert re.search(r"\d", share.inner_text())
        assert csp_violations(page) == [] and ctx.csp_console == [] and ctx.outside == []
        assert any(w.endswith("calculator-worker.js") for w in workers), workers
    finally:
        ctx.close()


TINY = {"tiny/__init__.py": "", "tiny/calc.py": "from decimal import Decimal\n"
        "def add(a, b):\n    return str(Decimal(a) + Decimal(b))\n"}
FILE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>file route under CSP</title>
<script src="runtime/pyodide-file-route.js"></script>
<script>
window.outcome = (async () => {
  const worker = await PyodideFileRoute.startWorker();
  return await new Promise((resolve) => {
    worker.onerror = (e) => resolve({failed: "worker error: " + e.message});
    worker.onmessage = (e) => {
      if (e.data.type === "error") resolve({failed: e.data.stage + ": " + e.data.message});
      if (e.data.type === "result") resolve(e.data);
    };
    worker.postMessage({type: "init", packages: ["tiny.zip"], imports: ["tiny.calc"]});
    worker.postMessage({type: "run", id: 1, module: "tiny.calc", func: "add", args: ["0.10", "0.20"]});
  });
})().catch((e) => ({failed: String(e)}));
</script></head><body><p>file route</p></body></html>"""


def test_file_route_boots_under_the_policy(browser, tmp_path):
    """The offline bundle's calculator route (blob: worker, wasm from base64, stdlib blob) works
    from file:// with the same policy, and nothing is blocked."""
    from builder.runtime.file_route import build_file_route
    pyodide = ROOT / "node_modules" / "pyodide"
    staged = tmp_path / "staged"
    staged.mkdir()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json", "python_stdlib.zip"):
        (staged / name).symlink_to(pyodide / name)
    with zipfile.ZipFile(staged / "tiny.zip", "w") as z:
        for name, text in TINY.items():
            z.writestr(name, text)
    site = tmp_path / "bundle 社保"
    build_file_route(staged, site / "runtime")
    (site / "index.html").write_text(FILE_PAGE, encoding="utf-8")
    assert apply_csp(site) == 1
    ctx = browser.new_context()
    ctx.add_init_script(CSP_WATCH)
    console = []
    ctx.on("console", lambda m: console.append(m.text))
    blocked = keep_local(ctx, ("file:", "blob:", "data:"))
    try:
        page = ctx.new_page()
        page.goto((site / "index.html").as_uri())
        outcome = page.evaluate("window.outcome")
        violations = csp_violations(page)
    finally:
        ctx.close()
    assert outcome.get("ok") is True and outcome["value"] == "0.30", outcome
    assert violations == [] and not [c for c in console if "Content Security Policy" in c], (violations, console)
    assert blocked == []


def test_offline_bundle_pages_carry_the_policy(built_site, tmp_path):
    bundle = built_site / "downloads" / "offline-bundle.zip"
    assert bundle.is_file(), "the build wrote no offline bundle"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    pages = sorted(tmp_path.rglob("*.html"))
    assert pages
    problems = [p for page in pages for p in _check_page(page)]
    assert not problems, "\n".join(problems)


@pytest.mark.fast
def test_policy_text_is_what_the_docs_say():
    policy = policy_for("<html><head></head></html>")
    assert policy == ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                      "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
                      "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
