//! Stage 3, `render`: the model to pages.
//!
//! This stage owns what each page says. It builds plain view structs (the only
//! thing templates ever see; model types never reach Tera), renders them with
//! the theme's templates, and returns each page as a path and bytes. It does no
//! I/O: the theme's text comes in from `theme`, the pages go out to `write`.
//! [`Renderer::plan`] lists every page; [`Renderer::render`] makes one, from any
//! thread, so `build` can render in parallel and stream pages to disk.
//! Every list is sorted explicitly (dates, then the Norwegian collation), and
//! every map handed to Tera keeps its order, so output is deterministic.

mod lists;
pub(crate) mod markdown;
#[cfg(test)]
pub(crate) use markdown::to_html;
#[cfg(test)]
pub(crate) use offline::name_index_files;
mod meeting;
mod offline;
mod thread;
mod views;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use rayon::prelude::*;

use serde::Serialize;
use tera::{Context, Tera};

pub use crate::cache::Fingerprint;
use crate::diag::{Diagnostic, Sources};
use crate::model::*;
use crate::norsk;
use crate::theme::Theme;
pub(crate) use markdown::MdContext;
pub use views::*;

/// One output file: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path with `/` separators: `moter/2017-06-01-radmannsgruppen/index.html`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Site paths of every page kind, as in content-format.md. URLs are a promise to
/// the people who print them in invitations: change nothing here without aliases.
pub mod urls {
    /// Decodes `%C3%B8` in an address into `ø`; `None` for a broken escape or
    /// bytes that are not UTF-8. Used for the addresses writers give (`aliases:`)
    /// and the ones readers ask `serve` for.
    pub fn percent_decode(s: &str) -> Option<String> {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).ok()
    }

    /// `tilgjengelighet/`, the accessibility statement.
    pub const ACCESSIBILITY: &str = "tilgjengelighet/";

    /// `moter/2017-06-01-radmannsgruppen/`
    pub fn meeting(slug: &str) -> String {
        format!("moter/{slug}/")
    }
    /// `moter/2018-02-22-khs-radmannsmote/innkalling/`
    pub fn notice(slug: &str) -> String {
        format!("moter/{slug}/innkalling/")
    }
    /// `saker/khs-videreforing/`
    pub fn thread(id: &str) -> String {
        format!("saker/{id}/")
    }
    /// `kommuner/asker/`
    pub fn municipality(id: &str) -> String {
        format!("kommuner/{id}/")
    }
    /// `organer/radmannsgruppen/`
    pub fn body(id: &str) -> String {
        format!("organer/{id}/")
    }
    /// `moter/2017/`
    pub fn meeting_year(year: i32) -> String {
        format!("moter/{year}/")
    }
    /// `saker/` for page 1, `saker/side/2/` for the next.
    pub fn threads_page(page: usize) -> String {
        if page <= 1 {
            "saker/".to_string()
        } else {
            format!("saker/side/{page}/")
        }
    }
    /// `kommuner/asker/2017/`
    pub fn municipality_year(id: &str, year: i32) -> String {
        format!("kommuner/{id}/{year}/")
    }
    /// `organer/radmannsgruppen/2017/`
    pub fn body_year(id: &str, year: i32) -> String {
        format!("organer/{id}/{year}/")
    }
}

/// Lists longer than this are split: by year (meetings, attendance) or into
/// pages (threads), so that no page grows with the archive.
pub const FULL_LIST: usize = 60;

/// Threads per page of `/saker/`.
pub const THREADS_PER_PAGE: usize = 100;

/// Which site a build makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// For a web server under `base_url`: clean addresses (`moter/x/`), feeds, sitemap.
    #[default]
    Web,
    /// For opening from disk (`file://`): every link names a file
    /// (`moter/x/index.html`), and nothing on a page points outside the folder.
    Offline,
}

