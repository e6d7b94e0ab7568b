//! Links in the text: `@/path.md#anchor` links, which must resolve, and prose
//! references ("styringsgruppens møte 16.3.2017, sak 06/2017", "møte 23.02.2017"),
//! which become links only where the archive holds the target. Also finds the
//! municipalities an item's text names.
//!
//! Everything here reads the archive through lookup tables built once
//! ([`LinkIndex`]), so scanning a document costs what the document holds, and
//! documents can be scanned in parallel. Each lookup a scan makes in the tables
//! that come from the meetings is noted ([`noting_lookups`]), so that a build
//! or `serve` can keep a scan while every lookup it made gives the same.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use super::{item_number, meeting_item_number, suggestion};
use crate::diag::{Diagnostic, FileId};
use crate::load;
use crate::model::*;
use crate::render::markdown::{Refused, link_refusal};

/// What scanning one piece of Markdown found.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default, Clone)]
pub(super) struct Scan {
    /// Prose references that point into the archive.
    pub(super) refs: Vec<TextLink>,
    /// `@/` links that resolved.
    pub(super) path_links: Vec<(String, Target)>,
    /// `@/` links that did not.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The lookups the scan made (see [`Key`]).
    pub(super) lookups: Vec<u64>,
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
    /// The body names that are not empty, for finding them all in one pass
    /// (pattern `i` is `body_names[body_patterns[i]]`).
    body_finder: AhoCorasick,
    body_patterns: Vec<usize>,
    /// The same, whole, for looking a word up: name or alias → bodies.
    name_lookup: HashMap<String, Vec<BodyId>>,
    /// First parts of compound words that name a body: the first and last
    /// word of its names, also without the definite ending ("styre" for
    /// "Styret", "arbeidsgruppe" for "Arbeidsgruppen").
    forms: HashMap<String, Vec<BodyId>>,
    /// Item labels other than "Sak" ("rs-sak", "ps"), lower case → the bodies
    /// whose items use them.
    labels: HashMap<String, Vec<BodyId>>,
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
        let mut labels: HashMap<String, Vec<BodyId>> = HashMap::new();
        for m in &archive.meetings {
            for item in m.documents().flat_map(|d| &d.items) {
                let Some(label) = item.label().map(str::to_lowercase) else {
                    continue;
                };
                if label != "sak" {
                    add_body(labels.entry(label).or_default(), m.body);
                }
            }
        }
        let threads = archive
            .threads
            .iter()
            .enumerate()
            .map(|(ti, t)| (format!("threads/{}.md", t.id), ThreadId(ti)))
            .collect();
        let body_names: Vec<(String, BodyId)> = archive
            .bodies
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                std::iter::once(b.name.to_lowercase())
                    .chain(b.aliases.iter().cloned())
                    .map(move |n| (n, BodyId(i)))
            })
            .collect();
        let mut name_lookup: HashMap<String, Vec<BodyId>> = HashMap::new();
        let mut forms: HashMap<String, Vec<BodyId>> = HashMap::new();
        for (name, body) in &body_names {
            add_body(name_lookup.entry(name.clone()).or_default(), *body);
            let words: Vec<&str> = name.split_whitespace().collect();
            for word in words.first().into_iter().chain(words.last()) {
                for ending in ["", "ene", "en", "et", "a", "n", "t"] {
                    match word.strip_suffix(ending) {
                        Some(form) if form.chars().count() >= 3 => {
                            add_body(forms.entry(form.to_string()).or_default(), *body);
                        }
                        _ => {}
                    }
                }
            }
        }
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
        let body_patterns: Vec<usize> = (0..body_names.len())
            .filter(|n| !body_names[*n].0.is_empty())
            .collect();
        let body_finder = AhoCorasick::new(body_patterns.iter().map(|n| &body_names[*n].0))
            .expect("body names make a valid automaton");
        Self {
            archive,
            paths,
            threads,
            by_date,
            by_item,
            body_names,
            body_finder,
            body_patterns,
            name_lookup,
            forms,
            labels,
            names,
            name_owner,
        }
    }

    /// What each lookup a scan can make ([`Key`]) gives in this archive, as a
    /// hash: the meetings on a date, with their bodies; the meetings and
    /// documents with an item number, with their bodies, dates and addresses;
    /// what a content path leads to, with its anchors; the bodies whose items
    /// use a label; and the set of paths, which a hint for a wrong path reads.
    /// A kept scan still holds while every lookup it made gives the same
    /// (`Prelude::links`). Costs one pass over the meetings and their items.
    pub(super) fn values(&self) -> HashMap<u64, u64> {
        let mut values: HashMap<u64, DefaultHasher> = HashMap::new();
        let mut add = |key: Key<'_>, value: &dyn Fn(&mut DefaultHasher)| {
            value(values.entry(key_hash(key)).or_default());
        };
        for (mi, m) in self.archive.meetings.iter().enumerate() {
            let meeting = (mi, m.body.0, m.date, &m.slug, m.minutes.is_some());
            add(Key::Date(m.date), &|h| meeting.hash(h));
            for doc in m.documents() {
                for item in &doc.items {
                    add(Key::Item(&item.number), &|h| (meeting, doc.kind).hash(h));
                }
            }
        }
        let mut paths: Vec<&str> = Vec::with_capacity(self.paths.len() + self.threads.len());
        for (path, (target, doc)) in &self.paths {
            add(Key::Path(path), &|h| {
                (target, document_anchors(doc)).hash(h)
            });
            paths.push(path);
        }
        for (path, thread) in &self.threads {
            add(Key::Path(path), &|h| thread.0.hash(h));
            paths.push(path);
        }
        paths.sort_unstable();
        add(Key::AllPaths, &|h| paths.hash(h));
        for (label, bodies) in &self.labels {
            add(Key::Label(label), &|h| bodies.hash(h));
        }
        values.into_iter().map(|(k, h)| (k, h.finish())).collect()
    }

    /// Finds the `@/` links and prose references of one piece of Markdown.
    pub(super) fn scan(&self, text: &str, md: &Markdown, place: &Place<'_>) -> Scan {
        let range = md.range.clone();
        let slice = &text[range.clone()];
        let mut scan = Scan::default();
        let mut block: Vec<(&str, usize)> = Vec::new();
        let mut title_body = TitleBody::default();
        let mut in_link = 0usize;
        for (event, r) in Parser::new_ext(slice, load::markdown_options()).into_offset_iter() {
            match event {
                // Only text that stands in the source as it is can be linked by position.
                // The words of an explicit link are not linked again.
                Event::Text(t) if in_link == 0 && slice.get(r.clone()) == Some(&*t) => {
                    block.push((&slice[r.clone()], range.start + r.start));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    self.references(&block, place, md.file, &mut title_body, &mut scan);
                    block.clear();
                    in_link += 1;
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
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    in_link = in_link.saturating_sub(1);
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    in_link += 1;
                    if let Some(why) = link_refusal(&dest_url) {
                        let span = range.start + r.start..range.start + r.end;
                        scan.diagnostics.push(refused(md, span, "bildet", &why));
                    }
                }
                Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_),
                ) => {
                    self.references(&block, place, md.file, &mut title_body, &mut scan);
                    block.clear();
                }
                _ => {}
            }
        }
        self.references(&block, place, md.file, &mut title_body, &mut scan);
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
        looked_up(Key::Path(path));
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
            // The hint names the nearest path there is.
            looked_up(Key::AllPaths);
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
                .help(format!("{hint}skriv stien fra content/, for eksempel @/meetings/ÅÅÅÅ/ÅÅÅÅ-MM-DD-organ.md#sak-NN-ÅÅÅÅ")));
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
    /// The block is read a fixed number of times whatever it holds: its pieces
    /// are joined once, the body names and dates in it are found once
    /// ([`Context`]), each kind of reference is found by one pass of its
    /// pattern, and the references, found in text order, look up the nearest
    /// name or date with cursors that only move forward; what a reference reads
    /// beyond its own words (the gap to its date, the words before a date) is
    /// bounded and never read for two references. So a paragraph of thousands of
    /// references costs what its length does.
    fn references(
        &self,
        block: &[(&str, usize)],
        place: &Place<'_>,
        file: FileId,
        title_body: &mut TitleBody,
        scan: &mut Scan,
    ) {
        work(block.iter().map(|(t, _)| t.len()).sum());
        // Most paragraphs have no "sak" or "møte"; of those, only the ones with
        // a date can name a meeting ("koordineringsgruppen 12.11.2025"), and
        // need no search for body names.
        let words = block.iter().any(|(t, _)| REF_WORD.is_match(t));
        if !words && !block.iter().any(|(t, _)| DATE.is_match(t)) {
            return;
        }
        let text = Joined::new(block);
        let context = Context::new(&text.text, words.then_some(self), place.year);
        let mut found = Found::default();
        let mut used = vec![false; context.dates.len()];
        // Meetings first: the dates they name are the ones an item reference
        // after them in the sentence is looked for at.
        if words {
            self.meeting_refs(
                &text.text, &context, place, title_body, &mut used, &mut found,
            );
        }
        self.named_meeting_refs(&text.text, &context, place, &mut used, &mut found);
        if words {
            self.item_refs(&text.text, &context, place, title_body, &used, &mut found);
        }
        // In text order, as rendering puts them in; of two that overlap, the
        // one that starts first.
        found
            .links
            .sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut cursor = Cursor::default();
        let mut end = 0;
        for (r, target) in found.links {
            if r.start < end {
                continue;
            }
            if let Some(range) = text.source(&mut cursor, r.clone()) {
                end = r.end;
                scan.refs.push(TextLink { range, target });
            }
        }
        found.notes.sort_by_key(|(r, _)| r.start);
        let mut cursor = Cursor::default();
        for (r, message) in found.notes {
            if let Some(range) = text.source(&mut cursor, r) {
                scan.diagnostics.push(
                    Diagnostic::note(file, range, message)
                        .label("ikke lenket: kan bety mer enn én ting")
                        .help(
                            "skriv organet eller møtedatoen ved henvisningen, så blir den en lenke",
                        ),
                );
            }
        }
    }

    /// "sak 06/2017", "styresak 34/25", "RS-sak 2/2005", "PS 2/2020",
    /// "saker 12, 13 og 14/2017": each number with a year becomes a link to its
    /// item when the body (named by the word, near it, by the item title, or the
    /// document's own) and a date before it pick one meeting.
    fn item_refs(
        &self,
        text: &str,
        context: &Context,
        place: &Place<'_>,
        title_body: &mut TitleBody,
        meeting_dates: &[bool],
        found: &mut Found,
    ) {
        work(text.len());
        let mut names = Cursor::default();
        let mut dates = Cursor::default();
        let century_of = if place.year > 0 { place.year } else { 2000 };
        for c in SAK_REF.captures_iter(text) {
            let (Some(head), Some(list)) = (c.name("head"), c.name("list")) else {
                continue;
            };
            let at = head.start();
            let prefix = c.name("prefix").map_or("", |m| m.as_str());
            let near = context.body_near(&mut names, at);
            let bodies = match self.word_bodies(head.as_str(), prefix) {
                Named::Bodies(set) => choose(set, near),
                // An unknown first part ("orienteringssak") says what kind of
                // item it is, not whose.
                Named::Nothing | Named::Unknown => near
                    .or_else(|| title_body.get(self, place.title))
                    .or(place.body)
                    .into_iter()
                    .collect(),
            };
            let date = context.date_before(&mut dates, at, meeting_dates);
            let elements: Vec<_> = ELEMENT
                .captures_iter(list.as_str())
                .filter_map(|e| Some((e.get(0)?.range(), e.get(1)?.as_str(), e.get(2))))
                .collect();
            // "12, 13 og 14/2017": a number without a year takes the next one's.
            let mut year = None;
            let mut years = vec![None; elements.len()];
            for (k, e) in elements.iter().enumerate().rev() {
                year = e.2.map(|y| y.as_str()).or(year);
                years[k] = year;
            }
            // "sak 2 i møtet 30.01.2024": numbers of no year are items numbered
            // within the meeting named right after them; alone they mean nothing.
            let named_meeting = years
                .iter()
                .all(Option::is_none)
                .then(|| context.meeting_named_at(text, list.end()))
                .flatten();
            for (k, (r, number)) in elements.iter().map(|e| (&e.0, e.1)).enumerate() {
                let (number, date) = match (years[k], named_meeting) {
                    (Some(y), _) => (item_number(number, y, century_of), date),
                    (None, Some(meeting)) => (meeting_item_number(number), Some(meeting)),
                    (None, None) => continue,
                };
                let range = if k == 0 {
                    at..list.start() + r.end
                } else {
                    list.start() + r.start..list.start() + r.end
                };
                match self.item_ref(&number, &bodies, date) {
                    Lookup::One(target) => found.links.push((range, target)),
                    Lookup::Many(meetings) => {
                        let what = format!("sak {}", number.display());
                        found.notes.push((range, self.ambiguous(&what, &meetings)));
                    }
                    Lookup::None => {}
                }
            }
        }
    }

    /// "møte 23.02.2017", "styremøte 29. oktober 2025", "rådsmøtet 16.3.",
    /// "møtet i arbeidsgruppen den 31. oktober 2023", "møtene 16.3. og
    /// 15.6.2017": a word ending in a form of "møte", then a date after a short
    /// gap in the same sentence, is a meeting of the body it names (or the one
    /// named near it, by the item title, or the document's own).
    fn meeting_refs(
        &self,
        text: &str,
        context: &Context,
        place: &Place<'_>,
        title_body: &mut TitleBody,
        used: &mut [bool],
        found: &mut Found,
    ) {
        work(text.len());
        let words: Vec<(usize, usize, usize)> = MEETING_WORD
            .captures_iter(text)
            .filter_map(|c| {
                let word = c.name("word")?;
                Some((word.start(), c.get(2)?.end(), word.end()))
            })
            .collect();
        let mut names = Cursor::default();
        let mut next = 0;
        for (k, &(ws, prefix_end, we)) in words.iter().enumerate() {
            while context.dates.get(next).is_some_and(|d| d.0 < we) {
                work(1);
                next += 1;
            }
            let Some(&(ds, de, date)) = context.dates.get(next) else {
                break;
            };
            // A later "møte" before the date is the one the date belongs to.
            if words.get(k + 1).is_some_and(|w| w.0 < ds) {
                continue;
            }
            // The gap: a few words of the same sentence ("den", "i arbeidsgruppen").
            let gap = &text[we..ds];
            work(gap.len().min(MAX_GAP + 1));
            if gap.len() > MAX_GAP
                || gap.contains(|c: char| GAP_STOPS.contains(c))
                || !self.meeting_gap(gap)
            {
                continue;
            }
            // "møtene 16.3. og 15.6.2017": the dates of a list.
            let mut list = vec![(ds, de, date)];
            let mut j = next + 1;
            while let Some(&(s, e, d)) = context.dates.get(j) {
                let sep = &text[list[list.len() - 1].1..s];
                work(sep.len().min(6));
                if sep.len() > 5 || !matches!(sep.trim(), "," | "og") {
                    break;
                }
                list.push((s, e, d));
                j += 1;
            }
            for u in &mut used[next..j] {
                *u = true;
            }
            if followed_by_item(text, list[list.len() - 1].1) {
                continue;
            }
            let near = context.body_near(&mut names, ws);
            // A body named in the gap is the one meant.
            let in_gap = context.names.get(names.0).filter(|n| n.0 < ds).map(|n| n.2);
            let bodies = match self.word_bodies(&text[ws..we], &text[ws..prefix_end]) {
                Named::Bodies(set) => choose(set, in_gap.or(near)),
                // "foretaksmøte", "dialogmøte": a meeting of some other kind.
                Named::Unknown => continue,
                Named::Nothing => in_gap
                    .or(near)
                    .or_else(|| title_body.get(self, place.title))
                    .or(place.body)
                    .into_iter()
                    .collect(),
            };
            for (i, &(s, e, d)) in list.iter().enumerate() {
                let range = if i == 0 { ws..e } else { s..e };
                self.meeting_ref(range, d, &bodies, place, found);
            }
        }
    }

    /// "administrative koordineringsgruppen 12.11.2025", "i arbeidsgruppen den
    /// 08.12.2016": a body's name (or alias) right before a date, with no "møte".
    fn named_meeting_refs(
        &self,
        text: &str,
        context: &Context,
        place: &Place<'_>,
        used: &mut [bool],
        found: &mut Found,
    ) {
        let mut prev_end = 0;
        for (k, &(ds, de, date)) in context.dates.iter().enumerate() {
            let mut from = prev_end.max(ds.saturating_sub(MAX_NAME));
            prev_end = de;
            if used[k] {
                continue;
            }
            while !text.is_char_boundary(from) {
                from += 1;
            }
            let before = &text[from..ds];
            work(before.len());
            if !before.ends_with(char::is_whitespace) {
                continue;
            }
            let mut words = before.trim_end();
            if let Some(w) = words.strip_suffix("den").filter(|w| w.ends_with(' ')) {
                words = w.trim_end();
            }
            // The longest name of at most four words that ends there.
            let mut hit = None;
            let mut start = words.len();
            for _ in 0..4 {
                let head = words[..start].trim_end();
                if head.is_empty() {
                    break;
                }
                let s = head
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(i, c)| i + c.len_utf8());
                work(words.len() - s);
                if let Some(b) = self.name_lookup.get(&words[s..].to_lowercase()) {
                    hit = Some((s, b));
                }
                start = s;
            }
            let Some((at, bodies)) = hit else { continue };
            used[k] = true;
            if followed_by_item(text, de) {
                continue;
            }
            self.meeting_ref(from + at..de, date, bodies, place, found);
        }
    }

    /// Whether the words between "møte" and a date leave the date the
    /// meeting's: none, a weekday, "den" last ("møtet i arbeidsgruppen den"),
    /// "i" and a body's name ("møte i arbeidsgruppen"), or one or two small
    /// words that are not a preposition ("Rådsmøtet vedtok 12.3.2024", "Møtet
    /// ble holdt 12.3.2024"). Others ("møtet utsatte saken til 12.3.2024",
    /// "møte i Lyngvik 12.3.") say something else about the date.
    fn meeting_gap(&self, gap: &str) -> bool {
        let gap = gap.trim();
        let last = gap.rsplit(' ').next().unwrap_or("");
        let mut words = gap.split(' ');
        let verbs = gap.split(' ').count() <= 2
            && words.all(|w| {
                !w.is_empty() && w.chars().all(char::is_lowercase) && !NOT_IN_GAP.contains(&w)
            });
        gap.is_empty()
            || WEEKDAYS.contains(&last.to_lowercase().as_str())
            || last == "den"
            || verbs
            || gap
                .strip_prefix("i ")
                .is_some_and(|name| self.name_lookup.contains_key(&name.to_lowercase()))
    }

    /// Links `range` to the meeting of one of `bodies` on `date` (not the
    /// document's own), if there is exactly one.
    fn meeting_ref(
        &self,
        range: Range<usize>,
        date: NaiveDate,
        bodies: &[BodyId],
        place: &Place<'_>,
        found: &mut Found,
    ) {
        if bodies.is_empty() {
            return;
        }
        looked_up(Key::Date(date));
        let meetings: Vec<MeetingId> = self
            .by_date
            .get(&date)
            .into_iter()
            .flatten()
            .copied()
            .filter(|m| {
                bodies.contains(&self.archive.meetings[m.0].body) && Some(*m) != place.meeting
            })
            .collect();
        match meetings.as_slice() {
            [] => {}
            [m] => found.links.push((range, Target::Meeting(*m, None))),
            _ => {
                let what = format!("møtet {}", date.format("%d.%m.%Y"));
                found.notes.push((range, self.ambiguous(&what, &meetings)));
            }
        }
    }

    /// What a word ending in "sak" or "møte" says about the body: «RS-sak» (a
    /// label only one body's items use), «styremøte» (a first part that is a
    /// body's name or one of its words, «styre» for «Styret»), «rådsmøtet»
    /// (an alias).
    fn word_bodies(&self, word: &str, prefix: &str) -> Named {
        work(word.len());
        let word = word.to_lowercase();
        if let Some(b) = self.name_lookup.get(&word).or_else(|| {
            looked_up(Key::Label(&word));
            self.labels.get(&word)
        }) {
            return Named::Bodies(b.clone());
        }
        let prefix = prefix.trim_end_matches('-').to_lowercase();
        if prefix.is_empty() {
            return Named::Nothing;
        }
        let bare = prefix.strip_suffix('s');
        match self
            .forms
            .get(&prefix)
            .or_else(|| bare.and_then(|p| self.forms.get(p)))
        {
            Some(b) => Named::Bodies(b.clone()),
            None => Named::Unknown,
        }
    }

    /// A "sak N/Y" reference: linked when the bodies it can mean and a date near
    /// it pick one meeting.
    fn item_ref(&self, number: &ItemNumber, bodies: &[BodyId], date: Option<NaiveDate>) -> Lookup {
        if bodies.is_empty() && date.is_none() {
            return Lookup::None;
        }
        looked_up(Key::Item(number));
        let Some(meetings) = self.by_item.get(number) else {
            return Lookup::None;
        };
        let candidates: Vec<MeetingId> = meetings
            .iter()
            .copied()
            .filter(|m| {
                let m = &self.archive.meetings[m.0];
                (bodies.is_empty() || bodies.contains(&m.body)) && date.is_none_or(|d| m.date == d)
            })
            .collect();
        let mi = match candidates.as_slice() {
            [] => return Lookup::None,
            [mi] => *mi,
            _ => return Lookup::Many(candidates),
        };
        let m = &self.archive.meetings[mi.0];
        let anchor = Some(number.anchor());
        let in_minutes = m
            .minutes
            .as_ref()
            .is_some_and(|d| d.items.iter().any(|i| &i.number == number));
        Lookup::One(if in_minutes || m.minutes.is_none() {
            Target::Meeting(mi, anchor)
        } else {
            Target::Notice(mi, anchor)
        })
    }

    /// «sak 12/2017 kan være Styret eller Arbeidsgruppen; lenket ikke».
    fn ambiguous(&self, what: &str, meetings: &[MeetingId]) -> String {
        let ms: Vec<&Meeting> = meetings
            .iter()
            .map(|m| &self.archive.meetings[m.0])
            .collect();
        let body = |m: &Meeting| self.archive.bodies[m.body.0].name.as_str();
        let mut distinct: Vec<BodyId> = ms.iter().map(|m| m.body).collect();
        distinct.sort();
        distinct.dedup();
        let names: Vec<String> = if distinct.len() == ms.len() {
            ms.iter().map(|m| body(m).to_string()).collect()
        } else {
            ms.iter()
                .map(|m| format!("{} ({})", body(m), m.slug))
                .collect()
        };
        let list = match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} eller {last}", rest.join(", ")),
            None => String::new(),
        };
        format!("{what} kan være {list}; lenket ikke")
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

