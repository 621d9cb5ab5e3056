//! The body every fuzz binary shares: one input becomes a site folder (status.yaml and up to
//! two incident files), which goes through what `candor build` does — load and check, the
//! diagnostics as `check` prints them, `State::at` at several instants, and the render of every
//! page and summary file with the built-in theme — asserting on the way what must hold for
//! every input. Any panic here is a finding; `replay` shows its message and backtrace.
//!
//! Never writes outside its own scratch folder (one per process, removed on drop), never reads
//! the clock (every instant is fixed or taken from the input), never renders a site's own theme
//! (a fuzzed `theme:` name must not walk the machine's folders).

use candor::diagnostic::Color;
use candor::error::{Error, LoadError};
use candor::load::{self, LoadOptions, Loaded};
use candor::model::Time;
use candor::model::state::State;
use candor::render::{self, Renderer};
use candor::report::{self, Format};
use candor::theme::Theme;
use chrono::{DateTime, Duration};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Splits an input into its files: status.yaml, then each incident file. YAML never holds a
/// NUL, so the separator costs the fuzzer no text it could have tried.
pub const SEPARATOR: u8 = 0;

/// The incident files an input fills, in order; valid slugs, so the input decides the rest.
pub const INCIDENT_FILES: [&str; 2] = ["2024-05-01-first.yaml", "2024-05-02-second.yaml"];

/// The build time of every load (its warnings) and the first instant a site is looked at: the
/// instant the fixtures of tests/fixtures/broken are checked at.
pub const NOW: &str = "2024-06-01T00:00:00Z";

/// Instants every valid site is also looked at: before anything, an ordinary day, and the
/// last second of the years candor accepts.
const FIXED: [&str; 3] = [
    "1970-01-01T00:00:00Z",
    "2022-10-25T00:00:00+09:00",
    "9999-12-31T23:59:59Z",
];

/// At most this many instants from the input's own times, so one exec stays fast.
const DERIVED: usize = 8;

/// Pages and files are rendered in full at one of the first this-many instants (`NOW`, the
/// input's earliest time, its latest), picked by the input's length: a byte more or less
/// reaches each, at the cost of one render per exec, which is most of an exec's time. With
/// `every_render` (replay, or `CANDOR_FUZZ_RENDER_ALL=1` for `afl-tmin`) at all of them, so
/// shortening an input never hides its crash.
const RENDERED: usize = 3;

/// Uptime windows asked of every service, in days (besides the site's own `uptime.days`).
const WINDOWS: [u32; 4] = [1, 7, 90, 3650];

