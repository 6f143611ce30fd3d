// Proxima: small progressive enhancements. Every page works without this.
"use strict";
(function () {
  // Mark the document once scripts run so styles can show the richer
  // controls (steppers, duration presets) that need this script.
  document.documentElement.classList.add("js");

  function byId(id) { return id ? document.getElementById(id) : null; }

  // Duration presets: the button whose value is in the field looks pressed.
  function syncPresets(input) {
    document.querySelectorAll(".presets").forEach(function (group) {
      if (group.dataset.for !== input.id) return;
      group.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.value === input.value.trim() ? "true" : "false");
      });
    });
  }

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    // -/+ steppers next to whole-number fields.
    var step = t.closest("button.step");
    if (step) {
      var input = byId(step.dataset.for);
      if (!input) return;
      var v = parseInt(input.value, 10);
      if (isNaN(v) || v < 0) v = 0;
      v += parseInt(step.dataset.delta, 10) || 0;
      var max = parseInt(input.dataset.max, 10);
      if (v < 0) v = 0;
      if (!isNaN(max) && v > max) v = max;
      input.value = String(v);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    // Common durations: one tap fills the field.
    var preset = t.closest(".presets button");
    if (preset) {
      var field = byId(preset.closest(".presets").dataset.for);
      if (!field) return;
      field.value = preset.dataset.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t instanceof HTMLInputElement && t.id) syncPresets(t);
  });

  document.querySelectorAll(".presets").forEach(function (group) {
    var input = byId(group.dataset.for);
    if (input) syncPresets(input);
  });

  // The "presented to" select of the activity form only matters for a
  // presentation of mandate: hidden (and not sent) for the other types.
  document.querySelectorAll("[data-type]").forEach(function (box) {
    var form = box.closest("form");
    if (!form) return;
    function sync() {
      var t = form.querySelector("input[name=type]:checked") ||
              form.querySelector("select[name=type]");
      var on = t && t.value === box.dataset.type;
      box.hidden = !on;
      box.querySelectorAll("select").forEach(function (s) { s.disabled = !on; });
    }
    form.addEventListener("change", function (e) {
      if (e.target.name === "type") sync();
    });
    sync();
  });

  // After a failed submit, move focus to the list of errors so screen
  // readers announce it and the keyboard starts there.
  var summary = byId("erreurs");
  if (summary) summary.focus();
})();

