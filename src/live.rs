//! Live preview for `saksgang serve`: watch `content/` and `themes/`, read the
//! archive again on a change, and tell every open page.
//!
//! `serve` writes nothing: the site is held in memory as a [`Preview`], whose
//! pages are rendered when they are asked for, and the archive is read again
//! only where files changed ([`build::reread`]), so an edit shows at once at
//! any size. The pages learn of a new site through Server-Sent Events at
//! [`EVENTS`]: one long-lived connection per open page, which gets the state
//! at once and then each new one. The state is the generation of the last good
//! site and, if the last reading failed, the diagnostics as `check` prints
//! them (without colour). The theme's script ([`crate::theme::LIVE_SCRIPT`],
//! served at [`SCRIPT`]) reloads the page when the generation changes and
//! shows the diagnostics in a dialog.
//!
//! Readings run one at a time in the watcher's thread. A failed one keeps the
//! last good site served, so the pages under the dialog are still the last
//! good ones; when there is none yet, every address answers with a page that
//! shows the errors and reloads once they are fixed. Nothing a writer does to
//! the folder stops the server: a failed or even panicking reading is
//! reported, a watch that was lost (a folder deleted or renamed) is set up again.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::build::{self, Clock, Kept};
use crate::diag::{self, Diagnostic, Sources};
use crate::preview::{Failed, Preview};

/// The address of the event stream.
pub const EVENTS: &str = "/__saksgang/hendelser";
/// The address of the live preview's script.
pub const SCRIPT: &str = "/__saksgang/direkte.js";
/// The most event streams open at once (open pages); more get 503.
pub const MAX_STREAMS: usize = 256;
/// How often an idle stream gets a comment, so that a closed page is noticed
/// and no proxy or timeout closes a live one.
pub(crate) const PING: Duration = Duration::from_secs(10);
/// How long the watcher waits for a burst of changes to end.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// The site being served and what the open pages are told.
pub struct Live {
    state: tokio::sync::watch::Sender<State>,
    current: RwLock<Option<Arc<Preview>>>,
    streams: AtomicUsize,
}

/// What the open pages are told.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub(crate) struct State {
    /// Generation of the last good site (0: none yet).
    pub(crate) site: u64,
    /// The diagnostics of the last reading, if it failed.
    pub(crate) error: Option<String>,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    /// No site yet.
    pub fn new() -> Self {
        Self {
            state: tokio::sync::watch::Sender::new(State::default()),
            current: RwLock::new(None),
            streams: AtomicUsize::new(0),
        }
    }

    /// A new good site: it is served from now on, and the pages reload.
    pub fn built(&self, preview: Preview) {
        let site = preview.generation;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(preview));
        self.state.send_modify(|s| {
            s.site = site;
            s.error = None;
        });
    }

    /// A reading failed with `text`: the pages show it over the last good site.
    pub fn failed(&self, text: String) {
        self.state.send_modify(|s| s.error = Some(text));
    }

    /// The generation a new site gets.
    fn next_generation(&self) -> u64 {
        self.state.borrow().site + 1
    }

    /// The site being served, if there is one.
    pub(crate) fn preview(&self) -> Option<Arc<Preview>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The state now.
    pub(crate) fn state(&self) -> State {
        self.state.borrow().clone()
    }

    /// The state now and every change of it.
    pub(crate) fn subscribe(&self) -> tokio::sync::watch::Receiver<State> {
        self.state.subscribe()
    }

    /// A place for one more event stream, held until the guard is dropped;
    /// `None` when [`MAX_STREAMS`] are open.
    pub(crate) fn open_stream(self: &Arc<Self>) -> Option<StreamGuard> {
        if self.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
            self.streams.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(StreamGuard(self.clone()))
    }
}

