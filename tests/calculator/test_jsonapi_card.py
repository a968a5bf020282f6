"""A resident's rule card to a profile checked by the engine's own validator, and back.

Imports only calculator, pytest and calc_fixtures: these tests also run inside Pyodide.
"""
import copy

import pytest

from calc_fixtures import CARD, CARD_VISITS, card_equivalent_profile, v2_profile_dict
from calculator import jsonapi, load_profile, settle
from calculator.card import card_from_profile, parse_profile_yaml, profile_yaml

FIGURES = ("fund", "supplementary", "patient_share", "account", "cash", "balance_after", "deductible",
           "policy_range", "category_b_first_pay")


def test_card_settles_like_the_hand_written_profile():
    answer = jsonapi.card_profile(CARD)
    assert "errors" not in answer, answer
    mine, by_hand = load_profile(answer["profile"]), load_profile(card_equivalent_profile())
    for visit in CARD_VISITS:
        a, b = settle(mine, visit).to_json(), settle(by_hand, visit).to_json()
        assert {k: a[k] for k in FIGURES} == {k: b[k] for k in FIGURES}, visit
        assert [t["amount"] for t in a["top_ups"]] == [t["amount"] for t in b["top_ups"]]


def test_typed_forms_are_read_exactly():
    plan = jsonapi.card_profile(CARD)["profile"]["plans"]["employee"]
    inpatient = plan["settings"]["inpatient"]
    assert inpatient["deductible"]["amount"] == {"primary": "300.00", "secondary": "600.00", "tertiary": "1000.00"}
    assert inpatient["bands"][0] == {"upto": "30000.00", "ratio": {"primary": "0.9", "secondary": "0.87",
                                                                   "tertiary": "0.85"}}
    assert inpatient["cap"] == "500000.00"
    assert plan["settings"]["outpatient"]["deductible"]["amount"]["tertiary"] == "1800.00"
    assert plan["category_b_first_pay"] == "0.1"
    assert jsonapi.card_profile(dict(CARD, **{"inpatient.ratio.primary": "85.55%"}))[
        "profile"]["plans"]["employee"]["settings"]["inpatient"]["bands"][0]["ratio"]["primary"] == "0.8555"


@pytest.mark.parametrize("change, field, code", [
    ({"inpatient.ratio.primary": "150%"}, "inpatient.ratio.primary", "ratio_out_of_range"),
    ({"inpatient.deductible.secondary": "abc"}, "inpatient.deductible.secondary", "not_a_number"),
    ({"inpatient.band2.upto": "20000", "inpatient.band3.ratio.primary": "99", "inpatient.band3.ratio.secondary": "99",
      "inpatient.band3.ratio.tertiary": "99"}, "inpatient.band2.upto", "not_increasing"),
    ({"inpatient.cap": "-5"}, "inpatient.cap", "negative"),
    ({"rules-name": "  "}, "rules-name", "not_a_string"),
    ({"category_b_first_pay": ""}, "category_b_first_pay", "required"),
    ({"top_up.ratio": "1e5"}, "top_up.ratio", "not_a_number"),
    ({"outpatient.ratio.secondary": ""}, "outpatient.ratio.secondary", "missing_level"),
    ({"inpatient.deductible.primary": "1" * 5000}, "inpatient.deductible.primary", "too_large"),
    ({"inpatient.deductible.primary": "100" + " " * 300 + "abc"}, "inpatient.deductible.primary", "not_a_number"),
    ({"inpatient.deductible.primary": "99999999999"}, "inpatient.deductible.primary", "too_large"),
    ({"inpatient.ratio.tertiary": "85.555"}, "inpatient.ratio.tertiary", "too_many_decimals"),
])
def test_each_mistake_is_named_at_its_control_in_both_languages(change, field, code):
    answer = jsonapi.card_profile(dict(CARD, **change))
    assert "profile" not in answer
    found = [e for e in answer["errors"] if e["field"] == field]
    assert [e["code"] for e in found] == [code], answer["errors"]
    message = found[0]["message"]
    assert message["zh"] and message["en"] and message["zh"] != message["en"]
    assert "upto" not in message["en"] and "ratio" not in message["en"]   # the card's words, not the file's
    assert [e for e in answer["errors"] if e["field"] != field] == []


