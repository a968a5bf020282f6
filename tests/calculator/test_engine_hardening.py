"""Readings and limits found by an independent audit: a pharmacy that says nothing of `pooled`,
copying profiles and estimates, explanation wording, bounded error lists, huge keys, and
amounts the year planner may reach.

Imports only `calculator`, pytest and calc_fixtures: these tests also run inside Pyodide.
"""
import pytest

import calculator
from calc_fixtures import profile_error_codes, spec_profile_dict, v2_profile_dict

pytestmark = pytest.mark.fast

# --- a pharmacy that says nothing of `pooled` (spec section 3) ------------------------------------


@pytest.mark.parametrize("pharmacy", [{}, {"pooled": False}])
def test_pharmacy_without_pooled_settles_as_not_pooled(pharmacy):
    data = spec_profile_dict()
    data["plans"]["employee-in-service"]["settings"]["pharmacy"] = pharmacy
    profile = calculator.load_profile(data)
    est = calculator.settle(profile, {"plan": "employee-in-service", "setting": "pharmacy", "total": "86.40",
                                      "out_of_catalogue": "6.40", "category_b": "50",
                                      "category_b_first_pay": "5", "account_balance": "1000"})
    j = est.to_json()
    assert (j["patient_share"], j["policy_range"], j["deductible"], j["fund"], j["category_b_first_pay"]) == (
        "86.40", "0.00", "0.00", "0.00", "0.00")
    assert j["top_ups"] == [] and j["supplementary"] == "0.00"
    assert (j["account"], j["cash"]) == ("80.00", "6.40")  # the account pays R − O
    assert calculator.profile_summary(profile)["plans"]["employee-in-service"]["pharmacy_pooled"] is False


def test_pharmacy_rules_without_pooled_true_are_refused_not_ignored():
    data = spec_profile_dict()
    data["plans"]["employee-retired"]["settings"]["pharmacy"].pop("pooled")
    codes = profile_error_codes(data)
    assert ("plans.employee-retired.settings.pharmacy.deductible", "not_allowed") in codes
    assert ("plans.employee-retired.settings.pharmacy.bands", "not_allowed") in codes


# --- copies of profiles, estimates, years and errors ---------------------------------------------


def _copies(value):
    import copy
    import pickle
    return [copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))]


def test_profiles_estimates_and_years_can_be_copied_and_pickled():
    for data in (v2_profile_dict(), spec_profile_dict()):
        profile = calculator.load_profile(data)
        for other in _copies(profile):
            assert other == profile
            assert calculator.profile_to_dict(other) == calculator.profile_to_dict(profile)
    profile = calculator.load_profile(v2_profile_dict())
    inpatient = profile.plan("employee").setting("inpatient")
    assert inpatient.deductible.amount.tertiary == 1000  # v1's attribute access still works
    with pytest.raises(AttributeError):
        inpatient.deductible.amount.nowhere
    est = calculator.settle(profile, {"plan": "employee", "setting": "inpatient", "level": "tertiary",
                                      "total": "50000"})
    for other in _copies(est):
        assert other == est and other.to_json() == est.to_json()
    year = calculator.settle_year(profile, {
        "plan": "employee", "start": {"date": "2026-07-01", "contribution_base": "8000"},
        "visits": [{"date": "2026-08-10", "setting": "outpatient", "level": "tertiary", "total": "5000"}]})
    for other in _copies(year):
        assert other.to_json() == year.to_json()


def test_visit_errors_can_be_copied_and_pickled():
    profile = calculator.load_profile(v2_profile_dict())
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(profile, {"plan": "nobody"})
    for other in _copies(exc.value):
        assert type(other) is calculator.VisitError
        assert other.errors == exc.value.errors and str(other) == str(exc.value)


# --- explanation lines --------------------------------------------------------------------------


def _line(est, key):
    return next(item for item in est.lines if item.key == key).explain


