//! Thread pages and the "Saksgang" summaries other pages show of threads.

use super::*;

impl Renderer<'_> {
    pub(super) fn step_summary(&self, s: &Step) -> StepSummary {
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
                        item.label().unwrap_or("Sak"),
                        item.number_as_written(),
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

    pub(super) fn thread_summary(&self, t: ThreadId) -> ThreadSummary {
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

    /// One page of `/saker/`: threads in Norwegian title order.
    pub(super) fn thread_list(&self, page: usize) -> ThreadList {
        let total = self.archive.threads.len();
        let pages = total.div_ceil(THREADS_PER_PAGE);
        let threads = self
            .index
            .threads
            .iter()
            .skip((page - 1) * THREADS_PER_PAGE)
            .take(THREADS_PER_PAGE)
            .map(|t| self.thread_summary(*t))
            .collect();
        ThreadList {
            title: if page > 1 {
                format!("Saker, side {page}")
            } else {
                "Saker".to_string()
            },
            threads,
            pages: if pages > 1 {
                (1..=pages)
                    .map(|n| PageLink {
                        number: n,
                        href: urls::threads_page(n),
                        current: n == page,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            total,
        }
    }

    pub(super) fn thread(&self, id: ThreadId, page_path: &str) -> ThreadPage {
        let thread = &self.archive.threads[id.0];
        let mut steps: Vec<ThreadStep> = Vec::new();
        let mut lanes: Vec<(Option<BodyId>, String)> = Vec::new();
        let mut lane_of = |body: Option<BodyId>, name: &str| -> usize {
            match lanes.iter().position(|(b, _)| *b == body) {
                Some(i) => i + 1,
                None => {
                    lanes.push((body, name.to_string()));
                    lanes.len()
                }
            }
        };
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
            match s {
                Step::Item {
                    meeting,
                    document,
                    item,
                    sub_item,
                } => {
                    let doc = self
                        .archive
                        .document(*meeting, *document)
                        .expect("steps point at documents");
                    let it = &doc.items[*item];
                    let link = self.meeting_link(*meeting);
                    view.meeting = Some(link.clone());
                    view.item_title = Some(it.title().to_string());
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
                    // Steps of one meeting lie next to each other, notice first:
                    // they are one step of the page.
                    if let Some(last) = steps.last_mut()
                        && last.meeting.as_ref().is_some_and(|l| l.href == link.href)
                    {
                        last.parts.push(view);
                        continue;
                    }
                    let m = &self.archive.meetings[meeting.0];
                    let body = self.archive.bodies[m.body.0].name.clone();
                    steps.push(ThreadStep {
                        anchor: format!("steg-{}", steps.len() + 1),
                        date: link.date.clone(),
                        date_iso: link.date_iso.clone(),
                        lane: lane_of(Some(m.body), &body),
                        body,
                        outside: false,
                        text: String::new(),
                        meeting: Some(link),
                        kinds: String::new(),
                        letters: String::new(),
                        parts: vec![view],
                    });
                }
                Step::Outside { date, body, text } => {
                    let name = view.summary.body.clone();
                    let lane_name = if name.is_empty() {
                        "Organ ikke oppgitt".to_string()
                    } else {
                        name.clone()
                    };
                    steps.push(ThreadStep {
                        anchor: format!("steg-{}", steps.len() + 1),
                        date: norsk::short_date(*date),
                        date_iso: date.to_string(),
                        lane: lane_of(*body, &lane_name),
                        body: name,
                        outside: true,
                        text: text.clone(),
                        meeting: None,
                        kinds: "Ikke i arkivet".to_string(),
                        letters: "U".to_string(),
                        parts: vec![view],
                    });
                }
            }
        }
        for st in steps.iter_mut().filter(|s| !s.outside) {
            let notice = st.parts.iter().any(|p| p.summary.kind == "innkalling");
            let minutes = st.parts.iter().any(|p| p.summary.kind == "referat");
            let (kinds, letters) = match (notice, minutes) {
                (true, true) => ("Innkalling og referat", "I+R"),
                (true, false) => ("Innkalling", "I"),
                _ => ("Referat", "R"),
            };
            st.kinds = kinds.to_string();
            st.letters = letters.to_string();
        }
        let drawing = timeline_drawing(&steps, &lanes);
        let background = {
            let key = self.markdown_key(&thread.background, &thread.links, &root_of(page_path));
            let made = (!DEFERRING.get()).then(|| {
                let text = self.sources.text(thread.background.file);
                let blank = text
                    .get(thread.background.range.clone())
                    .is_none_or(|t| t.trim().is_empty());
                (!blank)
                    .then(|| {
                        self.html(&thread.background, &thread.links, page_path)
                            .into_value()
                    })
                    .flatten()
            });
            Deferred::new(key, made)
        };
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
            background,
            steps,
            drawing,
        }
    }

    /// What the meeting changed: the notice's proposal against the minutes' decision.
    fn proposal_diff(
        &self,
        meeting: MeetingId,
        item: &Item,
        sub_item: Option<&str>,
    ) -> Option<Deferred<DiffView>> {
        let m = &self.archive.meetings[meeting.0];
        let notice = m.notice.as_ref()?;
        let minutes = m.minutes.as_ref()?;
        let proposed = notice.items.iter().find(|i| i.number == item.number)?;
        fn pieces<'i>(
            it: &'i Item,
            sub_item: Option<&str>,
            kind: DecisionKind,
        ) -> Vec<&'i Markdown> {
            it.decisions(sub_item)
                .filter(|d| d.kind == kind)
                .map(|d| &d.body)
                .collect()
        }
        let old = pieces(proposed, sub_item, DecisionKind::Proposal);
        let new = pieces(item, sub_item, DecisionKind::Decision);
        if old.is_empty() || new.is_empty() {
            return None;
        }
        // The diff is made from these pieces of these two texts alone.
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (doc, list) in [(notice, &old), (minutes, &new)] {
            h.update(&self.sources.fingerprint(doc.file).to_le_bytes());
            h.update(&(list.len() as u64).to_le_bytes());
            for md in list {
                h.update(&(md.range.start as u64).to_le_bytes());
                h.update(&(md.range.end as u64).to_le_bytes());
            }
        }
        let key = h.digest128();
        if DEFERRING.get() {
            return Some(Deferred::new(key, None));
        }
        let text = |doc: &Document, list: &[&Markdown]| -> String {
            let src = self.sources.text(doc.file);
            let parts: Vec<String> = list
                .iter()
                .map(|md| markdown::plain_text(&src, md))
                .collect();
            parts.join("\n")
        };
        let (html, changed) = markdown::word_diff(&text(notice, &old), &text(minutes, &new));
        Some(Deferred::new(key, Some(DiffView { html, changed })))
    }
}

