"""Every v2 part of the settlement spec, figure by figure (worked out by hand from the spec).

Imports only `calculator`, pytest and calc_fixtures: these tests also run inside Pyodide.
"""
from decimal import ROUND_FLOOR, Decimal, localcontext

import pytest

import calculator
from calc_fixtures import profile_error_codes, spec_profile_dict, v2_profile_dict

pytestmark = pytest.mark.fast

D = Decimal
P2 = calculator.load_profile(v2_profile_dict())
P1 = calculator.load_profile(spec_profile_dict())


def emp(**kw):
    return {"plan": "employee", "setting": "inpatient", "level": "tertiary", **kw}


def settle(visit, profile=P2):
    return calculator.settle(profile, visit)


def line(est, key):
    return next(item for item in est.lines if item.key == key)


def errors_of(visit, profile=P2):
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(profile, visit)
    for e in exc.value.errors:
        assert e.message["zh"] and e.message["en"]
    return [(e.field, e.code) for e in exc.value.errors]


def profile_errors(edit):
    data = v2_profile_dict()
    edit(data)
    return profile_error_codes(data)


def edited(edit):
    """The v2 profile with changed rules (its published examples, made for the rules as they are, left out)."""
    data = v2_profile_dict()
    data.pop("examples")
    edit(data)
    return calculator.load_profile(data)


EMP = lambda d: d["plans"]["employee"]  # noqa: E731


# ---------------------------------------------------------------- the spec's worked examples

def test_year_basis_worked_example():
    first = settle(emp(setting="outpatient", total="5000"))
    assert (first.deductible, first.fund) == (D("1800.00"), D("2240.00"))
    second = settle(emp(setting="outpatient", total="20000", policy_range_this_year="5000",
                        deductible_paid_this_year="1800"))
    assert (second.deductible, second.fund) == (D("0.00"), D("13500.00"))
    fund = line(second, "fund").explain["en"]
    assert "(20000.00 − 5000.00) × 0.70 = 10500.00" in fund and "(25000.00 − 20000.00) × 0.60 = 3000.00" in fund


def test_section_7_example_and_published_examples_reproduce():
    est = settle(emp(total="50000"))
    assert (est.deductible, est.fund, est.patient_share) == (D("1000.00"), D("42650.00"), D("7350.00"))
    assert len(P2.examples) == 3


def test_v2_output_fields():
    out = settle(emp(total="20000", out_of_catalogue="1700", category_b="2000", account_balance="3000")).to_json()
    assert out["location"] == "local" and out["account_used"] == "own"
    assert out["top_ups"] == [
        {"id": "large-expense", "name": {"zh": "大额医疗费用补助", "en": "Large-expense top-up"}, "amount": "0.00"},
        {"id": "extra", "name": {"zh": "补充医疗保险", "en": "Supplementary medical insurance"}, "amount": "0.00"}]
    assert set(out["warnings"]) <= set(calculator.WARNING_CODES)


# ---------------------------------------------------------------- levels (3.1)

def test_profile_levels():
    est = settle(emp(level="community", total="10000"))
    assert (est.deductible, est.fund) == (D("200.00"), D("9310.00"))  # (10000 − 200) × 0.95
    assert "Community health centre" in line(est, "deductible").explain["en"]
    assert errors_of(emp(level="quaternary", total="1")) == [("level", "unknown_level")]


def test_every_per_level_mapping_has_exactly_the_profile_levels():
    got = profile_errors(lambda d: EMP(d)["settings"]["inpatient"]["deductible"]["amount"].pop("community"))
    assert got == [("plans.employee.settings.inpatient.deductible.amount.community", "missing_level")]
    got = profile_errors(lambda d: EMP(d)["out_of_area"]["unfiled"]["deductible"].update(quaternary="1"))
    assert got == [("plans.employee.out_of_area.unfiled.deductible.quaternary", "unknown_key")]
    assert profile_errors(lambda d: d["levels"].update({"3rd": {"zh": "三", "en": "3"}})) == [
        ("levels.3rd", "bad_id")]