/// A lookup a scan makes in the tables that come from the meetings (not from
/// the lists, whose change means reading everything again). Each is noted
/// while a document is scanned ([`noting_lookups`]), so that a later reading
/// can keep the scan while every lookup it made gives the same
/// ([`LinkIndex::values`]): a meeting added keeps the scans of every document
/// that never asked for its date, its item numbers or its path.
#[derive(Hash)]
enum Key<'k> {
    Date(NaiveDate),
    Item(&'k ItemNumber),
    Path(&'k str),
    AllPaths,
    Label(&'k str),
}

/// A key's hash, the same from one run of saksgang to the next (the memo is
/// kept between builds, and a new saksgang reads everything again).
fn key_hash(key: Key<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

thread_local! {
    /// The lookups of the scan running on this thread, if they are noted.
    static LOOKUPS: RefCell<Option<Vec<u64>>> = const { RefCell::new(None) };
}

fn looked_up(key: Key<'_>) {
    LOOKUPS.with(|l| {
        if let Some(keys) = l.borrow_mut().as_mut() {
            keys.push(key_hash(key));
        }
    });
}

/// Runs `f` (scans on this thread), and returns what it returns with the
/// lookups it made, sorted and without repeats.
pub(super) fn noting_lookups<R>(f: impl FnOnce() -> R) -> (R, Vec<u64>) {
    let outer = LOOKUPS.with(|l| l.replace(Some(Vec::new())));
    let r = f();
    let mut keys = LOOKUPS.with(|l| l.replace(outer)).unwrap_or_default();
    keys.sort_unstable();
    keys.dedup();
    keys.shrink_to_fit();
    (r, keys)
}

/// Adds `body` to a list of bodies once.
fn add_body(list: &mut Vec<BodyId>, body: BodyId) {
    if !list.contains(&body) {
        list.push(body);
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

/// The text pieces of one block joined by spaces, and where each piece stands
/// in the source, so that references are found in one string and linked where
/// they were written.
struct Joined {
    text: String,
    /// (start in `text`, start in the source, length) of each piece, in order.
    pieces: Vec<(usize, usize, usize)>,
}

impl Joined {
    fn new(block: &[(&str, usize)]) -> Self {
        let mut text = String::with_capacity(block.iter().map(|(t, _)| t.len() + 1).sum());
        let mut pieces = Vec::with_capacity(block.len());
        for (t, start) in block {
            if !text.is_empty() {
                text.push(' ');
            }
            pieces.push((text.len(), *start, t.len()));
            text.push_str(t);
        }
        work(text.len());
        Self { text, pieces }
    }

    /// Where `r` of the joined text is in the source, if it lies in one piece
    /// (a reference split by emphasis is left as text). `r` must not start
    /// before that of the last call with the same cursor.
    fn source(&self, cursor: &mut Cursor, r: Range<usize>) -> Option<Range<usize>> {
        while self
            .pieces
            .get(cursor.0)
            .is_some_and(|&(at, _, len)| at + len <= r.start)
        {
            work(1);
            cursor.0 += 1;
        }
        let &(at, source, len) = self.pieces.get(cursor.0)?;
        (r.start >= at && r.end <= at + len).then(|| source + r.start - at..source + r.end - at)
    }
}

/// The links (by range of the joined text) and the notes of one block.
#[derive(Default)]
struct Found {
    links: Vec<(Range<usize>, Target)>,
    notes: Vec<(Range<usize>, String)>,
}

/// What the word of a reference says about its body.
enum Named {
    /// A plain "sak" or "møte".
    Nothing,
    /// These bodies.
    Bodies(Vec<BodyId>),
    /// A first part that names no body ("foretaksmøte").
    Unknown,
}

/// The meetings a reference can mean.
enum Lookup {
    None,
    One(Target),
    Many(Vec<MeetingId>),
}

/// Of the bodies a word names, the one named near it if it is one of them.
fn choose(set: Vec<BodyId>, near: Option<BodyId>) -> Vec<BodyId> {
    match near {
        Some(b) if set.len() > 1 && set.contains(&b) => vec![b],
        _ => set,
    }
}

/// Whether an item reference with a year follows `end` (after commas and
/// spaces): "møte 1.2.2020, sak 3/2020" is linked by the item reference.
fn followed_by_item(text: &str, end: usize) -> bool {
    let after = &text[end..];
    let rest = after.trim_start_matches([',', ' ']);
    work(after.len() - rest.len());
    SAK_AT_START
        .captures(rest)
        .filter(|c| c.name("head").is_some_and(|h| h.start() == 0))
        .and_then(|c| c.name("list"))
        .is_some_and(|l| l.as_str().contains('/'))
}

/// A block of text prepared for finding what its references point at.
struct Context {
    /// Where body names stand in the lower-case block, with the name's place in
    /// [`LinkIndex::body_names`] and its body, in order of position and then name.
    names: Vec<(usize, usize, BodyId)>,
    /// The dates in the block (start, end, date), in order.
    dates: Vec<(usize, usize, NaiveDate)>,
    /// Where sentences start (after ". " and a capital letter), in order: a
    /// body is named near a reference only in the reference's sentence.
    sentences: Vec<usize>,
}

/// Where each of `body_names` is in `lower`, with its index and body: in one
/// pass with `finder` (of the names `patterns` picks: the ones not empty),
/// the matches that each name's own `match_indices` finds (left to right, not
/// overlapping another of the same name), in no particular order.
fn body_matches(
    finder: &AhoCorasick,
    patterns: &[usize],
    body_names: &[(String, BodyId)],
    lower: &str,
) -> Vec<(usize, usize, BodyId)> {
    let mut names = Vec::new();
    let mut end = vec![0; patterns.len()];
    for m in finder.find_overlapping_iter(lower) {
        let p = m.pattern().as_usize();
        if m.start() >= end[p] {
            end[p] = m.end();
            let n = patterns[p];
            names.push((m.start(), n, body_names[n].1));
        }
    }
    for (n, (name, body)) in body_names.iter().enumerate() {
        if name.is_empty() {
            names.extend(lower.match_indices("").map(|(i, _)| (i, n, *body)));
        }
    }
    names
}

impl Context {
    /// `year` is the document's, for dates written without one (0: none).
    fn new(text: &str, bodies: Option<&LinkIndex<'_>>, year: i32) -> Self {
        work(text.len());
        let dates = DATE
            .captures_iter(text)
            .filter_map(|c| {
                let whole = c.get(0)?;
                // "14.06.201." is a mistyped date, not 14 June.
                let yearless = c.get(3).is_none() && c.get(4).is_none() && c.get(5).is_none();
                if yearless && text[whole.end()..].starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                Some((whole.start(), whole.end(), date_of(&c, year)?))
            })
            .collect();
        let mut names = Vec::new();
        if let Some(index) = bodies {
            let lower = text.to_lowercase();
            work(lower.len());
            names = body_matches(
                &index.body_finder,
                &index.body_patterns,
                &index.body_names,
                &lower,
            );
        }
        names.sort_unstable_by_key(|&(i, n, _)| (i, n));
        let mut sentences = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if matches!(c, '.' | '!' | '?') {
                let mut next = chars.clone().skip_while(|(_, c)| *c == ' ');
                if chars.peek().is_some_and(|(_, c)| *c == ' ')
                    && next.next().is_some_and(|(_, c)| c.is_uppercase())
                {
                    sentences.push(i + 1);
                }
            }
        }
        Self {
            names,
            dates,
            sentences,
        }
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
        while self.sentences.get(cursor.1).is_some_and(|&s| s <= pos) {
            work(1);
            cursor.1 += 1;
        }
        let sentence_start = cursor.1.checked_sub(1).map_or(0, |k| self.sentences[k]);
        let sentence_end = self.sentences.get(cursor.1).copied().unwrap_or(usize::MAX);
        let (before, after) = names.split_at(cursor.0);
        // Only the names at the nearest position on either side can win (one
        // position holds at most one match of each name), and only in the
        // sentence of `pos`.
        let left = before.last().map(|n| n.0).filter(|&i| i >= sentence_start);
        let right = after.first().map(|n| n.0).filter(|&i| i < sentence_end);
        before
            .iter()
            .rev()
            .take_while(|n| Some(n.0) == left)
            .chain(after.iter().take_while(|n| Some(n.0) == right))
            .inspect(|_| work(1))
            .min_by_key(|&&(i, n, _)| (i.abs_diff(pos), n, i))
            .map(|&(_, _, b)| b)
    }

    /// The date of the meeting named last before `pos` in its sentence ("i
    /// møte 16.3.2017, sak 06/2017"): the last date that ends at or before
    /// `pos`, if it is one of `meeting_dates` (a date after "møte" or a body's
    /// name) and in the same sentence; a deadline ("innen 19. oktober") or a
    /// date of an earlier sentence says nothing about the item. `pos` must not
    /// be before that of the last call with the same cursor.
    /// The date of "i møtet 30.01.2024", "i styrets møte den 30. januar 2024"
    /// where it stands right at `pos` (after a list of item numbers).
    fn meeting_named_at(&self, text: &str, pos: usize) -> Option<NaiveDate> {
        let m = MEETING_AFTER.find(text.get(pos..)?)?;
        work(m.len());
        let at = pos + m.end();
        let k = self.dates.partition_point(|&(start, _, _)| start < at);
        self.dates
            .get(k)
            .filter(|&&(start, _, _)| start == at)
            .map(|&(_, _, date)| date)
    }

    fn date_before(
        &self,
        cursor: &mut Cursor,
        pos: usize,
        meeting_dates: &[bool],
    ) -> Option<NaiveDate> {
        while self
            .dates
            .get(cursor.0)
            .is_some_and(|&(_, end, _)| end <= pos)
        {
            work(1);
            cursor.0 += 1;
        }
        while self.sentences.get(cursor.1).is_some_and(|&s| s <= pos) {
            work(1);
            cursor.1 += 1;
        }
        let sentence_start = cursor.1.checked_sub(1).map_or(0, |k| self.sentences[k]);
        let k = cursor.0.checked_sub(1)?;
        let (start, _, date) = self.dates[k];
        (meeting_dates[k] && start >= sentence_start).then_some(date)
    }
}

/// A position in one of a [`Context`]'s lists, for lookups in text order
/// (and, for [`Context::body_near`], in its list of sentences).
#[derive(Default)]
struct Cursor(usize, usize);

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

/// What [`scan_for_tests`] found in one piece: prose references, resolved `@/`
/// links, diagnostics, and the work done.
#[cfg(test)]
pub(crate) type TestScan = (Vec<TextLink>, Vec<(String, Target)>, Vec<Diagnostic>, usize);

/// For the property tests (`crate::fuzz`): scans each range of `text` as one
/// piece of Markdown of a document of `meeting` (if any), in an item with the
/// title given with the range, as `resolve` does; returns what each scan found
/// and the work it did.
#[cfg(test)]
pub(crate) fn scan_for_tests(
    archive: &Archive,
    text: &str,
    pieces: &[(Range<usize>, String)],
    meeting: Option<MeetingId>,
) -> Vec<TestScan> {
    let index = LinkIndex::new(archive);
    pieces
        .iter()
        .map(|(range, title)| {
            let place = Place {
                body: meeting.map(|m| archive.meetings[m.0].body),
                meeting,
                year: meeting.map_or(0, |m| chrono::Datelike::year(&archive.meetings[m.0].date)),
                title,
            };
            let md = Markdown {
                file: crate::diag::FileId(0),
                range: range.clone(),
            };
            WORK.with(|w| w.set(0));
            let scan = index.scan(text, &md, &place);
            let work = WORK.with(|w| w.get());
            (scan.refs, scan.path_links, scan.diagnostics, work)
        })
        .collect()
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

/// Whether a text may hold a reference by a word ("sak", "møte", "PS"): a
/// cheap test before the others.
static REF_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i:sak|møte)|PS").expect("valid pattern"));

/// The longest gap between "møte" and its date ("i arbeidsgruppen den").
const MAX_GAP: usize = 60;
/// How far before a date a body's name is looked for.
const MAX_NAME: usize = 80;
/// What ends the gap between "møte" and a date: the end of a sentence or
/// clause, or a number.
const GAP_STOPS: &str = ".;:!?()[]\n0123456789";

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

/// A word ending in "sak" in any inflection ("sak", "saker", "styresak",
/// "RS-sak") or the label "PS", and a list of numbers, the last with a year:
/// "sak 06/2017", "saker 12, 13 og 14/2017".
const SAK_PATTERN: &str = r"(?:^|\W)(?P<head>(?i:(?P<prefix>(?:[\p{L}\d][\p{L}\d-]*?)?)sak(?:ene|en|er)?)|PS)\s+(?i:nr\.?\s*)?(?P<list>\d{1,3}[a-zA-Z]?(?:\s*/\s*(?:\d{4}|\d{2}))?(?:(?:\s*,\s*|\s+og\s+)\d{1,3}[a-zA-Z]?(?:\s*/\s*(?:\d{4}|\d{2}))?)*)(?-u:\b)";
static SAK_REF: LazyLock<Regex> = LazyLock::new(|| Regex::new(SAK_PATTERN).expect("valid pattern"));
/// [`SAK_REF`] where a text starts, for "møte 1.2.2020, sak 3/2020".
static SAK_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{SAK_PATTERN})")).expect("valid pattern"));
/// What names the meeting of items numbered within it, after their numbers:
/// " i møtet ", " i styrets møte den ", " fra rådsmøtet ".
static MEETING_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?:i|fra|på)\s+(?:[\p{L}\d-]+\s+)?[\p{L}\d-]*?møte(?:t)?\s+(?:den\s+)?")
        .expect("valid pattern")
});
/// One number of a list: "13", "06b/2016".
static ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{1,3}[a-zA-Z]?)(?:\s*/\s*(\d{4}|\d{2}))?").expect("valid pattern")
});
/// A word ending in a form of "møte": "møte", "møtet", "møtene", "styremøte",
/// "rådsmøtet"; group `word` is the word, group 2 its first part. Word starts are
/// found as a character that is no letter or digit before it, not by `\b`: a
/// Unicode word boundary keeps the regex engine from its fast automaton on
/// Norwegian text (three times the time of the whole check stage).
static MEETING_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\W)(?P<word>((?:[\p{L}\d][\p{L}\d-]*?)?)møte(?:ne|ts|t|r)?)(?-u:\b)")
        .expect("valid pattern")
});
/// "16.3.2017", "16.03.17", "16. mars 2017", and without a year "16. mars", "29.10.".
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(\d{1,2})\.\s?(?:(\d{1,2})\.(?:\s?(\d{4}|\d{2})\b)?|(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\b(?:\s+(\d{4})\b)?)",
    )
    .expect("valid pattern")
});

