"""Load every content file, validate it against the schema, and check cross-references.

    content = load_content(root)          # raises ContentError listing ALL problems

Messages read "content/pages.yaml:12: pages[3].reviewed: should be a date ... — write the date as YYYY-MM-DD".
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from calculator.sourcefile import SourceDocument, SourceError, format_path, load

from builder.content.glossary import check_marks
from builder.content.guide import check_guide, generated_page_ids, load_folders
from builder.content.hints import closest, one_per_mistake, use_one_of
from builder.content.model import Content
from builder.content.schema import SPECS, Problem
from builder.site_layout import LANGS
from builder.content.ui_strings import check_ui_strings
from builder.content.yaml_hints import explain
from builder.context import BuildContext

# Pages the site must have, and the ones it may have; each has builder/pages/templates/<id>.md.j2.
REQUIRED_PAGES = ("home", "activation", "hospital", "pharmacy", "functions", "legal", "calculator", "sources")
OPTIONAL_PAGES = ("offline", "about", "planner", "my-rules")
REQUIRED_ARTICLES = (4, 7, 8)

# UI strings the templates use (content/strings.yaml -> strings:). Keep in step with builder/pages/templates/.
REQUIRED_STRINGS = {
    "sources": "heading of the sources list at the foot of every page",
    "last_reviewed": "label before the reviewed date at the foot of every page",
    "where": "activation method: 'where to go' heading",
    "bring": "activation method: 'what to bring' heading",
    "steps": "activation method / usage pages: 'steps' heading",
    "after": "activation method: 'what happens after' heading",
    "note": "label of a note box",
    "good_to_know": "hospital and pharmacy pages: heading of the points to know",
    "article": "legal page: article heading; must contain {number}",
    "chinese_text": "legal page (English): label of the Chinese original",
    "english_text": "legal page (English): label of the English translation",
    "adopted": "legal page: 'adopted' label",
    "in_force": "legal page: 'in force' label",
    "amended": "legal page: 'amended' label",
    "related_articles": "legal page: heading of the other relevant articles",
    "notes": "legal page: heading of the notes",
    "about_title": "sources page: heading of the 'about this guide' section",
    "about_text": "sources page: what this guide is",
    "no_js_calculator": "calculator page: text shown when JavaScript is off",
    "what_to_do": "topic and flow pages: 'what to do' heading",
    "cost": "topic pages: 'what it costs' heading",
    "if_wrong": "topic pages: 'if something goes wrong' heading",
    "local_rule": "topic and flow pages: title of the box about a rule that differs by place",
    "related": "topic pages: heading of the related pages",
    "flow_start_again": "question flow: the link back to the first question",
    "elder_mode": "every page: the elder-mode button",
    "read_aloud": "every page: the read-aloud button",
    "stop_reading": "every page: the read-aloud button while reading",
    "not_found_title": "404 page: heading",
    "not_found_text": "404 page: what happened",
    "not_found_home": "404 page: link to the home page",
    "newer_copy": "offline copy's home page: label before the address of a newer copy (with site_url)",
    "newer_copy_unknown": "offline copy: where to get a newer copy when site.yaml has no site_url",
}

REQUIRED_CALCULATOR_STRINGS = {"intro": "calculator page: the paragraph under the title"}


class ContentError(Exception):
    """Content is invalid; .messages lists every problem, one line each."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def _message(doc: SourceDocument, problem: Problem) -> str:
    return f"{doc.file}:{doc.line_of(problem.path)}: {format_path(problem.path)}: {problem.what} — {problem.fix}"


def load_content(root: Path) -> Content:
    """Read and validate root/content; raise ContentError with every problem found."""
    content_dir = root / "content"
    messages: list[str] = []
    docs: dict[str, SourceDocument] = {}
    for name, spec in SPECS.items():
        path = content_dir / name
        shown = f"content/{name}"
        if not path.exists():
            messages.append(f"{shown}:1: (whole file): the file is missing — create it (see EDITING.md)")
            continue
        try:
            doc = load(path, shown)
        except SourceError as exc:
            messages.append(explain(exc, _text(path)))
            continue
        problems: list[Problem] = []
        spec.check(doc.data, (), problems)
        problems = one_per_mistake(problems)
        messages.extend(_message(doc, p) for p in problems)
        if not problems:
            docs[name] = doc
    for extra in sorted(content_dir.glob("*.y*ml")):
        if extra.name not in SPECS:
            messages.append(f"content/{extra.name}:1: (whole file): unknown content file — "
                            f"rename it to one of {', '.join(SPECS)} or move it out of content/")
    policies = sorted((content_dir / "policies").glob("*.y*ml")) if (content_dir / "policies").is_dir() else []
    # Topic pages and question flows (content/topics/, content/flows/); cross-checked once the files
    # they refer to are valid.
    guide_docs, guide_messages = load_folders(content_dir)
    messages.extend(guide_messages)
    if len(docs) == len(SPECS):
        docs.update(guide_docs)
        page_files = _page_files(content_dir)
        messages.extend(check_guide(docs, _intended_pages(docs, page_files)))
        messages.extend(_cross_references(docs, page_files))
        messages.extend(_legal_references(docs))
        messages.extend(_policy_references(docs, policies))
        messages.extend(_report_address(docs, policies))
        messages.extend(_next_references(docs))
        messages.extend(check_marks(docs))
        messages.extend(check_ui_strings(docs))
    policy_messages, profiles = _check_policies(root, policies)
    messages.extend(policy_messages)
    if not messages:
        messages.extend(_check_calculator_example(docs["calculator.yaml"], profiles))
    if messages:
        raise ContentError(messages)
    return Content(root=root, files={n: d.data for n, d in docs.items()}, docs=docs, policies=policies,
                   profiles=profiles)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _page_files(content_dir: Path) -> set[str]:
    """Page ids that a topic or flow file provides, read even from a file with mistakes in it,
    so that one mistake there is not reported again as a missing page in pages.yaml."""
    ids = {p.stem for p in (content_dir / "topics").glob("*.y*ml")}
    for path in (content_dir / "flows").glob("*.y*ml"):
        try:
            data = load(path).data
        except SourceError:
            continue
        if isinstance(data, dict) and isinstance(data.get("page"), str):
            ids.add(data["page"])
    return ids


