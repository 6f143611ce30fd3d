// Browser tests of field work without a network (issue 11), on a phone
// (390×844) in Debian's chromium driven by playwright-core, with axe-core
// for the new states.
//
// Environment (tests/browser/run.sh sets it):
//   PROXIMA_URL       the server, e.g. http://127.0.0.1:PORT
//   PROXIMA_DB        its SQLite file (records are counted there, and a
//                     session is ended there, as the server would)
//   PROXIMA_PASSWORD  the password of pap-a@…, pap-b@… and gest@exemple.test
//   CHROMIUM          the browser (default /usr/bin/chromium)
//
// Prints "ok - NAME" or "not ok - NAME: why" per check (and "skip - NAME:
// why" for a check that cannot run yet), then "RESULT passed failed".
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const base = process.env.PROXIMA_URL;
const dbPath = process.env.PROXIMA_DB;
const password = process.env.PROXIMA_PASSWORD;
const PHONE = { width: 390, height: 844 };
const A = "pap-a@exemple.test";
const B = "pap-b@exemple.test";
const CANARY = "Canari7Q";
const shots = process.env.SCREENSHOT_DIR; // the guide's pictures, when set

if (!base || !dbPath || !password) {
  console.log("not ok - environment: PROXIMA_URL, PROXIMA_DB and PROXIMA_PASSWORD are needed");
  console.log("RESULT 0 1");
  process.exit(1);
}
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
                               "utf8");

let passed = 0;
let failed = 0;
let current = null; // the page a failed check's screenshot shows (PROXIMA_SHOTS)
// Runs one check; fn may return "skip: why" when it cannot run yet.
async function check(name, fn) {
  if (process.env.PROXIMA_ONLY && !new RegExp(process.env.PROXIMA_ONLY).test(name)) return;
  try {
    const r = await fn();
    if (typeof r === "string" && r.startsWith("skip: ")) {
      console.log(`skip - ${name}: ${r.slice(6)}`);
      return;
    }
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${(e && e.message ? e.message : String(e)).split("\n")[0]}`);
    if (process.env.PROXIMA_SHOTS && current)
      await current.screenshot({ path: `${process.env.PROXIMA_SHOTS}/fail-${failed}.png` })
        .catch(() => {});
  }
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// The database of the pass's engine: a libpq connection string
// ("host=… dbname=…") is PostgreSQL's, anything else a SQLite file.
function sql(q) {
  if (/\bdbname=/.test(dbPath))
    return execFileSync("psql", [dbPath, "-q", "-At", "-c", q]).toString().trim();
  return execFileSync("sqlite3", ["-cmd", ".timeout 5000", dbPath, q]).toString().trim();
}
const whose = (email) => `(SELECT id FROM person WHERE email = '${email}')`;
const activities = (email) =>
  Number(sql(`SELECT count(*) FROM activity WHERE deleted_at IS NULL AND author_id = ${whose(email)}`));
const stories = (email) => Number(sql(`SELECT count(*) FROM story WHERE author_id = ${whose(email)}`));
const endSessions = (email) => sql(`DELETE FROM session WHERE person_id = ${whose(email)}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function newPhone(options = {}) {
  const ctx = await browser.newContext({
    viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: "fr-CA",
    ...options,
  });
  // Generous: the two passes' browsers share the CI machine's 2 cores.
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  page.errors = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text()))
      page.errors.push(m.text());
  });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  if (process.env.PROXIMA_SHOTS) {
    page.on("console", (m) => console.log(`# console: ${m.text()}`));
    page.on("requestfailed", (r) => console.log(`# failed: ${r.method()} ${r.url()} ${r.failure().errorText}`));
  }
  return page;
}

async function login(page, email, next = "/journal/nouvelle") {
  await page.goto(`${base}/connexion?suivant=${encodeURIComponent(next)}`);
  await page.fill("#courriel", email);
  await page.fill("#mot_de_passe", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/connexion")),
                     page.click("form .button.primary")]);
}

// The number of field pages the service worker stores.
function storedPages(page) {
  return page.evaluate(async () => {
    let n = 0;
    for (const k of (await caches.keys()).filter((c) => c.startsWith("proxima-pages-")))
      n += (await (await caches.open(k)).keys()).length;
    return n;
  });
}

