//! View structs: what the templates see.
//!
//! Every field is plain data (strings, numbers, lists), already formatted in
//! Norwegian. Addresses (`href`) are site paths without a leading slash
//! (`moter/2017-06-01-radmannsgruppen/`); templates put `{{ root }}` in front, so
//! links are relative and work under any `base_url` path. Fields holding HTML are
//! named `html` (or `background`) and are the only ones templates mark `safe`.

use std::cell::Cell;

use serde::{Serialize, Serializer};

use crate::cache::Fingerprint;
use crate::model::{Decision, DecisionKind};

std::thread_local! {
    /// Set while a page's view is hashed for its fingerprint: an [`Html`]
    /// then gives the fingerprint of what it is made from, not its text.
    static FINGERPRINTING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every [`Html`] serialized as the fingerprint of what it is
/// made from (for hashing a view without making its HTML).
pub(crate) fn fingerprinting<R>(f: impl FnOnce() -> R) -> R {
    with_flag(&FINGERPRINTING, f)
}

/// Runs `f` with the thread's `flag` set, and puts it back as it was after
/// (also if `f` panics).
pub(crate) fn with_flag<R>(
    flag: &'static std::thread::LocalKey<Cell<bool>>,
    f: impl FnOnce() -> R,
) -> R {
    struct Reset(&'static std::thread::LocalKey<Cell<bool>>, bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            self.0.set(self.1);
        }
    }
    let _reset = Reset(flag, flag.replace(true));
    f()
}

/// Something made from the minutes' text (HTML from Markdown, a diff), with
/// the fingerprint of everything it is made from (the text, its references
/// and where they lead, the page's depth). A view made only to be
/// fingerprinted leaves the value out: a page that did not change never reads
/// its texts again nor runs the Markdown renderer. A template sees the value.
#[derive(Debug, Clone)]
pub struct Deferred<T> {
    key: Fingerprint,
    value: Option<T>,
}

/// HTML made from a piece of the minutes' Markdown.
pub type Html = Deferred<String>;

impl<T> Deferred<T> {
    /// `value` (None in a view made only to be fingerprinted), made from what
    /// has the fingerprint `key`.
    pub(crate) fn new(key: Fingerprint, value: Option<T>) -> Self {
        Self { key, value }
    }

    /// The value, if it was made.
    pub fn into_value(self) -> Option<T> {
        self.value
    }
}

impl<T: Serialize> Serialize for Deferred<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if FINGERPRINTING.get() {
            return s.serialize_u128(self.key);
        }
        match &self.value {
            Some(value) => value.serialize(s),
            None => Err(serde::ser::Error::custom(
                "teksten til siden ble ikke laget (en feil i saksgang)",
            )),
        }
    }
}

/// The site, on every page.
#[derive(Debug, Serialize)]
pub struct SiteView {
    /// Site name.
    pub title: String,
    /// One sentence about the archive.
    pub description: Option<String>,
    /// `nb`.
    pub language: String,
    /// The web address of the archive, shown (not linked) in the offline edition.
    pub base_url: String,
    /// Who the archive belongs to.
    pub owner: Option<String>,
    /// The owner's logo, a path under the site root (`static/logo.svg`).
    pub logo: Option<String>,
    /// The contact line, in pieces: e-mail addresses get a `mailto:` address.
    pub contact: Vec<ContactPart>,
}

/// A piece of the contact line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ContactPart {
    /// The text as written.
    pub text: String,
    /// `mailto:…` when the text is plainly an e-mail address.
    pub mailto: Option<String>,
}

/// The contact line of site.yaml in pieces, with each word that is plainly an
/// e-mail address (`navn@domene.no`, nothing else in it) as a piece of its own
/// with a `mailto:` address. Punctuation after an address stays text.
pub fn contact_parts(line: &str) -> Vec<ContactPart> {
    let mut parts: Vec<ContactPart> = Vec::new();
    let push_text = |parts: &mut Vec<ContactPart>, t: &str| {
        if t.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(last) if last.mailto.is_none() => last.text.push_str(t),
            _ => parts.push(ContactPart {
                text: t.to_string(),
                mailto: None,
            }),
        }
    };
    let mut rest = line;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        let (space, after) = rest.split_at(start);
        push_text(&mut parts, space);
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let (word, tail) = after.split_at(end);
        let core = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        if is_email(core) {
            parts.push(ContactPart {
                text: core.to_string(),
                mailto: Some(format!("mailto:{core}")),
            });
            push_text(&mut parts, &word[core.len()..]);
        } else {
            push_text(&mut parts, word);
        }
        rest = tail;
    }
    parts
}

