//! status.yaml's `deploy:` list → checked `Target`s, each problem at its field.
//!
//! Never reads the disk or the environment: whether a folder exists or a host answers is
//! learnt by `candor deploy`, and credentials never come from YAML.

use super::report::Report;
use crate::error::Code;
use crate::load::raw::RawTarget;
use crate::model::deploy::{Bucket, Target, TargetKind};
use crate::model::slug::is_slug;
use std::collections::HashSet;
use std::path::PathBuf;

const KINDS: &str = "write exactly one of `folder: PATH`, `rsync: user@host:/path` or `s3: BUCKET`";

pub(super) fn targets(raw: Vec<RawTarget>, report: &mut Report) -> Vec<Target> {
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, t) in raw.into_iter().enumerate() {
        let at = |field: &str| format!("deploy[{i}].{field}");
        if !is_slug(&t.name) {
            report.error(
                Code::InvalidDeployTargetName,
                &at("name"),
                format!("target name `{}` is not allowed", t.name),
                Some(
                    "names use lowercase letters, digits and `-`, like `primary` or `mirror-eu`"
                        .into(),
                ),
            );
        }
        if !names.insert(t.name.clone()) {
            report.error(
                Code::DuplicateDeployTarget,
                &at("name"),
                format!("target name `{}` is used twice", t.name),
                Some(
                    "give each target its own name: `candor deploy --target NAME` picks by it"
                        .into(),
                ),
            );
        }
        for key in t.credential_keys() {
            refuse_credential(report, &at(key), key);
        }
        let base_url = t.base_url.as_deref().and_then(|text| {
            super::parse_base_url(text)
                .map_err(|e| {
                    report.error(
                        Code::InvalidBaseUrl,
                        &at("base_url"),
                        e.message,
                        Some(e.help),
                    )
                })
                .ok()
        });
        if let Some(kind) = kind(&t, &at, report) {
            out.push(Target {
                name: t.name,
                kind,
                base_url,
            });
        }
    }
    out
}

fn kind(t: &RawTarget, at: &dyn Fn(&str) -> String, report: &mut Report) -> Option<TargetKind> {
    let given = [("folder", &t.folder), ("rsync", &t.rsync), ("s3", &t.s3)];
    let named: Vec<&str> = given
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| *k)
        .collect();
    if named.len() != 1 {
        let message = if named.is_empty() {
            "this target says nothing about where to publish".to_owned()
        } else {
            format!("this target names {} places at once", named.join(" and "))
        };
        let field = named.get(1).map_or_else(|| at("name"), |k| at(k));
        report.error(
            Code::UnknownDeployKind,
            &field,
            message,
            Some(KINDS.to_owned()),
        );
        return None;
    }
    if t.s3.is_none() {
        for (key, value) in [
            ("prefix", &t.prefix),
            ("region", &t.region),
            ("endpoint", &t.endpoint),
        ] {
            if value.is_some() {
                report.error(
                    Code::InvalidDeployTarget,
                    &at(key),
                    format!("`{key}` is for `s3` targets only"),
                    Some(format!(
                        "remove `{key}`, or publish to a bucket with `s3: BUCKET`"
                    )),
                );
            }
        }
    }
    let kind = if let Some(folder) = &t.folder {
        folder_kind(folder, &at("folder"), report)?
    } else if let Some(to) = &t.rsync {
        rsync_kind(to, &at("rsync"), report)?
    } else {
        s3_kind(t, at, report)?
    };
    Some(kind)
}

fn folder_kind(folder: &str, field: &str, report: &mut Report) -> Option<TargetKind> {
    if folder.trim().is_empty() || folder.chars().any(char::is_control) {
        report.error(
            Code::InvalidDeployTarget,
            field,
            "the folder is empty or holds a control character",
            Some(
                "write a folder, relative to the site root or absolute, like `/srv/www/status`"
                    .into(),
            ),
        );
        return None;
    }
    Some(TargetKind::Folder(PathBuf::from(folder)))
}

