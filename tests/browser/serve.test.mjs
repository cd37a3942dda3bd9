// `waymark serve` in a real browser: a saved edit reloads the open page by itself, a broken
// file shows the problems over the last good page (and that overlay passes axe-core too), and
// fixing it brings the page back; the warnings of a site that builds show in a closed notice
// that covers nothing, opens from the keyboard, passes axe-core and follows each edit; the
// address of a draft says it is one, accessibly. The preview runs on a copy of the sample site.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";

import { AxeBuilder } from "@axe-core/playwright";

import { BINARY, ensureBuilt, launch, removeTemporary, ROOT, tempDir, TODAY_EPOCH } from "./support.mjs";

const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const PRIORITY = "content/priorities/county-lines.md";

let site;
let preview;
let browser;
let page;

/** `waymark serve` on a free port, with every line it prints kept for waiting on. */
function startPreview(root) {
  const child = spawn(BINARY, ["serve", "--root", root, "--port", "0"], {
    env: { ...process.env, SOURCE_DATE_EPOCH: TODAY_EPOCH, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  const waiting = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      for (const wait of waiting.splice(0)) wait();
    });
  }
  /** Resolves with the first line from `from` on that `matches`; fails after 30 s. */
  function waitForLine(matches, from = 0) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waymark serve never printed the line; it printed:\n${lines.join("\n")}`)), 30_000);
      const check = () => {
        const found = lines.slice(from).find(matches);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else {
          waiting.push(check);
        }
      };
      check();
    });
  }
  return { child, lines, waitForLine };
}

before(async () => {
  ensureBuilt();
  site = join(tempDir("serve"), "site");
  cpSync(join(ROOT, "site.yaml"), join(site, "site.yaml"));
  cpSync(join(ROOT, "content"), join(site, "content"), { recursive: true });
  preview = startPreview(site);
  const serving = await preview.waitForLine((l) => l.startsWith("Serving "));
  const port = serving.match(/http:\/\/127\.0\.0\.1:(\d+)\//)?.[1];
  assert.ok(port, `no address in ${JSON.stringify(serving)}`);
  preview.url = `http://127.0.0.1:${port}`;
  await preview.waitForLine((l) => l.startsWith("Built "));
  browser = await launch();
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  preview?.child.kill();
  removeTemporary();
});

