"""The activation question flow: followed without JavaScript from its start page in each language,
every path reaches an outcome within five answers, with at least four distinct outcomes; each outcome
says what to do and bring and links back to the start; the same walk works from the unzipped
offline copy (file://). The build refuses a broken flow, naming file, line and field (exit 2)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from support.browsing import keep_local
from support.flow import LANG_PREFIX, MAX_ANSWERS, START, main_attrs, walk_browser, walk_files
from support.project import copy_project

from builder.site_layout import LANGS


@pytest.mark.parametrize("lang", LANGS)
def test_every_path_in_the_built_pages_reaches_an_outcome_within_five_answers(built_site, lang):
    paths = walk_files(built_site, lang)
    outcomes = {p["outcome"] for p in paths}
    assert len(outcomes) >= 4, outcomes
    assert all(len(p["answers"]) <= MAX_ANSWERS for p in paths)
    start = (built_site / LANG_PREFIX[lang] / START).read_text(encoding="utf-8")
    assert main_attrs(start).get("data-flow") == "activation"
    for p in paths:
        html = p["page"].read_text(encoding="utf-8")
        assert len(re.findall(r"<h1\b", html)) == 1, p["page"]
        # What to do (a numbered list), what to bring, a way back to the start, sources and the date.
        assert re.search(r'<h2 id="do".*?<ol>', html, re.S) and '<h2 id="bring"' in html, p["page"]
        assert f'href="{START}"' in html, p["page"]
        assert 'class="page-meta"' in html and "<time datetime=" in html, p["page"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_flow_followed_without_javascript(browser, site_url, lang):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    outside = keep_local(ctx, (site_url,))
    try:
        page = ctx.new_page()
        paths = walk_browser(page, site_url + LANG_PREFIX[lang] + START)
    finally:
        ctx.close()
    assert len({p["outcome"] for p in paths}) >= 4
    assert max(len(p["answers"]) for p in paths) <= MAX_ANSWERS
    assert outside == []
    # The page is in the reader's language all the way through.
    cjk = [bool(re.search(r"[\u4e00-\u9fff]", p["h1"])) for p in paths]
    assert all(cjk) if lang == "zh" else not any(cjk), [p["h1"] for p in paths]


def test_the_flow_works_from_the_unzipped_offline_copy(built_site, browser, tmp_path):
    with zipfile.ZipFile(built_site / "downloads" / "offline-bundle.zip") as z:
        z.extractall(tmp_path)
    start = next(tmp_path.rglob(START))
    ctx = browser.new_context(java_script_enabled=False)
    outside = keep_local(ctx, ("file://",))
    try:
        page = ctx.new_page()
        paths = walk_browser(page, start.as_uri())
    finally:
        ctx.close()
    assert len({p["outcome"] for p in paths}) >= 4 and outside == []


# --- the build's check of the flow ------------------------------------------------------------

FLOW = "content/flows/activation.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("flow"))


def _broken(project: Path, capsys, edits: list[tuple[str, str]]) -> tuple[int, str, str]:
    from builder.pipeline import build_site
    path = project / FLOW
    original = path.read_text(encoding="utf-8")
    text = original
    for old, new in edits:
        assert old in text, f"test out of date: {old!r} not in {FLOW}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    try:
        status = build_site(project, project / "site", quiet=True)
        err = capsys.readouterr().err
    finally:
        path.write_text(original, encoding="utf-8")
    return status, err, text


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.fast
def test_an_answer_leading_nowhere_is_named_with_file_line_field(project, capsys):
    status, err, text = _broken(project, capsys, [("next: ready", "next: readyy")])
    assert status == 2, err
    assert f"{FLOW}:{_line(text, 'next: readyy')}: questions[2].answers[0].next: no question or outcome " \
           "with id 'readyy'" in err, err
    assert "Traceback" not in err


@pytest.mark.fast
def test_a_loop_is_refused(project, capsys):
    status, err, text = _broken(project, capsys, [("next: hospital-and-code", "next: card")])
    assert status == 2, err
    assert f"{FLOW}:{_line(text, '        next: card')}: questions[5].answers[0].next: leads back to 'card'" in err, err


@pytest.mark.fast
def test_an_outcome_no_answer_reaches_is_refused(project, capsys):
    status, err, text = _broken(project, capsys, [("next: ready", "next: bank")])
    assert status == 2, err
    assert f"{FLOW}:{_line(text, '  - id: ready')}: outcomes[2].id: no answer leads to 'ready'" in err, err


@pytest.mark.fast
def test_a_path_longer_than_five_questions_is_refused(project, capsys):
    # smartphone -> (new) extra-1 -> extra-2: the sixth question on the longest path.
    extra = """  - id: extra-1
    question: {zh: 问题一, en: Question one}
    answers:
      - {text: {zh: 是, en: "Yes"}, next: extra-2}
      - {text: {zh: 否, en: "No"}, next: bank}
  - id: extra-2
    question: {zh: 问题二, en: Question two}
    answers:
      - {text: {zh: 是, en: "Yes"}, next: home-visit}
      - {text: {zh: 否, en: "No"}, next: bank}
outcomes:
"""
    status, err, text = _broken(project, capsys, [("next: home-visit", "next: extra-1"), ("outcomes:\n", extra)])
    assert status == 2, err
    assert re.search(rf"{FLOW}:\d+: questions\[6\]\.answers\[0\]\.next: asks a question number 6 "
                     r"\(card → old-card → can-go-bank → smartphone → extra-1 → extra-2\)", err), err


@pytest.mark.fast
def test_a_missing_language_is_refused(project, capsys):
    status, err, text = _broken(project, capsys, [("      en: Do you, or a relative helping you, have a smartphone?\n", "")])
    assert status == 2, err
    assert f"{FLOW}:{_line(text, 'zh: 您或帮您的家人有智能手机吗？') - 1}: questions[5].question: " \
           "the English (en) text is missing" in err, err


@pytest.mark.fast
def test_a_flow_without_its_start_page_is_refused(project, capsys):
    status, err, text = _broken(project, capsys, [("page: activation-check", "page: activation-quiz")])
    assert status == 2, err
    assert f"{FLOW}:{_line(text, 'page: activation-quiz')}: page: no page with id 'activation-quiz' " \
           "in content/pages.yaml" in err, err
