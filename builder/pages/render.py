"""Render validated content into Markdown pages, one docs folder per language.

    render_site(content, build_dir) -> {"zh": build_dir/"zh"/"docs", "en": build_dir/"en"/"docs"}

Templates live in builder/pages/templates/<page id>.md.j2 (Jinja2, autoescape, StrictUndefined).
Every `{{ value }}` is escaped twice over by `finalize`: Markdown specials get a backslash,
then HTML specials become entities, so a content string can never become markup.
Template-made markup (links, URLs, attributes) is passed as `Markup` and left alone.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from calculator import fields
from builder.content.glossary import MARK as GLOSSARY_MARK
from builder.content.glossary import resolve, term_ids
from builder.content.guide import extra_pages, flow_of_page, generated_page_ids, node_file, topic_ids
from builder.content.model import Content
from builder.context import BuildContext
from builder.pages.late_values import late_marker
from builder.pages.rules import TEMPLATE as RULES_TEMPLATE
from builder.pages.rules import rules_pages
from builder.site_layout import HTML_LANG, LANGS, LANGUAGE_SETTINGS, TEMPLATES


GLOSSARY_PAGE = "glossary"  # glossary.html in each language

# Characters Python-Markdown treats as escapable (Markdown.ESCAPED_CHARS, plus "|" for tables), minus
# "<", ">" and "&": those are HTML-escaped into entities instead (a backslash before "&gt;" would show).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_NEWLINES = re.compile(r"\s*\n\s*")


def md_text(value: Any, terms: dict[str, str] | None = None) -> Markup:
    """Plain content text -> safe inline Markdown (no markup, no block structure). With `terms`
    (builder.content.glossary.term_ids), a term marked [[like this]] becomes a link to its glossary entry."""
    if isinstance(value, Markup):
        return value
    text = _NEWLINES.sub(" ", str(value)).strip()
    if not terms or "[[" not in text:
        return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))
    plain = lambda part: Markup(escape(_MD_SPECIAL.sub(r"\\\1", part)))  # noqa: E731
    out, pos = Markup(), 0
    for m in GLOSSARY_MARK.finditer(text):
        out += plain(text[pos:m.start()])
        term = resolve(terms, m.group(1))
        shown = plain(m.group(1))
        out += Markup(f"[{shown}]({GLOSSARY_PAGE}.md#{term}){{ .glossary-term }}") if term else shown
        pos = m.end()
    return out + plain(text[pos:])


def html_attr(value: Any) -> Markup:
    """For values inside raw HTML (attributes, <time>): HTML-escape only, no backslashes."""
    return Markup(escape(str(value)))


def yaml_str(value: Any) -> Markup:
    """For front matter: a JSON string is valid YAML; HTML-escaped because themes print it raw."""
    return Markup(json.dumps(str(escape(_NEWLINES.sub(" ", str(value)))), ensure_ascii=False))


def page_file(page_id: str) -> str:
    return "index.md" if page_id == "home" else f"{page_id}.md"


def page_url(page_id: str) -> str:
    """Built file of a page relative to its language root (use_directory_urls: false)."""
    return "index.html" if page_id == "home" else f"{page_id}.html"


def make_env(terms: dict[str, str] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=lambda value: md_text(value, terms),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["h"] = html_attr
    env.filters["yaml_str"] = yaml_str
    return env


class Lang:
    """Helpers a template sees as `L`: pick the language, look up UI strings, link pages."""

    def __init__(self, content: Content, lang: str):
        self.content, self.lang = content, lang
        self.code = HTML_LANG[lang]
        self._pages = {p["id"]: p for p in content["pages.yaml"]["pages"]}
        self._sources = {s["id"]: s for s in content["sources.yaml"]["sources"]}

    def __call__(self, text: dict) -> str:
        """{zh:..., en:...} -> this language's text (escaped on output by finalize)."""
        return text[self.lang]

    def t(self, key: str, **fmt: Any) -> str:
        value = self.content["strings.yaml"]["strings"][key][self.lang]
        return fill_placeholders(value, fmt) if fmt else value

    def fill(self, text: dict, **values: Any) -> str:
        """{zh, en} text with its {placeholders} filled (content validation checked their names)."""
        return fill_placeholders(text[self.lang], values)

    @property
    def colon(self) -> Markup:
        """Label separator: full-width in Chinese, colon + space in English."""
        return Markup(LANGUAGE_SETTINGS[self.lang]["colon"])

    def paren(self, text: dict) -> Markup:
        """(text) with full-width brackets in Chinese."""
        open_, close = LANGUAGE_SETTINGS[self.lang]["paren"]
        return Markup(open_) + md_text(text[self.lang]) + Markup(close)

    def source_meta(self, source: dict) -> Markup:
        """(kind of source, date) after a source's name, where content gives them; undated said so."""
        if "kind" not in source and "date" not in source:
            return Markup("")
        parts = [self.t("source_kind_" + source["kind"].replace("-", "_"))] if "kind" in source else []
        parts.append(source.get("date") or self.t("source_undated"))
        return self.paren({self.lang: ("，" if self.lang == "zh" else ", ").join(parts)})

    def link(self, page_id: str) -> Markup:
        """Markdown link target of a page (MkDocs turns .md into .html)."""
        return Markup(page_file(page_id))

    def page_href(self, page_id: str) -> Markup:
        """Built address of a page, for raw HTML (MkDocs rewrites only Markdown links)."""
        return Markup(page_url(page_id))

    def title(self, page_id: str) -> str:
        return self._pages[page_id]["title"][self.lang]

    def sources_of(self, page: dict) -> list[dict]:
        return [self._sources[sid] for sid in page["sources"]]

    @property
    def all_sources(self) -> list[dict]:
        return list(self._sources.values())

    @property
    def site_sources(self) -> list[dict]:
        """Every source but those cited only by topic and question pages, which list theirs at their
        foot with kind and date (the full list would not fit one page within the weight budget)."""
        generated = set(generated_page_ids(self.content.files))
        cited_elsewhere = {sid for p in self._pages.values() if p["id"] not in generated for sid in p["sources"]}
        topic_only = {sid for p in self._pages.values() if p["id"] in generated for sid in p["sources"]}
        return [s for s in self._sources.values() if s["id"] in cited_elsewhere or s["id"] not in topic_only]

    @staticmethod
    def url(value: str) -> Markup:
        # URLs are validated (https, no spaces/brackets/quotes), so they are safe in a Markdown link.
        return Markup(escape(value))


