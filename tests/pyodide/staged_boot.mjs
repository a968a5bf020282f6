// Boot a runtime directory written by builder.runtime.package.stage_runtime under Node, the same
// way the page's worker does (builder/pyodide_worker_reference.js), and settle visits with it.
//
//   node tests/pyodide/staged_boot.mjs STAGED_DIR PROFILE_JSON VISIT_JSON [--stock-stdlib PATH]
//
// Prints one JSON line: {"ready_ms", "python", "stdlib", "result"} where result is
// calculator.estimate_or_errors(load_profile(PROFILE), VISIT) as a dict.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export async function bootStaged(dir, { stdLibURL } = {}) {
  dir = path.resolve(dir) + "/";
  const manifest = JSON.parse(await readFile(dir + "manifest.json", "utf8"));
  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(dir + "pyodide.mjs").href);
  const py = await loadPyodide({
    indexURL: dir,
    stdLibURL: stdLibURL ?? dir + manifest.stdlib,
    packages: [],
  });
  // The calculator zip goes on sys.path as is, where web/worker/core.js puts it (its .pyc files name
  // that path): zipimport runs the .pyc and reads the .py sources for tracebacks.
  const zipPath = `/home/pyodide/packages/${manifest.calculator}`;
  py.FS.mkdirTree("/home/pyodide/packages");
  py.FS.writeFile(zipPath, await readFile(dir + manifest.calculator));
  py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(zipPath)}); import calculator`);
  const ready_ms = performance.now() - t0;
  const estimate = py.runPython(
    "import json, calculator\n" +
    "def _estimate(profile_json, visit_json):\n" +
    "    profile = calculator.load_profile(json.loads(profile_json))\n" +
    "    return json.dumps(calculator.estimate_or_errors(profile, json.loads(visit_json)), ensure_ascii=False)\n" +
    "_estimate");
  return { py, manifest, ready_ms, estimate: (p, v) => JSON.parse(estimate(p, v)) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, profile, visit, flag, stock] = process.argv.slice(2);
  const { py, ready_ms, estimate } = await bootStaged(dir, flag === "--stock-stdlib" ? { stdLibURL: stock } : {});
  const info = JSON.parse(py.runPython(
    "import json, sys, json as j; json.dumps({'python': sys.version.split()[0], 'stdlib': j.__file__})"));
  console.log(JSON.stringify({ ready_ms, ...info, result: estimate(profile, visit) }));
}
