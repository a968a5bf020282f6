"""Profile files: YAML/JSON loading, file:line:field messages, and the shipped profiles."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

import calculator
from calculator.profile_files import ProfileFileError, load_profile_file

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "content" / "policies"

GOOD = """\
id: {id}
name: {{zh: 测试, en: Test}}
status: illustrative
effective_from: 2026-01-01
reviewed: 2026-11-24
sources: []
plans:
  resident:
    name: {{zh: 居民, en: Resident}}
    scheme: resident
    category_b_first_pay: "0.10"
    settings:
      inpatient:
        deductible: {{basis: per_admission, amount: {{primary: "200", secondary: "500", tertiary: "1000"}}}}
        bands:
          - {{upto: "50000", ratio: {{primary: "0.80", secondary: "0.75", tertiary: "0.65"}}}}
          - {{upto: null, ratio: {{primary: "0.85", secondary: "0.80", tertiary: "0.70"}}}}
        cap: "300000"
"""


def write(tmp_path, text, name="test.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_profiles_load():
    example = load_profile_file(POLICIES / "example.yaml")
    beijing = load_profile_file(POLICIES / "beijing.yaml")
    assert example.status == "illustrative" and beijing.status == "unverified"
    assert set(example.plan_ids) == {"employee-in-service", "employee-retired", "resident"}
    assert beijing.reviewed == "2026-11-25"
    assert all(s.url.startswith("https://") for s in beijing.sources) and beijing.sources


def test_example_matches_the_spec_plan_and_reproduces_its_examples():
    from calc_fixtures import SPEC
    example = load_profile_file(POLICIES / "example.yaml")
    spec = calculator.load_profile(SPEC)
    assert example.plan("employee-in-service") == spec.plan("employee-in-service")
    est = calculator.settle(example, {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
                                      "total": "50000"})
    assert (est.fund, est.patient_share) == (Decimal("42650.00"), Decimal("7350.00"))


def test_example_covers_what_the_issue_asks():
    example = load_profile_file(POLICIES / "example.yaml")
    schemes = {p.scheme for p in example.plans if p.supplementary}
    assert schemes == {"employee", "resident"}
    pooled = {p.setting("pharmacy").pooled for p in example.plans if p.setting("pharmacy")}
    assert pooled == {True, False}
    for plan in example.plans:
        assert {s.kind for s in plan.settings} == {"inpatient", "outpatient", "pharmacy"}


def test_beijing_published_example():
    beijing = load_profile_file(POLICIES / "beijing.yaml")
    est = calculator.settle(beijing, {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
                                      "total": "50000"})
    assert (est.deductible, est.fund) == (Decimal("1300.00"), Decimal("42895.00"))
    repeat = calculator.settle(beijing, {"plan": "employee-in-service", "setting": "inpatient",
                                         "level": "tertiary", "total": "50000", "prior_admissions": 1})
    assert repeat.deductible == Decimal("650.00")


def test_json_profile_of_the_same_shape(tmp_path):
    example = load_profile_file(POLICIES / "example.yaml")
    path = write(tmp_path, json.dumps(calculator.profile_to_dict(example), ensure_ascii=False), "example.json")
    assert load_profile_file(path) == example


def test_errors_name_file_line_and_field(tmp_path):
    text = GOOD.format(id="bad").replace('{upto: null, ratio: {primary: "0.85", secondary: "0.80", tertiary: "0.70"}}',
                                         '{upto: "40000", ratio: {primary: "1.5", secondary: "0.80"}}')
    text = text.replace("    scheme: resident\n", "    scheme: resident\n    colour: blue\n")
    path = write(tmp_path, text, "bad.yaml")
    with pytest.raises(ProfileFileError) as exc:
        load_profile_file(path)
    lines = str(exc.value).splitlines()
    f = str(path)
    assert lines[0].startswith(f"{f}:11: plans.resident.colour: unknown field")
    assert any(line.startswith(f"{f}:18: plans.resident.settings.inpatient.bands[1].upto:") for line in lines)
    assert any(line.startswith(f"{f}:18: plans.resident.settings.inpatient.bands[1].ratio.primary:") for line in lines)
    assert any(line.startswith(f"{f}:18: plans.resident.settings.inpatient.bands[1].ratio.tertiary:") for line in lines)
    codes = sorted(e.code for e in exc.value.errors)
    assert codes == ["last_band_not_open", "missing_level", "ratio_out_of_range", "unknown_key"]


def test_file_name_must_equal_id(tmp_path):
    path = write(tmp_path, GOOD.format(id="other"), "mine.yaml")
    with pytest.raises(ProfileFileError) as exc:
        load_profile_file(path)
    assert str(exc.value).startswith(f"{path}:1: id: the id 'other' differs from the file name 'mine.yaml'")


def test_unreadable_yaml_and_duplicate_keys(tmp_path):
    with pytest.raises(ProfileFileError) as exc:
        load_profile_file(write(tmp_path, "id: [unclosed\n", "x.yaml"))
    assert ":1: (file): not valid YAML" in str(exc.value) or ":2: (file): not valid YAML" in str(exc.value)
    dup = GOOD.format(id="dup").replace("status: illustrative\n", "status: illustrative\nstatus: verified\n")
    with pytest.raises(ProfileFileError) as exc:
        load_profile_file(write(tmp_path, dup, "dup.yaml"))
    assert f"{tmp_path / 'dup.yaml'}:4:" in str(exc.value) and "twice" in str(exc.value)
    with pytest.raises(ProfileFileError):
        load_profile_file(tmp_path / "missing.yaml")


def test_unquoted_money_in_yaml_asks_for_quotes(tmp_path):
    # v2: YAML reads unquoted numbers its own way (010 is 8, 20:00 is 1200), so money must be quoted.
    text = GOOD.format(id="plain").replace('cap: "300000"', "cap: 300000.50").replace('"0.10"', "0.1")
    with pytest.raises(ProfileFileError) as exc:
        load_profile_file(write(tmp_path, text, "plain.yaml"))
    assert {e.code for e in exc.value.errors} == {"not_quoted"}
    assert all("quotes" in e.message["en"] and "引号" in e.message["zh"] for e in exc.value.errors)
    assert '"300000.50"' in str(exc.value)
