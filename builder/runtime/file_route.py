"""The calculator runtime for pages opened from file://: classic-script assets.

    build_file_route(staged_runtime_dir, dest, packages=None) -> manifest dict

Chromium gives a file:// page the null origin: module scripts, module workers, fetch and XHR of
sibling files are refused, but classic <script src> still loads. So this step turns the staged
runtime (builder.runtime.package.stage_runtime output: pyodide.mjs, pyodide.asm.mjs,
pyodide.asm.wasm, pyodide-lock.json, python_stdlib.zip, package zips) into classic scripts:

    pyodide-file-route.js     page side: PyodideFileRoute.startWorker() -> Promise<Worker>
    pyodide-file-worker.js    the worker source as one string: loader and asm module made classic,
                              lock file inline, fetch shim, protocol (web/worker/*.js)
    pyodide-file-wasm.js      pyodide.asm.wasm as base64
    pyodide-file-stdlib.js    python_stdlib.zip as base64
    pyodide-file-pkg-<name>.js  each package zip as base64

It leans on the runtime's internals, so check_shape() refuses a loader or asm module that no longer
has the shape the patches assume, and the result is parsed as a classic script by Node.
The hosted site does not use any of this (web/worker/README.md).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from builder.runtime.layout import LOADER_NEEDS as SHARED_LOADER_NEEDS, RUNTIME, check_runtime_files
from builder.site_layout import WORKER_JS
from builder.runtime.worker_source import core_js
from builder.web_values import filled_file, insert_vendored

SUPPORTED_PYODIDE = RUNTIME.version
JS_DIR = WORKER_JS
WORKER_PARTS = ("file_prelude.js", "file_fetch_shim.js")          # before the runtime code
WORKER_TAIL = ("file.js",)             # after it
STDLIB_NAME = RUNTIME.stdlib

PAGE_SCRIPT = "pyodide-file-route.js"
WORKER_SCRIPT = "pyodide-file-worker.js"
WASM_SCRIPT = "pyodide-file-wasm.js"
STDLIB_SCRIPT = "pyodide-file-stdlib.js"

# Strings the file:// route relies on in pyodide.mjs beyond what both routes need (layout.LOADER_NEEDS).
LOADER_NEEDS = {
    **SHARED_LOADER_NEEDS,
    "instantiateStreaming": "compiling the wasm from the shim's Response",
    'importScripts("data:text/javascript,")': "the classic-worker probe the worker prelude disables",
    "Classic web workers are not supported": "the classic-worker refusal the prelude avoids",
}
ASM_NEEDS = {
    'importScripts("data:text/javascript,")': "the classic-worker probe the worker prelude disables",
    '"pyodide.asm.wasm"': "the wasm file name",
    "instantiateWasm": "the hook through which the loader hands over the wasm",
}
EXPORT_BLOCK = re.compile(r"\bexport\s*\{([^}]*)\}\s*;?\s*(//# sourceMappingURL=\S*\s*)?$")
EXPORT_DEFAULT = re.compile(r"\bexport\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*(//# sourceMappingURL=\S*\s*)?$")
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.M)


class FileRouteShapeError(RuntimeError):
    """The staged Pyodide runtime no longer has the shape the file:// route patches."""


def _fail(what: str) -> None:
    raise FileRouteShapeError(
        f"file:// calculator route: {what}.\n"
        f"builder/runtime/file_route.py turns Pyodide {SUPPORTED_PYODIDE}'s module scripts into classic "
        "scripts and relies on the loader internals listed there. If Pyodide was upgraded on purpose, "
        "re-check those internals (LOADER_NEEDS, ASM_NEEDS), run tests/test_file_route.py, then update "
        "SUPPORTED_PYODIDE; otherwise restore the pinned package with `python3 build.py` (npm ci)."
    )


def _export_names(block: str) -> dict[str, str]:
    """'dt as loadPyodide,U as version' -> {'loadPyodide': 'dt', 'version': 'U'}."""
    names = {}
    for item in filter(None, (part.strip() for part in block.split(","))):
        local, _, exported = item.partition(" as ")
        names[(exported or local).strip()] = local.strip()
    return names


