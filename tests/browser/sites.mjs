// The sites the browser tests look at: the bundled sample, the sample without its own
// accessibility page (so Waymark writes one), and a generated site long enough to paginate.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import assert from "node:assert/strict";
import { join } from "node:path";

import { buildSite, ROOT, tempDir } from "./support.mjs";

/** Every kind of page in the sample site, with a name for messages. */
export const SAMPLE_PAGES = [
  ["home", "/"],
  ["priorities index", "/priorities/"],
  ["priority", "/priorities/county-lines/"],
  ["meetings index", "/meetings/"],
  ["meeting (held, with documents)", "/meetings/hcssg-2020-09-17/"],
  ["meeting (cancelled)", "/meetings/hcssg-2020-04-16/"],
  ["meeting (upcoming)", "/meetings/hcssg-2027-01-21/"],
  ["updates index", "/updates/"],
  ["update", "/updates/progress-report-2020-09/"],
  ["page", "/about/"],
  ["accessibility page (the site's own)", "/accessibility/"],
  ["tags index", "/tags/"],
  ["tag", "/tags/covid-19/"],
  ["search (with results)", "/search/?q=county+lines"],
  ["search (no results)", "/search/?q=zzqxv"],
  ["404", "/no-such-page/"],
];

/** Pages that only the other two sites have. */
export const STATEMENT_PAGES = [["accessibility statement (generated)", "/accessibility/"]];
export const LONG_PAGES = [
  ["meetings index, page 2", "/meetings/page/2/"],
  ["updates index, page 3", "/updates/page/3/"],
  ["tag page, page 2", "/tags/community/page/2/"],
];

export function buildSample() {
  return buildSite(ROOT, "sample");
}

/** The sample site less content/pages/accessibility.md. */
export function buildWithoutStatement() {
  const root = join(tempDir("nostatement-source"), "site");
  mkdirSync(root);
  cpSync(join(ROOT, "site.yaml"), join(root, "site.yaml"));
  cpSync(join(ROOT, "content"), join(root, "content"), { recursive: true });
  rmSync(join(root, "content/pages/accessibility.md"));
  // Pages that linked to the file link to the generated statement's address instead.
  for (const [file, link] of [["content/_index.md", "@/pages/accessibility.md"], ["content/pages/about.md", "accessibility.md"]]) {
    const text = readFileSync(join(root, file), "utf8");
    assert.ok(text.includes(`(${link})`), `${file} links to the statement`);
    writeFileSync(join(root, file), text.replace(`(${link})`, "(/accessibility/)"));
  }
  return buildSite(root, "nostatement");
}

/** 45 meetings and 45 updates, all tagged "community": three pages each. */
export function buildLongSite() {
  const root = join(tempDir("long-source"), "site");
  const write = (path, text) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    "site.yaml",
    "title: Longshire Community Safety Partnership\nbase_url: https://safety.example.org/\n" +
      "organisation: Longshire Council\ncontact_email: safety@example.org\n" +
      "accessibility:\n  issues:\n    - Some meeting papers from before 2020 are scanned images.\n" +
      "  reviewed: 2026-11-02\n  phone: 0300 555 0100\n",
  );
  write(
    "content/priorities/safer-streets.md",
    "---\ntitle: Safer streets\nnumber: 1\nstatus: on-track\ntags: [community]\n---\nStreet lighting and patrols.\n",
  );
  for (let i = 1; i <= 45; i++) {
    const month = String(((i - 1) % 12) + 1).padStart(2, "0");
    const year = 2020 + Math.floor((i - 1) / 12);
    const day = String(((i * 7) % 27) + 1).padStart(2, "0");
    write(
      `content/meetings/board-${year}-${month}.md`,
      `---\ntitle: Partnership board\ndate: ${year}-${month}-${day}\ntime: "14:00"\nvenue: Civic Centre\n` +
        `priorities: [safer-streets]\ntags: [community]\n${i % 10 === 0 ? "status: cancelled\n" : ""}---\n` +
        `The board reviewed progress on safer streets, meeting ${i}.\n`,
    );
    write(
      `content/updates/progress-${year}-${month}.md`,
      `---\ntitle: Progress report ${i}\ndate: ${year}-${month}-${day}\npriorities: [safer-streets]\ntags: [community]\n---\n` +
        `Street lighting was improved in ward ${i}.\n`,
    );
  }
  return buildSite(root, "long");
}
