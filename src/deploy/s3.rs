//! An S3-compatible bucket (AWS, R2, MinIO, …) through `object_store`: the listing's ETags
//! (the MD5 of an object put in one piece) say which files changed; each upload carries its
//! content type and `Cache-Control` (`render::hosting`).
//!
//! Credentials come from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`, web identity, the instance's role) or the shared credentials file
//! (`~/.aws/credentials`, `AWS_PROFILE`); never from status.yaml, and never in a message.

use super::{LocalFile, Moved, TargetError, checked_plan, marker_file, moved};
use crate::model::deploy::Bucket;
use crate::render::hosting;
use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{Attribute, Attributes, ObjectStore, PutOptions, PutPayload};
use std::collections::BTreeMap;

/// Uploads in flight at once: object storage answers each request in tens of milliseconds,
/// so a first deploy of thousands of files needs them side by side.
const IN_FLIGHT: usize = 16;

pub(super) fn publish(
    bucket: &Bucket,
    files: &[LocalFile],
    dry_run: bool,
) -> Result<Moved, TargetError> {
    let store = store(bucket)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| TargetError::Storage(format!("starting the S3 client: {e}")))?;
    runtime.block_on(async {
        let remote = listing(&store, &bucket.prefix).await?;
        let plan = checked_plan(files, &remote)?;
        if !dry_run {
            if !remote.contains_key(super::plan::MARKER) {
                put(&store, &bucket.prefix, &marker_file()).await?;
            }
            // The plan's order holds between phases: assets, then pages, then what links
            // to them; within a phase the order does not matter.
            for phase in phases(&plan.uploads) {
                futures::stream::iter(phase)
                    .map(|file| put(&store, &bucket.prefix, file))
                    .buffer_unordered(IN_FLIGHT)
                    .try_collect::<Vec<()>>()
                    .await?;
            }
            futures::stream::iter(&plan.removals)
                .map(|path| remove(&store, &bucket.prefix, path))
                .buffer_unordered(IN_FLIGHT)
                .try_collect::<Vec<()>>()
                .await?;
        }
        Ok(moved(&plan))
    })
}

/// The plan's uploads cut where the kind of file changes (asset, page, linking file), and
/// pages cut again at each depth, so no page goes up before the pages below it.
fn phases<'a>(uploads: &[&'a LocalFile]) -> Vec<Vec<&'a LocalFile>> {
    let kind = |path: &str| {
        let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
        if extension == "html" {
            (1, path.matches('/').count())
        } else if super::plan::LINKING.contains(&extension) || path.starts_with('_') {
            (2, 0)
        } else {
            (0, 0)
        }
    };
    let mut phases: Vec<Vec<&LocalFile>> = Vec::new();
    let mut last = None;
    for file in uploads {
        let k = kind(&file.path);
        if last != Some(k) {
            phases.push(Vec::new());
            last = Some(k);
        }
        if let Some(phase) = phases.last_mut() {
            phase.push(file);
        }
    }
    phases
}

fn store(bucket: &Bucket) -> Result<AmazonS3, TargetError> {
    // A few quick retries: during an outage a deploy that hangs for minutes on one
    // unreachable target (object_store's default) delays the report of all the others.
    let retry = object_store::RetryConfig {
        max_retries: 3,
        retry_timeout: std::time::Duration::from_secs(30),
        ..object_store::RetryConfig::default()
    };
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(&bucket.bucket)
        .with_retry(retry);
    if let Some(region) = &bucket.region {
        builder = builder.with_region(region);
    }
    if let Some(endpoint) = &bucket.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_none()
        && let Some(keys) = shared_credentials()
    {
        builder = builder
            .with_access_key_id(keys.id)
            .with_secret_access_key(keys.secret);
        if let Some(token) = keys.token {
            builder = builder.with_token(token);
        }
    }
    builder
        .build()
        .map_err(|e| TargetError::Storage(e.to_string()))
}

struct Keys {
    id: String,
    secret: String,
    token: Option<String>,
}

/// The profile `AWS_PROFILE` (else `default`) of the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), as the AWS tools read it.
fn shared_credentials() -> Option<Keys> {
    let file = match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        Some(file) => std::path::PathBuf::from(file),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".aws/credentials"),
    };
    let text = std::fs::read_to_string(file).ok()?;
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".to_owned());
    profile_keys(&text, &profile)
}

fn profile_keys(text: &str, profile: &str) -> Option<Keys> {
    let mut in_profile = false;
    let mut found: BTreeMap<&str, &str> = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_profile = name.trim() == profile;
        } else if in_profile && let Some((key, value)) = line.split_once('=') {
            found.insert(key.trim(), value.trim());
        }
    }
    Some(Keys {
        id: found.get("aws_access_key_id")?.to_string(),
        secret: found.get("aws_secret_access_key")?.to_string(),
        token: found.get("aws_session_token").map(|t| t.to_string()),
    })
}

/// Every object under the prefix, by its path below it, with its ETag unquoted.
async fn listing(store: &AmazonS3, prefix: &str) -> Result<BTreeMap<String, String>, TargetError> {
    let under = (!prefix.is_empty()).then(|| Key::from(prefix.trim_end_matches('/')));
    let objects: Vec<_> = store
        .list(under.as_ref())
        .try_collect()
        .await
        .map_err(storage)?;
    Ok(objects
        .into_iter()
        .map(|o| {
            let key = o.location.to_string();
            let path = key.strip_prefix(prefix).unwrap_or(&key).to_owned();
            let etag = o.e_tag.unwrap_or_default().trim_matches('"').to_owned();
            (path, etag)
        })
        .collect())
}

async fn put(store: &AmazonS3, prefix: &str, file: &LocalFile) -> Result<(), TargetError> {
    let mut attributes = Attributes::new();
    attributes.insert(
        Attribute::ContentType,
        hosting::content_type(&file.path).into(),
    );
    attributes.insert(
        Attribute::CacheControl,
        hosting::cache_control(&file.path).into(),
    );
    let options = PutOptions {
        attributes,
        ..PutOptions::default()
    };
    let key = Key::from(format!("{prefix}{}", file.path));
    store
        .put_opts(&key, PutPayload::from(file.bytes.clone()), options)
        .await
        .map_err(storage)?;
    Ok(())
}

async fn remove(store: &AmazonS3, prefix: &str, path: &str) -> Result<(), TargetError> {
    let key = Key::from(format!("{prefix}{path}"));
    store.delete(&key).await.map_err(storage)
}

/// object_store's errors name the bucket and key, and the service's answer; never a secret.
fn storage(e: object_store::Error) -> TargetError {
    TargetError::Storage(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::profile_keys;

    #[test]
    fn keys_come_from_the_named_profile_only() {
        let text = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n\
                    [ci]\naws_access_key_id=C\naws_secret_access_key=D\naws_session_token=E\n";
        let keys = profile_keys(text, "ci").expect("ci");
        assert_eq!((keys.id.as_str(), keys.secret.as_str()), ("C", "D"));
        assert_eq!(keys.token.as_deref(), Some("E"));
        let keys = profile_keys(text, "default").expect("default");
        assert_eq!((keys.id.as_str(), keys.token), ("A", None));
        assert!(profile_keys(text, "other").is_none());
    }
}
