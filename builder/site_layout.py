"""Where things are: the languages, their folders in the built site, and the repository's source folders.

Every module that needs a language list, a language prefix or a path into the built site takes it
from here, so adding a language or moving an asset folder is a change in one file.
"""
from __future__ import annotations

from pathlib import Path

from calculator.languages import LANGS

# --- the repository ------------------------------------------------------------------------------

# Code-side files, found next to this package. Content, theme/, mkdocs.yml and node_modules/ are
# read from the project root a build is given (tests build altered copies of the project).
BUILDER = Path(__file__).resolve().parent
TEMPLATES = BUILDER / "pages" / "templates"
ZH_TERMS = BUILDER / "pages" / "zh_terms.txt"
WEB = BUILDER.parent / "web"             # every file the browser runs: our JavaScript and CSS
WORKER_JS = WEB / "worker"               # the calculator's worker (hosted and file:// routes)

# --- languages -------------------------------------------------------------------------------------

# The list of languages is calculator/languages.py's (the engine speaks each). The first is the
# site root; the others live in a folder of their name. What the site needs to know of each:
LANGUAGE_SETTINGS: dict[str, dict] = {
    "zh": {"name": "中文", "english_name": "Chinese", "html": "zh-Hans", "search": "zh",
           "colon": "：", "paren": ("（", "）"), "segment_words": True, "short_name": "社保卡指南"},
    "en": {"name": "English", "english_name": "English", "html": "en", "search": "en",
           "colon": ": ", "paren": (" (", ")"), "segment_words": False, "short_name": "Card guide"},
}
if set(LANGUAGE_SETTINGS) != set(LANGS):
    raise RuntimeError(f"builder/site_layout.py: LANGUAGE_SETTINGS covers {sorted(LANGUAGE_SETTINGS)}, but the "
                       f"languages are {list(LANGS)} (calculator/languages.py): give every language its settings")
LANG_NAMES = {lang: LANGUAGE_SETTINGS[lang]["name"] for lang in LANGS}
HTML_LANG = {lang: LANGUAGE_SETTINGS[lang]["html"] for lang in LANGS}
SEARCH_LANG = {lang: LANGUAGE_SETTINGS[lang]["search"] for lang in LANGS}


def lang_dir(lang: str) -> str:
    """The language's folder inside the site: "" for the root language (zh), its code for the others."""
    return "" if lang == LANGS[0] else lang


def lang_prefix(lang: str) -> str:
    """Path from the site root to the language's root: "" or "en/"."""
    return f"{lang_dir(lang)}/" if lang_dir(lang) else ""


def up_to_root(lang: str) -> str:
    """Path from the language's root back to the site root: "" or "../"."""
    return "../" if lang_dir(lang) else ""


def prefix_between(here: str, there: str) -> str:
    """Relative path from one language's root to another's: "" (same), "en/" (zh->en), "../" (en->zh)."""
    return "" if here == there else up_to_root(here) + lang_prefix(there)


def lang_of(rel_path: str) -> str:
    """The language of a built file, from its path relative to the site root."""
    for lang in LANGS[1:]:
        if rel_path.startswith(lang_prefix(lang)):
            return lang
    return LANGS[0]


# --- the built site (paths relative to the site root; shared by every language) ------------------

ASSETS = "assets/"
RULES_DIR = "rules"                      # each policy profile's rules page: rules/<id>.html per language


def rules_url(profile_id: str) -> str:
    """A profile's rules page, relative to a language root."""
    return f"{RULES_DIR}/{profile_id}.html"


RUNTIME_BASE = "assets/pyodide/"          # the hosted calculator runtime
FILE_ROUTE_BASE = "assets/pyodide-file/"  # the file:// runtime (offline bundle only)
CALCULATOR_ASSETS = "assets/calculator/"
CALCULATOR_DATA = CALCULATOR_ASSETS + "calculator-data.js"
OFFLINE_ASSETS = "assets/offline/"
ELDER_ASSETS = "assets/elder/"            # elder mode and read aloud, on every page
BUNDLE_PATH = "downloads/offline-bundle.zip"
IFRAME_WORKER = OFFLINE_ASSETS + "iframe-worker.js"          # offline bundle only (per language root)
IFRAME_WORKER_SCOPE = OFFLINE_ASSETS + "iframe-worker-scope.js"
SERVICE_WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"

# web/ files copied as they are into the site root's assets (both languages load the root's copy).
WEB_ASSETS = {
    "calculator/calculator.js": CALCULATOR_ASSETS + "calculator.js",
    "calculator/calculator.css": CALCULATOR_ASSETS + "calculator.css",
    "calculator/engine-client.js": CALCULATOR_ASSETS + "engine-client.js",
    "calculator/stale.js": CALCULATOR_ASSETS + "stale.js",
    "calculator/profile-summary.js": CALCULATOR_ASSETS + "profile-summary.js",
    "calculator/next.js": CALCULATOR_ASSETS + "next.js",
    "calculator/compare.js": CALCULATOR_ASSETS + "compare.js",
    "rules/rules.css": ASSETS + "rules/rules.css",
    "planner/planner.js": ASSETS + "planner/planner.js",
    "rules/own-rules.js": ASSETS + "rules/own-rules.js",
    "rules/rules.js": ASSETS + "rules/rules.js",
    "offline/offline-page.css": OFFLINE_ASSETS + "offline-page.css",
    "offline/offline-save.js": OFFLINE_ASSETS + "offline-save.js",
    "elder/elder.js": ELDER_ASSETS + "elder.js",
}
