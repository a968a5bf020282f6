"""Stage what the cost-estimate page needs: the runtime before the pages are rendered (its size is
on the offline page), then into the built site once MkDocs has written it.

    stage_runtime(ctx)          ctx.work/runtime/: the self-hosted runtime + calculator.zip
                                (builder.runtime.package) and calculator-worker.js; sets ctx.runtime
    stage_install_runtime(ctx)  site/assets/pyodide/ (a copy of the above) and
                                site/assets/calculator/calculator-data.js

calculator-data.js is web/calculator/calculator-data.js with
    {version, runtime: {files: {name: bytes}}, calculator_zip: {name, size}, profiles: [{summary, profile, checked}],
     fields: {inputs, figures} (calculator/fields.py: the visit inputs and result figures)}
filled in: a classic script rather than JSON, so the page can read it from file:// too.

Both languages share these (the English pages point one level up), so the runtime is
downloaded and cached once.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from calculator import profile_summary, profile_to_dict
from calculator.fields import table_json
from calculator.jsonapi import profile_digest
from builder.context import BuildContext, RuntimeInfo
from builder.runtime.package import stage_runtime as stage_runtime_files
from builder.publish.precompress import download_bytes
from builder.site_layout import CALCULATOR_DATA, RUNTIME_BASE, WEB, WORKER_JS
from builder.runtime.worker_source import core_js
from builder.web_values import filled_file, fill_values

HOSTED_WORKER = "calculator-worker.js"
# Real (if unverified) regions first, the illustrative example last.
_STATUS_ORDER = {"verified": 0, "unverified": 1, "illustrative": 2}


def in_menu_order(profiles) -> list:
    return sorted(profiles, key=lambda p: (_STATUS_ORDER.get(p.status, 9), p.id))


def _shipped(profile) -> dict:
    """A profile as the page gets it. ``checked``: the digest of the profile dict, whose published
    examples the build has run (validate); the worker runs them again only for a profile that differs."""
    data = profile_to_dict(profile)
    return {"summary": profile_summary(profile), "profile": data, "checked": profile_digest(data)}


def calculator_data(manifest: dict, profiles: list, download: int = 0) -> dict:
    files = manifest["files"]
    return {
        "version": manifest["content_hash"],
        # download: the size the pages state (RuntimeInfo.download_bytes); progress counts towards it.
        "runtime": {"files": {name: f["bytes"] for name, f in files.items()}, "download": download},
        "calculator_zip": {"name": manifest["calculator"], "size": files[manifest["calculator"]]["bytes"]},
        "profiles": [_shipped(p) for p in profiles],
        "fields": table_json(),
    }


# The hosted worker after core.js (which the file:// route shares).
HOSTED_PARTS = ("snapshot.js", "hosted.js")


def snapshot_key(manifest: dict) -> str:
    """What a stored runtime snapshot must have been made with: the runtime and calculator.zip
    (the manifest's content hash) and the worker code that makes and restores it. The profiles are
    matched at restore time instead (the page's setup call must equal the snapshot's, see
    web/worker/README.md), so that a profile edit leaves assets/pyodide/ unchanged and the service
    worker's copy of the runtime stays valid."""
    digest = hashlib.sha256(manifest["content_hash"].encode())
    digest.update(core_js().encode("utf-8"))
    for name in HOSTED_PARTS:
        digest.update((WORKER_JS / name).read_bytes())
    return digest.hexdigest()[:32]


def hosted_worker_source(manifest: dict) -> str:
    """The module worker: the shared protocol core, the on-device snapshot, then the hosted route
    (which imports Pyodide's loader itself, and gets the snapshot key)."""
    snapshot, hosted = ((WORKER_JS / name).read_text(encoding="utf-8") for name in HOSTED_PARTS)
    hosted = fill_values(hosted, {"snapshot_key": snapshot_key(manifest)}, "web/worker/hosted.js")
    return "\n".join([core_js(), snapshot, hosted])


def write_runtime(root: Path, dest: Path) -> RuntimeInfo:
    manifest = stage_runtime_files(root, dest)
    (dest / HOSTED_WORKER).write_text(hosted_worker_source(manifest), encoding="utf-8")
    files = sorted(p for p in dest.iterdir() if p.is_file())
    return RuntimeInfo(folder=dest, manifest=manifest, total_bytes=sum(p.stat().st_size for p in files),
                       download_bytes=download_bytes(files, root / ".cache" / "precompress"))


def calculator_data_script(runtime: RuntimeInfo, profiles) -> str:
    data = calculator_data(runtime.manifest, in_menu_order(profiles), runtime.download_bytes)
    return filled_file(WEB / "calculator" / "calculator-data.js", {"calculator": data})


def stage_runtime(ctx: BuildContext) -> None:
    ctx.runtime = write_runtime(ctx.root, ctx.work / "runtime")


def stage_install_runtime(ctx: BuildContext) -> None:
    shutil.copytree(ctx.runtime.folder, ctx.site / RUNTIME_BASE, dirs_exist_ok=True)
    out = ctx.site / CALCULATOR_DATA
    out.parent.mkdir(parents=True, exist_ok=True)
    source = calculator_data_script(ctx.runtime, ctx.content.profiles.values())
    out.write_text(source, encoding="utf-8")
    version_data_script(ctx.site, source)


def version_data_script(site: Path, source: str) -> str:
    """Also write the data as calculator-data.<hash>.js and point the built pages at that name.

    The service worker serves scripts cache-first, so under one fixed name a returning visitor
    would settle with the old rules next to a new page. The unhashed copy stays for the offline
    bundle, whose pages are built separately and never cached by a service worker."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
    name = f"calculator-data.{digest}.js"
    (site / CALCULATOR_DATA).with_name(name).write_text(source, encoding="utf-8")
    ref = "/" + CALCULATOR_DATA + '"'
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if ref in html:
            page.write_text(html.replace(ref, ref.replace("calculator-data.js", name)), encoding="utf-8")
    return name
