// Starts the calculator's worker as early as the page allows. Loaded `async` in <head>, it runs
// as soon as it arrives, so the runtime downloads and Python boots while the rest of the page
// (Material's scripts, the form) is still loading. calculator.js takes the worker over later and
// replays any message that came before it was listening.
(function () {
  "use strict";
  // file:// needs the classic-script route, which calculator.js starts itself.
  if (location.protocol === "file:" || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  var here = document.currentScript && document.currentScript.src;
  if (!here) return;
  var early = { messages: [], error: null };
  try {
    early.worker = new Worker(new URL("../pyodide/calculator-worker.js", here), { type: "module" });
  } catch (err) {
    return; // calculator.js will try again and report what went wrong
  }
  early.worker.onmessage = function (event) { early.messages.push(event); };
  early.worker.onerror = function (event) { event.preventDefault(); early.error = event; };
  early.worker.postMessage({ type: "init", packages: ["calculator.zip"], imports: ["calculator.jsonapi"] });
  window.ShebaoEarlyWorker = early;
})();
