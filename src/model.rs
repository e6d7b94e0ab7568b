//! The archive as saksgang understands it, after `resolve`: typed ids, parsed dates,
//! items split out of the Markdown, references and threads joined up.
//!
//! These are plain data types with no behaviour beyond small lookups. `load`
//! produces the raw, as-written shapes (see `load.rs`); `resolve` turns them into
//! these; `render` reads them and builds its own view structs for the templates.
//! Markdown is kept as byte ranges into the document's source text, so that the
//! words of the minutes are never copied or changed on the way.

use std::ops::Range;

use chrono::NaiveDate;

use crate::diag::FileId;

/// Index of a body in [`Archive::bodies`].
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct BodyId(pub usize);
/// Index of a municipality in [`Archive::municipalities`].
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct MunicipalityId(pub usize);
/// Index of a meeting in [`Archive::meetings`].
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct MeetingId(pub usize);
/// Index of a thread in [`Archive::threads`].
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct ThreadId(pub usize);
/// Index of a person in [`Archive::people`].
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct PersonId(pub usize);

impl PersonId {
    /// Not yet known: a participant's person is found when all documents are read.
    pub const UNKNOWN: PersonId = PersonId(usize::MAX);
}

/// The whole archive.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct Archive {
    /// Settings from `site.yaml`.
    pub site: Site,
    /// Bodies in the order of `bodies.yaml`.
    pub bodies: Vec<Body>,
    /// Municipalities and counties in the order of `municipalities.yaml`.
    pub municipalities: Vec<Municipality>,
    /// People from `people.yaml`, and every other name met in the minutes.
    pub people: Vec<Person>,
    /// Meetings ordered by date, then body id, then slug.
    pub meetings: Vec<Meeting>,
    /// Threads ordered by id.
    pub threads: Vec<Thread>,
    /// Every `@/path.md#anchor` link of the content, with its target.
    pub path_links: std::collections::BTreeMap<String, Target>,
}

/// Settings from `site.yaml`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default)]
pub struct Site {
    /// The site's name.
    pub title: String,
    /// Where the web build is published, ending in `/`.
    pub base_url: String,
    /// Language code, `nb`.
    pub language: String,
    /// One sentence about the archive.
    pub description: Option<String>,
    /// The theme folder name under `themes/`.
    pub theme: String,
    /// Who the archive belongs to (`owner:`), shown at the top of every page.
    pub owner: Option<String>,
    /// The owner's logo (`logo:`), checked against the theme by `build`.
    pub logo: Option<Logo>,
    /// How to reach the owner (`contact:`), as written.
    pub contact: Option<String>,
    /// The accessibility statement in Markdown (`accessibility_statement:`);
    /// the theme has a default text when there is none.
    pub accessibility_statement: Option<String>,
}

/// The logo of `site.yaml`: a file in the theme's `static/` folder.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Logo {
    /// The path under `static/` as written (`logo.svg`, `bilder/logo.png`).
    pub path: String,
    /// site.yaml, when the value stands there.
    pub file: Option<FileId>,
    /// Where the value stands in site.yaml.
    pub span: Range<usize>,
}

/// A body (organ) that meets.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Body {
    /// The id used in URLs.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The organisation it belongs to.
    pub organisation: Option<String>,
    /// Names the minutes use for it in running text (lower case).
    pub aliases: Vec<String>,
}

/// Whether an entry of `municipalities.yaml` is a municipality or a county.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MunicipalityKind {
    /// Kommune.
    Municipality,
    /// Fylkeskommune.
    County,
}

/// A number a municipality had before.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct FormerNumber {
    /// The number.
    pub number: String,
    /// The last day it was used.
    pub valid_to: Option<NaiveDate>,
}

