"""The quick tier takes only tests that say they are quick, and refuses a quick test that is not."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast
TESTS = Path(__file__).resolve().parents[1]

SAMPLE = '''
import pytest
from hypothesis import given, strategies as st

@pytest.fixture
def browser():
    yield None

@pytest.mark.fast
def test_quick():
    pass

def test_unmarked():
    pass

@pytest.mark.fast
def test_quick_with_a_browser(browser):
    pass

@pytest.mark.fast
@given(st.integers())
def test_quick_with_hypothesis(n):
    pass
'''


def collect(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(source, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    fast: quick\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           "-p", "support.tiers", "-m", "fast", "test_sample.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          # No plugin autoload: only this check runs (and starts faster).
                          env={"PYTHONPATH": str(TESTS), "PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


def test_a_quick_test_that_starts_a_browser_or_runs_hypothesis_is_refused(tmp_path):
    done = collect(tmp_path, SAMPLE)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "test_quick_with_a_browser: marked fast but uses browser" in done.stderr
    assert "test_quick_with_hypothesis: marked fast but uses hypothesis" in done.stderr
    assert "test_quick:" not in done.stderr


def test_only_tests_marked_fast_are_in_the_quick_tier(tmp_path):
    quick_only = SAMPLE.split("@pytest.mark.fast\ndef test_quick_with_a_browser")[0].replace(
        "from hypothesis import given, strategies as st\n", "")
    done = collect(tmp_path, quick_only)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_sample.py::test_quick\n" in done.stdout
    assert "test_unmarked" not in done.stdout
