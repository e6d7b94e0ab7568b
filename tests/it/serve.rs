//! `saksgang serve`: the local server answers many readers at once, refuses
//! what it must not serve, and answers HEAD and other methods as HTTP says.
//! The server runs as a child process on a copy of the bundled archive (as in
//! `live.rs`); every read has a timeout, so a server that hangs fails the test.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::live::{Serving, start};

const MEETING: &str = "/moter/2017-06-01-radmannsgruppen/";

fn connect(address: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

/// Sends `request` as is and returns the whole answer.
fn ask(address: SocketAddr, request: &str) -> String {
    let mut s = connect(address);
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)
        .expect("an answer before the timeout");
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(s: &Serving, path: &str) -> String {
    ask(
        s.address,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn status(answer: &str) -> &str {
    answer.lines().next().unwrap_or_default()
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

#[test]
fn serves_pages_folders_files_and_the_404_page_from_memory() {
    let s = start();
    let a = get(&s, "/");
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    assert!(body(&a).contains("<h1"), "{a}");
    assert_eq!(header(&a, "content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(header(&a, "x-content-type-options"), Some("nosniff"));
    let a = get(&s, MEETING);
    assert!(body(&a).contains("Rådmannsgruppen"), "{a}");
    // Percent-encoded, as browsers may send it.
    let a = get(&s, "/moter/2017-06-01-radmanns%67ruppen/");
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    assert!(body(&a).contains("Rådmannsgruppen"));
    // A folder without its `/`: sent on, with the query kept.
    let a = get(&s, "/moter/2017-06-01-radmannsgruppen?x=1");
    assert_eq!(status(&a), "HTTP/1.1 301 Moved Permanently");
    assert_eq!(
        header(&a, "location"),
        Some("/moter/2017-06-01-radmannsgruppen/?x=1")
    );
    let a = get(&s, "/static/style.css");
    assert_eq!(header(&a, "content-type"), Some("text/css; charset=utf-8"));
    let a = get(&s, "/moter.ics");
    assert_eq!(
        header(&a, "content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(body(&a).starts_with("BEGIN:VCALENDAR"));
    // The search index, made when first asked for.
    let a = get(&s, "/sok/indeks.js");
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    assert_eq!(
        header(&a, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let a = get(&s, "/finnes/ikke/");
    assert_eq!(status(&a), "HTTP/1.1 404 Not Found");
    assert!(
        body(&a).contains("finnes ikke") || body(&a).contains("fant ikke"),
        "{a}"
    );
    // Nothing is written: the site is in memory.
    assert!(!s.root.join("public").exists());
}

#[test]
fn an_idle_connection_does_not_block_another_reader() {
    let s = start();
    // Connects and says nothing (like `nc` left open), and one that stops mid-line.
    let _idle = connect(s.address);
    let mut half = connect(s.address);
    half.write_all(b"GET /ind").unwrap();
    let many: Vec<TcpStream> = (0..100).map(|_| connect(s.address)).collect();
    let a = get(&s, "/");
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    drop(many);
}

#[test]
fn a_huge_request_line_is_refused_without_reading_it_all() {
    let s = start();
    let mut huge = connect(s.address);
    // 100 MB of request line, sent from another thread for as long as the
    // server takes it; the server must stop reading long before the end.
    let total: usize = 100 << 20;
    let mut writer = huge.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        writer.write_all(b"GET /").unwrap();
        let mut sent = 0;
        while sent < total {
            if writer.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    // Meanwhile others are answered.
    assert_eq!(status(&get(&s, "/")), "HTTP/1.1 200 OK");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // Reads the answer; a reset after it is fine.
    while let Ok(n) = huge.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(
        answer.is_empty() || status(&answer).starts_with("HTTP/1.1 4"),
        "{answer}"
    );
    let sent = sender.join().unwrap();
    assert!(
        sent < total,
        "the server read all {sent} bytes of the request line"
    );
    // And it still answers.
    assert_eq!(status(&get(&s, "/")), "HTTP/1.1 200 OK");
}

#[test]
fn head_has_the_headers_of_get_and_no_body() {
    let s = start();
    let g = get(&s, MEETING);
    let h = ask(
        s.address,
        &format!("HEAD {MEETING} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status(&h), "HTTP/1.1 200 OK");
    assert_eq!(body(&h), "");
    assert_eq!(
        header(&h, "content-length"),
        Some(body(&g).len().to_string().as_str())
    );
    assert_eq!(header(&h, "content-type"), header(&g, "content-type"));
    let missing = ask(
        s.address,
        "HEAD /finnes/ikke/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status(&missing), "HTTP/1.1 404 Not Found");
    assert_eq!(body(&missing), "");
}

#[test]
fn other_methods_get_405_with_allow() {
    let s = start();
    for path in [
        "/",
        MEETING,
        "/__saksgang/hendelser",
        "/__saksgang/direkte.js",
    ] {
        for method in ["POST", "DELETE", "PUT", "PATCH"] {
            let a = ask(
                s.address,
                &format!(
                    "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
            );
            assert_eq!(
                status(&a),
                "HTTP/1.1 405 Method Not Allowed",
                "{method} {path}"
            );
            let allow = header(&a, "allow").unwrap_or_default().replace(' ', "");
            assert_eq!(allow, "GET,HEAD", "{method} {path}");
        }
    }
}

#[test]
fn paths_with_dot_dot_or_backslashes_are_refused() {
    let s = start();
    for path in [
        "/../content/site.yaml",
        "/moter/../../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/moter/%2E%2E%2f%2e%2e%2fcontent/site.yaml",
        "/..%5ccontent%5csite.yaml",
        "/a%00b",
        "/%ff",
    ] {
        let a = get(&s, path);
        assert_eq!(status(&a), "HTTP/1.1 400 Bad Request", "{path}");
        assert!(!a.contains("base_url"), "{path}");
    }
}
