"""The calculator's short form and the planner's dates, as a resident holding a bill meets them on a
360x740 phone: a slip copied into the form gives the CLI's figures; nothing is assumed for them
(no hospital level, no region from the illustrative figures); what a plan cannot estimate is said;
dates are read as people write them.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.calc_form import FIGURES, control, plain, settled, shown_figures, wait_ready
from calculator import profile_summary
from calculator.profile_files import load_profile_file

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "content" / "policies"


def cli_estimate(profile_id: str, visit: dict) -> dict:
    out = subprocess.run([sys.executable, "-m", "calculator", "estimate", "--profile", str(POLICIES / f"{profile_id}.yaml"),
                          "--visit", json.dumps(visit)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture()
def phone(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.site = site_url
    yield page
    context.close()


def open_calculator(page, path: str = "calculator.html") -> None:
    page.goto(page.site + path)
    wait_ready(page)


def label_of(page, name: str) -> str:
    return page.inner_text(f"label[for='calc-{name}']")


# A made-up slip: the total, 自费, the category-B first pay printed as 自付二 / 自付一.
SLIP = {"total": "8000", "out_of_catalogue": "500", "category_b_first_pay": "150"}


@pytest.mark.parametrize("profile_id,plan,setting,level", [
    ("shanghai", "employee-in-service-under-45", "inpatient", "tertiary"),
    ("beijing", "employee-retired", "outpatient", "secondary"),
    ("shenzhen", "employee-tier1", "outpatient", "community"),
])
def test_a_slip_copied_into_the_short_form_gives_the_clis_figures(phone, profile_id, plan, setting, level):
    open_calculator(phone)
    phone.select_option(control("profile"), profile_id)
    phone.select_option(control("plan"), plan)
    phone.select_option(control("setting"), setting)
    assert phone.is_hidden(control("out_of_catalogue"))      # the short form first
    phone.fill(control("total"), SLIP["total"])
    settled(phone)
    # No level is assumed: the result waits for one.
    assert phone.input_value(control("level")) == ""
    assert phone.is_hidden("#calc-result-body")
    assert "医院等级" in phone.text_content("#calc-result-empty")
    phone.select_option(control("level"), level)
    # The rest of the slip is under "more from your bill", offered once the total is in, each field
    # named as the slip prints it.
    assert phone.evaluate("document.getElementById('calc-more').open") is True
    assert "自费" in label_of(phone, "out_of_catalogue")
    hint = phone.inner_text("#calc-category_b_first_pay-hint")
    assert "自付一" in hint and "自付二" in hint
    phone.fill(control("out_of_catalogue"), SLIP["out_of_catalogue"])
    phone.fill(control("category_b_first_pay"), SLIP["category_b_first_pay"])
    settled(phone)
    phone.wait_for_selector("#calc-result-body:not([hidden])")
    want = cli_estimate(profile_id, {"plan": plan, "setting": setting, "level": level, **SLIP})
    assert shown_figures(phone) == {f: want[f] for f in FIGURES}
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_submitting_without_a_level_asks_for_it_at_its_field(phone):
    open_calculator(phone)
    phone.select_option(control("profile"), "beijing")
    phone.fill(control("total"), "3000")
    phone.click(".calc-submit")
    phone.wait_for_selector("#calc-level-error:not([hidden])")
    assert phone.get_attribute(control("level"), "aria-invalid") == "true"
    assert phone.is_hidden("#calc-result-body")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plans_are_in_the_editors_order_with_a_line_on_who_each_is_for_and_fit_the_phone(phone, lang):
    open_calculator(phone, ("en/" if lang == "en" else "") + "calculator.html")
    for profile_id in ("shanghai", "shenzhen", "beijing", "hangzhou"):
        phone.select_option(control("profile"), profile_id)
        summary = profile_summary(load_profile_file(POLICIES / f"{profile_id}.yaml"))
        shown = phone.eval_on_selector_all(control("plan") + " option", "os => os.map(o => o.value)")
        assert shown == summary["plan_order"]
        for plan_id in shown:
            phone.select_option(control("plan"), plan_id)
            assert phone.inner_text("#calc-plan-for") == summary["plans"][plan_id]["for_whom"][lang]
        # Each name fits the closed menu (the text area: the box less padding and the arrow).
        overflow = phone.evaluate("""(sel) => {
            const s = document.querySelector(sel), cs = getComputedStyle(s);
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = cs.fontSize + ' ' + cs.fontFamily;
            const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 28;
            return [...s.options].filter(o => ctx.measureText(o.textContent).width > room).map(o => o.textContent);
        }""", control("plan"))
        assert overflow == [], profile_id
    regions = phone.eval_on_selector_all(control("profile") + " option", "os => os.map(o => o.textContent)")
    assert any(("示意" if lang == "zh" else "illustrative") in name for name in regions)   # said in its name


def test_a_visit_kind_a_plan_does_not_price_is_not_offered_and_is_named(phone):
    open_calculator(phone)
    phone.select_option(control("profile"), "shenzhen")
    phone.select_option(control("setting"), "outpatient")
    levels = phone.eval_on_selector_all(control("level") + " option", "os => os.map(o => o.value)")
    assert levels == ["", "community"]                   # hospital outpatient care is not offered
    note = phone.inner_text("#calc-not-offered")
    assert "门诊" in note and "社区健康服务中心" in note
    assert "药店购药" in note                            # no Shenzhen figures for pharmacies either


def test_a_fund_of_zero_left_out_by_the_rules_is_said_in_words(phone):
    open_calculator(phone, "calculator.html#profile=example&plan=employee-in-service&setting=pharmacy&total=120")
    settled(phone)
    phone.wait_for_selector("#calc-result-body:not([hidden])")
    assert plain(phone.text_content("[data-field=fund]")) == "0.00"
    assert phone.is_visible("#calc-fund-note")
    assert "统筹基金不支付" in phone.inner_text("#calc-fund-note")


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_slip_picture_is_drawn_in_the_pages_language_without_figures(phone, lang):
    open_calculator(phone, lang + "calculator.html")
    phone.click("#calc-more summary")
    svg = phone.locator("#calc-slip svg")
    assert svg.is_visible()
    title = phone.text_content("#calc-slip-title")
    assert ("结算单" in title) if not lang else ("settlement slip" in title)
    texts = phone.eval_on_selector_all("#calc-slip svg text", "ts => ts.map(t => t.textContent).join(' ')")
    assert "自费" in texts and "乙类先行自付" in texts and "统筹基金支付" in texts
    # No amounts: the only digits are the row numbers 1-3 (grey boxes stand for the figures).
    assert set(re.findall(r"[0-9]", texts)) <= {"1", "2", "3"} and not re.search(r"[0-9]{2}", texts)
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_the_year_to_date_fields_point_to_the_planner(phone):
    open_calculator(phone)
    phone.click("#calc-earlier summary")
    link = phone.get_attribute("#calc-earlier a.calc-earlier-planner", "href")
    assert link == "planner.html"
    for name in ("prior_admissions", "deductible_paid_this_year", "fund_paid_this_year", "policy_range_this_year"):
        assert phone.locator(control(name)).count() == 1


# ---- the planner's dates ------------------------------------------------------------------------

SPELLINGS = [("2026-11-5", "2026-11-05"), ("2026/11/6", "2026-11-06"), ("2026.11.7", "2026-11-07"),
             ("2026年11月8日", "2026-11-08"), ("20261109", "2026-11-09"), ("２０２６年１１月１０日", "2026-11-10"),
             ("２０２６－１１－１２", "2026-11-12")]


def test_the_planner_reads_dates_as_people_write_them(phone):
    phone.goto(phone.site + "planner.html")
    wait_ready(phone, app="planner-app")
    phone.select_option("[name=profile]", "beijing")
    phone.select_option("[name=plan]", "resident")
    phone.fill("[name='start.date']", "2026年1月1日")
    assert phone.get_attribute("#plan-start-date-understood", "data-understood") == "2026-01-01"
    # The keypad is the full keyboard (a numeric one lacks "/" or "年" on some phones); a picker is offered.
    assert phone.get_attribute("#calc-form [name=date]", "inputmode") in (None, "text")
    assert phone.get_attribute("#calc-date-picker", "type") == "date"
    assert phone.is_visible("#calc-date-picker-button")
    for n, (typed, iso) in enumerate(SPELLINGS):
        phone.fill("#calc-form [name=date]", typed)
        assert iso in phone.inner_text("#calc-date-understood")
        phone.select_option("#calc-form [name=setting]", "inpatient")
        phone.select_option("#calc-form [name=level]", "community")
        phone.fill("#calc-form [name=total]", "5000")
        phone.click("#plan-add")
        phone.wait_for_selector(f"[data-visit='{n}']", state="attached")
        settled(phone, "planner-app")
    dates = phone.eval_on_selector_all("[data-visit]", "vs => vs.map(v => v.dataset.date)")
    assert dates == [iso for _, iso in SPELLINGS]
    year = {"plan": "resident", "start": {"date": "2026-01-01"},
            "visits": [{"date": iso, "setting": "inpatient", "level": "community", "total": "5000"}
                       for _, iso in SPELLINGS]}
    out = subprocess.run([sys.executable, "-m", "calculator", "year", "--profile", str(POLICIES / "beijing.yaml"),
                          "--visits", "-"], input=json.dumps(year), cwd=ROOT, capture_output=True, text=True,
                         check=True)
    want = json.loads(out.stdout)
    assert [v["date"] for v in want["visits"]] == dates
    shown = [plain(phone.text_content(f"[data-visit='{i}'] [data-field=fund]")) for i in range(len(SPELLINGS))]
    assert shown == [v["estimate"]["fund"] for v in want["visits"]]


def test_the_planner_date_picker_fills_the_date_and_a_non_date_is_named(phone):
    phone.goto(phone.site + "planner.html")
    wait_ready(phone, app="planner-app")
    phone.eval_on_selector("#calc-date-picker", "p => { p.value = '2026-03-15'; p.dispatchEvent(new Event('change')); }")
    assert phone.input_value("#calc-form [name=date]") == "2026-03-15"
    assert "2026年3月15日" in phone.inner_text("#calc-date-understood")
    phone.fill("#calc-form [name=date]", "2026-02-30")
    assert phone.get_attribute("#calc-date-understood", "data-understood") == ""
    assert "看不出" in phone.inner_text("#calc-date-understood")
