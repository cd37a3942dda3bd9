// The sites the browser tests look at: the bundled sample, the sample without its own
// accessibility page (so Waymark writes one), a generated site long enough to paginate, and the
// branded fixture of the Rust tests (a logo and a brand colour in the header).
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
  ["decisions (the one the seeds give)", "/decisions/"],
  ["priority with indicators (one figure each: bars)", "/priorities/positive-activities/"],
  ["open data", "/data/"],
  ["404", "/no-such-page/"],
];

/** Pages that only the other two sites have. */
export const STATEMENT_PAGES = [["accessibility statement (generated)", "/accessibility/"]];
export const LONG_PAGES = [
  ["meetings index, page 2", "/meetings/page/2/"],
  ["updates index, page 3", "/updates/page/3/"],
  ["tag page, page 2", "/tags/community/page/2/"],
  ["page with a wide table, code, an image and footnotes", "/figures/"],
  ["action register", "/actions/"],
  ["action register, page 2", "/actions/page/2/"],
  ["action (with history)", "/actions/l-5/"],
  ["decisions", "/decisions/"],
  ["meeting with attendance, declarations, decisions, actions and matters arising", "/meetings/board-2020-02/"],
  ["priority with action counts", "/priorities/safer-streets/"],
];

/** Pages of the branded site: the header with its logo on the brand colour on each. */
export const BRANDED_PAGES = [
  ["branded home (logo and brand colour)", "/"],
  ["branded meetings index (an upcoming meeting's date on the brand colour)", "/meetings/"],
  ["branded accessibility statement (generated, reviewed)", "/accessibility/"],
];

/** The logo, brand colour and reviewed statement of tests/testsuite/settings/branded. */
export const BRANDED_SITE = join(ROOT, "tests/testsuite/settings/branded");

export function buildBranded() {
  return buildSite(BRANDED_SITE, "branded");
}

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
    "---\ntitle: Safer streets\nnumber: 1\nstatus: on-track\ntags: [community]\n" +
      // Made-up figures, to show every kind of chart: a line with a target, and bars from a CSV file.
      "indicators:\n  - id: street-crime\n    title: Street crime reported in Longshire\n    unit: offences\n    better: lower\n" +
      "    target: 300\n    source: Longshire Police\n    values:\n" +
      [412, 398, 450, 430, 405, 380, 414, 371, 352, 340].map((v, i) => `      - {period: ${2024 + Math.floor(i / 4)}-Q${(i % 4) + 1}, value: ${v}}\n`).join("") +
      "  - id: lit-streets\n    title: Streets with new lighting\n    unit: \"%\"\n    better: higher\n    source: Longshire Council\n    file: lighting.csv\n" +
      "---\nStreet lighting and patrols.\n",
  );
  write("content/priorities/lighting.csv", "period,value,note\n2025,40,\n2026,57,\"Provisional, to October\"\n");
  const when = (i) => {
    const month = String(((i - 1) % 12) + 1).padStart(2, "0");
    const year = 2020 + Math.floor((i - 1) / 12);
    const day = String(((i * 7) % 27) + 1).padStart(2, "0");
    return { month, year, day, date: `${year}-${month}-${day}`, slug: `board-${year}-${month}` };
  };
  const cancelled = (i) => i % 10 === 0;
  for (let i = 1; i <= 45; i++) {
    const { month, year, date, slug } = when(i);
    // The first 24 meetings keep the governance record: attendance, approved minutes, one
    // decision and one action each (so the register has two pages), and progress reported at
    // the next meeting: done, in progress, dropped, or nothing (so it falls overdue).
    let record = "";
    if (i <= 24 && !cancelled(i)) {
      record += "attendance:\n  present: [Chair of the board, Longshire Police]\n  apologies: [Longshire Fire and Rescue]\n";
      if (i === 1) record += "declarations:\n  - name: Councillor R. Patel\n    item: 1\n    interest: Chair of a residents' association in Northgate\n";
      if (!cancelled(i + 1) && i < 24) record += `minutes:\n  status: approved\n  approved_at: ${when(i + 1).slug}\n`;
      record +=
        `agenda:\n  - title: Safer streets progress\n    priority: safer-streets\n    decisions:\n      - Agreed the street lighting programme for ward ${i}.\n` +
        `    actions:\n      - id: L-${i}\n        action: Report on street lighting in ward ${i}\n        owner: Longshire Police\n        due: ${when(i + 2).date}\n`;
      const earlier = i - 1;
      if (earlier >= 1 && !cancelled(earlier) && earlier % 4 !== 3) {
        const status = ["done", "in-progress", "dropped"][earlier % 4];
        record += `action_updates:\n  - id: L-${earlier}\n    status: ${status}\n    note: Reported at the board in ${month}/${year}.\n`;
      }
    }
    write(
      `content/meetings/${slug}.md`,
      `---\ntitle: Partnership board\ndate: ${date}\ntime: "14:00"\nvenue: Civic Centre\n` +
        `priorities: [safer-streets]\ntags: [community]\n${cancelled(i) ? "status: cancelled\n" : ""}${record}---\n` +
        `The board reviewed progress on safer streets, meeting ${i}.\n`,
    );
    const { day } = when(i);
    write(
      `content/updates/progress-${year}-${month}.md`,
      `---\ntitle: Progress report ${i}\ndate: ${year}-${month}-${day}\npriorities: [safer-streets]\ntags: [community]\n---\n` +
        `Street lighting was improved in ward ${i}.\n`,
    );
  }
  // What editors paste from reports: a table wider than a phone, a long line of code, a long
  // address, an image, footnotes, a task list and a quotation.
  const columns = ["Ward", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "Change since 2019"];
  write(
    "content/pages/figures.md",
    "---\ntitle: Figures behind the report\n---\n## Incidents by ward\n\n" +
      `| ${columns.join(" | ")} |\n|${columns.map(() => "---").join("|")}|\n` +
      ["Northgate", "Riverside", "Old Town"].map((ward, n) => `| ${ward} | ${columns.slice(1).map((_, i) => 100 + n * 7 + i * 3).join(" | ")} |\n`).join("") +
      "\n## How the figures were made\n\n```\nSELECT ward, year, count(*) AS incidents FROM incidents_recorded_by_neighbourhood_policing_teams GROUP BY ward, year ORDER BY ward, year;\n```\n\n" +
      "The full data set is at <https://data.longshire.example.org/community-safety/incidents/by-ward/2019-2025/incidents-by-ward-and-year.csv>.[^source]\n\n" +
      "![Map of the three wards, Northgate in the north](ward-map.svg)\n\n" +
      "> Figures for 2025 are provisional until the annual review.\n\n" +
      "- [x] Publish the figures\n- [ ] Add 2026 when the year ends\n\n" +
      "[^source]: Recorded by Longshire Police and published every quarter.\n",
  );
  write(
    "content/pages/ward-map.svg",
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" viewBox="0 0 600 300"><rect width="600" height="300" fill="#d2e2f1"/></svg>\n',
  );
  return buildSite(root, "long");
}
