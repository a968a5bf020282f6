"""The national waiting-period rule as the facts file states it, written for the tests independently
of the rule table in content/flows/cover-start.yaml and of builder/content/waiting.py."""
from __future__ import annotations


def national_months(case: dict) -> tuple[int, str]:
    """Months the national rules give, and whether the figure is exact, a lower or an upper bound.
    Residents (国办发〔2024〕38号): 3 months fixed after a late enrolment or a gap; a gap's first year
    adds nothing, each further year 1 month; each missed year paid back takes 1 of those months off;
    after 4 or more years of gap never under 6. Employees (医保办发〔2021〕43号): a break of up to
    3 months paid up is covered; a longer one, a wait set locally of at most 6 months."""
    if case["scheme"] == "employee":
        return (0, "exact") if case["gap_months"] <= 3 else (6, "at_most")
    if case.get("exempt"):
        return 0, "exact"
    gap, paid = case["gap"], case["paid"]
    if gap == 0:
        return (0 if case["window"] == "in" else 3), "exact"
    months = 3 + max(0, (gap - 1) - paid)
    if gap >= 4:
        months = max(months, 6)
    if case.get("or_more") and paid < gap:
        return months, "at_least"
    return months, "exact"
