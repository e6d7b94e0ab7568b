//! The list pages: the front page, meetings, municipalities and bodies, with
//! their year pages. Each list longer than [`FULL_LIST`] is split by year, so no
//! page grows with the archive.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;

use super::*;

impl Renderer<'_> {
    pub(super) fn front_page(&self) -> FrontPage {
        let newest: Vec<MeetingLink> = (0..self.archive.meetings.len())
            .rev()
            .take(10)
            .map(|i| self.meeting_link(MeetingId(i)))
            .collect();
        let open: Vec<ThreadSummary> = self
            .index
            .threads
            .iter()
            .filter(|t| self.archive.threads[t.0].status == ThreadStatus::Open)
            .take(20)
            .map(|t| self.thread_summary(*t))
            .collect();
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

    fn year_links(
        &self,
        years: impl Iterator<Item = (i32, usize)>,
        href: impl Fn(i32) -> String,
    ) -> Vec<YearLink> {
        let mut out: Vec<YearLink> = years
            .map(|(year, count)| YearLink {
                year,
                href: href(year),
                count: Some(count),
            })
            .collect();
        out.sort_by_key(|y| std::cmp::Reverse(y.year));
        out
    }

    /// Meetings, newest first, grouped by year.
    fn by_year(&self, meetings: &[MeetingId]) -> Vec<YearOfMeetings> {
        let mut years: BTreeMap<i32, Vec<MeetingLink>> = BTreeMap::new();
        for m in meetings.iter().rev() {
            years
                .entry(self.archive.meetings[m.0].date.year())
                .or_default()
                .push(self.meeting_link(*m));
        }
        years
            .into_iter()
            .rev()
            .map(|(year, meetings)| YearOfMeetings { year, meetings })
            .collect()
    }

    /// `/moter/` (`year` None) or `/moter/2017/`.
    pub(super) fn meeting_list(&self, year: Option<i32>) -> MeetingList {
        let all = self.archive.meetings.len();
        let year_links = if all > FULL_LIST {
            self.year_links(
                self.index.by_year.iter().map(|(y, ms)| (*y, ms.len())),
                urls::meeting_year,
            )
        } else {
            Vec::new()
        };
        match year {
            Some(y) => MeetingList {
                title: format!("Møter i {y}"),
                year: Some(y),
                years: self.by_year(&self.index.by_year[&y]),
                year_links: uncounted(year_links),
                newest: Vec::new(),
                complete: true,
            },
            None => {
                let complete = all <= FULL_LIST;
                let everything: Vec<MeetingId> = (0..all).map(MeetingId).collect();
                MeetingList {
                    title: "Møter".to_string(),
                    year: None,
                    years: if complete {
                        self.by_year(&everything)
                    } else {
                        Vec::new()
                    },
                    year_links,
                    newest: if complete {
                        Vec::new()
                    } else {
                        everything
                            .iter()
                            .rev()
                            .take(20)
                            .map(|m| self.meeting_link(*m))
                            .collect()
                    },
                    complete,
                }
            }
        }
    }

    pub(super) fn municipality_list(&self) -> MunicipalityList {
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

    /// How a municipality was represented at one meeting.
    fn attendance_row(&self, id: MunicipalityId, meeting: MeetingId) -> AttendanceRow {
        let doc = self.archive.meetings[meeting.0].main_document();
        let here = |p: &&Participant| p.affiliation == Affiliation::Municipality(id);
        let present: Vec<&Participant> = doc.present.iter().filter(here).collect();
        let absent: Vec<&Participant> = doc.absent.iter().filter(here).collect();
        let (status, label) = if present.iter().any(|p| p.substitute_for.is_none()) {
            ("present", "Til stede")
        } else if !present.is_empty() {
            ("substitute", "Møtt med vara")
        } else {
            ("absent", "Forfall")
        };
        AttendanceRow {
            meeting: self.meeting_link(meeting),
            status: status.to_string(),
            label: label.to_string(),
            present: present
                .iter()
                .map(|p| AttendeeName {
                    name: p.name.to_string(),
                    substitute_for: p.substitute_for.as_ref().map(ToString::to_string),
                })
                .collect(),
            absent: absent.iter().map(|p| p.name.to_string()).collect(),
        }
    }

    /// How each municipality was represented at a meeting; None when the
    /// meeting has no attendance list at all. O(attendees).
    fn presence(&self, meeting: MeetingId) -> Option<BTreeMap<MunicipalityId, Presence>> {
        let doc = self.archive.meetings[meeting.0].main_document();
        if doc.present.is_empty() && doc.absent.is_empty() {
            return None;
        }
        let mut out: BTreeMap<MunicipalityId, Presence> = BTreeMap::new();
        for p in &doc.absent {
            if let Affiliation::Municipality(mu) = p.affiliation {
                out.entry(mu).or_insert(Presence::Absent);
            }
        }
        for p in &doc.present {
            if let Affiliation::Municipality(mu) = p.affiliation {
                let now = if p.substitute_for.is_none() {
                    Presence::Present
                } else {
                    Presence::Substitute
                };
                let e = out.entry(mu).or_insert(now);
                // Someone present beats apologies; the regular member beats a substitute.
                if *e == Presence::Absent || now == Presence::Present {
                    *e = now;
                }
            }
        }
        Some(out)
    }

    /// How one municipality was represented at a meeting: as
    /// [`Renderer::presence`] has it, without a map of them all. O(attendees).
    fn presence_of(&self, meeting: MeetingId, id: MunicipalityId) -> Presence {
        let doc = self.archive.meetings[meeting.0].main_document();
        if doc.present.is_empty() && doc.absent.is_empty() {
            return Presence::Unknown;
        }
        let here = |p: &&Participant| p.affiliation == Affiliation::Municipality(id);
        let mut seen = doc
            .absent
            .iter()
            .any(|p| here(&p))
            .then_some(Presence::Absent);
        for p in doc.present.iter().filter(here) {
            let now = if p.substitute_for.is_none() {
                Presence::Present
            } else {
                Presence::Substitute
            };
            // Someone present beats apologies; the regular member beats a substitute.
            if seen.is_none_or(|e| e == Presence::Absent || now == Presence::Present) {
                seen = Some(now);
            }
        }
        seen.unwrap_or(Presence::Missing)
    }

    fn attendance_mark(&self, id: MunicipalityId, meeting: MeetingId) -> AttendanceMark {
        self.presence_of(meeting, id)
            .mark(self.meeting_links[meeting.0].date.clone())
    }

    /// Per body, a mark for each of its meetings from the first to the last of
    /// `listed`, the newest `cap` of them. O(marks × attendees).
    fn strips(
        &self,
        id: MunicipalityId,
        listed: &[MeetingId],
        cap: Option<usize>,
    ) -> Vec<AttendanceStrip> {
        let mut span: BTreeMap<BodyId, (usize, usize)> = BTreeMap::new();
        for m in listed {
            let place = self.index.place_in_body[m.0];
            let e = span
                .entry(self.archive.meetings[m.0].body)
                .or_insert((place, place));
            e.0 = e.0.min(place);
            e.1 = e.1.max(place);
        }
        span.into_iter()
            .map(|(b, (first, last))| {
                let total = last - first + 1;
                let from = last + 1 - cap.map_or(total, |c| c.min(total));
                AttendanceStrip {
                    body: self.body_link(b),
                    marks: self.index.by_body[b.0][from..=last]
                        .iter()
                        .map(|m| self.attendance_mark(id, *m))
                        .collect(),
                    total,
                }
            })
            .collect()
    }

    /// Municipalities × `meetings` (oldest first); None when no municipality is
    /// listed at any of them. O(meetings × (attendees + rows)).
    fn matrix(
        &self,
        meetings: &[MeetingId],
        caption: String,
        with_year: bool,
    ) -> Option<AttendanceMatrix> {
        let columns: Vec<Option<BTreeMap<MunicipalityId, Presence>>> =
            meetings.iter().map(|m| self.presence(*m)).collect();
        let seen: BTreeSet<MunicipalityId> = columns
            .iter()
            .flatten()
            .flat_map(|c| c.keys().copied())
            .collect();
        if seen.is_empty() {
            return None;
        }
        let mut rows: Vec<MatrixRow> = seen
            .into_iter()
            .map(|mu| {
                let o = &self.archive.municipalities[mu.0];
                MatrixRow {
                    municipality: Link::new(urls::municipality(&o.id), &o.name),
                    cells: meetings
                        .iter()
                        .zip(&columns)
                        .map(|(m, c)| {
                            let p = match c {
                                None => Presence::Unknown,
                                Some(c) => c.get(&mu).copied().unwrap_or(Presence::Missing),
                            };
                            p.mark(self.meeting_links[m.0].date.clone())
                        })
                        .collect(),
                }
            })
            .collect();
        norsk::sort_by_name(&mut rows, |r| &r.municipality.text);
        Some(AttendanceMatrix {
            caption,
            meetings: meetings
                .iter()
                .map(|m| {
                    let d = self.archive.meetings[m.0].date;
                    MatrixMeeting {
                        meeting: self.meeting_link(*m),
                        day: if with_year {
                            d.format("%d.%m.%y").to_string()
                        } else {
                            d.format("%d.%m.").to_string()
                        },
                    }
                })
                .collect(),
            rows,
        })
    }

    fn mention_row(&self, at: ItemRef) -> MentionRow {
        let (meeting, kind, item) = (at.meeting(), at.kind(), at.item as usize);
        let m = &self.archive.meetings[meeting.0];
        let doc = self
            .archive
            .document(meeting, kind)
            .expect("indexed documents exist");
        let item = &doc.items[item];
        let base = if kind == DocumentKind::Notice && m.minutes.is_some() {
            urls::notice(&m.slug)
        } else {
            urls::meeting(&m.slug)
        };
        MentionRow {
            meeting: self.meeting_link(meeting),
            kind: if kind == DocumentKind::Notice {
                "innkalling"
            } else {
                "referat"
            }
            .to_string(),
            item: Link::new(
                format!("{base}#{}", item.number.anchor()),
                &format!(
                    "{} {} {}",
                    item.label().unwrap_or("Sak"),
                    item.number_as_written(),
                    item.title()
                ),
            ),
        }
    }

    /// Whether a municipality's attendance or mentions are too many for one page.
    pub(super) fn municipality_split(&self, id: MunicipalityId) -> bool {
        let listed: usize = self.index.listed[id.0].values().map(Vec::len).sum();
        let mentioned: usize = self.index.mentioned[id.0].values().map(Vec::len).sum();
        listed > FULL_LIST || mentioned > FULL_LIST
    }

    /// The years a municipality has attendance or mentions in.
    pub(super) fn municipality_year_list(&self, id: MunicipalityId) -> BTreeSet<i32> {
        self.index.listed[id.0]
            .keys()
            .chain(self.index.mentioned[id.0].keys())
            .copied()
            .collect()
    }

    fn municipality_years(&self, id: MunicipalityId) -> Vec<YearLink> {
        if !self.municipality_split(id) {
            return Vec::new();
        }
        let years = self.municipality_year_list(id);
        let mu = &self.archive.municipalities[id.0];
        self.year_links(
            years
                .into_iter()
                .map(|y| (y, self.index.listed[id.0].get(&y).map_or(0, Vec::len))),
            |y| urls::municipality_year(&mu.id, y),
        )
    }

    pub(super) fn municipality(&self, id: MunicipalityId) -> MunicipalityPage {
        let mu = &self.archive.municipalities[id.0];
        let listed: Vec<MeetingId> = self.index.listed[id.0]
            .values()
            .flatten()
            .copied()
            .collect();
        let mut rates: BTreeMap<BodyId, (usize, usize, usize)> = BTreeMap::new();
        let mut people: BTreeMap<PersonId, (BTreeSet<String>, usize, usize)> = BTreeMap::new();
        let mut rows = Vec::new();
        for m in &listed {
            let row = self.attendance_row(id, *m);
            let r = rates.entry(self.archive.meetings[m.0].body).or_default();
            match row.status.as_str() {
                "present" => r.0 += 1,
                "substitute" => r.1 += 1,
                _ => r.2 += 1,
            }
            let doc = self.archive.meetings[m.0].main_document();
            let here = |p: &&Participant| p.affiliation == Affiliation::Municipality(id);
            for p in doc.present.iter().filter(here) {
                let e = people.entry(p.person).or_default();
                e.0.insert(p.name.to_string());
                e.1 += 1;
            }
            for p in doc.absent.iter().filter(here) {
                let e = people.entry(p.person).or_default();
                e.0.insert(p.name.to_string());
                e.2 += 1;
            }
            if listed.len() <= FULL_LIST {
                rows.push(row);
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
            .map(|(p, (spellings, meetings, absences))| {
                let name = &self.archive.people[p.0].name;
                PersonRow {
                    name: name.clone(),
                    spellings: spellings.into_iter().filter(|s| s != name).collect(),
                    meetings,
                    absences,
                }
            })
            .collect();
        norsk::sort_by_name(&mut people, |p| &p.name);
        let mentioned: Vec<_> = self.index.mentioned[id.0]
            .values()
            .flatten()
            .copied()
            .collect();
        let link = |m: &MunicipalityId| {
            let o = &self.archive.municipalities[m.0];
            Link::new(urls::municipality(&o.id), &o.name)
        };
        MunicipalityPage {
            title: mu.name.clone(),
            number: mu.number.clone(),
            county: mu.kind == MunicipalityKind::County,
            region: mu.region.clone(),
            aliases: mu.aliases.clone(),
            valid_to: mu.valid_to.map(norsk::date_without_weekday),
            merged_into: mu.merged_into.iter().map(link).collect(),
            merged_from: (0..self.archive.municipalities.len())
                .map(MunicipalityId)
                .filter(|o| self.archive.municipalities[o.0].merged_into.contains(&id))
                .map(|o| link(&o))
                .collect(),
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
            strips: self.strips(id, &listed, Some(STRIP_NEWEST)),
            listed: listed.len(),
            attendance_complete: listed.len() <= FULL_LIST,
            attendance: rows,
            people,
            mentions_complete: mentioned.len() <= FULL_LIST,
            mention_count: mentioned.len(),
            mentions: if mentioned.len() <= FULL_LIST {
                mentioned.into_iter().map(|m| self.mention_row(m)).collect()
            } else {
                Vec::new()
            },
            years: self.municipality_years(id),
        }
    }

    pub(super) fn municipality_year(&self, id: MunicipalityId, year: i32) -> MunicipalityYearPage {
        let mu = &self.archive.municipalities[id.0];
        let listed = self.index.listed[id.0]
            .get(&year)
            .map_or(&[][..], Vec::as_slice);
        MunicipalityYearPage {
            strips: self.strips(id, listed, None),
            title: format!("{} i {year}", mu.name),
            municipality: Link::new(urls::municipality(&mu.id), &mu.name),
            year,
            attendance: self.index.listed[id.0]
                .get(&year)
                .map(|ms| ms.iter().map(|m| self.attendance_row(id, *m)).collect())
                .unwrap_or_default(),
            mentions: self.index.mentioned[id.0]
                .get(&year)
                .map(|ms| ms.iter().map(|m| self.mention_row(*m)).collect())
                .unwrap_or_default(),
            years: uncounted(self.municipality_years(id)),
        }
    }

    pub(super) fn body_list(&self) -> BodyList {
        let mut bodies: Vec<BodyEntry> = self
            .archive
            .bodies
            .iter()
            .enumerate()
            .map(|(i, b)| BodyEntry {
                link: Link::new(urls::body(&b.id), &b.name),
                organisation: b.organisation.clone(),
                meetings: self.index.by_body[i].len(),
            })
            .collect();
        norsk::sort_by_name(&mut bodies, |b| &b.link.text);
        BodyList {
            title: "Organer".to_string(),
            bodies,
        }
    }

    /// The people present at a body's meetings, by municipality and name.
    fn members(&self, meetings: &[MeetingId]) -> Vec<MemberRow> {
        let mut rows: BTreeMap<PersonId, MemberRow> = BTreeMap::new();
        for m in meetings {
            for p in &self.archive.meetings[m.0].main_document().present {
                let affiliation = match &p.affiliation {
                    Affiliation::Municipality(mu) => self.archive.municipalities[mu.0].name.clone(),
                    Affiliation::Organisation(o) => o.to_string(),
                };
                let row = rows.entry(p.person).or_insert_with(|| MemberRow {
                    name: self.archive.people[p.person.0].name.clone(),
                    affiliation,
                    meetings: 0,
                    substitute: true,
                });
                row.meetings += 1;
                row.substitute &= p.substitute_for.is_some();
            }
        }
        let mut members: Vec<MemberRow> = rows.into_values().collect();
        members.sort_by(|a, b| {
            norsk::compare(&a.affiliation, &b.affiliation)
                .then_with(|| norsk::compare(&a.name, &b.name))
        });
        members
    }

    fn body_meetings_by_year(&self, id: BodyId) -> BTreeMap<i32, Vec<MeetingId>> {
        let mut years: BTreeMap<i32, Vec<MeetingId>> = BTreeMap::new();
        for m in &self.index.by_body[id.0] {
            years
                .entry(self.archive.meetings[m.0].date.year())
                .or_default()
                .push(*m);
        }
        years
    }

    pub(super) fn body(&self, id: BodyId) -> BodyPage {
        let b = &self.archive.bodies[id.0];
        let meetings = &self.index.by_body[id.0];
        let complete = meetings.len() <= FULL_LIST;
        let years = self.body_meetings_by_year(id);
        BodyPage {
            title: b.name.clone(),
            organisation: b.organisation.clone(),
            complete,
            years: if complete {
                self.by_year(meetings)
            } else {
                Vec::new()
            },
            newest: if complete {
                Vec::new()
            } else {
                meetings
                    .iter()
                    .rev()
                    .take(10)
                    .map(|m| self.meeting_link(*m))
                    .collect()
            },
            members: if complete {
                years
                    .iter()
                    .rev()
                    .map(|(year, ms)| YearOfMembers {
                        year: *year,
                        members: self.members(ms),
                    })
                    // A year of notices only has no one present: no empty table.
                    .filter(|y| !y.members.is_empty())
                    .collect()
            } else {
                Vec::new()
            },
            matrices: if complete {
                years
                    .iter()
                    .rev()
                    .filter_map(|(year, ms)| self.matrix(ms, format!("Oppmøte i {year}"), false))
                    .collect()
            } else {
                let from = meetings.len().saturating_sub(MATRIX_NEWEST);
                self.matrix(
                    &meetings[from..],
                    format!("Oppmøte på de {MATRIX_NEWEST} siste møtene"),
                    true,
                )
                .into_iter()
                .collect()
            },
            year_links: if complete {
                Vec::new()
            } else {
                self.year_links(years.iter().map(|(y, ms)| (*y, ms.len())), |y| {
                    urls::body_year(&b.id, y)
                })
            },
        }
    }

    pub(super) fn body_year(&self, id: BodyId, year: i32) -> BodyYearPage {
        let b = &self.archive.bodies[id.0];
        let years = self.body_meetings_by_year(id);
        let meetings = years.get(&year).cloned().unwrap_or_default();
        BodyYearPage {
            title: format!("{} i {year}", b.name),
            body: Link::new(urls::body(&b.id), &b.name),
            year,
            meetings: meetings
                .iter()
                .rev()
                .map(|m| self.meeting_link(*m))
                .collect(),
            members: self.members(&meetings),
            matrix: self.matrix(&meetings, format!("Oppmøte i {year}"), false),
            years: uncounted(
                self.year_links(years.iter().map(|(y, ms)| (*y, ms.len())), |y| {
                    urls::body_year(&b.id, y)
                }),
            ),
        }
    }
}

/// The links between year pages, without their counts: a year page then
/// depends only on its own year's meetings and on which years there are, so a
/// meeting added to one year leaves the pages of every other year as they were
/// (an incremental build neither makes nor writes them again). The summary
/// page above them keeps the counts.
fn uncounted(mut years: Vec<YearLink>) -> Vec<YearLink> {
    for y in &mut years {
        y.count = None;
    }
    years
}

/// How many of a body's newest meetings a municipality page draws per body.
pub(super) const STRIP_NEWEST: usize = FULL_LIST;
/// How many of its newest meetings a body page with year pages shows in its
/// attendance matrix.
pub(super) const MATRIX_NEWEST: usize = 12;

/// How a municipality was represented at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// Its regular member came.
    Present,
    /// Only a substitute came.
    Substitute,
    /// Apologies only.
    Absent,
    /// Not listed at a meeting with an attendance list.
    Missing,
    /// The meeting has no attendance list.
    Unknown,
}

impl Presence {
    fn mark(self, date: String) -> AttendanceMark {
        let (status, letter, label) = match self {
            Presence::Present => ("present", "T", "til stede"),
            Presence::Substitute => ("substitute", "V", "møtt med vara"),
            Presence::Absent => ("absent", "F", "forfall"),
            Presence::Missing => ("missing", "–", "ikke ført opp"),
            Presence::Unknown => ("unknown", "?", "ingen oppmøteliste"),
        };
        AttendanceMark {
            status: status.to_string(),
            letter: letter.to_string(),
            label: label.to_string(),
            date,
        }
    }
}
