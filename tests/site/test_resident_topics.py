"""The resident-question topics and the "when does my cover start?" flow.

- Each topic exists in both languages with the words a resident searches for, and at least one
  source whose kind and date are shown; the search index finds each topic by those words.
- The cover-start flow, followed without JavaScript from its start page (data-flow="cover-start"),
  reaches an outcome on every path; every outcome states its months in [data-wait-months], and those
  months equal an implementation of the national rule written here, from the facts file, independent
  of the rule table in content and of builder/content/waiting.py.
- The home page groups the tasks under headings; a task in an unknown group stops the build.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from support.browsing import keep_local, search
from support.flow import LANG_PREFIX, MAX_ANSWERS, answers, main_attrs, walk_browser, walk_files
from support.pages import visible_text
from support.project import copy_project
from support.waiting_rule import national_months

pytestmark = pytest.mark.site_build

LANGS = ("zh", "en")
START = "cover-start-check.html"

# topic -> (Chinese words, English words) a resident would search for.
WORDS = {
    "missed-payment": (["断缴", "补缴", "等待期"], ["missed", "gap", "waiting"]),
    "cover-start": (["待遇", "等待期", "缴费"], ["cover", "starts", "window"]),
    "newborn": (["新生儿", "出生"], ["newborn", "birth"]),
    "flexible-workers": (["灵活", "就业"], ["flexible", "self-employed"]),
    "transfer": (["转移", "接续"], ["transfer", "move"]),
    "hand-claims": (["手工", "零星", "报销"], ["claim", "hand"]),
    "premiums": (["缴费"], ["premium", "pay"]),
    "maternity": (["生育", "津贴"], ["maternity", "allowance"]),
    "account-credit": (["划入", "个人"], ["credit", "account"]),
    "card-status": (["封存", "冻结"], ["sealed", "frozen"]),
    "foreigners": (["外国人"], ["foreigners"]),
}
# A source as the foot of a page shows it: "(kind, date)" after its publisher.
SOURCE_META = {"zh": re.compile(r"（[^（）]+，(\d{4}(-\d\d){0,2}|未注明日期)）"),
               "en": re.compile(r"\((government website|reprint of a government text|news report|local information "
                                r"site|unverified web page|online text collection), (\d{4}(-\d\d){0,2}|undated)\)")}


def _html(site, lang, name):
    return (site / LANG_PREFIX[lang] / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", sorted(WORDS))
def test_topic_has_the_residents_words_and_a_dated_source_of_known_kind(built_site, topic, lang):
    html = _html(built_site, lang, f"{topic}.html")
    text = visible_text(html)
    words = WORDS[topic][0 if lang == "zh" else 1]
    assert all(w.lower() in text.lower() for w in words), [w for w in words if w.lower() not in text.lower()]
    foot = re.search(r'<div class="page-meta">.*', html, re.S).group(0)
    assert SOURCE_META[lang].search(visible_text(foot)), "no source with its kind and date at the foot"


@pytest.mark.parametrize("lang", LANGS)
def test_search_index_finds_each_topic_by_its_words(built_site, lang):
    docs = json.loads((built_site / LANG_PREFIX[lang] / "search" / "search_index.json").read_text("utf-8"))["docs"]
    missing = []
    for topic, (zh, en) in WORDS.items():
        text = " ".join(d["title"] + " " + d["text"] for d in docs if d["location"].split("#")[0] == f"{topic}.html")
        if lang == "zh":
            # Whole words between the segmenter's separators: what the search box matches.
            tokens = set(re.split(r"[\s\u200b，。、：；（）“”]+", text))
            missing += [(topic, w) for w in zh if not any(t.startswith(w) for t in tokens)]
        else:
            missing += [(topic, w) for w in en if w.lower() not in text.lower()]
    assert not missing


@pytest.mark.parametrize("lang,query,expected", [
    ("zh", "断缴", "missed-payment.html"),
    ("zh", "新生儿", "newborn.html"),
    ("zh", "外国人", "foreigners.html"),
    ("en", "maternity", "maternity.html"),
    ("en", "frozen", "card-status.html"),
])
def test_search_box_finds_the_topic(phone, site_url, lang, query, expected):
    phone.goto(site_url + LANG_PREFIX[lang] + "index.html")
    hrefs = search(phone, query, timeout_ms=5000)
    assert any(urlsplit(h).path.endswith("/" + LANG_PREFIX[lang] + expected) for h in hrefs[:5]), hrefs
    assert phone.outside_requests == []


def case_from_answers(taken: list[str]) -> dict:
    """What the reader said, read from the answers they followed (not from the outcome page)."""
    first = taken[0]
    if "职工" in first or "Employee" in first:
        said = taken[1]
        return {"scheme": "employee",
                "gap_months": 4 if ("以上" in said or "More than" in said) else (3 if "3" in said else 0)}
    case = {"scheme": "residents", "exempt": not ("都不是" in taken[1] or "Neither" in taken[1])}
    if case["exempt"]:
        return case
    gap_answer = taken[2]
    if "没有断保" in gap_answer or "No gap" in gap_answer:
        case.update(gap=0, paid=0, window="in" if taken[3].startswith(("是", "Yes")) else "out")
        return case
    years = int(re.search(r"\d+", gap_answer).group(0))
    more = "超过" in gap_answer or "more than" in gap_answer
    gap = years + 1 if more else years
    paid_all = len(taken) > 3 and ("全部" in taken[3] or "every" in taken[3])
    case.update(gap=gap, paid=gap if paid_all else 0, or_more=more)
    return case


@pytest.mark.parametrize("lang", LANGS)
def test_every_path_reaches_an_outcome_stating_the_national_rules_months(built_site, lang):
    start = _html(built_site, lang, START)
    assert main_attrs(start).get("data-flow") == "cover-start"
    paths = walk_files(built_site, lang, START)
    assert all(len(p["answers"]) <= MAX_ANSWERS for p in paths)
    gaps = set()
    for p in paths:
        html = p["page"].read_text(encoding="utf-8")
        found = re.findall(r'<strong data-wait-months="(\d+)" data-wait-bound="([a-z_]+)">(\d+)</strong>', html)
        assert len(found) == 1, p["page"]
        attr, bound, text = found[0]
        case = case_from_answers(p["answers"])
        assert (int(text), bound) == national_months(case), (p["answers"], case, text, bound)
        assert attr == text
        assert f'href="{START}"' in html and re.search(r'<h2 id="do".*?<ol>', html, re.S), p["page"]
        gaps.add((case.get("gap"), case.get("paid")))
    # Every gap length from none to more than ten years, paid back and not.
    assert {(g, 0) for g in range(2, 12)} | {(g, g) for g in range(2, 12)} <= gaps, sorted(gaps, key=str)
    assert len({p["outcome"] for p in paths}) == len(paths)


def test_the_flow_followed_without_javascript(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    outside = keep_local(ctx, (site_url,))
    try:
        page = ctx.new_page()
        paths = walk_browser(page, site_url + START)
        months = {}
        for p in paths[:3] + paths[-3:]:
            page.goto(p["url"])
            months[p["outcome"]] = page.locator("[data-wait-months]").inner_text()
    finally:
        ctx.close()
    assert len(paths) >= 25 and outside == []
    assert all(m.isdigit() for m in months.values()), months


def test_the_flow_is_in_the_offline_bundle(built_site):
    import zipfile
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as z:
        names = z.namelist()
    outcomes = [n for n in (built_site).rglob("cover-start-check-*.html")]
    for path in outcomes:
        rel = path.relative_to(built_site).as_posix()
        assert any(n.endswith(rel) for n in names), rel


# --- the build's checks -----------------------------------------------------------------------

FLOW = "content/flows/cover-start.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("cover"))


def _build_with(project, capsys, rel, old, new):
    from builder.pipeline import build_site
    path = project / rel
    original = path.read_text(encoding="utf-8")
    assert old in original, f"test out of date: {old!r} not in {rel}"
    text = original.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    try:
        status = build_site(project, project / "site", quiet=True)
        err = capsys.readouterr().err
    finally:
        path.write_text(original, encoding="utf-8")
    return status, err, text


def _line(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_outcome_without_its_case_is_refused(project, capsys):
    status, err, text = _build_with(project, capsys, FLOW, "    case: {scheme: residents, gap_years: 1}\n", "")
    assert status == 2, err
    assert f"{FLOW}:{_line(text, '- id: gap-1')}: outcomes[2]: the flow has a waiting rule" in err, err
    assert "Traceback" not in err


def test_paying_back_more_years_than_were_missed_is_refused(project, capsys):
    status, err, text = _build_with(project, capsys, FLOW, "gap_years: 3, paid_years: 3", "gap_years: 3, paid_years: 4")
    assert status == 2, err
    assert re.search(rf"{FLOW}:{_line(text, 'paid_years: 4')}: outcomes\[\d+\]\.case\.paid_years: is more than "
                     r"gap_years \(3\)", err), err


def test_a_task_in_an_unknown_group_is_refused(project, capsys):
    status, err, text = _build_with(project, capsys, "content/home.yaml", "group: family\n", "group: familly\n")
    assert status == 2, err
    assert f"content/home.yaml:{_line(text, 'group: familly')}: tasks[" in err and "no group with id 'familly'" in err, err


@pytest.mark.parametrize("lang", LANGS)
def test_home_lists_every_task_under_a_heading_of_its_group(built_site, content, lang):
    html = _html(built_site, lang, "index.html")
    home = content["home.yaml"]
    article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
    heads = [article.index(f'<h2 id="{g["id"]}"') for g in home["groups"]]
    assert heads == sorted(heads)
    ends = heads[1:] + [article.index('<div class="page-meta"')]
    for group, start, end in zip(home["groups"], heads, ends):
        part = article[start:end]
        assert group["title"][lang] in part
        for task in (t for t in home["tasks"] if t["group"] == group["id"]):
            href = "index.html" if task["page"] == "home" else f'{task["page"]}.html'
            assert f'href="{href}"' in part, (group["id"], task["page"])


@pytest.mark.parametrize("name", ["missed-payment.html", "cover-start-check-unpaid-5.html"])
def test_printed_page_keeps_the_steps_months_sources_and_date(phone, site_url, name):
    phone.goto(site_url + name)
    phone.emulate_media(media="print")
    assert phone.is_visible("h1") and phone.is_visible(".page-meta time")
    assert phone.is_visible("#task, #do")
    assert not phone.is_visible(".md-sidebar--primary .md-nav__list")
    text = phone.inner_text(".page-meta")
    assert SOURCE_META["zh"].search(text), text
    if "check" in name:
        assert phone.inner_text("[data-wait-months]") == "7"
    pdf = phone.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) <= 4
