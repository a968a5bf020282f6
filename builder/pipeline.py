"""Build the whole site: validate -> render Markdown -> MkDocs (zh, en) -> later stages -> swap into site/.

    build_site(root, out) -> exit status (0 ok, 2 content error, 1 build failure)

The site is built in a temporary folder next to `out`; only when every stage has
passed is it swapped in (old site renamed away, new renamed in, old deleted), so a
failed build leaves the previous site/ serving exactly as it was.

Stages run in the order of STAGES. To add one, write `def stage_x(ctx: BuildContext) -> None`
that reads ctx.root / ctx.content and writes only under ctx.site (the temporary site), then
put it in STAGES at the right place. Raise StageError (or any exception) to fail the build.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from builder.content import Content, ContentError, load_content
from builder.render import LANGS, nav, render_site

# Output folder of each language inside the site (zh is the root).
LANG_DIRS = {"zh": "", "en": "en"}
LANG_NAMES = {"zh": "中文", "en": "English"}
SEARCH_LANG = {"zh": "zh", "en": "en"}


class StageError(Exception):
    """A stage failed for a reason it can explain; the message is printed as is."""


@dataclass
class BuildContext:
    root: Path                      # repository root
    out: Path                       # final site folder (site/)
    site: Path                      # temporary site folder being built
    work: Path                      # temporary work folder under .build/ (generated Markdown, configs)
    content: Content | None = None
    docs: dict[str, Path] = field(default_factory=dict)     # lang -> generated docs folder
    timings: list[tuple[str, float]] = field(default_factory=list)
    preview: bool = False           # `serve`: skip what only a deployed site needs (see PREVIEW_SKIPS)

    def lang_site(self, lang: str) -> Path:
        return self.site / LANG_DIRS[lang] if LANG_DIRS[lang] else self.site


# --- stages ----------------------------------------------------------------------------------

def stage_validate(ctx: BuildContext) -> None:
    ctx.content = load_content(ctx.root)          # ContentError -> exit 2


def stage_render(ctx: BuildContext) -> None:
    ctx.docs = render_site(ctx.content, ctx.work)


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
    here = LANG_DIRS[lang]
    alternate = []
    for other in LANGS:
        there = LANG_DIRS[other]
        # Path from this language's root to the other's: "" (same), "en/" (zh->en), "../" (en->zh).
        prefix = "" if other == lang else (f"{there}/" if not here else "../" + (f"{there}/" if there else ""))
        alternate.append({"name": LANG_NAMES[other], "lang": other, "prefix": prefix, "current": other == lang})
    cfg["extra"] = {**cfg.get("extra", {}), "alternate": alternate, "disclaimer": site["disclaimer"][lang],
                    "ui": theme_strings(ctx.content, lang)}
    if "site_url" in site:
        # Canonical links and the sitemap; each language's pages live under its own folder.
        cfg["site_url"] = site["site_url"] + (f"{here}/" if here else "")
    cfg["hooks"] = [str(Path(__file__).resolve().parent / "mkdocs_hooks.py")]
    plugins = []
    for plugin in cfg.get("plugins", []):
        if plugin == "search" or (isinstance(plugin, dict) and "search" in plugin):
            options = dict(plugin["search"] or {}) if isinstance(plugin, dict) else {}
            options["lang"] = SEARCH_LANG[lang]
            plugin = {"search": options}
        plugins.append(plugin)
    cfg["plugins"] = plugins
    path = ctx.work / lang / "mkdocs.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# Strings from content/strings.yaml that the theme's own templates show (elder mode, read aloud, 404).
THEME_STRINGS = ("elder_mode", "read_aloud", "stop_reading", "not_found_title", "not_found_text", "not_found_home")


def theme_strings(content: Content, lang: str) -> dict[str, str]:
    strings = content["strings.yaml"]["strings"]
    return {key: strings[key][lang] for key in THEME_STRINGS}


def _mkdocs_build(config_file: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        cfg = load_config(config_file=str(config_file))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg, dirty=False)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        raise StageError(f"MkDocs failed for {config_file}: {exc}") from None


def stage_mkdocs_zh(ctx: BuildContext) -> None:
    from builder.zh_search import chinese_segmentation

    with chinese_segmentation():
        _mkdocs_build(mkdocs_config(ctx, "zh"))


def stage_mkdocs_en(ctx: BuildContext) -> None:
    _mkdocs_build(mkdocs_config(ctx, "en"))


def stage_calculator(ctx: BuildContext) -> None:
    """Self-hosted Pyodide runtime + calculator package + policy profiles for the browser
    (issue 4; builder/calculator_stage.py, which calls builder.pyodide_runtime.stage_runtime)."""
    from builder.calculator_stage import stage_calculator as stage
    stage(ctx.root, ctx.site, ctx.content.profiles.values())


def stage_csp(ctx: BuildContext) -> None:
    """Content-Security-Policy meta on every page, with the hashes of that page's inline scripts
    (issue 6; builder/security.py)."""
    from builder.security import apply_csp
    try:
        apply_csp(ctx.site)
    except ValueError as exc:
        raise StageError(str(exc)) from None


def stage_minify_css(ctx: BuildContext) -> None:
    from builder.minify import minify_site_css
    minify_site_css(ctx.site)


def stage_minify_js(ctx: BuildContext) -> None:
    from builder.minify import minify_site_html, minify_site_js
    minify_site_js(ctx.site)
    minify_site_html(ctx.site)       # before the CSP stage hashes the inline scripts (left as they are)


def stage_links(ctx: BuildContext) -> None:
    """Every relative href/src in the built pages resolves; external links are https and listed in
    content/sources.yaml or a policy profile's sources (issue 6; builder/links.py)."""
    from builder.links import check_site_links
    problems = check_site_links(ctx.root, ctx.site)
    if ctx.preview:
        # The preview has no offline bundle (PREVIEW_SKIPS); a link to it is expected to dangle.
        problems = [p for p in problems if PREVIEW_ABSENT not in p]
    if problems:
        raise StageError(f"{len(problems)} broken or unlisted link(s):\n  " + "\n  ".join(problems))


