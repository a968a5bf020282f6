"""Invariants of spec section 3 over random valid profiles and visits (hypothesis).

F + G + R = total; A + K = R; 0 <= A <= account_balance; every figure >= 0;
raising total (other inputs fixed) never lowers R. Imports only calculator,
pytest and hypothesis: these tests also run inside Pyodide.
"""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculator

pytestmark = pytest.mark.property

LEVELS = ("primary", "secondary", "tertiary")
MAX_CENTS = 9_999_999_999
CENT = Decimal("0.01")

cents = st.one_of(st.integers(0, 200_000_00), st.integers(0, MAX_CENTS))
small_cents = st.integers(0, 2_000_000_00)
ratios = st.integers(0, 10_000).map(lambda n: str(Decimal(n) / 10_000))


def money(n):
    return str(Decimal(n) * CENT)


@st.composite
def bands(draw, per_level):
    bounds = sorted(draw(st.sets(st.integers(1, 50_000_000), min_size=0, max_size=4)))
    uptos = [money(b) for b in bounds] + [None]
    ratio = (st.fixed_dictionaries({lv: ratios for lv in LEVELS}) if per_level else ratios)
    return [{"upto": u, "ratio": draw(ratio)} for u in uptos]


@st.composite
def pooled_setting(draw, per_level):
    basis = draw(st.sampled_from(["per_admission", "per_year"]))
    amount = draw(st.fixed_dictionaries({lv: small_cents.map(money) for lv in LEVELS})
                  if per_level else small_cents.map(money))
    deductible = {"basis": basis, "amount": amount}
    if basis == "per_admission" and draw(st.booleans()):
        deductible["repeat_factor"] = draw(ratios)
    setting = {"deductible": deductible, "bands": draw(bands(per_level))}
    if draw(st.booleans()):
        setting["cap"] = draw(st.one_of(st.none(), small_cents.map(money)))
    return setting


@st.composite
def profiles(draw):
    pharmacy_pooled = draw(st.booleans())
    pharmacy = ({"pooled": True, **draw(pooled_setting(False))} if pharmacy_pooled else {"pooled": False})
    plan = {
        "name": {"zh": "测试", "en": "Test"}, "scheme": draw(st.sampled_from(["employee", "resident"])),
        "category_b_first_pay": draw(ratios),
        "settings": {"inpatient": draw(pooled_setting(True)), "outpatient": draw(pooled_setting(True)),
                     "pharmacy": pharmacy},
    }
    if draw(st.booleans()):
        plan["personal_account"] = {"covers_out_of_catalogue": draw(st.booleans())}
    if draw(st.booleans()):
        offered = ["inpatient", "outpatient"] + (["pharmacy"] if pharmacy_pooled else [])
        plan["supplementary"] = {
            "name": {"zh": "大额", "en": "Top-up"},
            "applies_to": draw(st.lists(st.sampled_from(offered), min_size=1, unique=True)),
            "threshold": draw(small_cents.map(money)), "bands": draw(bands(False)),
            "cap": draw(st.one_of(st.none(), small_cents.map(money))),
        }
    data = {"id": "random", "name": {"zh": "随机", "en": "Random"},
            "status": draw(st.sampled_from(["illustrative", "unverified", "verified"])),
            "effective_from": "2026-01-01", "reviewed": "2026-11-24",
            "sources": [{"title": "t", "url": "https://example.org/"}], "plans": {"p": plan}}
    return calculator.load_profile(data)


@st.composite
def visits(draw):
    total = draw(cents)
    ooc = draw(st.integers(0, total))
    cat_b = draw(st.integers(0, total - ooc))
    v = {"plan": "p", "setting": draw(st.sampled_from(["inpatient", "outpatient", "pharmacy"])),
         "level": draw(st.sampled_from(LEVELS)), "total": money(total), "out_of_catalogue": money(ooc),
         "category_b": money(cat_b), "prior_admissions": draw(st.integers(0, 3)),
         "use_account": draw(st.booleans())}
    for name in ("deductible_paid_this_year", "fund_paid_this_year", "supplementary_base_this_year",
                 "supplementary_paid_this_year", "account_balance"):
        v[name] = money(draw(st.one_of(st.just(0), small_cents)))
    return v


FIGURES = ("total", "out_of_catalogue", "category_b_first_pay", "policy_range", "deductible", "fund",
           "supplementary", "patient_share", "account", "cash", "balance_after")

COMMON = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(profiles(), visits())
def test_invariants(profile, visit):
    e = calculator.settle(profile, visit)
    assert e.fund + e.supplementary + e.patient_share == e.total
    assert e.account + e.cash == e.patient_share
    assert 0 <= e.account <= Decimal(visit["account_balance"])
    assert e.balance_after == Decimal(visit["account_balance"]) - e.account
    for name in FIGURES:
        value = getattr(e, name)
        assert value >= 0, name
        assert value.as_tuple().exponent == -2, name
    assert e.patient_share >= e.out_of_catalogue + e.category_b_first_pay
    assert e.deductible <= e.policy_range
    pooled = profile.plans[0].setting(visit["setting"]).pooled
    if pooled:
        assert e.policy_range == e.total - e.out_of_catalogue - e.category_b_first_pay
    else:  # spec: an unpooled pharmacy reports these as 0.00 and the whole bill is the patient's
        assert (e.policy_range, e.deductible, e.category_b_first_pay, e.fund, e.supplementary) == (0, 0, 0, 0, 0)
    assert 0 <= e.self_paid_ratio <= 1
    out = e.to_json()
    assert all(Decimal(out[name]) == getattr(e, name) for name in FIGURES)


@COMMON
@given(profiles(), visits(), st.one_of(st.integers(1, 100), st.integers(1, MAX_CENTS)))
def test_raising_total_never_lowers_patient_share(profile, visit, extra):
    higher_cents = min(MAX_CENTS, int(Decimal(visit["total"]) * 100) + extra)
    before = calculator.settle(profile, visit)
    after = calculator.settle(profile, {**visit, "total": money(higher_cents)})
    assert after.patient_share >= before.patient_share


@settings(max_examples=100, deadline=None)
@given(profiles())
def test_profile_round_trip(profile):
    assert calculator.load_profile(calculator.profile_to_dict(profile)) == profile
