"""The file:// calculator route: Pyodide boots in a blob: classic worker of a page opened
from file:// in stock Chromium, with every non-file request blocked; and the build refuses a
runtime whose internals moved.

The staged runtime here is the stock node_modules/pyodide plus a tiny package of our own, so the
test does not depend on the calculator or on the precompiled stdlib.
"""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from support.browsing import keep_local
from builder.runtime.file_route import (
    FileRouteShapeError, SUPPORTED_PYODIDE, build_file_route, classic_asm, classic_loader,
)

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json", "python_stdlib.zip")


TINY_PACKAGE = {
    "tinyshop/__init__.py": "",
    "tinyshop/bill.py": (
        "from decimal import Decimal\n\n"
        "class BillError(ValueError):\n"
        "    def to_json(self):\n"
        "        return {'errors': [{'field': 'items', 'code': 'empty'}]}\n\n"
        "def total(items, rate='0'):\n"
        "    if not items:\n"
        "        raise BillError('no items')\n"
        "    amount = sum((Decimal(x) for x in items), Decimal('0'))\n"
        "    return {'total': amount, 'after_rate': (amount * (1 - Decimal(rate))).quantize(Decimal('0.01'))}\n"
    ),
}

# The page's side of the protocol, as a UI would use it (README.md): start the worker, init, run.
PAGE = """<!doctype html>
<meta charset="utf-8"><title>file route</title>
<script src="runtime/pyodide-file-route.js"></script>
<script>
window.outcome = (async () => {
  const messages = [];
  const worker = await PyodideFileRoute.startWorker();
  const replies = {};
  const ready = new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error("worker error: " + e.message));
    worker.onmessage = (e) => {
      const m = e.data;
      messages.push(m.type === "progress" ? "progress:" + m.stage : m.type);
      if (m.type === "ready") resolve(m);
      else if (m.type === "error") reject(new Error(m.stage + ": " + m.message));
      else if (m.type === "result") replies[m.id](m);
    };
  });
  const run = (id, func, args, kwargs) => new Promise((resolve) => {
    replies[id] = resolve;
    worker.postMessage({type: "run", id, module: "tinyshop.bill", func, args, kwargs});
  });
  worker.postMessage({type: "init", packages: ["tinyshop.zip"], imports: ["tinyshop.bill"]});
  const early = run(1, "total", [["1.10", "2.25", "0.05"]], {rate: "0.1"});   // sent before ready
  const info = await ready;
  const late = await run(2, "total", [[]]);
  return {info, early: await early, late, messages,
          protocol: location.protocol, fileRouteRegistryFreed: self.__pyodideFileRoute.wasm === null};
})().catch((e) => ({failed: String(e)}));
</script>
"""


def _staged(tmp: Path) -> Path:
    staged = tmp / "staged"
    staged.mkdir()
    for name in RUNTIME_FILES:
        (staged / name).symlink_to(PYODIDE / name)
    with zipfile.ZipFile(staged / "tinyshop.zip", "w", zipfile.ZIP_STORED) as z:
        for name, text in TINY_PACKAGE.items():
            z.writestr(name, text)
    return staged


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("file_route")
    site = tmp / "site 社保"    # a space and CJK in the path, as on a USB stick
    manifest = build_file_route(_staged(tmp), site / "runtime")
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    return site, manifest


def test_manifest_lists_every_written_script(bundle):
    site, manifest = bundle
    written = {p.name: p.stat().st_size for p in (site / "runtime").iterdir()}
    assert written == {name: f["bytes"] for name, f in manifest["files"].items()}
    assert manifest["assets"]["packages"] == {"tinyshop.zip": "pyodide-file-pkg-tinyshop.js"}
    assert manifest["pyodide"] == SUPPORTED_PYODIDE
    # Classic scripts only: nothing in the output may need a module context.
    worker = (site / "runtime" / "pyodide-file-worker.js").read_text(encoding="utf-8")
    assert "import.meta" not in worker


