//! Stage 2, `resolve`: from the archive as written to the archive as understood.
//!
//! This stage owns every check of meaning: that ids exist (with a "did you mean"),
//! that dates are dates, that a meeting has at most one notice and one minutes,
//! that `items:` names items the document has. It gives items their identity
//! (`04/2017`), joins notice and minutes into one meeting, builds each thread's
//! steps in date order, validates `@/` links and finds the prose references
//! ("styringsgruppens møte 16.3.2017, sak 06/2017") that the archive can link.
//! It never panics and never stops early: it returns the archive it could build
//! and every diagnostic it found.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::diag::{Diagnostic, FileId, Sources};
use crate::load::{self, At, RawArchive, RawDocument, RawPart, RawParticipant};
use crate::model::*;
use crate::render::markdown;
pub use links::document_anchors;
use links::{LinkIndex, Place, Scan};

mod file_names;
mod links;
pub mod people;
#[cfg(test)]
pub(crate) use links::scan_for_tests;

/// What `resolve` knows before it reads the meeting documents: the settings,
/// bodies, municipalities, people and thread ids that documents refer to.
pub struct Prelude {
    site: Site,
    bodies: Vec<Body>,
    municipalities: Vec<Municipality>,
    people: Vec<Person>,
    names: Names,
    raw_threads: Vec<load::RawThread>,
    diagnostics: Vec<Diagnostic>,
    unreadable: Vec<String>,
}

/// One meeting document after its own checks, before it joins its meeting.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
pub struct ResolvedDocument {
    /// The meeting it belongs to, if its body, kind and date are right.
    meeting: Option<MeetingKey>,
    /// The document, if its kind and date are right.
    document: Option<Document>,
    /// Where its `document:` field is, for reporting a second notice or minutes.
    kind_span: Range<usize>,
    /// What was wrong with it.
    diagnostics: Vec<Diagnostic>,
}

#[cfg(test)]
impl ResolvedDocument {
    /// What was wrong with it, for the property tests.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// What identifies a meeting.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct MeetingKey {
    slug: String,
    body: BodyId,
    date: NaiveDate,
    end_date: Option<NaiveDate>,
}

/// Resolves the settings and lists of a loaded archive (everything but the
/// meeting documents, which are resolved one by one with [`Prelude::document`]).
pub fn prelude(raw: &mut RawArchive) -> Prelude {
    let mut r = Resolver {
        diagnostics: std::mem::take(&mut raw.diagnostics),
        unreadable: std::mem::take(&mut raw.unreadable),
    };
    let site = r.site(raw);
    let bodies = r.bodies(raw);
    let municipalities = r.municipalities(raw);
    let people = r.people(raw);
    let raw_threads = std::mem::take(&mut raw.threads);
    let names = Names::new(&bodies, &municipalities, &raw_threads);
    Prelude {
        site,
        bodies,
        municipalities,
        people,
        names,
        raw_threads,
        diagnostics: r.diagnostics,
        unreadable: r.unreadable,
    }
}

impl Prelude {
    /// Checks one meeting document and turns it into the model. Runs on any thread.
    pub fn document(&self, raw: RawDocument) -> ResolvedDocument {
        let mut r = Resolver {
            diagnostics: Vec::new(),
            unreadable: self.unreadable.clone(),
        };
        let (meeting, kind_span, document) = r.meeting_document(raw, &self.names);
        ResolvedDocument {
            meeting,
            kind_span,
            document,
            diagnostics: r.diagnostics,
        }
    }

    /// Joins the documents into meetings and threads, and finds the links.
    pub fn finish(
        self,
        documents: Vec<ResolvedDocument>,
        sources: &Sources,
        memo: Option<(&mut LinkMemo, &BTreeSet<FileId>)>,
    ) -> (Archive, Vec<Diagnostic>) {
        let Prelude {
            site,
            bodies,
            municipalities,
            mut people,
            names,
            raw_threads,
            diagnostics,
            unreadable,
        } = self;
        let mut r = Resolver {
            diagnostics,
            unreadable,
        };
        let mut meetings = r.meetings(documents, sources, &mut people);
        meetings.sort_by(|a, b| {
            (a.date, &bodies[a.body.0].id, &a.slug).cmp(&(b.date, &bodies[b.body.0].id, &b.slug))
        });
        let mut threads = r.threads(&raw_threads, &names);
        collect_steps(&meetings, &mut threads);
        let mut archive = Archive {
            site,
            bodies,
            municipalities,
            people,
            meetings,
            threads,
            path_links: BTreeMap::new(),
        };
        r.links(&mut archive, sources, memo);
        (archive, r.diagnostics)
    }
}

#[derive(Default)]
struct Resolver {
    diagnostics: Vec<Diagnostic>,
    /// Lists that could not be read (`bodies.yaml`, `threads/<id>`): an id missing
    /// from them has been reported as that file's problem, not as an unknown id.
    unreadable: Vec<String>,
}

/// Lookup tables from the ids writers type to typed ids.
struct Names {
    bodies: HashMap<String, BodyId>,
    municipalities: HashMap<String, MunicipalityId>,
    threads: HashMap<String, ThreadId>,
    /// Lower-case names and aliases of bodies and municipalities → their id,
    /// for telling a writer who typed a name where an id belongs.
    ids_by_name: HashMap<String, String>,
}

impl Names {
    fn new(bodies: &[Body], municipalities: &[Municipality], threads: &[load::RawThread]) -> Self {
        Self {
            bodies: bodies
                .iter()
                .enumerate()
                .map(|(i, b)| (b.id.clone(), BodyId(i)))
                .collect(),
            municipalities: municipalities
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id.clone(), MunicipalityId(i)))
                .collect(),
            threads: threads
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.clone(), ThreadId(i)))
                .collect(),
            ids_by_name: bodies
                .iter()
                .map(|b| (b.name.to_lowercase(), b.id.clone()))
                .chain(municipalities.iter().flat_map(|m| {
                    std::iter::once(&m.name)
                        .chain(&m.aliases)
                        .map(|n| (n.to_lowercase(), m.id.clone()))
                }))
                .collect(),
        }
    }

    /// The id of the body or municipality with this name, if any.
    fn id_named(&self, name: &str) -> Option<&str> {
        self.ids_by_name
            .get(&name.trim().to_lowercase())
            .map(String::as_str)
    }
}

/// The byte range of a spanned YAML value in the file.
fn span_of<T>(s: &serde_saphyr::Spanned<T>, yaml_offset: usize) -> Range<usize> {
    let span = s.referenced.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(l)) => yaml_offset + o as usize..yaml_offset + (o + l.max(1)) as usize,
        (Some(o), None) => yaml_offset + o as usize..yaml_offset + o as usize + 1,
        _ => yaml_offset..yaml_offset + 1,
    }
}

fn at<T: Clone>(s: &serde_saphyr::Spanned<T>, yaml_offset: usize) -> At<T> {
    At {
        value: s.value.clone(),
        span: span_of(s, yaml_offset),
    }
}

