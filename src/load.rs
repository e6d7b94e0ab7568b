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
use serde_saphyr::Spanned;

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
    /// The file `site.yaml`, when there is one.
    #[serde(skip)]
    pub file: Option<FileId>,
    /// Site name.
    pub title: Option<String>,
    /// Where the web build is published.
    pub base_url: Option<Spanned<String>>,
    /// Language code.
    pub language: Option<Spanned<String>>,
    /// Theme folder name.
    pub theme: Option<Spanned<String>>,
    /// One sentence about the archive.
    pub description: Option<String>,
    /// Who the archive belongs to, shown at the top of every page.
    pub owner: Option<String>,
    /// The owner's logo: a file in the theme's `static/` folder.
    pub logo: Option<Spanned<String>>,
    /// How to reach the archive's owner, on every page and in the
    /// accessibility statement.
    pub contact: Option<String>,
    /// The accessibility statement, in Markdown.
    pub accessibility_statement: Option<Spanned<String>>,
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
    /// `2017` or `17`, as written; none for an item numbered within its meeting.
    pub year: Option<String>,
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
    /// The lists that are missing or could not be read (`bodies.yaml`, and
    /// `threads/<id>` for a thread file): their problem is reported once, so
    /// `resolve` does not also call every id in them unknown.
    pub unreadable: Vec<String>,
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
        unreadable: Vec::new(),
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
    if let Some((file, site)) = loader.yaml_file::<RawSite>("site.yaml", false) {
        loader.archive.site = RawSite {
            file: Some(file),
            ..site
        };
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
    content_entries(content_dir, &mut archive.diagnostics);
    archive.document_paths = markdown_files(content_dir, "meetings", &mut archive.diagnostics);
    let threads = markdown_files(content_dir, "threads", &mut archive.diagnostics);
    let (read, diagnostics) =
        read_parallel(content_dir, &threads, &mut archive.sources, parse_thread);
    // Threads whose file could not be read, by id (both lists are in path order).
    let mut ids = read.iter().map(|t| t.id.as_str()).peekable();
    for path in &threads {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ids.next_if_eq(&id.as_str()).is_none() {
            archive.unreadable.push(format!("threads/{id}"));
        }
    }
    archive.threads = read;
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
    let read = documents_reusing(
        content_dir,
        paths,
        sources.len(),
        true,
        headings,
        convert,
        |_, _| None,
    );
    join(read, sources)
}

/// A file's size and time of last change and, where the system has them,
/// the time its inode last changed (nanoseconds) and the inode, to tell
/// whether it changed since it was read: a write that puts the old time of
/// change back, or a file put in its place, still changes the last two.
/// `None` if it cannot be asked.
pub type Stamp = Option<(u64, std::time::SystemTime, i128, u64)>;

/// The [`Stamp`] of the file at `path` now.
pub fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            meta.ino(),
        )
    };
    #[cfg(not(unix))]
    let (changed, inode) = (0, 0);
    Some((meta.len(), meta.modified().ok()?, changed, inode))
}

/// One meeting document as read: its text (which joins the sources) and what
/// `convert` made of it, kept by `serve` so that a file that has not changed is
/// not read again ([`documents_reusing`]).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct ReadDocument<T> {
    /// Its id in the sources.
    pub file: FileId,
    /// Its stamp when it was read (taken before reading: a change while it was
    /// read makes it look changed next time).
    pub stamp: Stamp,
    /// The path as shown to writers.
    pub shown: PathBuf,
    /// Its text (in memory only if asked for: see [`documents_reusing`]).
    pub text: crate::diag::Text,
    /// What `convert` made of it, if it could be parsed.
    pub item: Option<T>,
    /// Its problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether this is a shell for a reading kept from before (the file was
    /// not read again), set by the `earlier` of [`documents_reusing`].
    #[serde(skip)]
    pub kept: bool,
}

