#!/usr/bin/env python3
"""The one entry point: validate content, generate pages, build and bundle the site.

    python3 build.py                    validate and build the site into site/
    python3 build.py serve [--port N]   preview at http://127.0.0.1:N/ (8000), rebuilt on change
    python3 build.py test [--fast]      run every test (or the quick tier)
    python3 build.py bench [NAME]       run the benchmarks (not tests)
    python3 build.py --help             all commands; `python3 build.py COMMAND --help` for one

Runs with nothing but python3: on first use it creates .venv/ from the pinned,
hash-checked requirements.txt and installs the pinned npm packages from
package-lock.json, then re-runs itself inside .venv/.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _run(cmd: list[str], **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def ensure_python_env() -> None:
    """Create .venv and install requirements.txt once per change of that file."""
    stamp = VENV / ".requirements.sha256"
    want = _digest(ROOT / "requirements.txt")
    if stamp.exists() and stamp.read_text().strip() == want and VENV_PY.exists():
        return
    if not VENV_PY.exists():
        print("Creating .venv (first run only) ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    # pip names each package as it goes, so a first run shows it is working rather than sitting silent.
    print("Installing the pinned Python packages from requirements.txt into .venv/ ...", flush=True)
    _run([str(VENV_PY), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
          "--require-hashes", "-r", str(ROOT / "requirements.txt")])
    stamp.write_text(want)


def missing_node_packages() -> list[str]:
    """Packages package.json depends on that node_modules/ does not hold (a half-removed install)."""
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    names = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    return sorted(n for n in names if not (ROOT / "node_modules" / n / "package.json").is_file())


def ensure_node_env() -> None:
    """Install the pinned npm packages (Pyodide runtime, axe-core) once per lock change, and again
    when one of them has gone missing from node_modules/."""
    stamp = ROOT / "node_modules" / ".package-lock.sha256"
    want = _digest(ROOT / "package-lock.json")
    if stamp.exists() and stamp.read_text().strip() == want:
        missing = missing_node_packages()
        if not missing:
            return
        print(f"node_modules/ lacks {', '.join(missing)}: reinstalling the pinned packages (npm ci) ...", flush=True)
    if shutil.which("npm") is None:
        sys.exit("npm is needed to install the Pyodide runtime (package-lock.json). "
                 "Install Node.js 20+ with npm, then run this again.")
    _run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"])
    stamp.write_text(want)


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def wants_help(argv: list[str]) -> bool:
    return bool(argv) and (argv[0] in ("-h", "--help", "help") or (len(argv) > 1 and argv[1] in ("-h", "--help")))


def main(argv: list[str]) -> int:
    if wants_help(argv):
        # Usage needs nothing installed: the command table is standard library only.
        sys.path.insert(0, str(ROOT))
        from builder.dev.cli import main as builder_main

        return builder_main(["--help"] if argv[0] == "help" else argv)
    if not in_venv():
        ensure_python_env()
        ensure_node_env()
        os.execv(str(VENV_PY), [str(VENV_PY), str(Path(__file__).resolve()), *argv])
    sys.path.insert(0, str(ROOT))
    from builder.dev.cli import main as builder_main

    return builder_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
