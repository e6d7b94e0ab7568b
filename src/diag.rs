//! Diagnostics: what went wrong in which file, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`] values instead of failing on the
//! first one, so a writer sees every mistake of a build at once. A diagnostic
//! points into a [`SourceFile`] by byte range; line and column are computed by
//! annotate-snippets when the report is rendered, never by hand. The messages are
//! in Norwegian, because the people who read them write the minutes.

use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A file that was read, kept so that diagnostics and pages can quote it.
///
/// In a build its text is not kept: it is read while its document is parsed
/// and resolved, then dropped, and [`SourceFile::text`] reads the file again
/// when a page, the search index or a message needs it (see [`Text`]).
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user (relative to the archive root where possible).
    pub path: PathBuf,
    held: Text,
    /// Set when the file was found changed on disk at a later reading.
    changed: std::sync::atomic::AtomicBool,
}

/// The text of a source file: in memory, or where to read it again and what
/// it was (its length and a 128-bit hash), so that a file changed during the
/// build is noticed, and so that what is made from a text can be known by its
/// hash without reading it ([`Sources::fingerprint`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// Where to read it again; `None` for a text that is not a file's content
    /// as read (a test's, or one decoded with bad bytes replaced): always kept.
    disk: Option<PathBuf>,
    len: usize,
    hash: u128,
    /// The text itself, if kept in memory (shared: `serve` keeps the texts of
    /// files that did not change from one reading to the next). Never stored
    /// in the reading a build keeps (`build::Kept`): the file is on disk.
    #[serde(skip)]
    resident: Option<Arc<str>>,
}

impl Text {
    /// A text kept in memory that cannot be read again.
    pub fn resident(text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        Self {
            disk: None,
            len: text.len(),
            hash: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            resident: Some(text),
        }
    }

    /// The text of the file at `disk` as read (by [`crate::load`]'s decoding),
    /// kept in memory until [`Text::release`].
    pub fn read(disk: PathBuf, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        Self {
            disk: Some(disk),
            len: text.len(),
            hash: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            resident: Some(text),
        }
    }

    /// Drops the text from memory if it can be read again.
    pub fn release(&mut self) {
        if self.disk.is_some() {
            self.resident = None;
        }
    }

    /// Whether the text is in memory.
    pub fn is_resident(&self) -> bool {
        self.resident.is_some()
    }

    /// Whether the text can be read again from its file (and checked by its
    /// length and checksum); a text that cannot is only ever in memory.
    pub fn on_disk(&self) -> bool {
        self.disk.is_some()
    }

