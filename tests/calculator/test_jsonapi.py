"""The JSON entry points the browser worker calls: what crosses the boundary stays JSON."""
import json

import pytest

from calc_fixtures import spec_profile_dict
from calculator import ProfileError, jsonapi

pytestmark = pytest.mark.fast

SPEC_VISIT = {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "20000",
              "out_of_catalogue": "1700", "category_b": "2000", "account_balance": "3000"}


def test_loaded_profiles_settle_visits_as_plain_json():
    assert jsonapi.load_profiles({"spec": spec_profile_dict()}) == ["spec"]
    out = jsonapi.estimate("spec", SPEC_VISIT)
    assert json.loads(json.dumps(out)) == out            # nothing but JSON types
    assert (out["fund"], out["patient_share"], out["cash"]) == ("14535.00", "5465.00", "2465.00")


def test_an_invalid_visit_comes_back_as_field_errors():
    jsonapi.load_profiles({"spec": spec_profile_dict()})
    out = jsonapi.estimate("spec", {**SPEC_VISIT, "total": "12.345"})
    assert [(e["field"], e["code"]) for e in out["errors"]] == [("total", "too_many_decimals")]
    assert set(out["errors"][0]["message"]) == {"zh", "en"}


def test_an_unknown_region_is_an_error_on_the_profile_field():
    jsonapi.load_profiles({"spec": spec_profile_dict()})
    out = jsonapi.estimate("nowhere", SPEC_VISIT)
    assert out["errors"][0]["field"] == "profile" and out["errors"][0]["code"] == "unknown_profile"


def test_loading_replaces_earlier_profiles_and_rejects_a_bad_one_whole():
    jsonapi.load_profiles({"spec": spec_profile_dict()})
    bad = spec_profile_dict()
    bad["status"] = "guessed"
    with pytest.raises(ProfileError):
        jsonapi.load_profiles({"other": bad})
    assert "errors" not in jsonapi.estimate("spec", SPEC_VISIT)   # the old set stays usable
    jsonapi.load_profiles({"again": spec_profile_dict()})
    assert "errors" in jsonapi.estimate("spec", SPEC_VISIT)