def classic_loader(source: str) -> str:
    """pyodide.mjs as a classic-script expression evaluating to {loadPyodide, version}."""
    for needle, why in LOADER_NEEDS.items():
        if needle not in source:
            _fail(f"pyodide.mjs no longer contains {needle!r} ({why})")
    if f'"{SUPPORTED_PYODIDE}"' not in source:
        found = re.findall(r'="(\d+\.\d+\.\d+[\w.]*)"', source)
        _fail(f"pyodide.mjs is not version {SUPPORTED_PYODIDE} (version strings found: {found[:3]})")
    if "import.meta" in source:
        _fail("pyodide.mjs now uses import.meta, which a classic script cannot")
    match = EXPORT_BLOCK.search(source)
    if not match:
        _fail("pyodide.mjs does not end with one `export{...}` block")
    exports = _export_names(match.group(1))
    if "loadPyodide" not in exports or "version" not in exports:
        _fail(f"pyodide.mjs exports {sorted(exports)}, not loadPyodide and version")
    body = source[:match.start()]
    _check_importscripts(body, "pyodide.mjs")
    return ('(function () {\n"use strict";\n' + SOURCE_MAP.sub("", body) +
            f'\nreturn {{loadPyodide: {exports["loadPyodide"]}, version: {exports["version"]}}};\n}})()')


def classic_asm(source: str, script_url: str = "file:///pyodide/pyodide.asm.mjs") -> str:
    """pyodide.asm.mjs as a classic-script expression evaluating to createPyodideModule.

    Its three import.meta.url uses only feed Emscripten's script directory, which the loader's
    locateFile and instantiateWasm make unused in the browser; a fixed URL stands in for them.
    """
    for needle, why in ASM_NEEDS.items():
        if needle not in source:
            _fail(f"pyodide.asm.mjs no longer contains {needle!r} ({why})")
    match = EXPORT_DEFAULT.search(source)
    if not match:
        _fail("pyodide.asm.mjs does not end with `export default <createPyodideModule>`")
    body = source[:match.start()]
    meta_uses = re.findall(r"import\.meta(?:\.\w+)?", body)
    if any(use != "import.meta.url" for use in meta_uses):
        _fail(f"pyodide.asm.mjs uses {sorted(set(meta_uses))}; only import.meta.url can be replaced")
    if len(meta_uses) != 3:
        _fail(f"pyodide.asm.mjs uses import.meta.url {len(meta_uses)} times, not 3 (review each new use)")
    body = body.replace("import.meta.url", json.dumps(script_url))
    _check_importscripts(body, "pyodide.asm.mjs")
    return ('(function () {\n"use strict";\n' + SOURCE_MAP.sub("", body) +
            f"\nreturn {match.group(1)};\n}})()")


def _check_importscripts(body: str, name: str) -> None:
    """The worker prelude makes importScripts throw: safe only while the probe is its sole use."""
    total = body.count("importScripts")
    known = body.count('importScripts("data:text/javascript,")') + body.count('typeof globalThis.importScripts')
    if total != known:
        _fail(f"{name} uses importScripts beyond the classic-worker probe ({total} uses, {known} known)")


def check_shape(staged: Path) -> dict:
    """Check the staged runtime's files; return {'version', 'lock'} for the build."""
    lock = check_runtime_files(staged, lambda what: _fail(
        f"{what} (stage the runtime first: builder.runtime.package.stage_runtime)"))
    if not zipfile.is_zipfile(staged / STDLIB_NAME):
        _fail(f"{STDLIB_NAME} is not a zip file")
    if not isinstance(lock.get("packages"), dict) or not str(lock.get("info", {}).get("python", "")):
        _fail("pyodide-lock.json has no 'packages' table or no info.python")
    return {"version": SUPPORTED_PYODIDE, "lock": lock}


