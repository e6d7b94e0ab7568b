//! The text of a document as it is written today: a `.txt`, a Word `.docx` or a
//! PDF, for `saksgang import` to read.
//!
//! [`text`] gives one line per line or paragraph, as the seed texts have them:
//! a `.docx` paragraph (a heading too) is one line, a list item starts with
//! `- ` (a numbered one with `1. `, counted as Word counts), a table row is one
//! line with its cells separated by a tab, a line break inside a paragraph is a
//! new line and a tab is a tab. A `.txt` file is read as UTF-8 (with or without
//! a byte order mark, or UTF-16 with one), or else as Windows-1252, so that æøå
//! survive either way. A PDF goes through Debian's `pdftotext -layout`
//! (poppler-utils; the program can be named by the `PDFTOTEXT` environment
//! variable): it keeps a table row ("Tid:" and its time) on one line, with runs
//! of three or more spaces turned into a tab, and a blank line between blocks.
//! Line ends are always `\n`.
//!
//! What the file is comes from its first bytes where they tell (`%PDF`, a zip, an
//! old Word file), else from its extension. Every failure is an [`ExtractError`]:
//! what went wrong in plain Norwegian and how to fix it (a scanned PDF with no
//! text layer, a missing `pdftotext`, an old `.doc`, a damaged file, …). No
//! input panics, the cost is linear in the file, and no more than [`MAX_XML`]
//! bytes are read of a `.docx`'s XML or of `pdftotext`'s output, so a zip bomb
//! cannot exhaust the memory. Headers, footers, footnotes, comments, deleted
//! text and field codes of a `.docx` are left out; text boxes are kept.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::diag::{self, Diagnostic};

/// The most XML read from the document of a `.docx` (and a sixteenth of it
/// from its numbering and its styles), and the largest `.txt` file read:
/// 64 MiB, many times the longest minutes.
pub const MAX_XML: u64 = 64 << 20;

/// What kind of failure an [`ExtractError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The file is missing or cannot be read.
    Unreadable,
    /// The file is empty, or has no text.
    Empty,
    /// A `.txt` (or unknown) file that is not text.
    Binary,
    /// A format `import` does not read (`.doc`, `.odt`, `.rtf`, an unknown extension).
    Unsupported,
    /// A `.docx` or PDF that is damaged, or not what its name says.
    Damaged,
    /// Larger than [`MAX_XML`].
    TooLarge,
    /// Locked with a password, or copying of its text is not allowed.
    Locked,
    /// A PDF with no text layer (scanned).
    NoTextLayer,
    /// `pdftotext` is not installed, or could not be run.
    ToolMissing,
}

/// Why there is no text: what went wrong, in plain Norwegian, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError {
    /// The kind of failure.
    pub problem: Problem,
    /// What went wrong, with the file's name (no trailing period).
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl ExtractError {
    fn new(
        problem: Problem,
        path: &Path,
        what: impl fmt::Display,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            problem,
            message: format!("{}: {what}", path.display()),
            hint: hint.into(),
        }
    }

    /// The error as a diagnostic with no place in a file.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::global(self.message.clone()).help(self.hint.clone())
    }
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  hjelp: {}", self.message, self.hint)
    }
}

impl std::error::Error for ExtractError {}

impl From<ExtractError> for Diagnostic {
    fn from(err: ExtractError) -> Self {
        err.diagnostic()
    }
}

const SAVE_AS: &str = "åpne dokumentet i Word (eller LibreOffice) og lagre det som .docx eller PDF, \
og importer den filen";

/// The text of the document at `path`: one line per line or paragraph, `\n`
/// between them, ending in `\n`. See the module documentation.
pub fn text(path: &Path) -> Result<String, ExtractError> {
    let pdftotext = std::env::var_os("PDFTOTEXT").unwrap_or_else(|| "pdftotext".into());
    text_with(path, &pdftotext)
}

