"""The interface strings the code fills in or looks up, and the checks that keep content in step.

- PLACEHOLDERS: for each string that has `{name}` placeholders, the names the code supplies. A
  placeholder not in the list (a typo), a stray `{` or `}`, or a placeholder present in one
  language but not the other is a content error with file:line:field, never a traceback.
- The keys of content/calculator.yaml `strings`: the label and hint keys calculator/fields.py names
  for each visit input and result figure (a field shown only in the planner has its strings in
  planner.yaml), `status_<status>` for each profile status, `warning_<code>` for each of the engine's
  warning codes, and PAGE_STRINGS, the page's own texts. Each must have a text; a key nothing uses
  is reported, so a dead string cannot linger.
A page that starts using a new string or placeholder adds it here (and to the content); a new field
brings its keys with it.
"""
from __future__ import annotations

import difflib
import string

from calculator.sourcefile import SourceDocument, format_path

from builder.site_layout import LANGS

# file -> (path inside the file) -> placeholder names the code fills in.
PLACEHOLDERS: dict[str, dict[tuple, frozenset[str]]] = {
    "strings.yaml": {("strings", "article"): frozenset({"number"})},
    "offline.yaml": {
        ("app", "runtime"): frozenset({"size"}),
        ("app", "save"): frozenset({"size"}),
        ("app", "progress"): frozenset({"done", "total"}),
        ("app", "failed"): frozenset({"reason"}),
        ("bundle", "download"): frozenset({"size"}),
    },
    "calculator.yaml": {
        ("strings", "headline"): frozenset({"patient_share", "account", "cash", "balance_after"}),
        ("strings", "profile_reviewed"): frozenset({"date"}),
        ("strings", "loading"): frozenset({"size"}),
        ("strings", "loading_progress"): frozenset({"done", "size"}),
        ("strings", "loading_slow"): frozenset({"seconds"}),
        ("strings", "failed"): frozenset({"reason"}),
        ("strings", "headline_family"): frozenset({"patient_share", "account", "cash", "balance_after"}),
        ("strings", "headline_none"): frozenset({"patient_share"}),
        ("strings", "headline_no_balance"): frozenset({"patient_share"}),
        ("strings", "layer_base"): frozenset({"layer"}),
        ("strings", "layer_paid"): frozenset({"layer"}),
        ("strings", "location_result"): frozenset({"location"}),
        ("strings", "ratio_sentence"): frozenset({"percent", "ratio"}),
        ("strings", "profile_examples"): frozenset({"count"}),
        ("strings", "source_kind"): frozenset({"kind"}),
        ("strings", "link_unknown_profile"): frozenset({"value"}),
        ("strings", "link_unknown_plan"): frozenset({"value"}),
        ("strings", "link_not_offered"): frozenset({"field", "value"}),
        ("strings", "link_unknown_layer"): frozenset({"value"}),
    },
    "rules.yaml": {
        ("strings", key): frozenset(names) for key, names in {
            "title": {"name"}, "description": {"name"}, "intro": {"name"}, "yuan": {"amount"},
            "points": {"points"}, "band_upto": {"low", "high"}, "band_open": {"low"}, "credit_rate": {"rate"},
            "ratio_times": {"factor"}, "away_deductible": {"amounts"}, "stale": {"date"}, "built": {"date"},
        }.items()
    },
    "next.yaml": {
        ("strings", "copy_visit"): frozenset({"region", "plan"}),
        ("strings", "copy_setting"): frozenset({"setting"}),
        ("strings", "copy_total"): frozenset({"amount"}),
        ("strings", "copy_fund"): frozenset({"amount"}),
        ("strings", "copy_top_ups"): frozenset({"amount"}),
        ("strings", "copy_share"): frozenset({"amount"}),
        ("strings", "copy_cash"): frozenset({"account", "cash"}),
        ("strings", "copy_link"): frozenset({"url"}),
    },
    "planner.yaml": {
        ("strings", "edit_title"): frozenset({"n"}),
        ("strings", "visit_label"): frozenset({"n"}),
        ("strings", "carried_admission"): frozenset({"n"}),
        ("strings", "carried_deductible"): frozenset({"amount"}),
        ("strings", "carried_fund"): frozenset({"amount"}),
        ("strings", "carried_policy_range"): frozenset({"amount"}),
        ("strings", "carried_layer"): frozenset({"layer", "base", "paid"}),
        ("strings", "carried_credit"): frozenset({"amount"}),
        ("strings", "carried_balance"): frozenset({"amount"}),
        ("strings", "import_bad"): frozenset({"reason"}),
        ("strings", "import_no_profile"): frozenset({"value"}),
        ("strings", "import_done"): frozenset({"count"}),
        ("strings", "import_too_many"): frozenset({"count", "max"}),
        ("strings", "import_too_large"): frozenset({"mb"}),
        ("strings", "stored_gone_profile"): frozenset({"value", "count"}),
        ("strings", "stored_gone_plan"): frozenset({"value", "count", "region"}),
        ("strings", "stored_choose_plan"): frozenset({"count"}),
        ("strings", "errors_in_visit"): frozenset({"n", "date", "message"}),
        ("strings", "year_heading"): frozenset({"from"}),
        ("strings", "date_understood"): frozenset({"date"}),
    },
    "my-rules.yaml": {
        **{("strings", key): frozenset({"name"}) for key in (
            "delete_confirm", "saved", "deleted", "renamed", "loaded", "filled", "import_done")},
        ("strings", "import_bad"): frozenset({"reason"}),
        ("shared", "own_option"): frozenset({"name"}),
        ("shared", "own_entered"): frozenset({"date"}),
        ("shared", "own_result_title"): frozenset({"title"}),
    },
}

