//! The copy of the site for a target served at an address of its own (a mirror at another
//! host or path: `base_url:` in its `deploy:` entry), so that everything absolute in it — the
//! 404 page's links, feeds, the calendar, the API's addresses, `embed.js`, the sitemap —
//! names the mirror, and a reader there never needs the primary host.
//!
//! Built by the ordinary pipeline (`crate::build` with the mirror's `base_url`, as `--base-url` does) into a
//! folder of its own beside the output (`.candor-mirrors-NAME/HOST-PATH/`), never inside it;
//! kept between deploys, so the build's fingerprint skips a copy that is already current.
//! Never publishes: `deploy::publish` does, as for the output itself.

use super::{DeployError, DeployOptions, LocalFile, read_output};
use crate::error::IoError;
use std::path::{Path, PathBuf};

/// Why the copy for an address could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    #[error(transparent)]
    Build(#[from] crate::error::Error),
    #[error(transparent)]
    Read(#[from] DeployError),
    #[error(transparent)]
    Io(#[from] IoError),
}

/// The folder the copy for `base_url` is built in: beside the output, one per address.
pub fn folder(output: &Path, base_url: &str) -> PathBuf {
    crate::output::sibling(output, "mirrors").join(slug(base_url))
}

/// `example.github.io-status` for `https://example.github.io/status/`: readable in a listing,
/// and a name the file system takes (only `[a-z0-9.-]`).
fn slug(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let mut slug = String::with_capacity(after_scheme.len());
    for c in after_scheme.chars().map(|c| c.to_ascii_lowercase()) {
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.';
        if keep {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches(['-', '.']);
    if slug.is_empty() {
        "site".to_owned()
    } else {
        slug.to_owned()
    }
}

/// Builds the site for `base_url` as of `options.now` and reads what it wrote: the folder and
/// its files.
pub fn build(
    options: &DeployOptions,
    base_url: &str,
) -> Result<(PathBuf, Vec<LocalFile>), MirrorError> {
    let output = folder(&options.output, base_url);
    let build = crate::Options {
        root: options.root.clone(),
        output: output.clone(),
        base_url: Some(base_url.to_owned()),
        now: options.now,
        clock: options.now,
        drafts: options.drafts,
        strict: false,
    };
    if let Some(parent) = output.parent() {
        std::fs::create_dir_all(parent).map_err(|e| IoError::new("creating", parent, e))?;
    }
    crate::build(&build)?;
    let files = read_output(&output)?;
    Ok((output, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_gets_a_folder_named_after_it_beside_the_output() {
        let at = |url| folder(Path::new("/site/public"), url);
        assert_eq!(
            at("https://example.github.io/status/"),
            Path::new("/site/.candor-mirrors-public/example.github.io-status")
        );
        assert_eq!(
            at("http://127.0.0.1:8080/"),
            Path::new("/site/.candor-mirrors-public/127.0.0.1-8080")
        );
        assert_ne!(at("https://a.example/x/"), at("https://a.example/"));
    }
}