def fill_placeholders(text: str, values: dict[str, Any]) -> str:
    # "13.4 MB" kept on one line (a no-break space) where the text has the unit after a figure
    return re.sub(r"(\{\w+\}) MB", "\\1\u00a0MB", text).format_map(values)


@dataclass(frozen=True)
class BuildFacts:
    """What a template may know about the build beyond the content (seen as `build`)."""
    runtime_bytes: int = 0          # the calculator's download (RuntimeInfo.download_bytes)
    offline_bundle: bool = False
    preview: bool = False           # `serve`: no offline bundle and no service worker to link to
    # The day the site is built (SOURCE_DATE_EPOCH when set, for a reproducible build): pages show it,
    # and the browser compares figures' review dates with the later of it and its own clock.
    built: str = field(default_factory=lambda: build_day())

    @property
    def runtime_mb(self) -> str:
        return mb(self.runtime_bytes)

    @staticmethod
    def late(name: str) -> str:
        return late_marker(name)


def build_day() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.date().isoformat()


# The rules page's words that the calculator and planner show too (staleness, the link to the rules).
SHARED_RULES_STRINGS = ("stale", "built", "summary_link", "leaves_out_title")


def shared_rules_strings(content: Content, lang: str) -> dict[str, str]:
    strings = content["rules.yaml"]["strings"]
    return {f"rules_{key}": strings[key][lang] for key in SHARED_RULES_STRINGS}


