// Live reload for `python3 build.py serve` only (the preview server adds it to every page it sends;
// it is never written into a built site): reload when the server reports a new build.
(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("/__build", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (id) {
      if (seen !== null && id !== seen) { location.reload(); return; }
      seen = id;
      setTimeout(poll, 200);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