/// The dates a meeting, a step or a municipality's change can plausibly have:
/// from 1900 to two years from today. Only a warning depends on today, never
/// the site.
fn plausible_dates() -> (NaiveDate, NaiveDate) {
    static LAST: std::sync::OnceLock<NaiveDate> = std::sync::OnceLock::new();
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = *LAST.get_or_init(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let today = i64::try_from(now)
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map_or(first, |t| t.date_naive());
        today
            .checked_add_months(chrono::Months::new(24))
            .unwrap_or(NaiveDate::MAX)
    });
    (first, last)
}

/// Why a setting of `site.yaml` cannot be used, in the words of a diagnostic.
struct SettingProblem {
    message: String,
    label: String,
    help: String,
}

fn problem(message: &str, label: &str, help: String) -> Result<(), SettingProblem> {
    Err(SettingProblem {
        message: message.to_string(),
        label: label.to_string(),
        help,
    })
}

/// `base_url`: an absolute http(s) address of a folder, written so that it can
/// go as it is into an attribute, a feed and a calendar.
fn check_base_url(url: &str) -> Result<(), SettingProblem> {
    const EXAMPLE: &str = "for eksempel «https://kommune.no/arkiv/»";
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "\"'<>\\`{}|^".contains(*c))
    {
        let shown = match c {
            ' ' => "mellomrom".to_string(),
            c if c.is_whitespace() || c.is_control() => {
                format!("kontrolltegnet U+{:04X}", c as u32)
            }
            c => format!("«{c}»"),
        };
        return problem(
            &format!("base_url kan ikke inneholde {shown}"),
            "tegnet hører ikke hjemme i en nettadresse",
            format!("skriv adressen der arkivet publiseres uten tegnet, {EXAMPLE}"),
        );
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return problem(
            "base_url må være en fullstendig nettadresse",
            "må begynne med https:// eller http://",
            format!("skriv hele adressen der arkivet publiseres, {EXAMPLE}"),
        );
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_alphanumeric() || "-.:[]".contains(c))
    {
        return problem(
            "base_url mangler et gyldig vertsnavn",
            "her skal det stå et domene etter https://",
            format!("skriv domenet rett etter https://, {EXAMPLE}"),
        );
    }
    if path.contains(['?', '#']) {
        return problem(
            "base_url kan ikke ha «?» eller «#»",
            "en mappeadresse har ingen spørring eller anker",
            format!("ta bort alt fra «?» eller «#», {EXAMPLE}"),
        );
    }
    if path.contains("//") {
        let mut fixed = url[..url.len() - path.len()].to_string();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            fixed.push('/');
            fixed.push_str(part);
        }
        return problem(
            "base_url har «//» i stien",
            "to skråstreker etter hverandre",
            format!("skriv «{fixed}/»"),
        );
    }
    if !path.ends_with('/') {
        return problem(
            "base_url må slutte med «/»",
            "adressen til mappen arkivet ligger i",
            format!("skriv «{url}/»"),
        );
    }
    Ok(())
}

/// `language`: a language tag like `nb`, `nn`, `no`, `en` or `nb-NO`.
fn check_language(tag: &str) -> Result<(), SettingProblem> {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        problem(
            "language må være en språkkode",
            "ikke en språkkode",
            "skriv «nb» for bokmål, «nn» for nynorsk, eller en annen kode som «en»".to_string(),
        )
    }
}

/// The image types a logo can have, by the end of its name.
pub(crate) const LOGO_TYPES: &[&str] = &["svg", "png", "jpg", "jpeg", "gif", "webp"];

/// `logo`: a path inside the theme's `static/` folder, in letters a–z, digits,
/// `-`, `_`, `.` and `/`, with no `..`, ending in an image type. Whether the
/// file is there is checked against the theme (`build`).
fn check_logo(path: &str) -> Result<(), SettingProblem> {
    const EXAMPLE: &str = "for eksempel «logo: logo.svg» for filen themes/default/static/logo.svg";
    if let Some(rest) = path.strip_prefix("static/") {
        return problem(
            "logo skrives uten «static/» foran",
            "stien regnes fra temaets static-mappe",
            format!("skriv «logo: {rest}»"),
        );
    }
    let parts_ok = path
        .split('/')
        .all(|p| !p.is_empty() && p != "." && p != "..");
    if path.is_empty()
        || !parts_ok
        || !path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        return problem(
            "logo må være en fil i temaets static-mappe",
            "ikke en sti inne i static/",
            format!(
                "skriv stien med a–z, 0–9, bindestrek, punktum og /, uten «..» eller «/» først, {EXAMPLE}"
            ),
        );
    }
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !LOGO_TYPES.contains(&ext.as_str()) {
        return problem(
            "logo må være et bilde",
            "filnavnet slutter ikke på en bildetype",
            format!("bruk en fil av typen {}", LOGO_TYPES.join(", ")),
        );
    }
    Ok(())
}

/// The links and images of a Markdown text that the pages leave out, with
/// what each is («lenken», «bildet»).
fn refused_links(text: &str) -> Vec<(markdown::Refused, &'static str)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(text, load::markdown_options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => {
                markdown::link_refusal(&dest_url).map(|w| (w, "lenken"))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                markdown::link_refusal(&dest_url).map(|w| (w, "bildet"))
            }
            _ => None,
        })
        .collect()
}

/// `theme`: the name of a folder in `themes/`, or `default`.
fn check_theme(name: &str) -> Result<(), SettingProblem> {
    if crate::theme::valid_name(name) {
        Ok(())
    } else {
        problem(
            "theme må være navnet på en mappe i themes/",
            "ikke et mappenavn",
            "skriv bare navnet på mappen, for eksempel «theme: eget» for themes/eget/, eller \
             «default» for standardtemaet; en sti (med / eller ..) kan ikke brukes"
                .to_string(),
        )
    }
}

/// An alias as a site path (`/gammel/` or `/gammel.html`), or what is wrong
/// with it (label, help).
fn normalise_alias(written: &str) -> Result<String, (String, String)> {
    let v = written.trim();
    let example = "skriv stien til den gamle siden, for eksempel «/moter/2017-06-01-rg/»";
    let lower = v.to_ascii_lowercase();
    if let Some(rest) = ["http://", "https://"]
        .iter()
        .find_map(|s| lower.starts_with(s).then(|| &v[s.len()..]))
    {
        let path = rest.find('/').map_or("/", |i| &rest[i..]);
        return Err((
            "en adresse med vertsnavn".into(),
            format!("skriv bare stien på nettstedet, uten https:// og vertsnavn: «{path}»"),
        ));
    }
    if v.starts_with("//") || v.contains("://") {
        return Err(("en adresse med vertsnavn".into(), example.into()));
    }
    if !v.starts_with('/') {
        return Err(("skal begynne med /".into(), example.into()));
    }
    if let Some(i) = v.find(['?', '#']) {
        return Err((
            format!("«{}» kan ikke være med", &v[i..i + 1]),
            format!(
                "en side på nettstedet er den samme uansett hva som står etter ? eller #; skriv bare stien: «{}»",
                &v[..i]
            ),
        ));
    }
    let Some(path) = crate::render::urls::percent_decode(v) else {
        return Err((
            "feil %-koding".into(),
            "skriv tegnene som de er (for eksempel ø, ikke %C3%B8)".into(),
        ));
    };
    if path.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\') {
        return Err((
            "mellomrom, \\ og kontrolltegn kan ikke være med".into(),
            example.into(),
        ));
    }
    if path.contains("//") {
        return Err(("// midt i stien".into(), example.into()));
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err((
            ". og .. kan ikke være med".into(),
            "skriv hele stien fra roten av nettstedet, for eksempel «/moter/2017-06-01-rg/»".into(),
        ));
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let lower_last = last.to_lowercase();
    if last.is_empty() || lower_last.ends_with(".html") || lower_last.ends_with(".htm") {
        Ok(path)
    } else if last.contains('.') {
        Err((
            "bare sider kan sendes videre".into(),
            format!(
                "en gammel side skrives som en mappe («{path}/») eller en .html-fil; andre filer kan ikke sendes videre av en side"
            ),
        ))
    } else {
        Ok(format!("{path}/"))
    }
}

