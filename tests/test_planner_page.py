"""The "my year" planner as a resident uses it, in Chromium at 360x740.

A year imported from a file (the CLI's `year` input plus "profile") must show, for every visit in
date order and for the totals, exactly what `python -m calculator year` prints for that input.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.browsing import keep_local
from support.calc_form import TOTAL_FIGURES, VISIT_FIGURES, plain, settled, wait_ready
from support.calc_site import serve, site_with_profiles

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
V2_PROFILE = ROOT / "tests" / "calculator" / "v2-city.yaml"

EXAMPLE_YEAR = {
    "profile": "example", "plan": "employee-in-service",
    "start": {"date": "2026-01-01", "account_balance": "2000.00", "contribution_base": "8000.00"},
    "visits": [
        {"date": "2026-05-03", "setting": "inpatient", "level": "secondary", "total": "42000", "category_b": "5000"},
        {"date": "2026-02-10", "setting": "outpatient", "level": "tertiary", "total": "3000"},
        {"date": "2026-05-03", "setting": "pharmacy", "total": "180.40"},
        {"date": "2026-11-20", "setting": "inpatient", "level": "tertiary", "total": "250000",
         "out_of_catalogue": "12000", "use_account": False},
    ],
}
V2_YEAR = {
    "profile": "v2-city", "plan": "employee",
    "start": {"date": "2026-07-01", "account_balance": "300", "contribution_base": "12000",
              "prior_admissions": 1, "deductible_paid": {"outpatient": "600"},
              "top_ups": {"large-expense": {"base": "10000", "paid": "0"}}},
    "visits": [
        {"date": "2026-09-02", "setting": "inpatient", "level": "tertiary", "total": "30000", "location": "unfiled"},
        {"date": "2026-08-02", "setting": "outpatient", "level": "community", "total": "3000",
         "account_owner": "family"},
        {"date": "2027-03-15", "setting": "inpatient", "level": "secondary", "total": "180000",
         "category_b": "20000", "category_b_first_pay": "1500"},
        {"date": "2027-07-10", "setting": "outpatient", "level": "primary", "total": "900"},
    ],
}


def cli_year(profile: Path, year: dict) -> dict:
    request = {k: v for k, v in year.items() if k != "profile"}
    out = subprocess.run([sys.executable, "-m", "calculator", "year", "--profile", str(profile), "--visits", "-"],
                         input=json.dumps(request), cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def shown_year(page) -> tuple[list[dict], dict]:
    visits = []
    for i in range(page.locator("[data-visit]").count()):
        box = f"[data-visit='{i}']"
        visits.append({f: plain(page.text_content(f"{box} [data-field='{f}']")) for f in VISIT_FIGURES})
    totals = {f: plain(page.text_content(f"[data-year-totals] [data-field='{f}']")) for f in TOTAL_FIGURES}
    return visits, totals


def import_year(page, tmp_path: Path, year: dict) -> None:
    path = tmp_path / "year.json"
    path.write_text(json.dumps(year), encoding="utf-8")
    count = page.locator("[data-visit]").count()
    page.set_input_files("input[type=file][name=year-import]", str(path))
    page.wait_for_selector(f"[data-visit='{len(year['visits']) - 1}']", state="attached")
    settled(page, "planner-app")


@pytest.fixture(scope="module")
def v2_site(built_site, tmp_path_factory):
    root = site_with_profiles(built_site, tmp_path_factory.mktemp("v2p") / "site", [V2_PROFILE])
    with serve(root) as url:
        yield url


@pytest.fixture()
def planner(browser, v2_site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    outside = keep_local(context, (v2_site, "blob:", "data:"))
    page = context.new_page()
    page.goto(v2_site + "planner.html")
    wait_ready(page, app="planner-app")
    page.outside = outside
    page.site = v2_site
    yield page
    context.close()


@pytest.mark.parametrize("year,profile", [(EXAMPLE_YEAR, ROOT / "content" / "policies" / "example.yaml"),
                                          (V2_YEAR, V2_PROFILE)], ids=["example", "v2-city"])
def test_an_imported_year_shows_the_clis_figures(planner, tmp_path, year, profile):
    import_year(planner, tmp_path, year)
    want = cli_year(profile, year)
    visits, totals = shown_year(planner)
    assert visits == [{f: v["estimate"][f] for f in VISIT_FIGURES} for v in want["visits"]]
    assert totals == want["totals"]
    layers = planner.eval_on_selector_all("[data-visit='0'] [data-field^='top_up:']",
                                          "els => els.map(e => [e.dataset.field, e.textContent.replace(/,/g, '')])")
    assert layers == [[f"top_up:{t['id']}", t["amount"]] for t in want["visits"][0]["estimate"]["top_ups"]]
    assert planner.outside == []


def test_each_visit_shows_what_was_carried_into_it(planner, tmp_path):
    import_year(planner, tmp_path, V2_YEAR)
    want = cli_year(V2_PROFILE, V2_YEAR)
    second = want["visits"][1]                      # the inpatient stay, after the August visit
    text = planner.text_content("[data-visit='1'] .planner-carried")
    assert f"第 {second['ytd']['prior_admissions'] + 1} 次住院" in text
    fund = second["ytd"]["fund_paid_this_year"]
    assert f"{float(fund):,.2f}" in text
    assert planner.text_content("[data-visit='1'] [data-carried=credited]").replace(",", "").find(second["credited"]) > 0


def fill_visit(page, visit: dict) -> None:
    page.fill("#calc-form [name=date]", visit["date"])
    page.select_option("#calc-form [name=setting]", visit["setting"])
    if "level" in visit:
        page.select_option("#calc-form [name=level]", visit["level"])
    for name in ("total", "out_of_catalogue", "category_b", "category_b_first_pay"):
        page.fill(f"#calc-form [name={name}]", visit.get(name, ""))


def test_add_change_and_delete_visits_re_settle_the_year(planner):
    planner.select_option("[name=profile]", "example")
    planner.select_option("[name=plan]", "employee-in-service")
    planner.fill("[name='start.date']", "2026-01-01")
    planner.fill("[name='start.account_balance']", "2000")
    planner.fill("[name='start.contribution_base']", "8000")
    year = {"profile": "example", "plan": "employee-in-service",
            "start": {"date": "2026-01-01", "account_balance": "2000", "contribution_base": "8000"}, "visits": []}
    for visit in EXAMPLE_YEAR["visits"][:3]:
        fill_visit(planner, visit)
        planner.click("#plan-add")
        year["visits"].append({k: v for k, v in visit.items()})
        planner.wait_for_selector(f"[data-visit='{len(year['visits']) - 1}']", state="attached")
        settled(planner, "planner-app")
    profile = ROOT / "content" / "policies" / "example.yaml"
    want = cli_year(profile, year)
    assert shown_year(planner)[0] == [{f: v["estimate"][f] for f in VISIT_FIGURES} for v in want["visits"]]
    # Change the February visit (first in date order): its total becomes 5000.
    planner.click("[data-visit='0'] .planner-actions button >> nth=0")
    assert planner.input_value("#calc-form [name=date]") == "2026-02-10"
    planner.fill("#calc-form [name=total]", "5000")
    planner.click("#plan-add")
    settled(planner, "planner-app")
    year["visits"][1]["total"] = "5000"
    want = cli_year(profile, year)
    assert shown_year(planner) == ([{f: v["estimate"][f] for f in VISIT_FIGURES} for v in want["visits"]],
                                   want["totals"])
    # Delete the inpatient stay (second in date order).
    planner.click("[data-visit='1'] .planner-actions button >> nth=1")
    settled(planner, "planner-app")
    del year["visits"][0]
    want = cli_year(profile, year)
    assert shown_year(planner) == ([{f: v["estimate"][f] for f in VISIT_FIGURES} for v in want["visits"]],
                                   want["totals"])
    # A visit the engine refuses is named at its field and not added.
    fill_visit(planner, {"date": "2025-12-31", "setting": "outpatient", "level": "primary", "total": "100"})
    planner.click("#plan-add")
    planner.wait_for_selector("#calc-date-error:not([hidden])")
    assert planner.locator("[data-visit]").count() == 2


def test_kept_on_the_device_exported_and_cleared(planner, tmp_path):
    import_year(planner, tmp_path, EXAMPLE_YEAR)
    assert "不会发送到任何地方" in planner.text_content("#plan-privacy")
    planner.reload()
    wait_ready(planner, app="planner-app")
    planner.wait_for_selector("[data-visit='3']", state="attached")
    with planner.expect_download() as info:
        planner.click("#plan-export")
    saved = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert saved == EXAMPLE_YEAR
    planner.once("dialog", lambda d: d.accept())
    planner.click("#plan-clear")
    assert planner.locator("[data-visit]").count() == 0
    assert planner.evaluate("localStorage.getItem('shebao-planner')") in (None, json.dumps(planner.evaluate(
        "JSON.parse(localStorage.getItem('shebao-planner'))")))
    assert planner.evaluate("JSON.parse(localStorage.getItem('shebao-planner') || '{\"visits\": []}').visits") == []


def test_a_file_from_elsewhere_is_refused_with_a_reason(planner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**EXAMPLE_YEAR, "profile": "atlantis"}), encoding="utf-8")
    before = planner.evaluate("localStorage.getItem('shebao-planner')")
    planner.set_input_files("input[name=year-import]", str(bad))
    planner.wait_for_selector("#plan-message:has-text('atlantis')")
    # The reason names the region the site lacks, and nothing of the file is taken in.
    assert planner.text_content("#plan-message") == "这个文件无法读入：文件里的地区“atlantis”本站没有。"
    assert planner.locator("[data-visit]").count() == 0
    assert planner.evaluate("localStorage.getItem('shebao-planner')") == before


def test_english_planner_and_links_from_the_calculator_and_home(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "en/planner.html")
    wait_ready(page, app="planner-app")
    assert "nothing leaves your phone" in page.text_content("#plan-privacy")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for start in ("calculator.html", "index.html", "en/calculator.html"):
        page.goto(site_url + start)
        assert page.locator("article a[href$='planner.html']").count() >= 1, start
    context.close()


def test_a_first_visit_shows_no_mistakes_before_anything_is_entered(browser, site_url):
    """A blank start is no mistake while there is no visit to work out."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "planner.html")
    wait_ready(page, app="planner-app")
    settled(page, app="planner-app")
    assert page.is_hidden("#calc-error-summary")
    context.close()


