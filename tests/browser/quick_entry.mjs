// Browser test of the quick entry on a phone (390×844), driven through
// Debian's chromium with playwright-core (no browser download).
//
// Environment (tests/browser/run.sh sets it):
//   PROXIMA_URL       the server, e.g. http://127.0.0.1:PORT
//   PROXIMA_EMAIL     a PAP's e-mail
//   PROXIMA_PASSWORD  the password
//   SCREENSHOT_DIR    where the PNGs go (default docs/screenshots)
//   CHROMIUM          the browser (default /usr/bin/chromium)
//
// Prints "ok - NAME" or "not ok - NAME: why" per check, then
// "RESULT passed failed"; exits 1 when a check failed.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check, expect, fail, finish } from "./tap.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.env.PROXIMA_URL;
const email = process.env.PROXIMA_EMAIL;
const password = process.env.PROXIMA_PASSWORD;
const shots = process.env.SCREENSHOT_DIR || path.resolve(here, "../../docs/screenshots");
const PHONE = { width: 390, height: 844 };

if (!base || !email || !password) {
  console.log("not ok - environment: PROXIMA_URL, PROXIMA_EMAIL and PROXIMA_PASSWORD are needed");
  console.log("RESULT 0 1");
  process.exit(1);
}
mkdirSync(shots, { recursive: true });


// A screenshot of the whole page at phone width: the viewport is made as
// tall as the page so the sticky save bar sits at its real place.
async function shot(page, name) {
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: PHONE.width, height: Math.max(PHONE.height, h) });
  await page.screenshot({ path: path.join(shots, name) });
  await page.setViewportSize(PHONE);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function newPhone(options = {}) {
  const ctx = await browser.newContext({
    viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1,
    locale: "fr-CA", ...options,
  });
  const page = await ctx.newPage();
  page.cspErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text()))
      page.cspErrors.push(m.text());
  });
  page.on("pageerror", (e) => page.cspErrors.push(String(e)));
  return page;
}

async function login(page) {
  await page.goto(`${base}/connexion`);
  await page.fill("#courriel", email);
  await page.fill("#mot_de_passe", password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/connexion")),
                     page.click("form .button.primary")]);
}

const chip = (name, value) => `label.chip:has(input[name="${name}"][value="${value}"])`;

