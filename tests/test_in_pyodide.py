"""The calculator's engine tests, run with real pytest + hypothesis inside Pyodide under Node.

The runtime under test is the one the site ships (builder.pyodide_runtime.stage_runtime: the
precompiled, trimmed stdlib and calculator.zip). See tests/pyodide/run_engine_tests.mjs.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from builder.runtime.package import stage_runtime

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "pyodide" / "run_engine_tests.mjs"
SITE_PACKAGES = sysconfig.get_paths()["purelib"]


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    if shutil.which("node") is None:
        pytest.fail("node (Node.js 20+) is needed to run the engine tests inside Pyodide")
    dest = tmp_path_factory.mktemp("pyodide")
    stage_runtime(ROOT, dest)
    return dest


def run_in_pyodide(staged: Path, tests_dir: Path) -> tuple[dict, str]:
    proc = subprocess.run(["node", str(RUNNER), str(staged), str(tests_dir), SITE_PACKAGES],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        pytest.fail(f"the Pyodide test runner printed no result (exit {proc.returncode}):\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return result, proc.stdout + proc.stderr


def test_engine_tests_pass_inside_pyodide(staged):
    result, log = run_in_pyodide(staged, ROOT / "tests" / "calculator")
    sys.stdout.write(f"inside Pyodide: {result}\n")
    summary = (f"inside Pyodide: {result.get('passed')} passed, {result.get('failed')} failed, "
               f"{result.get('errors')} errors of {result.get('collected')} collected "
               f"from {result.get('files')}\n{log[-8000:]}")
    assert result["exitcode"] == 0, summary
    assert result["failed"] == 0 and result["errors"] == 0, summary
    for name in ("test_invariants.py", "test_invariants_v2.py", "test_engine_v2.py", "test_engine_year.py",
                 "test_jsonapi.py", "test_jsonapi_card.py"):
        assert name in result["files"], f"{name} must run in Pyodide\n" + summary
    assert result["passed"] == result["collected"] - result["skipped"] > 0, summary


def test_runner_reports_failures(staged, tmp_path):
    """A failing assertion and a falsified property inside Pyodide must fail the run."""
    (tmp_path / "test_engine_broken.py").write_text(textwrap.dedent("""
        def test_passes():
            assert 1 + 1 == 2
        def test_fails():
            assert sum([1, 2]) == 4
    """))
    (tmp_path / "test_invariants.py").write_text(textwrap.dedent("""
        from hypothesis import given, strategies as st
        @given(st.integers())
        def test_falsified(n):
            assert n < 1000
    """))
    result, log = run_in_pyodide(staged, tmp_path)
    assert result["exitcode"] == 1, log
    assert (result["passed"], result["failed"], result["collected"]) == (1, 2, 3), log
    assert "n=1000" in log, log  # hypothesis shrank the counterexample to the boundary