/// The downloadable offline copy that pages of the web edition link to.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    /// Site path of the zip file.
    pub href: String,
    /// Its size, for people: `1,2 MB`.
    pub size: String,
}

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// `/`.
    Front,
    /// `/moter/`.
    Meetings,
    /// `/moter/2017/`.
    MeetingYear(i32),
    /// A meeting page.
    Meeting(MeetingId),
    /// A meeting's notice page.
    Notice(MeetingId),
    /// `/saker/` (page 1) and `/saker/side/N/`.
    Threads(usize),
    /// A thread page.
    Thread(ThreadId),
    /// `/kommuner/`.
    Municipalities,
    /// A municipality page.
    Municipality(MunicipalityId),
    /// A municipality's attendance in one year.
    MunicipalityYear(MunicipalityId, i32),
    /// `/organer/`.
    Bodies,
    /// A body page.
    Body(BodyId),
    /// A body's meetings and members in one year.
    BodyYear(BodyId, i32),
    /// `/sok/`, the search page.
    Search,
    /// `/tilgjengelighet/`, the accessibility statement.
    Accessibility,
    /// `404.html`.
    NotFound,
    /// A redirect from an old URL to a site path.
    Redirect(String),
    /// A file of the theme's `static/` folder.
    Static(String),
}

/// Renders pages, one at a time and from any thread: the model, the compiled
/// templates and the lookup tables every page needs.
pub struct Renderer<'a> {
    archive: &'a Archive,
    sources: &'a Sources,
    theme: &'a Theme,
    tera: Tera,
    index: Index,
    edition: Edition,
    download: Option<Download>,
    /// A hash of every `@/` link of the archive and where it leads (see
    /// [`Renderer::markdown_key`]).
    path_links_key: Fingerprint,
    /// The link to each meeting, by id: lists show a meeting many times.
    meeting_links: Vec<MeetingLink>,
}

/// An item of a document: meeting, which document, index among its items.
/// Packed small, since an index holds one per mention of a municipality.
#[derive(Debug, Clone, Copy)]
struct ItemRef {
    meeting: u32,
    notice: bool,
    item: u32,
}

impl ItemRef {
    fn new(meeting: MeetingId, kind: DocumentKind, item: usize) -> Self {
        Self {
            meeting: meeting.0 as u32,
            notice: kind == DocumentKind::Notice,
            item: item as u32,
        }
    }

    fn meeting(self) -> MeetingId {
        MeetingId(self.meeting as usize)
    }

    fn kind(self) -> DocumentKind {
        if self.notice {
            DocumentKind::Notice
        } else {
            DocumentKind::Minutes
        }
    }
}

/// Lookup tables computed once, so that each page costs what it shows.
struct Index {
    /// Per body, its meetings in date order.
    by_body: Vec<Vec<MeetingId>>,
    /// Per meeting, its place in its body's list.
    place_in_body: Vec<usize>,
    /// Meetings by year.
    by_year: BTreeMap<i32, Vec<MeetingId>>,
    /// Per municipality: the meetings it is listed at (present or absent), by year.
    listed: Vec<BTreeMap<i32, Vec<MeetingId>>>,
    /// Per municipality: the items that name it, by year.
    mentioned: Vec<BTreeMap<i32, Vec<ItemRef>>>,
    /// Threads in Norwegian title order.
    threads: Vec<ThreadId>,
    /// Redirects: old path → site path of the page.
    redirects: BTreeMap<String, String>,
}

