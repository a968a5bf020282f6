// file:// route, worker side, part 1 of the blob: classic worker (runs before the Pyodide loader).
//
// Pyodide 314 refuses classic workers: it probes `importScripts("data:text/javascript,")` and throws
// "Classic web workers are not supported" when the probe succeeds. Its only use of importScripts is
// that probe (checked at build time by builder/runtime/file_route.py), so making importScripts throw
// turns the probe off. This worker is classic because Chromium blocks module scripts and module
// workers for the file:// (null) origin; every runtime piece arrives by postMessage instead.
"use strict";
self.importScripts = function importScriptsDisabled() {
  throw new TypeError("importScripts is disabled in the file:// route worker");
};