    /// Whether two texts are the same kept text (the same allocation).
    pub fn same(&self, other: &Text) -> bool {
        match (&self.resident, &other.resident) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The text: from memory, or read again from its file; `None` if the file
    /// can no longer be read or is not what it was.
    fn get(&self) -> Option<Arc<str>> {
        if let Some(t) = &self.resident {
            return Some(t.clone());
        }
        let disk = self.disk.as_ref()?;
        let text = crate::load::read_again(disk)?;
        (text.len() == self.len && xxhash_rust::xxh3::xxh3_128(text.as_bytes()) == self.hash)
            .then(|| text.into())
    }
}

impl PartialEq for Text {
    /// The same content (by length and checksum where not both in memory).
    fn eq(&self, other: &Self) -> bool {
        match (&self.resident, &other.resident) {
            (Some(a), Some(b)) => a == b,
            _ => self.disk == other.disk && self.len == other.len && self.hash == other.hash,
        }
    }
}

/// How many texts read again each thread keeps, newest first: rendering one
/// page asks for the text of its file once per piece of Markdown.
const RECENT: usize = 4;

thread_local! {
    static RECENT_TEXTS: std::cell::RefCell<Vec<(usize, FileId, Arc<str>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// A number for each [`Sources`], so that the texts one thread keeps are
/// never taken for another reading's.
static GENERATION: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

impl SourceFile {
    /// The whole text of the file. In a build it is read again from disk (the
    /// few most recent per thread are kept); if the file is no longer what it
    /// was when it was first read, this is a text of spaces of the old length
    /// and the file is marked changed ([`Sources::changed`]): the build then
    /// fails and writes nothing.
    pub fn text(&self) -> Arc<str> {
        if let Some(t) = &self.held.resident {
            return t.clone();
        }
        match self.held.get() {
            Some(t) => t,
            None => {
                self.changed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                " ".repeat(self.held.len).into()
            }
        }
    }

    /// Whether the text is in memory.
    pub fn is_resident(&self) -> bool {
        self.held.is_resident()
    }
}

use std::sync::Arc;

/// Index of a file in a [`Sources`] list.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct FileId(pub usize);

/// All files read during a build.
#[derive(Debug)]
pub struct Sources {
    files: Vec<SourceFile>,
    generation: usize,
}

impl Default for Sources {
    fn default() -> Self {
        Self {
            files: Vec::new(),
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

impl Sources {
    /// Adds a text kept in memory and returns its id.
    pub fn add(&mut self, path: PathBuf, text: impl Into<Arc<str>>) -> FileId {
        self.add_text(path, Text::resident(text))
    }

    /// Adds a file's text and returns its id.
    pub fn add_text(&mut self, path: PathBuf, text: Text) -> FileId {
        self.files.push(SourceFile {
            path,
            held: text,
            changed: Default::default(),
        });
        FileId(self.files.len() - 1)
    }

    /// Drops from memory every text that can be read again from its file: a
    /// build keeps the model, not the texts.
    pub fn release(&mut self) {
        for f in &mut self.files {
            f.held.release();
        }
    }

    /// How many texts are in memory.
    pub fn resident(&self) -> usize {
        self.files.iter().filter(|f| f.is_resident()).count()
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// The text of the file with this id (see [`SourceFile::text`]); the last
    /// few texts read again on this thread are kept.
    pub fn text(&self, id: FileId) -> Arc<str> {
        let file = self.get(id);
        if file.is_resident() {
            return file.text();
        }
        let key = self.generation;
        if let Some(t) = RECENT_TEXTS.with_borrow(|r| {
            r.iter()
                .find(|(g, f, _)| *g == key && *f == id)
                .map(|(_, _, t)| t.clone())
        }) {
            return t;
        }
        let text = file.text();
        if !file.changed.load(std::sync::atomic::Ordering::Relaxed) {
            RECENT_TEXTS.with_borrow_mut(|r| {
                r.insert(0, (key, id, text.clone()));
                r.truncate(RECENT);
            });
        }
        text
    }

    /// A 128-bit hash of the text of the file with this id, as it was read
    /// (the text itself is not read again): the same hash, the same text.
    pub fn fingerprint(&self, id: FileId) -> u128 {
        self.get(id).held.hash
    }

    /// What stands for the text of the file with this id without reading
    /// it: its path, length and hash as first read; `None` for a text
    /// that is not a file's content as read (then only the text itself tells).
    pub fn stamp(&self, id: FileId) -> Option<(&Path, usize, u128)> {
        let held = &self.get(id).held;
        held.disk.as_deref().map(|d| (d, held.len, held.hash))
    }

    /// The text as kept for `serve` (a copy of what is held: in memory or not).
    pub fn held(&self, id: FileId) -> Text {
        self.get(id).held.clone()
    }

    /// The files found changed on disk since they were first read, as errors:
    /// a build that used them must not be put in place.
    pub fn changed(&self) -> Vec<Diagnostic> {
        self.files
            .iter()
            .filter(|f| f.changed.load(std::sync::atomic::Ordering::Relaxed))
            .map(|f| {
                Diagnostic::global(format!(
                    "{} ble endret mens nettstedet ble bygd",
                    f.path.display()
                ))
                .help(
                    "ingenting er skrevet; bygg på nytt når du er ferdig med å lagre filen \
                     (eller når programmet som endret den, er ferdig)",
                )
            })
            .collect()
    }
}

/// How bad a diagnostic is: errors stop the build, warnings do not.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord,
)]
pub enum Severity {
    /// The build cannot go on; nothing is written.
    Error,
    /// The site is built, but the writer should look at this.
    Warning,
    /// A hint that may be wrong, or information for `check --verbose`; never
    /// stops or warns.
    Note,
}

/// One problem found in the content or the theme.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file it is about, if any.
    pub file: Option<FileId>,
    /// Byte range in that file.
    pub span: Range<usize>,
    /// What is wrong, in plain words (no trailing period).
    pub message: String,
    /// Short text under the caret.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span` in `file`.
    pub fn error(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: Some(file),
            span,
            message: message.into(),
            label: String::new(),
            help: None,
        }
    }

    /// A warning at `span` in `file`.
    pub fn warning(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, span, message)
        }
    }

    /// A note at `span` in `file`: a guess for the writer to look at, or
    /// information that `check --verbose` shows.
    pub fn note(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(file, span, message)
        }
    }