/// Whether `s` is plainly an e-mail address: one `@`, a local part of letters,
/// digits and `.`, `_`, `%`, `+`, `-`, and a domain of at least two labels of
/// letters, digits and `-`.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'))
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|l| l.chars().all(char::is_alphabetic) && l.len() >= 2)
}

/// The accessibility statement page.
#[derive(Debug, Serialize)]
pub struct AccessibilityPage {
    /// `Tilgjengelighetserklæring`.
    pub title: String,
    /// The statement of site.yaml as HTML from the Markdown renderer; `None`
    /// for the theme's default text.
    pub statement: Option<String>,
}

/// A link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Site path.
    pub href: String,
    /// Link text.
    pub text: String,
}

impl Link {
    /// A link to `href` with `text`.
    pub fn new(href: String, text: &str) -> Self {
        Self {
            href,
            text: text.to_string(),
        }
    }
}

/// A link to a meeting, with what a list needs to show about it.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingLink {
    /// Site path.
    pub href: String,
    /// Body name.
    pub body: String,
    /// `23.02.2017`.
    pub date: String,
    /// `torsdag 23. februar 2017`.
    pub date_long: String,
    /// `2017-02-23`, for `<time datetime>`.
    pub date_iso: String,
    /// Whether the minutes are published.
    pub has_minutes: bool,
}

/// One block of an item, preamble or closing section.
#[derive(Debug, Serialize)]
pub struct PartView {
    /// `text`, `heading` or `decision`.
    pub kind: String,
    /// Rendered HTML (text and decision; empty for a heading).
    pub html: Html,
    /// Heading level, 2–6.
    pub level: u8,
    /// Heading text.
    pub text: String,
    /// Anchor of a lettered sub-item.
    pub anchor: Option<String>,
    /// `proposal` or `decision`.
    pub decision_kind: String,
    /// "Saksgang" boxes of a sub-item, shown by its heading.
    pub threads: Vec<ThreadBox>,
}

impl PartView {
    pub(crate) fn text(html: Html) -> Self {
        Self {
            kind: "text".into(),
            html,
            level: 0,
            text: String::new(),
            anchor: None,
            decision_kind: String::new(),
            threads: Vec::new(),
        }
    }

    pub(crate) fn heading(level: u8, text: &str, anchor: Option<String>) -> Self {
        Self {
            kind: "heading".into(),
            html: Html::new(0, Some(String::new())),
            level: level.clamp(2, 6),
            text: text.to_string(),
            anchor,
            decision_kind: String::new(),
            threads: Vec::new(),
        }
    }

    pub(crate) fn decision(d: &Decision, html: Html) -> Self {
        Self {
            kind: "decision".into(),
            html,
            level: d.level.clamp(2, 6),
            text: d.heading.clone(),
            anchor: None,
            decision_kind: match d.kind {
                DecisionKind::Proposal => "proposal",
                DecisionKind::Decision => "decision",
            }
            .into(),
            threads: Vec::new(),
        }
    }
}

/// Numbers for the front page.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Meetings.
    pub meetings: usize,
    /// Threads.
    pub threads: usize,
    /// Municipalities.
    pub municipalities: usize,
    /// Bodies.
    pub bodies: usize,
}

/// The front page.
#[derive(Debug, Serialize)]
pub struct FrontPage {
    /// Page title.
    pub title: String,
    /// The newest meetings.
    pub newest: Vec<MeetingLink>,
    /// Threads still open.
    pub open_threads: Vec<ThreadSummary>,
    /// Sizes.
    pub counts: Counts,
}

/// Meetings of one year.
#[derive(Debug, Serialize)]
pub struct YearOfMeetings {
    /// Year.
    pub year: i32,
    /// Meetings, newest first.
    pub meetings: Vec<MeetingLink>,
}

