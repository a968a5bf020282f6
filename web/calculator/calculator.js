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
  // "More from your bill": the bill's inputs beyond the required total (a link that fills one opens it).
  var MORE = INPUTS.filter(function (f) { return f.group === "bill" && !f.required; }).map(function (f) { return f.name; });
  var more = document.getElementById("calc-more"), moreChosen = false;
  // Names from a link are looked up only among a map's own entries: "__proto__" or "constructor"
  // is an unknown name like any other.
  var own = function (map, key) { return Object.prototype.hasOwnProperty.call(map, key); };
  // The built-in regions, then the resident's own rule sets (web/rules/own-rules.js).
  var OWN = window.ShebaoOwnRules;
  var PROFILES = DATA.profiles.concat(OWN ? OWN.regions(S, lang) : []);
  var profilesById = Object.create(null);
  PROFILES.forEach(function (p) { profilesById[p.summary.id] = p; });
  var linkRules = OWN ? OWN.fromLink() : null;   // a rule set the link carries: {card} or {bad}
  var waitingForLink = !!(linkRules && linkRules.card);

  function control(name) { return form.elements.namedItem(name); }
  function profile() { return profilesById[control("profile").value]; }
  function plan() {
    var p = profile(), id = control("plan").value;
    return p && own(p.summary.plans, id) ? p.summary.plans[id] : undefined;
  }
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
  // `ask`: no region is chosen for the resident (an empty first choice), e.g. a link that names only
  // the kind of visit when this device has no region remembered. The resident's own rule sets come
  // after the built-in regions; a choice already made is kept when the list is rebuilt.
  function populateProfiles(ask) {
    var items = PROFILES.map(function (p) { return [p.summary.id, p.summary.name[lang]]; });
    var chosen = control("profile").value;
    E.setOptions(control("profile"), ask ? [["", t("choose_region")]].concat(items) : items,
      ask ? "" : chosen && own(profilesById, chosen) ? chosen : E.lastRegion(DATA));
  }
  function populatePlans(keep) {
    var p = profile();
    E.setOptions(control("plan"), p ? E.planItems(p.summary, lang) : [], keep);
    E.showPlanFor(document.getElementById("calc-plan-for"), plan(), lang);
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
    if (p) E.profileInfo(document.getElementById("calc-profile-info"), p.summary, S, lang, p.rules);
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
  // The hash last read or written: Chromium reports one navigation as popstate and then hashchange,
  // and the second must not read the page's own state back as if it were a new link.
  var currentHash = null;
  function writeURL() {
    // A link with a problem stays as it was given until the resident chooses (never a substitute).
    if (linkProblems.length) { syncLanguageLinks(); return; }
    var params = new URLSearchParams();
    stateNames().forEach(function (name) {
      var c = control(name);
      if (!c) return;
      if (FLAGS.indexOf(name) >= 0) { if (!c.checked && !fieldHidden(name)) params.set(name, "false"); return; }
      if (c.value !== "") params.set(name, c.value);
    });
    if (window.ShebaoCompare) window.ShebaoCompare.params(params);
    var p = profile();
    if (p && p.own) params.set(OWN.LINK_PARAM, OWN.encode(p.card));   // the link carries the rule set
    var hash = "#" + params.toString();
    if (location.hash !== hash) history.replaceState(null, "", hash);
    currentHash = location.hash;
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
    currentHash = location.hash;
    var raw = location.hash.slice(1) || location.search.slice(1);
    if (raw.indexOf("=") < 0) return false;   // a plain heading anchor
    var params = new URLSearchParams(raw);
    linkProblems = [];
    dropPlaceholders();
    form.reset();
    var pid = params.get("profile");
    if (linkRules && linkRules.bad) linkProblems.push({ field: "profile", text: t("link_bad_rules") });
    else if (linkRules && linkRules.refused) linkProblems.push({ field: "profile", text: t("link_refused_rules") });
    else if (pid != null && !own(profilesById, pid) && !waitingForLink) {
      linkProblems.push({ field: "profile", text: t("link_unknown_profile", { value: shortValue(pid) }) });
    }
    if (pid != null && own(profilesById, pid)) control("profile").value = pid;
    var wanted = params.get("setting"), planWanted = params.get("plan");
    if (pid == null && wanted) {
      // A link that names only the kind of visit (the pharmacy page's) starts on the region this
      // device last used, or asks for one: never on the illustrative figures. Where that region
      // has no figures for the visit, the form says so (#calc-not-offered).
      var last = E.lastRegion(DATA);
      populateProfiles(!last);
      if (last) control("profile").value = last;
      else control("setting").value = wanted;   // kept once a region that offers it is chosen
    }
    populatePlans(planWanted);
    var planId = params.get("plan");
    if (planId != null && !linkProblems.length && control("plan").value !== planId) {
      linkProblems.push({ field: "plan", text: t("link_unknown_plan", { value: shortValue(planId) }) });
    }
    var keep = Object.create(null);
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
    more.open = MORE.some(function (n) { return keep[n] != null && keep[n] !== ""; });
    var earlier = document.getElementById("calc-earlier");
    earlier.open = Object.keys(keep).some(function (n) {
      return EARLIER.indexOf(n.split(".")[0]) >= 0 && keep[n] !== "";
    });
    if (!linkProblems.length && pl) checkOffered(params, keep, pl);
    if (!profile()) populatePlans(null);   // no region: no plans of another region either
    return true;
  }
  function shortValue(v) { return v.length > 40 ? v.slice(0, 40) + "…" : v; }
  // What the link asks that the chosen region and plan do not offer is said at its field, and the
  // field waits for the resident's choice; nothing else is put in its place.
  function checkOffered(params, keep, pl) {
    ["setting", "level", "location", "account_owner"].forEach(function (name) {
      var value = params.get(name);
      if (value == null || control(name).value === value) return;
      // A level given for a kind of visit that has none (a pharmacy) is not used, so nothing is swapped.
      if (name === "level" && fieldHidden("level")) return;
      linkProblems.push({ field: name, text: t("link_not_offered", { field: S[name], value: shortValue(value) }) });
    });
    var layers = pl.layers.map(function (l) { return l.id; });
    Object.keys(keep).forEach(function (name) {
      var m = /^top_ups_this_year\.(.*)\.(base|paid)$/.exec(name);
      var id = m ? m[1] : /^supplementary_(base|paid)_this_year$/.test(name) && !layers.length ? S.field_supplementary : null;
      if (id == null || (m && layers.indexOf(id) >= 0) || keep[name] === "") return;
      if (linkProblems.some(function (p) { return p.field === "layer"; })) return;
      linkProblems.push({ field: "layer", text: t("link_unknown_layer", { value: shortValue(id) }) });
    });
  }
  function markUnchosen(name) {
    var c = control(name);
    if (!c.querySelector("option[data-link-placeholder]")) {
      c.insertBefore(el("option", { value: "", "data-link-placeholder": "" }, t("link_choose")), c.firstChild);
    }
    c.value = "";
    var box = document.getElementById("calc-field-" + name);
    if (box) box.hidden = false;
    // A family account the region does not have is no choice either.
    if (name === "account_owner" && !(profile() && profile().summary.family_account)) {
      Array.prototype.forEach.call(c.options, function (o) { if (o.value === "family") o.disabled = true; });
    }
  }
  function dropPlaceholders() {
    Array.prototype.forEach.call(form.querySelectorAll("option[data-link-placeholder]"), function (o) { o.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("option[disabled]"), function (o) { o.disabled = false; });
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
    if (OWN) OWN.markHeading(document.getElementById("calc-result-title"), s, S);
    // A fund of 0 because these rules leave the benefit out is said in words, never shown bare.
    var note = document.getElementById("calc-fund-note");
    note.textContent = t("fund_not_pooled");
    note.hidden = !(visit.setting === "pharmacy" && plan().pharmacy_pooled === false);
    fillPrintInputs();
    if (window.ShebaoNext) window.ShebaoNext.show(est, visit, profile());
    if (window.ShebaoCompare) window.ShebaoCompare.show(est, visit, engine);
  }
  function showNoResult(message) {
    var empty = document.getElementById("calc-result-empty");
    empty.textContent = message || t("result_empty");
    empty.hidden = false;
    document.getElementById("calc-result-body").hidden = true;
    document.getElementById("calc-result").removeAttribute("data-stale");
    if (window.ShebaoNext) window.ShebaoNext.hide();
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
  if (OWN) useOwnRules();
  // The saved rule sets, and the one a link carries, go to the engine before any estimate; the link's
  // set joins the region list once the engine has checked it (a refused one is a link problem).
  function useOwnRules() {
    var cards = OWN.savedCards();
    var linkCard = linkRules && linkRules.card;
    if (linkCard) cards[linkCard.id] = linkCard;
    if (!Object.keys(cards).length) return;
    OWN.useCards(engine, cards).then(function (answer) {
      PROFILES = PROFILES.filter(function (p) { return !p.own || (answer[p.summary.id] || {}).summary; });
      if (linkCard) {
        var got = answer[linkCard.id] || {};
        PROFILES = PROFILES.filter(function (p) { return p.summary.id !== linkCard.id; });
        if (got.summary) PROFILES.push(OWN.asRegion({ id: linkCard.id, card: linkCard, summary: got.summary }, S, lang));
        else linkRules = { refused: true };
      }
      profilesById = Object.create(null);
      PROFILES.forEach(function (p) { profilesById[p.summary.id] = p; });
      populateProfiles();
      // The same link, read again now that its rule set is known.
      if (waitingForLink) { waitingForLink = false; currentHash = null; fromURL(); }
    }, function () { waitingForLink = false; });
  }
  var seq = 0, submitted = false, staleTimer = null;
  function recompute() {
    if (waitingForLink) { showNoResult(); return; }   // the link's own rule set is still being checked
    writeURL();
    var mine = ++seq;
    if (linkProblems.length) {
      linkProblems.forEach(function (p) { if (CHOICES.indexOf(p.field) >= 0) markUnchosen(p.field); });
      showErrors(linkProblems.map(function (p) { return { field: p.field, message: { zh: p.text, en: p.text } }; }), true);
      showNoResult();
      app.setAttribute("data-busy", "false");
      return;
    }
    if (!profile()) { clearErrors(); showNoResult(t("result_need_region")); app.setAttribute("data-busy", "false"); return; }
    var visit = readVisit();
    if (!("total" in visit) && !submitted) { clearErrors(); showNoResult(); app.setAttribute("data-busy", "false"); return; }
    // The result waits for a hospital level: no level is assumed for the resident.
    if (visit.level === "" && !submitted) {
      clearErrors(); showNoResult(t("result_need_level")); app.setAttribute("data-busy", "false"); return;
    }
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
    if (linkProblems.length) resolveLinkProblems(e.target.name);
    if (e.target.name === "profile" && e.target.value) {
      var ask = e.target.querySelector("option[value='']");
      if (ask) ask.remove();
      E.rememberRegion(e.target.value);
    }
    if (e.target.name === "profile") { populatePlans(control("plan").value); showProfileInfo(); }
    if (e.target.name === "plan") E.showPlanFor(document.getElementById("calc-plan-for"), plan(), lang);
    if (["profile", "plan", "setting", "account_owner"].indexOf(e.target.name) >= 0) syncChoices();
    recompute();
  });
  // Once the total is in, the rest of the bill is offered (with the picture of a slip), unless the
  // resident has opened or closed that group themselves.
  more.querySelector("summary").addEventListener("click", function () { moreChosen = true; });
  form.addEventListener("input", function (e) {
    if (e.target.name === "total" && e.target.value.trim() !== "" && !moreChosen) more.open = true;
  });
  // The resident's choice settles the link's problem at that field and at the ones that depend on it
  // (a region's plans, a plan's kinds of visit, …); any other input settles a layer the plan lacks.
  var SETTLES = { profile: CHOICES.concat("layer"), plan: CHOICES.slice(1).concat("layer"),
    setting: ["setting", "level"], level: ["level"], location: ["location"], account_owner: ["account_owner"] };
  function resolveLinkProblems(name) {
    var settled = own(SETTLES, name) ? SETTLES[name] : ["layer"];
    linkProblems = linkProblems.filter(function (p) { return settled.indexOf(p.field) < 0; });
    var c = control(name);
    var placeholder = c && c.tagName === "SELECT" && c.querySelector("option[data-link-placeholder]");
    if (placeholder) placeholder.remove();
    if (!linkProblems.length) {
      dropPlaceholders();
      if (name !== "profile") syncChoices();
    }
  }
  form.addEventListener("change", function (e) { if (e.target.name) touched[e.target.name] = true; });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    Array.prototype.forEach.call(form.elements, function (c) { if (c.name) touched[c.name] = true; });
    submitted = true;
    recompute();
  });
  document.getElementById("calc-print").addEventListener("click", function () { window.print(); });
  function fromURL() {
    if (location.hash === currentHash) return;   // the same navigation, already read
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
