// The nine faults of issue 10, as checks a browser can make. `checks` run on every visit of a
// page type (each returns a list of problems, empty when fine); `faults` are scenarios of their own
// (another zone, print, a file:// page, widths between phone and laptop).
import { join } from "node:path";
import { writeFileSync } from "node:fs";

const FIRE = "incidents/2022-10-15-pangyo-data-center-fire/index.html";

// Is `el` drawn, inside the viewport horizontally, and not cut by an ancestor that clips?
const VISIBLE = `(el) => {
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return "not drawn";
  if (r.left < -0.5 || r.right > window.innerWidth + 0.5) return "off screen";
  for (let a = el.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflow === "visible" && s.overflowX === "visible") continue;
    const b = a.getBoundingClientRect();
    if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return "cut by " + a.className;
  }
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== "visible") return "text cut";
  return "";
}`;

// 1. The chart's main fact, its restored times and its day ticks, whole where it is shown.
export async function chartLabels(tab) {
  return tab.evaluate(`(() => {
    const visible = ${VISIBLE};
    const out = [];
    const labels = [...document.querySelectorAll(".chart .row-restored, .chart .tick-label, .chart-ends > span")];
    for (const el of labels) {
      const why = visible(el);
      if (why) out.push("chart label " + JSON.stringify(el.textContent.trim()) + ": " + why);
    }
    // No label drawn over another (the axis's days, the chart's two ends).
    for (const group of [".chart .tick-label", ".chart-ends > span"]) {
      const boxes = [...document.querySelectorAll(group)].map((e) => [e, e.getBoundingClientRect()]);
      for (let k = 1; k < boxes.length; k++) {
        const [a, ra] = boxes[k - 1], [b, rb] = boxes[k];
        const range = document.createRange();
        range.selectNodeContents(a);
        const text = range.getBoundingClientRect();
        if (text.right > rb.left + 0.5 && text.bottom > rb.top + 0.5 && text.top < rb.bottom - 0.5) out.push("chart labels overlap: " + a.textContent + " / " + b.textContent);
      }
    }
    if (!document.querySelector(".chart .row-restored")) out.push("no restored/not restored text in the chart");
    return out;
  })()`);
}

// Every segment's words (its impact, from, to, how long) a tap away on the page, at any width.
async function chartWords(tab) {
  const segments = await tab.evaluate(() => [...document.querySelectorAll(".chart .seg")].map((s) => s.textContent.trim()));
  if (!segments.length) return [];
  const summary = tab.locator(".chart-words > summary");
  if (!(await summary.count())) return ["the chart's segments are in no words on the page"];
  const box = await summary.boundingBox();
  const out = [];
  if (box.height < 24) out.push(`the chart's words open from a ${box.height.toFixed(0)} px tall target`);
  const before = tab.url();
  await summary.click();
  if (tab.url() !== before) out.push("a tap on the chart's words left the page");
  const shown = await tab.locator(".chart-words").innerText();
  const missing = segments.filter((s) => !shown.includes(s));
  if (missing.length) out.push(`${missing.length} segments not in words, e.g. ${missing[0]}`);
  await summary.focus();
  await tab.keyboard.press("Enter");
  if (await tab.evaluate(() => document.querySelector(".chart-words").open)) out.push("Enter does not close the chart's words");
  return out;
}

