// Captures the bundled sample site at phone (375 px) and desktop (1280 px) widths into
// docs/screenshots/, so reviewers can see the theme without building it.
// Usage: npm run screenshots   (needs /usr/bin/chromium and `npm ci`)
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { buildSite, launch, removeTemporary, ROOT, serve } from "../tests/browser/support.mjs";

const PAGES = [
  ["home", "/"],
  ["priority", "/priorities/county-lines/"],
  ["meeting", "/meetings/hcssg-2020-09-17/"],
  ["tag", "/tags/covid-19/"],
  ["search", "/search/?q=county+lines"],
];
const WIDTHS = [375, 1280];

const out = join(ROOT, "docs/screenshots");
mkdirSync(out, { recursive: true });
const site = buildSite(ROOT, "screenshots");
const server = await serve(site);
const browser = await launch();
try {
  const page = await browser.newPage();
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 600 ? 812 : 900 });
      for (const [name, path] of PAGES) {
        // Dark mode is shown for the home page only, to keep the folder small.
        if (scheme === "dark" && name !== "home") continue;
        await page.goto(server.url + path, { waitUntil: "networkidle" });
        if (name === "search") await page.waitForSelector(".search-result");
        const file = join(out, `${name}${scheme === "dark" ? "-dark" : ""}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file.slice(ROOT.length + 1));
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  removeTemporary();
}
