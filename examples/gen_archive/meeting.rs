//! One meeting at a time: its plan (attendance, items, decisions), then its minutes, its
//! notice and its Hugo page rendered from the plan.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};
use fastrand::Rng;

use crate::words;
use crate::world::{Ctx, World, capitalize, date_words, fill, merge_day, pick};

/// Largest size a minutes file is planned to; the hard limit is 16 KiB.
const MAX_PLANNED: usize = 15_300;
const MIN_BYTES: usize = 2_300;
const MAX_BYTES: usize = 16 * 1024;

pub(crate) struct Attendee {
    pub(crate) name: String,
    pub(crate) municipality: Option<usize>,
    pub(crate) organisation: Option<String>,
    pub(crate) substitute_for: Option<String>,
    pub(crate) role: Option<&'static str>,
}

struct SubItem {
    letter: char,
    title: String,
    para: String,
    proposal: String,
    decision: String,
}

struct ItemPlan {
    no: u32,
    title: String,
    /// Markdown blocks of the minutes; the notice shows the first.
    paras: Vec<String>,
    section: Option<(&'static str, String)>,
    proposal: String,
    decision: String,
    /// The minutes show the proposal before the decision.
    show_proposal: bool,
    subs: Vec<SubItem>,
}

pub(crate) struct Meeting {
    pub(crate) body: usize,
    pub(crate) date: NaiveDate,
    pub(crate) has_notice: bool,
    time: String,
    place: String,
    pub(crate) present: Vec<Attendee>,
    pub(crate) absent: Vec<Attendee>,
    secretariat: Vec<String>,
    preamble: String,
    notice_preamble: String,
    items: Vec<ItemPlan>,
    closing: Vec<(&'static str, String)>,
    /// `items:` of the front matter: (number, sub-item letter) → threads.
    pub(crate) threads: BTreeMap<(u32, Option<char>), Vec<usize>>,
}

#[derive(Clone, Copy)]
struct ItemRef {
    body: usize,
    date: NaiveDate,
    no: u32,
}

struct PastMeeting {
    date: NaiveDate,
    first: u32,
    last: u32,
}

#[derive(Default)]
struct BodyState {
    year: i32,
    next_no: u32,
    recent: VecDeque<PastMeeting>,
}

pub(crate) struct Gen<'w> {
    world: &'w World,
    rng: Rng,
    bodies: Vec<BodyState>,
    thread_last: Vec<Option<ItemRef>>,
    /// Per body: threads that have started and may still be going on.
    active: Vec<Vec<usize>>,
    next_thread: usize,
}

/// "06/2017", "120/2019"
pub(crate) fn item_no(no: u32, year: i32) -> String {
    format!("{no:02}/{year}")
}

/// The path of a meeting's document, under content/.
pub(crate) fn meeting_slug(world: &World, body: usize, date: NaiveDate) -> String {
    format!("{}-{}", date.format("%Y-%m-%d"), world.bodies[body].id)
}

fn num_date(rng: &mut Rng, d: NaiveDate) -> String {
    if rng.bool() {
        format!("{}.{}.{}", d.day(), d.month(), d.year())
    } else {
        d.format("%d.%m.%Y").to_string()
    }
}

fn amend(rng: &mut Rng, text: &str) -> String {
    let n = words::AMENDMENTS.len();
    let start = rng.usize(..n);
    for k in 0..n {
        let (from, to) = words::AMENDMENTS[(start + k) % n];
        if let Some(at) = text.find(from) {
            let mut out = String::with_capacity(text.len() + to.len());
            out.push_str(&text[..at]);
            out.push_str(to);
            out.push_str(&text[at + from.len()..]);
            return out;
        }
    }
    format!("{text} Saken følges opp i neste møte.")
}

impl<'w> Gen<'w> {
    pub(crate) fn new(world: &'w World, seed: u64) -> Gen<'w> {
        Gen {
            world,
            rng: Rng::with_seed(seed ^ 0x5eed_a5c1_1e55_0001),
            bodies: world.bodies.iter().map(|_| BodyState::default()).collect(),
            thread_last: vec![None; world.threads.len()],
            active: vec![Vec::new(); world.bodies.len()],
            next_thread: 0,
        }
    }

    /// The meetings of one year, as (date, body), sorted: `count` of them, spread over the
    /// bodies by weight, at most `cap` per body, on distinct working days per body.
    pub(crate) fn schedule_year(
        &mut self,
        year: i32,
        count: usize,
        cap: usize,
    ) -> Vec<(NaiveDate, usize)> {
        let rng = &mut self.rng;
        let bodies = &self.world.bodies;
        let mut days: Vec<NaiveDate> = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(year, 1, 2).unwrap();
        while d.year() == year {
            let weekday = d.weekday().number_from_monday();
            let holiday = d.month() == 7 || (d.month() == 12 && d.day() >= 20);
            if weekday <= 5 && !holiday {
                days.push(d);
            }
            d += Duration::days(1);
        }
        let cap = cap.min(days.len());
        let total_weight: u32 = bodies.iter().map(|b| b.weight).sum();
        let mut per_body = vec![0usize; bodies.len()];
        let mut placed = 0;
        while placed < count {
            let mut w = rng.u32(..total_weight);
            let mut b = 0;
            while w >= bodies[b].weight {
                w -= bodies[b].weight;
                b += 1;
            }
            if per_body[b] >= cap {
                // Full: the next body with room takes it.
                match (0..bodies.len()).find(|&o| per_body[o] < cap) {
                    Some(o) => b = o,
                    None => break,
                }
            }
            per_body[b] += 1;
            placed += 1;
        }
        let mut out = Vec::with_capacity(count);
        for (b, &k) in per_body.iter().enumerate() {
            // A partial Fisher–Yates: k distinct days.
            for i in 0..k {
                let j = i + rng.usize(..days.len() - i);
                days.swap(i, j);
                out.push((days[i], b));
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether the next meeting also has a notice (about one in five).
    pub(crate) fn roll_notice(&mut self) -> bool {
        self.rng.u32(..5) == 0
    }

    fn munis(&self, body: usize, date: NaiveDate) -> &'w [usize] {
        let b = &self.world.bodies[body];
        if date <= merge_day() {
            &b.prose_before
        } else {
            &b.prose_after
        }
    }

    fn ctx(&self, body: usize, date: NaiveDate) -> Ctx<'w> {
        Ctx {
            date,
            munis: self.munis(body, date),
            body_name: self.world.bodies[body].name,
        }
    }

    fn sentence(&mut self, out: &mut String, tpl: &str, ctx: &Ctx<'_>) {
        fill(&mut self.rng, self.world, out, tpl, ctx);
    }

    /// A paragraph of about `target` bytes.
    fn paragraph(&mut self, target: usize, ctx: &Ctx<'_>) -> String {
        let mut p = String::with_capacity(target + 200);
        while p.len() < target {
            if !p.is_empty() {
                p.push(' ');
            }
            let tpl = pick(&mut self.rng, words::SENTENCES);
            self.sentence(&mut p, tpl, ctx);
        }
        p
    }

    fn list(&mut self, ctx: &Ctx<'_>) -> String {
        let mut s = String::new();
        s.push_str(pick(&mut self.rng, words::LIST_INTROS));
        s.push_str("\n\n");
        for _ in 0..2 + self.rng.usize(..4) {
            s.push_str("- ");
            let tpl = pick(&mut self.rng, words::LIST_POINTS);
            self.sentence(&mut s, tpl, ctx);
            s.push('\n');
        }
        s.pop();
        s
    }

    fn decision_text(&mut self, ctx: &Ctx<'_>) -> String {
        let mut s = String::new();
        if self.rng.u32(..7) == 0 {
            for i in 1..=2 + self.rng.usize(..3) {
                if i > 1 {
                    s.push('\n');
                }
                write!(s, "{i}. ").unwrap();
                let tpl = pick(&mut self.rng, words::DECISIONS);
                self.sentence(&mut s, tpl, ctx);
            }
        } else {
            let tpl = pick(&mut self.rng, words::DECISIONS);
            self.sentence(&mut s, tpl, ctx);
        }
        s
    }

    /// A sentence that refers to an item or a meeting of some body: mostly one in the
    /// archive, now and then one that is not.
    fn reference(&mut self, own_body: usize, own_date: NaiveDate) -> Option<String> {
        let rng = &mut self.rng;
        let with_past: Vec<usize> = (0..self.bodies.len())
            .filter(|&b| !self.bodies[b].recent.is_empty())
            .collect();
        if with_past.is_empty() {
            return None;
        }
        let b = if rng.bool() && !self.bodies[own_body].recent.is_empty() {
            own_body
        } else {
            pick(rng, &with_past)
        };
        let body = &self.world.bodies[b];
        let recent = &self.bodies[b].recent;
        let past = &recent[rng.usize(..recent.len())];
        let exists = rng.u32(..5) != 0;
        let (date, no) = if exists {
            (past.date, past.first + rng.u32(..=past.last - past.first))
        } else if rng.bool() {
            (past.date, (past.last + 1 + rng.u32(..40)).min(999))
        } else {
            (past.date - Duration::days(1 + rng.i64(0..5)), past.first)
        };
        let year = date.year();
        let number = if year / 100 == own_date.year() / 100 && rng.u32(..10) == 0 {
            format!("{no}/{:02}", year % 100)
        } else {
            item_no(no, year)
        };
        let d = num_date(rng, date);
        Some(match rng.u32(..7) {
            0 => format!(
                "Saken ble drøftet i {} møte {d}, sak {number}.",
                body.genitive
            ),
            1 => format!(
                "Det vises til behandlingen i {} møte {d}, sak {number}.",
                body.genitive
            ),
            2 => format!(
                "{} behandlet saken i møte {d}, sak {number}, og ba om en ny vurdering.",
                capitalize(body.nominative)
            ),
            3 if exists => format!("Jf. {} vedtak i sak {number}.", body.genitive),
            4 => format!("Saken var også oppe i {} møte {d}.", body.genitive),
            5 => format!(
                "Spørsmålet ble også nevnt i møtet den {}. {}.",
                date.day(),
                words::MONTHS[date.month0() as usize]
            ),
            _ => format!(
                "Vedtaket i {} møte {d}, sak {number}, ligger til grunn for det videre arbeidet.",
                body.genitive
            ),
        })
    }

    fn attendees(&mut self, body: usize, date: NaiveDate) -> (Vec<Attendee>, Vec<Attendee>) {
        let world = self.world;
        let rng = &mut self.rng;
        let b = &world.bodies[body];
        let members = if date <= merge_day() {
            &b.members_before
        } else {
            &b.members_after
        };
        let mut order = members.clone();
        rng.shuffle(&mut order);
        let k = (5 + rng.usize(..16)).min(order.len());
        let n_absent = rng.usize(..=10).min(order.len() - k);
        let regular = |m: usize| {
            let people = &world.municipalities[m].people;
            people[(body + m) % people.len()]
        };
        let mut present = Vec::with_capacity(k + 1);
        for &m in &order[..k] {
            let reg = regular(m);
            let (who, substitute_for) = if rng.u32(..7) == 0 {
                let people = &world.municipalities[m].people;
                let other = people[(body + m + 1 + rng.usize(..3)) % people.len()];
                (other, Some(world.people[reg].name.clone()))
            } else {
                (reg, None)
            };
            present.push(Attendee {
                name: world.people[who].name.clone(),
                municipality: Some(m),
                organisation: None,
                substitute_for,
                role: None,
            });
        }
        // The chair is one who is not standing in for another; listed first.
        if let Some(c) = present.iter().position(|a| a.substitute_for.is_none()) {
            let mut chair = present.remove(c);
            chair.role = Some("møteleder");
            present.insert(0, chair);
        }
        if rng.u32(..8) == 0 {
            let (org, name) = pick(rng, words::OBSERVERS);
            let org = if org == "Statsforvalteren" && date.year() < 2021 {
                "Fylkesmannen"
            } else {
                org
            };
            present.push(Attendee {
                name: name.to_string(),
                municipality: None,
                organisation: Some(org.to_string()),
                substitute_for: None,
                role: Some("observatør"),
            });
        }
        let absent = order[k..k + n_absent]
            .iter()
            .map(|&m| Attendee {
                name: world.people[regular(m)].name.clone(),
                municipality: Some(m),
                organisation: None,
                substitute_for: None,
                role: None,
            })
            .collect();
        (present, absent)
    }

    /// Plans the next meeting (meetings come in date order).
    pub(crate) fn meeting(&mut self, body: usize, date: NaiveDate, has_notice: bool) -> Meeting {
        let world = self.world;
        let year = date.year();
        // Threads that have started by now join the lists of their bodies.
        while self.next_thread < world.threads.len()
            && world.threads[self.next_thread].start <= date
        {
            for &b in &world.threads[self.next_thread].bodies {
                self.active[b].push(self.next_thread);
            }
            self.next_thread += 1;
        }
        self.active[body].retain(|&t| world.threads[t].end >= date);
        if self.bodies[body].year != year {
            self.bodies[body].year = year;
            self.bodies[body].next_no = 1;
        }
        let prev = self.bodies[body].recent.back().map(|p| p.date);
        let ctx = self.ctx(body, date);
        let b = &world.bodies[body];

        let (present, absent) = self.attendees(body, date);
        let org = &world.organisations[b.organisation];
        let mut secretariat: Vec<String> = org.secretariat.clone();
        self.rng.shuffle(&mut secretariat);
        secretariat.truncate(1 + self.rng.usize(..3));
        secretariat.sort();

        let start_h = 8 + self.rng.u32(..6);
        let start_m = pick(&mut self.rng, &[0, 0, 15, 30]);
        let len_min = 90 + 30 * self.rng.u32(..10);
        let end = start_h * 60 + start_m + len_min;
        let time = format!(
            "kl. {start_h:02}.{start_m:02} – {:02}.{:02}",
            end / 60,
            end % 60
        );
        let m_name = |g: &mut Self| {
            let m = pick(&mut g.rng, ctx.munis);
            world.municipalities[m].name.clone()
        };
        let place = match self.rng.u32(..6) {
            0 => format!("{} rådhus", m_name(self)),
            1 => format!("Kommunehuset i {}", m_name(self)),
            2 => format!(
                "{} kulturhus, møterom {}",
                m_name(self),
                1 + self.rng.u32(..5)
            ),
            3 => "Teams".to_string(),
            4 => format!("Midtregionens lokaler, {}", m_name(self)),
            _ => format!("{} rådhus, kommunestyresalen", m_name(self)),
        };

        // Preamble.
        let mut preamble = String::new();
        let approve_as_item = prev.is_some() && self.rng.bool();
        if let Some(chair) = present.first().filter(|_| self.rng.bool()) {
            writeln!(preamble, "Møtet ble ledet av {}.\n", chair.name).unwrap();
        }
        preamble.push_str("Innkalling og saksliste ble godkjent uten merknader.");
        if let (Some(p), false) = (prev, approve_as_item) {
            let d = num_date(&mut self.rng, p);
            write!(preamble, " Referat fra møte {d} ble godkjent.").unwrap();
        }
        if self.rng.bool() {
            preamble.push_str("\n\nSaker til behandling:");
        }
        let notice_preamble = format!(
            "Det innkalles med dette til {} {}, {time}. Møtested: {place}.\n\nForfall meldes til sekretariatet ved {} innen {}.",
            b.title_phrase,
            date_words(date),
            secretariat[0],
            date_words(date - Duration::days(3)),
        );

        // Size budget.
        let fm_estimate = 400
            + present
                .iter()
                .chain(&absent)
                .map(|a| {
                    let for_len = a.substitute_for.as_ref().map_or(0, |f| f.len() + 7);
                    let muni = a
                        .municipality
                        .map_or(30, |m| world.municipalities[m].id.len());
                    a.name.len() + muni + for_len + 45
                })
                .sum::<usize>();
        let r = self.rng.f64();
        let target = MIN_BYTES + (r * r * (MAX_PLANNED - MIN_BYTES) as f64) as usize;
        let room = target.saturating_sub(fm_estimate + preamble.len());
        let mut n_items = 4 + self.rng.usize(..17);
        n_items = n_items.min((room / 330).max(4));
        let first_no = self.bodies[body].next_no;
        n_items = n_items
            .min(999usize.saturating_sub(first_no as usize - 1))
            .max(1);
        let per_item = (room / n_items).max(260);

        let mut items = Vec::with_capacity(n_items);
        let mut threads: BTreeMap<(u32, Option<char>), Vec<usize>> = BTreeMap::new();
        let mut used_threads: Vec<usize> = Vec::new();
        let mut used = fm_estimate + preamble.len();
        for i in 0..n_items {
            if i >= 4 && used + per_item > MAX_PLANNED {
                break;
            }
            let no = first_no + i as u32;
            let item = if i == 0 && approve_as_item {
                let d = num_date(&mut self.rng, prev.unwrap());
                ItemPlan {
                    no,
                    title: "Godkjenning av referat fra forrige møte".to_string(),
                    paras: vec![format!("Til behandling forelå referat fra møte {d}.")],
                    section: None,
                    proposal: "Framlagt forslag til referat godkjennes.".to_string(),
                    decision: "Framlagt forslag til referat godkjennes.".to_string(),
                    show_proposal: false,
                    subs: Vec::new(),
                }
            } else {
                self.item(
                    body,
                    date,
                    no,
                    per_item,
                    has_notice,
                    &ctx,
                    &mut threads,
                    &mut used_threads,
                )
            };
            used += item_size(&item);
            items.push(item);
        }
        let mut closing = Vec::new();
        match self.rng.u32(..4) {
            0 => closing.push(("Eventuelt", "Ingen saker meldt.".to_string())),
            1 => {
                let next = date + Duration::days(28 + self.rng.i64(0..60));
                let text = format!("Neste møte holdes {} i {place}.", date_words(next));
                closing.push(("Neste møte", text));
            }
            _ => {}
        }
        // Small documents get a closing section of some length.
        if used < MIN_BYTES + 200 {
            let p = self.paragraph(MIN_BYTES + 300 - used, &ctx);
            closing.push(("Orienteringer", p));
        }

        let mut m = Meeting {
            body,
            date,
            has_notice,
            time,
            place,
            present,
            absent,
            secretariat,
            preamble,
            notice_preamble,
            items,
            closing,
            threads,
        };
        // The size plan is an estimate: items that would take the minutes past 16 KiB go.
        while m.minutes_len(world) > MAX_BYTES && m.shrink() {}
        let len = m.minutes_len(world);
        if len < MIN_BYTES {
            let p = self.paragraph(MIN_BYTES - len, &ctx);
            m.closing.push(("Orienteringer", p));
        }

        let last_no = m.items.last().map_or(first_no, |i| i.no);
        let state = &mut self.bodies[body];
        state.next_no = last_no + 1;
        state.recent.push_back(PastMeeting {
            date,
            first: first_no,
            last: last_no,
        });
        if state.recent.len() > 12 {
            state.recent.pop_front();
        }
        for (&(no, _), ts) in &m.threads {
            for &t in ts {
                self.thread_last[t] = Some(ItemRef { body, date, no });
            }
        }
        m
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        &mut self,
        body: usize,
        date: NaiveDate,
        no: u32,
        budget: usize,
        has_notice: bool,
        ctx: &Ctx<'_>,
        threads: &mut BTreeMap<(u32, Option<char>), Vec<usize>>,
        used_threads: &mut Vec<usize>,
    ) -> ItemPlan {
        let world = self.world;
        // About one item in four or five belongs to a thread that is going on in this body.
        let thread = if self.rng.u32(..4) == 0 {
            let candidates: Vec<usize> = self.active[body]
                .iter()
                .copied()
                .filter(|t| !used_threads.contains(t))
                .collect();
            (!candidates.is_empty()).then(|| pick(&mut self.rng, &candidates))
        } else {
            None
        };
        let with_subs = budget > 900 && self.rng.u32(..10) == 0;
        let mut title = String::new();
        if with_subs {
            title.push_str(pick(
                &mut self.rng,
                &[
                    "Prosjekter innen prioriterte satsingsområder",
                    "Orienteringssaker",
                    "Saker fra fagnettverkene",
                    "Øvrige orienteringer, meldinger og informasjon",
                ],
            ));
        } else if let Some(t) = thread {
            let t = &world.threads[t];
            if self.rng.bool() {
                title.push_str(&t.title);
            } else {
                write!(
                    title,
                    "{} – {}",
                    t.title,
                    pick(&mut self.rng, words::THREAD_SUFFIXES)
                )
                .unwrap();
            }
        } else {
            let tpl = pick(&mut self.rng, words::TITLE_FORMS);
            self.sentence(&mut title, tpl, ctx);
        }

        let mut paras = Vec::new();
        let n_paras = if with_subs {
            1
        } else {
            (1 + budget / 420).min(1 + self.rng.usize(..4))
        };
        let prose = budget.saturating_sub(220) / n_paras;
        // Where the thread was last dealt with.
        let mut thread_ref = String::new();
        if let Some(t) = thread
            && let Some(last) = self.thread_last[t]
        {
            let lb = &world.bodies[last.body];
            let d = num_date(&mut self.rng, last.date);
            let n = item_no(last.no, last.date.year());
            if self.rng.u32(..3) == 0 {
                let path = format!(
                    "@/meetings/{}/{}.md#sak-{:02}-{}",
                    last.date.year(),
                    meeting_slug(world, last.body, last.date),
                    last.no,
                    last.date.year()
                );
                write!(thread_ref, "Saken ble sist behandlet i {} møte {d}, sak {n} (se [forrige behandling]({path})).", lb.genitive).unwrap();
            } else {
                write!(
                    thread_ref,
                    "Saken ble sist behandlet i {} møte {d}, sak {n}.",
                    lb.genitive
                )
                .unwrap();
            }
        }
        for i in 0..n_paras {
            let mut p = self.paragraph(prose.clamp(80, 1400), ctx);
            if i == 0 && !thread_ref.is_empty() {
                p.push(' ');
                p.push_str(&thread_ref);
            } else if self.rng.u32(..3) == 0
                && let Some(r) = self.reference(body, date)
            {
                p.push(' ');
                p.push_str(&r);
            }
            paras.push(p);
            if self.rng.u32(..6) == 0 {
                paras.push(self.list(ctx));
            }
        }
        let section = (!with_subs && self.rng.u32(..12) == 0).then(|| {
            let h = pick(&mut self.rng, words::SECTION_HEADINGS);
            (h, self.paragraph(150, ctx))
        });

        let mut subs = Vec::new();
        if with_subs {
            let n = 2 + self.rng.usize(..4);
            let per_sub = budget.saturating_sub(300) / n;
            for k in 0..n {
                let letter = (b'A' + k as u8) as char;
                let mut title = String::new();
                if self.rng.u32(..3) == 0 {
                    let m = &world.municipalities[pick(&mut self.rng, ctx.munis)];
                    write!(title, "Fra {}", m.name).unwrap();
                } else {
                    title.push_str(&capitalize(pick(&mut self.rng, words::TOPICS)));
                }
                let para = self.paragraph(per_sub.saturating_sub(120).clamp(80, 900), ctx);
                let proposal = self.decision_text(ctx);
                let decision = if self.rng.u32(..3) == 0 {
                    amend(&mut self.rng, &proposal)
                } else {
                    proposal.clone()
                };
                subs.push(SubItem {
                    letter,
                    title,
                    para,
                    proposal,
                    decision,
                });
            }
        }

        let proposal = self.decision_text(ctx);
        let show_proposal = self.rng.u32(..7) == 0;
        let differs = if has_notice {
            self.rng.u32(..3) == 0
        } else {
            show_proposal && self.rng.bool()
        };
        let decision = if differs {
            amend(&mut self.rng, &proposal)
        } else {
            proposal.clone()
        };

        if let Some(t) = thread {
            used_threads.push(t);
            let key = if subs.is_empty() || self.rng.bool() {
                (no, None)
            } else {
                let k = self.rng.usize(..subs.len());
                subs[k].title = world.threads[t].title.clone();
                (no, Some(subs[k].letter))
            };
            threads.entry(key).or_default().push(t);
        }
        ItemPlan {
            no,
            title,
            paras,
            section,
            proposal,
            decision,
            show_proposal,
            subs,
        }
    }
}

fn item_size(item: &ItemPlan) -> usize {
    let mut n = 40 + item.title.len() + item.decision.len() + 20;
    n += item.paras.iter().map(|p| p.len() + 2).sum::<usize>();
    if item.show_proposal {
        n += item.proposal.len() + 30;
    }
    if let Some((h, t)) = &item.section {
        n += h.len() + t.len() + 8;
    }
    n += item
        .subs
        .iter()
        .map(|s| s.title.len() + s.para.len() + s.decision.len() + 30)
        .sum::<usize>();
    n
}

/// Which document of a meeting to render.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Doc {
    Minutes,
    Notice,
}

impl Meeting {
    pub(crate) fn title(&self, world: &World, doc: Doc) -> String {
        let b = &world.bodies[self.body];
        let what = match doc {
            Doc::Minutes => "Referat fra",
            Doc::Notice => "Innkalling til",
        };
        format!("{what} {} {}", b.title_phrase, date_words(self.date))
    }