/// The date of a [`DATE`] match; `year` (the document's) when it has none.
fn date_of(c: &regex::Captures<'_>, year: i32) -> Option<NaiveDate> {
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    let day = n(1)?;
    let month = match (n(2), c.get(4)) {
        (Some(m), _) => m,
        (None, Some(name)) => {
            crate::norsk::MONTHS
                .iter()
                .position(|m| name.as_str().eq_ignore_ascii_case(m))? as u32
                + 1
        }
        (None, None) => return None,
    };
    let y = match c.get(3).or(c.get(5)) {
        Some(y) if y.len() == 2 => {
            let base = if year > 0 { year } else { 2000 };
            base - base.rem_euclid(100) + y.as_str().parse::<i32>().ok()?
        }
        Some(y) => y.as_str().parse().ok()?,
        None if year > 0 => year,
        None => return None,
    };
    NaiveDate::from_ymd_opt(y, month, day)
}

/// Small words after "møte" that make the date another one's ("utsatt til
/// 12.3.", "møte med kommunene 12.3.").
const NOT_IN_GAP: [&str; 20] = [
    "til", "fra", "før", "etter", "innen", "siden", "fram", "frem", "om", "og", "eller", "å", "at",
    "med", "mot", "mellom", "over", "under", "hos", "i",
];