/// "Did you mean" for a mistyped id.
fn suggestion<'k>(wrong: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    known
        .map(|k| (strsim::damerau_levenshtein(wrong, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 16))
        .min()
        .map(|(_, k)| k)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Resolver {
    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn unknown_id<'k>(
        &mut self,
        file: FileId,
        value: &At<String>,
        what: &str,
        list_file: &str,
        known: impl Iterator<Item = &'k str>,
        named: Option<&str>,
    ) {
        if self
            .unreadable
            .iter()
            .any(|u| u == list_file || u.strip_prefix(list_file) == Some(value.value.as_str()))
        {
            return;
        }
        let mut d = Diagnostic::error(
            file,
            value.span.clone(),
            format!("ukjent {what} «{}»", value.value),
        )
        .label(format!("finnes ikke i {list_file}"));
        d = match (named, suggestion(&value.value, known)) {
            (Some(id), _) => d.help(format!(
                "skriv id-en «{id}» her, ikke navnet; id-ene står i content/{list_file}"
            )),
            (None, Some(s)) => d.help(format!(
                "mente du «{s}»? Rett id-en, eller legg til «{}» i content/{list_file}",
                value.value
            )),
            (None, None) => d.help(format!(
                "bruk en id fra content/{list_file}, eller legg til «{}» der",
                value.value
            )),
        };
        self.error(d);
    }

    fn date(&mut self, file: FileId, value: &At<String>, field: &str) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(value.value.trim(), "%Y-%m-%d") {
            Ok(d) => {
                let (first, last) = plausible_dates();
                if d < first || d > last {
                    self.error(
                        Diagnostic::warning(
                            file,
                            value.span.clone(),
                            format!("datoen {d} er neppe riktig"),
                        )
                        .label(format!(
                            "{field} er {} {}",
                            if d < first { "før" } else { "etter" },
                            if d < first { first } else { last }
                        ))
                        .help(format!(
                            "sjekk årstallet: en dato før {} eller mer enn to år frem i tid \
                             (etter {last}) er nok en skrivefeil; arkivet bygges likevel",
                            first.year(),
                        )),
                    );
                }
                Some(d)
            }
            Err(_) => {
                self.error(
                    Diagnostic::error(
                        file,
                        value.span.clone(),
                        format!("«{}» er ikke en gyldig dato", value.value),
                    )
                    .label(format!("{field} må være en dato"))
                    .help("skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2017-06-01"),
                );
                None
            }
        }
    }

    /// The settings of `site.yaml`. `base_url`, `language` and `theme` go into
    /// addresses, feeds and file paths, so each is checked, with an error at its
    /// value; a value that is refused is replaced by the default (the build
    /// stops at the error anyway).
    fn site(&mut self, raw: &RawArchive) -> Site {
        let s = &raw.site;
        let mut checked = |value: &Option<serde_saphyr::Spanned<String>>,
                           check: fn(&str) -> Result<(), SettingProblem>,
                           default: &str| {
            let Some(v) = value else {
                return default.to_string();
            };
            match (check(&v.value), s.file) {
                (Ok(()), _) => v.value.clone(),
                (Err(problem), Some(file)) => {
                    self.error(
                        Diagnostic::error(file, span_of(v, 0), problem.message)
                            .label(problem.label)
                            .help(problem.help),
                    );
                    default.to_string()
                }
                (Err(problem), None) => {
                    self.error(Diagnostic::global(problem.message).help(problem.help));
                    default.to_string()
                }
            }
        };
        let base_url = checked(&s.base_url, check_base_url, "/");
        let language = checked(&s.language, check_language, "nb");
        let theme = checked(&s.theme, check_theme, "default");
        let logo = s.logo.as_ref().and_then(|v| {
            let span = span_of(v, 0);
            let problem = check_logo(&v.value).err().or_else(|| {
                s.owner.as_deref().is_none_or(|o| o.trim().is_empty()).then(|| SettingProblem {
                    message: "logo trenger owner".to_string(),
                    label: "logoen har ingen tekst for dem som ikke ser den".to_string(),
                    help: "skriv også «owner:» med navnet på eieren av arkivet; det blir logoens alternative tekst".to_string(),
                })
            });
            match (problem, s.file) {
                (None, file) => Some(Logo {
                    path: v.value.clone(),
                    file,
                    span,
                }),
                (Some(p), Some(file)) => {
                    self.error(
                        Diagnostic::error(file, span, p.message)
                            .label(p.label)
                            .help(p.help),
                    );
                    None
                }
                (Some(p), None) => {
                    self.error(Diagnostic::global(p.message).help(p.help));
                    None
                }
            }
        });
        let statement = s.accessibility_statement.as_ref().map(|v| {
            if let Some(file) = s.file {
                for (why, what) in refused_links(&v.value) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            file,
                            span_of(v, 0),
                            match &why {
                                markdown::Refused::Scheme(scheme) => format!(
                                    "{what} i accessibility_statement bruker «{scheme}:», som ikke er tillatt"
                                ),
                                markdown::Refused::ProtocolRelative => format!(
                                    "{what} i accessibility_statement begynner med //, uten http: eller https:"
                                ),
                            },
                        )
                        .label("vises som tekst, ikke som lenke")
                        .help("bare http:, https:, mailto:, tel: og relative lenker blir lenker; rett adressen eller fjern lenken"),
                    );
                }
            }
            v.value.clone()
        });
        let text = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
        Site {
            title: s.title.clone().unwrap_or_else(|| "Møtearkiv".to_string()),
            base_url,
            language,
            description: s.description.clone(),
            theme,
            owner: text(&s.owner),
            logo,
            contact: text(&s.contact),
            accessibility_statement: statement.filter(|t| !t.trim().is_empty()),
        }
    }

    fn check_id(
        &mut self,
        file: FileId,
        id: &At<String>,
        seen: &mut HashMap<String, Range<usize>>,
        what: &str,
    ) -> bool {
        if !valid_id(&id.value) {
            self.error(
                Diagnostic::error(file, id.span.clone(), format!("id-en «{}» kan ikke brukes i en adresse", id.value))
                    .label("bare a–z, 0–9 og bindestrek")
                    .help("skriv id-en med små bokstaver uten æ, ø, å og mellomrom, for eksempel «ovre-eiker»"),
            );
            return false;
        }
        if seen.insert(id.value.clone(), id.span.clone()).is_some() {
            self.error(
                Diagnostic::error(
                    file,
                    id.span.clone(),
                    format!("{what} «{}» står to ganger", id.value),
                )
                .label("andre gang")
                .help("hver id skal stå bare én gang; slå sammen eller gi den ene en annen id"),
            );
            return false;
        }
        true
    }

    fn bodies(&mut self, raw: &RawArchive) -> Vec<Body> {
        let Some(file) = raw.bodies.file else {
            return Vec::new();
        };
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        for b in &raw.bodies.entries {
            let id = at(&b.id, 0);
            if self.check_id(file, &id, &mut seen, "organet") {
                out.push(Body {
                    id: id.value,
                    name: b.name.clone(),
                    organisation: b.organisation.clone(),
                    aliases: b.aliases.iter().map(|a| a.to_lowercase()).collect(),
                });
            }
        }
        out
    }

    fn municipalities(&mut self, raw: &RawArchive) -> Vec<Municipality> {
        let Some(file) = raw.municipalities.file else {
            return Vec::new();
        };
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        let mut kept = Vec::new();
        for m in &raw.municipalities.entries {
            let id = at(&m.id, 0);
            if !self.check_id(file, &id, &mut seen, "kommunen") {
                continue;
            }
            let kind = match m.kind.as_ref().map(|k| at(k, 0)) {
                None => MunicipalityKind::Municipality,
                Some(k) if k.value == "municipality" => MunicipalityKind::Municipality,
                Some(k) if k.value == "county" => MunicipalityKind::County,
                Some(k) => {
                    self.error(
                        Diagnostic::error(file, k.span, format!("ukjent kind «{}»", k.value))
                            .label("skal være municipality eller county")
                            .help("skriv «kind: county» for en fylkeskommune, og utelat feltet for en kommune"),
                    );
                    MunicipalityKind::Municipality
                }
            };
            let valid_to = m
                .valid_to
                .as_ref()
                .and_then(|v| self.date(file, &at(v, 0), "valid_to"));
            let former_numbers = m
                .former_numbers
                .iter()
                .map(|f| FormerNumber {
                    number: f.number.clone(),
                    valid_to: f
                        .valid_to
                        .as_ref()
                        .and_then(|v| self.date(file, &at(v, 0), "valid_to")),
                })
                .collect();
            out.push(Municipality {
                id: id.value,
                name: m.name.clone(),
                number: m.number.clone(),
                former_numbers,
                region: m.region.clone(),
                kind,
                aliases: m.aliases.clone(),
                valid_to,
                merged_into: Vec::new(),
                note: m.note.clone(),
            });
            kept.push(m);
        }
        let index: HashMap<String, MunicipalityId> = out
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), MunicipalityId(i)))
            .collect();
        for (i, m) in kept.iter().enumerate() {
            let Some(into) = &m.merged_into else { continue };
            let span = span_of(into, 0);
            for target in into.value.to_vec() {
                match index.get(&target) {
                    Some(id) => out[i].merged_into.push(*id),
                    None => {
                        let value = At {
                            value: target,
                            span: span.clone(),
                        };
                        self.unknown_id(
                            file,
                            &value,
                            "kommune",
                            "municipalities.yaml",
                            index.keys().map(String::as_str),
                            None,
                        );
                    }
                }
            }
        }
        out
    }

    fn people(&mut self, raw: &RawArchive) -> Vec<Person> {
        raw.people
            .entries
            .iter()
            .map(|p| Person {
                name: p.name.clone(),
                aliases: p.aliases.clone(),
            })
            .collect()
    }

    /// The checks of one meeting document's own fields, and the document.
    fn meeting_document(
        &mut self,
        raw: RawDocument,
        names: &Names,
    ) -> (Option<MeetingKey>, Range<usize>, Option<Document>) {
        let file = raw.file;
        let y = raw.yaml_offset;
        let f = &raw.front;
        let body_at = at(&f.body, y);
        let body = names.bodies.get(body_at.value.as_str()).copied();
        if body.is_none() {
            self.unknown_id(
                file,
                &body_at,
                "organ",
                "bodies.yaml",
                names.bodies.keys().map(String::as_str),
                names.id_named(&body_at.value),
            );
        }
        let kind_at = at(&f.document, y);
        let kind = match kind_at.value.as_str() {
            "minutes" => Some(DocumentKind::Minutes),
            "notice" => Some(DocumentKind::Notice),
            other => {
                let hint = match other {
                    "referat" => "skriv «document: minutes» for et referat",
                    "innkalling" => "skriv «document: notice» for en innkalling",
                    _ => {
                        "skriv «document: minutes» (referat) eller «document: notice» (innkalling)"
                    }
                };
                self.error(
                    Diagnostic::error(
                        file,
                        kind_at.span.clone(),
                        format!("ukjent dokumenttype «{other}»"),
                    )
                    .label("skal være minutes eller notice")
                    .help(hint),
                );
                None
            }
        };
        let date = self.date(file, &at(&f.date, y), "date");
        let end_date = f
            .end_date
            .as_ref()
            .and_then(|d| self.date(file, &at(d, y), "end_date"));
        let slug_extra = f.slug.as_ref().map(|s| at(s, y));
        if let Some(s) = slug_extra.as_ref().filter(|s| !valid_id(&s.value)) {
            self.error(
                Diagnostic::error(
                    file,
                    s.span.clone(),
                    format!("«{}» kan ikke brukes i en adresse", s.value),
                )
                .label("bare a–z, 0–9 og bindestrek")
                .help("skriv for eksempel «slug: ettermiddag»"),
            );
        }
        let (Some(kind), Some(date)) = (kind, date) else {
            return (None, kind_at.span, None);
        };
        if let (Some(end), Some(raw_end)) = (end_date, &f.end_date)
            && end < date
        {
            self.error(
                Diagnostic::error(file, at(raw_end, y).span, "end_date er før date")
                    .label("møtet kan ikke slutte før det begynner")
                    .help("rett datoene, eller fjern end_date for et møte på én dag"),
            );
        }
        self.diagnostics
            .extend(file_names::check(&file_names::Declared {
                file,
                content_path: &raw.content_path,
                date,
                date_span: at(&f.date, y).span,
                body: &body_at.value,
                slug: slug_extra.as_ref().map(|s| s.value.as_str()),
                kind,
            }));
        let mut slug = format!("{}-{}", date.format("%Y-%m-%d"), body_at.value);
        if let Some(s) = slug_extra {
            slug.push('-');
            slug.push_str(&s.value);
        }
        // The document is checked even when its body is unknown, so that all
        // its mistakes are reported in one build.
        let document = self.document(&raw, kind, date, names);
        let key = body.map(|body| MeetingKey {
            slug,
            body,
            date,
            end_date,
        });
        (key, kind_at.span, Some(document))
    }

    /// Joins documents into meetings, and gives every participant their person.
    fn meetings(
        &mut self,
        documents: Vec<ResolvedDocument>,
        sources: &Sources,
        people: &mut Vec<Person>,
    ) -> Vec<Meeting> {
        let mut person_index: HashMap<String, PersonId> = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                person_index.insert(n.clone(), PersonId(i));
            }
        }
        let mut meetings: Vec<Meeting> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut first_file: HashMap<(usize, DocumentKind), FileId> = HashMap::new();
        for resolved in documents {
            self.diagnostics.extend(resolved.diagnostics);
            let (Some(key), Some(mut document)) = (resolved.meeting, resolved.document) else {
                continue;
            };
            for p in document
                .present
                .iter_mut()
                .chain(document.absent.iter_mut())
            {
                p.person = *person_index.entry(p.name.to_string()).or_insert_with(|| {
                    people.push(Person {
                        name: p.name.to_string(),
                        aliases: Vec::new(),
                    });
                    PersonId(people.len() - 1)
                });
            }
            let index = *by_key.entry(key.slug.clone()).or_insert_with(|| {
                meetings.push(Meeting {
                    slug: key.slug.clone(),
                    body: key.body,
                    date: key.date,
                    end_date: key.end_date,
                    minutes: None,
                    notice: None,
                });
                meetings.len() - 1
            });
            let m = &mut meetings[index];
            if m.end_date.is_none() {
                m.end_date = key.end_date;
            }
            let kind = document.kind;
            let slot = match kind {
                DocumentKind::Minutes => &mut m.minutes,
                DocumentKind::Notice => &mut m.notice,
            };
            if slot.is_some() {
                let other = sources
                    .get(first_file[&(index, kind)])
                    .path
                    .display()
                    .to_string();
                let what = if kind == DocumentKind::Minutes {
                    "et referat"
                } else {
                    "en innkalling"
                };
                self.error(
                    Diagnostic::error(document.file, resolved.kind_span, format!("møtet {} har allerede {what}", key.slug))
                        .label(format!("også i {other}"))
                        .help("et møte har ett referat og én innkalling; slå sammen filene, eller skill møtene med «slug:» når et organ møtes to ganger samme dag"),
                );
                continue;
            }
            first_file.insert((index, kind), document.file);
            *slot = Some(Box::new(document));
        }
        meetings
    }

    fn document(
        &mut self,
        raw: &RawDocument,
        kind: DocumentKind,
        date: NaiveDate,
        names: &Names,
    ) -> Document {
        let file = raw.file;
        let y = raw.yaml_offset;
        let f = &raw.front;
        let participants = |list: &[RawParticipant], r: &mut Self| -> Vec<Participant> {
            list.iter()
                .filter_map(|p| r.participant(file, y, p, names))
                .collect()
        };
        // Collected lists are trimmed to their length: the model of a large
        // archive is held in memory whole, so spare capacity adds up.
        let mut present = participants(&f.present, self);
        present.shrink_to_fit();
        let mut absent = participants(&f.absent, self);
        absent.shrink_to_fit();
        let mut items: Vec<Item> = Vec::new();
        let mut seen: HashMap<ItemNumber, Range<usize>> = HashMap::new();
        for it in &raw.items {
            let number = match &it.heading.year {
                Some(year) => item_number(&it.heading.number, year, date.year()),
                None => meeting_item_number(&it.heading.number),
            };
            if seen.insert(number.clone(), it.span.clone()).is_some() {
                self.error(
                    Diagnostic::error(file, it.span.clone(), format!("sak {} står to ganger i dokumentet", number.display()))
                        .label("andre gang")
                        .help("to saker i ett dokument kan ikke ha samme nummer; rett nummeret i overskriften"),
                );
                continue;
            }
            items.push(Item {
                heading: it.heading.text.clone().into_boxed_str(),
                label_end: it.heading.label_end as u32,
                number_at: (it.heading.number_start as u32, it.heading.number_end as u32),
                title_start: it.heading.title_start as u32,
                number,
                parts: parts(&it.parts, true),
                threads: Vec::new(),
                heading_span: it.span.clone(),
                mentions: Vec::new(),
            });
        }
        let mut metas: Vec<_> = f.items.iter().collect();
        metas.sort_by_key(|(k, _)| k.referenced.span().offset());
        for (key, meta) in metas {
            let key_at = at(key, y);
            let Some((number, sub)) = parse_item_key(&key_at.value, date.year()) else {
                self.error(
                    Diagnostic::error(
                        file,
                        key_at.span.clone(),
                        format!("«{}» er ikke et saksnummer", key_at.value),
                    )
                    .label("skal være som \"17/2017\", \"08/2017 B\" eller \"2\" (sak 2 i møtet)")
                    .help("skriv nummeret som i saksoverskriften, i anførselstegn: \"17/2017\", eller \"2\" når sakene nummereres per møte"),
                );
                continue;
            };
            let Some(item) = items.iter_mut().find(|i| i.number == number) else {
                let (message, label, help) = missing_item(&items, &number);
                self.error(
                    Diagnostic::error(file, key_at.span.clone(), message)
                        .label(label)
                        .help(help),
                );
                continue;
            };
            if let Some(letter) = &sub {
                let has = item.parts.iter().any(|p| matches!(p, Part::Heading { anchor: Some(_), text, .. } if load::sub_item_letter(text).as_deref() == Some(letter.as_str())));
                if !has {
                    self.error(
                        Diagnostic::error(
                            file,
                            key_at.span.clone(),
                            format!("sak {} har ikke noe punkt {letter}", number.display()),
                        )
                        .label("fant ingen underoverskrift med denne bokstaven")
                        .help(format!(
                            "punktet skal ha en overskrift som «### {letter} Tittel» under saken"
                        )),
                    );
                    continue;
                }
            }
            let Some(thread) = &meta.thread else { continue };
            let span = span_of(thread, y);
            for id in thread.value.to_vec() {
                match names.threads.get(&id) {
                    Some(t) => {
                        let entry = ItemThread {
                            thread: *t,
                            sub_item: sub.clone(),
                        };
                        if !item.threads.contains(&entry) {
                            item.threads.push(entry);
                        }
                    }
                    None => {
                        let value = At {
                            value: id,
                            span: span.clone(),
                        };
                        self.unknown_id(
                            file,
                            &value,
                            "saksgang",
                            "threads/",
                            names.threads.keys().map(String::as_str),
                            None,
                        );
                    }
                }
            }
        }
        let aliases = f
            .aliases
            .iter()
            .filter_map(|a| self.alias(file, &at(a, y)))
            .collect();
        items.shrink_to_fit();
        Document {
            file,
            content_path: raw.content_path.clone(),
            kind,
            title: f.title.clone(),
            time: f.time.clone(),
            place: f.place.clone(),
            present,
            absent,
            secretariat: f.secretariat.clone(),
            aliases,
            preamble: parts(&raw.preamble, false),
            items,
            after: parts(&raw.after, false),
            links: Vec::new(),
        }
    }

    /// An old address from `aliases:`, normalised (`/gammel` is the folder
    /// `/gammel/`; `/gammel.html` is that file), or a located error for what a
    /// static page cannot answer. Clashes are found with the page plan (render).
    fn alias(&mut self, file: FileId, a: &At<String>) -> Option<Alias> {
        match normalise_alias(&a.value) {
            Ok(path) => Some(Alias {
                path,
                file,
                span: a.span.clone(),
            }),
            Err((label, help)) => {
                let v = a.value.trim();
                self.error(
                    Diagnostic::error(
                        file,
                        a.span.clone(),
                        format!("«{v}» kan ikke brukes som gammel adresse"),
                    )
                    .label(label)
                    .help(help),
                );
                None
            }
        }
    }

    /// A participant; their person is found when documents join (`meetings`).
    fn participant(
        &mut self,
        file: FileId,
        y: usize,
        p: &RawParticipant,
        names: &Names,
    ) -> Option<Participant> {
        let name = at(&p.name, y);
        let affiliation = match (&p.municipality, &p.organisation) {
            (Some(m), None) => {
                let m = at(m, y);
                match names.municipalities.get(m.value.as_str()) {
                    Some(id) => Affiliation::Municipality(*id),
                    None => {
                        self.unknown_id(
                            file,
                            &m,
                            "kommune",
                            "municipalities.yaml",
                            names.municipalities.keys().map(String::as_str),
                            names.id_named(&m.value),
                        );
                        return None;
                    }
                }
            }
            (None, Some(o)) => Affiliation::Organisation(o.as_str().into()),
            (Some(_), Some(_)) => {
                self.error(
                    Diagnostic::error(file, name.span, format!("{} har både municipality og organisation", name.value))
                        .label("bare ett av dem")
                        .help("bruk municipality for kommuner og fylkeskommuner, organisation for alle andre"),
                );
                return None;
            }
            (None, None) => {
                self.error(
                    Diagnostic::error(file, name.span, format!("{} mangler kommune eller organisasjon", name.value))
                        .label("hvem representerer denne personen?")
                        .help("legg til «municipality: id» (fra municipalities.yaml) eller «organisation: navn»"),
                );
                return None;
            }
        };
        let chair = p.role.as_deref().is_some_and(|r| {
            matches!(
                r.trim().to_lowercase().as_str(),
                "møteleder" | "leder" | "chair"
            )
        });
        let boxed = |s: &Option<String>| s.as_deref().map(Box::from);
        Some(Participant {
            name: name.value.into_boxed_str(),
            person: PersonId::UNKNOWN,
            affiliation,
            substitute_for: boxed(&p.substitute_for),
            role: boxed(&p.role),
            chair,
            note: boxed(&p.note),
            group: boxed(&p.group),
        })
    }

    fn threads(&mut self, raw_threads: &[load::RawThread], names: &Names) -> Vec<Thread> {
        let mut out = Vec::new();
        for t in raw_threads {
            let file = t.file;
            let y = t.yaml_offset;
            if !valid_id(&t.id) {
                self.error(
                    Diagnostic::error(file, 0..3, format!("filnavnet «{}» kan ikke brukes i en adresse", t.id))
                        .label("filnavnet blir adressen til saksgangen")
                        .help("gi filen et navn med bare a–z, 0–9 og bindestrek, for eksempel threads/ny-skolestruktur.md"),
                );
            }
            let status = match t.front.status.as_ref().map(|s| at(s, y)) {
                None => ThreadStatus::Open,
                Some(s) => match s.value.as_str() {
                    "open" => ThreadStatus::Open,
                    "decided" => ThreadStatus::Decided,
                    "closed" => ThreadStatus::Closed,
                    other => {
                        self.error(
                            Diagnostic::error(file, s.span, format!("ukjent status «{other}»"))
                                .label("skal være open, decided eller closed")
                                .help("open = under behandling, decided = vedtatt, closed = avsluttet"),
                        );
                        ThreadStatus::Open
                    }
                },
            };
            let mut steps = Vec::new();
            for o in &t.front.outside_archive {
                let Some(date) = self.date(file, &at(&o.date, y), "date") else {
                    continue;
                };
                let body = match &o.body {
                    None => None,
                    Some(b) => {
                        let b = at(b, y);
                        match names.bodies.get(b.value.as_str()) {
                            Some(id) => Some(*id),
                            None => {
                                self.unknown_id(
                                    file,
                                    &b,
                                    "organ",
                                    "bodies.yaml",
                                    names.bodies.keys().map(String::as_str),
                                    names.id_named(&b.value),
                                );
                                None
                            }
                        }
                    }
                };
                steps.push(Step::Outside {
                    date,
                    body,
                    text: o.text.clone(),
                });
            }
            let aliases = t
                .front
                .aliases
                .iter()
                .filter_map(|a| self.alias(file, &at(a, y)))
                .collect();
            out.push(Thread {
                id: t.id.clone(),
                title: t.front.title.clone(),
                summary: t.front.summary.clone(),
                status,
                background: t.background.clone(),
                aliases,
                links: Vec::new(),
                steps,
            });
        }
        out
    }

    /// Checks `@/` links and finds prose references and municipality mentions,
    /// in every document and thread, in parallel.
    fn links(
        &mut self,
        archive: &mut Archive,
        sources: &Sources,
        mut memo: Option<(&mut LinkMemo, &BTreeSet<FileId>)>,
    ) {
        let index = LinkIndex::new(archive);
        // What the last reading found still holds for a document that was not
        // read again, as long as every lookup its scan made gives the same: the
        // lookups whose answer changed are the ones to look out for.
        let values = memo.as_ref().map(|_| index.values());
        let changed: Option<HashSet<u64>> = memo
            .as_ref()
            .and_then(|(m, _)| m.values.as_ref())
            .zip(values.as_ref())
            .map(|(old, new)| {
                new.iter()
                    .filter(|(k, v)| old.get(k) != Some(v))
                    .map(|(k, _)| *k)
                    .chain(old.keys().filter(|k| !new.contains_key(k)).copied())
                    .collect()
            });
        let holds = |scan: &Scan| {
            changed
                .as_ref()
                .is_some_and(|c| !scan.lookups.iter().any(|k| c.contains(k)))
        };
        let scanned = std::sync::atomic::AtomicUsize::new(0);
        let earlier: Option<(&LinkMemo, &BTreeSet<FileId>)> =
            memo.as_ref().map(|(m, read)| (&**m, *read));
        let docs: Vec<DocumentFindings> = archive
            .meetings
            .par_iter()
            .enumerate()
            .flat_map_iter(|(mi, m)| m.documents().map(move |doc| (mi, m, doc)))
            .map(|(mi, m, doc)| {
                let kept = earlier
                    .filter(|(_, read)| !read.contains(&doc.file))
                    .and_then(|(memo, _)| memo.documents.get(&doc.file))
                    .filter(|(scan, _)| holds(scan));
                if let Some((scan, mentions)) = kept {
                    return (
                        MeetingId(mi),
                        doc.kind,
                        scan.clone(),
                        mentions.clone(),
                        false,
                    );
                }
                scanned.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let text = &sources.text(doc.file);
                let mut place = Place {
                    body: Some(m.body),
                    meeting: Some(MeetingId(mi)),
                    year: m.date.year(),
                    title: "",
                };
                let mut scan = Scan::default();
                let mut add = |s: Scan| {
                    scan.refs.extend(s.refs);
                    scan.path_links.extend(s.path_links);
                    scan.diagnostics.extend(s.diagnostics);
                };
                let (mentions, lookups) = links::noting_lookups(|| {
                    for md in doc
                        .preamble
                        .iter()
                        .chain(&doc.after)
                        .filter_map(part_markdown)
                    {
                        add(index.scan(text, md, &place));
                    }
                    let mut mentions = Vec::new();
                    for item in &doc.items {
                        place.title = item.title();
                        let mut found = Vec::new();
                        index.mentions(item.title(), &mut found);
                        for p in &item.parts {
                            match p {
                                Part::Heading { text: h, .. } => index.mentions(h, &mut found),
                                _ => {
                                    let md =
                                        part_markdown(p).expect("text and decisions have Markdown");
                                    add(index.scan(text, md, &place));
                                    index.mentions(&text[md.range.clone()], &mut found);
                                }
                            }
                        }
                        found.sort();
                        found.dedup();
                        found.shrink_to_fit();
                        mentions.push(found);
                    }
                    mentions
                });
                scan.lookups = lookups;
                (MeetingId(mi), doc.kind, scan, mentions, true)
            })
            .collect();
        let kept_threads = earlier
            .map(|(memo, _)| &memo.threads)
            .filter(|t| t.len() == archive.threads.len());
        let threads: Vec<Scan> = archive
            .threads
            .par_iter()
            .enumerate()
            .map(|(ti, t)| {
                if let Some(kept) = kept_threads.map(|k| &k[ti]).filter(|s| holds(s)) {
                    return kept.clone();
                }
                let place = Place {
                    body: None,
                    meeting: None,
                    year: 0,
                    title: "",
                };
                let (mut scan, lookups) = links::noting_lookups(|| {
                    index.scan(&sources.text(t.background.file), &t.background, &place)
                });
                scan.lookups = lookups;
                scan
            })
            .collect();
        drop(index);
        if let Some((memo, _)) = memo.as_mut() {
            // Kept as it was where it still holds; made again where it did not.
            memo.scanned = scanned.into_inner();
            if changed.is_none() {
                memo.documents.clear();
            }
            memo.values = values;
            memo.threads = threads.clone();
            for (mi, kind, scan, mentions, fresh) in &docs {
                let m = &archive.meetings[mi.0];
                let doc = match kind {
                    DocumentKind::Minutes => m.minutes.as_ref(),
                    DocumentKind::Notice => m.notice.as_ref(),
                };
                if let Some(d) = doc.filter(|_| *fresh) {
                    memo.documents
                        .insert(d.file, (scan.clone(), mentions.clone()));
                }
            }
        }
        let mut path_links = BTreeMap::new();
        for (mi, kind, scan, mentions, _) in docs {
            path_links.extend(scan.path_links);
            self.diagnostics.extend(scan.diagnostics);
            let m = &mut archive.meetings[mi.0];
            let doc = match kind {
                DocumentKind::Minutes => m.minutes.as_mut(),
                DocumentKind::Notice => m.notice.as_mut(),
            };
            if let Some(doc) = doc {
                doc.links = scan.refs;
                // Sorted by place, so render finds a paragraph's references by search.
                doc.links.sort_by_key(|l| (l.range.start, l.range.end));
                doc.links.shrink_to_fit();
                for (item, found) in doc.items.iter_mut().zip(mentions) {
                    item.mentions = found;
                }
            }
        }
        for (t, scan) in archive.threads.iter_mut().zip(threads) {
            path_links.extend(scan.path_links);
            self.diagnostics.extend(scan.diagnostics);
            t.links = scan.refs;
            t.links.sort_by_key(|l| (l.range.start, l.range.end));
        }
        archive.path_links = path_links;
    }
}

