"""The glossary (content/glossary.yaml): terms defined once, marked where a text uses them.

A content text marks a term in double brackets, "[[起付线]]" or "[[deductible]]": the term's id, or
the term as written in either language. `check_marks` reports a mark that names no defined term
(file:line:field and the fix); `term_ids` gives the lookup the renderer links marks with.
"""
from __future__ import annotations

import re
from typing import Any

from calculator.sourcefile import SourceDocument, format_path

MARK = re.compile(r"\[\[([^\[\]\n]{1,60})\]\]")
GLOSSARY = "glossary.yaml"


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def term_ids(glossary: dict) -> dict[str, str]:
    """Every way a mark may name a term (its id, its zh and en wording, any case) -> the term's id."""
    out = {}
    for term in glossary.get("terms", []):
        out[_key(term["id"])] = term["id"]
        for text in term["term"].values():
            out[_key(text)] = term["id"]
    return out


def resolve(ids: dict[str, str], marked: str) -> str | None:
    return ids.get(_key(marked))


def _strings(node: Any, path: tuple):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, path + (i,))


def check_marks(docs: dict[str, SourceDocument]) -> list[str]:
    """A message for each marked term that the glossary does not define."""
    if GLOSSARY not in docs:
        return []
    ids = term_ids(docs[GLOSSARY].data)
    out = []
    for name, doc in docs.items():
        for path, text in _strings(doc.data, ()):
            for marked in MARK.findall(text):
                if resolve(ids, marked) is None:
                    out.append(f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: the term [[{marked}]] is marked "
                               f"but not defined — add it to content/glossary.yaml (id, term, definition) or remove "
                               f"the double brackets")
    return out
