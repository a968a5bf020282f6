// file:// route, the runtime part of the blob: classic worker (after the prelude and fetch shim,
// before core.js and file.js). The build fills in the version and the lock file, and puts
// Pyodide's two module scripts, converted to classic-script expressions, where the vendor markers
// are (builder/runtime/file_route.py).
const FILE_ROUTE = {
  version: /*@build:version@*/null,
  lock: /*@build:lock@*/null,
  createPyodideModule: /*@vendor:pyodide_asm@*/null,
  loadPyodide: (/*@vendor:pyodide_loader@*/null || {}).loadPyodide,
};
