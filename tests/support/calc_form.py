"""Driving the cost-estimate form and the "my year" planner from Playwright, shared by every suite.

Waits use selectors and polling, never wait_for_function: the pages' CSP forbids the eval it needs.
"""
from __future__ import annotations

FIGURES = ("total", "out_of_catalogue", "category_b_first_pay", "policy_range", "deductible", "fund",
           "supplementary", "patient_share", "account", "cash", "balance_after", "self_paid_ratio")
VISIT_FIGURES = ("fund", "supplementary", "patient_share", "account", "cash", "balance_after")
TOTAL_FIGURES = ("total", "fund", "supplementary", "patient_share", "account", "cash", "credited")
EARLIER = ("prior_admissions", "deductible_paid_this_year", "fund_paid_this_year", "policy_range_this_year",
           "top_ups_this_year")
CHOICES = ("setting", "level", "location", "account_owner")
MORE = ("out_of_catalogue", "category_b", "category_b_first_pay")


def wait_ready(page, timeout_ms: int = 60_000, app: str = "calculator-app") -> None:
    page.wait_for_selector(f"#{app}[data-ready='true']", state="attached", timeout=timeout_ms)
    assert page.evaluate("performance.getEntriesByName('calculator-ready').length") == 1


def settled(page, app: str = "calculator-app") -> None:
    page.wait_for_selector(f"#{app}[data-busy='false']", state="attached")


def control(name: str) -> str:
    return f'#calc-form [name="{name}"]'


def fill(page, profile_id: str, visit: dict) -> None:
    """Put a visit into the form (clearing what was there) and wait for its result."""
    page.evaluate("""() => document.querySelectorAll('#calc-form input[type=text]')
                        .forEach((i) => { i.value = ''; })""")
    page.select_option(control("profile"), profile_id)
    page.select_option(control("plan"), visit["plan"])
    # Bill fields beyond the total sit under "more from your bill".
    if page.query_selector("#calc-more") and any(k in visit for k in MORE):
        page.evaluate("document.getElementById('calc-more').open = true")
    defaults = {"location": "local", "account_owner": "self"}
    for name in CHOICES:
        if name in visit:
            page.select_option(control(name), visit[name])
        elif name in defaults and page.is_visible(control(name)):
            page.select_option(control(name), defaults[name])
    if any(k in visit for k in EARLIER):
        page.evaluate("document.getElementById('calc-earlier').open = true")
    if page.is_visible(control("use_account")):
        page.set_checked(control("use_account"), visit.get("use_account", True))
    for name, value in visit.items():
        if name == "top_ups_this_year":
            for layer, figures in value.items():
                for kind, amount in figures.items():
                    page.fill(control(f"top_ups_this_year.{layer}.{kind}"), str(amount))
        elif name not in ("plan", "use_account", *CHOICES):
            page.fill(control(name), str(value))
    settled(page)


def plain(text: str | None) -> str | None:
    """A figure as the engine writes it: the page adds thousands separators for reading."""
    return None if text is None else text.replace(",", "")


def shown_figures(page, within: str = "") -> dict:
    return {f: plain(page.text_content(f"{within} [data-field='{f}']".strip())) for f in FIGURES}


def poll(page, expression: str, want, seconds: float = 10):
    """Evaluate `expression` until it gives `want` or time runs out; return the last value."""
    value = None
    for _ in range(int(seconds * 20)):
        value = page.evaluate(expression)
        if value == want:
            break
        page.wait_for_timeout(50)
    return value
