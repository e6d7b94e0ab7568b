//! Stage 1, `load`: read `content/` and give the archive as written.
//!
//! This stage owns reading the content files. It splits each Markdown file into
//! its YAML front matter and its body, parses the YAML into the raw shapes below
//! (values still as typed, with their source spans), and cuts the body into
//! preamble, items, decision blocks and closing sections by its headings. It
//! checks only what it needs to read a file; ids, dates and references are
//! checked by `resolve`. Problems become diagnostics and the file is skipped, so
//! one bad file never hides the errors of the others. Files are read and parsed
//! in parallel, in an order that does not depend on the threads.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use icu_normalizer::ComposingNormalizerBorrowed;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::{MessageFormatter, Spanned};

use crate::diag::{Diagnostic, FileId, Sources};
use crate::model::{DecisionKind, Markdown};

/// A value from YAML with its byte range in the file.
#[derive(Debug, Clone)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Byte range in the source file.
    pub span: Range<usize>,
}

/// `site.yaml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// Site name.
    pub title: Option<String>,
    /// Where the web build is published.
    pub base_url: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Theme folder name.
    pub theme: Option<String>,
    /// One sentence about the archive.
    pub description: Option<String>,
    /// Extra phrases that mark decision headings.
    #[serde(default)]
    pub decision_headings: DecisionHeadings,
}

/// Extra phrases for decision headings from `site.yaml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionHeadings {
    /// Phrases that mark a proposal.
    #[serde(default)]
    pub proposal: Vec<String>,
    /// Phrases that mark a decision.
    #[serde(default)]
    pub decision: Vec<String>,
}

/// One entry of `bodies.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    /// Id.
    pub id: Spanned<String>,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: Option<String>,
    /// Names used in running text.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One entry of `former_numbers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFormerNumber {
    /// The number.
    pub number: String,
    /// Last day.
    pub valid_to: Option<Spanned<String>>,
}

/// One id or a list of ids.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Many.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The ids as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// One entry of `municipalities.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMunicipality {
    /// Id.
    pub id: Spanned<String>,
    /// Name.
    pub name: String,
    /// Number.
    pub number: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// `municipality` or `county`.
    pub kind: Option<Spanned<String>>,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Last day.
    pub valid_to: Option<Spanned<String>>,
    /// Merged into.
    pub merged_into: Option<Spanned<OneOrMany>>,
    /// Former numbers.
    #[serde(default)]
    pub former_numbers: Vec<RawFormerNumber>,
    /// History note.
    pub note: Option<String>,
}

/// One entry of `people.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    /// The name.
    pub name: String,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A participant as written in front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParticipant {
    /// Name.
    pub name: Spanned<String>,
    /// Municipality id.
    pub municipality: Option<Spanned<String>>,
    /// Organisation, free text.
    pub organisation: Option<String>,
    /// Whom they stand in for.
    #[serde(rename = "for")]
    pub substitute_for: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// The label the original lists them under.
    pub group: Option<String>,
}

/// What the front matter says about one item.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItemMeta {
    /// Thread id or ids.
    pub thread: Option<Spanned<OneOrMany>>,
}

/// The front matter of a meeting document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    /// Body id.
    pub body: Spanned<String>,
    /// `minutes` or `notice`.
    pub document: Spanned<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Spanned<String>,
    /// Last day.
    pub end_date: Option<Spanned<String>>,
    /// Extra URL part when a body meets twice a day.
    pub slug: Option<Spanned<String>>,
    /// Title line as printed.
    pub title: Option<String>,
    /// Time, as written.
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Present.
    #[serde(default)]
    pub present: Vec<RawParticipant>,
    /// Absent.
    #[serde(default)]
    pub absent: Vec<RawParticipant>,
    /// Secretariat.
    #[serde(default)]
    pub secretariat: Vec<String>,
    /// Per-item settings, keyed by item number (optionally with a sub-item letter).
    #[serde(default)]
    pub items: HashMap<Spanned<String>, RawItemMeta>,
    /// Old URLs.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// The front matter of a thread.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThreadFront {
    /// Title.
    pub title: String,
    /// One sentence.
    pub summary: Option<String>,
    /// `open`, `decided` or `closed`.
    pub status: Option<Spanned<String>>,
    /// Steps not in the archive.
    #[serde(default)]
    pub outside_archive: Vec<RawOutsideStep>,
    /// Old URLs.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// A step outside the archive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutsideStep {
    /// When.
    pub date: Spanned<String>,
    /// Which body.
    pub body: Option<Spanned<String>>,
    /// What happened.
    pub text: String,
}

