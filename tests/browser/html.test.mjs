// Every HTML page and the stylesheet of the four test sites, through the Nu Html Checker
// (npm vnu-jar, run with the system Java): no errors, and no warnings either.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, test } from "node:test";

import { buildBranded, buildLongSite, buildSample, buildWithoutStatement } from "./sites.mjs";
import { removeTemporary } from "./support.mjs";

const require = createRequire(import.meta.url);
const VNU = String(require("vnu-jar"));

after(removeTemporary);

function files(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith(".html") || name.endsWith(".css"))
    .map((name) => join(dir, name))
    .sort();
}

test("the Nu Html Checker finds no errors or warnings in any page or stylesheet", () => {
  const checked = [buildSample(), buildWithoutStatement(), buildLongSite(), buildBranded()].flatMap(files);
  assert.ok(checked.filter((f) => f.endsWith(".html")).length > 60, `only ${checked.length} files`);
  const run = spawnSync("java", ["-jar", VNU, "--format", "json", "--also-check-css", "--exit-zero-always", ...checked], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `vnu did not run: ${run.error || run.stderr}`);
  // vnu writes its JSON report to standard error.
  const { messages } = JSON.parse(run.stderr);
  const problems = messages
    .filter((m) => m.type === "error" || (m.type === "info" && m.subType === "warning"))
    .map((m) => `${m.type}${m.subType ? "/" + m.subType : ""} ${m.url}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(problems, []);
});
