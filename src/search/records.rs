//! Records: what a search finds and shows. A record is a meeting's document
//! (its page), an item (sak), a thread (saksgang) or a municipality; its
//! words are made from the model when needed, one batch at a time, so that
//! the text of every record is never in memory at once.

use super::tokenize::number_term;
use crate::cache::{Fingerprint, Hasher128};
use crate::diag::Sources;
use crate::model::*;
use crate::norsk;
use crate::render::markdown::plain_text;
use crate::render::{Edition, urls};

/// What a record is; the number is its code in the index's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Municipality,
    Thread,
    Meeting,
    Item,
}

impl Kind {
    /// Its code in an entry: 0–3.
    pub(super) fn code(self) -> u32 {
        match self {
            Kind::Meeting => 0,
            Kind::Item => 1,
            Kind::Thread => 2,
            Kind::Municipality => 3,
        }
    }
}

/// Where a record comes from.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    Municipality(MunicipalityId),
    Thread(ThreadId),
    Document(MeetingId, DocumentKind),
    Item(MeetingId, DocumentKind, usize),
}

/// One search record, with its words.
pub(super) struct Record {
    pub(super) title: String,
    pub(super) href: String,
    /// The line under the title: body, date, document.
    pub(super) meta: String,
    /// Text that is searched and shown in snippets.
    pub(super) text: String,
    /// Terms that are not in the text as words (item numbers, dates), and
    /// whether they count as in the title.
    pub(super) extra: Vec<(String, bool)>,
}

/// Makes records from the model for one edition.
pub(super) struct Records<'a> {
    pub(super) archive: &'a Archive,
    pub(super) sources: &'a Sources,
    pub(super) edition: Edition,
}

impl Records<'_> {
    fn href(&self, path: String, anchor: Option<String>) -> String {
        let file = match self.edition {
            Edition::Web => path,
            Edition::Offline => format!("{path}index.html"),
        };
        match anchor {
            Some(a) => format!("{file}#{a}"),
            None => file,
        }
    }

    /// The words of one record, from the model; `last` keeps the strings of the
    /// document of the record before.
    pub(super) fn record(&self, source: Source, last: &mut Option<DocumentStrings>) -> Record {
        let archive = self.archive;
        match source {
            Source::Municipality(id) => {
                let m = &archive.municipalities[id.0];
                let mut text = Vec::new();
                text.extend(m.aliases.iter().cloned());
                text.extend(m.number.clone());
                text.extend(m.former_numbers.iter().map(|f| f.number.clone()));
                text.extend(m.region.clone());
                text.extend(m.note.clone());
                Record {
                    title: m.name.clone(),
                    href: self.href(urls::municipality(&m.id), None),
                    meta: match &m.number {
                        Some(n) => format!("Kommunenummer {n}"),
                        None => String::new(),
                    },
                    text: text.join(" · "),
                    extra: Vec::new(),
                }
            }
            Source::Thread(id) => {
                let t = &archive.threads[id.0];
                let mut text: Vec<String> = t.summary.iter().cloned().collect();
                let background = plain_text(&self.sources.text(t.background.file), &t.background);
                if !background.is_empty() {
                    text.push(background);
                }
                let mut extra = Vec::new();
                for step in &t.steps {
                    match step {
                        Step::Item {
                            meeting,
                            document,
                            item,
                            ..
                        } => {
                            if let Some(d) = archive.document(*meeting, *document) {
                                let n = &d.items[*item].number;
                                extra.extend(number_term(n).map(|t| (t, false)));
                            }
                        }
                        Step::Outside { text: t, .. } => text.push(t.clone()),
                    }
                }
                Record {
                    title: t.title.clone(),
                    href: self.href(urls::thread(&t.id), None),
                    meta: String::from("Saksgang"),
                    text: text.join("\n"),
                    extra,
                }
            }
            Source::Document(m, kind) | Source::Item(m, kind, _) => {
                let meeting = &archive.meetings[m.0];
                let doc = archive
                    .document(m, kind)
                    .expect("records are made only for documents that exist");
                let body = &archive.bodies[meeting.body.0];
                // A document's items follow it: its strings are made once.
                if last.as_ref().is_none_or(|l| l.document != (m, kind)) {
                    let document_name = match kind {
                        DocumentKind::Minutes => "referat",
                        DocumentKind::Notice => "innkalling",
                    };
                    *last = Some(DocumentStrings {
                        document: (m, kind),
                        page: if kind == DocumentKind::Notice && meeting.minutes.is_some() {
                            urls::notice(&meeting.slug)
                        } else {
                            urls::meeting(&meeting.slug)
                        },
                        meta: format!(
                            "{} · {} · {document_name}",
                            body.name,
                            norsk::short_date(meeting.date)
                        ),
                        date_term: meeting.date.format("%Y-%m-%d").to_string(),
                    });
                }
                let strings = last.as_ref().expect("just made");
                let (page, meta, date_term) = (
                    strings.page.clone(),
                    strings.meta.clone(),
                    strings.date_term.clone(),
                );
                let title_kind = match kind {
                    DocumentKind::Minutes => "Referat",
                    DocumentKind::Notice => "Innkalling",
                };
                let src = &self.sources.text(doc.file);
                if let Source::Item(_, _, i) = source {
                    let item = &doc.items[i];
                    let text: Vec<String> = item
                        .parts
                        .iter()
                        .filter_map(|p| part_text(src, p))
                        .collect();
                    let mut extra = vec![(date_term, false)];
                    extra.extend(number_term(&item.number).map(|t| (t, true)));
                    return Record {
                        title: item.heading.to_string(),
                        href: self.href(page, Some(item.number.anchor())),
                        meta,
                        text: text.join("\n"),
                        extra,
                    };
                }
                let mut text: Vec<String> = Vec::new();
                text.extend(doc.title.clone());
                text.extend(doc.place.clone());
                for p in doc.present.iter().chain(&doc.absent) {
                    text.push(p.name.to_string());
                }
                for part in &doc.preamble {
                    text.extend(part_text(src, part));
                }
                Record {
                    title: format!(
                        "{title_kind}: {} {}",
                        body.name,
                        norsk::long_date(meeting.date)
                    ),
                    href: self.href(page, None),
                    meta,
                    text: text.join("\n"),
                    extra: vec![(date_term, true)],
                }
            }
        }
    }
}

