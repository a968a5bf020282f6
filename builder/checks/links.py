"""Link check of the built site.

    check_site_links(root, site, content) -> list of problems, one line each (empty: all good)

- Every relative href/src in a built page must name a file in the site, and a #fragment must name
  an id on the target page. Root-absolute links ("/x.html") are refused: they break in the
  downloaded copy (file://) and under a sub-path.
- Every external link must be https and listed: in content/sources.yaml, or in the `sources` of a
  policy profile (content/policies/*.yaml), which is where each profile cites its own sources.
- When a content file holds the offending URL, the message starts with its file:line: field.
"""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from calculator import profile_summary

from builder.content.load import load_content
from builder.content.model import Content
from builder.context import BuildContext, StageError
from builder.site_layout import BUNDLE_PATH

LINK_ATTRS = {"href", "src", "poster", "action", "formaction", "data"}
SAFE_SCHEMES = {"data", "blob", "mailto", "tel"}
# Links Material writes that point at something made at run time, not at a file.
IGNORED_FRAGMENTS = {"__search", "__drawer", "__toc"}


class _PageLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str]] = []     # (line, attribute, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if name in LINK_ATTRS and not (tag == "object" and name == "data"):
                self.links.append((line, name, value.strip()))
            if name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.links.append((line, name, part.strip().split()[0]))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _PageLinks:
    parser = _PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def listed_urls(content: Content) -> set[str]:
    """URLs the validated content lists as sources (sources.yaml and every policy profile's sources)."""
    urls = {s["url"] for s in content["sources.yaml"]["sources"]}
    for profile in content.profiles.values():
        urls.update(s["url"] for s in profile_summary(profile).get("sources", []) if s.get("url"))
    return urls


def content_origin(root: Path, url: str) -> str:
    """'content/x.yaml:12: key: ' for the first content line holding `url`, or '' if none does."""
    for path in sorted((root / "content").rglob("*")):
        if not path.is_file() or path.suffix not in (".yaml", ".yml", ".md"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if url in line:
                key = re.match(r"\s*-?\s*\{?\s*([\w-]+)\s*:", line)
                field = f" {key.group(1)}:" if key else ""
                return f"{path.relative_to(root)}:{number}:{field} "
    return ""


def check_site_links(root: Path, site: Path, content: Content | None = None) -> list[str]:
    root, site = Path(root), Path(site)
    listed = listed_urls(content if content is not None else load_content(root))
    pages = sorted(site.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    problems: list[str] = []
    for page, info in parsed.items():
        rel_page = page.relative_to(site).as_posix()
        for line, attr, url in info.links:
            where = f"site/{rel_page}:{line}: {attr}=\"{url}\""
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme in SAFE_SCHEMES:
                continue
            if scheme in ("http", "https") or url.startswith("//"):
                if scheme != "https":
                    problems.append(f"{content_origin(root, url)}{where}: external links must be https — "
                                    "change it to https:// (or remove it if the site has no https)")
                elif url not in listed:
                    problems.append(f"{content_origin(root, url)}{where}: external link not listed in "
                                    "content/sources.yaml — add it there as a source, or cite a listed one")
                continue
            if scheme:
                problems.append(f"{content_origin(root, url)}{where}: scheme '{scheme}:' is not allowed "
                                "in links — use https:// or a relative link")
                continue
            base = page.parent
            if parts.path.startswith("/"):
                # MkDocs writes 404.html with root-absolute links on purpose: a host serves it at any
                # path. Anywhere else they break in the downloaded copy (file://) and under a sub-path.
                if page.name != "404.html":
                    problems.append(f"{where}: root-absolute link — make it relative, so it works from "
                                    "a downloaded copy (file://) too")
                    continue
                base = site
            # A browser resolves "/../x" to "/x": it never climbs above the root.
            path = posixpath.normpath(parts.path).lstrip("/") if parts.path.startswith("/") else parts.path
            target = (base / unquote(path)).resolve() if parts.path else page.resolve()
            if target.is_dir():
                target = target / "index.html"
            try:
                target.relative_to(site.resolve())
            except ValueError:
                problems.append(f"{where}: points outside the site")
                continue
            if not target.is_file():
                problems.append(f"{where}: no such file in the site ({target.relative_to(site.resolve()).as_posix()})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in IGNORED_FRAGMENTS:
                ids = parsed[_key(parsed, target)].ids if _key(parsed, target) else set()
                if fragment not in ids:
                    problems.append(f"{where}: no element with id '{fragment}' on "
                                    f"{target.relative_to(site.resolve()).as_posix()}")
    return problems


def _key(parsed: dict[Path, _PageLinks], target: Path) -> Path | None:
    for page in parsed:
        if page.resolve() == target:
            return page
    return None


# The preview (`serve`) has no offline bundle (pipeline.PREVIEW_SKIPS); a link to it is expected to dangle.
PREVIEW_ABSENT = BUNDLE_PATH


def stage_links(ctx: BuildContext) -> None:
    """Every relative href/src in the built pages resolves; external links are https and listed in
    content/sources.yaml or a policy profile's sources."""
    problems = check_site_links(ctx.root, ctx.site, ctx.content)
    if ctx.preview:
        problems = [p for p in problems if PREVIEW_ABSENT not in p]
    if problems:
        raise StageError(f"{len(problems)} broken or unlisted link(s):\n  " + "\n  ".join(problems))
