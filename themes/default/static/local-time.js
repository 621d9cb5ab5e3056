// candor: show times in the reader's own time zone. Optional: every page is complete without it.
// Each <time datetime> keeps its site-time text in a tooltip; the note in the footer says which zone
// the page now shows. Date-only times (no "T") are left alone: a day has no zone.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || typeof Intl === "undefined" || !Intl.DateTimeFormat) return;
  var siteZone = script.getAttribute("data-site-zone") || "";
  var note = script.getAttribute("data-note") || "";
  var titleText = script.getAttribute("data-title") || "{time}";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || zone === siteZone) return;

  function run() {
    var lang = document.documentElement.lang || undefined;
    var full, clock, parts;
    try {
      full = new Intl.DateTimeFormat(lang, {
        year: "numeric", month: "short", day: "numeric",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
      });
      clock = new Intl.DateTimeFormat(lang, {
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
      });
      parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" });
    } catch (e) {
      return;
    }
    var changed = 0;
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var iso = el.getAttribute("datetime");
      if (iso.indexOf("T") < 0 || el.hasAttribute("data-local")) continue;
      var when = new Date(iso);
      if (isNaN(when.getTime())) continue;
      var text;
      // A time-only text sits under its site-zone date: show the local date too when it differs.
      if (el.getAttribute("data-format") === "time" && parts.format(when) === iso.slice(0, 10)) {
        text = clock.format(when);
      } else {
        text = full.format(when);
      }
      el.setAttribute("title", titleText.replace("{time}", el.textContent));
      el.setAttribute("data-local", "");
      el.textContent = text;
      changed++;
    }
    var target = document.getElementById("time-note");
    if (changed && target && note) target.textContent = note.replace("{zone}", zone);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
