"""`python3 build.py`: usage that exits 0, a clear refusal of a taken port, and the repair of a
half-removed node_modules/. (Builds themselves: test_build_runs.py.)"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from support.project import ROOT

pytestmark = pytest.mark.fast

BUILD_PY = ROOT / "build.py"


def run(*args: str, cwd: Path = ROOT, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["help"], ["build", "--help"], ["serve", "--help"],
                                  ["test", "--help"], ["bench", "--help"]])
def test_help_prints_usage_and_exits_0(args):
    done = run(str(BUILD_PY), *args)
    assert done.returncode == 0, done.stderr
    assert "usage: python3 build.py" in done.stdout
    assert "Traceback" not in done.stderr


def test_help_lists_every_command():
    out = run(str(BUILD_PY), "--help").stdout
    for command in ("build", "serve", "test", "bench"):
        assert f"    {command}" in out
    assert "--port" in run(str(BUILD_PY), "serve", "--help").stdout
    assert "--fast" in run(str(BUILD_PY), "test", "--help").stdout


def test_unknown_command_is_a_usage_error():
    done = run("-m", "builder.dev.cli", "deploy")
    assert done.returncode == 2 and "invalid choice: 'deploy'" in done.stderr


def test_a_taken_port_is_one_line_and_exit_2_and_builds_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("-m", "builder.dev.cli", "serve", "--port", str(port), timeout=30)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"Port {port}" in lines[0] and "--port N" in lines[0], done.stderr
    assert not (ROOT / ".build" / f"preview-{port}").exists()


def test_a_half_removed_node_modules_is_found(tmp_path, monkeypatch):
    """The stamp says the lock file was installed, but a package folder is gone: build.py sees it
    (and then runs npm ci) instead of trusting the stamp."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_entry", BUILD_PY)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"pyodide": "1", "iframe-worker": "1"},
                                                      "devDependencies": {"axe-core": "1"}}))
    for name in ("pyodide", "axe-core"):
        (tmp_path / "node_modules" / name).mkdir(parents=True)
        (tmp_path / "node_modules" / name / "package.json").write_text("{}")
    (tmp_path / "package-lock.json").write_text("{}")
    (tmp_path / "node_modules" / ".package-lock.sha256").write_text(build._digest(tmp_path / "package-lock.json"))
    monkeypatch.setattr(build, "ROOT", tmp_path)
    assert build.missing_node_packages() == ["iframe-worker"]
    ran = []
    monkeypatch.setattr(build, "_run", lambda cmd, **kw: ran.append(cmd))
    build.ensure_node_env()
    assert ran and ran[0][:2] == ["npm", "ci"]
    (tmp_path / "node_modules" / "iframe-worker").mkdir()
    (tmp_path / "node_modules" / "iframe-worker" / "package.json").write_text("{}")
    assert build.missing_node_packages() == []


def test_the_preview_watches_content_web_code_and_the_chinese_word_list():
    from builder.dev.serve import snapshot
    watched = set(snapshot(ROOT))
    for rel in ("content/home.yaml", "builder/pages/zh_terms.txt", "web/calculator/calculator.js",
                "theme/main.html", "builder/pages/templates/home.md.j2", "calculator/engine.py", "mkdocs.yml"):
        assert str(ROOT / rel) in watched, rel
