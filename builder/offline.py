"""Offline use (issue 5): installable web app + service worker, and the downloadable bundle.

    stage_offline_app(ctx)     after stage_calculator: manifests, icons, offline.js with its strings,
                               the runtime size on the offline page.
    stage_offline_bundle(ctx)  after stage_csp (pages final), before stage_links: builds the offline
                               bundle (builder/offline_bundle.py) into site/downloads/offline-bundle.zip,
                               puts its size on the offline page, then writes site/sw.js, whose
                               precache list and version hash are computed from the final files.

Why sw.js is written last: its cache name is a hash of every file it precaches, and stage_csp
and the bundle size change the pages after stage_offline_app.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from builder.offline_icons import ICONS, icon_png

BUILDER = Path(__file__).resolve().parent
RUNTIME_BASE = "assets/pyodide/"          # the hosted calculator runtime (runtime cache, not precache)
OFFLINE_ASSETS = "assets/offline/"
SAVE_SCRIPT = "offline-save.js"           # loaded by offline.js on the calculator and offline pages
BUNDLE_PATH = "downloads/offline-bundle.zip"
RUNTIME_TOKEN, BUNDLE_TOKEN = "@@RUNTIMEMB@@", "@@BUNDLEMB@@"
THEME_COLOUR = "#3f51b5"                   # Material indigo, the site's primary colour
LANG_ROOTS = {"zh": "", "en": "en/"}


def mb(size: int) -> str:
    return f"{size / 1048576:.1f}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the app (manifests, icons, offline.js) ----------------------------------------------------

def manifest(content, lang: str) -> dict:
    site = content["site.yaml"]
    up = "" if lang == "zh" else "../"
    short = {"zh": "社保卡指南", "en": "Card guide"}[lang]
    icons = [{"src": f"{up}{OFFLINE_ASSETS}icons/{name}", "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "maskable" if maskable else "any"}
             for name, (size, maskable) in ICONS.items() if name != "apple-touch-icon.png"]
    return {
        "id": f"{up}index.html",
        "name": site["name"][lang],
        "short_name": short,
        "description": site["description"][lang],
        "lang": "zh-Hans" if lang == "zh" else "en",
        "start_url": "index.html",
        # The whole site, both languages: the language switch stays inside the installed app.
        "scope": up or "./",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }


def offline_script(root: Path, content) -> str:
    """theme/assets/offline/offline.js with the notice strings of both languages in front."""
    notice = content["offline.yaml"]["notice"]
    strings = {lang: {key: text[lang] for key, text in notice.items()} for lang in LANG_ROOTS}
    head = "var SHEBAO_OFFLINE = " + json.dumps({"strings": strings}, ensure_ascii=False, sort_keys=True) + ";\n"
    return head + (root / "theme" / "assets" / "offline" / "offline.js").read_text(encoding="utf-8")


def runtime_files(site: Path) -> dict[str, int]:
    runtime = site / RUNTIME_BASE
    return {p.name: p.stat().st_size for p in sorted(runtime.iterdir()) if p.is_file()} if runtime.is_dir() else {}


def replace_token(tree: Path, token: str, value: str) -> int:
    """Put a measured figure where the offline page's template left its token (pages + search index)."""
    count = 0
    for path in list(tree.rglob("*.html")) + list(tree.rglob("search_index.js*")):
        text = path.read_text(encoding="utf-8")
        if token in text:
            # "13.4 MB" kept on one line (a no-break space) where the text has the unit after it
            text = text.replace(token + " MB", value + "\u00a0MB").replace(token, value)
            path.write_text(text, encoding="utf-8")
            count += 1
    return count


def write_app_files(root: Path, site: Path, content) -> None:
    assets = site / OFFLINE_ASSETS
    (assets / "icons").mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        (assets / "icons" / name).write_bytes(icon_png(size, maskable))
    (assets / "offline.js").write_text(offline_script(root, content), encoding="utf-8")
    shutil.copyfile(root / "theme" / "assets" / "offline" / SAVE_SCRIPT, assets / SAVE_SCRIPT)
    # Both languages use the root's copy (theme/main.html links <root>/assets/offline/).
    shutil.rmtree(site / "en" / OFFLINE_ASSETS, ignore_errors=True)
    for lang, prefix in LANG_ROOTS.items():
        if (site / prefix).is_dir():
            (site / prefix / "manifest.webmanifest").write_text(
                json.dumps(manifest(content, lang), ensure_ascii=False, indent=1), encoding="utf-8")


