"""The Pyodide runtime the site ships, described once: the pinned version, its file names, where
the worker puts packages, the loader internals the routes rely on, and the file check both the
packaging (builder/runtime/package.py) and the file:// route (builder/runtime/file_route.py) run.

Pyodide's snapshot and loader options used here are partly private API: a new version must fail
these checks at build time, never break the calculator in a reader's browser.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NoReturn


@dataclass(frozen=True)
class RuntimeLayout:
    version: str = "314.0.7"                  # npm package `pyodide`, pinned in package-lock.json
    python_minor: str = "3.14"
    loader: str = "pyodide.mjs"
    asm: str = "pyodide.asm.mjs"
    wasm: str = "pyodide.asm.wasm"
    lock: str = "pyodide-lock.json"
    stdlib: str = "python_stdlib.zip"
    calculator_zip: str = "calculator.zip"
    package_dir: str = "/home/pyodide/packages"   # where web/worker/core.js writes each package zip

    @property
    def files(self) -> tuple[str, ...]:
        """The runtime's own files (the stdlib and packages come on top)."""
        return (self.loader, self.asm, self.wasm, self.lock)


RUNTIME = RuntimeLayout()

# Strings both routes rely on in pyodide.mjs, with what each one is for.
LOADER_NEEDS = {
    "loadPyodide": "the loader's entry point",
    "stdLibURL": "the loadPyodide option pointing at the standard library",
    "lockFileURL": "the loadPyodide option the hosted route passes",
    "lockFileContents": "the loadPyodide option taking the lock file inline (file:// route)",
    "createPyodideModule": "the loadPyodide option that takes the (classic) asm module",
    "checkAPIVersion": "the loader's check of the runtime's API version",
    f'"{RUNTIME.wasm}"': "the wasm URL the fetch shim answers",
    RUNTIME.asm: "the asm module the loader imports",
}


def check_runtime_files(folder: Path, fail: Callable[[str], NoReturn]) -> dict:
    """The runtime files and the stdlib are in `folder`, the wasm is WebAssembly and the lock file
    is JSON with an info table; return the lock file's data."""
    for name in (*RUNTIME.files, RUNTIME.stdlib):
        if not (folder / name).is_file():
            fail(f"{folder / name} is missing")
    with open(folder / RUNTIME.wasm, "rb") as f:
        if f.read(4) != b"\0asm":
            fail(f"{RUNTIME.wasm} is not a WebAssembly module")
    try:
        lock = json.loads((folder / RUNTIME.lock).read_text(encoding="utf-8"))
    except ValueError as exc:
        fail(f"{RUNTIME.lock} is not JSON ({exc})")
    if not isinstance(lock.get("info"), dict):
        fail(f"{RUNTIME.lock} has no info table")
    return lock


def missing_loader_needs(loader_source: str, needs: dict[str, str] = LOADER_NEEDS) -> list[str]:
    return [f"{needle!r} ({why})" for needle, why in needs.items() if needle not in loader_source]