# ---------------------------------------------------------------- deductible schedule

@pytest.mark.parametrize("prior, deductible, fund", [
    (0, "1000.00", "7650.00"), (1, "500.00", "8075.00"), (2, "0.00", "8500.00"), (7, "0.00", "8500.00")])
def test_stepped_deductible(prior, deductible, fund):
    est = settle(emp(total="10000", prior_admissions=prior))
    assert (est.deductible, est.fund) == (D(deductible), D(fund))
    if prior:
        assert f"admission {prior + 1} this year" in line(est, "deductible").explain["en"]


def test_schedule_profile_rules():
    ded = lambda d: EMP(d)["settings"]["inpatient"]["deductible"]  # noqa: E731
    assert profile_errors(lambda d: ded(d).update(repeat_factor="0.5")) == [
        ("plans.employee.settings.inpatient.deductible.schedule", "one_of")]
    assert profile_errors(lambda d: ded(d).update(schedule=[])) == [
        ("plans.employee.settings.inpatient.deductible.schedule", "empty")]
    assert profile_errors(lambda d: ded(d).update(schedule=["1", "1.5"])) == [
        ("plans.employee.settings.inpatient.deductible.schedule[1]", "ratio_out_of_range")]
    assert profile_errors(lambda d: EMP(d)["settings"]["outpatient"]["deductible"].update(schedule=["1"])) == [
        ("plans.employee.settings.outpatient.deductible.schedule", "not_allowed")]


def test_repeat_factor_is_a_two_step_schedule():
    v1 = calculator.load_profile(spec_profile_dict())
    assert v1.plans[0].settings[0].deductible.schedule == (D("1"), D("0.5"))


# ---------------------------------------------------------------- care away from home (3.2)

def test_filed_location_with_ratio_minus_zero_changes_nothing():
    local, filed = settle(emp(total="50000")), settle(emp(total="50000", location="filed"))
    assert filed.fund == local.fund == D("42650.00")
    assert "out_of_area_adjusted" not in filed.warnings and filed.location == "filed"


def test_referred_ratio_minus():
    est = settle(emp(total="50000", location="referred"))
    # (30000 − 1000) × 0.75 + 20000 × 0.80
    assert est.fund == D("37750.00") and "out_of_area_adjusted" in est.warnings
    assert "× 0.75 = 21750.00" in line(est, "fund").explain["en"]
    assert est.to_json()["location"] == "referred"


def test_emergency_ratio_times_is_not_rounded():
    est = settle(emp(total="50000", location="emergency"))
    # ratios 0.85 × 0.9 = 0.765 and 0.90 × 0.9 = 0.81: 29000 × 0.765 + 20000 × 0.81
    assert est.fund == D("38385.00")
    assert "× 0.765 = 22185.00" in line(est, "fund").explain["en"]


def test_unfiled_location_deductible_and_schedule():
    est = settle(emp(total="50000", location="unfiled"))
    # D = 3000; (30000 − 3000) × 0.65 + 20000 × 0.70
    assert (est.deductible, est.fund) == (D("3000.00"), D("31550.00"))
    again = settle(emp(total="50000", location="unfiled", prior_admissions=1))
    assert again.deductible == D("1500.00")  # the schedule applies to the location's amount


def test_location_deductible_alone_warns():
    prof = edited(lambda d: EMP(d)["out_of_area"].update(filed={"ratio_minus": "0", "deductible": {
        "community": "200", "primary": "300", "secondary": "600", "tertiary": "1200"}}))
    est = settle(emp(total="50000", location="filed"), prof)
    assert est.deductible == D("1200.00") and "out_of_area_adjusted" in est.warnings
    same = settle(emp(level="secondary", total="50000", location="filed"), prof)
    assert "out_of_area_adjusted" not in same.warnings  # 600 is the local amount too