/// A heading of the body, as written.
#[derive(Debug, Clone)]
pub struct RawHeading {
    /// Level 1–6.
    pub level: u8,
    /// Text.
    pub text: String,
    /// Byte range of the heading line in the file.
    pub span: Range<usize>,
}

/// A block of a document body, as written.
#[derive(Debug, Clone)]
pub enum RawPart {
    /// Running text.
    Text(Markdown),
    /// A heading that is neither an item nor a decision.
    Heading(RawHeading),
    /// A decision or proposal block.
    Decision {
        /// Which.
        kind: DecisionKind,
        /// Its heading.
        heading: RawHeading,
        /// Its text.
        body: Markdown,
    },
}

/// An item heading split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemHeading {
    /// `Sak`, `TR-sak`, or none.
    pub label: Option<String>,
    /// `04`, `4`, `35`, `6b`, as written.
    pub number: String,
    /// `2017` or `17`, as written.
    pub year: String,
    /// The title.
    pub title: String,
    /// The whole heading as written.
    pub text: String,
    /// End of the label in `text` (0 without one).
    pub label_end: usize,
    /// Where the number (`17/2017`, `42/ 25`) starts in `text`.
    pub number_start: usize,
    /// Where it ends.
    pub number_end: usize,
    /// Where the title starts in `text`.
    pub title_start: usize,
}

/// An item of a document as written.
#[derive(Debug, Clone)]
pub struct RawItem {
    /// The heading.
    pub heading: ItemHeading,
    /// The heading's span.
    pub span: Range<usize>,
    /// Its blocks.
    pub parts: Vec<RawPart>,
}

/// A meeting document as written.
#[derive(Debug)]
pub struct RawDocument {
    /// The file.
    pub file: FileId,
    /// Path under `content/` with `/` separators.
    pub content_path: String,
    /// Front matter.
    pub front: RawFrontMatter,
    /// Byte offset of the YAML in the file.
    pub yaml_offset: usize,
    /// Everything before the first item.
    pub preamble: Vec<RawPart>,
    /// Items.
    pub items: Vec<RawItem>,
    /// Sections after the items.
    pub after: Vec<RawPart>,
}

/// A thread file as written.
#[derive(Debug)]
pub struct RawThread {
    /// The file.
    pub file: FileId,
    /// Id (file stem).
    pub id: String,
    /// Front matter.
    pub front: RawThreadFront,
    /// Byte offset of the YAML in the file.
    pub yaml_offset: usize,
    /// The background text.
    pub background: Markdown,
}

/// A YAML list file with its values.
#[derive(Debug)]
pub struct RawList<T> {
    /// The file, if it exists.
    pub file: Option<FileId>,
    /// Byte offset of the YAML in the file (0 for `.yaml` files).
    pub entries: Vec<T>,
}

impl<T> Default for RawList<T> {
    fn default() -> Self {
        Self {
            file: None,
            entries: Vec::new(),
        }
    }
}

