//! The fixed part of the archive: bodies, municipalities, people and threads, and the
//! YAML/Markdown files that describe them.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};
use fastrand::Rng;

use crate::words;

pub(crate) struct Body {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) organisation: usize,
    pub(crate) aliases: &'static [&'static str],
    /// How the body is named in a title: "møte i Rådmannsgruppen", "Ordførermøtet".
    pub(crate) title_phrase: &'static str,
    /// Lower case, definite ("styringsgruppen") and genitive ("styringsgruppens").
    pub(crate) nominative: &'static str,
    pub(crate) genitive: &'static str,
    pub(crate) weight: u32,
    /// Member municipalities (indices), before and after the mergers of 2020.
    pub(crate) members_before: Vec<usize>,
    pub(crate) members_after: Vec<usize>,
    /// The same without the counties: the municipalities named in the prose.
    pub(crate) prose_before: Vec<usize>,
    pub(crate) prose_after: Vec<usize>,
}

pub(crate) struct Organisation {
    pub(crate) name: &'static str,
    pub(crate) secretariat: Vec<String>,
}

pub(crate) struct Municipality {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) number: String,
    pub(crate) region: Option<&'static str>,
    pub(crate) county: bool,
    pub(crate) alias: Option<String>,
    pub(crate) merged_into: Option<usize>,
    /// People of this municipality (indices into `World::people`).
    pub(crate) people: Vec<usize>,
}

pub(crate) struct Person {
    pub(crate) name: String,
}

pub(crate) struct Thread {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) status: &'static str,
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) bodies: Vec<usize>,
    pub(crate) outside: Vec<(NaiveDate, Option<usize>, String)>,
    pub(crate) background: String,
}

pub(crate) struct World {
    pub(crate) bodies: Vec<Body>,
    pub(crate) organisations: Vec<Organisation>,
    pub(crate) municipalities: Vec<Municipality>,
    pub(crate) people: Vec<Person>,
    /// Sorted by start date.
    pub(crate) threads: Vec<Thread>,
    pub(crate) first_year: i32,
    pub(crate) last_year: i32,
    all_before: Vec<usize>,
    all_after: Vec<usize>,
}

/// The last day of the municipalities that were merged.
pub(crate) fn merge_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()
}

pub(crate) fn pick<T: Copy>(rng: &mut Rng, xs: &[T]) -> T {
    xs[rng.usize(..xs.len())]
}

/// An id made of a–z, 0–9 and hyphens.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'æ' => "ae",
            'ø' => "o",
            'å' => "a",
            'é' | 'è' => "e",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(mapped);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

struct BodySpec {
    id: &'static str,
    name: &'static str,
    organisation: usize,
    aliases: &'static [&'static str],
    title_phrase: &'static str,
    nominative: &'static str,
    genitive: &'static str,
    weight: u32,
}

const BODIES: &[BodySpec] = &[
    BodySpec {
        id: "radmannsgruppen",
        name: "Rådmannsgruppen",
        organisation: 0,
        aliases: &["rådmannsgruppen", "rådmannsgruppens"],
        title_phrase: "møte i Rådmannsgruppen",
        nominative: "rådmannsgruppen",
        genitive: "rådmannsgruppens",
        weight: 3,
    },
    BodySpec {
        id: "styringsgruppen",
        name: "Styringsgruppen",
        organisation: 0,
        aliases: &[
            "styringsgruppen",
            "styringsgruppens",
            "midtregionens styringsgruppe",
        ],
        title_phrase: "møte i Styringsgruppen",
        nominative: "styringsgruppen",
        genitive: "styringsgruppens",
        weight: 3,
    },
    BodySpec {
        id: "ordforermote",
        name: "Ordførermøtet",
        organisation: 1,
        aliases: &["ordførermøtet", "ordførermøtets", "ordførermøte"],
        title_phrase: "Ordførermøtet",
        nominative: "ordførermøtet",
        genitive: "ordførermøtets",
        weight: 1,
    },
    BodySpec {
        id: "samarbeidsstyret",
        name: "Samarbeidsstyret i HSM",
        organisation: 1,
        aliases: &["samarbeidsstyret", "samarbeidsstyrets"],
        title_phrase: "møte i Samarbeidsstyret i HSM",
        nominative: "samarbeidsstyret",
        genitive: "samarbeidsstyrets",
        weight: 2,
    },
    BodySpec {
        id: "generalforsamlingen",
        name: "Generalforsamlingen i Midtregionen",
        organisation: 0,
        aliases: &["generalforsamlingen", "generalforsamlingens"],
        title_phrase: "Generalforsamlingen i Midtregionen",
        nominative: "generalforsamlingen",
        genitive: "generalforsamlingens",
        weight: 1,
    },
    BodySpec {
        id: "arbeidsutvalget",
        name: "Arbeidsutvalget",
        organisation: 0,
        aliases: &["arbeidsutvalget", "arbeidsutvalgets"],
        title_phrase: "møte i Arbeidsutvalget",
        nominative: "arbeidsutvalget",
        genitive: "arbeidsutvalgets",
        weight: 2,
    },
    BodySpec {
        id: "folkehelsenettverket",
        name: "Folkehelsenettverket",
        organisation: 1,
        aliases: &["folkehelsenettverket", "folkehelsenettverkets"],
        title_phrase: "møte i Folkehelsenettverket",
        nominative: "folkehelsenettverket",
        genitive: "folkehelsenettverkets",
        weight: 1,
    },
    BodySpec {
        id: "kulturnettverket",
        name: "Kulturnettverket",
        organisation: 0,
        aliases: &["kulturnettverket", "kulturnettverkets"],
        title_phrase: "møte i Kulturnettverket",
        nominative: "kulturnettverket",
        genitive: "kulturnettverkets",
        weight: 1,
    },
];