/// [`documents`], for a reader that keeps what it read: a document for which
/// `earlier(file, path)` gives a reading (of the same file, under the same id)
/// is not read again. Returns every reading in path order; [`join`] adds them
/// to the sources. The texts are kept in memory only if `keep` is set (for
/// `serve`); otherwise each is dropped once `convert` is done with it, and read
/// again when it is needed ([`crate::diag::SourceFile::text`]).
pub fn documents_reusing<T: Send>(
    content_dir: &Path,
    paths: &[PathBuf],
    first: usize,
    keep: bool,
    headings: &DecisionHeadings,
    convert: impl Fn(RawDocument) -> T + Sync,
    earlier: impl Fn(FileId, &Path) -> Option<ReadDocument<T>> + Sync,
) -> Vec<ReadDocument<T>> {
    paths
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let file = FileId(first + i);
            if let Some(read) = earlier(file, path) {
                return read;
            }
            let stamp = stamp(path);
            let shown = shown_path(content_dir, path);
            match read_text(path, &shown) {
                Ok(text) => {
                    let (doc, diagnostics) =
                        parse_meeting(file, content_path(content_dir, path), &text, headings);
                    let item = doc.map(&convert);
                    let mut text = crate::diag::Text::read(path.clone(), text);
                    if !keep {
                        text.release();
                    }
                    ReadDocument {
                        file,
                        stamp,
                        shown,
                        text,
                        item,
                        diagnostics,
                        kept: false,
                    }
                }
                Err(unreadable) => {
                    let (d, lossy) = unreadable.into_file(file);
                    ReadDocument {
                        file,
                        stamp,
                        shown,
                        text: crate::diag::Text::resident(lossy.unwrap_or_default()),
                        item: None,
                        diagnostics: vec![d],
                        kept: false,
                    }
                }
            }
        })
        .collect()
}

/// Adds the texts of `read` to `sources` (in order: the first must have the
/// id of the next file there), and returns what they became and their problems.
pub fn join<T>(
    read: impl IntoIterator<Item = ReadDocument<T>>,
    sources: &mut Sources,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    for r in read {
        let id = sources.add_text(r.shown, r.text);
        debug_assert_eq!(id, r.file);
        diagnostics.extend(r.diagnostics);
        out.extend(r.item);
    }
    (out, diagnostics)
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
                        text: crate::diag::Text::read(path.clone(), text),
                        item,
                        diagnostics,
                    }
                }
                Err(unreadable) => {
                    let (d, lossy) = unreadable.into_file(FileId(base + i));
                    Parsed {
                        shown,
                        text: crate::diag::Text::resident(lossy.unwrap_or_default()),
                        item: None,
                        diagnostics: vec![d],
                    }
                }
            }
        })
        .collect();
    let mut out = Vec::with_capacity(parsed.len());
    let mut diagnostics = Vec::new();
    for p in parsed {
        sources.add_text(p.shown, p.text);
        diagnostics.extend(p.diagnostics);
        out.extend(p.item);
    }
    (out, diagnostics)
}

/// One content file after parsing, before it joins the archive.
struct Parsed<T> {
    shown: PathBuf,
    text: crate::diag::Text,
    item: Option<T>,
    diagnostics: Vec<Diagnostic>,
}

/// The path as shown to writers: relative to the archive root (`content/…`).
fn shown_path(content_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(content_dir.parent().unwrap_or(Path::new("")))
        .unwrap_or(path)
        .to_path_buf()
}

/// A file that could not be read as text: the problem, and for a file that is not
/// UTF-8 its text decoded with the bad bytes replaced, so that the problem can be
/// shown at its line and column. The diagnostic of such a file points into that
/// text, and gets its file id when the text joins the sources ([`Unreadable::into_file`]).
struct Unreadable {
    diagnostic: Box<Diagnostic>,
    lossy: Option<String>,
}

impl From<Diagnostic> for Unreadable {
    fn from(diagnostic: Diagnostic) -> Self {
        Self {
            diagnostic: Box::new(diagnostic),
            lossy: None,
        }
    }
}

impl Unreadable {
    /// The diagnostic, and the text to keep as file `id` if it points into one.
    fn into_file(mut self, id: FileId) -> (Diagnostic, Option<String>) {
        if self.lossy.is_some() {
            self.diagnostic.file = Some(id);
        }
        (*self.diagnostic, self.lossy)
    }
}

