// iframe-worker (MIT, Martin Donath; npm package, pinned in package-lock.json), vendored into the
// offline bundle by builder/offline/bundle.py, which puts the package's shim where the comment
// below marks: its inline iframe script is moved to iframe-worker-scope.js (the pages' CSP allows
// no unknown inline script), and blob:/data: workers (the calculator's file:// route) stay real
// workers. Material's search runs in the iframe the shim makes, because file:// pages cannot start
// a worker from a file.
(function () {
  var NativeWorker = window.Worker;
  var SCOPE = new URL("iframe-worker-scope.js", document.currentScript.src).href;

  /*@vendor:iframe-worker@*/null;

  if (window.Worker !== NativeWorker) {
    var Shim = window.Worker;
    window.Worker = function (url, options) {
      return /^(blob|data):/.test(String(url)) ? new NativeWorker(url, options) : new Shim(url);
    };
  }
})();
