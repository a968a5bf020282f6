"""The cost-estimate page as a resident uses it, in Chromium at 360x740.

Every figure on the page must be the engine's own: each visit is filled into the form and the
`data-field` elements are compared with `calculator.settle` for the same profile and visit
(the CLI prints exactly that; one visit is also checked through the CLI itself).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from support.browsing import keep_local, search
from support.calc_form import FIGURES, fill, poll, settled, shown_figures, wait_ready
from calculator import settle
from calculator.profile_files import load_profile_file

ROOT = Path(__file__).resolve().parents[1]

VISITS = [
    ("example", {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "20000",
                 "out_of_catalogue": "1700", "category_b": "2000", "account_balance": "3000"}),
    ("example", {"plan": "employee-retired", "setting": "outpatient", "level": "primary", "total": "2600.55",
                 "category_b": "300", "account_balance": "150.40", "deductible_paid_this_year": "1000"}),
    ("example", {"plan": "resident", "setting": "inpatient", "level": "secondary", "total": "86000",
                 "out_of_catalogue": "5000", "prior_admissions": "1", "supplementary_base_this_year": "12000"}),
    ("example", {"plan": "employee-in-service", "setting": "pharmacy", "total": "268.30",
                 "account_balance": "100", "use_account": False}),
    ("beijing", {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "120000",
                 "category_b": "8000", "account_balance": "5000", "fund_paid_this_year": "480000"}),
]


def expected(profile_id: str, visit: dict) -> dict:
    return settle(load_profile_file(ROOT / "content" / "policies" / f"{profile_id}.yaml"), visit).to_json()


@pytest.fixture(scope="module")
def calc(browser, site_url):
    """One phone-sized page on the Chinese calculator, ready to estimate; records outside requests."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    outside = keep_local(context, (site_url, "blob:", "data:"))
    page = context.new_page()
    page.goto(site_url + "calculator.html")
    wait_ready(page)
    page.outside = outside
    yield page
    context.close()


@pytest.mark.parametrize("profile_id,visit", VISITS, ids=[f"{p}-{v['plan']}-{v['setting']}" for p, v in VISITS])
def test_figures_on_the_page_are_the_engines(calc, profile_id, visit):
    fill(calc, profile_id, visit)
    want = expected(profile_id, visit)
    assert shown_figures(calc) == {f: want[f] for f in FIGURES}
    lines = calc.eval_on_selector_all("#calc-lines tr", "rows => rows.map(r => r.getAttribute('data-line'))")
    assert lines == [line["key"] for line in want["lines"]]
    warnings = calc.eval_on_selector_all("#calc-warnings li", "li => li.map(x => x.getAttribute('data-warning'))")
    assert warnings == want["warnings"]
    assert calc.outside == []


def test_the_cli_prints_the_same_figures_as_the_page(calc):
    profile_id, visit = VISITS[1]
    fill(calc, profile_id, visit)
    out = subprocess.run([sys.executable, "-m", "calculator", "estimate", "--profile",
                          f"content/policies/{profile_id}.yaml", "--visit", json.dumps(visit)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    cli = json.loads(out.stdout)
    assert shown_figures(calc) == {f: cli[f] for f in FIGURES}


def test_headline_reads_as_a_sentence(calc):
    fill(calc, *VISITS[0])
    assert calc.text_content("#calc-headline") == (
        "您需支付 ¥5465.00（个人账户 ¥3000.00，现金 ¥2465.00）；支付后个人账户余额 ¥0.00。")


def engine_errors(profile_id: str, visit: dict, lang: str) -> dict[str, str]:
    from calculator import VisitError
    with pytest.raises(VisitError) as info:
        expected(profile_id, visit)
    return {e.field: e.message[lang] for e in info.value.errors}


def test_invalid_inputs_show_the_engines_messages_at_their_fields(calc):
    visit = {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
             "total": "1000", "category_b": "12.345", "account_balance": "-5"}
    fill(calc, "example", visit)
    calc.click(".calc-submit")
    calc.wait_for_selector("#calc-error-summary:not([hidden])")
    errors = engine_errors("example", visit, "zh")
    assert set(errors) == {"category_b", "account_balance"}
    for field, message in errors.items():
        assert calc.text_content(f"#calc-{field}-error") == message
        assert calc.get_attribute(f"#calc-{field}", "aria-invalid") == "true"
        assert message in calc.text_content("#calc-error-summary")
    assert calc.evaluate("document.activeElement.id") == "calc-error-summary"
    assert calc.is_hidden("#calc-result-body")


def test_level_is_not_asked_for_a_pharmacy(calc):
    calc.select_option("[name=setting]", "pharmacy")
    assert calc.is_hidden("#calc-field-level")
    calc.select_option("[name=setting]", "outpatient")
    assert calc.is_visible("#calc-field-level")


def test_the_visit_is_in_the_url_and_a_shared_link_restores_it(browser, site_url):
    profile_id, visit = VISITS[2]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "calculator.html#" + urlencode({"profile": profile_id, **visit}))
    wait_ready(page)
    page.wait_for_selector("#calc-result-body:not([hidden])")
    want = expected(profile_id, visit)
    assert shown_figures(page) == {f: want[f] for f in FIGURES}
    assert page.evaluate("document.getElementById('calc-earlier').open") is True
    page.fill("[name=total]", "90000")
    settled(page)
    assert "total=90000" in page.url
    context.close()


def test_english_page_works_the_same_in_english(browser, site_url):
    profile_id, visit = VISITS[0]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "en/calculator.html")
    wait_ready(page)
    fill(page, profile_id, visit)
    want = expected(profile_id, visit)
    assert shown_figures(page) == {f: want[f] for f in FIGURES}
    assert page.text_content("#calc-headline").startswith("You pay ¥5465.00")
    first_line = page.text_content("#calc-lines tr td:last-child")
    assert first_line == want["lines"][0]["explain"]["en"]
    page.fill("[name=total]", "abc")
    settled(page)
    assert page.text_content("#calc-total-error") == engine_errors(profile_id, {**visit, "total": "abc"}, "en")["total"]
    context.close()


