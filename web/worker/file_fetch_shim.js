// file:// route, worker side: a temporary fetch() that answers the Pyodide loader from memory.
//
// The loader fetches exactly two URLs while booting: `${indexURL}pyodide.asm.wasm` (compiled with
// WebAssembly.instantiateStreaming, so the Response must say application/wasm) and `stdLibURL`.
// From file:// a real fetch of either is refused, so they are served from the bytes that came in by
// postMessage. Any other URL is an error rather than a network request: on this route nothing may
// leave the bundle, and an unexpected fetch means the loader's internals changed.
"use strict";
function installFetchShim(table) {
  const realFetch = self.fetch;
  const served = new Set();
  self.fetch = async function fileRouteFetch(input) {
    const url = typeof input === "string" ? input : (input && input.url) || String(input);
    const entry = table[url];
    if (!entry) {
      throw new TypeError(
        `file:// route: unexpected fetch of ${url} while Pyodide boots; only ${Object.keys(table).join(", ")} ` +
        "are served. The Pyodide loader changed: re-check builder/runtime/file_route.py.");
    }
    served.add(url);
    return new Response(entry.bytes, {status: 200, headers: {"Content-Type": entry.type}});
  };
  return {
    served,
    restore() { self.fetch = realFetch; },
  };
}
