"""The content schema (docs/content-schema.md) as data, and a validator for it.

Each content file is described by a tree of small field types (Text, Date, ...).
`check(doc, spec)` walks a SourceDocument and returns every problem it finds as a
`Problem` (path into the data + what is wrong + how to fix it); content.py turns
them into "file:line: field: what — how to fix" messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from builder.site_layout import LANGS, LANGUAGE_SETTINGS
from calculator.card import TEXT_KEYS as CARD_TEXT_KEYS

# A '<' followed by a letter, '/', '!' or '?' starts HTML markup; plain "a < b" is allowed.
HTML_TAG = re.compile(r"<\s*[A-Za-z/!?]")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# https only; no spaces, quotes, angle brackets or parentheses (they would break Markdown links).
HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'()\\]*)?$")


@dataclass(frozen=True)
class Problem:
    path: tuple
    what: str
    fix: str


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        return "a whole number"
    if value is None:
        return "nothing (empty)"
    if isinstance(value, str):
        return "text"
    return "a number"


def _check_plain_text(value: str, path: tuple, out: list[Problem]) -> None:
    if HTML_TAG.search(value):
        out.append(Problem(path, "contains HTML markup (" + HTML_TAG.search(value).group(0) + "...)",
                           "write plain text; the site adds all formatting itself"))


class Field:
    def check(self, value: Any, path: tuple, out: list[Problem]) -> None:
        raise NotImplementedError

    example = "a value"


class Str(Field):
    """Plain non-empty text in one language (used where the schema says `str`)."""
    example = "some text"

    def check(self, value, path, out):
        if not isinstance(value, str):
            out.append(Problem(path, f"should be text, not {_type_name(value)}",
                               "write the text after the colon (quote it if it starts with a special character)"))
            return
        if not value.strip():
            out.append(Problem(path, "is empty", "write the text"))
            return
        _check_plain_text(value, path, out)


class Text(Field):
    """{zh: ..., en: ...}, both non-empty plain text."""
    example = "{zh: 中文, en: English}"

    def check(self, value, path, out):
        if isinstance(value, str):
            out.append(Problem(path, "is a single text, but every user-facing text needs zh and en",
                               "write it as {zh: 中文, en: English} or as two indented lines zh: ... and en: ..."))
            return
        if not isinstance(value, dict):
            out.append(Problem(path, f"should be a zh/en pair, not {_type_name(value)}",
                               "write it as {zh: 中文, en: English}"))
            return
        for lang in LANGS:
            if lang not in value:
                name = f"{LANGUAGE_SETTINGS[lang]['english_name']} ({lang})"
                out.append(Problem(path, f"the {name} text is missing",
                                   f"add `{lang}: ...` next to the other language"))
            else:
                Str().check(value[lang], path + (lang,), out)
        for key in value:
            if key not in LANGS:
                out.append(Problem(path + (key,), f"unknown language key '{key}'",
                                   f"only {' and '.join(LANGS)} are used; check the spelling"))


class Date(Field):
    example = "2026-11-24"

    def check(self, value, path, out):
        if not isinstance(value, str) or not DATE.match(value):
            out.append(Problem(path, f"should be a date like 2026-11-24, not {value!r}",
                               "write the date as YYYY-MM-DD"))
            return
        import datetime
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            out.append(Problem(path, f"{value} is not a real calendar date", "correct the day or month"))


class SourceDate(Field):
    """When a source was published: a full date, or only the year or month where that is all it gives."""
    example = "2024-08-26"
    described = "date (YYYY-MM-DD, or YYYY-MM or YYYY where the source gives no day)"

    def check(self, value, path, out):
        if not isinstance(value, str) or not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
            out.append(Problem(path, f"should be a date like 2024-08-26 (or 2024-08, or 2024), not {value!r}",
                               "write YYYY-MM-DD, or YYYY-MM / YYYY where the source gives no day"))
        elif len(value) == 10:
            Date().check(value, path, out)
        elif len(value) == 7 and not 1 <= int(value[5:]) <= 12:
            out.append(Problem(path, f"{value} has no such month", "correct the month"))


class Choice(Field):
    def __init__(self, *values: str):
        self.values = values
        self.example = values[0]
        self.described = "one of " + ", ".join(values)

    def check(self, value, path, out):
        if value not in self.values:
            out.append(Problem(path, f"should be one of {', '.join(self.values)}, not {value!r}",
                               f"write one of: {', '.join(self.values)}"))


# How far a source can be trusted (the labels of the facts files under /work/shared/data).
SOURCE_KINDS = ("official", "official-reprint", "news", "local-portal", "farm", "repo")


class Slug(Field):
    example = "bank-outlet"

    def check(self, value, path, out):
        if not isinstance(value, str) or not SLUG.match(value):
            out.append(Problem(path, f"should be a short id of lowercase letters, digits and dashes, not {value!r}",
                               "use something like bank-outlet"))


class Int(Field):
    example = "8"

    def check(self, value, path, out):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Problem(path, f"should be a whole number, not {_type_name(value)}",
                               "write a number without quotes, e.g. 8"))


class HttpsUrl(Field):
    example = "https://www.nhsa.gov.cn/"

    def check(self, value, path, out):
        if not isinstance(value, str) or not HTTPS_URL.match(value):
            out.append(Problem(path, f"should be an https:// address, not {value!r}",
                               "copy the full address starting with https:// (no spaces or brackets)"))


class SiteUrl(HttpsUrl):
    """The address the site is published at: https, ending in "/"."""
    example = "https://guide.example.cn/"

    def check(self, value, path, out):
        before = len(out)
        super().check(value, path, out)
        if len(out) == before and not value.endswith("/"):
            out.append(Problem(path, f"should end with '/', not {value!r}", f"write {value}/"))


REPORT_MAILTO = re.compile(r"""^mailto:[^\s<>"'()@]+@[^\s<>"'()@]+\.[a-z]{2,}$""")


class ReportAddress(Field):
    """Where residents send a wrong figure: an https:// link or a mailto: address."""
    example = "mailto:corrections@example.cn"

    def check(self, value, path, out):
        if isinstance(value, str) and (HTTPS_URL.match(value) or REPORT_MAILTO.match(value)):
            return
        out.append(Problem(path, f"should be an https:// link or a mailto: address, not {value!r}",
                           "write e.g. mailto:corrections@example.cn or https://example.cn/corrections"))


class List(Field):
    def __init__(self, item: Field, min_items: int = 1):
        self.item, self.min_items = item, min_items

    def check(self, value, path, out):
        if not isinstance(value, list):
            out.append(Problem(path, f"should be a list, not {_type_name(value)}",
                               "start each item on its own line with '- '"))
            return
        if len(value) < self.min_items:
            out.append(Problem(path, "the list is empty", "add at least one item (a line starting with '- ')"))
        for i, item in enumerate(value):
            self.item.check(item, path + (i,), out)


class Map(Field):
    """A block with fixed keys; `optional` names the keys that may be left out."""

    def __init__(self, fields: dict[str, Field], optional: tuple[str, ...] = ()):
        self.fields, self.optional = fields, optional

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append(Problem(path, f"should be a block of fields ({', '.join(self.fields)}), "
                                     f"not {_type_name(value)}",
                               "indent the fields under this key"))
            return
        for key, field in self.fields.items():
            if key in value:
                field.check(value[key], path + (key,), out)
            elif key not in self.optional:
                out.append(Problem(path + (key,), "is missing",
                                   f"add `{key}: {field.example}`"))
        for key in value:
            if key not in self.fields:
                close = _closest(str(key), list(self.fields))
                hint = f"did you mean '{close}'?" if close else f"allowed keys: {', '.join(self.fields)}"
                out.append(Problem(path + (key,), f"unknown key '{key}'", hint))

    @property
    def example(self):
        return "(an indented block)"


class Dict(Field):
    """Free keys (slugs or identifiers), each holding the same kind of value."""

    def __init__(self, value: Field):
        self.value = value

    example = "(an indented block)"

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append(Problem(path, f"should be a block of named entries, not {_type_name(value)}",
                               "indent entries under this key as name: value"))
            return
        for key, item in value.items():
            if not isinstance(key, str) or not re.match(r"^[a-z][a-z0-9_]*$", key):
                out.append(Problem(path + (key,), f"the key {key!r} is not a valid name",
                                   "use lowercase letters, digits and underscores"))
            self.value.check(item, path + (key,), out)


class AnyMap(Field):
    """A block whose fields another part checks (e.g. a visit, checked by the engine)."""
    example = "(an indented block)"

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append(Problem(path, f"should be a block of fields, not {_type_name(value)}",
                               "indent the fields under this key"))


def _closest(word: str, choices: list[str]) -> str | None:
    import difflib
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


# --- one spec per content file (CONTENT_SCHEMA.md) -------------------------------------------

T = Text()
TEXTS = List(T)
STEP_BLOCK = Map({"intro": T, "steps": TEXTS, "points": TEXTS, "estimate_link": T},
                 optional=("estimate_link",))

SPECS: dict[str, Field] = {
    "site.yaml": Map({"name": T, "description": T, "disclaimer": T, "site_url": SiteUrl(),
                      "report_wrong_figure": ReportAddress()},
                     optional=("site_url", "report_wrong_figure")),
    "rules.yaml": Map({"strings": Dict(T)}),
    "glossary.yaml": Map({"intro": T, "reviewed": Date(), "terms": List(Map({"id": Slug(), "term": T, "definition": T}))}),
    "next.yaml": Map({"items": List(Map({"when": Slug(), "page": Slug(), "anchor": Slug(), "text": T},
                                        optional=("anchor",))),
                      "strings": Dict(T)}),
    "strings.yaml": Map({"strings": Dict(T)}),
    "sources.yaml": Map({"sources": List(Map(
        {"id": Slug(), "title": T, "publisher": T, "url": HttpsUrl(), "note": T,
         "kind": Choice(*SOURCE_KINDS), "date": SourceDate()}, optional=("note", "kind", "date")))}),
    "pages.yaml": Map({"pages": List(Map(
        {"id": Slug(), "title": T, "nav": T, "description": T, "reviewed": Date(), "sources": List(Slug())},
        optional=("nav",)))}),
    # groups (optional): headings the home page sorts its tasks under, each task naming its group.
    "home.yaml": Map({"intro": T, "groups": List(Map({"id": Slug(), "title": T})),
                      "tasks": List(Map({"page": Slug(), "title": T, "text": T, "group": Slug()},
                                        optional=("group",)))}, optional=("groups",)),
    "activation.yaml": Map({
        "intro": T,
        "methods": List(Map({"id": Slug(), "title": T, "where": T, "bring": TEXTS, "steps": TEXTS,
                             "after": T, "note": T}, optional=("note",))),
        "electronic_card": Map({"title": T, "intro": T, "points": TEXTS}),
        "local_variations": Map({"title": T, "points": TEXTS}),
    }),
    "usage.yaml": Map({"hospital": STEP_BLOCK, "pharmacy": STEP_BLOCK}),
    "functions.yaml": Map({"intro": T, "functions": List(Map({"id": Slug(), "title": T, "text": T}))}),
    "legal.yaml": Map({
        "law": Map({"title": T, "adopted": Date(), "adopted_by": T, "in_force": Date(),
                    "amendments": List(Map({"date": Date(), "by": T}), min_items=0)}),
        "articles": List(Map({"number": Int(), **{lang: Str() for lang in LANGS}})),
        "related": List(Map({"number": Int(), "summary": T}), min_items=0),
        "notes": List(T, min_items=0),
    }),
    "calculator.yaml": Map({
        "strings": Dict(T),
        "rules": Map({"title": T, "steps": TEXTS, "example_title": T, "example_intro": T}),
        "example": Map({"profile": Slug(), "visit": AnyMap()}),
    }),
    "planner.yaml": Map({"strings": Dict(T), "no_js": T}),
    # One label (and optional hint) for each control of the rule card, named as calculator/card.py names them.
    "my-rules.yaml": Map({"no_js": T, "strings": Dict(T), "shared": Dict(T), "fields": Map(
        {key: Map({"label": T, "hint": T}, optional=("hint",)) for key in CARD_TEXT_KEYS})}),
    "offline.yaml": Map({
        "intro": T,
        "app": Map({"title": T, "text": T, "runtime": T, "save": T, "progress": T, "saved": T,
                    "failed": T, "unsupported": T, "updates": T}),
        "bundle": Map({"title": T, "text": T, "download": T, "steps": TEXTS, "in_bundle": T}),
        "notice": Map({"updated": T, "reload": T}),
    }),
}