// WCAG 2.2 target size (2.5.8): every link, button and summary at least 24 × 24 px, or far
// enough from the others (a 24 px circle on its centre touches no other target nor circle), or
// inline in a sentence of text.
async function targetSize(tab) {
  return tab.evaluate(() => {
    const targets = [...document.querySelectorAll("a[href], button, summary, input, select, label[for]")]
      .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      // A radio drawn 1 px wide is hidden; its label is the target.
      .filter(({ r }) => r.width > 1 && r.height > 1 && !(r.right < 0 || r.left > innerWidth))
      .filter(({ e }) => !e.matches(".skip:not(:focus)"));
    // Inline: a link in running text, whose line height the text sets.
    const inline = (e) => {
      if (e.tagName !== "A") return false;
      const block = e.closest("p, li, dd, td, blockquote, figcaption");
      if (!block || block.closest("nav")) return false;
      const words = [...block.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join("").replace(/[\s,·|/()–:;.]+/g, "");
      return words.length > 0 || !!e.closest(".prose");
    };
    const small = targets.filter(({ e, r }) => (r.width < 23.5 || r.height < 23.5) && !inline(e));
    const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
    const out = [];
    for (const t of small) {
      const [x, y] = centre(t.r);
      const hit = targets.find((o) => {
        if (o === t || o.e.contains(t.e) || t.e.contains(o.e)) return false;
        const dx = Math.max(o.r.left - x, 0, x - o.r.right), dy = Math.max(o.r.top - y, 0, y - o.r.bottom);
        if (Math.hypot(dx, dy) < 12) return true;
        if (small.includes(o)) { const [ox, oy] = centre(o.r); return Math.hypot(ox - x, oy - y) < 24; }
        return false;
      });
      if (hit) out.push(`${t.e.tagName.toLowerCase()} "${t.e.textContent.trim().slice(0, 30)}" is ${t.r.width.toFixed(0)}×${t.r.height.toFixed(0)} px, close to "${hit.e.textContent.trim().slice(0, 30)}"`);
    }
    return out.slice(0, 6);
  });
}

// 2. What is still broken, and the latest word, above the services and the year of bars.
async function stillBrokenFirst(tab, { site, page }) {
  if (site !== "during") return [];
  return tab.evaluate(`(() => {
    const out = [];
    const now = document.querySelector(".now");
    if (!now) return ["no 'what is still broken' block"];
    const top = now.getBoundingClientRect().top;
    const later = document.querySelector("#services-h, .calendar, #timeline, #restoration, #summary");
    if (later && later.getBoundingClientRect().top < top) out.push("the still-broken block is below " + (later.id || later.className));
    if (!/still failing|still being restored|still down/.test(now.textContent)) out.push("the still-broken block does not say which part is broken");
    if (!now.querySelector(".now-latest, .latest")) out.push("the latest word is not in the still-broken block");
    const scope = now.closest(".item, .incident-head") || now;
    if (!/expected to end|no time has been given/i.test(scope.textContent)) out.push("the top does not say when it is expected to end, nor that no time was given");
    return out;
  })()`);
}

// 4. Latest first, no update twice.
async function latestFirst(tab) {
  return tab.evaluate(`(() => {
    const out = [];
    // Every block of words from the incident file: updates, notes, statements, apologies.
    const texts = [...document.querySelectorAll("main .prose, main .tl-text, main .now-note, main blockquote")]
      .map((e) => e.textContent.trim()).filter((t) => t.length > 40);
    const body = document.body.textContent;
    for (const t of new Set(texts)) {
      const n = body.split(t).length - 1;
      if (n > 1) out.push("a text is printed " + n + " times: " + t.slice(0, 50));
    }
    const times = [...document.querySelectorAll("#timeline .tl time[datetime]")].map((e) => e.getAttribute("datetime")).filter((t) => t.includes("T"));
    for (let k = 1; k < times.length; k++) {
      if (new Date(times[k]) > new Date(times[k - 1])) { out.push("the timeline is not newest first at " + times[k]); break; }
    }
    return out;
  })()`);
}

// The timeline's days: the newest open on a phone, the rest a tap away; all open on a wide screen.
async function timelineDays(tab, { width }) {
  const open = await tab.evaluate(() => [...document.querySelectorAll("#timeline details.tl-day")].map((d) => d.open));
  if (open.length < 2) return ["the timeline is not grouped by day"];
  if (!open[0]) return ["the newest day of the timeline is folded"];
  if (width >= 1280 && open.includes(false)) return ["a day of the timeline is folded on a wide screen"];
  if (width <= 375 && !open.includes(false)) return ["no day of the timeline is folded on a phone"];
  if (width <= 375) {
    const summary = await tab.$("#timeline details.tl-day:not([open]) > summary");
    await summary.click();
    if (!(await summary.evaluate((s) => s.parentElement.open))) return ["a tap does not open a day of the timeline"];
  }
  return [];
}

// 5. A day's label says how long each impact lasted that day.
async function trueDuration(tab, { site }) {
  const text = await tab.evaluate(() => document.body.textContent);
  const want = "16 Oct 2022: major outage for 1 hour 31 minutes";
  return site === "after" && !text.includes(want) ? [`no day label says "${want}"`] : [];
}

// 6. The bar's days are the percentage's days; a tap or a key shows a day's words on the page.
async function barPeriod(tab) {
  const out = await tab.evaluate(`(() => {
    const out = [];
    for (const u of [...document.querySelectorAll(".uptime")].slice(0, 3)) {
      const shown = [...u.querySelectorAll(".day")].filter((d) => d.getBoundingClientRect().width > 0).length;
      const words = u.querySelector(".bar-scale").innerText;
      const said = [...words.matchAll(/(\\d+) days/g)].map((m) => +m[1]);
      if (said.length === 0 || said.some((n) => n !== shown)) out.push("the bar shows " + shown + " days, its words say " + JSON.stringify(words));
      if (u.querySelector(".bar a")) out.push("a day of the bar is a link that leaves the page");
    }
    return out;
  })()`);
  const target = tab.locator(".uptime summary").first();
  if ((await target.count()) === 0) return [...out, "no bar opens on the page to show its days"];
  const box = await target.boundingBox();
  if (box.width < 24 || box.height < 24) out.push(`the bar's target is ${box.width}×${box.height} px`);
  const before = tab.url();
  await target.click();
  if (tab.url() !== before) out.push("a tap on the bar left the page");
  const days = tab.locator(".uptime .days-list").first();
  if (!(await days.isVisible())) out.push("a tap on the bar shows no day's words");
  await target.click();
  await target.focus();
  await tab.keyboard.press("Enter");
  if (!(await days.isVisible())) out.push("Enter on the bar shows no day's words");
  await tab.keyboard.press("Enter");
  return out;
}

// 7. A recent major incident near the top; the weighting said where the percentage is.
async function recentMajor(tab, { site }) {
  return tab.evaluate(`(() => {
    const out = [];
    const fire = [...document.querySelectorAll("main a")].find((a) => a.getAttribute("href").includes("pangyo-data-center-fire"));
    const services = document.getElementById("services-h");
    if (!fire || fire.getBoundingClientRect().top > services.getBoundingClientRect().top) out.push("the fire is named below the services");
    const section = services.closest("section");
    if (!/partial outage counts/i.test(section.textContent)) out.push("the services' uptime does not say how it is weighted");
    return out;
  })()`);
}

// The headline says what is down now, in Statuspage's words ("Major system outage" while at
// least half the services are out, one wholly; not when most are back).
async function headline(tab) {
  return tab.evaluate(() => {
    const levels = [...document.querySelectorAll(".service-head .status")].map((e) => (e.className.match(/lvl-(\w+)/) || [])[1]);
    const down = levels.filter((l) => l !== "operational");
    const all = (l) => levels.every((x) => x === l);
    const out = levels.filter((l) => l === "major_outage" || l === "partial_outage").length;
    const want = down.includes("major_outage") ? (out * 2 >= levels.length ? "Major system outage" : "Partial system outage")
      : down.includes("partial_outage") ? (all("partial_outage") ? "Partial system outage" : "Minor service outage")
      : down.includes("degraded_performance") ? (all("degraded_performance") ? "Degraded system service" : "Partially degraded service")
      : down.length ? "Service under maintenance" : null;
    const said = document.querySelector(".banner-text").textContent.trim();
    return want && said !== want ? [`the headline says "${said}" with ${down.length} of ${levels.length} services down: want "${want}"`] : [];
  });
}

// 9. The decorative 404 is readable.
async function notFoundContrast(tab) {
  return tab.evaluate(`(() => {
    const el = document.querySelector(".not-found-code");
    if (!el) return ["no 404 mark"];
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    let bg = "rgb(255,255,255)";
    for (let a = el; a; a = a.parentElement) { const c = getComputedStyle(a).backgroundColor; if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") { bg = c; break; } }
    const [l1, l2] = [lum(getComputedStyle(el).color), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    return ratio < 4.5 ? ["the 404 mark has contrast " + ratio.toFixed(2) + ":1"] : [];
  })()`);
}

export function checks(site, page, width) {
  const list = [];
  if (width === 375) list.push(targetSize);
  if (page === "incident" && width <= 375) list.push(chartLabels);
  if (page === "front" || page === "incident" || page === "service") list.push(stillBrokenFirst);
  if (page === "incident") list.push(latestFirst, timelineDays, chartWords);
  if (page === "service") list.push(trueDuration);
  if (page === "front") list.push(barPeriod, recentMajor, headline);
  if (page === "404") list.push(notFoundContrast);
  return list;
}

// 3. In another zone: the page says which zone its times are in, converts only when asked, and
// then every time and day heading agree, in one date format.
async function otherZone(browser, { origin }) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, timezoneId: "Europe/London" });
  const tab = await context.newPage();
  const out = [];
  await tab.goto(`${origin}/${FIRE}`, { waitUntil: "load" });
  const before = await tab.evaluate(() => ({
    says: document.getElementById("zone-switch")?.textContent || "",
    moved: [...document.querySelectorAll("time[data-local]")].length,
  }));
  if (!before.says.includes("Asia/Seoul")) out.push(`before the switch, the top does not say the times are in Asia/Seoul: ${JSON.stringify(before.says)}`);
  if (before.moved) out.push(`${before.moved} times converted before the reader asked`);
  await tab.locator("#zone-switch button").click();
  await tab.waitForLoadState("load");
  await tab.waitForSelector("#zone-switch");
  out.push(...(await tab.evaluate(() => {
    const out = [];
    const says = document.getElementById("zone-switch").textContent;
    if (!says.includes("Europe/London") || !says.includes("Asia/Seoul")) out.push(`after the switch, the top says ${JSON.stringify(says)}`);
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });
    for (const group of document.querySelectorAll(".tl-day")) {
      const heading = group.querySelector(".tl-date time[datetime]");
      if (!heading) { out.push("a day heading without its date"); continue; }
      for (const t of group.querySelectorAll(".tl time[datetime]")) {
        const at = t.getAttribute("datetime");
        if (at.includes("T") && day.format(new Date(at)) !== heading.getAttribute("datetime")) {
          out.push(`${at} (${t.textContent}) under the heading ${heading.textContent}`);
        }
      }
    }
    for (const t of document.querySelectorAll("time[datetime*='T']")) {
      if (!t.hasAttribute("data-local")) out.push(`a time left in the site's zone: ${t.textContent}`);
      if (!/^(\d{1,2} [A-Z][a-z]{2} \d{4}, )?\d{2}:\d{2}( [A-Z]{2,5}([+-]\d+)?)?$/.test(t.textContent)) out.push(`a time in another format: ${t.textContent}`);
      // A clock time alone must sit under a heading of its own day.
      if (/^\d{2}:\d{2}$/.test(t.textContent) && !t.closest(".tl-day")) out.push(`a clock time with no day: ${t.textContent}`);
    }
    return out.slice(0, 5);
  })));
  // The choice holds on the next page; the switch takes it back.
  await tab.goto(`${origin}/index.html`, { waitUntil: "load" });
  if (!(await tab.locator("time[data-local]").count())) out.push("the front page forgot the reader's choice");
  await tab.locator("#zone-switch button").click();
  await tab.waitForLoadState("load");
  await tab.waitForSelector("#zone-switch");
  if (await tab.locator("time[data-local]").count()) out.push("switching back left converted times");
  await context.close();
  return out;
}

