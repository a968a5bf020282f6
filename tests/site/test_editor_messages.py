"""One editor's slip, one message: the file, the line and the exact fix; the build exits 2 and the
last good site stays. Each case is a mistake an editor really makes in content/."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.project import copy_project

pytestmark = pytest.mark.fast


def replace(project: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` in content/<name>; return the 1-based line where it was."""
    path = project / "content" / name
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def line_of(project: Path, name: str, needle: str, after: int = 0) -> int:
    lines = (project / "content" / name).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i in range(after, len(lines)) if needle in lines[i])


def misspelt_topic_field(project):
    line = replace(project, "topics/lost-card.yaml", "\nintro:", "\nintor:") + 1
    return f"content/topics/lost-card.yaml:{line}: intor: unknown key 'intor' — did you mean 'intro'?"


def tab_indent(project):
    line = line_of(project, "home.yaml", "  zh: ")
    replace(project, "home.yaml", "\n  zh: ", "\n\tzh: ")
    return f"content/home.yaml:{line}: not valid YAML: the line is indented with a tab — use spaces instead of the tab"


def colon_in_text(project):
    line = replace(project, "home.yaml", "  en: The social", "  en: Note: The social")
    value = (project / "content" / "home.yaml").read_text(encoding="utf-8").splitlines()[line - 1].split("en: ", 1)[1]
    return f'content/home.yaml:{line}: not valid YAML:', f'put it in quotes: en: "{value}"'


def mistyped_page_in_home(project):
    line = replace(project, "home.yaml", "page: activation", "page: activaton")
    return f"content/home.yaml:{line}: tasks[0].page: no page with id 'activaton' — did you mean 'activation'?"


def mistyped_page_id_in_pages(project):
    line = replace(project, "pages.yaml", "  - id: lost-card", "  - id: lost-crad")
    return (f"content/pages.yaml:{line}: pages[", "there is no page template for 'lost-crad' — did you mean 'lost-card'?")


def mistyped_related_page(project):
    line = line_of(project, "topics/lost-card.yaml", "related:")
    replace(project, "topics/lost-card.yaml", "related: [", "related: [activaton, ")
    return f"content/topics/lost-card.yaml:{line}: related[0]: no page with id 'activaton' — did you mean 'activation'?"


def mistyped_policy_name(project):
    line = replace(project, "calculator.yaml", "  profile: example", "  profile: exmaple")
    return f"content/calculator.yaml:{line}: example.profile: no policy profile 'exmaple'", "did you mean 'example'?"


def duplicate_source_id(project):
    """A copied entry whose id was not changed."""
    path = project / "content" / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: ")
    entry = text[start:text.index("  - id: ", start + 1)]
    first_id = entry.split("\n", 1)[0].removeprefix("  - id: ")
    first = text.count("\n", 0, start) + 1
    text = text.rstrip("\n") + "\n"
    path.write_text(text + entry, encoding="utf-8")
    second = text.count("\n") + 1
    return f"content/sources.yaml:{second}: sources[", f"the id '{first_id}' is used twice (first at line {first})"


MISTAKES = [misspelt_topic_field, tab_indent, colon_in_text, mistyped_page_in_home, mistyped_page_id_in_pages,
            mistyped_related_page, mistyped_policy_name, duplicate_source_id]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda f: f.__name__)
def test_one_mistake_gives_one_message_with_the_fix_exit_2_and_keeps_the_site(mistake, tmp_path, capsys):
    from builder.pipeline import build_site
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the last good site")
    expected = mistake(project)
    assert build_site(project, out) == 2
    assert (out / "index.html").read_text() == "the last good site"
    err = capsys.readouterr().err
    assert "Traceback" not in err
    messages = [line.strip() for line in err.splitlines() if line.startswith("  ")]
    assert len(messages) == 1, messages
    for part in (expected if isinstance(expected, tuple) else (expected,)):
        assert part in messages[0], (part, messages[0])


def test_the_quote_fix_is_valid_yaml_that_keeps_the_text():
    """The line the message proposes parses back to the editor's text."""
    from calculator.sourcefile import SourceError, parse_text

    from builder.content.yaml_hints import explain
    for line, text in (("title: a: b", "a: b"), ('en: Note: say "yes"', 'Note: say "yes"'),
                       ("- en: @home", "@home")):
        with pytest.raises(SourceError) as caught:
            parse_text(line + "\n", "f.yaml")
        fix = explain(caught.value, line).split("put it in quotes: ", 1)[1]
        assert list(parse_text(fix + "\n").data.values())[0] == text if not line.startswith("- ") \
            else parse_text(fix + "\n").data[0]["en"] == text
