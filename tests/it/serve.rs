//! `saksgang serve`: the local server answers many readers at once, refuses
//! what it must not read or serve, and answers HEAD and other methods as HTTP says.
//! The server runs in this process on a free loopback port; every read of a
//! test has a timeout, so a server that hangs fails the test instead of hanging it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use saksgang::serve::{Server, Stopper};

/// A running server on a small site; stopped when dropped.
struct Running {
    address: SocketAddr,
    stopper: Stopper,
    _site: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stopper.stop();
    }
}

fn site(dir: &Path) {
    std::fs::create_dir_all(dir.join("moter/2017-møte")).unwrap();
    std::fs::create_dir_all(dir.join("static")).unwrap();
    std::fs::write(dir.join("index.html"), "<p>forsiden</p>").unwrap();
    std::fs::write(dir.join("404.html"), "<p>fant ikke siden</p>").unwrap();
    std::fs::write(dir.join("moter/2017-møte/index.html"), "<p>møtet</p>").unwrap();
    std::fs::write(dir.join("static/style.css"), "p{}").unwrap();
}

fn start() -> Running {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    site(&public);
    std::fs::write(tmp.path().join("hemmelig.txt"), "hemmelig").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = Server::on(listener, &public).unwrap();
    let running = Running {
        address: server.address(),
        stopper: server.stopper(),
        _site: tmp,
    };
    std::thread::spawn(move || server.run());
    running
}

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

fn get(address: SocketAddr, path: &str) -> String {
    ask(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
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
fn serves_pages_folders_and_the_404_page() {
    let s = start();
    let a = get(s.address, "/");
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    assert_eq!(body(&a), "<p>forsiden</p>");
    assert_eq!(header(&a, "content-type"), Some("text/html; charset=utf-8"));
    let a = get(s.address, "/moter/2017-m%C3%B8te/");
    assert_eq!(body(&a), "<p>møtet</p>");
    let a = get(s.address, "/moter/2017-m%C3%B8te");
    assert_eq!(status(&a), "HTTP/1.1 301 Moved Permanently");
    assert_eq!(header(&a, "location"), Some("/moter/2017-m%C3%B8te/"));
    let a = get(s.address, "/static/style.css");
    assert_eq!(header(&a, "content-type"), Some("text/css; charset=utf-8"));
    let a = get(s.address, "/finnes/ikke/");
    assert_eq!(status(&a), "HTTP/1.1 404 Not Found");
    assert_eq!(body(&a), "<p>fant ikke siden</p>");
}

#[test]
fn an_idle_connection_does_not_block_another_reader() {
    let s = start();
    // Connects and says nothing (like `nc` left open), and one that stops mid-line.
    let _idle = connect(s.address);
    let mut half = connect(s.address);
    half.write_all(b"GET /ind").unwrap();
    let a = get(s.address, "/");
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    assert_eq!(body(&a), "<p>forsiden</p>");
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
    assert_eq!(status(&get(s.address, "/")), "HTTP/1.1 200 OK");
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
    assert_eq!(status(&answer), "HTTP/1.1 414 URI Too Long");
    let sent = sender.join().unwrap();
    assert!(
        sent < total,
        "the server read all {sent} bytes of the request line"
    );
    // And it still answers.
    assert_eq!(status(&get(s.address, "/")), "HTTP/1.1 200 OK");
}

#[test]
fn too_many_headers_are_refused() {
    let s = start();
    let headers = "X-A: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(400);
    let a = ask(
        s.address,
        &format!("GET / HTTP/1.1\r\nHost: x\r\n{headers}\r\n"),
    );
    assert_eq!(status(&a), "HTTP/1.1 431 Request Header Fields Too Large");
}

#[test]
fn head_has_the_headers_of_get_and_no_body() {
    let s = start();
    let g = get(s.address, "/moter/2017-m%C3%B8te/");
    let h = ask(
        s.address,
        "HEAD /moter/2017-m%C3%B8te/ HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(status(&h), "HTTP/1.1 200 OK");
    assert_eq!(body(&h), "");
    assert_eq!(
        header(&h, "content-length"),
        Some("<p>møtet</p>".len().to_string().as_str())
    );
    assert_eq!(header(&h, "content-length"), header(&g, "content-length"));
    assert_eq!(header(&h, "content-type"), header(&g, "content-type"));
}

#[test]
fn other_methods_get_405_with_allow() {
    let s = start();
    for method in ["POST", "DELETE", "PUT", "OPTIONS"] {
        let a = ask(
            s.address,
            &format!("{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
        );
        assert_eq!(status(&a), "HTTP/1.1 405 Method Not Allowed", "{method}");
        assert_eq!(header(&a, "allow"), Some("GET, HEAD"), "{method}");
    }
}

#[test]
fn no_path_leaves_the_folder() {
    let s = start();
    for path in [
        "/../hemmelig.txt",
        "/moter/../../hemmelig.txt",
        "/%2e%2e/hemmelig.txt",
        "/moter/%2E%2E%2f%2e%2e%2fhemmelig.txt",
        "/..%5chemmelig.txt",
        "/moter\\..\\..\\hemmelig.txt",
    ] {
        let a = get(s.address, path);
        assert!(
            status(&a).starts_with("HTTP/1.1 4"),
            "{path}: {}",
            status(&a)
        );
        assert!(!a.contains("hemmelig\n") && !body(&a).starts_with("hemmelig"));
    }
}

#[test]
fn more_connections_than_the_cap_wait_for_one_to_end() {
    let s = start();
    let mut idle: Vec<TcpStream> = (0..saksgang::serve::MAX_CONNECTIONS)
        .map(|_| connect(s.address))
        .collect();
    // The next one waits (at most until an idle one times out); here one ends.
    let address = s.address;
    let waiting = std::thread::spawn(move || get(address, "/"));
    drop(idle.pop());
    let a = waiting.join().unwrap();
    assert_eq!(status(&a), "HTTP/1.1 200 OK");
    drop(idle);
}