// 1 in print, and the page count of the handout.
async function print(browser, { origin, shots, site }) {
  const context = await browser.newContext({ viewport: { width: 794, height: 1123 } });
  const tab = await context.newPage();
  await tab.goto(`${origin}/${FIRE}`, { waitUntil: "load" });
  await tab.emulateMedia({ media: "print" });
  const out = await chartLabels(tab);
  const pdf = await tab.pdf({ format: "A4", printBackground: true });
  writeFileSync(join(shots, `${site}-incident.pdf`), pdf);
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  console.log(`print: ${site} incident page on ${pages} A4 pages`);
  if (pages > 6) out.push(`the handout takes ${pages} A4 pages`);
  // Page furniture stays off the handout: the stale warning and the zone switch are for screens.
  const furniture = await tab.evaluate(() => [...document.querySelectorAll(".stale, .zone-switch button")].filter((e) => e.getBoundingClientRect().height > 0).length);
  if (furniture) out.push("the stale warning or the zone switch prints");
  // Every day of the timeline prints, folded on screen or not.
  const hidden = await tab.evaluate(() => [...document.querySelectorAll("#timeline .tl")].filter((e) => e.getBoundingClientRect().height === 0).length);
  if (hidden) out.push(`${hidden} timeline entries do not print`);
  await context.close();
  return out;
}