    /// Whether this is a note (neither error nor warning).
    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    /// An error that belongs to no file (a missing folder, a disk error).
    pub fn global(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: None,
            span: 0..0,
            message: message.into(),
            label: String::new(),
            help: None,
        }
    }

    /// A warning that belongs to no file.
    pub fn global_warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::global(message)
        }
    }

    /// Sets the text shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the advice shown after the snippet.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders diagnostics as text in the style of rustc: `fil.md:12:3` and a caret.
///
/// At most [`SHOWN_PER_FILE`] diagnostics of one file are shown, and then how
/// many more there are: each is drawn from the whole text of its file, so a
/// file with thousands of the same mistake would otherwise cost its length
/// times the number of mistakes, and nobody reads the thousandth message.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let mut shown: std::collections::BTreeMap<FileId, usize> = Default::default();
    for d in diagnostics {
        if let Some(file) = d.file {
            let n = shown.entry(file).or_default();
            *n += 1;
            if *n > SHOWN_PER_FILE {
                continue;
            }
        }
        let level = match d.severity {
            Severity::Error => Level::ERROR.with_name(Some("feil")),
            Severity::Warning => Level::WARNING.with_name(Some("advarsel")),
            Severity::Note => Level::NOTE.with_name(Some("merknad")),
        };
        let path;
        let text;
        let title = level.primary_title(d.message.as_str());
        let group = match d.file {
            Some(file) => {
                let source = sources.get(file);
                path = source.path.display().to_string();
                text = sources.text(file);
                let span = clamp_span(&text, d.span.clone());
                title.element(
                    Snippet::source(&*text)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(span).label(d.label.as_str())),
                )
            }
            None => Group::with_title(title),
        };
        let mut report: Vec<Group<'_>> = vec![group];
        if let Some(help) = &d.help {
            report.push(Group::with_title(
                Level::HELP
                    .with_name(Some("slik retter du det"))
                    .secondary_title(help.as_str()),
            ));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    for (file, n) in shown {
        if n > SHOWN_PER_FILE {
            let message = format!(
                "{} har {} meldinger til, som ikke er vist",
                sources.get(file).path.display(),
                n - SHOWN_PER_FILE
            );
            let help = "rett de første, og kjør saksgang check igjen for å se resten";
            let report = [
                Group::with_title(
                    Level::NOTE
                        .with_name(Some("merknad"))
                        .primary_title(&message),
                ),
                Group::with_title(
                    Level::HELP
                        .with_name(Some("slik retter du det"))
                        .secondary_title(help),
                ),
            ];
            out.push_str(&renderer.render(&report));
            out.push_str("\n\n");
        }
    }
    out
}

/// How many diagnostics of one file [`render`] shows.
pub const SHOWN_PER_FILE: usize = 100;

/// An error of the operating system in Norwegian: what happened, and a hint
/// that fits it. The system's own (English) text is given only for an error
/// this does not know.
pub fn io_problem(err: &std::io::Error) -> (String, String) {
    use std::io::ErrorKind as K;
    let (what, hint) = match err.kind() {
        K::StorageFull | K::QuotaExceeded => (
            "disken er full",
            "frigjør plass på disken (eller skriv til en annen disk med --output), og prøv igjen",
        ),
        K::ReadOnlyFilesystem => (
            "disken eller mappen kan bare leses, ikke skrives til",
            "velg en mappe du kan skrive til med --output, eller be den som har ansvar for maskinen om skrivetilgang",
        ),
        K::PermissionDenied => (
            "du har ikke tilgang",
            "sjekk at brukeren din har lov til å lese og skrive filen og mappen den ligger i, og at filen ikke er åpen i et annet program",
        ),
        K::NotADirectory => (
            "en del av stien er en fil, ikke en mappe",
            "en fil står der det skal være en mappe: flytt eller gi nytt navn til filen, eller velg en annen sti",
        ),
        K::AlreadyExists => (
            "det finnes allerede en fil med det navnet",
            "en fil står der det skal være en mappe: flytt eller gi nytt navn til filen, eller velg en annen sti",
        ),
        K::IsADirectory => (
            "det er en mappe, ikke en fil",
            "en mappe står der det skal være en fil: flytt eller gi nytt navn til mappen, eller velg en annen sti",
        ),
        K::NotFound => (
            "finnes ikke",
            "sjekk at stien er skrevet riktig, og at filen eller mappen ikke er flyttet eller slettet",
        ),
        K::DirectoryNotEmpty => (
            "mappen er ikke tom",
            "flytt det som ligger i mappen, eller velg en annen mappe",
        ),
        K::InvalidFilename => (
            "navnet er for langt eller har tegn som ikke er lov her",
            "gi filen eller mappen et kortere navn uten spesialtegn",
        ),
        K::ResourceBusy | K::ExecutableFileBusy => (
            "filen er i bruk av et annet program",
            "lukk programmet som har filen åpen, og prøv igjen",
        ),
        _ => {
            return (
                format!("uventet feil fra operativsystemet ({err})"),
                "prøv igjen; skjer det igjen, send hele meldingen til den som har ansvar for maskinen"
                    .to_string(),
            );
        }
    };
    (what.to_string(), hint.to_string())
}

