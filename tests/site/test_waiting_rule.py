"""The build's waiting-period computation, from the rule table in content, against the national rule
written independently in tests/support/waiting_rule.py, for every case a reader can be in."""
from __future__ import annotations

import pytest

from support.waiting_rule import national_months

pytestmark = pytest.mark.fast

FLOW = "content/flows/cover-start.yaml"


def test_the_rule_table_in_content_gives_the_national_months_for_every_case():
    """The build's computation from content/flows/cover-start.yaml `waiting:`, for gaps of 0 to 15
    years, every number of years paid back, in and out of the collection window, exempt or not."""
    from calculator.sourcefile import load
    from builder.content.waiting import wait_months
    from support.project import ROOT
    rule = load(ROOT / FLOW, FLOW).data["waiting"]
    wrong = []
    for gap in range(16):
        for paid in range(gap + 1):
            for window in ("in", "out"):
                for exempt in (False, True):
                    case = {"scheme": "residents", "gap_years": gap, "paid_years": paid, "window": window,
                            "exempt": exempt}
                    got = wait_months(rule, case)
                    want = national_months({"scheme": "residents", "gap": gap, "paid": paid, "window": window,
                                            "exempt": exempt})
                    if (got.months, got.bound) != want:
                        wrong.append((case, got, want))
    for gap_months in range(13):
        got = wait_months(rule, {"scheme": "employee", "gap_months": gap_months})
        if (got.months, got.bound) != national_months({"scheme": "employee", "gap_months": gap_months}):
            wrong.append((gap_months, got))
    assert not wrong, wrong[:5]


