// "My year": the resident's visits of the year, settled in date order by the engine's year API
// (calculator.jsonapi.year in the worker), which carries the year-to-date figures from one visit
// to the next. Every change re-settles the whole year. What the resident enters stays in this
// browser's localStorage; export and import use the CLI's `year` input plus "profile".
//
// A classic script (not a module) so the same file also runs from file://.
(function () {
  "use strict";

  var app = document.getElementById("planner-app");
  if (!app) return;
  var E = window.ShebaoEngine;
  var DATA = window.SHEBAO_CALC;
  var nojs = document.getElementById("calc-nojs");
  if (!E || typeof WebAssembly !== "object" || typeof Worker !== "function" || !DATA) {
    app.setAttribute("data-ready", "unsupported");   // the no-JS explanation stays visible
    document.dispatchEvent(new Event("calculator-settled"));
    return;
  }
  var S = JSON.parse(app.getAttribute("data-strings"));
  var lang = app.getAttribute("data-lang") === "en" ? "en" : "zh";
  var el = E.el, amount = E.amount;
  function t(key, values) { return E.fill(S[key] || key, values || {}); }
  app.hidden = false;
  if (nojs) nojs.hidden = true;

  var STORE = "shebao-planner";
  // The visit inputs this form shows, by kind (calculator/fields.py, shipped in DATA), and the
  // figures a visit and the year show.
  var INPUTS = DATA.fields.inputs.filter(function (f) { return f.forms.indexOf("planner") >= 0; });
  function named(kind) {
    return INPUTS.filter(function (f) { return f.kind === kind; }).map(function (f) { return f.name; });
  }
  var VISIT_AMOUNTS = named("amount"), VISIT_COUNTS = named("count"), VISIT_FLAGS = named("flag");
  var VISIT_FIGURES = DATA.fields.figures.filter(function (g) { return g.shown.indexOf("visit") >= 0; });
  var startForm = document.getElementById("plan-start");
  var visitForm = document.getElementById("calc-form");
  var message = document.getElementById("plan-message");
  // Stored and imported names are looked up among a map's own entries: "__proto__" or
  // "constructor" is an unknown name like any other.
  var own = function (map, key) { return Object.prototype.hasOwnProperty.call(map, key); };
  // The built-in regions, then the resident's own rule sets (web/rules/own-rules.js).
  var OWN = window.ShebaoOwnRules;
  var PROFILES = DATA.profiles.concat(OWN ? OWN.regions(S, lang) : []);
  var profilesById = Object.create(null);
  function index() {
    profilesById = Object.create(null);
    PROFILES.forEach(function (p) { profilesById[p.summary.id] = p; });
  }
  index();
  var MAX_VISITS = 1000;            // the engine's limit for one year (calculator/year.py)
  var MAX_IMPORT_BYTES = 5000000;   // as the CLI reads at most (calculator/jsontext.py)

  // ---- state, kept on this device only --------------------------------------
  var state = load() || fresh();
  function fresh() { return { profile: E.lastRegion(DATA) || DATA.profiles[0].summary.id, plan: null, start: {}, visits: [] }; }
  var storageWorks = true;
  function load() {
    try {
      var raw = window.localStorage.getItem(STORE);
      var data = raw && JSON.parse(raw);
      return data && typeof data === "object" && Array.isArray(data.visits) ? data : null;
    } catch (err) {
      return null;
    }
  }
  function save() {
    if (gone) return;   // the stored year waits, unchanged, for the resident's choice
    try {
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (err) {
      storageWorks = false;
      document.getElementById("plan-storage").hidden = false;
    }
  }

  function startControl(name) { return startForm.elements.namedItem(name); }
  function visitControl(name) { return visitForm.elements.namedItem(name); }
  function profile() { return own(profilesById, state.profile) ? profilesById[state.profile] : undefined; }
  function plan() { var p = profile(); return p && own(p.summary.plans, state.plan) ? p.summary.plans[state.plan] : undefined; }

  // A stored year whose region or plan this build no longer has (renamed or removed): it is kept as
  // it is, said at the field, and nothing is settled or saved until the resident chooses.
  var gone = null;   // {field, text} while that choice is awaited
  function checkStored() {
    gone = null;
    if (typeof state.profile !== "string" || !profile()) {
      gone = { field: "profile", text: t("stored_gone_profile", { value: String(state.profile), count: state.visits.length }) };
    } else if (state.plan != null && !plan()) {
      gone = { field: "plan", text: t("stored_gone_plan", { value: String(state.plan), count: state.visits.length,
        region: profile().summary.name[lang] }) };
    }
  }
  function showGone() {
    var c = startControl(gone.field);
    if (!c.querySelector("option[data-link-placeholder]")) {
      c.insertBefore(el("option", { value: "", "data-link-placeholder": "" }, t("link_choose")), c.firstChild);
    }
    c.value = "";
    c.setAttribute("aria-invalid", "true");
    var slot = document.getElementById(c.id + "-error");
    if (slot) { slot.textContent = gone.text; slot.hidden = false; }
    message.textContent = gone.text;
    showYear(null);
    app.setAttribute("data-busy", "false");   // nothing is being worked out while the choice waits
  }

  // ---- the start form ----------------------------------------------------------
  var setOptions = E.setOptions;
  function showStart() {
    setOptions(startControl("profile"), PROFILES.map(function (p) { return [p.summary.id, p.summary.name[lang]]; }),
      state.profile);
    if (gone && gone.field === "profile") {
      setOptions(startControl("plan"), []);
      showGone();
      return;
    }
    state.profile = startControl("profile").value;
    var p = profile();
    setOptions(startControl("plan"), E.planItems(p.summary, lang), state.plan);
    if (gone) { showGone(); return; }
    state.plan = startControl("plan").value;
    E.showPlanFor(document.getElementById("calc-plan-for"), plan(), lang);
    ["date", "account_balance", "contribution_base"].forEach(function (k) {
      startControl("start." + k).value = state.start[k] != null ? state.start[k] : "";
    });
    startDate.show();
    var credit = plan().monthly_credit;
    document.getElementById("calc-field-start.contribution_base").hidden = !(credit && credit.rate_of_base);
    document.getElementById("calc-field-start.account_balance").hidden =
      !(plan().has_account || p.summary.family_account);
    showProfileInfo();
    syncChoices();
  }
  function readStart() {
    state.profile = startControl("profile").value;
    state.plan = startControl("plan").value;
    ["date", "account_balance", "contribution_base"].forEach(function (k) {
      var c = startControl("start." + k);
      var v = k === "date" ? readDate(c.value) : E.normaliseAmount(c.value);
      if (v === "" || c.closest(".calc-field").hidden) delete state.start[k];
      else state.start[k] = v;
    });
  }
  function showProfileInfo() {
    E.profileInfo(document.getElementById("calc-profile-info"), profile().summary, S, lang, profile().rules);
  }

  // ---- the visit form: only what this profile and plan offer ---------------------
  function syncChoices(keep) {
    var p = profile(), pl = plan();
    if (!p || !pl) return;   // a stored year waiting for its region and plan
    var s = p.summary;
    E.offerChoices(visitForm, s, pl, S, lang, keep);
    document.getElementById("calc-field-use_account").hidden = !(pl.has_account || s.family_account);
  }
  function hidden(name) { return document.getElementById("calc-field-" + name).hidden; }
  function readVisit() {
    var v = { date: readDate(visitControl("date").value), setting: visitControl("setting").value };
    if (!hidden("level")) v.level = visitControl("level").value;
    if (!hidden("location") && visitControl("location").value !== "local") v.location = visitControl("location").value;
    if (!hidden("account_owner") && visitControl("account_owner").value !== "self") v.account_owner = "family";
    VISIT_AMOUNTS.forEach(function (name) {
      var value = E.normaliseAmount(visitControl(name).value);
      if (value !== "") v[name] = value;
    });
    VISIT_COUNTS.forEach(function (name) {
      var value = E.normaliseAmount(visitControl(name).value);
      if (value !== "") v[name] = /^\d{1,6}$/.test(value) ? Number(value) : value;
    });
    VISIT_FLAGS.forEach(function (name) { if (!hidden(name) && !visitControl(name).checked) v[name] = false; });
    return v;
  }
  function fillVisitForm(v) {
    visitForm.reset();
    syncChoices(v);
    visitControl("date").value = v.date || "";
    visitDate.show();
    VISIT_AMOUNTS.concat(VISIT_COUNTS).forEach(function (name) {
      visitControl(name).value = v[name] != null ? v[name] : "";
    });
    VISIT_FLAGS.forEach(function (name) { visitControl(name).checked = v[name] !== false; });
  }

  // ---- dates as people write them ---------------------------------------------------
  // 2026-11-5, 2026/11/5, 2026.11.5, 2026年11月5日, 20261105, with full-width digits or separators:
  // the ISO date, or null when it is not a real day. The engine sees only ISO dates; anything not
  // read is passed on as typed, so the engine's own message names it.
  function isoDate(text) {
    var s = String(text).replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[\s\u3000]/g, "");
    var m = /^(\d{4})[-\/.\u3002年](\d{1,2})[-\/.\u3002月](\d{1,2})日?$/.exec(s) || /^(\d{4})(\d{2})(\d{2})$/.exec(s);
    if (!m) return null;
    var y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
    var day = new Date(Date.UTC(y, mo - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
    return m[1] + "-" + (mo < 10 ? "0" : "") + mo + "-" + (d < 10 ? "0" : "") + d;
  }
  function readDate(text) { return isoDate(text) || String(text).trim(); }
  function spelled(iso) {
    var p = iso.split("-").map(Number);
    if (lang === "zh") return p[0] + "年" + p[1] + "月" + p[2] + "日（" + iso + "）";
    var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"];
    return p[2] + " " + months[p[1] - 1] + " " + p[0] + " (" + iso + ")";
  }
  // A typed date field with the platform's date picker beside it and the day it was read as below.
  function dateField(input, picker, said) {
    function show() {
      var raw = input.value.trim(), iso = isoDate(raw);
      said.hidden = raw === "";
      said.textContent = iso ? t("date_understood", { date: spelled(iso) }) : t("date_not_understood");
      said.setAttribute("data-understood", iso || "");
      if (iso) picker.value = iso;
    }
    input.addEventListener("input", show);
    // The platform's picker opens from a button (a date input in the Tab order takes one stop per
    // part of the date); the input itself stays out of sight behind it.
    document.getElementById(picker.id + "-button").addEventListener("click", function () {
      if (isoDate(input.value)) picker.value = isoDate(input.value);
      try { picker.showPicker(); } catch (err) { picker.focus(); }
    });
    picker.addEventListener("change", function () {
      if (!picker.value) return;
      input.value = picker.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    return { show: show };
  }
  var startDate = dateField(startControl("start.date"), document.getElementById("plan-start-date-picker"),
    document.getElementById("plan-start-date-understood"));
  var visitDate = dateField(visitControl("date"), document.getElementById("calc-date-picker"),
    document.getElementById("calc-date-understood"));

  // ---- errors ----------------------------------------------------------------
  function clearErrors() {
    Array.prototype.forEach.call(app.querySelectorAll(".calc-error"), function (p) { p.hidden = true; p.textContent = ""; });
    Array.prototype.forEach.call(app.querySelectorAll("[aria-invalid]"), function (c) { c.removeAttribute("aria-invalid"); });
    document.getElementById("calc-error-summary").hidden = true;
  }
  // Errors name `start.x`, `visits[i].x` (input index) or a plain field. `formIndex` is the visit in
  // the form (being added or changed): its errors go to the form's fields.
  function showErrors(errors, formIndex, focus) {
    clearErrors();
    var summary = document.getElementById("calc-error-summary");
    var list = summary.querySelector("ul");
    list.textContent = "";
    errors.forEach(function (e) {
      var m = /^visits\[(\d+)\]\.?(.*)$/.exec(e.field);
      var control = null, text = e.message[lang];
      if (m && Number(m[1]) === formIndex) {
        control = visitControl(m[2].split(".")[0]);
        // A stored value the rules no longer offer is shown where it can be chosen again.
        var box = control && control.closest && control.closest(".calc-field");
        if (box && box.hidden) box.hidden = false;
      } else if (m) {
        var v = pending[Number(m[1])] || {};
        text = t("errors_in_visit", { n: Number(m[1]) + 1, date: v.date || "?", message: text });
      } else if (/^start\./.test(e.field)) {
        control = startControl(e.field.split(".").slice(0, 2).join("."));
      } else {
        control = startControl(e.field);
      }
      if (control && control.id) {
        var slot = document.getElementById(control.id + "-error");
        if (slot) { slot.textContent = e.message[lang]; slot.hidden = false; }
        control.setAttribute("aria-invalid", "true");
      }
      var li = el("li");
      if (control && control.id) {
        var a = el("a", { href: "#" + control.id }, text);
        a.addEventListener("click", function (ev) { ev.preventDefault(); control.focus(); });
        li.appendChild(a);
      } else {
        li.textContent = text;
      }
      list.appendChild(li);
    });
    summary.hidden = errors.length === 0;
    if (focus && errors.length) summary.focus();
  }

  // ---- settling and showing the year ---------------------------------------------
  var engine = E.start({ app: app, statusEl: document.getElementById("calc-status"), strings: S, data: DATA,
    onReady: function () { resettle(); } });
  var seq = 0, editing = null, pending = state.visits;
  // The saved rule sets go to the engine before the first year is settled.
  if (OWN) OWN.useCards(engine, OWN.savedCards()).catch(function () {});

  function request(visits) {
    var start = {};
    Object.keys(state.start).forEach(function (k) { start[k] = state.start[k]; });
    return { plan: state.plan, start: start, visits: visits };
  }
  // Settle `visits` (the current ones, or a candidate list with the form's visit in it).
  // Resolves to the engine's answer; `then` decides whether to keep the candidate.
  function settleYear(visits) {
    var mine = ++seq;
    pending = visits;
    app.setAttribute("data-busy", "true");
    var t0 = performance.now();
    return engine.call("year", [state.profile, request(visits)]).then(function (result) {
      if (mine !== seq) return null;
      app.setAttribute("data-busy", "false");
      return { result: result, started: t0 };
    }, function (problem) {
      if (mine !== seq) return null;
      app.setAttribute("data-busy", "false");
      message.textContent = problem.kind === "engine" ? t("calc_error") : "";
      return null;
    });
  }
  function resettle() {
    if (!engine.isReady() || gone) return;
    settleYear(state.visits).then(function (answer) {
      if (!answer) return;
      if (answer.result.errors) {
        var refused = refusedVisits(answer.result.errors);
        if (refused) { settleWithout(refused, answer.result.errors); return; }
        // A start not filled in yet is no mistake while there is no visit to work out.
        if (state.visits.length) showErrors(answer.result.errors, -1, false); else clearErrors();
        showYear(null);
        return;
      }
      clearErrors();
      showYear(answer.result);
      measure(answer.started);
    });
  }
  // {input index: [messages]} when every error belongs to a stored visit (rules rebuilt since it was
  // entered refuse it), else null.
  function refusedVisits(errors) {
    var out = Object.create(null), any = false;
    var all = errors.every(function (e) {
      var m = /^visits\[(\d+)\]/.exec(e.field);
      if (!m || Number(m[1]) >= state.visits.length) return false;
      (out[m[1]] = out[m[1]] || []).push(e.message[lang]);
      any = true;
      return true;
    });
    return all && any ? out : null;
  }
  // The rest of the year settles; each refused visit is shown with its error and its own buttons.
  function settleWithout(refused, errors) {
    var kept = [];
    state.visits.forEach(function (v, i) { if (!(String(i) in refused)) kept.push(i); });
    settleYear(kept.map(function (i) { return state.visits[i]; })).then(function (answer) {
      if (!answer) return;
      pending = state.visits;
      refusedErrors = errors;
      showErrors(errors, -1, false);
      if (answer.result.errors) { showYear(null, refused); return; }
      answer.result.visits.forEach(function (v) { v.index = kept[v.index]; });
      showYear(answer.result, refused);
      measure(answer.started);
    });
  }
  function refusedCard(index, messages) {
    var input = state.visits[index] || {};
    var n = index + 1;
    var card = el("article", { "class": "planner-visit planner-visit--refused", "data-visit-refused": String(index),
      "aria-labelledby": "plan-r" + index });
    card.appendChild(el("h4", { id: "plan-r" + index }, t("visit_label", { n: n }) + " · " + String(input.date || "?") +
      " · " + (S["setting_" + input.setting] || String(input.setting || ""))));
    messages.forEach(function (m) { card.appendChild(el("p", { "class": "calc-error" }, m)); });
    var actions = el("p", { "class": "planner-actions" });
    var edit = el("button", { type: "button", "class": "md-button", "aria-label": t("edit") + " " + t("visit_label", { n: n }) }, t("edit"));
    edit.addEventListener("click", function () {
      startEdit(index, n);
      // The form shows where this visit no longer fits, at its fields.
      var mine = refusedErrors.filter(function (e) { return e.field.indexOf("visits[" + index + "]") === 0; });
      showErrors(mine, index, false);
    });
    var del = el("button", { type: "button", "class": "md-button", "aria-label": t("delete") + " " + t("visit_label", { n: n }) }, t("delete"));
    del.addEventListener("click", function () { removeVisit(index); });
    actions.appendChild(edit);
    actions.appendChild(del);
    card.appendChild(actions);
    return card;
  }
  function measure(started) {
    var ms = performance.now() - started;
    app.setAttribute("data-settle-ms", ms.toFixed(1));
    app.setAttribute("data-settled-visits", String(state.visits.length));
  }

  function yearOf(date) {
    var starts = profile().summary.year_starts || "01-01";
    var y = Number(date.slice(0, 4));
    return date.slice(5) >= starts ? y : y - 1;
  }
  function figureRow(tbody, label, key, value, hide) {
    var tr = el("tr");
    if (hide) tr.hidden = true;
    tr.appendChild(el("th", { scope: "row" }, label));
    var td = el("td", { "class": "calc-num" });
    td.appendChild(el("span", { "data-field": key }, amount(value)));
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
  function carried(v, layersById, input) {
    var ul = el("ul", { "class": "planner-carried" });
    var y = v.ytd, est = v.estimate;
    if (est && input.setting === "inpatient") ul.appendChild(el("li", {}, t("carried_admission", { n: y.prior_admissions + 1 })));
    ul.appendChild(el("li", {}, t("carried_deductible", { amount: amount(y.deductible_paid_this_year) })));
    ul.appendChild(el("li", {}, t("carried_fund", { amount: amount(y.fund_paid_this_year) })));
    ul.appendChild(el("li", {}, t("carried_policy_range", { amount: amount(y.policy_range_this_year) })));
    Object.keys(y.top_ups_this_year).forEach(function (id) {
      var layer = y.top_ups_this_year[id];
      ul.appendChild(el("li", {}, t("carried_layer", { layer: layersById[id] || id, base: amount(layer.base),
        paid: amount(layer.paid) })));
    });
    ul.appendChild(el("li", { "data-carried": "credited" }, t("carried_credit", { amount: amount(v.credited) })));
    ul.appendChild(el("li", {}, t("carried_balance", { amount: amount(y.account_balance) })));
    return ul;
  }
  var refusedErrors = [];
  function showYear(result, refused) {
    var box = document.getElementById("plan-years");
    box.textContent = "";
    var totals = document.getElementById("plan-totals");
    var refusedIndexes = refused ? Object.keys(refused) : [];
    if (!refused) refusedErrors = [];
    document.getElementById("plan-empty").hidden = !!(result && result.visits.length) || refusedIndexes.length > 0;
    totals.hidden = !result || !result.visits.length;
    refusedIndexes.forEach(function (i) { box.appendChild(refusedCard(Number(i), refused[i])); });
    if (!result) return;
    var s = profile().summary, pl = plan();
    // Printed, the year says whose rules and which start it was settled with.
    var colon = lang === "en" ? ": " : "：";
    document.getElementById("plan-print-head").textContent = [
      S.profile + colon + s.name[lang] + " (" + S["status_" + s.status] + ", " +
        E.fill(S.profile_reviewed, { date: s.reviewed }) + ")",
      S.plan + colon + pl.name[lang],
      S.start_date + colon + (state.start.date || ""),
      S.start_balance + colon + amount(state.start.account_balance || "0.00"),
      S.printed_from].join(lang === "en" ? " · " : "；");
    var layersById = {};
    pl.layers.forEach(function (l) { layersById[l.id] = l.name[lang]; });
    var group = null, groupYear = null, printBody = null;
    result.visits.forEach(function (v, order) {
      var input = state.visits[v.index];
      var est = v.estimate;
      var y = yearOf(v.date);
      if (y !== groupYear) {
        groupYear = y;
        group = el("section", { "class": "planner-year" });
        var from = String(y) + "-" + (s.year_starts || "01-01");
        var yearTitle = group.appendChild(el("h3", {}, t("year_heading", { from: from })));
        if (OWN) OWN.markHeading(yearTitle, s, S);
        var table = el("table", { "class": "calc-table planner-print-table" });
        var head = el("tr");
        ["date"].concat(VISIT_FIGURES.map(function (g) { return g.label; }))
          .forEach(function (k) { head.appendChild(el("th", { scope: "col" }, t(k))); });
        table.appendChild(el("thead")).appendChild(head);
        printBody = table.appendChild(el("tbody"));
        group.appendChild(table);
        box.appendChild(group);
      }
      var n = order + 1;
      var card = el("article", { "class": "planner-visit", "data-visit": String(order), "data-date": v.date,
        "aria-labelledby": "plan-v" + order });
      var level = input.level && s.level_names[input.level] ? " · " + s.level_names[input.level][lang] : "";
      card.appendChild(el("h4", { id: "plan-v" + order }, t("visit_label", { n: n }) + " · " + v.date + " · " +
        (S["setting_" + input.setting] || input.setting) + level));
      var none = est.account_used === "none";
      card.appendChild(el("p", { "class": "calc-headline" }, t(none ? "headline_none" :
        est.account_used === "family" ? "headline_family" : "headline", {
        patient_share: amount(est.patient_share), account: amount(est.account), cash: amount(est.cash),
        balance_after: amount(est.balance_after) })));
      var table = el("table", { "class": "calc-table" });
      var tbody = table.appendChild(el("tbody"));
      VISIT_FIGURES.forEach(function (g) {
        // Each layer's payment just before their sum.
        if (g.name === "supplementary") {
          est.top_ups.forEach(function (layer) { figureRow(tbody, layer.name[lang], "top_up:" + layer.id, layer.amount); });
        }
        figureRow(tbody, t(g.label), g.name, est[g.name], g.account && none);
      });
      card.appendChild(el("div", { "class": "calc-table-wrap" })).appendChild(table);
      if (est.warnings.length) {
        var warn = el("ul", { "class": "calc-warnings" });
        est.warnings.forEach(function (code) {
          if (code === "illustrative_profile" || code === "unverified_profile") return;   // said once, above
          warn.appendChild(el("li", { "data-warning": code }, E.warningText(S, s, lang, code)));
        });
        if (warn.childNodes.length) card.appendChild(warn);
      }
      var details = el("details", { "class": "planner-carried-box" });
      details.appendChild(el("summary", {}, t("carried_title")));
      details.appendChild(carried(v, layersById, input));
      card.appendChild(details);
      var actions = el("p", { "class": "planner-actions" });
      var edit = el("button", { type: "button", "class": "md-button", "aria-label": t("edit") + " " + t("visit_label", { n: n }) }, t("edit"));
      edit.addEventListener("click", function () { startEdit(v.index, n); });
      var del = el("button", { type: "button", "class": "md-button", "aria-label": t("delete") + " " + t("visit_label", { n: n }) }, t("delete"));
      del.addEventListener("click", function () { removeVisit(v.index); });
      actions.appendChild(edit);
      actions.appendChild(del);
      card.appendChild(actions);
      group.appendChild(card);
      var tr = el("tr");
      [v.date].concat(VISIT_FIGURES.map(function (g) { return est[g.name]; }))
        .forEach(function (x, i) { tr.appendChild(el("td", i ? { "class": "calc-num" } : {}, i ? amount(x) : x)); });
      printBody.appendChild(tr);
    });
    Object.keys(result.totals).forEach(function (key) {
      var span = totals.querySelector("[data-field='" + key + "']");
      if (span) span.textContent = amount(result.totals[key]);
    });
  }

  // ---- adding, changing, deleting ----------------------------------------------
  function startEdit(index, n) {
    editing = index;
    fillVisitForm(state.visits[index]);
    document.getElementById("plan-visit-title").textContent = t("edit_title", { n: n });
    document.getElementById("plan-add").textContent = t("save");
    document.getElementById("plan-cancel").hidden = false;
    visitControl("date").focus();
  }
  function stopEdit() {
    editing = null;
    visitForm.reset();
    syncChoices();
    visitDate.show();
    document.getElementById("plan-visit-title").textContent = t("visit_title");
    document.getElementById("plan-add").textContent = t("add");
    document.getElementById("plan-cancel").hidden = true;
  }
  function removeVisit(index) {
    state.visits = state.visits.filter(function (v, i) { return i !== index; });
    if (editing === index) stopEdit();
    else if (editing !== null && editing > index) editing--;
    save();
    resettle();
    document.getElementById("plan-visits-title").focus();
  }
  visitForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!engine.isReady()) return;
    if (gone) { showGone(); startControl(gone.field).focus(); return; }
    var visit = readVisit();
    var candidate = state.visits.slice();
    var index = editing === null ? candidate.length : editing;
    candidate[index] = visit;
    settleYear(candidate).then(function (answer) {
      if (!answer) return;
      var errors = answer.result.errors || [];
      var own = errors.filter(function (er) { return er.field.indexOf("visits[" + index + "]") === 0; });
      if (own.length) { showErrors(errors, index, true); return; }
      state.visits = candidate;
      save();
      stopEdit();
      if (errors.length) { resettle(); return; }   // other stored visits the rules refuse: shown as such
      clearErrors();
      showYear(answer.result);
      measure(answer.started);
      visitControl("date").focus();
    });
  });
  document.getElementById("plan-cancel").addEventListener("click", stopEdit);
  visitForm.addEventListener("input", function (e) {
    if (e.target.name === "setting" || e.target.name === "account_owner") syncChoices(readVisit());
  });
  startForm.addEventListener("input", function (e) {
    if (gone) {
      // The resident's choice: a region first (then its plan), or the plan. Only then is the year
      // settled and saved under it.
      if (e.target.name !== gone.field) return;
      e.target.removeAttribute("aria-invalid");
      Array.prototype.forEach.call(e.target.querySelectorAll("option[data-link-placeholder]"), function (o) { o.remove(); });
      if (gone.field === "profile") {
        state.profile = e.target.value;
        state.plan = null;
        gone = { field: "plan", text: t("stored_choose_plan", { count: state.visits.length }) };
        clearErrors();
        showStart();
        return;
      }
      gone = null;
      message.textContent = "";
      clearErrors();
      state.plan = e.target.value;
      showStart();
      readStart();
      save();
      resettle();
      return;
    }
    if (e.target.name === "profile") {
      state.profile = e.target.value; state.plan = null; E.rememberRegion(state.profile); showStart();
    }
    else if (e.target.name === "plan") { state.plan = e.target.value; showStart(); }
    readStart();
    save();
    resettle();
  });

  // ---- export, import, clear, print ----------------------------------------------
  // The file is the CLI's `year` input (python -m calculator year --visits FILE) plus "profile".
  function exported() {
    var out = { profile: state.profile, plan: state.plan, start: request([]).start, visits: state.visits };
    var p = profile();
    if (p && p.own) out.rules = p.card;   // so an import on another device has the rule set
    return out;
  }
  document.getElementById("plan-export").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(exported(), null, 2) + "\n"], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "my-year-" + state.profile + ".json" });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });
  function importText(text) {
    var data;
    try { data = JSON.parse(text); } catch (err) { return t("import_not_json"); }
    if (!data || typeof data !== "object" || Array.isArray(data)) return t("import_not_json");
    if (typeof data.profile !== "string" || !own(profilesById, data.profile)) {
      return t("import_no_profile", { value: String(data.profile).slice(0, 40) });
    }
    if (typeof data.plan !== "string" || !data.start || typeof data.start !== "object" || Array.isArray(data.start)
        || !Array.isArray(data.visits)) {
      return t("import_shape");
    }
    if (!own(profilesById[data.profile].summary.plans, data.plan)) return t("link_unknown_plan", { value: data.plan.slice(0, 40) });
    if (data.visits.length > MAX_VISITS) return t("import_too_many", { count: data.visits.length, max: MAX_VISITS });
    if (!data.visits.every(function (v) { return v && typeof v === "object" && !Array.isArray(v); })) return t("import_shape");
    gone = null;
    message.textContent = "";
    state = { profile: data.profile, plan: data.plan, start: data.start, visits: data.visits };
    stopEdit();
    showStart();
    save();
    resettle();
    return null;
  }
  // A file exported with the resident's own rule set carries it: the engine checks it, and it is
  // saved on this device beside the others before the year is imported. Resolves to a problem or null.
  function adoptRules(text) {
    var data;
    try { data = JSON.parse(text); } catch (err) { return Promise.resolve(null); }
    var card = data && data.rules;
    if (!OWN || !card || typeof card !== "object" || typeof data.profile !== "string" || card.id !== data.profile) {
      return Promise.resolve(null);
    }
    return OWN.useCards(engine, (function () { var c = {}; c[card.id] = card; return c; })()).then(function (answer) {
      var got = answer[card.id] || {};
      if (!got.summary) return t("import_rules_refused");
      var entry = { id: card.id, card: card, summary: got.summary };
      OWN.put(entry);
      PROFILES = PROFILES.filter(function (p) { return p.summary.id !== card.id; }).concat([OWN.asRegion(entry, S, lang)]);
      index();
      return null;
    }, function () { return t("import_rules_refused"); });
  }
  var importer = document.getElementById("plan-import");
  importer.addEventListener("change", function () {
    var file = importer.files && importer.files[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      message.textContent = t("import_bad", { reason: t("import_too_large", { mb: MAX_IMPORT_BYTES / 1000000 }) });
      importer.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var text = String(reader.result);
      adoptRules(text).then(function (refused) {
        var problem = refused || importText(text);
        message.textContent = problem ? t("import_bad", { reason: problem }) : t("import_done", { count: state.visits.length });
        importer.value = "";
      });
    };
    reader.readAsText(file);
  });
  document.getElementById("plan-clear").addEventListener("click", function () {
    if (!window.confirm(t("clear_confirm"))) return;
    try { window.localStorage.removeItem(STORE); } catch (err) { /* nothing was stored */ }
    state = fresh();
    gone = null;
    showStart();
    stopEdit();
    clearErrors();
    showYear(null);
    message.textContent = t("cleared");
  });
  document.getElementById("plan-print").addEventListener("click", function () { window.print(); });

  checkStored();
  showStart();
  save();
})();