/// Reads a file as UTF-8 without a byte order mark, normalized to NFC, with
/// Windows (CRLF) and old Mac (CR) line endings read as LF.
/// The text of the file at `path` read again as [`read_text`] read it, or
/// `None` if it can no longer be read as text.
pub(crate) fn read_again(path: &Path) -> Option<String> {
    read_text(path, path).ok()
}

fn read_text(path: &Path, shown: &Path) -> Result<String, Unreadable> {
    let bytes = std::fs::read(path).map_err(|err| {
        let (what, hint) = crate::diag::io_problem(&err);
        Diagnostic::global(format!("kunne ikke lese {}: {what}", shown.display())).help(hint)
    })?;
    let text = String::from_utf8(bytes).map_err(|e| not_utf8(shown, e))?;
    if looks_like_utf16(text.as_bytes()) {
        return Err(utf16(shown).into());
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = ComposingNormalizerBorrowed::new_nfc().normalize(text);
    Ok(unix_line_endings(&text))
}

/// CRLF and a lone CR become LF; spans are into the text as it is afterwards.
fn unix_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// How to save a file as UTF-8, for every message about encodings.
const SAVE_AS_UTF8: &str = "åpne filen i redigeringsprogrammet og lagre den med tegnkodingen UTF-8 \
     (i Notisblokk: «Lagre som» → Koding: UTF-8; i Word: «Lagre som» → Ren tekst → Unicode (UTF-8))";

/// The diagnostic of a file that is not UTF-8: UTF-16 and Windows-1252 by name,
/// anything else at its first bad byte.
fn not_utf8(shown: &Path, e: std::string::FromUtf8Error) -> Unreadable {
    let valid = e.utf8_error().valid_up_to();
    let bytes = e.into_bytes();
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(&bytes)
    {
        return utf16(shown).into();
    }
    // Every byte above 127 alone, between plain letters: one byte per letter, as
    // Windows-1252 (and Latin-1, ISO-8859-1) write æ, ø and å.
    let single_bytes = bytes.iter().enumerate().all(|(i, b)| {
        *b < 0x80 || (bytes.get(i + 1).is_none_or(|n| *n < 0x80) && (i == 0 || bytes[i - 1] < 0x80))
    });
    let bad = bytes[valid];
    let lossy = String::from_utf8_lossy(&bytes).into_owned();
    // The text up to the first bad byte is the same in the lossy text, where that
    // byte has become U+FFFD (three bytes).
    let span = valid..valid + '\u{fffd}'.len_utf8();
    let diagnostic = if single_bytes {
        let label = windows_1252(bad).map_or_else(
            || "første tegn som ikke kan leses".to_string(),
            |c| format!("her står «{c}» lagret på den gamle Windows-måten"),
        );
        Diagnostic::error(
            FileId(0),
            span,
            "filen er lagret som Windows-1252 (eller Latin-1), ikke som UTF-8",
        )
        .label(label)
    } else {
        Diagnostic::error(FileId(0), span, "filen er ikke lagret som UTF-8")
            .label("første tegn som ikke kan leses")
    };
    Unreadable {
        diagnostic: Box::new(diagnostic.help(SAVE_AS_UTF8)),
        lossy: Some(lossy),
    }
}

/// Whether a quarter or more of the bytes are NUL, as in UTF-16 (where every
/// letter of plain English or Norwegian text has a NUL byte beside it).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    bytes.iter().filter(|b| **b == 0).count() * 4 > bytes.len()
}

fn utf16(shown: &Path) -> Diagnostic {
    Diagnostic::global(format!(
        "{} er lagret som UTF-16, ikke som UTF-8",
        shown.display()
    ))
    .help(SAVE_AS_UTF8)
}

