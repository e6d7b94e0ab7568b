//! The site in memory, for `saksgang serve`: one generation of the model and
//! the theme, whose pages are rendered when a reader asks for them.
//!
//! A build renders every page and writes it; a preview renders only the page a
//! reader opens, from the model in memory, with the same renderer and the same
//! plan, so each page is byte for byte what `build` would write (but for the
//! live script's tag in HTML pages, and no link to the downloadable copy,
//! which a preview does not make). Together with reading again only the files
//! that changed ([`crate::build::reread`]), that makes an edit visible in a
//! fraction of a second even at 10,000 meetings.
//!
//! A generation is a thread that owns the model, its sources and the theme,
//! and lends them to a few worker threads that answer requests from a
//! channel. Dropping the [`Preview`] closes the channel: the workers finish
//! what they are doing, and the generation's memory is freed. The search
//! index is made once per generation, when a search first asks for one of
//! its files.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::diag::{self, Diagnostic, Sources};
use crate::model::Archive;
use crate::render::{Edition, Page, Renderer, Task};
use crate::theme::Theme;
use crate::{feeds, manifest};

/// The folder of the search index's files.
const SEARCH_FOLDER: &str = "sok/";

/// Worker threads of one generation.
const WORKERS: usize = 2;

/// An answer to a request for a site path.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status: 200, 301 (a folder asked for without its `/`), 404, 500.
    pub status: u16,
    /// Its content type.
    pub content_type: &'static str,
    /// For 301: where to.
    pub location: Option<String>,
    /// Its bytes.
    pub body: Vec<u8>,
}

type Reply = tokio::sync::oneshot::Sender<Answer>;

/// One request for a generation: the site path (decoded, without the leading
/// `/`), the query to keep in a redirect, and where the answer goes.
struct Job {
    path: String,
    query: Option<String>,
    reply: Reply,
}

/// One generation of the site, answering requests until dropped.
pub struct Preview {
    jobs: Mutex<mpsc::Sender<Job>>,
    /// Its number: pages carry it, and reload when a newer one is served.
    pub generation: u64,
    /// How many pages and files its plan has.
    pub pages: usize,
}

/// A generation that could not start: what was wrong, and the files it points into.
pub struct Failed {
    /// The errors (a template that does not compile, two pages for one path).
    pub diagnostics: Vec<Diagnostic>,
    /// The files read.
    pub sources: Sources,
}

impl Preview {
    /// Starts generation `generation` of the site of `archive`: compiles the
    /// templates and plans the pages (every error of a build but those a page
    /// itself would give when it is rendered), then answers requests.
    pub fn start(
        archive: Archive,
        sources: Sources,
        theme: Theme,
        generation: u64,
    ) -> Result<Preview, Failed> {
        let (ready, started) = mpsc::channel::<Result<usize, Failed>>();
        let (jobs, queue) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name(format!("utgave {generation}"))
            .spawn(move || {
                let site = match Site::new(&archive, &sources, &theme, generation) {
                    Ok(site) => site,
                    Err(diagnostics) => {
                        let _ = ready.send(Err(Failed {
                            diagnostics,
                            sources,
                        }));
                        return;
                    }
                };
                let _ = ready.send(Ok(site.plan.len()));
                let queue = Mutex::new(queue);
                std::thread::scope(|s| {
                    for _ in 0..WORKERS {
                        s.spawn(|| site.work(&queue));
                    }
                });
            });
        if let Err(e) = spawned {
            return Err(Failed {
                diagnostics: vec![Diagnostic::global(format!(
                    "kunne ikke starte en tråd for nettstedet ({e})"
                ))],
                sources: Sources::default(),
            });
        }
        match started.recv() {
            Ok(Ok(pages)) => Ok(Preview {
                jobs: Mutex::new(jobs),
                generation,
                pages,
            }),
            Ok(Err(failed)) => Err(failed),
            Err(_) => Err(Failed {
                diagnostics: vec![Diagnostic::global(
                    "saksgang stoppet uventet under byggingen (en feil i saksgang, ikke i arkivet)",
                )],
                sources: Sources::default(),
            }),
        }
    }

    /// Asks for the page or file at site path `path` (decoded, without the
    /// leading `/`); the answer comes on the returned channel.
    pub fn ask(
        &self,
        path: String,
        query: Option<String>,
    ) -> tokio::sync::oneshot::Receiver<Answer> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        // A generation whose threads have ended drops the reply: the caller
        // sees the channel closed.
        let _ = jobs.send(Job { path, query, reply });
        answer
    }
}