def test_ratio_minus_floors_at_zero():
    def edit(d):
        EMP(d)["settings"]["inpatient"]["bands"][0]["ratio"]["tertiary"] = "0.10"
    est = settle(emp(total="20000", location="unfiled"), edited(edit))
    assert est.fund == D("0.00")  # 0.10 − 0.20 -> 0


def test_pooled_pharmacy_keeps_its_deductible_but_its_ratio_is_cut():
    def edit(d):
        EMP(d)["settings"]["pharmacy"] = {"pooled": True, "deductible": {"basis": "per_year", "amount": "500"},
                                          "bands": [{"upto": None, "ratio": "0.80"}], "cap": "2000"}
    est = settle({"plan": "employee", "setting": "pharmacy", "total": "1500", "location": "unfiled"}, edited(edit))
    assert (est.deductible, est.fund) == (D("500.00"), D("600.00"))  # 1000 × (0.80 − 0.20)


def test_top_up_layers_are_not_adjusted():
    ytd = {"large-expense": {"base": "25000"}}
    local = settle(emp(total="200000", top_ups_this_year=ytd))
    away = settle(emp(total="200000", top_ups_this_year=ytd, location="referred"))
    # away: F = 29000 × 0.75 + 170000 × 0.80 = 157750; X = 42250; (25000 + 42250 − 30000) = 37250 × 0.60
    assert away.fund == D("157750.00") and away.top_ups[0].amount == D("22350.00")
    assert local.top_ups[0].amount == D("10410.00")


def test_location_not_in_the_plan_is_not_offered_even_for_an_unpooled_pharmacy():
    assert errors_of({"plan": "resident", "setting": "inpatient", "level": "primary", "total": "1",
                      "location": "referred"}) == [("location", "not_offered")]
    assert errors_of(emp(total="1", location="abroad")) == [("location", "unknown_location")]
    p1_pharmacy = {"plan": "employee-in-service", "setting": "pharmacy", "total": "10", "location": "unfiled"}
    assert errors_of(p1_pharmacy, P1) == [("location", "not_offered")]


def test_out_of_area_profile_rules():
    area = lambda d: EMP(d)["out_of_area"]  # noqa: E731
    assert profile_errors(lambda d: area(d)["filed"].update(ratio_times="0.9")) == [
        ("plans.employee.out_of_area.filed", "one_of")]
    assert profile_errors(lambda d: area(d).update(local={"ratio_minus": "0"})) == [
        ("plans.employee.out_of_area.local", "unknown_key")]
    assert profile_errors(lambda d: area(d)["referred"].update(ratio_minus="10")) == [
        ("plans.employee.out_of_area.referred.ratio_minus", "ratio_out_of_range")]


# ---------------------------------------------------------------- shared caps (3.3)

def test_shared_cap_counts_what_the_fund_paid_in_any_setting_naming_it():
    est = settle(emp(total="50000", fund_paid_this_year="490000"))
    assert est.fund == D("10000.00") and "cap_reached" in est.warnings
    assert "shared cap 'basic'" in line(est, "fund").explain["en"]
    out = settle(emp(setting="outpatient", total="50000", fund_paid_this_year="499000"))
    assert out.fund == D("1000.00")


def test_shared_cap_profile_rules():
    assert profile_errors(lambda d: EMP(d)["settings"]["inpatient"].update(cap={"shared": "basik"})) == [
        ("plans.employee.settings.inpatient.cap.shared", "unknown_cap")]
    assert profile_errors(lambda d: EMP(d)["caps"].update(inpatient="1")) == [
        ("plans.employee.caps.inpatient", "bad_id")]


# ---------------------------------------------------------------- stacked top-up layers

