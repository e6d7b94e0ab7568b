//! Stage 3, `render`: the model to pages, in memory.
//!
//! This stage owns what each page says. It builds plain view structs (the only
//! thing templates ever see; model types never reach Tera), renders them with
//! the theme's templates, and returns the pages as paths and bytes. It does no
//! I/O: the theme's text comes in from `theme`, the pages go out to `write`.
//! Every list is sorted explicitly (dates, then the Norwegian collation), and
//! every map handed to Tera keeps its order, so output is deterministic.

mod markdown;
mod views;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tera::{Context, Tera};

use crate::diag::{Diagnostic, Sources};
use crate::model::*;
use crate::norsk;
use crate::theme::Theme;
use markdown::MdContext;
pub use views::*;

/// One output file: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path with `/` separators: `moter/2017-06-01-radmannsgruppen/index.html`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Site paths of every page kind, as in content-format.md. URLs are a promise to
/// the people who print them in invitations: change nothing here without aliases.
pub mod urls {
    /// `moter/2017-06-01-radmannsgruppen/`
    pub fn meeting(slug: &str) -> String {
        format!("moter/{slug}/")
    }
    /// `moter/2018-02-22-khs-radmannsmote/innkalling/`
    pub fn notice(slug: &str) -> String {
        format!("moter/{slug}/innkalling/")
    }
    /// `saker/khs-videreforing/`
    pub fn thread(id: &str) -> String {
        format!("saker/{id}/")
    }
    /// `kommuner/asker/`
    pub fn municipality(id: &str) -> String {
        format!("kommuner/{id}/")
    }
    /// `organer/radmannsgruppen/`
    pub fn body(id: &str) -> String {
        format!("organer/{id}/")
    }
}

