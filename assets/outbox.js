// Proxima's outbox (issue 11): what the PAP saved on the phone, kept in
// IndexedDB until the server has it. Loaded by every page (with the page's
// nonce) and by the service worker (importScripts); no DOM here.
//
// An entry is a page form as it was filled: its address ("form") and its
// fields, with a key made on the phone (a UUID) that the server uses as
// the Idempotency-Key and as the new record's external id, so sending an
// entry twice records it once. Entries belong to one account: every read
// names the account, and sync() sends only the entries of the account the
// server says is signed in (GET /api/v1/sync), never another's.
//
// Drafts of half-filled forms live here too, per account and form, without
// their free text (textareas), which stays in the tab (sessionStorage).
"use strict";
(function (global) {
  var DB_NAME = "proxima";
  var SYNC_TIMEOUT_MS = 20000;
  var dbPromise = null;

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var rq = indexedDB.open(DB_NAME, 1);
      rq.onupgradeneeded = function () {
        var db = rq.result;
        var out = db.createObjectStore("outbox", { keyPath: "key" });
        out.createIndex("account", "account");
        db.createObjectStore("drafts", { keyPath: "id" });
      };
      rq.onsuccess = function () { resolve(rq.result); };
      rq.onerror = function () { dbPromise = null; reject(rq.error); };
    });
    return dbPromise;
  }

  // Runs fn(store) in a transaction; resolves with what fn's request gave.
  function run(storeName, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var rq = fn(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(rq ? rq.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function newKey() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    var b = new Uint8Array(16);
    global.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) {
      return (x + 256).toString(16).slice(1);
    }).join("");
  }

  // The account's entries, oldest first.
  function list(account) {
    if (!account) return Promise.resolve([]);
    return run("outbox", "readonly", function (s) {
      return s.index("account").getAll(account);
    }).then(function (v) {
      return (v || []).sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  var lastSeq = 0;
  // Adds an entry {account, form, fields, summary, kind} (key, seq and state
  // are set here unless given). Resolves with the entry.
  function add(e) {
    var seq = Date.now();
    if (seq <= lastSeq) seq = lastSeq + 1;
    lastSeq = seq;
    e.key = e.key || newKey();
    e.seq = e.seq || seq;
    e.state = "waiting";
    e.created = e.created || new Date().toISOString();
    return run("outbox", "readwrite", function (s) { return s.put(e); }).then(function () {
      return e;
    });
  }

  function put(e) {
    return run("outbox", "readwrite", function (s) { return s.put(e); });
  }

  function get(account, key) {
    return run("outbox", "readonly", function (s) { return s.get(key); }).then(function (e) {
      return e && e.account === account ? e : null;
    });
  }

  function remove(key) {
    return run("outbox", "readwrite", function (s) { return s.delete(key); });
  }

  function draftId(account, form) { return account + "|" + form; }

  function draftGet(account, form) {
    return run("drafts", "readonly", function (s) { return s.get(draftId(account, form)); });
  }

  function draftPut(account, form, fields) {
    return run("drafts", "readwrite", function (s) {
      return s.put({ id: draftId(account, form), account: account, form: form,
                     fields: fields, saved: new Date().toISOString() });
    });
  }

  function draftDelete(account, form) {
    return run("drafts", "readwrite", function (s) { return s.delete(draftId(account, form)); });
  }

  // Removes every draft of account.
  function draftsClear(account) {
    return run("drafts", "readwrite", function (s) { return s.getAll(); }).then(function (all) {
      return run("drafts", "readwrite", function (s) {
        (all || []).forEach(function (d) { if (d.account === account) s.delete(d.id); });
        return null;
      });
    });
  }

  // fetch with a time limit: a request that hangs is a failed request.
  function fetchWithin(url, init, ms) {
    var ctl = typeof AbortController === "function" ? new AbortController() : null;
    if (ctl) init.signal = ctl.signal;
    var timer = null;
    return Promise.race([
      fetch(url, init),
      new Promise(function (_, reject) {
        timer = setTimeout(function () {
          if (ctl) ctl.abort();
          reject(new Error("timeout"));
        }, ms);
      }),
    ]).then(function (r) { clearTimeout(timer); return r; },
            function (e) { clearTimeout(timer); throw e; });
  }

  // Applies the server's result to its entry: saved entries leave the
  // phone; the others wait for the PAP (errors to fix, conflicts to settle).
  function settle(entry, r) {
    if (r.status === "saved") return remove(entry.key);
    entry.state = r.status === "conflict" ? "conflict" : "error";
    entry.errors = r.errors || (r.message ? [{ field: r.field || "", message: r.message }] : []);
    entry.location = r.location || null;
    entry.message = r.message || null;
    return put(entry);
  }

  // Sends the batch; resolves with the server's results, or rejects.
  function post(info, batch) {
    return fetchWithin("/api/v1/sync", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": info.csrf_token },
      body: JSON.stringify({
        account: info.account,
        entries: batch.map(function (e) { return { key: e.key, form: e.form, fields: e.fields }; }),
      }),
    }, SYNC_TIMEOUT_MS).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    }).then(function (answer) { return answer.results || []; });
  }

  // Sends the signed-in account's waiting entries, in order, in batches.
  // Resolves with {status, account, results, info}: status is "ok",
  // "offline" (no answer), "signed-out" (401) or "error".
  function syncNow() {
    var out = { status: "ok", account: null, results: [], info: null };
    return fetchWithin("/api/v1/sync", { credentials: "same-origin", cache: "no-store" },
                       SYNC_TIMEOUT_MS).then(function (r) {
      if (r.status === 401) { out.status = "signed-out"; return out; }
      if (!r.ok) { out.status = "error"; return out; }
      return r.json().then(function (info) {
        out.info = info;
        out.account = info.account;
        return list(info.account).then(function (all) {
          var waiting = all.filter(function (e) { return e.state === "waiting"; });
          var max = info.max_entries || 100;
          function next(i) {
            if (i >= waiting.length) return out;
            var batch = waiting.slice(i, i + max);
            return post(info, batch).then(function (results) {
              var byKey = {};
              results.forEach(function (x) { byKey[x.key] = x; out.results.push(x); });
              return Promise.all(batch.map(function (e) {
                return byKey[e.key] ? settle(e, byKey[e.key]) : null;
              })).then(function () { return next(i + max); });
            });
          }
          return next(0);
        });
      });
    }).catch(function (e) {
      if (global.console) console.log("outbox: not sent: " + e);
      out.status = "offline";
      return out;
    });
  }

  // One sync at a time on this device (pages and service worker alike).
  function sync() {
    if (global.navigator && global.navigator.locks && global.navigator.locks.request)
      return global.navigator.locks.request("proxima-outbox", syncNow);
    return syncNow();
  }

  global.ProximaOutbox = {
    add: add, put: put, get: get, remove: remove, list: list, sync: sync,
    draftGet: draftGet, draftPut: draftPut, draftDelete: draftDelete, draftsClear: draftsClear,
  };
})(typeof self !== "undefined" ? self : this);