impl Index {
    fn new(archive: &Archive) -> Self {
        let mut by_body = vec![Vec::new(); archive.bodies.len()];
        let mut place_in_body = vec![0; archive.meetings.len()];
        let mut by_year: BTreeMap<i32, Vec<MeetingId>> = BTreeMap::new();
        let mut listed = vec![BTreeMap::<i32, Vec<MeetingId>>::new(); archive.municipalities.len()];
        let mut mentioned =
            vec![BTreeMap::<i32, Vec<ItemRef>>::new(); archive.municipalities.len()];
        for (i, m) in archive.meetings.iter().enumerate() {
            let id = MeetingId(i);
            let year = m.date.year();
            place_in_body[i] = by_body[m.body.0].len();
            by_body[m.body.0].push(id);
            by_year.entry(year).or_default().push(id);
            let doc = m.main_document();
            let mut seen: Vec<MunicipalityId> = doc
                .present
                .iter()
                .chain(&doc.absent)
                .filter_map(|p| match p.affiliation {
                    Affiliation::Municipality(mu) => Some(mu),
                    Affiliation::Organisation(_) => None,
                })
                .collect();
            seen.sort();
            seen.dedup();
            for mu in seen {
                listed[mu.0].entry(year).or_default().push(id);
            }
            for doc in m.documents() {
                for (ii, item) in doc.items.iter().enumerate() {
                    for mu in &item.mentions {
                        mentioned[mu.0]
                            .entry(year)
                            .or_default()
                            .push(ItemRef::new(id, doc.kind, ii));
                    }
                }
            }
        }
        let mut threads: Vec<ThreadId> = (0..archive.threads.len()).map(ThreadId).collect();
        threads.sort_by(|a, b| {
            norsk::compare(&archive.threads[a.0].title, &archive.threads[b.0].title)
        });
        Self {
            by_body,
            place_in_body,
            by_year,
            listed,
            mentioned,
            threads,
            redirects: redirects(archive)
                .into_iter()
                .map(|(a, to)| (a.path.clone(), to))
                .collect(),
        }
    }
}

