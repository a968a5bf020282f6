// The runtime worker's message protocol (see README.md), shared by every route.
//
// A route supplies:
//   handles(msg)            -> true for route-internal messages this core must ignore
//   boot(init, progress)    -> Promise<pyodide>   (memoised by the route; may start before init)
//   packageBytes(name)      -> Promise<Uint8Array> the zip named in init.packages
//   snapshots, restoredSetup()   optional (hosted route): the on-device snapshot (snapshot.js)
// and calls serveRuntime(route) once.
"use strict";

// The Python side of "run" messages: the source of web/worker/worker_call.py, filled in by the build.
const CALL_SOURCE = /*@build:worker_call@*/null;
const CALL_DIR = "/home/pyodide/worker";
const PACKAGE_DIR = "/home/pyodide/packages";
// The snapshot is made this long after the first setup call has been answered: after the page has
// shown "ready", in time for a reader who comes back a few seconds later.
const SNAPSHOT_AFTER_MS = 1000;

function serveRuntime(route) {
  const post = (msg) => self.postMessage(msg);
  let started = null;                 // Promise<call>, set by the first init
  let pyodideRef = null;
  // Setup calls (a run with setup: true, e.g. loading the profiles) change the runtime's state for
  // the calls after them, and the snapshot keeps that state. setupLog holds the last one per
  // function, {"module.func": {args, answer}}; after a restore, the same call with the same
  // arguments is answered from the snapshot's log without running again. Any other arguments run
  // as usual, so a snapshot never stands in for data it was not made with.
  let setupLog = {};
  let restoredSetup = null;            // set when the boot restored a snapshot
  let snapshotTimer = null;
  let snapshotTold = false;
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
      pyodideRef = pyodide;
      restoredSetup = route.restoredSetup ? route.restoredSetup() : null;
      const FS = pyodide.FS;
      FS.mkdirTree(PACKAGE_DIR);
      const sys = pyodide.pyimport("sys");
      FS.mkdirTree(CALL_DIR);
      FS.writeFile(`${CALL_DIR}/worker_call.py`, CALL_SOURCE);
      sys.path.insert(0, CALL_DIR);
      for (const [name, bytes] of packages) {
        const path = `${PACKAGE_DIR}/${name}`;
        // The file system is not part of a memory snapshot: the zip is written again after a
        // restore, where sys.path already names it.
        FS.writeFile(path, await bytes);
        if (!sys.path.includes(path)) sys.path.insert(0, path);   // zipimport: .pyc to run, .py for tracebacks
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
            boot: restoredSetup ? "snapshot" : "normal",
            snapshot: route.snapshots ? route.snapshots.state : "unavailable",
            pyodide: pyodide.version,
            python});
      return call;
    } catch (err) {
      // Anything failing after a restore would fail the same way from this snapshot every time:
      // it goes, so the next visit boots normally.
      if (restoredSetup && route.snapshots) await route.snapshots.discard();
      rejectReady(err);
      post({type: "error", stage, message: String(err && err.message || err)});
      throw err;
    }
  }

  // A stored setup answer, or null when it cannot be read or did not succeed.
  function replayed(answer) {
    try {
      const parsed = JSON.parse(answer);
      return parsed && parsed.ok === true ? parsed : null;
    } catch (err) {
      return null;
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
      const name = `${msg.module}.${msg.func}`;
      const args = JSON.stringify([msg.args || [], msg.kwargs || {}]);
      const logged = msg.setup && restoredSetup && restoredSetup[name];
      if (logged && logged.args === args) {
        const answer = replayed(logged.answer);
        if (answer) {
          post({type: "result", id: msg.id, ...answer});
          tellSnapshot({state: "skipped", reason: "restored"});
          return;
        }
        // The snapshot's answer is unusable: the snapshot goes, and the call runs for real.
        route.snapshots.discard();
      }
      let out;
      try {
        out = call(msg.module, msg.func, JSON.stringify(msg.args || []), JSON.stringify(msg.kwargs || {}));
      } catch (err) {
        if (restoredSetup) route.snapshots.discard();   // a restored runtime that fails: not again
        throw err;
      }
      const answer = JSON.parse(out);
      post({type: "result", id: msg.id, ...answer});
      if (msg.setup && answer.ok) {
        setupLog[name] = {args, answer: out};
        // A restored runtime given other setup data than its snapshot's (profiles edited since it
        // was made): the stored snapshot is no longer worth restoring; the next visit makes one.
        if (restoredSetup) {
          route.snapshots.discard();
          tellSnapshot({state: "skipped", reason: "setup-changed"});
        } else {
          scheduleSnapshot();
        }
      }
    } catch (err) {
      post({type: "result", id: msg.id, ok: false, error: {type: "WorkerError", message: String(err)}});
    }
  }

  // After a normal boot, store a snapshot once the page has the setup call's answer. A timer
  // callback runs between messages, so no Python call is under way when the memory is copied.
  function scheduleSnapshot() {
    const snapshots = route.snapshots;
    if (!snapshots || !snapshots.canMake) {
      tellSnapshot({state: "skipped", reason: snapshots ? snapshots.state : "unavailable"});
      return;
    }
    if (snapshotTimer) return;
    snapshotTimer = setTimeout(async () => {
      let outcome;
      try {
        outcome = await snapshots.save(pyodideRef, {...setupLog});
      } catch (err) {
        outcome = {state: "failed", reason: String(err && err.message || err)};
      }
      tellSnapshot(outcome);
    }, SNAPSHOT_AFTER_MS);
  }

  // The page hears once what became of this runtime's snapshot ("stored", "skipped" with a reason,
  // or "failed"), so that it (and a test) can wait for that answer instead of for a while.
  function tellSnapshot(outcome) {
    if (snapshotTold) return;
    snapshotTold = true;
    post({type: "snapshot", ...outcome});
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
