"""Builds that overlap or are killed: both of two builds started together finish without a
traceback (the second waits and says so), a build stopped with SIGTERM removes its temporary
folders, and one killed outright has its leftovers removed by the next build."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.project import copy_project

pytestmark = pytest.mark.site_build


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("runs") / "project")


def start_build(project: Path, out: Path) -> subprocess.Popen:
    # --preview: the same driver, lock and clean-up as a full build, in less time.
    return subprocess.Popen([sys.executable, "-m", "builder.dev.cli", "build", "--preview", "--out", str(out)],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def leftovers(project: Path, out: Path) -> list[str]:
    found = list((project / ".build").glob("run-*")) + list(out.parent.glob(f".{out.name}.*"))
    return sorted(p.name for p in found)


def wait_for_work_folder(project: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not list((project / ".build").glob("run-*")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)


def test_two_builds_at_once_both_finish_without_a_traceback(project, tmp_path):
    out = tmp_path / "site"
    first, second = start_build(project, out), start_build(project, out)
    results = [p.communicate(timeout=900) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    errors = "".join(err for _, err in results)
    assert "Traceback" not in errors
    assert "Another build of this project is running" in errors
    assert (out / "index.html").is_file() and leftovers(project, out) == []


def test_sigterm_stops_a_build_and_removes_its_temporary_folders(project, tmp_path):
    out = tmp_path / "site"
    proc = start_build(project, out)
    wait_for_work_folder(project, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Build stopped; the site was not changed." in err and "Traceback" not in err
    assert leftovers(project, out) == [] and not out.exists()


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project, tmp_path):
    out = tmp_path / "site"
    proc = start_build(project, out)
    wait_for_work_folder(project, proc)
    proc.kill()                                  # no chance to clean up
    proc.communicate(timeout=60)
    assert leftovers(project, out)               # what a killed build leaves behind
    done = start_build(project, out)
    _, err = done.communicate(timeout=900)
    assert done.returncode == 0, err
    assert leftovers(project, out) == []
