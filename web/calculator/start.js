// Starts the calculator's worker as early as the page allows. Inlined in the calculator page's
// <head> (theme/partials/calculator-start.html), so the runtime downloads and Python boots while
// the rest of the page (Material's scripts, the form) is still loading, without waiting for one
// more request first. It is the only place that starts the worker: calculator.js takes it over
// (window.ShebaoEarlyWorker.started) and replays any message that came before it was listening.
// The script element's data-assets attribute is the shared assets/ folder, relative to the page.
(function () {
  "use strict";
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  var me = document.currentScript;
  if (!me || !me.getAttribute("data-assets")) return;
  var assets = new URL(me.getAttribute("data-assets") + "/", location.href);
  var early = { messages: [], error: null };

  function adopt(worker) {
    worker.onmessage = function (event) { early.messages.push(event); };
    worker.onerror = function (event) { event.preventDefault(); early.error = event; };
    worker.postMessage({ type: "init", packages: ["calculator.zip"], imports: ["calculator.jsonapi"] });
    return worker;
  }

  if (location.protocol === "file:") {
    // An unzipped bundle: module workers and fetch are blocked, so the runtime comes as classic
    // scripts (builder/runtime/file_route.py) and a blob: worker.
    early.started = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = new URL("pyodide-file/pyodide-file-route.js", assets).href;
      s.onload = function () { window.PyodideFileRoute.startWorker().then(resolve, reject); };
      s.onerror = function () { reject(new Error("could not load " + s.src)); };
      document.head.appendChild(s);
    }).then(adopt);
  } else {
    early.started = new Promise(function (resolve) {
      resolve(adopt(new Worker(new URL("pyodide/calculator-worker.js", assets), { type: "module" })));
    });
    deferSearchWorker();
  }
  early.started.catch(function () {});   // calculator.js reports a failure
  window.ShebaoEarlyWorker = early;

  // Material builds its search index in a worker while the page loads: about 250 ms of CPU on a
  // cold visit (measured), in the same second the runtime boots, which costs the calculator some
  // 65 ms on a 2-core phone. On this page only, Material gets a stand-in that creates the real
  // search worker once the calculator is ready or has failed (calculator.js fires
  // "calculator-settled"), or after 10 s; until then the search box shows "initialising". Material
  // only calls postMessage, addEventListener and removeEventListener on its worker.
  function deferSearchWorker() {
    var RealWorker = window.Worker;
    function Deferred(url, options) {
      var real = null, queued = [], listeners = [];
      function start() {
        if (real) return;
        real = new RealWorker(url, options);
        listeners.forEach(function (l) { real.addEventListener(l[0], l[1], l[2]); });
        queued.forEach(function (m) { real.postMessage(m[0], m[1]); });
        queued = listeners = null;
      }
      document.addEventListener("calculator-settled", start, { once: true });
      setTimeout(start, 10000);
      return {
        postMessage: function (m, t) { if (real) real.postMessage(m, t); else queued.push([m, t]); },
        addEventListener: function (type, fn, opts) {
          if (real) real.addEventListener(type, fn, opts); else listeners.push([type, fn, opts]);
        },
        removeEventListener: function (type, fn, opts) {
          if (real) { real.removeEventListener(type, fn, opts); return; }
          listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== fn; });
        },
        terminate: function () { start(); real.terminate(); }
      };
    }
    window.Worker = function (url, options) {
      return /\/workers\/search\.[^/]*\.js$/.test(String(url))
        ? new Deferred(url, options) : new RealWorker(url, options);
    };
    window.Worker.prototype = RealWorker.prototype;
  }
})();
