"""A year of visits (spec section 6), settled in date order; figures worked out by hand.

Imports only `calculator`, pytest and calc_fixtures: these tests also run inside Pyodide.
"""
from decimal import Decimal

import pytest

import calculator
from calc_fixtures import spec_profile_dict, v2_profile_dict

pytestmark = pytest.mark.fast

D = Decimal
P1 = calculator.load_profile(spec_profile_dict())
P2 = calculator.load_profile(v2_profile_dict())


def year(profile, plan, start, *visits):
    return calculator.settle_year(profile, {"plan": plan, "start": start, "visits": list(visits)}).to_json()


def errors_of(profile, request):
    with pytest.raises(calculator.YearError) as exc:
        calculator.settle_year(profile, request)
    for e in exc.value.errors:
        assert e.message["zh"] and e.message["en"]
    return [(e.field, e.code) for e in exc.value.errors]


def figures(entry, *names):
    return tuple(entry["estimate"][n] for n in names)


def test_monthly_credit_amount_and_per_year_counters():
    out = year(P1, "employee-retired", {"date": "2026-01-15", "account_balance": "50"},
               {"date": "2026-03-10", "setting": "outpatient", "level": "primary", "total": "1500"},
               {"date": "2026-03-31", "setting": "pharmacy", "total": "300"},
               {"date": "2026-04-01", "setting": "outpatient", "level": "primary", "total": "2000"})
    v = out["visits"]
    assert [x["credited"] for x in v] == ["200.00", "0.00", "100.00"]  # Feb 1 + Mar 1; none; Apr 1
    assert figures(v[0], "deductible", "fund", "account", "cash", "balance_after") == (
        "1000.00", "450.00", "250.00", "800.00", "0.00")
    assert figures(v[1], "deductible", "fund", "cash") == ("300.00", "0.00", "300.00")
    assert v[2]["ytd"] == {"prior_admissions": 0, "deductible_paid_this_year": "1000.00",
                           "fund_paid_this_year": "450.00", "policy_range_this_year": "1500.00",
                           "top_ups_this_year": {"supplementary": {"base": "1050.00", "paid": "0.00"}},
                           "account_balance": "100.00"}
    assert figures(v[2], "deductible", "fund", "account", "cash") == ("0.00", "1800.00", "100.00", "100.00")
    assert out["totals"] == {"total": "3800.00", "fund": "2250.00", "supplementary": "0.00",
                             "patient_share": "1550.00", "account": "350.00", "cash": "1200.00", "credited": "300.00"}
    assert out["end"] == {"date": "2026-04-01", "account_balance": "0.00", "prior_admissions": 0,
                          "deductible_paid": {"outpatient": "1000.00", "pharmacy": "300.00"},
                          "fund_paid": {"outpatient": "2250.00"},
                          "policy_range": {"outpatient": "3500.00", "pharmacy": "300.00"},
                          "top_ups": {"supplementary": {"base": "1250.00", "paid": "0.00"}}}


def test_monthly_credit_rate_of_base_and_the_year_basis_example():
    out = year(P2, "employee", {"date": "2026-07-01", "account_balance": "2000.00", "contribution_base": "8000.00"},
               {"date": "2026-08-10", "setting": "outpatient", "level": "tertiary", "total": "5000"},
               {"date": "2026-09-03", "setting": "outpatient", "level": "tertiary", "total": "20000"})
    v = out["visits"]
    assert [x["credited"] for x in v] == ["160.00", "160.00"]  # round(8000 × 0.02) on Aug 1 and Sep 1
    assert figures(v[0], "deductible", "fund", "account", "balance_after") == ("1800.00", "2240.00", "2160.00", "0.00")
    assert figures(v[1], "deductible", "fund") == ("0.00", "13500.00")
    assert v[1]["ytd"]["policy_range_this_year"] == "5000.00"
    assert errors_of(P2, {"plan": "employee", "start": {"date": "2026-07-01"}, "visits": []}) == [
        ("start.contribution_base", "required")]


