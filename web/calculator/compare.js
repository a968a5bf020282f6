/* Compare mode (#compare in the hash): the same visit under a second region or plan, side by side,
   with the figures that differ highlighted. The second choice travels in the link
   (compare=<region>~<plan>), so a comparison can be shared. calculator.js calls
   ShebaoCompare.show(estimate, visit, engine) after each estimate and ShebaoCompare.params(params)
   when it writes the link. */
(function () {
  "use strict";
  var FIGURES = ["total", "policy_range", "deductible", "fund", "supplementary", "patient_share", "account", "cash"];
  var box, seq = 0, last = null;

  function $(id) { return document.getElementById(id); }
  function data() { return window.SHEBAO_CALC; }
  function lang() { return $("calculator-app").getAttribute("data-lang") === "en" ? "en" : "zh"; }
  function strings() { try { return JSON.parse(box.getAttribute("data-strings")); } catch (e) { return {}; } }
  function profiles() { var out = {}; data().profiles.forEach(function (p) { out[p.summary.id] = p; }); return out; }

  // "#compare" alone, or "compare=<region>~<plan>" among the visit's fields.
  function wanted() {
    var raw = location.hash.slice(1);
    if (raw === "compare") return { on: true };
    var params = new URLSearchParams(raw), value = params.get("compare");
    if (value == null) return { on: false };
    var parts = value.split("~");
    return { on: true, profile: parts[0], plan: parts[1] };
  }

  function fillSelect(select, items, keep) {
    select.textContent = "";
    items.forEach(function (i) {
      var o = document.createElement("option");
      o.value = i[0];
      o.textContent = i[1];
      select.appendChild(o);
    });
    if (keep && items.some(function (i) { return i[0] === keep; })) select.value = keep;
  }

  function choose(w, visit) {
    var all = profiles(), region = $("calc-compare-profile"), plan = $("calc-compare-plan");
    fillSelect(region, data().profiles.map(function (p) { return [p.summary.id, p.summary.name[lang()]]; }),
      w.profile || region.value || $("calc-profile").value);
    var s = all[region.value].summary, ids = Object.keys(s.plans);
    // By default another plan of the same region (e.g. retired beside in service).
    var other = ids.filter(function (id) { return id !== visit.plan; })[0] || ids[0];
    fillSelect(plan, ids.map(function (id) { return [id, s.plans[id].name[lang()]]; }), w.plan || plan.value || other);
  }

  function params(p) {
    box = box || $("calc-compare");
    var w = wanted();
    if (!box || (box.hidden && !w.on)) return;
    var region = $("calc-compare-profile").value || w.profile || "", plan = $("calc-compare-plan").value || w.plan || "";
    p.set("compare", region + "~" + plan);
  }

  function row(label, a, b) {
    var tr = document.createElement("tr"), differs = a !== b;
    if (differs) tr.className = "calc-compare-differs";
    tr.setAttribute("data-compare-differs", differs ? "true" : "false");
    [label, a, b].forEach(function (text, i) {
      var cell = document.createElement(i ? "td" : "th");
      if (!i) cell.setAttribute("scope", "row");
      else cell.className = "calc-num";
      cell.textContent = text;
      tr.appendChild(cell);
    });
    return tr;
  }

  function show(est, visit, engine) {
    box = box || $("calc-compare");
    if (!box) return;
    var w = wanted();
    box.hidden = !w.on;
    if (!w.on) return;
    last = { est: est, visit: visit, engine: engine };
    choose(w, visit);
    var T = strings(), E = window.ShebaoEngine, mine = ++seq;
    var pid = $("calc-compare-profile").value, planB = $("calc-compare-plan").value;
    var visitB = JSON.parse(JSON.stringify(visit));
    visitB.plan = planB;
    var all = profiles();
    $("calc-compare-head-a").textContent = all[$("calc-profile").value].summary.name[lang()] + " · " +
      all[$("calc-profile").value].summary.plans[visit.plan].name[lang()];
    $("calc-compare-head-b").textContent = all[pid].summary.name[lang()] + " · " + all[pid].summary.plans[planB].name[lang()];
    engine.call("estimate", [pid, visitB]).then(function (b) {
      if (mine !== seq) return;
      var body = $("calc-compare-rows"), note = $("calc-compare-note");
      body.textContent = "";
      note.hidden = !b.errors;
      if (b.errors) {
        note.textContent = T.compare_not_offered + " " + b.errors.map(function (e) { return e.message[lang()]; }).join(" ");
        return;
      }
      FIGURES.forEach(function (key) {
        body.appendChild(row(T["figure_" + key], E.amount(est[key]), E.amount(b[key])));
      });
      box.setAttribute("data-compared", pid + "~" + planB);
    });
  }

  function rerun() {
    var p = new URLSearchParams(location.hash.slice(1));
    p.set("compare", $("calc-compare-profile").value + "~" + $("calc-compare-plan").value);
    history.replaceState(null, "", "#" + p.toString());
    if (last) show(last.est, last.visit, last.engine);
  }

  document.addEventListener("DOMContentLoaded", function () {
    box = $("calc-compare");
    if (!box) return;
    $("calc-compare-profile").addEventListener("change", function () { $("calc-compare-plan").textContent = ""; rerun(); });
    $("calc-compare-plan").addEventListener("change", rerun);
    $("calc-compare-start").addEventListener("click", function () {
      box.hidden = false;
      var p = new URLSearchParams(location.hash.slice(1));
      p.set("compare", "");
      history.replaceState(null, "", "#" + p.toString());
      if (last) show(last.est, last.visit, last.engine);
      box.scrollIntoView();
    });
  });

  window.ShebaoCompare = { show: show, params: params };
})();