// Waits until the service worker controls the page and has stored the
// field pages (it fetches them ahead after the first sync).
async function readyOffline(page) {
  await page.goto(`${base}/journal/nouvelle`);
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller,
                             null, { timeout: 20000 });
  const end = Date.now() + 20000;
  while ((await storedPages(page)) < 8) {
    if (Date.now() > end) throw new Error("the field pages were not stored");
    await page.waitForTimeout(100);
  }
}

const chip = (name, value) => `label.chip:has(input[name="${name}"][value="${value}"])`;

// Fills the quick entry's common case and saves it.
async function quickEntry(page, type = "contact_informel", minutes = "30") {
  await page.click(chip("type", type));
  await page.click(chip("place", "parc"));
  await page.fill("#f-duration-min", minutes);
  await page.fill("#f-counts-adults", "2");
  await page.click(".submit-bar button[type=submit]");
}

// Waits for the "kept on this phone" status with n entries waiting.
async function keptCount(page, n) {
  const want = n === 1 ? "1 entrée en attente" : `${n} entrées en attente`;
  await page.waitForFunction((w) => {
    const s = document.getElementById("outbox-status");
    return s && s.textContent.includes("Gardée sur ce téléphone") && s.textContent.includes(w);
  }, want, { timeout: 20000 });
}

// The outbox entries of the page's origin (all accounts), from IndexedDB.
function outbox(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const rq = indexedDB.open("proxima", 1);
    rq.onsuccess = () => {
      const g = rq.result.transaction("outbox").objectStore("outbox").getAll();
      g.onsuccess = () => resolve(g.result);
      g.onerror = () => reject(g.error);
    };
    rq.onerror = () => reject(rq.error);
  }));
}

async function waitOutboxEmpty(page, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const left = await outbox(page);
    if (!left.length) return;
    if (Date.now() > end) throw new Error(`${left.length} entries still waiting`);
    await page.waitForTimeout(200);
  }
}

// A screenshot of the whole page at phone width, for the user's guide.
async function shot(page, name) {
  if (!shots) return;
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: PHONE.width, height: Math.max(PHONE.height, h) });
  await page.screenshot({ path: path.join(shots, name) });
  await page.setViewportSize(PHONE);
}

