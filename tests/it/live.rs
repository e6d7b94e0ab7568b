//! `saksgang serve` as a live preview: it runs as a child process on a copy of
//! the bundled archive, and a plain TCP client reads its event stream while the
//! test edits, breaks, fixes, replaces by rename, deletes and recreates files.
//! Every read has a timeout, so a server that hangs fails the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{copy_dir, repo};

const MEETING: &str = "content/meetings/2017/2017-06-01-radmannsgruppen.md";
const PAGE: &str = "/moter/2017-06-01-radmannsgruppen/";
/// How long a rebuild may take in a debug build on a busy machine.
const WAIT: Duration = Duration::from_secs(60);

pub(crate) struct Serving {
    child: Child,
    pub(crate) address: SocketAddr,
    pub(crate) root: PathBuf,
    /// The lines `serve` prints to stdout, after the address.
    lines: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serving {
    fn file(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The next line `serve` prints.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(WAIT)
            .expect("serve prints a line per rebuild")
    }
}

pub(crate) fn start() -> Serving {
    start_with(|_| {})
}

fn spawn(root: &Path, port: u16) -> (Child, SocketAddr, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let address = loop {
        let line = lines.recv_timeout(WAIT).expect("serve prints its address");
        if let Some(rest) = line.strip_prefix("åpne http://") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    (child, address, lines)
}

/// Starts `serve` on a copy of the bundled archive, after `before` has
/// changed the copy.
fn start_with(before: impl FnOnce(&Path)) -> Serving {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    before(&root);
    let (child, address, lines) = spawn(&root, 0);
    Serving {
        child,
        address,
        root,
        lines,
        _dir: dir,
    }
}

fn get(address: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).expect("an answer in time");
    String::from_utf8_lossy(&answer).into_owned()
}

/// An open event stream, as a page holds it.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(address: SocketAddr) -> Self {
        let mut s = TcpStream::connect(address).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
        write!(
            s,
            "GET /__saksgang/hendelser HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events(BufReader::new(s));
        let status = events.read_line(WAIT).unwrap();
        assert_eq!(status.trim_end(), "HTTP/1.1 200 OK");
        events
    }

