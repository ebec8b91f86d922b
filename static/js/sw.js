// The service worker. Served at /sw.js (config.views.service_worker), so that it looks after the whole site; that
// view puts this deploy's RELEASE above this line: its version, the static URL, the offline page and the shell.
//
// - Pages always come from the network (never a stale or private page from a cache); without a connection, the
//   offline page comes instead.
// - Static files (hashed names in production) come from the cache first: the shell is cached when the worker is
//   installed, anything else under /static/ the first time it is loaded. In development (DEBUG), where names are
//   not hashed, they always come from the server, so that an edit shows at the next load.
// - A new deploy's worker waits until the person presses "Reload" (static/js/offline.js sends "take-over"); then it
//   drops the old caches and takes the open pages over.
// Posting offline is the page's work (static/js/offline.js), not this worker's: it works without one too.
/* global RELEASE */
"use strict";

const CACHE = "microwins-" + RELEASE.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll([RELEASE.offline].concat(RELEASE.shell));
    }),
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        const old = names.filter(function (name) { return name.startsWith("microwins-") && name !== CACHE; });
        return Promise.all(old.map(function (name) { return caches.delete(name); }));
      })
      .then(function () {
        // The browser asks for a page while this worker starts, rather than after: no wait for it on a slow phone.
        return self.registration.navigationPreload && self.registration.navigationPreload.enable();
      })
      .then(function () { return self.clients.claim(); }),
  );
});

self.addEventListener("message", function (event) {
  if (event.data === "take-over") self.skipWaiting();
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;  // the browser's own way
  if (request.mode === "navigate") {
    event.respondWith(
      Promise.resolve(event.preloadResponse)
        .then(function (preloaded) { return preloaded || fetch(request); })
        .catch(function () { return caches.match(RELEASE.offline); }),
    );
  } else if (url.pathname.startsWith(RELEASE.static) && !RELEASE.debug) {
    event.respondWith(
      caches.match(request).then(function (cached) {
        return cached || fetch(request).then(function (response) {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
          }
          return response;
        });
      }),
    );
  }
});