def tab_to(page, name: str, most: int = 6) -> int:
    """Press Tab until the control named `name` has focus; return how many presses it took."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name || document.activeElement.id") == name:
            return presses
    raise AssertionError(f"{name} not reached with {most} presses of Tab")


def test_keyboard_alone_fills_the_form_and_gets_a_result(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + "calculator.html")
    wait_ready(page)
    page.focus("#calc-profile")
    tab_to(page, "plan")              # past the profile's "sources" disclosure
    assert tab_to(page, "setting") == 1
    assert tab_to(page, "level") == 1
    assert tab_to(page, "total") == 1
    page.keyboard.type("3000")
    assert tab_to(page, "account_balance") == 3      # out_of_catalogue, category_b, account_balance
    page.keyboard.type("500")
    assert tab_to(page, "use_account") == 1
    page.keyboard.press("Space")                     # untick: pay in cash
    assert page.is_checked("[name=use_account]") is False
    page.keyboard.press("Tab")                       # the "earlier this year" disclosure
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('calc-earlier').open") is True
    assert tab_to(page, "prior_admissions") == 1
    page.keyboard.press("Enter")                     # submits the form; focus moves to the result
    assert poll(page, "document.activeElement.id", "calc-result-title") == "calc-result-title"
    assert page.is_visible("#calc-result-body")
    profile_id = page.input_value("[name=profile]")
    plan = page.input_value("[name=plan]")
    want = expected(profile_id, {"plan": plan, "setting": "inpatient", "level": "primary", "total": "3000",
                                 "account_balance": "500", "use_account": False})
    assert page.text_content("[data-field=cash]") == want["cash"]
    assert page.text_content("[data-field=account]") == "0.00"
    context.close()


def test_without_javascript_the_rules_and_a_worked_example_are_shown(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "calculator.html")
    assert page.is_visible("#calc-nojs")
    assert page.is_hidden("#calculator-app")
    assert page.is_visible("#rules")
    body = page.text_content("article")
    assert "14535.00" in body and "5465.00" in body      # the example, settled by the engine at build time
    context.close()


def test_a_runtime_that_cannot_load_says_so_instead_of_spinning(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page = context.new_page()
    page.goto(site_url + "calculator.html")
    page.wait_for_selector(".calc-status--error", timeout=30_000)
    assert "计算器加载失败" in page.text_content("#calc-status")
    assert page.is_visible("#calc-nojs")
    context.close()


def test_search_starts_after_the_calculator_and_then_works(browser, site_url):
    """Material's search worker waits for the calculator on this page, then searches as anywhere."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    # Log each real Worker the page creates and whether the calculator was ready at that moment.
    context.add_init_script("""(() => {
      const Real = window.Worker; window.__workers = [];
      window.Worker = function (url, options) {
        const app = document.getElementById('calculator-app');
        window.__workers.push([String(url).split('/').pop(), app && app.getAttribute('data-ready')]);
        return new Real(url, options);
      };
      window.Worker.prototype = Real.prototype;
    })();""")
    page = context.new_page()
    try:
        page.goto(site_url + "/calculator.html")
        wait_ready(page)
        hrefs = search(page, "激活", timeout_ms=20_000)
        assert any("activation" in h for h in hrefs), hrefs
        started = page.evaluate("window.__workers")
    finally:
        context.close()
    assert started[0][0] == "calculator-worker.js", started
    search_workers = [ready for name, ready in started if name.startswith("search.")]
    assert search_workers == ["true"], started   # one search worker, created once the calculator was ready


def test_search_used_while_the_calculator_loads_starts_at_once(browser, site_url):
    """A reader who goes to search before the calculator is ready does not wait for the runtime."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script("""(() => {
      const Real = window.Worker; window.__workers = [];
      window.Worker = function (url, options) {
        const app = document.getElementById('calculator-app');
        window.__workers.push([String(url).split('/').pop(), app && app.getAttribute('data-ready')]);
        return new Real(url, options);
      };
      window.Worker.prototype = Real.prototype;
    })();""")
    held = []
    context.route("**/pyodide.asm.wasm", lambda route: held.append(route))   # never answered: runtime stays loading
    page = context.new_page()
    try:
        page.goto(site_url + "/calculator.html")
        page.wait_for_selector(".calc-status--loading", state="attached", timeout=30_000)
        # well within the stand-in's last-resort timer (60 s; it was 10 s, which this would not notice)
        hrefs = search(page, "激活", timeout_ms=8_000)
        assert any("activation" in h for h in hrefs), hrefs
        started = page.evaluate("window.__workers")
        assert page.get_attribute("#calculator-app", "data-ready") is None
    finally:
        context.close()
    assert held, "the runtime's wasm was not requested"
    assert [ready for name, ready in started if name.startswith("search.")] == [None], started