def test_boots_from_file_url_in_a_worker_with_the_network_blocked(bundle, browser):
    site, _ = bundle
    requests: list[str] = []
    context = browser.new_context()
    try:
        blocked = keep_local(context, ("file:",))
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        workers = []
        page.on("worker", lambda w: workers.append(w.url))
        page.goto((site / "index.html").as_uri())
        outcome = page.evaluate("window.outcome")
    finally:
        context.close()

    assert "failed" not in outcome, outcome
    assert outcome["protocol"] == "file:"
    assert outcome["info"]["pyodide"] == SUPPORTED_PYODIDE and outcome["info"]["python"].startswith("3.14.")
    assert outcome["early"] == {"type": "result", "id": 1, "ok": True,
                                "value": {"total": "3.40", "after_rate": "3.06"}}
    late = outcome["late"]
    assert late["ok"] is False and late["id"] == 2
    assert late["error"]["type"] == "BillError" and late["error"]["message"] == "no items"
    assert late["error"]["details"] == {"errors": [{"field": "items", "code": "empty"}]}
    assert outcome["messages"][:2] == ["progress:runtime", "progress:packages"]
    assert outcome["messages"].index("ready") < outcome["messages"].index("result")
    assert outcome["fileRouteRegistryFreed"] is True
    assert workers and all(w.startswith("blob:") for w in workers), workers
    # Nothing but the bundle's own files (and the in-memory blob: worker) was requested.
    assert blocked == []
    assert requests and all(u.startswith(("file:", "blob:", "data:")) for u in requests), requests


# --- the shape check: a deliberately altered runtime must stop the build, saying what moved ---

def _altered(tmp_path: Path, name: str, old: str, new: str) -> Path:
    staged = _staged(tmp_path)
    text = (PYODIDE / name).read_text(encoding="utf-8")
    assert old in text, f"test fixture out of date: {old!r} not in {name}"
    (staged / name).unlink()
    (staged / name).write_text(text.replace(old, new), encoding="utf-8")
    return staged


@pytest.mark.parametrize("name, old, new, expected", [
    ("pyodide.mjs", "stdLibURL", "stdlibUrl", "'stdLibURL'"),
    ("pyodide.mjs", "createPyodideModule", "createModule", "'createPyodideModule'"),
    ("pyodide.mjs", f'"{SUPPORTED_PYODIDE}"', '"315.0.0"', "not version"),
    ("pyodide.mjs", "export{dt as loadPyodide,U as version};", "export{dt as load,U as version};",
     "not loadPyodide and version"),
    ("pyodide.mjs", 'function ae(){try{return globalThis.importScripts("data:text/javascript,")',
     'function ae(){try{return globalThis.importScripts("data:text/javascript,"),importScripts(x)',
     "importScripts beyond"),
    ("pyodide.asm.mjs", "export default _createPyodideModule;", "export {_createPyodideModule};",
     "export default"),
    ("pyodide.asm.mjs", "var _scriptName=import.meta.url;", "var _scriptName=import.meta.resolve('.');",
     "import.meta.resolve"),
    ("pyodide.asm.mjs", "var _scriptName=import.meta.url;",
     "var _scriptName=import.meta.url;import{x}from'./extra.mjs';", "not a valid classic script"),
])
def test_altered_runtime_is_refused(tmp_path, name, old, new, expected):
    staged = _altered(tmp_path, name, old, new)
    with pytest.raises(FileRouteShapeError) as err:
        build_file_route(staged, tmp_path / "out")
    message = str(err.value)
    assert expected in message
    assert "SUPPORTED_PYODIDE" in message          # tells the reader what to do
    assert not (tmp_path / "out").exists()         # nothing half-written


def test_missing_runtime_file_is_refused(tmp_path):
    staged = _staged(tmp_path)
    (staged / "pyodide.asm.wasm").unlink()
    with pytest.raises(FileRouteShapeError, match="pyodide.asm.wasm is missing"):
        build_file_route(staged, tmp_path / "out")


def test_classic_transforms_keep_the_exports():
    loader = classic_loader((PYODIDE / "pyodide.mjs").read_text(encoding="utf-8"))
    asm = classic_asm((PYODIDE / "pyodide.asm.mjs").read_text(encoding="utf-8"))
    assert loader.rstrip().endswith("return {loadPyodide: dt, version: U};\n})()")
    assert asm.rstrip().endswith("return _createPyodideModule;\n})()")
    assert "sourceMappingURL" not in loader
    assert json.dumps("file:///pyodide/pyodide.asm.mjs") in asm
