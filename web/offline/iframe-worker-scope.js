// Worker globals inside the iframe of iframe-worker (from its shim, moved out of an inline script).
"use strict";
var workerUrl = document.currentScript.getAttribute("data-worker");
window.postMessage = function (data, origin) { parent.postMessage(data, origin || "*"); };
window.importScripts = function () {
  var urls = Array.prototype.slice.call(arguments);
  return urls.reduce(function (chain, url) {
    return chain.then(function () {
      return new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = url; s.onload = resolve;
        document.body.appendChild(s);
      });
    });
  }, Promise.resolve());
};
addEventListener("error", function (event) {
  parent.dispatchEvent(new ErrorEvent("error", { filename: workerUrl, error: event.error }));
});
