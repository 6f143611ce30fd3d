// Browser test of the pages of each role on a phone (390×844), driven
// through Debian's chromium with playwright-core (no browser download).
//
// For the PAP, the manager (gestionnaire), the committee (comite) and the
// analyst: sign in, check the top navigation (at most five entries plus
// "Plus", the current page marked aria-current), then open every page of
// the navigation, a few of /menu and the dashboards listed on /tableaux: each one
// answers 200, has an <h1>, does not scroll sideways at 390 px, logs no
// console error (CSP violations are console errors) and names its charts.
// Then a manager opens a chart's "Les chiffres du graphique" without
// JavaScript, and screenshots go to docs/screenshots/. Last, the axe crawl:
// for each role (the admin too), at 390 px and 1366 px (AXE_SIZES), every page that the
// navigation, /menu and /tableaux link to has no axe-core WCAG 2.1 AA
// violation and does not scroll sideways.
//
// Environment (tests/browser/run.sh sets it):
//   PROXIMA_URL       the server, e.g. http://127.0.0.1:PORT (fixture of run.sh)
//   PROXIMA_PASSWORD  the password of every account of the fixture
//   SCREENSHOT_DIR    where the PNGs go (default docs/screenshots)
//   CHROMIUM          the browser (default /usr/bin/chromium)
//
// Prints "ok - NAME" or "not ok - NAME: why" per check, then
// "RESULT passed failed"; exits 1 when a check failed.
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check, expect, fail, finish } from "./tap.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.env.PROXIMA_URL;
const password = process.env.PROXIMA_PASSWORD;
const shots = process.env.SCREENSHOT_DIR || path.resolve(here, "../../docs/screenshots");
const PHONE = { width: 390, height: 844 };

// The accounts of run.sh's fixture, the dashboard each one lands on, and the
// pages photographed for the documentation.
const ROLES = [
  { role: "pap", email: "pap@x.test", dashboard: "/tableaux/moi",
    menu: ["/renvois/retards", "/repertoire", "/corridors", "/recits", "/projets", "/sondages"] },
  { role: "gestionnaire", email: "gest@x.test", dashboard: "/tableaux/organisation",
    menu: ["/journal/equipe", "/repertoire/chevauchements", "/recits/selection", "/projets",
           "/sondages", "/equipe/postes"],
    extra: [["/renvois", "referrals-inbox.png"], ["/menu", "menu-gestionnaire.png"]] },
  { role: "comite", email: "comite@a.test", dashboard: "/tableaux/territoire",
    menu: ["/repertoire/chevauchements", "/repertoire/qui-appeler", "/projets", "/trous",
           "/territoire"],
    extra: [["/repertoire/chevauchements", "overlap-matrix.png"]] },
  { role: "analyste", email: "analyste@q.test", dashboard: "/tableaux/comparaison",
    menu: ["/repertoire/chevauchements", "/corridors", "/recits", "/trous"] },
];

// The axe crawl (WCAG 2.1 AA): every page of every role's menu, at both
// sizes. The admin has no dashboard photographed, only the crawl.
const DESKTOP = { width: 1366, height: 900 };
// AXE_SIZES: the widths crawled, "390 1366" by default (tests/run.sh
// crawls 390 px in its SQLite pass and 1366 px in its PostgreSQL pass).
const AXE_SIZES = (process.env.AXE_SIZES || "390 1366").split(/[ ,]+/).filter(Boolean).map((w) => {
  if (w === "390") return PHONE;
  if (w === "1366") return DESKTOP;
  throw new Error(`AXE_SIZES: ${w} is not 390 or 1366`);
});
const AXE_ROLES = [...ROLES.map((r) => r.email), "admin@q.test"];
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const axeSource = readFileSync(path.resolve(here, "node_modules/axe-core/axe.min.js"), "utf8");

if (!base || !password) {
  console.log("not ok - environment: PROXIMA_URL and PROXIMA_PASSWORD are needed");
  console.log("RESULT 0 1");
  process.exit(1);
}
mkdirSync(shots, { recursive: true });


const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// A phone page whose console errors (CSP violations among them) and
// uncaught exceptions collect in page.errors.
async function newPhone(options = {}) {
  const ctx = await browser.newContext({
    viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1,
    locale: "fr-CA", ...options,
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") page.errors.push(m.text());
  });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  return page;
}

