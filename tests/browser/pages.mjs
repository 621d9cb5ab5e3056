// The sample site in a real browser: every page type at phone and laptop widths, light and dark,
// as of during the fire and after it. Checks what a worried reader would trip on (issue 10) and
// what axe-core finds; never edits the site. Run by .ci/run; see tests/browser/README.md.
//
// node tests/browser/pages.mjs CANDOR_BINARY WORK_DIR
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, extname, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { checks, faults } from "./faults.mjs";

const [candor, work] = process.argv.slice(2).map((p) => resolve(p));
const require = createRequire(join(work, "node_modules", "x.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const repo = resolve(new URL("../..", import.meta.url).pathname);
const shots = join(repo, "target", "browser-shots");

const INSTANTS = { during: "2022-10-16T12:00:00+09:00", after: "2022-10-25T00:00:00+09:00" };
const PAGES = {
  front: "index.html",
  incident: "incidents/2022-10-15-pangyo-data-center-fire/index.html",
  service: "services/kakaotalk/index.html",
  history: "history/index.html",
  "404": "no/such/page.html",
  // The sample's other languages (issue 16): the page with the most text, and the front page.
  "ko-incident": "ko/incidents/2022-10-15-pangyo-data-center-fire/index.html",
  "id-front": "id/index.html",
};
// ONLY=regex runs the visits and scenarios whose names match, while working on one fault.
const ONLY = new RegExp(process.env.ONLY || "");
const WIDTHS = [320, 375, 1280];
const SCHEMES = ["light", "dark"];
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };

let passed = 0;
const failures = [];
function record(name, problems) {
  if (problems.length === 0) {
    passed++;
  } else {
    failures.push(`${name}\n    ${problems.join("\n    ")}`);
  }
}

function buildSites() {
  const sites = {};
  for (const [name, now] of Object.entries(INSTANTS)) {
    const out = join(work, `site-${name}`);
    rmSync(out, { recursive: true, force: true });
    execFileSync(candor, ["build", "--root", repo, "--output", out, "--now", now], { stdio: "pipe" });
    sites[name] = out;
  }
  return sites;
}

// A static host: files of the folder, 404.html for anything missing, as hosts do.
function serve(root) {
  return new Promise((done) => {
    const server = createServer((req, res) => {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path.endsWith("/")) path += "index.html";
      const file = join(root, path);
      if (file.startsWith(root) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
        res.end(readFileSync(file));
      } else {
        res.writeHead(404, { "content-type": TYPES[".html"] });
        res.end(readFileSync(join(root, "404.html")));
      }
    });
    server.listen(0, "127.0.0.1", () => done(server));
  });
}

async function visit(browser, origin, site, page, width, scheme) {
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    colorScheme: scheme,
    timezoneId: "Asia/Seoul",
  });
  const tab = await context.newPage();
  const problems = [];
  tab.on("console", (m) => {
    // The host answers a missing page with 404: that is the page under test, not a fault.
    if (m.type() === "error" && !(page === "404" && /404/.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  tab.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  tab.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`request outside the site: ${r.url()}`);
  });
  await tab.goto(`${origin}/${PAGES[page]}`, { waitUntil: "load" });
  const scroll = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (scroll > 0) problems.push(`scrolls sideways by ${scroll} px`);
  await tab.evaluate(axeSource);
  const axe = await tab.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  for (const v of axe.violations) {
    problems.push(`axe ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
  }
  mkdirSync(shots, { recursive: true });
  await tab.screenshot({ path: join(shots, `${site}-${page}-${width}-${scheme}.png`), fullPage: true });
  for (const check of checks(site, page, width)) {
    problems.push(...(await check(tab, { site, page, width, scheme, origin })));
  }
  await context.close();
  return problems;
}

function budget(root) {
  const html = readFileSync(join(root, "index.html"));
  const assets = [...html.toString().matchAll(/(?:href|src)="(static\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
  const parts = [html, ...assets.map((a) => readFileSync(join(root, a)))];
  return parts.reduce((sum, p) => sum + gzipSync(p, { level: 9 }).length, 0);
}

async function main() {
  const started = Date.now();
  const sites = buildSites();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
  try {
    for (const [site, root] of Object.entries(sites)) {
      const server = await serve(root);
      const origin = `http://127.0.0.1:${server.address().port}`;
      const visits = [];
      for (const page of Object.keys(PAGES)) {
        for (const width of WIDTHS) {
          for (const scheme of SCHEMES) {
            if (ONLY.test(`${site} ${page} ${width}px ${scheme}`)) visits.push([page, width, scheme]);
          }
        }
      }
      // Three tabs at a time: the machine has two cores, and a tab waits on the server half the time.
      const results = new Array(visits.length);
      let next = 0;
      const worker = async () => {
        while (next < visits.length) {
          const k = next++;
          results[k] = await visit(browser, origin, site, ...visits[k]);
        }
      };
      await Promise.all([worker(), worker(), worker()]);
      visits.forEach(([page, width, scheme], k) => record(`${site} ${page} ${width}px ${scheme}`, results[k]));
      for (const [name, fault] of Object.entries(faults)) {
        if (!ONLY.test(`${site} ${name}`)) continue;
        record(`${site} ${name}`, await fault(browser, { site, root, origin, shots }));
      }
      const bytes = budget(root);
      console.log(`budget: ${site} front page HTML+CSS+JS ${(bytes / 1024).toFixed(1)} KB gzip (limit 30 KB)`);
      record(`${site} front page budget`, bytes <= 30 * 1024 ? [] : [`${bytes} bytes gzip`]);
      server.close();
    }
  } finally {
    await browser.close();
  }
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`browser: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