impl Records<'_> {
    /// A fingerprint of everything [`Records::record`] reads for a
    /// document's record and its items' records, without reading its text:
    /// the file's path, length and checksum stand for it (the text itself
    /// where there is no file). Spans are taken, file numbers are not (they
    /// shift when a file is added), so that the same document in the same
    /// archive has the same key from one build to the next.
    pub(super) fn document_key(&self, m: MeetingId, kind: DocumentKind) -> Fingerprint {
        let archive = self.archive;
        let meeting = &archive.meetings[m.0];
        let doc = archive
            .document(m, kind)
            .expect("records are made only for documents that exist");
        let mut h = Hasher128::new();
        h.add_str(&format!(
            "{:?} {kind:?} {} {} {}",
            self.edition,
            meeting.date,
            meeting.minutes.is_some(),
            doc.items.len()
        ));
        h.add_str(&meeting.slug);
        h.add_str(&archive.bodies[meeting.body.0].name);
        self.add_file(&mut h, doc.file);
        for s in doc.title.iter().chain(&doc.place) {
            h.add_str(s);
        }
        h.add(&(doc.present.len() as u64).to_le_bytes());
        for p in doc.present.iter().chain(&doc.absent) {
            h.add_str(&p.name);
        }
        add_parts(&mut h, &doc.preamble);
        for item in &doc.items {
            h.add_str(&item.heading);
            h.add_str(&format!("{:?}", item.number));
            add_parts(&mut h, &item.parts);
        }
        h.finish()
    }
}

impl Records<'_> {
    /// A fingerprint of everything [`Records::record`] reads for a thread's
    /// record, as [`Records::document_key`] does for a document's.
    pub(super) fn thread_key(&self, id: ThreadId) -> Fingerprint {
        let archive = self.archive;
        let t = &archive.threads[id.0];
        let mut h = Hasher128::new();
        h.add_str(&format!("{:?} saksgang", self.edition));
        h.add_str(&t.id);
        h.add_str(&t.title);
        h.add_str(t.summary.as_deref().unwrap_or(""));
        h.add(&[u8::from(t.summary.is_some())]);
        self.add_file(&mut h, t.background.file);
        h.add(&(t.background.range.start as u64).to_le_bytes());
        h.add(&(t.background.range.end as u64).to_le_bytes());
        for step in &t.steps {
            match step {
                Step::Item {
                    meeting,
                    document,
                    item,
                    ..
                } => {
                    h.add(b"s");
                    if let Some(d) = archive.document(*meeting, *document) {
                        h.add_str(number_term(&d.items[*item].number).as_deref().unwrap_or(""));
                    }
                }
                Step::Outside { text, .. } => {
                    h.add(b"o");
                    h.add_str(text);
                }
            }
        }
        h.finish()
    }

    /// What stands for a file's text in a key: its path, length and
    /// 128-bit hash, or the text itself where there is no file.
    fn add_file(&self, h: &mut Hasher128, file: crate::diag::FileId) {
        match self.sources.stamp(file) {
            Some((path, len, hash)) => {
                h.add_str(&path.to_string_lossy());
                h.add(&(len as u64).to_le_bytes());
                h.add(&hash.to_le_bytes());
            }
            None => h.add_str(&self.sources.text(file)),
        }
    }
}