def mb(size: int) -> str:
    return f"{size / 1048576:.1f}"


def calculator_page_data(content: Content, lang: str) -> dict[str, Any]:
    """What the calculator page needs beyond content: its UI strings as JSON for the script
    and the worked example settled by the engine itself (never typed in)."""
    from calculator import settle

    calc = content["calculator.yaml"]
    example = settle(content.profiles[calc["example"]["profile"]], calc["example"]["visit"]).to_json()
    strings = {key: text[lang] for key, text in calc["strings"].items()}
    strings.update(shared_rules_strings(content, lang))
    nxt = content["next.yaml"]
    items = [{"when": i["when"], "page": i["page"], "anchor": i.get("anchor"), "text": i["text"][lang],
              "href": None if i["page"] == "rules" else page_url(i["page"]) + (f"#{i['anchor']}" if i.get("anchor") else "")}
             for i in nxt["items"]]
    rules_strings = content["rules.yaml"]["strings"]
    compare = {k: v[lang] for k, v in nxt["strings"].items() if k.startswith("compare_")}
    compare.update({k: v[lang] for k, v in rules_strings.items() if k.startswith("figure_")})
    strings.update(own_rules_strings(content, lang))
    return {
        "compare_strings_json": json.dumps(compare, ensure_ascii=False, sort_keys=True),
        "next_json": json.dumps(items, ensure_ascii=False, sort_keys=True),
        "next_strings_json": json.dumps({k: v[lang] for k, v in nxt["strings"].items()}, ensure_ascii=False,
                                        sort_keys=True),
        "example": example,
        "strings_json": json.dumps(strings, ensure_ascii=False, sort_keys=True),
        "fields": fields,
        "field_labels": calc["strings"],
    }


def planner_page_data(content: Content, lang: str) -> dict[str, Any]:
    """The planner's UI strings as JSON: its own, over the calculator's (form labels, loading)."""
    labels = {**content["calculator.yaml"]["strings"], **content["planner.yaml"]["strings"]}
    strings = {key: text[lang] for key, text in labels.items()}
    strings.update(shared_rules_strings(content, lang))
    strings.update(own_rules_strings(content, lang))
    return {"strings_json": json.dumps(strings, ensure_ascii=False, sort_keys=True), "fields": fields,
            "field_labels": labels}


def own_rules_strings(content: Content, lang: str) -> dict[str, str]:
    """What the calculator and the planner say about a resident's own rule set (content/my-rules.yaml)."""
    return {key: text[lang] for key, text in content["my-rules.yaml"]["shared"].items()}


def my_rules_page_data(content: Content, lang: str) -> dict[str, Any]:
    """The rule card page's strings as JSON: its own and the shared ones, over the calculator's
    (loading and failure messages, the error summary's title)."""
    strings = {key: text[lang] for key, text in content["calculator.yaml"]["strings"].items()}
    strings.update(own_rules_strings(content, lang))
    strings.update({key: text[lang] for key, text in content["my-rules.yaml"]["strings"].items()})
    from calculator import card
    return {"strings_json": json.dumps(strings, ensure_ascii=False, sort_keys=True), "card_levels": card.LEVELS,
            "card_schemes": tuple(card.PLAN_NAMES), "max_bands": card.MAX_BANDS}


# Extra template values for the pages that need them, by page id.
PAGE_DATA = {"calculator": calculator_page_data, "planner": planner_page_data, "my-rules": my_rules_page_data}


def flow_values(flow_id: str, flow: dict) -> dict[str, Any]:
    """What every page of a question flow needs: the flow and the link to any of its pages."""
    return {"flow_id": flow_id, "flow": flow,
            "node_href": lambda node_id: node_file(flow, node_id).removesuffix(".md") + ".html"}


