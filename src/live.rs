//! Live preview for `saksgang serve`: watch `content/` and `themes/`, rebuild
//! on a change, and tell every open page.
//!
//! The pages learn of a build through Server-Sent Events at [`EVENTS`]: one
//! long-lived connection per open page, which gets the state at once and then
//! each new one. The state is the generation of the last good site and, if the
//! last build failed, the diagnostics as `check` prints them (without colour).
//! The theme's script ([`crate::theme::LIVE_SCRIPT`], served at [`SCRIPT`])
//! reloads the page when the generation changes and shows the diagnostics in a
//! dialog. The server adds the script's tag to the HTML pages it serves; the
//! files on disk are exactly those of `build`.
//!
//! Builds run one at a time in the watcher's thread. A failed build leaves the
//! last good site in place (the build never touches it then), so the pages
//! under the dialog are still the last good ones. Nothing a writer does to the
//! folder stops the server: a failed or even panicking build is reported, a
//! watch that was lost (a folder deleted or renamed) is set up again.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::build::{BuildOptions, BuildReport, build};
use crate::diag;
use crate::render::Edition;
use crate::serve::Server;

/// The address of the event stream.
pub const EVENTS: &str = "/__saksgang/hendelser";
/// The address of the live preview's script.
pub const SCRIPT: &str = "/__saksgang/direkte.js";
/// The most event streams open at once (open pages); more get 503.
pub const MAX_STREAMS: usize = 256;
/// How often an idle stream gets a comment, so that a closed page is noticed
/// and no proxy or timeout closes a live one.
const PING: Duration = Duration::from_secs(10);
/// How long the watcher waits for a burst of changes to end.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// What the open pages are told.
#[derive(Default)]
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
    streams: AtomicUsize,
}

#[derive(Default, Clone)]
struct State {
    /// Generation of the last good site.
    site: u64,
    /// How many builds have ended (good or not).
    builds: u64,
    /// The diagnostics of the last build, if it failed.
    error: Option<String>,
}

impl Live {
    /// A state with no build yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut s);
        s.builds += 1;
        self.changed.notify_all();
    }

    /// A build succeeded: the pages reload.
    pub fn built(&self) {
        self.update(|s| {
            s.site += 1;
            s.error = None;
        });
    }

    /// A build failed with `text`: the pages show it over the last good site.
    pub fn failed(&self, text: String) {
        self.update(|s| s.error = Some(text));
    }

    fn current(&self) -> State {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The tag that loads the script, with the generation of the site on disk.
    pub fn script_tag(&self) -> String {
        format!(
            "<script src=\"{SCRIPT}\" data-side=\"{}\" defer></script>",
            self.current().site
        )
    }

    /// Holds an event stream open until the page closes or the server stops.
    pub(crate) fn stream(&self, mut stream: TcpStream, stop: &AtomicBool) -> io::Result<()> {
        if self.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
            self.streams.fetch_sub(1, Ordering::SeqCst);
            let body = "503 Service Unavailable\n";
            let head = format!(
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(body.as_bytes())?;
            return stream.flush();
        }
        let result = self.hold(&mut stream, stop);
        self.streams.fetch_sub(1, Ordering::SeqCst);
        result
    }

    fn hold(&self, stream: &mut TcpStream, stop: &AtomicBool) -> io::Result<()> {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n",
        )?;
        let mut state = self.current();
        stream.write_all(message(&state).as_bytes())?;
        stream.flush()?;
        loop {
            let seen = state.builds;
            let guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let (guard, _) = self
                .changed
                .wait_timeout_while(guard, PING, |s| s.builds == seen)
                .unwrap_or_else(PoisonError::into_inner);
            let now = guard.clone();
            drop(guard);
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            if now.builds == seen {
                stream.write_all(b": venter\n\n")?;
            } else {
                state = now;
                stream.write_all(message(&state).as_bytes())?;
            }
            stream.flush()?;
        }
    }
}

/// One event: `{"side": generation, "feil": null or the diagnostics}`.
fn message(state: &State) -> String {
    let data = serde_json::json!({ "side": state.site, "feil": state.error });
    format!("event: tilstand\ndata: {data}\n\n")
}

/// `page` with `tag` before its `</head>` (or at its end if it has none).
pub fn inject(mut page: Vec<u8>, tag: &str) -> Vec<u8> {
    let at = page
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(page.len());
    page.splice(at..at, tag.bytes());
    page
}

