// Browser test of the pages in English: for each role (the admin too),
// signed in with the language cookie set to English, every page of the
// navigation, /menu and /tableaux, and the home page, /recits, /renvois
// with a search, /menu and /boite, at the widths of AXE_SIZES (390 and
// 1366 px by default). No piece of text a page shows may be a French name
// that has an English one: the French msgids of the English catalogue
// (po/en.po and po/parts/en-*.po) that translate to something else, and the
// French names of the database's reference data that have an English name
// (FRENCH_NAMES, written by run.sh: sectors, reference lists, portrait
// indicators). A piece is a text node, or an option, title, label or
// placeholder, cut at the separators pages put between names (↔, ·, —,
// parentheses, colons, commas), so that "CLSC du Parc" is not taken for the
// place "Parc" but "Communautaire ↔ Santé et Services sociaux" is two
// sector names. /admin/listes shows both languages on purpose and is left
// out.
//
// Environment (tests/browser/run.sh sets it):
//   PROXIMA_URL, PROXIMA_PASSWORD   the server of run.sh's pages fixture
//   FRENCH_NAMES                    a file of "French<TAB>English" lines
//   AXE_SIZES                       "390 1366" by default (as pages.mjs)
//   CHROMIUM                        the browser (default /usr/bin/chromium)
//
// Prints "ok - NAME" or "not ok - NAME: why" per check, then
// "RESULT passed failed".
import { chromium } from "playwright-core";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check, fail, finish } from "./tap.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const base = process.env.PROXIMA_URL;
const password = process.env.PROXIMA_PASSWORD;
const SIZES = (process.env.AXE_SIZES || "390 1366").split(/[ ,]+/).filter(Boolean).map((w) => {
  if (w === "390") return { width: 390, height: 844 };
  if (w === "1366") return { width: 1366, height: 900 };
  throw new Error(`AXE_SIZES: ${w} is not 390 or 1366`);
});
const ACCOUNTS = ["pap@x.test", "gest@x.test", "comite@a.test", "analyste@q.test", "admin@q.test"];
const PAGES = ["/", "/recits", "/renvois", "/renvois?q=famille", "/menu", "/boite"];
const BILINGUAL = /^\/admin\/listes/;


// The French msgids of a PO file whose msgstr says something else (both
// read whole, with their continuation lines).
function poPairs(file) {
  const out = [];
  const unquote = (s) => JSON.parse(s);
  let cur = null;
  let field = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("msgid ")) {
      if (cur) out.push(cur);
      cur = { id: unquote(line.slice(6)), str: "" };
      field = "id";
    } else if (cur && line.startsWith("msgstr ")) {
      cur.str = unquote(line.slice(7));
      field = "str";
    } else if (cur && line.startsWith("msgid_plural")) {
      field = null; // plural forms: the singular is enough
    } else if (cur && field && line.startsWith('"')) {
      cur[field] += unquote(line);
    } else if (line.startsWith("msgstr[")) {
      field = null;
    }
  }
  if (cur) out.push(cur);
  return out;
}

// The set of French names that must not show on an English page.
function frenchNames() {
  const po = [path.join(root, "po/en.po"),
              ...readdirSync(path.join(root, "po/parts")).filter((f) => /^en-.*\.po$/.test(f))
                .map((f) => path.join(root, "po/parts", f))];
  const pairs = po.flatMap(poPairs);
  // A word the English catalogue itself uses is a term English keeps
  // ("Arrimage: indicators and targets"), whatever one msgid says.
  const english = ` ${pairs.map((p) => p.str).join(" ")} `;
  const names = new Set();
  const add = (fr, en) => {
    fr = (fr || "").trim();
    en = (en || "").trim();
    // One word of three letters or fewer ("Non", "Oui", "Lun") may as well
    // be a code or a proper name: only longer ones are looked for.
    if (!fr || !en || fr === en || fr.length <= 3) return;
    const kept = new RegExp(`[^\\p{L}]${fr.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^\\p{L}]`, "u");
    if (!kept.test(english)) names.add(fr);
  };
  for (const { id, str } of pairs) if (!/%|\n/.test(id)) add(id, str);
  if (process.env.FRENCH_NAMES)
    for (const line of readFileSync(process.env.FRENCH_NAMES, "utf8").split("\n")) {
      const [fr, en] = line.split("\t");
      add(fr, en);
    }
  return names;
}

// The pieces of text the page shows, as described above.
function pieces(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest("script, style, [hidden]")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    // Text marked as French on purpose (the language switch's "Français").
    const french = (el) => /^fr/.test((el.closest("[lang]") || document.documentElement).lang);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (!french(n.parentElement)) out.push(n.nodeValue);
    for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]"))
      for (const a of ["title", "aria-label", "placeholder", "alt"])
        if (el.getAttribute(a) && !french(el)) out.push(el.getAttribute(a));
    out.push(document.title);
    return out;
  }).then((texts) => texts.flatMap((t) => t.split(/\s*(?:↔|·|—|[():,;]|\n|\t|\s\/\s)\s*/))
    .map((t) => t.replace(/\s+/g, " ").trim()).filter(Boolean));
}

if (!base || !password) {
  console.log("not ok - environment: PROXIMA_URL and PROXIMA_PASSWORD are needed");
  console.log("RESULT 0 1");
  process.exit(1);
}
const names = frenchNames();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await check(`English: ${names.size} French names to look for`, () => {
    if (names.size < 100) throw new Error("the catalogue or FRENCH_NAMES was not read");
  });
  for (const email of ACCOUNTS) {
    for (const size of SIZES) {
      await check(`English: ${email} at ${size.width} px, no French name on any page`, async () => {
        const ctx = await browser.newContext({ viewport: size, locale: "en-CA" });
        const p = await ctx.newPage();
        try {
          await p.goto(`${base}/connexion`);
          await p.fill("#courriel", email);
          await p.fill("#mot_de_passe", password);
          await Promise.all([p.waitForURL((u) => !u.pathname.startsWith("/connexion")),
                             p.click("form .button.primary")]);
          await ctx.addCookies([{ name: "lang", value: "en", url: base }]);
          const hrefs = new Set(PAGES);
          for (const from of ["/menu", "/tableaux"]) {
            await p.goto(`${base}${from}`);
            for (const h of await p.$$eval("nav.nav a, main a", (as) => as.map((a) => a.getAttribute("href"))))
              if (h && h.startsWith("/") && !/^\/(deconnexion|static)|format=|png=|rapport/.test(h))
                hrefs.add(h.split("#")[0]);
          }
          const bad = [];
          for (const h of hrefs) {
            if (BILINGUAL.test(h)) continue;
            const resp = await p.goto(`${base}${h}`);
            if (!resp || resp.status() !== 200) {
              bad.push(`${h}: status ${resp ? resp.status() : "none"}`);
              continue;
            }
            const lang = await p.evaluate(() => document.documentElement.lang);
            if (!/^en\b/.test(lang)) bad.push(`${h}: lang="${lang}"`);
            for (const t of new Set(await pieces(p))) if (names.has(t)) bad.push(`${h}: "${t}"`);
          }
          if (bad.length) throw new Error(`${bad.length} French: ${bad.slice(0, 8).join("; ")}`);
        } finally {
          await ctx.close();
        }
      });
    }
  }
} catch (e) {
  fail("English", e);
} finally {
  await browser.close();
}
finish();