/// Columns of the timeline drawing, px.
const COLUMN: u32 = 84;
/// Margin of the drawing, px.
const PAD: u32 = 12;
/// Height of a lane, px.
const LANE: u32 = 50;
/// The widest a character of a lane's name is drawn, px.
const LETTER: u32 = 10;

/// The drawing of a thread's course: one lane per body, one column per step, in
/// order (not to scale: steps a day apart stay readable). O(steps).
fn timeline_drawing(
    steps: &[ThreadStep],
    lanes: &[(Option<BodyId>, String)],
) -> Option<TimelineDrawing> {
    let (first, last) = (steps.first()?, steps.last()?);
    let columns = steps.len() as u32;
    let longest = lanes
        .iter()
        .map(|(_, n)| n.chars().count() as u32)
        .max()
        .unwrap_or(0);
    // A lane's name is bold 14 px text: up to 10 px a character (DejaVu Sans
    // Bold measures 9.9 for «Rådmannsgruppen»); a narrower guess cut the end.
    let width = (2 * PAD + columns * COLUMN).max(2 * PAD + longest * LETTER);
    let line_y = |lane: usize| 4 + (lane as u32 - 1) * LANE + 36;
    let marks: Vec<MarkView> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = PAD + COLUMN / 2 + i as u32 * COLUMN;
            let y = line_y(s.lane);
            let half = if s.letters.len() > 1 { 20 } else { 12 };
            MarkView {
                x,
                y,
                half,
                left: x - half,
                top: y - 11,
                letters: s.letters.clone(),
                outside: s.outside,
                points: format!(
                    "{x},{} {},{y} {x},{} {},{y}",
                    y - 14,
                    x + 14,
                    y + 14,
                    x - 14
                ),
                date: s.date.clone(),
            }
        })
        .collect();
    let path = marks
        .iter()
        .map(|m| format!("{},{}", m.x, m.y))
        .collect::<Vec<_>>()
        .join(" ");
    let axis_y = 4 + lanes.len() as u32 * LANE + 14;
    let outside = steps.iter().filter(|s| s.outside).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let label = format!(
        "Tegning av saksgangen: {} i {} fra {} til {}{}. Stegene står som tekst i listen under.",
        plural(steps.len(), "steg", "steg"),
        plural(lanes.len(), "organ", "organer"),
        first.date,
        last.date,
        if outside > 0 {
            format!(", {} utenfor arkivet", plural(outside, "steg", "steg"))
        } else {
            String::new()
        }
    );
    Some(TimelineDrawing {
        width,
        height: axis_y + 8,
        label,
        lanes: lanes
            .iter()
            .enumerate()
            .map(|(i, (_, name))| LaneView {
                number: i + 1,
                name: name.clone(),
                label_y: 4 + i as u32 * LANE + 15,
                line_y: line_y(i + 1),
            })
            .collect(),
        marks,
        path,
        axis_y,
        line_end: width - PAD,
    })
}
