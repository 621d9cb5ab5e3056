// The sample built with `languages: [ko, ...]` and `languages: [id, ...]`, its fire incident opened
// in Chromium from disk at 320 px in another zone (Europe/London), times switched to the reader's
// zone: the times the script converts read in the language's own form (Korean 오후 3:00,
// Indonesian 15.00), and the restoration chart's labels are whole. Then the sample as written
// (English first): from its Korean fire page the switcher leads to the same incident in English
// and Indonesian, and each page says its language. Never edits the repository: the sites are
// built under WORK_DIR.
//
// node tests/browser/languages.mjs CANDOR_BINARY WORK_DIR
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { chartLabels } from "./faults.mjs";

const [candor, work] = process.argv.slice(2).map((p) => resolve(p));
const require = createRequire(join(work, "node_modules", "x.js"));
const { chromium } = require("playwright-core");
const repo = resolve(new URL("../..", import.meta.url).pathname);
const FIRE = "incidents/2022-10-15-pangyo-data-center-fire/index.html";
// A converted time: "2022년 10월 15일 오전 7:30 GMT+1" or its clock alone; "15 Oktober 2022 07.30 GMT+1".
const FORMS = {
  ko: /^(\d{4}년 \d{1,2}월 \d{1,2}일 )?오[전후] \d{1,2}:\d{2}( \S+)?$/,
  id: /^(\d{1,2} [A-Z][a-z]+ \d{4} )?\d{2}\.\d{2}( \S+)?$/,
};

function build(lang) {
  const root = join(work, `lang-${lang}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(join(repo, "incidents"), join(root, "incidents"), { recursive: true });
  // The sample is told in en, ko and id: `lang` becomes its main language, the one its pages show.
  const sample = readFileSync(join(repo, "status.yaml"), "utf8");
  const others = ["en", "ko", "id"].filter((l) => l !== lang).join(", ");
  const status = sample.replace(/^languages: \[en, ko, id\]$/m, `languages: [${lang}, ${others}]`);
  if (status === sample) throw new Error("status.yaml has no `languages: [en, ko, id]` line");
  writeFileSync(join(root, "status.yaml"), status);
  execFileSync(candor, ["build", "--root", root, "--now", "2022-10-25T00:00:00+09:00"], { stdio: "pipe" });
  return join(root, "public");
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
const failures = [];
for (const [lang, form] of Object.entries(FORMS)) {
  const site = build(lang);
  const context = await browser.newContext({ viewport: { width: 320, height: 800 }, timezoneId: "Europe/London" });
  const tab = await context.newPage();
  await tab.goto("file://" + join(site, FIRE), { waitUntil: "load" });
  // Times stay in the site's zone until the reader asks for theirs (the switch at the top).
  await tab.locator("#zone-switch button").click();
  await tab.waitForSelector("time[data-local]", { timeout: 5000 }).catch(() => {});
  const times = await tab.evaluate(() => [...document.querySelectorAll("time[data-local]")].map((t) => t.textContent));
  const problems = await chartLabels(tab);
  if (times.length === 0) problems.push("the script converted no time");
  for (const t of times.filter((t) => !form.test(t)).slice(0, 5)) problems.push(`a time not in ${lang}'s form: ${t}`);
  await context.close();
  if (problems.length) failures.push(`${lang}: ${problems.join("\n    ")}`);
  console.log(`${lang}: ${times.length} converted times, ${problems.length} problems`);
}
// The sample as written: the switcher keeps the reader on the fire, in every language.
{
  const site = join(work, "lang-all");
  rmSync(site, { recursive: true, force: true });
  execFileSync(candor, ["build", "--root", repo, "--output", site, "--now", "2022-10-16T12:00:00+09:00"], { stdio: "pipe" });
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const tab = await context.newPage();
  const problems = [];
  await tab.goto("file://" + join(site, "ko", FIRE), { waitUntil: "load" });
  for (const [name, lang, path] of [["English", "en", FIRE], ["Bahasa Indonesia", "id", `id/${FIRE}`], ["한국어", "ko", `ko/${FIRE}`]]) {
    await tab.getByRole("navigation", { name: /언어|Language|Bahasa/ }).getByRole("link", { name }).click();
    await tab.waitForLoadState("load");
    const landed = decodeURIComponent(new URL(tab.url()).pathname);
    if (landed !== join(site, path)) problems.push(`${name} led to ${landed}, not ${join(site, path)}`);
    const said = await tab.evaluate(() => [document.documentElement.lang, document.querySelector("h1").textContent]);
    if (said[0] !== lang) problems.push(`${path}: <html lang="${said[0]}">`);
    const current = await tab.locator('.site-languages a[aria-current="page"]').textContent();
    if (current !== name) problems.push(`${path}: the switcher marks ${current} as this page's language`);
    console.log(`switcher: ${name}: ${said[1]}`);
  }
  await context.close();
  if (problems.length) failures.push(`switcher: ${problems.join("\n    ")}`);
}
await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