/// A municipality or county.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Municipality {
    /// The id used in URLs.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Municipality number, as a string (leading zeros).
    pub number: Option<String>,
    /// Numbers it had before.
    pub former_numbers: Vec<FormerNumber>,
    /// Region (delregion).
    pub region: Option<String>,
    /// Municipality or county.
    pub kind: MunicipalityKind,
    /// Other spellings met in the minutes.
    pub aliases: Vec<String>,
    /// Last day it existed, if it was merged or split.
    pub valid_to: Option<NaiveDate>,
    /// What it became part of.
    pub merged_into: Vec<MunicipalityId>,
    /// Free text about its history.
    pub note: Option<String>,
}

/// One person, with the spellings the minutes use for them.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Person {
    /// The name as `people.yaml` writes it, or as first met.
    pub name: String,
    /// Other spellings.
    pub aliases: Vec<String>,
}

/// One meeting of one body: its minutes, its notice, or both.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct Meeting {
    /// URL part: `2017-06-01-radmannsgruppen`.
    pub slug: String,
    /// The body that met.
    pub body: BodyId,
    /// First day.
    pub date: NaiveDate,
    /// Last day, for meetings over several days.
    pub end_date: Option<NaiveDate>,
    /// The minutes (referat), once they are written. Boxed, like the notice,
    /// because most meetings have only one of the two.
    pub minutes: Option<Box<Document>>,
    /// The notice (innkalling).
    pub notice: Option<Box<Document>>,
}

impl Meeting {
    /// The document the meeting page shows: the minutes, or the notice until they come.
    pub fn main_document(&self) -> &Document {
        self.minutes
            .as_deref()
            .or(self.notice.as_deref())
            .expect("resolve never makes a meeting without a document")
    }

    /// Both documents, notice first.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.notice
            .as_deref()
            .into_iter()
            .chain(self.minutes.as_deref())
    }
}

/// Notice or minutes.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum DocumentKind {
    /// Innkalling: the agenda and proposals sent before the meeting.
    Notice,
    /// Referat: what the meeting decided.
    Minutes,
}

/// One file of a meeting.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Document {
    /// The file it came from.
    pub file: FileId,
    /// Its path under `content/`, as used in `@/` links: `meetings/2017/x.md`.
    pub content_path: String,
    /// Notice or minutes.
    pub kind: DocumentKind,
    /// The title line as printed.
    pub title: Option<String>,
    /// Time, as written.
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Who attended, in the order of the document.
    pub present: Vec<Participant>,
    /// Who sent apologies (forfall), in the order of the document.
    pub absent: Vec<Participant>,
    /// The secretariat.
    pub secretariat: Vec<String>,
    /// Old URLs of this page.
    pub aliases: Vec<Alias>,
    /// Everything before the first item.
    pub preamble: Vec<Part>,
    /// The items, in the order the document prints them.
    pub items: Vec<Item>,
    /// Sections after the items (`## Vedlegg`), in order.
    pub after: Vec<Part>,
    /// Resolved references in the text of this document, sorted by where they start.
    pub links: Vec<TextLink>,
}

/// An old address of a page (`aliases:`), where a redirect page is written.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Alias {
    /// The site path, normalised: `/gammel/` (a folder) or `/gammel.html` (a file).
    pub path: String,
    /// The file that names it.
    pub file: FileId,
    /// Where in that file.
    pub span: Range<usize>,
}

impl Alias {
    /// The file the redirect is written to, in the output: `gammel/index.html`.
    pub fn output_file(&self) -> String {
        let p = self.path.trim_start_matches('/');
        if p.is_empty() || p.ends_with('/') {
            format!("{p}index.html")
        } else {
            p.to_string()
        }
    }
}

/// Where a participant comes from.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum Affiliation {
    /// A member municipality or county.
    Municipality(MunicipalityId),
    /// Anything else: KS, Statsforvalteren, a union.
    Organisation(Box<str>),
}