# The calculator page's own strings, beside the labels and hints of its fields (calculator/fields.py),
# each looked up by this very name in web/calculator/, web/planner/ or the calculator templates.
PAGE_STRINGS = frozenset({
    "breakdown_title", "calc_error", "calculate", "col_amount", "col_explain", "col_item", "earlier",
    "earlier_hint", "errors_title", "failed", "failed_offline", "form_title", "headline", "headline_family",
    "headline_no_balance", "headline_none", "intro", "link_choose", "link_not_offered", "link_unknown_layer",
    "link_unknown_plan", "link_unknown_profile", "loading",
    "loading_progress", "loading_slow", "loading_starting", "location_result", "no_js", "planner_link", "print",
    "printed_from", "profile", "profile_examples", "profile_examples_none",
    "profile_reviewed", "ready", "required_mark", "result_empty", "result_title",
    "source_kind", "summary_title", "top_ups_title", "warning_other", "warnings_title",
})
# The short form: choices it waits for, what a plan cannot estimate, the "more from your bill" group
# and its picture of a settlement slip.
PAGE_STRINGS |= frozenset({
    "level_choose", "result_need_level", "choose_region", "result_need_region", "not_offered_settings",
    "not_offered_levels", "fund_not_pooled", "more", "more_hint", "slip_title", "slip_desc", "slip_head",
    "slip_name", "slip_total", "slip_self", "slip_first_pay", "slip_fund", "slip_account", "slip_cash",
    "slip_to_form", "slip_to_result", "earlier_planner",
})
PLACEHOLDERS["calculator.yaml"].update({
    ("strings", "not_offered_settings"): frozenset({"settings"}),
    ("strings", "not_offered_levels"): frozenset({"setting", "levels"}),
})
# Files whose every string is an interface string: braces in them are placeholders or mistakes.
UI_FILES = ("strings.yaml", "offline.yaml", "calculator.yaml", "planner.yaml", "my-rules.yaml", "rules.yaml",
            "next.yaml")


def engine_warning_codes() -> frozenset[str]:
    """Every warning code the engine can put in an estimate (its public list)."""
    import calculator

    return frozenset(calculator.WARNING_CODES)


def _closest(word: str, choices) -> str:
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{found[0]}'?" if found else ""


