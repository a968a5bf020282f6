// Boot a runtime directory written by builder.runtime.package.stage_runtime under Node with the
// steps of the page's worker (web/worker/core.js + hosted.js): the same loadPyodide options, each
// package zip written to /home/pyodide/packages and put on sys.path, then every call through
// worker_call.call (web/worker/worker_call.py) into calculator.jsonapi, as the page makes them.
//
//   node tests/pyodide/staged_boot.mjs STAGED_DIR PROFILE_JSON VISIT_JSON [--stock-stdlib PATH]
//
// Prints one JSON line: {"ready_ms", "python", "stdlib", "result"} where result is
// calculator.jsonapi.estimate(id, VISIT) after load_profiles({id: PROFILE}).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PACKAGE_DIR = "/home/pyodide/packages";
const CALL_DIR = "/home/pyodide/worker";
const WORKER_CALL = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "web", "worker", "worker_call.py");

export async function bootStaged(dir, { stdLibURL } = {}) {
  dir = path.resolve(dir) + "/";
  const manifest = JSON.parse(await readFile(dir + "manifest.json", "utf8"));
  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(dir + "pyodide.mjs").href);
  const py = await loadPyodide({
    indexURL: dir,
    stdLibURL: stdLibURL ?? dir + manifest.stdlib,
    lockFileURL: dir + "pyodide-lock.json",
    packages: [],
  });
  py.FS.mkdirTree(PACKAGE_DIR);
  py.FS.mkdirTree(CALL_DIR);
  py.FS.writeFile(`${CALL_DIR}/worker_call.py`, await readFile(WORKER_CALL, "utf8"));
  const sys = py.pyimport("sys");
  sys.path.insert(0, CALL_DIR);
  for (const name of [manifest.calculator]) {
    py.FS.writeFile(`${PACKAGE_DIR}/${name}`, await readFile(dir + name));
    sys.path.insert(0, `${PACKAGE_DIR}/${name}`);
  }
  sys.destroy();
  const call = py.pyimport("worker_call").call;
  py.pyimport("calculator.jsonapi").destroy();
  const ready_ms = performance.now() - t0;
  const run = (module, func, ...args) => {
    const out = JSON.parse(call(module, func, JSON.stringify(args), "{}"));
    if (!out.ok) throw new Error(`${module}.${func}: ${out.error.type}: ${out.error.message}\n${out.error.traceback}`);
    return out.value;
  };
  // profile and visit come as JSON text; the page sends the same objects through postMessage.
  const estimate = (profileJson, visitJson) => {
    const profile = JSON.parse(profileJson);
    const [id] = run("calculator.jsonapi", "load_profiles", { [profile.id ?? "profile"]: profile });
    return run("calculator.jsonapi", "estimate", id, JSON.parse(visitJson));
  };
  return { py, manifest, ready_ms, run, estimate };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, profile, visit, flag, stock] = process.argv.slice(2);
  const { py, ready_ms, estimate } = await bootStaged(dir, flag === "--stock-stdlib" ? { stdLibURL: stock } : {});
  const sys = py.pyimport("sys");
  const json = py.pyimport("json");
  const info = { python: String(sys.version).split(" ")[0], stdlib: String(json.__file__) };
  console.log(JSON.stringify({ ready_ms, ...info, result: estimate(profile, visit) }));
}