/// One open event stream, counted until dropped.
pub(crate) struct StreamGuard(Arc<Live>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The data of one event: `{"side": generation, "feil": null or the diagnostics}`.
pub(crate) fn data(state: &State) -> String {
    serde_json::json!({ "side": state.site, "feil": state.error }).to_string()
}

/// `saksgang serve`: reads, serves, watches and reads again until stopped.
pub fn run(root: &Path, port: u16, open: bool, timings: bool) -> ExitCode {
    let color = io::stderr().is_terminal();
    let live = Arc::new(Live::new());
    let watch_started = start_watch(root);
    let mut kept = Kept::default();
    let options = Options { color, timings };
    rebuild(root, &mut kept, &live, options, None, Instant::now());
    let listener = match bind(port) {
        Ok(l) => l,
        Err(e) => {
            let help = match e.kind() {
                io::ErrorKind::AddrInUse => format!(
                    "portene fra {port} og 20 videre er i bruk av andre programmer; velg en annen med --port {}",
                    port.wrapping_add(100).max(1024)
                ),
                io::ErrorKind::PermissionDenied => {
                    "porter under 1024 krever administratorrettigheter; velg en annen med --port 8000".to_string()
                }
                _ => "velg en annen port med --port".to_string(),
            };
            eprintln!(
                "feil: kunne ikke starte nettleserserveren på port {port} ({e})\nslik retter du det: {help}"
            );
            return ExitCode::FAILURE;
        }
    };
    let address = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("feil: kunne ikke starte nettleserserveren ({e})");
            return ExitCode::FAILURE;
        }
    };
    let url = format!("http://{address}/");
    println!(
        "åpne {url} i nettleseren (Ctrl+C avslutter); endringer i content/ og themes/ vises av seg selv"
    );
    let _ = io::stdout().flush();
    match watch_started {
        Ok(w) => {
            let (watched, root) = (live.clone(), root.to_path_buf());
            let spawned = std::thread::Builder::new()
                .name("watch".into())
                .spawn(move || watch(w, &root, kept, &watched, options));
            if let Err(e) = spawned {
                eprintln!("advarsel: endringer i mappen blir ikke fulgt ({e})");
            }
        }
        Err(e) => eprintln!(
            "advarsel: endringer i mappen blir ikke fulgt ({e}); start `saksgang serve` igjen for å se dem"
        ),
    }
    if open && let Err(e) = opener::open_browser(&url) {
        eprintln!("advarsel: kunne ikke åpne nettleseren ({e}); åpne {url} selv");
    }
    match crate::serve::run(listener, live) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("feil: nettleserserveren stoppet ({e})");
            ExitCode::FAILURE
        }
    }
}

/// Binds `port`, or the next free one of the 20 after it (0: any free port).
fn bind(port: u16) -> io::Result<TcpListener> {
    let mut last = None;
    for p in (0..=20).filter_map(|i| port.checked_add(i)) {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && port != 0 => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::ErrorKind::AddrInUse.into()))
}

/// How `serve` reports.
#[derive(Clone, Copy)]
struct Options {
    /// Diagnostics in colour (stderr is a terminal).
    color: bool,
    /// Print each reading's stages (`--timings`).
    timings: bool,
}

/// What one reading gave: a site, or the errors.
struct Outcome {
    /// The new site, or why there is none.
    preview: Result<Preview, Failed>,
    /// The warnings to print (of the files read again), rendered in colour if
    /// asked for, and how many warnings there are in all.
    warnings: String,
    all_warnings: usize,
    /// Files read again.
    read: usize,
}

/// Reads the archive again (what changed), makes a new site of it, and
/// checks the theme: the `build` of `serve`, which writes nothing.
fn read_again(
    root: &Path,
    kept: &mut Kept,
    changed: &BTreeSet<PathBuf>,
    generation: u64,
    options: Options,
) -> Outcome {
    let color = options.color;
    let first = generation == 1;
    let mut clock = Clock::new();
    let reading = build::reread(root, kept, changed, &mut clock);
    let mut diagnostics = reading.diagnostics;
    let theme = build::load_theme(root, &reading.archive, &mut diagnostics);
    clock.lap("tema");
    // The first time every warning, as `build` prints them; then those of the
    // files read again (the others were printed before).
    let fresh = |d: &Diagnostic| first || d.file.is_none_or(|f| reading.read.contains(&f));
    let all_warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    let read = reading.read.len();
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.retain(|d| d.is_error() || fresh(d));
        return Outcome {
            preview: Err(Failed {
                diagnostics,
                sources: reading.sources,
            }),
            warnings: String::new(),
            all_warnings,
            read,
        };
    }
    diagnostics.retain(fresh);
    let warnings = diag::render(&diagnostics, &reading.sources, color);
    clock.lap("advarsler");
    let preview = Preview::start(reading.archive, reading.sources, theme, generation);
    clock.lap("plan");
    if options.timings {
        for p in &clock.phases {
            eprintln!("{p}");
        }
    }
    Outcome {
        preview,
        warnings,
        all_warnings,
        read,
    }
}