def test_layers_one_after_another():
    est = settle(emp(total="200000", top_ups_this_year={"large-expense": {"base": "25000"}}))
    # F = 24650 + 170000 × 0.90 = 177650; X1 = 22350 -> (17350) × 0.60 = 10410;
    # X2 = 22350 − 10410 = 11940 -> 1940 above 10000 × 0.50 = 970
    assert est.fund == D("177650.00")
    assert [(t.id, t.amount) for t in est.top_ups] == [("large-expense", D("10410.00")), ("extra", D("970.00"))]
    assert (est.supplementary, est.patient_share) == (D("11380.00"), D("10970.00"))
    extra = [item for item in est.lines if item.key == "supplementary"][1]
    assert extra.label["en"] == "Supplementary medical insurance"
    assert "Counted: 200000.00 − 177650.00 − 10410.00 = 11940.00" in extra.explain["en"]


def test_first_layer_from_the_v1_fields_or_top_ups_this_year():
    a = settle(emp(total="200000", supplementary_base_this_year="25000"))
    b = settle(emp(total="200000", top_ups_this_year={"large-expense": {"base": "25000", "paid": "0"}}))
    assert a.top_ups == b.top_ups
    assert errors_of(emp(total="1", supplementary_base_this_year="1",
                         top_ups_this_year={"large-expense": {"base": "1"}})) == [
        ("top_ups_this_year", "conflicting_fields")]
    # the v1 fields beside a later layer are fine
    settle(emp(total="1", supplementary_paid_this_year="1", top_ups_this_year={"extra": {"paid": "1"}}))


def test_layer_cap():
    est = settle(emp(total="200000", top_ups_this_year={"large-expense": {"base": "25000"},
                                                       "extra": {"paid": "99500"}}))
    assert est.top_ups[1].amount == D("500.00") and "supplementary_cap_reached" in est.warnings


def test_outpatient_gets_only_the_layers_that_name_it():
    est = settle(emp(setting="outpatient", total="1000"))
    assert [t.id for t in est.top_ups] == ["large-expense"]
    pharmacy = settle({"plan": "employee", "setting": "pharmacy", "total": "10"})
    assert pharmacy.top_ups == () and pharmacy.to_json()["top_ups"] == []


def test_single_v1_layer_has_the_id_supplementary():
    visit = {"plan": "resident", "setting": "inpatient", "level": "tertiary", "total": "100000",
             "top_ups_this_year": {"supplementary": {"base": "20000"}}}
    est = settle(visit)
    # F = 99000 × 0.65 = 64350; X = 35650, all above the threshold × 0.60
    assert est.to_json()["top_ups"][0]["id"] == "supplementary" and est.supplementary == D("21390.00")


def test_top_ups_this_year_errors():
    assert errors_of(emp(total="1", top_ups_this_year={"nope": {"base": "1"}})) == [
        ("top_ups_this_year", "unknown_layer")]
    assert errors_of(emp(total="1", top_ups_this_year={"extra": {"base": "1.001", "pay": "1"}})) == [
        ("top_ups_this_year.extra.pay", "unknown_field"), ("top_ups_this_year.extra.base", "too_many_decimals")]
    assert errors_of(emp(total="1", top_ups_this_year=[1])) == [("top_ups_this_year", "not_an_object")]


def test_layer_profile_rules():
    sup = lambda d: EMP(d)["supplementary"]  # noqa: E731
    assert profile_errors(lambda d: sup(d)[1].update(id="large-expense")) == [
        ("plans.employee.supplementary[1].id", "duplicate")]
    assert profile_errors(lambda d: sup(d)[0].pop("id")) == [("plans.employee.supplementary[0].id", "required")]


# ---------------------------------------------------------------- family account and account_used

def test_family_account_pays_a_residents_share():
    est = settle({"plan": "resident", "setting": "inpatient", "level": "community", "total": "10000",
                  "out_of_catalogue": "1000", "account_owner": "family", "account_balance": "5000"})
    assert (est.fund, est.account, est.cash, est.balance_after, est.account_used) == (
        D("7120.00"), D("1880.00"), D("1000.00"), D("3120.00"), "family")
    assert line(est, "account").label == calculator.STEP_NAMES["family_account"]


