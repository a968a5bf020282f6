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


def hosted_worker_source() -> str:
    """The module worker: Pyodide's loader, the shared protocol core, then the hosted route."""
    parts = [(WORKER_JS / name).read_text(encoding="utf-8") for name in ("core.js", "hosted.js")]
    return 'import { loadPyodide } from "./pyodide.mjs";\n' + "\n".join(parts)


def write_calculator_files(root: Path, site_dir: Path, profiles) -> dict:
    """`profiles`: the calculator.Profile objects content validation already loaded."""
    runtime_dir = site_dir.joinpath(*RUNTIME_DIR)
    manifest = stage_runtime(root, runtime_dir)
    (runtime_dir / "calculator-worker.js").write_text(hosted_worker_source(), encoding="utf-8")
    data = calculator_data(manifest, in_menu_order(profiles))
    out = site_dir.joinpath(*DATA_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Escape "<" so the data can never close a script element, wherever it ends up inlined.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    source = f"window.SHEBAO_CALC = {text};\n"
    out.write_text(source, encoding="utf-8")
    version_data_script(site_dir, source)
    return manifest


def version_data_script(site_dir: Path, source: str) -> str:
    """Also write the data as calculator-data.<hash>.js and point the built pages at that name.

    The service worker serves scripts cache-first, so under one fixed name a returning visitor
    would settle with the old rules next to a new page. The unhashed copy stays for the offline
    bundle, whose pages are built separately and never cached by a service worker."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
    name = f"calculator-data.{digest}.js"
    site_dir.joinpath(*DATA_FILE).with_name(name).write_text(source, encoding="utf-8")
    ref = "/" + "/".join(DATA_FILE) + '"'
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if ref in html:
            page.write_text(html.replace(ref, ref.replace("calculator-data.js", name)), encoding="utf-8")
    return name


def stage_calculator(ctx: BuildContext) -> None:
    write_calculator_files(ctx.root, ctx.site, ctx.content.profiles.values())