/// Reads once, prints one line (and the diagnostics), and tells the pages.
fn rebuild(
    root: &Path,
    kept: &mut Kept,
    live: &Live,
    options: Options,
    changed: Option<(&BTreeSet<String>, &BTreeSet<PathBuf>)>,
    start: Instant,
) {
    let what = changed.map_or(String::new(), |(c, _)| format!("{}: ", describe(c, root)));
    let paths = changed.map(|(_, p)| p.clone()).unwrap_or_default();
    let generation = live.next_generation();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_again(root, kept, &paths, generation, options)
    }));
    let seconds = format!("{:.2}", start.elapsed().as_secs_f64()).replace('.', ",");
    match result {
        Ok(outcome) => {
            eprint!("{}", outcome.warnings);
            match outcome.preview {
                Ok(preview) => {
                    let line = built_line(preview.pages, outcome.read, outcome.all_warnings);
                    live.built(preview);
                    println!("{what}klar på {seconds} s: {line}");
                }
                Err(Failed {
                    diagnostics,
                    sources,
                }) => failed(live, &what, &seconds, &diagnostics, &sources, options.color),
            }
        }
        Err(_) => {
            // What was kept may be half made: read everything next time.
            *kept = Kept::default();
            let text = "saksgang stoppet uventet under byggingen (en feil i saksgang, ikke i arkivet); lagre filen på nytt for å prøve igjen\n".to_string();
            eprint!("{text}");
            live.failed(text);
            println!("{what}bygget stoppet etter {seconds} s; siden som vises, er den forrige");
        }
    }
    let _ = io::stdout().flush();
}

/// A reading that failed: the errors in the terminal and on the pages.
fn failed(
    live: &Live,
    what: &str,
    seconds: &str,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    color: bool,
) {
    eprint!("{}", diag::render(diagnostics, sources, color));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    live.failed(diag::render(diagnostics, sources, false));
    let shown = if live.preview().is_some() {
        "siden som vises, er den forrige"
    } else {
        "ingen side å vise før feilen er rettet"
    };
    println!(
        "{what}bygget stoppet med {} etter {seconds} s; {shown}",
        crate::norsk::count(errors, "feil", "feil")
    );
}

/// The rest of the line of a good reading.
fn built_line(pages: usize, read: usize, warnings: usize) -> String {
    let mut line = format!(
        "{}, {} lest",
        crate::norsk::count(pages, "side", "sider"),
        crate::norsk::count(read, "fil", "filer")
    );
    if warnings > 0 {
        line.push_str(&format!(
            ", {} i alt",
            crate::norsk::count(warnings, "advarsel", "advarsler")
        ));
    }
    line
}

/// What changed, for the terminal: one path, or the first and how many more.
/// A file that is gone and has no extension (the temporary file of an editor
/// or of `sed -i`) is not named, unless nothing else changed.
fn describe(changed: &BTreeSet<String>, root: &Path) -> String {
    let shown: Vec<&String> = changed
        .iter()
        .filter(|c| root.join(c).exists() || Path::new(c).extension().is_some())
        .collect();
    let shown = if shown.is_empty() {
        changed.iter().collect()
    } else {
        shown
    };
    let first = shown.first().map(|s| s.as_str()).unwrap_or_default();
    match shown.len() {
        0 | 1 => format!("{first} endret"),
        n => format!(
            "{first} og {} til endret",
            crate::norsk::count(n - 1, "fil", "filer")
        ),
    }
}

/// Whether a file name is an editor's temporary file (never read by a build).
fn is_temporary(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913"
}

