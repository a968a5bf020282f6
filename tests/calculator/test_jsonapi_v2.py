"""The worker's JSON entry points for v2: a year of visits, and hostile values as field errors.

Imports only calculator, pytest and calc_fixtures: these tests also run inside Pyodide.
"""
import json
from decimal import ROUND_UP, localcontext

import pytest

from calc_fixtures import v2_profile_dict
from calculator import jsonapi

pytestmark = pytest.mark.fast

YEAR = {"plan": "employee", "start": {"date": "2026-07-01", "account_balance": "2000", "contribution_base": "8000"},
        "visits": [{"date": "2026-08-10", "setting": "outpatient", "level": "tertiary", "total": "5000"},
                   {"date": "2026-09-03", "setting": "outpatient", "level": "tertiary", "total": "20000"}]}


@pytest.fixture(autouse=True)
def loaded():
    jsonapi.load_profiles({"v2": v2_profile_dict()})


def test_year_as_plain_json():
    out = jsonapi.year("v2", YEAR)
    assert json.loads(json.dumps(out)) == out
    assert [v["estimate"]["fund"] for v in out["visits"]] == ["2240.00", "13500.00"]
    assert out["end"]["policy_range"] == {"outpatient": "25000.00"}


def test_year_errors_and_unknown_profile():
    out = jsonapi.year("v2", {**YEAR, "visits": [{**YEAR["visits"][0], "total": "abc"}]})
    assert [(e["field"], e["code"]) for e in out["errors"]] == [("visits[0].total", "not_a_number")]
    assert jsonapi.year("nowhere", YEAR)["errors"][0]["code"] == "unknown_profile"


@pytest.mark.parametrize("value, code", [
    (10 ** 5000, "too_large"), ("9" * 5000, "too_large"), (float("nan"), "not_a_number"),
    (float("inf"), "not_a_number"), ([[[[1]]]], "not_a_number"), ({"a": 1}, "not_a_number"),
    ("1e99999999", "not_a_number"), ("\ud800", "not_a_number")],
    ids=["int-5000-digits", "text-5000-digits", "nan", "inf", "nested-list", "object", "exponent-text",
         "lone-surrogate"])
def test_hostile_values_are_field_errors(value, code):
    visit = {"plan": "employee", "setting": "pharmacy", "total": value}
    assert [(e["field"], e["code"]) for e in jsonapi.estimate("v2", visit)["errors"]] == [("total", code)]
    year = {**YEAR, "visits": [{"date": "2026-08-10", "setting": "pharmacy", "total": value}]}
    assert [(e["field"], e["code"]) for e in jsonapi.year("v2", year)["errors"]] == [("visits[0].total", code)]


@pytest.mark.parametrize("plan", ["\ud800" + "x" * 10000, 10 ** 5000, [[1]] * 1000], ids=["text", "int", "list"])
def test_hostile_values_in_choices_are_quoted_short(plan):
    out = jsonapi.estimate("v2", {"plan": plan, "setting": "pharmacy", "total": "1"})
    (e,) = out["errors"]
    assert e["code"] == "unknown_plan" and len(e["message"]["en"]) < 300
    json.dumps(out).encode("utf-8")  # no lone surrogate reaches the output


def test_the_callers_decimal_context_changes_nothing():
    expected = jsonapi.year("v2", YEAR)
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 2, ROUND_UP
        assert jsonapi.year("v2", YEAR) == expected
