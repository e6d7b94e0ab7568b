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
                .then(|| self.html(&thread.background, &thread.links, page_path)),
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
}
