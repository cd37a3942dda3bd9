// The default theme in a real browser (Debian's headless Chromium): axe-core at WCAG 2.2 AA in
// light and dark colour schemes on every kind of page, keyboard-only use, search, reflow at
// 320 px, text at 200 %, printing and use without JavaScript. One browser, pages in sequence.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { AxeBuilder } from "@axe-core/playwright";

import {
  BRANDED_PAGES,
  buildBranded,
  buildLongSite,
  buildSample,
  buildWithoutStatement,
  LONG_PAGES,
  SAMPLE_PAGES,
  STATEMENT_PAGES,
} from "./sites.mjs";
import { launch, removeTemporary, serve } from "./support.mjs";

const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

let browser;
let page;
let sample;
let statement;
let long;
let branded;
/** Every request any page made, to prove nothing leaves the site. */
const requests = [];

before(async () => {
  [sample, statement, long, branded] = await Promise.all(
    [buildSample(), buildWithoutStatement(), buildLongSite(), buildBranded()].map((dir) => serve(dir)),
  );
  browser = await launch();
  page = await browser.newPage();
  page.on("request", (request) => requests.push(request.url()));
});

after(async () => {
  await browser?.close();
  await Promise.all([sample, statement, long, branded].map((server) => server?.close()));
  removeTemporary();
});

/** Every page kind, on whichever site has it. */
function allPages() {
  return [
    ...SAMPLE_PAGES.map(([name, path]) => [name, sample.url + path]),
    ...STATEMENT_PAGES.map(([name, path]) => [name, statement.url + path]),
    ...LONG_PAGES.map(([name, path]) => [name, long.url + path]),
    ...BRANDED_PAGES.map(([name, path]) => [name, branded.url + path]),
  ];
}

async function open(url, { scheme = "light", width = 1280, height = 900 } = {}) {
  await page.emulateMedia({ colorScheme: scheme, media: "screen" });
  await page.setViewportSize({ width, height });
  await page.goto(url, { waitUntil: "networkidle" });
  // Search pages fill in their results after loading the index.
  if (url.includes("/search/")) await page.waitForFunction(() => !/Searching/.test(document.getElementById("search-status").textContent));
}

function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n    ")}`)
    .join("\n  ");
}

test("axe-core finds no WCAG 2.2 AA violations on any kind of page, light or dark", async () => {
  const problems = [];
  let checked = 0;
  for (const scheme of ["light", "dark"]) {
    for (const [name, url] of allPages()) {
      await open(url, { scheme });
      const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
      checked += 1;
      if (results.violations.length) problems.push(`${name} (${scheme}) ${url}:\n  ${describe(results.violations)}`);
    }
  }
  assert.equal(problems.join("\n"), "", `axe violations:\n${problems.join("\n")}`);
  assert.equal(checked, allPages().length * 2);
});

test("no page requests anything from another host", () => {
  const origins = new Set([sample.url, statement.url, long.url, branded.url]);
  const outside = requests.filter((url) => ![...origins].some((origin) => url.startsWith(origin + "/")));
  assert.deepEqual(outside, []);
  assert.ok(requests.length > 40, "the pages were really loaded");
});

/** The look of an element that can show focus: what a focus style changes. */
function focusLook(element) {
  const style = getComputedStyle(element);
  return {
    // The browser's own thin "auto" ring does not count: the theme must draw at least 2 px.
    outline:
      style.outlineStyle === "none" || style.outlineStyle === "auto" || style.outlineColor === "rgba(0, 0, 0, 0)" || parseFloat(style.outlineWidth) < 2
        ? "none"
        : `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`,
    shadow: style.boxShadow,
    background: style.backgroundColor,
  };
}

