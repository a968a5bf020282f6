"""A shared link asks for what the region or plan does not offer: the page says so at the field and
shows no figure until the resident chooses; it never settles a substitute. Also for a second link in
the same tab, for back and forward, and for names such as __proto__."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from calculator import settle
from calculator.profile_files import load_profile_file
from support.calc_form import FIGURES, control, poll, settled, shown_figures, wait_ready
from support.project import ROOT

GOOD = {"profile": "example", "plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
        "total": "50000"}
BAD_LINKS = [
    ({"profile": "nowhere"}, "profile", "nowhere"),
    ({"profile": "__proto__"}, "profile", "__proto__"),
    ({"profile": "constructor"}, "profile", "constructor"),
    ({"plan": "retired"}, "plan", "retired"),
    ({"plan": "__proto__"}, "plan", "__proto__"),
    ({"profile": "beijing", "setting": "pharmacy"}, "setting", "pharmacy"),
    ({"level": "quaternary"}, "level", "quaternary"),
    ({"location": "unfiled"}, "location", "unfiled"),
    ({"account_owner": "family"}, "account_owner", "family"),
]


def expected(profile_id: str, visit: dict) -> dict:
    visit = {k: v for k, v in visit.items() if k != "profile"}
    return settle(load_profile_file(ROOT / "content" / "policies" / f"{profile_id}.yaml"), visit).to_json()


def link(values: dict, lang: str = "") -> str:
    return f"{lang}calculator.html#" + urlencode(values)


@pytest.fixture()
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.site = site_url
    yield page
    context.close()


def problem_at(page, field: str) -> str:
    """The message the field's aria-describedby names, once the field is marked invalid."""
    selector = control(field)
    assert poll(page, f"document.querySelector('{selector}').getAttribute('aria-invalid')", "true") == "true", field
    return page.evaluate("""sel => {
      const c = document.querySelector(sel);
      return c.getAttribute('aria-describedby').split(' ')
        .map(id => document.getElementById(id)).filter(e => e && !e.hidden).map(e => e.textContent).join(' ');
    }""", selector)


def no_figure(page) -> bool:
    return page.evaluate("[...document.querySelectorAll('[data-field]')].every(e => !e.offsetParent)")


@pytest.mark.parametrize("bad,field,value", BAD_LINKS, ids=[f"{f}={v}" for _, f, v in BAD_LINKS])
def test_each_link_value_the_region_or_plan_does_not_offer_is_said_at_its_field(page, bad, field, value):
    page.goto(page.site + link({**GOOD, **bad}))
    wait_ready(page)
    settled(page)
    assert value in problem_at(page, field)
    assert no_figure(page)
    assert page.input_value(control(field)) == ""  # nothing chosen in its place
    assert page.url.endswith(link({**GOOD, **bad}))  # the link is kept as it was given


def test_a_layer_the_plan_does_not_have_is_said_and_no_figure_is_shown(page):
    page.goto(page.site + link({**GOOD, "top_ups_this_year.nope.base": "3000"}))
    wait_ready(page)
    settled(page)
    assert "nope" in page.text_content("#calc-error-summary") and page.is_visible("#calc-error-summary")
    assert no_figure(page)


def test_choosing_at_the_field_gives_the_figures_of_what_was_chosen(page):
    page.goto(page.site + link({**GOOD, "level": "quaternary"}))
    wait_ready(page)
    settled(page)
    problem_at(page, "level")
    page.select_option(control("level"), "secondary")
    settled(page)
    assert page.get_attribute(control("level"), "aria-invalid") is None
    assert shown_figures(page) == {f: expected("example", {**GOOD, "level": "secondary"})[f] for f in FIGURES}
    assert "level=secondary" in page.url


@pytest.mark.parametrize("bad,field,value", [({"profile": "nowhere"}, "profile", "nowhere"),
                                             ({"plan": "retired"}, "plan", "retired"),
                                             ({"location": "unfiled"}, "location", "unfiled")])
def test_a_bad_link_after_a_good_one_in_the_same_tab_and_back_and_forward(page, bad, field, value):
    page.goto(page.site + link(GOOD, "en/"))
    wait_ready(page)
    settled(page)
    good_figures = {f: expected("example", GOOD)[f] for f in FIGURES}
    assert shown_figures(page) == good_figures
    page.goto(page.site + link({**GOOD, **bad}, "en/"))  # same document: only the hash changes
    settled(page)
    assert value in problem_at(page, field)
    assert no_figure(page)
    page.go_back()
    assert poll(page, f"document.querySelector('{control(field)}').getAttribute('aria-invalid')", None) is None
    settled(page)
    assert shown_figures(page) == good_figures
    page.go_forward()
    settled(page)
    assert value in problem_at(page, field)
    assert no_figure(page)
