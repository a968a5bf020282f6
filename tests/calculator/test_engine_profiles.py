"""Profile validation (spec section 5), round trip to a plain dict, and the form summary.

Imports only `calculator` and pytest: these tests also run inside Pyodide.
"""
import json
from decimal import Decimal

import pytest

import calculator
from calc_fixtures import BEIJING_LIKE, spec_profile_dict

pytestmark = pytest.mark.fast

INPATIENT = ("plans", "employee-in-service", "settings", "inpatient")


def broken(edit):
    data = spec_profile_dict()
    edit(data)
    with pytest.raises(calculator.ProfileError) as exc:
        calculator.load_profile(data)
    for e in exc.value.errors:
        assert e.message["zh"] and e.message["en"]
    return [(e.field, e.code) for e in exc.value.errors]


def inpatient(d):
    return d["plans"]["employee-in-service"]["settings"]["inpatient"]


def test_valid_profiles_load():
    p = calculator.load_profile(spec_profile_dict())
    assert p.plan_ids == ("employee-in-service", "employee-retired", "resident")
    assert calculator.load_profile(BEIJING_LIKE).status == "unverified"


def test_missing_level():
    got = broken(lambda d: inpatient(d)["bands"][1]["ratio"].pop("secondary"))
    assert got == [("plans.employee-in-service.settings.inpatient.bands[1].ratio.secondary", "missing_level")]


def test_non_increasing_band():
    got = broken(lambda d: inpatient(d)["bands"].insert(1, {"upto": "30000", "ratio": inpatient(d)["bands"][0]["ratio"]}))
    assert got == [("plans.employee-in-service.settings.inpatient.bands[1].upto", "not_increasing")]


def test_zero_first_band_is_not_increasing():
    got = broken(lambda d: inpatient(d)["bands"][0].update(upto="0"))
    assert got == [("plans.employee-in-service.settings.inpatient.bands[0].upto", "not_increasing")]


@pytest.mark.parametrize("ratio, code", [("1.5", "ratio_out_of_range"), ("-0.1", "ratio_out_of_range"),
                                         ("85", "ratio_out_of_range"), ("0.85555", "too_many_decimals"),
                                         ("85%", "not_a_number"), (0.85, "not_a_number"), (True, "not_a_number")])
def test_bad_ratio(ratio, code):
    got = broken(lambda d: inpatient(d)["bands"][0]["ratio"].update(primary=ratio))
    assert got == [("plans.employee-in-service.settings.inpatient.bands[0].ratio.primary", code)]


def test_ratio_bounds_and_four_decimals_accepted():
    data = spec_profile_dict()
    inpatient(data)["bands"][0]["ratio"].update(primary="1", secondary="0", tertiary="0.9855")
    loaded = calculator.profile_to_dict(calculator.load_profile(data))
    # Kept exactly as written: none of the three is clamped, rounded or dropped.
    assert inpatient(loaded)["bands"][0]["ratio"] == {"primary": "1", "secondary": "0", "tertiary": "0.9855"}


@pytest.mark.parametrize("where, key", [((), "colour"), (INPATIENT, "copay"), (INPATIENT + ("deductible",), "basys"),
                                        (("plans", "employee-in-service", "supplementary"), "limit")])
def test_unknown_key_anywhere(where, key):
    def edit(d):
        node = d
        for part in where:
            node = node[part]
        node[key] = "1"
    got = broken(edit)
    assert got == [(".".join(where + (key,)), "unknown_key")]


def test_unknown_level_key():
    got = broken(lambda d: inpatient(d)["deductible"]["amount"].update(quaternary="5"))
    assert got == [("plans.employee-in-service.settings.inpatient.deductible.amount.quaternary", "unknown_key")]


def test_last_band_must_be_open_and_only_last():
    assert broken(lambda d: inpatient(d)["bands"][1].update(upto="90000")) == [
        ("plans.employee-in-service.settings.inpatient.bands[1].upto", "last_band_not_open")]
    assert broken(lambda d: inpatient(d)["bands"][0].update(upto=None)) == [
        ("plans.employee-in-service.settings.inpatient.bands[0].upto", "open_band_not_last")]


def test_pharmacy_values_are_single_and_hospital_values_per_level():
    def per_level_pharmacy(d):
        d["plans"]["employee-retired"]["settings"]["pharmacy"]["deductible"]["amount"] = {
            "primary": "1", "secondary": "1", "tertiary": "1"}
    assert broken(per_level_pharmacy) == [
        ("plans.employee-retired.settings.pharmacy.deductible.amount", "per_level_not_allowed")]
    assert broken(lambda d: inpatient(d)["bands"][0].update(ratio="0.9")) == [
        ("plans.employee-in-service.settings.inpatient.bands[0].ratio", "levels_required")]