// 8. No word of a service name broken, nothing out of its card, between phone and laptop, also
// with a wide font.
async function wideFonts(browser, { origin }) {
  const out = [];
  for (const width of [800, 900, 1024, 1280]) {
    for (const wide of [false, true]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: wide });
      const tab = await context.newPage();
      for (const path of [FIRE, "index.html"]) {
        await tab.goto(`${origin}/${path}`, { waitUntil: "load" });
        if (wide) await tab.addStyleTag({ content: "body, body * { letter-spacing: 0.08em !important }" });
        const found = await tab.evaluate(() => {
          const out = [];
          for (const name of document.querySelectorAll(".row-name, .service-name")) {
            const text = name.firstChild;
            if (!text || text.nodeType !== 3) continue;
            let at = 0;
            for (const word of text.data.split(" ")) {
              const range = document.createRange();
              range.setStart(text, at);
              range.setEnd(text, at + word.length);
              const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
              if (lines.size > 1) out.push(`"${word}" broken mid-word`);
              at += word.length + 1;
            }
          }
          for (const card of document.querySelectorAll(".item, .chart-row, .service")) {
            const box = card.getBoundingClientRect();
            for (const el of card.querySelectorAll("*")) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.right > box.right + 0.5) { out.push(`${el.className || el.tagName} overflows its card by ${(r.right - box.right).toFixed(1)} px`); break; }
            }
          }
          if (document.documentElement.scrollWidth > innerWidth) out.push("scrolls sideways");
          return out;
        });
        out.push(...found.slice(0, 3).map((f) => `${width}px${wide ? " wide font" : ""} ${path}: ${f}`));
      }
      await context.close();
    }
  }
  return out;
}