/// The archive as written.
#[derive(Debug)]
pub struct RawArchive {
    /// Every file read.
    pub sources: Sources,
    /// `site.yaml`.
    pub site: RawSite,
    /// `bodies.yaml`.
    pub bodies: RawList<RawBody>,
    /// `municipalities.yaml`.
    pub municipalities: RawList<RawMunicipality>,
    /// `people.yaml`.
    pub people: RawList<RawPerson>,
    /// The meeting documents' paths, in order; read them with [`documents`].
    pub document_paths: Vec<PathBuf>,
    /// Threads, in path order.
    pub threads: Vec<RawThread>,
    /// What went wrong while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the archive under `content_dir`. Never fails: problems are diagnostics.
pub fn load(content_dir: &Path) -> RawArchive {
    let mut archive = RawArchive {
        sources: Sources::default(),
        site: RawSite::default(),
        bodies: RawList::default(),
        municipalities: RawList::default(),
        people: RawList::default(),
        document_paths: Vec::new(),
        threads: Vec::new(),
        diagnostics: Vec::new(),
    };
    if !content_dir.is_dir() {
        archive.diagnostics.push(
            Diagnostic::global(format!(
                "fant ikke innholdsmappen {}",
                content_dir.display()
            ))
            .help("kjør saksgang i mappen som har content/, eller oppgi den med --root"),
        );
        return archive;
    }
    let mut loader = Loader {
        content_dir,
        archive: &mut archive,
    };
    if let Some((_, site)) = loader.yaml_file::<RawSite>("site.yaml", false) {
        loader.archive.site = site;
    }
    if let Some((file, list)) = loader.yaml_file::<Vec<RawBody>>("bodies.yaml", true) {
        loader.archive.bodies = RawList {
            file: Some(file),
            entries: list,
        };
    }
    if let Some((file, list)) =
        loader.yaml_file::<Vec<RawMunicipality>>("municipalities.yaml", true)
    {
        loader.archive.municipalities = RawList {
            file: Some(file),
            entries: list,
        };
    }
    if let Some((file, list)) = loader.yaml_file::<Vec<RawPerson>>("people.yaml", false) {
        loader.archive.people = RawList {
            file: Some(file),
            entries: list,
        };
    }
    archive.document_paths =
        markdown_files(&content_dir.join("meetings"), &mut archive.diagnostics);
    let threads = markdown_files(&content_dir.join("threads"), &mut archive.diagnostics);
    let (threads, diagnostics) =
        read_parallel(content_dir, &threads, &mut archive.sources, parse_thread);
    archive.threads = threads;
    archive.diagnostics.extend(diagnostics);
    archive
}

/// Reads and parses the meeting documents at `paths` in parallel, and hands each
/// to `convert` as soon as it is parsed, so that the parsed form of all documents
/// is never in memory at once. Their texts join `sources` in path order, so file
/// ids do not depend on which thread finished first. Returns what `convert` made,
/// in path order, and the problems of files that could not be read or parsed.
pub fn documents<T: Send>(
    content_dir: &Path,
    paths: &[PathBuf],
    sources: &mut Sources,
    headings: &DecisionHeadings,
    convert: impl Fn(RawDocument) -> T + Sync,
) -> (Vec<T>, Vec<Diagnostic>) {
    read_parallel(content_dir, paths, sources, |file, path, text| {
        let (doc, diagnostics) =
            parse_meeting(file, content_path(content_dir, path), text, headings);
        (doc.map(&convert), diagnostics)
    })
}

/// Reads the files at `paths` in parallel and parses each with `parse`.
fn read_parallel<T: Send>(
    content_dir: &Path,
    paths: &[PathBuf],
    sources: &mut Sources,
    parse: impl Fn(FileId, &Path, &str) -> (Option<T>, Vec<Diagnostic>) + Sync,
) -> (Vec<T>, Vec<Diagnostic>) {
    let base = sources.len();
    let parsed: Vec<Parsed<T>> = paths
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let shown = shown_path(content_dir, path);
            match read_text(path, &shown) {
                Ok(text) => {
                    let (item, diagnostics) = parse(FileId(base + i), path, &text);
                    Parsed {
                        shown,
                        text,
                        item,
                        diagnostics,
                    }
                }
                Err(d) => Parsed {
                    shown,
                    text: String::new(),
                    item: None,
                    diagnostics: vec![d],
                },
            }
        })
        .collect();
    let mut out = Vec::with_capacity(parsed.len());
    let mut diagnostics = Vec::new();
    for p in parsed {
        sources.add(p.shown, p.text);
        diagnostics.extend(p.diagnostics);
        out.extend(p.item);
    }
    (out, diagnostics)
}

/// One content file after parsing, before it joins the archive.
struct Parsed<T> {
    shown: PathBuf,
    text: String,
    item: Option<T>,
    diagnostics: Vec<Diagnostic>,
}

/// The path as shown to writers: relative to the archive root (`content/…`).
fn shown_path(content_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(content_dir.parent().unwrap_or(Path::new("")))
        .unwrap_or(path)
        .to_path_buf()
}