def test_without_javascript_the_planner_explains(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "planner.html")
    assert page.is_visible("#calc-nojs")
    assert page.is_hidden("#planner-app")
    context.close()


def test_print_puts_each_year_on_its_own_page(planner, tmp_path):
    import re
    import_year(planner, tmp_path, V2_YEAR)            # July-June years: 2026/27 and 2027/28
    pdf = planner.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == 2


# ---- offline: the file:// bundle and the service worker ----------------------------------------

@pytest.fixture(scope="module")
def bundle_dir(built_site, tmp_path_factory) -> Path:
    import zipfile
    dest = tmp_path_factory.mktemp("bundle") / "离线 副本"
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as zf:
        zf.extractall(dest)
    return dest / "shebao-guide"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_planner_works_from_the_file_bundle(browser, bundle_dir, tmp_path, prefix):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    outside = keep_local(context, (bundle_dir.as_uri() + "/", "data:", "blob:"))
    page = context.new_page()
    page.goto((bundle_dir / prefix / "planner.html").as_uri())
    wait_ready(page, app="planner-app")
    import_year(page, tmp_path, EXAMPLE_YEAR)
    want = cli_year(ROOT / "content" / "policies" / "example.yaml", EXAMPLE_YEAR)
    assert shown_year(page) == ([{f: v["estimate"][f] for f in VISIT_FIGURES} for v in want["visits"]],
                                want["totals"])
    assert outside == []
    context.close()


def test_the_planner_works_offline_through_the_service_worker(browser, built_site, tmp_path):
    with serve(built_site) as url:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        try:
            page = context.new_page()
            page.goto(url + "planner.html")
            wait_ready(page, app="planner-app")
            page.wait_for_selector("html[data-offline-runtime='saved'], html[data-offline-error]",
                                   state="attached", timeout=60_000)
            assert page.get_attribute("html", "data-offline-error") is None
            context.set_offline(True)
            page.reload()
            wait_ready(page, app="planner-app")
            import_year(page, tmp_path, EXAMPLE_YEAR)
            want = cli_year(ROOT / "content" / "policies" / "example.yaml", EXAMPLE_YEAR)
            assert shown_year(page)[1] == want["totals"]
        finally:
            context.set_offline(False)
            context.close()
