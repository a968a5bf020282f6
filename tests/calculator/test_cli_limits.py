"""The editor CLI bounds what it reads and what it prints: a huge input or a flood of errors ends
with exit 2 and a short zh/en answer, never megabytes of output."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "policies" / "example.yaml"


def run(*args, stdin=b""):
    proc = subprocess.run([sys.executable, "-m", "calculator", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=60)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc.returncode, proc.stdout.decode("utf-8")


def test_input_over_five_megabytes_is_refused_on_stdin_and_from_a_file(tmp_path):
    big = json.dumps({"plan": "resident", "setting": "pharmacy", "total": "1", "pad": "x" * 5_000_000}).encode()
    code, out = run("estimate", "--profile", str(EXAMPLE), "--visit", "-", stdin=big)
    errors = json.loads(out)["errors"]
    assert code == 2 and [(e["field"], e["code"]) for e in errors] == [("visit", "too_large")]
    assert "5 MB" in errors[0]["message"]["en"] and "5 MB" in errors[0]["message"]["zh"]
    path = tmp_path / "year.json"
    path.write_bytes(big)
    code, out = run("year", "--profile", str(EXAMPLE), "--visits", str(path))
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "too_large"


def test_a_flood_of_unknown_fields_prints_a_short_answer():
    visit = {"plan": "resident", "setting": "pharmacy", "total": "1", **{f"x{i}": 1 for i in range(100_000)}}
    code, out = run("estimate", "--profile", str(EXAMPLE), "--visit", "-", stdin=json.dumps(visit).encode())
    errors = json.loads(out)["errors"]
    assert code == 2 and len(errors) == 51 and errors[-1]["code"] == "too_many_errors"
    assert len(out) < 100_000
