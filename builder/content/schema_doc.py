"""docs/content-schema.md, written from the schema in code so the two cannot drift apart.

    .venv/bin/python -m builder.content.schema_doc > docs/content-schema.md

tests/structure/test_contracts.py fails when the file in docs/ differs from this output.
"""
from __future__ import annotations

import sys

from builder.content.guide import FOLDER_DOCS, FOLDERS
from builder.content.load import REQUIRED_CALCULATOR_STRINGS, REQUIRED_PAGES, OPTIONAL_PAGES, REQUIRED_STRINGS
from builder.content.schema import (AnyMap, Date, Dict, Field, HttpsUrl, Int, List, Map, SPECS, Slug, Str,
                                    Text)

INTRO = """# Content schema

Every file under `content/` is checked against this schema before anything is built
(`builder/content/schema.py`, cross-references in `builder/content/load.py`). A problem is
reported as `content/FILE:LINE: field.path: what is wrong — how to fix it`, and the build stops
with exit status 2, leaving the last good site in place. This page is generated from the code:
`.venv/bin/python -m builder.content.schema_doc > docs/content-schema.md`.

Value kinds:

- **text pair**: `{zh: 中文, en: English}`, both present, non-empty, plain text (no HTML; the
  site escapes every string, in text and in attributes).
- **text**: plain text in one language.
- **id**: lowercase letters, digits and dashes (`bank-outlet`).
- **date**: `YYYY-MM-DD`, a real calendar date.
- **https address**: starts with `https://`, no spaces, quotes, brackets.
- Placeholders: a string may contain `{name}` where the code supplies a value (for example
  `{number}` in `strings.article`). A placeholder the code does not supply, a stray `{` or `}`,
  or a placeholder present in one language but not the other is reported with its file and line.
  Write `{{` and `}}` for literal braces.

Policy profiles (`content/policies/*.yaml`) follow `docs/settlement-rules.md` and are checked
by the calculator's own loader.
"""


# What each simple field type is called on the page (Text before Str: a pair, not one text).
SIMPLE_KINDS = {Text: "text pair", Str: "text", Slug: "id", Date: "date", Int: "whole number",
                HttpsUrl: "https address",
                AnyMap: "block checked by the calculator (a visit, see docs/settlement-rules.md)"}


def kind(field: Field) -> str:
    if isinstance(field, List):
        least = "" if field.min_items else ", may be empty"
        item = "entries, each with:" if isinstance(field.item, Map) else kind(field.item)
        return f"list of {item}{least}"
    if isinstance(field, Dict):
        return f"named entries, each a {kind(field.value)}"
    if isinstance(field, Map):
        return "block with:"
    # A field type may say what it is itself (a choice of words, a true/false, a partial date).
    return getattr(field, "described", None) or SIMPLE_KINDS.get(type(field), type(field).__name__)


def fields(field: Field, depth: int) -> list[str]:
    while isinstance(field, List):
        field = field.item
    if not isinstance(field, Map):
        return []
    lines = []
    for name, sub in field.fields.items():
        optional = " (optional)" if name in field.optional else ""
        lines.append(f"{'  ' * depth}- `{name}`: {kind(sub)}{optional}")
        lines += fields(sub, depth + 1)
    return lines


def schema_markdown() -> str:
    out = [INTRO]
    for name, spec in SPECS.items():
        out.append(f"## content/{name}\n")
        out += fields(spec, 0)
        out.append("")
    for folder, spec in FOLDERS.items():
        out.append(f"## content/{folder}/*.yaml\n")
        out.append(FOLDER_DOCS[folder] + "\n")
        out += fields(spec, 0)
        out.append("")
    out.append("## Required entries\n")
    out.append(f"- Pages (`pages.yaml`, first must be `home`): {', '.join(REQUIRED_PAGES)}; "
               f"optional: {', '.join(OPTIONAL_PAGES)}. Each has `builder/pages/templates/<id>.md.j2`.")
    out.append("- `strings.yaml` strings:")
    out += [f"  - `{key}`: {purpose}" for key, purpose in REQUIRED_STRINGS.items()]
    out.append("- `calculator.yaml` strings:")
    out += [f"  - `{key}`: {purpose}" for key, purpose in REQUIRED_CALCULATOR_STRINGS.items()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_markdown())