/// What `links` found in one document: its references and each item's
/// mentions, and whether it was scanned (not kept from the memo).
type DocumentFindings = (
    MeetingId,
    DocumentKind,
    Scan,
    Vec<Vec<MunicipalityId>>,
    bool,
);

/// What a build or `serve` keeps of the link pass from one reading to the
/// next ([`Prelude::finish`] with a memo): what each document's text was found
/// to link to and name, with the lookups that found it, which holds as long as
/// the document is not read again and each of those lookups gives the same
/// ([`LinkIndex::values`]: the answers of the last reading, kept here).
#[derive(serde::Serialize, serde::Deserialize, Default)]
pub struct LinkMemo {
    /// Documents scanned (not taken from the memo) in the last pass.
    pub scanned: usize,
    values: Option<HashMap<u64, u64>>,
    documents: HashMap<FileId, (Scan, Vec<Vec<MunicipalityId>>)>,
    threads: Vec<Scan>,
}

fn part_markdown(p: &Part) -> Option<&Markdown> {
    match p {
        Part::Text(md) => Some(md),
        Part::Decision(d) => Some(&d.body),
        Part::Heading { .. } => None,
    }
}

/// Converts the parts of a raw item (or preamble) into model parts.
fn parts(raw: &[RawPart], in_item: bool) -> Vec<Part> {
    let mut out = Vec::with_capacity(raw.len());
    let mut sub: Option<(u8, String)> = None;
    for p in raw {
        match p {
            RawPart::Text(md) => out.push(Part::Text(md.clone())),
            RawPart::Heading(h) => {
                let letter = in_item.then(|| load::sub_item_letter(&h.text)).flatten();
                if sub.as_ref().is_some_and(|(level, _)| h.level <= *level) || letter.is_some() {
                    sub = letter.clone().map(|l| (h.level, l));
                }
                out.push(Part::Heading {
                    level: h.level,
                    text: h.text.clone(),
                    anchor: letter.map(|l| l.to_lowercase()),
                });
            }
            RawPart::Decision {
                kind,
                heading,
                body,
            } => out.push(Part::Decision(Box::new(Decision {
                kind: *kind,
                heading: heading.text.clone(),
                level: heading.level,
                sub_item: sub
                    .as_ref()
                    .filter(|(level, _)| heading.level > *level)
                    .map(|(_, l)| l.clone()),
                body: body.clone(),
            }))),
        }
    }
    out
}