/// A link to the page of one year.
#[derive(Debug, Serialize)]
pub struct YearLink {
    /// Year.
    pub year: i32,
    /// Site path.
    pub href: String,
    /// How many meetings that year; none on a year page's links to the other
    /// years (see `lists::uncounted`).
    pub count: Option<usize>,
}

/// `/moter/` and `/moter/2017/`.
#[derive(Debug, Serialize)]
pub struct MeetingList {
    /// Page title.
    pub title: String,
    /// The year of a year page.
    pub year: Option<i32>,
    /// Meetings by year, newest first (all of them, or the year's).
    pub years: Vec<YearOfMeetings>,
    /// Every year, newest first.
    pub year_links: Vec<YearLink>,
    /// The newest meetings, when the archive is too big to list on one page.
    pub newest: Vec<MeetingLink>,
    /// Whether `years` holds every meeting of the page's scope.
    pub complete: bool,
}

/// An entry of a meeting's agenda.
#[derive(Debug, Serialize)]
pub struct AgendaEntry {
    /// `sak-04-2017`.
    pub anchor: String,
    /// `Sak`.
    pub label: Option<String>,
    /// Number as written.
    pub number: String,
    /// Title.
    pub title: String,
    /// The heading as written.
    pub heading: String,
}

/// A participant on a meeting page.
#[derive(Debug, Serialize)]
pub struct PersonView {
    /// Name as written.
    pub name: String,
    /// Whom they stood in for.
    pub substitute_for: Option<String>,
    /// Role as written.
    pub role: Option<String>,
    /// Chaired the meeting.
    pub chair: bool,
    /// Note as written.
    pub note: Option<String>,
    /// The original's label for them.
    pub group: Option<String>,
}

/// The participants from one municipality or organisation.
#[derive(Debug, Serialize)]
pub struct AttendanceGroup {
    /// Grouping key.
    #[serde(skip)]
    pub key: String,
    /// Municipality or organisation name.
    pub name: String,
    /// Municipality page.
    pub href: Option<String>,
    /// Present.
    pub present: Vec<PersonView>,
    /// Absent.
    pub absent: Vec<PersonView>,
}

/// One step in a thread box or list.
#[derive(Debug, Serialize)]
pub struct StepSummary {
    /// Item address, for steps in the archive.
    pub href: Option<String>,
    /// `23.02.2017`.
    pub date: String,
    /// Body name.
    pub body: String,
    /// `Sak 04/2017`, or what happened outside the archive.
    pub text: String,
    /// `innkalling`, `referat` or `utenfor arkivet`.
    pub kind: String,
    /// The step of the page it is shown on.
    pub current: bool,
}

/// The "Saksgang" box beside an item.
#[derive(Debug, Serialize)]
pub struct ThreadBox {
    /// The thread.
    pub link: Link,
    /// The sub-item letter that belongs to it.
    pub sub_item: Option<String>,
    /// Status text.
    pub status: String,
    /// Level of the box's heading.
    pub level: u8,
    /// The box's heading: "Saksgang", or "Tidligere behandling" on a notice.
    pub title: String,
    /// The steps nearest the current one, which is marked.
    pub steps: Vec<StepSummary>,
    /// Steps before the first one shown.
    pub earlier: usize,
    /// Steps after the last one shown.
    pub later: usize,
}

/// An item on a meeting page.
#[derive(Debug, Serialize)]
pub struct ItemView {
    /// `sak-04-2017`.
    pub anchor: String,
    /// `Sak`.
    pub label: Option<String>,
    /// Number as written.
    pub number: String,
    /// Title.
    pub title: String,
    /// The heading as written.
    pub heading: String,
    /// Blocks.
    pub parts: Vec<PartView>,
    /// Threads it belongs to.
    pub threads: Vec<ThreadBox>,
}

