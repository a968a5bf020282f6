""""My city's figures": a resident's rule card entered through the form, in Chromium at 360x740.

The card's figures must settle every visit in the calculator exactly as `python -m calculator
estimate` does on a hand-written profile with the same rules; the calculator's link must carry the
rule set to a phone that has nothing saved; the exported file must pass `python -m calculator
check` and import on another phone; a wrong card must be refused at the field, in zh and en.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.card import LEVELS
from support.audit import audit_context, csp_violations, run_axe
from support.browsing import keep_local
from support.calc_form import VISIT_FIGURES, fill, poll, settled, shown_figures, wait_ready

sys.path.insert(0, str(Path(__file__).resolve().parent / "calculator"))
from calc_fixtures import CARD, CARD_VISITS, card_equivalent_profile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PHONE = {"width": 360, "height": 740}
BASIC = {k: v for k, v in CARD.items() if k.startswith(("rules-name", "scheme", "inpatient.deductible", "inpatient.ratio",
                                                         "category_b"))}


def cli_estimate(profile: Path, visit: dict) -> dict:
    out = subprocess.run([sys.executable, "-m", "calculator", "estimate", "--profile", str(profile), "--visit",
                          json.dumps(visit)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def open_app(context, url: str, app: str):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    wait_ready(page, app=app)
    return page


def fill_card(page, card: dict) -> None:
    """Type the card into the form as a resident would, after starting from a blank card."""
    page.click("#rules-new")
    for section in ("inpatient", "top_up"):
        if any(k.startswith(section + ".band") and not k.startswith(section + ".band1") for k in card):
            details = "#rules-" + section.replace("_", "-") + "-bands"
            if page.get_attribute(details, "open") is None:
                page.click(details + " > summary")
    for name, value in card.items():
        if name in ("id", "entered"):
            continue
        target = f"form[data-rules] [name='{name}']"
        if isinstance(value, bool):
            page.set_checked(target, value)
        elif name == "scheme":
            page.select_option(target, value)
        else:
            page.fill(target, value)


def save_card(page, card: dict) -> str:
    """Save the card; return the id of the saved rule set."""
    fill_card(page, card)
    before = page.locator("[data-rules-id]").count()
    page.click("[data-rules-save]")
    page.wait_for_selector(f"[data-rules-id] >> nth={before}", state="attached")
    settled(page, "rules-app")
    return page.get_attribute(f"[data-rules-id] >> nth={before}", "data-rules-id")


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("card") / "own-test.json"
    path.write_text(json.dumps(card_equivalent_profile(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def context(browser, site_url):
    """A phone with nothing saved; no request leaves the site, and the CSP is watched."""
    ctx = audit_context(browser, site_url, viewport=PHONE, accept_downloads=True)
    yield ctx
    assert ctx.outside == [] and ctx.csp_console == []
    ctx.close()


def test_a_card_entered_in_the_form_settles_like_the_cli_and_its_link_travels(browser, context, site_url,
                                                                              hand_written):
    rules = open_app(context, site_url + "my-rules.html", "rules-app")
    own = save_card(rules, CARD)
    assert rules.text_content("#rules-privacy").strip()
    calc = open_app(context, site_url + "calculator.html", "calculator-app")
    option = calc.text_content(f"#calc-form [name=profile] option[value='{own}']")
    assert CARD["rules-name"] in option and "自己" in option
    options = calc.eval_on_selector_all("#calc-form [name=profile] option", "os => os.map(o => o.value)")
    assert options[-1] == own                                    # after the built-in regions
    links = []
    for visit in CARD_VISITS:
        fill(calc, own, visit)
        want = cli_estimate(hand_written, visit)
        shown = shown_figures(calc)
        assert {f: shown[f] for f in VISIT_FIGURES} == {f: want[f] for f in VISIT_FIGURES}, visit
        assert "自己填" in calc.text_content("#calc-result-title")
        links.append((calc.url, want))
    assert calc.errors == [] and rules.errors == []

    # A relative's phone: a fresh browser profile with nothing saved opens the shared link.
    fresh = browser.new_context(viewport=PHONE)
    try:
        outside = keep_local(fresh, (site_url, "blob:", "data:"))
        for url, want in links[:2]:
            page = open_app(fresh, url, "calculator-app")
            page.wait_for_selector("#calc-result-body:not([hidden]) [data-field=fund]", state="attached")
            shown = shown_figures(page)
            assert {f: shown[f] for f in VISIT_FIGURES} == {f: want[f] for f in VISIT_FIGURES}
            assert page.get_attribute("#calc-result-title", "data-own-rules") == ""
            page.close()
        assert outside == []
    finally:
        fresh.close()


def test_a_damaged_link_is_an_error_never_another_regions_figures(context, site_url):
    page = open_app(context, site_url + "calculator.html#profile=own-x&plan=employee&setting=inpatient"
                    "&level=tertiary&total=20000&rules=bm90LWpzb24", "calculator-app")
    page.wait_for_selector("#calc-profile[aria-invalid=true]", state="attached")
    assert page.text_content("#calc-profile-error").strip()
    assert page.is_hidden("#calc-result-body")


def test_export_passes_check_settles_identically_and_imports_on_a_fresh_phone(browser, context, site_url,
                                                                             tmp_path, hand_written):
    rules = open_app(context, site_url + "my-rules.html", "rules-app")
    fill_card(rules, CARD)
    with rules.expect_download() as download:
        rules.click("[data-rules-export]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    out = subprocess.run([sys.executable, "-m", "calculator", "check", str(path)], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0 and out.stdout.startswith("ok:"), out.stdout + out.stderr
    for visit in CARD_VISITS:
        got, want = cli_estimate(path, visit), cli_estimate(hand_written, visit)
        assert {f: got[f] for f in VISIT_FIGURES} == {f: want[f] for f in VISIT_FIGURES}

    fresh = browser.new_context(viewport=PHONE)
    try:
        page = open_app(fresh, site_url + "en/my-rules.html", "rules-app")
        page.set_input_files("input[type=file][name=rules-import]", str(path))
        page.wait_for_selector("[data-rules-id]", state="attached")
        own = page.get_attribute("[data-rules-id]", "data-rules-id")
        assert own == path.stem
        assert page.input_value("form[data-rules] [name='inpatient.ratio.tertiary']") == "85"
        calc = open_app(fresh, site_url + "en/calculator.html", "calculator-app")
        assert "my own figures" in calc.text_content(f"#calc-form [name=profile] option[value='{own}']")
        fill(calc, own, CARD_VISITS[0])
        want = cli_estimate(path, CARD_VISITS[0])
        assert shown_figures(calc)["fund"] == want["fund"]
        assert "own figures" in calc.text_content("#calc-result-title")
    finally:
        fresh.close()


MISTAKES = [
    ("inpatient.ratio.primary", "150%"),
    ("inpatient.deductible.secondary", "abc"),
    ("inpatient.band2.upto", "20000"),       # the first band ends at 30,000: a band above the next
    ("inpatient.cap", "-100"),
    ("rules-name", ""),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wrong_card_is_refused_at_the_field_and_computes_nothing(context, site_url, lang):
    prefix = "" if lang == "zh" else "en/"
    page = open_app(context, site_url + prefix + "my-rules.html", "rules-app")
    messages = []
    for name, value in MISTAKES:
        card = dict(CARD, **{name: value})
        if name == "inpatient.band2.upto":
            card.update({f"inpatient.band3.ratio.{lv}": "99" for lv in LEVELS})
        fill_card(page, card)
        page.click("[data-rules-save]")
        control = f"form[data-rules] [name='{name}']"
        page.wait_for_selector(control + "[aria-invalid=true]", state="attached")
        settled(page, "rules-app")
        slots = page.get_attribute(control, "aria-describedby").split()
        text = " ".join(page.text_content("#" + s) for s in slots if s.endswith("-error")).strip()
        assert text, name
        assert page.is_visible("#calc-error-summary")
        invalid = page.eval_on_selector_all("form[data-rules] [aria-invalid=true]", "els => els.map(e => e.name)")
        assert invalid == [name]
        messages.append(text)
    # Every message is in the page's language.
    chinese = [any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages]
    assert chinese == [lang == "zh"] * len(MISTAKES), messages
    assert run_axe(page, site_url) == []
    assert csp_violations(page) == []
    assert page.locator("[data-rules-id]").count() == 0          # nothing was saved
    calc = open_app(context, site_url + prefix + "calculator.html", "calculator-app")
    values = calc.eval_on_selector_all("#calc-form [name=profile] option", "os => os.map(o => o.value)")
    assert not [v for v in values if v.startswith("own-")]


def test_saved_sets_rename_and_delete_and_show_in_the_planner(context, site_url):
    page = open_app(context, site_url + "my-rules.html", "rules-app")
    first = save_card(page, BASIC)
    second = save_card(page, dict(BASIC, **{"rules-name": "第二套", "scheme": "resident"}))
    assert first != second
    page.click(f"[data-rules-id='{first}'] [data-rules-action=rename]")
    page.fill(f"#rules-rename-{first}", "改过的名字")
    page.click(f"[data-rules-id='{first}'] .rules-rename button")
    page.wait_for_selector(f"[data-rules-id='{first}'] .rules-saved__name:text('改过的名字')")
    page.once("dialog", lambda d: d.accept())
    page.click(f"[data-rules-id='{second}'] [data-rules-action=delete]")
    page.wait_for_selector(f"[data-rules-id='{second}']", state="detached")
    planner = open_app(context, site_url + "planner.html", "planner-app")
    options = planner.eval_on_selector_all("#plan-start [name=profile] option",
                                           "os => os.map(o => [o.value, o.textContent])")
    assert options[-1][0] == first and "改过的名字" in options[-1][1]
    assert second not in [o[0] for o in options]
    assert planner.errors == [] and page.errors == []


def test_the_planner_export_carries_the_rule_set_to_a_fresh_phone(browser, context, site_url, tmp_path):
    page = open_app(context, site_url + "my-rules.html", "rules-app")
    own = save_card(page, CARD)
    planner = open_app(context, site_url + "planner.html", "planner-app")
    planner.select_option("#plan-start [name=profile]", own)
    planner.fill("#plan-start [name='start.date']", "2026-01-01")
    planner.fill("#calc-form [name=date]", "2026-03-01")
    planner.select_option("#calc-form [name=setting]", "inpatient")
    planner.select_option("#calc-form [name=level]", "tertiary")
    planner.fill("#calc-form [name=total]", "80000")
    planner.click("#plan-add")
    planner.wait_for_selector("[data-visit='0']", state="attached")
    settled(planner, "planner-app")
    fund = planner.text_content("[data-visit='0'] [data-field=fund]")
    with planner.expect_download() as download:
        planner.click("#plan-export")
    path = tmp_path / "year.json"
    download.value.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8"))["rules"]["id"] == own
    fresh = browser.new_context(viewport=PHONE)
    try:
        other = open_app(fresh, site_url + "planner.html", "planner-app")
        other.set_input_files("input[type=file][name=year-import]", str(path))
        other.wait_for_selector("[data-visit='0']", state="attached")
        settled(other, "planner-app")
        assert other.text_content("[data-visit='0'] [data-field=fund]") == fund
        assert other.input_value("#plan-start [name=profile]") == own
    finally:
        fresh.close()


def test_a_region_plan_fills_the_card_and_the_page_is_keyboard_usable(context, site_url):
    page = open_app(context, site_url + "my-rules.html", "rules-app")
    page.select_option("#rules-start-from", index=1)
    page.focus("#rules-start")
    page.keyboard.press("Enter")
    page.wait_for_selector("#rules-message:not(:empty)")
    poll(page, "document.querySelector(\"[name='inpatient.ratio.tertiary']\").value !== ''", True)
    assert page.input_value("form[data-rules] [name='inpatient.ratio.tertiary']")
    # Tab from the name to the save button reaches every control of the card in order, nothing trapped.
    page.focus("form[data-rules] [name='rules-name']")
    seen = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || document.activeElement.id || ''")
        seen.add(name)
        if page.evaluate("document.activeElement.hasAttribute('data-rules-save')"):
            break
    assert page.evaluate("document.activeElement.hasAttribute('data-rules-save')")
    assert {"scheme", "inpatient.cap", "category_b_first_pay", "account.enabled"} <= seen
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-rules-id]", state="attached")


def test_the_card_works_from_the_file_bundle(browser, built_site, tmp_path_factory):
    import zipfile
    dest = tmp_path_factory.mktemp("bundle") / "离线 副本"
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as zf:
        zf.extractall(dest)
    root = dest / "shebao-guide"
    context = browser.new_context(viewport=PHONE)
    outside = keep_local(context, (root.as_uri() + "/", "data:", "blob:"))
    try:
        page = open_app(context, (root / "my-rules.html").as_uri(), "rules-app")
        own = save_card(page, CARD)
        calc = open_app(context, (root / "calculator.html").as_uri(), "calculator-app")
        fill(calc, own, CARD_VISITS[0])
        assert shown_figures(calc)["fund"] == cli_estimate_dict(CARD_VISITS[0])["fund"]
        assert outside == []
    finally:
        context.close()


def cli_estimate_dict(visit: dict) -> dict:
    from calculator import load_profile, settle
    return settle(load_profile(card_equivalent_profile()), visit).to_json()


def test_the_card_works_offline_through_the_service_worker(browser, built_site):
    from support.calc_site import serve
    with serve(built_site) as url:
        context = browser.new_context(viewport=PHONE)
        try:
            page = open_app(context, url + "my-rules.html", "rules-app")
            page.wait_for_selector("html[data-offline-runtime='saved'], html[data-offline-error]",
                                   state="attached", timeout=60_000)
            assert page.get_attribute("html", "data-offline-error") is None
            context.set_offline(True)
            page.reload()
            wait_ready(page, app="rules-app")
            own = save_card(page, CARD)
            calc = open_app(context, url + "calculator.html", "calculator-app")
            fill(calc, own, CARD_VISITS[1])
            assert shown_figures(calc)["fund"] == cli_estimate_dict(CARD_VISITS[1])["fund"]
        finally:
            context.set_offline(False)
            context.close()
