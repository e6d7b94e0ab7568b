//! A small local web server for reading a built site: `saksgang serve`.
//!
//! It serves the files of the output folder on 127.0.0.1 only, with the content
//! types the site uses. It is for a writer checking their work, not for
//! publishing (the web build is uploaded to a real web server), but it must not
//! be stopped or exhausted by one client: every connection gets its own thread
//! (at most [`MAX_CONNECTIONS`] at once; more wait to be accepted until one
//! ends, which an idle one does within [`HEAD_TIMEOUT`]), reads
//! and writes have timeouts, the request line and headers may be at most
//! [`MAX_HEAD`] bytes (414 or 431 otherwise, without reading the rest), and one
//! request is answered per connection. GET and HEAD are answered (HEAD with the
//! same headers and no body), every other method 405 with `Allow`. No request
//! path reaches a file outside the folder: `..`, backslashes and NUL bytes are
//! refused after percent-decoding, and a file reached through a symlink must
//! still be inside the folder.
//!
//! With live preview ([`Server::with_live`], what `saksgang serve` runs), the
//! HTML pages it sends get the tag of the live script before `</head>` (the
//! files on disk are not changed), and two addresses under `/__saksgang/` are
//! answered from memory: the script, and the event stream each open page holds.
//! An event stream gives its connection slot back once it is recognised, so
//! open pages never keep other readers waiting; [`crate::live::MAX_STREAMS`]
//! caps them instead.
//!
//! It is built on `std::net` and threads, not an HTTP crate: what it needs is
//! small, and the limits are easier to see and test here than in a crate's
//! configuration.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The most bytes of request line and headers read from one request.
pub const MAX_HEAD: usize = 8 * 1024;
/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its request line and headers, all of
/// them: not reset by each byte, so sending slowly does not hold a connection.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long sending one file may take in all.
const SEND_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// How long one write to a client may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `dir` on `http://127.0.0.1:port/` until the process is stopped.
pub fn serve(dir: &Path, port: u16) -> io::Result<()> {
    let server = Server::bind(dir, port)?;
    println!(
        "åpne http://{}/ i nettleseren (Ctrl+C avslutter)",
        server.address()
    );
    server.run()
}

/// A server on a listener, to run in a thread of its own; [`Server::stopper`]
/// stops it from another.
pub struct Server {
    dir: PathBuf,
    listener: TcpListener,
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    live: Option<Arc<crate::live::Live>>,
}

/// Stops a running [`Server`].
#[derive(Clone)]
pub struct Stopper {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Stopper {
    /// Makes the server stop accepting connections and return from `run`.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept call, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
    }
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 for any free port) to serve `dir`.
    pub fn bind(dir: &Path, port: u16) -> io::Result<Self> {
        Self::on(TcpListener::bind((Ipv4Addr::LOCALHOST, port))?, dir)
    }

    /// Serves `dir` on a listener that is already bound.
    pub fn on(listener: TcpListener, dir: &Path) -> io::Result<Self> {
        Ok(Self {
            dir: dir.canonicalize()?,
            address: listener.local_addr()?,
            listener,
            stop: Arc::new(AtomicBool::new(false)),
            live: None,
        })
    }

    /// Serves with live preview: every HTML page gets the reload script, and
    /// `/__saksgang/` answers the event stream and the script (see [`crate::live`]).
    pub fn with_live(mut self, live: Arc<crate::live::Live>) -> Self {
        self.live = Some(live);
        self
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// A handle that stops the server.
    pub fn stopper(&self) -> Stopper {
        Stopper {
            address: self.address,
            stop: self.stop.clone(),
        }
    }

    /// Answers connections until stopped; each in a thread of its own.
    pub fn run(self) -> io::Result<()> {
        let slots = Arc::new(Slots::default());
        let dir = Arc::new(self.dir);
        loop {
            if !slots.take(&self.stop) {
                break;
            }
            let stream = self.listener.accept();
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            // A client that went away before it was accepted is not our problem.
            let Ok((stream, _)) = stream else {
                slots.give_back();
                continue;
            };
            let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
            let (dir, mine) = (dir.clone(), slots.clone());
            let (live, stop) = (self.live.clone(), self.stop.clone());
            let spawned = std::thread::Builder::new()
                .name("serve".into())
                .spawn(move || {
                    // One bad request must not stop the server.
                    let answer = connection(&dir, stream, live.as_deref());
                    // An event stream stays open as long as its page: it does
                    // not hold one of the connection slots (it has its own cap).
                    mine.give_back();
                    if let (Ok(Some(stream)), Some(live)) = (answer, live) {
                        let _ = live.stream(stream, &stop);
                    }
                });
            if spawned.is_err() {
                slots.give_back();
            }
        }
        Ok(())
    }
}

