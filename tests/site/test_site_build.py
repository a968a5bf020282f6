"""The built site: every page in both languages, every content item on its page, Articles
verbatim, sources + reviewed date + disclaimer everywhere, no third-party asset, Chinese search
index, page weight."""
from __future__ import annotations

import gzip
import json
import re
from html import unescape
from pathlib import Path

import pytest

from calculator.profile_files import load_profile_file
from support.pages import LANG_PREFIX, html_file, page_ids, squash, visible_text
from support.project import ROOT

pytestmark = pytest.mark.site_build

LANGS = ("zh", "en")
PAGES = page_ids()


def read(site: Path, lang: str, page_id: str) -> str:
    return (site / LANG_PREFIX[lang] / html_file(page_id)).read_text(encoding="utf-8")


def texts(node, lang):
    """Every {zh, en} text under node, in one language."""
    if isinstance(node, dict):
        if set(node) == {"zh", "en"} and all(isinstance(v, str) for v in node.values()):
            yield node[lang]
            return
        for v in node.values():
            yield from texts(v, lang)
    elif isinstance(node, list):
        for v in node:
            yield from texts(v, lang)


def page_content(content, page_id):
    """The content each page must carry (beyond its title and sources)."""
    usage = content["usage.yaml"]
    calc = content["calculator.yaml"]
    return {
        "home": content["home.yaml"],
        "activation": content["activation.yaml"],
        "hospital": usage["hospital"],
        "pharmacy": usage["pharmacy"],
        "functions": content["functions.yaml"],
        "legal": {k: v for k, v in content["legal.yaml"].items() if k != "articles"},
        "calculator": {"intro": calc["strings"]["intro"], "rules": calc["rules"]["steps"]},
    }.get(page_id, {})


def test_home_pages_exist(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "en" / "index.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_id", PAGES)
def test_every_page_carries_its_content(built_site, content, lang, page_id):
    html = read(built_site, lang, page_id)
    text = visible_text(html)
    page = next(p for p in content["pages.yaml"]["pages"] if p["id"] == page_id)
    assert len(re.findall(r"<h1\b", html)) == 1
    assert squash(page["title"][lang]) in text
    missing = [t for t in texts(page_content(content, page_id), lang) if squash(t) not in text]
    assert not missing, f"{lang}/{page_id} lacks: {missing}"
    # Sources with their links, the reviewed date, and the disclaimer, on every page.
    strings = content["strings.yaml"]["strings"]
    meta = re.search(r'<div class="page-meta">.*?</div>', html, re.S).group(0)
    assert strings["last_reviewed"][lang] in meta and f'<time datetime="{page["reviewed"]}">' in meta
    assert re.search(r"<h2[^>]*>%s</h2>" % re.escape(strings["sources"][lang]), html)
    sources = {s["id"]: s for s in content["sources.yaml"]["sources"]}
    for sid in page["sources"]:
        assert f'href="{sources[sid]["url"]}"' in html and squash(sources[sid]["title"][lang]) in text
    assert squash(content["site.yaml"]["disclaimer"][lang]) in squash(unescape(html))
    # The page's language is declared for screen readers and hyphenation.
    assert re.search(r'<html lang="%s"' % lang, html)


def test_articles_4_7_8_verbatim_with_dates(built_site, content):
    legal = content["legal.yaml"]
    zh, en = visible_text(read(built_site, "zh", "legal")), visible_text(read(built_site, "en", "legal"))
    numbers = {a["number"] for a in legal["articles"]}
    assert {4, 7, 8} <= numbers
    for art in legal["articles"]:
        assert art["zh"] in zh and art["zh"] in en        # the Chinese original on both pages
        assert squash(art["en"]) in en
    for date in [legal["law"]["adopted"], legal["law"]["in_force"]] + [a["date"] for a in legal["law"]["amendments"]]:
        assert date in zh and date in en


