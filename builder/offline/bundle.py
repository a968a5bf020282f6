"""The downloadable offline copy: site/downloads/offline-bundle.zip.

    stage_offline_bundle(ctx)   builds it, then records its size as a late value (late_values.py)

The bundle is the same pages rendered and built again with ctx.offline_bundle set: the templates
leave out what a file:// copy cannot do (its own download, installing the app), and MkDocs runs
Material's offline plugin (search index inlined as search/search_index.js, which file:// pages
can load), so the hosted site stays light. Then:
- the iframe-worker shim the plugin would take from a CDN is vendored from node_modules
  (package-lock.json pins it) into web/offline/iframe-worker.js, with its inline iframe script
  moved into web/offline/iframe-worker-scope.js;
- the calculator: calculator-data.js and the file:// runtime route (assets/pyodide-file/,
  builder.runtime.file_route) instead of the hosted runtime;
- CSP meta on every page; only the files the pages use are kept;
- no http(s) URL may remain except <a href> links and XML namespace names;
- zipped with deflate; the zip is cached under .cache/offline/ by the hash of the tree.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from builder.checks.csp import apply_csp
from builder.checks.links import listed_urls
from builder.context import BuildContext, StageError
from builder.offline.app import offline_script
from builder.offline.usage import used_files
from builder.pages.mkdocs_run import stage_mkdocs
from builder.pages.render import mb, stage_render
from builder.pages.web_assets import copy_web_assets
from builder.runtime.file_route import build_file_route
from builder.runtime.stage import calculator_data_script
from builder.web_values import insert_vendored
from builder.site_layout import (BUNDLE_PATH, CALCULATOR_DATA, FILE_ROUTE_BASE, IFRAME_WORKER, IFRAME_WORKER_SCOPE,
                                 LANGS, OFFLINE_ASSETS, WEB, lang_prefix)

SHIM = ("node_modules", "iframe-worker", "shim", "index.js")
SHIM_VERSION = "1.0.4"
KEEP_CACHED = 4            # zips kept in .cache/offline/
# The shim writes this inline script into its iframe; it moves to iframe-worker-scope.js.
SHIM_INLINE = ('<script>postMessage=${c};importScripts=${d};addEventListener("error",({error})=>'
               '{parent.dispatchEvent(new ErrorEvent("error",{filename:"${e}",error}))})<\\/script>')
# Material's search worker finds its lunr files from the FIRST script[src] of the iframe, so the
# worker's own script must stay first and the scope script comes after it (the worker only calls
# importScripts/postMessage when it gets a message, i.e. after the iframe has loaded).
SHIM_WORKER_TAG = '<script src=${e}?${+Date.now()}><\\/script>'
SHIM_SCOPE_TAG = '<script src="${SCOPE}" data-worker="${e}"><\\/script>'
# URLs in code that name something rather than fetch it: licence comments, and code paths this
# site never takes (Material's polyfill for browsers without ResizeObserver, Mermaid diagrams and
# repository facts, none configured; Pyodide's default CDN indexURL, which the file:// route
# replaces). Anything else fails the build; tests/offline checks that no request leaves the bundle.
INERT_URLS = {
    "clipboardjs.com/", "unpkg.com/resize-observer-polyfill", "unpkg.com/mermaid@11/dist/mermaid.min.js",
    "api.github.com/repos/${e}/${t}", "api.github.com/users/${e}", "${e}/api/v4/projects/${encodeURIComponent(t",
    "lunrjs.com", "tartarus.org/~martin/PorterStemmer/js.txt", "bit.ly/2s3ChXG", "${t}",
    "cdn.jsdelivr.net/pyodide/v${U}/full/", "fontawesome.com", "fontawesome.com/license/free",
}
NAMESPACE_URLS = re.compile(r"https?://www\.w3\.org/(?:2000/svg|1999/xhtml|1999/xlink|XML/1998/namespace|2000/xmlns/)")
ANCHOR_HREF = re.compile(r"""<a\b[^>]*\shref="https://[^"]*\"""", re.I)
ANY_URL = re.compile(r"https?://[^\s\"'<>)`]*")


class BundleError(StageError):
    pass


def vendored_shim(root: Path) -> str:
    source = root.joinpath(*SHIM).read_text(encoding="utf-8")
    if SHIM_INLINE not in source or SHIM_WORKER_TAG not in source or "window.Worker=o" not in source:
        raise BundleError(f"{'/'.join(SHIM)} has changed shape (expected iframe-worker {SHIM_VERSION}): "
                          "update builder/offline/bundle.py SHIM_INLINE for the new version")
    patched = source.replace(SHIM_INLINE, "").replace(SHIM_WORKER_TAG, SHIM_WORKER_TAG + SHIM_SCOPE_TAG)
    wrapper = (WEB / "offline" / "iframe-worker.js").read_text(encoding="utf-8")
    return insert_vendored(wrapper, {"iframe-worker": patched}, "web/offline/iframe-worker.js")


def outside_urls(tree: Path, listed: set[str] = frozenset()) -> list[str]:
    """Every http(s) URL in the bundle that a browser could fetch: anything but <a href> links, XML
    names, the INERT_URLS and (in calculator-data.js, shown as links) the sources the content lists."""
    found = []
    for path in sorted(tree.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".js", ".css", ".json", ".webmanifest", ".mjs"):
            continue
        if path.name.startswith("pyodide-file-") and path.name != "pyodide-file-route.js" \
                and path.name != "pyodide-file-worker.js":
            continue       # base64 data
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = ANCHOR_HREF.sub("<a", text)
        text = NAMESPACE_URLS.sub("", text)
        for match in ANY_URL.finditer(text):
            url = match.group(0)
            if url.split("://", 1)[1] in INERT_URLS or url in listed:
                continue
            found.append(f"{path.relative_to(tree).as_posix()}: {match.group(0)[:100]}")
    return found


def _tree_hash(tree: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        digest.update(path.relative_to(tree).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _write_zip(tree: Path, dest: Path) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo("shebao-guide/" + path.relative_to(tree).as_posix(), (2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=6)


def zip_tree(root: Path, tree: Path, dest: Path) -> Path:
    """Deflate the tree into dest (fixed timestamps), reusing a cached zip of an identical tree.

    Several builds may share .cache/offline/ at once (tests build into temporary folders while
    someone runs build.py), so each writes its own temporary file, copies from it, and only then
    moves it into the cache; a cached zip pruned by another build just means writing it again."""
    cache = root / ".cache" / "offline"
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / f"offline-bundle-{_tree_hash(tree)}.zip"
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(cached, dest)
        return dest
    except FileNotFoundError:
        pass
    fd, name = tempfile.mkstemp(dir=cache, prefix=cached.stem + ".", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        _write_zip(tree, tmp)
        shutil.copyfile(tmp, dest)
        os.replace(tmp, cached)
    finally:
        tmp.unlink(missing_ok=True)
    # keep the few newest (concurrent builds of different content), drop the rest
    zips = sorted(cache.glob("offline-bundle-*.zip"), key=lambda p: p.stat().st_mtime if p.exists() else 0)
    for old in zips[:-KEEP_CACHED]:
        old.unlink(missing_ok=True)
    return dest


def build_pages(ctx: BuildContext, tree: Path) -> BuildContext:
    """Render and build the pages again as the offline copy, into `tree`."""
    bctx = dataclasses.replace(ctx, site=tree, work=ctx.work / "bundle", docs={}, timings=[],
                               offline_bundle=True, late_values={})
    stage_render(bctx)
    stage_mkdocs(bctx)
    return bctx


def add_assets(ctx: BuildContext, tree: Path) -> None:
    """Shared assets at the bundle's root, as on the hosted site; the iframe-worker per language."""
    copy_web_assets(ctx.root, tree)
    (tree / OFFLINE_ASSETS / "offline.js").write_text(offline_script(ctx.root, ctx.content), encoding="utf-8")
    shim = vendored_shim(ctx.root)
    scope = (WEB / "offline" / "iframe-worker-scope.js").read_text(encoding="utf-8")
    for lang in LANGS:
        (tree / lang_prefix(lang) / OFFLINE_ASSETS).mkdir(parents=True, exist_ok=True)
        (tree / lang_prefix(lang) / IFRAME_WORKER).write_text(shim, encoding="utf-8")
        (tree / lang_prefix(lang) / IFRAME_WORKER_SCOPE).write_text(scope, encoding="utf-8")
    (tree / CALCULATOR_DATA).write_text(calculator_data_script(ctx.runtime, ctx.content.profiles.values()),
                                        encoding="utf-8")
    build_file_route(ctx.runtime.folder, tree / FILE_ROUTE_BASE)


