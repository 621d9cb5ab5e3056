//! The stable rule codes of diagnostics (`candor::unknown-field`): one per kind of fault, so a
//! CI job can filter, count or annotate by it. `check --format json`, `github` and `sarif` carry
//! them; docs/check-format.md lists them.
//!
//! A code, once released, is never renamed nor reused for another fault (the version policy
//! of docs/check-format.md); a new fault gets a new code. Never formats a diagnostic.

/// Declares `Code` with each code's name and its one-line description, in one table, so the
/// docs, SARIF's rules and the names cannot drift apart.
macro_rules! codes {
    ($($variant:ident = $name:literal : $about:literal,)*) => {
        /// What kind of fault a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, without the `candor::` prefix: `unknown-field`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the fault is, in one line (SARIF's `shortDescription`).
            pub fn about(self) -> &'static str {
                match self {
                    $(Code::$variant => $about,)*
                }
            }
        }
    };
}

codes! {
    // The text as YAML.
    YamlSyntax = "yaml-syntax": "the text is not valid YAML",
    YamlTab = "yaml-tab": "a tab is used for indentation",
    YamlNeedsQuotes = "yaml-needs-quotes": "a value must be put in quotes to be read as text",
    YamlIndentation = "yaml-indentation": "a key is indented more than the line above it",
    YamlUnclosedQuote = "yaml-unclosed-quote": "a quoted text has no closing quote",
    YamlListIndentation = "yaml-list-indentation": "a list entry is indented unlike the entry above it",
    YamlUnclosedBracket = "yaml-unclosed-bracket": "a `[` or `{` list is never closed",
    YamlAlias = "yaml-alias": "a YAML anchor or alias, which candor refuses",
    YamlTooDeep = "yaml-too-deep": "the YAML nests deeper than candor reads",
    EmptyFile = "empty-file": "an input file holds no document",
    YamlCommentInText = "yaml-comment-in-text": "a ` #` in an unquoted text starts a comment and cuts it short",
    // Keys and types.
    UnknownField = "unknown-field": "a key the format does not have",
    DuplicateKey = "duplicate-key": "a key written twice in one mapping",
    MissingField = "missing-field": "a required key is missing",
    WrongType = "wrong-type": "a value of the wrong type",
    // Files.
    FileTooLarge = "file-too-large": "an input file over the size limit",
    NotUtf8 = "not-utf8": "an input file that is not UTF-8",
    WrongExtension = "wrong-extension": "an incident file not ending in .yaml",
    InvalidSlug = "invalid-slug": "an incident file name that is not a valid slug",
    SymlinkOutside = "symlink-outside": "a symlink leading outside the site",
    SymlinkLoop = "symlink-loop": "a symlink loop",
    // Words of a fixed set.
    UnknownKind = "unknown-kind": "a `kind` that is not incident or maintenance",
    UnknownSeverity = "unknown-severity": "an unknown severity",
    UnknownImpact = "unknown-impact": "an unknown impact",
    UnknownStatus = "unknown-status": "an unknown status",
    UnknownChange = "unknown-change": "an unknown leadership change",
    UnknownCommitmentStatus = "unknown-commitment-status": "an unknown commitment status",
    UnknownTimezone = "unknown-timezone": "a timezone that is not an IANA name",
    UnknownLanguage = "unknown-language": "a language no theme has UI strings for",
    MissingUiStrings = "missing-ui-strings": "a theme lacking some UI strings of the site's language",
    LanguageAndLanguages = "language-and-languages": "status.yaml gives both `language` and `languages`",
    InvalidLanguages = "invalid-languages": "a `languages` list that is empty or names a language twice",
    UnknownTextLanguage = "unknown-text-language": "a text written in a language that is not one of the site's",
    MainLanguageMissing = "main-language-missing": "a text map without the site's main language",
    UntranslatedText = "untranslated-text": "texts not yet translated into a language of the site, shown in the main one",
    UnknownService = "unknown-service": "a service id that status.yaml does not list",
    // status.yaml.
    InvalidThemeName = "invalid-theme-name": "a theme that is not a folder name",
    UnusableTheme = "unusable-theme": "a theme whose folder is missing or leads outside the site",
    InvalidBaseUrl = "invalid-base-url": "a base_url that is not a usable address",
    InvalidUptimeDays = "invalid-uptime-days": "uptime.days outside 1 to 3650",
    InvalidMajorIncidentDays = "invalid-major-incident-days": "major_incident_days outside 0 to 14",
    InvalidStaleAfter = "invalid-stale-after": "stale_after_minutes outside 0 to 10080",
    InvalidId = "invalid-id": "a page_id or incident id that is not a Statuspage id (12 of a-z, 0-9)",
    DuplicateIncidentId = "duplicate-incident-id": "an incident id that another incident file already has",
    InvalidWeight = "invalid-weight": "an uptime weight outside 0 to 1",
    InvalidServiceId = "invalid-service-id": "a service id that is not a valid id",
    DuplicateServiceId = "duplicate-service-id": "a service id listed twice",
    InvalidUrl = "invalid-url": "a URL that is not http, https or mailto",
    InvalidDeployTargetName = "invalid-deploy-target-name": "a deploy target name that is not a valid name",
    DuplicateDeployTarget = "duplicate-deploy-target": "a deploy target name used twice",
    UnknownDeployKind = "unknown-deploy-kind": "a deploy target that is not one of the kinds candor publishes to",
    CredentialsInFile = "credentials-in-file": "a deploy credential written in status.yaml, where candor never reads one",
    InvalidDeployTarget = "invalid-deploy-target": "a deploy target setting that cannot be used (folder, host, bucket, prefix, endpoint)",
    // Times.
    InvalidTime = "invalid-time": "a time or date that does not read",
    TimeOutOfRange = "time-out-of-range": "a year outside 1900 to 9999",
    TimeNotInZone = "time-not-in-zone": "a local time the site zone skips or repeats",
    OffsetNotSiteZone = "offset-not-site-zone": "an offset that is the site zone's in another season, not at that instant",
    FixedOffsetZone = "fixed-offset-zone": "a timezone that never follows daylight saving time",
    TimeFarAhead = "time-far-ahead": "a time over a day after the clock (a mistyped year)",
    TimeAhead = "time-ahead": "a time after the clock, hidden until then",
    EndAfterBuildTime = "end-after-build-time": "an end after the build time",
    LongUnresolved = "long-unresolved": "an incident open for over 30 days",
    // The incident's shape.
    EndBeforeStart = "end-before-start": "an end before the start",
    MaintenanceWithoutEnd = "maintenance-without-end": "a maintenance window with no end",
    MaintenanceWithSeverity = "maintenance-with-severity": "a maintenance window with a severity",
    ResolvedWithoutEnd = "resolved-without-end": "a resolved incident with no end",
    ServiceListedTwice = "service-listed-twice": "a service listed twice in one incident",
    ServiceWindow = "service-window": "a service's window outside the incident",
    StageOutsideWindow = "stage-outside-window": "a stage outside its service's window",
    StagesOutOfOrder = "stages-out-of-order": "stages out of time order",
    UpdatesOutOfOrder = "updates-out-of-order": "updates out of time order",
    UpdateBeforeStart = "update-before-start": "an update before the incident's start",
    // Texts.
    UnsafeLink = "unsafe-link": "a link or image whose URL is dropped from the output",
    DroppedHtml = "dropped-html": "a tag or an attribute of raw HTML that the sanitizer drops from the output",
    TextNotOneLine = "text-not-one-line": "a one-line text (a title, a name, a role, a link) with a line break, a tab, a control character or a bidirectional override",
    UnprintableCharacter = "unprintable-character": "a character no YAML file may hold (a NUL, a terminal's escape), at its place",
    TextControlCharacter = "text-control-character": "a multi-line text (Markdown, a description) with a control character other than a line break or a tab, or a bidirectional override",
    // What `candor import` tells about the site it wrote.
    ImportNote = "import-note": "something of a Statuspage export that the import could not carry over as it was",
    // What `candor new` and `update` tell about what they wrote.
    SlugRenamed = "slug-renamed": "`candor new` named an incident `…-2`: the slug was taken",
    RestoredMoved = "restored-moved": "`candor update --restored --force` moved a restoration time",
    Reopened = "reopened": "`candor update` reopened a resolved incident",
    ServiceAdded = "service-added": "`candor update --impact` added a service the incident did not list",
    // Not about one input file: what a run of check ends with instead (exit 2), or a build
    // failure shown in the live overlay.
    NoSite = "no-site": "no status.yaml in the site folder",
    Usage = "usage": "a bad argument or environment variable",
    Io = "io": "a file could not be read or written",
    Build = "build": "the build failed after the input was read",
}

impl Code {
    /// `candor::unknown-field`: the form every output prints.
    pub fn id(self) -> String {
        format!("candor::{}", self.name())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "candor::{}", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_and_kebab_case() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        for name in names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
        }
        assert_eq!(Code::UnknownField.to_string(), "candor::unknown-field");
    }

    #[test]
    fn docs_list_every_code() {
        let docs = include_str!("../../docs/check-format.md");
        for code in Code::ALL {
            assert!(
                docs.contains(&format!("| `{code}` |")),
                "docs/check-format.md lacks {code}"
            );
        }
    }
}
