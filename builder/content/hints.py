"""Small pieces every content message uses: a "did you mean" for a mistyped id, and one message
per mistake (a misspelt key is one slip, not also a missing field)."""
from __future__ import annotations

import difflib
import re

from builder.content.schema import Problem


def use_one_of(word: str, choices, what: str = "one of") -> str:
    """"did you mean 'lost-card'? (or use one of: ...)" — the closest id first, then the list."""
    choices = list(dict.fromkeys(choices))
    close = closest(word, choices)
    listed = ", ".join(choices) or "(none yet)"
    if close:
        return f"did you mean '{close}'? (the others: {listed})"
    return f"use {what} {listed}"


def closest(word: str, choices) -> str | None:
    found = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


_SUGGESTED = re.compile(r"did you mean '([^']+)'\?")


def one_per_mistake(problems: list[Problem]) -> list[Problem]:
    """Drop "X is missing" where the same block has an unknown key whose suggestion is X: the
    editor misspelt X, and the unknown-key message already names the fix."""
    suggested = set()
    for p in problems:
        m = _SUGGESTED.search(p.fix)
        if p.what.startswith("unknown key") and m:
            suggested.add(p.path[:-1] + (m.group(1),))
    return [p for p in problems if not (p.what == "is missing" and p.path in suggested)]
