//! The serde structs exactly as users write them in `status.yaml` and `incidents/*.yaml`.
//!
//! Nothing here is checked beyond YAML types and key names; `load` turns these into the model.
//! Every struct denies unknown keys: a typo on a status page must not silently hide a fact.
//! A text shown on one line is a `OneLine`, whose text the loader reaches only through its check.
//! Never holds a checked value and never reads a file: the loader parses, then converts.

pub use super::text::OneLine;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::fmt;

/// A scalar the user may write as a string or a number (`due: 2023`), kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeText(pub String);

impl<'de> Deserialize<'de> for FreeText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = FreeText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text, a year or a date")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FreeText, E> {
                Ok(FreeText(v.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<FreeText, E> {
                Ok(FreeText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<FreeText, E> {
                Ok(FreeText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<FreeText, E> {
                Ok(FreeText(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A text a person reads: a plain string, in the site's main language, or a map from language
/// to string (`title: { ko: …, en: … }`), its entries in the order written. Which languages a map
/// may name is the loader's check (`load::languages`), not serde's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawText {
    Plain(String),
    Languages(Vec<(String, String)>),
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_owned()))
            }
            // A bare number or `yes` written as a text, as a string field takes it.
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawText, A::Error> {
                let mut entries = Vec::new();
                while let Some((language, text)) = map.next_entry::<String, String>()? {
                    entries.push((language, text));
                }
                Ok(RawText::Languages(entries))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: RawText,
    pub page_id: Option<String>,
    pub description: Option<RawText>,
    pub base_url: String,
    pub language: Option<String>,
    pub languages: Option<Vec<String>>,
    pub timezone: Option<String>,
    pub theme: Option<String>,
    pub major_incident_days: Option<u32>,
    pub stale_after_minutes: Option<u32>,
    #[serde(default)]
    pub uptime: RawUptime,
    #[serde(default)]
    pub services: Vec<RawService>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    #[serde(default)]
    pub deploy: Vec<RawTarget>,
}

/// One entry of `deploy:`: a name and exactly one of `folder`, `rsync`, `s3`. No key for a
/// credential: those come from the environment only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub name: String,
    pub folder: Option<String>,
    pub rsync: Option<String>,
    pub s3: Option<String>,
    pub prefix: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    // Keys a credential would be written under, read only to refuse them without showing the
    // line: the unknown-key error would echo a secret into a terminal or a CI log.
    // `IgnoredAny` keeps no value.
    pub access_key_id: Option<IgnoredAny>,
    pub secret_access_key: Option<IgnoredAny>,
    pub aws_access_key_id: Option<IgnoredAny>,
    pub aws_secret_access_key: Option<IgnoredAny>,
    pub session_token: Option<IgnoredAny>,
    pub aws_session_token: Option<IgnoredAny>,
    pub password: Option<IgnoredAny>,
    pub secret: Option<IgnoredAny>,
    pub token: Option<IgnoredAny>,
}

impl RawTarget {
    /// The credential keys written in this entry.
    pub fn credential_keys(&self) -> Vec<&'static str> {
        [
            ("access_key_id", self.access_key_id.is_some()),
            ("secret_access_key", self.secret_access_key.is_some()),
            ("aws_access_key_id", self.aws_access_key_id.is_some()),
            (
                "aws_secret_access_key",
                self.aws_secret_access_key.is_some(),
            ),
            ("session_token", self.session_token.is_some()),
            ("aws_session_token", self.aws_session_token.is_some()),
            ("password", self.password.is_some()),
            ("secret", self.secret.is_some()),
            ("token", self.token.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, written)| written.then_some(key))
        .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUptime {
    pub days: Option<u32>,
    #[serde(default)]
    pub weights: RawWeights,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeights {
    pub major_outage: Option<f64>,
    pub partial_outage: Option<f64>,
    pub degraded_performance: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub id: String,
    pub name: RawText,
    pub group: Option<RawText>,
    pub description: Option<RawText>,
    pub since: Option<String>,
    pub component_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub title: RawText,
    pub url: OneLine,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncident {
    pub id: Option<String>,
    pub title: RawText,
    pub kind: Option<String>,
    pub severity: Option<String>,
    pub start: String,
    pub end: Option<String>,
    pub status: Option<String>,
    pub summary: Option<RawText>,
    pub cause: Option<RawText>,
    #[serde(default)]
    pub services: Vec<RawAffected>,
    #[serde(default)]
    pub updates: Vec<RawUpdate>,
    #[serde(default)]
    pub apologies: Vec<RawApology>,
    #[serde(default)]
    pub statements: Vec<RawStatement>,
    #[serde(default)]
    pub leadership: Vec<RawLeadership>,
    #[serde(default)]
    pub compensation: Vec<RawCompensation>,
    #[serde(default)]
    pub commitments: Vec<RawCommitment>,
    pub postmortem: Option<RawText>,
    pub postmortem_url: Option<OneLine>,
    #[serde(default)]
    pub sources: Vec<RawLink>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAffected {
    pub id: String,
    pub impact: Option<String>,
    pub from: Option<String>,
    #[serde(default)]
    pub stages: Vec<RawStage>,
    pub restored: Option<String>,
    pub note: Option<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub at: String,
    pub impact: String,
    pub note: Option<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub id: Option<String>,
    pub at: String,
    pub status: String,
    pub message: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApology {
    pub at: String,
    pub by: RawText,
    pub role: Option<RawText>,
    pub statement: RawText,
    pub link: Option<OneLine>,
}

/// A statement that is not an apology: its `at` is a date or a timestamp.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatement {
    pub at: String,
    pub by: RawText,
    pub role: Option<RawText>,
    pub statement: RawText,
    pub link: Option<OneLine>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeadership {
    pub at: String,
    pub person: RawText,
    pub role: RawText,
    pub change: String,
    pub note: Option<RawText>,
    pub link: Option<OneLine>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompensation {
    pub at: Option<String>,
    #[serde(rename = "for")]
    pub for_whom: RawText,
    pub description: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommitment {
    pub what: RawText,
    pub due: Option<RawText>,
    pub status: String,
    pub note: Option<RawText>,
}