def _check_classic_syntax(sources: dict[str, str]) -> None:
    """Parse each generated script as a classic script with Node: a static import/export left in the
    runtime (a new module-ism the patches above do not know) is a syntax error there."""
    node = shutil.which("node")
    if node is None:
        _fail("node is needed to check the generated classic scripts (Node.js 20+)")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in sources.items():
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        proc = subprocess.run([node, str(Path(__file__).with_name("check_classic_scripts.mjs")), *paths],
                              capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        _fail(f"a generated script is not a valid classic script: {proc.stdout.strip()} {proc.stderr.strip()}")


def worker_source(staged: Path) -> str:
    """The whole blob: classic worker: prelude, shim, lock, classic asm and loader, protocol."""
    shape = check_shape(staged)
    loader = classic_loader((staged / "pyodide.mjs").read_text(encoding="utf-8"))
    asm = classic_asm((staged / "pyodide.asm.mjs").read_text(encoding="utf-8"))
    parts = [(JS_DIR / name).read_text(encoding="utf-8") for name in WORKER_PARTS]
    runtime = filled_file(JS_DIR / "file_runtime.js", {"version": shape["version"], "lock": shape["lock"]})
    parts.append(insert_vendored(runtime, {"pyodide_asm": asm, "pyodide_loader": loader}, "web/worker/file_runtime.js"))
    parts.append(core_js())
    parts += [(JS_DIR / name).read_text(encoding="utf-8") for name in WORKER_TAIL]
    return "\n".join(parts)


def _registry_script(key: list[str], value: str) -> str:
    """A classic script storing one string in the page's registry (web/worker/file_asset.js)."""
    return filled_file(JS_DIR / "file_asset.js", {"key": key, "value": value})


def _package_script_name(zip_name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", zip_name.removesuffix(".zip")).strip("-")
    return f"pyodide-file-pkg-{stem}.js"


def build_file_route(staged_runtime_dir: Path, dest: Path, packages: list[str] | None = None) -> dict:
    """Write the classic-script assets of the file:// route into dest; return the manifest.

    packages: names of zips in staged_runtime_dir to embed (default: every *.zip but the stdlib).
    """
    staged, dest = Path(staged_runtime_dir), Path(dest)
    worker = worker_source(staged)
    if packages is None:
        packages = sorted(p.name for p in staged.glob("*.zip") if p.name != STDLIB_NAME)
    for name in packages:
        if not zipfile.is_zipfile(staged / name):
            _fail(f"package {staged / name} is missing or not a zip")

    b64 = lambda path: base64.b64encode(path.read_bytes()).decode("ascii")  # noqa: E731
    scripts = {
        WORKER_SCRIPT: _registry_script(["worker"], worker),
        WASM_SCRIPT: _registry_script(["wasm"], b64(staged / "pyodide.asm.wasm")),
        STDLIB_SCRIPT: _registry_script(["stdlib"], b64(staged / STDLIB_NAME)),
    }
    package_scripts = {name: _package_script_name(name) for name in packages}
    if len(set(package_scripts.values())) != len(package_scripts):
        _fail(f"package zip names collide once made into script names: {package_scripts}")
    for name, script in package_scripts.items():
        scripts[script] = _registry_script(["packages", name], b64(staged / name))
    assets = {"worker": WORKER_SCRIPT, "wasm": WASM_SCRIPT, "stdlib": STDLIB_SCRIPT, "packages": package_scripts}
    scripts[PAGE_SCRIPT] = filled_file(JS_DIR / "file_page_start.js", {"assets": assets})

    _check_classic_syntax({PAGE_SCRIPT: scripts[PAGE_SCRIPT], "worker.js": worker})
    dest.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, text in scripts.items():
        data = text.encode("utf-8")
        (dest / name).write_bytes(data)
        files[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {
        "pyodide": SUPPORTED_PYODIDE,
        "page_script": PAGE_SCRIPT,
        "assets": assets,
        "packages": list(packages),
        "total_bytes": sum(f["bytes"] for f in files.values()),
        "files": files,
    }
