"""Walking a question flow as a reader does: from its start page, every answer in turn, until a page
says it is an outcome (data-outcome on <main>). Shared by the built-HTML and the browser tests."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

START = "activation-check.html"          # the activation flow's start page in each language
MAX_ANSWERS = 5
LANG_PREFIX = {"zh": "", "en": "en/"}

MAIN = re.compile(r"<main\b[^>]*>")
ANSWER = re.compile(r"<a\b[^>]*\bdata-answer\b[^>]*>.*?</a>", re.S)
HREF = re.compile(r'\bhref="([^"]+)"')


def main_attrs(html: str) -> dict[str, str]:
    tag = MAIN.search(html).group(0)
    return dict(re.findall(r'\s(data-[a-z-]+)="([^"]*)"', tag))


def answers(html: str) -> list[tuple[str, str]]:
    """(link text, href) of each answer on a page."""
    out = []
    for link in ANSWER.findall(html):
        text = unescape(re.sub(r"<[^>]+>", "", link)).strip()
        out.append((text, unescape(HREF.search(link).group(1))))
    return out


def walk_files(site: Path, lang: str, start_page: str = START) -> list[dict]:
    """Every path through a flow in the built files: [{"answers": [...], "outcome": id, "page": path}]."""
    start = site / LANG_PREFIX[lang] / start_page
    paths, problems = [], []

    def visit(page: Path, taken: list[str]) -> None:
        html = page.read_text(encoding="utf-8")
        attrs = main_attrs(html)
        if "data-outcome" in attrs:
            paths.append({"answers": taken, "outcome": attrs["data-outcome"], "page": page})
            return
        found = answers(html)
        if len(taken) >= MAX_ANSWERS or not found:
            problems.append(f"{page.name} after {taken}: {'no answers (dead end)' if not found else 'too long'}")
            return
        for text, href in found:
            target = (page.parent / href).resolve()
            if not target.is_file():
                problems.append(f"{page.name}: answer {text!r} links to missing {href}")
                continue
            visit(target, taken + [text])

    visit(start, [])
    assert not problems, problems
    return paths


def walk_browser(page, start_url: str) -> list[dict]:
    """Every path through the flow by clicking its answers in a browser page (JavaScript may be off)."""
    paths: list[dict] = []

    def here() -> tuple[dict, list[tuple[str, str]]]:
        attrs = page.locator("main").evaluate(
            "m => Object.fromEntries([...m.attributes].filter(a => a.name.startsWith('data-')).map(a => [a.name, a.value]))")
        links = page.locator("a[data-answer]")
        return attrs, [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
                       for i in range(links.count())]

    def visit(url: str, taken: list[str]) -> None:
        page.goto(url)
        attrs, found = here()
        if "data-outcome" in attrs:
            paths.append({"answers": taken, "outcome": attrs["data-outcome"], "url": url,
                          "h1": page.locator("h1").inner_text()})
            return
        assert found, f"dead end at {url} after {taken}"
        assert len(taken) < MAX_ANSWERS, f"no outcome after {MAX_ANSWERS} answers: {taken}"
        for i, (text, href) in enumerate(found):
            if i:
                page.goto(url)
            page.locator("a[data-answer]").nth(i).click()
            page.wait_for_load_state("load")
            nxt = page.url
            assert nxt == urljoin(url, href), (url, href, nxt)
            visit(nxt, taken + [text])

    visit(start_url, [])
    return paths