/// How many connections are being served, so that no more than
/// [`MAX_CONNECTIONS`] are.
#[derive(Default)]
struct Slots {
    open: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    /// Waits for a free slot and takes it; false if the server is stopping.
    fn take(&self, stop: &AtomicBool) -> bool {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        while *open >= MAX_CONNECTIONS {
            if stop.load(Ordering::SeqCst) {
                return false;
            }
            open = self
                .freed
                .wait_timeout(open, Duration::from_millis(500))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *open += 1;
        !stop.load(Ordering::SeqCst)
    }

    fn give_back(&self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        *open = open.saturating_sub(1);
        self.freed.notify_one();
    }
}

/// The request line and headers of a request, or the status that refuses it.
fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, (u16, &'static str)> {
    let start = Instant::now();
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let left = HEAD_TIMEOUT.saturating_sub(start.elapsed());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err((408, "Request Timeout"));
        }
        let want = buf.len().min(MAX_HEAD + 4 - head.len());
        let n = match stream.read(&mut buf[..want]) {
            Ok(0) => return Err((400, "Bad Request")),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err((408, "Request Timeout")),
        };
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find_end(&head[from..]) {
            head.truncate(from + end);
            if head.len() <= MAX_HEAD {
                return Ok(head);
            }
        }
        if head.len() > MAX_HEAD {
            return Err(if head.contains(&b'\n') {
                (431, "Request Header Fields Too Large")
            } else {
                (414, "URI Too Long")
            });
        }
    }
}

/// Where the head ends (the blank line), as an offset of `bytes`.
fn find_end(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&i| {
        let rest = &bytes[i..];
        rest.starts_with(b"\r\n\r\n") || rest.starts_with(b"\n\n")
    })
}

/// Answers one request; with live preview, the stream of a request for the
/// event stream is handed back to be held open.
fn connection(
    dir: &Path,
    mut stream: TcpStream,
    live: Option<&crate::live::Live>,
) -> io::Result<Option<TcpStream>> {
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err((code, reason)) => {
            respond_error(&mut stream, code, reason, "")?;
            linger(stream)?;
            return Ok(None);
        }
    };
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_ascii_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        respond_error(&mut stream, 400, "Bad Request", "")?;
        return Ok(None);
    };
    if !version.starts_with("HTTP/1.") {
        respond_error(&mut stream, 505, "HTTP Version Not Supported", "")?;
        return Ok(None);
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            respond_error(
                &mut stream,
                405,
                "Method Not Allowed",
                "Allow: GET, HEAD\r\n",
            )?;
            // A body the client may still be sending is not read.
            linger(stream)?;
            return Ok(None);
        }
    };
    if live.is_some() {
        let path = target.split(['?', '#']).next().unwrap_or_default();
        if path == crate::live::EVENTS {
            return Ok(Some(stream));
        }
        if path == crate::live::SCRIPT {
            send_bytes(
                &mut stream,
                200,
                "OK",
                "text/javascript; charset=utf-8",
                crate::theme::LIVE_SCRIPT.as_bytes(),
                head_only,
            )?;
            return Ok(None);
        }
    }
    let send = |stream: &mut TcpStream, code, reason, file: &Path| match live {
        Some(live) if content_type(file).starts_with("text/html") => {
            // The generation first: a page newer than it only reloads once more.
            let tag = live.script_tag();
            let Ok(page) = std::fs::read(file) else {
                return respond(stream, 404, "Not Found", "", head_only);
            };
            let page = crate::live::inject(page, &tag);
            send_bytes(stream, code, reason, content_type(file), &page, head_only)
        }
        _ => send_file(stream, code, reason, file, head_only),
    };
    match resolve(dir, target) {
        Found::File(file) => send(&mut stream, 200, "OK", &file),
        Found::Folder(to) => {
            let extra = format!("Location: {to}\r\n");
            respond(&mut stream, 301, "Moved Permanently", &extra, head_only)
        }
        Found::Nothing => send(&mut stream, 404, "Not Found", &dir.join("404.html")),
        Found::Refused => respond(&mut stream, 400, "Bad Request", "", head_only),
    }?;
    Ok(None)
}

