"""Waiting periods before the fund pays, computed from the small rule table a flow declares
(`waiting:` in content/flows/*.yaml) for the case each of its outcomes describes (`case:`).

    wait_months(rule, case) -> Wait(months, bound, if_paid)

Residents' insurance (the national rule since 2025): no wait for an exempt person, nor for someone
continuously insured who paid in the collection window; otherwise the fixed months, plus the variable
months for each year of the gap after the first free ones, less one month for each missed year paid
back (only the variable part shrinks); after a long gap the total stays at the floor even when paid.
Employee insurance: a short gap paid up is covered back (no wait); after a longer gap the pooling
area sets a wait of at most the maximum, so the figure is an upper bound.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.content.schema import Choice, Field, Int, Map, Problem, _type_name

EXACT, AT_LEAST, AT_MOST = "exact", "at_least", "at_most"


class Bool(Field):
    example = "true"
    described = "true or false"

    def check(self, value, path, out):
        if not isinstance(value, bool):
            out.append(Problem(path, f"should be true or false, not {_type_name(value)}", "write true or false"))


RULE_SPEC = Map({
    "residents": Map({"fixed_months": Int(), "free_gap_years": Int(), "months_per_gap_year": Int(),
                      "months_per_paid_year": Int(), "floor_from_gap_years": Int(), "floor_months": Int()}),
    "employee": Map({"retro_gap_months": Int(), "max_wait_months": Int()}),
})

CASE_SPEC = Map({
    "scheme": Choice("residents", "employee"),
    "exempt": Bool(),            # a newborn or another group the rule exempts
    "window": Choice("in", "out"),   # paid inside the collection window, or not
    "gap_years": Int(),          # whole years without cover before this payment
    "paid_years": Int(),         # of those, the years paid back
    "or_more": Bool(),           # "gap_years or more": the months are a lower bound where they grow with it
    "gap_months": Int(),         # employee insurance: months without cover
}, optional=("exempt", "window", "gap_years", "paid_years", "or_more", "gap_months"))


@dataclass(frozen=True)
class Wait:
    months: int
    bound: str = EXACT                  # exact, at_least or at_most
    if_paid: int | None = None          # the months if every missed year were paid back (when fewer)


def case_problems(case: dict) -> list[tuple[tuple, str, str]]:
    """What is inconsistent in a case: (path inside the case, what, fix)."""
    out = []
    if case["scheme"] == "residents":
        if not case.get("exempt") and "gap_years" not in case:
            out.append((("gap_years",), "is missing", "add `gap_years: 0` (whole years without cover), "
                                                       "or `exempt: true`"))
        if case.get("gap_years", 0) == 0 and not case.get("exempt") and "window" not in case:
            out.append((("window",), "is missing", "add `window: in` or `window: out` (paid in the collection window?)"))
        if case.get("paid_years", 0) > case.get("gap_years", 0):
            out.append((("paid_years",), f"is more than gap_years ({case.get('gap_years', 0)})",
                        "a reader can pay back at most the years missed"))
        if any(case.get(k, 0) < 0 for k in ("gap_years", "paid_years")):
            out.append(((), "has a negative number of years", "write 0 or more"))
    elif "gap_months" not in case:
        out.append((("gap_months",), "is missing", "add `gap_months: 0` (months without employee cover)"))
    return out


def _residents(r: dict, exempt: bool, window: str | None, gap: int, paid: int) -> int:
    if exempt:
        return 0
    if gap == 0:
        return 0 if window == "in" else r["fixed_months"]
    variable = max(0, gap - r["free_gap_years"]) * r["months_per_gap_year"]
    variable = max(0, variable - min(paid, gap) * r["months_per_paid_year"])
    total = r["fixed_months"] + variable
    if gap >= r["floor_from_gap_years"]:
        total = max(total, r["floor_months"])
    return total


def wait_months(rule: dict, case: dict) -> Wait:
    if case["scheme"] == "employee":
        e = rule["employee"]
        if case["gap_months"] <= e["retro_gap_months"]:
            return Wait(0)
        return Wait(e["max_wait_months"], AT_MOST)
    r = rule["residents"]
    exempt, window = bool(case.get("exempt")), case.get("window")
    gap, paid = case.get("gap_years", 0), case.get("paid_years", 0)
    months = _residents(r, exempt, window, gap, paid)
    bound = EXACT
    if case.get("or_more"):
        # One more year of gap (paid back too, if every year was): do the months grow?
        longer = _residents(r, exempt, window, gap + 1, paid + 1 if paid == gap else paid)
        bound = AT_LEAST if longer > months else EXACT
    all_paid = _residents(r, exempt, window, gap, gap)
    return Wait(months, bound, all_paid if all_paid < months else None)