def stage_precompress(ctx: BuildContext) -> None:
    """.br and .gz copies of text, wasm and zip files for static hosts (last: it must see every file)."""
    from builder.precompress import precompress
    precompress(ctx.site, ctx.root / ".cache" / "precompress")

def stage_offline_app(ctx: BuildContext) -> None:
    from builder.offline import stage_offline_app as stage
    stage(ctx)


def stage_offline_bundle(ctx: BuildContext) -> None:
    from builder.offline import stage_offline_bundle as stage
    from builder.offline_bundle import BundleError
    try:
        stage(ctx)
    except BundleError as exc:
        raise StageError(str(exc)) from None


# The build, in order. Each takes the BuildContext. Later issues add theirs here, e.g.
#   stage_offline_bundle (site/downloads/offline-bundle.zip), after every stage that writes pages/assets;
#   stage_precompress (.br/.gz copies), last, so it sees every file.
STAGES: list[Callable[[BuildContext], None]] = [
    stage_validate,
    stage_render,
    stage_mkdocs_zh,                # zh first: MkDocs empties its site_dir, and en/ lives inside it
    stage_mkdocs_en,
    stage_minify_css,               # our own stylesheets without comments (page-weight budget)
    stage_calculator,               # Pyodide runtime, calculator.zip, profiles data (issue 4)
    stage_offline_app,              # manifests, icons, offline.js (issue 5; builder/offline.py)
    stage_minify_js,                # our own page scripts and the pages' whitespace (after offline_app writes offline.js)
    stage_csp,                      # CSP meta on every page (issue 6)
    stage_offline_bundle,           # downloads/offline-bundle.zip, then sw.js over the final pages (issue 5)
    stage_links,                    # internal links resolve, external ones are listed (issue 6)
    stage_precompress,              # .br/.gz copies; keep LAST (issue 6)
]


# A `serve` preview must rebuild within seconds of an edit. It skips the offline bundle (two more
# MkDocs builds and a zip; it also writes sw.js, and a service worker would only get in the way of
# live reload) and precompression (no static host reads it). `python3 build.py` runs everything.
PREVIEW_SKIPS = {"stage_offline_bundle", "stage_precompress"}
PREVIEW_ABSENT = "downloads/offline-bundle.zip"


# --- driver ----------------------------------------------------------------------------------

def swap_in(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames (same filesystem), then delete the old tree."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _quiet_mkdocs_logging() -> None:
    # MkDocs logs INFO lines per build ("Cleaning site directory", ...); keep warnings and errors.
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def build_site(root: Path, out: Path, stages: list[Callable[[BuildContext], None]] | None = None,
               quiet: bool = False, preview: bool = False) -> int:
    """Run every stage into a temporary folder and swap it into `out`. Returns the exit status.

    preview=True (the `serve` command) skips the stages in PREVIEW_SKIPS."""
    root, out = Path(root).resolve(), Path(out).resolve()
    _quiet_mkdocs_logging()
    out.parent.mkdir(parents=True, exist_ok=True)
    (root / ".build").mkdir(exist_ok=True)
    site = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    work = Path(tempfile.mkdtemp(prefix="run-", dir=root / ".build"))
    ctx = BuildContext(root=root, out=out, site=site, work=work, preview=preview)
    started = time.perf_counter()
    status = 1
    try:
        for stage in stages or STAGES:
            if preview and stage.__name__ in PREVIEW_SKIPS:
                continue
            t0 = time.perf_counter()
            stage(ctx)
            ctx.timings.append((stage.__name__, time.perf_counter() - t0))
        swap_in(site, out)
        status = 0
    except ContentError as exc:
        print(f"The content has {len(exc.messages)} problem(s); the site was not changed:", file=sys.stderr)
        for message in exc.messages:
            print("  " + message, file=sys.stderr)
        status = 2
    except StageError as exc:
        print(f"Build failed; the site was not changed: {exc}", file=sys.stderr)
    except Exception:  # a bug or a template error: show it all, keep the old site
        import traceback
        traceback.print_exc()
        print("Build failed (see above); the site was not changed.", file=sys.stderr)
    finally:
        if site.exists():
            shutil.rmtree(site, ignore_errors=True)
        if not os.environ.get("KEEP_BUILD"):
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - started
    if status == 0 and not quiet:
        steps = ", ".join(f"{name.removeprefix('stage_')} {secs:.2f}s" for name, secs in ctx.timings)
        print(f"Built {out} in {total:.2f}s ({steps})", flush=True)
    return status