/// A meeting page, or a notice page.
#[derive(Debug, Serialize)]
pub struct MeetingPage {
    /// Page title.
    pub title: String,
    /// Body.
    pub body: Link,
    /// Body's organisation.
    pub organisation: Option<String>,
    /// `Referat` or `Innkalling`.
    pub kind: String,
    /// This is the `/innkalling/` page.
    pub notice_page: bool,
    /// The meeting has no minutes yet.
    pub notice_only: bool,
    /// The document has proposals (or decision blocks) in it.
    pub has_proposals: bool,
    /// Title as printed.
    pub document_title: Option<String>,
    /// Date in words.
    pub date: String,
    /// Date for `<time>`.
    pub date_iso: String,
    /// Time as written.
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Link to the notice page.
    pub notice: Option<String>,
    /// Link to the minutes page.
    pub minutes: Option<String>,
    /// Attendance by municipality.
    pub attendance: Vec<AttendanceGroup>,
    /// Number present.
    pub present_count: usize,
    /// One line: `28 til stede fra 16 kommuner og Vestregionen, 2 med forfall.`
    pub attendance_summary: Option<String>,
    /// Whether anyone is listed as absent (the table has a "Forfall" column).
    pub any_absent: bool,
    /// Number absent.
    pub absent_count: usize,
    /// Secretariat.
    pub secretariat: Vec<String>,
    /// Before the items.
    pub preamble: Vec<PartView>,
    /// Table of contents.
    pub agenda: Vec<AgendaEntry>,
    /// Items.
    pub items: Vec<ItemView>,
    /// After the items.
    pub after: Vec<PartView>,
    /// Previous meeting of the body.
    pub previous: Option<MeetingLink>,
    /// Next meeting of the body.
    pub next: Option<MeetingLink>,
    /// The content file, for writers.
    pub source: String,
}

/// A thread in a list.
#[derive(Debug, Serialize)]
pub struct ThreadSummary {
    /// The thread.
    pub link: Link,
    /// Summary.
    pub summary: Option<String>,
    /// Status text.
    pub status: String,
    /// Number of steps.
    pub steps: usize,
    /// First date.
    pub first: Option<String>,
    /// Last date.
    pub last: Option<String>,
}

/// A link to one page of a paginated list.
#[derive(Debug, Serialize)]
pub struct PageLink {
    /// Page number, from 1.
    pub number: usize,
    /// Site path.
    pub href: String,
    /// The page shown.
    pub current: bool,
}

/// `/saker/` and `/saker/side/N/`.
#[derive(Debug, Serialize)]
pub struct ThreadList {
    /// Page title.
    pub title: String,
    /// Threads of this page, by title.
    pub threads: Vec<ThreadSummary>,
    /// All pages, when there is more than one.
    pub pages: Vec<PageLink>,
    /// Number of threads in all.
    pub total: usize,
}

/// A decision or proposal on a thread page.
#[derive(Debug, Serialize)]
pub struct DecisionView {
    /// `proposal` or `decision`.
    pub kind: String,
    /// Heading as written.
    pub heading: String,
    /// Text.
    pub html: Html,
}

/// Proposal against decision.
#[derive(Debug, Serialize)]
pub struct DiffView {
    /// Text with `<del>` and `<ins>`.
    pub html: String,
    /// Whether anything changed.
    pub changed: bool,
}

/// A step on a thread page.
#[derive(Debug, Serialize)]
pub struct StepView {
    /// Date, body, link.
    pub summary: StepSummary,
    /// The meeting.
    pub meeting: Option<MeetingLink>,
    /// Item title.
    pub item_title: Option<String>,
    /// Sub-item heading, when only a sub-item belongs to the thread.
    pub sub_item: Option<String>,
    /// Decisions and proposals.
    pub decisions: Vec<DecisionView>,
    /// What the meeting changed in the notice's proposal.
    pub diff: Option<Deferred<DiffView>>,
    /// A step outside the archive.
    pub outside: bool,
}

/// One step on a thread page: a step outside the archive, or everything one
/// meeting did with the thread (its notice and minutes joined).
#[derive(Debug, Serialize)]
pub struct ThreadStep {
    /// `steg-3`, the step's anchor.
    pub anchor: String,
    /// `23.02.2017`.
    pub date: String,
    /// `2017-02-23`, for `<time datetime>`.
    pub date_iso: String,
    /// Body name; empty for an outside step with no body.
    pub body: String,
    /// The lane of the drawing the step is in, from 1.
    pub lane: usize,
    /// A step outside the archive.
    pub outside: bool,
    /// What happened, for an outside step.
    pub text: String,
    /// The meeting, for a step in the archive.
    pub meeting: Option<MeetingLink>,
    /// `Innkalling og referat`, `Referat`, `Innkalling` or `Ikke i arkivet`.
    pub kinds: String,
    /// The drawing's letters: `I`, `R`, `I+R` or `U`.
    pub letters: String,
    /// The documents' items, notice first.
    pub parts: Vec<StepView>,
}

