//! A host over SSH, by running `rsync`: the user's `~/.ssh/config`, keys and agent apply as
//! they do for `ssh` (or `RSYNC_RSH`, when set, is the remote shell). `--checksum` compares
//! bytes, so only changed files move.
//!
//! Three runs: a dry run that plans and refuses a folder that is not ours, assets, then
//! pages, then everything with removals last (`--delete-after`). Never passes a credential;
//! never runs a shell (arguments go to rsync as they are).

use super::{LocalFile, Moved, TargetError, plan};
use crate::error::IoError;
use crate::output::MARKER as OUTPUT_MARKER;
use std::path::Path;
use std::process::Command;

pub(super) fn publish(
    to: &str,
    out: &Path,
    files: &[LocalFile],
    dry_run: bool,
) -> Result<Moved, TargetError> {
    // The marker goes up as a second source folder, so rsync treats it as the site's own file.
    let marker = MarkerFolder::new()?;
    let dest = if to.ends_with('/') {
        to.to_owned()
    } else {
        format!("{to}/")
    };
    let run = |extra: &[&str]| rsync(out, marker.path(), &dest, extra);
    let planned = itemized(&run(&["--dry-run", "--delete-after"])?);
    let new_marker = planned.uploaded.iter().any(|p| p == plan::MARKER);
    if new_marker && !planned.removed.is_empty() {
        return Err(TargetError::NotOurs(planned.removed.len()));
    }
    if !dry_run {
        let linking: Vec<String> = (plan::LINKING.iter())
            .map(|e| format!("--exclude=*.{e}"))
            .chain(["--exclude=/_*".to_owned()])
            .collect();
        let linking: Vec<&str> = linking.iter().map(String::as_str).collect();
        let assets = [&["--exclude=*.html"], linking.as_slice()].concat();
        run(&assets)?;
        run(&linking)?;
        run(&["--delete-after"])?;
    }
    let uploaded: Vec<String> = (planned.uploaded.into_iter())
        .filter(|p| p != plan::MARKER)
        .collect();
    Ok(Moved {
        unchanged: files.len().saturating_sub(uploaded.len()),
        uploaded,
        removed: planned.removed,
    })
}

/// A folder holding only the marker, removed when dropped.
struct MarkerFolder(std::path::PathBuf);

impl MarkerFolder {
    fn new() -> Result<MarkerFolder, TargetError> {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("candor-deploy-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| IoError::new("creating", &dir, e))?;
        let folder = MarkerFolder(dir);
        let file = folder.0.join(plan::MARKER);
        std::fs::write(&file, plan::MARKER_TEXT).map_err(|e| IoError::new("writing", &file, e))?;
        Ok(folder)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for MarkerFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// ssh with time limits, unless `RSYNC_RSH` names the user's own remote shell: a host that
/// burned, or answers the connection but never speaks, must fail its target within seconds, not
/// hold up the targets after it (`deploy` publishes them one after another) or `watch --deploy`.
fn remote_shell(user_set: bool) -> Option<&'static str> {
    (!user_set).then_some(
        "--rsh=ssh -o ConnectTimeout=15 -o ServerAliveInterval=15 -o ServerAliveCountMax=2",
    )
}

/// One rsync run from the output and the marker folder to `dest`; what it itemized.
fn rsync(out: &Path, marker: &Path, dest: &str, extra: &[&str]) -> Result<String, TargetError> {
    let source = |p: &Path| format!("{}/", p.display());
    let output = Command::new("rsync")
        .args([
            "--recursive",
            "--checksum",
            "--itemize-changes",
            // Each phase's files go into place together at its end, so a page and the pages
            // it links to appear at once (rsync itself sends the front page first).
            "--delay-updates",
            "--protect-args",
            "--chmod=D755,F644",
            // A host that stops answering mid-transfer fails the target after a minute.
            "--timeout=60",
        ])
        .args(remote_shell(std::env::var_os("RSYNC_RSH").is_some()))
        .arg(format!("--exclude=/{OUTPUT_MARKER}"))
        .args(extra)
        .arg("--")
        .arg(source(out))
        .arg(source(marker))
        .arg(dest)
        .output()
        .map_err(TargetError::NoRsync)?;
    if !output.status.success() {
        return Err(TargetError::Rsync {
            code: output.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The files rsync sent (`<f…`) and removed (`*deleting`), from `--itemize-changes`.
fn itemized(text: &str) -> Moved {
    let mut moved = Moved::default();
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("*deleting") {
            let path = path.trim_start();
            if !path.ends_with('/') {
                moved.removed.push(path.to_owned());
            }
        } else if (line.starts_with("<f") || line.starts_with(">f"))
            && let Some((_, path)) = line.split_once(' ')
        {
            moved.uploaded.push(path.to_owned());
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::itemized;

    #[test]
    fn sent_and_deleted_files_are_read_from_itemized_changes() {
        let text = "cd+++++++++ incidents/new/\n\
                    <f+++++++++ incidents/new/index.html\n\
                    <fcs....... index.html\n\
                    .f...p..... feed.atom\n\
                    *deleting   incidents/old/index.html\n\
                    *deleting   incidents/old/\n";
        let moved = itemized(text);
        assert_eq!(moved.uploaded, ["incidents/new/index.html", "index.html"]);
        assert_eq!(moved.removed, ["incidents/old/index.html"]);
    }
}