test("keyboard alone reaches every link and control, each with a visible focus indicator", async () => {
  const pages = [
    ...SAMPLE_PAGES.filter(([name]) => /home|priority$|held|cancelled|tag$|search \(with|404|update$/.test(name)).map(([n, p]) => [n, sample.url + p]),
    ...LONG_PAGES.slice(0, 1).map(([n, p]) => [n, long.url + p]),
    ...BRANDED_PAGES.slice(0, 1).map(([n, p]) => [n, branded.url + p]),
  ];
  for (const [name, url] of pages) {
    await open(url);
    // Each focusable element's look before it has focus.
    const targets = await page.evaluate((look) => {
      const lookOf = new Function(`return (${look})`)();
      const all = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])")];
      return all
        .filter((el) => el.getClientRects().length && !el.closest("[hidden]"))
        .map((el, i) => {
          el.dataset.focusId = String(i);
          return { id: String(i), text: (el.textContent || el.getAttribute("name") || "").trim().slice(0, 40), look: lookOf(el) };
        });
    }, focusLook.toString());
    const reached = new Map();
    for (let press = 0; press < targets.length + 5; press++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate((look) => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const rect = el.getBoundingClientRect();
        return { id: el.dataset.focusId, look: new Function(`return (${look})`)()(el), onScreen: rect.width > 0 && rect.height > 0 };
      }, focusLook.toString());
      if (!focused) break;
      if (reached.has(focused.id)) break;
      reached.set(focused.id, focused);
    }
    for (const target of targets) {
      const got = reached.get(target.id);
      assert.ok(got, `${name}: Tab never reaches "${target.text}"`);
      assert.ok(got.onScreen, `${name}: "${target.text}" is focused but not on screen`);
      const before = target.look;
      const changed = got.look.outline !== before.outline || got.look.shadow !== before.shadow || got.look.background !== before.background;
      assert.ok(changed, `${name}: focus on "${target.text}" looks the same as without it (${JSON.stringify(got.look)})`);
      assert.ok(got.look.outline !== "none" || got.look.shadow !== "none", `${name}: "${target.text}" has no focus outline or underline`);
    }
  }
});

test("the skip link is the first stop and moves focus to the main content", async () => {
  await open(sample.url + "/meetings/hcssg-2020-09-17/");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to main content");
  assert.ok(await page.evaluate(() => document.activeElement.getBoundingClientRect().left >= 0), "visible when focused");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main-content");
});

test("search from the header with the keyboard finds the expected page", async () => {
  await open(sample.url + "/");
  await page.focus("#header-search-input");
  await page.keyboard.type("county lines");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".search-result");
  const results = await page.$$eval(".search-result", (items) =>
    items.map((li) => ({
      url: new URL(li.querySelector("a").href).pathname,
      title: li.querySelector("h2").textContent,
      kind: li.querySelector(".kind-label").textContent,
      snippet: li.querySelector(".search-result-snippet")?.textContent || "",
    })),
  );
  assert.equal(results[0].url, "/priorities/county-lines/");
  assert.equal(results[0].kind, "Priority");
  assert.match(results[0].snippet, /county lines/i);
  assert.ok(results.some((r) => r.kind === "Meeting") && results.some((r) => r.kind === "Update"), "meetings and updates are found too");
  assert.match(await page.textContent("#search-status"), /^\d+ results? for “county lines”$/);
  assert.equal(await page.inputValue("#search-input"), "county lines", "the query stays in the box");
  assert.match(await page.innerHTML(".search-result-snippet"), /<mark>county<\/mark>/i);
});

test("search finds words inside pages, prefixes and plurals, and says when nothing matches", async () => {
  const top = async (query) => {
    await open(`${sample.url}/search/?q=${encodeURIComponent(query)}`);
    return page.$$eval(".search-result a", (links) => links.map((a) => new URL(a.href).pathname));
  };
  assert.ok((await top("lockdown cancelled")).includes("/meetings/hcssg-2020-04-16/"), "words from a meeting's minutes");
  assert.equal((await top("radicalis"))[0], "/priorities/radicalisation/", "a prefix finds the whole word");
  assert.ok((await top("meetings")).length > 0, "a plural finds the singular");
  assert.deepEqual(await top("zzqxv"), []);
  assert.match(await page.textContent("#search-status"), /^No results for “zzqxv”/);
});

test("a query loads only the index files it needs", async () => {
  const loaded = [];
  const listen = (response) => {
    const url = response.url();
    if (url.includes("/search/") && url.endsWith(".json")) loaded.push(response.body().then((body) => [new URL(url).pathname, body.length]));
  };
  page.on("response", listen);
  await open(long.url + "/search/?q=street");
  page.off("response", listen);
  const files = await Promise.all(loaded);
  const terms = files.filter(([path]) => path.startsWith("/search/terms/"));
  const docs = files.filter(([path]) => path.startsWith("/search/docs/"));
  assert.ok(files.some(([path]) => path === "/search/manifest.json"));
  assert.ok(terms.length >= 1 && terms.length <= 2, `term files: ${terms}`);
  // Ten results shown, from at most ten small chunks of ten documents. 113: 91 pages and the
  // 22 actions about street lighting.
  assert.equal(await page.locator(".search-result").count(), 10, "the first 10 results");
  assert.ok(docs.length >= 1 && docs.length <= 10, `document chunks: ${docs}`);
  const bytes = files.reduce((sum, [, size]) => sum + size, 0);
  assert.ok(bytes < 40 * 1024, `${bytes} bytes of index for one query`);
  assert.match(await page.textContent("#search-status"), /^113 results for “street”$/);
  await page.click("#search-more button");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 10);
  assert.equal(await page.evaluate(() => document.activeElement.closest(".search-result") !== null), true, "focus moves to the new results");
});