    pub(crate) fn year(&self) -> i32 {
        self.date.year()
    }

    /// Makes the minutes smaller: drops the last item while there are more than four, else
    /// a paragraph, a section or a sub-item. False when nothing more can go.
    fn shrink(&mut self) -> bool {
        if self.items.len() > 4 {
            let gone = self.items.pop().unwrap().no;
            self.threads.retain(|&(no, _), _| no != gone);
            return true;
        }
        if let Some(item) = self.items.iter_mut().max_by_key(|i| i.paras.len())
            && item.paras.len() > 1
        {
            item.paras.pop();
            return true;
        }
        if let Some(item) = self.items.iter_mut().find(|i| i.section.is_some()) {
            item.section = None;
            return true;
        }
        if let Some(item) = self.items.iter_mut().find(|i| i.subs.len() > 2) {
            let no = item.no;
            let letter = item.subs.pop().unwrap().letter;
            self.threads
                .retain(|&(n, l), _| n != no || l != Some(letter));
            return true;
        }
        false
    }

    /// The size of the minutes file.
    fn minutes_len(&self, world: &World) -> usize {
        self.front_matter(world, Doc::Minutes).len() + self.body(Doc::Minutes).len()
    }

    /// The `items:` of the front matter.
    fn items_yaml(&self, world: &World, out: &mut String) {
        if self.threads.is_empty() {
            return;
        }
        out.push_str("items:\n");
        for ((no, sub), ts) in &self.threads {
            out.push_str("  \"");
            out.push_str(&item_no(*no, self.year()));
            if let Some(l) = sub {
                out.push(' ');
                out.push(*l);
            }
            out.push_str("\": { thread: ");
            if ts.len() == 1 {
                out.push_str(&world.threads[ts[0]].id);
            } else {
                let ids: Vec<&str> = ts.iter().map(|&t| world.threads[t].id.as_str()).collect();
                write!(out, "[{}]", ids.join(", ")).unwrap();
            }
            out.push_str(" }\n");
        }
    }

