//! `embed.js`: one `<script>` line another site pastes to show the status — a coloured dot,
//! the overall status in words and the current incident's title, linking to its page.
//!
//! The state is written into the script at each build, so it works from any origin on a
//! static host that sends no CORS headers, and makes no request and sets no cookie. The page
//! that embeds it may forbid inline styles: the script styles through the CSSOM, which a
//! `style-src` policy allows. Everything from the site reaches the page as text
//! (`textContent`, `href`), never as markup. Never touches the disk, never derives a status:
//! it shows `State`'s indicator and lists.

use super::OutputFile;
use super::badges::colour_of;
use super::url;
use crate::model::Status;
use crate::model::headline;
use crate::model::state::State;
use crate::theme::i18n::Strings;
use serde::Serialize;

/// What the script shows, as JSON inside it.
#[derive(Serialize)]
struct Embedded<'a> {
    /// Statuspage's indicator word: `none`, `minor`, `major`, `critical`, `maintenance`.
    indicator: &'static str,
    /// The indicator in the site's language ("Major system outage").
    description: &'a str,
    /// The dot's colour (the badges' colour for the indicator).
    colour: &'static str,
    /// The current incident (or the maintenance in progress) if any, else `None`.
    incident: Option<Current<'a>>,
    /// The site's front page, absolute.
    site: String,
    /// The site's language, for the `lang` of what the script inserts.
    lang: &'a str,
}

#[derive(Serialize)]
struct Current<'a> {
    name: &'a str,
    /// Its page, absolute.
    url: String,
}

/// `embed.js` for the state at `state.at`, in the words of `strings`.
pub fn embed_file(state: &State, strings: &Strings) -> OutputFile {
    let site = &state.site;
    let base = &site.config.base_url;
    let in_progress = state
        .open_windows
        .iter()
        .find(|&&k| site.incidents[k].status == Status::InProgress);
    let incident = state.unresolved.first().or(in_progress).map(|&k| Current {
        name: &site.incidents[k].title,
        url: url::absolute(base, &url::incident_page(&site.incidents[k].slug)),
    });
    // The words and colour of the front page's headline: what is down now.
    let (level, key) = headline::banner(&state.services, state.indicator);
    let embedded = Embedded {
        indicator: state.indicator.as_str(),
        description: strings.get(&key),
        colour: colour_of(level),
        incident,
        site: base.clone(),
        lang: &site.config.language,
    };
    let json = serde_json::to_string(&embedded).unwrap_or_else(|_| "null".to_owned());
    OutputFile::text("embed.js".to_owned(), script(&script_safe(&json), base))
}

/// JSON that cannot end a `<script>` element or a JavaScript line when the file is inlined or
/// read by an old engine: `<`, U+2028 and U+2029 escaped (serde_json leaves them as they are).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The script around the state: inserts a link right after its own `<script>` element.
fn script(state: &str, base: &str) -> String {
    let base = script_safe(&base.replace("*/", "*\\/"));
    format!(
        r#"/* candor status embed. Paste where the status should show:
 *   <script src="{base}embed.js" async></script>
 * No request, no cookie: the status is written into this file at each build. */
(function () {{
  "use strict";
  var s = {state};
  var here = document.currentScript;
  if (!s || !here || !here.parentNode) return;
  var link = document.createElement("a");
  link.className = "candor-embed";
  link.href = s.incident ? s.incident.url : s.site;
  link.lang = s.lang;
  link.setAttribute("data-indicator", s.indicator);
  link.style.cssText = "display:inline-flex;align-items:center;gap:.4em;color:inherit;font:inherit";
  var dot = document.createElement("span");
  dot.setAttribute("aria-hidden", "true");
  dot.style.cssText = "display:inline-block;width:.7em;height:.7em;border-radius:50%;flex:none";
  dot.style.backgroundColor = s.colour;
  var words = document.createElement("span");
  words.textContent = s.incident ? s.description + ": " + s.incident.name : s.description;
  link.appendChild(dot);
  link.appendChild(words);
  here.parentNode.insertBefore(link, here.nextSibling);
}})();
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::{NOW, english, sample_site, t, text};

    fn state_json(out: &str) -> serde_json::Value {
        let start = out.find("var s = ").expect("state") + "var s = ".len();
        let end = start + out[start..].find(";\n").expect("end of state");
        serde_json::from_str(&out[start..end]).expect("JSON")
    }

    #[test]
    fn the_script_carries_the_indicator_and_the_current_incident() {
        let state = State::at(&sample_site(), t(NOW));
        let files = [embed_file(&state, &english())];
        let out = text(&files, "embed.js");
        let s = state_json(out);
        assert_eq!(s["indicator"], state.indicator.as_str());
        assert_eq!(s["description"], "Minor service outage");
        let newest = &state.site.incidents[state.unresolved[0]];
        assert_eq!(s["incident"]["name"], newest.title.as_str());
        assert!(
            s["incident"]["url"].as_str().is_some_and(
                |u| u.starts_with("https://") && u.ends_with(&format!("/{}/", newest.slug))
            ),
            "{s}"
        );
        assert!(out.contains("textContent") && !out.contains("innerHTML"));
    }

    #[test]
    fn markup_in_a_title_stays_text_and_cannot_end_a_script() {
        let mut state = State::at(&sample_site(), t(NOW));
        let k = state.unresolved[0];
        let hostile = "</script><script>alert(1)</script>\u{2028}\"; x = 1; //";
        std::sync::Arc::make_mut(&mut state.site.incidents[k]).title = hostile.to_owned();
        let out = text(&[embed_file(&state, &english())], "embed.js").to_owned();
        let state_text = out.split("var s = ").nth(1).expect("state");
        let state_text = &state_text[..state_text.find(";\n").expect("end")];
        assert!(!state_text.contains('<'), "{state_text}");
        assert!(!out.contains('\u{2028}'));
        assert_eq!(
            state_json(&out)["incident"]["name"],
            hostile,
            "read back as written"
        );
    }
}