async function login(page, email) {
  await page.goto(`${base}/connexion`);
  await page.fill("#courriel", email);
  await page.fill("#mot_de_passe", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/connexion")),
                     page.click("form .button.primary")]);
}

// The links of the top navigation: [{href, current}].
function navLinks(page) {
  return page.$$eval("nav.nav a", (as) => as.map((a) => ({
    href: a.getAttribute("href"), text: a.textContent.trim(),
    current: a.getAttribute("aria-current"),
  })));
}

// What is wrong with the page now shown, as a list of strings.
function pageProblems(page) {
  return page.evaluate((width) => {
    const out = [];
    if (!document.querySelector("main h1, h1")) out.push("no <h1>");
    const sw = document.documentElement.scrollWidth;
    if (sw > width + 1) {
      // Name the widest element to make the failure actionable.
      let worst = null;
      for (const el of document.querySelectorAll("main *")) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && (!worst || r.right > worst.r))
          worst = { r: r.right, d: `${el.tagName.toLowerCase()}.${el.className}` };
      }
      out.push(`scrolls sideways (${sw} px${worst ? `, ${worst.d}` : ""})`);
    }
    for (const img of document.querySelectorAll("main img")) {
      if (!(img.getAttribute("alt") || "").trim() && !img.getAttribute("aria-label"))
        out.push(`img ${img.getAttribute("src")} has no alt text`);
    }
    for (const svg of document.querySelectorAll("main svg")) {
      if (svg.closest("[aria-hidden=true]") || svg.getAttribute("aria-hidden") === "true") continue;
      if (svg.getAttribute("role") !== "img") {
        out.push("an svg is neither role=img nor aria-hidden");
        continue;
      }
      if ((svg.getAttribute("aria-label") || "").trim()) continue;
      const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      const title = ids.length ? document.getElementById(ids[0]) : null;
      if (!title || !title.textContent.trim())
        out.push(`svg ${svg.id || ids[0] || "?"} has no title`);
    }
    return out;
  }, PHONE.width);
}

// Opens url and checks it; fails with the first problems found.
async function checkPage(page, url) {
  page.errors.length = 0;
  const resp = await page.goto(`${base}${url}`);
  expect(resp && resp.status() === 200, `status ${resp ? resp.status() : "none"}`);
  await page.waitForLoadState("load");
  const problems = await pageProblems(page);
  if (page.errors.length) problems.push(`console: ${page.errors.join(" | ")}`);
  expect(problems.length === 0, problems.join("; "));
}

// A screenshot of the viewport only (390×844), to keep the PNGs small.
async function shot(page, url, name) {
  await page.goto(`${base}${url}`);
  await page.screenshot({ path: path.join(shots, name), fullPage: false });
}

