"""Invariants of spec section 3 over random v2 profiles and visits, and of section 6 over random years.

Profiles draw their own levels, stepped deductibles, year-basis bands, shared caps, care away from
home, stacked layers and the family account. Imports only calculator, pytest and hypothesis: these
tests also run inside Pyodide.
"""
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculator
from test_invariants import FIGURES, MAX_CENTS, cents, money, ratios, small_cents

pytestmark = pytest.mark.property

LEVEL_POOL = ("community", "primary", "secondary", "tertiary", "contracted-doctor")
# WebAssembly runs these several times slower: inside Pyodide the same properties get fewer samples.
SCALE = 4 if sys.platform == "emscripten" else 1
COMMON = settings(max_examples=200 // SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def band_list(draw, levels):
    bounds = sorted(draw(st.sets(st.integers(1, 50_000_000), max_size=3)))
    ratio = st.fixed_dictionaries({lv: ratios for lv in levels}) if levels else ratios
    return [{"upto": u, "ratio": draw(ratio)} for u in [money(b) for b in bounds] + [None]]


@st.composite
def setting(draw, levels, cap_ids):
    basis = draw(st.sampled_from(["per_admission", "per_year"]))
    amount = small_cents.map(money)
    deductible = {"basis": basis, "amount": draw(st.fixed_dictionaries({lv: amount for lv in levels})
                                                 if levels else amount)}
    if basis == "per_admission" and draw(st.booleans()):
        deductible["schedule"] = draw(st.lists(ratios, min_size=1, max_size=4))
    out = {"deductible": deductible, "bands": draw(band_list(levels)),
           "bands_basis": draw(st.sampled_from(["visit", "year"]))}
    out["cap"] = draw(st.one_of(st.none(), small_cents.map(money),
                                st.sampled_from(cap_ids).map(lambda c: {"shared": c}) if cap_ids else st.none()))
    return out


@st.composite
def profiles(draw):
    levels = draw(st.lists(st.sampled_from(LEVEL_POOL), min_size=1, max_size=5, unique=True))
    cap_ids = draw(st.lists(st.sampled_from(["basic", "major", "all-care"]), max_size=2, unique=True))
    pooled_pharmacy = draw(st.booleans())
    settings_ = {"inpatient": draw(setting(levels, cap_ids)), "outpatient": draw(setting(levels, cap_ids)),
                 "pharmacy": {"pooled": True, **draw(setting((), cap_ids))} if pooled_pharmacy else {"pooled": False}}
    offered = ["inpatient", "outpatient"] + (["pharmacy"] if pooled_pharmacy else [])
    plan = {"name": {"zh": "测试", "en": "Test"}, "scheme": "employee", "category_b_first_pay": draw(ratios),
            "settings": settings_, "caps": {c: draw(small_cents.map(money)) for c in cap_ids}}
    if draw(st.booleans()):
        credit = draw(st.one_of(st.builds(lambda r: {"rate_of_base": r}, ratios),
                                st.builds(lambda a: {"amount": money(a)}, st.integers(0, 100_000))))
        plan["personal_account"] = {"covers_out_of_catalogue": draw(st.booleans()), "monthly_credit": credit}
    places = draw(st.lists(st.sampled_from(["filed", "referred", "emergency", "unfiled"]), unique=True))
    plan["out_of_area"] = {}
    for place in places:
        rule = {draw(st.sampled_from(["ratio_minus", "ratio_times"])): draw(ratios)}
        if draw(st.booleans()):
            rule["deductible"] = {lv: draw(small_cents.map(money)) for lv in levels}
        plan["out_of_area"][place] = rule
    layer_ids = draw(st.lists(st.sampled_from(["big", "extra", "third"]), max_size=3, unique=True))
    if layer_ids:
        plan["supplementary"] = [{
            "id": lid, "name": {"zh": "层", "en": "Layer"},
            "applies_to": draw(st.lists(st.sampled_from(offered), min_size=1, unique=True)),
            "threshold": draw(small_cents.map(money)), "bands": draw(band_list(())),
            "cap": draw(st.one_of(st.none(), small_cents.map(money)))} for lid in layer_ids]
    data = {"id": "random", "name": {"zh": "随机", "en": "Random"}, "status": "verified",
            "effective_from": "2026-01-01", "reviewed": "2026-11-24",
            "year_starts": draw(st.sampled_from(["01-01", "07-01", "04-15"])),
            "sources": [{"title": "t", "url": "https://example.org/"}],
            "levels": {lv: {"zh": lv, "en": lv} for lv in levels}, "plans": {"p": plan}}
    if draw(st.booleans()):
        data["family_account"] = {"covers_out_of_catalogue": draw(st.booleans())}
    return calculator.load_profile(data)


@st.composite
def visit_fields(draw, profile, ytd=True):
    plan = profile.plans[0]
    # In a year the running totals of up to 12 visits stay within the largest amount a visit may give.
    total = draw(cents if ytd else st.integers(0, MAX_CENTS // 13))
    ooc = draw(st.integers(0, total))
    cat_b = draw(st.integers(0, total - ooc))
    v = {"setting": draw(st.sampled_from([s.kind for s in plan.settings])),
         "level": draw(st.sampled_from(profile.level_ids)), "total": money(total), "out_of_catalogue": money(ooc),
         "category_b": money(cat_b), "use_account": draw(st.booleans()),
         "location": draw(st.sampled_from(["local"] + [r.location for r in plan.out_of_area]))}
    if draw(st.booleans()):
        v["category_b_first_pay"] = money(draw(st.integers(0, cat_b if cat_b else total - ooc)))
    if profile.family_account is not None and draw(st.booleans()):
        v["account_owner"] = "family"
    if ytd:
        v["plan"] = "p"
        v["prior_admissions"] = draw(st.integers(0, 5))
        for name in ("deductible_paid_this_year", "fund_paid_this_year", "policy_range_this_year",
                     "account_balance"):
            v[name] = money(draw(st.one_of(st.just(0), small_cents)))
        layers = draw(st.lists(st.sampled_from(plan.layer_ids), unique=True)) if plan.layers else []
        v["top_ups_this_year"] = {lid: {"base": money(draw(small_cents)), "paid": money(draw(small_cents))}
                                  for lid in layers}
        if plan.layers and plan.layers[0].id not in layers:
            v["supplementary_base_this_year"] = money(draw(small_cents))
    return v


@st.composite
def profile_and_visit(draw):
    profile = draw(profiles())
    return profile, draw(visit_fields(profile))


@COMMON
@given(profile_and_visit())
def test_v2_invariants(case):
    profile, visit = case
    e = calculator.settle(profile, visit)
    balance = Decimal(visit["account_balance"])
    assert e.fund + e.supplementary + e.patient_share == e.total
    assert e.account + e.cash == e.patient_share
    assert 0 <= e.account <= balance and e.balance_after == balance - e.account
    for name in FIGURES:
        value = getattr(e, name)
        assert value >= 0 and value.as_tuple().exponent == -2, name
    assert e.supplementary == sum((t.amount for t in e.top_ups), Decimal("0.00"))
    assert e.patient_share >= e.out_of_catalogue + e.category_b_first_pay
    assert e.deductible <= e.policy_range
    pooled = profile.plans[0].setting(visit["setting"]).pooled
    if pooled:
        assert e.policy_range == e.total - e.out_of_catalogue - e.category_b_first_pay
    else:
        assert (e.policy_range, e.deductible, e.category_b_first_pay, e.fund, e.supplementary, e.top_ups) == (
            0, 0, 0, 0, 0, ())
    if e.account_used == "none":
        assert e.account == 0 and e.balance_after == balance
    assert e.location == visit["location"]
    assert set(e.warnings) <= set(calculator.WARNING_CODES)
    assert 0 <= e.self_paid_ratio <= 1


@COMMON
@given(profile_and_visit(), st.one_of(st.integers(1, 100), st.integers(1, MAX_CENTS)))
def test_v2_raising_total_never_lowers_patient_share(case, extra):
    profile, visit = case
    higher = min(MAX_CENTS, int(Decimal(visit["total"]) * 100) + extra)
    before = calculator.settle(profile, visit)
    after = calculator.settle(profile, {**visit, "total": money(higher)})
    assert after.patient_share >= before.patient_share


@settings(max_examples=100 // SCALE, deadline=None)
@given(profiles())
def test_v2_profile_round_trip(profile):
    assert calculator.load_profile(calculator.profile_to_dict(profile)) == profile


@st.composite
def years(draw):
    profile = draw(profiles())
    first = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    visits, day = [], first
    for _ in range(draw(st.integers(0, 12))):
        day += timedelta(days=draw(st.integers(0, 120)))
        visits.append({"date": day.isoformat(), **draw(visit_fields(profile, ytd=False))})
    draw(st.randoms()).shuffle(visits)  # input order need not be date order
    start = {"date": first.isoformat(), "account_balance": money(draw(small_cents)),
             "contribution_base": money(draw(st.integers(0, 5_000_000))),
             "prior_admissions": draw(st.integers(0, 3))}
    return profile, {"plan": "p", "start": start, "visits": visits}


@settings(max_examples=100 // SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years())
def test_year_totals_and_each_visit_as_settle_with_its_ytd(case):
    profile, request = case
    out = calculator.settle_year(profile, request).to_json()
    assert len(out["visits"]) == len(request["visits"])
    sums = {k: Decimal("0.00") for k in out["totals"]}
    previous_after = Decimal(request["start"]["account_balance"])
    dates = [v["date"] for v in out["visits"]]
    assert dates == sorted(dates)
    for entry in out["visits"]:
        given_visit = {k: v for k, v in request["visits"][entry["index"]].items() if k != "date"}
        again = calculator.estimate_or_errors(profile, {"plan": "p", **given_visit, **entry["ytd"]})
        assert again == entry["estimate"]
        assert Decimal(entry["ytd"]["account_balance"]) == previous_after + Decimal(entry["credited"])
        previous_after = Decimal(entry["estimate"]["balance_after"])
        for k in sums:
            sums[k] += Decimal(entry["credited"] if k == "credited" else entry["estimate"][k])
    assert out["totals"] == {k: str(v) for k, v in sums.items()}
    assert out["end"]["account_balance"] == str(previous_after)