/// A watch on `content/` and `themes/`, set up before the first build so
/// that no change is missed.
struct Watch {
    watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    folders: [PathBuf; 2],
}

fn start_watch(root: &Path) -> Result<Watch, String> {
    let root = root.canonicalize().map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| e.to_string())?;
    let folders = [root.join("content"), root.join("themes")];
    // The archive folder itself (not its subfolders): a content/ that is
    // deleted or renamed and comes back is seen.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| e.to_string())?;
    for f in &folders {
        if f.is_dir() {
            let _ = watcher.watch(f, RecursiveMode::Recursive);
        }
    }
    Ok(Watch {
        watcher,
        events: rx,
        root,
        folders,
    })
}

/// Reads again on every change the watch sees, until it ends.
fn watch(w: Watch, root_dir: &Path, mut kept: Kept, live: &Live, options: Options) {
    let Watch {
        mut watcher,
        events: rx,
        root,
        folders,
    } = w;
    while let Ok(first) = rx.recv() {
        let mut changed = BTreeSet::new();
        let mut changed_paths = BTreeSet::new();
        let mut rewatch = false;
        let mut start = None;
        let mut next = Some(first);
        // Debouncing: what comes within DEBOUNCE of the last change is one change.
        while let Some(event) = next.take() {
            let event = match event {
                Ok(e) => e,
                Err(_) => {
                    // A watch was lost: set them up again, and build to be sure.
                    rewatch = true;
                    changed.insert("content/".to_string());
                    start.get_or_insert_with(Instant::now);
                    next = rx.recv_timeout(DEBOUNCE).ok();
                    continue;
                }
            };
            // Reading is not changing: the build itself opens every file.
            let relevant = !matches!(event.kind, EventKind::Access(_));
            for path in event.paths.iter().filter(|_| relevant) {
                let Ok(rel) = path.strip_prefix(&root) else {
                    continue;
                };
                let mut parts = rel.components();
                let top = match parts.next() {
                    Some(Component::Normal(t)) => t,
                    _ => continue,
                };
                if !(top == "content" || top == "themes") {
                    continue;
                }
                if path.is_dir() || !path.exists() {
                    // A folder made, deleted or renamed: its watches may be stale.
                    rewatch = true;
                }
                if parts.next().is_none() && path.is_dir() {
                    // content/ itself: only its metadata (a file inside it changed).
                    continue;
                }
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if is_temporary(name) {
                    continue;
                }
                start.get_or_insert_with(Instant::now);
                changed.insert(rel.to_string_lossy().replace('\\', "/"));
                changed_paths.insert(root_dir.join(rel));
            }
            let wait = if start.is_some() {
                DEBOUNCE
            } else {
                Duration::ZERO
            };
            next = if wait.is_zero() {
                rx.try_recv().ok()
            } else {
                rx.recv_timeout(wait).ok()
            };
        }
        if rewatch {
            for f in &folders {
                let _ = watcher.unwatch(f);
                if f.is_dir() {
                    let _ = watcher.watch(f, RecursiveMode::Recursive);
                }
            }
        }
        if let Some(start) = start.filter(|_| !changed.is_empty()) {
            rebuild(
                root_dir,
                &mut kept,
                live,
                options,
                Some((&changed, &changed_paths)),
                start,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_one_line_of_json_with_the_generation_and_the_diagnostics() {
        let live = Live::new();
        assert_eq!(data(&live.state()), r#"{"feil":null,"side":0}"#);
        live.failed("feil: \"x\"\n  --> a.md:1:2\n".into());
        let d = data(&live.state());
        assert!(!d.contains('\n'), "one data line: {d}");
        let v: serde_json::Value = serde_json::from_str(&d).unwrap();
        assert_eq!(v["side"], 0);
        assert_eq!(v["feil"], "feil: \"x\"\n  --> a.md:1:2\n");
    }

    #[test]
    fn streams_are_counted_until_they_close() {
        let live = Arc::new(Live::new());
        let open: Vec<StreamGuard> = (0..MAX_STREAMS)
            .map(|_| live.open_stream().unwrap())
            .collect();
        assert!(live.open_stream().is_none());
        drop(open);
        assert!(live.open_stream().is_some());
    }
}