/// The letter a byte is in Windows-1252, for the bytes Norwegian text uses most.
fn windows_1252(b: u8) -> Option<char> {
    match b {
        0xA0..=0xFF => Some(char::from(b)),
        0x80 => Some('€'),
        0x91 | 0x92 => Some('’'),
        0x93 | 0x94 => Some('”'),
        0x96 => Some('–'),
        0x97 => Some('—'),
        0x85 => Some('…'),
        _ => None,
    }
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
            // The meeting's year, for what a heading that lost its year meant.
            let year = front
                .date
                .value
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok());
            let (preamble, items, after, warnings) =
                split_body(file, text, body_offset, headings, year);
            let doc = RawDocument {
                file,
                content_path,
                front,
                yaml_offset,
                preamble,
                items,
                after,
            };
            (Some(doc), warnings)
        }
        Err(e) => (
            None,
            vec![yaml_diagnostic(file, yaml, yaml_offset, &e, MEETING_FIELDS)],
        ),
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
        Err(e) => (
            None,
            vec![yaml_diagnostic(file, yaml, yaml_offset, &e, THREAD_FIELDS)],
        ),
    }
}

/// Splits `---\nYAML\n---\nbody`; returns the YAML, its offset and the body offset.
fn split_front_matter(file: FileId, text: &str) -> Result<(&str, usize, usize), Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        let first_line = text[..first_line_end].trim_end_matches('\n').len();
        return Err(Diagnostic::error(file, 0..first_line, "filen mangler topptekst")
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

/// `.md` files below `content/<folder>`, sorted by path, so that every build
/// reads them in the same order. Nothing is left out without a word: a file
/// that looks like Markdown but is not named `.md` (`.MD`, `.markdown`,
/// `.md.txt`) and any other file get a warning naming it. No symlink is
/// followed (a warning says so, and where it points: outside the archive, or
/// nowhere), so nothing outside `content/` can be published through one.
/// Hidden files and folders (`.DS_Store`, `.git/`) and editor backups (`x.md~`,
/// `#x.md#`, `.swp`) are skipped silently: they are not content and a warning
/// at every build would teach writers to skip warnings.
fn markdown_files(
    content_dir: &Path,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let dir = content_dir.join(folder);
    let Ok(meta) = std::fs::symlink_metadata(&dir) else {
        return Vec::new();
    };
    if meta.file_type().is_symlink() {
        diagnostics.push(symlink_warning(content_dir, &dir));
        return Vec::new();
    }
    if !meta.is_dir() {
        diagnostics.push(
            Diagnostic::global_warning(format!(
                "{} er en fil, ikke en mappe, og blir ikke lest",
                shown_path(content_dir, &dir).display()
            ))
            .help(format!(
                "content/{folder}/ skal være en mappe med .md-filer"
            )),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped_name(&e.file_name().to_string_lossy()));
    for entry in walk {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                diagnostics.push(Diagnostic::global(format!(
                    "kunne ikke lese mappen {}: {err}",
                    dir.display()
                )));
                continue;
            }
        };
        let shown = shown_path(content_dir, e.path());
        let name = e.file_name().to_string_lossy();
        if e.path_is_symlink() {
            diagnostics.push(symlink_warning(content_dir, e.path()));
        } else if e.file_type().is_dir() {
        } else if e.path().extension().is_some_and(|x| x == "md") {
            files.push(e.into_path());
        } else if let Some(stem) = markdown_stem(&name) {
            diagnostics.push(
                Diagnostic::global_warning(format!(
                    "{} blir ikke lest: bare filer som slutter på .md blir lest",
                    shown.display()
                ))
                .help(format!("endre navnet til «{stem}.md»")),
            );
        } else {
            let help = if folder == "meetings" {
                "saksgang leser bare møtefiler (.md) i content/meetings/ÅÅÅÅ/; flytt andre filer ut av content/"
            } else {
                "saksgang leser bare saksganger (.md) i content/threads/; flytt andre filer ut av content/"
            };
            diagnostics.push(
                Diagnostic::global_warning(format!("{} blir ikke lest", shown.display()))
                    .help(help),
            );
        }
    }
    files
}

/// Names skipped without a word: hidden files and folders, editor backups and
/// the files operating systems leave in folders.
fn skipped_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".bak", ".tmp"]
            .iter()
            .any(|x| lower.ends_with(x))
        || lower == "thumbs.db"
        || lower == "desktop.ini"
}

