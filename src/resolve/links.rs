//! Links in the text: `@/path.md#anchor` links, which must resolve, and prose
//! references ("styringsgruppens møte 16.3.2017, sak 06/2017", "møte 23.02.2017"),
//! which become links only where the archive holds the target. Also finds the
//! municipalities an item's text names.
//!
//! Everything here reads the archive through lookup tables built once
//! ([`LinkIndex`]), so scanning a document costs what the document holds, and
//! documents can be scanned in parallel.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use super::{item_number, suggestion};
use crate::diag::Diagnostic;
use crate::load;
use crate::model::*;
use crate::render::markdown::{Refused, link_refusal};

/// What scanning one piece of Markdown found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// Prose references that point into the archive.
    pub(super) refs: Vec<TextLink>,
    /// `@/` links that resolved.
    pub(super) path_links: Vec<(String, Target)>,
    /// `@/` links that did not.
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Where a piece of Markdown stands, for resolving its references.
pub(super) struct Place<'t> {
    /// The body of the meeting it belongs to.
    pub(super) body: Option<BodyId>,
    /// The meeting it belongs to.
    pub(super) meeting: Option<MeetingId>,
    /// The meeting's year, for two-digit years.
    pub(super) year: i32,
    /// The item title, which often names the body ("Referat fra møte i Styringsgruppen").
    pub(super) title: &'t str,
}

/// Lookup tables for resolving links.
pub(super) struct LinkIndex<'a> {
    archive: &'a Archive,
    /// Content path → the target and the document, whose anchors are listed
    /// only when a link asks for one.
    paths: HashMap<&'a str, (Target, &'a Document)>,
    /// `threads/ID.md` → thread.
    threads: HashMap<String, ThreadId>,
    /// Meetings on a date.
    by_date: HashMap<NaiveDate, Vec<MeetingId>>,
    /// Meetings that have an item with this number.
    by_item: HashMap<ItemNumber, Vec<MeetingId>>,
    /// Lower-case body names and aliases, with their body.
    body_names: Vec<(String, BodyId)>,
    /// Municipality names and aliases.
    names: AhoCorasick,
    /// Pattern index of `names` → municipality.
    name_owner: Vec<MunicipalityId>,
}

