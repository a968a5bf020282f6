"""Each policy profile's rules page (rules/<id>.html, en/rules/<id>.html): every figure beside the sources
it names; the calculator and planner show the region in plain words only, with a link to that page;
figures reviewed over a year before today say so, on the device's clock."""
from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from builder.content.load import ContentError, load_content
from calculator.profile_files import load_profile_file
from support.calc_form import control, wait_ready
from support.project import ROOT, copy_project

REAL = ("beijing", "hangzhou", "shanghai", "shenzhen")
POLICIES = ROOT / "content" / "policies"
BANNED = ("content farm", "内容农场", "农场", "third-party repository", "第三方仓库", "本地宝", "深圳之窗")


class Cells(HTMLParser):
    """The data-source of every figure cell, and the id, kind and date line of every listed source."""

    def __init__(self):
        super().__init__()
        self.figures: list[str] = []
        self.listed: dict[str, str] = {}
        self._source: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-source" in a:
            self.figures.append(a["data-source"])
        if tag == "li" and (a.get("id") or "").startswith("source-"):
            self._source = a["id"][7:]
            self.listed[self._source] = ""

    def handle_endtag(self, tag):
        if tag == "li":
            self._source = None

    def handle_data(self, data):
        if self._source:
            self.listed[self._source] += data


def parse(path: Path) -> Cells:
    cells = Cells()
    cells.feed(path.read_text(encoding="utf-8"))
    return cells


@pytest.mark.parametrize("pid", REAL)
@pytest.mark.parametrize("lang,prefix,kind,date", [("zh", "", "类型：", "日期："), ("en", "en/", "Kind: ", "Date: ")])
def test_every_figure_names_sources_the_page_lists_with_kind_and_date(built_site, pid, lang, prefix, kind, date):
    cells = parse(built_site / prefix / "rules" / f"{pid}.html")
    profile = load_profile_file(POLICIES / f"{pid}.yaml")
    assert len(cells.figures) > 10
    assert set(cells.listed) == {s.id for s in profile.sources}
    for sid, text in cells.listed.items():
        assert kind in text and date in text and "https://" in text, sid
    named = [ids.split() for ids in cells.figures]
    assert all(ids <= cells.listed.keys() for ids in map(set, named))
    # Only figures the sources give nothing for (a 0 chosen for want of a figure) may name none,
    # and the page marks them.
    html = (built_site / prefix / "rules" / f"{pid}.html").read_text(encoding="utf-8")
    unsourced = re.findall(r'<tr class="rules-row--nosource"><th scope="row">([^<]*)</th><td data-source="">([^<]*)', html)
    assert len(unsourced) == sum(1 for ids in named if not ids)
    for label, value in unsourced:
        assert re.search(r"(^|\D)0(%|元| yuan)|不设上限|No limit", value), (label, value)


def test_a_page_marks_a_figure_with_no_source(built_site):
    html = (built_site / "rules" / "example.html").read_text(encoding="utf-8")
    assert '<td data-source="">' in html and "没有找到来源" in html


def test_examples_show_the_engines_figures_beside_the_expected_ones(built_site):
    html = (built_site / "en" / "rules" / "shenzhen.html").read_text(encoding="utf-8")
    assert "26,460 yuan</td><td>26,460 yuan" in html and "rules-differs" not in html


def test_change_log_report_and_reviewed_date(built_site):
    html = (built_site / "en" / "rules" / "beijing.html").read_text(encoding="utf-8")
    log = html[html.index('id="changes"'):]
    assert log.index("2026-11-24") < log.index("2026-11-25") < log.index("2026-12-08")
    assert 'href="mailto:' in html and "photo" in html
    assert 'datetime="2026-11-25"' in html


