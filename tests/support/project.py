"""A throwaway copy of the project for tests that break content or code and build it."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_project(dest: Path) -> Path:
    """A throwaway copy of what a build reads (content, theme, config, code) to break safely."""
    for name in ("content", "theme", "web", "builder", "calculator"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "package.json", "package-lock.json"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, dest / name)
    for name in ("node_modules", ".cache"):      # read-only inputs of later stages (Pyodide runtime)
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)
    return dest
