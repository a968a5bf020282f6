// What the cost-estimate page and the "my year" planner share: talking to the engine's worker,
// the loading and failure messages, and how amounts are shown. Neither page does arithmetic on
// money; they show the engine's strings (with thousands separators added for reading).
//
// A classic script (not a module), so the same file also runs from file://.
//   var engine = ShebaoEngine.start({app, statusEl, strings, data, onReady, onFail})
//   engine.call("estimate" | "year", args) -> Promise<value>; rejects with {kind: "engine" | "runtime"}
(function () {
  "use strict";

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  // "1234567.50" -> "1,234,567.50". Only the engine's own amount strings come here.
  function amount(text) {
    var m = /^(-?)(\d+)(\.\d+)?$/.exec(String(text));
    if (!m) return String(text);
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (m[3] || "");
  }

  // Residents type full-width digits, "¥", "元" or thousands commas; the engine wants plain decimals.
  function normaliseAmount(text) {
    var s = String(text).replace(/[\uFF10-\uFF19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48);
    }).replace(/\uFF0E/g, ".").replace(/\uFF0C/g, ",").replace(/[\s\u00A5\uFFE5]/g, "").replace(/元$/, "");
    if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, "");
    return s;
  }

  // English explanations from the engine may begin with a lower-case word ("band 1 ..."); a
  // sentence on the page starts with a capital.
  function sentence(text, lang) {
    return lang === "en" && text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  // The page's start-up work is over (ready, failed or unsupported). offline.js and the head
  // script (Material's search worker) wait for this, so neither competes with the runtime's boot.
  function settle(app, state) {
    app.setAttribute("data-ready", state);
    document.dispatchEvent(new Event("calculator-settled"));
  }

  var OFFLINE_STALL_MS = 3000;
  function start(opts) {
    var S = opts.strings, DATA = opts.data, statusEl = opts.statusEl, app = opts.app;
    var worker = null, ready = false, failed = false, seq = 0, waiting = {}, queue = [];
    var startedAt = Date.now(), lastProgressAt = Date.now(), slowTimer = null, downloading = false;
    // The share `part` (0..1) of the calculator's download, in MB as every page states it.
    function downloadMB(part) { return (part * DATA.runtime.download / 1048576).toFixed(1); }

    function setStatus(text, kind) {
      statusEl.textContent = text;
      statusEl.className = "calc-status" + (kind ? " calc-status--" + kind : "");
      statusEl.hidden = !text;
    }
    // One sentence for the reader, never the technical reason: that goes to an attribute for
    // whoever debugs it. Offline with nothing saved gets its own sentence (what to do about it).
    function fail(reason) {
      if (failed) return;
      failed = true;
      clearInterval(slowTimer);
      app.setAttribute("data-failure", String(reason || ""));
      setStatus(fill(navigator.onLine === false ? S.failed_offline : S.failed, {}), "error");
      Object.keys(waiting).forEach(function (id) { waiting[id].reject({ kind: "runtime" }); });
      waiting = {};
      queue.forEach(function (q) { q.reject({ kind: "runtime" }); });
      queue = [];
      settle(app, "failed");
      if (opts.onFail) opts.onFail();
    }
    function post(id, func, args) {
      worker.postMessage({ type: "run", id: id, module: "calculator.jsonapi", func: func, args: args });
    }
    function onMessage(event) {
      var msg = event.data;
      if (failed) return;
      if (msg.type === "progress") {
        lastProgressAt = Date.now();
        // Bytes of the runtime are still on their way (not yet starting it up, which sends nothing
        // for seconds on a slow phone).
        downloading = msg.stage === "runtime" && msg.loaded !== undefined && !(msg.total > 0 && msg.loaded >= msg.total);
        var total = msg.total || DATA.runtime.files["pyodide.asm.wasm"] + DATA.runtime.files["python_stdlib.zip"];
        // The worker counts the files' bytes as unpacked; the page states what the phone downloads
        // (the build's one figure), so the count is shown as that share of it and ends on it.
        var text = msg.loaded !== undefined
          ? fill(S.loading_progress, { done: downloadMB(Math.min(msg.loaded / total, 1)), size: downloadMB(1) })
          : S.loading_starting;
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
        setStatus(S.ready, "ready");
        settle(app, "true");
        queue.forEach(function (q) { waiting[q.id] = q; post(q.id, q.func, q.args); });
        queue = [];
        if (opts.onReady) opts.onReady();
      } else if (msg.type === "result") {
        var w = waiting[msg.id];
        if (!w) return;
        delete waiting[msg.id];
        if (msg.ok) w.resolve(msg.value);
        else if (msg.error && msg.error.type === "RuntimeNotReady") fail(msg.error.message);
        // A Python exception on this input only (e.g. a number too long to convert): the runtime
        // is fine, the next input is worked out as usual.
        else w.reject({ kind: "engine", error: msg.error });
      }
    }

    setStatus(fill(S.loading, { size: downloadMB(1) }), "loading");
    slowTimer = setInterval(function () {
      var waited = Math.round((Date.now() - startedAt) / 1000);
      if (Date.now() - lastProgressAt > 60000) { fail("timeout"); return; }
      // The runtime stopped arriving and the device says it is offline: without a service worker
      // nothing will bring the rest, so say so now rather than after the minute above.
      if (downloading && navigator.onLine === false && Date.now() - lastProgressAt > OFFLINE_STALL_MS) {
        fail("offline: the runtime stopped arriving");
        return;
      }
      if (waited >= 5 && !ready) {
        var extra = statusEl.getAttribute("data-progress") || fill(S.loading, { size: downloadMB(1) });
        statusEl.textContent = extra + " " + fill(S.loading_slow, { seconds: waited });
      }
    }, 1000);
    // partials/calculator-start.html (inline in <head>) is the one place that starts the worker.
    var early = window.ShebaoEarlyWorker;
    if (!early) {
      fail("the calculator could not start");
    } else {
      early.started.then(function (w) {
        worker = w;
        worker.onmessage = onMessage;
        worker.onerror = function (e) { e.preventDefault(); fail(e.message || "worker script failed"); };
        early.messages.forEach(onMessage);   // what came before we were listening
        if (early.error) { fail(early.error.message || "worker script failed"); return; }
        // `checked`: the build ran each profile's published examples; the engine runs them again
        // only for a profile whose digest does not match.
        var profiles = {}, checked = {};
        DATA.profiles.forEach(function (p) { profiles[p.summary.id] = p.profile; checked[p.summary.id] = p.checked; });
        // Queued by the worker until the runtime is up; its answer means "ready".
        // setup: the worker's on-device snapshot keeps the loaded profiles, and answers this same
        // call from it on a later visit (any other profiles are loaded as usual).
        worker.postMessage({ type: "run", id: 0, module: "calculator.jsonapi", func: "load_profiles",
          args: [profiles, checked], setup: true });
      }).catch(function (err) { fail(String(err && err.message || err)); });
    }

    return {
      call: function (func, args) {
        return new Promise(function (resolve, reject) {
          if (failed) { reject({ kind: "runtime" }); return; }
          var job = { id: ++seq, func: func, args: args, resolve: resolve, reject: reject };
          if (!ready) { queue.push(job); return; }
          waiting[job.id] = job;
          post(job.id, func, args);
        });
      },
      isReady: function () { return ready; },
      hasFailed: function () { return failed; },
    };
  }

  // ---- the visit form's choices and the profile's description, shared by both pages -----------

  function setOptions(select, items, keep) {
    select.textContent = "";
    items.forEach(function (item) { select.appendChild(el("option", { value: item[0] }, item[1])); });
    if (keep != null && items.some(function (i) { return i[0] === keep; })) select.value = keep;
  }

  // Offer only what the profile `s` (its summary) and plan `pl` have, with the profile's own names:
  // settings, the setting's levels, the locations the plan says how to pay (each with one plain
  // sentence), and the family account where the profile has one. `keep`: values to select.
  function offerChoices(form, s, pl, S, lang, keep) {
    keep = keep || {};
    var c = function (n) { return form.elements.namedItem(n); };
    var box = function (n) { return document.getElementById("calc-field-" + n); };
    var pick = function (n) { return keep[n] != null ? keep[n] : c(n).value; };
    setOptions(c("setting"), pl.settings.map(function (k) { return [k, S["setting_" + k] || s.setting_names[k][lang]]; }),
      pick("setting"));
    var levels = pl.levels[c("setting").value] || [];
    // No level is chosen for the resident: a tertiary stay left at the lowest level would be
    // understated, so the empty value stays until one is picked (the engine then asks for it).
    setOptions(c("level"), [["", S.level_choose]].concat(levels.map(function (id) {
      return [id, s.level_names[id][lang]];
    })), pick("level"));
    box("level").hidden = levels.length === 0;
    notOffered(document.getElementById("calc-not-offered"), s, pl, S, lang);
    setOptions(c("location"), pl.locations.map(function (id) { return [id, s.location_names[id][lang]]; }),
      pick("location"));
    box("location").hidden = pl.locations.length < 2;
    var help = document.getElementById("calc-location-help");
    help.textContent = "";
    pl.locations.forEach(function (id) {
      help.appendChild(el("dt", {}, s.location_names[id][lang]));
      help.appendChild(el("dd", {}, S["location_help_" + id]));
    });
    box("account_owner").hidden = !s.family_account;
    c("account_owner").value = s.family_account && pick("account_owner") === "family" ? "family" : "self";
  }

  // What this plan cannot estimate, in words: the settings the profile has no figures for, and
  // the hospitals a setting is priced at when it is not priced at all of them (e.g. outpatient
  // care only at community stations). Nothing is shown when everything is offered.
  function notOffered(box, s, pl, S, lang) {
    if (!box) return;
    box.textContent = "";
    var names = function (ids, table) { return ids.map(function (id) { return table[id][lang]; }).join(lang === "en" ? ", " : "、"); };
    var missing = ["inpatient", "outpatient", "pharmacy"].filter(function (k) { return pl.settings.indexOf(k) < 0; });
    if (missing.length) {
      box.appendChild(el("li", { "data-not-offered": missing.join(" ") }, fill(S.not_offered_settings, {
        settings: missing.map(function (k) { return S["setting_" + k] || s.setting_names[k][lang]; }).join(lang === "en" ? ", " : "、") })));
    }
    pl.settings.forEach(function (k) {
      var levels = pl.levels[k] || [];
      if (!levels.length || levels.length === s.levels.length) return;
      box.appendChild(el("li", { "data-not-offered": k }, fill(S.not_offered_levels, {
        setting: S["setting_" + k] || s.setting_names[k][lang], levels: names(levels, s.level_names) })));
    });
    box.hidden = !box.childNodes.length;
  }

  // The region the resident last chose on this device (on either page; a region merely shown first
  // is no choice), if it is still a real one:
  // a page opened without a region starts there rather than on the illustrative figures.
  var REGION_KEY = "shebao-region";
  function lastRegion(data) {
    var id = null;
    try { id = window.localStorage.getItem(REGION_KEY); } catch (err) { id = null; }
    var found = data.profiles.filter(function (p) { return p.summary.id === id && p.summary.status !== "illustrative"; });
    return found.length ? id : null;
  }
  function rememberRegion(id) {
    try { window.localStorage.setItem(REGION_KEY, id); } catch (err) { /* storage off: nothing kept */ }
  }
  // The plan menu in the editor's order; the line under it says who the chosen plan is for.
  function planItems(s, lang) {
    return (s.plan_order || Object.keys(s.plans)).map(function (id) { return [id, s.plans[id].name[lang]]; });
  }
  function showPlanFor(box, pl, lang) {
    if (!box) return;
    box.textContent = pl && pl.for_whom ? pl.for_whom[lang] : "";
    box.hidden = !box.textContent;
  }

  // A warning's sentence: the editors' text in content/calculator.yaml, else the engine's own label,
  // else a general sentence (never the code itself).
  function warningText(S, s, lang, code) {
    if (S["warning_" + code]) return S["warning_" + code];
    return s.warning_texts[code] ? s.warning_texts[code][lang] : S.warning_other;
  }

  // Status, dates, notes, how many published examples the engine reproduces, and the sources with
  // their kind (their addresses show in print).
  function profileInfo(box, s, S, lang) {
    box.textContent = "";
    var badge = el("p", { "class": "calc-badge calc-badge--" + s.status });
    badge.appendChild(el("strong", {}, S["status_" + s.status]));
    if (s.status !== "verified") {
      badge.appendChild(document.createTextNode(" " + warningText(S, s, lang, s.status + "_profile")));
    }
    box.appendChild(badge);
    box.appendChild(el("p", { "class": "calc-meta" },
      fill(S.profile_reviewed, { date: s.reviewed }) + " · " + fill(S.profile_effective, { date: s.effective_from })));
    if (s.notes) box.appendChild(el("p", { "class": "calc-meta" }, S.profile_notes + s.notes[lang]));
    box.appendChild(el("p", { "class": "calc-meta", "data-examples": String(s.examples) },
      s.examples ? fill(S.profile_examples, { count: s.examples }) : S.profile_examples_none));
    if (s.sources && s.sources.length) {
      var details = el("details", { "class": "calc-sources" });
      details.appendChild(el("summary", {}, S.profile_sources));
      var list = el("ul");
      s.sources.forEach(function (src) {
        var li = el("li");
        if (src.kind_name) li.appendChild(document.createTextNode(fill(S.source_kind, { kind: src.kind_name[lang] })));
        li.appendChild(el("a", { href: src.url, rel: "noopener" }, src.title));
        li.appendChild(el("span", { "class": "calc-print-url" }, " " + src.url));
        list.appendChild(li);
      });
      details.appendChild(list);
      box.appendChild(details);
    }
  }

  // Printed, the sources' disclosure is open (a closed <details> prints nothing of its list).
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".calc-sources:not([open])"), function (d) {
      d.open = true;
      d.setAttribute("data-print-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print-opened]"), function (d) {
      d.open = false;
      d.removeAttribute("data-print-opened");
    });
  });

  window.ShebaoEngine = {
    start: start, fill: fill, el: el, amount: amount, normaliseAmount: normaliseAmount,
    sentence: sentence, settle: settle, setOptions: setOptions, offerChoices: offerChoices,
    profileInfo: profileInfo, warningText: warningText, lastRegion: lastRegion, rememberRegion: rememberRegion,
    planItems: planItems, showPlanFor: showPlanFor,
  };
})();