/// Reads a file as UTF-8 without a byte order mark, normalized to NFC.
fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::global(format!("kunne ikke lese {}: {err}", shown.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::global(format!("{} er ikke lagret som UTF-8", shown.display())).help(
            "lagre filen med tegnkodingen UTF-8 (i de fleste redigeringsprogram: «Lagre som» → UTF-8)",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(ComposingNormalizerBorrowed::new_nfc()
        .normalize(text)
        .into_owned())
}

pub(crate) fn parse_meeting(
    file: FileId,
    content_path: String,
    text: &str,
    headings: &DecisionHeadings,
) -> (Option<RawDocument>, Vec<Diagnostic>) {
    let (yaml, yaml_offset, body_offset) = match split_front_matter(file, text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    match parse_yaml::<RawFrontMatter>(yaml) {
        Ok(front) => {
            let (preamble, items, after) = split_body(file, text, body_offset, headings);
            let doc = RawDocument {
                file,
                content_path,
                front,
                yaml_offset,
                preamble,
                items,
                after,
            };
            (Some(doc), Vec::new())
        }
        Err(e) => (None, vec![yaml_diagnostic(file, yaml, yaml_offset, &e)]),
    }
}

pub(crate) fn parse_thread(
    file: FileId,
    path: &Path,
    text: &str,
) -> (Option<RawThread>, Vec<Diagnostic>) {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (yaml, yaml_offset, body_offset) = match split_front_matter(file, text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    match parse_yaml::<RawThreadFront>(yaml) {
        Ok(front) => {
            let background = Markdown {
                file,
                range: body_offset..text.len(),
            };
            (
                Some(RawThread {
                    file,
                    id,
                    front,
                    yaml_offset,
                    background,
                }),
                Vec::new(),
            )
        }
        Err(e) => (None, vec![yaml_diagnostic(file, yaml, yaml_offset, &e)]),
    }
}

/// Splits `---\nYAML\n---\nbody`; returns the YAML, its offset and the body offset.
fn split_front_matter(file: FileId, text: &str) -> Result<(&str, usize, usize), Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(file, 0..first_line_end.min(text.len()), "filen mangler topptekst")
            .label("første linje skal være ---")
            .help("start filen med en linje med ---, så feltene (body, document, date …), så en ny linje med ---"));
    }
    let mut pos = first_line_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok((&text[first_line_end..pos], first_line_end, end));
        }
        pos = end;
    }
    Err(Diagnostic::error(file, 0..3, "toppteksten slutter aldri")
        .label("toppteksten starter her")
        .help("skriv en linje med bare --- etter det siste feltet i toppteksten"))
}

/// `.md` files below `dir`, sorted by path, so that every build reads them in the same order.
fn markdown_files(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if e.path().extension().is_some_and(|x| x == "md") {
                    files.push(e.into_path());
                }
            }
            Ok(_) => {}
            Err(err) => diagnostics.push(Diagnostic::global(format!(
                "kunne ikke lese mappen {}: {err}",
                dir.display()
            ))),
        }
    }
    files
}

struct Loader<'a> {
    content_dir: &'a Path,
    archive: &'a mut RawArchive,
}

impl Loader<'_> {
    /// Reads and parses one of the YAML list files (`bodies.yaml`, …).
    fn yaml_file<T: for<'de> Deserialize<'de>>(
        &mut self,
        name: &str,
        required: bool,
    ) -> Option<(FileId, T)> {
        let path = self.content_dir.join(name);
        if !path.exists() {
            if required {
                self.archive.diagnostics.push(
                    Diagnostic::global(format!("mangler content/{name}")).help(format!(
                        "lag filen content/{name}; se skrivehåndboka for et eksempel"
                    )),
                );
            }
            return None;
        }
        let shown = shown_path(self.content_dir, &path);
        let text = match read_text(&path, &shown) {
            Ok(t) => t,
            Err(d) => {
                self.archive.diagnostics.push(d);
                return None;
            }
        };
        let parsed = parse_yaml::<T>(&text);
        let file = self.archive.sources.add(shown, text);
        match parsed {
            Ok(v) => Some((file, v)),
            Err(e) => {
                self.archive.diagnostics.push(yaml_diagnostic(
                    file,
                    &self.archive.sources.get(file).text,
                    0,
                    &e,
                ));
                None
            }
        }
    }
}

