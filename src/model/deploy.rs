//! Where `candor deploy` publishes: the targets of status.yaml's `deploy:` list, as checked
//! by the loader.
//!
//! Pure data: never holds a credential (those come from the environment when a target is
//! reached) and never touches the disk or the network.

use std::path::PathBuf;

/// One place the built site is published to, under the name the report uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub kind: TargetKind,
    /// The address the target is served at, when it is not the site's own `base_url` (a
    /// mirror at another host or path): `candor deploy` then publishes a build made for it.
    /// Absolute, ending in `/`.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// A folder on this machine (a mounted share, a web server's root), relative to the site
    /// root unless absolute.
    Folder(PathBuf),
    /// `[user@]host:path`, reached by `rsync` over SSH with the user's own SSH setup.
    Rsync(String),
    /// A bucket of S3-compatible object storage.
    S3(Bucket),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub bucket: String,
    /// The key prefix every file is published under: empty, or ending in `/`.
    pub prefix: String,
    pub region: Option<String>,
    /// The endpoint of an S3-compatible service (MinIO, R2, …); AWS when `None`.
    pub endpoint: Option<String>,
}

impl TargetKind {
    /// The target as the report names it: `folder /srv/status`, `s3://bucket/prefix/`.
    pub fn describe(&self) -> String {
        match self {
            TargetKind::Folder(path) => format!("folder {}", path.display()),
            TargetKind::Rsync(to) => format!("rsync {to}"),
            TargetKind::S3(b) => format!("s3://{}/{}", b.bucket, b.prefix),
        }
    }
}