def _known_pages(docs: dict[str, SourceDocument], page_files: set[str]) -> tuple[str, ...]:
    return REQUIRED_PAGES + OPTIONAL_PAGES + tuple(generated_page_ids(docs)) + tuple(sorted(page_files))


def _intended_pages(docs: dict[str, SourceDocument], page_files: set[str]) -> list[str]:
    """The pages meant by misspelt ids in pages.yaml: that one slip is reported at pages.yaml
    ("did you mean"), not again wherever the page is named or required."""
    known = _known_pages(docs, page_files)
    ids = [p["id"] for p in docs["pages.yaml"].data["pages"]]
    return [close for i in ids if i not in known and (close := closest(i, known)) and close not in ids]


def _unique(doc: SourceDocument, items: list, key: str, list_path: tuple) -> list[str]:
    first, out = {}, []
    for i, item in enumerate(items):
        path = list_path + (i, key)
        if item[key] in first:
            out.append(f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: the id '{item[key]}' is used twice "
                       f"(first at line {doc.line_of(first[item[key]])}) — give each entry its own id")
        else:
            first[item[key]] = path
    return out


def _cross_references(docs: dict[str, SourceDocument], page_files: set[str] = frozenset()) -> list[str]:
    out: list[str] = []

    def err(name: str, path: tuple, text: str) -> None:
        doc = docs[name]
        out.append(f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: {text}")

    pages = docs["pages.yaml"].data["pages"]
    sources = docs["sources.yaml"].data["sources"]
    out += _unique(docs["pages.yaml"], pages, "id", ("pages",))
    out += _unique(docs["sources.yaml"], sources, "id", ("sources",))
    out += _unique(docs["activation.yaml"], docs["activation.yaml"].data["methods"], "id", ("methods",))
    out += _unique(docs["functions.yaml"], docs["functions.yaml"].data["functions"], "id", ("functions",))

    page_ids = [p["id"] for p in pages]
    source_ids = {s["id"] for s in sources}
    known = _known_pages(docs, page_files)
    intended = _intended_pages(docs, page_files)
    for i, page in enumerate(pages):
        if page["id"] not in known:
            err("pages.yaml", ("pages", i, "id"), f"there is no page template for '{page['id']}' — "
                f"{use_one_of(page['id'], known)} (or add content/topics/{page['id']}.yaml; a new kind of "
                "page needs builder/pages/templates/<id>.md.j2)")
        for j, sid in enumerate(page["sources"]):
            if sid not in source_ids:
                err("pages.yaml", ("pages", i, "sources", j), f"no source with id '{sid}' — "
                    f"{use_one_of(sid, sorted(source_ids))} (or add it to content/sources.yaml)")
    for pid in REQUIRED_PAGES:
        if pid not in page_ids and pid not in intended:
            err("pages.yaml", ("pages",), f"the page '{pid}' is missing — add an entry with id: {pid}")
    if page_ids and page_ids[0] != "home":
        err("pages.yaml", ("pages", 0, "id"), "the first page must be home (it becomes index.html) — "
            "move the home entry to the top")

    for i, task in enumerate(docs["home.yaml"].data["tasks"]):
        if task["page"] not in page_ids and task["page"] not in intended:
            err("home.yaml", ("tasks", i, "page"), f"no page with id '{task['page']}' — "
                f"{use_one_of(task['page'], page_ids)}")

    strings = docs["strings.yaml"].data["strings"]
    for key, purpose in REQUIRED_STRINGS.items():
        if key not in strings:
            err("strings.yaml", ("strings",), f"the string '{key}' is missing ({purpose}) — "
                f"add `{key}: {{zh: ..., en: ...}}`")
    if "article" in strings:
        for lang in LANGS:
            if "{number}" not in strings["article"][lang]:
                err("strings.yaml", ("strings", "article", lang),
                    "must contain {number} where the article number goes — e.g. \"第{number}条\" / \"Article {number}\"")

    calc_strings = docs["calculator.yaml"].data["strings"]
    for key in REQUIRED_CALCULATOR_STRINGS:
        if key not in calc_strings:
            err("calculator.yaml", ("strings",), f"the string '{key}' is missing "
                f"({REQUIRED_CALCULATOR_STRINGS[key]}) — add `{key}: {{zh: ..., en: ...}}`")

    return out


def _policy_references(docs: dict[str, SourceDocument], policies: list[Path]) -> list[str]:
    """calculator.yaml's worked example must name an existing profile (its id is its file name)."""
    doc = docs.get("calculator.yaml")
    if doc is None:
        return []
    ids = sorted(p.stem for p in policies)
    profile = doc.data["example"]["profile"]
    if profile in ids:
        return []
    path = ("example", "profile")
    return [f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: no policy profile '{profile}' in "
            f"content/policies/ — {use_one_of(profile, ids)}"]


def _legal_references(docs: dict[str, SourceDocument]) -> list[str]:
    out: list[str] = []

    def err(name: str, path: tuple, text: str) -> None:
        doc = docs[name]
        out.append(f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: {text}")

    legal = docs["legal.yaml"].data
    numbers = [a["number"] for a in legal["articles"]]
    for n in REQUIRED_ARTICLES:
        if n not in numbers:
            err("legal.yaml", ("articles",), f"Article {n} is missing — add it with its verbatim Chinese text "
                "and a complete English translation")
    first: dict[int, int] = {}
    for i, n in enumerate(numbers):
        if n in first:
            line = docs["legal.yaml"].line_of(("articles", first[n], "number"))
            err("legal.yaml", ("articles", i, "number"), f"Article {n} is listed twice (first at line {line}) "
                "— keep one")
        else:
            first[n] = i
    return out


# What a "what next" step may be chosen by (web/calculator/next.js knows each).
NEXT_WHEN = ("away-unfiled", "top-up", "outpatient", "family-account", "account-short", "always")


def _next_references(docs: dict[str, SourceDocument]) -> list[str]:
    """Each "what next" step links to a guide page that exists (or the region's rules page)."""
    doc = docs["next.yaml"]
    pages = [p["id"] for p in docs["pages.yaml"].data["pages"]] + ["rules"]
    out = []
    for i, item in enumerate(doc.data["items"]):
        for key, allowed in (("when", NEXT_WHEN), ("page", pages)):
            if item[key] not in allowed:
                path = ("items", i, key)
                out.append(f"{doc.file}:{doc.line_of(path)}: {format_path(path)}: unknown {key} '{item[key]}' — "
                           f"use one of {', '.join(allowed)}")
    return out


def _report_address(docs: dict[str, SourceDocument], policies: list[Path]) -> list[str]:
    """Every profile gets a rules page, and a rules page says where to report a wrong figure."""
    doc = docs["site.yaml"]
    if not policies or doc.data.get("report_wrong_figure"):
        return []
    return [f"{doc.file}:{doc.line_of(('report_wrong_figure',))}: report_wrong_figure: missing — each policy "
            f"profile's rules page says where to report a wrong figure; add report_wrong_figure: "
            f"mailto:ADDRESS or an https:// link (e.g. report_wrong_figure: mailto:corrections@example.cn)"]


def _check_policies(root: Path, paths: list[Path]) -> tuple[list[str], dict[str, Any]]:
    """Validate settlement profiles with the engine's own loader (it knows their schema)."""
    if not paths:
        return [], {}
    try:
        from calculator.profile_files import ProfileFileError, load_profile_file
    except ImportError as exc:
        return [f"content/policies:1: (whole folder): cannot validate policy profiles "
                f"(calculator.profile_files is not importable: {exc}) — fix the calculator package"], {}
    out = []
    profiles = {}
    for path in paths:
        try:
            profiles[path.stem] = load_profile_file(path)
        except ProfileFileError as exc:
            # str() already lists file:line: field: message; make the file relative for editors.
            text = str(exc).replace(str(root) + "/", "")
            out.extend(line for line in text.splitlines() if line.strip())
        except SourceError as exc:
            out.append(explain(exc, _text(path)).replace(str(root) + "/", ""))
    return out, profiles


def _check_calculator_example(doc: SourceDocument, profiles: dict[str, Any]) -> list[str]:
    """The worked example on the calculator page is settled by the engine; its visit must be valid."""
    from calculator import VisitError, settle

    example = doc.data["example"]
    try:
        settle(profiles[example["profile"]], example["visit"])
    except VisitError as exc:
        return [f"{doc.file}:{doc.line_of(('example', 'visit', e.field))}: example.visit.{e.field}: "
                f"{e.message['en']} — correct the example visit" for e in exc.errors]
    return []


def stage_validate(ctx: BuildContext) -> None:
    ctx.content = load_content(ctx.root)