def page_template(content: Content, lang: str, page_id: str) -> tuple[str, dict[str, Any]]:
    """A page's template and its extra values: its own template, or the topic or flow one."""
    if page_id in topic_ids(content.files):
        return "topic.md.j2", {"topic": content[f"topics/{page_id}.yaml"]}
    found = flow_of_page(content.files, page_id)
    if found:
        flow_id, flow = found
        question = next(q for q in flow["questions"] if q["id"] == flow["start"])
        return "flow_start.md.j2", {**flow_values(flow_id, flow), "question": question}
    return f"{page_id}.md.j2", PAGE_DATA[page_id](content, lang) if page_id in PAGE_DATA else {}


def render_page(env: jinja2.Environment, content: Content, lang: str, page: dict,
                build: BuildFacts = BuildFacts()) -> str:
    name, extra = page_template(content, lang, page["id"])
    return env.get_template(name).render(
        L=Lang(content, lang), lang=lang, page=page, site=content["site.yaml"], c=content.files, build=build,
        **extra,
    )


def render_site(content: Content, build_dir: Path, build: BuildFacts = BuildFacts()) -> dict[str, Path]:
    """Write <build_dir>/<lang>/docs/*.md for every page; return the docs dir of each language."""
    env = make_env(term_ids(content["glossary.yaml"]))
    out: dict[str, Path] = {}
    for lang in LANGS:
        docs = build_dir / lang / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        for page in content["pages.yaml"]["pages"]:
            (docs / page_file(page["id"])).write_text(render_page(env, content, lang, page, build), encoding="utf-8")
        # The further pages of each question flow (not in the menu: a reader gets there by answering).
        for extra in extra_pages(content.files, content["pages.yaml"]["pages"]):
            values = {**extra.values, **flow_values(extra.values["flow_id"], extra.values["flow"])}
            text = env.get_template(extra.template).render(
                L=Lang(content, lang), lang=lang, site=content["site.yaml"], c=content.files, build=build, **values)
            (docs / extra.file).write_text(text, encoding="utf-8")
        # The glossary (not in the menu: marked terms and the rules pages link to it).
        glossary = content["glossary.yaml"]
        page = {"id": GLOSSARY_PAGE, "title": content["rules.yaml"]["strings"]["glossary_title"],
                "description": glossary["intro"], "reviewed": glossary["reviewed"], "sources": []}
        text = env.get_template("glossary.md.j2").render(
            L=Lang(content, lang), lang=lang, site=content["site.yaml"], c=content.files, build=build, page=page,
            glossary=glossary)
        (docs / page_file(GLOSSARY_PAGE)).write_text(text, encoding="utf-8")
        # One rules page per policy profile (not in the menu: the calculator and planner link to it).
        for file, values in rules_pages(content, lang):
            text = env.get_template(RULES_TEMPLATE).render(
                L=Lang(content, lang), lang=lang, site=content["site.yaml"], c=content.files, build=build, **values)
            (docs / file).parent.mkdir(parents=True, exist_ok=True)
            (docs / file).write_text(text, encoding="utf-8")
        out[lang] = docs
    return out


def nav(content: Content, lang: str) -> list[dict[str, str]]:
    """MkDocs `nav` in pages.yaml order, labelled with the short nav text where given. Topic and
    question pages are left out: the home page lists them grouped by task, and twenty more menu
    entries would weigh on every page and be hard to scan on a phone."""
    generated = set(generated_page_ids(getattr(content, "files", content)))
    items = []
    for page in content["pages.yaml"]["pages"]:
        if page["id"] in generated:
            continue
        label = (page.get("nav") or page["title"])[lang]
        # Material writes nav titles (and the header's page title) as HTML: escaped here, once,
        # so "&lt;b&gt;" typed by an editor reads as typed and never becomes markup.
        items.append({str(escape(label)): page_file(page["id"])})
    return items


def stage_render(ctx: BuildContext) -> None:
    facts = BuildFacts(runtime_bytes=ctx.runtime.download_bytes if ctx.runtime else 0,
                       offline_bundle=ctx.offline_bundle, preview=ctx.preview)
    ctx.docs = render_site(ctx.content, ctx.work, facts)
