"""Figures known only after the build (the offline bundle's size): the one place they are written.

A template writes `build.late("bundle_mb")`, which renders a marker; `stage_late_values` replaces
every marker in the built pages and search indexes with ctx.late_values once, after the stages
that measure them, and fails the build if a marker is left or a value has no marker.
"""
from __future__ import annotations

import re
from pathlib import Path

from builder.context import BuildContext, StageError

# Every late value, with what the page shows when the build did not measure it (a `serve` preview
# has no offline bundle).
LATE_VALUES = {"bundle_mb": "—"}
_MARKER = re.compile(r"@@late:([a-z_]+)@@")


def late_marker(name: str) -> str:
    if name not in LATE_VALUES:
        raise KeyError(f"unknown late value {name!r}: add it to LATE_VALUES in builder/pages/late_values.py")
    return f"@@late:{name}@@"


def _files(tree: Path) -> list[Path]:
    return sorted(list(tree.rglob("*.html")) + list(tree.rglob("search_index.js*")))


def write_late_values(tree: Path, values: dict[str, str]) -> dict[str, int]:
    """Replace each marker under `tree`; return how many files each value went into."""
    values = {**LATE_VALUES, **values}
    counts = dict.fromkeys(values, 0)
    for path in _files(tree):
        text = path.read_text(encoding="utf-8")
        if "@@late:" not in text:
            continue
        for name in set(_MARKER.findall(text)):
            if name not in values:
                raise StageError(f"{path}: unknown late value marker @@late:{name}@@")
            counts[name] += 1
        # "13.4 MB" kept on one line (a no-break space) where the text has the unit after it
        text = _MARKER.sub(lambda m: values[m.group(1)], re.sub(r"(@@late:[a-z_]+@@) MB", "\\1\u00a0MB", text))
        path.write_text(text, encoding="utf-8")
    return counts


def stage_late_values(ctx: BuildContext) -> None:
    write_late_values(ctx.site, ctx.late_values)
