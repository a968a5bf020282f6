"""The languages every user-facing text comes in: the one list, read by the engine, the content
checks and the site builder.

A text in all of them is one value given by keyword, ``Text(zh="…", en="…")`` (calculator.model), and
every helper that takes a message takes it as ``zh=…, en=…``: two languages can never swap places
by position. A further language is added here, in the site's per-language settings
(builder/site_layout.py) and in the translations.
"""
from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en")    # the first is the site's root language