/// A lane of a thread's drawing: one body.
#[derive(Debug, Serialize)]
pub struct LaneView {
    /// From 1.
    pub number: usize,
    /// Body name, or `Organ ikke oppgitt`.
    pub name: String,
    /// Baseline of the lane's label.
    pub label_y: u32,
    /// The lane's line.
    pub line_y: u32,
}

/// A step's mark in a thread's drawing.
#[derive(Debug, Serialize)]
pub struct MarkView {
    /// Centre.
    pub x: u32,
    /// Centre.
    pub y: u32,
    /// Half the width of the mark.
    pub half: u32,
    /// Left edge (`x - half`).
    pub left: u32,
    /// Top edge.
    pub top: u32,
    /// Letters in the mark.
    pub letters: String,
    /// Outside the archive: a dashed diamond, not a filled pill.
    pub outside: bool,
    /// The diamond's corners, for an outside step.
    pub points: String,
    /// `23.02.2017`, under the column.
    pub date: String,
}

/// A thread's course drawn as lanes (bodies) × steps, an SVG without script.
#[derive(Debug, Serialize)]
pub struct TimelineDrawing {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// The drawing's text alternative.
    pub label: String,
    /// One per body.
    pub lanes: Vec<LaneView>,
    /// One per step, in order.
    pub marks: Vec<MarkView>,
    /// The line through the marks, as SVG `points`.
    pub path: String,
    /// Baseline of the dates.
    pub axis_y: u32,
    /// Right end of the lane lines.
    pub line_end: u32,
}

/// A thread page.
#[derive(Debug, Serialize)]
pub struct ThreadPage {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Status text.
    pub status: String,
    /// `open`, `decided`, `closed`.
    pub status_key: String,
    /// Background HTML (none when the background is blank).
    pub background: Deferred<Option<String>>,
    /// Timeline: one entry per meeting or outside step.
    pub steps: Vec<ThreadStep>,
    /// The timeline drawn, when there are steps.
    pub drawing: Option<TimelineDrawing>,
}

/// A municipality in the list.
#[derive(Debug, Serialize)]
pub struct MunicipalityEntry {
    /// The municipality.
    pub link: Link,
    /// Number.
    pub number: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// A county.
    pub county: bool,
    /// `til 31.12.2019` for merged ones.
    pub merged: Option<String>,
}

/// `/kommuner/`.
#[derive(Debug, Serialize)]
pub struct MunicipalityList {
    /// Page title.
    pub title: String,
    /// Sorted the Norwegian way.
    pub municipalities: Vec<MunicipalityEntry>,
}

/// A municipality's attendance at one meeting.
#[derive(Debug, Serialize)]
pub struct AttendanceRow {
    /// The meeting.
    pub meeting: MeetingLink,
    /// `present`, `substitute`, `absent`.
    pub status: String,
    /// Status text.
    pub label: String,
    /// Who came.
    pub present: Vec<AttendeeName>,
    /// Who sent apologies.
    pub absent: Vec<String>,
}

/// One who came to a meeting, and whom they stood in for.
#[derive(Debug, Serialize)]
pub struct AttendeeName {
    /// Name.
    pub name: String,
    /// The regular member a substitute stood in for.
    pub substitute_for: Option<String>,
}

/// Attendance rate at one body.
#[derive(Debug, Serialize)]
pub struct RateRow {
    /// The body.
    pub body: Link,
    /// Meetings attended by the regular representative.
    pub present: usize,
    /// Meetings attended by a substitute only.
    pub substitute: usize,
    /// Meetings with apologies only.
    pub absent: usize,
    /// Meetings where the municipality is listed.
    pub total: usize,
    /// Share attended, whole percent.
    pub percent: usize,
}

/// A person who represented a municipality.
#[derive(Debug, Serialize)]
pub struct PersonRow {
    /// Name.
    pub name: String,
    /// Other spellings in the minutes.
    pub spellings: Vec<String>,
    /// Meetings attended.
    pub meetings: usize,
    /// Meetings they sent apologies for.
    pub absences: usize,
}