/// What a generation's workers share: the renderer and the plan.
struct Site<'a> {
    archive: &'a Archive,
    sources: &'a Sources,
    renderer: Renderer<'a>,
    plan: Vec<(String, Task)>,
    /// Output file → its place in the plan.
    files: HashMap<String, usize>,
    /// The tag of the live script, with this generation's number.
    tag: String,
    /// The search index's files, made when first asked for.
    search: OnceLock<HashMap<String, Vec<u8>>>,
}

impl<'a> Site<'a> {
    fn new(
        archive: &'a Archive,
        sources: &'a Sources,
        theme: &'a Theme,
        generation: u64,
    ) -> Result<Self, Vec<Diagnostic>> {
        let renderer = Renderer::new(archive, sources, theme, Edition::Web, None)?;
        let plan = renderer.plan()?;
        let files = plan
            .iter()
            .enumerate()
            .map(|(i, (path, _))| (path.clone(), i))
            .collect();
        Ok(Site {
            archive,
            sources,
            renderer,
            plan,
            files,
            tag: script_tag(generation),
            search: OnceLock::new(),
        })
    }

    /// Answers jobs until the channel closes.
    fn work(&self, queue: &Mutex<mpsc::Receiver<Job>>) {
        loop {
            let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
            let Ok(job) = job else { return };
            let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.answer(&job.path, job.query.as_deref())
            }))
            .unwrap_or_else(|_| {
                self.error_page(
                    "saksgang stoppet uventet da siden skulle lages (en feil i saksgang, ikke i arkivet)",
                )
            });
            let _ = job.reply.send(answer);
        }
    }

    /// The answer for site path `path`.
    fn answer(&self, path: &str, query: Option<&str>) -> Answer {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        if let Some(&i) = self.files.get(&file) {
            let (path, task) = &self.plan[i];
            return match self.renderer.render(path, task) {
                Ok(page) => self.ok(page),
                Err(d) => self.error_page(&diag::render(&[d], self.sources, false)),
            };
        }
        if self.files.contains_key(&format!("{file}/index.html")) {
            let q = query.map(|q| format!("?{q}")).unwrap_or_default();
            return Answer {
                status: 301,
                content_type: "text/plain; charset=utf-8",
                location: Some(format!("/{file}/{q}")),
                body: b"301 Moved Permanently\n".to_vec(),
            };
        }
        if let Some(text) = self.generated(&file) {
            return self.ok(Page {
                path: file,
                bytes: text.into_bytes(),
            });
        }
        // Only a search asks for these: a favicon.ico or a mistyped address
        // must not make the index.
        let search = file.starts_with(SEARCH_FOLDER);
        if let Some(bytes) = search.then(|| self.search_files().get(&file)).flatten() {
            return self.ok(Page {
                path: file,
                bytes: bytes.clone(),
            });
        }
        let Some(i) = self.files.get("404.html") else {
            return self.error_page("siden finnes ikke");
        };
        let (path, task) = &self.plan[*i];
        match self.renderer.render(path, task) {
            Ok(page) => Answer {
                status: 404,
                ..self.ok(page)
            },
            Err(d) => self.error_page(&diag::render(&[d], self.sources, false)),
        }
    }

    /// The files `build` writes beside the pages (but the downloadable copy).
    fn generated(&self, file: &str) -> Option<String> {
        let archive = self.archive;
        Some(match file {
            manifest::FILE => manifest::text(
                &manifest::addresses(archive, &self.plan),
                &Default::default(),
            ),
            "sitemap.xml" => feeds::sitemap(&manifest::pages(&self.plan), &archive.site.base_url),
            "moter.ics" => feeds::calendar(archive),
            "nytt.xml" => feeds::atom(archive),
            _ => return None,
        })
    }

    fn search_files(&self) -> &HashMap<String, Vec<u8>> {
        self.search.get_or_init(|| {
            let mut files = HashMap::new();
            let mut put = |pages: Vec<Page>| {
                files.extend(pages.into_iter().map(|p| (p.path, p.bytes)));
            };
            crate::search::search_files(
                self.archive,
                self.sources,
                Edition::Web,
                Default::default(),
                &mut put,
            );
            files
        })
    }

    /// 200 with `page`; an HTML page gets the live script.
    fn ok(&self, page: Page) -> Answer {
        let content_type = content_type(Path::new(&page.path));
        let body = if content_type.starts_with("text/html") {
            inject(page.bytes, &self.tag)
        } else {
            page.bytes
        };
        Answer {
            status: 200,
            content_type,
            location: None,
            body,
        }
    }

    /// 500: a page that says what went wrong, with the live script, so that
    /// it reloads when the theme or the file is fixed.
    fn error_page(&self, text: &str) -> Answer {
        Answer {
            status: 500,
            ..problem_page(text, &self.tag)
        }
    }
}