def test_family_account_needs_the_profile_block():
    visit = {"plan": "employee-in-service", "setting": "pharmacy", "total": "10", "account_owner": "family"}
    assert errors_of(visit, P1) == [("account_owner", "not_offered")]
    assert errors_of(emp(total="1", account_owner="cousin")) == [("account_owner", "unknown_account_owner")]


def test_account_used_and_no_account():
    assert settle(emp(total="100")).account_used == "own"  # eligible even with a balance of 0
    off = settle(emp(total="100", account_balance="50", use_account=False))
    assert (off.account_used, off.account, off.balance_after) == ("none", D("0.00"), D("50.00"))
    assert "no_account" not in off.warnings
    none = settle({"plan": "resident", "setting": "inpatient", "level": "primary", "total": "1000",
                   "account_balance": "100"})
    assert (none.account_used, none.account, none.balance_after) == ("none", D("0.00"), D("100.00"))
    assert "no_account" in none.warnings
    zero = settle({"plan": "resident", "setting": "inpatient", "level": "primary", "total": "1000"})
    assert "no_account" not in zero.warnings


# ---------------------------------------------------------------- category-B first pay as printed

def test_category_b_first_pay_given_replaces_the_computed_one():
    est = settle(emp(total="20000", out_of_catalogue="1700", category_b="2000", category_b_first_pay="150"))
    assert (est.category_b_first_pay, est.policy_range) == (D("150.00"), D("18150.00"))
    zero = settle(emp(total="20000", category_b="2000", category_b_first_pay="0"))
    assert zero.category_b_first_pay == D("0.00") and zero.policy_range == D("20000.00")
    blank = settle(emp(total="20000", category_b="2000", category_b_first_pay=""))
    assert blank.category_b_first_pay == D("200.00")
    alone = settle(emp(total="20000", category_b_first_pay="300"))
    assert alone.policy_range == D("19700.00")


def test_category_b_first_pay_errors():
    assert errors_of(emp(total="20000", category_b="2000", category_b_first_pay="2000.01")) == [
        ("category_b_first_pay", "first_pay_exceeds_category_b")]
    assert errors_of(emp(total="1000", out_of_catalogue="900", category_b_first_pay="100.01")) == [
        ("out_of_catalogue", "parts_exceed_total")]
    assert errors_of(emp(total="1000", category_b_first_pay="-1")) == [("category_b_first_pay", "negative")]


def test_unpooled_pharmacy_ignores_the_first_pay():
    est = settle({"plan": "employee", "setting": "pharmacy", "total": "100", "category_b": "50",
                  "category_b_first_pay": "20"})
    assert (est.category_b_first_pay, est.policy_range, est.patient_share) == (D("0.00"), D("0.00"), D("100.00"))


# ---------------------------------------------------------------- published examples

def _example(**expect):
    def edit(d):
        d["examples"] = [{"title": {"zh": "例", "en": "Example"}, "source": "rules-2026",
                          "visit": {"plan": "employee", "setting": "inpatient", "level": "tertiary", "total": "50000"},
                          "expect": expect}]
    return edit


def test_an_example_off_by_one_fen_names_example_field_expected_and_computed():
    data = v2_profile_dict()
    _example(fund="42650.01")(data)
    with pytest.raises(calculator.ProfileError) as exc:
        calculator.load_profile(data)
    (e,) = exc.value.errors
    assert (e.field, e.code) == ("examples[0].expect.fund", "example_mismatch")
    for text in ("Example", "fund", "42650.01", "42650.00"):
        assert text in e.message["en"]
    assert "42650.01" in e.message["zh"] and "42650.00" in e.message["zh"]