/// The name a Markdown file meant as `.md` should have (`X` for `X.MD`,
/// `X.markdown`, `X.md.txt`), or None if it does not look like one.
fn markdown_stem(name: &str) -> Option<&str> {
    let lower = name.to_lowercase();
    [
        ".md.txt",
        ".markdown.txt",
        ".markdown",
        ".mdown",
        ".mkd",
        ".md",
    ]
    .iter()
    .find(|x| {
        lower.ends_with(*x) && name.len() > x.len() && name.is_char_boundary(name.len() - x.len())
    })
    .map(|x| &name[..name.len() - x.len()])
}

/// The warning for a symlink, which is never followed: where it points
/// (nowhere, outside the archive, or to another place in it) and what to do.
fn symlink_warning(content_dir: &Path, path: &Path) -> Diagnostic {
    let shown = shown_path(content_dir, path);
    let inside = content_dir
        .canonicalize()
        .ok()
        .zip(path.canonicalize().ok())
        .map(|(c, p)| p.starts_with(c));
    let (what, help) = match inside {
        None => (
            "peker på noe som ikke finnes",
            "slett snarveien, eller legg selve filen her".to_string(),
        ),
        Some(false) => (
            "peker ut av arkivet (content/)",
            "saksgang leser ikke filer utenfor content/; kopier filen hit hvis den skal med"
                .to_string(),
        ),
        Some(true) => (
            "peker til et annet sted i arkivet",
            "saksgang følger ikke snarveier; flytt filen hit i stedet for å lenke til den"
                .to_string(),
        ),
    };
    Diagnostic::global_warning(format!(
        "{} er en snarvei (symbolsk lenke) som {what}, og blir ikke lest",
        shown.display()
    ))
    .help(help)
}

/// The files `load` reads directly in `content/`.
const CONTENT_FILES: [&str; 6] = [
    "site.yaml",
    "bodies.yaml",
    "municipalities.yaml",
    "people.yaml",
    "meetings",
    "threads",
];