def placeholders_of(text: str) -> list[str]:
    """The {names} in text; ValueError for a stray brace ({{ and }} are literal braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _texts(node, path: tuple):
    """(path, {zh, en}) for every language pair under node."""
    if isinstance(node, dict) and set(node) == set(LANGS) and all(isinstance(v, str) for v in node.values()):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, path + (i,))


def check_placeholders(doc: SourceDocument, name: str) -> list[str]:
    out = []

    def err(path: tuple, what: str, fix: str) -> None:
        out.append(f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: {what} — {fix}")

    allowed_by_path = PLACEHOLDERS.get(name, {})
    for path, pair in _texts(doc.data, ()):
        allowed = allowed_by_path.get(path, frozenset())
        shown = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none here"
        found: dict[str, set[str]] = {}
        for lang in LANGS:
            try:
                names = placeholders_of(pair[lang])
            except ValueError:
                err(path + (lang,), "has a stray { or } (a placeholder is written {name})",
                    f"close or remove the brace; write {{{{ or }}}} for a brace shown as text (placeholders: {shown})")
                continue
            found[lang] = set(names)
            for unknown in sorted(set(names) - allowed):
                hint = _closest(unknown, allowed)
                err(path + (lang,), f"unknown placeholder {{{unknown}}}",
                    (hint + " " if hint else "") + f"the page fills in only: {shown}")
        if len(found) == len(LANGS):
            for lang, other in ((lang, other) for lang in LANGS for other in LANGS if other != lang):
                for missing in sorted((found[other] - found[lang]) & allowed):
                    err(path + (lang,), f"has no {{{missing}}}, but the {other} text has it",
                        f"put {{{missing}}} where the value belongs in the {lang} text too")
    return out


def field_keys() -> tuple[dict[str, str], dict[str, str]]:
    """The strings keys of calculator/fields.py, {key: field}: those in calculator.yaml and those in
    planner.yaml (fields only the planner shows)."""
    from calculator.fields import FIGURES, INPUTS

    calc: dict[str, str] = {}
    planner: dict[str, str] = {}
    for f in INPUTS:
        home = planner if f.forms == ("planner",) else calc
        for key in f.keys():
            home.setdefault(key, f.name)
    for g in FIGURES:
        for key in g.keys():
            calc.setdefault(key, g.name)
    return calc, planner


def _status_keys() -> frozenset[str]:
    from calculator.profile import STATUSES

    return frozenset(f"status_{status}" for status in STATUSES)


def check_calculator_strings(doc: SourceDocument, warning_codes: frozenset[str],
                             planner: SourceDocument | None = None) -> list[str]:
    strings = doc.data.get("strings", {})
    fields, planner_fields = field_keys()
    warning_keys = {f"warning_{code}" for code in warning_codes}
    needed = {**{key: f"the page's {field}" for key, field in fields.items()},
              **{key: "a region's status" for key in _status_keys()},
              **{key: "the page" for key in PAGE_STRINGS}}
    known = set(needed) | warning_keys
    out = []
    for key in strings:
        if key not in known:
            hint = _closest(key, known)
            out.append(f"{doc.file}:{doc.line_of(('strings', key))}: strings.{key}: unknown key '{key}' — "
                       f"{hint or 'nothing on the calculator or planner page uses it; remove it'}"
                       f"{' (the keys it uses are listed in builder/content/ui_strings.py)' if hint else ''}")
    for key in sorted(set(needed) - set(strings)):
        out.append(f"{doc.file}:{doc.line_of(('strings',))}: strings: {needed[key]} needs the text '{key}' "
                   f"— add `{key}: {{zh: ..., en: ...}}`")
    for key in sorted(warning_keys - set(strings)):
        out.append(f"{doc.file}:{doc.line_of(('strings',))}: strings: the engine can warn '{key[8:]}' but there "
                   f"is no text for it — add `{key}: {{zh: ..., en: ...}}`")
    if planner is not None:
        own = planner.data.get("strings", {})
        for key in sorted(set(planner_fields) - set(own)):
            out.append(f"{planner.file}:{planner.line_of(('strings',))}: strings: the planner's "
                       f"{planner_fields[key]} needs the text '{key}' — add `{key}: {{zh: ..., en: ...}}`")
    return out


def check_ui_strings(docs: dict[str, SourceDocument]) -> list[str]:
    out = []
    for name in UI_FILES:
        if name in docs:
            out += check_placeholders(docs[name], name)
    if "calculator.yaml" in docs:
        out += check_calculator_strings(docs["calculator.yaml"], engine_warning_codes(), docs.get("planner.yaml"))
    return out
