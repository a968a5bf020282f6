// Offline use, loaded by offline.js on the calculator and offline pages only (served
// over http(s) with a service worker): fills the service worker's runtime cache with the
// calculator runtime the first time the calculator is ready, and drives the offline page's
// "save for offline use" button with progress and the size in MB.
(function () {
  "use strict";

  var app = document.getElementById("offline-app");
  var pageStrings = app ? JSON.parse(app.getAttribute("data-strings")) : {};

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function mb(bytes) { return (bytes / 1048576).toFixed(1); }

  function runtimeInfo() {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data); };
        setTimeout(function () { reject(new Error("service worker did not answer")); }, 10000);
        registration.active.postMessage({ type: "runtime-info" }, [channel.port2]);
      });
    });
  }

  // Fetch every runtime file that is not cached yet into the service worker's runtime cache,
  // reporting bytes as they arrive. Returns {done, total} in bytes.
  function saveRuntime(onProgress) {
    return runtimeInfo().then(function (info) {
      var names = Object.keys(info.files);
      var total = names.reduce(function (sum, n) { return sum + info.files[n]; }, 0);
      var done = 0;
      onProgress(done, total);
      return caches.open(info.cache).then(function (cache) {
        return names.reduce(function (chain, name) {
          return chain.then(function () {
            var url = info.base + name;
            return cache.match(url).then(function (hit) {
              if (hit) { done += info.files[name]; onProgress(done, total); return; }
              return fetch(url, { cache: "no-cache" }).then(function (response) {
                if (!response.ok) throw new Error(name + ": HTTP " + response.status);
                var counted = 0;
                var reader = response.body.getReader();
                var chunks = [];
                function pump() {
                  return reader.read().then(function (r) {
                    if (r.done) return;
                    chunks.push(r.value);
                    counted += r.value.length;
                    onProgress(done + Math.min(counted, info.files[name]), total);
                    return pump();
                  });
                }
                return pump().then(function () {
                  done += info.files[name];
                  // Only the type is kept: the body here is already decoded (no Content-Encoding).
                  var type = response.headers.get("Content-Type") || "";
                  var body = new Blob(chunks, { type: type });
                  return cache.put(url, new Response(body, { status: 200, headers: { "Content-Type": type } }));
                });
              });
            });
          });
        }, Promise.resolve());
      }).then(function () { return { done: total, total: total }; });
    });
  }

  // The calculator page: once the calculator is ready, make sure the whole runtime is cached
  // (the first visit may have started before the service worker took control).
  if (document.getElementById("calculator-app") || document.getElementById("planner-app") ||
      document.getElementById("rules-app")) {
    var cacheWhenReady = function () {
      saveRuntime(function () {}).then(function () {
        document.documentElement.setAttribute("data-offline-runtime", "saved");
      }, function (err) {
        document.documentElement.setAttribute("data-offline-error", String(err && err.message || err));
      });
    };
    var waitReady = setInterval(function () {
      if (performance.getEntriesByName("calculator-ready").length) {
        clearInterval(waitReady);
        cacheWhenReady();
      }
    }, 250);
  }

  // The offline page: the "save for offline use" button with progress and size.
  if (app) {
    app.hidden = false;
    var button = document.getElementById("offline-save");
    var progress = document.getElementById("offline-progress");
    var status = document.getElementById("offline-status");
    button.addEventListener("click", function () {
      button.disabled = true;
      progress.hidden = false;
      saveRuntime(function (done, total) {
        progress.max = total;
        progress.value = done;
        // Counted in the files' unpacked bytes, shown as that share of the size the page states.
        status.textContent = fill(pageStrings.progress, { done: mb(done / total * pageStrings.size), total: mb(pageStrings.size) });
      }).then(function () {
        progress.value = progress.max;
        status.textContent = pageStrings.saved;
        app.setAttribute("data-state", "saved");
      }, function (err) {
        status.textContent = fill(pageStrings.failed, { reason: String(err && err.message || err) });
        app.setAttribute("data-state", "failed");
        button.disabled = false;
      });
    });
  }
})();
