/* Says when a profile's figures may be out of date: reviewed more than 12 months before today.
   "Today" is the later of the device's clock and the day the site was built, so an old offline
   copy still says so, and a device whose clock was reset does not make old figures look fresh.
   On load it shows every [data-stale][data-reviewed] element that applies (the rules pages); the
   calculator and planner call ShebaoStale.isStale for the chosen profile. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function localDay(now) {
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // Dates as YYYY-MM-DD compare correctly as text; a year later is the same month and day.
  function isStale(reviewed, built, now) {
    if (!/^\d{4}-\d\d-\d\d$/.test(reviewed || "")) return false;
    var today = localDay(now || new Date());
    if (built && built > today) today = built;
    var limit = (Number(reviewed.slice(0, 4)) + 1) + reviewed.slice(4);
    return today > limit;
  }

  function apply(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-stale][data-reviewed]"), function (el) {
      el.hidden = !isStale(el.getAttribute("data-reviewed"), el.getAttribute("data-built"));
    });
  }

  window.ShebaoStale = { isStale: isStale, apply: apply };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { apply(); });
  else apply();
})();