/// Renders every page of the archive. Returns the pages in path order, or the
/// template errors.
pub fn render(
    archive: &Archive,
    sources: &Sources,
    theme: &Theme,
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let tera = templates(theme)?;
    let r = Renderer {
        archive,
        sources,
        tera: &tera,
    };
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    let mut emit = |result: Result<Page, Diagnostic>| match result {
        Ok(p) => pages.push(p),
        Err(e) => errors.push(e),
    };
    emit(r.page("index.html", "index.html", "", &r.front_page()));
    emit(r.page(
        "moter/index.html",
        "meetings.html",
        "moter",
        &r.meeting_list(),
    ));
    for (i, m) in archive.meetings.iter().enumerate() {
        let id = MeetingId(i);
        let path = format!("{}index.html", urls::meeting(&m.slug));
        emit(r.page(
            &path,
            "meeting.html",
            "moter",
            &r.meeting(id, m.main_document(), false),
        ));
        if let Some(notice) = &m.notice {
            let path = format!("{}index.html", urls::notice(&m.slug));
            emit(r.page(&path, "meeting.html", "moter", &r.meeting(id, notice, true)));
        }
    }
    emit(r.page(
        "saker/index.html",
        "threads.html",
        "saker",
        &r.thread_list(),
    ));
    for (i, _) in archive.threads.iter().enumerate() {
        let t = ThreadId(i);
        let path = format!("{}index.html", urls::thread(&archive.threads[i].id));
        emit(r.page(&path, "thread.html", "saker", &r.thread(t, &path)));
    }
    emit(r.page(
        "kommuner/index.html",
        "municipalities.html",
        "kommuner",
        &r.municipality_list(),
    ));
    for (i, m) in archive.municipalities.iter().enumerate() {
        let path = format!("{}index.html", urls::municipality(&m.id));
        emit(r.page(
            &path,
            "municipality.html",
            "kommuner",
            &r.municipality(MunicipalityId(i), &path),
        ));
    }
    emit(r.page(
        "organer/index.html",
        "bodies.html",
        "organer",
        &r.body_list(),
    ));
    for (i, b) in archive.bodies.iter().enumerate() {
        let path = format!("{}index.html", urls::body(&b.id));
        emit(r.page(&path, "body.html", "organer", &r.body(BodyId(i), &path)));
    }
    emit(r.page(
        "404.html",
        "404.html",
        "",
        &NotFound {
            title: "Fant ikke siden".to_string(),
        },
    ));
    for (old, new) in redirects(archive) {
        let path = format!("{}index.html", old.trim_start_matches('/'));
        let view = Redirect {
            title: "Siden har flyttet".to_string(),
            to: new.clone(),
        };
        emit(r.page(&path, "redirect.html", "", &view));
    }
    for (path, bytes) in &theme.statics {
        pages.push(Page {
            path: path.clone(),
            bytes: bytes.clone(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    // Two pages may not claim one path (an alias over a real page, say).
    for w in pages.windows(2) {
        if w[0].path == w[1].path {
            return Err(vec![
                Diagnostic::global(format!("to sider vil skrives til {}", w[0].path))
                    .help("fjern det gamle navnet (aliases:) som peker på en side som finnes"),
            ]);
        }
    }
    Ok(pages)
}

/// Old URL → site path of the page that replaced it.
fn redirects(archive: &Archive) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for m in &archive.meetings {
        if let Some(d) = &m.minutes {
            out.extend(
                d.aliases
                    .iter()
                    .map(|a| (a.clone(), urls::meeting(&m.slug))),
            );
        }
        if let Some(d) = &m.notice {
            let to = if m.minutes.is_some() {
                urls::notice(&m.slug)
            } else {
                urls::meeting(&m.slug)
            };
            out.extend(d.aliases.iter().map(|a| (a.clone(), to.clone())));
        }
    }
    for t in &archive.threads {
        out.extend(t.aliases.iter().map(|a| (a.clone(), urls::thread(&t.id))));
    }
    out.sort();
    out
}

fn templates(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    let list: Vec<(String, String)> = theme
        .templates
        .iter()
        .map(|(name, (_, src))| (name.clone(), src.clone()))
        .collect();
    tera.add_raw_templates(list).map_err(|e| {
        vec![
            Diagnostic::global(format!("malene i temaet kan ikke leses:\n{e}"))
                .help("rett malen det pekes på; se themes/default/templates for eksempler"),
        ]
    })?;
    Ok(tera)
}

struct Renderer<'a> {
    archive: &'a Archive,
    sources: &'a Sources,
    tera: &'a Tera,
}

/// The relative prefix from a page to the site root: `../../` for `moter/x/index.html`.
fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

impl Renderer<'_> {
    fn page<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        section: &str,
        view: &T,
    ) -> Result<Page, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &SiteView {
                title: self.archive.site.title.clone(),
                description: self.archive.site.description.clone(),
                language: self.archive.site.language.clone(),
            },
        );
        ctx.insert("root", &root_of(path));
        ctx.insert("section", section);
        ctx.insert("page", view);
        self.tera
            .render(template, &ctx)
            .map(|html| Page {
                path: path.to_string(),
                bytes: html.into_bytes(),
            })
            .map_err(|e| {
                Diagnostic::global(format!(
                    "siden {path} kunne ikke lages med malen {template}:\n{e}"
                ))
                .help("rett malen det pekes på")
            })
    }

    fn body_link(&self, b: BodyId) -> Link {
        let body = &self.archive.bodies[b.0];
        Link::new(urls::body(&body.id), &body.name)
    }

    fn meeting_link(&self, m: MeetingId) -> MeetingLink {
        let meeting = &self.archive.meetings[m.0];
        MeetingLink {
            href: urls::meeting(&meeting.slug),
            body: self.archive.bodies[meeting.body.0].name.clone(),
            date: norsk::short_date(meeting.date),
            date_long: norsk::long_date(meeting.date),
            date_iso: meeting.date.to_string(),
            has_minutes: meeting.minutes.is_some(),
        }
    }

    fn target_path(&self, t: &Target) -> String {
        let with = |base: String, a: &Option<String>| match a {
            Some(a) => format!("{base}#{a}"),
            None => base,
        };
        match t {
            Target::Meeting(m, a) => with(urls::meeting(&self.archive.meetings[m.0].slug), a),
            Target::Notice(m, a) => with(urls::notice(&self.archive.meetings[m.0].slug), a),
            Target::Thread(t) => urls::thread(&self.archive.threads[t.0].id),
            Target::Municipality(m) => urls::municipality(&self.archive.municipalities[m.0].id),
            Target::Body(b) => urls::body(&self.archive.bodies[b.0].id),
        }
    }

    /// Markdown to HTML for a page at `page_path`.
    fn html(&self, md: &Markdown, links: &[TextLink], page_path: &str) -> String {
        let root = root_of(page_path);
        let href = |t: &Target| format!("{root}{}", self.target_path(t));
        let ctx = MdContext {
            text: &self.sources.get(md.file).text,
            links,
            path_links: &self.archive.path_links,
            href: &href,
        };
        markdown::to_html(md, &ctx)
    }

    fn parts(
        &self,
        parts: &[Part],
        links: &[TextLink],
        page_path: &str,
        item_anchor: Option<&str>,
    ) -> Vec<PartView> {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(md) => PartView::text(self.html(md, links, page_path)),
                Part::Heading {
                    level,
                    text,
                    anchor,
                } => PartView::heading(
                    *level,
                    text,
                    anchor
                        .as_ref()
                        .zip(item_anchor)
                        .map(|(a, item)| format!("{item}-{a}")),
                ),
                Part::Decision(d) => PartView::decision(d, self.html(&d.body, links, page_path)),
            })
            .collect()
    }

    fn front_page(&self) -> FrontPage {
        let mut newest: Vec<MeetingLink> = (0..self.archive.meetings.len())
            .rev()
            .take(10)
            .map(|i| self.meeting_link(MeetingId(i)))
            .collect();
        newest.truncate(10);
        let mut open: Vec<ThreadSummary> = self
            .archive
            .threads
            .iter()
            .enumerate()
            .filter(|(_, t)| t.status == ThreadStatus::Open)
            .map(|(i, _)| self.thread_summary(ThreadId(i)))
            .collect();
        norsk::sort_by_name(&mut open, |t| &t.link.text);
        FrontPage {
            title: self.archive.site.title.clone(),
            newest,
            open_threads: open,
            counts: Counts {
                meetings: self.archive.meetings.len(),
                threads: self.archive.threads.len(),
                municipalities: self.archive.municipalities.len(),
                bodies: self.archive.bodies.len(),
            },
        }
    }

    fn meeting_list(&self) -> MeetingList {
        let mut years: BTreeMap<i32, Vec<MeetingLink>> = BTreeMap::new();
        for (i, m) in self.archive.meetings.iter().enumerate() {
            years
                .entry(chrono::Datelike::year(&m.date))
                .or_default()
                .push(self.meeting_link(MeetingId(i)));
        }
        MeetingList {
            title: "Møter".to_string(),
            years: years
                .into_iter()
                .rev()
                .map(|(year, mut meetings)| {
                    meetings.reverse();
                    YearOfMeetings { year, meetings }
                })
                .collect(),
        }
    }

    fn meeting(&self, id: MeetingId, doc: &Document, notice_page: bool) -> MeetingPage {
        let m = &self.archive.meetings[id.0];
        let body = &self.archive.bodies[m.body.0];
        let path = if notice_page {
            urls::notice(&m.slug)
        } else {
            urls::meeting(&m.slug)
        };
        let page_path = format!("{path}index.html");
        let kind = if doc.kind == DocumentKind::Minutes {
            "Referat"
        } else {
            "Innkalling"
        };
        let siblings: Vec<usize> = (0..self.archive.meetings.len())
            .filter(|i| self.archive.meetings[*i].body == m.body)
            .collect();
        let pos = siblings.iter().position(|i| *i == id.0).unwrap_or(0);
        let previous = pos
            .checked_sub(1)
            .map(|p| self.meeting_link(MeetingId(siblings[p])));
        let next = siblings
            .get(pos + 1)
            .map(|n| self.meeting_link(MeetingId(*n)));
        let items: Vec<ItemView> = doc
            .items
            .iter()
            .map(|item| self.item_view(id, doc, item, &page_path))
            .collect();
        let date_text = match m.end_date.filter(|e| *e != m.date) {
            Some(end) => format!("{}–{}", norsk::long_date(m.date), norsk::long_date(end)),
            None => norsk::long_date(m.date),
        };
        MeetingPage {
            title: format!("{} {}", body.name, norsk::date_without_weekday(m.date)),
            body: self.body_link(m.body),
            organisation: body.organisation.clone(),
            kind: kind.to_string(),
            notice_page,
            notice_only: m.minutes.is_none(),
            document_title: doc.title.clone(),
            date: date_text,
            date_iso: m.date.to_string(),
            time: doc.time.clone(),
            place: doc.place.clone(),
            notice: (!notice_page)
                .then(|| m.notice.as_ref().map(|_| urls::notice(&m.slug)))
                .flatten()
                .filter(|_| m.minutes.is_some()),
            minutes: (notice_page && m.minutes.is_some()).then(|| urls::meeting(&m.slug)),
            attendance: self.attendance(doc),
            present_count: doc.present.len(),
            absent_count: doc.absent.len(),
            secretariat: doc.secretariat.clone(),
            preamble: self.parts(&doc.preamble, &doc.links, &page_path, None),
            agenda: doc
                .items
                .iter()
                .map(|i| AgendaEntry {
                    anchor: i.number.anchor(),
                    label: i.label.clone(),
                    number: i.number_as_written.clone(),
                    title: i.title.clone(),
                })
                .collect(),
            items,
            after: self.parts(&doc.after, &doc.links, &page_path, None),
            previous,
            next,
            source: doc.content_path.clone(),
        }
    }

    fn item_view(
        &self,
        meeting: MeetingId,
        doc: &Document,
        item: &Item,
        page_path: &str,
    ) -> ItemView {
        let anchor = item.number.anchor();
        let mut threads: Vec<ThreadBox> = Vec::new();
        for it in &item.threads {
            let thread = &self.archive.threads[it.thread.0];
            let steps = thread
                .steps
                .iter()
                .map(|s| {
                    let mut v = self.step_summary(s);
                    if let Step::Item {
                        meeting: sm,
                        document,
                        item: si,
                        sub_item,
                    } = s
                    {
                        v.current = *sm == meeting
                            && *document == doc.kind
                            && self
                                .archive
                                .document(*sm, *document)
                                .is_some_and(|d| d.items[*si].number == item.number)
                            && *sub_item == it.sub_item;
                    }
                    v
                })
                .collect();
            threads.push(ThreadBox {
                link: Link::new(urls::thread(&thread.id), &thread.title),
                sub_item: it.sub_item.clone(),
                status: status_label(thread.status).to_string(),
                level: 3,
                steps,
            });
        }
        // A box for a sub-item stands by that sub-item's heading, one level below it.
        let mut parts = self.parts(&item.parts, &doc.links, page_path, Some(&anchor));
        let mut whole = Vec::new();
        for mut b in threads {
            let target = b
                .sub_item
                .as_ref()
                .map(|l| format!("{anchor}-{}", l.to_lowercase()));
            match parts
                .iter_mut()
                .find(|p| target.is_some() && p.anchor == target)
            {
                Some(p) => {
                    b.level = (p.level + 1).min(6);
                    p.threads.push(b);
                }
                None => whole.push(b),
            }
        }
        ItemView {
            parts,
            anchor,
            label: item.label.clone(),
            number: item.number_as_written.clone(),
            title: item.title.clone(),
            threads: whole,
        }
    }

    fn attendance(&self, doc: &Document) -> Vec<AttendanceGroup> {
        let mut groups: Vec<AttendanceGroup> = Vec::new();
        let add = |p: &Participant, present: bool, groups: &mut Vec<AttendanceGroup>| {
            let (key, name, href) = match &p.affiliation {
                Affiliation::Municipality(m) => {
                    let mu = &self.archive.municipalities[m.0];
                    (
                        format!("k:{}", mu.id),
                        mu.name.clone(),
                        Some(urls::municipality(&mu.id)),
                    )
                }
                Affiliation::Organisation(o) => (format!("o:{o}"), o.clone(), None),
            };
            let group = match groups.iter().position(|g| g.key == key) {
                Some(i) => &mut groups[i],
                None => {
                    groups.push(AttendanceGroup {
                        key,
                        name,
                        href,
                        present: Vec::new(),
                        absent: Vec::new(),
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            let view = PersonView {
                name: p.name.clone(),
                substitute_for: p.substitute_for.clone(),
                role: p.role.clone(),
                chair: p.chair,
                note: p.note.clone(),
                group: p.group.clone(),
            };
            if present {
                group.present.push(view)
            } else {
                group.absent.push(view)
            }
        };
        for p in &doc.present {
            add(p, true, &mut groups);
        }
        for p in &doc.absent {
            add(p, false, &mut groups);
        }
        groups
    }

    fn step_summary(&self, s: &Step) -> StepSummary {
        match s {
            Step::Item {
                meeting,
                document,
                item,
                sub_item,
            } => {
                let m = &self.archive.meetings[meeting.0];
                let doc = self
                    .archive
                    .document(*meeting, *document)
                    .expect("steps point at documents");
                let item = &doc.items[*item];
                let base = if *document == DocumentKind::Notice && m.minutes.is_some() {
                    urls::notice(&m.slug)
                } else {
                    urls::meeting(&m.slug)
                };
                let anchor = match sub_item {
                    Some(l) => format!("{}-{}", item.number.anchor(), l.to_lowercase()),
                    None => item.number.anchor(),
                };
                StepSummary {
                    href: Some(format!("{base}#{anchor}")),
                    date: norsk::short_date(m.date),
                    body: self.archive.bodies[m.body.0].name.clone(),
                    text: format!(
                        "{} {}{}",
                        item.label.clone().unwrap_or_else(|| "Sak".into()),
                        item.number_as_written,
                        sub_item
                            .as_ref()
                            .map(|l| format!(" punkt {l}"))
                            .unwrap_or_default()
                    ),
                    kind: if *document == DocumentKind::Notice {
                        "innkalling"
                    } else {
                        "referat"
                    }
                    .to_string(),
                    current: false,
                }
            }
            Step::Outside { date, body, text } => StepSummary {
                href: None,
                date: norsk::short_date(*date),
                body: body
                    .map(|b| self.archive.bodies[b.0].name.clone())
                    .unwrap_or_default(),
                text: text.clone(),
                kind: "utenfor arkivet".to_string(),
                current: false,
            },
        }
    }

    fn thread_summary(&self, t: ThreadId) -> ThreadSummary {
        let thread = &self.archive.threads[t.0];
        let dates: Vec<chrono::NaiveDate> = thread
            .steps
            .iter()
            .map(|s| match s {
                Step::Item { meeting, .. } => self.archive.meetings[meeting.0].date,
                Step::Outside { date, .. } => *date,
            })
            .collect();
        ThreadSummary {
            link: Link::new(urls::thread(&thread.id), &thread.title),
            summary: thread.summary.clone(),
            status: status_label(thread.status).to_string(),
            steps: thread.steps.len(),
            first: dates.first().map(|d| norsk::short_date(*d)),
            last: dates.last().map(|d| norsk::short_date(*d)),
        }
    }

    fn thread_list(&self) -> ThreadList {
        let mut threads: Vec<ThreadSummary> = (0..self.archive.threads.len())
            .map(|i| self.thread_summary(ThreadId(i)))
            .collect();
        norsk::sort_by_name(&mut threads, |t| &t.link.text);
        ThreadList {
            title: "Saker".to_string(),
            threads,
        }
    }

    fn thread(&self, id: ThreadId, page_path: &str) -> ThreadPage {
        let thread = &self.archive.threads[id.0];
        let mut steps = Vec::new();
        for s in &thread.steps {
            let summary = self.step_summary(s);
            let mut view = StepView {
                summary,
                meeting: None,
                item_title: None,
                sub_item: None,
                decisions: Vec::new(),
                diff: None,
                outside: matches!(s, Step::Outside { .. }),
            };
            if let Step::Item {
                meeting,
                document,
                item,
                sub_item,
            } = s
            {
                let doc = self
                    .archive
                    .document(*meeting, *document)
                    .expect("steps point at documents");
                let it = &doc.items[*item];
                view.meeting = Some(self.meeting_link(*meeting));
                view.item_title = Some(it.title.clone());
                view.sub_item = sub_item.as_ref().and_then(|l| sub_item_title(it, l));
                view.decisions = it
                    .decisions(sub_item.as_deref())
                    .map(|d| DecisionView {
                        kind: decision_kind_name(d.kind).to_string(),
                        heading: d.heading.clone(),
                        html: self.html(&d.body, &doc.links, page_path),
                    })
                    .collect();
                if *document == DocumentKind::Minutes {
                    view.diff = self.proposal_diff(*meeting, it, sub_item.as_deref());
                }
            }
            steps.push(view);
        }
        let bg_text =
            &self.sources.get(thread.background.file).text[thread.background.range.clone()];
        ThreadPage {
            title: thread.title.clone(),
            summary: thread.summary.clone(),
            status: status_label(thread.status).to_string(),
            status_key: match thread.status {
                ThreadStatus::Open => "open",
                ThreadStatus::Decided => "decided",
                ThreadStatus::Closed => "closed",
            }
            .to_string(),
            background: (!bg_text.trim().is_empty())
                .then(|| self.html(&thread.background, &[], page_path)),
            steps,
        }
    }

    /// What the meeting changed: the notice's proposal against the minutes' decision.
    fn proposal_diff(
        &self,
        meeting: MeetingId,
        item: &Item,
        sub_item: Option<&str>,
    ) -> Option<DiffView> {
        let m = &self.archive.meetings[meeting.0];
        let notice = m.notice.as_ref()?;
        let minutes = m.minutes.as_ref()?;
        let proposed = notice.items.iter().find(|i| i.number == item.number)?;
        let text = |doc: &Document, it: &Item, kind: DecisionKind| -> Option<String> {
            let src = &self.sources.get(doc.file).text;
            let parts: Vec<String> = it
                .decisions(sub_item)
                .filter(|d| d.kind == kind)
                .map(|d| markdown::plain_text(src, &d.body))
                .collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        };
        let old = text(notice, proposed, DecisionKind::Proposal)?;
        let new = text(minutes, item, DecisionKind::Decision)?;
        let (html, changed) = markdown::word_diff(&old, &new);
        Some(DiffView { html, changed })
    }

    fn municipality_list(&self) -> MunicipalityList {
        let mut entries: Vec<MunicipalityEntry> = self
            .archive
            .municipalities
            .iter()
            .map(|m| MunicipalityEntry {
                link: Link::new(urls::municipality(&m.id), &m.name),
                number: m.number.clone(),
                region: m.region.clone(),
                county: m.kind == MunicipalityKind::County,
                merged: m.valid_to.map(|d| format!("til {}", norsk::short_date(d))),
            })
            .collect();
        norsk::sort_by_name(&mut entries, |e| &e.link.text);
        MunicipalityList {
            title: "Kommuner".to_string(),
            municipalities: entries,
        }
    }

    fn municipality(&self, id: MunicipalityId, page_path: &str) -> MunicipalityPage {
        let _ = page_path;
        let mu = &self.archive.municipalities[id.0];
        let mut attendance = Vec::new();
        let mut rates: BTreeMap<BodyId, (usize, usize, usize)> = BTreeMap::new();
        let mut people: BTreeMap<PersonId, (BTreeSet<String>, usize, usize)> = BTreeMap::new();
        let mut mentions = Vec::new();
        for (mi, m) in self.archive.meetings.iter().enumerate() {
            let doc = m.main_document();
            let here = |p: &&Participant| p.affiliation == Affiliation::Municipality(id);
            let present: Vec<&Participant> = doc.present.iter().filter(here).collect();
            let absent: Vec<&Participant> = doc.absent.iter().filter(here).collect();
            for p in &present {
                let e = people.entry(p.person).or_default();
                e.0.insert(p.name.clone());
                e.1 += 1;
            }
            for p in &absent {
                let e = people.entry(p.person).or_default();
                e.0.insert(p.name.clone());
                e.2 += 1;
            }
            if !present.is_empty() || !absent.is_empty() {
                let regular = present.iter().any(|p| p.substitute_for.is_none());
                let (status, label) = if regular {
                    ("present", "Til stede")
                } else if !present.is_empty() {
                    ("substitute", "Møtt med vara")
                } else {
                    ("absent", "Forfall")
                };
                let r = rates.entry(m.body).or_default();
                match status {
                    "present" => r.0 += 1,
                    "substitute" => r.1 += 1,
                    _ => r.2 += 1,
                }
                attendance.push(AttendanceRow {
                    meeting: self.meeting_link(MeetingId(mi)),
                    status: status.to_string(),
                    label: label.to_string(),
                    present: present
                        .iter()
                        .map(|p| match &p.substitute_for {
                            Some(f) => format!("{} for {}", p.name, f),
                            None => p.name.clone(),
                        })
                        .collect(),
                    absent: absent.iter().map(|p| p.name.clone()).collect(),
                });
            }
            for doc in m.documents() {
                for item in doc.items.iter().filter(|i| i.mentions.contains(&id)) {
                    let base = if doc.kind == DocumentKind::Notice && m.minutes.is_some() {
                        urls::notice(&m.slug)
                    } else {
                        urls::meeting(&m.slug)
                    };
                    mentions.push(MentionRow {
                        meeting: self.meeting_link(MeetingId(mi)),
                        kind: if doc.kind == DocumentKind::Notice {
                            "innkalling"
                        } else {
                            "referat"
                        }
                        .to_string(),
                        item: Link::new(
                            format!("{base}#{}", item.number.anchor()),
                            &format!(
                                "{} {} {}",
                                item.label.clone().unwrap_or_else(|| "Sak".into()),
                                item.number_as_written,
                                item.title
                            ),
                        ),
                    });
                }
            }
        }
        let rates = rates
            .into_iter()
            .map(|(b, (present, substitute, absent))| {
                let total = present + substitute + absent;
                RateRow {
                    body: self.body_link(b),
                    present,
                    substitute,
                    absent,
                    total,
                    percent: (present + substitute) * 100 / total.max(1),
                }
            })
            .collect();
        let mut people: Vec<PersonRow> = people
            .into_iter()
            .map(|(p, (spellings, meetings, absences))| PersonRow {
                name: self.archive.people[p.0].name.clone(),
                spellings: spellings
                    .into_iter()
                    .filter(|s| *s != self.archive.people[p.0].name)
                    .collect(),
                meetings,
                absences,
            })
            .collect();
        norsk::sort_by_name(&mut people, |p| &p.name);
        let merged_from: Vec<Link> = self
            .archive
            .municipalities
            .iter()
            .filter(|o| o.merged_into.contains(&id))
            .map(|o| Link::new(urls::municipality(&o.id), &o.name))
            .collect();
        MunicipalityPage {
            title: mu.name.clone(),
            number: mu.number.clone(),
            county: mu.kind == MunicipalityKind::County,
            region: mu.region.clone(),
            aliases: mu.aliases.clone(),
            valid_to: mu.valid_to.map(norsk::date_without_weekday),
            merged_into: mu
                .merged_into
                .iter()
                .map(|m| {
                    let o = &self.archive.municipalities[m.0];
                    Link::new(urls::municipality(&o.id), &o.name)
                })
                .collect(),
            merged_from,
            former_numbers: mu
                .former_numbers
                .iter()
                .map(|f| FormerNumberView {
                    number: f.number.clone(),
                    valid_to: f.valid_to.map(norsk::short_date),
                })
                .collect(),
            note: mu.note.clone(),
            rates,
            attendance,
            people,
            mentions,
        }
    }

    fn body_list(&self) -> BodyList {
        let mut bodies: Vec<BodyEntry> = self
            .archive
            .bodies
            .iter()
            .enumerate()
            .map(|(i, b)| BodyEntry {
                link: Link::new(urls::body(&b.id), &b.name),
                organisation: b.organisation.clone(),
                meetings: self
                    .archive
                    .meetings
                    .iter()
                    .filter(|m| m.body == BodyId(i))
                    .count(),
            })
            .collect();
        norsk::sort_by_name(&mut bodies, |b| &b.link.text);
        BodyList {
            title: "Organer".to_string(),
            bodies,
        }
    }

    fn body(&self, id: BodyId, page_path: &str) -> BodyPage {
        let _ = page_path;
        let b = &self.archive.bodies[id.0];
        let mut years: BTreeMap<i32, Vec<MeetingLink>> = BTreeMap::new();
        let mut members: BTreeMap<i32, BTreeMap<PersonId, MemberRow>> = BTreeMap::new();
        for (mi, m) in self
            .archive
            .meetings
            .iter()
            .enumerate()
            .filter(|(_, m)| m.body == id)
        {
            let year = chrono::Datelike::year(&m.date);
            years
                .entry(year)
                .or_default()
                .push(self.meeting_link(MeetingId(mi)));
            for p in &m.main_document().present {
                let affiliation = match &p.affiliation {
                    Affiliation::Municipality(mu) => self.archive.municipalities[mu.0].name.clone(),
                    Affiliation::Organisation(o) => o.clone(),
                };
                let row = members
                    .entry(year)
                    .or_default()
                    .entry(p.person)
                    .or_insert_with(|| MemberRow {
                        name: self.archive.people[p.person.0].name.clone(),
                        affiliation,
                        meetings: 0,
                        substitute: true,
                    });
                row.meetings += 1;
                row.substitute &= p.substitute_for.is_some();
            }
        }
        BodyPage {
            title: b.name.clone(),
            organisation: b.organisation.clone(),
            years: years
                .into_iter()
                .rev()
                .map(|(year, mut meetings)| {
                    meetings.reverse();
                    YearOfMeetings { year, meetings }
                })
                .collect(),
            members: members
                .into_iter()
                .rev()
                .map(|(year, rows)| {
                    let mut members: Vec<MemberRow> = rows.into_values().collect();
                    members.sort_by(|a, b| {
                        norsk::compare(&a.affiliation, &b.affiliation)
                            .then_with(|| norsk::compare(&a.name, &b.name))
                    });
                    YearOfMembers { year, members }
                })
                .collect(),
        }
    }
}

fn sub_item_title(item: &Item, letter: &str) -> Option<String> {
    item.parts.iter().find_map(|p| match p {
        Part::Heading {
            anchor: Some(a),
            text,
            ..
        } if a.eq_ignore_ascii_case(letter) => Some(text.clone()),
        _ => None,
    })
}

fn status_label(s: ThreadStatus) -> &'static str {
    match s {
        ThreadStatus::Open => "Under behandling",
        ThreadStatus::Decided => "Vedtatt",
        ThreadStatus::Closed => "Avsluttet",
    }
}

fn decision_kind_name(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Proposal => "proposal",
        DecisionKind::Decision => "decision",
    }
}
