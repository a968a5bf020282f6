// "My city's figures": the resident's rule card. The engine (calculator.jsonapi in the worker) turns
// the card into a profile and checks it with its own validator (card_profile); this file only moves
// text between the form, the engine and localStorage (web/rules/own-rules.js), and shows the
// engine's messages at the controls they name. It never decides itself whether a figure is valid.
//
// A classic script (not a module) so the same file also runs from file://.
(function () {
  "use strict";

  var app = document.getElementById("rules-app");
  if (!app) return;
  var E = window.ShebaoEngine, OWN = window.ShebaoOwnRules, DATA = window.SHEBAO_CALC;
  if (!E || !OWN || typeof WebAssembly !== "object" || typeof Worker !== "function" || !DATA) {
    app.setAttribute("data-ready", "unsupported");   // the no-JS explanation stays visible
    document.dispatchEvent(new Event("calculator-settled"));
    return;
  }
  var S = JSON.parse(app.getAttribute("data-strings"));
  var lang = app.getAttribute("data-lang") === "en" ? "en" : "zh";
  var el = E.el;
  function t(key, values) { return E.fill(S[key] || key, values || {}); }
  app.hidden = false;
  var nojs = document.getElementById("calc-nojs");
  if (nojs) nojs.hidden = true;

  var form = app.querySelector("form[data-rules]");
  var message = document.getElementById("rules-message");
  var summary = document.getElementById("calc-error-summary");
  var editing = null;   // the id of the saved set on the card, or null for a new one

  var engine = E.start({ app: app, statusEl: document.getElementById("calc-status"), strings: S, data: DATA });

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  // ---- the card <-> the form -------------------------------------------------------------------
  function readCard() {
    var card = {};
    Array.prototype.forEach.call(form.elements, function (c) {
      if (!c.name) return;
      if (c.type === "checkbox") card[c.name] = c.checked;
      else if (c.value.trim() !== "") card[c.name] = c.value;
    });
    var saved = editing && OWN.find(editing);
    card.id = editing || OWN.newId();
    card.entered = saved && saved.card.entered || today();
    return card;
  }
  function fillCard(card) {
    form.reset();
    clearErrors();
    Object.keys(card).forEach(function (name) {
      var c = form.elements.namedItem(name);
      if (!c || !c.name) return;
      if (c.type === "checkbox") c.checked = card[name] === true;
      else c.value = card[name] == null ? "" : String(card[name]);
    });
    // Bands beyond the first are folded away; a card that has them shows them.
    Array.prototype.forEach.call(form.querySelectorAll("details.rules-bands"), function (d) {
      d.open = Array.prototype.some.call(d.querySelectorAll("input"), function (i) { return i.value !== ""; });
    });
  }

  // ---- the engine's messages at the controls they name ---------------------------------------------
  function clearErrors() {
    Array.prototype.forEach.call(app.querySelectorAll(".calc-error"), function (p) { p.hidden = true; p.textContent = ""; });
    Array.prototype.forEach.call(app.querySelectorAll("[aria-invalid]"), function (c) { c.removeAttribute("aria-invalid"); });
    summary.hidden = true;
  }
  function showErrors(errors) {
    clearErrors();
    var list = summary.querySelector("ul");
    list.textContent = "";
    errors.forEach(function (e) {
      var control = e.field ? app.querySelector("[name='" + e.field.replace(/'/g, "") + "']") : null;
      var text = e.message[lang];
      if (control) {
        var slot = document.getElementById(control.id + "-error");
        if (slot) { slot.textContent = text; slot.hidden = false; }
        control.setAttribute("aria-invalid", "true");
        var folded = control.closest("details");
        if (folded) folded.open = true;
      }
      var li = el("li");
      if (control) {
        var a = el("a", { href: "#" + control.id }, text);
        a.addEventListener("click", function (ev) { ev.preventDefault(); control.focus(); });
        li.appendChild(a);
      } else {
        li.textContent = text;
      }
      list.appendChild(li);
    });
    summary.hidden = errors.length === 0;
    if (errors.length) summary.focus();
  }
  function say(text) { message.textContent = text; }

  // ---- saving, listing, renaming, deleting ---------------------------------------------------------
  function check(card) {
    app.setAttribute("data-busy", "true");
    say(t("checking"));
    return engine.call("card_profile", [card]).then(function (answer) {
      app.setAttribute("data-busy", "false");
      say("");
      if (answer.errors) { showErrors(answer.errors); return null; }
      clearErrors();
      return answer;
    }, function () {
      app.setAttribute("data-busy", "false");
      say(t("calc_error"));
      return null;
    });
  }
  function store(card, answer) {
    var ok = OWN.put({ id: card.id, card: card, summary: answer.summary });
    document.getElementById("rules-storage").hidden = ok;
    editing = card.id;
    showSaved();
    return ok;
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var card = readCard();
    check(card).then(function (answer) {
      if (!answer) return;
      say(store(card, answer) ? t("saved", { name: card["rules-name"].trim() }) : t("save_failed"));
    });
  });

  function calculatorLink(id) {
    return app.getAttribute("data-calculator") + "#" + new URLSearchParams({ profile: id }).toString();
  }
  function showSaved() {
    var list = document.getElementById("rules-saved");
    list.textContent = "";
    var all = OWN.readAll();
    document.getElementById("rules-saved-none").hidden = all.length > 0;
    all.forEach(function (entry) {
      var name = entry.card["rules-name"] || entry.id;
      var li = el("li", { "class": "rules-saved__item", "data-rules-id": entry.id });
      li.appendChild(el("strong", { "class": "rules-saved__name" }, name));
      var links = el("p", { "class": "calc-meta" });
      links.appendChild(el("a", { href: calculatorLink(entry.id) }, t("use_calculator")));
      links.appendChild(document.createTextNode(" · "));
      links.appendChild(el("a", { href: app.getAttribute("data-planner") }, t("use_planner")));
      li.appendChild(links);
      var actions = el("p", { "class": "planner-actions" });
      [["edit", function () { editing = entry.id; fillCard(entry.card); say(t("loaded", { name: name }));
        document.getElementById("rules-form-title").focus(); }],
       ["rename", function () { startRename(li, entry); }],
       ["delete", function () {
         if (!window.confirm(t("delete_confirm", { name: name }))) return;
         OWN.remove(entry.id);
         if (editing === entry.id) editing = null;
         showSaved();
         say(t("deleted", { name: name }));
         document.getElementById("rules-saved-title").focus();
       }]].forEach(function (pair) {
        var b = el("button", { type: "button", "class": "md-button", "aria-label": t(pair[0]) + " " + name,
          "data-rules-action": pair[0] }, t(pair[0]));
        b.addEventListener("click", pair[1]);
        actions.appendChild(b);
      });
      li.appendChild(actions);
      list.appendChild(li);
    });
  }
  // Renaming changes the name only; the figures stay as the engine checked them.
  function startRename(li, entry) {
    if (li.querySelector(".rules-rename")) return;
    var id = "rules-rename-" + entry.id;
    var box = el("div", { "class": "calc-field rules-rename" });
    box.appendChild(el("label", { "for": id }, t("rename_label")));
    var err = box.appendChild(el("p", { "class": "calc-error", id: id + "-error", hidden: "" }));
    var input = box.appendChild(el("input", { "class": "calc-input", type: "text", id: id, name: "rename",
      autocomplete: "off", "aria-describedby": id + "-error" }));
    input.value = entry.card["rules-name"] || "";
    var save = box.appendChild(el("button", { type: "button", "class": "md-button" }, t("rename_save")));
    save.addEventListener("click", function () {
      var card = JSON.parse(JSON.stringify(entry.card));
      card["rules-name"] = input.value;
      check(card).then(function (answer) {
        if (!answer) {
          // The only change is the name, so the engine's complaint is about it: show it here too.
          var slot = document.getElementById("rules-rules-name-error");
          err.textContent = slot ? slot.textContent : "";
          err.hidden = !err.textContent;
          input.setAttribute("aria-invalid", "true");
          return;
        }
        store(card, answer);
        if (editing === card.id) fillCard(card);
        say(t("renamed", { name: card["rules-name"].trim() }));
        document.getElementById("rules-saved-title").focus();
      });
    });
    li.appendChild(box);
    input.focus();
  }

  // ---- export and import ---------------------------------------------------------------------------
  app.querySelector("[data-rules-export]").addEventListener("click", function () {
    var card = readCard();
    check(card).then(function (answer) {
      if (!answer) { say(t("export_blocked")); return; }
      // The file name is the profile's id: `python -m calculator check` wants them equal.
      var blob = new Blob([answer.yaml], { type: "text/yaml" });
      var a = el("a", { href: URL.createObjectURL(blob), download: answer.profile.id + ".yaml" });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  });
  var importer = form.ownerDocument.getElementById("rules-import");
  importer.addEventListener("change", function () {
    var file = importer.files && importer.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      importer.value = "";
      engine.call("import_profile", [String(reader.result)]).then(function (found) {
        if (found.errors) {
          showErrors(found.errors);
          say(t("import_bad", { reason: found.errors[0].message[lang] }));
          return;
        }
        var card = found.card;
        return check(card).then(function (answer) {
          if (!answer) return;
          fillCard(card);
          editing = card.id;
          store(card, answer);
          say(t("import_done", { name: card["rules-name"] }));
        });
      }, function () { say(t("calc_error")); });
    };
    reader.readAsText(file);
  });

  // ---- starting from a region's plan, or from a blank card -----------------------------------------
  var startFrom = document.getElementById("rules-start-from");
  DATA.profiles.forEach(function (p) {
    Object.keys(p.summary.plans).forEach(function (planId) {
      startFrom.appendChild(el("option", { value: p.summary.id + "\n" + planId },
        p.summary.name[lang] + " · " + p.summary.plans[planId].name[lang]));
    });
  });
  var leftOut = document.getElementById("rules-left-out");
  document.getElementById("rules-start").addEventListener("click", function () {
    leftOut.hidden = true;
    editing = null;
    if (!startFrom.value) { fillCard({}); say(t("cleared")); return; }
    var parts = startFrom.value.split("\n");
    var label = startFrom.selectedOptions[0].textContent;
    engine.call("card_from_region", [parts[0], parts[1]]).then(function (found) {
      if (found.errors) { showErrors(found.errors); return; }
      fillCard(found.card);
      var list = leftOut.querySelector("ul");
      list.textContent = "";
      found.left_out.forEach(function (n) { list.appendChild(el("li", {}, n[lang])); });
      leftOut.hidden = found.left_out.length === 0;
      say(t("filled", { name: label }));
      document.getElementById("rules-form-title").focus();
    }, function () { say(t("calc_error")); });
  });
  document.getElementById("rules-new").addEventListener("click", function () {
    editing = null;
    leftOut.hidden = true;
    fillCard({});
    say(t("cleared"));
    document.getElementById("rules-form-title").focus();
  });

  showSaved();
})();
