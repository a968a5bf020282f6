"""Offline use: the unzipped bundle from file:// and the hosted site through its service worker.

The bundle: unzipped into a folder whose path has a space and Chinese characters, opened via file://
with every non-file request blocked: every page in both languages, the language switch, search and
a calculator estimate (the engine's figures) work, and no request leaves the bundle.
The hosted site: visited once, then the server stops and the browser goes offline: every page and the
calculator still work; after a rebuild with changed content, the next online visit shows the change.
"""
from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from html import escape as html_escape
from pathlib import Path

import pytest

from builder.dev.static_server import StaticServer
from support.browsing import keep_local, search
from support.calc_form import FIGURES, fill, shown_figures, wait_ready
from support.pages import LANG_PREFIX, html_file, page_ids
from support.project import ROOT, copy_project

pytestmark = [pytest.mark.browser, pytest.mark.site_build]

HOLD_OUT = {
    "zh": ("beijing", {"plan": "resident", "setting": "outpatient", "level": "tertiary", "total": "4321.09",
                       "out_of_catalogue": "88", "category_b": "210.5"}),
    "en": ("example", {"plan": "employee-retired", "setting": "inpatient", "level": "secondary",
                       "total": "45678.9", "out_of_catalogue": "1234", "category_b": "3000",
                       "account_balance": "800", "prior_admissions": "1"}),
    "sw": ("example", {"plan": "resident", "setting": "pharmacy", "total": "532.1", "category_b": "40"}),
}


def page_files() -> list[str]:
    return [html_file(p) for p in page_ids()]


@functools.cache
def cli_figures(profile_id: str, visit_json: str) -> dict:
    """What `python -m calculator estimate` prints for the visit: the figures the page must show."""
    out = subprocess.run([sys.executable, "-m", "calculator", "estimate", "--profile",
                          f"content/policies/{profile_id}.yaml", "--visit", visit_json],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return {f: json.loads(out.stdout)[f] for f in FIGURES}


# The pages' CSP forbids eval, which wait_for_function needs: wait on selectors or poll evaluate().
def wait_js(page, expression: str, timeout: float = 30.0, arg=None):
    end = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)


def estimate(page, profile_id: str, visit: dict) -> dict:
    wait_ready(page)
    fill(page, profile_id, visit)
    return shown_figures(page)


def assert_cli_figures(page, which: str) -> None:
    profile_id, visit = HOLD_OUT[which]
    assert estimate(page, profile_id, visit) == cli_figures(profile_id, json.dumps(visit))


# --- the bundle from file:// ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundle_dir(built_site, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("bundle") / "离线 副本 copy"
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as zf:
        zf.extractall(dest)
    return dest / "shebao-guide"


@pytest.fixture(scope="module")
def file_page(browser, bundle_dir):
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    outside = keep_local(ctx, (bundle_dir.as_uri() + "/", "data:", "blob:"))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.outside, page.errors = outside, errors
    yield page
    ctx.close()


def test_bundle_is_in_the_site_and_linked_with_its_size(built_site):
    size = (built_site / "downloads" / "offline-bundle.zip").stat().st_size
    figure = f"{size / 1048576:.1f}\u00a0MB"
    for prefix in ("", "en/"):
        html = (built_site / prefix / "offline.html").read_text(encoding="utf-8")
        assert re.search(r'href="(\.\./)?downloads/offline-bundle.zip"[^>]*>[^<]*' + re.escape(figure), html), prefix
        assert "@@" not in html


def test_bundle_says_where_a_newer_copy_is_and_how_to_use_it_on_phones_and_computers(bundle_dir):
    """Without site_url, the copy says where to get a new one (not "the guide's website" with no
    address); its steps tell computers to double-click index.html and phones to keep the website
    instead (never double-clicking a file on a phone)."""
    from builder.content.load import load_content
    content = load_content(ROOT)
    unknown = content["strings.yaml"]["strings"]["newer_copy_unknown"]
    steps = content["offline.yaml"]["bundle"]["steps"]
    phone = {"zh": "手机", "en": "phone"}
    computer = {"zh": "电脑", "en": "computer"}
    for lang, prefix in LANG_PREFIX.items():
        for name in ("index.html", "offline.html"):
            html = (bundle_dir / prefix / name).read_text(encoding="utf-8")
            note = re.search(r'<p id="offline-in-bundle"[^>]*>(.*?)</p>', html, re.S).group(1)
            assert html_escape(unknown[lang], quote=False) in note, (lang, name, note)
        texts = [step[lang] for step in steps]
        assert any(t.startswith(("在手机上", "On a phone")) for t in texts), texts
        for text in texts:
            if "index.html" in text:
                assert computer[lang] in text and phone[lang] not in text, text
        page = (bundle_dir / prefix / "offline.html").read_text(encoding="utf-8")
        assert all(html_escape(t, quote=False).split("（")[0].split("(")[0][:12] in page for t in texts)