try {
  for (const r of ROLES) {
    const page = await newPhone();
    let nav = [];
    await check(`${r.role}: sign in`, async () => {
      await login(page, r.email);
      nav = await navLinks(page);
      expect(nav.length > 0, "no navigation after sign-in");
    });
    if (!nav.length) {
      await page.context().close();
      continue;
    }

    await check(`${r.role}: navigation has at most 5 entries plus "Plus"`, async () => {
      const last = nav[nav.length - 1];
      // "Plus" may carry the inbox's unread count ("Plus 3 non lus").
      expect(last.href === "/menu" && /^Plus( \d+ non lus?)?$/.test(last.text), `last entry is ${last.href} '${last.text}'`);
      expect(nav.length - 1 <= 5, `${nav.length - 1} entries: ${nav.map((n) => n.href).join(" ")}`);
    });

    // Every page of the navigation marks itself current.
    for (const n of nav) {
      await check(`${r.role}: ${n.href} (navigation, aria-current)`, async () => {
        await checkPage(page, n.href);
        const cur = (await navLinks(page)).filter((l) => l.current === "page").map((l) => l.href);
        expect(cur.length === 1 && cur[0] === n.href, `aria-current on [${cur.join(", ")}]`);
      });
    }

    // Then a few pages that /menu lists (not all of them: the test stays under
    // a minute with the ASan binary), and the dashboards that /tableaux lists.
    const seen = new Set(nav.map((n) => n.href));
    let more = [];
    await check(`${r.role}: /menu and /tableaux list pages`, async () => {
      await page.goto(`${base}/menu`);
      const listed = await page.$$eval("main .menu-list a", (as) => as.map((a) => a.getAttribute("href")));
      for (const h of r.menu) expect(listed.includes(h), `/menu lacks ${h}`);
      more = [...r.menu];
      await page.goto(`${base}/tableaux`);
      more.push(...await page.$$eval("main a[href^='/tableaux/']",
                                     (as) => as.map((a) => a.getAttribute("href"))));
      // One visit per path (the dashboards list each period and territory).
      more = more.filter((h) => h && !/rapport|png=|format=/.test(h) && !seen.has(h.split("?")[0])
                        && (seen.add(h.split("?")[0]), true));
      expect(more.length > 0, "nothing listed");
    });
    for (const href of more) await check(`${r.role}: ${href}`, () => checkPage(page, href));

    await check(`${r.role}: screenshots`, async () => {
      await shot(page, r.dashboard, `dashboard-${r.role}.png`);
      for (const [url, name] of r.extra || []) await shot(page, url, name);
    });
    await page.context().close();
  }

  // Every page that a role's navigation and /menu link to (and the
  // dashboards /tableaux lists), at phone and desktop size: axe-core finds
  // no WCAG 2.1 AA violation and nothing scrolls sideways. The context
  // bypasses the CSP only to inject axe (the CSP is checked above).
  for (const email of AXE_ROLES) {
    for (const size of AXE_SIZES) {
      await check(`axe: ${email} at ${size.width} px, every page of the menu`, async () => {
        const ctx = await browser.newContext({ viewport: size, locale: "fr-CA", bypassCSP: true });
        const p = await ctx.newPage();
        try {
          await login(p, email);
          const hrefs = new Set(["/menu"]);
          for (const from of ["/menu", "/tableaux"]) {
            await p.goto(`${base}${from}`);
            for (const h of await p.$$eval("nav.nav a, main a", (as) => as.map((a) => a.getAttribute("href"))))
              if (h && h.startsWith("/") && !/^\/(deconnexion|static)|format=|png=|rapport/.test(h))
                hrefs.add(h.split("#")[0]);
          }
          const bad = [];
          for (const h of hrefs) {
            const resp = await p.goto(`${base}${h}`);
            if (!resp || resp.status() !== 200) {
              bad.push(`${h}: status ${resp ? resp.status() : "none"}`);
              continue;
            }
            await p.addScriptTag({ content: axeSource });
            const found = await p.evaluate(async (tags) => {
              const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
              return r.violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 2).join(", ")})`);
            }, AXE_TAGS);
            for (const v of found) bad.push(`${h}: ${v}`);
            const sw = await p.evaluate(() => document.documentElement.scrollWidth);
            if (sw > size.width + 1) bad.push(`${h}: scrolls sideways (${sw} px)`);
          }
          expect(hrefs.size > 3, `only ${hrefs.size} pages found`);
          expect(bad.length === 0, `${bad.length} problems: ${bad.slice(0, 6).join("; ")}`);
        } finally {
          await ctx.close();
        }
      });
    }
  }

  await check("gestionnaire: the numbers of a chart open without JavaScript", async () => {
    const p = await newPhone({ javaScriptEnabled: false });
    await login(p, "gest@x.test");
    await p.goto(`${base}/tableaux/organisation`);
    const details = p.locator("figure.dash-chart details").first();
    const summary = details.locator("summary");
    expect((await summary.textContent()).includes("Les chiffres du graphique"), "no summary");
    expect(!(await details.locator("table").isVisible()), "table shown before opening");
    await summary.click();
    const table = details.locator("table");
    expect(await table.isVisible(), "no table after opening");
    expect((await table.locator("tr").count()) > 1, "the table has no rows");
    const sw = await p.evaluate(() => document.documentElement.scrollWidth);
    expect(sw <= PHONE.width + 1, `scrolls sideways once open (${sw} px)`);
    await p.context().close();
  });
} catch (e) {
  fail("browser", e);
} finally {
  await browser.close();
}
finish();
