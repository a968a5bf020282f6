// Hosted route, worker side: the runtime served over http(s) next to this worker.
//
// The build writes calculator-worker.js = `import {loadPyodide}` + worker_core.js + this file,
// as a module worker (smaller and compressed by the server; the file:// route needs classic
// scripts instead). The page's init may carry `sizes: {file: bytes}` to turn downloads into
// byte progress: {type:'progress', stage:'runtime', loaded, total}.
"use strict";
(function () {
  const indexURL = new URL("./", self.location.href).href;

  // Read a response body while counting bytes, so a slow network shows real progress.
  function counted(response, onBytes) {
    const reader = response.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        const {done, value} = await reader.read();
        if (done) { controller.close(); return; }
        onBytes(value.length);
        controller.enqueue(value);
      },
      cancel(reason) { return reader.cancel(reason); },
    });
    return new Response(body, {status: response.status, headers: response.headers});
  }

  let booting = null;
  async function boot(init, progress) {
    const sizes = init.sizes || {};
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    let loaded = 0;
    const onBytes = (n) => { loaded += n; if (total) progress("runtime", {loaded, total}); };
    const wasmURL = indexURL + "pyodide.asm.wasm";
    const stdLibURL = indexURL + "python_stdlib.zip";
    const realFetch = self.fetch;
    // Only the two large downloads are wrapped; the loader still streams and compiles the wasm.
    self.fetch = async (input, opts) => {
      const url = new URL(typeof input === "string" ? input : input.url, indexURL).href;
      const response = await realFetch(input, opts);
      if ((url === wasmURL || url === stdLibURL) && response.ok && response.body) {
        return counted(response, onBytes);
      }
      return response;
    };
    try {
      return await loadPyodide({indexURL, stdLibURL, lockFileURL: indexURL + "pyodide-lock.json", packages: []});
    } finally {
      self.fetch = realFetch;
    }
  }

  serveRuntime({
    handles: () => false,
    boot: (init, progress) => (booting = booting || boot(init, progress)),
    async packageBytes(name) {
      const response = await fetch(indexURL + name);
      if (!response.ok) throw new Error(`${indexURL + name}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  });
})();