def test_example_errors():
    assert profile_errors(_example(fund="42650.00", top_ups={"nope": "0"})) == [
        ("examples[0].expect.top_ups.nope", "example_mismatch")]
    assert profile_errors(_example(funds="1")) == [("examples[0].expect.funds", "unknown_key")]

    def bad_visit(d):
        _example(fund="1")(d)
        d["examples"][0]["visit"]["total"] = "abc"
        d["examples"][0]["source"] = "nowhere"
    assert profile_errors(bad_visit) == [("examples[0].source", "unknown_source"),
                                         ("examples[0].visit.total", "not_a_number")]
    calculator.load_profile({**v2_profile_dict(), "examples": _examples_with_ratio()})


def _examples_with_ratio():
    data = v2_profile_dict()
    _example(self_paid_ratio="0.147", top_ups={"extra": "0.00"})(data)
    return data["examples"]


# ---------------------------------------------------------------- profile parts

def test_profile_top_level_v2_rules():
    assert profile_errors(lambda d: d.update(year_starts="7-1")) == [("year_starts", "bad_date")]
    assert profile_errors(lambda d: d.update(year_starts="02-29")) == [("year_starts", "bad_date")]
    assert profile_errors(lambda d: d["sources"][1].update(kind="blog")) == [("sources[1].kind", "unknown_value")]
    assert profile_errors(lambda d: d["sources"][1].update(id="rules-2026")) == [("sources[1].id", "duplicate")]
    assert profile_errors(lambda d: d["family_account"].pop("covers_out_of_catalogue")) == [
        ("family_account.covers_out_of_catalogue", "required")]
    assert profile_errors(lambda d: d["notes"].pop("en")) == [("notes.en", "required")]
    assert profile_errors(lambda d: EMP(d)["settings"]["outpatient"].update(bands_basis="month")) == [
        ("plans.employee.settings.outpatient.bands_basis", "unknown_value")]


def test_v2_round_trip_and_summary():
    plain = calculator.profile_to_dict(P2)
    assert calculator.load_profile(plain) == P2
    assert calculator.profile_to_dict(calculator.load_profile(plain)) == plain
    s = calculator.profile_summary(P2)
    assert s["year_starts"] == "07-01" and s["notes"]["en"].startswith("Illustrative")
    assert [lv["id"] for lv in s["levels"]] == ["community", "primary", "secondary", "tertiary"]
    assert s["level_names"]["community"] == {"zh": "社区卫生服务中心", "en": "Community health centre"}
    assert s["sources"][0]["kind"] == "official" and s["examples"] == 3
    assert s["family_account"] == {"covers_out_of_catalogue": False}
    emp_plan = s["plans"]["employee"]
    assert emp_plan["locations"] == ["local", "filed", "referred", "emergency", "unfiled"]
    assert [layer["id"] for layer in emp_plan["layers"]] == ["large-expense", "extra"]
    assert emp_plan["year_keys"] == {"deductible_paid": ["outpatient"], "fund_paid": ["basic"],
                                     "policy_range": ["inpatient", "outpatient"],
                                     "top_ups": ["large-expense", "extra"]}
    assert emp_plan["monthly_credit"] == {"rate_of_base": "0.02"}
    assert set(s["warning_texts"]) == set(calculator.WARNING_CODES)


# ---------------------------------------------------------------- the caller's decimal context

def test_no_check_or_figure_depends_on_the_callers_decimal_context():
    visits = [emp(total="200000.37", category_b="333.33", top_ups_this_year={"large-expense": {"base": "25000"}}),
              emp(setting="outpatient", total="12345.67", location="emergency", policy_range_this_year="19999.99"),
              emp(total="1000", out_of_catalogue="900", category_b_first_pay="100.01")]
    expected = [calculator.estimate_or_errors(P2, v) for v in visits]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 3, ROUND_FLOOR
        assert calculator.load_profile(v2_profile_dict()) == P2
        assert [calculator.estimate_or_errors(P2, v) for v in visits] == expected