fn content_path(content_dir: &Path, path: &Path) -> String {
    path.strip_prefix(content_dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn parse_yaml<T: for<'de> Deserialize<'de>>(yaml: &str) -> Result<T, serde_saphyr::Error> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(yaml, options)
}

/// Turns a YAML error into a diagnostic at its place in the file, in Norwegian.
fn yaml_diagnostic(
    file: FileId,
    yaml: &str,
    yaml_offset: usize,
    e: &serde_saphyr::Error,
) -> Diagnostic {
    let message = serde_saphyr::DefaultMessageFormatter
        .format_message(e)
        .into_owned();
    // Errors of values carry a byte offset; errors of the YAML syntax only a
    // character offset, which is turned into bytes here.
    let at = e.location().and_then(|l| {
        let span = l.span();
        span.byte_offset().map(|b| b as usize).or_else(|| {
            let chars = span.offset() as usize;
            yaml.char_indices()
                .nth(chars)
                .map(|(b, _)| b)
                .or((chars == yaml.chars().count()).then_some(yaml.len()))
        })
    });
    let at = yaml_offset + at.unwrap_or(0);
    let (norwegian, label, help) = explain_yaml(&message);
    Diagnostic::error(file, at..at + 1, norwegian)
        .label(label)
        .help(help)
}

/// Plain-words explanation of the most common YAML mistakes: message, label, help.
/// Mistakes it does not know keep the parser's own words as the label.
fn explain_yaml(message: &str) -> (String, String, String) {
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or("").to_string();
    if message.starts_with("unknown field") {
        let field = quoted(message);
        let expected = message
            .split_once("expected")
            .map(|(_, rest)| rest.trim().trim_start_matches("one of").trim().to_string())
            .unwrap_or_default();
        (
            format!("ukjent felt «{field}»"),
            "dette feltet finnes ikke her".to_string(),
            format!(
                "feltene som kan stå her er: {expected}. Rett skrivemåten, eller fjern feltet. \
                 Har teksten foran et komma i seg, må den stå i anførselstegn: role: \"leder, nestleder\""
            ),
        )
    } else if message.starts_with("missing field") {
        let field = quoted(message);
        (
            format!("feltet «{field}» mangler"),
            "feltet må være med".to_string(),
            format!("legg til «{field}: …» her"),
        )
    } else if message.contains("mapping values are not allowed") {
        (
            "et kolon (:) står der det ikke kan stå".to_string(),
            "kolon inne i teksten".to_string(),
            "sett hele teksten i anførselstegn, for eksempel title: \"Referat: møte\"".to_string(),
        )
    } else if message.contains("duplicate") {
        // "duplicate mapping key: aliases, set DuplicateKeyPolicy …"
        let key = message
            .split_once("key: ")
            .and_then(|(_, rest)| rest.split(',').next())
            .map(str::trim)
            .filter(|k| !k.is_empty());
        (
            match key {
                Some(k) => format!("feltet «{k}» står to ganger"),
                None => "det samme feltet står to ganger".to_string(),
            },
            "andre gang".to_string(),
            "slå sammen de to linjene til én".to_string(),
        )
    } else if message
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w == "tab" || w == "tabs")
    {
        // The word, not the letters: "acceptable" (in the duplicate key message) has them.
        (
            "tabulator brukt som innrykk".to_string(),
            "tabulator".to_string(),
            "bruk mellomrom, ikke tabulator, til innrykk i toppteksten".to_string(),
        )
    } else {
        (
            "toppteksten kan ikke leses".to_string(),
            message.to_string(),
            "sjekk innrykk, kolon etter feltnavnet, og at tekst med kolon (:) står i anførselstegn"
                .to_string(),
        )
    }
}

/// The phrases that make a heading a proposal, after lower-casing.
const PROPOSAL_PHRASES: &[&str] = &[
    "forslag til vedtak",
    "framlegg til vedtak",
    "innstilling",
    "tilråding",
];

/// Classifies a heading inside an item: proposal, decision, or neither.
pub fn decision_kind(text: &str, extra: &DecisionHeadings) -> Option<DecisionKind> {
    let t = text.trim().trim_end_matches(':').trim().to_lowercase();
    let has = |list: &[String]| list.iter().any(|p| t.contains(&p.to_lowercase()));
    if t.starts_with("vedtak") || has(&extra.decision) {
        return Some(DecisionKind::Decision);
    }
    if PROPOSAL_PHRASES.iter().any(|p| t.contains(p)) || has(&extra.proposal) {
        return Some(DecisionKind::Proposal);
    }
    t.contains("vedtak").then_some(DecisionKind::Decision)
}

/// Splits an item heading: `Sak 17/2017 Tittel`, `TR-sak 35/06: Tittel`, `PS 2/2020 Tittel`.
pub fn parse_item_heading(text: &str) -> Option<ItemHeading> {
    let text = text.trim();
    let (label, rest) = match text.split_once(char::is_whitespace) {
        Some((first, rest)) if !first.starts_with(|c: char| c.is_ascii_digit()) => {
            if first.chars().any(|c| c.is_ascii_digit()) || !first.chars().any(char::is_alphabetic)
            {
                return None;
            }
            (Some(first.to_string()), rest.trim_start())
        }
        _ => (None, text),
    };
    let number_text = rest;
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let mut number = rest[..digits].to_string();
    let mut rest = &rest[digits..];
    if let Some(c) = rest.chars().next().filter(|c| c.is_ascii_lowercase()) {
        number.push(c);
        rest = &rest[1..];
    }
    let rest = rest.trim_start().strip_prefix('/')?.trim_start();
    let year_len = rest.chars().take_while(char::is_ascii_digit).count();
    if year_len != 2 && year_len != 4 {
        return None;
    }
    let year = rest[..year_len].to_string();
    let after = &rest[year_len..];
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let title = after
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '-' | '–'))
        .trim_end();
    // Where the parts stand in the heading, so the model can keep only the heading.
    let offset = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    Some(ItemHeading {
        label_end: label.as_ref().map_or(0, String::len),
        number_start: offset(number_text),
        number_end: offset(after),
        title_start: offset(title),
        label,
        number,
        year,
        title: title.to_string(),
        text: text.to_string(),
    })
}

