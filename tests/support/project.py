"""The repository under test, and throwaway copies of it that a test may break."""
from __future__ import annotations

from pathlib import Path

from builder.dev.budgets import project_copy

ROOT = Path(__file__).resolve().parents[2]


def copy_project(dest: Path) -> Path:
    """A copy of what a build reads (content, theme, web, config, code); node_modules and .cache linked."""
    return project_copy(ROOT, dest)