/// [`text`] with `pdftotext` as the program that reads a PDF.
pub fn text_with(path: &Path, pdftotext: &std::ffi::OsStr) -> Result<String, ExtractError> {
    let unreadable = |err: std::io::Error| {
        let (what, hint) = diag::io_problem(&err);
        ExtractError::new(
            Problem::Unreadable,
            path,
            format!("kan ikke lese filen: {what}"),
            hint,
        )
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(ExtractError::new(
            Problem::Unreadable,
            path,
            "dette er en mappe, ikke en fil",
            "gi navnet på en .txt-, .docx- eller .pdf-fil",
        ));
    }
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut head))
        .map_err(unreadable)?;
    if head.is_empty() {
        return Err(ExtractError::new(
            Problem::Empty,
            path,
            "filen er tom",
            "sjekk at du valgte riktig fil, og at den er lagret ferdig",
        ));
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if head.starts_with(b"%PDF") {
        return pdf(path, pdftotext);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return docx(path);
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0") {
        let what = if extension == "docx" {
            "dokumentet er passordbeskyttet, eller er et gammelt Word-dokument (.doc) med feil navn"
        } else {
            "dette er et gammelt Word-dokument (.doc), som import ikke leser"
        };
        let problem = if extension == "docx" {
            Problem::Locked
        } else {
            Problem::Unsupported
        };
        return Err(ExtractError::new(
            problem,
            path,
            what,
            "åpne det i Word, fjern eventuelt passordet, og lagre som .docx (Lagre som → Word-dokument)",
        ));
    }
    if head.starts_with(b"{\\rtf") {
        return Err(ExtractError::new(
            Problem::Unsupported,
            path,
            "dette er et RTF-dokument, som import ikke leser",
            SAVE_AS,
        ));
    }
    match extension.as_str() {
        "txt" | "text" => plain(path),
        "docx" | "docm" | "dotx" => Err(ExtractError::new(
            Problem::Damaged,
            path,
            "filen heter .docx, men er ikke et Word-dokument (den er ingen zip-fil)",
            "åpne den i Word og lagre den på nytt som .docx, eller importer den som .txt eller .pdf",
        )),
        "pdf" => Err(ExtractError::new(
            Problem::Damaged,
            path,
            "filen heter .pdf, men er ikke en PDF (den begynner ikke med %PDF)",
            "lag PDF-en på nytt (Skriv ut → Lagre som PDF), eller importer originalen",
        )),
        "doc" | "dot" => Err(ExtractError::new(
            Problem::Unsupported,
            path,
            "dette er et gammelt Word-dokument (.doc), som import ikke leser",
            "åpne det i Word og lagre som .docx (Lagre som → Word-dokument)",
        )),
        "odt" | "rtf" | "pages" | "wpd" | "wps" => Err(ExtractError::new(
            Problem::Unsupported,
            path,
            format!("import leser ikke .{extension}-filer"),
            SAVE_AS,
        )),
        _ => Err(ExtractError::new(
            Problem::Unsupported,
            path,
            if extension.is_empty() {
                "filen har ingen filtype (.txt, .docx eller .pdf)".to_string()
            } else {
                format!("ukjent filtype .{extension}: import leser .txt, .docx og .pdf")
            },
            "lagre dokumentet som .docx, .pdf eller ren tekst (.txt), eller gi filen riktig filtype",
        )),
    }
}

/// Reads at most `max` bytes from `reader`; `None` if there are more.
fn read_capped(reader: impl Read, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(max + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

fn too_large(path: &Path) -> ExtractError {
    ExtractError::new(
        Problem::TooLarge,
        path,
        format!(
            "dokumentet er for stort (mer enn {} MB tekst)",
            MAX_XML >> 20
        ),
        "del dokumentet i mindre filer, ett møte i hver, og importer dem hver for seg",
    )
}

// ---------------------------------------------------------------------------
// Text files

fn plain(path: &Path) -> Result<String, ExtractError> {
    let file = std::fs::File::open(path).map_err(|err| {
        let (what, hint) = diag::io_problem(&err);
        ExtractError::new(
            Problem::Unreadable,
            path,
            format!("kan ikke lese filen: {what}"),
            hint,
        )
    })?;
    let bytes = read_capped(file, MAX_XML)
        .map_err(|err| {
            let (what, hint) = diag::io_problem(&err);
            ExtractError::new(
                Problem::Unreadable,
                path,
                format!("kan ikke lese filen: {what}"),
                hint,
            )
        })?
        .ok_or_else(|| too_large(path))?;
    let text = decode(&bytes);
    if is_binary(&text) {
        return Err(ExtractError::new(
            Problem::Binary,
            path,
            "filen er ikke tekst (den har tegn som ingen tekstfil har)",
            "er det et Word-dokument eller en PDF med feil navn? Gi den riktig filtype (.docx, .pdf), \
             eller lagre dokumentet som ren tekst (.txt)",
        ));
    }
    let text = line_ends(&text);
    if text.trim().is_empty() {
        return Err(ExtractError::new(
            Problem::Empty,
            path,
            "filen har ingen tekst",
            "sjekk at du valgte riktig fil, og at den er lagret ferdig",
        ));
    }
    Ok(finish(text))
}

/// The text of `bytes`: by its byte order mark (UTF-8, UTF-16), else UTF-8 if
/// it is valid UTF-8, else Windows-1252 (which Latin-1 text is too).
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Whether decoded text is really a binary file: a NUL, or more than one
/// control character in a hundred (no text has them; random bytes have one in
/// eight).
fn is_binary(text: &str) -> bool {
    let mut chars = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
    }
    control > 0 && control * 100 > chars
}

/// CRLF and lone CR as LF, a form feed (page break) as a blank line.
fn line_ends(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\x0c' => out.push_str("\n\n"),
            c => out.push(c),
        }
    }
    out
}

