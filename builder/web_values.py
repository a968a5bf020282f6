"""The one way build-time values reach JavaScript: a JSON value in place of a marked `null`.

A web/ script that needs a value the build knows writes it as a valid JavaScript literal,

    const CONFIG = /*@build:config@*/null;

so the file runs (and lints) as it is; `fill_values` puts the JSON of each named value in place of
its marker. Every marker must be filled and every value must have its marker, exactly once, or
the build stops: a renamed marker cannot silently ship `null`. The JSON is safe inside an HTML
<script> element and in a JavaScript string context ("<", U+2028 and U+2029 are escaped).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MARKER = re.compile(r"/\*@build:([a-z][a-z0-9_]*)@\*/null")
# Third-party code the build converts and inserts (an expression or statement, not a value).
VENDOR_MARKER = re.compile(r"/\*@vendor:([a-z][a-z0-9_-]*)@\*/null")


class MissingValueMarker(ValueError):
    """A script and the values given for it do not match one to one."""


def as_script_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _check_markers(found: list[str], values: dict, name: str) -> None:
    twice = sorted({m for m in found if found.count(m) > 1})
    missing = sorted(set(values) - set(found))
    unfilled = sorted(set(found) - set(values))
    if twice or missing or unfilled:
        raise MissingValueMarker(
            f"{name}: what the build inserts does not match the script's markers "
            f"(marked twice: {twice or 'none'}; no marker for: {missing or 'none'}; "
            f"no value for: {unfilled or 'none'})")


def fill_values(source: str, values: dict[str, Any], name: str = "script") -> str:
    _check_markers(MARKER.findall(source), values, name)
    return MARKER.sub(lambda m: as_script_json(values[m.group(1)]), source)


def insert_vendored(source: str, code: dict[str, str], name: str = "script") -> str:
    """Put each piece of converted third-party code where its /*@vendor:NAME@*/null marker is."""
    _check_markers(VENDOR_MARKER.findall(source), code, name)
    return VENDOR_MARKER.sub(lambda m: code[m.group(1)], source)


def filled_file(path: Path, values: dict[str, Any]) -> str:
    return fill_values(path.read_text(encoding="utf-8"), values, str(path))