def stage_offline_app(ctx) -> None:
    write_app_files(ctx.root, ctx.site, ctx.content)
    size = sum(runtime_files(ctx.site).values())
    replace_token(ctx.site, RUNTIME_TOKEN, mb(size))


# --- which files the pages actually use ----------------------------------------------------------

_REF = re.compile(r"""<(?:script|link|img)\b[^>]*?\s(?:src|href)="([^"#?]+)[^"]*\"""", re.I)
_SEARCH_WORKER = re.compile(r'"search":\s*"([^"]+)"')
_SKIP = ("downloads/", RUNTIME_BASE)


def used_files(site: Path) -> list[str]:
    """Paths (relative to the site root) of every page and every local file a page loads: styles,
    scripts, icons, the manifest and its icons, the search worker with the index and the lunr
    language files it imports. Not Material's unused lunr languages, not source maps or sitemaps,
    not the calculator runtime (runtime cache) nor the download."""
    used: set[str] = set()
    for page in site.rglob("*.html"):
        rel_page = page.relative_to(site).as_posix()
        used.add(rel_page)
        base = page.parent
        html = page.read_text(encoding="utf-8")
        refs = [m.group(1) for m in _REF.finditer(html)]
        worker = _SEARCH_WORKER.search(html)
        if worker:
            refs.append(worker.group(1))
            lang_root = site / ("en" if rel_page.startswith("en/") else "")
            index = lang_root / "search" / "search_index.json"
            if index.is_file():
                used.add(index.relative_to(site).as_posix())
                langs = [l for l in json.loads(index.read_text(encoding="utf-8"))["config"]["lang"] if l != "en"]
                lunr = (base / worker.group(1)).resolve().parent.parent / "lunr"
                extra = ["min/lunr.stemmer.support.min.js"] if langs else []
                extra += [f"min/lunr.{l}.min.js" for l in langs]
                extra += ["min/lunr.multi.min.js"] if len(langs) > 1 else []
                extra += ["tinyseg.js"] if "ja" in langs else []
                extra += ["wordcut.js"] if "th" in langs else []
                for name in extra:
                    if (lunr / name).is_file():
                        used.add((lunr / name).relative_to(site.resolve()).as_posix())
        for ref in refs:
            if "://" in ref or ref.startswith(("data:", "blob:", "/", "mailto:")):
                continue
            target = (base / ref).resolve()
            if target.is_file():
                used.add(target.relative_to(site.resolve()).as_posix())
    for webmanifest in site.rglob("manifest.webmanifest"):
        for icon in json.loads(webmanifest.read_text(encoding="utf-8"))["icons"]:
            target = (webmanifest.parent / icon["src"]).resolve()
            if target.is_file():
                used.add(target.relative_to(site.resolve()).as_posix())
    return sorted(p for p in used if not p.startswith(_SKIP) and not p.endswith(".map"))


# --- the service worker ---------------------------------------------------------------------------

def service_worker(site: Path) -> tuple[str, dict]:
    # offline-save.js is loaded by offline.js, not by a tag, so no page names it.
    precache = sorted(set(used_files(site)) | {OFFLINE_ASSETS + SAVE_SCRIPT})
    digest = hashlib.sha256()
    for rel in precache:
        digest.update(rel.encode() + b"\0" + (site / rel).read_bytes() + b"\0")
    template = (BUILDER / "offline_sw.js").read_text(encoding="utf-8")
    digest.update(template.encode())
    runtime = runtime_files(site)
    runtime_digest = hashlib.sha256()
    for name in runtime:
        runtime_digest.update(name.encode() + b"\0" + (site / RUNTIME_BASE / name).read_bytes())
    config = {
        "version": digest.hexdigest()[:16],
        "precache": precache,
        "fallback": "index.html",
        "runtime": {"version": runtime_digest.hexdigest()[:16], "base": RUNTIME_BASE, "files": runtime},
    }
    if "/*CONFIG*/null" not in template:
        raise ValueError("builder/offline_sw.js lost its /*CONFIG*/null placeholder")
    source = template.replace("/*CONFIG*/null", json.dumps(config, ensure_ascii=False, indent=1))
    return source, config


def write_service_worker(site: Path) -> dict:
    source, config = service_worker(site)
    (site / "sw.js").write_text(source, encoding="utf-8")
    return config


def stage_offline_bundle(ctx) -> None:
    from builder.offline_bundle import build_bundle

    info = build_bundle(ctx)
    replace_token(ctx.site, BUNDLE_TOKEN, mb(info["bytes"]))
    write_service_worker(ctx.site)