/// Someone present or absent.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Participant {
    /// The name as this document writes it.
    pub name: Box<str>,
    /// The person it is (joins spellings).
    pub person: PersonId,
    /// Municipality or organisation.
    pub affiliation: Affiliation,
    /// Whom they stand in for, as written.
    pub substitute_for: Option<Box<str>>,
    /// Role, as written.
    pub role: Option<Box<str>>,
    /// Whether the role marks the chair.
    pub chair: bool,
    /// Free note, as written ("dag 1").
    pub note: Option<Box<str>>,
    /// The label the original lists them under ("Fra administrasjonene").
    pub group: Option<Box<str>>,
}

/// A piece of Markdown: a byte range into the document's source file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// The file.
    pub file: FileId,
    /// The range of the Markdown source.
    pub range: Range<usize>,
}

/// Proposal or decision.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionKind {
    /// Forslag til vedtak, innstilling.
    Proposal,
    /// Vedtak.
    Decision,
}

/// One block of an item, preamble or closing section, in document order.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub enum Part {
    /// Running text.
    Text(Markdown),
    /// A heading that is not a decision: a sub-item (`### A Fra KS`), a topic, or a
    /// section of the meeting (`## Vedlegg`).
    Heading {
        /// Markdown level, 2 to 6.
        level: u8,
        /// The heading text, as written.
        text: String,
        /// The anchor, for lettered sub-items: `sak-08-2017-b`.
        anchor: Option<String>,
    },
    /// A decision or proposal block (boxed: parts are many, and most are text).
    Decision(Box<Decision>),
}

/// A decision (vedtak) or proposal (forslag til vedtak) block.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Decision {
    /// Proposal or decision.
    pub kind: DecisionKind,
    /// The heading as written ("Vedtak/innstilling:").
    pub heading: String,
    /// Markdown level of the heading.
    pub level: u8,
    /// The letter of the sub-item it belongs to, if any.
    pub sub_item: Option<String>,
    /// The text of the decision.
    pub body: Markdown,
}

/// The identity of an item: what its heading's number means, and so its anchor.
///
/// Most bodies number items through the year (`04/2017`: the 4th item of the body
/// in 2017); some number them within each meeting (`Sak 2.`), where the number
/// alone says nothing outside that meeting.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum ItemNumber {
    /// Numbered through the body's year: `04/2017`.
    Year {
        /// `04`, `120`, `06b`.
        number: String,
        /// `2017`.
        year: i32,
    },
    /// Numbered within its meeting: `02`.
    Meeting {
        /// `02`, `12`, `03b`.
        number: String,
    },
}

impl ItemNumber {
    /// The number padded to two digits: `04`, `120`, `06b`.
    pub fn number(&self) -> &str {
        match self {
            ItemNumber::Year { number, .. } | ItemNumber::Meeting { number } => number,
        }
    }

    /// The year of an item numbered through the year.
    pub fn year(&self) -> Option<i32> {
        match self {
            ItemNumber::Year { year, .. } => Some(*year),
            ItemNumber::Meeting { .. } => None,
        }
    }

    /// `04/2017`, or `02` for an item numbered within its meeting.
    pub fn display(&self) -> String {
        match self {
            ItemNumber::Year { number, year } => format!("{number}/{year}"),
            ItemNumber::Meeting { number } => number.clone(),
        }
    }

    /// `sak-04-2017`, or `sak-02`.
    pub fn anchor(&self) -> String {
        match self {
            ItemNumber::Year { number, year } => format!("sak-{number}-{year}"),
            ItemNumber::Meeting { number } => format!("sak-{number}"),
        }
    }
}

