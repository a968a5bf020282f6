"""Build the generated Markdown of each language with MkDocs and Material.

    stage_mkdocs(ctx)   one MkDocs build per language into ctx.site (zh at the root, en/ inside it)

Each language gets a config derived from mkdocs.yml: its docs and site folders, nav, theme
language, alternate-language links and search language. Chinese is built with the word
segmenter of builder/pages/zh_search.py.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from markupsafe import Markup, escape

from builder.context import BuildContext, StageError
from builder.pages.render import nav
from builder.pages.zh_search import chinese_segmentation
from builder.site_layout import (IFRAME_WORKER, LANG_NAMES, LANGS, LANGUAGE_SETTINGS, SEARCH_LANG, WEB, lang_prefix,
                                 prefix_between)

HOOKS = Path(__file__).resolve().parent / "mkdocs_hooks.py"
# Strings from content/strings.yaml that the theme's own templates show (elder mode, read aloud, 404).
THEME_STRINGS = ("elder_mode", "read_aloud", "stop_reading", "not_found_title", "not_found_text", "not_found_home")


def theme_strings(content, lang: str) -> dict[str, str]:
    strings = content["strings.yaml"]["strings"]
    return {key: strings[key][lang] for key in THEME_STRINGS}


def mkdocs_config(ctx: BuildContext, lang: str) -> Path:
    """Write the per-language MkDocs config derived from mkdocs.yml; return its path."""
    base = yaml.safe_load((ctx.root / "mkdocs.yml").read_text(encoding="utf-8"))
    site = ctx.content["site.yaml"]
    cfg = dict(base)
    cfg["site_name"] = site["name"][lang]
    cfg["site_description"] = site["description"][lang]
    cfg["docs_dir"] = str(ctx.docs[lang])
    cfg["site_dir"] = str(ctx.lang_site(lang))
    cfg["nav"] = nav(ctx.content, lang)
    theme = dict(cfg["theme"])
    theme["custom_dir"] = str((ctx.root / theme.get("custom_dir", "theme")).resolve())
    theme["language"] = lang
    cfg["theme"] = theme
    alternate = [{"name": LANG_NAMES[other], "lang": other, "prefix": prefix_between(lang, other),
                  "current": other == lang} for other in LANGS]
    cfg["extra"] = {**cfg.get("extra", {}), "alternate": alternate, "disclaimer": site["disclaimer"][lang],
                    # inlined by theme/partials/calculator-start.html; the code lives in web/
                    "calculator_start_js": (WEB / "calculator" / "start.js").read_text(encoding="utf-8"),
                    "ui": theme_strings(ctx.content, lang)}
    if "site_url" in site and not ctx.offline_bundle:
        # Canonical links and the sitemap; each language's pages live under its own folder. A file://
        # copy has no address of its own.
        cfg["site_url"] = site["site_url"] + lang_prefix(lang)
    cfg["hooks"] = [str(HOOKS)]
    plugins = []
    for plugin in cfg.get("plugins", []):
        if plugin == "search" or (isinstance(plugin, dict) and "search" in plugin):
            options = dict(plugin["search"] or {}) if isinstance(plugin, dict) else {}
            options["lang"] = SEARCH_LANG[lang]
            plugin = {"search": options}
        plugins.append(plugin)
    if ctx.offline_bundle:
        # Material's offline plugin inlines the search index (search/search_index.js) for file://.
        # A polyfill whose URL names iframe-worker stops it from adding the shim from a CDN.
        plugins.append("offline")
        cfg["extra"] = {**cfg["extra"], "offline_bundle": True, "polyfills": [IFRAME_WORKER]}
    cfg["plugins"] = plugins
    path = ctx.work / lang / "mkdocs.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config_file: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        cfg = load_config(config_file=str(config_file))
        # Themes print these without escaping in places (Material's header and <title>, the
        # description <meta>); as Markup they arrive escaped everywhere, and `| e` leaves them alone.
        for key in ("site_name", "site_description"):
            if cfg[key]:
                cfg[key] = Markup(escape(str(cfg[key])))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg, dirty=False)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        raise StageError(f"MkDocs failed for {config_file}: {exc}") from None


def stage_mkdocs(ctx: BuildContext) -> None:
    # The root language first: MkDocs empties its site_dir, and the other languages live inside it.
    for lang in LANGS:
        if LANGUAGE_SETTINGS[lang]["segment_words"]:
            with chinese_segmentation():
                mkdocs_build(mkdocs_config(ctx, lang))
        else:
            mkdocs_build(mkdocs_config(ctx, lang))