// 9. 404.html opened from disk: styled, and nothing else requested.
async function notFoundFromDisk(browser, { root }) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const tab = await context.newPage();
  const out = [];
  const asked = [];
  tab.on("request", (r) => asked.push(r.url()));
  tab.on("console", (m) => m.type() === "error" && out.push(`console: ${m.text()}`));
  await tab.goto(`file://${join(root, "404.html")}`, { waitUntil: "load" });
  if (asked.length !== 1) out.push(`404.html asks for more than itself: ${asked.slice(1).join(", ")}`);
  const styled = await tab.evaluate(() => getComputedStyle(document.querySelector(".not-found-code")).fontSize);
  if (styled === "16px") out.push("404.html opened from disk has no styles");
  out.push(...(await notFoundContrast(tab)));
  // The way home: base_url, right at any depth, on any host and from disk.
  const hrefs = await tab.evaluate(() => [...document.querySelectorAll("a")].map((a) => a.href));
  if (hrefs.some((h) => h !== "https://status.example.com/")) out.push(`404.html from disk leads to ${hrefs.join(", ")}`);
  await context.close();
  return out;
}

// 404.html served at depth by a host: its links are the same, none relative to the missing path.
async function notFoundAtDepth(browser, { origin }) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const tab = await context.newPage();
  await tab.goto(`${origin}/a/b/c/missing.html`, { waitUntil: "load" });
  const home = await tab.evaluate(() => [...document.querySelectorAll("header a, main .button")].map((a) => a.href));
  await context.close();
  return home.every((h) => h === "https://status.example.com/") ? [] : [`404.html at depth leads to ${home.join(", ")}`];
}

// The script: "3 hours ago" beside the update time, and a warning while an open incident has
// been quiet for longer than stale_after_minutes (120 in the sample); none once it is over.
async function freshness(browser, { origin, site }) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, timezoneId: "Asia/Seoul" });
  const tab = await context.newPage();
  await tab.clock.setFixedTime(new Date(site === "during" ? "2022-10-16T11:05:00+09:00" : "2022-10-25T00:00:00+09:00"));
  await tab.goto(`${origin}/index.html`, { waitUntil: "load" });
  await tab.waitForTimeout(50);
  const out = [];
  const ago = await tab.locator(".banner-updated .ago").textContent().catch(() => "");
  const warned = await tab.locator("#stale-warning").isVisible();
  if (site === "during") {
    if (!/3 hours ago/.test(ago)) out.push(`the banner says ${JSON.stringify(ago)}, not 3 hours ago`);
    if (!warned) out.push("no warning that the page may be out of date, 3 hours after the last news");
  } else if (warned) {
    out.push("a stale warning with no incident open");
  }
  await context.close();
  return out;
}

export const faults = {
  "script: updated ago and stale warning": freshness,
  "other zone (fault 3)": otherZone,
  "print (fault 1)": print,
  "800-1280 px and wide fonts (fault 8)": wideFonts,
  "404 from disk (fault 9)": notFoundFromDisk,
  "404 at depth": notFoundAtDepth,
};
