"""Rendering: content text is escaped for Markdown and HTML, so it can never become markup."""
from __future__ import annotations

import copy

import markdown
import pytest

from builder.content.load import load_content
from builder.pages.render import make_env, md_text, render_page
from support.project import ROOT

pytestmark = pytest.mark.fast

EVIL = "<script>alert(1)</script> *bold* [link](javascript:alert(2)) # not a heading `code` <b>x</b> &amp; |a|b|"
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "toc", "tables"]


def to_html(md: str) -> str:
    if md.startswith("---"):
        md = md.split("---", 2)[2]
    return markdown.markdown(md, extensions=EXTENSIONS)


def test_md_text_escapes_markdown_and_html():
    html = to_html(str(md_text(EVIL)))
    assert "<script" not in html and "<b>" not in html and "<em>" not in html and "<code>" not in html
    assert "href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "*bold*" in html and "[link](javascript:alert(2))" in html   # shown as typed
    assert "&amp;amp;" in html                                           # '&amp;' shown literally


def test_newlines_cannot_start_new_blocks():
    html = to_html(str(md_text("line one\n\n# heading\n- item")))
    assert "<h1" not in html and "<li" not in html and "<p>" == html[:3] and html.count("<p>") == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_script_in_any_content_string_never_reaches_a_page_as_markup(lang):
    """Validation rejects HTML, but even if a string slipped past, the templates escape it."""
    content = load_content(ROOT)
    evil = copy.deepcopy(content)

    def poison(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, str) and k in ("zh", "en", "summary"):
                    node[k] = v + " " + EVIL
                else:
                    poison(v)
        elif isinstance(node, list):
            for item in node:
                poison(item)

    for name in evil.files:
        if name not in ("pages.yaml",):   # page ids and source urls are checked by the validator
            poison(evil.files[name])
    env = make_env()
    for page in evil["pages.yaml"]["pages"]:
        html = to_html(render_page(env, evil, lang, page))
        assert "<script" not in html, page["id"]
        assert "javascript:" not in html.replace("[link](javascript:alert(2))", ""), page["id"]
        assert "<b>" not in html, page["id"]
        assert html.count("<h1") == 1, page["id"]