/// `[user@]host:path`, as rsync and scp write it. A leading `-` would be read by rsync as an
/// option, and `::` or `rsync://` is a daemon without SSH.
fn rsync_kind(to: &str, field: &str, report: &mut Report) -> Option<TargetKind> {
    let host = to.split_once(':');
    let ok = match host {
        Some((host, path)) => {
            !host.is_empty()
                && !host.starts_with('-')
                && !host.contains('/')
                && !path.is_empty()
                && !path.starts_with(':')
                && !to.starts_with("rsync://")
                && !to.chars().any(|c| c.is_control() || c.is_whitespace())
        }
        None => false,
    };
    if !ok {
        report.error(Code::InvalidDeployTarget,
            field,
            format!("`{}` is not a host and folder for rsync over SSH", to.escape_debug()),
            Some("write `user@host:/var/www/status` (the user and host as `ssh` takes them; your ~/.ssh/config applies)".into()),
        );
        return None;
    }
    Some(TargetKind::Rsync(to.to_owned()))
}

fn s3_kind(t: &RawTarget, at: &dyn Fn(&str) -> String, report: &mut Report) -> Option<TargetKind> {
    let bucket = t.s3.clone().unwrap_or_default();
    let mut ok = true;
    let valid = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !bucket.starts_with(['-', '.'])
        && !bucket.ends_with(['-', '.']);
    if !valid {
        ok = false;
        report.error(Code::InvalidDeployTarget,
            &at("s3"),
            format!("`{}` is not a bucket name", bucket.escape_debug()),
            Some("write the bucket's name alone, like `status-example-com` (3 to 63 lowercase letters, digits, `-`, `.`); a folder in it goes in `prefix`".into()),
        );
    }
    let prefix = t
        .prefix
        .as_deref()
        .unwrap_or("")
        .trim_matches('/')
        .to_owned();
    let bad_prefix = prefix
        .split('/')
        .any(|p| p == ".." || p == "." || (p.is_empty() && !prefix.is_empty()))
        || prefix.chars().any(char::is_control);
    if bad_prefix {
        ok = false;
        report.error(
            Code::InvalidDeployTarget,
            &at("prefix"),
            format!("`{}` is not a folder in the bucket", prefix.escape_debug()),
            Some(
                "write folder names separated by `/`, like `status/` (no `.`, `..` or `//`)".into(),
            ),
        );
    }
    if let Some(endpoint) = &t.endpoint {
        let parsed = url::Url::parse(endpoint).ok();
        let fine = parsed.as_ref().is_some_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host().is_some()
                && u.username().is_empty()
                && u.password().is_none()
        });
        if !fine {
            ok = false;
            report.error(Code::InvalidDeployTarget,
                &at("endpoint"),
                format!("`{}` is not an endpoint address", endpoint.escape_debug()),
                Some("write the service's address, like `https://ACCOUNT.r2.cloudflarestorage.com`; keys go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never here".into()),
            );
        }
    }
    ok.then(|| {
        TargetKind::S3(Bucket {
            bucket,
            prefix: if prefix.is_empty() {
                prefix
            } else {
                format!("{prefix}/")
            },
            region: t.region.clone(),
            endpoint: t.endpoint.clone(),
        })
    })
}

/// An error at the key's line that never shows the line: its value is a secret.
fn refuse_credential(report: &mut Report, path: &str, key: &str) {
    let mut d = crate::error::Diagnostic::error(
        Code::CredentialsInFile,
        report.file,
        format!("`{key}`: credentials are never read from status.yaml (the line is not shown)"),
    )
    .with_help(
        "remove the line, and consider the secret leaked if this file was committed; set \
         AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or use \
         ~/.aws/credentials (docs/deploy.md)"
            .to_owned(),
    );
    if let Some(at) = report.value_at(path) {
        d.line = Some(at.line);
    }
    report.diagnostics.push(d);
}