def test_crossing_the_start_of_a_calendar_year_resets_the_counters_not_the_balance():
    start = {"date": "2026-12-01", "contribution_base": "5000"}
    first = {"date": "2026-12-20", "setting": "inpatient", "level": "tertiary", "total": "10000"}
    same_year = year(P1, "employee-in-service", start, first, {**first, "date": "2026-12-28"})
    assert same_year["visits"][1]["estimate"]["deductible"] == "500.00"
    crossed = year(P1, "employee-in-service", start, first, {**first, "date": "2027-01-05"})
    second = crossed["visits"][1]
    assert second["credited"] == "100.00"
    assert second["ytd"]["prior_admissions"] == 0 and second["ytd"]["fund_paid_this_year"] == "0.00"
    assert second["estimate"]["deductible"] == "1000.00"
    assert second["ytd"]["account_balance"] == "100.00"


def test_a_july_to_june_year():
    start = {"date": "2026-07-01", "contribution_base": "8000"}
    admission = {"setting": "inpatient", "level": "tertiary", "total": "10000"}
    out = year(P2, "employee", start, {**admission, "date": "2027-06-30"}, {**admission, "date": "2027-06-30"},
               {**admission, "date": "2027-07-01"})
    v = out["visits"]
    assert [x["estimate"]["deductible"] for x in v] == ["1000.00", "500.00", "1000.00"]
    assert [x["ytd"]["prior_admissions"] for x in v] == [0, 1, 0]
    assert [x["credited"] for x in v] == ["1760.00", "0.00", "160.00"]  # Aug 1 .. Jun 1 = 11 months
    assert out["end"]["prior_admissions"] == 1


def test_same_day_visits_keep_their_input_order():
    adm = {"date": "2026-03-01", "setting": "inpatient", "level": "tertiary", "total": "10000"}
    out = year(P1, "employee-in-service", {"date": "2026-01-01", "contribution_base": "0"},
               adm, {"date": "2026-02-01", "setting": "outpatient", "level": "secondary", "total": "3000"}, adm)
    assert [x["index"] for x in out["visits"]] == [1, 0, 2]
    assert [x["date"] for x in out["visits"]] == ["2026-02-01", "2026-03-01", "2026-03-01"]
    assert [x["estimate"]["deductible"] for x in out["visits"]] == ["1800.00", "1000.00", "500.00"]


def test_shared_cap_across_settings_and_layers_running_bases():
    out = year(P2, "employee", {"date": "2026-07-01", "contribution_base": "0", "fund_paid": {"basic": "490000"}},
               {"date": "2026-07-10", "setting": "inpatient", "level": "tertiary", "total": "50000"},
               {"date": "2026-07-20", "setting": "outpatient", "level": "tertiary", "total": "5000"})
    first, second = out["visits"]
    assert figures(first, "fund", "supplementary") == ("10000.00", "18000.00")
    assert [t["amount"] for t in first["estimate"]["top_ups"]] == ["6000.00", "12000.00"]
    assert "cap_reached" in first["estimate"]["warnings"]
    assert second["ytd"]["fund_paid_this_year"] == "500000.00"
    assert second["ytd"]["top_ups_this_year"] == {"large-expense": {"base": "40000.00", "paid": "6000.00"},
                                                  "extra": {"base": "34000.00", "paid": "12000.00"}}
    assert figures(second, "fund", "supplementary") == ("0.00", "3000.00")  # positions 10000–15000 at 0.60
    assert "cap_reached" in second["estimate"]["warnings"]
    assert out["end"]["fund_paid"] == {"basic": "500000.00"}
    assert out["end"]["top_ups"]["large-expense"] == {"base": "45000.00", "paid": "9000.00"}


def test_family_account_balance_is_the_one_tracked():
    visit = {"setting": "inpatient", "level": "community", "total": "10000", "out_of_catalogue": "1000",
             "account_owner": "family"}
    out = year(P2, "resident", {"date": "2026-07-01", "account_balance": "5000"},
               {**visit, "date": "2026-08-01"}, {**visit, "date": "2026-09-01"})
    assert [x["credited"] for x in out["visits"]] == ["0.00", "0.00"]  # a resident plan gets no credit
    # the second admission's deductible is halved (repeat_factor 0.5): F = 8950 × 0.80, payable 1840
    assert [x["estimate"]["account"] for x in out["visits"]] == ["1880.00", "1840.00"]
    assert out["visits"][1]["estimate"]["account_used"] == "family"
    assert out["end"]["account_balance"] == "1280.00"