def keep_only_used(tree: Path) -> set[str]:
    keep = set(used_files(tree))
    keep |= {p.relative_to(tree).as_posix() for p in (tree / FILE_ROUTE_BASE).iterdir()}
    for lang in LANGS:
        keep |= {f"{lang_prefix(lang)}search/search_index.js", lang_prefix(lang) + IFRAME_WORKER_SCOPE}
    for path in sorted(tree.rglob("*"), reverse=True):
        rel = path.relative_to(tree).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    missing = sorted(rel for rel in keep if not (tree / rel).is_file())
    if missing:
        raise BundleError("offline bundle is missing " + ", ".join(missing))
    return keep


def build_bundle(ctx: BuildContext) -> dict:
    tree = ctx.work / "bundle-site"
    build_pages(ctx, tree)
    add_assets(ctx, tree)
    apply_csp(tree)
    keep = keep_only_used(tree)
    outside = outside_urls(tree, listed_urls(ctx.content))
    if outside:
        raise BundleError("the offline bundle would fetch from outside itself:\n  " + "\n  ".join(outside[:20]))
    dest = zip_tree(ctx.root, tree, ctx.site / BUNDLE_PATH)
    return {"bytes": dest.stat().st_size, "files": len(keep)}


SITE_URL_WARNING = (
    "Warning: content/site.yaml has no site_url, so the offline copy cannot name the address of a newer "
    "copy (it tells readers to ask where they got it) and the pages carry no canonical address. Before "
    "publishing, add the address the site is served at, e.g. `site_url: https://guide.example.cn/`.")


def stage_offline_bundle(ctx: BuildContext) -> None:
    # Only a publishing build makes the bundle (a preview skips this stage): the place to say that
    # the copy readers keep will not know where the site lives.
    if not ctx.content["site.yaml"].get("site_url"):
        print(SITE_URL_WARNING, file=sys.stderr, flush=True)
    ctx.late_values["bundle_mb"] = mb(build_bundle(ctx)["bytes"])
