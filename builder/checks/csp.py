"""Content-Security-Policy for every built page, as a <meta> tag (static hosts often cannot set headers).

    apply_csp(site_dir) -> number of pages written
    policy_for(html) -> the policy text for one page
    inline_handlers(html) -> ["onclick=...", ...]   (must be empty)

Scripts: only files from the site itself plus the exact inline scripts Material writes into each
page (allowed by their sha256, computed from the page here, so an injected inline script does not
run). WebAssembly needs 'wasm-unsafe-eval'. Workers: module workers from the site ('self') and blob:
workers (the file:// route builds its worker from a blob: URL).

file://: Chromium gives a file: page an opaque origin, but its CSP 'self' still matches file: URLs
(Chromium keeps the scheme of the page's URL as "self"; tests/audit/test_csp.py checks a file: page
whose scripts, worker and wasm run under this policy), so one policy serves the hosted site and the
unzipped offline bundle alike.

Idempotent: an existing CSP meta (from an earlier run, e.g. on the offline bundle's tree) is
replaced, with hashes recomputed for the page as it is now.
"""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from builder.context import BuildContext, StageError

CSP_META = re.compile(r'[ \t]*<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SRC_ATTR = re.compile(r"\ssrc\s*=", re.I)
TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Types a browser executes; JSON blocks (<script type="application/json">) are data, not script.
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
CHARSET_META = re.compile(r"<meta\s+charset=[^>]*>", re.I)
HEAD_OPEN = re.compile(r"<head\b[^>]*>", re.I)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href"}
# What a browser drops from a URL before reading its scheme: whitespace and control characters.
URL_IGNORED = re.compile(r"[\x00-\x20]")

BASE_POLICY = {
    "default-src": ["'self'"],
    # + 'sha256-...' of the page's own inline scripts (added per page)
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    # Material and the Markdown tables put style="" attributes in the HTML; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    # Material's icons are data: SVGs in its CSS.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def inline_script_hashes(html: str) -> list[str]:
    """'sha256-...' for each inline script a browser would run, in page order, without repeats."""
    out: list[str] = []
    for match in SCRIPT.finditer(html):
        attrs, body = match.group(1), match.group(2)
        if SRC_ATTR.search(attrs):
            continue
        kind = TYPE_ATTR.search(attrs)
        if (kind.group(1).lower() if kind else "") not in JS_TYPES:
            continue
        # The HTML parser turns CRLF into LF before the browser hashes the text.
        digest = hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).digest()
        source = "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
        if source not in out:
            out.append(source)
    return out


def policy_for(html: str) -> str:
    directives = {k: list(v) for k, v in BASE_POLICY.items()}
    directives["script-src"] += inline_script_hashes(html)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def with_csp(html: str) -> str:
    """The page with exactly one CSP meta, placed before anything it must govern."""
    html = CSP_META.sub("", html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    anchor = CHARSET_META.search(html) or HEAD_OPEN.search(html)
    if anchor is None:
        raise ValueError("no <head> to put the Content-Security-Policy in")
    return html[:anchor.end()] + "\n  " + meta + html[anchor.end():]


class _Attributes(HTMLParser):
    """Reads tags as a browser does: "once =" inside a quoted attribute value, in text or in a
    script is not an attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and len(name) > 2:
                self.found.append(name)
            elif name in URL_ATTRS and value and URL_IGNORED.sub("", value).lower().startswith("javascript:"):
                self.found.append(f"{name}=javascript:")

    handle_startendtag = handle_starttag


def inline_handlers(html: str) -> list[str]:
    """Inline event handlers (onclick, …) and javascript: URLs in the page's tags (a CSP without
    'unsafe-inline' blocks them, so any one is a broken control as well as a risk)."""
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.found


def content_sources(content_dir: Path | None, handlers: list[str]) -> list[str]:
    """'content/FILE:LINE' of each content line that writes one of these attributes."""
    if content_dir is None or not content_dir.is_dir():
        return []
    names = sorted({h.split("=")[0] for h in handlers})
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")\s*=", re.I)
    out = []
    for path in sorted(content_dir.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".md") or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line) and ("<" in line or "javascript:" in line.lower()):
                out.append(f"{path.relative_to(content_dir.parent).as_posix()}:{number}")
    return out


def apply_csp(site_dir: Path, content_dir: Path | None = None) -> int:
    """Write the CSP meta into every .html file under site_dir; return how many were written.

    Raises ValueError naming the page (and the content file that wrote it, when one did) when a
    page has inline event handlers or no <head>.
    """
    count = 0
    for path in sorted(Path(site_dir).rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        handlers = inline_handlers(html)
        if handlers:
            sources = content_sources(content_dir, handlers)
            where = "".join(f"{source}: " for source in sources)
            raise ValueError(f"{where}{path}: inline event handler(s) {', '.join(sorted(set(handlers)))} — "
                             "write the HTML without it; a page's behaviour comes from the site's script files "
                             "(the CSP blocks inline handlers)")
        try:
            new = with_csp(html)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        if new != html:
            path.write_text(new, encoding="utf-8")
        count += 1
    return count


def stage_csp(ctx: BuildContext) -> None:
    """Content-Security-Policy meta on every page, with the hashes of that page's inline scripts."""
    try:
        apply_csp(ctx.site, ctx.root / "content")
    except ValueError as exc:
        raise StageError(str(exc)) from None
