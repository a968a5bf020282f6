"""The editor CLI for v2: `year`, `check` running published examples, and hostile input.

Every hostile input ends with exit status 2 and a message in Chinese and English, never a
traceback or a hang (each run has a timeout; timings themselves belong to benchmarks).
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import calculator
from calc_fixtures import v2_profile_dict
from calculator.profile_files import load_profile_file

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]
V2_FILE = Path(__file__).resolve().parent / "v2-city.yaml"
EXAMPLE = ROOT / "content" / "policies" / "example.yaml"
YEAR = {"plan": "employee",
        "start": {"date": "2026-07-01", "account_balance": "2000.00", "contribution_base": "8000.00"},
        "visits": [{"date": "2026-09-03", "setting": "outpatient", "level": "tertiary", "total": "20000"},
                   {"date": "2026-08-10", "setting": "outpatient", "level": "tertiary", "total": "5000"}]}


def run(*args, stdin=None):
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", "calculator", *args], input=data, capture_output=True,
                          cwd=ROOT, timeout=20)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return proc.returncode, out, err


def errors(out):
    result = json.loads(out)["errors"]
    for e in result:
        assert e["message"]["zh"] and e["message"]["en"]
    return [(e["field"], e["code"]) for e in result]


def test_yaml_and_dict_fixture_are_the_same_profile():
    assert load_profile_file(V2_FILE) == calculator.load_profile(v2_profile_dict())


def test_year_from_a_file_and_from_stdin(tmp_path):
    path = tmp_path / "year.json"
    path.write_text(json.dumps(YEAR), encoding="utf-8")
    code, out, _ = run("year", "--profile", str(V2_FILE), "--visits", str(path))
    assert code == 0
    result = json.loads(out)
    assert [v["estimate"]["fund"] for v in result["visits"]] == ["2240.00", "13500.00"]
    assert [v["index"] for v in result["visits"]] == [1, 0]
    assert result["totals"]["fund"] == "15740.00" and result["totals"]["credited"] == "320.00"
    code, again, _ = run("year", "--profile", str(V2_FILE), "--visits", "-", stdin=json.dumps(YEAR))
    assert code == 0 and json.loads(again) == result


def test_year_errors_exit_2_naming_the_visit():
    bad = {**YEAR, "visits": [YEAR["visits"][0], {**YEAR["visits"][1], "total": "12.345"}]}
    code, out, _ = run("year", "--profile", str(V2_FILE), "--visits", "-", stdin=json.dumps(bad))
    assert code == 2 and errors(out) == [("visits[1].total", "too_many_decimals")]
    code, out, _ = run("year", "--profile", str(V2_FILE), "--visits", "-",
                       stdin=json.dumps({**YEAR, "start": {"date": "2026-13-01", "contribution_base": "1"}}))
    assert code == 2 and errors(out) == [("start.date", "not_a_date")]
    code, out, _ = run("year", "--profile", str(V2_FILE), "--visits", "/nonexistent/year.json")
    assert code == 2 and errors(out) == [("visits", "unreadable")]


def test_year_accepts_the_planners_export_with_its_profile_key():
    """The planner's "export" file is the year input plus "profile"; the CLI settles it."""
    profile_id = load_profile_file(V2_FILE).id
    code, out, err = run("year", "--profile", str(V2_FILE), "--visits", "-",
                         stdin=json.dumps({"profile": profile_id, **YEAR}))
    assert code == 0 and json.loads(out)["totals"]["fund"] == "15740.00" and err == ""
    code, out, err = run("year", "--profile", str(V2_FILE), "--visits", "-",
                         stdin=json.dumps({"profile": "shanghai", **YEAR}))
    assert code == 0 and json.loads(out)["totals"]["fund"] == "15740.00"
    assert "'shanghai'" in err and repr(profile_id) in err


def test_check_runs_the_published_examples(tmp_path):
    code, out, _ = run("check", str(V2_FILE))
    assert code == 0 and "3 examples reproduced" in out
    text = V2_FILE.read_text(encoding="utf-8")
    wrong = tmp_path / "v2-city.yaml"
    wrong.write_text(text.replace('fund: "42650.00"', 'fund: "42650.01"'), encoding="utf-8")
    code, _, err = run("check", str(wrong))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if 'fund: "42650.00"' in t)
    assert code == 2
    assert f"{wrong}:{line}: examples[0].expect.fund: example 1 " in err
    assert "expected 42650.01, the engine computes 42650.00" in err and "预期 42650.01" in err