/// Ends the text with exactly one `\n`.
fn finish(mut text: String) -> String {
    let end = text.trim_end_matches('\n').len();
    text.truncate(end);
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------
// PDF

fn pdf(path: &Path, pdftotext: &std::ffi::OsStr) -> Result<String, ExtractError> {
    // A relative path starting with `-` would be read as an option.
    let arg = if path.is_relative() && path.to_string_lossy().starts_with('-') {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    };
    let mut command = Command::new(pdftotext);
    command
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&arg)
        .arg("-");
    let out = match run_capped(command, MAX_XML) {
        Ok(Some(out)) => out,
        Ok(None) => return Err(too_large(path)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(ExtractError::new(
                Problem::ToolMissing,
                path,
                "kan ikke lese PDF: programmet pdftotext er ikke installert",
                "installer poppler-utils (Debian/Ubuntu: sudo apt-get install poppler-utils; \
                 macOS: brew install poppler), eller importer dokumentet som .docx eller .txt",
            ));
        }
        Err(err) => {
            return Err(ExtractError::new(
                Problem::ToolMissing,
                path,
                format!(
                    "kan ikke lese PDF: fikk ikke kjørt {} ({err})",
                    Path::new(pdftotext).display()
                ),
                "sjekk at poppler-utils er riktig installert (pdftotext -v skal virke)",
            ));
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let said = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let lower = stderr.to_lowercase();
        if lower.contains("password") {
            return Err(ExtractError::new(
                Problem::Locked,
                path,
                "PDF-en er passordbeskyttet",
                "åpne den med passordet og lagre en kopi uten passord, eller importer originalen (.docx)",
            ));
        }
        if out.status.code() == Some(3) || lower.contains("copying") {
            return Err(ExtractError::new(
                Problem::Locked,
                path,
                "PDF-en tillater ikke at teksten kopieres",
                "lag en kopi uten begrensninger (Skriv ut → Lagre som PDF), eller importer originalen (.docx)",
            ));
        }
        return Err(ExtractError::new(
            Problem::Damaged,
            path,
            format!("PDF-filen er skadet og kan ikke leses (pdftotext: {said})"),
            "lag PDF-en på nytt fra originalen, eller importer originalen (.docx)",
        ));
    }
    let text = layout(&String::from_utf8_lossy(&out.stdout));
    if text.trim().is_empty() {
        return Err(ExtractError::new(
            Problem::NoTextLayer,
            path,
            "PDF-en har ikke noe tekstlag (den er trolig skannet: sidene er bilder)",
            "kjør tekstgjenkjenning (OCR) først, for eksempel `ocrmypdf inn.pdf ut.pdf` \
             eller OCR i Adobe Acrobat, og importer den nye filen; eller importer originalen (.docx)",
        ));
    }
    Ok(finish(text))
}

/// Runs `command` with its output read into memory, but at most `max` bytes
/// of it: `None` (and the program stopped) if it writes more.
fn run_capped(mut command: Command, max: u64) -> std::io::Result<Option<std::process::Output>> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().map(|pipe| {
        std::thread::spawn(move || {
            // The first 64 KiB are enough to say what went wrong; the rest is
            // read and dropped, so that the program never waits on a full pipe.
            let mut pipe = pipe;
            let mut kept = Vec::new();
            let _ = (&mut pipe).take(64 << 10).read_to_end(&mut kept);
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            kept
        })
    });
    let stdout = match child.stdout.take() {
        Some(pipe) => read_capped(pipe, max),
        None => Ok(Some(Vec::new())),
    };
    let Ok(Some(stdout)) = stdout else {
        let _ = child.kill();
        let _ = child.wait();
        return stdout.map(|_| None);
    };
    let status = child.wait()?;
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    Ok(Some(std::process::Output {
        status,
        stdout,
        stderr,
    }))
}