function edit(rel, from, to) {
  const path = join(site, rel);
  const text = readFileSync(path, "utf8");
  assert.ok(text.includes(from), `${rel} contains ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

/** Marks the open document, so a test can tell a reload (a new document) from an update in place. */
async function markDocument() {
  await page.evaluate(() => {
    window.waymarkTestMark = true;
  });
}

async function reloaded() {
  return page.evaluate(() => window.waymarkTestMark !== true);
}

/**
 * Opens `path` and waits until the page has asked for the preview's change events. A change
 * that lands before the stream is open still reloads the page: the stream starts by saying
 * which build is current.
 */
async function openListening(path) {
  const listening = page.waitForRequest((request) => request.url().includes("/__waymark/events"));
  await page.goto(preview.url + path, { waitUntil: "load" });
  await listening;
  await markDocument();
}

test("saving an edit reloads the open page with the new text", async () => {
  await openListening("/priorities/county-lines/");
  const from = preview.lines.length;
  edit(PRIORITY, "\n## ", "\nA sentence added while the preview was open.\n\n## ");
  await preview.waitForLine((l) => l.startsWith("Rebuilt"), from);
  await page.waitForFunction(() => document.body.innerText.includes("A sentence added while the preview was open."), null, { timeout: 15_000 });
  assert.ok(await reloaded(), "the page was reloaded, not edited in place");
});

test("a broken file shows its problem over the last good page, accessibly, and fixing it reloads", async () => {
  await openListening("/priorities/county-lines/");
  let from = preview.lines.length;
  edit(PRIORITY, "status: ", "status: nonsense-");
  await preview.waitForLine((l) => l.includes("has problems") || l.includes("could not"), from);
  const overlay = page.locator("#waymark-problems");
  await overlay.waitFor({ state: "visible", timeout: 15_000 });
  const message = await overlay.innerText();
  assert.match(message, /county-lines\.md:\d+:\d+/, "the overlay says where the problem is");
  assert.match(message, /status/, "and what is wrong");
  assert.ok(await page.locator("main h1").isVisible(), "the last good page is still there");
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  assert.deepEqual(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    "the problems overlay passes axe-core",
  );

  await markDocument();
  from = preview.lines.length;
  edit(PRIORITY, "status: nonsense-", "status: ");
  await preview.waitForLine((l) => l.startsWith("Rebuilt"), from);
  await page.waitForFunction(() => !document.getElementById("waymark-problems"), null, { timeout: 15_000 });
  assert.ok(await reloaded(), "fixing the file reloaded the page");
});

/** A transparent PNG of one pixel, for an image without alternative text. */
const ONE_PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** Fails with axe-core's findings, if it finds anything against WCAG 2.2 AA. */
async function assertAccessible(what) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  assert.deepEqual(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `${what} passes axe-core`,
  );
}

test("warnings show in a closed notice that covers nothing, opens from the keyboard and follows edits", async () => {
  await openListening("/priorities/county-lines/");
  const notice = page.locator("#waymark-warnings");
  const summary = notice.locator("summary");
  await notice.waitFor({ state: "visible", timeout: 15_000 });
  const count = Number((await summary.innerText()).match(/^(\d+) warnings?$/)?.[1]);
  assert.ok(count > 0, "the sample site has warnings (priorities not updated for months)");
  assert.equal(await notice.evaluate((d) => d.open), false, "closed until opened");
  assert.equal(await notice.getAttribute("role"), null, "not an alert");
  assert.ok(!(await notice.locator("ol").isVisible()), "the list is folded away");

  // Closed, it is one line in the corner; the end of the page scrolls clear of it.
  const closed = await notice.boundingBox();
  assert.ok(closed.height < 60, `one line tall, not ${closed.height}px`);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const overlaps = await page.evaluate(() => {
    const box = document.getElementById("waymark-warnings").getBoundingClientRect();
    const content = document.querySelectorAll("header *, main *, footer *");
    return [...content]
      .filter((element) => {
        const r = element.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top;
      })
      .map((element) => element.outerHTML.slice(0, 80));
  });
  assert.deepEqual(overlaps, [], "at the end of the page the closed notice covers nothing");
  await assertAccessible("the closed warnings notice");

  // The keyboard reaches it after the page's last link, and opens it.
  await page.evaluate(() => {
    const links = [...document.querySelectorAll("body a[href]")].filter((a) => !a.closest("#waymark-warnings"));
    links.at(-1).focus();
  });
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), "SUMMARY", "Tab reaches the notice");
  await page.keyboard.press("Enter");
  assert.equal(await notice.evaluate((d) => d.open), true, "Enter opens it");
  const list = await notice.innerText();
  assert.match(list, /warning\[stale-priority\]/, "it lists the warnings as the terminal does");
  assert.match(list, /--> content\/priorities\/[a-z-]+\.md:\d+:\d+/, "with where each is");
  assert.match(list, /= help: /, "and how to fix it");
  await assertAccessible("the open warnings notice");
  await page.keyboard.press("Enter");
  assert.equal(await notice.evaluate((d) => d.open), false, "Enter closes it again");

  // A new warning reloads the page with one more in the notice; removing it, one fewer.
  await markDocument();
  let from = preview.lines.length;
  writeFileSync(join(site, "content/priorities/map.png"), ONE_PIXEL_PNG);
  edit(PRIORITY, "\n## ", "\n![](map.png)\n\n## ");
  await preview.waitForLine((l) => l.startsWith("Rebuilt") || l.includes("has problems"), from);
  const more = `${count + 1} warnings`;
  await page.waitForFunction((text) => document.querySelector("#waymark-warnings summary")?.innerText === text, more, { timeout: 15_000 });
  assert.ok(await reloaded(), "the page reloaded");
  assert.match(await notice.evaluate((d) => d.textContent), /image has no alternative text/);

  await markDocument();
  from = preview.lines.length;
  edit(PRIORITY, "\n![](map.png)\n", "");
  await preview.waitForLine((l) => l.startsWith("Rebuilt"), from);
  const fewer = `${count} warning${count === 1 ? "" : "s"}`;
  await page.waitForFunction((text) => document.querySelector("#waymark-warnings summary")?.innerText === text, fewer, { timeout: 15_000 });
  assert.ok(await reloaded(), "the page reloaded");
});

test("the address of a draft left out says it is a draft, accessibly, and shows the page once published", async () => {
  const draft = "content/updates/winter-plans.md";
  let from = preview.lines.length;
  writeFileSync(join(site, draft), "---\ntitle: Winter plans\ndate: 2026-11-01\ndraft: true\n---\nNot agreed yet.\n");
  await preview.waitForLine((l) => l.startsWith("Rebuilt"), from);
  await openListening("/updates/winter-plans/");
  assert.equal(await page.locator("h1").innerText(), "This page is a draft");
  const text = await page.locator("main").innerText();
  assert.match(text, /It is made from content\/updates\/winter-plans\.md, which has draft: true in it\. Drafts are not published\./);
  assert.match(text, /To preview drafts, stop the preview \(Ctrl\+C\) and run waymark serve --drafts\./);
  await assertAccessible("the page of a draft left out");

  from = preview.lines.length;
  edit(draft, "draft: true\n", "");
  await preview.waitForLine((l) => l.startsWith("Rebuilt"), from);
  await page.waitForFunction(() => document.body.innerText.includes("Not agreed yet."), null, { timeout: 15_000 });
  assert.ok(await reloaded(), "publishing it reloaded the page");
  assert.equal(await page.locator("main h1").innerText(), "Winter plans");
});
