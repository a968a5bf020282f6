"""Settlement steps, figure by figure (figures worked out by hand from the spec).

Imports only `calculator` and pytest: these tests also run inside Pyodide.
"""
from decimal import Decimal, localcontext

import pytest

import calculator
from calc_fixtures import BEIJING_LIKE, spec_profile_dict

pytestmark = pytest.mark.fast

P = calculator.load_profile(spec_profile_dict())
D = Decimal


def visit(**kw):
    base = {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary"}
    base.update(kw)
    return base


def figures(est, *names):
    out = est.to_json()
    return {n: out[n] for n in names}


# ---------------------------------------------------------------- the spec's own examples

def test_spec_section_4_example():
    out = calculator.settle(P, visit(total="20000", out_of_catalogue="1700", category_b="2000",
                                     account_balance="3000")).to_json()
    assert {k: v for k, v in out.items() if k not in ("lines", "warnings")} == {
        "total": "20000.00", "out_of_catalogue": "1700.00", "category_b_first_pay": "200.00",
        "policy_range": "18100.00", "deductible": "1000.00", "fund": "14535.00", "supplementary": "0.00",
        "patient_share": "5465.00", "account": "3000.00", "cash": "2465.00", "balance_after": "0.00",
        "self_paid_ratio": "0.2733",
        # v2 adds these three to the same example (spec section 4)
        "location": "local", "account_used": "own",
        "top_ups": [{"id": "supplementary", "name": {"zh": "大额医疗费用补助", "en": "Large-expense top-up"},
                     "amount": "0.00"}]}
    assert "balance_insufficient" in out["warnings"]
    assert "illustrative_profile" in out["warnings"]
    assert [line["key"] for line in out["lines"]] == [
        "out_of_catalogue", "category_b_first_pay", "policy_range", "deductible", "fund", "supplementary",
        "patient_share", "account", "cash", "balance_after"]
    deductible = next(line for line in out["lines"] if line["key"] == "deductible")
    assert deductible["amount"] == "1000.00" and deductible["label"] == {"zh": "起付线", "en": "Deductible"}


def test_spec_section_6_worked_example():
    est = calculator.settle(P, visit(total="50000"))
    assert (est.policy_range, est.deductible, est.fund, est.patient_share) == (
        D("50000.00"), D("1000.00"), D("42650.00"), D("7350.00"))
    fund = next(line for line in est.lines if line.key == "fund")
    assert "(30000.00 − 1000.00) × 0.85 = 24650.00" in fund.explain["en"]
    assert "(50000.00 − 30000.00) × 0.90 = 18000.00" in fund.explain["en"]
    assert "(30000.00 − 1000.00) × 0.85 = 24650.00" in fund.explain["zh"]


def test_spec_section_6_published_beijing_example():
    beijing = calculator.load_profile(BEIJING_LIKE)
    est = calculator.settle(beijing, visit(total="50000"))
    assert est.fund == D("42895.00")
    assert est.deductible == D("1300.00")
    assert "unverified_profile" in est.warnings


# ---------------------------------------------------------------- each step

def test_out_of_catalogue_is_paid_by_the_patient():
    est = calculator.settle(P, visit(total="5000", out_of_catalogue="5000"))
    assert (est.policy_range, est.fund, est.patient_share) == (D("0.00"), D("0.00"), D("5000.00"))


def test_category_b_first_pay_rounds_half_up():
    est = calculator.settle(P, visit(total="100", category_b="0.05"))  # 0.05 × 0.10 = 0.005 -> 0.01
    assert est.category_b_first_pay == D("0.01")
    assert est.policy_range == D("99.99")


def test_band_products_round_half_up_not_half_even():
    # band 2: 0.30 × 0.95 = 0.285 -> 0.29 (half-even would give 0.28)
    est = calculator.settle(P, visit(level="primary", total="30000.30"))
    assert est.fund == D("26730.00") + D("0.29")


def test_bands_crossing_each_band_rounded_on_its_own():
    est = calculator.settle(P, visit(level="secondary", total="30001.01"))
    # (30000 − 600) × 0.87 = 25578.00; 1.01 × 0.92 = 0.9292 -> 0.93
    assert est.fund == D("25578.93")


def test_deductible_per_admission_first_and_repeat():
    first = calculator.settle(P, visit(total="10000"))
    repeat = calculator.settle(P, visit(total="10000", prior_admissions=1))
    assert (first.deductible, first.fund) == (D("1000.00"), D("7650.00"))
    assert (repeat.deductible, repeat.fund) == (D("500.00"), D("8075.00"))
    line = next(line for line in repeat.lines if line.key == "deductible")
    assert "1000.00 × 0.5 = 500.00" in line.explain["en"]


def test_repeat_factor_product_is_rounded_half_up():
    data = spec_profile_dict()
    data["plans"]["employee-in-service"]["settings"]["inpatient"]["deductible"]["amount"]["primary"] = "333.33"
    prof = calculator.load_profile(data)
    est = calculator.settle(prof, visit(level="primary", total="1000", prior_admissions=3))
    assert est.deductible == D("166.67")  # 333.33 × 0.5 = 166.665
    assert est.fund == D("750.00")  # 833.33 × 0.90 = 749.997


def test_per_admission_without_repeat_factor_ignores_prior_admissions():
    est = calculator.settle(P, {"plan": "resident", "setting": "inpatient", "level": "tertiary", "total": "5000",
                                "prior_admissions": 2})
    assert (est.deductible, est.fund) == (D("1000.00"), D("2600.00"))


def test_deductible_per_year_counts_what_was_already_paid():
    est = calculator.settle(P, visit(setting="outpatient", level="secondary", total="3000",
                                     deductible_paid_this_year="1000"))
    assert (est.deductible, est.fund, est.supplementary, est.patient_share) == (
        D("800.00"), D("1540.00"), D("0.00"), D("1460.00"))
    assert "supplementary" not in [line.key for line in est.lines]  # applies to inpatient only


def test_deductible_per_year_already_met():
    est = calculator.settle(P, visit(setting="outpatient", level="secondary", total="3000",
                                     deductible_paid_this_year="2500"))
    assert (est.deductible, est.fund) == (D("0.00"), D("2100.00"))


def test_deductible_larger_than_policy_range():
    est = calculator.settle(P, visit(setting="outpatient", level="primary", total="500"))
    assert (est.deductible, est.fund, est.patient_share) == (D("500.00"), D("0.00"), D("500.00"))


def test_cap_limits_the_fund_and_warns():
    est = calculator.settle(P, visit(total="50000", fund_paid_this_year="490000"))
    # F = min(42650, 10000); X = 40000, 10000 above the threshold at 0.60
    assert (est.fund, est.supplementary, est.patient_share) == (D("10000.00"), D("6000.00"), D("34000.00"))
    assert "cap_reached" in est.warnings
    fund = next(line for line in est.lines if line.key == "fund")
    assert "10000.00" in fund.explain["en"] and "500000.00" in fund.explain["en"]


def test_cap_used_up_exactly_warns_and_exhausted_cap_pays_nothing():
    exact = calculator.settle(P, visit(total="50000", fund_paid_this_year="457350"))
    assert exact.fund == D("42650.00") and "cap_reached" in exact.warnings
    for paid in ("500000", "600000"):
        est = calculator.settle(P, visit(total="50000", fund_paid_this_year=paid))
        assert est.fund == D("0.00") and "cap_reached" in est.warnings


def test_below_cap_no_warning():
    est = calculator.settle(P, visit(total="50000", fund_paid_this_year="1000"))
    assert est.fund == D("42650.00") and "cap_reached" not in est.warnings


def test_supplementary_threshold_crossed_inside_the_visit():
    est = calculator.settle(P, visit(total="100000", supplementary_base_this_year="25000"))
    # F = 24650 + 63000 = 87650; X = 12350; positions 0..7350 above 30000 at 0.60
    assert (est.fund, est.supplementary, est.patient_share) == (D("87650.00"), D("4410.00"), D("7940.00"))


def test_supplementary_below_threshold_pays_nothing():
    est = calculator.settle(P, visit(total="100000"))
    assert est.supplementary == D("0.00")


def test_supplementary_bands_crossing():
    est = calculator.settle(P, visit(total="100000", supplementary_base_this_year="75000"))
    # positions 45000..57350: 5000 × 0.60 + 7350 × 0.70
    assert est.supplementary == D("8145.00")
    assert est.patient_share == D("4205.00")


def test_supplementary_cap_and_account_covering_out_of_catalogue():
    est = calculator.settle(P, {"plan": "employee-retired", "setting": "outpatient", "level": "tertiary",
                                "total": "60000", "deductible_paid_this_year": "1000",
                                "supplementary_paid_this_year": "299000", "account_balance": "500"})
    assert (est.fund, est.supplementary, est.patient_share) == (D("20000.00"), D("1000.00"), D("39000.00"))
    assert {"cap_reached", "supplementary_cap_reached", "balance_insufficient"} <= set(est.warnings)
    assert (est.account, est.cash, est.balance_after) == (D("500.00"), D("38500.00"), D("0.00"))


def test_account_covers_out_of_catalogue():
    est = calculator.settle(P, {"plan": "employee-retired", "setting": "outpatient", "level": "primary",
                                "total": "2000", "out_of_catalogue": "500", "account_balance": "10000"})
    assert (est.fund, est.patient_share, est.account, est.cash, est.balance_after) == (
        D("450.00"), D("1550.00"), D("1550.00"), D("0.00"), D("8450.00"))
    assert "balance_insufficient" not in est.warnings


def test_account_does_not_cover_out_of_catalogue():
    est = calculator.settle(P, visit(setting="outpatient", level="primary", total="2000", out_of_catalogue="500",
                                     account_balance="10000"))
    assert (est.fund, est.patient_share, est.account, est.cash, est.balance_after) == (
        D("0.00"), D("2000.00"), D("1500.00"), D("500.00"), D("8500.00"))


def test_use_account_false():
    est = calculator.settle(P, visit(total="20000", account_balance="3000", use_account=False))
    assert (est.patient_share, est.account, est.cash, est.balance_after) == (
        D("3850.00"), D("0.00"), D("3850.00"), D("3000.00"))
    assert "balance_insufficient" not in est.warnings


def test_plan_without_account():
    est = calculator.settle(P, {"plan": "resident", "setting": "inpatient", "level": "primary", "total": "1200",
                                "account_balance": "50"})
    assert (est.fund, est.account, est.cash) == (D("800.00"), D("0.00"), D("400.00"))
    assert "account" not in [line.key for line in est.lines]


def test_pharmacy_not_pooled():
    est = calculator.settle(P, visit(setting="pharmacy", level="tertiary", total="300", out_of_catalogue="50",
                                     category_b="100", account_balance="1000"))
    out = est.to_json()
    assert figures(est, "category_b_first_pay", "policy_range", "deductible", "fund", "supplementary",
                   "patient_share", "account", "cash", "balance_after") == {
        "category_b_first_pay": "0.00", "policy_range": "0.00", "deductible": "0.00", "fund": "0.00",
        "supplementary": "0.00", "patient_share": "300.00", "account": "250.00", "cash": "50.00",
        "balance_after": "750.00"}
    assert out["out_of_catalogue"] == "50.00"


def test_pharmacy_ignores_level_whatever_it_is():
    a = calculator.settle(P, visit(setting="pharmacy", level="nonsense", total="10"))
    b = calculator.settle(P, {"plan": "employee-in-service", "setting": "pharmacy", "total": "10"})
    assert a == b


def test_pharmacy_pooled():
    est = calculator.settle(P, {"plan": "employee-retired", "setting": "pharmacy", "total": "3000",
                                "category_b": "200"})
    # B = 10; S = 2990; D = 500; 1500 × 0.80 + 990 × 0.60 = 1794; supplementary is outpatient only
    assert figures(est, "category_b_first_pay", "policy_range", "deductible", "fund", "supplementary",
                   "patient_share") == {
        "category_b_first_pay": "10.00", "policy_range": "2990.00", "deductible": "500.00", "fund": "1794.00",
        "supplementary": "0.00", "patient_share": "1206.00"}
    assert "balance_insufficient" in est.warnings  # balance 0 with 1206.00 payable


def test_pharmacy_pooled_cap():
    est = calculator.settle(P, {"plan": "employee-retired", "setting": "pharmacy", "total": "6000",
                                "fund_paid_this_year": "1500"})
    assert est.fund == D("500.00") and "cap_reached" in est.warnings


def test_zero_total():
    out = calculator.settle(P, visit(total="0", account_balance="100")).to_json()
    for key in ("total", "policy_range", "deductible", "fund", "supplementary", "patient_share", "account", "cash"):
        assert out[key] == "0.00"
    assert out["balance_after"] == "100.00"
    assert out["self_paid_ratio"] == "0.0000"
    assert "balance_insufficient" not in out["warnings"] and "cap_reached" not in out["warnings"]


def test_largest_amount():
    est = calculator.settle(P, visit(total="99999999.99"))
    # F_raw = 24650 + 89972999.99 -> capped at 500000; X = 99499999.99
    # G = 50000 × 0.60 + 99419999.99 × 0.70 (69593999.993 -> 69593999.99) = 69623999.99
    assert (est.fund, est.supplementary, est.patient_share) == (
        D("500000.00"), D("69623999.99"), D("29876000.00"))
    assert est.to_json()["total"] == "99999999.99"


def test_self_paid_ratio_rounds_half_up():
    est = calculator.settle(P, visit(setting="pharmacy", total="3", out_of_catalogue="1", account_balance="0"))
    assert est.to_json()["self_paid_ratio"] == "1.0000"
    est = calculator.settle(P, visit(total="20000", out_of_catalogue="1700", category_b="2000"))
    assert est.self_paid_ratio == D("0.2733")  # 5465 / 20000 = 0.27325


def test_every_line_is_bilingual_and_formatted():
    est = calculator.settle(P, visit(total="100000", out_of_catalogue="3000", category_b="5000",
                                     supplementary_base_this_year="40000", account_balance="100"))
    for line in est.to_json()["lines"]:
        assert set(line) == {"key", "amount", "label", "explain"}
        assert line["label"]["zh"] and line["label"]["en"] and line["explain"]["zh"] and line["explain"]["en"]
        assert line["amount"] == str(D(line["amount"]).quantize(D("0.01")))


def test_results_do_not_depend_on_the_callers_decimal_context():
    expected = calculator.settle(P, visit(total="12345.67", category_b="333.33")).to_json()
    with localcontext() as ctx:
        ctx.prec = 3
        assert calculator.settle(P, visit(total="12345.67", category_b="333.33")).to_json() == expected


# ---------------------------------------------------------------- input forms

@pytest.mark.parametrize("total", ["20000", "20000.00", " 20000.0 ", "20000.000", 20000, D("20000"), 20000.0])
def test_amount_forms_accepted(total):
    est = calculator.settle(P, visit(total=total))
    assert est.total == D("20000.00") and isinstance(est.total, Decimal)


def test_float_that_is_not_a_two_decimal_amount_is_rejected():
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(P, visit(total=0.1 + 0.2))
    assert [(e.field, e.code) for e in exc.value.errors] == [("total", "too_many_decimals")]


@pytest.mark.parametrize("bad", [True, False, "abc", "1e3", "1,000", "１００", "NaN", float("nan"), float("inf"), [1], {}])
def test_not_a_number(bad):
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(P, visit(total="100", category_b=bad))
    assert [(e.field, e.code) for e in exc.value.errors] == [("category_b", "not_a_number")]


def test_blank_optional_amount_means_zero_and_blank_total_is_required():
    assert calculator.settle(P, visit(total="100", category_b="")).category_b_first_pay == D("0.00")
    with pytest.raises(calculator.VisitError) as exc:
        calculator.settle(P, visit(total=""))
    assert [(e.field, e.code) for e in exc.value.errors] == [("total", "required")]


def test_visit_dataclass_input():
    v = calculator.Visit(plan="employee-in-service", setting="inpatient", level="tertiary", total=D("50000"))
    assert calculator.settle(P, v).fund == D("42650.00")
    bad = calculator.Visit(plan="employee-in-service", setting="inpatient", level="tertiary", total=D("-1"))
    with pytest.raises(calculator.VisitError):
        calculator.settle(P, bad)


def test_estimate_holds_decimals_only():
    est = calculator.settle(P, visit(total=20000.5))
    for name in ("total", "fund", "patient_share", "account", "cash", "self_paid_ratio"):
        assert type(getattr(est, name)) is Decimal
