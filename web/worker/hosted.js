// Hosted route, worker side: the runtime served over http(s) next to this worker.
//
// The build writes calculator-worker.js = web/worker/core.js + this file, as a module worker
// (smaller and compressed by the server; the file:// route needs classic scripts instead). Downloads report byte progress: {type:'progress', stage:'runtime', loaded,
// total}; total is the sum of the init's `sizes: {file: bytes}`, or 0 when it sent none.
import { loadPyodide } from "./pyodide.mjs";   // hoisted: the staged runtime sits next to the worker

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

  async function boot() {
    const wasmURL = indexURL + "pyodide.asm.wasm";
    const stdLibURL = indexURL + "python_stdlib.zip";
    const realFetch = self.fetch;
    // Pyodide's loader only logs a failed wasm download and then waits forever; fail the boot
    // ourselves so the page can tell the reader instead of showing an endless "loading".
    let failDownload;
    const downloadFailed = new Promise((_, reject) => { failDownload = reject; });
    // Only the two large downloads are counted; the loader still streams and compiles the wasm.
    self.fetch = async (input, opts) => {
      // The loader passes a string or a URL object; a Request carries .url.
      const url = new URL(input instanceof Request ? input.url : String(input), indexURL).href;
      const large = url === wasmURL || url === stdLibURL;
      let response;
      try {
        response = await realFetch(input, opts);
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
    try {
      return await Promise.race([
        loadPyodide({indexURL, stdLibURL, lockFileURL: indexURL + "pyodide-lock.json", packages: []}),
        downloadFailed,
      ]);
    } finally {
      self.fetch = realFetch;
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
    async packageBytes(name) {
      const response = await fetch(indexURL + name);
      if (!response.ok) throw new Error(`${indexURL + name}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  });
})();
