// Cost-estimate page: the form, the URL state and the result. The settlement itself happens in
// a Web Worker running the Python `calculator` package (engine-client.js talks to it); this file
// never does arithmetic on money, it only shows the engine's strings.
//
// A classic script (not a module) so the same file also runs from file://.
(function () {
  "use strict";

  var app = document.getElementById("calculator-app");
  if (!app) return;
  var E = window.ShebaoEngine;
  var DATA = window.SHEBAO_CALC;
  var S = JSON.parse(app.getAttribute("data-strings"));
  var lang = app.getAttribute("data-lang") === "en" ? "en" : "zh";
  var form = document.getElementById("calc-form");
  var statusEl = document.getElementById("calc-status");
  var nojs = document.getElementById("calc-nojs");
  var el = E && E.el, t = function (key, values) { return E.fill(S[key] || key, values || {}); };

  if (!E || typeof WebAssembly !== "object" || typeof Worker !== "function" || !DATA) {
    app.setAttribute("data-ready", "unsupported");   // the no-JS explanation stays visible
    document.dispatchEvent(new Event("calculator-settled"));
    return;
  }
  app.hidden = false;
  if (nojs) nojs.hidden = true;

  // The visit inputs this form shows, by kind, in form order (calculator/fields.py, shipped in DATA).
  var INPUTS = DATA.fields.inputs.filter(function (f) { return f.forms.indexOf("calculator") >= 0; });
  function named(kind) {
    return INPUTS.filter(function (f) { return f.kind === kind; }).map(function (f) { return f.name; });
  }
  var AMOUNTS = named("amount"), COUNTS = named("count"), FLAGS = named("flag");
  var CHOICES = ["profile"].concat(named("choice"));
  // Every input of the "earlier this year" group, shown or not (old links may name any of them).
  var EARLIER = DATA.fields.inputs.filter(function (f) { return f.group === "earlier"; })
    .map(function (f) { return f.name; });
  var profilesById = {};
  DATA.profiles.forEach(function (p) { profilesById[p.summary.id] = p; });

  function control(name) { return form.elements.namedItem(name); }
  function profile() { return profilesById[control("profile").value]; }
  function plan() { var p = profile(); return p && p.summary.plans[control("plan").value]; }
  function shownAmounts() {
    return AMOUNTS.filter(function (n) { return !fieldHidden(n); })
      .concat(layerFields());
  }
  function layerFields() {
    var out = [];
    var pl = plan();
    (pl ? pl.layers : []).forEach(function (l) {
      out.push("top_ups_this_year." + l.id + ".base", "top_ups_this_year." + l.id + ".paid");
    });
    return out;
  }
  function fieldHidden(name) {
    var box = document.getElementById("calc-field-" + name);
    return !!(box && box.hidden);
  }

  // ---- choices that depend on the profile and plan -------------------------
  function populateProfiles() {
    E.setOptions(control("profile"), DATA.profiles.map(function (p) { return [p.summary.id, p.summary.name[lang]]; }));
  }
  function populatePlans(keep) {
    var p = profile();
    E.setOptions(control("plan"), p ? Object.keys(p.summary.plans).map(function (id) {
      return [id, p.summary.plans[id].name[lang]];
    }) : [], keep);
  }
  // What the profile and plan offer (engine-client.js), then this page's own: the balance where an
  // account can pay, and each layer's year-to-date pair.
  function syncChoices(keep) {
    keep = keep || {};
    var p = profile(), pl = plan();
    if (!p || !pl) return;
    E.offerChoices(form, p.summary, pl, S, lang, keep);
    var ownAccount = pl.has_account || (p.summary.family_account && control("account_owner").value === "family");
    document.getElementById("calc-field-account_balance").hidden = !ownAccount;
    document.getElementById("calc-field-use_account").hidden = !ownAccount;
    document.getElementById("calc-field-policy_range_this_year").hidden = control("setting").value === "pharmacy";
    syncLayerFields(keep);
  }
  function syncLayerFields(keep) {
    var box = document.getElementById("calc-layers");
    var old = {};
    Array.prototype.forEach.call(box.querySelectorAll("input"), function (i) { old[i.name] = i.value; });
    box.textContent = "";
    var pl = plan();
    (pl ? pl.layers : []).forEach(function (layer) {
      ["base", "paid"].forEach(function (kind) {
        var name = "top_ups_this_year." + layer.id + "." + kind;
        var id = "calc-" + name.replace(/\./g, "-");
        var div = el("div", { "class": "calc-field", id: "calc-field-" + name });
        div.appendChild(el("label", { "for": id }, t("layer_" + kind, { layer: layer.name[lang] })));
        div.appendChild(el("p", { "class": "calc-error", id: id + "-error", hidden: "" }));
        var input = el("input", { "class": "calc-input", type: "text", id: id, name: name, inputmode: "decimal",
          autocomplete: "off", spellcheck: "false", "aria-describedby": id + "-error" });
        input.value = name in keep ? keep[name] : (old[name] || "");
        div.appendChild(input);
        box.appendChild(div);
      });
    });
  }
  function showProfileInfo() {
    var p = profile();
    if (p) E.profileInfo(document.getElementById("calc-profile-info"), p.summary, S, lang);
  }

  // ---- the visit, from the form and to/from the URL ------------------------
  function readVisit() {
    var visit = {};
    CHOICES.slice(1).forEach(function (name) { if (!fieldHidden(name)) visit[name] = control(name).value; });
    AMOUNTS.forEach(function (name) {
      if (fieldHidden(name)) return;
      var v = E.normaliseAmount(control(name).value);
      if (v !== "") visit[name] = v;
    });
    COUNTS.forEach(function (name) {
      var v = E.normaliseAmount(control(name).value);
      if (v !== "") visit[name] = /^\d{1,6}$/.test(v) ? Number(v) : v;
    });
    var layers = {};
    layerFields().forEach(function (name) {
      var v = E.normaliseAmount(control(name).value);
      if (v === "") return;
      var parts = name.split(".");
      layers[parts[1]] = layers[parts[1]] || {};
      layers[parts[1]][parts[2]] = v;
    });
    if (Object.keys(layers).length) visit.top_ups_this_year = layers;
    FLAGS.forEach(function (name) { if (!fieldHidden(name)) visit[name] = control(name).checked; });
    return visit;
  }
  function stateNames() {
    return CHOICES.filter(function (n) { return !fieldHidden(n); })
      .concat(shownAmounts(), COUNTS, FLAGS);
  }
  function writeURL() {
    var params = new URLSearchParams();
    stateNames().forEach(function (name) {
      var c = control(name);
      if (!c) return;
      if (FLAGS.indexOf(name) >= 0) { if (!c.checked && !fieldHidden(name)) params.set(name, "false"); return; }
      if (c.value !== "") params.set(name, c.value);
    });
    var hash = "#" + params.toString();
    if (location.hash !== hash) history.replaceState(null, "", hash);
    syncLanguageLinks();
  }
  // The language switch keeps the visit: the other language's page gets the same hash.
  function syncLanguageLinks() {
    Array.prototype.forEach.call(document.querySelectorAll("a[hreflang]"), function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + location.hash);
    });
  }
  var linkProblems = [];
  // Every field a link leaves out goes back to its default, so a second shared link (or
  // back/forward) never keeps figures from the one before.
  function readURL() {
    var raw = location.hash.slice(1) || location.search.slice(1);
    if (raw.indexOf("=") < 0) return false;   // a plain heading anchor
    var params = new URLSearchParams(raw);
    linkProblems = [];
    form.reset();
    var pid = params.get("profile");
    if (pid != null && !profilesById[pid]) linkProblems.push({ field: "profile", text: t("link_unknown_profile", { value: pid }) });
    if (pid != null && profilesById[pid]) control("profile").value = pid;
    var wanted = params.get("setting"), planWanted = params.get("plan");
    if (pid == null && wanted) {
      // A link that names only the kind of visit (the pharmacy page's) starts on the first region
      // and plan that offer it.
      DATA.profiles.some(function (p) {
        return Object.keys(p.summary.plans).some(function (id) {
          if (p.summary.plans[id].settings.indexOf(wanted) < 0) return false;
          control("profile").value = p.summary.id;
          if (planWanted == null) planWanted = id;
          return true;
        });
      });
    }
    populatePlans(planWanted);
    var planId = params.get("plan");
    if (planId != null && !linkProblems.length && control("plan").value !== planId) {
      linkProblems.push({ field: "plan", text: t("link_unknown_plan", { value: planId }) });
    }
    var keep = {};
    params.forEach(function (value, name) { keep[name] = value; });
    // Links made before each layer had its own fields name the first layer's two figures so.
    var pl = plan();
    if (pl && pl.layers.length) {
      var first = "top_ups_this_year." + pl.layers[0].id + ".";
      if ("supplementary_base_this_year" in keep) keep[first + "base"] = keep.supplementary_base_this_year;
      if ("supplementary_paid_this_year" in keep) keep[first + "paid"] = keep.supplementary_paid_this_year;
    }
    syncChoices(keep);
    AMOUNTS.concat(COUNTS).forEach(function (name) {
      control(name).value = name in keep ? keep[name] : "";
    });
    FLAGS.forEach(function (name) { control(name).checked = keep[name] !== "false"; });
    var earlier = document.getElementById("calc-earlier");
    earlier.open = Object.keys(keep).some(function (n) {
      return EARLIER.indexOf(n.split(".")[0]) >= 0 && keep[n] !== "";
    });
    return true;
  }

  // ---- errors --------------------------------------------------------------
  var touched = {};
  function slotId(field) { return "calc-" + field.replace(/\./g, "-") + "-error"; }
  function inputFor(field) {
    var c = control(field);
    if (!c && /^top_ups_this_year/.test(field)) c = control(field + ".base") || document.querySelector("#calc-layers input");
    return c;
  }
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".calc-error"), function (p) { p.hidden = true; p.textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (c) { c.removeAttribute("aria-invalid"); });
  }
  function showErrors(errors, all) {
    clearErrors();
    var summary = document.getElementById("calc-error-summary");
    var list = summary.querySelector("ul");
    list.textContent = "";
    var shown = 0;
    errors.forEach(function (e) {
      var c = inputFor(e.field);
      var message = e.message[lang];
      if (!all && c && !touched[c.name]) return;   // don't scold fields nobody has reached yet
      shown++;
      var slot = document.getElementById(slotId(c ? c.name : e.field)) || document.getElementById(slotId(e.field));
      if (slot) { slot.textContent = message; slot.hidden = false; }
      if (c) c.setAttribute("aria-invalid", "true");
      var li = el("li");
      if (c) {
        var a = el("a", { href: "#" + c.id }, message);
        a.addEventListener("click", function (ev) { ev.preventDefault(); c.focus(); });
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
  var SUMMARY = DATA.fields.figures.filter(function (g) { return g.shown.indexOf("result") >= 0; });
  function figure(key, value) {
    return el("span", { "data-field": key, "class": "calc-figure" }, E.amount(value));
  }
  function row(label, key, value, hidden) {
    var tr = el("tr");
    if (hidden) tr.hidden = true;
    tr.appendChild(el("th", { scope: "row" }, label));
    var td = el("td", { "class": "calc-num" });
    td.appendChild(figure(key, value));
    tr.appendChild(td);
    return tr;
  }
  function showEstimate(est, visit) {
    var s = profile().summary;
    var noBalance = est.account_used !== "none" && !("account_balance" in visit);
    document.getElementById("calc-result-empty").hidden = true;
    document.getElementById("calc-result-body").hidden = false;
    document.getElementById("calc-result").removeAttribute("data-stale");
    var headline = est.account_used === "none" ? "headline_none" : noBalance ? "headline_no_balance"
      : est.account_used === "family" ? "headline_family" : "headline";
    document.getElementById("calc-headline").textContent = t(headline, {
      patient_share: E.amount(est.patient_share), account: E.amount(est.account), cash: E.amount(est.cash),
      balance_after: E.amount(est.balance_after) });
    var used = document.getElementById("calc-account-used");
    used.textContent = t("account_used_" + est.account_used);
    used.setAttribute("data-account-used", est.account_used);
    var where = document.getElementById("calc-location-result");
    where.hidden = est.location === "local" && plan().locations.length < 2;
    where.textContent = t("location_result", { location: s.location_names[est.location][lang] });
    var tbody = document.getElementById("calc-summary-rows");
    tbody.textContent = "";
    SUMMARY.forEach(function (g) {
      var key = g.name;
      // No account could pay: no account figures (a blank balance likewise says nothing about them).
      var hide = g.account && (est.account_used === "none" || noBalance);
      var label = key === "account" && est.account_used === "family" ? t("account_owner_family") : t(g.label);
      tbody.appendChild(row(label, key, est[key], hide));
    });
    var layers = document.getElementById("calc-top-ups");
    layers.textContent = "";
    est.top_ups.forEach(function (layer) {
      layers.appendChild(row(layer.name[lang], "top_up:" + layer.id, layer.amount));
    });
    document.getElementById("calc-top-ups-box").hidden = est.top_ups.length === 0;
    var ratio = document.getElementById("calc-ratio");
    ratio.textContent = "";
    var pct = (Math.round(Number(est.self_paid_ratio) * 10000) / 100).toFixed(2) + "%";
    var parts = t("ratio_sentence", { percent: pct, ratio: "\u0000" }).split("\u0000");
    ratio.appendChild(document.createTextNode(parts[0]));
    ratio.appendChild(el("span", { "data-field": "self_paid_ratio" }, est.self_paid_ratio));
    ratio.appendChild(document.createTextNode(parts[1] || ""));
    var lines = document.getElementById("calc-lines");
    lines.textContent = "";
    est.lines.forEach(function (line) {
      var tr = el("tr", { "data-line": line.key });
      tr.appendChild(el("th", { scope: "row" }, line.label[lang]));
      tr.appendChild(el("td", { "class": "calc-num" }, E.amount(line.amount)));
      tr.appendChild(el("td", {}, E.sentence(line.explain[lang], lang)));
      lines.appendChild(tr);
    });
    var warnBox = document.getElementById("calc-warnings");
    var warnList = warnBox.querySelector("ul");
    warnList.textContent = "";
    var warnings = est.warnings.filter(function (code) { return !(noBalance && code === "balance_insufficient"); });
    warnings.forEach(function (code) {
      var text = E.warningText(S, s, lang, code);
      warnList.appendChild(el("li", { "data-warning": code }, text));
    });
    warnBox.hidden = warnings.length === 0;
    fillPrintInputs();
  }
  function showNoResult(message) {
    var empty = document.getElementById("calc-result-empty");
    empty.textContent = message || t("result_empty");
    empty.hidden = false;
    document.getElementById("calc-result-body").hidden = true;
    document.getElementById("calc-result").removeAttribute("data-stale");
  }
  // Print shows the inputs as text, since printed form controls are hard to read.
  function fillPrintInputs() {
    var dl = document.getElementById("calc-print-inputs");
    dl.textContent = "";
    stateNames().forEach(function (name) {
      var c = control(name);
      if (!c) return;
      var value = FLAGS.indexOf(name) >= 0 ? (c.checked ? "✓" : "✗")
        : c.tagName === "SELECT" ? (c.selectedOptions[0] || {}).textContent : c.value;
      if (!value) return;
      var label = form.querySelector("label[for='" + c.id + "']");
      dl.appendChild(el("dt", {}, label ? label.firstChild.textContent.trim() : name));
      dl.appendChild(el("dd", {}, value));
    });
  }

  // ---- the engine ----------------------------------------------------------
  var engine = E.start({ app: app, statusEl: statusEl, strings: S, data: DATA });
  var seq = 0, submitted = false, staleTimer = null;
  function recompute() {
    writeURL();
    var mine = ++seq;
    if (linkProblems.length) {
      showErrors(linkProblems.map(function (p) { return { field: p.field, message: { zh: p.text, en: p.text } }; }), true);
      showNoResult();
      app.setAttribute("data-busy", "false");
      return;
    }
    var visit = readVisit();
    if (!("total" in visit) && !submitted) { clearErrors(); showNoResult(); app.setAttribute("data-busy", "false"); return; }
    app.setAttribute("data-busy", "true");
    // The result on screen belongs to the previous input until the answer comes: dimmed if the
    // answer is slow (not at every keystroke, which would only flicker).
    clearTimeout(staleTimer);
    staleTimer = setTimeout(function () {
      if (mine === seq) document.getElementById("calc-result").setAttribute("data-stale", "true");
    }, 150);
    var focusSummary = submitted;
    submitted = false;
    engine.call("estimate", [control("profile").value, visit]).then(function (result) {
      if (mine !== seq) return;   // an older keystroke's answer
      clearTimeout(staleTimer);
      app.setAttribute("data-busy", "false");
      if (result.errors) {
        var shown = showErrors(result.errors, focusSummary);
        if (focusSummary && shown) document.getElementById("calc-error-summary").focus();
        showNoResult();
        return;
      }
      showErrors([], false);
      showEstimate(result, visit);
      if (focusSummary) document.getElementById("calc-result-title").focus();
    }, function (problem) {
      if (mine !== seq) return;
      clearTimeout(staleTimer);
      app.setAttribute("data-busy", "false");
      showNoResult(problem.kind === "engine" ? t("calc_error") : t("result_empty"));
    });
  }

  // ---- wiring --------------------------------------------------------------
  populateProfiles();
  if (!readURL()) { populatePlans(null); syncChoices(); }
  showProfileInfo();
  form.addEventListener("input", function (e) {
    if (e.target.name) touched[e.target.name] = true;
    if (e.target.name === "profile" || e.target.name === "plan") linkProblems = [];
    if (e.target.name === "profile") { populatePlans(control("plan").value); showProfileInfo(); }
    if (["profile", "plan", "setting", "account_owner"].indexOf(e.target.name) >= 0) syncChoices();
    recompute();
  });
  form.addEventListener("change", function (e) { if (e.target.name) touched[e.target.name] = true; });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    Array.prototype.forEach.call(form.elements, function (c) { if (c.name) touched[c.name] = true; });
    submitted = true;
    recompute();
  });
  document.getElementById("calc-print").addEventListener("click", function () { window.print(); });
  function fromURL() {
    if (readURL()) {
      showProfileInfo();
      Array.prototype.forEach.call(form.elements, function (c) { if (c.name) touched[c.name] = true; });
      recompute();
    }
  }
  window.addEventListener("hashchange", fromURL);
  window.addEventListener("popstate", fromURL);
  syncLanguageLinks();
  if (linkProblems.length || "total" in readVisit()) {
    // A shared link: show its result as soon as the runtime is ready.
    Array.prototype.forEach.call(form.elements, function (c) { if (c.name) touched[c.name] = true; });
    recompute();
  }
})();
