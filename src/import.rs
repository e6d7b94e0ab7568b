//! `saksgang import`: minutes and notices as they are written today (the text of a
//! Word file or a PDF) into a content file of the archive.
//!
//! This module owns reading such text: the header lines (title, "Tid:", "Sted:",
//! dates as "23. februar 2017" or "22.02.2018", times as "kl. 09.00 – 12.00"), the
//! body (from `--body` or the title matched against `bodies.yaml`), the kind of
//! document (from the title or `--document`), the attendance block
//! ([`attendance`]), the items ("Sak 17/2017 Tittel", "TR-sak 35/06:", "PS 2/2020",
//! "Sak 2."), lettered sub-items, topics and decision and proposal headings as
//! Markdown headings, and the text between them re-flowed ([`reflow`]). Nothing is
//! dropped: what it cannot place stays in the text and is a warning with its line in
//! the input. Every pass goes once over the lines, so the cost is linear. It writes
//! the new file as `saksgang new` does: never over an existing one.

mod attendance;
mod reflow;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::build::read_archive;
use crate::diag::{self, Diagnostic, Sources};
use crate::load::{self, DecisionHeadings, ItemHeading};
use crate::model::{Archive, DecisionKind, DocumentKind};
use crate::new::{Failure, plain_or_quoted};

use attendance::{Joined, Municipalities, Person};

/// What the command line asked for beyond the file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The body's id, instead of finding it from the title.
    pub body: Option<String>,
    /// Minutes or notice, instead of reading it from the title.
    pub document: Option<DocumentKind>,
    /// Where to write, instead of `content/meetings/YYYY/…`.
    pub output: Option<PathBuf>,
}

/// How much was read into the new file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items (saker).
    pub items: usize,
    /// Decision blocks.
    pub decisions: usize,
    /// Proposal blocks.
    pub proposals: usize,
    /// People present.
    pub present: usize,
    /// People absent.
    pub absent: usize,
    /// Names of the secretariat.
    pub secretariat: usize,
    /// Warnings: what the writer must look at.
    pub warnings: usize,
}

impl Counts {
    /// The summary line: "10 saker, 12 vedtak, …".
    pub fn summary(&self) -> String {
        let n =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {} vedtak, {} forslag til vedtak, {} til stede, {} forfall, {} i sekretariatet, {}",
            n(self.items, "sak", "saker"),
            self.decisions,
            self.proposals,
            self.present,
            self.absent,
            self.secretariat,
            n(self.warnings, "advarsel", "advarsler")
        )
    }
}

/// Something the writer should look at, at a line of the input (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    /// The input line.
    pub line: usize,
    /// A warning (else a note: a reading the writer may want to check).
    pub warning: bool,
    /// What, in Norwegian.
    pub message: String,
}

/// The text of the new file and what was found.
#[derive(Debug)]
pub struct Conversion {
    /// The whole file: front matter and Markdown.
    pub text: String,
    /// Its default path under `content/`: `meetings/2017/2017-02-23-radmannsgruppen.md`.
    pub path: String,
    /// Counts for the summary.
    pub counts: Counts,
    /// Warnings and notes, in input order.
    pub remarks: Vec<Remark>,
    /// Steps taken (line visits and comparisons), for the tests of linear cost.
    pub work: usize,
}

/// Why a text is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

fn refuse(message: impl Into<String>, help: impl Into<String>) -> Refusal {
    Refusal {
        message: message.into(),
        help: help.into(),
    }
}

/// A written import.
#[derive(Debug)]
pub struct Imported {
    /// The path written, as the user would type it.
    pub path: PathBuf,
    /// What it holds.
    pub counts: Counts,
    /// The warnings and notes, pointing into the input file.
    pub diagnostics: Vec<Diagnostic>,
    /// The input file, for rendering them.
    pub sources: Sources,
}

impl Imported {
    /// The warnings and notes as `check` prints them.
    pub fn render_remarks(&self, color: bool) -> String {
        diag::render(&self.diagnostics, &self.sources, color)
    }
}

/// The text of the input file (`.txt`, `.docx` or PDF, by [`crate::extract`]),
/// or why it cannot be read.
fn input_text(path: &Path) -> Result<String, Diagnostic> {
    crate::extract::text(path).map_err(|e| {
        Diagnostic::global(e.message).help(format!("{}; ingenting ble skrevet", e.hint))
    })
}