/// One process's scratch site folder and the built-in theme in each of its languages.
pub struct Harness {
    root: PathBuf,
    themes: HashMap<String, Theme>,
    /// Render at each of the `RENDERED` instants, not only the one the length picks.
    pub every_render: bool,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    /// A scratch folder in `CANDOR_FUZZ_DIR`, else `/dev/shm` (memory: thousands of writes a
    /// second), else the temporary folder; one per process, so parallel fuzzers never share it.
    pub fn new() -> Harness {
        let base = std::env::var_os("CANDOR_FUZZ_DIR")
            .map(PathBuf::from)
            .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|p| p.is_dir()))
            .unwrap_or_else(std::env::temp_dir);
        let root = base.join(format!("candor-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(root.join("incidents")).expect("scratch folder");
        // Every built-in language's theme now, so the first input of a process runs the same
        // code as the thousandth (AFL reads a difference as instability).
        let themes = (candor::theme::languages(&root, "default").into_iter())
            .map(|language| {
                let theme = Theme::load(&root, "default", &language).expect("built-in theme");
                (language, theme)
            })
            .collect();
        let every_render = std::env::var_os("CANDOR_FUZZ_RENDER_ALL").is_some_and(|v| v == "1");
        Harness {
            root,
            themes,
            every_render,
        }
    }

    /// Runs one input through load, state and render; panics on any finding.
    pub fn run(&mut self, data: &[u8]) {
        self.write_site(data);
        let now = time(NOW);
        let options = LoadOptions {
            now,
            clock: now,
            drafts: true,
            languages: candor::theme::languages,
        };
        let result = load::load(&self.root, &options).map_err(Error::from);
        check_report(&result);
        let Ok(loaded) = result else { return };
        let instants = instants(&loaded);
        let rendered = data.len() % RENDERED.min(instants.len());
        for (n, at) in instants.into_iter().enumerate() {
            let state = State::at(&loaded.site, at);
            check_state(&state);
            if n == rendered || (self.every_render && n < RENDERED) {
                self.render_all(&state);
            }
        }
    }

    fn write_site(&self, data: &[u8]) {
        let mut parts = data.splitn(1 + INCIDENT_FILES.len(), |&b| b == SEPARATOR);
        let status = parts.next().unwrap_or_default();
        std::fs::write(self.root.join("status.yaml"), status).expect("scratch write");
        for name in INCIDENT_FILES {
            let path = self.root.join("incidents").join(name);
            match parts.next() {
                Some(text) => std::fs::write(&path, text).expect("scratch write"),
                None => remove(&path),
            }
        }
    }

    /// Renders every page job and every summary file, as `build` hands them to the writer.
    fn render_all(&mut self, state: &State) {
        // The loader accepts only a language the built-in theme has (no themes/ here).
        let language = &state.site.config.language;
        let theme = (self.themes.get_mut(language))
            .unwrap_or_else(|| panic!("a valid site in language {language:?}: no such theme"));
        let renderer = Renderer::new(state, theme).expect("renderer of a valid site");
        let mut paths = BTreeSet::new();
        for job in renderer.jobs() {
            let files = renderer
                .render(job)
                .unwrap_or_else(|e| panic!("rendering {job:?} of a valid site: {e}"));
            paths.extend(files.into_iter().map(|f| check_file(&f)));
        }
        let summary = render::summary_files(
            renderer.state,
            &renderer.theme.strings,
            renderer.history_pages(),
        );
        paths.extend(summary.iter().map(check_file));
        for incident in &state.site.incidents {
            let page = format!("incidents/{}/index.html", incident.slug);
            assert!(paths.contains(&page), "no page {page}");
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn remove(path: &Path) {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("scratch remove: {e}"),
        _ => {}
    }
}

fn time(text: &str) -> Time {
    DateTime::parse_from_rfc3339(text)
        .expect("fixed instant")
        .to_utc()
}

/// `NOW`, then the input's earliest and latest times, then the rest of its times (each also
/// a second later, when a status flips), then the fixed instants; each once.
fn instants(loaded: &Loaded) -> Vec<Time> {
    let dated: BTreeSet<Time> = (loaded.site.incidents.iter())
        .flat_map(|i| i.dated().collect::<Vec<_>>())
        .chain(loaded.site.services.iter().filter_map(|s| s.since))
        .collect();
    let mut out = vec![time(NOW)];
    out.extend(dated.first());
    out.extend(dated.last());
    let nudged = dated
        .iter()
        .flat_map(|&t| [Some(t), t.checked_add_signed(Duration::seconds(1))])
        .flatten();
    out.extend(nudged.take(DERIVED));
    out.extend(FIXED.map(time));
    let mut seen = BTreeSet::new();
    out.retain(|t| seen.insert(*t));
    out
}

/// What `check` prints for any input, in both formats: no panic, and an invalid input has at
/// least one error, every one placed at a real line and column when it has a place.
fn check_report(result: &Result<Loaded, Error>) {
    for format in [Format::Text, Format::Json] {
        let _ = report::check(result, format, Color::Never);
    }
    if let Err(Error::Load(LoadError::Invalid(found))) = result {
        assert!(
            found.iter().any(|d| d.is_error()),
            "invalid without an error"
        );
        for d in found {
            assert!(!d.file.is_empty(), "a diagnostic names no file: {d:?}");
            assert!(d.line != Some(0) && d.column != Some(0), "place 0: {d:?}");
        }
    }
}

/// What holds for the state at any instant: uptime is a share, the next change lies ahead,
/// the day bars have as many days as asked.
fn check_state(state: &State) {
    let days = state.site.config.uptime_days;
    for k in 0..state.site.services.len() {
        for n in WINDOWS.into_iter().chain([days]) {
            if let Some(u) = state.uptime(k, n) {
                assert!((0.0..=1.0).contains(&u), "uptime {u} over {n} days");
            }
        }
        assert_eq!(state.days(k, days).len(), days as usize, "day bars");
    }
    if let Some(next) = state.next_change {
        assert!(next > state.at, "next change {next} not after {}", state.at);
    }
}

/// Output paths stay relative and inside the output folder (the writer refuses others, which
/// would fail a valid site's build); returns the path.
fn check_file(file: &render::OutputFile) -> String {
    let p = &file.path;
    assert!(
        !p.is_empty()
            && !p.starts_with('/')
            && !p.contains('\\')
            && p.split('/').all(|c| !c.is_empty() && c != "." && c != ".."),
        "output path {p:?}"
    );
    p.clone()
}
