// The resident's own rule sets ("my city's figures"), shared by the rules page, the calculator and
// the planner. Each set is the card as typed (the engine turns it into a profile: calculator/card.py,
// calculator.jsonapi.card_profile / use_cards) and, kept beside it, the summary the engine gave when
// it was saved, so the region lists can offer the set before the engine has started. Everything stays
// in this browser's localStorage; a shared link or an exported file carries the card itself.
//
// A classic script (not a module) so it also runs from file://. Loaded after engine-client.js.
(function () {
  "use strict";

  var STORE = "shebao-own-rules";
  // The link to the rule card shows only where the card can run (it needs the engine's worker).
  if (typeof WebAssembly === "object" && typeof Worker === "function") {
    document.documentElement.classList.add("own-rules-ready");
  }
  var LINK_PARAM = "rules";
  var E = window.ShebaoEngine;

  function readAll() {
    try {
      var list = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(list) ? list.filter(function (x) {
        return x && typeof x.id === "string" && x.card && typeof x.card === "object" && x.summary;
      }) : [];
    } catch (err) {
      return [];
    }
  }
  // false when the browser refuses to store (private mode, storage full or switched off).
  function writeAll(list) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(list));
      return true;
    } catch (err) {
      return false;
    }
  }
  function find(id) {
    return readAll().filter(function (x) { return x.id === id; })[0] || null;
  }
  function put(entry) {
    var list = readAll().filter(function (x) { return x.id !== entry.id; });
    list.push({ id: entry.id, card: entry.card, summary: entry.summary });
    return writeAll(list);
  }
  function remove(id) {
    return writeAll(readAll().filter(function (x) { return x.id !== id; }));
  }
  function newId() {
    return "own-" + Date.now().toString(36) + "-" + Math.floor(Math.random() * 46656).toString(36);
  }

  // ---- the card in a link: base64url of its JSON (UTF-8), so the hash survives chat apps ----------
  function encode(card) {
    var bytes = new TextEncoder().encode(JSON.stringify(card));
    var bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decode(text) {
    try {
      var bin = atob(String(text).replace(/-/g, "+").replace(/_/g, "/"));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      var card = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
      return card && typeof card === "object" && !Array.isArray(card) && typeof card.id === "string" ? card : null;
    } catch (err) {
      return null;
    }
  }
  function sameCard(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  // ---- the region lists of the calculator and the planner -----------------------------------------
  // An entry as the pages use a region: {summary, own: true, card}. The summary's name carries the
  // "my figures" mark, so every list and heading that shows the name says whose figures they are.
  function asRegion(entry, S, lang) {
    var summary = JSON.parse(JSON.stringify(entry.summary));
    var name = entry.card["rules-name"] || summary.name[lang];
    summary.name = { zh: E.fill(S.own_option || "{name}", { name: name }), en: E.fill(S.own_option || "{name}", { name: name }) };
    summary.own = true;
    return { summary: summary, own: true, card: entry.card, profile: null };
  }
  function regions(S, lang) {
    return readAll().map(function (e) { return asRegion(e, S, lang); });
  }

  // The page's link names a rule set it carries (`rules=`): the card, or null. `bad` when the
  // link has a rules value that cannot be read (shown as a link problem, never replaced).
  function fromLink() {
    var raw = location.hash.slice(1) || location.search.slice(1);
    if (raw.indexOf("=") < 0) return null;
    var value = new URLSearchParams(raw).get(LINK_PARAM);
    if (value == null) return null;
    var card = decode(value);
    return card ? { card: card } : { bad: true };
  }

  // Hand the sets to the engine (queued before any estimate) and refresh the kept summaries.
  // `cards`: {id: card}. Resolves to the engine's {id: {summary, plan} | {errors}}.
  function useCards(engine, cards) {
    if (!Object.keys(cards).length) return Promise.resolve({});
    return engine.call("use_cards", [cards]).then(function (answer) {
      Object.keys(answer).forEach(function (id) {
        var saved = find(id);
        if (saved && answer[id].summary && sameCard(saved.card, cards[id])) {
          saved.summary = answer[id].summary;
          put(saved);
        }
      });
      return answer;
    });
  }
  function savedCards() {
    var cards = {};
    readAll().forEach(function (e) { cards[e.id] = e.card; });
    return cards;
  }

  // ---- what an own set changes on the calculator and planner pages --------------------------------
  if (E) {
    var baseWarning = E.warningText, baseInfo = E.profileInfo;
    // Resident's figures are written as "illustrative" (they have no source this site checked);
    // the sentence says what they are instead.
    E.warningText = function (S, s, lang, code) {
      if (s.own && code === "illustrative_profile" && S.own_warning) return S.own_warning;
      return baseWarning(S, s, lang, code);
    };
    E.profileInfo = function (box, s, S, lang, rules) {
      if (!s.own) { baseInfo(box, s, S, lang, rules); return; }
      box.textContent = "";
      var badge = E.el("p", { "class": "calc-badge calc-badge--own", "data-own-rules": "" });
      badge.appendChild(E.el("strong", {}, S.own_badge));
      badge.appendChild(document.createTextNode(" " + S.own_warning));
      box.appendChild(badge);
      box.appendChild(E.el("p", { "class": "calc-meta" }, E.fill(S.own_entered, { date: s.reviewed })));
      var edit = document.querySelector(".calc-own-rules-link a, a.calc-own-rules-link");
      if (edit) {
        var p = E.el("p", { "class": "calc-meta" });
        p.appendChild(E.el("a", { href: edit.getAttribute("href") }, S.own_edit));
        box.appendChild(p);
      }
    };
  }
  // The result heading says the figures are the resident's own.
  function markHeading(heading, s, S) {
    if (!heading) return;
    if (!heading.hasAttribute("data-title")) heading.setAttribute("data-title", heading.textContent);
    var title = heading.getAttribute("data-title");
    heading.textContent = s && s.own ? E.fill(S.own_result_title, { title: title }) : title;
    if (s && s.own) heading.setAttribute("data-own-rules", ""); else heading.removeAttribute("data-own-rules");
  }

  window.ShebaoOwnRules = {
    LINK_PARAM: LINK_PARAM, readAll: readAll, find: find, put: put, remove: remove, newId: newId,
    encode: encode, decode: decode, sameCard: sameCard, regions: regions, asRegion: asRegion,
    fromLink: fromLink, useCards: useCards, savedCards: savedCards, markHeading: markHeading,
  };
})();