/// Imports `file` into the archive under `root`.
pub fn import(root: &Path, file: &Path, options: &Options) -> Result<Imported, Failure> {
    let content = crate::new::content_dir(root)?;
    let text = input_text(file)?;
    let (archive, _, _) = read_archive(root).map_err(Failure::Archive)?;
    let conversion = convert(&text, &archive, options).map_err(|r| {
        Diagnostic::global(format!("{}: {}", file.display(), r.message))
            .help(format!("{}; ingenting ble skrevet", r.help))
    })?;
    let target = match &options.output {
        Some(o) => o.clone(),
        None => content.join(&conversion.path),
    };
    let exists = || {
        Diagnostic::global(format!(
            "{} finnes allerede; saksgang import skriver aldri over en fil",
            target.display()
        ))
        .help("flytt eller slett den filen først, eller skriv til en annen med --output")
    };
    if target.exists() || target.is_symlink() {
        return Err(exists().into());
    }
    let mut made = Vec::new();
    if let Err((at, e)) = crate::init::write_new(&target, &conversion.text, &mut made) {
        for d in made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        if e.kind() == std::io::ErrorKind::AlreadyExists && at == target {
            return Err(exists().into());
        }
        let (what, hint) = diag::io_problem(&e);
        return Err(
            Diagnostic::global(format!("kunne ikke skrive {}: {what}", at.display()))
                .help(format!("{hint}; ingenting ble skrevet"))
                .into(),
        );
    }
    let mut sources = Sources::default();
    let starts = line_starts(&text);
    let text_len = text.len();
    let id = sources.add(file.to_path_buf(), text);
    let source = &sources.text(id);
    let line_text = |start: usize, end: usize| source.get(start..end).unwrap_or("");
    let diagnostics = conversion
        .remarks
        .iter()
        .map(|r| {
            let start = starts.get(r.line.saturating_sub(1)).copied().unwrap_or(0);
            let end = starts.get(r.line).map_or(text_len, |e| e.saturating_sub(1));
            let end = end.max(start);
            // A message quotes what it is about («Bærum kommune»): point at it in the line.
            let quoted = r
                .message
                .split_once('«')
                .and_then(|(_, q)| q.split_once('»'))
                .map(|(q, _)| q);
            let span = quoted
                .and_then(|q| {
                    line_text(start, end)
                        .find(q)
                        .map(|i| start + i..start + i + q.len())
                })
                .unwrap_or(start..end);
            if r.warning {
                Diagnostic::warning(id, span, r.message.clone())
            } else {
                Diagnostic::note(id, span, r.message.clone())
            }
        })
        .collect();
    Ok(Imported {
        path: target,
        counts: conversion.counts,
        diagnostics,
        sources,
    })
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// One line of the input.
struct Line<'t> {
    /// 1-based.
    no: usize,
    raw: &'t str,
    /// White space collapsed, emphasis stars removed.
    clean: String,
}

/// `- Tekst`, `• Tekst`, `-Tekst` → `Tekst`.
fn unbullet(t: &str) -> &str {
    for b in ["- ", "• ", "-", "•", "– "] {
        if let Some(r) = t.strip_prefix(b) {
            return r.trim_start();
        }
    }
    t
}

fn is_bullet(t: &str) -> bool {
    t.starts_with(['-', '•']) || t.starts_with("– ")
}

/// An item heading line: a label naming an item, and its number.
fn item_heading(clean: &str) -> Option<ItemHeading> {
    let t = unbullet(clean);
    let h = load::parse_item_heading(t)?;
    let label_ok = h
        .label
        .as_deref()
        .is_some_and(|l| load::is_item_label(l) && l.starts_with(char::is_uppercase));
    if !label_ok || (h.year.is_none() && t.split_whitespace().count() > 12) {
        return None;
    }
    Some(h)
}

const DECISION_STARTS: &[&str] = &[
    "vedtak",
    "forslag til vedtak",
    "framlegg til vedtak",
    "innstilling",
    "tilråding",
    "enstemmig vedtak",
    "endelig vedtak",
];

/// A decision or proposal heading line: its kind, the heading as printed, and any
/// text after its colon on the same line.
fn decision_heading(clean: &str) -> Option<(DecisionKind, String, String)> {
    let t = unbullet(clean);
    let (head, rest, colon) = match t.find(':') {
        Some(i) => (&t[..i], t[i + 1..].trim(), true),
        None => (t, "", false),
    };
    let lower = head.trim().to_lowercase();
    if lower.split_whitespace().count() > 6 {
        return None;
    }
    let phrase = |s: &str| {
        DECISION_STARTS
            .iter()
            .any(|p| if colon { s.starts_with(p) } else { s == *p })
    };
    let genitive = lower
        .split_once(' ')
        .is_some_and(|(first, after)| first.ends_with('s') && phrase(after));
    if !(phrase(&lower) || genitive) {
        return None;
    }
    let kind = load::decision_kind(head, &DecisionHeadings::default())?;
    let printed = if colon {
        format!("{}:", head.trim_end())
    } else {
        head.trim_end().to_string()
    };
    Some((kind, printed, rest.to_string()))
}

