// candor: optional enhancements; every page is complete without them (issue 10).
// - Times in the reader's own zone, on the reader's request (a switch at the top that says which
//   zone every time is in): every <time datetime> with a clock time, and the timeline's day
//   headings, regrouped by the reader's days, in the site's date format. What cannot move (the day
//   bars, the chart's days, times written in texts) stays in the site's zone, and the switch says so
//   (docs/decisions.md: "The reader's time zone is a switch").
// - "3 minutes ago" beside the page's "Updated" time; a warning when an open incident's latest
//   news is older than data-stale minutes.
// - The front page fetches itself each minute while visible, and swaps in what changed.
// Never reads anything but its own page and its own site.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || typeof Intl === "undefined" || !Intl.DateTimeFormat || !document.querySelector) return;
  var data = function (name) { return script.getAttribute("data-" + name) || ""; };
  var siteZone = data("site-zone");
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = ""; }

  function fmt(options, lang) {
    return new Intl.DateTimeFormat(lang || "en", Object.assign({ timeZone: zone }, options));
  }

  // Fills a theme pattern's {placeholders}; an unknown one stays as written, as the build does.
  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  // "16 Oct 2022", "12:00", "GMT+1", "2022-10-16": the site's own formats (date_format,
  // time_format, datetime_format: Korean 오후 3:30, Indonesian 15.30), in the reader's zone; the
  // zone's name as the page's language shows it.
  function formatters() {
    var day = fmt({ day: "numeric", month: "short", year: "numeric" });
    var clock = fmt({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var name = fmt({ timeZoneName: "short" }, document.documentElement.lang);
    var key = fmt({ year: "numeric", month: "2-digit", day: "2-digit" });
    function part(f, d, type) {
      var p = f.formatToParts(d);
      for (var i = 0; i < p.length; i++) if (p[i].type === type) return p[i].value;
      return "";
    }
    var months = data("months").split(","), long = data("months-long").split(",");
    var pattern = data("date-format") || "{day} {month_short} {year}";
    var timePattern = data("time-format") || "{hour}:{minute}";
    var both = data("datetime-format") || "{date}, {time} {zone}";
    var amPm = (data("am-pm") || "AM,PM").split(",");
    return {
      // The site's own date format (date_format), so converted dates read like the others.
      date: function (d) {
        var m = parseInt(part(key, d, "month"), 10);
        var values = { day: part(day, d, "day"), month: String(m), month_short: months[m - 1] || "",
          month_long: long[m - 1] || "", year: part(day, d, "year") };
        return fill(pattern, values);
      },
      clock: function (d) {
        var hour = parseInt(part(clock, d, "hour"), 10) % 24;
        return fill(timePattern, { hour: part(clock, d, "hour"), minute: part(clock, d, "minute"),
          hour12: String((hour + 11) % 12 + 1), am_pm: amPm[hour >= 12 ? 1 : 0] || "" });
      },
      datetime: function (d) { return fill(both, { date: this.date(d), time: this.clock(d), zone: this.zone(d) }); },
      zone: function (d) { return part(name, d, "timeZoneName"); },
      key: function (d) { return part(key, d, "year") + "-" + part(key, d, "month") + "-" + part(key, d, "day"); },
    };
  }

  // Every change is worked out first and applied together: a failure leaves the site's zone
  // everywhere, never two zones on one page.
  function localTimes(root) {
    if (!wantLocal() || root.hasAttribute("data-local-done")) return;
    var f;
    try { f = formatters(); } catch (e) { return; }
    var changes = [];
    var times = root.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var iso = el.getAttribute("datetime");
      if (iso.indexOf("T") < 0) continue;
      var when = new Date(iso);
      if (isNaN(when.getTime())) return;
      var grouped = el.getAttribute("data-format") === "time";
      var same = grouped && f.key(when) === iso.slice(0, 10);
      var text = grouped && (same || el.closest(".tl-day")) ? f.clock(when)
        : f.datetime(when);
      changes.push([el, text]);
    }
    var regroup = timelineGroups(root, f);
    for (var k = 0; k < changes.length; k++) {
      changes[k][0].setAttribute("title", data("title").replace("{time}", changes[k][0].textContent));
      changes[k][0].setAttribute("data-local", "");
      changes[k][0].textContent = changes[k][1];
    }
    if (regroup) regroup();
    root.setAttribute("data-local-done", "");
    var note = document.getElementById("time-note");
    if (note && changes.length) note.textContent = data("note").replace("{zone}", zone);
  }

  // The reader's choice, kept across pages; storage may be refused (file://, private modes).
  function wantLocal() {
    if (!zone || zone === siteZone) return false;
    try { return window.localStorage.getItem("candor-local-times") === "1"; } catch (e) { return false; }
  }

  function canStore() {
    try { window.localStorage.getItem("candor-local-times"); return true; } catch (e) { return false; }
  }

  // At the top of the page: which zone every time is in, and a button to change it. Going back
  // to the site's zone reloads the page as built, so nothing converted is left behind.
  function zoneSwitch() {
    var main = document.getElementById("main");
    if (!zone || zone === siteZone || !main || document.getElementById("zone-switch")) return;
    var local = wantLocal();
    var box = document.createElement("p");
    box.id = "zone-switch";
    box.className = "zone-switch";
    var words = document.createElement("span");
    words.textContent = local
      ? data("zone-local").replace("{zone}", zone).replace("{site}", siteZone)
      : data("zone-site").replace("{zone}", siteZone);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = data(local ? "zone-back" : "zone-to").replace("{zone}", local ? siteZone : zone);
    button.addEventListener("click", function () {
      try {
        if (local) window.localStorage.removeItem("candor-local-times");
        else window.localStorage.setItem("candor-local-times", "1");
      } catch (e) { return; }
      location.reload();
    });
    box.appendChild(words);
    // Without storage (some file:// pages) the choice could not be kept: the line only says.
    if (canStore()) {
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    }
    main.insertBefore(box, main.firstChild);
  }

  // The timeline's entries under headings of the reader's days (newest first, as written).
  function timelineGroups(root, f) {
    var days = root.querySelectorAll("#timeline .tl-day");
    if (!days.length) return null;
    var entries = [];
    for (var i = 0; i < days.length; i++) {
      var items = days[i].querySelectorAll(".tl");
      for (var j = 0; j < items.length; j++) {
        var t = items[j].querySelector("time[datetime]");
        var iso = t ? t.getAttribute("datetime") : "";
        var at = iso.indexOf("T") < 0 ? new Date(iso.slice(0, 10) + "T12:00:00Z") : new Date(iso);
        var key = iso.indexOf("T") < 0 ? iso.slice(0, 10) : f.key(at);
        entries.push([items[j], key, iso.indexOf("T") < 0 ? iso.slice(0, 10) : f.date(at)]);
      }
    }
    var anchor = days[0];
    return function () {
      var parent = anchor.parentNode, before = anchor, group = null, last = null;
      for (var k = 0; k < entries.length; k++) {
        if (entries[k][1] !== last) {
          last = entries[k][1];
          var box = document.createElement("div");
          box.className = "tl-day";
          var h = document.createElement("h3");
          h.className = "tl-date";
          var time = document.createElement("time");
          time.setAttribute("datetime", last);
          time.textContent = /^\d{4}-/.test(entries[k][2]) ? headingOf(last, f) : entries[k][2];
          h.appendChild(time);
          group = document.createElement("ol");
          group.className = "timeline";
          box.appendChild(h);
          box.appendChild(group);
          parent.insertBefore(box, before);
        }
        group.appendChild(entries[k][0]);
      }
      for (var d = 0; d < days.length; d++) days[d].parentNode.removeChild(days[d]);
    };
  }

  function headingOf(key, f) {
    return f.date(new Date(key + "T12:00:00Z"));
  }

  // "Updated …, 3 minutes ago", and the warning when an open incident has been quiet too long.
  function freshness() {
    var stamp = document.querySelector(".banner-updated time, .site-footer .updated time");
    if (!stamp) return;
    var at = new Date(stamp.getAttribute("datetime"));
    var minutes = Math.floor((Date.now() - at.getTime()) / 60000);
    if (isNaN(minutes) || minutes < 0) return;
    var all = document.querySelectorAll(".banner-updated, .site-footer .updated");
    for (var i = 0; i < all.length; i++) {
      var ago = all[i].querySelector(".ago");
      if (!ago) {
        ago = document.createElement("span");
        ago.className = "ago";
        all[i].appendChild(ago);
      }
      ago.textContent = " (" + agoText(minutes) + ")";
    }
    var limit = parseInt(data("stale"), 10);
    var open = document.querySelector(".now, .banner:not(.banner-none)");
    var warn = document.getElementById("stale-warning");
    if (open && limit > 0 && minutes >= limit) {
      if (!warn) {
        warn = document.createElement("p");
        warn.id = "stale-warning";
        warn.className = "stale";
        warn.setAttribute("role", "status");
        var main = document.getElementById("main");
        if (main) main.insertBefore(warn, main.firstChild);
      }
      warn.textContent = data("stale-text").replace("{ago}", agoText(minutes));
    } else if (warn) {
      warn.parentNode.removeChild(warn);
    }
  }

  function agoText(minutes) {
    var n = minutes, key = "minutes";
    if (minutes >= 2880) { n = Math.floor(minutes / 1440); key = "days"; }
    else if (minutes >= 120) { n = Math.floor(minutes / 60); key = "hours"; }
    var forms = data("ago-" + key).split("|");
    return (n === 1 ? forms[0] : forms[1] || forms[0]).replace("{count}", n);
  }

  // The front page keeps itself current while someone looks at it.
  function refresh() {
    if (!document.body.classList.contains("page-index") || !window.fetch || !window.DOMParser) return;
    setInterval(function () {
      if (document.visibilityState !== "visible") return;
      fetch(location.href, { cache: "no-cache" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("main");
        var main = document.getElementById("main");
        if (!next || !main || next.innerHTML === main.getAttribute("data-source")) return;
        var open = main.querySelectorAll("details[open]").length;
        if (open) return; // never close what the reader opened
        main.setAttribute("data-source", next.innerHTML);
        main.innerHTML = next.innerHTML;
        main.removeAttribute("data-local-done");
        localTimes(main);
        zoneSwitch();
        freshness();
      }).catch(function () {});
    }, 60000);
  }

  // A wide screen has room for the whole timeline: every day open, as a journalist reads it.
  function openDays() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 60em)").matches) return;
    var days = document.querySelectorAll("details.tl-day");
    for (var i = 0; i < days.length; i++) days[i].open = true;
  }

  function run() {
    openDays();
    var main = document.getElementById("main");
    if (main) main.setAttribute("data-source", main.innerHTML);
    localTimes(document.body);
    zoneSwitch();
    freshness();
    setInterval(freshness, 60000);
    refresh();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
