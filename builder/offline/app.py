"""The installable web app: a manifest per language, the icons, and offline.js with its strings.

    stage_offline_app(ctx)     manifests, icons, offline.js with its strings
"""
from __future__ import annotations

import json
from pathlib import Path

from builder.context import BuildContext
from builder.offline.icons import ICONS, cached_icon_png
from builder.web_values import filled_file
from builder.site_layout import HTML_LANG, LANGS, LANGUAGE_SETTINGS, MANIFEST, OFFLINE_ASSETS, WEB, lang_prefix, up_to_root

THEME_COLOUR = "#3f51b5"                   # Material indigo, the site's primary colour


def manifest(content, lang: str) -> dict:
    site = content["site.yaml"]
    up = up_to_root(lang)
    short = LANGUAGE_SETTINGS[lang]["short_name"]
    icons = [{"src": f"{up}{OFFLINE_ASSETS}icons/{name}", "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "maskable" if maskable else "any"}
             for name, (size, maskable) in ICONS.items() if name != "apple-touch-icon.png"]
    return {
        "id": f"{up}index.html",
        "name": site["name"][lang],
        "short_name": short,
        "description": site["description"][lang],
        "lang": HTML_LANG[lang],
        "start_url": "index.html",
        # The whole site, both languages: the language switch stays inside the installed app.
        "scope": up or "./",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }


def offline_script(root: Path, content) -> str:
    """web/offline/offline.js with the notice strings of both languages filled in."""
    notice = content["offline.yaml"]["notice"]
    strings = {lang: {key: text[lang] for key, text in notice.items()} for lang in LANGS}
    return filled_file(WEB / "offline" / "offline.js", {"offline": {"strings": strings}})


def write_app_files(root: Path, site: Path, content) -> None:
    assets = site / OFFLINE_ASSETS
    (assets / "icons").mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        (assets / "icons" / name).write_bytes(cached_icon_png(root / ".cache" / "icons", size, maskable))
    (assets / "offline.js").write_text(offline_script(root, content), encoding="utf-8")
    for lang in LANGS:
        prefix = lang_prefix(lang)
        if (site / prefix).is_dir():
            (site / prefix / MANIFEST).write_text(
                json.dumps(manifest(content, lang), ensure_ascii=False, indent=1), encoding="utf-8")


def stage_offline_app(ctx: BuildContext) -> None:
    write_app_files(ctx.root, ctx.site, ctx.content)