impl<'a> LinkIndex<'a> {
    pub(super) fn new(archive: &'a Archive) -> Self {
        let mut paths = HashMap::new();
        let mut by_date: HashMap<NaiveDate, Vec<MeetingId>> = HashMap::new();
        let mut by_item: HashMap<ItemNumber, Vec<MeetingId>> = HashMap::new();
        for (mi, m) in archive.meetings.iter().enumerate() {
            let id = MeetingId(mi);
            by_date.entry(m.date).or_default().push(id);
            for doc in m.documents() {
                let target = match doc.kind {
                    DocumentKind::Notice if m.minutes.is_some() => Target::Notice(id, None),
                    _ => Target::Meeting(id, None),
                };
                paths.insert(doc.content_path.as_str(), (target, doc));
                for item in &doc.items {
                    let list = by_item.entry(item.number.clone()).or_default();
                    if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
            }
        }
        let threads = archive
            .threads
            .iter()
            .enumerate()
            .map(|(ti, t)| (format!("threads/{}.md", t.id), ThreadId(ti)))
            .collect();
        let body_names = archive
            .bodies
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                std::iter::once(b.name.to_lowercase())
                    .chain(b.aliases.iter().cloned())
                    .map(move |n| (n, BodyId(i)))
            })
            .collect();
        let mut patterns = Vec::new();
        let mut name_owner = Vec::new();
        for (i, m) in archive.municipalities.iter().enumerate() {
            for name in std::iter::once(&m.name)
                .chain(&m.aliases)
                .filter(|n| !n.is_empty())
            {
                patterns.push(name.as_str());
                name_owner.push(MunicipalityId(i));
            }
        }
        let names = AhoCorasick::new(&patterns).expect("municipality names make a valid automaton");
        Self {
            archive,
            paths,
            threads,
            by_date,
            by_item,
            body_names,
            names,
            name_owner,
        }
    }

    /// Finds the `@/` links and prose references of one piece of Markdown.
    pub(super) fn scan(&self, text: &str, md: &Markdown, place: &Place<'_>) -> Scan {
        let range = md.range.clone();
        let slice = &text[range.clone()];
        let mut scan = Scan::default();
        let mut block: Vec<(&str, usize)> = Vec::new();
        let mut title_body = TitleBody::default();
        for (event, r) in Parser::new_ext(slice, load::markdown_options()).into_offset_iter() {
            match event {
                // Only text that stands in the source as it is can be linked by position.
                Event::Text(t) if slice.get(r.clone()) == Some(&*t) => {
                    block.push((&slice[r.clone()], range.start + r.start));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    self.references(&block, place, &mut title_body, &mut scan.refs);
                    block.clear();
                    let span = range.start + r.start..range.start + r.end;
                    if let Some(why) = link_refusal(&dest_url) {
                        scan.diagnostics.push(refused(md, span, "lenken", &why));
                    } else if let Some(rest) = dest_url.strip_prefix("@/") {
                        match self.path_link(md, rest, span) {
                            Ok(target) => scan.path_links.push((dest_url.to_string(), target)),
                            Err(d) => scan.diagnostics.push(d),
                        }
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    if let Some(why) = link_refusal(&dest_url) {
                        let span = range.start + r.start..range.start + r.end;
                        scan.diagnostics.push(refused(md, span, "bildet", &why));
                    }
                }
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Item
                    | TagEnd::TableCell
                    | TagEnd::Heading(_)
                    | TagEnd::Link,
                ) => {
                    self.references(&block, place, &mut title_body, &mut scan.refs);
                    block.clear();
                }
                _ => {}
            }
        }
        self.references(&block, place, &mut title_body, &mut scan.refs);
        scan
    }

    fn path_link(
        &self,
        md: &Markdown,
        rest: &str,
        span: Range<usize>,
    ) -> Result<Target, Diagnostic> {
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a).filter(|a| !a.is_empty())),
            None => (rest, None),
        };
        if let Some(t) = self.threads.get(path) {
            return match anchor {
                None => Ok(Target::Thread(*t)),
                Some(anchor) => Err(Diagnostic::error(
                    md.file,
                    span,
                    format!("@/{path} har ikke noe anker #{anchor}"),
                )
                .label("en saksgang har ingen ankre")
                .help("fjern #-delen av lenken")),
            };
        }
        let Some((target, doc)) = self.paths.get(path) else {
            let known = self
                .paths
                .keys()
                .copied()
                .chain(self.threads.keys().map(String::as_str));
            let hint = suggestion(path, known)
                .map(|s| format!("mente du «@/{s}»? "))
                .unwrap_or_default();
            return Err(Diagnostic::error(md.file, span, format!("lenken peker på @/{path}, som ikke finnes"))
                .label("ingen slik fil i content/")
                .help(format!("{hint}skriv stien fra content/, for eksempel @/meetings/2017/2017-02-23-radmannsgruppen.md#sak-04-2017")));
        };
        let Some(anchor) = anchor else {
            return Ok(target.clone());
        };
        let anchors = document_anchors(doc);
        if !anchors.iter().any(|a| a == anchor) {
            return Err(Diagnostic::error(
                md.file,
                span,
                format!("@/{path} har ikke noe anker #{anchor}"),
            )
            .label("ingen sak eller punkt med dette ankeret")
            .help(if anchors.is_empty() {
                "fjern #-delen av lenken".to_string()
            } else {
                format!("ankrene i dokumentet er {}", anchors.join(", "))
            }));
        }
        Ok(match target {
            Target::Meeting(m, _) => Target::Meeting(*m, Some(anchor.to_string())),
            Target::Notice(m, _) => Target::Notice(*m, Some(anchor.to_string())),
            other => other.clone(),
        })
    }

    /// Prose references in one block of text (a paragraph, list item or cell).
    ///
    /// The block is read a fixed number of times whatever it holds: the body
    /// names and dates in it are found once ([`Context`]), and the references,
    /// found in text order, look up the nearest of them with cursors that only
    /// move forward, so a paragraph of thousands of references costs what its
    /// length does.
    fn references(
        &self,
        block: &[(&str, usize)],
        place: &Place<'_>,
        title_body: &mut TitleBody,
        out: &mut Vec<TextLink>,
    ) {
        work(block.iter().map(|(t, _)| t.len()).sum());
        if !block.iter().any(|(t, _)| ANY_REF.is_match(t)) {
            return;
        }
        let context = Context::new(
            block.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(" "),
            &self.body_names,
        );
        // One cursor for the item references and one for the meeting references,
        // since each kind is found in text order.
        let mut sak_names = Cursor::default();
        let mut meeting_names = Cursor::default();
        let mut dates = Cursor::default();
        let first = out.len();
        let mut pos = 0;
        for (t, start) in block {
            let base = pos;
            pos += t.len() + 1;
            work(2 * t.len());
            for c in SAK_REF.captures_iter(t) {
                let whole = c.get(0).expect("group 0 is the match");
                let year = if place.year > 0 { place.year } else { 2000 };
                let number = item_number(&c[1], &c[2], year);
                let at = base + whole.start();
                let body = context
                    .body_near(&mut sak_names, at)
                    .or_else(|| title_body.get(self, place.title));
                let date = context.date_before(&mut dates, at);
                if let Some(target) = self.item_ref(&number, body, date) {
                    out.push(TextLink {
                        range: start + whole.start()..start + whole.end(),
                        target,
                    });
                }
            }
            for c in MEETING_REF.captures_iter(t) {
                let whole = c.get(0).expect("group 0 is the match");
                // A meeting reference followed by "sak N/Y" is linked by the item reference.
                let after = &t[whole.end()..];
                let gap = after.len() - after.trim_start_matches([',', ' ']).len();
                work(gap);
                if SAK_AT_START.is_match(&after[gap..]) {
                    continue;
                }
                let Some(date) = date_of(&c, 1) else { continue };
                let Some(body) = context
                    .body_near(&mut meeting_names, base + whole.start())
                    .or_else(|| title_body.get(self, place.title))
                    .or(place.body)
                else {
                    continue;
                };
                let found = self.by_date.get(&date).and_then(|ms| {
                    ms.iter().find(|m| {
                        self.archive.meetings[m.0].body == body && Some(**m) != place.meeting
                    })
                });
                if let Some(m) = found {
                    out.push(TextLink {
                        range: start + whole.start()..start + whole.end(),
                        target: Target::Meeting(*m, None),
                    });
                }
            }
        }
        // In text order, as rendering puts them in: a meeting named before an
        // item reference in the same line is linked too.
        out[first..].sort_by_key(|l| l.range.start);
    }

    /// A "sak N/Y" reference: linked when a body or a date near it picks one meeting.
    fn item_ref(
        &self,
        number: &ItemNumber,
        body: Option<BodyId>,
        date: Option<NaiveDate>,
    ) -> Option<Target> {
        if body.is_none() && date.is_none() {
            return None;
        }
        let candidates: Vec<MeetingId> = self
            .by_item
            .get(number)?
            .iter()
            .copied()
            .filter(|m| {
                let m = &self.archive.meetings[m.0];
                body.is_none_or(|b| m.body == b) && date.is_none_or(|d| m.date == d)
            })
            .collect();
        let [mi] = candidates.as_slice() else {
            return None;
        };
        let m = &self.archive.meetings[mi.0];
        let anchor = Some(number.anchor());
        let in_minutes = m
            .minutes
            .as_ref()
            .is_some_and(|d| d.items.iter().any(|i| &i.number == number));
        Some(if in_minutes || m.minutes.is_none() {
            Target::Meeting(*mi, anchor)
        } else {
            Target::Notice(*mi, anchor)
        })
    }

    /// Municipalities a text names, by name or alias (also in the genitive: «Bærums»).
    pub(super) fn mentions(&self, text: &str, out: &mut Vec<MunicipalityId>) {
        for m in self.names.find_overlapping_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let mut after = text[m.end()..].chars();
            let mut next = after.next();
            if next == Some('s') {
                next = after.next();
            }
            if !before.is_some_and(char::is_alphanumeric)
                && !next.is_some_and(char::is_alphanumeric)
            {
                out.push(self.name_owner[m.pattern().as_usize()]);
            }
        }
    }
}