/// `saksgang serve`: builds, serves, watches and rebuilds until stopped.
pub fn run(root: &Path, output: Option<PathBuf>, port: u16) -> ExitCode {
    let output = output.unwrap_or_else(|| root.join("public"));
    let color = io::stderr().is_terminal();
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        previous: None,
        edition: Edition::Web,
        bundle: true,
    };
    let live = Arc::new(Live::new());
    let watch_started = start_watch(root);
    let start = Instant::now();
    if !rebuild(&options, &live, color, None, start) && !output.join("index.html").is_file() {
        eprintln!("ingen side å vise ennå: rett feilene over og start `saksgang serve` igjen");
        return ExitCode::FAILURE;
    }
    let server = match bind(port) {
        Ok(listener) => Server::on(listener, &output),
        Err(e) => Err(e),
    };
    let server = match server {
        Ok(s) => s.with_live(live.clone()),
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
    println!(
        "åpne http://{}/ i nettleseren (Ctrl+C avslutter); endringer i content/ og themes/ vises av seg selv",
        server.address()
    );
    let _ = io::stdout().flush();
    match watch_started {
        Ok(w) => {
            let watched = live.clone();
            let spawned = std::thread::Builder::new()
                .name("watch".into())
                .spawn(move || watch(w, &options, &watched, color));
            if let Err(e) = spawned {
                eprintln!("advarsel: endringer i mappen blir ikke fulgt ({e})");
            }
        }
        Err(e) => eprintln!(
            "advarsel: endringer i mappen blir ikke fulgt ({e}); start `saksgang serve` igjen for å se dem"
        ),
    }
    match server.run() {
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

/// Builds once, prints one line (and the diagnostics), and tells the pages.
/// True if the build succeeded.
fn rebuild(
    options: &BuildOptions,
    live: &Live,
    color: bool,
    changed: Option<&BTreeSet<String>>,
    start: Instant,
) -> bool {
    let what = changed.map_or(String::new(), |c| format!("{}: ", describe(c)));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(options)));
    let seconds = format!("{:.2}", start.elapsed().as_secs_f64()).replace('.', ",");
    match result {
        Ok(Ok(report)) => {
            if !report.warnings.is_empty() {
                eprint!("{}", diag::render(&report.warnings, &report.sources, color));
            }
            live.built();
            println!("{what}{}", built_line(&report, &seconds));
            true
        }
        Ok(Err(failure)) => {
            eprint!(
                "{}",
                diag::render(&failure.diagnostics, &failure.sources, color)
            );
            let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
            live.failed(diag::render(&failure.diagnostics, &failure.sources, false));
            println!(
                "{what}bygget stoppet med {} etter {seconds} s; siden som vises, er den forrige",
                crate::norsk::count(errors, "feil", "feil")
            );
            false
        }
        Err(_) => {
            let text = "saksgang stoppet uventet under byggingen (en feil i saksgang, ikke i arkivet); lagre filen på nytt for å prøve igjen\n".to_string();
            eprint!("{text}");
            live.failed(text);
            println!("{what}bygget stoppet etter {seconds} s; siden som vises, er den forrige");
            false
        }
    }
}

fn built_line(report: &BuildReport, seconds: &str) -> String {
    let w = &report.written;
    format!(
        "bygget {} på {seconds} s ({} nye eller endret)",
        crate::norsk::count(w.pages, "side", "sider"),
        w.written
    )
}

/// What changed, for the terminal: one path, or the first and how many more.
fn describe(changed: &BTreeSet<String>) -> String {
    let mut paths = changed.iter();
    let first = paths.next().cloned().unwrap_or_default();
    match changed.len() {
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

/// Rebuilds on every change the watch sees, until it ends.
fn watch(w: Watch, options: &BuildOptions, live: &Live, color: bool) {
    let Watch {
        mut watcher,
        events: rx,
        root,
        folders,
    } = w;
    // The site is written next to where it is served from; its writes are not changes.
    let output = match options.output.canonicalize() {
        Ok(o) => o,
        Err(_) => options.output.clone(),
    };
    while let Ok(first) = rx.recv() {
        let mut changed = BTreeSet::new();
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
                if path.starts_with(&output) {
                    continue;
                }
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
            rebuild(options, live, color, Some(&changed), start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_goes_before_the_end_of_head() {
        let page = inject(b"<html><head><title>x</title></head><body>".to_vec(), "<s>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><head><title>x</title><s></head><body>"
        );
        assert_eq!(inject(b"<p>x".to_vec(), "<s>"), b"<p>x<s>");
    }

    #[test]
    fn messages_carry_the_generation_and_the_diagnostics_as_json() {
        let live = Live::new();
        live.built();
        live.failed("feil: \"x\"\n  --> a.md:1:2\n".into());
        let m = message(&live.current());
        let data = m
            .strip_prefix("event: tilstand\ndata: ")
            .and_then(|d| d.strip_suffix("\n\n"))
            .unwrap();
        assert!(!data.contains('\n'), "one data line: {m}");
        let v: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(v["side"], 1);
        assert_eq!(v["feil"], "feil: \"x\"\n  --> a.md:1:2\n");
    }
}