const ORGANISATIONS: &[&str] = &["Midtregionen", "Helsesamarbeidet i Midtregionen (HSM)"];

impl World {
    pub(crate) fn new(rng: &mut Rng, meetings: usize, first_year: i32, last_year: i32) -> World {
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        let mut people = Vec::new();
        // Municipalities: 57 built from syllables, then 3 counties.
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let mut slugs: BTreeSet<String> = BTreeSet::new();
        for n in words::FIRST_NAMES.iter().chain(words::LAST_NAMES) {
            taken.insert(n.to_string());
        }
        for (id, name) in words::COUNTIES {
            taken.insert(name.to_string());
            slugs.insert(id.to_string());
        }
        for r in words::REGIONS {
            taken.insert(r.to_string());
        }
        let mut municipalities = Vec::new();
        while municipalities.len() < 57 {
            let base = format!(
                "{}{}",
                pick(rng, words::MUNI_PREFIXES),
                pick(rng, words::MUNI_SUFFIXES)
            );
            let name = match rng.u32(0..20) {
                0 => format!("Øvre {base}"),
                1 => format!("Nedre {base}"),
                2 => format!("Nord-{base}"),
                3 => format!(
                    "{base} og {}{}",
                    pick(rng, words::MUNI_PREFIXES),
                    pick(rng, words::MUNI_SUFFIXES)
                ),
                _ => base,
            };
            let slug = slugify(&name);
            if taken.contains(&name) || slugs.contains(&slug) {
                continue;
            }
            taken.insert(name.clone());
            slugs.insert(slug.clone());
            municipalities.push(Municipality {
                id: slug,
                name,
                number: String::new(),
                region: Some(pick(rng, words::REGIONS)),
                county: false,
                alias: None,
                merged_into: None,
                people: Vec::new(),
            });
        }
        // Sort by name so that the file reads like the real one; numbers follow the order.
        municipalities.sort_by(|a, b| a.id.cmp(&b.id));
        let county_numbers = ["41", "42", "43"];
        for (i, m) in municipalities.iter_mut().enumerate() {
            m.number = format!("{}{:02}", county_numbers[i % 3], i / 3 + 1);
        }
        for (i, (id, name)) in words::COUNTIES.iter().enumerate() {
            municipalities.push(Municipality {
                id: id.to_string(),
                name: format!("{name} fylkeskommune"),
                number: county_numbers[i].to_string(),
                region: None,
                county: true,
                alias: Some(name.to_string()),
                merged_into: None,
                people: Vec::new(),
            });
        }
        // About ten misspellings.
        let mut spelled = 0;
        let mut guard = 0;
        while spelled < 10 && guard < 1000 {
            guard += 1;
            let i = rng.usize(..57);
            if municipalities[i].alias.is_some() {
                continue;
            }
            let wrong = misspell(rng, &municipalities[i].name);
            if wrong.chars().count() < 4 || taken.contains(&wrong) {
                continue;
            }
            taken.insert(wrong.clone());
            municipalities[i].alias = Some(wrong);
            spelled += 1;
        }
        // Eight merged into a municipality of the same county (same number prefix).
        let mut merged = 0;
        guard = 0;
        while merged < 8 && guard < 1000 {
            guard += 1;
            let i = rng.usize(..57);
            let j = rng.usize(..57);
            let same_county = municipalities[i].number[..2] == municipalities[j].number[..2];
            if i == j
                || !same_county
                || municipalities[i].merged_into.is_some()
                || municipalities[j].merged_into.is_some()
                || municipalities.iter().any(|m| m.merged_into == Some(i))
            {
                continue;
            }
            municipalities[i].merged_into = Some(j);
            merged += 1;
        }

        // Four people per municipality.
        for m in municipalities.iter_mut() {
            for _ in 0..4 {
                m.people.push(people.len());
                people.push(Person {
                    name: person_name(rng, &mut used_names),
                });
            }
        }
        let organisations = ORGANISATIONS
            .iter()
            .map(|&name| Organisation {
                name,
                secretariat: (0..4).map(|_| person_name(rng, &mut used_names)).collect(),
            })
            .collect();

        // Bodies and their members.
        let n_muni = 57;
        let bodies: Vec<Body> = BODIES
            .iter()
            .enumerate()
            .map(|(bi, spec)| {
                let size = match bi {
                    2 | 4 => n_muni,
                    _ => 14 + rng.usize(..24),
                };
                let mut all: Vec<usize> = (0..n_muni).collect();
                rng.shuffle(&mut all);
                let mut members: Vec<usize> = all[..size].to_vec();
                // Bodies of the regional council have the counties too.
                if matches!(bi, 1 | 2 | 4) {
                    members.extend(57..60);
                }
                members.sort_unstable();
                let members_after: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&m| municipalities[m].merged_into.is_none())
                    .collect();
                let prose_before = members.iter().copied().filter(|&m| m < 57).collect();
                let prose_after = members_after.iter().copied().filter(|&m| m < 57).collect();
                Body {
                    id: spec.id,
                    name: spec.name,
                    organisation: spec.organisation,
                    aliases: spec.aliases,
                    title_phrase: spec.title_phrase,
                    nominative: spec.nominative,
                    genitive: spec.genitive,
                    weight: spec.weight,
                    members_before: members,
                    prose_before,
                    prose_after,
                    members_after,
                }
            })
            .collect();