/// A lettered sub-item heading ("A Kommunehelsesamarbeidet", "B) Fra KS") with the
/// letter `expected`.
fn sub_item(clean: &str, expected: char) -> Option<String> {
    let t = unbullet(clean);
    let mut cs = t.char_indices();
    let (_, c) = cs.next()?;
    if c != expected {
        return None;
    }
    let after = &t[c.len_utf8()..];
    let rest = after
        .strip_prefix(") ")
        .or_else(|| after.strip_prefix(". "))
        .or_else(|| after.strip_prefix(' '))?
        .trim_start();
    let words = rest.split_whitespace().count();
    (rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        && (1..=10).contains(&words))
    .then(|| {
        format!(
            "{} {}",
            &t[..t.len() - after.len()
                + (after.len() - after.trim_start_matches([')', '.']).len())],
            rest
        )
    })
}

/// What a header line's label says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Time,
    Place,
    Present,
    Absent,
    Secretariat,
    Leaders,
}

fn label(clean: &str) -> Option<(Label, &str, &str)> {
    let (head, value) = clean.split_once(':')?;
    let l = head.trim().to_lowercase();
    let kind = match l.as_str() {
        "tid" | "møtetid" | "møtetidspunkt" | "tidspunkt" | "dato" | "møtedato" | "dato og tid" => {
            Label::Time
        }
        "sted" | "møtested" | "møtestad" | "stad" => Label::Place,
        "til stede"
        | "tilstede"
        | "deltakere"
        | "møtende"
        | "møtt"
        | "møtende medlemmer"
        | "til stede fra administrasjonen"
        | "fra administrasjonen"
        | "fra administrasjonene" => Label::Present,
        "forfall" | "meldt forfall" | "fraværende" | "ikke møtt" | "fravær" => Label::Absent,
        "sekretariatet" | "sekretariat" | "sekretær" | "referent" => Label::Secretariat,
        "møteledelse" | "møteleder" => Label::Leaders,
        _ => return None,
    };
    Some((kind, head.trim(), value.trim()))
}

fn is_title(clean: &str) -> bool {
    let first = clean.split_whitespace().next().unwrap_or("").to_lowercase();
    [
        "referat",
        "protokoll",
        "innkalling",
        "saksliste",
        "møtereferat",
        "møteprotokoll",
        "møteinnkalling",
        "møtebok",
    ]
    .iter()
    .any(|w| first.starts_with(w))
        && clean.split_whitespace().count() <= 20
}

fn kind_of_title(title: &str) -> Option<DocumentKind> {
    let l = title.to_lowercase();
    if l.contains("innkalling") || l.contains("saksliste") {
        Some(DocumentKind::Notice)
    } else if l.contains("referat") || l.contains("protokoll") || l.contains("møtebok") {
        Some(DocumentKind::Minutes)
    } else {
        None
    }
}

/// The first date in a text: "23.02.2017", "1.6.17", "23. februar 2017".
fn date_in(text: &str) -> Option<NaiveDate> {
    static NUMERIC: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b").unwrap()
    });
    static WORDS: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d{1,2})\.?\s+(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\s+(\d{4})\b").unwrap()
    });
    let numeric = NUMERIC.captures(text).and_then(|c| {
        let y: i32 = c[3].parse().ok()?;
        let y = if c[3].len() == 2 { 2000 + y } else { y };
        Some((
            c.get(0)?.start(),
            NaiveDate::from_ymd_opt(y, c[2].parse().ok()?, c[1].parse().ok()?)?,
        ))
    });
    let words = WORDS.captures(text).and_then(|c| {
        let m = crate::norsk::MONTHS
            .iter()
            .position(|m| c[2].eq_ignore_ascii_case(m))? as u32
            + 1;
        Some((
            c.get(0)?.start(),
            NaiveDate::from_ymd_opt(c[3].parse().ok()?, m, c[1].parse().ok()?)?,
        ))
    });
    match (numeric, words) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

/// The time as printed: "kl. 09.00 – 11.30".
fn time_in(text: &str) -> Option<String> {
    static TIME: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"(?i)\bkl\.?\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[–-]\s*\d{1,2}(?:[.:]\d{2})?)?")
            .unwrap()
    });
    TIME.find(text).map(|m| m.as_str().trim().to_string())
}