HOSTILE_VISITS = {
    "thousands of digits as text": '{"plan": "employee", "setting": "pharmacy", "total": "%s"}' % ("9" * 5000),
    "thousands of digits as a number": '{"plan": "employee", "setting": "pharmacy", "total": %s}' % ("9" * 5000),
    "fraction of thousands of digits": '{"plan": "employee", "setting": "pharmacy", "total": 1.%s1}' % ("0" * 5000),
    "huge exponent": '{"plan": "employee", "setting": "pharmacy", "total": 1e99999999}',
    "tiny exponent": '{"plan": "employee", "setting": "pharmacy", "total": 1e-99999999}',
    "huge count": '{"plan": "employee", "setting": "inpatient", "level": "primary", "total": "1", '
                  '"prior_admissions": 1e99999999}',
    "NaN": '{"plan": "employee", "setting": "pharmacy", "total": NaN}',
    "Infinity": '{"plan": "employee", "setting": "pharmacy", "total": -Infinity}',
    "duplicate key": '{"plan": "employee", "setting": "pharmacy", "total": "1", "total": "2"}',
    "deep nesting": "[" * 100000 + "]" * 100000,
    "nested value": '{"plan": "employee", "setting": "pharmacy", "total": %s}' % ("[" * 500 + "]" * 500),
    "lone surrogate": '{"plan": "\\ud800", "setting": "pharmacy", "total": "1"}',
    "not an object": '"hello"',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_VISITS))
def test_hostile_visit_on_stdin(name):
    code, out, _ = run("estimate", "--profile", str(V2_FILE), "--visit", "-", stdin=HOSTILE_VISITS[name])
    assert code == 2 and errors(out)


@pytest.mark.parametrize("name", sorted(HOSTILE_VISITS))
def test_hostile_year(name):
    text = '{"plan": "employee", "start": {"date": "2026-07-01", "contribution_base": "1"}, "visits": [%s]}' % (
        HOSTILE_VISITS[name].replace('"plan": "employee", ', '"date": "2026-07-02", '))
    code, out, _ = run("year", "--profile", str(V2_FILE), "--visits", "-", stdin=text)
    assert code == 2 and errors(out)


def test_invalid_utf8_on_stdin_and_undecodable_argument():
    code, out, _ = run("estimate", "--profile", str(V2_FILE), "--visit", "-", stdin=b'{"plan": "\xff\xfe"}')
    assert code == 2 and errors(out) == [("visit", "not_json")]
    code, out, _ = run("year", "--profile", str(V2_FILE), "--visits", "-", stdin=b"\xc3\x28")
    assert code == 2 and errors(out) == [("visits", "not_json")]
    proc = subprocess.run([sys.executable.encode(), b"-m", b"calculator", b"estimate", b"--profile",
                           str(V2_FILE).encode(), b"--visit", b'{"plan": "\xff"}'], capture_output=True, cwd=ROOT,
                          timeout=20)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert errors(proc.stdout.decode("utf-8")) == [("visit", "not_json")]


def test_specific_codes():
    def codes(text):
        return errors(run("estimate", "--profile", str(V2_FILE), "--visit", text)[1])
    assert codes(HOSTILE_VISITS["huge exponent"]) == [("total", "too_large")]
    assert codes(HOSTILE_VISITS["tiny exponent"]) == [("total", "too_many_decimals")]
    assert codes(HOSTILE_VISITS["NaN"]) == [("total", "not_a_number")]
    assert codes(HOSTILE_VISITS["duplicate key"]) == [("visit", "duplicate_key")]
    assert codes(HOSTILE_VISITS["lone surrogate"]) == [("plan", "not_text")]


LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 9))

HOSTILE_PROFILES = {
    "billion laughs": ("l0: &l0 lol\n" + LAUGHS, "aliases"),
    "recursive alias": ("id: &a [*a]\n", "refers to the block that contains it"),
    "unhashable key": ("? [a, b]\n: 1\n", "a key must be a plain name"),
    "deep nesting": ("id: " + "[" * 5000 + "]" * 5000 + "\n", "nests more than"),
    "octal money": (None, '010'),
    "hex money": (None, '0x10'),
    "sexagesimal money": (None, '20:00'),
    "unquoted money": (None, '1300'),
    "huge unquoted number": (None, "9" * 30),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PROFILES))
def test_hostile_profile_files(name, tmp_path):
    text, needle = HOSTILE_PROFILES[name]
    if text is None:  # a YAML 1.1 reading in a money field of a good profile
        value = needle if name != "huge unquoted number" else "9" * 5000
        text = V2_FILE.read_text(encoding="utf-8").replace('threshold: "10000"', f"threshold: {value}")
    path = tmp_path / "v2-city.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 2 and needle in err
    if HOSTILE_PROFILES[name][0] is None:
        assert "quotes" in err and "引号" in err and "supplementary[1].threshold" in err


def test_the_readme_example_is_the_checked_v2_profile(tmp_path):
    readme = (ROOT / "calculator" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "v2-city.yaml"
    path.write_text(example, encoding="utf-8")
    assert load_profile_file(path) == load_profile_file(V2_FILE)