def test_every_bundle_page_renders_from_file_in_both_languages(file_page, bundle_dir):
    for lang, prefix in LANG_PREFIX.items():
        for name in page_files():
            file_page.goto((bundle_dir / prefix / name).as_uri())
            assert file_page.locator("article h1").count() == 1, (lang, name)
            assert file_page.locator(".md-nav__link").count() > 5, (lang, name)      # navigation
    # the language switch lands on the same page in the other language
    file_page.goto((bundle_dir / "activation.html").as_uri())
    target = file_page.locator('link[rel=alternate][hreflang=en]').get_attribute("href")
    file_page.goto(file_page.url.rsplit("/", 1)[0] + "/" + target)
    assert file_page.url.endswith("/en/activation.html")
    assert file_page.locator("article h1").count() == 1
    assert file_page.outside == [], file_page.outside
    assert file_page.errors == [], file_page.errors


def test_bundle_search_finds_activation_from_file(file_page, bundle_dir):
    file_page.goto((bundle_dir / "index.html").as_uri())
    hrefs = search(file_page, "激活", timeout_ms=10_000, resolved=True)
    # Material appends ?h=<query>#<section> to result links
    assert re.split(r"[?#]", hrefs[0])[0].endswith("/activation.html"), hrefs
    assert file_page.outside == [], file_page.outside


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundle_calculator_gives_the_engines_figures_from_file(file_page, bundle_dir, lang):
    file_page.goto((bundle_dir / LANG_PREFIX[lang] / "calculator.html").as_uri())
    assert_cli_figures(file_page, lang)
    assert file_page.outside == [], file_page.outside
    assert file_page.errors == [], file_page.errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundle_offline_page_says_it_is_the_offline_copy(file_page, bundle_dir, lang):
    file_page.goto((bundle_dir / LANG_PREFIX[lang] / "offline.html").as_uri())
    assert file_page.locator("#offline-in-bundle").is_visible()
    # no link to a zip it does not hold, no service-worker section (file:// has none)
    assert file_page.locator("#offline-download, #offline-app, #app, a[href='#app']").count() == 0
    assert file_page.locator("#bundle").count() == 1


def test_bundle_carries_the_file_route_not_the_hosted_runtime(built_site):
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as zf:
        names = zf.namelist()
    assert all(n.startswith("shebao-guide/") for n in names)
    assert "shebao-guide/assets/pyodide-file/pyodide-file-route.js" in names
    assert not [n for n in names if "/assets/pyodide/" in n]


# --- the hosted site through its service worker --------------------------------------------------

@pytest.fixture(scope="module")
def served(built_site, tmp_path_factory):
    site = tmp_path_factory.mktemp("sw") / "site"
    shutil.copytree(built_site, site)
    server = StaticServer(site)
    url = server.start()
    yield server, url, site
    if server.httpd:
        server.stop()


def test_service_worker_keeps_every_page_and_the_calculator_offline(browser, served):
    server, url, _ = served
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = ctx.new_page()
        page.goto(url + "index.html")
        wait_js(page, "navigator.serviceWorker.controller !== null")
        assert any(n.startswith("shebao-pages-") for n in page.evaluate("caches.keys()"))
        page.goto(url + "calculator.html")
        page.wait_for_selector("html[data-offline-runtime='saved'], html[data-offline-error]",
                               state="attached", timeout=60_000)
        assert page.get_attribute("html", "data-offline-error") is None
        # every runtime file the service worker lists is in the runtime cache
        missing = page.evaluate("""() => new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = async (e) => {
              const cache = await caches.open(e.data.cache);
              const absent = [];
              for (const name of Object.keys(e.data.files)) if (!await cache.match(e.data.base + name)) absent.push(name);
              resolve(Object.keys(e.data.files).length ? absent : ["(no runtime files listed)"]);
            };
            navigator.serviceWorker.controller.postMessage({type: "runtime-info"}, [channel.port2]);
          })""")
        assert missing == []
        server.stop()
        ctx.set_offline(True)
        for prefix in LANG_PREFIX.values():
            for name in page_files():
                page.goto(url + prefix + name)
                assert page.locator("article h1").count() == 1, prefix + name
                assert page.locator(".md-nav__link").count() > 5, prefix + name
        page.goto(url + "en/calculator.html")
        assert_cli_figures(page, "sw")
    finally:
        ctx.set_offline(False)
        if server.httpd is None or server.httpd.socket.fileno() == -1:
            server.start()
        ctx.close()