/// The identity of an item: number padded to two digits, four-digit year in the
/// century of the meeting.
pub fn item_number(number: &str, year: &str, meeting_year: i32) -> ItemNumber {
    let digits = number.chars().take_while(char::is_ascii_digit).count();
    let padded = if digits < 2 {
        format!("0{number}")
    } else {
        number.to_string()
    };
    let y: i32 = year.parse().unwrap_or(0);
    let year = if year.len() == 2 {
        let century = meeting_year - meeting_year.rem_euclid(100);
        century + y
    } else {
        y
    };
    ItemNumber::Year {
        number: padded,
        year,
    }
}

/// The identity of an item numbered within its meeting: the number padded to two digits.
pub fn meeting_item_number(number: &str) -> ItemNumber {
    let digits = number.chars().take_while(char::is_ascii_digit).count();
    ItemNumber::Meeting {
        number: if digits < 2 {
            format!("0{number}")
        } else {
            number.to_string()
        },
    }
}

/// What to say about an `items:` key that names no item: (message, label, help).
/// With items, which there are; with none, that there are none and the headings
/// that make one, with the word the original uses: never a fix that changes the
/// label or number the document prints.
fn missing_item(items: &[Item], wanted: &ItemNumber) -> (String, String, String) {
    const SHOWN: usize = 20;
    if items.is_empty() {
        let n = wanted.number().trim_start_matches('0');
        let forms = match wanted.year() {
            Some(year) => format!(
                "«## Sak {n}/{year} Tittel», «## Styresak {n}/{:02}: Tittel» eller «## PS {n}/{year} Tittel»; når sakene nummereres per møte, uten år: «## Sak {n}. Tittel»",
                year.rem_euclid(100)
            ),
            None => format!(
                "«## Sak {n}. Tittel», «## Sak {n} Tittel» eller «## PS {n} Tittel»; når sakene nummereres gjennom året: «## Sak {n}/ÅÅÅÅ Tittel»"
            ),
        };
        return (
            format!(
                "dokumentet har ingen saker, så items: kan ikke nevne sak {}",
                wanted.display()
            ),
            "ingen overskrift i dokumentet leses som en sak".to_string(),
            format!(
                "en sak begynner med en overskrift på nivå 2: ordet originalen bruker, nummeret og tittelen, som {forms}"
            ),
        );
    }
    let mut known: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|i| i.number.display())
        .collect();
    if items.len() > SHOWN {
        known.push(format!("{} til", items.len() - SHOWN));
    }
    let help = match known.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!(
            "sakene i dokumentet er {} og {last}; bruk ett av disse numrene som nøkkel i items:",
            rest.join(", ")
        ),
        _ => format!(
            "dokumentets eneste sak er {}; bruk det nummeret som nøkkel i items:",
            known.join("")
        ),
    };
    (
        format!("dokumentet har ingen sak {}", wanted.display()),
        "ingen saksoverskrift med dette nummeret".to_string(),
        format!("{help}, eller legg til saksoverskriften hvis saken mangler i dokumentet"),
    )
}