async function axeClean(page, what) {
  const r = await page.evaluate(async (src) => {
    // eslint-disable-next-line no-eval
    (0, eval)(src);
    const res = await window.axe.run(document, { resultTypes: ["violations"] });
    return res.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].target}`);
  }, axeSource);
  expect(r.length === 0, `${what}: ${r.join(" | ")}`);
}

// Signs in through the form's POST alone, so that the next page is the
// first one this phone opens with the app's script.
async function loginWithoutPage(page, email) {
  const form = await (await page.request.get(`${base}/connexion`)).text();
  const token = /name="csrf_token" value="([^"]+)"/.exec(form);
  expect(token, "no CSRF token on the sign-in form");
  const r = await page.request.post(`${base}/connexion`, {
    form: { csrf_token: token[1], courriel: email, mot_de_passe: password }, maxRedirects: 0,
  });
  expect(r.status() === 303, `sign-in: ${r.status()}`);
}

try {
  const page = await newPhone();
  current = page;

  await check("a first visit stores the field pages once the service worker takes over", async () => {
    const p = await newPhone();
    try {
      // A slow phone: the worker registers 1.5 s late, after the page's first sync.
      await p.addInitScript(() => {
        const register = ServiceWorkerContainer.prototype.register;
        ServiceWorkerContainer.prototype.register = function (...args) {
          return new Promise((r) => setTimeout(r, 1500)).then(() => register.apply(this, args));
        };
      });
      await loginWithoutPage(p, B);
      await p.goto(`${base}/journal/nouvelle`); // no other page: nothing controls it yet
      expect(!(await p.evaluate(() => navigator.serviceWorker.controller)), "controlled already");
      await p.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 20000 });
      const end = Date.now() + 20000;
      let n = 0;
      while ((n = await storedPages(p)) < 8 && Date.now() < end) await p.waitForTimeout(200);
      expect(n >= 8, `${n} field pages stored, without another page`);
    } finally {
      await p.context().close();
    }
  });

  await check("the app is installable: manifest and a service worker at the root", async () => {
    await login(page, A);
    const m = await (await page.request.get(`${base}/manifest.webmanifest`)).json();
    expect(m.start_url === "/journal/nouvelle" && m.display === "standalone", "start_url/display");
    expect(/Proxima/.test(m.name) && m.lang === "fr-CA", `name '${m.name}'`);
    expect(m.icons.some((i) => i.purpose === "maskable") &&
           m.icons.some((i) => i.sizes === "512x512"), "icons");
    await readyOffline(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope === `${base}/`, `scope ${scope}`);
  });

  await check("offline: the quick entry loads from the service worker", async () => {
    await page.context().setOffline(true);
    await page.goto(`${base}/journal/nouvelle`);
    expect(await page.locator("form[data-outbox] #f-date").isVisible(), "no form");
    expect(!(await page.locator("input[name=type]:checked").count()), "a type is pre-selected");
  });

  const before = { acts: activities(A), stories: stories(A) };
  await check("offline: 3 activities, 1 indirect time and 1 story are kept on the phone", async () => {
    for (let i = 1; i <= 3; i++) {
      await quickEntry(page, "contact_informel", String(10 * i));
      await keptCount(page, i);
    }
    expect(!(await page.locator("input[name=type]:checked").count()), "the form was not reset");
    await page.goto(`${base}/journal/indirect`);
    await page.fill("#f-indirect-redaction", "25");
    await page.selectOption("#f-type", "demarchage");
    await page.click(".submit-bar button[type=submit]");
    await keptCount(page, 4);
    await page.goto(`${base}/recits/nouveau`);
    await page.fill("#f-text", "Une mère seule vient au parc chaque mardi depuis un mois.");
    await page.click(".submit-bar button[type=submit]");
    await keptCount(page, 5);
    await shot(page, "offline-kept.png");
    expect(activities(A) === before.acts && stories(A) === before.stories, "sent while offline");
  });

  await check("offline: reloading keeps them, and Mon journal shows them as waiting", async () => {
    await page.reload();
    await page.goto(`${base}/journal`);
    await page.waitForSelector(".outbox .outbox-entry");
    const n = await page.locator(".outbox .outbox-entry.waiting").count();
    expect(n === 5, `${n} waiting entries shown`);
    const title = await page.locator("#outbox-title").textContent();
    expect(/En attente d'envoi \(5\)/.test(title), `title '${title}'`);
    expect((await outbox(page)).length === 5, "outbox size");
    await shot(page, "offline-journal.png");
  });

  await check("axe-core: no violation on the waiting state", async () => {
    await axeClean(page, "Mon journal");
    await page.goto(`${base}/journal/nouvelle`);
    await page.waitForSelector("#outbox-status.waiting");
    await axeClean(page, "quick entry");
  });

  await check("back online: exactly those 5 records are on the server, once", async () => {
    await page.context().setOffline(false);
    await waitOutboxEmpty(page);
    expect(activities(A) === before.acts + 4, `activities ${activities(A) - before.acts}`);
    expect(stories(A) === before.stories + 1, `stories ${stories(A) - before.stories}`);
    // Sending again (another tab, the timer) changes nothing.
    await page.evaluate(() => window.ProximaOutbox.sync());
    expect(activities(A) === before.acts + 4 && stories(A) === before.stories + 1, "doubled");
    const keys = sql(`SELECT count(*) FROM activity WHERE author_id = ${whose(A)} AND ext_id LIKE '%-%-%-%-%'`);
    expect(Number(keys) === 4, `device ids as external ids: ${keys}`);
  });

  // The page's own requests are cut; the service worker's Background Sync
  // (not intercepted) may then send the entry first: either way, once.
  async function cutSave(type, minutes, cut) {
    const n0 = activities(A);
    await page.goto(`${base}/journal/nouvelle`);
    let n = 0;
    await page.route("**/api/v1/sync", async (route) => {
      if (route.request().method() !== "POST" || n++) return route.continue();
      return cut(route);
    });
    try {
      await quickEntry(page, type, minutes);
      await keptCount(page, 1);
    } finally {
      await page.unroute("**/api/v1/sync");
    }
    await page.click("#outbox-send").catch(() => {}); // gone when already sent
    await waitOutboxEmpty(page);
    expect(activities(A) === n0 + 1, `${activities(A) - n0} records`);
  }

  await check("a request cut after the server saved: nothing lost, nothing doubled", () =>
    cutSave("demarchage", "15", async (route) => {
      await route.fetch(); // the server receives it and saves …
      await route.abort("connectionreset"); // … and the answer is lost
    }));

  await check("a request cut before the server: kept, then sent once", () =>
    cutSave("accompagnement", "20", (route) => route.abort("failed")));

  await check("a double tap on a slow network records one activity", async () => {
    const n0 = activities(A);
    await page.goto(`${base}/journal/nouvelle`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 1500, downloadThroughput: 50000, uploadThroughput: 50000,
    });
    try {
      await page.click(chip("type", "contact_informel"));
      await page.click(chip("place", "rue"));
      await page.fill("#f-duration-min", "5");
      const button = page.locator(".submit-bar button[type=submit]");
      await button.click();
      expect(await button.isDisabled(), "the button is not disabled after the first tap");
      expect((await button.textContent()).includes("Enregistrement"), "no progress shown");
      await button.click({ force: true, noWaitAfter: true }).catch(() => {});
      await page.waitForURL(/ok=cree/, { timeout: 30000 });
    } finally {
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
      });
      await cdp.detach();
    }
    expect(activities(A) === n0 + 1, `${activities(A) - n0} records`);
  });

  await check("an entry refused by the server waits, marked, to be fixed", async () => {
    await page.context().setOffline(true);
    await page.goto(`${base}/journal/nouvelle`);
    await page.click(chip("place", "parc")); // no type: refused
    await page.fill("#f-duration-min", "30");
    await page.click(".submit-bar button[type=submit]");
    await keptCount(page, 1);
    await page.context().setOffline(false);
    await page.goto(`${base}/journal`);
    await page.waitForSelector(".outbox-entry.error");
    const text = await page.locator(".outbox-entry.error").textContent();
    expect(/À corriger/.test(text) && /type d'activité est obligatoire/.test(text), text);
    await axeClean(page, "error state");
    const n0 = activities(A);
    await page.click(".outbox-entry.error a.button");
    await page.waitForSelector("#e-f-type");
    expect((await page.inputValue("#f-duration-min")) === "30", "the entry's values are lost");
    await axeClean(page, "the entry back in its form");
    await page.click(chip("type", "accompagnement"));
    await Promise.all([page.waitForURL(/ok=cree/),
                       page.click(".submit-bar button[type=submit]")]);
    expect(activities(A) === n0 + 1, "the fixed entry was not saved once");
    expect((await outbox(page)).length === 0, "the entry stayed on the phone");
  });

  await check("an edit that met a change made elsewhere is a conflict, never overwritten", async () => {
    const id = sql(`SELECT id FROM activity WHERE author_id = ${whose(A)} ORDER BY id DESC LIMIT 1`);
    await page.goto(`${base}/journal/${id}/modifier`);
    await page.context().setOffline(true);
    await page.fill("#f-duration-min", "77");
    await page.click(".submit-bar button[type=submit]");
    await keptCount(page, 1);
    sql(`UPDATE activity SET duration_min = 66, updated_at = updated_at + 1 WHERE id = ${id}`);
    await page.context().setOffline(false);
    await page.goto(`${base}/journal`);
    await page.waitForSelector(".outbox-entry.conflict");
    expect(sql(`SELECT duration_min FROM activity WHERE id = ${id}`) === "66", "overwritten");
    await axeClean(page, "conflict state");
    await page.click(".outbox-entry.conflict button:not(.danger)"); // "Envoyer la mienne quand même"
    await waitOutboxEmpty(page);
    expect(sql(`SELECT duration_min FROM activity WHERE id = ${id}`) === "77", "not replaced");
  });

  await check("entries waiting when the session ended are sent after signing in", async () => {
    const n0 = activities(A);
    await page.context().setOffline(true);
    await page.goto(`${base}/journal/nouvelle`);
    await quickEntry(page, "intervention_individuelle", "45");
    await keptCount(page, 1);
    endSessions(A);
    await page.context().setOffline(false);
    await page.goto(`${base}/journal/nouvelle`); // the sign-in page now
    expect(page.url().includes("/connexion"), `at ${page.url()}`);
    expect(activities(A) === n0, "sent without a session");
    await page.fill("#courriel", A);
    await page.fill("#mot_de_passe", password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/connexion")),
                       page.click("form .button.primary")]);
    await waitOutboxEmpty(page);
    expect(activities(A) === n0 + 1, `${activities(A) - n0} records`);
  });

  await check("signing out with entries waiting says so and offers to send them first", async () => {
    const n0 = activities(A);
    await page.context().setOffline(true);
    await page.goto(`${base}/journal/nouvelle`);
    await quickEntry(page, "accompagnement", "10");
    await keptCount(page, 1);
    await page.click("form.logout button");
    await page.waitForSelector("#leave-dialog");
    const t = await page.locator("#leave-dialog").textContent();
    expect(/1 entrée attend encore/.test(t) && /Les envoyer d'abord/.test(t), t);
    await axeClean(page, "sign-out dialog");
    await page.context().setOffline(false);
    await Promise.all([page.waitForURL(/\/connexion/), page.click("#leave-dialog .button.primary")]);
    expect(activities(A) === n0 + 1, `${activities(A) - n0} records`);
    const left = await page.evaluate(async () =>
      (await caches.keys()).filter((k) => k.startsWith("proxima-pages-")).length);
    expect(left === 0, `${left} page caches left after signing out`);
  });

  await check("another account on the same phone neither sees nor sends them", async () => {
    await login(page, A);
    await page.context().setOffline(true);
    await page.goto(`${base}/journal/nouvelle`);
    await quickEntry(page, "demarchage", "50");
    await keptCount(page, 1);
    endSessions(A); // A's session ends while the entry waits
    await page.context().setOffline(false);
    const a0 = activities(A);
    const b0 = activities(B);
    await login(page, B, "/journal");
    await page.waitForTimeout(1500); // the page's sync has run
    expect(!(await page.locator(".outbox .outbox-entry").count()), "B sees A's entries");
    const status = await page.locator("#outbox-status").textContent();
    expect(!/attente|gardée/.test(status), `B's status: '${status}'`);
    expect(activities(A) === a0 && activities(B) === b0, "B sent A's entry");
    const left = await outbox(page);
    const mine = await page.getAttribute("body", "data-account");
    expect(left.length === 1 && left[0].account !== mine, "A's entry is not kept for A");
    // B's own entry goes; A's still waits.
    await page.goto(`${base}/journal/nouvelle`);
    await quickEntry(page, "demarchage", "35");
    await page.waitForURL(/ok=cree/);
    expect(activities(B) === b0 + 1 && activities(A) === a0, "B's entry");
    await Promise.all([page.waitForURL(/\/connexion/), page.click("form.logout button")]);
    await login(page, A, "/journal");
    await waitOutboxEmpty(page);
    expect(activities(A) === a0 + 1, "A's entry was not sent to A");
  });

  await check("after a family's contact details, the phone holds no name, phone or address", async () => {
    await page.goto(`${base}/familles/nouvelle`);
    await page.fill("#f-code", "F-CAN-1");
    await page.fill("#f-consent-date", "2026-01-05");
    await page.selectOption("#f-consent-language", { index: 1 });
    await page.check("input[name='consent.suivi']");
    await page.click("details.more summary");
    await page.fill("#f-nominative-name", `Nom ${CANARY}`);
    await page.fill("#f-nominative-phone", "514-555-0199");
    await page.fill("#f-nominative-address", `12 rue ${CANARY}`);
    await Promise.all([page.waitForURL(/\/familles\/\d+/), page.click(".submit-bar button")]);
    const fam = page.url();
    const head = await page.request.get(fam);
    expect(head.headers()["cache-control"] === "no-store", "the family page is not no-store");
    await page.selectOption("select[name=purpose]", { index: 1 });
    await page.click("form[action$='/coordonnees'] button");
    await page.waitForSelector(`text=${CANARY}`);
    // The field pages, the journal, offline and back.
    await page.goto(`${base}/journal/nouvelle?famille=${fam.split("/").pop()}`);
    await page.goto(`${base}/journal`);
    await page.context().setOffline(true);
    await page.goto(`${base}/journal/nouvelle`);
    await page.goto(fam).catch(() => {});
    await page.context().setOffline(false);
    await page.goto(`${base}/journal/nouvelle`);
    const dump = await page.evaluate(async () => {
      let text = "";
      for (const k of await caches.keys()) {
        const c = await caches.open(k);
        for (const rq of await c.keys()) text += rq.url + "\n" + (await (await c.match(rq)).text());
      }
      const idb = await new Promise((resolve) => {
        const rq = indexedDB.open("proxima", 1);
        rq.onsuccess = () => {
          const tx = rq.result.transaction(["outbox", "drafts"]);
          const out = [];
          let left = 2;
          for (const s of ["outbox", "drafts"]) {
            const g = tx.objectStore(s).getAll();
            g.onsuccess = () => { out.push(JSON.stringify(g.result)); if (!--left) resolve(out.join()); };
          }
        };
      });
      return text + idb + JSON.stringify(localStorage) + JSON.stringify(sessionStorage);
    });
    expect(dump.length > 1000, "nothing was stored at all");
    for (const bad of [CANARY, "514-555-0199"])
      expect(!dump.includes(bad), `'${bad}' is on the phone`);
  });

  await check("drafts survive a reload and a closed tab, and go on save", async () => {
    const p = await page.context().newPage();
    await p.goto(`${base}/journal/nouvelle`);
    await p.click(chip("type", "accompagnement"));
    await p.fill("#f-duration-min", "40");
    await p.waitForTimeout(600);
    await p.reload();
    await p.waitForSelector(".notice.draft");
    expect((await p.inputValue("#f-duration-min")) === "40", "lost on reload");
    await p.close();
    const q = await page.context().newPage();
    await q.goto(`${base}/journal/nouvelle`);
    await q.waitForSelector(".notice.draft");
    expect(await q.isChecked(`input[name=type][value=accompagnement]`), "lost with the tab");
    await q.click(chip("place", "domicile"));
    await Promise.all([q.waitForURL(/ok=cree/), q.click(".submit-bar button[type=submit]")]);
    await q.goto(`${base}/journal/nouvelle`);
    await q.waitForTimeout(500);
    expect(!(await q.locator(".notice.draft").count()), "the draft outlived the save");
    await q.close();
  });

  await check("no Content-Security-Policy violation or script error", async () => {
    expect(page.errors.length === 0, page.errors.join(" | "));
  });

  await check("the same form body posted twice without JavaScript records one activity", async () => {
    const p = await newPhone({ javaScriptEnabled: false });
    await login(p, A);
    await p.goto(`${base}/journal/nouvelle`);
    const hidden = await p.locator("form.activity-form input[type=hidden]").evaluateAll(
      (els) => els.map((e) => [e.name, e.value]));
    const once = hidden.filter(([n]) => n !== "csrf_token" && n !== "version");
    expect(once.some(([n]) => n === "form_token"), "the form carries no one-time token");
    const n0 = activities(A);
    const form = new URLSearchParams(hidden);
    for (const [k, v] of [["date", "2026-12-01"], ["type", "demarchage"], ["place", "rue"],
                          ["duration_min", "20"]])
      form.append(k, v);
    for (let i = 0; i < 2; i++) {
      const r = await p.request.post(`${base}/journal/nouvelle`, {
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        data: form.toString(), maxRedirects: 0,
      });
      expect(r.status() === 303, `POST ${i + 1}: ${r.status()}`);
    }
    expect(activities(A) === n0 + 1, `${activities(A) - n0} records`);
    await p.context().close();
  });
} catch (e) {
  failed++;
  console.log(`not ok - browser: ${e && e.message ? e.message : e}`);
} finally {
  await browser.close();
}
console.log(`RESULT ${passed} ${failed}`);
process.exit(failed ? 1 : 0);