/// An item that names the municipality.
#[derive(Debug, Serialize)]
pub struct MentionRow {
    /// The meeting.
    pub meeting: MeetingLink,
    /// `referat` or `innkalling`.
    pub kind: String,
    /// The item.
    pub item: Link,
}

/// A former municipality number.
#[derive(Debug, Serialize)]
pub struct FormerNumberView {
    /// Number.
    pub number: String,
    /// Last day.
    pub valid_to: Option<String>,
}

/// How a municipality was represented at one meeting, as a drawing's mark.
#[derive(Debug, Serialize)]
pub struct AttendanceMark {
    /// `present`, `substitute`, `absent`, `missing` (not listed) or `unknown`
    /// (the meeting has no attendance list).
    pub status: String,
    /// `T`, `V`, `F`, `–` or `?`.
    pub letter: String,
    /// `til stede`, `møtt med vara`, `forfall`, `ikke ført opp`, `ingen oppmøteliste`.
    pub label: String,
    /// `23.02.2017`.
    pub date: String,
}

/// A municipality's attendance at one body, meeting by meeting.
#[derive(Debug, Serialize)]
pub struct AttendanceStrip {
    /// The body.
    pub body: Link,
    /// One per meeting of the body from the first to the last the municipality
    /// is listed at (in the page's scope), oldest first.
    pub marks: Vec<AttendanceMark>,
    /// Meetings in that span; more than `marks` when only the newest are shown.
    pub total: usize,
}

/// A body's meeting as a column of the attendance matrix.
#[derive(Debug, Serialize)]
pub struct MatrixMeeting {
    /// The meeting.
    pub meeting: MeetingLink,
    /// `23.02.`, the header's text (the year is in the caption).
    pub day: String,
}

/// A municipality's row of the attendance matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    /// The municipality.
    pub municipality: Link,
    /// One per column.
    pub cells: Vec<AttendanceMark>,
}

/// Municipalities × meetings of a body.
#[derive(Debug, Serialize)]
pub struct AttendanceMatrix {
    /// The table's caption.
    pub caption: String,
    /// Columns, oldest first.
    pub meetings: Vec<MatrixMeeting>,
    /// Rows, by name.
    pub rows: Vec<MatrixRow>,
}

/// A municipality page.
#[derive(Debug, Serialize)]
pub struct MunicipalityPage {
    /// Name.
    pub title: String,
    /// Number.
    pub number: Option<String>,
    /// A county.
    pub county: bool,
    /// Region.
    pub region: Option<String>,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Last day.
    pub valid_to: Option<String>,
    /// What it became part of.
    pub merged_into: Vec<Link>,
    /// What became part of it.
    pub merged_from: Vec<Link>,
    /// Former numbers.
    pub former_numbers: Vec<FormerNumberView>,
    /// History note.
    pub note: Option<String>,
    /// Rate per body.
    pub rates: Vec<RateRow>,
    /// Attendance per body, meeting by meeting (the newest when too many).
    pub strips: Vec<AttendanceStrip>,
    /// Number of meetings it is listed at.
    pub listed: usize,
    /// Whether `attendance` holds every meeting (else see the year pages).
    pub attendance_complete: bool,
    /// Every meeting it is listed at, when there are few enough.
    pub attendance: Vec<AttendanceRow>,
    /// Its representatives.
    pub people: Vec<PersonRow>,
    /// Whether `mentions` holds every item (else see the year pages).
    pub mentions_complete: bool,
    /// Number of items that name it.
    pub mention_count: usize,
    /// Items that name it, when there are few enough.
    pub mentions: Vec<MentionRow>,
    /// Year pages.
    pub years: Vec<YearLink>,
}

/// A municipality's attendance and mentions in one year.
#[derive(Debug, Serialize)]
pub struct MunicipalityYearPage {
    /// Title.
    pub title: String,
    /// The municipality.
    pub municipality: Link,
    /// Year.
    pub year: i32,
    /// Meetings it is listed at.
    pub attendance: Vec<AttendanceRow>,
    /// Attendance per body that year, meeting by meeting.
    pub strips: Vec<AttendanceStrip>,
    /// Items that name it.
    pub mentions: Vec<MentionRow>,
    /// All year pages.
    pub years: Vec<YearLink>,
}

