"""Strip comments and spare whitespace from the site's own stylesheets.

Our CSS is written to be read (every rule says why), but every guide page loads it, and the
page-weight budget is tight next to Material's own assets. Material's files are already
minified (*.min.css) and left alone.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from builder.context import BuildContext

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")
_AROUND = re.compile(r"\s*([{};,>])\s*")


def minify_css(text: str) -> str:
    # Our stylesheets hold no strings or urls with comment markers, so a regex is enough.
    text = _COMMENT.sub("", text)
    text = _SPACE.sub(" ", text)
    text = _AROUND.sub(r"\1", text)
    # "prop: value" -> "prop:value"; a colon followed by a space occurs only in declarations.
    return text.replace(";}", "}").replace(": ", ":").strip() + "\n"


def minify_site_css(site: Path) -> int:
    """Minify every non-Material .css file under site/; return the bytes saved."""
    return sum(_rewrite(path, minify_css) for path in site.rglob("*.css") if not path.name.endswith(".min.css"))


def _rewrite(path: Path, minify) -> int:
    """Minify one file in place; return the bytes saved."""
    before = path.read_text(encoding="utf-8")
    after = minify(before)
    path.write_text(after, encoding="utf-8")
    return len(before.encode()) - len(after.encode())


def stage_minify_css(ctx: BuildContext) -> None:
    minify_site_css(ctx.site)


# Our own scripts on every guide page (elder mode, offline); the calculator's and Material's are left alone.
JS_FOLDERS = ("assets/elder", "assets/offline")
_TRAILING_COMMENT = re.compile(r"\s+//\s[^\"'`]*$")


def minify_js(text: str) -> str:
    """Drop comment lines, trailing comments and indentation. Line breaks stay (automatic semicolon
    insertion is unaffected); our scripts hold no multi-line strings or template literals."""
    out = []
    for line in text.splitlines():
        line = _TRAILING_COMMENT.sub("", line.strip())
        if line and not line.startswith("//"):
            out.append(line)
    return "\n".join(out) + "\n"


def minify_site_js(site: Path) -> int:
    """Minify our own scripts in JS_FOLDERS (both languages); return the bytes saved."""
    return sum(_rewrite(path, minify_js) for path in site.rglob("*.js")
               if any(folder in path.as_posix() for folder in JS_FOLDERS) and not path.name.endswith(".min.js"))


# Material's templates indent every line; runs of whitespace between tags cost about 450 bytes
# gzipped on a guide page. Collapsed to one line break, outside the elements where it matters.
_VERBATIM = re.compile(r"(<(script|pre|textarea|style)\b.*?</\2\s*>)", re.S | re.I)
_LINE_SPACE = re.compile(r"[ \t]*\n\s*")


# Material writes its page config as JSON with every Chinese character as a \uXXXX escape (6 bytes
# instead of 3, and poorly compressed); the same data written plainly.
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _plain_json(match: re.Match) -> str:
    data = json.dumps(json.loads(match.group(2)), ensure_ascii=False, separators=(",", ":"))
    return match.group(1) + data.replace("<", "\\u003c") + match.group(3)


def minify_html(text: str) -> str:
    text = _CONFIG.sub(_plain_json, text)
    parts = _VERBATIM.split(text)
    out = []
    # split() yields text, whole verbatim element, its tag name, text, ...
    for i in range(0, len(parts), 3):
        out.append(_LINE_SPACE.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def minify_site_html(site: Path) -> int:
    """Collapse whitespace between tags in every built page; return the bytes saved."""
    saved = 0
    for path in site.rglob("*.html"):
        before = path.read_text(encoding="utf-8")
        after = minify_html(before)
        if after != before:
            path.write_text(after, encoding="utf-8")
            saved += len(before.encode()) - len(after.encode())
    return saved


def stage_minify_js_html(ctx: BuildContext) -> None:
    minify_site_js(ctx.site)
    minify_site_html(ctx.site)       # before the CSP stage hashes the inline scripts (left as they are)