/// The letter of a lettered sub-item heading: `A Kommunehelsesamarbeidet` → `A`.
pub fn sub_item_letter(text: &str) -> Option<String> {
    let first = text.split_whitespace().next()?;
    let letter = first.trim_end_matches([')', '.']);
    let mut chars = letter.chars();
    let c = chars.next()?;
    (c.is_uppercase() && chars.next().is_none() && text.split_whitespace().nth(1).is_some())
        .then(|| c.to_string())
}

/// Markdown options used everywhere, so that `load` and `render` parse alike.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Headings of the body with their spans (absolute in the file).
fn headings(text: &str, body_offset: usize) -> Vec<RawHeading> {
    let body = &text[body_offset..];
    let mut out = Vec::new();
    let mut current: Option<(u8, String, Range<usize>)> = None;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((heading_level(level), String::new(), range));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, range)) = current.take() {
                    out.push(RawHeading {
                        level,
                        text: text.trim().to_string(),
                        span: body_offset + range.start..body_offset + range.end,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s, _)) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, s, _)) = current.as_mut() {
                    s.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Cuts a body into preamble, items and closing sections, following the content format.
fn split_body(
    file: FileId,
    text: &str,
    body_offset: usize,
    extra: &DecisionHeadings,
) -> (Vec<RawPart>, Vec<RawItem>, Vec<RawPart>) {
    let hs = headings(text, body_offset);
    let mut preamble = Vec::new();
    let mut items: Vec<RawItem> = Vec::new();
    let mut after = Vec::new();
    // Where new parts go: 0 = preamble, 1 = current item, 2 = after the items.
    let mut place = 0;
    let text_part = |range: Range<usize>| -> Option<RawPart> {
        let slice = &text[range.clone()];
        (!slice.trim().is_empty()).then(|| {
            let start = range.start + (slice.len() - slice.trim_start().len());
            let end = range.start + slice.trim_end().len();
            RawPart::Text(Markdown {
                file,
                range: start..end,
            })
        })
    };
    let first = hs.first().map_or(text.len(), |h| h.span.start);
    preamble.extend(text_part(body_offset..first));
    let mut i = 0;
    while i < hs.len() {
        let h = &hs[i];
        let next_start = |j: usize| hs.get(j).map_or(text.len(), |h: &RawHeading| h.span.start);
        let mut parts = Vec::new();
        let mut next = i + 1;
        if h.level == 2 {
            if let Some(heading) = parse_item_heading(&h.text) {
                items.push(RawItem {
                    heading,
                    span: h.span.clone(),
                    parts: Vec::new(),
                });
                place = 1;
            } else {
                place = if items.is_empty() { 0 } else { 2 };
                parts.push(RawPart::Heading(h.clone()));
            }
            parts.extend(text_part(h.span.end..next_start(next)));
        } else if let Some(kind) = (h.level >= 3)
            .then(|| decision_kind(&h.text, extra))
            .flatten()
        {
            while next < hs.len() && hs[next].level > h.level {
                next += 1;
            }
            let end = next_start(next);
            let body = text_part(h.span.end..end);
            let range = match body {
                Some(RawPart::Text(md)) => md.range,
                _ => h.span.end..h.span.end,
            };
            parts.push(RawPart::Decision {
                kind,
                heading: h.clone(),
                body: Markdown { file, range },
            });
        } else {
            parts.push(RawPart::Heading(h.clone()));
            parts.extend(text_part(h.span.end..next_start(next)));
        }
        match (place, items.last_mut()) {
            (1, Some(item)) => item.parts.extend(parts),
            (2, _) => after.extend(parts),
            _ => preamble.extend(parts),
        }
        i = next;
    }
    (preamble, items, after)
}

#[cfg(test)]
mod tests;
