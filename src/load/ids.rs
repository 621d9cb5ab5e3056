//! The API ids written in input files: each one a Statuspage id (`page_id`, an incident's,
//! an update's or a component's `id`), and no incident id claimed by two files.
//!
//! Never reads the disk: it checks what `load` and the live session already hold.

use super::report::{self, Report};
use crate::error::{Code, Diagnostic};
use crate::model::Written;

/// Whether `id` (status.yaml's `page_id`, an incident's `id`) is an id as Statuspage writes
/// them; else an error at `path` saying what to write.
pub(super) fn api_id(report: &mut Report, path: &str, id: &str) -> bool {
    let ok = crate::model::ids::is_id(id);
    if !ok {
        report.error(
            Code::InvalidId,
            path,
            format!("`{id}` is not a Statuspage id"),
            Some(
                "write 12 lowercase letters and digits, like `kctbh9vrtdwd`, or leave it out"
                    .into(),
            ),
        );
    }
    ok
}

/// An error for each incident whose `id:` an earlier file (in name order) already has: two
/// incidents under one API id would be one incident to every client. `load` and the live
/// session both ask it, since the rule spans files.
pub fn duplicate_ids<'a>(
    incidents: impl IntoIterator<Item = &'a crate::model::Incident>,
) -> Vec<Diagnostic> {
    let mut written: Vec<(&str, &str, Option<&Written>)> = (incidents.into_iter())
        .filter_map(|i| Some((i.slug.as_str(), i.id.as_deref()?, i.id_written.as_ref())))
        .collect();
    written.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut seen = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for (slug, id, place) in written {
        let Some((first, first_place)) = seen.get(id) else {
            seen.insert(id, (slug, place));
            continue;
        };
        let line = (first_place.as_ref())
            .map_or_else(String::new, |p: &&Written| format!(" (line {})", p.line));
        let mut d = Diagnostic::error(
            Code::DuplicateIncidentId,
            &format!("incidents/{slug}.yaml"),
            format!("`id: {id}` is already the id of incidents/{first}.yaml{line}"),
        )
        .with_help("each incident needs an id of its own: remove `id:` from one of them");
        match place {
            Some(p) => report::place(&mut d, Some(&p.text), p.line, p.column),
            None => report::place(&mut d, None, 1, 1),
        }
        out.push(d);
    }
    out
}
