// Hosted route, worker side: the runtime served over http(s) next to this worker, restored from
// the on-device snapshot when there is a good one (snapshot.js).
//
// The build writes calculator-worker.js = core.js + snapshot.js + this file (with the snapshot key),
// as a module worker (smaller and compressed by the server; the file:// route needs classic
// scripts instead). Downloads report byte progress: {type:'progress', stage:'runtime', loaded,
// total}; total is the sum of the init's `sizes: {file: bytes}`, or 0 when it sent none.
(function () {
  const indexURL = new URL("./", self.location.href).href;

  // Count a response's bytes on a clone, so a slow network shows real progress. The loader gets
  // the original Response: a Response rebuilt around a counting stream has no URL, and Chromium
  // then neither caches the compiled wasm nor reuses it on the next visit.
  function countBytes(response, onBytes) {
    const reader = response.clone().body.getReader();
    (async () => {
      for (;;) {
        const {done, value} = await reader.read();
        if (done) return;
        onBytes(value.length);
      }
    })().catch(() => {});   // a failed body fails the loader's own read, which is reported
    return response;
  }

  // The boot starts as soon as this script runs, not when the page's init arrives: a page busy
  // with its own start-up (Material's scripts, layout) can hold that first message back by 100 ms
  // and more on a slow phone. Byte counts made before init are reported with the first progress
  // after it.
  let report = null;                    // the core's progress(), from init on
  let loaded = 0;
  let total = 0;
  // At most one progress message per 100 ms: a fast network delivers hundreds of chunks, and each
  // message costs the page a status update while it is still laying itself out.
  let lastReport = 0;
  const onBytes = (n) => {
    loaded += n;
    const now = performance.now();
    if (report && now - lastReport >= 100) { lastReport = now; report("runtime", {loaded, total}); }
  };

  const wasmURL = indexURL + "pyodide.asm.wasm";
  const stdLibURL = indexURL + "python_stdlib.zip";
  const realFetch = self.fetch;
  const realInstantiateStreaming = WebAssembly.instantiateStreaming;
  // The two large downloads start with the worker, before the snapshot store is read, so a first
  // visit waits for no storage; the loader's own fetch of each then takes the answer in flight.
  const early = new Map([wasmURL, stdLibURL].map((url) => [url, realFetch(url)]));
  early.forEach((answer) => answer.catch(() => {}));   // the loader's fetch reports a failure
  // The wasm compiles (on the browser's background threads) while it downloads and while the
  // snapshot is read, instead of once the loader asks for it; the loader's instantiateStreaming
  // takes this module (see boot), or compiles its own copy if this one failed.
  const compiled = early.get(wasmURL).then((response) => WebAssembly.compileStreaming(response.clone()));
  compiled.catch(() => {});
  // Pyodide's loader is imported here rather than by a static import, so that the downloads above
  // start one round trip sooner (a static import runs this script only once pyodide.mjs has come).
  const loader = import(indexURL + "pyodide.mjs");
  loader.catch(() => {});
  const runtimeModule = import(indexURL + "pyodide.asm.mjs");   // the loader's import takes this one
  runtimeModule.catch(() => {});
  // The build's key for snapshots (builder/runtime/stage.py): runtime, calculator.zip, worker code.
  const snapshots = runtimeSnapshots(/*@build:snapshot_key@*/null);
  let restoredSetup = null;             // the snapshot's setup calls, when the boot restored one

  async function instantiateStreaming(source, imports) {
    const response = await source;
    if (response && response.url === wasmURL) {
      try {
        const module = await compiled;
        if (response.body) response.body.cancel().catch(() => {});
        return {module, instance: await WebAssembly.instantiate(module, imports)};
      } catch (err) { /* the loader's own streaming compile below */ }
    }
    return realInstantiateStreaming.call(WebAssembly, response, imports);
  }

  async function boot() {
    // Pyodide's loader only logs a failed wasm download and then waits forever; fail the boot
    // ourselves so the page can tell the reader instead of showing an endless "loading".
    let downloadError = null;
    let rejectDownload;
    const downloadFailed = new Promise((_, reject) => { rejectDownload = reject; });
    const failDownload = (err) => { downloadError = downloadError || err; rejectDownload(err); };
    // Only the two large downloads are counted; the loader still streams and compiles the wasm.
    self.fetch = async (input, opts) => {
      // The loader passes a string or a URL object; a Request carries .url.
      const url = new URL(input instanceof Request ? input.url : String(input), indexURL).href;
      const large = url === wasmURL || url === stdLibURL;
      let response;
      try {
        const prefetched = early.get(url);
        early.delete(url);
        response = await (prefetched || realFetch(input, opts));
      } catch (err) {
        if (large) failDownload(new Error(`could not download ${url}: ${err.message || err}`));
        throw err;
      }
      if (large && !response.ok) failDownload(new Error(`could not download ${url}: HTTP ${response.status}`));
      if (large && response.ok && response.body) {
        return countBytes(response, onBytes);
      }
      return response;
    };
    const {loadPyodide} = await loader;
    WebAssembly.instantiateStreaming = instantiateStreaming;
    const options = {indexURL, stdLibURL, lockFileURL: indexURL + "pyodide-lock.json", packages: []};
    try {
      const record = await snapshots.find();
      if (record) {
        // The record's blob is read, checked and unpacked while the loader starts up; the loader
        // waits for it just before it creates the runtime.
        const full = snapshots.decode(record);
        full.catch(() => {});
        try {
          const pyodide = await Promise.race([
            loadPyodide({...options, _loadSnapshot: full,
                         createPyodideModule: snapshots.sized(runtimeModule, record.heapBytes)}),
            downloadFailed,
          ]);
          snapshots.state = "restored";
          restoredSetup = record.setup || {};
          return pyodide;
        } catch (err) {
          if (downloadError) throw downloadError;     // the network, not the snapshot
          // A damaged record is deleted, and the normal boot below makes a new snapshot. One this
          // runtime cannot take back, or has no memory for, would fail again: no more tries.
          if (snapshots.state === "damaged") {
            await snapshots.discard();
          } else {
            const short = err instanceof RangeError && /memory|allocat|grow/i.test(String(err.message));
            if (snapshots.state !== "low-memory") snapshots.state = short ? "low-memory" : "restore-failed";
            await snapshots.refuse(snapshots.state);
          }
        }
      }
      return await Promise.race([loadPyodide({...options, _makeSnapshot: snapshots.canMake}), downloadFailed]);
    } finally {
      self.fetch = realFetch;
      WebAssembly.instantiateStreaming = realInstantiateStreaming;
    }
  }

  const booting = boot();
  booting.catch(() => {});              // reported through init's {type:'error'}

  serveRuntime({
    handles: () => false,
    boot(init, progress) {
      // Without sizes the page still gets `loaded` and divides by the sizes it knows itself.
      total = Object.values(init.sizes || {}).reduce((a, b) => a + b, 0);
      report = progress;
      if (loaded) progress("runtime", {loaded, total});
      return booting;
    },
    snapshots,
    restoredSetup: () => restoredSetup,
    async packageBytes(name) {
      const response = await fetch(indexURL + name);
      if (!response.ok) throw new Error(`${indexURL + name}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  });
})();