/// An agenda item (sak).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Item {
    /// Its identity.
    pub number: ItemNumber,
    /// The whole heading as written: `TR-sak 35/06: Forvaltningsreformen`.
    pub heading: Box<str>,
    /// End of the label in the heading (0 without one).
    pub label_end: u32,
    /// The number as written, as a range of the heading.
    pub number_at: (u32, u32),
    /// Where the title starts in the heading.
    pub title_start: u32,
    /// Text, sub-items and decisions, in order.
    pub parts: Vec<Part>,
    /// The threads this item (or one of its sub-items) belongs to.
    pub threads: Vec<ItemThread>,
    /// Where the item's heading is, for diagnostics.
    pub heading_span: Range<usize>,
    /// Municipalities the item's text names.
    pub mentions: Vec<MunicipalityId>,
}

impl Item {
    /// The label as written: `Sak`, `TR-sak`, `PS`.
    pub fn label(&self) -> Option<&str> {
        (self.label_end > 0).then(|| &self.heading[..self.label_end as usize])
    }

    /// The number as written: `4/2017`, `35/06`, `2.`.
    pub fn number_as_written(&self) -> &str {
        &self.heading[self.number_at.0 as usize..self.number_at.1 as usize]
    }

    /// The title as written.
    pub fn title(&self) -> &str {
        &self.heading[self.title_start as usize..]
    }

    /// The decisions and proposals of the item, optionally only those of one sub-item.
    pub fn decisions(&self, sub_item: Option<&str>) -> impl Iterator<Item = &Decision> {
        self.parts.iter().filter_map(move |p| match p {
            Part::Decision(d) if sub_item.is_none() || d.sub_item.as_deref() == sub_item => {
                Some(d.as_ref())
            }
            _ => None,
        })
    }
}

/// An item's membership of a thread.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ItemThread {
    /// The thread.
    pub thread: ThreadId,
    /// The sub-item letter, when only a sub-item belongs to the thread.
    pub sub_item: Option<String>,
}

/// A reference in running text that points into the archive.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TextLink {
    /// Byte range of the reference in the source file.
    pub range: Range<usize>,
    /// Where it points.
    pub target: Target,
}

/// A place on the site that a link can point to.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Target {
    /// A meeting page, optionally at an anchor.
    Meeting(MeetingId, Option<String>),
    /// A meeting's notice page, optionally at an anchor.
    Notice(MeetingId, Option<String>),
    /// A thread page.
    Thread(ThreadId),
    /// A municipality page.
    Municipality(MunicipalityId),
    /// A body page.
    Body(BodyId),
}

/// Where a thread stands.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadStatus {
    /// Still being treated.
    Open,
    /// Decided.
    Decided,
    /// Closed without a decision, or no longer followed.
    Closed,
}

/// A matter followed across meetings and bodies (saksgang).
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct Thread {
    /// The id used in URLs (file name).
    pub id: String,
    /// Title.
    pub title: String,
    /// One sentence.
    pub summary: Option<String>,
    /// Status.
    pub status: ThreadStatus,
    /// Background text.
    pub background: Markdown,
    /// Old URLs of this page.
    pub aliases: Vec<Alias>,
    /// Resolved references in the background text, sorted by where they start.
    pub links: Vec<TextLink>,
    /// Every step, in date order.
    pub steps: Vec<Step>,
}

/// One step of a thread.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub enum Step {
    /// An item of a document in the archive.
    Item {
        /// The meeting.
        meeting: MeetingId,
        /// Which of its documents.
        document: DocumentKind,
        /// Index in that document's items.
        item: usize,
        /// The sub-item letter, if only a sub-item belongs to the thread.
        sub_item: Option<String>,
    },
    /// A step known to have happened, whose documents are not in the archive.
    Outside {
        /// When.
        date: NaiveDate,
        /// Which body, if known.
        body: Option<BodyId>,
        /// What happened.
        text: String,
    },
}

impl Archive {
    /// The document of a meeting of the given kind.
    pub fn document(&self, meeting: MeetingId, kind: DocumentKind) -> Option<&Document> {
        let m = &self.meetings[meeting.0];
        match kind {
            DocumentKind::Minutes => m.minutes.as_deref(),
            DocumentKind::Notice => m.notice.as_deref(),
        }
    }
}
