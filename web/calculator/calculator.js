// Cost-estimate page: the form, the URL state and the result. The settlement itself
// happens in a Web Worker running the Python `calculator` package (worker.js); this
// file never does arithmetic on money, it only shows the engine's strings.
//
// A classic script (not a module) so the same file also runs from file://.
(function () {
  "use strict";

  var app = document.getElementById("calculator-app");
  if (!app) return;
  var DATA = window.SHEBAO_CALC;
  var S = JSON.parse(app.getAttribute("data-strings"));
  var lang = app.getAttribute("data-lang") === "en" ? "en" : "zh";
  var form = document.getElementById("calc-form");
  var statusEl = document.getElementById("calc-status");
  var nojs = document.getElementById("calc-nojs");

  if (typeof WebAssembly !== "object" || typeof Worker !== "function" || !DATA) {
    settle("unsupported");   // the no-JS explanation stays visible
    return;
  }
  app.hidden = false;
  if (nojs) nojs.hidden = true;

  var AMOUNT_FIELDS = ["total", "out_of_catalogue", "category_b", "account_balance",
    "deductible_paid_this_year", "fund_paid_this_year", "supplementary_base_this_year",
    "supplementary_paid_this_year"];
  var STATE_FIELDS = ["profile", "plan", "setting", "level"].concat(AMOUNT_FIELDS,
    ["prior_admissions", "use_account"]);
  var profilesById = {};
  DATA.profiles.forEach(function (p) { profilesById[p.summary.id] = p; });

  // ---- small helpers -------------------------------------------------------
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function t(key, values) { return fill(S[key] || key, values || {}); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }
  // Build "text ¥<span data-field=..>x</span> text" from a template without innerHTML.
  function fillNodes(parent, template, values) {
    parent.textContent = "";
    template.split(/(\{\w+\})/).forEach(function (part) {
      var m = /^\{(\w+)\}$/.exec(part);
      if (m && m[1] in values) {
        parent.appendChild(el("span", { "data-field": m[1], "class": "calc-figure" }, values[m[1]]));
      } else if (part) {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }
  function control(name) { return form.elements.namedItem(name); }

  // Residents type full-width digits, "¥" or thousands commas; the engine wants plain decimals.
  function normaliseAmount(text) {
    var s = text.replace(/[\uFF10-\uFF19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48);
    }).replace(/\uFF0E/g, ".").replace(/[\s\u00A5\uFFE5]/g, "").replace(/元$/, "");
    if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, "");
    return s;
  }

  // ---- profile and plan choices -------------------------------------------
  function populateProfiles() {
    var select = control("profile");
    DATA.profiles.forEach(function (p) {
      select.appendChild(el("option", { value: p.summary.id }, p.summary.name[lang]));
    });
  }
  function populatePlans(keep) {
    var select = control("plan");
    var profile = profilesById[control("profile").value];
    select.textContent = "";
    if (!profile) return;
    Object.keys(profile.summary.plans).forEach(function (id) {
      select.appendChild(el("option", { value: id }, profile.summary.plans[id].name[lang]));
    });
    if (keep && profile.summary.plans[keep]) select.value = keep;
  }
  function showProfileInfo() {
    var box = document.getElementById("calc-profile-info");
    var profile = profilesById[control("profile").value];
    box.textContent = "";
    if (!profile) return;
    var s = profile.summary;
    var badge = el("p", { "class": "calc-badge calc-badge--" + s.status });
    badge.appendChild(el("strong", {}, t("status_" + s.status)));
    if (s.status !== "verified") {
      badge.appendChild(document.createTextNode(" " + t("warning_" + s.status + "_profile")));
    }
    box.appendChild(badge);
    var meta = el("p", { "class": "calc-meta" },
      t("profile_reviewed", { date: s.reviewed }) + " · " + t("profile_effective", { date: s.effective_from }));
    box.appendChild(meta);
    if (s.sources && s.sources.length) {
      var details = el("details", { "class": "calc-sources" });
      details.appendChild(el("summary", {}, t("profile_sources")));
      var list = el("ul");
      s.sources.forEach(function (src) {
        var li = el("li");
        li.appendChild(el("a", { href: src.url, rel: "noopener" }, src.title));
        list.appendChild(li);
      });
      details.appendChild(list);
      box.appendChild(details);
    }
  }
  function syncLevelVisibility() {
    var pharmacy = control("setting").value === "pharmacy";
    document.getElementById("calc-field-level").hidden = pharmacy;
  }

  // ---- the visit, from the form and to/from the URL ------------------------
  function readVisit() {
    var visit = { plan: control("plan").value, setting: control("setting").value };
    if (visit.setting !== "pharmacy") visit.level = control("level").value;
    AMOUNT_FIELDS.forEach(function (name) {
      var v = normaliseAmount(control(name).value);
      if (v !== "") visit[name] = v;
    });
    var prior = normaliseAmount(control("prior_admissions").value);
    if (prior !== "") visit.prior_admissions = /^\d{1,6}$/.test(prior) ? Number(prior) : prior;
    visit.use_account = control("use_account").checked;
    return visit;
  }
  function writeURL() {
    var params = new URLSearchParams();
    STATE_FIELDS.forEach(function (name) {
      var c = control(name);
      if (name === "use_account") { if (!c.checked) params.set(name, "false"); return; }
      if (c.value !== "" && !(name === "level" && control("setting").value === "pharmacy")) {
        params.set(name, c.value);
      }
    });
    var hash = "#" + params.toString();
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
  function readURL() {
    var raw = location.hash.slice(1) || location.search.slice(1);
    if (raw.indexOf("=") < 0) return false; // a plain heading anchor
    var params = new URLSearchParams(raw);
    if (params.has("profile") && profilesById[params.get("profile")]) {
      control("profile").value = params.get("profile");
    }
    populatePlans(params.get("plan"));
    STATE_FIELDS.forEach(function (name) {
      if (name === "profile" || name === "plan" || !params.has(name)) return;
      var c = control(name);
      if (name === "use_account") c.checked = params.get(name) !== "false";
      else c.value = params.get(name);
    });
    var earlier = document.getElementById("calc-earlier");
    ["prior_admissions", "deductible_paid_this_year", "fund_paid_this_year",
      "supplementary_base_this_year", "supplementary_paid_this_year"].forEach(function (n) {
      if (params.has(n)) earlier.open = true;
    });
    return true;
  }

  // ---- errors --------------------------------------------------------------
  var touched = {};
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".calc-error"), function (p) {
      p.hidden = true; p.textContent = "";
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (c) {
      c.removeAttribute("aria-invalid");
    });
  }
  function showErrors(errors, all) {
    clearErrors();
    var summary = document.getElementById("calc-error-summary");
    var list = summary.querySelector("ul");
    list.textContent = "";
    var shown = 0;
    errors.forEach(function (e) {
      var c = control(e.field);
      var message = e.message[lang];
      if (!all && c && !touched[e.field]) return; // don't scold fields nobody has reached yet
      shown++;
      var slot = document.getElementById("calc-" + e.field + "-error");
      if (slot) {
        slot.textContent = message;
        slot.hidden = false;
        var input = c && c.length && c.tagName !== "SELECT" ? c[0] : c;
        if (input) input.setAttribute("aria-invalid", "true");
      }
      var li = el("li");
      if (c) {
        var a = el("a", { href: "#calc-" + e.field }, message);
        a.addEventListener("click", function (ev) {
          ev.preventDefault();
          var target = document.getElementById("calc-" + e.field);
          if (target) target.focus();
        });
        li.appendChild(a);
      } else {
        li.textContent = message;
      }
      list.appendChild(li);
    });
    summary.hidden = shown === 0;
    return shown;
  }

  // ---- the result ----------------------------------------------------------
  var SUMMARY_KEYS = ["total", "out_of_catalogue", "category_b_first_pay", "policy_range",
    "deductible", "fund", "supplementary", "self_paid_ratio"];
  function showEstimate(est) {
    document.getElementById("calc-result-empty").hidden = true;
    document.getElementById("calc-result-body").hidden = false;
    fillNodes(document.getElementById("calc-headline"), S.headline, {
      patient_share: est.patient_share, account: est.account, cash: est.cash,
      balance_after: est.balance_after,
    });
    var tbody = document.getElementById("calc-summary-rows");
    tbody.textContent = "";
    SUMMARY_KEYS.forEach(function (key) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, t("field_" + key)));
      var td = el("td", { "class": "calc-num" });
      td.appendChild(el("span", { "data-field": key }, est[key]));
      if (key === "self_paid_ratio") {
        td.appendChild(document.createTextNode(" (" + (Number(est[key]) * 100).toFixed(2) + "%)"));
      }
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
    var lines = document.getElementById("calc-lines");
    lines.textContent = "";
    est.lines.forEach(function (line) {
      var tr = el("tr", { "data-line": line.key });
      tr.appendChild(el("th", { scope: "row" }, line.label[lang]));
      tr.appendChild(el("td", { "class": "calc-num" }, line.amount));
      tr.appendChild(el("td", {}, line.explain[lang]));
      lines.appendChild(tr);
    });
    var warnBox = document.getElementById("calc-warnings");
    var warnList = warnBox.querySelector("ul");
    warnList.textContent = "";
    est.warnings.forEach(function (code) {
      var text = S["warning_" + code] ? t("warning_" + code) : t("warning_other", { code: code });
      warnList.appendChild(el("li", { "data-warning": code }, text));
    });
    warnBox.hidden = est.warnings.length === 0;
    fillPrintInputs();
  }
  function showNoResult() {
    document.getElementById("calc-result-empty").hidden = false;
    document.getElementById("calc-result-body").hidden = true;
  }
  // Print shows the inputs as text, since printed form controls are hard to read.
  function fillPrintInputs() {
    var dl = document.getElementById("calc-print-inputs");
    dl.textContent = "";
    STATE_FIELDS.forEach(function (name) {
      var c = control(name);
      if (name === "level" && control("setting").value === "pharmacy") return;
      var value = name === "use_account" ? (c.checked ? "✓" : "✗")
        : c.tagName === "SELECT" ? (c.selectedOptions[0] || {}).textContent : c.value;
      if (!value) return;
      var label = form.querySelector("label[for='calc-" + name + "']");
      dl.appendChild(el("dt", {}, label ? label.firstChild.textContent.trim() : name));
      dl.appendChild(el("dd", {}, value));
    });
  }

  // ---- the worker ----------------------------------------------------------
  var worker = null, ready = false, seq = 0, latest = 0, pending = null, submitted = false;
  var startedAt = Date.now(), lastProgressAt = Date.now(), slowTimer = null;
  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = "calc-status" + (kind ? " calc-status--" + kind : "");
    statusEl.hidden = !text;
  }
  var failed = false;
  // Ready, failed or unsupported: the page's start-up work is over. offline.js (the service
  // worker) and the head script (Material's search worker) wait for this, so that neither
  // competes with the runtime's boot for the CPU. A declaration, so the early return can use it.
  function settle(state) {
    app.setAttribute("data-ready", state);
    document.dispatchEvent(new Event("calculator-settled"));
  }
  function fail(reason) {
    var first = !failed;
    failed = true;
    clearInterval(slowTimer);
    setStatus(t("failed", { reason: reason }), "error");
    if (nojs) nojs.hidden = false;
    if (first) settle("failed");
  }
  // partials/calculator-start.html (inline in <head>, so it has run by now) is the one place
  // that starts the worker; it is absent only where WebAssembly or workers are missing.
  function earlyWorker() {
    if (window.ShebaoEarlyWorker) return Promise.resolve(window.ShebaoEarlyWorker);
    return Promise.reject(new Error("the calculator could not start"));
  }
  function startWorker() {
    setStatus(t("loading"), "loading");
    slowTimer = setInterval(function () {
      var waited = Math.round((Date.now() - startedAt) / 1000);
      if (Date.now() - lastProgressAt > 60000) { fail("timeout"); return; }
      if (waited >= 5 && !ready) {
        var extra = statusEl.getAttribute("data-progress") || t("loading");
        statusEl.textContent = extra + " " + t("loading_slow", { seconds: waited });
      }
    }, 1000);
    earlyWorker().then(function (early) {
      return early.started.then(function (w) {
        worker = w;
        worker.onmessage = onWorkerMessage;
        worker.onerror = function (e) { e.preventDefault(); fail(e.message || "worker error"); };
        early.messages.forEach(onWorkerMessage);   // what came before we were listening
        if (early.error) fail(early.error.message || "worker error");
        var profiles = {};
        DATA.profiles.forEach(function (p) { profiles[p.summary.id] = p.profile; });
        // Queued by the worker until the runtime is up; its answer means "ready to estimate".
        // setup: the worker's on-device snapshot keeps the loaded profiles, and answers this same
        // call from it on a later visit (any other profiles are loaded as usual).
        worker.postMessage({ type: "run", id: 0, module: "calculator.jsonapi", func: "load_profiles",
          args: [profiles], setup: true });
      });
    }).catch(function (err) { fail(String(err && err.message || err)); });
  }
  function onWorkerMessage(event) {
    var msg = event.data;
    if (failed && msg.type !== "result") return; // downloads still finishing after a failure
    if (msg.type === "progress") {
      lastProgressAt = Date.now();
      var total = msg.total || DATA.runtime.files["pyodide.asm.wasm"] + DATA.runtime.files["python_stdlib.zip"];
      var text = msg.loaded !== undefined
        ? t("loading_progress", { done: (msg.loaded / 1048576).toFixed(1), size: (total / 1048576).toFixed(1) })
        : t("loading_starting");
      statusEl.setAttribute("data-progress", text);
      setStatus(text, "loading");
    } else if (msg.type === "ready") {
      // How the runtime started: "snapshot" (restored from the device) or "normal", and what the
      // stored snapshot was ("restored", "none", "stale", "damaged", "restore-failed", ...).
      app.setAttribute("data-boot", msg.boot || "normal");
      app.setAttribute("data-boot-snapshot", msg.snapshot || "unavailable");
    } else if (msg.type === "snapshot") {
      app.setAttribute("data-snapshot", msg.state);          // "stored", "skipped" or "failed"
    } else if (msg.type === "error") {
      fail(msg.message);
    } else if (msg.type === "result" && msg.id === 0) {
      if (!msg.ok) { fail(msg.error.message); return; }
      ready = true;
      clearInterval(slowTimer);
      performance.mark("calculator-ready");
      setStatus(t("ready"), "ready");
      settle("true");
      if (pending) { var p = pending; pending = null; send(p); }
    } else if (msg.type === "result") {
      if (msg.id !== latest) return; // an older keystroke's answer
      app.setAttribute("data-busy", "false");
      if (!msg.ok) { fail(msg.error.type + ": " + msg.error.message); return; }
      handleResult(msg.value);
    }
  }
  function send(request) {
    if (!ready) { pending = request; return; }
    worker.postMessage(request);
  }
  function handleResult(result) {
    var focusSummary = submitted;
    submitted = false;
    if (result.errors) {
      var shown = showErrors(result.errors, focusSummary);
      if (focusSummary && shown) document.getElementById("calc-error-summary").focus();
      showNoResult();
      return;
    }
    showErrors([], false);
    showEstimate(result);
    if (focusSummary) document.getElementById("calc-result-title").focus();
  }
  function recompute() {
    writeURL();
    var visit = readVisit();
    if (!("total" in visit) && !submitted) { clearErrors(); showNoResult(); return; }
    latest = ++seq;
    app.setAttribute("data-busy", "true");
    send({ type: "run", id: latest, module: "calculator.jsonapi", func: "estimate",
      args: [control("profile").value, visit] });
  }

  // ---- wiring --------------------------------------------------------------
  populateProfiles();
  readURL() || populatePlans(null);
  showProfileInfo();
  syncLevelVisibility();
  form.addEventListener("input", function (e) {
    if (e.target.name) touched[e.target.name] = true;
    if (e.target.name === "profile") { populatePlans(control("plan").value); showProfileInfo(); }
    if (e.target.name === "setting") syncLevelVisibility();
    recompute();
  });
  form.addEventListener("change", function (e) {
    if (e.target.name) touched[e.target.name] = true;
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    STATE_FIELDS.forEach(function (n) { touched[n] = true; });
    submitted = true;
    recompute();
  });
  document.getElementById("calc-print").addEventListener("click", function () { window.print(); });
  window.addEventListener("hashchange", function () {
    if (readURL()) { showProfileInfo(); syncLevelVisibility(); recompute(); }
  });
  startWorker();
  if ("total" in readVisit()) {
    // A shared link: show its result as soon as the runtime is ready.
    STATE_FIELDS.forEach(function (n) { touched[n] = true; });
    recompute();
  }
})();
