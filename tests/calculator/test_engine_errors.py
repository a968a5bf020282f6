"""Every visit error code of spec section 2, on the named field, all reported together.

Imports only `calculator` and pytest: these tests also run inside Pyodide.
"""
import pytest

import calculator
from calc_fixtures import spec_profile_dict

pytestmark = pytest.mark.fast

P = calculator.load_profile(spec_profile_dict())
OK = {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "1000"}


def errors_of(visit):
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(P, visit)
    for e in exc.value.errors:
        assert isinstance(e, calculator.FieldError)
        assert e.message["zh"] and e.message["en"]
    return [(e.field, e.code) for e in exc.value.errors]


def with_(**kw):
    v = dict(OK)
    for key, value in kw.items():
        if value is ...:
            v.pop(key, None)
        else:
            v[key] = value
    return v


@pytest.mark.parametrize("visit, expected", [
    (with_(plan=...), [("plan", "required")]),
    (with_(setting=...), [("setting", "required")]),
    (with_(total=...), [("total", "required")]),
    (with_(total="abc"), [("total", "not_a_number")]),
    (with_(total="-1"), [("total", "negative")]),
    (with_(account_balance="-0.01"), [("account_balance", "negative")]),
    (with_(total="1.001"), [("total", "too_many_decimals")]),
    (with_(total="100000000.00"), [("total", "too_large")]),
    (with_(fund_paid_this_year="100000000"), [("fund_paid_this_year", "too_large")]),
    (with_(out_of_catalogue="600", category_b="400.01"), [("out_of_catalogue", "parts_exceed_total")]),
    (with_(plan="employee"), [("plan", "unknown_plan")]),
    (with_(setting="emergency"), [("setting", "unknown_setting")]),
    (with_(level=...), [("level", "level_required")]),
    (with_(level=""), [("level", "level_required")]),
    (with_(level="quaternary"), [("level", "unknown_level")]),
    (with_(plan="resident", setting="outpatient"), [("setting", "not_offered")]),
    (with_(plan="resident", setting="pharmacy", level=...), [("setting", "not_offered")]),
    (with_(prior_admissions=-1), [("prior_admissions", "negative")]),
    (with_(prior_admissions="1.5"), [("prior_admissions", "not_a_number")]),
    (with_(prior_admissions=True), [("prior_admissions", "not_a_number")]),
    (with_(use_account="yes"), [("use_account", "not_a_boolean")]),
    (with_(out_of_catalog="5"), [("out_of_catalog", "unknown_field")]),
])
def test_error_codes(visit, expected):
    assert errors_of(visit) == expected


def test_parts_equal_to_total_is_fine():
    est = calculator.settle(P, with_(out_of_catalogue="600", category_b="400"))
    assert est.patient_share >= est.out_of_catalogue


def test_all_errors_reported_together():
    got = errors_of({"plan": "nope", "setting": "inpatient", "level": "x", "total": "1.234",
                     "out_of_catalogue": "-5", "category_b": "abc", "account_balance": "100000000"})
    assert got == [("plan", "unknown_plan"), ("level", "unknown_level"), ("total", "too_many_decimals"),
                   ("out_of_catalogue", "negative"), ("category_b", "not_a_number"),
                   ("account_balance", "too_large")]


def test_unknown_setting_does_not_ask_for_a_level():
    assert errors_of({"plan": "resident", "setting": "dental", "total": "1"}) == [("setting", "unknown_setting")]


def test_not_an_object():
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(P, ["plan"])
    assert exc.value.errors[0].code == "not_an_object"


def test_estimate_or_errors():
    out = calculator.estimate_or_errors(P, with_(total="-1", level=...))
    assert out == {"errors": [
        {"field": "level", "code": "level_required", "message": out["errors"][0]["message"]},
        {"field": "total", "code": "negative", "message": out["errors"][1]["message"]}]}
    for e in out["errors"]:
        assert set(e["message"]) == {"zh", "en"}
    assert calculator.estimate_or_errors(P, OK)["patient_share"] == "1000.00"


def test_user_text_with_braces_in_messages():
    got = errors_of(with_(plan="{x}"))
    assert got == [("plan", "unknown_plan")]