/// Parses an `items:` key: `"17/2017"`, `"4/2017"`, `"08/2017 B"`, and for an item
/// numbered within its meeting `"2"`, `"02"`, `"2 B"`.
fn parse_item_key(key: &str, meeting_year: i32) -> Option<(ItemNumber, Option<String>)> {
    let sub_ok = |sub: &str| {
        sub.is_empty() || (sub.chars().count() == 1 && sub.chars().all(char::is_uppercase))
    };
    let num_ok = |num: &str| {
        let digits = num.chars().take_while(char::is_ascii_digit).count();
        (1..=3).contains(&digits)
            && num[digits..].chars().count() <= 1
            && num[digits..].chars().all(|c| c.is_ascii_lowercase())
    };
    let Some((num, rest)) = key.trim().split_once('/') else {
        let (num, sub) = key.trim().split_once(' ').unwrap_or((key.trim(), ""));
        let num = num.strip_suffix('.').unwrap_or(num);
        let sub = sub.trim();
        if !num_ok(num) || !sub_ok(sub) {
            return None;
        }
        return Some((
            meeting_item_number(num),
            (!sub.is_empty()).then(|| sub.to_string()),
        ));
    };
    let num = num.trim();
    let rest = rest.trim_start();
    let year_len = rest.chars().take_while(char::is_ascii_digit).count();
    let (year, sub) = rest.split_at(year_len);
    let sub = sub.trim();
    let num_ok = !num.is_empty()
        && num.chars().take_while(char::is_ascii_digit).count() >= 1
        && num.chars().skip_while(char::is_ascii_digit).count() <= 1;
    if !num_ok || !(year_len == 2 || year_len == 4) || !sub_ok(sub) {
        return None;
    }
    Some((
        item_number(num, year, meeting_year),
        (!sub.is_empty()).then(|| sub.to_string()),
    ))
}

