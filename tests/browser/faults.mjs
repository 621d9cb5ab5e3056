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
    for (const el of document.querySelectorAll(".chart .row-restored, .chart .tick-label")) {
      const why = visible(el);
      if (why) out.push("chart label " + JSON.stringify(el.textContent.trim()) + ": " + why);
    }
    if (!document.querySelector(".chart .row-restored")) out.push("no restored/not restored text in the chart");
    return out;
  })()`);
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
    return out;
  })()`);
}

// 4. Latest first, no update twice.
async function latestFirst(tab) {
  return tab.evaluate(`(() => {
    const out = [];
    const texts = [...document.querySelectorAll(".tl-update .tl-text, .latest .prose, .update .prose")]
      .map((e) => e.textContent.trim()).filter(Boolean);
    const body = document.body.textContent;
    for (const t of new Set(texts)) {
      const n = body.split(t).length - 1;
      if (n > 1) out.push("an update is printed " + n + " times: " + t.slice(0, 50));
    }
    const times = [...document.querySelectorAll("#timeline .tl time[datetime]")].map((e) => e.getAttribute("datetime")).filter((t) => t.includes("T"));
    for (let k = 1; k < times.length; k++) {
      if (new Date(times[k]) > new Date(times[k - 1])) { out.push("the timeline is not newest first at " + times[k]); break; }
    }
    return out;
  })()`);
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
  if (page === "incident" && width <= 375) list.push(chartLabels);
  if (page === "front" || page === "incident" || page === "service") list.push(stillBrokenFirst);
  if (page === "incident") list.push(latestFirst);
  if (page === "service") list.push(trueDuration);
  if (page === "front") list.push(barPeriod, recentMajor);
  if (page === "404") list.push(notFoundContrast);
  return list;
}

// 3. In another zone, every time and day heading agree, in one date format.
async function otherZone(browser, { origin }) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, timezoneId: "Europe/London" });
  const tab = await context.newPage();
  await tab.goto(`${origin}/${FIRE}`, { waitUntil: "load" });
  await tab.waitForTimeout(50);
  const out = await tab.evaluate(() => {
    const out = [];
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
      if (!/^(\d{1,2} [A-Z][a-z]{2} \d{4}, )?\d{2}:\d{2}( [A-Z]{2,5}([+-]\d+)?)?$/.test(t.textContent)) out.push(`a time in another format: ${t.textContent}`);
    }
    return out.slice(0, 5);
  });
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
  if (pages > 8) out.push(`the handout takes ${pages} A4 pages`);
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
  await context.close();
  return out;
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
};
