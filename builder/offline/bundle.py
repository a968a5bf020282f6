"""The downloadable offline copy: site/downloads/offline-bundle.zip.

    build_bundle(ctx) -> {"bytes": zip size, "files": count}

A SEPARATE MkDocs build of the same Markdown with Material's offline plugin (search index inlined
as search/search_index.js, which file:// pages can load), so the hosted site stays light. Then:
- the iframe-worker shim the plugin would take from a CDN is vendored from node_modules
  (package-lock.json pins it) as assets/offline/iframe-worker.js, with its inline iframe script
  moved into a file (the pages' CSP allows no unknown inline script) and blob:/data: workers left
  native (the calculator's file:// route needs a real worker);
- the calculator: calculator-data.js and the file:// runtime route (assets/pyodide-file/,
  builder.runtime.file_route) instead of the hosted runtime;
- only the files the pages use are kept; CSP meta (builder.checks.csp, when present);
- no http(s) URL may remain except <a href> links and XML namespace names;
- zipped with deflate; the zip is cached under .cache/offline/ by the hash of the tree.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import yaml

from builder.checks.csp import apply_csp
from builder.checks.links import listed_urls
from builder.context import BuildContext, StageError
from builder.offline.app import BUNDLE_TOKEN, RUNTIME_TOKEN, mb, offline_script, replace_token
from builder.offline.usage import runtime_files, used_files
from builder.pages.mkdocs_run import mkdocs_build, mkdocs_config
from builder.pages.web_assets import copy_web_assets
from builder.pages.zh_search import chinese_segmentation
from builder.runtime.file_route import build_file_route
from builder.site_layout import BUNDLE_PATH, RUNTIME_BASE

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
SCOPE_JS = """// Worker globals inside the iframe of iframe-worker (from its shim, moved out of an inline script).
"use strict";
var workerUrl = document.currentScript.getAttribute("data-worker");
window.postMessage = function (data, origin) { parent.postMessage(data, origin || "*"); };
window.importScripts = function () {
  var urls = Array.prototype.slice.call(arguments);
  return urls.reduce(function (chain, url) {
    return chain.then(function () {
      return new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = url; s.onload = resolve;
        document.body.appendChild(s);
      });
    });
  }, Promise.resolve());
};
addEventListener("error", function (event) {
  parent.dispatchEvent(new ErrorEvent("error", { filename: workerUrl, error: event.error }));
});
"""
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
    return (f"// iframe-worker {SHIM_VERSION} (MIT, Martin Donath; npm package, pinned in package-lock.json),\n"
            "// vendored by builder/offline/bundle.py: iframe script in iframe-worker-scope.js; blob:/data:\n"
            "// workers (the calculator's file:// route) stay real workers.\n"
            "(function () {\n"
            "var NativeWorker = window.Worker;\n"
            "var SCOPE = new URL('iframe-worker-scope.js', document.currentScript.src).href;\n"
            + patched + "\n"
            "if (window.Worker !== NativeWorker) {\n"
            "  var Shim = window.Worker;\n"
            "  window.Worker = function (url, options) {\n"
            "    return /^(blob|data):/.test(String(url)) ? new NativeWorker(url, options) : new Shim(url);\n"
            "  };\n"
            "}\n"
            "})();\n")


def bundle_config(ctx, bctx, lang: str) -> Path:
    path = mkdocs_config(bctx, lang)
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    cfg["plugins"] = list(cfg["plugins"]) + ["offline"]
    # A polyfill whose URL names iframe-worker stops the plugin from adding the CDN one.
    cfg["extra"] = {**cfg["extra"], "offline_bundle": True, "polyfills": ["assets/offline/iframe-worker.js"]}
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_bundle(ctx, out: Path) -> None:
    work = ctx.work / "bundle"
    for lang in ("zh", "en"):
        (work / lang).mkdir(parents=True, exist_ok=True)
    bctx = dataclasses.replace(ctx, site=out, work=work, timings=[])
    with chinese_segmentation():
        mkdocs_build(bundle_config(ctx, bctx, "zh"))
    mkdocs_build(bundle_config(ctx, bctx, "en"))


def fix_offline_pages(tree: Path) -> None:
    """The copy has no download of itself and no service worker: it drops the download link and the
    "keep it on this device" section (with its table-of-contents entries) and says it is the
    offline copy instead."""
    for page in tree.rglob("offline.html"):
        html = page.read_text(encoding="utf-8")
        html, links = re.subn(r'<p id="offline-download"[^>]*>.*?</p>\s*', "", html, flags=re.S)
        html, sections = re.subn(r'<h2 id="app".*?(?=<h2 id="bundle")', "", html, flags=re.S)
        html, toc = re.subn(r'<li class="md-nav__item">\s*<a href="#app" class="md-nav__link">.*?</li>\s*', "",
                            html, flags=re.S)
        note = '<p id="offline-in-bundle" class="offline-note" hidden>'
        if not (links == 1 and sections == 1 and toc >= 1 and note in html):
            raise BundleError(f"{page}: the offline page changed shape (download link {links}, #app section "
                              f"{sections}, toc entries {toc}); update builder/offline/bundle.py fix_offline_pages")
        html = html.replace(note, '<p id="offline-in-bundle" class="offline-note">')
        page.write_text(html, encoding="utf-8")


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


def build_bundle(ctx) -> dict:
    tree = ctx.work / "bundle-site"
    mkdocs_bundle(ctx, tree)
    # Shared assets at the bundle's root, as on the hosted site.
    assets = tree / "assets" / "offline"
    assets.mkdir(parents=True, exist_ok=True)
    copy_web_assets(ctx.root, tree)
    (assets / "offline.js").write_text(offline_script(ctx.root, ctx.content), encoding="utf-8")
    shutil.rmtree(tree / "en" / "assets" / "offline", ignore_errors=True)
    shim = vendored_shim(ctx.root)
    for prefix in ("", "en/"):
        (tree / prefix / "assets" / "offline").mkdir(parents=True, exist_ok=True)
        (tree / prefix / "assets" / "offline" / "iframe-worker.js").write_text(shim, encoding="utf-8")
        (tree / prefix / "assets" / "offline" / "iframe-worker-scope.js").write_text(SCOPE_JS, encoding="utf-8")
    shutil.copy(ctx.site / "assets" / "calculator" / "calculator-data.js", tree / "assets" / "calculator")
    build_file_route(ctx.site / RUNTIME_BASE, tree / "assets" / "pyodide-file")

    fix_offline_pages(tree)
    replace_token(tree, RUNTIME_TOKEN, mb(sum(runtime_files(ctx.site).values())))
    replace_token(tree, BUNDLE_TOKEN, "—")
    apply_csp(tree)

    keep = set(used_files(tree))
    keep |= {p.relative_to(tree).as_posix() for p in (tree / "assets" / "pyodide-file").iterdir()}
    for prefix in ("", "en/"):
        keep |= {f"{prefix}search/search_index.js", f"{prefix}assets/offline/iframe-worker-scope.js"}
    for path in sorted(tree.rglob("*"), reverse=True):
        rel = path.relative_to(tree).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    missing = sorted(rel for rel in keep if not (tree / rel).is_file())
    if missing:
        raise BundleError("offline bundle is missing " + ", ".join(missing))
    outside = outside_urls(tree, listed_urls(ctx.root))
    if outside:
        raise BundleError("the offline bundle would fetch from outside itself:\n  " + "\n  ".join(outside[:20]))
    dest = zip_tree(ctx.root, tree, ctx.site / BUNDLE_PATH)
    return {"bytes": dest.stat().st_size, "files": len(keep)}


def stage_offline_bundle(ctx: BuildContext) -> None:
    info = build_bundle(ctx)
    replace_token(ctx.site, BUNDLE_TOKEN, mb(info["bytes"]))
