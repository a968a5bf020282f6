"""Which files the built pages actually load: the service worker precaches them, the offline bundle
keeps them and nothing else."""
from __future__ import annotations

import json
import re
from pathlib import Path

from builder.site_layout import BUNDLE_PATH, RUNTIME_BASE, lang_dir, lang_of

def runtime_files(site: Path) -> dict[str, int]:
    """The hosted runtime's files and their sizes (the service worker caches them on first use)."""
    runtime = site / RUNTIME_BASE
    return {p.name: p.stat().st_size for p in sorted(runtime.iterdir()) if p.is_file()} if runtime.is_dir() else {}


_REF = re.compile(r"""<(?:script|link|img)\b[^>]*?\s(?:src|href)="([^"#?]+)[^"]*\"""", re.I)
_SEARCH_WORKER = re.compile(r'"search":\s*"([^"]+)"')
_SKIP = (BUNDLE_PATH.split("/")[0] + "/", RUNTIME_BASE)


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
            lang_root = site / lang_dir(lang_of(rel_page))
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


