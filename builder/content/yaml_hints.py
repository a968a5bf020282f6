"""Plain messages for YAML syntax errors: what is wrong on the line and the exact fix.

    message = explain(exc, text)     # "content/home.yaml:3: not valid YAML: ... — ..."

The parser's own words ("mapping values are not allowed here") mean nothing to an editor; the
line's text usually shows which of a few everyday slips it was (a tab, a colon inside text, an
unclosed quote or bracket, a line indented differently from its neighbours).
"""
from __future__ import annotations

import re

from calculator.sourcefile import SourceError

GENERAL_FIX = "fix the YAML at that line (indentation, a missing colon, unbalanced quotes)"

# "key: value" or "- key: value"; the value is what follows the first ": ".
KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):\s+(.*)$")


def explain(exc: SourceError, text: str) -> str:
    """The message for a file that is not valid YAML, with the fix for that line."""
    what, fix = _diagnose(exc.message, text.splitlines(), exc.line)
    return f"{exc.file}:{exc.line}: not valid YAML: {what} — {fix}"


def _quoted(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _quote_fix(line: str) -> str | None:
    """`title: a: b` -> `title: "a: b"`: the whole value in quotes."""
    m = KEY_VALUE.match(line)
    if not m or not m.group(3).strip():
        return None
    lead, key, value = m.groups()
    return f"{lead.strip() + ' ' if lead.strip() else ''}{key}: {_quoted(value.rstrip())}"


def _diagnose(problem: str, lines: list[str], line_no: int) -> tuple[str, str]:
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    problem = problem.removeprefix("not valid YAML: ")
    if "\t" in line[:len(line) - len(line.lstrip())] or "'\\t'" in problem:
        return ("the line is indented with a tab",
                "use spaces instead of the tab (two spaces per level, like the lines around it)")
    start = re.search(r"found character '(.)' that cannot start any token", problem)
    if start or "found undefined alias" in problem:
        char = start.group(1) if start else "*"
        fixed = _quote_fix(line)
        return (f"a text starts with {char}, which YAML reads as a special character",
                f"put it in quotes: {fixed}" if fixed else "put the text in quotes")
    if "mapping values are not allowed" in problem:
        m = KEY_VALUE.match(line)
        if m and ": " in m.group(3) + " ":
            fixed = _quote_fix(line)
            return ("the text contains a colon followed by a space (': '), which YAML reads as a new field",
                    f"put it in quotes: {fixed}")
        return ("this line is indented differently from the lines it belongs with, or the line above "
                "lacks its colon",
                "line it up with the fields at the same level (spaces only), and end a key with ':'")
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closer = "]" if "']'" in problem else "}"
        return (f"a bracket is opened with {'[' if closer == ']' else '{'} but never closed",
                f"add {closer} at its end, or put the text in quotes if it merely starts with a bracket")
    if "end of stream" in problem and _open_quote(lines):
        n, quote = _open_quote(lines)
        return (f"the quote {quote} opened on line {n} is never closed",
                f"add the closing {quote} at the end of that text on line {n}")
    if "but found '<scalar>'" in problem:
        fixed = _quote_fix(line)
        return ("more text follows a closing quote",
                (f"put the whole text in one pair of quotes: {fixed}" if fixed else
                 "put the whole text in one pair of quotes")
                + " (inside '...' write an apostrophe as '')")
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return ("this line is indented differently from the lines it belongs with (or a line lacks its colon)",
                "line it up with the fields at the same level, using spaces only; write each field as key: value")
    return problem, GENERAL_FIX


def _open_quote(lines: list[str]) -> tuple[int, str] | None:
    """The first line whose value opens a quote it does not close."""
    for n, line in enumerate(lines, 1):
        m = KEY_VALUE.match(line)
        value = (m.group(3) if m else line.strip().removeprefix("- ")).strip()
        for quote in ('"', "'"):
            if value.startswith(quote) and (len(value) == 1 or not value.rstrip().endswith(quote)):
                return n, quote
    return None