/// The warning for a link or image that is shown as text, because its address
/// could run script in the reader's browser or leave the site unnoticed.
fn refused(md: &Markdown, span: Range<usize>, what: &str, why: &Refused) -> Diagnostic {
    let (message, help) = match why {
        Refused::Scheme(scheme) => (
            format!("{what} bruker «{scheme}:», som ikke er tillatt i referatene"),
            "bare http:, https:, mailto:, tel:, lenker i arkivet (@/…) og relative lenker \
             blir lenker; rett adressen eller fjern lenken",
        ),
        Refused::ProtocolRelative => (
            format!("{what} begynner med //, uten http: eller https:"),
            "skriv hele adressen, for eksempel https://www.example.org/side",
        ),
    };
    let shown = if what == "bildet" {
        "vises som tekst (bildeteksten), ikke som bilde"
    } else {
        "vises som tekst, ikke som lenke"
    };
    Diagnostic::warning(md.file, span, message)
        .label(shown)
        .help(help)
}

/// A block of text prepared for finding what its references point at.
struct Context {
    /// Where body names stand in the lower-case block, with the name's place in
    /// [`LinkIndex::body_names`] and its body, in order of position and then name.
    names: Vec<(usize, usize, BodyId)>,
    /// The dates in the block, by where they end.
    dates: Vec<(usize, NaiveDate)>,
}

