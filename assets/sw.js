// Proxima's service worker (issue 11), served at /sw.js after a prelude
// that views/pwa.c writes: VERSION, SHELL (the app shell's versioned
// URLs), OUTBOX_JS and OFFLINE_PAGES (the allow-list of http/offline.c).
//
// - The app shell (CSS, JS, icons) is cached when the worker installs, in
//   a cache named after VERSION; a new version's worker deletes the old
//   caches when it activates.
// - A page is stored only when it is on OFFLINE_PAGES, its answer is not
//   no-store, and it names its account (X-Proxima-Account). The stored
//   pages are one account's: a page of another account, or a signed-out
//   page, seen from the network drops them all.
// - Allowed pages are fetched network first (5 s, then the stored copy);
//   without a network, a page that is not stored gets a short page saying
//   what works offline.
// - Background Sync sends the outbox (outbox.js).
importScripts(OUTBOX_JS);

var SHELL_CACHE = "proxima-shell-" + VERSION;
var PAGES_PREFIX = "proxima-pages-" + VERSION + "-";
var NETWORK_WAIT_MS = 5000;

function allowed(path) {
  return OFFLINE_PAGES.some(function (p) {
    return p.charAt(p.length - 1) === "/" ? path.indexOf(p) === 0 : path === p;
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (c) {
    return c.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k !== SHELL_CACHE && k.indexOf(PAGES_PREFIX) !== 0;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// Drops the stored pages of every account but account ("" = all).
function keepOnly(account) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("proxima-pages-") === 0 && k !== PAGES_PREFIX + account;
    }).map(function (k) { return caches.delete(k); }));
  });
}

// Stores resp for req when the rules above allow it. Resolves when done.
function store(req, resp) {
  var url = new URL(req.url);
  var account = resp.headers.get("X-Proxima-Account") || "";
  var html = /^text\/html/.test(resp.headers.get("Content-Type") || "");
  var cc = resp.headers.get("Cache-Control") || "";
  var work = Promise.resolve();
  if (html && resp.type === "basic") work = keepOnly(account);
  if (!allowed(url.pathname) || !account || !resp.ok || resp.redirected ||
      resp.type !== "basic" || /no-store/.test(cc))
    return work;
  var copy = resp.clone();
  return work.then(function () {
    return caches.open(PAGES_PREFIX + account);
  }).then(function (c) { return c.put(req, copy); });
}

// The stored copy of req, if any (a form page also answers for its
// address with another query, e.g. ?comme=derniere).
function stored(req) {
  var url = new URL(req.url);
  return caches.keys().then(function (keys) {
    var names = keys.filter(function (k) { return k.indexOf(PAGES_PREFIX) === 0; });
    var form = url.pathname !== "/journal" && url.pathname.indexOf("/api/") !== 0;
    function tryAt(i, loose) {
      if (i >= names.length) return Promise.resolve(undefined);
      return caches.open(names[i]).then(function (c) {
        return c.match(req, { ignoreSearch: loose, ignoreVary: true });
      }).then(function (r) { return r || tryAt(i + 1, loose); });
    }
    return tryAt(0, false).then(function (r) { return r || (form ? tryAt(0, true) : r); });
  });
}

function offlinePage() {
  var en = /^en/.test((self.navigator && self.navigator.language) || "");
  var t = en ? {
    lang: "en-CA", title: "No network",
    body: "This page is not kept on this phone. Quick entry, indirect time, stories, " +
          "service gaps and My journal work without a network.",
    go: "Quick entry",
  } : {
    lang: "fr-CA", title: "Pas de réseau",
    body: "Cette page n'est pas gardée sur ce téléphone. La saisie rapide, le temps " +
          "indirect, les récits, les trous de service et Mon journal fonctionnent sans réseau.",
    go: "Saisie rapide",
  };
  var css = SHELL.filter(function (u) { return u.indexOf("/static/style.css") === 0; })[0];
  var html = "<!doctype html><html lang=\"" + t.lang + "\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>" + t.title + " · Proxima</title><link rel=\"stylesheet\" href=\"" + css + "\">" +
    "</head><body><main id=\"contenu\"><h1>" + t.title + "</h1><p>" + t.body + "</p>" +
    "<p><a class=\"button primary\" href=\"/journal/nouvelle\">" + t.go + "</a></p>" +
    "</main></body></html>";
  return new Response(html, { status: 503, headers: {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'",
    "Cache-Control": "no-store",
  } });
}

// Network first for an allowed page: its stored copy when the network
// fails or is slower than NETWORK_WAIT_MS (the answer is still stored when
// it comes).
function networkFirst(event) {
  var req = event.request;
  var net = fetch(req).then(function (resp) {
    event.waitUntil(store(req, resp.clone()));
    return resp;
  });
  var slow = new Promise(function (resolve) {
    setTimeout(resolve, NETWORK_WAIT_MS);
  }).then(function () {
    return stored(req).then(function (r) { return r || net; });
  });
  return Promise.race([net, slow]).catch(function () {
    return stored(req).then(function (r) {
      return r || (req.mode === "navigate" ? offlinePage() : Response.error());
    });
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(req, { cacheName: SHELL_CACHE }).then(function (r) {
      return r || fetch(req);
    }));
    return;
  }
  if (allowed(url.pathname)) {
    event.respondWith(networkFirst(event));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).then(function (resp) {
      event.waitUntil(store(req, resp.clone()));
      return resp;
    }, function () { return offlinePage(); }));
  }
});

self.addEventListener("message", function (event) {
  var m = event.data || {};
  if (m.type === "warm" && Array.isArray(m.urls)) {
    // Fetches the field pages ahead, so they work offline unvisited.
    event.waitUntil(Promise.all(m.urls.filter(function (u) {
      return typeof u === "string" && u.charAt(0) === "/" && allowed(u.split("?")[0]);
    }).map(function (u) {
      var req = new Request(u, { credentials: "same-origin" });
      return fetch(req).then(function (resp) { return store(req, resp); }, function () {});
    })));
  } else if (m.type === "clear") {
    event.waitUntil(keepOnly(""));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "proxima-outbox") event.waitUntil(self.ProximaOutbox.sync());
});