/// The output of `pdftotext -layout` in the seed texts' shape: line ends as
/// `\n`, page breaks as a blank line, no trailing spaces, runs of three or
/// more spaces inside a line (between the columns of a table) as a tab, and
/// at most one blank line in a row.
fn layout(text: &str) -> String {
    let text = line_ends(text);
    let mut out = String::with_capacity(text.len());
    let mut blank = true;
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        let indent = line.len() - line.trim_start().len();
        out.push_str(&line[..indent]);
        let mut spaces = 0;
        for c in line[indent..].chars() {
            if c == ' ' {
                spaces += 1;
                continue;
            }
            match spaces {
                0 => {}
                1 | 2 => out.extend(std::iter::repeat_n(' ', spaces)),
                _ => out.push('\t'),
            }
            spaces = 0;
            out.push(c);
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------
// Word

type Zip = zip::ZipArchive<std::io::BufReader<std::fs::File>>;

fn damaged_docx(path: &Path, detail: impl fmt::Display) -> ExtractError {
    ExtractError::new(
        Problem::Damaged,
        path,
        format!("Word-dokumentet er skadet og kan ikke leses ({detail})"),
        "åpne det i Word og lagre det på nytt som .docx (Word reparerer det ofte), \
         eller importer en PDF av det",
    )
}

fn docx(path: &Path) -> Result<String, ExtractError> {
    let file = std::fs::File::open(path).map_err(|err| {
        let (what, hint) = diag::io_problem(&err);
        ExtractError::new(
            Problem::Unreadable,
            path,
            format!("kan ikke lese filen: {what}"),
            hint,
        )
    })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|err| damaged_docx(path, format!("zip-filen: {err}")))?;
    let main = if zip.index_for_name("word/document.xml").is_some() {
        "word/document.xml".to_string()
    } else {
        match part(&mut zip, path, "_rels/.rels", MAX_XML / 16)?.and_then(|rels| main_part(&rels)) {
            Some(main) => main,
            None if zip.index_for_name("content.xml").is_some() => {
                return Err(ExtractError::new(
                    Problem::Unsupported,
                    path,
                    "dette er et OpenDocument-dokument (.odt), ikke et Word-dokument",
                    SAVE_AS,
                ));
            }
            None => {
                return Err(damaged_docx(
                    path,
                    "det er en zip-fil, men uten word/document.xml",
                ));
            }
        }
    };
    let Some(document) = part(&mut zip, path, &main, MAX_XML)? else {
        return Err(damaged_docx(path, format!("{main} mangler")));
    };
    let folder = main.rsplit_once('/').map_or("", |(folder, _)| folder);
    let at = |name: &str| {
        if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    };
    let mut lists = Lists::default();
    if let Some(numbering) = part(&mut zip, path, &at("numbering.xml"), MAX_XML / 16)? {
        lists
            .read_numbering(&numbering)
            .map_err(|err| damaged_docx(path, format!("{}: {err}", at("numbering.xml"))))?;
    }
    if let Some(styles) = part(&mut zip, path, &at("styles.xml"), MAX_XML / 16)? {
        lists
            .read_styles(&styles)
            .map_err(|err| damaged_docx(path, format!("{}: {err}", at("styles.xml"))))?;
    }
    let text = document_text(&document, &lists)
        .map_err(|err| damaged_docx(path, format!("{main}: {err}")))?;
    if text.trim().is_empty() {
        return Err(ExtractError::new(
            Problem::Empty,
            path,
            "Word-dokumentet har ingen tekst",
            "er referatet et skannet bilde limt inn i Word? Kjør tekstgjenkjenning (OCR) først, \
             eller importer originalen",
        ));
    }
    Ok(finish(text))
}

/// The text of the zip entry `name`, if there is one: at most `max` bytes
/// (whatever the zip says its size is), read as UTF-8.
fn part(zip: &mut Zip, path: &Path, name: &str, max: u64) -> Result<Option<String>, ExtractError> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(damaged_docx(path, format!("{name}: {err}"))),
    };
    if entry.size() > max {
        return Err(too_large(path));
    }
    let bytes = read_capped(entry, max)
        .map_err(|err| damaged_docx(path, format!("{name}: {err}")))?
        .ok_or_else(|| too_large(path))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

