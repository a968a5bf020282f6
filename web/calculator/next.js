/* Under an estimate: "what next" ([data-next]), short steps chosen from the visit and the result,
   each a link to the guide page that explains it (content/next.yaml), and "copy as text"
   ([data-copy-text]), a plain summary in the page's language that a resident can paste into a chat.
   calculator.js calls ShebaoNext.show(estimate, visit, profile entry) after each estimate and
   ShebaoNext.hide() when there is none. */
(function () {
  "use strict";
  var last = null;

  function list() { return document.querySelector("[data-next]"); }

  function items() {
    var ul = list();
    try { return JSON.parse(ul.getAttribute("data-items")); } catch (e) { return []; }
  }

  function positive(text) { return Number(text) > 0; }

  // Which steps apply, from the visit and the result.
  var WHEN = {
    "away-unfiled": function (est, visit) { return (visit.location || est.location) === "unfiled"; },
    "top-up": function (est) { return est.top_ups.some(function (t) { return positive(t.amount); }); },
    outpatient: function (est, visit) { return visit.setting === "outpatient"; },
    "family-account": function (est) { return est.account_used === "family"; },
    "account-short": function (est) {
      return est.account_used !== "none" && est.warnings.indexOf("balance_insufficient") >= 0;
    },
    always: function () { return true; },
  };

  function href(item, entry, visit) {
    if (item.page !== "rules") return item.href;
    if (!entry.rules) return null;  // a profile without a rules page (one the reader added)
    var anchor = item.anchor === "plan" ? "plan-" + visit.plan : item.anchor;
    return entry.rules + (anchor ? "#" + anchor : "");
  }

  function show(est, visit, entry) {
    var ul = list();
    if (!ul) return;
    last = { est: est, visit: visit, entry: entry };
    ul.textContent = "";
    items().forEach(function (item) {
      var when = WHEN[item.when];
      var target = when && when(est, visit) ? href(item, entry, visit) : null;
      if (!target) return;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.setAttribute("href", target);
      a.setAttribute("data-next-item", item.when);
      a.textContent = item.text;
      li.appendChild(a);
      ul.appendChild(li);
    });
    document.getElementById("calc-next").hidden = ul.children.length === 0;
    document.getElementById("calc-copy-status").hidden = true;
  }

  function hide() {
    last = null;
    var box = document.getElementById("calc-next");
    if (box) box.hidden = true;
  }

  // ---- copy as text ---------------------------------------------------------------------------

  function strings() {
    var ul = list();
    try { return JSON.parse(ul.getAttribute("data-strings")); } catch (e) { return {}; }
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function summaryText() {
    var T = strings(), E = window.ShebaoEngine, lang = document.getElementById("calculator-app").getAttribute("data-lang");
    var est = last.est, visit = last.visit, s = last.entry.summary, plan = s.plans[visit.plan];
    var setting = s.setting_names[visit.setting][lang];
    if (visit.level && s.level_names[visit.level]) setting += ", " + s.level_names[visit.level][lang];
    if (est.location && est.location !== "local") setting += ", " + s.location_names[est.location][lang];
    var lines = [
      T.copy_head,
      fill(T.copy_visit, { region: s.name[lang], plan: plan.name[lang] }),
      fill(T.copy_setting, { setting: setting }),
      fill(T.copy_total, { amount: E.amount(est.total) }),
      fill(T.copy_fund, { amount: E.amount(est.fund) }),
    ];
    if (positive(est.supplementary)) lines.push(fill(T.copy_top_ups, { amount: E.amount(est.supplementary) }));
    lines.push(fill(T.copy_share, { amount: E.amount(est.patient_share) }));
    if (est.account_used !== "none" && positive(est.account)) {
      lines.push(fill(T.copy_cash, { account: E.amount(est.account), cash: E.amount(est.cash) }));
    }
    lines.push(fill(T.copy_link, { url: location.href }));
    return lines.join("\n");
  }

  function copied(ok, text) {
    var T = strings(), status = document.getElementById("calc-copy-status");
    var box = document.getElementById("calc-copy-box");
    status.textContent = ok ? T.copied : T.copy_failed;
    status.hidden = false;
    box.value = text;
    box.hidden = ok;
  }

  function copy() {
    if (!last) return;
    var text = summaryText();
    var box = document.getElementById("calc-copy-box");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(true, text); }, function () { fallback(text, box); });
    } else {
      fallback(text, box);
    }
  }

  // Older browsers and pages opened from a file: select the text in a box and ask the browser to copy it.
  function fallback(text, box) {
    box.value = text;
    box.hidden = false;
    box.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    copied(ok, text);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-copy-text]");
    if (button) button.addEventListener("click", copy);
  });

  window.ShebaoNext = { show: show, hide: hide, text: function () { return last ? summaryText() : ""; } };
})();
