//! Apologies and statements in the API's update bodies: Statuspage has no place for words that
//! are not a status post, so each is told in the body of the update it fits — the first one
//! posted at or after it, or the last one for words said after every update — as a paragraph
//! "Statement by NAME (ROLE), 2022-10-19 14:00 KST: TEXT", in Statuspage's English like the
//! rest of the API (docs/decisions.md).

use crate::model::said::SaidKind;
use crate::model::time::day_last;
use crate::model::{Incident, Moment};
use crate::render::markdown;
use chrono_tz::Tz;

/// For each update of `i` (as written, oldest first), the paragraphs to append to its body.
pub(super) fn said_by_update(i: &Incident, tz: Tz) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); i.updates.len()];
    let mut said: Vec<_> = i.said().collect();
    said.sort_by_key(|s| day_last(s.at, tz));
    for s in said {
        let said_at = day_last(s.at, tz);
        let fits = (i.updates.iter())
            .position(|u| u.at >= said_at)
            .or(i.updates.len().checked_sub(1));
        let Some(k) = fits else { continue };
        let who = match s.role {
            Some(role) => format!("{} ({role})", s.by),
            None => s.by.to_owned(),
        };
        let kind = match s.kind {
            SaidKind::Apology => "Apology",
            SaidKind::Statement => "Statement",
        };
        out[k].push(format!(
            "{kind} by {who}, {}: {}",
            when(s.at, tz),
            markdown::plain(s.statement)
        ));
    }
    out
}

/// `2022-10-19 14:00 KST`, or `2022-10-19` for a bare date.
fn when(at: Moment, tz: Tz) -> String {
    let local = at.at.with_timezone(&tz);
    if at.date_only {
        local.format("%Y-%m-%d").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M %Z").to_string()
    }
}

/// `body` with `said` after it, a blank line between paragraphs.
pub(super) fn with_said(body: String, said: &[String]) -> String {
    said.iter().fold(body, |mut body, paragraph| {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(paragraph);
        body
    })
}