def test_layer_figures_without_a_threshold_are_refused_not_dropped():
    card = {k: v for k, v in CARD.items() if k != "top_up.threshold"}
    assert [e["field"] for e in jsonapi.card_profile(card)["errors"]] == ["top_up.threshold"]


def test_hostile_cards_answer_with_errors():
    assert jsonapi.card_profile([])["errors"]
    assert jsonapi.card_profile({"inpatient.cap": {"x": 1}, "scheme": 5})["errors"]
    answer = jsonapi.card_profile(dict(CARD, **{"inpatient.cap": "9" * 100000}))
    assert answer["errors"][0]["field"] == "inpatient.cap" and len(str(answer)) < 2000


def test_use_cards_keeps_valid_ones_beside_the_regions_and_drops_invalid():
    jsonapi.load_profiles({"v2": v2_profile_dict()})
    answer = jsonapi.use_cards({"own-a": CARD, "own-b": dict(CARD, **{"inpatient.cap": "-1"})})
    assert answer["own-a"]["plan"] == "employee" and answer["own-a"]["summary"]["id"] == "own-a"
    assert answer["own-b"]["errors"][0]["field"] == "inpatient.cap"
    assert jsonapi.estimate("own-a", CARD_VISITS[0])["fund"] == settle(
        load_profile(card_equivalent_profile()), CARD_VISITS[0]).to_json()["fund"]
    assert jsonapi.estimate("own-b", CARD_VISITS[0])["errors"][0]["code"] == "unknown_profile"
    assert "fund" in jsonapi.estimate("v2", {"plan": "employee", "setting": "inpatient", "level": "tertiary",
                                             "total": "1000"})


def test_yaml_round_trip_and_import():
    answer = jsonapi.card_profile(CARD)
    assert parse_profile_yaml(answer["yaml"])["profile"] == answer["profile"]
    imported = jsonapi.import_profile(answer["yaml"])
    assert imported["left_out"] == []
    again = jsonapi.card_profile(imported["card"])
    assert again["profile"] == answer["profile"]


def test_import_refuses_files_the_card_cannot_hold():
    assert jsonapi.import_profile(profile_yaml(v2_profile_dict()))["errors"][0]["field"] == "rules-import"
    assert jsonapi.import_profile("id: own\n  bad indent: x\n")["errors"][0]["code"] == "unreadable"
    assert jsonapi.import_profile("id: 12\n")["errors"][0]["code"] == "unreadable"   # unquoted value
    assert jsonapi.import_profile("{not json")["errors"]
    assert jsonapi.import_profile(None)["errors"]


def test_a_region_plan_fills_the_card_and_names_what_it_leaves_out():
    jsonapi.load_profiles({"v2": v2_profile_dict()})
    found = jsonapi.card_from_region("v2", "employee")
    card = found["card"]
    assert card["inpatient.deductible.tertiary"] == "1000.00" and card["inpatient.ratio.tertiary"] == "85"
    assert card["inpatient.band1.upto"] == "30000.00" and card["inpatient.band2.ratio.tertiary"] == "90"
    assert found["left_out"] and all(n["zh"] and n["en"] for n in found["left_out"])
    answer = jsonapi.card_profile(dict(card, id="own-copy", entered="2026-12-08"))
    assert "errors" not in answer, answer
    assert jsonapi.card_from_region("nope", "employee")["errors"][0]["code"] == "unknown_profile"


def test_a_card_made_from_its_own_profile_is_the_same_card():
    profile = jsonapi.card_profile(CARD)["profile"]
    card = card_from_profile(copy.deepcopy(profile), "employee")
    assert card["left_out"] == []
    assert jsonapi.card_profile(dict(card["card"], id="own-test", entered="2026-12-08"))["profile"] == profile