def test_level_names_that_name_the_place_are_not_followed_by_hospital():
    profile = calculator.load_profile(v2_profile_dict())  # levels as spec 3.1 writes them
    est = calculator.settle(profile, {"plan": "employee", "setting": "inpatient", "level": "tertiary",
                                      "total": "50000"})
    text = _line(est, "deductible")
    assert text["zh"].startswith("三级医院，") and "医院医院" not in text["zh"]
    assert text["en"].startswith("Tertiary hospital, ") and "hospital hospital" not in text["en"]
    est = calculator.settle(profile, {"plan": "employee", "setting": "inpatient", "level": "community",
                                      "total": "5000"})
    assert _line(est, "deductible")["zh"].startswith("社区卫生服务中心，")
    # Profiles without levels name a level only ("三级"), so the place is added.
    est = calculator.settle(calculator.load_profile(spec_profile_dict()), {
        "plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "50000"})
    assert _line(est, "deductible")["zh"].startswith("三级医院，")
    assert _line(est, "deductible")["en"].startswith("Tertiary hospital, ")


def _stepped_outpatient_profile():
    data = v2_profile_dict()
    data["plans"]["employee"]["settings"]["outpatient"]["deductible"] = {
        "basis": "per_admission", "amount": {lv: "1000" for lv in ("community", "primary", "secondary", "tertiary")},
        "schedule": ["1", "0.5"]}
    data["plans"]["employee"]["settings"]["outpatient"]["bands_basis"] = "visit"
    data["examples"] = [example for example in data["examples"] if example["visit"]["setting"] != "outpatient"]
    return calculator.load_profile(data)


@pytest.mark.parametrize("prior, zh, en", [
    (0, "本年尚未住院，起付线 1000.00", "No admission yet this year"),
    (1, "本年已住院1次，起付线 1000.00 × 0.5 = 500.00", "1 admission so far this year: 1000.00 × 0.5 = 500.00"),
    (3, "本年已住院3次", "3 admissions so far this year")])
def test_stepped_deductible_outside_hospital_stays_counts_admissions_plainly(prior, zh, en):
    est = calculator.settle(_stepped_outpatient_profile(), {
        "plan": "employee", "setting": "outpatient", "level": "tertiary", "total": "3000",
        "prior_admissions": prior})
    text = _line(est, "deductible")
    assert zh in text["zh"] and en.lower() in text["en"].lower()
    assert "第" not in text["zh"] and "admission 2" not in text["en"]


def test_stepped_inpatient_deductible_names_the_admission():
    profile = calculator.load_profile(v2_profile_dict())
    est = calculator.settle(profile, {"plan": "employee", "setting": "inpatient", "level": "tertiary",
                                      "total": "10000", "prior_admissions": 1})
    text = _line(est, "deductible")
    assert text["zh"] == "三级医院，本年第2次住院，起付线 1000.00 × 0.5 = 500.00"
    assert text["en"] == "Tertiary hospital, admission 2 this year: 1000.00 × 0.5 = 500.00"


def test_every_english_line_starts_with_a_capital_letter():
    profile = calculator.load_profile(v2_profile_dict())
    for visit in ({"plan": "employee", "setting": "inpatient", "level": "tertiary", "total": "200000",
                   "out_of_catalogue": "1000", "category_b": "5000", "account_balance": "100",
                   "location": "unfiled"},
                  {"plan": "employee", "setting": "pharmacy", "total": "80", "category_b_first_pay": "1"},
                  {"plan": "resident", "setting": "pharmacy", "total": "800", "category_b": "100",
                   "account_owner": "family", "account_balance": "50"}):
        for item in calculator.settle(profile, visit).lines:
            first = item.explain["en"][:1]
            assert first == first.upper(), item.explain["en"]


# --- a bounded list of errors -------------------------------------------------------------------

EMPLOYEE_YEAR_START = {"date": "2026-07-01", "contribution_base": "8000"}


def _visit_errors(profile, visit):
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(profile, visit)
    return exc.value.errors


def test_a_flood_of_unknown_fields_lists_fifty_and_says_how_many_more():
    profile = calculator.load_profile(v2_profile_dict())
    visit = {"plan": "employee", "setting": "inpatient", "level": "tertiary", "total": "100",
             **{f"x{i}": 1 for i in range(100_000)}}
    errors = _visit_errors(profile, visit)
    assert len(errors) == 51
    assert [e.code for e in errors[:50]] == ["unknown_field"] * 50 and errors[0].field == "x0"
    last = errors[-1]
    assert (last.field, last.code) == ("", "too_many_errors")
    assert "99950" in last.message["zh"] and "99950 more problems" in last.message["en"]
    assert len(str(calculator.estimate_or_errors(profile, visit))) < 50_000


def test_a_realistic_visit_still_gets_every_error_and_no_summary():
    profile = calculator.load_profile(v2_profile_dict())
    errors = _visit_errors(profile, {"plan": "employee", "setting": "inpatient", "level": "fifth", "total": "-1",
                                     "out_of_catalogue": "x", "category_b": "1.234", "location": "moon",
                                     "use_account": "yes", "prior_admissions": -1, "totl": "5"})
    codes = [e.code for e in errors]
    assert "too_many_errors" not in codes and len(codes) == 8


def test_a_year_of_many_bad_visits_lists_fifty_and_says_how_many_more():
    profile = calculator.load_profile(v2_profile_dict())
    visits = [{"date": "2026-08-01", "setting": "outpatient", "level": "tertiary", "total": "5",
               **{f"x{i}": 1 for i in range(300)}} for _ in range(1000)]
    with pytest.raises(calculator.YearError) as exc:
        calculator.settle_year(profile, {"plan": "employee", "start": EMPLOYEE_YEAR_START, "visits": visits})
    errors = exc.value.errors
    assert len(errors) == 51 and errors[0].field == "visits[0].x0"
    assert (errors[-1].field, errors[-1].code) == ("", "too_many_errors")
    assert "299950" in errors[-1].message["zh"] and "299950" in errors[-1].message["en"]


def test_errors_past_the_limit_still_stop_the_visit():
    # Once fifty errors are listed, a later bad visit is still refused, never settled with a blank.
    profile = calculator.load_profile(v2_profile_dict())
    visits = [{"date": "2026-08-01", "setting": "outpatient", "level": "tertiary", "total": "5",
               **{f"x{i}": 1 for i in range(60)}},
              {"date": "2026-08-02", "setting": "outpatient", "level": "tertiary", "total": "bad"}]
    with pytest.raises(calculator.YearError) as exc:
        calculator.settle_year(profile, {"plan": "employee", "start": EMPLOYEE_YEAR_START, "visits": visits})
    assert "11 more problems" in exc.value.errors[-1].message["en"]
    start = {**EMPLOYEE_YEAR_START, "fund_paid": {f"k{i}": "1" for i in range(70)}}
    with pytest.raises(calculator.YearError) as exc:
        calculator.settle_year(profile, {"plan": "employee", "start": start, "visits": []})
    assert len(exc.value.errors) == 51 and "20 more problems" in exc.value.errors[-1].message["en"]


# --- keys and values that cannot be written out ---------------------------------------------------

HUGE = 10 ** 5000  # str() and repr() of an int of more than 4,300 digits raise ValueError


class Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__


def test_a_huge_int_key_in_a_visit_is_an_unknown_field():
    profile = calculator.load_profile(v2_profile_dict())
    visit = {"plan": "employee", "setting": "inpatient", "level": "tertiary", "total": "100", HUGE: 1}
    errors = _visit_errors(profile, visit)
    assert [e.code for e in errors] == ["unknown_field"]
    assert len(errors[0].field) < 50 and errors[0].message["zh"] and errors[0].message["en"]
    assert calculator.estimate_or_errors(profile, visit)["errors"][0]["code"] == "unknown_field"


@pytest.mark.parametrize("where", ["fund_paid", "deductible_paid", "policy_range", "top_ups"])
def test_a_huge_int_key_in_a_years_start_is_an_unknown_key(where):
    profile = calculator.load_profile(v2_profile_dict())
    start = {**EMPLOYEE_YEAR_START, where: {HUGE: "1"}}
    with pytest.raises(calculator.YearError) as exc:
        calculator.settle_year(profile, {"plan": "employee", "start": start, "visits": []})
    assert [e.code for e in exc.value.errors] in (["unknown_key"], ["unknown_layer"])
    assert str(exc.value)


@pytest.mark.parametrize("bad", [HUGE, [HUGE], (HUGE,), Unprintable(), [[[[[[["deep"]]]]]]], list(range(10 ** 6))],
                         ids=["huge-int", "list-of-huge-int", "tuple-of-huge-int", "unprintable", "nested", "long-list"])
def test_values_and_keys_that_cannot_be_written_out_are_field_errors(bad):
    profile = calculator.load_profile(v2_profile_dict())
    key = bad if not isinstance(bad, list) else None
    visit = {"plan": bad, "setting": bad, "level": bad, "total": bad, "location": bad, "account_owner": bad,
             "top_ups_this_year": {key: {key: "1"}} if key is not None else bad}
    if key is not None:
        visit[key] = 1
    codes = {e.code for e in _visit_errors(profile, visit)}
    assert "unknown_plan" in codes and codes & {"not_a_number", "too_large"}
    year = {"plan": "employee", "start": {"date": bad, "fund_paid": {key: bad} if key is not None else bad},
            "visits": [{"date": bad, "setting": bad, "total": bad, **({key: 1} if key is not None else {})}]}
    with pytest.raises(calculator.YearError) as exc:
        calculator.settle_year(profile, year)
    assert all(e.message["zh"] and e.message["en"] and len(e.field) < 80 for e in exc.value.errors)
    assert calculator.year_or_errors(profile, year)["errors"]


def test_a_huge_int_key_in_a_profile_is_an_unknown_key():
    data = v2_profile_dict()
    data["plans"]["employee"][HUGE] = 1
    assert profile_error_codes(data)[0][1] == "unknown_key"


# --- the year planner never carries an amount above 99,999,999.99 ----------------------------------


def _year(visits, **start):
    profile = calculator.load_profile(v2_profile_dict())
    return calculator.settle_year(profile, {"plan": "employee", "start": {**EMPLOYEE_YEAR_START, **start},
                                            "visits": visits})


def _year_errors(visits, **start):
    with pytest.raises(calculator.YearError) as exc:
        _year(visits, **start)
    assert all(e.message["zh"] and e.message["en"] for e in exc.value.errors)
    return [(e.field, e.code) for e in exc.value.errors]


def test_a_visit_more_than_ten_years_after_the_start_is_refused():
    pharmacy = {"setting": "pharmacy", "total": "10"}
    assert _year_errors([{**pharmacy, "date": "9999-12-31"}]) == [("visits[0].date", "too_late")]
    assert _year_errors([{**pharmacy, "date": "2026-08-01"}, {**pharmacy, "date": "2036-07-02"}]) == [
        ("visits[1].date", "too_late")]
    # Exactly ten years on is still planned: 120 monthly credits of 160.00.
    year = _year([{**pharmacy, "date": "2036-07-01"}]).to_json()
    assert year["visits"][0]["credited"] == "19200.00" and year["end"]["account_balance"] == "19190.00"


def test_credits_that_would_pass_the_largest_amount_are_a_field_error():
    big = {"contribution_base": "99999999.99", "account_balance": "99000000"}  # 2,000,000.00 a month
    assert _year_errors([{"date": "2026-07-20", "setting": "pharmacy", "total": "1"},
                         {"date": "2026-08-01", "setting": "pharmacy", "total": "1"}], **big) == [
        ("visits[1].date", "too_large")]


def test_running_sums_that_would_pass_the_largest_amount_are_a_field_error():
    visit = {"setting": "pharmacy", "total": "60000000", "use_account": False}
    assert _year_errors([{**visit, "date": "2026-07-02"}, {**visit, "date": "2026-07-03"}]) == [
        ("visits[1].total", "too_large")]
    inpatient = {"setting": "inpatient", "level": "tertiary", "total": "1000000", "date": "2026-07-02"}
    assert _year_errors([inpatient], policy_range={"inpatient": "99999000"}) == [("visits[0].total", "too_large")]


def test_end_of_a_year_is_always_a_valid_start():
    visits = [{"date": f"2026-{m:02d}-02", "setting": "inpatient", "level": "tertiary", "total": "9000000"}
              for m in range(7, 13)]
    year = _year(visits).to_json()
    end = year["end"]
    again = _year([{"date": "2027-01-10", "setting": "outpatient", "level": "tertiary", "total": "100"}],
                  date=end["date"], account_balance=end["account_balance"], prior_admissions=end["prior_admissions"],
                  fund_paid=end["fund_paid"], policy_range=end["policy_range"], top_ups=end["top_ups"],
                  deductible_paid=end["deductible_paid"])
    assert again.to_json()["visits"][0]["ytd"]["prior_admissions"] == 6
