// Starts the calculator's worker as early as the page allows. Loaded `async` in <head>, it runs
// as soon as it arrives, so the runtime downloads and Python boots while the rest of the page
// (Material's scripts, the form) is still loading. It is the only place that starts the worker:
// calculator.js takes it over (window.ShebaoEarlyWorker.started) and replays any message that came
// before it was listening.
(function () {
  "use strict";
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  var here = document.currentScript && document.currentScript.src;
  if (!here) return;
  var early = { messages: [], error: null };

  function adopt(worker) {
    worker.onmessage = function (event) { early.messages.push(event); };
    worker.onerror = function (event) { event.preventDefault(); early.error = event; };
    worker.postMessage({ type: "init", packages: ["calculator.zip"], imports: ["calculator.jsonapi"] });
    return worker;
  }

  if (location.protocol === "file:") {
    // An unzipped bundle: module workers and fetch are blocked, so the runtime comes as classic
    // scripts (builder/pyodide_file_route.py) and a blob: worker.
    early.started = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = new URL("../pyodide-file/pyodide-file-route.js", here).href;
      s.onload = function () { window.PyodideFileRoute.startWorker().then(resolve, reject); };
      s.onerror = function () { reject(new Error("could not load " + s.src)); };
      document.head.appendChild(s);
    }).then(adopt);
  } else {
    early.started = new Promise(function (resolve) {
      resolve(adopt(new Worker(new URL("../pyodide/calculator-worker.js", here), { type: "module" })));
    });
  }
  early.started.catch(function () {});   // calculator.js reports a failure
  window.ShebaoEarlyWorker = early;
})();