/// A body in the list.
#[derive(Debug, Serialize)]
pub struct BodyEntry {
    /// The body.
    pub link: Link,
    /// Its organisation.
    pub organisation: Option<String>,
    /// Number of meetings.
    pub meetings: usize,
}

/// `/organer/`.
#[derive(Debug, Serialize)]
pub struct BodyList {
    /// Page title.
    pub title: String,
    /// Bodies.
    pub bodies: Vec<BodyEntry>,
}

/// Someone who attended a body in a year.
#[derive(Debug, Serialize)]
pub struct MemberRow {
    /// Name.
    pub name: String,
    /// Municipality or organisation.
    pub affiliation: String,
    /// Meetings attended that year.
    pub meetings: usize,
    /// Attended only as a substitute.
    pub substitute: bool,
}

/// The members of one year.
#[derive(Debug, Serialize)]
pub struct YearOfMembers {
    /// Year.
    pub year: i32,
    /// Members.
    pub members: Vec<MemberRow>,
}

/// A body page.
#[derive(Debug, Serialize)]
pub struct BodyPage {
    /// Name.
    pub title: String,
    /// Organisation.
    pub organisation: Option<String>,
    /// Whether every meeting is on this page (else see the year pages).
    pub complete: bool,
    /// Meetings by year, newest first, when complete.
    pub years: Vec<YearOfMeetings>,
    /// The newest meetings, when not complete.
    pub newest: Vec<MeetingLink>,
    /// Members by year, newest first, when complete.
    pub members: Vec<YearOfMembers>,
    /// Attendance matrices: one per year when complete, else the newest meetings.
    pub matrices: Vec<AttendanceMatrix>,
    /// Year pages.
    pub year_links: Vec<YearLink>,
}

/// A body's meetings and members in one year.
#[derive(Debug, Serialize)]
pub struct BodyYearPage {
    /// Title.
    pub title: String,
    /// The body.
    pub body: Link,
    /// Year.
    pub year: i32,
    /// Meetings, newest first.
    pub meetings: Vec<MeetingLink>,
    /// People present that year.
    pub members: Vec<MemberRow>,
    /// The year's attendance matrix.
    pub matrix: Option<AttendanceMatrix>,
    /// All year pages.
    pub years: Vec<YearLink>,
}

/// The search page.
#[derive(Debug, Serialize)]
pub struct SearchPage {
    /// Title.
    pub title: String,
    /// Bodies to filter by, sorted by name; the filter's values are their ids.
    pub bodies: Vec<SearchBody>,
    /// Years with meetings, newest first.
    pub years: Vec<i32>,
}

/// A body in the search page's filter.
#[derive(Debug, Serialize)]
pub struct SearchBody {
    /// Id, the filter's value.
    pub id: String,
    /// Name.
    pub name: String,
}

/// The 404 page.
#[derive(Debug, Serialize)]
pub struct NotFound {
    /// Title.
    pub title: String,
}

/// A redirect from an old URL.
#[derive(Debug, Serialize)]
pub struct Redirect {
    /// Title.
    pub title: String,
    /// Site path of the new page.
    pub to: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(parts: &[ContactPart]) -> Vec<(String, Option<String>)> {
        parts
            .iter()
            .map(|p| (p.text.clone(), p.mailto.clone()))
            .collect()
    }

    #[test]
    fn only_plain_addresses_in_a_contact_line_become_mail_links() {
        let parts = contact_parts("E-post: post@vestregionen.no, tlf. 67 00 00 00.");
        assert_eq!(
            shown(&parts),
            vec![
                ("E-post: ".to_string(), None),
                (
                    "post@vestregionen.no".to_string(),
                    Some("mailto:post@vestregionen.no".to_string())
                ),
                (", tlf. 67 00 00 00.".to_string(), None),
            ]
        );
        for not in [
            "a@b",
            "@x.no",
            "x@.no",
            "x@y.no?subject=1",
            "<a@b.no>",
            "a@b@c.no",
            "javascript:a@b.no",
        ] {
            let parts = contact_parts(not);
            assert!(parts.iter().all(|p| p.mailto.is_none()), "{not}");
            assert_eq!(
                parts.iter().map(|p| p.text.as_str()).collect::<String>(),
                not
            );
        }
    }
}