// Field work without a network (issue 11). The page registers the service
// worker; field forms (form[data-outbox]) go through the phone's outbox
// (outbox.js): kept there first, then sent, so nothing is lost when the
// network drops or a request is cut, and nothing is recorded twice (the
// entry's key is its Idempotency-Key). Drafts of half-filled forms, the
// waiting entries in "Mon journal", and sign-out with entries waiting.
(function () {
  var box = window.ProximaOutbox;
  var account = document.body ? document.body.dataset.account || "" : "";
  var en = /^en/.test(document.documentElement.lang);
  var T = en ? {
    saving: "Saving…",
    kept: function (n) {
      return "Kept on this phone: it will be sent as soon as the network is back. " +
        (n === 1 ? "1 entry waiting." : n + " entries waiting.");
    },
    waiting: function (n) {
      return n === 1 ? "1 entry is kept on this phone and will be sent."
                     : n + " entries are kept on this phone and will be sent.";
    },
    signedOut: function (n) {
      return "Your session has ended. " + (n === 1 ? "1 entry stays" : n + " entries stay") +
        " on this phone: sign in again to send them.";
    },
    signIn: "Sign in", sendNow: "Send now",
    outboxTitle: "Waiting to be sent", stWaiting: "Waiting", stError: "To fix",
    stConflict: "Conflict", fix: "Fix", seeCurrent: "See the current version",
    keepMine: "Send mine anyway", dropMine: "Discard mine",
    conflict: "This activity was changed elsewhere while your change waited on the phone.",
    check: "Check these fields:", draft: "Draft restored: it was kept on this phone.",
    dropDraft: "Clear the draft",
    leave: function (n) {
      return (n === 1 ? "1 entry is" : n + " entries are") + " still waiting on this phone.";
    },
    leaveHint: "If you sign out now, they stay on this phone, for your account only, and " +
      "are sent the next time you sign in.",
    sendFirst: "Send them first", leaveAnyway: "Sign out anyway",
    notSent: "Not sent: no network.",
    kinds: { indirect: "Indirect time", story: "Story", gap: "Service gap" },
  } : {
    saving: "Enregistrement…",
    kept: function (n) {
      return "Gardée sur ce téléphone : elle sera envoyée dès que le réseau revient. " +
        (n === 1 ? "1 entrée en attente." : n + " entrées en attente.");
    },
    waiting: function (n) {
      return n === 1 ? "1 entrée est gardée sur ce téléphone et sera envoyée."
                     : n + " entrées sont gardées sur ce téléphone et seront envoyées.";
    },
    signedOut: function (n) {
      return "Votre session a pris fin. " + (n === 1 ? "1 entrée reste" : n + " entrées restent") +
        " sur ce téléphone : reconnectez-vous pour les envoyer.";
    },
    signIn: "Me reconnecter", sendNow: "Envoyer maintenant",
    outboxTitle: "En attente d'envoi", stWaiting: "En attente", stError: "À corriger",
    stConflict: "Conflit", fix: "Corriger", seeCurrent: "Voir la version actuelle",
    keepMine: "Envoyer la mienne quand même", dropMine: "Abandonner la mienne",
    conflict: "Cette activité a été modifiée ailleurs pendant que votre modification " +
      "attendait sur le téléphone.",
    check: "Vérifiez ces champs :", draft: "Brouillon repris : il était gardé sur ce téléphone.",
    dropDraft: "Effacer le brouillon",
    leave: function (n) {
      return n === 1 ? "1 entrée attend encore sur ce téléphone."
                     : n + " entrées attendent encore sur ce téléphone.";
    },
    leaveHint: "Si vous vous déconnectez maintenant, elles restent sur ce téléphone, " +
      "réservées à votre compte, et partiront à votre prochaine connexion.",
    sendFirst: "Les envoyer d'abord", leaveAnyway: "Me déconnecter quand même",
    notSent: "Pas envoyées : pas de réseau.",
    kinds: { indirect: "Temps indirect", story: "Récit", gap: "Trou de service" },
  };

  if ("serviceWorker" in navigator)
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  var WARM_EVERY_MS = 15 * 60 * 1000;
  function warmKey(a) { return "proxima-warm:" + a; }
  function forgetWarm() {
    try {
      Object.keys(localStorage).forEach(function (k) {
        if (k.indexOf("proxima-warm:") === 0) localStorage.removeItem(k);
      });
    } catch (e) {}
  }
  // Signed out: the next sign-in fetches the field pages ahead again.
  if (!account) forgetWarm();
  if (!box || !account || !window.indexedDB) return;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }
  var main = document.getElementById("contenu");
  var lastSync = null;

  // The status line at the top of the page: what waits on the phone.
  var status = el("div", { id: "outbox-status", role: "status", class: "outbox-status" });
  if (main) main.insertBefore(status, main.firstChild);
  function showStatus(message) {
    return box.list(account).then(function (all) {
      var n = all.filter(function (e) { return e.state === "waiting"; }).length;
      // The home page's slot: how many entries wait on this phone.
      var slot = document.getElementById("home-outbox");
      if (slot) {
        slot.hidden = !n;
        slot.querySelector(".todo-count").textContent = String(n);
      }
      status.textContent = "";
      if (!n && !message) { status.className = "outbox-status"; return all; }
      status.className = "outbox-status notice waiting";
      var p = el("p", {}, message || (lastSync && lastSync.status === "signed-out"
        ? T.signedOut(n) : T.waiting(n)));
      status.appendChild(p);
      if (lastSync && lastSync.status === "signed-out") {
        var a = el("a", { class: "button", href: "/connexion?suivant=" +
          encodeURIComponent(location.pathname + location.search) }, T.signIn);
        status.appendChild(a);
      } else if (n) {
        var b = el("button", { type: "button", class: "button", id: "outbox-send" }, T.sendNow);
        b.addEventListener("click", function () { sync(); });
        status.appendChild(b);
      }
      return all;
    });
  }

  // Sends what waits; then refreshes the status and "Mon journal"'s list.
  // The field pages are fetched ahead (for work without a network) at
  // most every WARM_EVERY_MS, and again after a sign-in.
  function needWarm() {
    try { return Date.now() - (+localStorage.getItem(warmKey(account)) || 0) > WARM_EVERY_MS; }
    catch (e) { return true; }
  }
  function sync() {
    return box.sync().then(function (r) {
      lastSync = r;
      if (r.status === "ok" && r.info && r.account === account && needWarm() &&
          navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "warm", urls: r.info.offline });
        try { localStorage.setItem(warmKey(account), String(Date.now())); } catch (e) {}
      }
      return showStatus().then(function () { renderOutbox(); return r; });
    });
  }
  // Asks the server only when something waits, or the pages are due.
  function maybeSync() {
    return box.list(account).then(function (all) {
      var waiting = all.some(function (e) { return e.state === "waiting"; });
      if (waiting || needWarm()) return sync();
    });
  }
  function askBackgroundSync() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register("proxima-outbox");
    }).catch(function () {});
  }

  // ---- Field forms.
  function fieldsOf(form, withText) {
    var out = [];
    new FormData(form).forEach(function (v, k) {
      if (k === "csrf_token" || typeof v !== "string") return;
      if (!withText && form.querySelector("textarea[name=\"" + k + "\"]")) return;
      out.push([k, v]);
    });
    return out;
  }
  function textsOf(form) {
    var t = {};
    form.querySelectorAll("textarea[name]").forEach(function (x) { t[x.name] = x.value; });
    return t;
  }
  function fill(form, fields) {
    var byName = {};
    fields.forEach(function (f) { (byName[f[0]] = byName[f[0]] || []).push(f[1]); });
    Object.keys(byName).forEach(function (name) {
      if (name === "csrf_token") return;
      form.querySelectorAll("[name=\"" + name + "\"]").forEach(function (x) {
        if (x.type === "checkbox" || x.type === "radio") x.checked = byName[name].indexOf(x.value) >= 0;
        else x.value = byName[name][0];
      });
    });
    form.querySelectorAll("input[type=checkbox]").forEach(function (x) {
      if (!byName[x.name]) x.checked = false;
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function idOf(name) { return "f-" + name.replace(/[._]/g, "-"); }
  function clearErrors(form) {
    document.querySelectorAll(".js-error").forEach(function (x) { x.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (x) { x.removeAttribute("aria-invalid"); });
  }
  // Shows field errors as the server's pages do.
  function showErrors(form, errors) {
    clearErrors(form);
    var old = document.getElementById("erreurs");
    if (old) old.remove();
    var sum = el("div", { class: "alert error-summary js-error", role: "alert", tabindex: "-1",
                          id: "erreurs" });
    sum.appendChild(el("p", {}, "")).appendChild(el("strong", {}, T.check));
    var ul = sum.appendChild(el("ul"));
    errors.forEach(function (e) {
      var id = idOf(e.field || "");
      var target = document.getElementById(id);
      var li = ul.appendChild(el("li"));
      li.appendChild(el(target ? "a" : "span", target ? { href: "#" + id } : {}, e.message));
      if (!target) return;
      // Where the server puts it: after the field's label or legend.
      var p = el("p", { class: "field-error js-error", id: "e-" + id }, e.message);
      var label = target.tagName === "FIELDSET" ? target.querySelector("legend")
                                                : document.querySelector("label[for=\"" + id + "\"]");
      if (label) label.parentNode.insertBefore(p, label.nextSibling);
      else target.parentNode.insertBefore(p, target);
      target.setAttribute("aria-invalid", "true");
      var by = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (by.indexOf("e-" + id) < 0) by.push("e-" + id);
      target.setAttribute("aria-describedby", by.join(" "));
    });
    form.parentNode.insertBefore(sum, form);
    sum.focus();
  }
  function summaryOf(form) {
    var parts = [];
    var d = form.querySelector("[name=date]");
    if (d && d.value) parts.push(d.value);
    if (T.kinds[form.dataset.outbox]) parts.push(T.kinds[form.dataset.outbox]);
    ["type", "place"].forEach(function (n) {
      var c = form.querySelector("input[name=" + n + "]:checked") ||
              form.querySelector("select[name=" + n + "]");
      if (c && c.value) {
        var lab = c.tagName === "SELECT" ? c.options[c.selectedIndex].textContent
                                         : (c.closest("label") || c).textContent;
        parts.push(lab.trim());
      }
    });
    var m = form.querySelector("[name=duration_min]");
    if (m && m.value) parts.push(m.value + " min");
    if (parts.length < 2) parts.push(document.title.split(" · ")[0]);
    return parts.join(" · ");
  }

  // One field form: its drafts, its entry coming back to be fixed, and its
  // submission through the outbox.
  function FieldForm(form) {
    this.form = form;
    this.path = form.getAttribute("action");
    this.button = form.querySelector("button[type=submit]");
    this.label = this.button ? this.button.textContent : "";
    this.textKey = "draft:" + account + "|" + this.path;
    this.replaces = null; // the key of the entry being fixed, if any
    this.timer = null;
    var self = this;
    form.addEventListener("input", function () { self.saveDraft(); });
    form.addEventListener("change", function (e) { if (e.isTrusted) self.saveDraft(); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); self.submit(); });
    var m = /#sortie=([\w-]+)/.exec(location.hash);
    if (m) this.reopen(m[1]);
    else if (!document.getElementById("erreurs")) this.restoreDraft();
  }

  // Drafts: kept as the PAP types, given back after a reload, a closed tab
  // or a session that ended; free text stays in this tab only.
  FieldForm.prototype.saveDraft = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      box.draftPut(account, self.path, fieldsOf(self.form, false));
      try { sessionStorage.setItem(self.textKey, JSON.stringify(textsOf(self.form))); } catch (e) {}
    }, 250);
  };

  FieldForm.prototype.dropDraft = function () {
    clearTimeout(this.timer);
    try { sessionStorage.removeItem(this.textKey); } catch (e) {}
    return box.draftDelete(account, this.path);
  };

  FieldForm.prototype.restoreDraft = function () {
    var self = this, form = this.form;
    box.draftGet(account, this.path).then(function (d) {
      var texts = null;
      try { texts = JSON.parse(sessionStorage.getItem(self.textKey) || "null"); } catch (e) {}
      if (!d && !texts) return;
      if (d) fill(form, d.fields);
      Object.keys(texts || {}).forEach(function (k) {
        var t = form.querySelector("textarea[name=\"" + k + "\"]");
        if (t) t.value = texts[k];
      });
      var note = el("div", { class: "notice draft", role: "status" });
      note.appendChild(el("p", {}, T.draft));
      var b = note.appendChild(el("button", { type: "button", class: "button" }, T.dropDraft));
      b.addEventListener("click", function () {
        self.dropDraft().then(function () { location.reload(); });
      });
      form.parentNode.insertBefore(note, form);
    });
  };

  // "Corriger": the waiting entry comes back into its form, with its errors.
  FieldForm.prototype.reopen = function (key) {
    var self = this;
    box.get(account, key).then(function (e) {
      if (!e || e.form !== self.path) return;
      self.replaces = e.key;
      fill(self.form, e.fields);
      if (e.errors && e.errors.length) showErrors(self.form, e.errors);
    });
  };

  FieldForm.prototype.busy = function (on) {
    var b = this.button;
    if (on) this.form.dataset.busy = "1";
    else delete this.form.dataset.busy;
    if (!b) return;
    b.disabled = on;
    b.textContent = on ? T.saving : this.label;
    if (on) b.setAttribute("aria-busy", "true");
    else b.removeAttribute("aria-busy");
  };

  // Saving: the entry goes to the outbox first, then is sent. Disabled at
  // the first tap, so a second tap records nothing more.
  FieldForm.prototype.submit = function () {
    var self = this, form = this.form;
    if (form.dataset.busy) return;
    this.busy(true);
    var entry = { account: account, form: this.path, fields: fieldsOf(form, true),
                  summary: summaryOf(form), kind: form.dataset.outbox };
    if (this.replaces) entry.key = this.replaces;
    box.add(entry).then(function (e) {
      self.replaces = null;
      return self.dropDraft().then(sync).then(function (r) { return self.answered(e, r); });
    }).catch(function () { self.busy(false); });
  };

  // What the sync said about the entry e just saved (r: its run).
  FieldForm.prototype.answered = function (e, r) {
    var self = this, form = this.form;
    var mine = (r.results || []).filter(function (x) { return x.key === e.key; })[0];
    if (mine && mine.status === "saved") return location.assign(mine.location || "/journal");
    if (mine && mine.status === "invalid") {
      // Answered at once: fixed here, not kept.
      return box.remove(e.key).then(function () {
        self.busy(false);
        showErrors(form, mine.errors || []);
        self.saveDraft();
      });
    }
    if (mine) {
      // A conflict or a refusal: the page's own answer explains it.
      return box.remove(e.key).then(function () {
        self.busy(false);
        HTMLFormElement.prototype.submit.call(form);
      });
    }
    return box.get(account, e.key).then(function (still) {
      // Sent meanwhile by the service worker's Background Sync.
      if (!still && r.status === "ok") return location.assign(savedPage(e.form, e.kind));
      return self.kept(r);
    });
  };

  // Not sent: kept on the phone, said so; the form is ready for the next.
  FieldForm.prototype.kept = function (r) {
    var self = this, form = this.form;
    askBackgroundSync();
    return box.list(account).then(function (all) {
      var n = all.filter(function (x) { return x.state === "waiting"; }).length;
      self.busy(false);
      clearErrors(form);
      form.reset();
      form.dispatchEvent(new Event("change", { bubbles: true }));
      return showStatus(r.status === "signed-out" ? T.signedOut(n) : T.kept(n));
    }).then(function () {
      status.setAttribute("tabindex", "-1");
      status.focus();
      window.scrollTo(0, 0);
    });
  };

  // Where a form's saved record shows when its own answer came to another
  // sender (the service worker).
  function savedPage(path, kind) {
    if (kind === "story") return "/recits";
    if (kind === "gap") return "/trous?ok=cree";
    if (/\/modifier$/.test(path)) return "/journal?ok=modifie";
    return kind === "indirect" ? "/journal?ok=indirect" : "/journal?ok=cree";
  }
  document.querySelectorAll("form[data-outbox]").forEach(function (f) { new FieldForm(f); });

  // "Comme la dernière fois": fills type and place in place (also offline).
  document.querySelectorAll(".like-last a[data-last-type]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      var form = document.querySelector("form[data-outbox]");
      if (!form) return;
      ev.preventDefault();
      [["type", a.dataset.lastType], ["place", a.dataset.lastPlace]].forEach(function (p) {
        var r = p[1] && form.querySelector("input[name=" + p[0] + "][value=\"" + p[1] + "\"]");
        if (r) r.checked = true;
      });
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  // ---- "Mon journal": the entries waiting on the phone, marked as such.
  var outboxList = null;
  function renderOutbox() {
    if (location.pathname !== "/journal") return Promise.resolve();
    return box.list(account).then(function (all) {
      if (outboxList) outboxList.remove();
      outboxList = null;
      if (!all.length) return;
      var sec = el("section", { class: "outbox", "aria-labelledby": "outbox-title" });
      sec.appendChild(el("h2", { id: "outbox-title" }, T.outboxTitle + " (" + all.length + ")"));
      var ol = sec.appendChild(el("ol", { class: "entries" }));
      all.forEach(function (e) {
        var li = ol.appendChild(el("li", { class: "entry outbox-entry " + e.state,
                                           "data-key": e.key }));
        var badge = e.state === "waiting" ? T.stWaiting
                  : e.state === "conflict" ? T.stConflict : T.stError;
        li.appendChild(el("span", { class: "badge " + e.state }, badge));
        li.appendChild(el("p", { class: "summary" }, e.summary || e.form));
        if (e.state === "error") {
          var ul = li.appendChild(el("ul", { class: "entry-errors" }));
          (e.errors || []).forEach(function (x) { ul.appendChild(el("li", {}, x.message)); });
          li.appendChild(el("a", { class: "button", href: e.form + "#sortie=" + e.key }, T.fix));
        } else if (e.state === "conflict") {
          li.appendChild(el("p", {}, T.conflict));
          if (e.location)
            li.appendChild(el("a", { class: "button", href: e.location }, T.seeCurrent));
          var keep = li.appendChild(el("button", { type: "button", class: "button" }, T.keepMine));
          keep.addEventListener("click", function () {
            e.fields = e.fields.filter(function (f) { return f[0] !== "version"; });
            e.state = "waiting";
            box.put(e).then(sync);
          });
          var drop = li.appendChild(el("button", { type: "button", class: "button danger" },
                                       T.dropMine));
          drop.addEventListener("click", function () {
            box.remove(e.key).then(function () { return showStatus(); }).then(renderOutbox);
          });
        }
      });
      var anchor = document.querySelector(".totals") || main.lastChild;
      main.insertBefore(sec, anchor);
      outboxList = sec;
    });
  }

  // ---- Sign-out: say what waits, offer to send it first; then what the
  // app kept of this session (stored pages, drafts) leaves the phone.
  document.querySelectorAll("form.logout").forEach(function (form) {
    var confirmed = false;
    form.addEventListener("submit", function (ev) {
      if (confirmed) return;
      ev.preventDefault();
      box.list(account).then(function (all) {
        var n = all.length;
        function leave() {
          confirmed = true;
          var clear = window.caches ? caches.keys().then(function (keys) {
            return Promise.all(keys.filter(function (k) {
              return k.indexOf("proxima-pages-") === 0;
            }).map(function (k) { return caches.delete(k); }));
          }) : Promise.resolve();
          try {
            Object.keys(sessionStorage).forEach(function (k) {
              if (k.indexOf("draft:") === 0) sessionStorage.removeItem(k);
            });
          } catch (e) {}
          forgetWarm();
          Promise.all([clear, box.draftsClear(account)]).catch(function () {}).then(function () {
            HTMLFormElement.prototype.submit.call(form);
          });
        }
        if (!n) return leave();
        var old = document.getElementById("leave-dialog");
        if (old) old.remove();
        var d = el("section", { id: "leave-dialog", class: "alert leave", role: "alertdialog",
                                "aria-labelledby": "leave-title", "aria-describedby": "leave-hint",
                                tabindex: "-1" });
        d.appendChild(el("h2", { id: "leave-title" }, T.leave(n)));
        d.appendChild(el("p", { id: "leave-hint" }, T.leaveHint));
        var send = d.appendChild(el("button", { type: "button", class: "button primary" },
                                    T.sendFirst));
        var go = d.appendChild(el("button", { type: "button", class: "button" }, T.leaveAnyway));
        send.addEventListener("click", function () {
          send.disabled = true;
          sync().then(function (r) {
            send.disabled = false;
            return box.list(account).then(function (left) {
              if (!left.length) return leave();
              d.querySelector("h2").textContent = T.leave(left.length) +
                (r.status === "ok" ? "" : " " + T.notSent);
            });
          });
        });
        go.addEventListener("click", leave);
        main.insertBefore(d, main.firstChild);
        d.focus();
      });
    });
  });

  window.addEventListener("online", maybeSync);
  // On a first visit the service worker takes over the page after its first
  // sync, which could not ask it for the field pages yet: ask now.
  if (navigator.serviceWorker)
    navigator.serviceWorker.addEventListener("controllerchange", maybeSync);
  setInterval(function () { if (navigator.onLine) maybeSync(); }, 60000);
  showStatus().then(renderOutbox).then(maybeSync);
})();