/// Sends a body made in memory.
fn send_bytes(
    stream: &mut TcpStream,
    code: u16,
    reason: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let header = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// After refusing a request that was not read to its end: reads (and drops) a
/// little more of it, so the client sees the answer rather than a reset, then
/// closes.
fn linger(mut stream: TcpStream) -> io::Result<()> {
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    let mut buf = [0u8; 8192];
    let mut left: usize = 1 << 20;
    while left > 0 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
    Ok(())
}

fn respond(
    stream: &mut TcpStream,
    code: u16,
    reason: &str,
    extra: &str,
    head_only: bool,
) -> io::Result<()> {
    let body = format!("{code} {reason}\n");
    let header = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head_only {
        stream.write_all(body.as_bytes())?;
    }
    stream.flush()
}

fn respond_error(stream: &mut TcpStream, code: u16, reason: &str, extra: &str) -> io::Result<()> {
    respond(stream, code, reason, extra, false)
}

fn send_file(
    stream: &mut TcpStream,
    code: u16,
    reason: &str,
    file: &Path,
    head_only: bool,
) -> io::Result<()> {
    let Ok(mut f) = File::open(file) else {
        return respond(stream, 404, "Not Found", "", head_only);
    };
    let len = f.metadata()?.len();
    let header = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {}\r\nContent-Length: {len}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        content_type(file),
    );
    stream.write_all(header.as_bytes())?;
    if !head_only {
        // A client that reads very slowly is let go after SEND_TIMEOUT in all.
        let start = Instant::now();
        let mut buf = vec![0u8; 64 * 1024];
        let mut f = (&mut f).take(len);
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            if start.elapsed() > SEND_TIMEOUT {
                return Err(io::ErrorKind::TimedOut.into());
            }
            stream.write_all(&buf[..n])?;
        }
    }
    stream.flush()
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// A file inside the folder.
    File(PathBuf),
    /// A folder asked for without its `/`: the address to send the browser to,
    /// so that the page's relative links work.
    Folder(String),
    /// No such file.
    Nothing,
    /// A path that is not allowed (`..`, a backslash, bad percent-encoding).
    Refused,
}

/// The file for a request target; never one outside `dir` (which is canonical).
fn resolve(dir: &Path, target: &str) -> Found {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or_default();
    if !path.starts_with('/') {
        return Found::Refused;
    }
    let Some(decoded) = crate::render::urls::percent_decode(path) else {
        return Found::Refused;
    };
    if decoded.contains(['\\', '\0']) {
        return Found::Refused;
    }
    let mut file = dir.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Found::Refused,
            s => {
                let mut c = Path::new(s).components();
                match (c.next(), c.next()) {
                    (Some(Component::Normal(p)), None) => file.push(p),
                    _ => return Found::Refused,
                }
            }
        }
    }
    // Symlinks inside the folder may be followed, but not out of it.
    let Ok(real) = file.canonicalize() else {
        return Found::Nothing;
    };
    if !real.starts_with(dir) {
        return Found::Nothing;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            let q = query.map(|q| format!("?{q}")).unwrap_or_default();
            return Found::Folder(format!("{path}/{q}"));
        }
        let index = real.join("index.html");
        return match index.canonicalize() {
            Ok(i) if i.starts_with(dir) && i.is_file() => Found::File(i),
            _ => Found::Nothing,
        };
    }
    if real.is_file() {
        Found::File(real)
    } else {
        Found::Nothing
    }
}

fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("pdf") => "application/pdf",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_map_to_files_inside_the_folder_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(dir.join("moter/ø")).unwrap();
        std::fs::write(dir.join("moter/ø/index.html"), "x").unwrap();
        assert_eq!(
            resolve(&dir, "/moter/%C3%B8/#sak-01-2017"),
            Found::File(dir.join("moter/ø/index.html"))
        );
        assert_eq!(
            resolve(&dir, "/moter/%C3%B8?q=1"),
            Found::Folder("/moter/%C3%B8/?q=1".into())
        );
        for bad in [
            "/../etc/passwd",
            "/moter/%2e%2e/%2E%2E/etc/passwd",
            "/moter/..%2f..%2fetc",
            "/moter\\..\\..\\etc",
            "/%5c..%5cetc",
            "/a%00b",
            "/%ff",
            "etc/passwd",
        ] {
            assert_eq!(resolve(&dir, bad), Found::Refused, "{bad}");
        }
        assert_eq!(resolve(&dir, "//etc/passwd"), Found::Nothing);
        assert_eq!(resolve(&dir, "/finnes-ikke/"), Found::Nothing);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("inne")).unwrap();
        std::fs::write(tmp.path().join("hemmelig.txt"), "x").unwrap();
        std::fs::write(site.join("inne/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("hemmelig.txt"), site.join("ut.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), site.join("utmappe")).unwrap();
        std::os::unix::fs::symlink(site.join("inne/a.txt"), site.join("b.txt")).unwrap();
        let dir = site.canonicalize().unwrap();
        assert_eq!(resolve(&dir, "/ut.txt"), Found::Nothing);
        assert_eq!(resolve(&dir, "/utmappe/hemmelig.txt"), Found::Nothing);
        assert_eq!(resolve(&dir, "/b.txt"), Found::File(dir.join("inne/a.txt")));
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.CSS", "text/css; charset=utf-8"),
            ("nytt.xml", "application/xml"),
            ("moter.ics", "text/calendar; charset=utf-8"),
            ("arkiv.zip", "application/zip"),
            ("logo.svg", "image/svg+xml"),
            ("manifest.txt", "text/plain; charset=utf-8"),
        ] {
            assert_eq!(content_type(Path::new(f)), t);
        }
    }
}