def broken_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_figure_citing_an_unknown_source_fails_the_build_with_file_line_field(tmp_path):
    root = broken_copy(tmp_path)
    path = root / "content" / "policies" / "shenzhen.yaml"
    text = path.read_text(encoding="utf-8").replace("sources: [hsa-sz-2021]", "sources: [hsa-sz-2012]", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      sources: [hsa-sz-2012]") + 1
    with pytest.raises(ContentError) as info:
        load_content(root)
    assert any(m.startswith(f"content/policies/shenzhen.yaml:{line}: plans.employee-tier1.personal_account.sources[0]:")
               and "'hsa-sz-2012'" in m for m in info.value.messages), info.value.messages


def test_the_build_refuses_rules_pages_without_a_report_address(tmp_path):
    root = broken_copy(tmp_path)
    site = root / "content" / "site.yaml"
    site.write_text(re.sub(r"(?m)^report_wrong_figure:.*$", "", site.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(root)
    assert any("content/site.yaml:" in m and "report_wrong_figure" in m for m in info.value.messages)


# ---- in the browser -------------------------------------------------------------------------------

def hosts_and_ids() -> set[str]:
    out = set()
    for pid in REAL:
        for s in load_profile_file(POLICIES / f"{pid}.yaml").sources:
            out.add(s.id)
            out.add(urlparse(s.url).hostname.removeprefix("www.").removeprefix("m."))
    return out


@pytest.mark.parametrize("page_name", ["calculator", "planner"])
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_calculator_and_planner_show_no_research_notes(browser, site_url, page_name, prefix):
    words = BANNED + tuple(sorted(hosts_and_ids()))
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(f"{site_url}{prefix}{page_name}.html")
        wait_ready(page, app=f"{page_name}-app")
        for pid in REAL:
            page.select_option("#calc-profile", pid)
            page.wait_for_function("id => document.querySelector('[data-rules-link]') && "
                                   "document.querySelector('[data-rules-link]').getAttribute('href') === "
                                   "'rules/' + id + '.html'", arg=pid)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            text = page.inner_text("body")
            summary = page.inner_text("[data-profile-summary]")
            assert summary.strip()
            found = [w for w in words if re.search(r"(?<![a-z0-9-])" + re.escape(w.lower()) + r"(?![a-z0-9-])",
                                                   text.lower())]
            assert not found, (pid, found)
    finally:
        page.close()


def test_the_rules_link_opens_the_regions_rules_page(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url + "en/calculator.html")
        wait_ready(page)
        page.select_option(control("profile"), "shanghai")
        page.click("[data-rules-link]")
        page.wait_for_url("**/en/rules/shanghai.html")
        assert "Shanghai" in page.inner_text("h1")
    finally:
        page.close()


@pytest.mark.parametrize("months,stale", [(13, True), (11, False)])
def test_figures_reviewed_over_a_year_ago_say_so(browser, site_url, months, stale):
    reviewed = datetime.fromisoformat(load_profile_file(POLICIES / "beijing.yaml").reviewed)
    year, month = divmod(reviewed.month - 1 + months, 12)
    today = reviewed.replace(year=reviewed.year + year, month=month + 1, hour=12)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.set_fixed_time(today)
        page.goto(site_url + "rules/beijing.html")
        page.wait_for_function("window.ShebaoStale")
        assert page.is_visible("[data-stale]") is stale
        page.goto(site_url + "calculator.html")
        # (not wait_ready: with the clock fixed, the page's performance marks are not readable)
        page.wait_for_selector("#calculator-app[data-ready='true']", state="attached", timeout=60_000)
        page.select_option(control("profile"), "beijing")
        page.wait_for_selector("[data-profile-summary] [data-rules-link]")
        assert page.is_visible("[data-profile-summary] [data-stale]") is stale
    finally:
        context.close()


def test_without_javascript_the_rules_page_shows_its_build_date(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "en/rules/hangzhou.html")
        assert page.is_visible("[data-built]") and "built on" in page.inner_text("[data-built]")
        assert not page.is_visible("[data-stale]")
    finally:
        context.close()


# ---- what next, and copy as text ------------------------------------------------------------------

def next_links(page) -> dict[str, str]:
    page.wait_for_selector("#calc-next:not([hidden])")
    return {a.get_attribute("data-next-item"): a.get_attribute("href") for a in page.query_selector_all("[data-next] a")}


@pytest.mark.parametrize("visit,item,target", [
    ({"profile": "beijing", "plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
      "location": "unfiled", "total": "20000"}, "away-unfiled", "care-away.html#task"),
    ({"profile": "beijing", "plan": "resident", "setting": "inpatient", "level": "tertiary", "total": "300000"},
     "top-up", "rules/beijing.html#plan-resident"),
    ({"profile": "shanghai", "plan": "employee-retired-under-70", "setting": "outpatient", "level": "tertiary",
      "total": "3000", "account_owner": "family", "account_balance": "5000"}, "family-account", "family-account.html"),
], ids=["away-unfiled", "top-up", "family-account"])
def test_what_next_links_to_the_guide_page_for_the_visit(browser, site_url, visit, item, target):
    from urllib.parse import urlencode
    from support.calc_form import settled
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(site_url + "calculator.html#" + urlencode(visit))
        wait_ready(page)
        settled(page)
        links = next_links(page)
        assert links.get(item) == target, links
        assert links["always"] == f"rules/{visit['profile']}.html#leaves-out"
        # a plain local stay names neither filing nor the family account
        assert ("away-unfiled" in links) is (item == "away-unfiled")
        assert ("family-account" in links) is (item == "family-account")
        page.click(f"[data-next] a[data-next-item='{item}']")
        page.wait_for_load_state()
        assert page.url.split("#")[0].endswith(target.split("#")[0])
    finally:
        page.close()


def test_copy_as_text_gives_a_plain_summary_in_the_pages_language(browser, site_url):
    from urllib.parse import urlencode
    from support.calc_form import settled
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(site_url + "en/calculator.html#" + urlencode(
            {"profile": "beijing", "plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
             "total": "50000"}))
        wait_ready(page)
        settled(page)
        page.click("[data-copy-text]")
        page.wait_for_selector("#calc-copy-status:not([hidden])")
        text = page.evaluate("navigator.clipboard.readText()")
        assert "Beijing" in text and "Total bill: 50,000.00 yuan" in text and "Your share: 7,105.00 yuan" in text
        assert "calculator.html#" in text and "<" not in text
    finally:
        context.close()


# ---- the glossary ---------------------------------------------------------------------------------

def test_every_term_is_on_the_glossary_page_in_both_languages(built_site):
    import yaml
    terms = yaml.safe_load((ROOT / "content" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]
    for prefix, lang in (("", "zh"), ("en/", "en")):
        html = (built_site / prefix / "glossary.html").read_text(encoding="utf-8")
        for term in terms:
            assert f'id="{term["id"]}"' in html, (lang, term["id"])
            assert term["term"][lang].lower() in html.lower() and term["definition"][lang][:12] in html, (lang, term["id"])


def test_a_marked_term_links_to_its_glossary_entry(built_site):
    html = (built_site / "en" / "family-account.html").read_text(encoding="utf-8")
    link = re.search(r'<a ([^>]*)>family sharing</a>', html)
    assert link and 'href="glossary.html#family-account"' in link.group(1) and "glossary-term" in link.group(1)


def test_a_term_marked_but_not_defined_fails_the_build(tmp_path):
    root = broken_copy(tmp_path)
    path = root / "content" / "topics" / "family-account.yaml"
    text = path.read_text(encoding="utf-8").replace("[[家庭共济]]", "[[家庭互助]]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(root)
    assert any(m.startswith("content/topics/family-account.yaml:") and "[[家庭互助]]" in m and "glossary.yaml" in m
               for m in info.value.messages), info.value.messages


# ---- compare ----------------------------------------------------------------------------------------

def test_compare_puts_the_same_visit_under_a_second_plan_beside_it(browser, site_url):
    from urllib.parse import unquote, urlencode
    from support.calc_form import settled
    visit = {"profile": "beijing", "plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
             "total": "50000", "compare": "beijing~employee-retired"}
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(site_url + "calculator.html#" + urlencode(visit))
        wait_ready(page)
        settled(page)
        page.wait_for_selector("#calc-compare[data-compared='beijing~employee-retired']")
        rows = {r.query_selector("th").inner_text(): [c.inner_text() for c in r.query_selector_all("td")] +
                [r.get_attribute("data-compare-differs")] for r in page.query_selector_all("#calc-compare-rows tr")}
        assert rows["医疗费用总额"] == ["50,000.00", "50,000.00", "false"]
        # in service 42,895.00 (the profile's own example); retired pays more from the fund
        assert rows["统筹基金支付"][0] == "42,895.00" and rows["统筹基金支付"][2] == "true"
        assert "compare=beijing~employee-retired" in unquote(page.url)
        # a second region: the link follows the choice
        page.select_option("#calc-compare-profile", "shanghai")
        page.wait_for_selector("#calc-compare[data-compared^='shanghai~']")
        assert "compare=shanghai~" in unquote(page.url)
    finally:
        page.close()
