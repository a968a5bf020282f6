// The runtime worker's message protocol (see README.md), shared by every route.
//
// A route supplies:
//   handles(msg)            -> true for route-internal messages this core must ignore
//   boot(init, progress)    -> Promise<pyodide>   (memoised by the route; may start before init)
//   packageBytes(name)      -> Promise<Uint8Array> the zip named in init.packages
// and calls serveRuntime(route) once.
"use strict";

// The Python side of "run" messages: the source of web/worker/worker_call.py, filled in by the build.
const CALL_SOURCE = /*@build:worker_call@*/null;
const CALL_DIR = "/home/pyodide/worker";
const PACKAGE_DIR = "/home/pyodide/packages";

function serveRuntime(route) {
  const post = (msg) => self.postMessage(msg);
  let started = null;                 // Promise<call>, set by the first init
  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {});              // a failed boot is reported once, as {type:'error'}

  async function start(init) {
    const t0 = performance.now();
    let stage = "runtime";
    const progress = (name, extra) => {
      stage = name;
      post({type: "progress", stage: name, at: Math.round(performance.now()), ...extra});
    };
    // The package downloads start now, alongside the runtime's, not after the boot.
    const packages = (init.packages || []).map((name) => [name, route.packageBytes(name)]);
    packages.forEach(([, bytes]) => bytes.catch(() => {}));   // awaited (and reported) below
    try {
      progress("runtime");
      const pyodide = await route.boot(init, progress);
      progress("packages");
      const FS = pyodide.FS;
      FS.mkdirTree(PACKAGE_DIR);
      const sys = pyodide.pyimport("sys");
      FS.mkdirTree(CALL_DIR);
      FS.writeFile(`${CALL_DIR}/worker_call.py`, CALL_SOURCE);
      sys.path.insert(0, CALL_DIR);
      for (const [name, bytes] of packages) {
        const path = `${PACKAGE_DIR}/${name}`;
        FS.writeFile(path, await bytes);
        sys.path.insert(0, path);       // zipimport: .pyc to run, .py sources for tracebacks
      }
      for (const [path, text] of Object.entries(init.files || {})) {
        FS.mkdirTree(path.slice(0, path.lastIndexOf("/")) || "/");
        FS.writeFile(path, text);
      }
      const python = String(sys.version).split(" ")[0];
      sys.destroy();
      progress("imports");
      const call = pyodide.pyimport("worker_call").call;   // kept for the worker's life
      for (const module of init.imports || []) pyodide.pyimport(module).destroy();
      resolveReady(call);
      post({type: "ready", at: Math.round(performance.now()), ms: Math.round(performance.now() - t0),
            pyodide: pyodide.version,
            python});
      return call;
    } catch (err) {
      rejectReady(err);
      post({type: "error", stage, message: String(err && err.message || err)});
      throw err;
    }
  }

  async function run(msg) {
    let call;
    try {
      call = await ready;
    } catch (err) {
      post({type: "result", id: msg.id, ok: false,
            error: {type: "RuntimeNotReady", message: String(err && err.message || err)}});
      return;
    }
    try {
      const out = call(msg.module, msg.func, JSON.stringify(msg.args || []), JSON.stringify(msg.kwargs || {}));
      post({type: "result", id: msg.id, ...JSON.parse(out)});
    } catch (err) {
      post({type: "result", id: msg.id, ok: false, error: {type: "WorkerError", message: String(err)}});
    }
  }

  self.addEventListener("message", (event) => {
    const msg = event.data || {};
    if (route.handles(msg)) return;
    if (msg.type === "init") {
      if (!started) { started = start(msg); started.catch(() => {}); }
    } else if (msg.type === "run") {
      run(msg);                         // queued behind init: awaits readiness
    } else {
      post({type: "error", stage: "protocol", message: `unknown message type ${JSON.stringify(msg.type)}`});
    }
  });
}
