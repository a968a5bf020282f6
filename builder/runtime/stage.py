"""Stage what the cost-estimate page needs into the built site.

    stage_calculator(root, site_dir) -> manifest of the runtime

site/assets/pyodide/                 the self-hosted runtime + calculator.zip (builder.runtime.package)
site/assets/pyodide/calculator-worker.js   the module worker that boots it (hosted route)
site/assets/calculator/calculator-data.js
    window.SHEBAO_CALC = {version, runtime: {files: {name: bytes}}, calculator_zip: {name, size},
                          profiles: [{summary, profile}]}
    A classic script rather than JSON, so the page can read it from file:// too.

Both languages share these (the English pages point one level up), so the runtime is
downloaded and cached once.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from calculator import profile_summary, profile_to_dict
from builder.context import BuildContext
from builder.runtime.package import stage_runtime
from builder.site_layout import WORKER_JS


RUNTIME_DIR = ("assets", "pyodide")
DATA_FILE = ("assets", "calculator", "calculator-data.js")
# Real (if unverified) regions first, the illustrative example last.
_STATUS_ORDER = {"verified": 0, "unverified": 1, "illustrative": 2}


def in_menu_order(profiles) -> list:
    return sorted(profiles, key=lambda p: (_STATUS_ORDER.get(p.status, 9), p.id))


def calculator_data(manifest: dict, profiles: list) -> dict:
    files = manifest["files"]
    return {
        "version": manifest["content_hash"],
        "runtime": {"files": {name: f["bytes"] for name, f in files.items()}},
        "calculator_zip": {"name": manifest["calculator"], "size": files[manifest["calculator"]]["bytes"]},
        "profiles": [{"summary": profile_summary(p), "profile": profile_to_dict(p)} for p in profiles],
    }


HOSTED_PARTS = ("core.js", "snapshot.js", "hosted.js")


def snapshot_key(manifest: dict) -> str:
    """What a stored runtime snapshot must have been made with: the runtime and calculator.zip
    (the manifest's content hash) and the worker code that makes and restores it. The profiles are
    matched at restore time instead (the page's setup call must equal the snapshot's, see
    web/worker/README.md), so that a profile edit leaves assets/pyodide/ unchanged and the service
    worker's copy of the runtime stays valid."""
    digest = hashlib.sha256(manifest["content_hash"].encode())
    for name in HOSTED_PARTS:
        digest.update((WORKER_JS / name).read_bytes())
    return digest.hexdigest()[:32]


def hosted_worker_source(key: str) -> str:
    """The module worker: the snapshot key, the shared protocol core, the on-device snapshot, then
    the hosted route (which imports Pyodide's loader itself)."""
    parts = [(WORKER_JS / name).read_text(encoding="utf-8") for name in HOSTED_PARTS]
    return f"const SNAPSHOT_KEY = {json.dumps(key)};\n" + "\n".join(parts)


def write_calculator_files(root: Path, site_dir: Path, profiles) -> dict:
    """`profiles`: the calculator.Profile objects content validation already loaded."""
    runtime_dir = site_dir.joinpath(*RUNTIME_DIR)
    manifest = stage_runtime(root, runtime_dir)
    data = calculator_data(manifest, in_menu_order(profiles))
    (runtime_dir / "calculator-worker.js").write_text(hosted_worker_source(snapshot_key(manifest)), encoding="utf-8")
    out = site_dir.joinpath(*DATA_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Escape "<" so the data can never close a script element, wherever it ends up inlined.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    out.write_text(f"window.SHEBAO_CALC = {text};\n", encoding="utf-8")
    return manifest


def stage_calculator(ctx: BuildContext) -> None:
    write_calculator_files(ctx.root, ctx.site, ctx.content.profiles.values())