/// The body a title names: the longest body name or alias in it, at word boundaries.
fn body_in(archive: &Archive, text: &str) -> Result<Option<usize>, Vec<String>> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, usize)> = None;
    let mut tied = Vec::new();
    for (i, b) in archive.bodies.iter().enumerate() {
        let forms = std::iter::once(b.name.to_lowercase())
            .chain(b.aliases.iter().map(|a| a.to_lowercase()));
        for f in forms {
            let found = lower.match_indices(f.as_str()).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + f.len()..].chars().next();
                before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric())
            });
            if !found {
                continue;
            }
            match best {
                Some((len, j)) if len == f.len() && j != i => {
                    tied.push(archive.bodies[i].id.clone())
                }
                Some((len, _)) if len >= f.len() => {}
                _ => {
                    best = Some((f.len(), i));
                    tied.clear();
                }
            }
        }
    }
    if !tied.is_empty() {
        let mut all = tied;
        if let Some((_, i)) = best {
            all.insert(0, archive.bodies[i].id.clone());
        }
        return Err(all);
    }
    Ok(best.map(|(_, i)| i))
}

/// An attendance block of the header: its kind, its label as printed, its lines.
type Block<'t> = (Label, String, Vec<(usize, &'t str)>);

/// One piece of the body of the new file.
enum Elem {
    Heading(u8, String),
    /// A line of text (input line number, text as printed).
    Line(usize, String),
    /// A line kept as a paragraph of its own.
    Own(String),
}