    fn read_line(&mut self, within: Duration) -> Option<String> {
        let end = Instant::now() + within;
        let mut line = String::new();
        while Instant::now() < end {
            match self.0.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) if line.ends_with('\n') => return Some(line),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("{e}"),
            }
        }
        None
    }

    /// The next state the server sends, if one comes `within`.
    fn next(&mut self, within: Duration) -> Option<serde_json::Value> {
        let end = Instant::now() + within;
        let mut event = None;
        while let Some(line) = self.read_line(end.saturating_duration_since(Instant::now())) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = Some(name.trim_end().to_string());
            } else if let Some(data) = line.strip_prefix("data: ") {
                assert_eq!(event.as_deref(), Some("tilstand"));
                return Some(serde_json::from_str(data.trim_end()).unwrap());
            }
        }
        None
    }

    fn expect(&mut self) -> serde_json::Value {
        self.next(WAIT).expect("a state in time")
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_edit_reloads_a_mistake_shows_as_check_says_and_a_fix_removes_it() {
    let mut s = start();
    let mut events = Events::open(s.address);
    let first = events.expect();
    assert!(first["feil"].is_null(), "{first}");
    let side = first["side"].as_u64().unwrap();
    // Open pages do not keep other readers waiting.
    let _pages: Vec<Events> = (0..70).map(|_| Events::open(s.address)).collect();
    let page = get(s.address, PAGE);
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains(&format!(
        "<script src=\"/__saksgang/direkte.js\" data-side=\"{side}\" defer></script></head>"
    )));
    let script = get(s.address, "/__saksgang/direkte.js");
    assert!(script.contains("text/javascript") && script.contains("EventSource"));

    // An edit: a new site, the page shows it.
    let meeting = s.file(MEETING);
    edit(&meeting, "place: Drammen rådhus", "place: Lampeland skole");
    let after = events.expect();
    assert_eq!(after["side"].as_u64(), Some(side + 1), "{after}");
    assert!(after["feil"].is_null());
    assert!(get(s.address, PAGE).contains("Lampeland skole"));
    let line = s.line();
    // One line: what changed, how long, how many pages, how many files read.
    assert!(
        line.starts_with(&format!("{MEETING} endret: klar på "))
            && line.contains(" sider, 1 fil lest"),
        "{line}"
    );
    // The build's own writes are not changes.
    assert_eq!(events.next(Duration::from_secs(2)), None);

    // A mistake: the same site, and the diagnostics as `check` prints them.
    edit(
        &meeting,
        "place: Lampeland skole",
        "place: [Lampeland skole",
    );
    let broken = events.expect();
    assert_eq!(broken["side"].as_u64(), Some(side + 1));
    let text = broken["feil"]
        .as_str()
        .expect("the diagnostics")
        .to_string();
    assert!(text.contains("2017-06-01-radmannsgruppen.md:"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes: {text}");
    let check = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(["check", "--root"])
        .arg(&s.root)
        .output()
        .unwrap();
    let check = String::from_utf8(check.stderr).unwrap();
    assert!(check.starts_with(&text), "check:\n{check}\nserve:\n{text}");
    assert!(s.line().contains("bygget stoppet med 1 feil"));
    // The last good site is still served.
    assert!(get(s.address, PAGE).contains("Lampeland skole"));
    // A page opened now learns of the mistake at once.
    let mut late = Events::open(s.address);
    assert_eq!(late.expect()["feil"].as_str(), Some(text.as_str()));

    // The fix: a new site, no mistake.
    edit(&meeting, "place: [Lampeland skole", "place: Drammen rådhus");
    let fixed = events.expect();
    assert_eq!(fixed["side"].as_u64(), Some(side + 2));
    assert!(fixed["feil"].is_null());
    assert_eq!(late.expect(), fixed);
    assert!(get(s.address, PAGE).contains("Drammen rådhus"));
    assert!(s.alive());

    // Nothing was written: the site is in memory.
    assert!(!s.root.join("public").exists());
}

#[test]
fn rename_on_save_and_a_deleted_and_recreated_file_rebuild_and_the_server_lives() {
    let mut s = start();
    let mut events = Events::open(s.address);
    let side = events.expect()["side"].as_u64().unwrap();
    let meeting = s.file(MEETING);
    let original = std::fs::read_to_string(&meeting).unwrap();

    // Saved the way many editors do: a temporary file, renamed over the file.
    let temp = meeting.with_file_name(".2017-06-01-radmannsgruppen.md.tmp");
    std::fs::write(
        &temp,
        original.replacen("place: Drammen rådhus", "place: Sande kulturhus", 1),
    )
    .unwrap();
    std::fs::rename(&temp, &meeting).unwrap();
    let renamed = events.expect();
    assert_eq!(renamed["side"].as_u64(), Some(side + 1), "{renamed}");
    assert!(get(s.address, PAGE).contains("Sande kulturhus"));

    // Deleted: whatever the build says, the server stays up and serves.
    std::fs::remove_file(&meeting).unwrap();
    let deleted = events.expect();
    assert!(deleted["side"].as_u64() >= Some(side + 1), "{deleted}");
    assert!(s.alive());
    assert!(get(s.address, "/").starts_with("HTTP/1.1 200 OK"));

    // Recreated: a new good site.
    std::fs::write(&meeting, &original).unwrap();
    let back = events.expect();
    assert!(back["feil"].is_null(), "{back}");
    assert!(back["side"].as_u64() > deleted["side"].as_u64());
    assert!(get(s.address, PAGE).contains("Drammen rådhus"));

    // A whole folder renamed under the watcher, and back.
    let year = s.file("content/meetings/2017");
    let away = s.file("content/meetings/2017-bort");
    std::fs::rename(&year, &away).unwrap();
    let moved = events.expect();
    std::fs::rename(&away, &year).unwrap();
    let mut state = events.expect();
    // The two renames may come as one build or two.
    while state["side"] == moved["side"] && state["feil"] == moved["feil"] {
        state = events.expect();
    }
    assert!(s.alive());
    edit(&meeting, "place: Drammen rådhus", "place: Hokksund");
    let mut edited = events.expect();
    while !edited["feil"].is_null() || !get(s.address, PAGE).contains("Hokksund") {
        edited = events.expect();
    }
    assert!(s.alive());
}

/// The browser test: a meeting page opened from `serve` shows an edit,
/// a mistake and its fix by itself. Skipped (with a notice) where Chromium or
/// playwright-core is missing, as `browser.rs` is.
#[test]
fn a_page_in_chromium_shows_an_edit_a_mistake_and_its_fix_by_itself() {
    if crate::browser::cannot_run(
        "nettlesertesten av serve",
        "browser test",
        crate::browser::missing(&[], false),
    ) {
        return;
    }
    let mut s = start();
    let url = format!("http://{}{PAGE}", s.address);
    let file = s.file(MEETING);
    let (passed, report) = crate::browser::node("live.mjs", &[url.as_ref(), file.as_os_str()]);
    eprintln!("{report}");
    assert!(passed, "the browser found problems:\n{report}");
    assert!(s.alive());
}

/// A mistake made while `serve` was not running: every address shows it (with
/// the live script, status 503), and the fix shows the site by itself.
#[test]
fn a_first_build_that_fails_shows_the_mistake_everywhere_until_it_is_fixed() {
    let mut s = start_with(|root| {
        edit(
            &root.join(MEETING),
            "place: Drammen rådhus",
            "place: [Drammen rådhus",
        );
    });
    let mut events = Events::open(s.address);
    let first = events.expect();
    assert_eq!(first["side"].as_u64(), Some(0), "{first}");
    let text = first["feil"].as_str().expect("the mistake").to_string();
    assert!(text.contains("2017-06-01-radmannsgruppen.md:"), "{text}");
    for path in ["/", PAGE, "/finnes/ikke/"] {
        let page = get(s.address, path);
        assert!(page.starts_with("HTTP/1.1 503"), "{page}");
        assert!(page.contains("data-side=\"0\""), "{page}");
        assert!(page.contains("2017-06-01-radmannsgruppen.md:"), "{page}");
    }
    edit(
        &s.file(MEETING),
        "place: [Drammen rådhus",
        "place: Drammen rådhus",
    );
    let fixed = events.expect();
    assert!(fixed["feil"].is_null(), "{fixed}");
    assert_eq!(fixed["side"].as_u64(), Some(1));
    assert!(get(s.address, PAGE).contains("Drammen rådhus"));
    assert!(s.alive());
}

/// A port that is taken: `serve` takes the next free one and prints it.
#[test]
fn a_taken_port_gives_the_next_free_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (mut child, address, _lines) = spawn(&root, port);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        address.port() > port && address.port() <= port.saturating_add(20),
        "{address} after {port}"
    );
}
