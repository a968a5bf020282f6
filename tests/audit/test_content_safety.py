"""Content cannot inject markup or scripts: through the real build of a copied project, HTML in a
content string is rejected with file, line and field (exit 2, old site kept); text that merely looks
like markup reaches the page as text; links in content are checked at build time."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.checks.links import check_site_links
from builder.pipeline import build_site
from support.project import ROOT, copy_project

pytestmark = pytest.mark.site_build


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("safety"))


def _edit(project: Path, name: str, old: str, new: str) -> str:
    path = project / "content" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test out of date: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def _line_of(project: Path, name: str, needle: str) -> int:
    lines = (project / "content" / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("name, old, new, field", [
    ("home.yaml", "en: Activate my card", "en: Activate <script>alert(1)</script> my card", "tasks[0].title.en"),
    ("home.yaml", "zh: 去药店买药", "zh: 去药店买药<img src=x onerror=alert(1)>", "tasks[2].title.zh"),
])
def test_html_in_content_is_rejected_with_file_line_field(project, tmp_path, capsys, name, old, new, field):
    out = tmp_path / "site"
    assert build_site(project, out, quiet=True) == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    original = _edit(project, name, old, new)
    try:
        status = build_site(project, out, quiet=True)
        err = capsys.readouterr().err
    finally:
        (project / "content" / name).write_text(original, encoding="utf-8")
    assert status == 2, err
    line = _line_of(project, name, old.split(": ", 1)[1])
    assert re.search(rf"content/{re.escape(name)}:{line}\b.*{re.escape(field)}", err), err
    assert "HTML" in err or "markup" in err, err
    # The old site is untouched and carries no trace of the script.
    assert sorted(p.relative_to(out) for p in out.rglob("*.html")) == before
    assert not any("alert(1)" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_text_that_looks_like_markup_reaches_the_page_as_text(project, tmp_path, browser):
    """Plain text with '<', '&', Markdown link syntax and an entity is allowed, and shows as typed."""
    tricky = "Costs 1 < 2 & 3 > 2 [click](javascript:alert(1)) &lt;script&gt; **bold** `code`"
    original = _edit(project, "home.yaml", "en: Activate my card", f"en: \"{tricky}\"")
    try:
        assert build_site(project, tmp_path / "site", quiet=True) == 0
    finally:
        (project / "content" / "home.yaml").write_text(original, encoding="utf-8")
    html = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""href=["']?javascript:""", html)
    assert "<strong>bold</strong>" not in html
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto((tmp_path / "site" / "en" / "index.html").as_uri())
        texts = page.locator("article").inner_text()
    finally:
        ctx.close()
    assert tricky in texts


def test_quotes_and_angle_brackets_in_the_site_name_and_a_title_show_as_text(project, tmp_path, browser):
    """site.yaml's name reaches attributes (title=, <meta>, the manifest) and text (header, <title>):
    with a quote and '<' in it, and in a page title, every page still parses and shows them as typed."""
    name = 'Card "guide" < 2 & more'
    title = 'What else "the card" < 3 does'
    originals = [("site.yaml", _edit(project, "site.yaml", "en: Social Security Card Guide", f"en: '{name}'")),
                 ("pages.yaml", _edit(project, "pages.yaml", "en: What else the card does", f"en: '{title}'"))]
    try:
        assert build_site(project, tmp_path / "site", quiet=True) == 0
    finally:
        for file, text in originals:
            (project / "content" / file).write_text(text, encoding="utf-8")
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto((tmp_path / "site" / "en" / "functions.html").as_uri())
        assert page.title().endswith(" - " + name)
        assert page.locator(".md-header__topic").first.inner_text().strip() == name
        assert page.get_attribute(".md-header__button.md-logo", "title") == name
        assert page.locator("h1").first.inner_text().strip() == title
        assert page.evaluate("document.querySelectorAll('head > meta[name=description]').length") == 1
    finally:
        ctx.close()


def test_links_are_checked_with_the_content_file_named(project, tmp_path):
    out = tmp_path / "site"
    assert build_site(project, out, quiet=True) == 0
    assert check_site_links(project, out) == []
    page = out / "en" / "activation.html"
    html = page.read_text(encoding="utf-8")
    # A source listed in content but served over http, an unlisted site, a missing page and anchor,
    # a root-absolute link: each named, with the content file where the content holds the URL.
    listed = "https://www.nhsa.gov.cn/"
    html = html.replace("</article>", '<a href="nowhere.html">a</a><a href="index.html#no-such-id">b</a>'
                        '<a href="https://example.org/x">c</a><a href="http://www.nhsa.gov.cn/">d</a>'
                        '<img src="/assets/x.png" alt="">'
                        f'<a href="{listed}">ok</a><a href="#__search">ok</a><a href="tel:12333">ok</a></article>', 1)
    page.write_text(html, encoding="utf-8")
    problems = check_site_links(project, out)
    text = "\n".join(problems)
    assert len(problems) == 5, text
    assert "nowhere.html\": no such file" in text
    assert "no element with id 'no-such-id' on en/index.html" in text
    assert "https://example.org/x\": external link not listed in content/sources.yaml" in text
    assert "http://www.nhsa.gov.cn/\": external links must be https" in text
    assert "/assets/x.png\": root-absolute link" in text
    assert all(p.startswith("site/en/activation.html:") for p in problems), text


def test_broken_link_fails_the_build_naming_the_content_file(project, tmp_path, capsys):
    """An external URL in content that is not https never gets past validation (sources.yaml
    schema); one in a policy profile's sources is checked the same way."""
    original = _edit(project, "sources.yaml", "url: https://www.nhsa.gov.cn/", "url: http://www.nhsa.gov.cn/")
    try:
        status = build_site(project, tmp_path / "site", quiet=True)
        err = capsys.readouterr().err
    finally:
        (project / "content" / "sources.yaml").write_text(original, encoding="utf-8")
    assert status == 2
    line = _line_of(project, "sources.yaml", "url: https://www.nhsa.gov.cn/")
    assert f"content/sources.yaml:{line}" in err and "https" in err, err


def test_markup_in_a_policy_profile_shows_as_text(project, tmp_path, browser):
    """Profile strings reach the calculator page only as data, written with textContent: a name
    holding a script tag is shown literally and never runs."""
    evil = "Example <img src=x onerror=window.pwned=1><script>window.pwned=2</script>"
    original = _edit(project, "policies/example.yaml", "en: Example region (illustrative)", f'en: "{evil}"')
    try:
        assert build_site(project, tmp_path / "site", quiet=True) == 0
    finally:
        (project / "content" / "policies" / "example.yaml").write_text(original, encoding="utf-8")
    # The rules page prints the name as escaped text; no page may carry it as markup.
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<img src=x onerror" not in html and "<script>window.pwned" not in html, page
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto((tmp_path / "site" / "en" / "calculator.html").as_uri())
        page.locator("#calc-profile option").first.wait_for(state="attached", timeout=10000)
        options = page.locator("#calc-profile option").all_inner_texts()
        pwned = page.evaluate("() => window.pwned")
        page.goto((tmp_path / "site" / "en" / "rules" / "example.html").as_uri())
        heading = page.locator("h1").first.inner_text()
        pwned_on_rules = page.evaluate("() => window.pwned")
    finally:
        ctx.close()
    assert evil in options, options
    assert pwned is None
    assert evil in heading, heading
    assert pwned_on_rules is None