def test_unpooled_pharmacy_takes_nothing_else():
    got = broken(lambda d: d["plans"]["employee-in-service"]["settings"]["pharmacy"].update(cap="10"))
    assert got == [("plans.employee-in-service.settings.pharmacy.cap", "not_allowed")]


def test_money_rules():
    assert broken(lambda d: inpatient(d).update(cap="1.234")) == [
        ("plans.employee-in-service.settings.inpatient.cap", "too_many_decimals")]
    assert broken(lambda d: inpatient(d).update(cap="-1")) == [
        ("plans.employee-in-service.settings.inpatient.cap", "negative")]
    assert broken(lambda d: inpatient(d).update(cap=500000.0)) == [
        ("plans.employee-in-service.settings.inpatient.cap", "not_a_number")]
    # Unquoted whole numbers and exact decimals are accepted (no binary rounding is possible).
    data = spec_profile_dict()
    inpatient(data).update(cap=500000)
    inpatient(data)["bands"][0]["ratio"]["primary"] = Decimal("0.9")
    assert calculator.load_profile(data).plans[0].settings[0].cap == Decimal("500000.00")


def test_repeat_factor_only_per_admission():
    def edit(d):
        d["plans"]["employee-in-service"]["settings"]["outpatient"]["deductible"]["repeat_factor"] = "0.5"
    assert broken(edit) == [("plans.employee-in-service.settings.outpatient.deductible.repeat_factor", "not_allowed")]


def test_top_level_rules():
    got = broken(lambda d: d.update(status="draft", effective_from="2026-02-30", reviewed="24.11.2026",
                                    id="Example City"))
    assert got == [("id", "bad_id"), ("status", "unknown_value"), ("effective_from", "bad_date"),
                   ("reviewed", "bad_date")]
    assert broken(lambda d: d["sources"][0].update(url="http://example.org")) == [("sources[0].url", "bad_url")]
    assert broken(lambda d: d.update(status="verified", sources=[])) == [("sources", "required")]
    assert broken(lambda d: d.pop("plans")) == [("plans", "required")]
    assert broken(lambda d: d["name"].pop("zh")) == [("name.zh", "required")]


def test_supplementary_must_apply_to_pooled_offered_settings():
    def edit(d):
        d["plans"]["employee-in-service"]["supplementary"]["applies_to"] = ["inpatient", "pharmacy"]
        d["plans"]["employee-retired"]["supplementary"]["applies_to"] = ["inpatient"]
    assert broken(edit) == [("plans.employee-in-service.supplementary.applies_to[1]", "not_offered"),
                            ("plans.employee-retired.supplementary.applies_to[0]", "not_offered")]


def test_all_errors_reported_together():
    def edit(d):
        inpatient(d)["bands"][0]["ratio"]["primary"] = "1.5"
        inpatient(d)["bands"][1]["ratio"].pop("tertiary")
        d["plans"]["resident"]["scheme"] = "farmer"
        d["extra"] = 1
    assert broken(edit) == [
        ("extra", "unknown_key"),
        ("plans.employee-in-service.settings.inpatient.bands[0].ratio.primary", "ratio_out_of_range"),
        ("plans.employee-in-service.settings.inpatient.bands[1].ratio.tertiary", "missing_level"),
        ("plans.resident.scheme", "unknown_value")]


def test_error_paths_as_tuples_for_line_lookup():
    with pytest.raises(calculator.ProfileError) as exc:
        data = spec_profile_dict()
        inpatient(data)["bands"][1]["upto"] = "5"
        calculator.load_profile(data)
    assert exc.value.errors[0].path == INPATIENT + ("bands", 1, "upto")


def test_round_trip_through_plain_json():
    for data in (spec_profile_dict(), BEIJING_LIKE):
        profile = calculator.load_profile(data)
        plain = calculator.profile_to_dict(profile)
        again = calculator.load_profile(json.loads(json.dumps(plain)))
        assert again == profile
        assert calculator.profile_to_dict(again) == plain


def test_profile_summary_for_the_form():
    s = calculator.profile_summary(calculator.load_profile(spec_profile_dict()))
    json.dumps(s)  # JSON-able
    assert (s["id"], s["status"], s["reviewed"], s["effective_from"]) == (
        "example-city", "illustrative", "2026-11-24", "2026-01-01")
    emp = s["plans"]["employee-in-service"]
    assert emp["settings"] == ["inpatient", "outpatient", "pharmacy"]
    assert emp["levels"]["inpatient"] == ["primary", "secondary", "tertiary"] and emp["levels"]["pharmacy"] == []
    assert emp["has_account"] is True and emp["pharmacy_pooled"] is False
    assert s["plans"]["employee-retired"]["pharmacy_pooled"] is True
    assert s["plans"]["resident"]["has_account"] is False and s["plans"]["resident"]["pharmacy_pooled"] is None
