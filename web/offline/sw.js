// Service worker of the guide. builder/offline/app.py writes it to the site root as sw.js,
// with CONFIG filled in at build time, so its scope covers both / (zh) and /en/.
//
// Caches, each named with a content hash so a rebuild never mixes old and new files:
//   shebao-pages-<hash>    every page of both languages and the assets they actually use, cached on
//                          install. The hash covers all these files, so any content change gives a
//                          new sw.js, which the browser notices on the next navigation.
//   shebao-runtime-<hash>  the calculator runtime (assets/pyodide/*, ~19 MB), filled the first time
//                          the calculator runs (or at once from the offline page's "save" button).
//                          Its hash covers only the runtime, so a text edit does not re-download it.
// Activation deletes every shebao-* cache that is not current: nothing is served stale forever.
//
// Freshness: pages (navigations) are network-first, with the cached copy when the network fails
// or is too slow (NAVIGATION_TIMEOUT_MS), so a reader who is online always gets the current text and
// one who is offline still gets a page. Everything else is cache-first from the current version's
// cache: it was cached together with the pages that use it (Material's files carry a hash in their
// names). When a new version activates while a page is open, offline.js shows "updated — reload".
"use strict";

const CONFIG = /*@build:config@*/null;
const NAVIGATION_TIMEOUT_MS = 4000;
const PAGES = "shebao-pages-" + CONFIG.version;
const RUNTIME = "shebao-runtime-" + CONFIG.runtime.version;
const ROOT = new URL("./", self.location.href).href;
const RUNTIME_PREFIX = new URL(CONFIG.runtime.base, ROOT).href;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(PAGES);
    // cache: "reload" skips the HTTP cache, so a new version never precaches an old copy.
    await cache.addAll(CONFIG.precache.map((path) => new Request(new URL(path, ROOT), { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("shebao-") && name !== PAGES && name !== RUNTIME) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The offline page asks which cache to fill and how big the runtime is.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "runtime-info" && event.ports[0]) {
    event.ports[0].postMessage({ cache: RUNTIME, base: RUNTIME_PREFIX, files: CONFIG.runtime.files });
  }
});

function pageKey(url) {
  // Visits are bookmarked as calculator.html?...#...: the page is the same file.
  const key = new URL(url.origin + url.pathname);
  if (key.pathname.endsWith("/")) key.pathname += "index.html";
  return key.href;
}

// The "page not found" page of the address's language, with status 404 as a server would answer.
// Its links are relative to its own folder, so a <base> keeps them working at any depth.
async function notFoundPage(url) {
  const path = url.href.slice(ROOT.length);
  const prefix = Object.keys(CONFIG.not_found).filter((p) => p && path.startsWith(p))[0] || "";
  const page = new URL(CONFIG.not_found[prefix], ROOT).href;
  const copy = await caches.open(PAGES).then((cache) => cache.match(page));
  if (!copy) return null;
  const html = (await copy.text()).replace(/<head>/i, '<head><base href="' + new URL("./", page).href + '">');
  return new Response(html, { status: 404, statusText: "Not Found",
                              headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function fromNetworkFirst(request) {
  const url = new URL(request.url);
  const cached = caches.open(PAGES).then((cache) => cache.match(pageKey(url)));
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, NAVIGATION_TIMEOUT_MS); });
  try {
    // "no-cache": revalidate with the server (a cheap 304 when nothing changed) rather than take a
    // page from the HTTP cache, which a host's max-age or heuristic freshness would keep stale.
    const network = fetch(new Request(request, { cache: "no-cache" }));
    const response = await Promise.race([network, timeout.then(async () => (await cached) || network)]);
    if (response) return response;
    return await network;
  } catch (err) {
    const copy = await cached;
    if (copy) return copy;
    // Every page was cached on install, so this address is not one of the site's pages.
    const notFound = await notFoundPage(url);
    if (notFound) return notFound;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function fromRuntimeCache(request) {
  const cache = await caches.open(RUNTIME);
  const key = request.url.split(/[?#]/)[0];
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  // Only whole, successful answers: a partial or failed one would break the calculator offline.
  if (response.ok && response.status === 200) await cache.put(key, response.clone());
  return response;
}

async function fromPagesCache(request) {
  const hit = await caches.open(PAGES).then((cache) => cache.match(request.url.split(/[?#]/)[0]));
  return hit || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request));
  } else if (request.url.startsWith(RUNTIME_PREFIX)) {
    event.respondWith(fromRuntimeCache(request));
  } else {
    event.respondWith(fromPagesCache(request));
  }
});