impl<'a> Renderer<'a> {
    /// Compiles the theme's templates and indexes the archive, for one edition;
    /// pages of the web edition link to `download` where there is one.
    pub fn new(
        archive: &'a Archive,
        sources: &'a Sources,
        theme: &'a Theme,
        edition: Edition,
        download: Option<Download>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut renderer = Self {
            archive,
            sources,
            theme,
            tera: templates(theme)?,
            index: Index::new(archive),
            edition,
            download: download.filter(|_| edition == Edition::Web),
            path_links_key: 0,
            meeting_links: (0..archive.meetings.len())
                .into_par_iter()
                .map(|m| make_meeting_link(archive, MeetingId(m)))
                .collect(),
        };
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (link, target) in &archive.path_links {
            for s in [link.as_str(), &renderer.target_path(target)] {
                h.update(&(s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        }
        renderer.path_links_key = h.digest128();
        Ok(renderer)
    }

    /// Every page of the site with its path, in path order. Fails if two pages
    /// would be written to one path (an old address over a page that exists).
    pub fn plan(&self) -> Result<Vec<(String, Task)>, Vec<Diagnostic>> {
        let a = self.archive;
        let html = |dir: String| format!("{dir}index.html");
        let mut plan = vec![
            ("index.html".to_string(), Task::Front),
            ("moter/index.html".to_string(), Task::Meetings),
            ("saker/index.html".to_string(), Task::Threads(1)),
            ("kommuner/index.html".to_string(), Task::Municipalities),
            ("organer/index.html".to_string(), Task::Bodies),
            ("sok/index.html".to_string(), Task::Search),
            (html(urls::ACCESSIBILITY.to_string()), Task::Accessibility),
            ("404.html".to_string(), Task::NotFound),
        ];
        // Year pages exist only where a list is too long for one page.
        if a.meetings.len() > FULL_LIST {
            for year in self.index.by_year.keys() {
                plan.push((html(urls::meeting_year(*year)), Task::MeetingYear(*year)));
            }
        }
        for (i, m) in a.meetings.iter().enumerate() {
            plan.push((html(urls::meeting(&m.slug)), Task::Meeting(MeetingId(i))));
            if m.notice.is_some() {
                plan.push((html(urls::notice(&m.slug)), Task::Notice(MeetingId(i))));
            }
        }
        for page in 2..=a.threads.len().div_ceil(THREADS_PER_PAGE) {
            plan.push((html(urls::threads_page(page)), Task::Threads(page)));
        }
        for (i, t) in a.threads.iter().enumerate() {
            plan.push((html(urls::thread(&t.id)), Task::Thread(ThreadId(i))));
        }
        for (i, m) in a.municipalities.iter().enumerate() {
            let id = MunicipalityId(i);
            plan.push((html(urls::municipality(&m.id)), Task::Municipality(id)));
            if self.municipality_split(id) {
                for year in self.municipality_year_list(id) {
                    plan.push((
                        html(urls::municipality_year(&m.id, year)),
                        Task::MunicipalityYear(id, year),
                    ));
                }
            }
        }
        for (i, b) in a.bodies.iter().enumerate() {
            let id = BodyId(i);
            plan.push((html(urls::body(&b.id)), Task::Body(id)));
            if self.index.by_body[i].len() > FULL_LIST {
                let years: BTreeSet<i32> = self.index.by_body[i]
                    .iter()
                    .map(|m| a.meetings[m.0].date.year())
                    .collect();
                for year in years {
                    plan.push((html(urls::body_year(&b.id, year)), Task::BodyYear(id, year)));
                }
            }
        }
        for path in self.theme.statics.keys() {
            plan.push((path.clone(), Task::Static(path.clone())));
        }
        let mut clashes = self.plan_redirects(&mut plan);
        plan.sort_by(|x, y| x.0.cmp(&y.0));
        clashes.extend(plan.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| {
            Diagnostic::global(format!("to sider vil skrives til {}", w[0].0))
                .help("fjern det gamle navnet (aliases:) som peker på en side som finnes")
        }));
        if clashes.is_empty() {
            Ok(plan)
        } else {
            Err(clashes)
        }
    }

    /// Adds a redirect page for every alias to the plan (which has every other
    /// page and file by now), and an error at each alias that would be written
    /// where another page or file of the site is, or that another alias claims.
    fn plan_redirects(&self, plan: &mut Vec<(String, Task)>) -> Vec<Diagnostic> {
        // In lower case: on the file systems of Windows and macOS, `Moter/` is `moter/`.
        let files: BTreeSet<String> = plan
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(GENERATED_FILES.iter().copied())
            .map(str::to_lowercase)
            .collect();
        let mut claimed: BTreeMap<String, &Alias> = BTreeMap::new();
        let mut errors = Vec::new();
        let mut pages = Vec::new();
        for (alias, _) in redirects(self.archive) {
            let file = alias.output_file();
            let key = file.to_lowercase();
            let at = |message: String, label: &str, help: String| {
                Diagnostic::error(alias.file, alias.span.clone(), message)
                    .label(label)
                    .help(help)
            };
            let reserved = GENERATED_FOLDERS
                .iter()
                .find(|f| key.starts_with(&format!("{f}/")));
            let over = file
                .match_indices('/')
                .map(|(i, _)| &file[..i])
                .find(|f| files.contains(&f.to_lowercase()));
            if let Some(first) = claimed.get(&key) {
                errors.push(at(
                    format!("to filer har den gamle adressen «{}»", alias.path),
                    "står også i en annen fil",
                    format!(
                        "adressen står allerede under «aliases:» i {}; en gammel adresse kan bare sendes videre til én side, så fjern den fra den ene filen",
                        self.sources.get(first.file).path.display()
                    ),
                ));
            } else if files.contains(&key) {
                errors.push(at(
                    format!("«{}» er adressen til en side som finnes", alias.path),
                    "en side på nettstedet har denne adressen",
                    "fjern den fra «aliases:»; bare adresser som ikke lenger finnes kan sendes videre"
                        .into(),
                ));
            } else if let Some(f) = reserved {
                errors.push(at(
                    format!("«{}» ligger i /{f}/, som saksgang lager selv", alias.path),
                    "kan ikke brukes som gammel adresse",
                    format!("fjern den fra «aliases:»; alt under /{f}/ skrives av saksgang"),
                ));
            } else if let Some(f) = over {
                errors.push(at(
                    format!("«{}» ligger under filen /{f}", alias.path),
                    &format!("/{f} er en fil på nettstedet, ikke en mappe"),
                    "fjern den fra «aliases:»; en side kan ikke ligge inne i en fil".into(),
                ));
            } else {
                claimed.insert(key, alias);
                pages.push((file, alias.path.clone()));
            }
        }
        // A page under a redirect's file (`gammel.html/x/`) is not possible: every
        // page file ends in `.html` or is a theme file, and a redirect is a file.
        plan.extend(
            pages
                .into_iter()
                .map(|(file, old)| (file, Task::Redirect(old))),
        );
        errors
    }

    /// Renders one page of the plan.
    pub fn render(&self, path: &str, task: &Task) -> Result<Page, Diagnostic> {
        self.render_unless(path, task, None)
            .map(|(_, page)| page.expect("rendered unless known"))
    }

    /// The fingerprint of one page of the plan (a hash of everything its
    /// template is given), and the page, rendered only if `known` does not
    /// know the fingerprint: the same fingerprint gives the same bytes (for
    /// one theme and edition).
    pub fn render_unless(
        &self,
        path: &str,
        task: &Task,
        known: Option<&dyn Fn(Fingerprint) -> bool>,
    ) -> Result<(Fingerprint, Option<Page>), Diagnostic> {
        macro_rules! page {
            ($template:expr, $section:expr, $view:expr $(,)?) => {
                self.page(path, $template, $section, &|| $view, known)
            };
        }
        match task {
            Task::Front => page!("index.html", "", self.front_page()),
            Task::Meetings => page!("meetings.html", "moter", self.meeting_list(None)),
            Task::MeetingYear(y) => {
                page!("meetings.html", "moter", self.meeting_list(Some(*y)))
            }
            Task::Meeting(id) => {
                let m = &self.archive.meetings[id.0];
                page!(
                    "meeting.html",
                    "moter",
                    self.meeting(*id, m.main_document(), false),
                )
            }
            Task::Notice(id) => {
                let m = &self.archive.meetings[id.0];
                let notice = m
                    .notice
                    .as_ref()
                    .expect("planned only for meetings with a notice");
                page!("meeting.html", "moter", self.meeting(*id, notice, true),)
            }
            Task::Threads(n) => page!("threads.html", "saker", self.thread_list(*n)),
            Task::Thread(id) => page!("thread.html", "saker", self.thread(*id, path)),
            Task::Municipalities => {
                page!("municipalities.html", "kommuner", self.municipality_list(),)
            }
            Task::Municipality(id) => {
                page!("municipality.html", "kommuner", self.municipality(*id),)
            }
            Task::MunicipalityYear(id, y) => page!(
                "municipality_year.html",
                "kommuner",
                self.municipality_year(*id, *y),
            ),
            Task::Bodies => page!("bodies.html", "organer", self.body_list()),
            Task::Body(id) => page!("body.html", "organer", self.body(*id)),
            Task::BodyYear(id, y) => {
                page!("body_year.html", "organer", self.body_year(*id, *y))
            }
            Task::Search => page!("search.html", "sok", self.search_page()),
            Task::Accessibility => page!(
                "accessibility.html",
                "tilgjengelighet",
                self.accessibility_page(path),
            ),
            Task::NotFound => page!(
                "404.html",
                "",
                NotFound {
                    title: "Fant ikke siden".to_string(),
                },
            ),
            Task::Redirect(old) => page!(
                "redirect.html",
                "",
                Redirect {
                    title: "Siden har flyttet".to_string(),
                    to: match self.edition {
                        Edition::Web => self.index.redirects[old].clone(),
                        Edition::Offline => format!("{}index.html", self.index.redirects[old]),
                    },
                },
            ),
            Task::Static(p) => {
                let bytes = &self.theme.statics[p];
                let fingerprint = crate::cache::of_bytes(bytes);
                Ok((
                    fingerprint,
                    (!known.is_some_and(|known| known(fingerprint))).then(|| Page {
                        path: path.to_string(),
                        bytes: bytes.clone(),
                    }),
                ))
            }
        }
    }
}

impl Renderer<'_> {
    /// The statement of site.yaml through the Markdown renderer of the minutes
    /// (raw HTML shown as text, unsafe links left out), or the theme's default.
    fn accessibility_page(&self, path: &str) -> AccessibilityPage {
        let statement = self
            .archive
            .site
            .accessibility_statement
            .as_ref()
            .map(|text| {
                let root = root_of(path);
                let href = |t: &Target| format!("{root}{}", self.target_path(t));
                let ctx = MdContext {
                    text,
                    links: &[],
                    path_links: &self.archive.path_links,
                    href: &href,
                };
                let md = Markdown {
                    file: crate::diag::FileId(0),
                    range: 0..text.len(),
                };
                markdown::to_html(&md, &ctx)
            });
        AccessibilityPage {
            title: "Tilgjengelighetserklæring".to_string(),
            statement,
        }
    }

    fn search_page(&self) -> SearchPage {
        let mut bodies: Vec<SearchBody> = self
            .archive
            .bodies
            .iter()
            .map(|b| SearchBody {
                id: b.id.clone(),
                name: b.name.clone(),
            })
            .collect();
        norsk::sort_by_name(&mut bodies, |b| &b.name);
        SearchPage {
            title: "Søk i arkivet".to_string(),
            bodies,
            years: self.index.by_year.keys().rev().copied().collect(),
        }
    }
}

/// Files the site has besides the pages of the plan (written by `build`), and
/// folders that saksgang fills itself: no alias may be written there.
const GENERATED_FILES: &[&str] = &[
    "sitemap.xml",
    "moter.ics",
    "nytt.xml",
    "manifest.txt",
    "arkiv.zip",
];
const GENERATED_FOLDERS: &[&str] = &["sok", "static"];

/// Every alias with the site path of the page that replaced it, in the order
/// of the archive (meetings, then threads), so the first claim of an address wins.
fn redirects(archive: &Archive) -> Vec<(&Alias, String)> {
    let mut out = Vec::new();
    for m in &archive.meetings {
        if let Some(d) = &m.minutes {
            out.extend(d.aliases.iter().map(|a| (a, urls::meeting(&m.slug))));
        }
        if let Some(d) = &m.notice {
            let to = if m.minutes.is_some() {
                urls::notice(&m.slug)
            } else {
                urls::meeting(&m.slug)
            };
            out.extend(d.aliases.iter().map(|a| (a, to.clone())));
        }
    }
    for t in &archive.threads {
        out.extend(t.aliases.iter().map(|a| (a, urls::thread(&t.id))));
    }
    out
}

fn templates(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    let list: Vec<(String, String)> = theme
        .templates
        .iter()
        .map(|(name, (_, src))| (name.clone(), src.clone()))
        .collect();
    tera.add_raw_templates(list).map_err(|e| {
        vec![
            Diagnostic::global(format!("malene i temaet kan ikke leses:\n{e}"))
                .help("rett malen det pekes på; se themes/default/templates for eksempler"),
        ]
    })?;
    Ok(tera)
}

/// The path part of a web address, ending in `/`: `/arkiv/` for
/// `https://vestregionen.no/arkiv/`, `/` when it has none.
fn server_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// The relative prefix from a page to the site root: `../../` for `moter/x/index.html`.
fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

std::thread_local! {
    /// What a page's template is given, in postcard's bytes, to be hashed: one buffer a thread.
    static FINGERPRINT_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Set while a view is made only to be fingerprinted: [`Renderer::html`]
    /// then leaves the HTML out.
    static DEFERRING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with [`Renderer::html`] leaving the HTML out.
fn deferring<R>(f: impl FnOnce() -> R) -> R {
    views::with_flag(&DEFERRING, f)
}

impl Renderer<'_> {
    /// One page from `template` and the view `view` makes. With `known`, the
    /// view is first made without its HTML from Markdown ([`Html`]) and
    /// fingerprinted; a fingerprint that `known` knows is the page as it was,
    /// and the page is not made. Either way the fingerprint is the same.
    fn page<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        section: &str,
        view: &dyn Fn() -> T,
        known: Option<&dyn Fn(Fingerprint) -> bool>,
    ) -> Result<(Fingerprint, Option<Page>), Diagnostic> {
        let site = SiteView {
            title: self.archive.site.title.clone(),
            description: self.archive.site.description.clone(),
            language: self.archive.site.language.clone(),
            base_url: self.archive.site.base_url.clone(),
            owner: self.archive.site.owner.clone(),
            logo: self
                .archive
                .site
                .logo
                .as_ref()
                .map(|l| format!("static/{}", l.path)),
            contact: self
                .archive
                .site
                .contact
                .as_deref()
                .map(contact_parts)
                .unwrap_or_default(),
        };
        // A web server shows 404.html at any depth, so its links start from the
        // site's path on the server (`/arkiv/`), not from the page.
        let root = if template == "404.html" && self.edition == Edition::Web {
            server_path(&self.archive.site.base_url)
        } else {
            root_of(path)
        };
        let offline = self.edition == Edition::Offline;
        // Everything the template is given, hashed (each piece of HTML as the
        // hash of what it is made from); the theme and the edition are the
        // same for every page of a build (and in the cache's key).
        let fingerprint_of = |view: &T| {
            let given = (
                template,
                &site,
                &root,
                section,
                offline,
                &self.download,
                view,
            );
            FINGERPRINT_BUFFER.with_borrow_mut(|buffer| {
                buffer.clear();
                // Not expected to fail; if it does, the page is always made.
                let bytes = fingerprinting(|| postcard::to_extend(&given, std::mem::take(buffer)));
                bytes.ok().map(|bytes| {
                    *buffer = bytes;
                    crate::cache::of_bytes(buffer)
                })
            })
        };
        let mut fingerprint = None;
        if let Some(known) = known {
            let f = fingerprint_of(&deferring(view));
            if let Some(f) = f
                && known(f)
            {
                return Ok((f, None));
            }
            fingerprint = Some(f);
        }
        let view = view();
        let fingerprint = fingerprint.unwrap_or_else(|| fingerprint_of(&view));
        let mut ctx = Context::new();
        ctx.insert("site", &site);
        ctx.insert("root", &root);
        ctx.insert("section", section);
        ctx.insert("offline", &offline);
        ctx.insert("download", &self.download);
        let page = tera::Value::try_from_serializable(&view).map_err(|e| {
            Diagnostic::global(format!("siden {path} kunne ikke lages:\n{e}"))
                .help("dette er en feil i saksgang; bygg med --full, og meld fra om feilen")
        })?;
        ctx.insert_value("page", page);
        self.tera
            .render(template, &ctx)
            .map(|html| {
                let page = Page {
                    path: path.to_string(),
                    bytes: match self.edition {
                        Edition::Web => html.into_bytes(),
                        Edition::Offline => offline::name_index_files(&html).into_bytes(),
                    },
                };
                // Without a fingerprint of its own, one that the next
                // build's never equals (a hash of the bytes, negated).
                let f = fingerprint.unwrap_or_else(|| !crate::cache::of_bytes(&page.bytes));
                (f, Some(page))
            })
            .map_err(|e| {
                Diagnostic::global(format!(
                    "siden {path} kunne ikke lages med malen {template}:\n{e}"
                ))
                .help("rett malen det pekes på")
            })
    }