impl Context {
    fn new(text: String, body_names: &[(String, BodyId)]) -> Self {
        work(text.len());
        let dates = DATE
            .captures_iter(&text)
            .filter_map(|c| Some((c.get(0)?.end(), date_of(&c, 1)?)))
            .collect();
        let lower = text.to_lowercase();
        let mut names = Vec::new();
        for (n, (name, body)) in body_names.iter().enumerate() {
            work(lower.len());
            names.extend(
                lower
                    .match_indices(name.as_str())
                    .map(|(i, _)| (i, n, *body)),
            );
        }
        names.sort_unstable_by_key(|&(i, n, _)| (i, n));
        Self { names, dates }
    }

    /// The body named nearest to `pos`; of two as near, the one whose name
    /// comes first in the list of names, then the leftmost. `pos` must not be
    /// before that of the last call with the same cursor.
    fn body_near(&self, cursor: &mut Cursor, pos: usize) -> Option<BodyId> {
        let names = &self.names;
        while names.get(cursor.0).is_some_and(|&(i, _, _)| i <= pos) {
            work(1);
            cursor.0 += 1;
        }
        let (before, after) = names.split_at(cursor.0);
        // Only the names at the nearest position on either side can win (one
        // position holds at most one match of each name).
        let left = before.last().map(|n| n.0);
        let right = after.first().map(|n| n.0);
        before
            .iter()
            .rev()
            .take_while(|n| Some(n.0) == left)
            .chain(after.iter().take_while(|n| Some(n.0) == right))
            .inspect(|_| work(1))
            .min_by_key(|&&(i, n, _)| (i.abs_diff(pos), n, i))
            .map(|&(_, _, b)| b)
    }

    /// The last date that ends at or before `pos`. `pos` must not be before
    /// that of the last call with the same cursor.
    fn date_before(&self, cursor: &mut Cursor, pos: usize) -> Option<NaiveDate> {
        while self.dates.get(cursor.0).is_some_and(|&(end, _)| end <= pos) {
            work(1);
            cursor.0 += 1;
        }
        cursor.0.checked_sub(1).map(|k| self.dates[k].1)
    }
}