/// Converts the text of a document into the text of a content file.
pub fn convert(text: &str, archive: &Archive, options: &Options) -> Result<Conversion, Refusal> {
    if text.trim().is_empty() {
        return Err(refuse(
            "filen er tom",
            "importer teksten av et referat eller en innkalling",
        ));
    }
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 50 > text.chars().count().max(1) || text.contains('\u{fffd}') {
        return Err(refuse(
            "filen ser ut som binære data, ikke tekst",
            "importer teksten av et referat eller en innkalling",
        ));
    }
    let mut work = 0usize;
    let known = reflow::words(text);
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.trim_end_matches('\r');
            Line {
                no: i + 1,
                raw,
                clean: reflow::collapse(&raw.replace(['*', '\u{c}'], " ").replace('\u{a0}', " ")),
            }
        })
        .collect();
    work += lines.len();
    let width = lines
        .iter()
        .map(|l| l.clean.chars().count())
        .max()
        .unwrap_or(0);
    let heads: Vec<Option<ItemHeading>> = lines.iter().map(|l| item_heading(&l.clean)).collect();
    work += lines.len();
    let first_item = heads.iter().position(Option::is_some);
    let mut remarks: Vec<Remark> = Vec::new();
    let places = Municipalities::new(archive);

    // The header: title, time, place, attendance; the rest is the preamble.
    let header_end = first_item.unwrap_or(lines.len());
    let mut title: Option<String> = None;
    let mut time_value: Option<String> = None;
    let mut place: Option<String> = None;
    let mut waiting: std::collections::VecDeque<Label> = Default::default();
    let mut blocks: Vec<Block> = Vec::new();
    let mut open_block = false;
    let mut preamble: Vec<Elem> = Vec::new();
    for l in &lines[..header_end] {
        work += 1;
        let c = l.clean.as_str();
        if c.is_empty() {
            preamble.push(Elem::Line(l.no, String::new()));
            continue;
        }
        if let Some((kind, head, value)) = label(c) {
            match kind {
                Label::Time | Label::Place => {
                    open_block = false;
                    let slot = if kind == Label::Time {
                        &mut time_value
                    } else {
                        &mut place
                    };
                    if value.is_empty() {
                        waiting.push_back(kind);
                    } else {
                        *slot = Some(value.to_string());
                    }
                }
                _ => {
                    let mut ls = Vec::new();
                    if !value.is_empty() {
                        ls.push((l.no, value));
                    }
                    blocks.push((kind, head.to_string(), ls));
                    open_block = true;
                }
            }
            continue;
        }
        if open_block {
            let block = blocks.last_mut().expect("an open block exists");
            let last = block.2.last().map(|(_, t)| *t).unwrap_or("");
            let last_word = last.rsplit(' ').next().unwrap_or("");
            let ended = last.ends_with('.') && last_word.trim_end_matches('.').chars().count() > 2;
            let listy = c.contains(',') || c.contains(" og ") || c.split_whitespace().count() <= 4;
            if !ended
                && !c.ends_with(':')
                && (last.is_empty() || last.ends_with(',') || listy)
                && !is_title(c)
            {
                block.2.push((l.no, c));
                continue;
            }
            open_block = false;
        }
        if title.is_none() && is_title(c) {
            title = Some(c.to_string());
            continue;
        }
        if let Some(kind) = waiting.pop_front() {
            if kind == Label::Time {
                time_value = Some(c.to_string());
            } else {
                place = Some(c.to_string());
            }
            continue;
        }
        if decision_heading(c).is_some() {
            preamble.push(Elem::Own(c.to_string()));
        } else {
            preamble.push(Elem::Line(l.no, l.raw.to_string()));
        }
    }

    // The date: from the time line, the title, or the first date of the header.
    let date = time_value
        .as_deref()
        .and_then(date_in)
        .or_else(|| title.as_deref().and_then(date_in))
        .or_else(|| lines[..header_end].iter().find_map(|l| date_in(&l.clean)));
    let (Some(date), Some(first_item)) = (date, first_item) else {
        let message = match (date, first_item) {
            (None, None) => {
                "fant verken møtedato eller saker; dette ser ikke ut som et referat eller en innkalling"
            }
            (None, Some(_)) => {
                "fant ingen møtedato i hodet av dokumentet (som «Tid: Torsdag 23.02.2017»)"
            }
            _ => "fant ingen saker (linjer som «Sak 12/2017 Tittel» eller «Sak 2. Tittel»)",
        };
        return Err(refuse(
            message,
            "importer teksten av et referat eller en innkalling med dato og saker; mangler bare datoen, skriv den inn i teksten som «Tid: 23.02.2017»",
        ));
    };
    let time = time_value.as_deref().and_then(time_in);

    // Body and kind.
    let body = match &options.body {
        Some(id) => match archive.bodies.iter().position(|b| &b.id == id) {
            Some(i) => i,
            None => {
                let known: Vec<&str> = archive.bodies.iter().map(|b| b.id.as_str()).collect();
                return Err(refuse(
                    format!("organet «{id}» finnes ikke i content/bodies.yaml"),
                    format!("organene er: {}", known.join(", ")),
                ));
            }
        },
        None => {
            let ids = || {
                archive
                    .bodies
                    .iter()
                    .map(|b| b.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let from_title = title
                .as_deref()
                .map(|t| body_in(archive, t))
                .unwrap_or(Ok(None));
            let found = match from_title {
                Ok(None) => {
                    let all: String = lines[..header_end]
                        .iter()
                        .map(|l| l.clean.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    work += header_end;
                    body_in(archive, &all)
                }
                other => other,
            };
            match found {
                Ok(Some(i)) => i,
                Ok(None) => {
                    return Err(refuse(
                        "fant ikke organet: tittelen nevner ingen av navnene i content/bodies.yaml",
                        format!(
                            "oppgi organet med --body ID (organene er: {}), eller legg navnet som alias i bodies.yaml",
                            ids()
                        ),
                    ));
                }
                Err(several) => {
                    return Err(refuse(
                        format!("tittelen kan bety flere organer: {}", several.join(", ")),
                        "oppgi organet med --body ID",
                    ));
                }
            }
        }
    };
    let body_id = archive.bodies[body].id.clone();
    let kind = match options
        .document
        .or_else(|| title.as_deref().and_then(kind_of_title))
    {
        Some(k) => k,
        None => {
            remarks.push(Remark {
                line: 1,
                warning: true,
                message: "fant ikke om dette er et referat eller en innkalling; skrevet som referat (oppgi --document notice for en innkalling)".into(),
            });
            DocumentKind::Minutes
        }
    };

    // The meeting may have this document already, under another file name.
    let had = archive
        .meetings
        .iter()
        .find(|m| m.body.0 == body && m.date == date)
        .and_then(|m| match kind {
            DocumentKind::Minutes => m.minutes.as_deref(),
            DocumentKind::Notice => m.notice.as_deref(),
        });
    if let Some(d) = had {
        return Err(refuse(
            format!(
                "møtet {date} i {} har allerede {}: content/{}",
                archive.bodies[body].name,
                if kind == DocumentKind::Notice {
                    "en innkalling"
                } else {
                    "et referat"
                },
                d.content_path
            ),
            "åpne den filen og rett der, eller slett den først hvis importen skal erstatte den",
        ));
    }

    // Attendance.
    let mut said = Vec::new();
    let mut present: Vec<Person> = Vec::new();
    let mut absent: Vec<Person> = Vec::new();
    let mut secretariat: Vec<String> = Vec::new();
    for (kind, head, ls) in &blocks {
        work += ls.len();
        match kind {
            Label::Leaders => present.extend(attendance::leaders(ls, &places, &mut said)),
            Label::Present => {
                let lower = head.to_lowercase();
                let group = lower.starts_with("fra ").then_some(head.as_str());
                present.extend(attendance::list(
                    &Joined::new(ls),
                    &places,
                    group.or(Some("")).filter(|g| !g.is_empty()),
                    &mut said,
                ));
            }
            Label::Absent => {
                absent.extend(attendance::list(&Joined::new(ls), &places, None, &mut said))
            }
            Label::Secretariat => secretariat.extend(attendance::names(&Joined::new(ls))),
            Label::Time | Label::Place => {}
        }
        // Each piece between commas is compared with every written form at most a few times.
        let pieces: usize = ls.iter().map(|(_, l)| l.matches(',').count() + 1).sum();
        work += pieces * places.forms();
    }
    remarks.extend(said.into_iter().map(|(line, warning, message)| Remark {
        line,
        warning,
        message,
    }));

    // The items.
    let body_lines = &lines[first_item..];
    let bullet: Vec<bool> = body_lines.iter().map(|l| is_bullet(&l.clean)).collect();
    let nonempty: Vec<usize> = (0..body_lines.len())
        .filter(|&i| !body_lines[i].clean.is_empty())
        .collect();
    let mut rank = vec![usize::MAX; body_lines.len()];
    for (r, &i) in nonempty.iter().enumerate() {
        rank[i] = r;
    }
    work += body_lines.len() * 2;
    let neighbour = |i: usize, step: isize| -> Option<usize> {
        let r = rank[i] as isize + step;
        (r >= 0)
            .then(|| nonempty.get(r as usize).copied())
            .flatten()
    };
    let mut elems: Vec<Elem> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut counts = Counts::default();
    let mut next_letter = 'A';
    let (mut in_sub, mut in_topic) = (false, false);
    let mut skip = None;
    for (i, l) in body_lines.iter().enumerate() {
        work += 1;
        if skip == Some(i) {
            continue;
        }
        let c = l.clean.as_str();
        let off = i + first_item;
        if let Some(h) = &heads[off] {
            let mut heading = unbullet(c).to_string();
            if h.title.is_empty() {
                match neighbour(i, 1).filter(|&j| j > i) {
                    Some(j)
                        if heads[j + first_item].is_none()
                            && decision_heading(&body_lines[j].clean).is_none()
                            && sub_item(&body_lines[j].clean, 'A').is_none()
                            && !bullet[j] =>
                    {
                        heading.push(' ');
                        heading.push_str(&body_lines[j].clean);
                        skip = Some(j);
                    }
                    _ => remarks.push(Remark {
                        line: l.no,
                        warning: true,
                        message: format!("«{heading}» har ingen tittel"),
                    }),
                }
            }
            if let Some(year) = h.year.as_deref() {
                let y: i32 = year.parse().unwrap_or(0);
                let y = if year.len() == 2 {
                    date.year() / 100 * 100 + y
                } else {
                    y
                };
                if y != date.year() {
                    remarks.push(Remark {
                        line: l.no,
                        warning: true,
                        message: format!(
                            "saksnummeret {}/{year} har et annet år enn møtet ({}); står som i originalen, rett det om det er en skrivefeil",
                            h.number,
                            date.year()
                        ),
                    });
                }
            }
            let identity = match h.year.as_deref() {
                Some(year) => crate::resolve::item_number(&h.number, year, date.year()).display(),
                None => format!("{:0>2}", h.number),
            };
            if let Some(first) = seen.insert(identity.clone(), l.no) {
                remarks.push(Remark {
                    line: l.no,
                    warning: true,
                    message: format!(
                        "sak {identity} står også på linje {first}; to saker i ett dokument kan ikke ha samme nummer, så rett det ene før du bygger"
                    ),
                });
            }
            elems.push(Elem::Heading(2, heading));
            counts.items += 1;
            next_letter = 'A';
            (in_sub, in_topic) = (false, false);
            continue;
        }
        if c.is_empty() {
            elems.push(Elem::Line(l.no, String::new()));
            continue;
        }
        if let Some(s) = sub_item(c, next_letter) {
            elems.push(Elem::Heading(3, s));
            next_letter = char::from_u32(next_letter as u32 + 1).unwrap_or('Z');
            (in_sub, in_topic) = (true, false);
            continue;
        }
        if let Some((kind, heading, rest)) = decision_heading(c) {
            let level = 3 + u8::from(in_sub) + u8::from(in_topic);
            elems.push(Elem::Heading(level, heading));
            match kind {
                DecisionKind::Decision => counts.decisions += 1,
                DecisionKind::Proposal => counts.proposals += 1,
            }
            let empty = rest.is_empty()
                && neighbour(i, 1).is_none_or(|j| {
                    heads[j + first_item].is_some()
                        || decision_heading(&body_lines[j].clean).is_some()
                        || sub_item(&body_lines[j].clean, next_letter).is_some()
                });
            if empty {
                remarks.push(Remark {
                    line: l.no,
                    warning: true,
                    message: format!("«{}» har ingen tekst etter seg", unbullet(c)),
                });
            }
            if !rest.is_empty() {
                elems.push(Elem::Line(l.no, rest));
            }
            continue;
        }
        let topic = in_sub
            && bullet[i]
            && neighbour(i, -1).is_some_and(|j| !bullet[j])
            && neighbour(i, 1).is_none_or(|j| !bullet[j])
            && {
                let t = unbullet(c);
                t.starts_with(char::is_uppercase) && t.split_whitespace().count() <= 15
            };
        if topic {
            elems.push(Elem::Heading(4, unbullet(c).to_string()));
            in_topic = true;
            continue;
        }
        elems.push(Elem::Line(l.no, l.raw.to_string()));
    }

    // The file.
    let mut out = String::from("---\n");
    let line = |out: &mut String, k: &str, v: &str| {
        out.push_str(&format!("{k}: {}\n", plain_or_quoted(v)));
    };
    line(&mut out, "body", &body_id);
    line(
        &mut out,
        "document",
        if kind == DocumentKind::Notice {
            "notice"
        } else {
            "minutes"
        },
    );
    out.push_str(&format!("date: {date}\n"));
    if let Some(t) = &title {
        line(&mut out, "title", t);
    }
    if let Some(t) = &time {
        line(&mut out, "time", t);
    }
    if let Some(p) = &place {
        line(&mut out, "place", p);
    }
    for (key, people) in [("present", &present), ("absent", &absent)] {
        if people.is_empty() {
            continue;
        }
        out.push_str(key);
        out.push_str(":\n");
        for p in people {
            out.push_str(&participant(p));
            out.push('\n');
        }
    }
    if !secretariat.is_empty() {
        let names: Vec<String> = secretariat.iter().map(|n| plain_or_quoted(n)).collect();
        out.push_str(&format!("secretariat: [{}]\n", names.join(", ")));
    }
    out.push_str("---\n");
    let pre = render(&preamble, &known, width);
    work += pre.work;
    out.push_str(&pre.text);
    let rest = render(&elems, &known, width);
    work += rest.work;
    if !pre.text.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(&rest.text);
    out.push('\n');
    work += elems.len() + preamble.len();
    for no in rest.leads {
        remarks.push(Remark {
            line: no,
            warning: true,
            message: format!(
                "«{}» står i et vedtak; er det en overskrift i originalen? Da gjør den til «### …», så slutter vedtaket før den",
                lines[no - 1].clean
            ),
        });
    }
    for no in rest.lone {
        remarks.push(Remark {
            line: no,
            warning: true,
            message: format!(
                "«{}» står alene; er det et sidehode eller en bunntekst fra originalen? Det står i teksten: slett det om det ikke hører til",
                lines[no - 1].clean
            ),
        });
    }
    remarks.sort_by_key(|r| r.line);
    counts.present = present.len();
    counts.absent = absent.len();
    counts.secretariat = secretariat.len();
    counts.warnings = remarks.iter().filter(|r| r.warning).count();
    let suffix = if kind == DocumentKind::Notice {
        "-innkalling"
    } else {
        ""
    };
    Ok(Conversion {
        text: out,
        path: format!("meetings/{}/{date}-{body_id}{suffix}.md", date.year()),
        counts,
        remarks,
        work,
    })
}

/// A participant as a line of front matter; one with neither municipality nor
/// organisation as a comment, so that the file builds and the name is kept.
fn participant(p: &Person) -> String {
    let mut fields = vec![format!("name: {}", plain_or_quoted(&p.name))];
    if let Some(m) = &p.municipality {
        fields.push(format!("municipality: {m}"));
    }
    if let Some(o) = &p.organisation {
        fields.push(format!("organisation: {}", plain_or_quoted(o)));
    }
    for (k, v) in [
        ("for", &p.substitute_for),
        ("role", &p.role),
        ("note", &p.note),
        ("group", &p.group),
    ] {
        if let Some(v) = v {
            fields.push(format!("{k}: {}", plain_or_quoted(v)));
        }
    }
    if p.municipality.is_none() && p.organisation.is_none() {
        return format!(
            "  # - {{ {} }}  (mangler municipality eller organisation)",
            fields.join(", ")
        );
    }
    format!("  - {{ {} }}", fields.join(", "))
}

/// Headings and re-flowed text runs as Markdown; the lines of lone short paragraphs
/// and of colon paragraphs inside decisions; the bytes handled.
fn render(elems: &[Elem], known: &HashSet<String>, width: usize) -> reflow::Flowed {
    let mut all = reflow::Flowed::default();
    let mut run: Vec<(usize, &str)> = Vec::new();
    let mut in_decision = false;
    let flush = |all: &mut reflow::Flowed, run: &mut Vec<(usize, &str)>, in_decision: bool| {
        let f = reflow::reflow(run, known, width);
        all.work += f.work;
        if !f.text.is_empty() {
            if !all.text.is_empty() {
                all.text.push_str("\n\n");
            }
            all.text.push_str(&f.text);
        }
        all.lone.extend(f.lone);
        if in_decision {
            all.leads.extend(f.leads);
        }
        run.clear();
    };
    for e in elems {
        match e {
            Elem::Line(no, t) => run.push((*no, t)),
            Elem::Heading(level, t) => {
                flush(&mut all, &mut run, in_decision);
                in_decision = decision_heading(t).is_some();
                if !all.text.is_empty() {
                    all.text.push_str("\n\n");
                }
                all.text.push_str(&"#".repeat(*level as usize));
                all.text.push(' ');
                all.text.push_str(t);
            }
            Elem::Own(t) => {
                flush(&mut all, &mut run, in_decision);
                if !all.text.is_empty() {
                    all.text.push_str("\n\n");
                }
                all.text.push_str(t);
            }
        }
    }
    flush(&mut all, &mut run, in_decision);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_as_printed() {
        assert_eq!(
            date_in("Torsdag 23.02.2017"),
            NaiveDate::from_ymd_opt(2017, 2, 23)
        );
        assert_eq!(
            date_in("Referat 1. juni 2017"),
            NaiveDate::from_ymd_opt(2017, 6, 1)
        );
        assert_eq!(
            date_in("møte 1.6.17 kl 10"),
            NaiveDate::from_ymd_opt(2017, 6, 1)
        );
        assert_eq!(date_in("31.02.2017"), None);
        assert_eq!(
            time_in("Torsdag 01.06.2017 kl. 09.00 – 11.30").as_deref(),
            Some("kl. 09.00 – 11.30")
        );
        assert_eq!(time_in("kl 10").as_deref(), Some("kl 10"));
    }

    #[test]
    fn decision_headings_are_short_and_start_with_the_phrase() {
        let k = decision_heading;
        assert_eq!(
            k("Vedtak:"),
            Some((DecisionKind::Decision, "Vedtak:".into(), String::new()))
        );
        assert_eq!(
            k("Forslag til vedtak:").map(|x| x.0),
            Some(DecisionKind::Proposal)
        );
        assert_eq!(
            k("Vedtak/innstilling:").map(|x| x.0),
            Some(DecisionKind::Decision)
        );
        assert_eq!(
            k("Rådmannens forslag til vedtak").map(|x| x.0),
            Some(DecisionKind::Proposal)
        );
        assert_eq!(
            k("Enstemmig vedtak").map(|x| x.0),
            Some(DecisionKind::Decision)
        );
        assert_eq!(
            k("Vedtak: Godkjent.").map(|x| x.2),
            Some("Godkjent.".into())
        );
        assert_eq!(k("Styringsgruppen fattet følgende vedtak:"), None);
        assert_eq!(k("Vedtak ble fattet"), None);
    }

    #[test]
    fn items_sub_items_and_labels() {
        assert!(item_heading("Sak 17/2017 Kommunehelsesamarbeidet").is_some());
        assert!(item_heading("- Sak 02/2018 Handlingsplan 2018").is_some());
        assert!(item_heading("TR-sak 35/06: Forvaltningsreformen").is_some());
        assert!(item_heading("PS 2/2020 Budsjett").is_some());
        assert!(item_heading("Sak 2. Utkast til referat").is_some());
        assert!(item_heading("Vedlegg 2 Budsjett").is_none());
        assert!(item_heading("sak 15/2016, vedtatt at").is_none());
        assert_eq!(
            sub_item("A Kommunehelsesamarbeidet", 'A').as_deref(),
            Some("A Kommunehelsesamarbeidet")
        );
        assert_eq!(sub_item("B) Fra KS", 'B').as_deref(), Some("B) Fra KS"));
        assert_eq!(sub_item("I tillegg gjør uklarheter", 'B'), None);
        assert_eq!(sub_item("A Kommunehelsesamarbeidet", 'B'), None);
    }
}
