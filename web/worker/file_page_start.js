// file:// route, page side: PyodideFileRoute.startWorker() -> Promise<Worker>.
//
// Chromium gives a page opened from file:// the null origin: module scripts, module workers from
// files, fetch and XHR of sibling files are all refused, but classic <script src> still loads them.
// So every runtime piece ships as a classic script that stores a string in self.__pyodideFileRoute,
// and the worker is a blob: classic worker built from the worker source, fed the pieces by
// postMessage. The returned worker speaks the same protocol as the hosted module worker.
(function () {
  "use strict";
  var ASSETS = /*@build:assets@*/null;   // the asset script names (builder/runtime/file_route.py)
  var here = document.currentScript && document.currentScript.src;
  var registry = self.__pyodideFileRoute = self.__pyodideFileRoute || {packages: {}};

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () {
        reject(new Error("Could not load " + url + ": the offline bundle is incomplete; unzip it again"));
      };
      document.head.appendChild(s);
    });
  }

  // Load the asset scripts not loaded yet (a page may also include them itself with <script defer>,
  // to start reading them early). Resolves to [workerLoaded, allLoaded].
  function loadAssets(base) {
    var load = function (key, file) {
      return registry[key] ? Promise.resolve() : loadScript(new URL(file, base).href);
    };
    var worker = load("worker", ASSETS.worker);
    var jobs = [worker, load("wasm", ASSETS.wasm), load("stdlib", ASSETS.stdlib)];
    Object.keys(ASSETS.packages).forEach(function (name) {
      if (!registry.packages[name]) jobs.push(loadScript(new URL(ASSETS.packages[name], base).href));
    });
    return [worker, Promise.all(jobs)];
  }

  // options.base: URL of the directory holding these assets (default: this script's directory).
  // The worker starts as soon as its own source is loaded, so that it compiles the runtime's
  // JavaScript while the page is still reading the (larger) wasm and stdlib scripts.
  function startWorker(options) {
    options = options || {};
    var base = new URL(".", options.base ? new URL(options.base, document.baseURI) : here).href;
    var loads = loadAssets(base);
    var worker = loads[0].then(function () {
      var blobURL = URL.createObjectURL(new Blob([registry.worker], {type: "text/javascript"}));
      var w = new Worker(blobURL, {name: "pyodide-file-route"});
      // Revoked once the worker has spoken (it has been fetched by then).
      w.addEventListener("message", function () { URL.revokeObjectURL(blobURL); }, {once: true});
      registry.worker = null;
      return w;
    });
    return Promise.all([worker, loads[1]]).then(function (done) {
      var w = done[0];
      w.postMessage({type: "file-route-runtime", indexURL: base, wasm: registry.wasm,
                     stdlib: registry.stdlib, packages: registry.packages});
      // The worker has its own copies now (structured clone); free the page's ~20 MB of strings.
      registry.wasm = registry.stdlib = null;
      registry.packages = {};
      return w;
    });
  }

  self.PyodideFileRoute = {startWorker: startWorker, assets: ASSETS};
})();
