// file:// route, worker side, last part of the blob: classic worker.
//
// FILE_ROUTE (set earlier in the same blob by builder/runtime/file_route.py) holds the loader's
// loadPyodide, the asm module's createPyodideModule and the lock file. The page's first message,
// {type:'file-route-runtime', indexURL, wasm, stdlib, packages} (base64 strings read from classic
// <script> assets), starts the boot at once, before the page's own {type:'init'} arrives.
"use strict";
(function () {
  let resolvePieces;
  const pieces = new Promise((res) => { resolvePieces = res; });
  let booting = null;

  function decodeBase64(text) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  async function boot() {
    const p = await pieces;
    const indexURL = new URL(p.indexURL).href;
    const wasmURL = new URL("pyodide.asm.wasm", indexURL).href;
    const stdLibURL = new URL("python_stdlib.zip", indexURL).href;
    const shim = installFetchShim({
      [wasmURL]: {bytes: decodeBase64(p.wasm), type: "application/wasm"},
      [stdLibURL]: {bytes: decodeBase64(p.stdlib), type: "application/zip"},
    });
    p.wasm = p.stdlib = null;
    let pyodide;
    try {
      pyodide = await FILE_ROUTE.loadPyodide({
        indexURL, stdLibURL, lockFileContents: FILE_ROUTE.lock,
        createPyodideModule: FILE_ROUTE.createPyodideModule,
      });
    } finally {
      shim.restore();
    }
    // The loader swallows a failed stdlib install (console.error) and a failed wasm fetch surfaces
    // late; both mean its internals moved, so say so plainly.
    for (const url of [wasmURL, stdLibURL]) {
      if (!shim.served.has(url)) {
        throw new Error(`file:// route: Pyodide booted without fetching ${url}; its loader changed ` +
                        "(re-check builder/runtime/file_route.py)");
      }
    }
    if (pyodide.version !== FILE_ROUTE.version) {
      throw new Error(`file:// route built for Pyodide ${FILE_ROUTE.version}, runtime says ${pyodide.version}`);
    }
    return pyodide;
  }
  const bootOnce = () => (booting = booting || boot());

  self.addEventListener("message", (event) => {
    const msg = event.data || {};
    if (msg.type === "file-route-runtime") {
      resolvePieces(msg);
      bootOnce().catch(() => {});     // reported through init's {type:'error'}
    }
  });

  serveRuntime({
    handles: (msg) => msg.type === "file-route-runtime",
    boot: () => bootOnce(),
    async packageBytes(name) {
      const p = await pieces;
      const text = p.packages && p.packages[name];
      if (!text) {
        throw new Error(`package ${name} is not in the file:// bundle (it has: ` +
                        `${Object.keys(p.packages || {}).join(", ") || "none"}); rebuild with it staged`);
      }
      return decodeBase64(text);
    },
  });
})();