/// The main document's name from `_rels/.rels`.
fn main_part(rels: &str) -> Option<String> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"))
                    && let Some(target) = attr(&e, "Target")
                {
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The value of the attribute `name` (with its prefix: `w:val`).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// How the items of one list level are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Bullet,
    /// A list level with no visible marker (`numFmt none`).
    Unmarked,
    /// Counted, from this number.
    Number(u32),
}

/// What the numbering and styles of a `.docx` say about lists.
#[derive(Debug, Default)]
struct Lists {
    /// Abstract numbering id → level → marker.
    abstracts: HashMap<String, HashMap<u8, Marker>>,
    /// Numbering id → abstract id, and its levels' start overrides.
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    /// Paragraph style id → (numbering id, level).
    styles: HashMap<String, (String, u8)>,
}

impl Lists {
    fn read_numbering(&mut self, xml: &str) -> quick_xml::Result<()> {
        let mut reader = Reader::from_str(xml);
        let mut abs: Option<String> = None;
        let mut num: Option<String> = None;
        let mut level: u8 = 0;
        let mut format: Option<String> = None;
        let mut start: u32 = 1;
        loop {
            match reader.read_event()? {
                Event::Start(e) => match e.name().as_ref() {
                    "w:abstractNum" => abs = attr(&e, "w:abstractNumId"),
                    "w:num" => {
                        num = attr(&e, "w:numId");
                        if let Some(id) = &num {
                            self.nums.entry(id.clone()).or_default();
                        }
                    }
                    "w:lvl" | "w:lvlOverride" => {
                        level = attr(&e, "w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        format = None;
                        start = 1;
                    }
                    "mc:Fallback" => {
                        reader.read_to_end(e.name())?;
                    }
                    _ => {}
                },
                Event::Empty(e) => {
                    let val = || attr(&e, "w:val");
                    match e.name().as_ref() {
                        "w:numFmt" => format = val(),
                        "w:start" => start = val().and_then(|v| v.parse().ok()).unwrap_or(1),
                        "w:abstractNumId" => {
                            if let (Some(num), Some(a)) = (&num, val()) {
                                self.nums.entry(num.clone()).or_default().0 = a;
                            }
                        }
                        "w:startOverride" => {
                            if let (Some(num), Some(s)) = (&num, val().and_then(|v| v.parse().ok()))
                            {
                                self.nums.entry(num.clone()).or_default().1.insert(level, s);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    "w:lvl" => {
                        if let Some(abs) = &abs {
                            let marker = match format.as_deref() {
                                Some("bullet") => Marker::Bullet,
                                Some("none") => Marker::Unmarked,
                                _ => Marker::Number(start),
                            };
                            self.abstracts
                                .entry(abs.clone())
                                .or_default()
                                .insert(level, marker);
                        }
                    }
                    "w:abstractNum" => abs = None,
                    "w:num" => num = None,
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn read_styles(&mut self, xml: &str) -> quick_xml::Result<()> {
        let mut reader = Reader::from_str(xml);
        let mut style: Option<String> = None;
        let mut num: Option<String> = None;
        let mut level: u8 = 0;
        loop {
            match reader.read_event()? {
                Event::Start(e) => match e.name().as_ref() {
                    "w:style" => {
                        style = attr(&e, "w:styleId");
                        num = None;
                        level = 0;
                    }
                    "w:rPr" | "w:tblPr" | "w:tblStylePr" | "mc:Fallback" => {
                        reader.read_to_end(e.name())?;
                    }
                    _ => {}
                },
                Event::Empty(e) => match e.name().as_ref() {
                    "w:numId" => num = attr(&e, "w:val"),
                    "w:ilvl" => level = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0),
                    _ => {}
                },
                Event::End(e) if e.name().as_ref() == "w:style" => {
                    if let (Some(style), Some(num)) = (style.take(), num.take()) {
                        self.styles.insert(style, (num, level));
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// The marker of level `level` of numbering `num`, with its start number.
    fn marker(&self, num: &str, level: u8) -> Option<Marker> {
        let (abs, starts) = self.nums.get(num)?;
        let marker = self.abstracts.get(abs)?.get(&level).copied()?;
        Some(match (marker, starts.get(&level)) {
            (Marker::Number(_), Some(&start)) => Marker::Number(start),
            _ => marker,
        })
    }
}

/// One paragraph being read.
#[derive(Debug, Default)]
struct Para {
    text: String,
    num: Option<String>,
    level: Option<u8>,
    style: Option<String>,
}

/// How deep tables inside table cells are read as tables.
const MAX_TABLES: usize = 4;

/// One table being read: its current row's cells and the cell being read.
#[derive(Debug, Default)]
struct Table {
    row: Vec<String>,
    cell: Option<String>,
}

/// Appends `line` to the open cell of the innermost table, if there is one,
/// else to `out` as a line.
fn put_line(out: &mut String, tables: &mut [Table], line: &str) {
    match tables.last_mut().and_then(|t| t.cell.as_mut()) {
        Some(cell) => {
            let line = line.trim();
            if line.is_empty() {
                return;
            }
            if !cell.is_empty() {
                cell.push(' ');
            }
            // A cell stays on its row's line.
            cell.extend(
                line.chars()
                    .map(|c| if matches!(c, '\n' | '\t') { ' ' } else { c }),
            );
        }
        None => {
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The text of `word/document.xml`.
fn document_text(xml: &str, lists: &Lists) -> quick_xml::Result<String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    let mut paras: Vec<Para> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    // Counters of numbered lists: numbering id → the last number of each level.
    let mut counters: HashMap<String, [Option<u32>; 10]> = HashMap::new();
    let mut in_text = false;
    let mut in_ppr = false;
    // Tables nested deeper than MAX_TABLES: read as paragraphs of the cell
    // they are in (each level copies its text once into the cell around it).
    let mut deeper_tables = 0usize;

    loop {
        let event = reader.read_event()?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "w:p" => paras.push(Para::default()),
                "w:pPr" => in_ppr = true,
                "w:t" => in_text = true,
                "w:tbl" if tables.len() >= MAX_TABLES => deeper_tables += 1,
                "w:tbl" => tables.push(Table::default()),
                "w:tr" | "w:tc" if deeper_tables > 0 => {}
                "w:tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.row.clear();
                    }
                }
                "w:tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(String::new());
                    }
                }
                // Deleted text, field codes, the old properties of a tracked
                // change, and the second copy of alternate content.
                "w:delText" | "w:instrText" | "w:pPrChange" | "w:rPrChange" | "mc:Fallback"
                | "w:del" | "w:moveFrom" => {
                    reader.read_to_end(e.name())?;
                }
                _ => {}
            },
            Event::Empty(e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == "w:p" {
                    put_line(&mut out, &mut tables, "");
                    continue;
                }
                if in_ppr {
                    if let Some(p) = paras.last_mut() {
                        let val = || attr(&e, "w:val");
                        match name {
                            "w:numId" => p.num = val(),
                            "w:ilvl" => p.level = val().and_then(|v| v.parse().ok()),
                            "w:pStyle" => p.style = val(),
                            _ => {}
                        }
                    }
                    continue;
                }
                let Some(p) = paras.last_mut() else { continue };
                match name {
                    "w:tab" | "w:ptab" => p.text.push('\t'),
                    "w:br" | "w:cr" => p.text.push('\n'),
                    "w:noBreakHyphen" => p.text.push('-'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = paras.last_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if in_text => {
                if let Some(p) = paras.last_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = paras.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        p.text.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                        p.text.push_str(s);
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:pPr" => in_ppr = false,
                "w:p" => {
                    in_ppr = false;
                    let Some(p) = paras.pop() else { continue };
                    let (num, level) = match (&p.num, &p.style) {
                        (Some(num), _) => (Some(num.clone()), p.level.unwrap_or(0)),
                        (None, Some(style)) => match lists.styles.get(style) {
                            Some((num, level)) => (Some(num.clone()), p.level.unwrap_or(*level)),
                            None => (None, 0),
                        },
                        (None, None) => (None, 0),
                    };
                    let level = level.min(9);
                    let prefix = match num.as_deref() {
                        None | Some("0") => String::new(),
                        Some(num) => match lists.marker(num, level) {
                            Some(Marker::Number(start)) => {
                                let levels = counters.entry(num.to_string()).or_default();
                                let n =
                                    levels[level as usize].map_or(start, |n| n.saturating_add(1));
                                levels[level as usize] = Some(n);
                                for deeper in &mut levels[level as usize + 1..] {
                                    *deeper = None;
                                }
                                format!("{n}. ")
                            }
                            Some(Marker::Unmarked) => String::new(),
                            Some(Marker::Bullet) | None => "- ".to_string(),
                        },
                    };
                    if prefix.is_empty() {
                        put_line(&mut out, &mut tables, &p.text);
                    } else {
                        put_line(&mut out, &mut tables, &format!("{prefix}{}", p.text));
                    }
                }
                "w:tr" | "w:tc" if deeper_tables > 0 => {}
                "w:tc" => {
                    if let Some(t) = tables.last_mut()
                        && let Some(cell) = t.cell.take()
                    {
                        t.row.push(cell);
                    }
                }
                "w:tr" => {
                    let Some(t) = tables.last_mut() else { continue };
                    let row = std::mem::take(&mut t.row);
                    if row.iter().all(|c| c.is_empty()) {
                        continue;
                    }
                    if tables.len() > 1 {
                        // A table inside a cell: its rows join the outer cell.
                        let n = tables.len();
                        put_line(&mut out, &mut tables[..n - 1], &row.join(" "));
                    } else {
                        out.push_str(&row.join("\t"));
                        out.push('\n');
                    }
                }
                "w:tbl" if deeper_tables > 0 => deeper_tables -= 1,
                "w:tbl" => {
                    tables.pop();
                }
                _ => {}
            },
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_utf8_and_utf16_all_give_aeoa() {
        let want = "Rådmannsmøte i Bærum\n";
        assert_eq!(decode(want.as_bytes()), want);
        assert_eq!(decode(b"\xEF\xBB\xBFR\xC3\xA5d"), "Råd");
        assert_eq!(decode(b"R\xE5dmannsm\xF8te i B\xE6rum\n"), want);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(want.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), want);
    }

    #[test]
    fn line_ends_become_lf() {
        assert_eq!(line_ends("a\r\nb\rc\n\x0cd"), "a\nb\nc\n\n\nd");
    }

    #[test]
    fn binary_is_told_from_text() {
        assert!(is_binary("abc\0def"));
        let random: String = (0..1000u32)
            .map(|i| char::from((i.wrapping_mul(2_654_435_761) >> 24) as u8))
            .collect();
        assert!(is_binary(&random));
        assert!(!is_binary("Sak 1/2020 Godkjenning\n\tVedtak:\x0c"));
    }

    #[test]
    fn layout_output_gets_tabs_between_columns_and_single_blank_lines() {
        let got = finish(layout(
            "  Tid:        Torsdag kl. 10  \n\n\n\nSak 1  Tittel\x0cSide 2\n",
        ));
        assert_eq!(got, "  Tid:\tTorsdag kl. 10\n\nSak 1  Tittel\n\nSide 2\n");
    }

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="x" xmlns:mc="y"><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_breaks_tabs_tables_and_skipped_text() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="1"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:t>Tid:</w:t><w:tab/><w:t xml:space="preserve">kl. 10 &amp; 12</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>linje 1</w:t><w:br/><w:t>linje 2</w:t>"#,
            r#"<w:delText>slettet</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>"#,
            r#"<w:p/>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>c&#229;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>én</w:t></mc:Choice>"#,
            r#"<mc:Fallback><w:t>to</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        ));
        let got = document_text(&xml, &Lists::default()).unwrap();
        assert_eq!(got, "Tid:\tkl. 10 & 12\nlinje 1\nlinje 2\n\na b\tcå\nén\n");
    }

    #[test]
    fn lists_are_marked_and_counted_as_word_counts_them() {
        let numbering = concat!(
            r#"<w:numbering xmlns:w="x">"#,
            r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>"#,
            r#"<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl>"#,
            r#"<w:lvl w:ilvl="2"><w:numFmt w:val="none"/></w:lvl></w:abstractNum>"#,
            r#"<w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>"#,
            r#"<w:num w:numId="8"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>"#,
            r#"</w:numbering>"#
        );
        let styles = r#"<w:styles xmlns:w="x"><w:style w:styleId="Punkt"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style></w:styles>"#;
        let mut lists = Lists::default();
        lists.read_numbering(numbering).unwrap();
        lists.read_styles(styles).unwrap();
        let item = |num: &str, level: &str, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let xml = doc(&[
            item("7", "0", "en"),
            item("7", "1", "punkt"),
            item("7", "0", "to"),
            item("7", "2", "umerket"),
            r#"<w:p><w:pPr><w:pStyle w:val="Punkt"/></w:pPr><w:r><w:t>stil</w:t></w:r></w:p>"#
                .into(),
            item("8", "0", "fem"),
            item("99", "0", "ukjent"),
            item("0", "0", "ingen"),
        ]
        .concat());
        let got = document_text(&xml, &lists).unwrap();
        assert_eq!(
            got,
            "1. en\n- punkt\n2. to\numerket\n- stil\n5. fem\n- ukjent\ningen\n"
        );
    }

    const XML_PIECES: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:p/>",
        "<w:r>",
        "</w:r>",
        "<w:t>",
        "</w:t>",
        "<w:t xml:space=\"preserve\">",
        "<w:tab/>",
        "<w:br/>",
        "<w:cr/>",
        "<w:pPr>",
        "</w:pPr>",
        "<w:numPr>",
        "</w:numPr>",
        "<w:numId w:val=\"1\"/>",
        "<w:numId w:val=\"0\"/>",
        "<w:ilvl w:val=\"9\"/>",
        "<w:ilvl w:val=\"300\"/>",
        "<w:pStyle w:val=\"Punkt\"/>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:delText>",
        "</w:delText>",
        "<mc:Fallback>",
        "</mc:Fallback>",
        "<w:txbxContent>",
        "</w:txbxContent>",
        "Sak 1/2020",
        "æøå",
        "&amp;",
        "&#229;",
        "&#0;",
        "&nope;",
        "<",
        ">",
        "&",
        "\"",
        "\r\n",
        "\t",
        "\u{0}",
        "<![CDATA[x]]>",
        "<!-- c -->",
        "<?pi x?>",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 200, ..Default::default() })]

        /// Any mix of WordprocessingML pieces gives text or an error, never a
        /// panic, and no more text than a constant times the input.
        #[test]
        fn any_document_xml_gives_text_or_an_error(
            pieces in proptest::collection::vec(proptest::sample::select(XML_PIECES), 0..200)
        ) {
            let xml = pieces.concat();
            let mut lists = Lists::default();
            let _ = lists.read_numbering(&xml);
            let _ = lists.read_styles(&xml);
            if let Ok(text) = document_text(&xml, &lists) {
                proptest::prop_assert!(text.len() <= 8 * xml.len() + 8);
            }
        }

        /// Any bytes decode, and their lines end in `\n` only.
        #[test]
        fn any_bytes_decode_with_lf_line_ends(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..500)) {
            let text = line_ends(&decode(&bytes));
            let _ = is_binary(&text);
            proptest::prop_assert!(!text.contains('\r'));
            let laid = layout(&text);
            proptest::prop_assert!(!laid.contains('\r') && !laid.contains("\n\n\n"));
        }
    }

    #[test]
    fn tables_in_tables_join_their_cell_and_deep_nesting_stays_linear() {
        let cell = |inner: &str| {
            format!(
                "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>{inner}</w:tc><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            )
        };
        let got = document_text(&doc(&cell(&cell(""))), &Lists::default()).unwrap();
        assert_eq!(got, "x x y\ty\n");
        // 20,000 levels: copying each level's text into the one around it took
        // 30 s (debug build); read as cells' paragraphs past MAX_TABLES, under 1 s.
        let depth = 20_000;
        let open = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>".repeat(depth);
        let close = "</w:tc></w:tr></w:tbl>".repeat(depth);
        let start = std::time::Instant::now();
        let got = document_text(&doc(&format!("{open}{close}")), &Lists::default()).unwrap();
        assert_eq!(got.matches('x').count(), depth);
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[cfg(unix)]
    #[test]
    fn a_program_that_writes_too_much_is_stopped() {
        let sh = |script: &str| {
            let mut c = Command::new("sh");
            c.args(["-c", script]);
            c
        };
        // `yes` writes forever: without the cap this would never return.
        assert!(run_capped(sh("yes Sak"), 1 << 20).unwrap().is_none());
        let out = run_capped(sh("echo Sak 1; echo feil >&2; exit 3"), 100)
            .unwrap()
            .unwrap();
        assert_eq!(out.stdout, b"Sak 1\n");
        assert_eq!(out.stderr, b"feil\n");
        assert_eq!(out.status.code(), Some(3));
    }

    #[test]
    fn broken_xml_is_an_error_not_a_panic() {
        assert!(document_text("<w:document><w:p></w:document>", &Lists::default()).is_err());
        for bytes in [
            &b"<w:p><w:t>\xFF"[..],
            b"<<<",
            b"</w:p></w:tbl></w:tc>",
            b"&#0;",
        ] {
            let _ = document_text(&String::from_utf8_lossy(bytes), &Lists::default());
        }
    }
}