const WEEKDAYS: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Site;

    #[test]
    fn body_names_are_found_in_one_pass_as_each_name_alone_finds_them() {
        let names: Vec<(String, BodyId)> =
            ["styret", "styre", "aa", "rådmannsgruppen", "gruppen", ""]
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), BodyId(i)))
                .collect();
        let patterns: Vec<usize> = (0..names.len())
            .filter(|n| !names[*n].0.is_empty())
            .collect();
        let finder = AhoCorasick::new(patterns.iter().map(|n| &names[*n].0)).unwrap();
        for text in [
            "styret og styrets leder; aaaa i rådmannsgruppen og gruppen",
            "ingen navn her",
            "aaa styrestyret",
            "",
        ] {
            let mut fast = body_matches(&finder, &patterns, &names, text);
            let mut each: Vec<(usize, usize, BodyId)> = names
                .iter()
                .enumerate()
                .flat_map(|(n, (name, body))| {
                    text.match_indices(name.as_str())
                        .map(move |(i, _)| (i, n, *body))
                })
                .collect();
            fast.sort_unstable();
            each.sort_unstable();
            assert_eq!(fast, each, "{text}");
        }
    }

    fn archive(municipalities: &[&str]) -> Archive {
        Archive {
            site: Site {
                title: String::new(),
                base_url: "/".into(),
                language: "nb".into(),
                description: None,
                theme: "default".into(),
                ..Default::default()
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
    fn the_forms_minutes_write_cost_their_length() {
        // Compound words, lists, month names, dates without a year, a body's
        // name before a date, gaps to the date, and words that look like a
        // reference but are not one: each a bounded amount of work per byte
        // when repeated into a paragraph of about 250 kB.
        let archive = fixture();
        let index = LinkIndex::new(&archive);
        let tr = archive.bodies.iter().position(|b| b.id == "tr").map(BodyId);
        let place = Place {
            body: tr,
            meeting: None,
            year: 2006,
            title: "",
        };
        let shapes = [
            ("regionrådsmøtet 9. mars 2006, TR-sak 35 og 36/06 ", 2),
            ("saker 20, 35 og 36/06 i regionrådet ", 3),
            ("møtet i regionrådet den 9. mars ", 1),
            ("regionrådet 09.03.06 og ", 1),
            ("møte møte møte 9.3. ", 1),
            ("foretaksmøte 9.3.2006 ", 0),
            ("møtene 1.2. og 9.3.2006 ", 2),
            ("PS 2/2020 ", 1),
            ("1.2. 3.4. 5.6. ", 0),
            (
                "møte i en lang rekke ord uten dato som går og går og går ",
                0,
            ),
        ];
        let limit = 12 + index.body_names.len();
        for (unit, links) in shapes {
            let (one, _) = scan_counting(&index, unit, &place);
            assert_eq!(one.len(), links, "{unit:?} alone");
            let n = 250_000 / unit.len();
            let text = unit.repeat(n);
            let (refs, work) = scan_counting(&index, &text, &place);
            assert!(
                work <= limit * text.len(),
                "{unit:?}: {work} steps for {} bytes",
                text.len()
            );
            assert!(refs.len() >= n * one.len() / 2, "{unit:?}");
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
        // (Not Felles styringsutvalg's meeting of 15.01.2020: it met twice that
        // day, so "styringsutvalgets møte 15.01.2020" could mean either.)
        let text = "Regionrådets møte 09.03.2006 behandlet budsjettet i sak 36/06.";
        let (refs, _) = scan_counting(&index, text, &place);
        let linked: Vec<&str> = refs.iter().map(|r| &text[r.range.clone()]).collect();
        assert_eq!(linked, ["møte 09.03.2006", "sak 36/06"]);
    }
}
