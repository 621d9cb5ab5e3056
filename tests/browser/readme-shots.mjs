// The README's screenshots (docs/screenshot-*.png), at 1280 and 375 px, during and after the fire,
// from the sites pages.mjs built. Run by hand after a change to the pages:
// node tests/browser/readme-shots.mjs target/browser
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname, resolve } from "node:path";
import { createRequire } from "node:module";

const work = resolve(process.argv[2] || "target/browser");
const require = createRequire(join(work, "node_modules", "x.js"));
const { chromium } = require("playwright-core");
const docs = resolve(new URL("../../docs", import.meta.url).pathname);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };
const FIRE = "incidents/2022-10-15-pangyo-data-center-fire/index.html";
// name, site, page, width, height of the picture
const SHOTS = [
  ["index", "after", "index.html", 1280, 1500],
  ["incident", "after", FIRE, 1280, 1900],
  ["during-index", "during", "index.html", 1280, 1500],
  ["during-incident", "during", FIRE, 1280, 1700],
  ["phone-index", "after", "index.html", 375, 1400],
  ["phone-incident", "after", FIRE, 375, 1600],
  ["phone-during-index", "during", "index.html", 375, 1500],
  ["phone-during-incident", "during", FIRE, 375, 1600],
  ["ko-during-incident", "during", `ko/${FIRE}`, 1280, 1700],
  ["phone-id-during-index", "during", "id/index.html", 375, 1500],
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
for (const [name, site, page, width, height] of SHOTS) {
  const root = join(work, `site-${site}`);
  const server = createServer((req, res) => {
    const file = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    const ok = existsSync(file) && statSync(file).isFile();
    res.writeHead(ok ? 200 : 404, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(ok ? readFileSync(file) : "");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const context = await browser.newContext({ viewport: { width, height }, timezoneId: "Asia/Seoul", colorScheme: "light" });
  const tab = await context.newPage();
  // The instant the site was built as of, so "updated … ago" reads as it did then.
  await tab.clock.setFixedTime(new Date(site === "during" ? "2022-10-16T12:00:00+09:00" : "2022-10-25T00:00:00+09:00"));
  await tab.goto(`http://127.0.0.1:${server.address().port}/${page}`, { waitUntil: "load" });
  await tab.screenshot({ path: join(docs, `screenshot-${name}.png`) });
  await context.close();
  server.close();
  console.log(`docs/screenshot-${name}.png`);
}
await browser.close();
