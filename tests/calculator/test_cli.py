"""The editor CLI: `python -m calculator estimate|check` (exit codes 0 / 2)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.__main__ import main

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "content" / "policies" / "example.yaml")
SPEC_VISIT = {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "20000",
              "out_of_catalogue": "1700", "category_b": "2000", "account_balance": "3000"}


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "calculator", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, encoding="utf-8")


def test_estimate_spec_example_subprocess():
    r = run("estimate", "--profile", "content/policies/example.yaml", "--visit", json.dumps(SPEC_VISIT))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["fund"], out["patient_share"], out["account"], out["cash"], out["self_paid_ratio"]) == (
        "14535.00", "5465.00", "3000.00", "2465.00", "0.2733")


def test_estimate_visit_from_stdin_with_json_numbers():
    r = run("estimate", "--profile", "content/policies/example.yaml", "--visit", "-",
            stdin='{"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": 50000.00}')
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["fund"] == "42650.00"


def test_check_shipped_profiles_subprocess():
    r = run("check", *sorted(str(p) for p in (ROOT / "content" / "policies").glob("*.yaml")))
    assert r.returncode == 0, r.stderr
    assert "ok:" in r.stdout


def test_invalid_visit_prints_errors_and_exits_2(capsys):
    code = main(["estimate", "--profile", EXAMPLE, "--visit",
                 '{"plan": "employee-in-service", "setting": "inpatient", "total": "12.345"}'])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [(e["field"], e["code"]) for e in out["errors"]] == [("level", "level_required"),
                                                              ("total", "too_many_decimals")]
    assert set(out["errors"][0]["message"]) == {"zh", "en"}


def test_json_number_with_too_many_decimals_is_an_error_not_a_rounding(capsys):
    code = main(["estimate", "--profile", EXAMPLE, "--visit",
                 '{"plan": "resident", "setting": "pharmacy", "total": 0.001}'])
    assert code == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "too_many_decimals"


def test_visit_that_is_not_json(capsys):
    assert main(["estimate", "--profile", EXAMPLE, "--visit", "{plan:"]) == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "not_json"


def test_json_profile(tmp_path, capsys):
    import calculator
    from calculator.profile_files import load_profile_file
    path = tmp_path / "example.json"
    path.write_text(json.dumps(calculator.profile_to_dict(load_profile_file(EXAMPLE))), encoding="utf-8")
    assert main(["estimate", "--profile", str(path), "--visit", json.dumps(SPEC_VISIT)]) == 0
    assert json.loads(capsys.readouterr().out)["fund"] == "14535.00"


BROKEN = {
    "non_increasing": ('- {upto: null,    ratio: {primary: "0.95", secondary: "0.92", tertiary: "0.90"}}',
                       '- {upto: "20000", ratio: {primary: "0.95", secondary: "0.92", tertiary: "0.90"}}\n'
                       '          - {upto: null, ratio: {primary: "0.95", secondary: "0.92", tertiary: "0.90"}}',
                       "plans.employee-in-service.settings.inpatient.bands[1].upto"),
    "missing_level": ('amount: {primary: "1800", secondary: "1800", tertiary: "1800"}',
                      'amount: {primary: "1800", secondary: "1800"}',
                      "plans.employee-in-service.settings.outpatient.deductible.amount.tertiary"),
    "ratio_1_5": ('category_b_first_pay: "0.05"', 'category_b_first_pay: "1.5"',
                  "plans.employee-retired.category_b_first_pay"),
    "unknown_key": ("    scheme: resident\n", "    scheme: resident\n    copay: \"5\"\n", "plans.resident.copay"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_check_rejects_broken_profiles_naming_file_line_field(kind, tmp_path, capsys):
    old, new, field = BROKEN[kind]
    text = Path(EXAMPLE).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", EXAMPLE, str(path)]) == 2
    captured = capsys.readouterr()
    assert "ok: " + EXAMPLE in captured.out
    marker = next(line.strip() for line in new.splitlines() if line.strip() not in old)
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)
    assert f"{path}:{line_no}: {field}: " in captured.err


def test_invalid_profile_in_estimate_exits_2(tmp_path, capsys):
    path = tmp_path / "example.yaml"
    path.write_text(Path(EXAMPLE).read_text(encoding="utf-8").replace("status: illustrative", "status: final"),
                    encoding="utf-8")
    assert main(["estimate", "--profile", str(path), "--visit", json.dumps(SPEC_VISIT)]) == 2
    assert f"{path}:6: status: " in capsys.readouterr().err