    fn attendee_yaml(&self, world: &World, a: &Attendee, out: &mut String) {
        write!(out, "  - {{ name: {}", a.name).unwrap();
        if let Some(m) = a.municipality {
            write!(out, ", municipality: {}", world.municipalities[m].id).unwrap();
        }
        if let Some(o) = &a.organisation {
            write!(out, ", organisation: {o}").unwrap();
        }
        if let Some(f) = &a.substitute_for {
            write!(out, ", for: {f}").unwrap();
        }
        if let Some(r) = a.role {
            write!(out, ", role: {r}").unwrap();
        }
        out.push_str(" }\n");
    }

    /// The saksgang front matter (with its `---` lines).
    pub(crate) fn front_matter(&self, world: &World, doc: Doc) -> String {
        let mut s = String::with_capacity(512 + 64 * (self.present.len() + self.absent.len()));
        s.push_str("---\n");
        writeln!(s, "body: {}", world.bodies[self.body].id).unwrap();
        let kind = match doc {
            Doc::Minutes => "minutes",
            Doc::Notice => "notice",
        };
        writeln!(s, "document: {kind}").unwrap();
        writeln!(s, "date: {}", self.date.format("%Y-%m-%d")).unwrap();
        writeln!(s, "title: \"{}\"", self.title(world, doc)).unwrap();
        writeln!(s, "time: \"{}\"", self.time).unwrap();
        writeln!(s, "place: \"{}\"", self.place).unwrap();
        if doc == Doc::Minutes {
            s.push_str("present:\n");
            for a in &self.present {
                self.attendee_yaml(world, a, &mut s);
            }
            if !self.absent.is_empty() {
                s.push_str("absent:\n");
                for a in &self.absent {
                    self.attendee_yaml(world, a, &mut s);
                }
            }
            writeln!(s, "secretariat: [{}]", self.secretariat.join(", ")).unwrap();
        }
        self.items_yaml(world, &mut s);
        s.push_str("---\n");
        s
    }