/// A position in one of a [`Context`]'s lists, for lookups in text order.
#[derive(Default)]
struct Cursor(usize);

/// The body the item title names, found the first time a reference needs it.
#[derive(Default)]
struct TitleBody(Option<Option<BodyId>>);

impl TitleBody {
    fn get(&mut self, index: &LinkIndex<'_>, title: &str) -> Option<BodyId> {
        *self.0.get_or_insert_with(|| {
            work(title.len() * (1 + index.body_names.len()));
            let title = title.to_lowercase();
            index
                .body_names
                .iter()
                .find(|(n, _)| title.contains(n.as_str()))
                .map(|(_, b)| *b)
        })
    }
}

/// For the property tests (`crate::fuzz`): scans `text` as one piece of
/// Markdown of a document of `meeting` (if any) whose item is titled `title`;
/// returns the prose references, the `@/` links that resolved, and the work done.
#[cfg(test)]
pub(crate) fn scan_for_tests(
    archive: &Archive,
    text: &str,
    meeting: Option<MeetingId>,
    title: &str,
) -> (Vec<TextLink>, Vec<(String, Target)>, usize) {
    let index = LinkIndex::new(archive);
    let place = Place {
        body: meeting.map(|m| archive.meetings[m.0].body),
        meeting,
        year: meeting.map_or(0, |m| chrono::Datelike::year(&archive.meetings[m.0].date)),
        title,
    };
    let md = Markdown {
        file: crate::diag::FileId(0),
        range: 0..text.len(),
    };
    WORK.with(|w| w.set(0));
    let scan = index.scan(text, &md, &place);
    (scan.refs, scan.path_links, WORK.with(|w| w.get()))
}

#[cfg(test)]
thread_local! {
    /// Bytes and list entries the reference scanner has looked at on this thread.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts work done by the reference scanner, for the tests of its cost.
#[cfg(test)]
fn work(n: usize) {
    WORK.with(|w| w.set(w.get() + n));
}

#[cfg(not(test))]
fn work(_: usize) {}

/// Whether a text may hold a reference at all: a cheap test before the others.
static ANY_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)sak|møte").expect("valid pattern"));

/// The anchors a document's page has: one per item and one per lettered sub-item.
pub fn document_anchors(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for item in &doc.items {
        let a = item.number.anchor();
        for p in &item.parts {
            if let Part::Heading {
                anchor: Some(sub), ..
            } = p
            {
                out.push(format!("{a}-{sub}"));
            }
        }
        out.push(a);
    }
    out
}

static SAK_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsak(?:ene)?\s+(\d{1,3}[a-z]?)\s*/\s*(\d{4}|\d{2})\b").expect("valid pattern")
});
static MEETING_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bmøte[tn]?\s+(?:den\s+)?(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
        .expect("valid pattern")
});
/// [`SAK_REF`] where a text starts, for "møte 1.2.2020, sak 3/2020". (The
/// `\b` before "sak" holds there: a meeting reference ends in a word boundary,
/// and the gap after it is commas and spaces.)
static SAK_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)sak(?:ene)?\s+(\d{1,3}[a-z]?)\s*/\s*(\d{4}|\d{2})\b").expect("valid pattern")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b").expect("valid pattern")
});