/// A page of its own, with `text` (the diagnostics) in it, for when there is
/// no page to show: the live script shows the build's errors over it and
/// reloads it when the site builds.
pub fn problem_page(text: &str, tag: &str) -> Answer {
    let mut escaped = String::new();
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut escaped, text);
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Feil i arkivet</title>\n<style>{PROBLEM_STYLE}</style>\n{tag}</head>\n<body>\n<main>\n<h1>Feil i arkivet</h1>\n\
<p>Siden kan ikke vises før feilen under er rettet. Rett filen og lagre den: \
siden lastes da på nytt av seg selv.</p>\n<pre>{escaped}</pre>\n</main>\n</body>\n</html>\n"
    );
    Answer {
        status: 503,
        content_type: "text/html; charset=utf-8",
        location: None,
        body: body.into_bytes(),
    }
}

/// The problem page's own style (it has no site, so no theme): readable, and
/// long lines of the messages wrap instead of widening the page on a phone.
const PROBLEM_STYLE: &str = "body { font: 18px/1.5 system-ui, sans-serif; margin: 1rem auto; \
max-width: 50rem; padding: 0 1rem } pre { white-space: pre-wrap; overflow-wrap: anywhere; \
font-size: 0.85rem } dialog { max-width: calc(100vw - 3rem) }";

/// The tag that loads the live script, with the generation of the site.
pub fn script_tag(generation: u64) -> String {
    format!(
        "<script src=\"{}\" data-side=\"{generation}\" defer></script>",
        crate::live::SCRIPT
    )
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

/// The content type of a file of the site, by its extension.
pub fn content_type(file: &Path) -> &'static str {
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
    fn the_tag_goes_before_the_end_of_head() {
        let page = inject(b"<html><head><title>x</title></head><body>".to_vec(), "<s>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><head><title>x</title><s></head><body>"
        );
        assert_eq!(inject(b"<p>x".to_vec(), "<s>"), b"<p>x<s>");
    }

    #[test]
    fn only_a_search_makes_the_search_index() {
        use crate::build::{Clock, Kept, load_theme, reread};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let changed = Default::default();
        let reading = reread(root, &mut Kept::default(), &changed, &mut Clock::new());
        let mut diagnostics = reading.diagnostics;
        let theme = load_theme(root, &reading.archive, &mut diagnostics);
        let site = Site::new(&reading.archive, &reading.sources, &theme, 1)
            .unwrap_or_else(|_| panic!("the seed archive plans"));
        // What a browser asks for by itself, and a mistyped address.
        assert_eq!(site.answer("favicon.ico", None).status, 404);
        assert_eq!(site.answer("moter/finnes-ikke/", None).status, 404);
        assert!(site.search.get().is_none(), "the index was made for a 404");
        let page = site.answer("moter/2017-06-01-radmannsgruppen/", None);
        assert_eq!(page.status, 200);
        assert!(
            String::from_utf8(page.body)
                .unwrap()
                .contains("data-side=\"1\" defer></script></head>")
        );
        assert!(site.search.get().is_none());
        assert_eq!(site.answer("sok/indeks.js", None).status, 200);
        assert!(site.search.get().is_some());
    }

    #[test]
    fn the_problem_page_escapes_the_writers_text() {
        let page = problem_page("feil: <script>alert(1)</script> & \"x\"", "<s>");
        let html = String::from_utf8(page.body).unwrap();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "{html}"
        );
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("<s></head>"));
        assert_eq!(page.status, 503);
        // Long message lines wrap on a phone.
        assert!(html.contains("white-space: pre-wrap"), "{html}");
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("moter.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("x.JS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }
}
