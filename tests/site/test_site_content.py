"""Content validation: every error names file, line and field, says how to fix it, and a bad
file stops the build with exit status 2 and leaves the previous site/ as it was."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.content.load import ContentError, load_content
from support.project import ROOT, copy_project

pytestmark = pytest.mark.fast


def test_the_real_content_is_valid():
    content = load_content(ROOT)
    assert content.page_ids[0] == "home"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def edit(project: Path, name: str, old: str, new: str, count: int = 1) -> int:
    """Replace the first `old` in content/<name>; return the 1-based line where it was."""
    path = project / "content" / name
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def errors(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(project)
    return caught.value.messages


def line_of(project: Path, name: str, needle: str, start: int = 0) -> int:
    lines = (project / "content" / name).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i in range(start, len(lines)) if needle in lines[i])


def test_missing_zh_string_names_file_line_field(project):
    # Drop the zh line of the first page's description.
    text = (project / "content" / "pages.yaml").read_text(encoding="utf-8")
    m = re.search(r"\n(    description:\n)(      zh: .*\n)", text)
    line = text.count("\n", 0, m.start(1)) + 1   # the description: line
    (project / "content" / "pages.yaml").write_text(text[:m.start(2)] + text[m.end(2):], encoding="utf-8")
    msgs = errors(project)
    assert any(m.startswith(f"content/pages.yaml:{line}: pages[0].description: the Chinese (zh) text is missing")
               and "add `zh: ...`" in m for m in msgs), msgs


def test_misspelt_key_suggests_the_right_one(project):
    line = edit(project, "home.yaml", "\nintro:", "\nintor:") + 1
    msgs = errors(project)
    assert f"content/home.yaml:{line}: intor: unknown key 'intor' — did you mean 'intro'?" in msgs, msgs
    # One slip, one message: the suggestion already says intro is what is missing.
    assert not any(": intro: is missing" in m for m in msgs), msgs


def test_wrong_type_is_reported(project):
    line = line_of(project, "pages.yaml", "    reviewed:")
    path = project / "content" / "pages.yaml"
    path.write_text(re.sub(r"\n    reviewed: (\S+)", r"\n    reviewed: [\1]", path.read_text(encoding="utf-8"), count=1))
    msgs = errors(project)
    assert any(m.startswith(f"content/pages.yaml:{line}: pages[0].reviewed: should be a date like 2026-11-24")
               for m in msgs), msgs


def test_html_in_text_is_rejected(project):
    line = edit(project, "home.yaml", "  zh: ", "  zh: <script>alert(1)</script>")
    msgs = errors(project)
    assert any(f"content/home.yaml:{line}: intro.zh: contains HTML markup" in m and "plain text" in m
               for m in msgs), msgs


def test_unknown_page_and_source_ids_are_reported(project):
    line = edit(project, "home.yaml", "page: activation", "page: activate")
    edit(project, "pages.yaml", "sources: [", "sources: [no-such-source, ")
    msgs = errors(project)
    assert any(m.startswith(f"content/home.yaml:{line}: tasks[0].page: no page with id 'activate'") for m in msgs)
    assert any(": pages[0].sources[0]: no source with id 'no-such-source'" in m for m in msgs), msgs


def test_yaml_syntax_error_names_the_line(project):
    line = edit(project, "site.yaml", "name:", "name: [")
    msgs = errors(project)
    assert any(re.match(r"content/site\.yaml:\d+: not valid YAML", m) for m in msgs), msgs


def test_all_problems_are_reported_at_once(project):
    edit(project, "home.yaml", "\nintro:", "\nintor:")
    edit(project, "pages.yaml", "    reviewed: 2026-", "    reviewed: 2026/")
    msgs = errors(project)
    assert any(m.startswith("content/home.yaml") for m in msgs)
    assert any(m.startswith("content/pages.yaml") for m in msgs)


def test_bad_content_exits_2_and_keeps_the_old_site(project, tmp_path, capsys):
    from builder.pipeline import build_site
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the previous site")
    edit(project, "home.yaml", "\nintro:", "\nintor:")
    assert build_site(project, out) == 2
    assert (out / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in out.parent.iterdir()) == ["project", "site"]   # no temp dirs left
    err = capsys.readouterr().err
    assert "content/home.yaml:" in err and "unknown key 'intor'" in err


def test_policy_profile_errors_come_from_the_engine_with_file_and_line(project):
    line = line_of(project, "policies/example.yaml", "status:")
    edit(project, "policies/example.yaml", "status: illustrative", "status: bogus")
    msgs = errors(project)
    assert any(m.startswith(f"content/policies/example.yaml:{line}: status:") for m in msgs), msgs


def test_calculator_example_must_name_a_policy(project):
    line = edit(project, "calculator.yaml", "  profile: example", "  profile: nowhere")
    msgs = errors(project)
    assert any(m.startswith(f"content/calculator.yaml:{line}: example.profile: no policy profile 'nowhere'")
               for m in msgs), msgs


# --- placeholders and interface strings: file:line:field and the fix, never a traceback ----------

def test_misspelt_placeholder_is_named_with_a_suggestion(project):
    line = edit(project, "strings.yaml", "{number}", "{numbr}")
    msgs = errors(project)
    assert any(m.startswith(f"content/strings.yaml:{line}: strings.article.") and "unknown placeholder {numbr}" in m
               and "did you mean 'number'?" in m for m in msgs), msgs


def test_stray_brace_in_a_string_with_placeholders(project):
    line = edit(project, "offline.yaml", "program ({size} MB)", "program ({size MB)")
    msgs = errors(project)
    assert any(m.startswith(f"content/offline.yaml:{line}: app.runtime.en: has a stray {{ or }}") for m in msgs), msgs


def test_placeholder_dropped_from_one_language(project):
    text = (project / "content" / "calculator.yaml").read_text(encoding="utf-8")
    en_line = next(i + 1 for i, ln in enumerate(text.splitlines()) if ln.startswith("    en: The network is slow"))
    edit(project, "calculator.yaml", "still loading ({seconds} seconds so far)", "still loading")
    msgs = errors(project)
    assert f"content/calculator.yaml:{en_line}: strings.loading_slow.en: has no {{seconds}}, but the zh text has it " \
           f"— put {{seconds}} where the value belongs in the en text too" in msgs, msgs


def test_unknown_calculator_string_key(project):
    line = edit(project, "calculator.yaml", "\n  calculate:", "\n  calcualte:") + 1
    msgs = errors(project)
    assert any(m.startswith(f"content/calculator.yaml:{line}: strings.calcualte: unknown key 'calcualte'")
               and "did you mean 'calculate'?" in m for m in msgs), msgs


def test_engine_warning_without_a_text(project):
    edit(project, "calculator.yaml", "\n  warning_cap_reached:", "\n  warning_cap_reachd:")
    msgs = errors(project)
    assert any("strings: the engine can warn 'cap_reached' but there is no text for it" in m
               and "add `warning_cap_reached: {zh: ..., en: ...}`" in m for m in msgs), msgs


def test_every_engine_warning_code_has_a_text():
    from builder.content.ui_strings import engine_warning_codes
    codes = engine_warning_codes()
    assert {"cap_reached", "balance_insufficient"} <= codes
    strings = load_content(ROOT)["calculator.yaml"]["strings"]
    assert all(f"warning_{code}" in strings for code in codes)


def test_content_errors_end_the_build_with_exit_2_not_a_traceback(project, tmp_path, capsys):
    from builder.pipeline import build_site
    edit(project, "strings.yaml", "{number}", "{numbr}")
    assert build_site(project, tmp_path / "site") == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unknown placeholder {numbr}" in err
