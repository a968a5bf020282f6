"""Strip comments and spare whitespace from the site's own stylesheets.

Our CSS is written to be read (every rule says why), but every guide page loads it, and the
page-weight budget is tight next to Material's own assets. Material's files are already
minified (*.min.css) and left alone.
"""
from __future__ import annotations

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
    return text.replace(";}", "}").strip() + "\n"


def minify_site_css(site: Path) -> int:
    """Minify every non-Material .css file under site/; return the bytes saved."""
    saved = 0
    for path in site.rglob("*.css"):
        if path.name.endswith(".min.css"):
            continue
        before = path.read_text(encoding="utf-8")
        after = minify_css(before)
        path.write_text(after, encoding="utf-8")
        saved += len(before.encode()) - len(after.encode())
    return saved


def stage_minify_css(ctx: BuildContext) -> None:
    minify_site_css(ctx.site)