/// Keeps a span inside the text and on character boundaries, so that a slightly
/// wrong span can never make the renderer panic.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_line_column_and_help() {
        let mut sources = Sources::default();
        let text = "---\nbody: radmannsgrupen\n---\n".to_string();
        let id = sources.add(PathBuf::from("content/meetings/2017/x.md"), text);
        let d = Diagnostic::error(id, 10..24, "ukjent organ «radmannsgrupen»")
            .label("finnes ikke i bodies.yaml")
            .help("mente du «radmannsgruppen»?");
        let out = render(&[d], &sources, false);
        assert!(out.contains("feil: ukjent organ «radmannsgrupen»"), "{out}");
        assert!(out.contains("content/meetings/2017/x.md:2:7"), "{out}");
        assert!(
            out.contains("^^^^^^^^^^^^^^ finnes ikke i bodies.yaml"),
            "{out}"
        );
        assert!(out.contains("mente du «radmannsgruppen»?"), "{out}");
    }

    #[test]
    fn os_errors_are_told_in_norwegian_with_a_fitting_hint() {
        use std::io::{Error, ErrorKind};
        let told = |kind: ErrorKind| io_problem(&Error::from(kind));
        assert_eq!(told(ErrorKind::StorageFull).0, "disken er full");
        assert!(told(ErrorKind::StorageFull).1.contains("frigjør plass"));
        assert!(
            told(ErrorKind::ReadOnlyFilesystem)
                .0
                .contains("kan bare leses")
        );
        assert!(told(ErrorKind::PermissionDenied).0.contains("ikke tilgang"));
        assert!(
            told(ErrorKind::NotADirectory)
                .0
                .contains("er en fil, ikke en mappe")
        );
        assert!(
            told(ErrorKind::AlreadyExists)
                .1
                .contains("en fil står der det skal være en mappe")
        );
        assert_eq!(told(ErrorKind::NotFound).0, "finnes ikke");
        // The real errno of a full disk, as the system gives it.
        let (what, _) = io_problem(&Error::from_raw_os_error(28));
        assert_eq!(what, "disken er full");
        let (what, _) = io_problem(&Error::other("noe rart"));
        assert!(what.contains("noe rart"), "{what}");
    }

    #[test]
    fn a_file_with_thousands_of_mistakes_shows_the_first_hundred_and_counts_the_rest() {
        let mut sources = Sources::default();
        let line = "[x](javascript:alert(1))\n";
        let id = sources.add(PathBuf::from("content/x.md"), line.repeat(5000));
        let other = sources.add(PathBuf::from("content/y.md"), line.to_string());
        let mut diagnostics: Vec<Diagnostic> = (0..5000)
            .map(|i| Diagnostic::warning(id, i * line.len()..i * line.len() + 3, "lenke"))
            .collect();
        diagnostics.push(Diagnostic::warning(other, 0..3, "lenke"));
        let out = render(&diagnostics, &sources, false);
        // Each shown message is drawn from the whole file: 101 of them, not 5,001.
        assert_eq!(out.matches("advarsel: lenke").count(), SHOWN_PER_FILE + 1);
        assert!(out.contains("content/x.md:100:1"), "{out}");
        assert!(!out.contains("content/x.md:101:1"), "{out}");
        assert!(out.contains("content/y.md:1:1"), "{out}");
        assert!(
            out.contains("merknad: content/x.md har 4900 meldinger til, som ikke er vist"),
            "{out}"
        );
    }

    #[test]
    fn a_span_past_the_end_or_inside_a_character_does_not_panic() {
        let mut sources = Sources::default();
        let id = sources.add(PathBuf::from("x.md"), "Ødegaard".to_string());
        let out = render(&[Diagnostic::error(id, 1..400, "x")], &sources, false);
        assert!(out.contains("x.md:1:1"), "{out}");
    }
}
