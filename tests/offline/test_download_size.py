"""One download size for the calculator: the figure the loading message states, the figure its
progress counts up to, and the figure on the offline page's "save for offline use" are the same,
and it is what a phone downloads from a host serving the site's .br copies."""
from __future__ import annotations

import json
import re

import pytest

from support.calc_form import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.site_build]

FIGURE = re.compile(r"(\d+\.\d)\u00a0?\s?MB")

# Every text the calculator's status line shows, in order (before the page's own scripts run).
RECORD_STATUS = """
window.__status = [];
new MutationObserver(() => {
  const el = document.getElementById('calc-status');
  const text = el && el.textContent;
  if (text && text !== window.__status[window.__status.length - 1]) window.__status.push(text);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def download_mb(site) -> str:
    """The runtime as a phone downloads it: each file's .br copy where the build wrote one."""
    folder = site / "assets" / "pyodide"
    total = 0
    for path in folder.iterdir():
        if path.suffix in (".br", ".gz"):
            continue
        br = path.with_name(path.name + ".br")
        total += br.stat().st_size if br.exists() else path.stat().st_size
    return f"{total / 1048576:.1f}"


def test_loading_progress_and_offline_page_state_one_size(browser, built_site, site_url):
    size = download_mb(built_site)
    for prefix in ("", "en/"):
        html = (built_site / prefix / "offline.html").read_text(encoding="utf-8")
        strings = json.loads(re.search(r'data-strings="([^"]+)"', html).group(1).replace("&#34;", '"')
                             .replace("&quot;", '"').replace("&amp;", "&"))
        assert FIGURE.findall(strings["save"]) == [size], (prefix, strings["save"], size)
        article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
        runtime_figures = set(FIGURE.findall(article)) - {f"{(built_site / 'downloads' / 'offline-bundle.zip').stat().st_size / 1048576:.1f}"}
        assert runtime_figures == {size}, (prefix, runtime_figures, size)

    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    context.add_init_script(RECORD_STATUS)
    try:
        page = context.new_page()
        page.goto(site_url + "en/calculator.html")
        wait_ready(page)
        texts = page.evaluate("window.__status")
        loading = [t for t in texts if t.startswith("Loading")]
        assert loading and FIGURE.findall(loading[0]) == [size], (texts, size)
        counted = [re.findall(r"\d+\.\d", t) for t in loading[1:] if " of " in t]
        assert counted, texts
        assert all(total == size and float(done) <= float(size) for done, total in counted), (counted, size)
    finally:
        context.close()
