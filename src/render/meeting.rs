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
            attendance_summary: self.attendance_summary(doc),
            present_count: doc.present.len(),
            absent_count: doc.absent.len(),
            any_absent: !doc.absent.is_empty(),
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

    /// One line for the top of the page: how many were present, from how many
    /// municipalities and which counties and organisations, how many of them
    /// as substitutes, and how many sent apologies. `None` when the document
    /// lists no one.
    ///
    /// A municipality is a member of kind `kommune` in `municipalities.yaml`
    /// (counted); a county (`fylkeskommune`) and anything else, an
    /// organisation such as KS, is named, as long as there are few of them.
    fn attendance_summary(&self, doc: &Document) -> Option<String> {
        /// Names this many or fewer; more are counted.
        const NAMED: usize = 3;
        if doc.present.is_empty() && doc.absent.is_empty() {
            return None;
        }
        let mut municipalities: Vec<usize> = Vec::new();
        let mut counties: Vec<&str> = Vec::new();
        let mut organisations: Vec<&str> = Vec::new();
        for p in &doc.present {
            match &p.affiliation {
                Affiliation::Municipality(m) => {
                    let mu = &self.archive.municipalities[m.0];
                    match mu.kind {
                        MunicipalityKind::Municipality => {
                            if !municipalities.contains(&m.0) {
                                municipalities.push(m.0);
                            }
                        }
                        MunicipalityKind::County => {
                            if !counties.contains(&mu.name.as_str()) {
                                counties.push(&mu.name);
                            }
                        }
                    }
                }
                Affiliation::Organisation(o) => {
                    if !organisations.contains(&&**o) {
                        organisations.push(o);
                    }
                }
            }
        }
        let mut from: Vec<String> = Vec::new();
        if !municipalities.is_empty() {
            from.push(norsk::count(municipalities.len(), "kommune", "kommuner"));
        }
        if counties.len() > NAMED {
            from.push(norsk::count(
                counties.len(),
                "fylkeskommune",
                "fylkeskommuner",
            ));
        } else {
            from.extend(counties.iter().map(|c| c.to_string()));
        }
        if organisations.len() > NAMED {
            from.push(norsk::count(
                organisations.len(),
                "organisasjon",
                "organisasjoner",
            ));
        } else {
            from.extend(organisations.iter().map(|o| o.to_string()));
        }
        let mut line = if doc.present.is_empty() {
            "Ingen er ført opp som til stede".to_string()
        } else {
            format!("{} til stede", doc.present.len())
        };
        if !from.is_empty() {
            line.push_str(" fra ");
            line.push_str(&and_list(&from));
        }
        let substitutes = doc
            .present
            .iter()
            .filter(|p| p.substitute_for.is_some())
            .count();
        if substitutes > 0 {
            line.push_str(&format!(" ({substitutes} møtte som vara)"));
        }
        if !doc.absent.is_empty() {
            line.push_str(&format!(", {} med forfall", doc.absent.len()));
        }
        line.push('.');
        Some(line)
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

/// `a`, `a og b`, `a, b og c`.
fn and_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::and_list;

    #[test]
    fn lists_join_with_og() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&w(&["16 kommuner"])), "16 kommuner");
        assert_eq!(
            and_list(&w(&["16 kommuner", "Vestregionen"])),
            "16 kommuner og Vestregionen"
        );
        assert_eq!(
            and_list(&w(&["2 kommuner", "KS", "NAV"])),
            "2 kommuner, KS og NAV"
        );
    }
}