/// The parts a record's text is made of, into a fingerprint (spans, not files).
fn add_parts(h: &mut Hasher128, parts: &[Part]) {
    h.add(&(parts.len() as u64).to_le_bytes());
    for part in parts {
        match part {
            Part::Text(md) => {
                h.add(b"t");
                h.add(&(md.range.start as u64).to_le_bytes());
                h.add(&(md.range.end as u64).to_le_bytes());
            }
            Part::Heading { text, .. } => {
                h.add(b"h");
                h.add_str(text);
            }
            Part::Decision(d) => {
                h.add(b"d");
                h.add_str(&d.heading);
                h.add(&(d.body.range.start as u64).to_le_bytes());
                h.add(&(d.body.range.end as u64).to_le_bytes());
            }
        }
    }
}

/// Strings shared by a document's record and its items' records.
pub(super) struct DocumentStrings {
    document: (MeetingId, DocumentKind),
    page: String,
    meta: String,
    date_term: String,
}

pub(super) fn kind_of(source: Source) -> Kind {
    match source {
        Source::Municipality(_) => Kind::Municipality,
        Source::Thread(_) => Kind::Thread,
        Source::Document(..) => Kind::Meeting,
        Source::Item(..) => Kind::Item,
    }
}

pub(super) fn meeting_of(source: Source) -> Option<MeetingId> {
    match source {
        Source::Document(m, _) | Source::Item(m, _, _) => Some(m),
        _ => None,
    }
}

/// Every record, in id order: municipalities and threads first (no date), then
/// meetings and their items by date, so that a year is a range of ids.
pub(super) fn sources_in_order(archive: &Archive) -> Vec<Source> {
    let mut out = Vec::new();
    let mut municipalities: Vec<(usize, &Municipality)> =
        archive.municipalities.iter().enumerate().collect();
    norsk::sort_by_name(&mut municipalities, |(_, m)| &m.name);
    out.extend(
        municipalities
            .into_iter()
            .map(|(i, _)| Source::Municipality(MunicipalityId(i))),
    );
    out.extend((0..archive.threads.len()).map(|i| Source::Thread(ThreadId(i))));
    let mut meetings: Vec<usize> = (0..archive.meetings.len()).collect();
    meetings.sort_by(|a, b| {
        let (a, b) = (&archive.meetings[*a], &archive.meetings[*b]);
        a.date.cmp(&b.date).then_with(|| a.slug.cmp(&b.slug))
    });
    for i in meetings {
        let m = &archive.meetings[i];
        for doc in m.documents() {
            out.push(Source::Document(MeetingId(i), doc.kind));
            out.extend((0..doc.items.len()).map(|n| Source::Item(MeetingId(i), doc.kind, n)));
        }
    }
    out
}

fn part_text(src: &str, part: &Part) -> Option<String> {
    match part {
        Part::Text(md) => Some(plain_text(src, md)),
        Part::Heading { text, .. } => Some(text.clone()),
        Part::Decision(d) => Some(format!("{}\n{}", d.heading, plain_text(src, &d.body))),
    }
    .filter(|t| !t.is_empty())
}

/// Text kept for a record's snippet: all of a short one; of a longer one its
/// beginning and its end (where an item's decision is), cut between words.
pub(super) fn cut_for_snippet(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= SNIPPET_HEAD + SNIPPET_TAIL {
        return text.into();
    }
    let mut head = SNIPPET_HEAD;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let head = text[..head].rfind(char::is_whitespace).unwrap_or(head);
    let mut tail = text.len() - SNIPPET_TAIL;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    let tail = text[tail..]
        .find(char::is_whitespace)
        .map_or(tail, |n| tail + n);
    format!(
        "{} …\n{}",
        text[..head].trim_end(),
        text[tail..].trim_start()
    )
    .into()
}

/// Bytes of a long text's beginning kept for its snippet.
const SNIPPET_HEAD: usize = 480;

/// Bytes of a long text's end kept for its snippet.
const SNIPPET_TAIL: usize = 240;