fn date_of(c: &regex::Captures<'_>, first: usize) -> Option<NaiveDate> {
    let n = |i: usize| c.get(first + i)?.as_str().parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(2)? as i32, n(1)?, n(0)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Site;

    fn archive(municipalities: &[&str]) -> Archive {
        Archive {
            site: Site {
                title: String::new(),
                base_url: "/".into(),
                language: "nb".into(),
                description: None,
                theme: "default".into(),
            },
            bodies: vec![],
            municipalities: municipalities
                .iter()
                .map(|name| Municipality {
                    id: name.to_lowercase(),
                    name: name.to_string(),
                    number: None,
                    former_numbers: vec![],
                    region: None,
                    kind: MunicipalityKind::Municipality,
                    aliases: vec![],
                    valid_to: None,
                    merged_into: vec![],
                    note: None,
                })
                .collect(),
            people: vec![],
            meetings: vec![],
            threads: vec![],
            path_links: Default::default(),
        }
    }

    #[test]
    fn mentions_need_whole_words() {
        let a = archive(&["Hol", "Bærum", "Asker", "Hole"]);
        let index = LinkIndex::new(&a);
        let found = |t: &str| {
            let mut out = Vec::new();
            index.mentions(t, &mut out);
            out.sort();
            out.dedup();
            out
        };
        assert_eq!(found("Holmestrand og Hole"), vec![MunicipalityId(3)]);
        assert_eq!(found("Bærums rådmann"), vec![MunicipalityId(1)]);
        assert_eq!(
            found("Asker/Bærum"),
            vec![MunicipalityId(1), MunicipalityId(2)]
        );
    }

    /// The contract fixture's archive (not the seed's, whose names stay out of `src/`).
    fn fixture() -> Archive {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contract");
        match crate::build::read_archive(&root) {
            Ok((archive, _, _)) => archive,
            Err(_) => panic!("the contract fixture reads"),
        }
    }

    /// The references found in `text`, and the work done finding them.
    fn scan_counting(
        index: &LinkIndex<'_>,
        text: &str,
        place: &Place<'_>,
    ) -> (Vec<TextLink>, usize) {
        WORK.with(|w| w.set(0));
        let md = Markdown {
            file: crate::diag::FileId(0),
            range: 0..text.len(),
        };
        let scan = index.scan(text, &md, place);
        (scan.refs, WORK.with(|w| w.get()))
    }

    #[test]
    fn a_paragraph_of_references_costs_its_length() {
        let archive = fixture();
        let index = LinkIndex::new(&archive);
        let tr = archive.bodies.iter().position(|b| b.id == "tr").map(BodyId);
        let place = Place {
            body: tr,
            meeting: None,
            year: 2006,
            title: "Referat fra regionrådet",
        };
        // Each shape once, then as one paragraph of about 1 MB: quadratic work
        // (a look for the nearest body name or date, or for a "sak" after a
        // meeting, that reads the rest of the paragraph) would take hours here.
        let shapes = [
            "styringsutvalgets sak 2/2020 møte 15.01.2020 ",
            "møte 09.03.2006 ",
            "sak 20/06 ",
            "regionrådets møte 1.2.2006, , , sak 20/06 den 09.03.2006 og ",
        ];
        let limit = 8 + index.body_names.len();
        for unit in shapes {
            let (mut one, _) = scan_counting(&index, unit, &place);
            one.sort_by_key(|r| r.range.start);
            let n = 250_000 / unit.len();
            let text = unit.repeat(n);
            let (mut refs, work) = scan_counting(&index, &text, &place);
            refs.sort_by_key(|r| r.range.start);
            assert!(
                work <= limit * text.len(),
                "{unit:?}: {work} steps for {} bytes",
                text.len()
            );
            // Every repetition links what the shape alone links, at its place.
            assert_eq!(refs.len(), n * one.len(), "{unit:?}");
            for (k, r) in refs.iter().enumerate() {
                let (i, j) = (k / one.len(), k % one.len());
                let shift = i * unit.len();
                assert_eq!(
                    r.range,
                    one[j].range.start + shift..one[j].range.end + shift
                );
                assert_eq!(r.target, one[j].target);
            }
        }
    }

    #[test]
    fn references_come_in_text_order() {
        // Rendering links them in this order: one out of order is left as text.
        let archive = fixture();
        let index = LinkIndex::new(&archive);
        let place = Place {
            body: None,
            meeting: None,
            year: 2006,
            title: "",
        };
        let text = "Styringsutvalgets møte 15.01.2020 behandlet budsjettet i sak 2/2020.";
        let (refs, _) = scan_counting(&index, text, &place);
        let linked: Vec<&str> = refs.iter().map(|r| &text[r.range.clone()]).collect();
        assert_eq!(linked, ["møte 15.01.2020", "sak 2/2020"]);
    }
}
