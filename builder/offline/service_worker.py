"""The service worker (site/sw.js): web/offline/sw.js with its precache list and version filled in.

Written after every stage that changes a page (CSP, the bundle's size), because its cache name is
a hash of every file it precaches.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from builder.context import BuildContext
from builder.offline.usage import runtime_files, used_files
from builder.site_layout import LANGS, OFFLINE_ASSETS, RUNTIME_BASE, SERVICE_WORKER, WEB, lang_prefix
from builder.web_values import fill_values

SAVE_SCRIPT = "offline-save.js"           # loaded by offline.js, not by a tag, so no page names it
TEMPLATE = "offline/sw.js"


def service_worker(root: Path, site: Path) -> tuple[str, dict]:
    precache = sorted(set(used_files(site)) | {OFFLINE_ASSETS + SAVE_SCRIPT})
    digest = hashlib.sha256()
    for rel in precache:
        digest.update(rel.encode() + b"\0" + (site / rel).read_bytes() + b"\0")
    template = (WEB / TEMPLATE).read_text(encoding="utf-8")
    digest.update(template.encode())
    runtime = runtime_files(site)
    runtime_digest = hashlib.sha256()
    for name in runtime:
        runtime_digest.update(name.encode() + b"\0" + (site / RUNTIME_BASE / name).read_bytes())
    config = {
        "version": digest.hexdigest()[:16],
        "precache": precache,
        # An address the site does not have, offline: that language's "page not found" (status 404).
        "not_found": {lang_prefix(lang): lang_prefix(lang) + "404.html" for lang in LANGS},
        "runtime": {"version": runtime_digest.hexdigest()[:16], "base": RUNTIME_BASE, "files": runtime},
    }
    source = fill_values(template, {"config": config}, TEMPLATE)
    return source, config


def write_service_worker(root: Path, site: Path) -> dict:
    source, config = service_worker(root, site)
    (site / SERVICE_WORKER).write_text(source, encoding="utf-8")
    return config


def stage_service_worker(ctx: BuildContext) -> None:
    write_service_worker(ctx.root, ctx.site)
