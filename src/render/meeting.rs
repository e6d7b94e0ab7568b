//! Meeting and notice pages: facts, attendance, agenda, items with their
//! decisions and "Saksgang" boxes.

use super::*;

/// A "Saksgang" box shows at most this many steps before and after its own.
const BOX_STEPS_AROUND: usize = 4;

impl Renderer<'_> {
    pub(super) fn meeting(&self, id: MeetingId, doc: &Document, notice_page: bool) -> MeetingPage {
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
        let siblings = &self.index.by_body[m.body.0];
        let pos = self.index.place_in_body[id.0];
        let previous = pos.checked_sub(1).map(|p| self.meeting_link(siblings[p]));
        let next = siblings.get(pos + 1).map(|n| self.meeting_link(*n));
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
            // In a notice nothing is decided yet: any decision block is a proposal.
            has_proposals: doc
                .items
                .iter()
                .flat_map(|i| &i.parts)
                .chain(&doc.preamble)
                .chain(&doc.after)
                .any(|p| matches!(p, Part::Decision(_))),
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
                    label: i.label().map(str::to_string),
                    number: i.number_as_written().to_string(),
                    title: i.title().to_string(),
                    heading: i.heading.to_string(),
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
            let is_current = |s: &Step| match s {
                Step::Item {
                    meeting: sm,
                    document,
                    item: si,
                    sub_item,
                } => {
                    *sm == meeting
                        && *document == doc.kind
                        && self
                            .archive
                            .document(*sm, *document)
                            .is_some_and(|d| d.items[*si].number == item.number)
                        && *sub_item == it.sub_item
                }
                Step::Outside { .. } => false,
            };
            // A long thread shows the steps nearest this one; the thread page has all.
            let here = thread.steps.iter().position(is_current).unwrap_or(0);
            let first = here.saturating_sub(BOX_STEPS_AROUND);
            // A notice is what an invitation links to: its box shows the earlier
            // treatment of the item, up to this step.
            let notice = doc.kind == DocumentKind::Notice;
            let last = if notice {
                here + 1
            } else {
                (here + BOX_STEPS_AROUND + 1).min(thread.steps.len())
            };
            let steps = thread.steps[first..last]
                .iter()
                .map(|s| {
                    let mut v = self.step_summary(s);
                    v.current = is_current(s);
                    v
                })
                .collect();
            threads.push(ThreadBox {
                link: Link::new(urls::thread(&thread.id), &thread.title),
                sub_item: it.sub_item.clone(),
                status: status_label(thread.status).to_string(),
                level: 3,
                title: if notice {
                    "Tidligere behandling"
                } else {
                    "Saksgang"
                }
                .to_string(),
                steps,
                earlier: first,
                later: thread.steps.len() - last,
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
            label: item.label().map(str::to_string),
            number: item.number_as_written().to_string(),
            title: item.title().to_string(),
            heading: item.heading.to_string(),
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
                Affiliation::Organisation(o) => (format!("o:{o}"), o.to_string(), None),
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
            let text = |s: &Option<Box<str>>| s.as_deref().map(str::to_string);
            let view = PersonView {
                name: p.name.to_string(),
                substitute_for: text(&p.substitute_for),
                role: text(&p.role),
                chair: p.chair,
                note: text(&p.note),
                group: text(&p.group),
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
}