    /// The Markdown body of a document.
    pub(crate) fn body(&self, doc: Doc) -> String {
        let mut s = String::with_capacity(16 * 1024);
        let year = self.year();
        match doc {
            Doc::Minutes => s.push_str(&self.preamble),
            Doc::Notice => s.push_str(&self.notice_preamble),
        }
        s.push('\n');
        for item in &self.items {
            write!(s, "\n## Sak {} {}\n\n", item_no(item.no, year), item.title).unwrap();
            let paras = match doc {
                Doc::Minutes => &item.paras[..],
                Doc::Notice => &item.paras[..1],
            };
            for p in paras {
                s.push_str(p);
                s.push_str("\n\n");
            }
            if doc == Doc::Minutes
                && let Some((h, t)) = &item.section
            {
                write!(s, "### {h}\n\n{t}\n\n").unwrap();
            }
            if item.subs.is_empty() {
                if doc == Doc::Notice || item.show_proposal {
                    write!(s, "### Forslag til vedtak\n\n{}\n\n", item.proposal).unwrap();
                }
                if doc == Doc::Minutes {
                    write!(s, "### Vedtak\n\n{}\n\n", item.decision).unwrap();
                }
            }
            for sub in &item.subs {
                write!(s, "### {} {}\n\n{}\n\n", sub.letter, sub.title, sub.para).unwrap();
                match doc {
                    Doc::Minutes => write!(s, "#### Vedtak\n\n{}\n\n", sub.decision).unwrap(),
                    Doc::Notice => {
                        write!(s, "#### Forslag til vedtak\n\n{}\n\n", sub.proposal).unwrap()
                    }
                }
            }
            s.pop();
        }
        if doc == Doc::Minutes {
            for (h, t) in &self.closing {
                write!(s, "\n## {h}\n\n{t}\n").unwrap();
            }
        }
        s
    }
}
