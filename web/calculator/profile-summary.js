/* What the calculator and planner say about the chosen region's figures, in plain words only
   ([data-profile-summary]): one status line, the reviewed date, a sentence when that date is over a
   year old (web/calculator/stale.js), what the estimate leaves out, and a link to the region's rules
   page, where the sources, conflicts and editors' choices are laid out. Nothing else from the
   profile (no source names, ids or addresses) is shown here. */
(function () {
  "use strict";
  var E = function () { return window.ShebaoEngine; };

  // `rules`: the rules page's address relative to the language root (none for a profile without one).
  function render(box, s, S, lang, rules) {
    var el = E().el, fill = E().fill;
    box.textContent = "";
    box.setAttribute("data-profile-summary", "");
    var status = el("p", { "class": "calc-badge calc-badge--" + s.status });
    status.appendChild(el("strong", {}, S["status_" + s.status]));
    var line = s.summary ? s.summary.status[lang]
      : (s.status !== "verified" ? E().warningText(S, s, lang, s.status + "_profile") : "");
    if (line) status.appendChild(document.createTextNode(" " + line));
    box.appendChild(status);
    box.appendChild(el("p", { "class": "calc-meta" }, fill(S.profile_reviewed, { date: s.reviewed })));
    var stale = el("p", { "class": "calc-stale", "data-stale": "", "data-reviewed": s.reviewed }, fill(S.rules_stale, { date: s.reviewed }));
    var built = box.getAttribute("data-built");
    if (built) stale.setAttribute("data-built", built);
    stale.hidden = !(window.ShebaoStale && window.ShebaoStale.isStale(s.reviewed, built));
    box.appendChild(stale);
    var leaves = s.summary ? s.summary.leaves_out : [];
    if (leaves.length) {
      var details = el("details", { "class": "calc-leaves-out" });
      details.appendChild(el("summary", {}, S.rules_leaves_out_title));
      var list = el("ul");
      leaves.forEach(function (item) { list.appendChild(el("li", {}, item[lang])); });
      details.appendChild(list);
      box.appendChild(details);
    }
    box.appendChild(el("p", { "class": "calc-meta", "data-examples": String(s.examples) },
      s.examples ? fill(S.profile_examples, { count: s.examples }) : S.profile_examples_none));
    if (rules) {
      var link = el("p", { "class": "calc-meta calc-rules-link" });
      link.appendChild(el("a", { href: rules, "data-rules-link": "" }, S.rules_summary_link));
      box.appendChild(link);
    }
  }

  window.ShebaoSummary = { render: render };
})();
