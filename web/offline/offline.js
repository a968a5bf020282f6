// Offline use, on every page: registers the service worker (site root sw.js) and shows
// "updated — reload" when a new version takes over an open page. On the calculator and offline
// pages only, it loads offline-save.js (caching the calculator runtime, the "save" button), which
// keeps the guide pages light.
// A classic script file (no inline code: the pages' CSP allows only the site's own scripts).
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../../", script.src).href;          // this file is <root>/assets/offline/offline.js
  var lang = (document.documentElement.lang || "zh").slice(0, 2) === "en" ? "en" : "zh";
  // {strings: {zh: {...}, en: {...}}}, the notice texts of content/offline.yaml (builder/offline/app.py).
  var CONFIG = /*@build:offline@*/null || { strings: { zh: {}, en: {} } };
  var S = CONFIG.strings[lang] || {};
  var app = document.getElementById("offline-app");
  var pageStrings = app ? JSON.parse(app.getAttribute("data-strings")) : {};

  if (location.protocol === "file:") {
    // The unzipped offline copy: no service worker there (and none needed).
    var note = document.getElementById("offline-in-bundle");
    if (note) note.hidden = false;
    return;
  }
  if (!("serviceWorker" in navigator) || !window.caches) {
    if (app) {
      app.hidden = false;
      document.getElementById("offline-save").hidden = true;
      document.getElementById("offline-status").textContent = pageStrings.unsupported;
    }
    return;
  }

  var hadController = !!navigator.serviceWorker.controller;
  function register() {
    navigator.serviceWorker.register(ROOT + "sw.js", { scope: ROOT }).catch(function (err) {
      document.documentElement.setAttribute("data-offline-error", String(err && err.message || err));
    });
  }
  // Register once the page has done its own start-up work, so that installing the service worker
  // (which downloads and stores the site) does not compete with it for a phone's CPU: after
  // `load`, and on the calculator page after the calculator is ready or has failed.
  var calculator = document.getElementById("calculator-app") || document.getElementById("planner-app") ||
    document.getElementById("rules-app");
  var calculatorBusy = calculator && !calculator.hasAttribute("data-ready");
  function whenLoaded(then) {
    if (document.readyState === "complete") then();
    else window.addEventListener("load", then, { once: true });
  }
  if (calculatorBusy) {
    var registered = false;
    var once = function () { if (!registered) { registered = true; register(); } };
    document.addEventListener("calculator-settled", function () { whenLoaded(once); }, { once: true });
    setTimeout(once, 30000);   // a calculator that never settles must not keep the site online-only
  } else {
    whenLoaded(register);
  }

  // A new version took over a page that an older one was serving: offer a reload.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (!hadController) { hadController = true; return; }   // first install: nothing to refresh
    if (document.getElementById("offline-updated")) return;
    var bar = document.createElement("div");
    bar.id = "offline-updated";
    bar.className = "offline-updated";
    bar.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = S.updated || "Updated.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button md-button--primary";
    button.textContent = S.reload || "Reload";
    button.addEventListener("click", function () { location.reload(); });
    bar.appendChild(text);
    bar.appendChild(button);
    document.body.appendChild(bar);
  });


  if (app || calculator) {
    var more = document.createElement("script");
    more.src = ROOT + "assets/offline/offline-save.js";
    document.head.appendChild(more);
  }
})();