/// Puts every item that joins a thread into that thread's steps, in date order.
fn collect_steps(meetings: &[Meeting], threads: &mut [Thread]) {
    for (mi, m) in meetings.iter().enumerate() {
        for doc in m.documents() {
            for (ii, item) in doc.items.iter().enumerate() {
                for t in &item.threads {
                    threads[t.thread.0].steps.push(Step::Item {
                        meeting: MeetingId(mi),
                        document: doc.kind,
                        item: ii,
                        sub_item: t.sub_item.clone(),
                    });
                }
            }
        }
    }
    for t in threads {
        // Meetings are already in date order; outside steps slot in by date, and
        // a notice comes before the minutes of the same meeting.
        t.steps.sort_by_key(|s| match s {
            Step::Item {
                meeting,
                document,
                item,
                ..
            } => (meetings[meeting.0].date, 1, meeting.0, *document, *item),
            Step::Outside { date, .. } => (*date, 0, 0, DocumentKind::Notice, 0),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_the_page_a_browser_asks_for() {
        let ok = |a: &str| normalise_alias(a).unwrap();
        assert_eq!(ok("/gammel"), "/gammel/");
        assert_eq!(ok(" /gammel/ "), "/gammel/");
        assert_eq!(ok("/eldre/side.html"), "/eldre/side.html");
        assert_eq!(ok("/eldre/Side.HTM"), "/eldre/Side.HTM");
        assert_eq!(ok("/m%C3%B8te"), "/møte/");
        assert_eq!(ok("/møte"), "/møte/");
        for bad in [
            "gammel",
            "/gammel?x=1",
            "/gammel#sak",
            "/a/../b/",
            "/a/./b/",
            "/%2e%2e/b/",
            "//vert/b/",
            "/a//b/",
            "https://vert.no/b/",
            "HTTP://vert.no/b/",
            "ftp://vert.no/b/",
            "/a\\b/",
            "/a b/",
            "/%ff/",
            "/%zz/",
            "/fil.pdf",
        ] {
            assert!(normalise_alias(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn item_identity_pads_and_takes_the_century_of_the_meeting() {
        assert_eq!(item_number("4", "2017", 2017).display(), "04/2017");
        assert_eq!(item_number("35", "06", 2006).display(), "35/2006");
        assert_eq!(item_number("120", "19", 2019).display(), "120/2019");
        assert_eq!(item_number("6b", "2016", 2017).anchor(), "sak-06b-2016");
        assert_eq!(item_number("1", "2018", 2018).anchor(), "sak-01-2018");
    }

    #[test]
    fn item_keys() {
        let (n, sub) = parse_item_key("08/2017 B", 2017).unwrap();
        assert_eq!(
            (n.display().as_str(), sub.as_deref()),
            ("08/2017", Some("B"))
        );
        let (n, sub) = parse_item_key("1/2018", 2018).unwrap();
        assert_eq!(
            (n.display().as_str(), sub),
            ("01/2018".to_string().as_str(), None)
        );
        assert!(parse_item_key("sytten", 2017).is_none());
        // Items numbered within their meeting: "2" and "02" are the same item.
        for key in ["2", "02", "2."] {
            let (n, sub) = parse_item_key(key, 2024).unwrap();
            assert_eq!((n.display().as_str(), sub), ("02", None), "{key}");
            assert_eq!(n.anchor(), "sak-02");
        }
        let (n, sub) = parse_item_key("2 B", 2024).unwrap();
        assert_eq!((n, sub.as_deref()), (meeting_item_number("2"), Some("B")));
        assert_ne!(
            parse_item_key("2", 2024).unwrap().0,
            parse_item_key("2/2024", 2024).unwrap().0
        );
        assert!(parse_item_key("2 bb", 2024).is_none());
        assert!(parse_item_key("1234", 2024).is_none());
        assert!(parse_item_key("17/2017 bb", 2017).is_none());
    }
}
