// Shared by the browser tests and scripts/screenshots.mjs: builds a site with the real waymark
// binary, serves it from 127.0.0.1 on a free port, and launches Debian's headless Chromium.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** 2026-11-23 00:00 UTC, as in tests/testsuite/site_test.rs: the sample's January 2027 meeting is upcoming. */
export const TODAY_EPOCH = "1795392000";

export const BINARY = process.env.WAYMARK_BIN || join(ROOT, "target/release/waymark");

const temporary = [];

/** A new temporary folder, removed by `removeTemporary()`. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `waymark-${prefix}-`));
  temporary.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made. */
export function removeTemporary() {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

let built = false;

/** Builds the release binary once per run, unless WAYMARK_BIN names one already built. */
export function ensureBuilt() {
  if (!process.env.WAYMARK_BIN && !built) {
    built = true;
    const cargo = spawnSync("cargo", ["build", "--release", "--quiet", "--locked"], { cwd: ROOT, stdio: "inherit" });
    if (cargo.status !== 0) throw new Error("cargo build --release failed");
  }
}

/** Builds the site at `root` into a new temporary folder and returns that folder. */
export function buildSite(root, name = "site") {
  ensureBuilt();
  const output = join(tempDir(name), "public");
  const run = spawnSync(BINARY, ["build", "--quiet", "--root", root, "--output", output], {
    env: { ...process.env, SOURCE_DATE_EPOCH: TODAY_EPOCH },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`waymark build ${root} failed:\n${run.stdout}\n${run.stderr}`);
  return output;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".pdf": "application/pdf",
};

/** Serves `dir` like a static host: folders give their index.html, missing files 404.html. */
export function serve(dir) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    let file = normalize(join(dir, path));
    if (file !== dir && !file.startsWith(dir + sep)) file = join(dir, "404.html");
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    let status = 200;
    if (!existsSync(file)) {
      status = 404;
      file = join(dir, "404.html");
    }
    response.writeHead(status, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((ready) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ready({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** One headless Chromium for a whole run; never downloads a browser. */
export function launch() {
  const profile = tempDir("chromium");
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
