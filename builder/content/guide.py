"""The guide's topic pages (content/topics/*.yaml) and question flows (content/flows/*.yaml):
their schema, their checks, and the extra pages a flow becomes.

    docs, messages = load_folders(content_dir)       # every file checked against its schema
    messages = check_guide(docs)                     # cross-references and the flows' graphs
    extra_pages(files) -> [FlowPage, ...]            # one page per question and outcome

A topic file belongs to the page of the same id in pages.yaml (which holds its title, sources and
reviewed date). A flow names its start page in pages.yaml; its questions and outcomes become pages
"<start page>-<id>.md" next to it. Each answer is a plain link to the next page, so a flow works
without JavaScript, offline and from file://.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from calculator.sourcefile import SourceDocument, SourceError, format_path, load

from builder.content.hints import one_per_mistake, use_one_of
from builder.content.schema import List, Map, Problem, Slug, Text
from builder.content.waiting import CASE_SPEC, RULE_SPEC, case_problems, wait_months
from builder.content.yaml_hints import explain

# A reader answers at most this many questions before reaching an outcome.
MAX_QUESTIONS = 5

T = Text()
TEXTS = List(T)

TOPIC_SPEC = Map({
    "intro": T,
    # What a reader came to do, first: the steps, what to bring, where, the cost, what if it goes wrong.
    "task": Map({"title": T, "do": TEXTS, "bring": TEXTS, "where": TEXTS, "cost": T, "if_wrong": TEXTS}),
    "sections": List(Map({
        "id": Slug(), "title": T, "text": T, "points": TEXTS,
        "table": Map({"caption": T, "columns": List(T), "rows": List(List(T))}),
        # A rule that differs by place: shown in a box that says how to find the local rule.
        "local": T,
    }, optional=("text", "points", "table", "local")), min_items=0),
    "related": List(Slug()),
}, optional=("related",))

FLOW_SPEC = Map({
    "page": Slug(),
    "start": Slug(),
    "details": Slug(),
    "intro": T,
    # A waiting-period rule table: each outcome then names its `case` and the build computes the months.
    "waiting": RULE_SPEC,
    "questions": List(Map({
        "id": Slug(), "question": T, "hint": T,
        "answers": List(Map({"text": T, "next": Slug()}), min_items=2),
    }, optional=("hint",))),
    "outcomes": List(Map({
        "id": Slug(), "title": T, "summary": T, "do": TEXTS, "bring": TEXTS, "where": T, "note": T,
        "case": CASE_SPEC,
    }, optional=("note", "case"))),
}, optional=("details", "waiting"))

FOLDERS = {"topics": TOPIC_SPEC, "flows": FLOW_SPEC}
FOLDER_DOCS = {
    "topics": "One file per topic page, named after its id in `pages.yaml` (which holds its title, "
              "sources and reviewed date). Each section needs `text`, `points` or a `table` (one cell per "
              "column in every row); `related` names page ids.",
    "flows": "One file per question flow. `page` is its start page in `pages.yaml`; `start` the first "
             "question; every answer's `next` is a question or outcome id. The build refuses a flow with "
             "an answer leading nowhere or back to an earlier question, a question or outcome no answer "
             f"reaches, or a path longer than {MAX_QUESTIONS} questions. Pages: `<page>-<id>.html`.",
}


def _message(doc: SourceDocument, path: tuple, text: str) -> str:
    return f"{doc.file}:{doc.line_of(path)}: {format_path(path) or '(whole file)'}: {text}"


def load_folders(content_dir: Path) -> tuple[dict[str, SourceDocument], list[str]]:
    """Load and schema-check content/topics/*.yaml and content/flows/*.yaml.
    Returns the valid documents, keyed "topics/<name>.yaml", and one message per problem."""
    docs: dict[str, SourceDocument] = {}
    messages: list[str] = []
    for folder, spec in FOLDERS.items():
        for path in sorted((content_dir / folder).glob("*.y*ml")):
            key = f"{folder}/{path.name}"
            try:
                doc = load(path, f"content/{key}")
            except SourceError as exc:
                messages.append(explain(exc, path.read_text(encoding="utf-8", errors="replace")))
                continue
            problems: list[Problem] = []
            spec.check(doc.data, (), problems)
            problems = one_per_mistake(problems)
            messages.extend(f"{doc.file}:{doc.line_of(p.path)}: {format_path(p.path)}: {p.what} — {p.fix}"
                            for p in problems)
            if not problems:
                docs[key] = doc
    return docs, messages


def topic_ids(files) -> list[str]:
    return [Path(k).stem for k in files if k.startswith("topics/")]


def flows(files) -> dict[str, dict]:
    """Flow id (its file name) -> flow data (from loaded data or from SourceDocuments)."""
    return {Path(k).stem: getattr(v, "data", v) for k, v in files.items() if k.startswith("flows/")}


def generated_page_ids(files) -> list[str]:
    """Ids in pages.yaml whose page is made from a topic or flow file, not a template of its own."""
    return topic_ids(files) + [f["page"] for f in flows(files).values()]


def check_guide(docs: dict[str, SourceDocument], intended=()) -> list[str]:
    """Cross-references of the topic and flow files, and each flow's graph. `intended`: the ids the
    editor evidently meant by a misspelt id in pages.yaml (reported there, once, not again here)."""
    out: list[str] = []
    pages = docs["pages.yaml"].data["pages"]
    page_ids = [p["id"] for p in pages] + [i for i in intended if i not in (p["id"] for p in pages)]
    if "home.yaml" in docs:
        out += check_home_groups(docs["home.yaml"])
    for key, doc in docs.items():
        if key.startswith("topics/"):
            stem = Path(key).stem
            if stem not in page_ids:
                close = use_one_of(stem, page_ids)
                out.append(_message(doc, (), f"there is no page '{stem}' in content/pages.yaml for this topic — "
                                             f"add an entry with id: {stem} (its title, sources and reviewed date)"
                                             + (f", or rename the file: {close}" if "did you mean" in close else "")))
            for i, rid in enumerate(doc.data.get("related", [])):
                if rid not in page_ids:
                    out.append(_message(doc, ("related", i), f"no page with id '{rid}' — {use_one_of(rid, page_ids)}"))
            seen: dict[str, int] = {}
            for i, section in enumerate(doc.data["sections"]):
                if section["id"] == "task":
                    out.append(_message(doc, ("sections", i, "id"), "the id 'task' is taken by the page's task "
                                                                   "block — give the section another id"))
                elif section["id"] in seen:
                    first = doc.line_of(("sections", seen[section["id"]], "id"))
                    out.append(_message(doc, ("sections", i, "id"), f"the id '{section['id']}' is used twice on "
                                                                   f"this page (first at line {first}) — give "
                                                                   "each section its own id"))
                else:
                    seen[section["id"]] = i
                if not any(k in section for k in ("text", "points", "table")):
                    out.append(_message(doc, ("sections", i), "the section has nothing to show — "
                                                             "add text, points or a table"))
                table = section.get("table")
                if table:
                    for r, row in enumerate(table["rows"]):
                        if len(row) != len(table["columns"]):
                            out.append(_message(doc, ("sections", i, "table", "rows", r),
                                                f"the row has {len(row)} cells but the table has "
                                                f"{len(table['columns'])} columns — give every row one cell per column"))
        elif key.startswith("flows/"):
            out += check_flow(doc, page_ids)
    return out


def check_home_groups(doc: SourceDocument) -> list[str]:
    """With groups, every task names one of them and every group has a task (no empty heading)."""
    home = doc.data
    if "groups" not in home:
        return [_message(doc, ("tasks", i, "group"), "the home page has no `groups:` — add them, or remove the group")
                for i, t in enumerate(home["tasks"]) if "group" in t]
    out = []
    ids = [g["id"] for g in home["groups"]]
    for i, gid in enumerate(ids):
        if gid in ids[:i]:
            out.append(_message(doc, ("groups", i, "id"), f"the id '{gid}' is used twice — give each group its own id"))
        elif not any(t.get("group") == gid for t in home["tasks"]):
            out.append(_message(doc, ("groups", i, "id"), f"no task is in the group '{gid}' — add `group: {gid}` "
                                                           "to a task, or remove the group"))
    for i, t in enumerate(home["tasks"]):
        if "group" not in t:
            out.append(_message(doc, ("tasks", i), f"is in no group — add `group:` with one of {', '.join(ids)}"))
        elif t["group"] not in ids:
            out.append(_message(doc, ("tasks", i, "group"), f"no group with id '{t['group']}' — use one of {', '.join(ids)}"))
    return out


def check_flow(doc: SourceDocument, page_ids: list[str]) -> list[str]:
    """Every answer leads to a question or an outcome; no answer leads back (no loops); every path
    ends in an outcome within MAX_QUESTIONS questions; every question and outcome can be reached."""
    flow = doc.data
    out: list[str] = []

    def err(path: tuple, text: str) -> None:
        out.append(_message(doc, path, text))

    if "details" in flow and flow["details"] not in page_ids:
        err(("details",), f"no page with id '{flow['details']}' — {use_one_of(flow['details'], page_ids)}")
    if flow["page"] not in page_ids:
        close = use_one_of(flow["page"], page_ids)
        err(("page",), f"no page with id '{flow['page']}' in content/pages.yaml — "
                       + (close if "did you mean" in close else "add one (title, sources, reviewed date) "
                          "or name an existing page"))
    questions = {q["id"]: (i, q) for i, q in enumerate(flow["questions"])}
    outcomes = {o["id"]: i for i, o in enumerate(flow["outcomes"])}
    where: dict[str, tuple] = {}
    for kind, items in (("questions", flow["questions"]), ("outcomes", flow["outcomes"])):
        for i, item in enumerate(items):
            if item["id"] in where:
                err((kind, i, "id"), f"the id '{item['id']}' is used twice in this flow (first at line "
                                     f"{doc.line_of(where[item['id']])}) — give each question and outcome its own id")
                continue
            where[item["id"]] = (kind, i, "id")
            name = f"{flow['page']}-{item['id']}"
            if name in page_ids:
                err((kind, i, "id"), f"its page would be {name}.html, which is already a page in "
                                     "content/pages.yaml — choose another id")
    for i, o in enumerate(flow["outcomes"]):
        if "waiting" in flow and "case" not in o:
            err(("outcomes", i), "the flow has a waiting rule, so every outcome states its months — add "
                                 "`case:` (scheme, and gap_years/paid_years/window or exempt)")
        elif "case" in o and "waiting" not in flow:
            err(("outcomes", i, "case"), "the flow has no `waiting:` rule table to compute the months from — "
                                         "add one at the top of the file, or remove the case")
        elif "case" in o:
            for sub, what, fix in case_problems(o["case"]):
                err(("outcomes", i, "case") + sub, f"{what} — {fix}")
    if flow["start"] not in questions:
        err(("start",), f"no question with id '{flow['start']}' — {use_one_of(flow['start'], questions)}")
        return out
    ids = list(questions) + list(outcomes)
    for qid, (i, q) in questions.items():
        for j, answer in enumerate(q["answers"]):
            if answer["next"] not in questions and answer["next"] not in outcomes:
                err(("questions", i, "answers", j, "next"),
                    f"no question or outcome with id '{answer['next']}' — {use_one_of(answer['next'], ids)}")
    if out:
        return out

    # Walk every path from the start; a path is the list of questions asked so far.
    reached: set[str] = set()
    reported: set[tuple] = set()

    def walk(qid: str, path: list[str]) -> None:
        reached.add(qid)
        i, q = questions[qid]
        for j, answer in enumerate(q["answers"]):
            nxt = answer["next"]
            at = ("questions", i, "answers", j, "next")
            if nxt in outcomes:
                reached.add(nxt)
            elif nxt in path + [qid]:
                if at not in reported:
                    reported.add(at)
                    err(at, f"leads back to '{nxt}', so a reader could go round in circles "
                            f"({' → '.join(path + [qid, nxt])}) — point it at a later question or an outcome")
            elif len(path) + 2 > MAX_QUESTIONS:
                if at not in reported:
                    reported.add(at)
                    err(at, f"asks a question number {len(path) + 2} ({' → '.join(path + [qid, nxt])}); a reader "
                            f"must reach an outcome within {MAX_QUESTIONS} questions — lead to an outcome sooner")
            else:
                walk(nxt, path + [qid])

    walk(flow["start"], [])
    for kind, items in (("questions", flow["questions"]), ("outcomes", flow["outcomes"])):
        for i, item in enumerate(items):
            if item["id"] not in reached and (kind, i, "id") == where.get(item["id"]):
                err((kind, i, "id"), f"no answer leads to '{item['id']}', so no reader can reach it — "
                                     "point an answer's next at it, or remove it")
    return out


@dataclass(frozen=True)
class FlowPage:
    file: str           # "activation-check-bank.md"
    template: str       # "flow_question.md.j2" or "flow_outcome.md.j2"
    values: dict        # what the template needs beyond the usual (flow, question or outcome, page)


def node_file(flow: dict, node_id: str) -> str:
    """The Markdown file of a question or outcome; the start question is on the flow's own page."""
    if node_id == flow["start"]:
        return f"{flow['page']}.md"
    return f"{flow['page']}-{node_id}.md"


def extra_pages(files, pages: list[dict]) -> list[FlowPage]:
    """The pages of every flow beyond its start page: one per further question, one per outcome.
    Each borrows the start page's description, sources and reviewed date."""
    by_id = {p["id"]: p for p in pages}
    out = []
    for flow_id, flow in flows(files).items():
        start = by_id[flow["page"]]
        for q in flow["questions"]:
            if q["id"] != flow["start"]:
                page = {**start, "title": q["question"]}
                out.append(FlowPage(node_file(flow, q["id"]), "flow_question.md.j2",
                                    {"flow_id": flow_id, "flow": flow, "question": q, "page": page}))
        for o in flow["outcomes"]:
            page = {**start, "title": o["title"]}
            wait = wait_months(flow["waiting"], o["case"]) if "case" in o else None
            out.append(FlowPage(node_file(flow, o["id"]), "flow_outcome.md.j2",
                                {"flow_id": flow_id, "flow": flow, "outcome": o, "page": page, "wait": wait}))
    return out


def flow_of_page(files, page_id: str) -> tuple[str, dict] | None:
    for flow_id, flow in flows(files).items():
        if flow["page"] == page_id:
            return flow_id, flow
    return None