def test_offline_an_unknown_address_gets_page_not_found_with_status_404(browser, served):
    """Offline, an address the site does not have answers with that language's 404 page and status
    404 (not the home page with 200), styled, at any depth."""
    server, url, site = served
    titles = {lang: re.search(r"<h1[^>]*>(.*?)</h1>", (site / prefix / "404.html").read_text(encoding="utf-8"), re.S)
              .group(1).strip() for lang, prefix in LANG_PREFIX.items()}
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = ctx.new_page()
        page.goto(url + "index.html")
        wait_js(page, "navigator.serviceWorker.controller !== null")
        server.stop()
        ctx.set_offline(True)
        for path, lang in (("no-such-page.html", "zh"), ("en/nothing/here.html", "en"), ("en/", "en")):
            response = page.goto(url + path)
            if path == "en/":            # a page the site has: still served, status 200
                assert response.status == 200 and page.locator("article h1").count() == 1
                continue
            assert response.status == 404, path
            assert page.locator("h1").first.inner_text().strip() == titles[lang], path
            # Material's stylesheet applied (the header is fixed/sticky, not in the text flow).
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed"), path
    finally:
        ctx.set_offline(False)
        if server.httpd is None or server.httpd.socket.fileno() == -1:
            server.start()
        ctx.close()


def test_save_for_offline_use_button_caches_the_runtime_with_progress(browser, served):
    _, url, _ = served
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    # Every progress text the status line shows.
    ctx.add_init_script("""window.__saving = []; new MutationObserver(() => {
      const el = document.getElementById('offline-status'); if (el && el.textContent) window.__saving.push(el.textContent);
    }).observe(document, {childList: true, subtree: true, characterData: true});""")
    try:
        page = ctx.new_page()
        page.goto(url + "en/offline.html")
        strings = json.loads(page.get_attribute("#offline-app", "data-strings"))
        assert page.locator("#offline-progress").is_hidden()
        size = re.search(r"(\d+\.\d)\u00a0MB", page.text_content("#offline-save")).group(1)
        page.click("#offline-save")
        page.wait_for_selector("#offline-app[data-state]", timeout=60_000)
        assert page.get_attribute("#offline-app", "data-state") == "saved", page.text_content("#offline-status")
        assert page.text_content("#offline-status") == strings["saved"]
        # The progress counts towards the size the button states, and reaches it.
        counted = [re.findall(r"(\d+\.\d)", t) for t in page.evaluate("window.__saving") if t.startswith("Saving")]
        assert counted and all(total == size for _, total in counted) and counted[-1][0] == size, (counted, size)
        assert page.evaluate("(p => p.value === p.max && p.max > 1e6)(document.getElementById('offline-progress'))")
        names = page.evaluate("caches.keys()")
        assert any(n.startswith("shebao-runtime-") for n in names), names
    finally:
        ctx.close()


def test_rebuild_with_changed_content_shows_on_the_next_online_visit(browser, served, tmp_path):
    from builder.pipeline import build_site

    server, url, site = served
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(url + "functions.html")
        wait_js(page, "navigator.serviceWorker.controller !== null")
        old = [n for n in page.evaluate("caches.keys()") if n.startswith("shebao-pages-")]
        assert len(old) == 1, old
        project = copy_project(tmp_path / "project")
        marker = "离线更新测试 7461"
        functions = project / "content" / "functions.yaml"
        text = functions.read_text(encoding="utf-8")
        changed = re.sub(r"(intro:\n\s+zh: )", r"\g<1>" + marker + "。", text, count=1)
        assert changed != text, "content/functions.yaml has no zh intro to change"
        functions.write_text(changed, encoding="utf-8")
        assert build_site(project, site, quiet=True) == 0
        page.goto(url + "functions.html")
        assert marker in page.locator("article").inner_text()
        # the new version takes over: the page says so, and the old caches go
        page.wait_for_selector("#offline-updated", timeout=30_000)
        wait_js(page, "(old) => caches.keys().then(k => !k.includes(old))", arg=old[0])
        assert any(n.startswith("shebao-pages-") for n in page.evaluate("caches.keys()"))
        ctx.set_offline(True)
        page.goto(url + "functions.html")
        assert marker in page.locator("article").inner_text()      # the new version is what is cached
    finally:
        ctx.set_offline(False)
        ctx.close()
