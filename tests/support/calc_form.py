"""Driving the cost-estimate form from Playwright, shared by every suite that uses it.

Waits use selectors and polling, never wait_for_function: the pages' CSP forbids the eval it needs.
"""
from __future__ import annotations

FIGURES = ("total", "out_of_catalogue", "category_b_first_pay", "policy_range", "deductible", "fund",
           "supplementary", "patient_share", "account", "cash", "balance_after", "self_paid_ratio")
EARLIER = ("prior_admissions", "deductible_paid_this_year", "fund_paid_this_year",
           "supplementary_base_this_year", "supplementary_paid_this_year")
AMOUNTS = ("total", "out_of_catalogue", "category_b", "account_balance", *EARLIER)


def wait_ready(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector("#calculator-app[data-ready='true']", state="attached", timeout=timeout_ms)
    assert page.evaluate("performance.getEntriesByName('calculator-ready').length") == 1


def settled(page) -> None:
    page.wait_for_selector("#calculator-app[data-busy='false']", state="attached")


def fill(page, profile_id: str, visit: dict) -> None:
    """Put a visit into the form (clearing what was there) and wait for its result."""
    for name in AMOUNTS:
        page.evaluate("(n) => { document.querySelector(`[name=${n}]`).value = ''; }", name)
    page.select_option("[name=profile]", profile_id)
    page.select_option("[name=plan]", visit["plan"])
    page.select_option("[name=setting]", visit["setting"])
    if "level" in visit:
        page.select_option("[name=level]", visit["level"])
    if any(k in visit for k in EARLIER):
        page.evaluate("document.getElementById('calc-earlier').open = true")
    page.set_checked("[name=use_account]", visit.get("use_account", True))
    for name, value in visit.items():
        if name not in ("plan", "setting", "level", "use_account"):
            page.fill(f"[name={name}]", str(value))
    settled(page)


def shown_figures(page) -> dict:
    return {f: page.text_content(f"[data-field={f}]") for f in FIGURES}


def poll(page, expression: str, want, seconds: float = 10):
    """Evaluate `expression` until it gives `want` or time runs out; return the last value."""
    value = None
    for _ in range(int(seconds * 20)):
        value = page.evaluate(expression)
        if value == want:
            break
        page.wait_for_timeout(50)
    return value