/// A warning for every file or folder directly in `content/` that saksgang does
/// not read, with where it belongs; an error for one of its YAML files that is
/// a symlink (never followed, so the file counts as missing).
fn content_entries(content_dir: &Path, diagnostics: &mut Vec<Diagnostic>) {
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        return;
    };
    let mut names: Vec<(String, PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.file_name().to_string_lossy().into_owned(), e.path(), dir)
        })
        .collect();
    names.sort();
    for (name, path, is_dir) in names {
        let shown = shown_path(content_dir, &path);
        let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if CONTENT_FILES.contains(&name.as_str()) {
            if linked && name.ends_with(".yaml") {
                diagnostics.push(
                    Diagnostic::global(format!(
                        "{} er en snarvei (symbolsk lenke); saksgang følger ikke snarveier",
                        shown.display()
                    ))
                    .help(format!("legg selve filen {name} i content/")),
                );
            }
            continue;
        }
        if skipped_name(&name) {
            continue;
        }
        if linked {
            diagnostics.push(symlink_warning(content_dir, &path));
            continue;
        }
        let lower = name.to_lowercase();
        let yml = lower.strip_suffix(".yml").map(|s| format!("{s}.yaml"));
        let near = CONTENT_FILES
            .iter()
            .map(|k| {
                let wanted = yml.as_deref().unwrap_or(&lower);
                (strsim::damerau_levenshtein(wanted, k), *k)
            })
            .filter(|(d, _)| *d <= 2)
            .min();
        let help = if let Some((_, k)) = near {
            format!("mente du «{k}»? Endre navnet til {k}")
        } else if markdown_stem(&name).is_some() && !is_dir {
            "møtefiler ligger i content/meetings/ÅÅÅÅ/ (året for møtet), saksganger i content/threads/; flytt filen dit".to_string()
        } else {
            "saksgang leser bare site.yaml, bodies.yaml, municipalities.yaml, people.yaml, meetings/ og threads/ i content/; flytt den ut av content/".to_string()
        };
        diagnostics.push(
            Diagnostic::global_warning(format!("{} blir ikke lest", shown.display())).help(help),
        );
    }
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
            self.archive.unreadable.push(name.to_string());
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
            Err(unreadable) => {
                self.archive.unreadable.push(name.to_string());
                let (d, lossy) = unreadable.into_file(FileId(self.archive.sources.len()));
                if let Some(lossy) = lossy {
                    self.archive.sources.add(shown, lossy);
                }
                self.archive.diagnostics.push(d);
                return None;
            }
        };
        let parsed = parse_yaml::<T>(&text);
        let file = self
            .archive
            .sources
            .add_text(shown, crate::diag::Text::read(path.clone(), text));
        let text = &self.archive.sources.text(file);
        if required && yaml::is_empty(text) {
            self.archive.unreadable.push(name.to_string());
            self.archive.diagnostics.push(yaml::empty_file(file, name));
            return None;
        }
        match parsed {
            Ok(v) => Some((file, v)),
            Err(e) => {
                self.archive.unreadable.push(name.to_string());
                self.archive.diagnostics.push(yaml_diagnostic(
                    file,
                    &self.archive.sources.text(file),
                    0,
                    &e,
                    yaml::Kind::File(name),
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

/// Turns a YAML error into a diagnostic at its place in the file, in Norwegian
/// (see [`yaml`]); `kind` says what the YAML is.
fn yaml_diagnostic(
    file: FileId,
    yaml: &str,
    yaml_offset: usize,
    e: &serde_saphyr::Error,
    kind: yaml::Kind<'_>,
) -> Diagnostic {
    yaml::diagnostic(file, yaml, yaml_offset, e, kind)
}

/// The fields a meeting document's front matter must have.
const MEETING_FIELDS: yaml::Kind<'static> = yaml::Kind::FrontMatter {
    required: &["body", "document", "date"],
};

/// The fields a thread's front matter must have.
const THREAD_FIELDS: yaml::Kind<'static> = yaml::Kind::FrontMatter {
    required: &["title"],
};

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

/// Splits an item heading: `Sak 17/2017 Tittel`, `TR-sak 35/06: Tittel`, `PS 2/2020 Tittel`,
/// and the items numbered per meeting: `Sak 2. Tittel`, `PS 3 Tittel`.
pub fn parse_item_heading(text: &str) -> Option<ItemHeading> {
    let text = text.trim();
    let (label, rest) = heading_label(text)?;
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
    let (year, after) = match rest.trim_start().strip_prefix('/') {
        Some(rest) => {
            let rest = rest.trim_start();
            let year_len = rest.chars().take_while(char::is_ascii_digit).count();
            if year_len != 2 && year_len != 4 {
                return None;
            }
            (Some(rest[..year_len].to_string()), &rest[year_len..])
        }
        // Numbered per meeting, with no year: only after a word that names an
        // item (`Sak 2`, not `Vedlegg 2`), and the full stop is part of the number
        // as printed (`Sak 2.`), unless a number follows it (`2.3`, a date).
        None => {
            if !label.as_deref().is_some_and(is_item_label) {
                return None;
            }
            let rest = match rest.strip_prefix('.') {
                Some(r) if !r.starts_with(|c: char| c.is_ascii_digit()) => r,
                _ => rest,
            };
            if rest.starts_with('.') {
                return None;
            }
            (None, rest)
        }
    };
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

/// The label word of a heading that may be an item (`Sak`, `TR-sak`), and the
/// rest; None when the first word cannot be a label (it has digits, or no letter).
fn heading_label(text: &str) -> Option<(Option<String>, &str)> {
    match text.split_once(char::is_whitespace) {
        Some((first, rest)) if !first.starts_with(|c: char| c.is_ascii_digit()) => {
            if first.chars().any(|c| c.is_ascii_digit()) || !first.chars().any(char::is_alphabetic)
            {
                return None;
            }
            Some((Some(first.to_string()), rest.trim_start()))
        }
        _ => Some((None, text)),
    }
}

/// Whether a word names an item, so that a number after it is an item number
/// even without a year: a word ending in "sak" (`Sak`, `Styresak`, `Referatsak`,
/// `Orienteringssak`), or its abbreviation, two or three capitals ending in S (`PS`, `RS`).
pub fn is_item_label(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.ends_with("sak")
        || ((2..=3).contains(&word.len())
            && word.chars().all(|c| c.is_ascii_uppercase())
            && word.ends_with('S'))
}

/// Why a level-2 heading that starts like an item is not one: the number as
/// written (a range of the heading), what is wrong with it, and what the writer
/// probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableItem {
    /// The number as written, as a range of the heading's text.
    pub at: Range<usize>,
    /// What is wrong, for the label under it.
    pub problem: String,
    /// The heading's start as it should probably be: `Sak 04/2017`.
    pub meant: String,
    /// The same with the number within the meeting: `Sak 4.`.
    pub meant_in_meeting: String,
    /// Whether the number in `meant` is only an example, the written one being no number.
    pub example: bool,
}

/// A heading that starts like an item (an item label followed by something with a
/// digit or a slash, or a first word like `12/20177`) but whose number cannot be
/// read; `year` is the meeting's, for a number that lost its year.
pub fn unreadable_item_heading(text: &str, year: Option<i32>) -> Option<UnreadableItem> {
    let text = text.trim();
    if parse_item_heading(text).is_some() {
        return None;
    }
    let (label, rest) = match text.split_once(char::is_whitespace) {
        Some((first, rest)) if is_item_label(first) => (Some(first), rest.trim_start()),
        _ if is_item_label(text) => return None,
        _ => (None, text),
    };
    // The number as written: its first word, with spaces around a slash (`42 / 25`).
    let mut end = 0;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() {
            let next = rest[i..].trim_start();
            let after_slash = rest[..i].trim_end().ends_with('/')
                && next.starts_with(|c: char| c.is_ascii_digit());
            if !(after_slash || next.starts_with('/')) {
                break;
            }
            continue;
        }
        end = i + c.len_utf8();
    }
    let written = rest[..end].trim_end_matches([':', ',', ';', '.']);
    if written.is_empty() {
        return None;
    }
    let has_digit = written.chars().any(|c| c.is_ascii_digit());
    let has_slash = written.contains('/');
    // Without a label, only a number with a slash starts like an item.
    if !(has_digit || has_slash) || (label.is_none() && !(has_digit && has_slash)) {
        return None;
    }
    let start = rest.as_ptr() as usize - text.as_ptr() as usize;
    let at = start..start + written.len();
    let compact: String = written.chars().filter(|c| !c.is_whitespace()).collect();
    let (num, year_written) = match compact.split_once('/') {
        Some((n, y)) => (n, Some(y)),
        None => (compact.as_str(), None),
    };
    // Letters that look like digits, as a scan or a quick hand writes them.
    let as_digits = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'O' | 'o' => '0',
                'l' | 'I' => '1',
                c => c,
            })
            .collect()
    };
    let looks = |s: &str| s != as_digits(s) && s.chars().any(|c| c.is_ascii_digit());
    let fixed_num = if looks(num) {
        as_digits(num)
    } else {
        num.to_string()
    };
    let num_digits = fixed_num.chars().take_while(char::is_ascii_digit).count();
    let num_ok = (1..=3).contains(&num_digits)
        && fixed_num[num_digits..].len() <= 1
        && fixed_num[num_digits..]
            .chars()
            .all(|c| c.is_ascii_lowercase());
    let letter = |s: &str| format!("«{}» er en bokstav, ikke et siffer", odd_letter(s));
    let mut problem = looks(num).then(|| letter(num));
    let shown = label.unwrap_or("Sak");
    let meeting_year = year.map_or("ÅÅÅÅ".to_string(), |y| y.to_string());
    if !num_ok {
        let year_shown = year_written
            .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or(&meeting_year);
        return Some(UnreadableItem {
            at,
            problem: problem.unwrap_or_else(|| {
                if num.chars().any(|c| c.is_ascii_digit()) {
                    format!("«{num}» er ikke et saksnummer")
                } else {
                    "saksnummeret skal skrives med sifre".to_string()
                }
            }),
            meant: format!("{shown} 4/{year_shown}"),
            meant_in_meeting: format!("{shown} 4."),
            example: true,
        });
    }
    let year_meant = match year_written {
        None => {
            problem.get_or_insert_with(|| "her mangler skråstreken og året".to_string());
            meeting_year
        }
        Some("") => {
            problem.get_or_insert_with(|| "her mangler året".to_string());
            meeting_year
        }
        Some(y) => {
            let fixed = if looks(y) {
                problem.get_or_insert_with(|| letter(y));
                as_digits(y)
            } else {
                y.to_string()
            };
            let digits = fixed.chars().all(|c| c.is_ascii_digit());
            if digits && (fixed.len() == 2 || fixed.len() == 4) {
                fixed
            } else if digits {
                problem.get_or_insert_with(|| {
                    format!(
                        "året skal ha fire eller to sifre, ikke {}",
                        crate::norsk::count(fixed.len(), "siffer", "sifre")
                    )
                });
                match year {
                    Some(m) if fixed.starts_with(&m.to_string()) => m.to_string(),
                    _ if fixed.len() > 4 => fixed[..4].to_string(),
                    _ => meeting_year,
                }
            } else {
                problem.get_or_insert_with(|| "året skal skrives med sifre".to_string());
                meeting_year
            }
        }
    };
    let unpadded = match fixed_num.trim_start_matches('0') {
        n if n.starts_with(|c: char| c.is_ascii_digit()) => n.to_string(),
        _ => fixed_num.clone(),
    };
    let meant = match label {
        Some(l) => format!("{l} {fixed_num}/{year_meant}"),
        None => format!("{fixed_num}/{year_meant}"),
    };
    Some(UnreadableItem {
        at,
        problem: problem.unwrap_or_else(|| "saksnummeret kan ikke leses".to_string()),
        meant,
        meant_in_meeting: format!("{shown} {unpadded}."),
        example: false,
    })
}

