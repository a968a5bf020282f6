"""The planner keeps a resident's stored year intact when the site is rebuilt: a region or plan that
is gone is said at its field and nothing is saved over the year until the resident chooses; a visit
the rules now refuse is a card with its error and its own buttons while the rest of the year
settles. Imports are checked before they are stored."""
from __future__ import annotations

import json

import pytest

from support.calc_form import VISIT_FIGURES, plain, poll, settled, wait_ready
from support.project import ROOT
from test_planner_page import cli_year

STORE = "shebao-planner"
START = {"date": "2026-01-01", "account_balance": "2000.00", "contribution_base": "8000.00"}
VISITS = [
    {"date": "2026-02-10", "setting": "outpatient", "level": "tertiary", "total": "3000"},
    {"date": "2026-03-03", "setting": "inpatient", "level": "secondary", "total": "42000", "location": "unfiled"},
    {"date": "2026-05-03", "setting": "pharmacy", "total": "180.40"},
    {"date": "2026-11-20", "setting": "inpatient", "level": "tertiary", "total": "25000"},
]
PROFILE = "#plan-start [name=profile]"
PLAN = "#plan-start [name=plan]"


@pytest.fixture()
def open_with(browser, site_url):
    """Opens the planner with `stored` in this device's storage, as an earlier build left it."""
    contexts = []

    def open_(stored: dict | None):
        context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
        contexts.append(context)
        if stored is not None:
            context.add_init_script(
                f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1'); "
                f"localStorage.setItem('{STORE}', {json.dumps(json.dumps(stored))}); }}")
        page = context.new_page()
        page.goto(site_url + "planner.html")
        wait_ready(page, app="planner-app")
        settled(page, "planner-app")
        return page

    yield open_
    for context in contexts:
        context.close()


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{STORE}')"))


def problem_at(page, selector: str) -> str:
    assert poll(page, f"document.querySelector('{selector}').getAttribute('aria-invalid')", "true") == "true"
    return page.evaluate("""sel => document.querySelector(sel).getAttribute('aria-describedby').split(' ')
        .map(id => document.getElementById(id)).filter(e => e && !e.hidden).map(e => e.textContent).join(' ')""",
                         selector)


def test_a_year_whose_region_is_gone_waits_for_the_residents_choice(open_with):
    year = {"profile": "old-city", "plan": "employee", "start": START, "visits": VISITS}
    page = open_with(year)
    assert "old-city" in problem_at(page, PROFILE) and "4" in problem_at(page, PROFILE)
    assert page.input_value(PROFILE) == ""
    assert page.locator("[data-visit]").count() == 0
    assert stored(page) == year                       # nothing saved over it
    page.select_option(PROFILE, "example")
    problem_at(page, PLAN)
    assert page.input_value(PLAN) == ""
    assert stored(page) == year                       # still the resident's, until the plan is chosen
    page.select_option(PLAN, "employee-in-service")
    settled(page, "planner-app")
    now = stored(page)
    assert (now["profile"], now["plan"], now["visits"]) == ("example", "employee-in-service", VISITS)


def test_a_year_whose_plan_is_gone_names_it_and_keeps_every_visit(open_with):
    year = {"profile": "example", "plan": "employee-renamed", "start": START, "visits": VISITS}
    page = open_with(year)
    assert "employee-renamed" in problem_at(page, PLAN)
    assert page.input_value(PLAN) == ""
    assert stored(page) == year
    page.select_option(PLAN, "resident")
    settled(page, "planner-app")
    assert stored(page)["plan"] == "resident" and stored(page)["visits"] == VISITS


def test_a_visit_the_rules_refuse_is_a_card_of_its_own_and_the_rest_settles(open_with):
    year = {"profile": "example", "plan": "employee-in-service", "start": START, "visits": VISITS}
    page = open_with(year)
    page.wait_for_selector("[data-visit-refused='1']", state="attached")
    card = "[data-visit-refused='1']"
    assert page.locator(f"{card} .calc-error").count() >= 1 and "2026-03-03" in page.text_content(card)
    assert page.locator(f"{card} button").count() == 2           # its own edit and delete
    kept = {**year, "visits": [v for i, v in enumerate(VISITS) if i != 1]}
    want = cli_year(ROOT / "content" / "policies" / "example.yaml", kept)
    shown = [{f: plain(page.text_content(f"[data-visit='{i}'] [data-field='{f}']")) for f in VISIT_FIGURES}
             for i in range(page.locator("[data-visit]").count())]
    assert shown == [{f: v["estimate"][f] for f in VISIT_FIGURES} for v in want["visits"]]
    assert stored(page) == year                                   # every visit kept
    page.locator(f"{card} button").nth(0).click()                 # edit: the form says what no longer fits
    assert page.get_attribute("#calc-location", "aria-invalid") == "true"
    page.click("#plan-cancel")
    page.locator(f"{card} button").nth(1).click()                 # delete
    settled(page, "planner-app")
    assert stored(page)["visits"] == kept["visits"]
    assert page.locator("[data-visit-refused]").count() == 0


@pytest.mark.parametrize("data,reason", [
    ({"profile": "__proto__", "plan": "employee-in-service", "start": START, "visits": VISITS}, "__proto__"),
    ({"profile": "constructor", "plan": "employee-in-service", "start": START, "visits": VISITS}, "constructor"),
    ({"profile": "example", "plan": "__proto__", "start": START, "visits": VISITS}, "__proto__"),
    ({"profile": "example", "plan": "employee-in-service", "start": START, "visits": [VISITS[0]] * 1001}, "1000"),
])
def test_an_import_the_engine_could_not_take_is_refused_with_why(open_with, tmp_path, data, reason):
    year = {"profile": "example", "plan": "employee-in-service", "start": START, "visits": VISITS[:1]}
    page = open_with(year)
    page.evaluate("document.getElementById('plan-message').textContent = ''")
    path = tmp_path / "year.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    page.set_input_files("input[name=year-import]", str(path))
    page.wait_for_selector("#plan-message:not(:empty)", state="attached")
    assert reason in page.text_content("#plan-message")
    assert stored(page) == year