test("every page reflows at 320 px without scrolling sideways, and text can be doubled", async () => {
  for (const [name, url] of allPages()) {
    await open(url, { width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal scroll at 320px`);
    await open(url, { width: 1280, height: 900 });
    const doubled = await page.evaluate(() => {
      document.documentElement.style.fontSize = "200%";
      return document.documentElement.scrollWidth - window.innerWidth;
    });
    assert.ok(doubled <= 0, `${name}: ${doubled}px of horizontal scroll with text at 200%`);
  }
});

test("a meeting page prints as minutes: no navigation, search or footer links, and links show addresses", async () => {
  await open(sample.url + "/meetings/hcssg-2020-09-17/");
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const shown = (selector) => [...document.querySelectorAll(selector)].some((el) => getComputedStyle(el).display !== "none");
    const link = document.querySelector(".documents a");
    return {
      nav: shown(".site-nav"),
      search: shown(".header-search"),
      breadcrumbs: shown(".breadcrumbs"),
      footerLinks: shown(".site-footer nav"),
      heading: shown("main h1"),
      agenda: shown(".agenda"),
      minutes: shown(".minutes"),
      documentAddress: getComputedStyle(link, "::after").content,
      background: getComputedStyle(document.body).backgroundColor,
    };
  });
  assert.deepEqual(
    { ...printed, documentAddress: printed.documentAddress.includes("hcssg-2020-09-progress-report.txt") },
    { nav: false, search: false, breadcrumbs: false, footerLinks: false, heading: true, agenda: true, minutes: true, documentAddress: true, background: "rgb(255, 255, 255)" },
  );
  await page.emulateMedia({ media: "screen" });
});

test("a meeting's record prints as a minute book: attendance, decisions and every action in full, none split across pages", async () => {
  await open(long.url + "/meetings/board-2020-02/");
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const shown = (selector) => [...document.querySelectorAll(selector)].filter((el) => getComputedStyle(el).display !== "none").length;
    const action = document.querySelector(".agenda .action");
    return {
      nav: shown(".site-nav"),
      attendance: shown(".attendance dt"),
      declarations: shown(".declarations li"),
      decisions: shown(".outcome-decisions li"),
      actions: shown(".agenda .action"),
      arising: shown(".matters-arising .action"),
      actionFacts: [...action.querySelectorAll("dt")].map((dt) => dt.textContent),
      unbroken: getComputedStyle(action).breakInside,
      minutesStatus: document.querySelector(".minutes-status").textContent.trim(),
    };
  });
  assert.deepEqual(printed, {
    nav: 0,
    attendance: 2,
    declarations: 0,
    decisions: 1,
    actions: 1,
    arising: 1,
    actionFacts: ["Owner", "Due", "Status", "Latest"],
    unbroken: "avoid",
    minutesStatus: "Approved as a correct record at the meeting on 22 March 2020",
  });
  await page.emulateMedia({ media: "screen" });
});

test("without JavaScript everything but search results is there, and search offers browsing by topic", async () => {
  const noScript = await browser.browser().newContext({ javaScriptEnabled: false });
  try {
    const plain = await noScript.newPage();
    await plain.goto(sample.url + "/search/?q=county+lines");
    assert.ok(await plain.isVisible(".search-no-script"), "says why there are no results");
    const topics = await plain.$$eval(".tag-index a", (links) => links.map((a) => new URL(a.href).pathname));
    assert.ok(topics.includes("/tags/county-lines/"), `topics: ${topics}`);
    await plain.goto(sample.url + "/meetings/hcssg-2020-09-17/");
    assert.equal(await plain.locator(".agenda li").count(), 6);
    assert.ok(await plain.isVisible(".minutes"));
  } finally {
    await noScript.close();
  }
});

test("dark mode follows the system setting", async () => {
  await open(sample.url + "/", { scheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await open(sample.url + "/", { scheme: "light" });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(light, "rgb(255, 255, 255)");
  assert.notEqual(dark, light);
});

test("indicator charts are readable in light and dark mode, at 320 px (scrolling in their frame), and print", async () => {
  const look = () =>
    page.evaluate(() => {
      const chart = document.querySelector("svg.chart");
      const style = (selector, property) => getComputedStyle(chart.querySelector(selector))[property];
      const box = chart.getBoundingClientRect();
      const frame = chart.closest(".chart-scroll").getBoundingClientRect();
      return {
        frame: frame.width,
        // The size labels are drawn at: 16px in a 560-wide view box, scaled to the chart's width.
        labelPx: (16 * box.width) / chart.viewBox.baseVal.width,
        background: getComputedStyle(document.body).backgroundColor,
        line: style(".chart-line", "stroke"),
        target: style(".chart-target", "stroke"),
        label: style(".chart-label", "fill"),
        latest: style(".chart-latest", "fill"),
        width: box.width,
        shown: getComputedStyle(chart).display !== "none" && box.height > 0,
        role: chart.getAttribute("role"),
        name: chart.querySelector("title").textContent,
      };
    });
  for (const scheme of ["light", "dark"]) {
    await open(long.url + "/priorities/safer-streets/", { scheme });
    const seen = await look();
    // WCAG 1.4.11: the line and target against the page, 3:1; text, 4.5:1.
    assert.ok(contrast(seen.line, seen.background) >= 3, `${scheme}: line ${seen.line} on ${seen.background}`);
    assert.ok(contrast(seen.target, seen.background) >= 3, `${scheme}: target ${seen.target}`);
    assert.ok(contrast(seen.label, seen.background) >= 4.5, `${scheme}: labels ${seen.label}`);
    assert.ok(contrast(seen.latest, seen.background) >= 4.5, `${scheme}: latest value ${seen.latest}`);
    assert.equal(seen.role, "img");
    assert.equal(seen.name, "Street crime reported in Longshire, 2024 Q1 to 2026 Q2");
  }
  await open(long.url + "/priorities/safer-streets/", { width: 320, height: 640 });
  const narrow = await look();
  // At 320 px the chart keeps a readable size and scrolls inside its frame; the page does not.
  assert.ok(narrow.frame <= 320, `the chart's frame is ${narrow.frame}px wide at 320 px`);
  assert.ok(narrow.labelPx >= 13, `labels are drawn at ${narrow.labelPx}px at 320 px`);
  await page.emulateMedia({ media: "print" });
  const printed = await look();
  assert.ok(printed.shown, "the chart prints");
  assert.equal(printed.background, "rgb(255, 255, 255)");
  await page.emulateMedia({ media: "screen" });
});

/** WCAG 2 contrast of two computed colours (`rgb(r, g, b)`), worked out in the page's terms. */
function contrast(one, two) {
  const luminance = (css) => {
    const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(one), luminance(two)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

test("a branded header shows the logo above the site's name on the brand colour, readable in light and dark, and prints without it", async () => {
  const look = () =>
    page.evaluate(() => {
      const header = document.querySelector(".site-header");
      const name = document.querySelector(".site-name span");
      const logo = document.querySelector(".site-logo");
      const date = document.querySelector(".event-date");
      const box = logo.getBoundingClientRect();
      return {
        background: getComputedStyle(header).backgroundColor,
        text: getComputedStyle(name).color,
        dateBackground: date && getComputedStyle(date).backgroundColor,
        dateText: date && getComputedStyle(date).color,
        logoLoaded: logo.complete && logo.naturalWidth > 0,
        logoShown: getComputedStyle(logo).display !== "none",
        logoHeight: Math.round(box.height),
        logoAbove: box.bottom <= name.getBoundingClientRect().top,
        logoRight: box.right,
        linkName: document.querySelector(".site-name").textContent.trim(),
        alt: logo.alt,
      };
    });
  for (const scheme of ["light", "dark"]) {
    await open(branded.url + "/meetings/", { scheme });
    const seen = await look();
    assert.equal(seen.background, "rgb(0, 82, 122)", `${scheme}: the header is the brand colour #00527a`);
    assert.equal(seen.dateBackground, "rgb(0, 82, 122)", `${scheme}: so is an upcoming meeting's date`);
    assert.ok(contrast(seen.background, seen.text) >= 4.5, `${scheme}: ${seen.text} on ${seen.background}`);
    assert.ok(contrast(seen.dateBackground, seen.dateText) >= 4.5, `${scheme}: ${seen.dateText} on ${seen.dateBackground}`);
    assert.deepEqual(
      { loaded: seen.logoLoaded, shown: seen.logoShown, height: seen.logoHeight, above: seen.logoAbove, alt: seen.alt },
      { loaded: true, shown: true, height: 44, above: true, alt: "Testshire County Council" },
      scheme,
    );
    assert.equal(seen.linkName, "Testshire Community Safety Partnership", "the site's name stays text");
  }
  await open(branded.url + "/", { width: 320, height: 640 });
  assert.ok((await look()).logoRight <= 320 - 16, "the logo fits a 320 px screen inside its margins");
  await open(branded.url + "/");
  await page.emulateMedia({ media: "print" });
  const printed = await look();
  assert.equal(printed.logoShown, false, "the logo is drawn for the coloured band, so it is not printed");
  assert.equal(printed.background, "rgba(0, 0, 0, 0)", "nor is the band");
  assert.equal(printed.text, "rgb(0, 0, 0)", "the site's name prints black");
  await page.emulateMedia({ media: "screen" });
});