        let mut world = World {
            bodies,
            organisations,
            municipalities,
            people,
            threads: Vec::new(),
            first_year,
            last_year,
            all_before: (0..57).collect(),
            all_after: Vec::new(),
        };
        world.all_after = (0..57)
            .filter(|&m| world.municipalities[m].merged_into.is_none())
            .collect();
        world.threads = world.make_threads(rng, (meetings / 10).max(1));
        world
    }

    fn make_threads(&self, rng: &mut Rng, n: usize) -> Vec<Thread> {
        let first = NaiveDate::from_ymd_opt(self.first_year, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(self.last_year, 12, 31).unwrap();
        let span = (last - first).num_days().max(1);
        let years = (self.last_year - self.first_year + 1) as i64;
        // Long enough for ~6 threads per body at any time (~3 bodies each).
        let base_len = (365 * years * 8 * 6 / (3 * n as i64)).max(150);
        let mut ids = BTreeSet::new();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let topic = pick(rng, words::TOPICS);
            let action = pick(rng, words::THREAD_ACTIONS);
            // Windows long enough that a body has a few threads going on at any time, so
            // that about one item in five can join one, however sparse the archive is.
            let len = (base_len / 2 + rng.i64(0..base_len)).min(span);
            let start_raw = first + Duration::days(rng.i64(-len..span));
            let start = start_raw.max(first);
            let end = (start_raw + Duration::days(len)).clamp(start, last);
            let title = match rng.u32(0..4) {
                0 => format!("{action} {topic} {}", start.year()),
                1 => {
                    let m = pick(rng, self.munis_at(start));
                    format!("{action} {topic} i {}", self.municipalities[m].name)
                }
                _ => format!("{action} {topic}"),
            };
            let base = slugify(&title);
            let mut id = base.clone();
            let mut k = 2;
            while !ids.insert(id.clone()) {
                id = format!("{base}-{k}");
                k += 1;
            }
            let summary = match rng.u32(0..3) {
                0 => format!("Skal kommunene gå sammen om {topic}?"),
                1 => format!("Hvordan skal {topic} organiseres etter {}?", end.year()),
                _ => format!(
                    "Oppfølging av {topic} i kommunene i {}.",
                    pick(rng, words::REGIONS)
                ),
            };
            let status = if end < last - Duration::days(365) {
                pick(rng, &["decided", "decided", "closed"])
            } else {
                pick(rng, &["open", "open", "decided"])
            };
            let mut bodies: Vec<usize> = (0..self.bodies.len()).collect();
            rng.shuffle(&mut bodies);
            bodies.truncate(2 + rng.usize(..3));
            bodies.sort_unstable();
            let mut outside = Vec::new();
            for _ in 0..rng.usize(..3) {
                let d = start + Duration::days(rng.i64(0..=(end - start).num_days()));
                let body = if rng.bool() {
                    Some(pick(rng, &bodies))
                } else {
                    None
                };
                let mut text = String::new();
                let ctx = Ctx {
                    date: d,
                    munis: self.munis_at(d),
                    body_name: "",
                };
                let tpl = pick(rng, words::OUTSIDE_TEXTS);
                fill(rng, self, &mut text, tpl, &ctx);
                outside.push((d, body, text));
            }
            outside.sort_by_key(|a| a.0);
            let mut background = String::new();
            for p in 0..1 + rng.usize(..3) {
                if p > 0 {
                    background.push_str("\n\n");
                }
                for s in 0..2 + rng.usize(..3) {
                    if s > 0 {
                        background.push(' ');
                    }
                    let ctx = Ctx {
                        date: start,
                        munis: self.munis_at(start),
                        body_name: "",
                    };
                    let tpl = pick(rng, words::SENTENCES);
                    fill(rng, self, &mut background, tpl, &ctx);
                }
            }
            background.push('\n');
            out.push(Thread {
                id,
                title,
                summary,
                status,
                start,
                end,
                bodies,
                outside,
                background,
            });
        }
        out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// The municipalities (not counties) that exist on `date`.
    pub(crate) fn munis_at(&self, date: NaiveDate) -> &[usize] {
        if date <= merge_day() {
            &self.all_before
        } else {
            &self.all_after
        }
    }

    pub(crate) fn site_yaml(&self, seed: u64) -> String {
        format!(
            "title: Midtregionens møtearkiv (syntetisk)\n\
             base_url: https://example.org/arkiv/\n\
             language: nb\n\
             theme: default\n\
             description: Syntetisk arkiv laget av gen-archive (frø {seed}) for å teste saksgang.\n"
        )
    }

    pub(crate) fn bodies_yaml(&self) -> String {
        let mut s = String::new();
        for b in &self.bodies {
            writeln!(s, "- id: {}", b.id).unwrap();
            writeln!(s, "  name: {}", b.name).unwrap();
            writeln!(
                s,
                "  organisation: \"{}\"",
                self.organisations[b.organisation].name
            )
            .unwrap();
            writeln!(s, "  aliases: [{}]", b.aliases.join(", ")).unwrap();
        }
        s
    }

    pub(crate) fn municipalities_yaml(&self) -> String {
        let mut s = String::from("# Syntetiske kommuner og fylkeskommuner.\n\n");
        for m in &self.municipalities {
            if m.county && !s.contains("# Fylkeskommuner") {
                s.push_str("\n# Fylkeskommuner\n");
            }
            writeln!(s, "- id: {}", m.id).unwrap();
            writeln!(s, "  name: {}", m.name).unwrap();
            writeln!(s, "  number: \"{}\"", m.number).unwrap();
            if m.county {
                s.push_str("  kind: county\n");
            }
            if let Some(r) = m.region {
                writeln!(s, "  region: {r}").unwrap();
            }
            if let Some(a) = &m.alias {
                writeln!(s, "  aliases: [{a}]").unwrap();
            }
            if let Some(into) = m.merged_into {
                let target = &self.municipalities[into];
                s.push_str("  valid_to: 2019-12-31\n");
                writeln!(s, "  merged_into: {}", target.id).unwrap();
                writeln!(
                    s,
                    "  note: Slått sammen med {} til nye {} kommune fra 1. januar 2020.",
                    target.name, target.name
                )
                .unwrap();
            }
        }
        s
    }

    pub(crate) fn thread_md(&self, t: &Thread) -> String {
        let mut s = String::from("---\n");
        writeln!(s, "title: \"{}\"", t.title).unwrap();
        writeln!(s, "summary: \"{}\"", t.summary).unwrap();
        writeln!(s, "status: {}", t.status).unwrap();
        if !t.outside.is_empty() {
            s.push_str("outside_archive:\n");
            for (d, body, text) in &t.outside {
                writeln!(s, "  - date: {}", d.format("%Y-%m-%d")).unwrap();
                if let Some(b) = body {
                    writeln!(s, "    body: {}", self.bodies[*b].id).unwrap();
                }
                writeln!(s, "    text: \"{text}\"").unwrap();
            }
        }
        s.push_str("---\n");
        s.push_str(&t.background);
        s
    }
}