try {
  const page = await newPhone();

  await check("sign in", async () => {
    await login(page);
    expect(await page.locator("nav.nav").isVisible(), "no navigation after sign-in");
  });

  await check("quick entry opens with today's date and details folded", async () => {
    await page.goto(`${base}/journal/nouvelle`);
    const date = await page.inputValue("#f-date");
    expect(/^\d{4}-\d{2}-\d{2}$/.test(date), `date is '${date}'`);
    expect(!(await page.locator("details.more").evaluate((d) => d.open)), "details open");
    expect(await page.locator("details.indirect summary").isVisible(), "no '+ Temps indirect'");
  });

  await check("touch targets are at least 44 px high", async () => {
    const small = await page.evaluate(() => {
      const out = [];
      const sel = ".activity-form label.chip span, .activity-form button, .activity-form input:not([type=radio]):not([type=checkbox]):not([type=hidden]), .activity-form select, .activity-form summary, nav.nav a";
      for (const el of document.querySelectorAll(sel)) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // hidden (closed details)
        if (r.height < 43.5) out.push(`${el.tagName}.${el.className}:${Math.round(r.height)}`);
      }
      return out;
    });
    expect(small.length === 0, `too small: ${small.slice(0, 5).join(", ")}`);
  });

  await check("the common case takes five inputs", async () => {
    await page.click(chip("type", "contact_informel"));      // 1. type
    await page.click(chip("place", "parc"));                 // 2. place
    await page.click('.presets button[data-value="30"]');    // 3. duration (one tap)
    await page.click('button.step[data-for="f-counts-adults"][data-delta="1"]');
    await page.click('button.step[data-for="f-counts-adults"][data-delta="1"]'); // 4. adults: 2
    await page.selectOption("#f-needs", "isolement");         // 5. need
    expect((await page.inputValue("#f-duration-min")) === "30", "duration not 30");
    expect((await page.inputValue("#f-counts-adults")) === "2", "adults not 2");
    await shot(page, "quick-entry.png");
  });

  await check("saving shows it in Mon journal", async () => {
    await Promise.all([page.waitForURL(/\/journal\?semaine=.*ok=cree/),
                       page.click(".submit-bar button[type=submit]")]);
    const notice = await page.locator(".notice").textContent();
    expect(/Activité enregistrée/.test(notice), `notice '${notice}'`);
    const entry = await page.locator(".entry").first().textContent();
    for (const t of ["Contact informel", "Parc", "30 min", "2 personnes", "Isolement"])
      expect(entry.includes(t), `entry lacks '${t}': ${entry}`);
    const direct = await page.locator(".stat.direct dd").textContent();
    expect(direct === "0,5 h", `direct time '${direct}'`);
  });

  await check("indirect time is one tap away", async () => {
    await page.goto(`${base}/journal/nouvelle`);
    expect(!(await page.locator("#f-indirect-deplacement").isVisible()), "already visible");
    await page.click("details.indirect summary");
    expect(await page.locator("#f-indirect-deplacement").isVisible(), "not shown after one tap");
    await page.click(chip("type", "accompagnement"));
    await page.click(chip("place", "domicile"));
    await page.fill("#f-duration-min", "60");
    await page.fill("#f-indirect-deplacement", "40");
    await page.fill("#f-indirect-interprete", "30");
    await page.fill("#f-indirect-redaction", "20");
    await page.fill("#f-counts-adults", "1");
    await page.fill("#f-counts-children-0-5", "2");
    await Promise.all([page.waitForURL(/ok=cree/), page.click(".submit-bar button[type=submit]")]);
    const m = await page.locator(".multiplier").textContent();
    // 90 min direct, 90 min indirect: 2,0.
    expect(/1 h directe = 2,0 h au total/.test(m), `multiplier '${m}'`);
    await shot(page, "week.png");
  });

  await check("a form error keeps what was typed", async () => {
    await page.goto(`${base}/journal/nouvelle`);
    await page.fill("#f-duration-min", "abc");
    await page.fill("#f-counts-adults", "4");
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"),
                       page.click(".submit-bar button[type=submit]")]);
    await page.waitForSelector("#erreurs");
    expect((await page.inputValue("#f-duration-min")) === "abc", "duration lost");
    expect((await page.inputValue("#f-counts-adults")) === "4", "adults lost");
    expect((await page.getAttribute("#f-duration-min", "aria-invalid")) === "true", "no aria-invalid");
    const msg = await page.locator("#e-f-duration-min").textContent();
    expect(/minutes entre 0 et 1440/.test(msg), `message '${msg}'`);
    await shot(page, "quick-entry-error.png");
  });

  await check("no Content-Security-Policy violation", async () => {
    expect(page.cspErrors.length === 0, page.cspErrors.join(" | "));
  });

  await check("the quick entry works without JavaScript", async () => {
    const p = await newPhone({ javaScriptEnabled: false });
    await login(p);
    await p.goto(`${base}/journal/nouvelle`);
    expect(!(await p.locator("button.step").first().isVisible()), "steppers shown without JS");
    await p.click(chip("type", "demarchage"));
    await p.click(chip("place", "rue"));
    await p.fill("#f-duration-min", "20");
    await p.fill("#f-counts-adults", "3");
    await Promise.all([p.waitForURL(/ok=cree/), p.click(".submit-bar button[type=submit]")]);
    const entry = await p.locator(".entry").first().textContent();
    expect(entry.includes("Démarchage") && entry.includes("20 min"), `entry '${entry}'`);
    await p.context().close();
  });
} catch (e) {
  fail("browser", e);
} finally {
  await browser.close();
}
finish();
