// The on-device snapshot's parts under Node, with a staged runtime: make a snapshot of a booted
// runtime whose heap has grown past Pyodide's default, store it as the worker does
// (web/worker/snapshot.js: zero blocks left out), and restore it three ways.
//
//   node tests/pyodide/snapshot_roundtrip.mjs STAGED_DIR PROFILE_JSON VISIT_JSON
//
// Prints one JSON line: {heap_default, heap_snapshot, raw, stored, same_after_decode,
// plain_restore_error, restored_result, made_result, damaged_error}.
import { readFile } from "node:fs/promises";
import path from "node:path";
import vm from "node:vm";
import { pathToFileURL } from "node:url";

const [dirArg, profileJSON, visitJSON] = process.argv.slice(2);
const dir = path.resolve(dirArg) + "/";
const here = path.dirname(new URL(import.meta.url).pathname);
// snapshot.js is a plain script that declares functions: run it in this context.
vm.runInThisContext(await readFile(path.join(here, "../../web/worker/snapshot.js"), "utf8"));
const manifest = JSON.parse(await readFile(dir + "manifest.json", "utf8"));
const { loadPyodide } = await import(pathToFileURL(dir + "pyodide.mjs").href);
const runtimeModule = import(pathToFileURL(dir + "pyodide.asm.mjs").href);
const options = { indexURL: dir, stdLibURL: dir + manifest.stdlib, packages: [] };
const zip = await readFile(dir + manifest.calculator);
const zipPath = `/home/pyodide/packages/${manifest.calculator}`;
const ESTIMATE = "import json, calculator.jsonapi as A\n" +
  "json.dumps(A.estimate(json.loads(PID), json.loads(VISIT)), ensure_ascii=False)";

function estimate(py) {
  py.globals.set("PID", JSON.stringify(JSON.parse(profileJSON).id));
  py.globals.set("VISIT", visitJSON);
  return JSON.parse(py.runPython(ESTIMATE));
}

const py = await loadPyodide({ ...options, _makeSnapshot: true });
const heapDefault = py._module.HEAP8.length;
py.FS.mkdirTree("/home/pyodide/packages");
py.FS.writeFile(zipPath, zip);
py.globals.set("PROFILES", JSON.stringify({ [JSON.parse(profileJSON).id]: JSON.parse(profileJSON) }));
py.runPython(`import sys, json; sys.path.insert(0, ${JSON.stringify(zipPath)})
from decimal import Decimal
import calculator.jsonapi as A
A.load_profiles(json.loads(PROFILES, parse_float=Decimal))
# Grow the heap past the default (as more profiles or packages would), then free the memory:
# the heap keeps its size, so the snapshot is larger than a fresh module's heap.
_big = bytearray(48 * 1024 * 1024); del _big
del PROFILES`);
const madeResult = estimate(py);
const full = py.makeMemorySnapshot();
const stored = encodeSnapshot(full);
const back = decodeSnapshot(stored);
const same = back.length === full.length && Buffer.compare(Buffer.from(back), Buffer.from(full)) === 0;
const heapBytes = snapshotHeapBytes(back);

// Pyodide alone cannot take back a snapshot larger than its default heap (pyodide/pyodide#6254).
let plainError = null;
try {
  await loadPyodide({ ...options, _loadSnapshot: back.slice() });
} catch (err) {
  plainError = String(err && err.message || err);
}
// With the worker's sized() module, it can.
const snapshots = runtimeSnapshots("");
const restored = await loadPyodide({ ...options, _loadSnapshot: back.slice(),
                                     createPyodideModule: snapshots.sized(runtimeModule, heapBytes) });
restored.FS.mkdirTree("/home/pyodide/packages");
restored.FS.writeFile(zipPath, zip);
const restoredResult = estimate(restored);

// A damaged record: one flipped bit in a kept block no longer decodes to the same bytes, and
// Pyodide's own header check refuses a snapshot of another build.
const damaged = stored.slice();
damaged[damaged.length - 5] ^= 1;
const damagedSame = Buffer.compare(Buffer.from(decodeSnapshot(damaged)), Buffer.from(full)) === 0;
const otherBuild = back.slice();
otherBuild[20] ^= 0xff;               // inside Pyodide's BUILD_ID (header words 4..11)
let buildError = null;
try {
  await loadPyodide({ ...options, _loadSnapshot: otherBuild, createPyodideModule: snapshots.sized(runtimeModule, heapBytes) });
} catch (err) {
  buildError = String(err && err.message || err);
}
console.log(JSON.stringify({
  heap_default: heapDefault, heap_snapshot: heapBytes, raw: full.length, stored: stored.length,
  same_after_decode: same, plain_restore_error: plainError, made_result: madeResult,
  restored_result: restoredResult, damaged_decodes_same: damagedSame, other_build_error: buildError,
}));