REQUIRED_ITEMS = {   # the content each page must carry: a few words each that no rewording should lose
    ("zh", "activation"): ["银行", "身份证", "医院", "药店", "医保卡", "电子社保卡", "12333"],
    ("en", "activation"): ["bank", "ID card", "hospital", "pharmacy", "electronic", "SMS"],
    ("zh", "hospital"): ["垫付", "个人账户", "现金"],
    ("en", "hospital"): ["claim", "personal-account", "cash"],
    ("zh", "pharmacy"): ["个人账户", "每月"],
    ("en", "pharmacy"): ["personal account", "every month", "accumulates"],
    ("zh", "functions"): ["实时结算", "养老", "就业", "失业", "培训", "劳动能力", "工伤", "网上"],
    ("en", "functions"): ["Real-time settlement", "Pension", "unemployment", "training", "appraisal", "work-injury", "online"],
    ("zh", "legal"): ["医保局", "2010-10-28", "2018-12-29"],
    ("en", "legal"): ["Healthcare Security Administration", "2010-10-28", "2018-12-29"],
}


@pytest.mark.parametrize("lang,page_id", sorted(REQUIRED_ITEMS))
def test_required_items_are_on_their_pages(built_site, lang, page_id):
    text = visible_text(read(built_site, lang, page_id))
    missing = [w for w in REQUIRED_ITEMS[(lang, page_id)] if w.lower() not in text.lower()]
    assert not missing


def all_html(site: Path):
    return sorted(p for p in site.rglob("*.html"))


def test_no_third_party_assets(built_site, content):
    allowed_links = {s["url"] for s in content["sources.yaml"]["sources"]}
    # The rules pages link each figure to its profile's own sources.
    for policy in sorted((ROOT / "content" / "policies").glob("*.yaml")):
        allowed_links |= {s.url for s in load_profile_file(policy).sources if s.url}
    for path in all_html(built_site):
        html = path.read_text(encoding="utf-8")
        for tag, attr, url in re.findall(r"<(\w+)\b[^>]*?\b(src|href|srcset|action|data)=\"([^\"]*)\"", html):
            if re.match(r"(https?:)?//", url):
                assert tag == "a" and url in allowed_links, f"{path}: <{tag} {attr}={url}>"
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
        assert "@import" not in css.read_text(encoding="utf-8") or "fonts.googleapis" not in css.read_text()


def search_docs(site: Path, lang: str) -> list[dict]:
    return json.loads((site / LANG_PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_chinese_search_index_is_segmented(built_site):
    docs = search_docs(built_site, "zh")
    words = {w for d in docs for w in re.split(r"[\s\u200b]+", d["title"] + " " + d["text"])}
    # Whole words, split out of longer runs by the segmenter (builder/pages/zh_terms.txt).
    assert "激活" in words and "药店" in words and "医院" in words
    act = [d for d in docs if d["location"] == "activation.html"][0]
    assert "\u200b激活\u200b" in act["text"] or act["title"].startswith("激活")
    config = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert "\\u200b" in config["separator"] and config["lang"] == ["zh"]


def test_english_search_index(built_site):
    docs = search_docs(built_site, "en")
    assert any(d["location"].startswith("pharmacy.html") and "pharmacy" in d["text"].lower() for d in docs)


# Material for MkDocs' own default page is about 61 KB gzip (HTML + CSS + JS); we may add at most 10 %.
BUDGET_BYTES = int(61 * 1024 * 1.10)


@pytest.mark.parametrize("lang", LANGS)
# The calculator, the planner and the rule card load the engine's data and scripts on purpose.
@pytest.mark.parametrize("page_id", [p for p in PAGES if p not in ("calculator", "planner", "my-rules")])
def test_guide_page_weight(built_site, lang, page_id):
    base = built_site / LANG_PREFIX[lang]
    html = (base / html_file(page_id)).read_bytes()
    total = len(gzip.compress(html, 9))
    assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(rb'<script src="([^"]+)"', html)
    for ref in assets:
        total += len(gzip.compress((base / ref.decode()).resolve().read_bytes(), 9))
    assert total <= BUDGET_BYTES, f"{lang}/{page_id}: {total} bytes gzip > {BUDGET_BYTES}"
