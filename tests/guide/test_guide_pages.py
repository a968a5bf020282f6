"""The guide's topic pages, 404 pages and site_url: each topic in both languages with the
task first (what to do, bring, where, cost, if it goes wrong), its sources and reviewed date; the
404 page of each language has its heading in that language and relative links that work under a
sub-path; site_url in content/site.yaml fills the sitemap, the canonical links and the offline
copy's pointer to a newer copy, and a bad one stops the build with file:line (exit 2)."""
from __future__ import annotations

import functools
import http.server
import re
import threading
import zipfile

import pytest

from support.browsing import keep_local
from support.project import copy_project

pytestmark = pytest.mark.site_build

TOPICS = ["care-away", "family-account", "lost-card", "e-card", "outpatient-pooling", "chronic-diseases",
          "missed-payment", "cover-start", "newborn", "flexible-workers", "transfer", "hand-claims", "premiums",
          "maternity", "account-credit", "card-status", "foreigners"]
LANG_PREFIX = {"zh": "", "en": "en/"}
TASK_HEADINGS = {"zh": ["怎么办", "要带什么", "去哪里办", "费用", "遇到问题怎么办"],
                 "en": ["What to do", "What to bring", "Where to go", "What it costs", "If something goes wrong"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("topic", TOPICS)
def test_topic_page_is_task_first_with_sources_and_date(built_site, topic, lang):
    html = (built_site / LANG_PREFIX[lang] / f"{topic}.html").read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
    assert len(re.findall(r"<h1\b", html)) == 1
    h3 = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h3\b[^>]*>(.*?)</h3>", article, re.S)]
    assert h3[:5] == TASK_HEADINGS[lang], h3
    # The task comes straight after the introduction: the first h2 is the task.
    assert re.search(r'<h2 id="task"', article)
    assert article.index('id="task"') < min(m.start() for m in re.finditer(r"<h2 id=\"(?!task)", article))
    assert re.search(r'<div class="page-meta">.*?<a href="https://', article, re.S)
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', article)
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]{12,}", re.sub(r"<div class=\"page-meta\">.*", "", article, flags=re.S)), \
            "long Chinese passages on an English page"


def test_conflicting_figures_are_local_not_national(built_site):
    """Where sources conflict (activation deadlines, loss-report duration, how many relatives) the
    pages send the reader to 12333 or the local office instead of stating one national figure."""
    pages = {name: (built_site / f"{name}.html").read_text(encoding="utf-8")
             for name in ("activation", "lost-card", "family-account", "e-card")}
    assert "没有全国统一的激活期限" in pages["activation"] and "12333" in pages["activation"]
    assert "一人最多可为 8 位亲属" not in pages["activation"]
    assert "临时挂失的有效期各地不同" in pages["lost-card"]
    assert "没有找到全国统一的数字" in pages["family-account"]
    assert "以您使用的 App 显示为准" in pages["e-card"]
    pharmacy = (built_site / "pharmacy.html").read_text(encoding="utf-8")
    assert "2020 年底前取消，很多地方在 2021 年完成" in pharmacy and "2021 年起" in pharmacy
    legal_en = (built_site / "en" / "legal.html").read_text(encoding="utf-8")
    assert "English translation (unofficial)" in legal_en


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def subpath_server(built_site, tmp_path_factory):
    """The site served under /guide/ (a host's sub-path)."""
    root = tmp_path_factory.mktemp("host")
    (root / "guide").symlink_to(built_site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/guide/"
    server.shutdown()


@pytest.mark.parametrize("lang, heading", [("zh", "找不到这个页面"), ("en", "Page not found")])
def test_404_page_in_its_language_with_relative_links_under_a_sub_path(browser, subpath_server, built_site,
                                                                     lang, heading):
    html = (built_site / LANG_PREFIX[lang] / "404.html").read_text(encoding="utf-8")
    assert not re.findall(r'(?:href|src)="/', html), "root-absolute links break under a sub-path"
    ctx = browser.new_context()
    outside = keep_local(ctx, (subpath_server,))
    failed = []
    ctx.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    try:
        page = ctx.new_page()
        # A host answers a missing address with the 404 page of that folder.
        missing = subpath_server + LANG_PREFIX[lang] + "no-such-page.html"
        page.route(missing, lambda route: route.fulfill(status=404, body=html, content_type="text/html"))
        page.goto(missing)
        assert page.locator("h1").inner_text() == heading
        assert page.locator("html").get_attribute("lang").startswith(lang)
        assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") != "static"  # CSS loaded
        assert [url for url in failed if url != missing] == []
        page.locator("article a").first.click()
        assert page.url == subpath_server + LANG_PREFIX[lang] + "index.html"
        assert page.locator("html").get_attribute("lang").startswith(lang)
    finally:
        ctx.close()
    assert outside == []


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("siteurl"))


def test_site_url_fills_sitemap_canonical_links_and_the_newer_copy_pointer(project, tmp_path, capsys):
    from builder.pipeline import build_site
    site_yaml = project / "content" / "site.yaml"
    original = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(original + "site_url: https://guide.example.cn/sub/\n", encoding="utf-8")
    try:
        assert build_site(project, tmp_path / "site", quiet=True) == 0       # with the offline copy
    finally:
        site_yaml.write_text(original, encoding="utf-8")
    assert "no site_url" not in capsys.readouterr().err
    site = tmp_path / "site"
    with zipfile.ZipFile(site / "downloads" / "offline-bundle.zip") as z:
        bundle_home = next(z.read(n).decode() for n in z.namelist() if n.endswith("/index.html") and "/en/" not in n)
        bundle_offline = next(z.read(n).decode() for n in z.namelist() if n.endswith("/en/offline.html"))
    assert re.search(r'<p id="offline-in-bundle"[^>]*>[^<]*下载地址：<a href="https://guide.example.cn/sub/offline.html">'
                     r"guide.example.cn/sub/offline.html</a></p>", bundle_home)
    # The offline copy's own "use offline" page names the address too.
    assert re.search(r'<p id="offline-in-bundle"[^>]*>[^<]*Download it from: <a href="https://guide.example.cn/sub/en/offline.html">',
                     bundle_offline)
    assert '<link rel="canonical"' not in bundle_home      # a file:// copy has no address of its own
    zh_map = (site / "sitemap.xml").read_text(encoding="utf-8")
    en_map = (site / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://guide.example.cn/sub/care-away.html</loc>" in zh_map
    assert "<loc>https://guide.example.cn/sub/en/care-away.html</loc>" in en_map
    page = (site / "en" / "lost-card.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://guide.example.cn/sub/en/lost-card.html">' in page
    assert 'id="offline-in-bundle"' not in (site / "index.html").read_text(encoding="utf-8")
    # 404 pages stay relative even with a site_url (MkDocs would make them root-absolute).
    assert not re.findall(r'(?:href|src)="/', (site / "404.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("value, problem", [
    ("http://guide.example.cn/", "should be an https:// address"),
    ("https://guide.example.cn", "should end with '/'"),
])
def test_a_bad_site_url_stops_the_build_with_file_and_line(project, tmp_path, capsys, value, problem):
    from builder.pipeline import build_site
    site_yaml = project / "content" / "site.yaml"
    original = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(original + f"site_url: {value}\n", encoding="utf-8")
    try:
        status = build_site(project, tmp_path / "site", quiet=True, preview=True)
        err = capsys.readouterr().err
    finally:
        site_yaml.write_text(original, encoding="utf-8")
    line = len(original.splitlines()) + 1
    assert status == 2 and f"content/site.yaml:{line}: site_url: {problem}" in err, err