fn person_name(rng: &mut Rng, used: &mut BTreeSet<String>) -> String {
    loop {
        let first = pick(rng, words::FIRST_NAMES);
        let last = pick(rng, words::LAST_NAMES);
        let name = match rng.u32(0..10) {
            0 => format!("{first} {} {last}", pick(rng, words::MIDDLE_INITIALS)),
            1 => format!("{first} {} {last}", pick(rng, words::LAST_NAMES)),
            _ => format!("{first} {last}"),
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
}

fn misspell(rng: &mut Rng, name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let swap = |c: char| match c {
        'æ' => Some('e'),
        'ø' => Some('o'),
        'å' => Some('a'),
        'Ø' => Some('O'),
        'Å' => Some('A'),
        _ => None,
    };
    if rng.bool()
        && let Some(i) = chars.iter().position(|&c| swap(c).is_some())
    {
        let mut c = chars.clone();
        c[i] = swap(c[i]).unwrap();
        return c.into_iter().collect();
    }
    // Double a consonant or drop a letter (never the first).
    let i = 1 + rng.usize(..chars.len() - 1);
    let mut c = chars;
    if rng.bool() && c[i].is_alphabetic() && !"aeiouyæøå".contains(c[i]) {
        c.insert(i, c[i]);
    } else if c[i].is_alphabetic() {
        c.remove(i);
    } else {
        c.insert(i, 'e');
    }
    c.into_iter().collect()
}

pub(crate) fn amount(rng: &mut Rng) -> String {
    let thousands = 50 + rng.u32(..4950);
    let v = thousands * 1000 + rng.u32(..4) * 250;
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// "14. juni 2018"
pub(crate) fn date_words(d: NaiveDate) -> String {
    format!(
        "{}. {} {}",
        d.day(),
        words::MONTHS[d.month0() as usize],
        d.year()
    )
}

/// What a template is filled for.
pub(crate) struct Ctx<'a> {
    pub(crate) date: NaiveDate,
    /// Municipalities that may be named (indices; no counties).
    pub(crate) munis: &'a [usize],
    /// The body's name as written, for {BN}.
    pub(crate) body_name: &'a str,
}

/// Fills a template: {S} subject, {V} verb, {O} object, {T} topic, {TC} topic capitalised,
/// {M} municipality (now and then misspelt as its alias), {N} small number, {P} percent,
/// {K} amount, {Y}/{Y2} a year, {DATE} a date in words, {BN} the body's name.
pub(crate) fn fill(rng: &mut Rng, world: &World, out: &mut String, tpl: &str, ctx: &Ctx<'_>) {
    let mut rest = tpl;
    let mut named = [usize::MAX; 4];
    let mut n_named = 0;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("template closes its braces");
        let key = &rest[open + 1..close];
        rest = &rest[close + 1..];
        match key {
            "M" => {
                // Not the same municipality twice in one sentence.
                let mut i = pick(rng, ctx.munis);
                for _ in 0..8 {
                    if !named[..n_named].contains(&i) {
                        break;
                    }
                    i = pick(rng, ctx.munis);
                }
                if n_named < named.len() {
                    named[n_named] = i;
                    n_named += 1;
                }
                let m = &world.municipalities[i];
                match &m.alias {
                    Some(a) if rng.u32(..8) == 0 => out.push_str(a),
                    _ => out.push_str(&m.name),
                }
            }
            "T" => out.push_str(pick(rng, words::TOPICS)),
            "TC" => out.push_str(&capitalize(pick(rng, words::TOPICS))),
            "S" => {
                let s = pick(rng, words::SUBJECTS);
                fill(rng, world, out, s, ctx);
            }
            "V" => out.push_str(pick(rng, words::VERBS)),
            "O" => {
                let o = pick(rng, words::OBJECTS);
                fill(rng, world, out, o, ctx);
            }
            "N" => write!(out, "{}", 2 + rng.u32(..28)).unwrap(),
            "P" => write!(out, "{}", 40 + rng.u32(..58)).unwrap(),
            "K" => out.push_str(&amount(rng)),
            "Y" => write!(out, "{}", ctx.date.year() + rng.i32(0..3)).unwrap(),
            "Y2" => write!(out, "{}", ctx.date.year() + 3 + rng.i32(0..3)).unwrap(),
            "DATE" => {
                let d = ctx.date + Duration::days(30 + rng.i64(0..300));
                out.push_str(&date_words(d));
            }
            "BN" => out.push_str(ctx.body_name),
            _ => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
    }
    out.push_str(rest);
}
