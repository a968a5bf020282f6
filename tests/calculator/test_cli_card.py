"""A rule card exported as a profile file: `python -m calculator check` accepts it, and `estimate`
on it gives the same figures as the card settled in the page's engine (CPython only: subprocesses)."""
import json
import subprocess
import sys
from pathlib import Path

from calc_fixtures import CARD, CARD_VISITS
from calculator import jsonapi

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, cwd=ROOT, timeout=30,
                          text=True, encoding="utf-8")
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout


def test_exported_card_passes_check_and_settles_identically(tmp_path):
    answer = jsonapi.card_profile(CARD)
    path = tmp_path / "own-test.yaml"
    path.write_text(answer["yaml"], encoding="utf-8")
    code, out = run("check", str(path))
    assert code == 0 and out.startswith("ok:"), out
    jsonapi.use_cards({"own-test": CARD})
    for visit in CARD_VISITS:
        code, out = run("estimate", "--profile", str(path), "--visit", json.dumps(visit))
        assert code == 0, out
        assert json.loads(out) == jsonapi.estimate("own-test", visit)


def test_a_hand_edited_mistake_in_the_export_is_caught_by_check(tmp_path):
    text = jsonapi.card_profile(CARD)["yaml"].replace('"0.87"', '"1.87"')
    path = tmp_path / "own-test.yaml"
    path.write_text(text, encoding="utf-8")
    code, out = run("check", str(path))
    assert code == 2


def test_a_planner_export_with_the_rule_card_settles_with_the_exported_profile(tmp_path):
    answer = jsonapi.card_profile(CARD)
    profile = tmp_path / "own-test.yaml"
    profile.write_text(answer["yaml"], encoding="utf-8")
    export = {"profile": "own-test", "plan": "employee", "rules": CARD, "start": {"date": "2026-01-01"},
              "visits": [{"date": "2026-03-01", "setting": "inpatient", "level": "tertiary", "total": "80000"}]}
    path = tmp_path / "year.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    code, out = run("year", "--profile", str(profile), "--visits", str(path))
    assert code == 0, out
    jsonapi.use_cards({"own-test": CARD})
    request = {k: v for k, v in export.items() if k not in ("profile", "rules")}
    assert json.loads(out) == jsonapi.year("own-test", request)