    fn body_link(&self, b: BodyId) -> Link {
        let body = &self.archive.bodies[b.0];
        Link::new(urls::body(&body.id), &body.name)
    }

    /// The link to a meeting, as lists show it (made once a build).
    fn meeting_link(&self, m: MeetingId) -> MeetingLink {
        self.meeting_links[m.0].clone()
    }
}

/// The link to a meeting of `archive`, with its dates written out.
fn make_meeting_link(archive: &Archive, m: MeetingId) -> MeetingLink {
    {
        let meeting = &archive.meetings[m.0];
        MeetingLink {
            href: urls::meeting(&meeting.slug),
            body: archive.bodies[meeting.body.0].name.clone(),
            date: norsk::short_date(meeting.date),
            date_long: norsk::long_date(meeting.date),
            date_iso: meeting.date.to_string(),
            has_minutes: meeting.minutes.is_some(),
        }
    }
}

impl Renderer<'_> {
    fn target_path(&self, t: &Target) -> String {
        let with = |base: String, a: &Option<String>| match a {
            Some(a) => format!("{base}#{a}"),
            None => base,
        };
        match t {
            Target::Meeting(m, a) => with(urls::meeting(&self.archive.meetings[m.0].slug), a),
            Target::Notice(m, a) => with(urls::notice(&self.archive.meetings[m.0].slug), a),
            Target::Thread(t) => urls::thread(&self.archive.threads[t.0].id),
            Target::Municipality(m) => urls::municipality(&self.archive.municipalities[m.0].id),
            Target::Body(b) => urls::body(&self.archive.bodies[b.0].id),
        }
    }

    /// Markdown to HTML for a page at `page_path`.
    /// The HTML of a piece of Markdown on the page at `page_path`, with the
    /// fingerprint of what it is made from; while a view is made only to be
    /// fingerprinted ([`Renderer::page`]), without the HTML.
    fn html(&self, md: &Markdown, links: &[TextLink], page_path: &str) -> Html {
        let root = root_of(page_path);
        let key = self.markdown_key(md, links, &root);
        if DEFERRING.get() {
            return Html::new(key, None);
        }
        let href = |t: &Target| format!("{root}{}", self.target_path(t));
        let ctx = MdContext {
            text: &self.sources.text(md.file),
            links,
            path_links: &self.archive.path_links,
            href: &href,
        };
        Html::new(key, Some(markdown::to_html(md, &ctx)))
    }

    /// A hash of everything [`markdown::to_html`] reads for `md` on a page
    /// `root` from the site's root: its file's text (by the hash it was read
    /// with, so the text is not read again), where in it `md` is, the
    /// references that begin there and the addresses they lead to, and the
    /// `@/` links of the archive. The same key gives the same HTML.
    fn markdown_key(&self, md: &Markdown, links: &[TextLink], root: &str) -> Fingerprint {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let string = |h: &mut xxhash_rust::xxh3::Xxh3, s: &str| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        h.update(&self.sources.fingerprint(md.file).to_le_bytes());
        h.update(&(md.range.start as u64).to_le_bytes());
        h.update(&(md.range.end as u64).to_le_bytes());
        string(&mut h, root);
        h.update(&self.path_links_key.to_le_bytes());
        let first = links.partition_point(|l| l.range.start < md.range.start);
        for l in links[first..]
            .iter()
            .take_while(|l| l.range.start < md.range.end)
        {
            h.update(&(l.range.start as u64).to_le_bytes());
            h.update(&(l.range.end as u64).to_le_bytes());
            string(&mut h, &self.target_path(&l.target));
        }
        h.digest128()
    }

    fn parts(
        &self,
        parts: &[Part],
        links: &[TextLink],
        page_path: &str,
        item_anchor: Option<&str>,
    ) -> Vec<PartView> {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(md) => PartView::text(self.html(md, links, page_path)),
                Part::Heading {
                    level,
                    text,
                    anchor,
                } => PartView::heading(
                    *level,
                    text,
                    anchor
                        .as_ref()
                        .zip(item_anchor)
                        .map(|(a, item)| format!("{item}-{a}")),
                ),
                Part::Decision(d) => PartView::decision(d, self.html(&d.body, links, page_path)),
            })
            .collect()
    }
}

fn sub_item_title(item: &Item, letter: &str) -> Option<String> {
    item.parts.iter().find_map(|p| match p {
        Part::Heading {
            anchor: Some(a),
            text,
            ..
        } if a.eq_ignore_ascii_case(letter) => Some(text.clone()),
        _ => None,
    })
}

fn status_label(s: ThreadStatus) -> &'static str {
    match s {
        ThreadStatus::Open => "Under behandling",
        ThreadStatus::Decided => "Vedtatt",
        ThreadStatus::Closed => "Avsluttet",
    }
}

fn decision_kind_name(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Proposal => "proposal",
        DecisionKind::Decision => "decision",
    }
}
