//! The web server of `saksgang serve`, on 127.0.0.1 only: HTTP by hyper
//! through axum, the site from the [`Live`] state in memory.
//!
//! It is for a writer checking their work, not for publishing (the web build
//! is uploaded to a real web server), but one client must not stop it: hyper
//! serves each connection as a task of its own, so an idle or slow one keeps
//! nobody waiting, and it answers malformed requests itself. GET and HEAD are
//! answered (HEAD with the headers of GET and no body), every other method 405
//! with `Allow`. A request path is percent-decoded and looked up in the site's
//! plan; it never reaches the disk, and a path with `..`, a backslash or a NUL
//! byte is refused. Two addresses under `/__saksgang/` are the live preview's:
//! its script, and the event stream each open page holds (at most
//! [`crate::live::MAX_STREAMS`] at once; more get 503).

use std::convert::Infallible;
use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::live::{self, EVENTS, Live, SCRIPT};
use crate::preview::{Answer, problem_page, script_tag};

/// Serves the site of `live` on `listener` until the process is stopped.
pub fn run(listener: TcpListener, live: Arc<Live>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("serve")
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, app(live)).await
    })
}

/// The routes: the live preview's two addresses, and the site for every other.
fn app(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(SCRIPT, get(script))
        .fallback(page)
        .with_state(live)
}

/// A page or file of the site.
async fn page(State(live): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED);
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(path) = site_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST);
    };
    let query = uri.query().map(str::to_string);
    respond(ask(&live, path, query).await)
}

/// The answer of the site being served; a site replaced while it was asked
/// is asked again, once.
async fn ask(live: &Live, path: String, query: Option<String>) -> Answer {
    for _ in 0..2 {
        let Some(site) = live.preview() else { break };
        if let Ok(answer) = site.ask(path.clone(), query.clone()).await {
            return answer;
        }
    }
    unavailable(live)
}

/// The page for every address while there is no site: the errors, with the
/// live script, which reloads it once they are fixed.
fn unavailable(live: &Live) -> Answer {
    let text = live
        .state()
        .error
        .unwrap_or_else(|| "nettstedet er ikke bygget ennå\n".to_string());
    problem_page(&text, &script_tag(0))
}

/// The site path of a request path: percent-decoded, without the leading
/// `/`; `None` for a path that is refused.
fn site_path(path: &str) -> Option<String> {
    let decoded = crate::render::urls::percent_decode(path.strip_prefix('/')?)?;
    let refused =
        decoded.contains(['\\', '\0']) || decoded.split('/').any(|s| s == ".." || s == ".");
    (!refused).then_some(decoded)
}

fn respond(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, answer.body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    if let Some(to) = answer.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, to);
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    common_headers(r)
}

fn common_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// A plain-text answer with the status's own words.
fn plain(status: StatusCode) -> Response {
    let text = format!(
        "{} {}\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let mut r = (status, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    common_headers(r)
}

/// The live preview's script.
async fn script() -> Response {
    let mut r = crate::theme::LIVE_SCRIPT.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    common_headers(r)
}

/// The event stream of one open page: the state at once, then every change,
/// and a comment every [`live::PING`] in between.
async fn events(State(live): State<Arc<Live>>) -> Response {
    let Some(guard) = live.open_stream() else {
        let mut r = plain(StatusCode::SERVICE_UNAVAILABLE);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return r;
    };
    let states = live.subscribe();
    // The guard lives as long as the stream: until the page goes away.
    let stream = futures_util::stream::unfold(
        (states, true, guard),
        |(mut states, first, guard)| async move {
            if !first && states.changed().await.is_err() {
                return None;
            }
            let data = live::data(&states.borrow_and_update());
            let mut event = Event::default().event("tilstand").data(data);
            if first {
                event = event.retry(Duration::from_secs(1));
            }
            Some((Ok::<_, Infallible>(event), (states, false, guard)))
        },
    );
    let sse = Sse::new(stream).keep_alive(KeepAlive::new().interval(live::PING).text("venter"));
    common_headers(sse.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_become_site_paths_or_are_refused() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(
            site_path("/moter/2017-06-01-radmannsgruppen/").as_deref(),
            Some("moter/2017-06-01-radmannsgruppen/")
        );
        assert_eq!(
            site_path("/kommuner/b%C3%A6rum/").as_deref(),
            Some("kommuner/bærum/")
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a%5cb",
            "/a%00",
            "/%zz",
            "/%ff",
            "x",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
