"""Profiles the build has checked load without their published examples being run again; any
other profile (no digest, a wrong digest, a changed profile) has them run as before."""
import json
from decimal import Decimal

import pytest

from calc_fixtures import v2_profile_dict
from calculator import ProfileError, jsonapi

pytestmark = pytest.mark.fast


def wrong_example():
    """A profile whose first published example expects a figure the engine does not compute."""
    data = v2_profile_dict()
    assert data["examples"], "the fixture needs published examples"
    data["examples"][0]["expect"]["fund"] = "1.00"
    return data


def test_a_profile_with_its_digest_loads_without_running_its_examples():
    data = wrong_example()
    assert jsonapi.load_profiles({"city": data}, {"city": jsonapi.profile_digest(data)}) == ["city"]
    assert "errors" not in jsonapi.estimate("city", data["examples"][0]["visit"])


@pytest.mark.parametrize("checked", [None, {}, {"city": "0" * 64}, {"city": 5}, ["city"], "city"])
def test_without_the_matching_digest_the_examples_are_run(checked):
    with pytest.raises(ProfileError) as info:
        jsonapi.load_profiles({"city": wrong_example()}, checked)
    assert "example_mismatch" in {e.code for e in info.value.errors}


def test_a_profile_changed_after_its_digest_was_made_has_its_examples_run():
    data = wrong_example()
    digest = jsonapi.profile_digest(data)
    data["notes"] = {"zh": "改过", "en": "changed"}
    with pytest.raises(ProfileError):
        jsonapi.load_profiles({"city": data}, {"city": digest})


def test_the_digest_skips_only_the_examples_not_the_checks():
    data = v2_profile_dict()
    data["status"] = "guessed"
    with pytest.raises(ProfileError) as info:
        jsonapi.load_profiles({"city": data}, {"city": jsonapi.profile_digest(data)})
    assert "status" in {e.field for e in info.value.errors}


def test_the_digest_survives_the_trip_through_the_worker():
    """The worker parses its arguments as JSON with fractions as Decimal: the digest still matches."""
    data = v2_profile_dict()
    arrived = json.loads(json.dumps(data, ensure_ascii=False), parse_float=Decimal)
    assert jsonapi.profile_digest(arrived) == jsonapi.profile_digest(data)
    assert jsonapi.profile_digest({"x": Decimal("0.5")}) is None   # not JSON: no digest, examples run