/// The first letter of a number that should be a digit (`O` in `2O17`).
fn odd_letter(s: &str) -> char {
    s.chars()
        .find(|c| matches!(c, 'O' | 'o' | 'l' | 'I'))
        .unwrap_or('?')
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
            // Raw HTML is words of the minutes, as in the text: `<utkast>` stays in
            // the title (the page escapes it); comments are dropped.
            Event::InlineHtml(t) | Event::Html(t) if !t.trim_start().starts_with("<!--") => {
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

/// A preamble, the items, and the closing sections of a body, and a warning for each
/// heading that was meant as an item but could not be read as one.
type SplitBody = (Vec<RawPart>, Vec<RawItem>, Vec<RawPart>, Vec<Diagnostic>);

/// Cuts a body into preamble, items and closing sections, following the content format.
fn split_body(
    file: FileId,
    text: &str,
    body_offset: usize,
    extra: &DecisionHeadings,
    year: Option<i32>,
) -> SplitBody {
    let hs = headings(text, body_offset);
    let mut warnings = Vec::new();
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
                if let Some(u) = unreadable_item_heading(&h.text, year) {
                    warnings.push(unreadable_warning(file, text, h, &u));
                }
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
    (preamble, items, after, warnings)
}

/// The warning for a heading that starts like an item but whose number cannot be read.
fn unreadable_warning(file: FileId, text: &str, h: &RawHeading, u: &UnreadableItem) -> Diagnostic {
    let heading = h.text.trim();
    let written = &heading[u.at.clone()];
    // The number in the source line; the whole heading if markup hides it.
    let span = text[h.span.clone()]
        .find(written)
        .map_or(h.span.clone(), |i| {
            h.span.start + i..h.span.start + i + written.len()
        });
    let (meant, in_meeting) = (&u.meant, &u.meant_in_meeting);
    let fix = if u.example {
        format!(
            "skriv nummeret med sifre, som «{meant}», eller «{in_meeting}» når sakene nummereres per møte"
        )
    } else {
        format!("skriv «{meant}», eller «{in_meeting}» når sakene nummereres per møte")
    };
    Diagnostic::warning(
        file,
        span,
        format!(
            "«{}» ser ut som en sak, men nummeret kan ikke leses",
            &heading[..u.at.end]
        ),
    )
    .label(u.problem.clone())
    .help(format!(
        "{fix}; slik overskriften står nå, blir den et avsnitt i møtet og ikke en sak"
    ))
}

#[cfg(test)]
mod tests;
mod yaml;