def test_an_unpooled_pharmacy_changes_only_the_balance():
    out = year(P2, "employee", {"date": "2026-07-01", "contribution_base": "0", "account_balance": "100",
                                "policy_range": {"outpatient": "10"}},
               {"date": "2026-07-05", "setting": "pharmacy", "total": "30"})
    assert out["end"] == {"date": "2026-07-05", "account_balance": "70.00", "prior_admissions": 0,
                          "deductible_paid": {}, "fund_paid": {}, "policy_range": {"outpatient": "10.00"},
                          "top_ups": {}}
    assert out["visits"][0]["ytd"]["top_ups_this_year"] == {
        "large-expense": {"base": "0.00", "paid": "0.00"}, "extra": {"base": "0.00", "paid": "0.00"}}


def test_no_visits():
    out = year(P1, "resident", {"date": "2026-01-01"})
    assert out["visits"] == [] and out["totals"]["total"] == "0.00" and out["end"]["date"] == "2026-01-01"
    assert year(P1, "resident", {"date": "2026-01-01"}, {"date": "2026-02-01", "setting": "inpatient",
                                                         "level": "primary", "total": "100"}
                )["visits"][0]["ytd"]["top_ups_this_year"] == {}


def test_year_errors_name_the_visit_and_the_field():
    request = {"plan": "employee", "start": {"date": "2026-07-01", "contribution_base": "1"}, "visits": [
        {"date": "2026-07-02", "setting": "inpatient", "level": "tertiary", "total": "100"},
        {"date": "2026-07-03", "setting": "inpatient", "level": "tertiary", "total": "12.345"},
        {"date": "2026-02-30", "setting": "outpatient", "level": "tertiary", "total": "1"},
        {"date": "2026-06-30", "setting": "outpatient", "level": "tertiary", "total": "1"},
        {"setting": "outpatient", "level": "tertiary", "total": "1", "plan": "employee",
         "fund_paid_this_year": "1", "account_balance": "1"},
    ]}
    assert errors_of(P2, request) == [
        ("visits[1].total", "too_many_decimals"), ("visits[2].date", "not_a_date"),
        ("visits[3].date", "before_start"), ("visits[4].date", "required"), ("visits[4].plan", "unknown_field"),
        ("visits[4].fund_paid_this_year", "unknown_field"), ("visits[4].account_balance", "unknown_field")]


def test_start_errors():
    assert errors_of(P2, {"plan": "employee", "start": {"date": "1.7.2026", "contribution_base": "1",
                                                        "fund_paid": {"inpatient": "1", "basic": "x"},
                                                        "deductible_paid": {"inpatient": "1"},
                                                        "top_ups": {"nope": {"base": "1"}}, "colour": 1},
                          "visits": []}) == [
        ("start.colour", "unknown_field"), ("start.date", "not_a_date"),
        ("start.deductible_paid.inpatient", "unknown_key"), ("start.fund_paid.inpatient", "unknown_key"),
        ("start.fund_paid.basic", "not_a_number"), ("start.top_ups", "unknown_layer")]
    assert errors_of(P2, {"plan": "nope", "visits": []}) == [("plan", "unknown_plan")]
    assert errors_of(P2, {"plan": "resident", "visits": {}}) == [("start", "required"), ("visits", "not_a_list")]
    assert errors_of(P2, []) == [("request", "not_an_object")]


def test_each_year_visit_settles_like_settle_with_the_ytd_it_reports():
    out = year(P2, "employee", {"date": "2026-07-01", "contribution_base": "9000", "account_balance": "10"},
               {"date": "2026-07-10", "setting": "inpatient", "level": "secondary", "total": "88000",
                "category_b": "4000", "location": "referred"},
               {"date": "2026-08-10", "setting": "outpatient", "level": "community", "total": "30000"},
               {"date": "2026-09-10", "setting": "inpatient", "level": "tertiary", "total": "150000"})
    for entry, visit in zip(out["visits"], [
            {"setting": "inpatient", "level": "secondary", "total": "88000", "category_b": "4000",
             "location": "referred"},
            {"setting": "outpatient", "level": "community", "total": "30000"},
            {"setting": "inpatient", "level": "tertiary", "total": "150000"}]):
        again = calculator.estimate_or_errors(P2, {"plan": "employee", **visit, **entry["ytd"]})
        assert again == entry["estimate"]
