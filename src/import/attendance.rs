//! The attendance block of extracted minutes into participants: "Navn, Kommune"
//! pairs split across line breaks, "X for Y" as a substitute, "(møteleder)" as a
//! role, "A og B, Kommune" as two people of one municipality, municipalities and
//! counties matched by name, alias, inflected form ("Bærum kommune", "Bærums") or a
//! near spelling (reported), and anything else after a name kept as `organisation`.

use crate::model::{Archive, MunicipalityKind};

/// One participant as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Person {
    pub(crate) name: String,
    /// A municipality id.
    pub(crate) municipality: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) substitute_for: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) group: Option<String>,
    /// Input line (1-based) where the name stands.
    pub(crate) line: usize,
}

/// A remark about the attendance: input line, whether a warning (else a note), message.
pub(crate) type Said = (usize, bool, String);

const ROLES: &[&str] = &[
    "møteleder",
    "leder",
    "nestleder",
    "sekretær",
    "referent",
    "observatør",
    "ordstyrer",
];

/// Words that start an organisation's name rather than a person's.
const ORGANISATIONS: &[&str] = &[
    "ks",
    "statsforvalteren",
    "fylkesmannen",
    "nav",
    "kommunenes",
    "helse",
    "sykehuset",
    "vestre",
    "universitetet",
    "fagforbundet",
    "sekretariatet",
];

/// Name particles written in lower case inside a person's name.
const PARTICLES: &[&str] = &["von", "van", "de", "af", "der", "la", "le", "og", "for"];

/// Every written form of each municipality, lower-cased, with its id.
pub(crate) struct Municipalities {
    forms: Vec<(String, usize, Form)>,
    ids: Vec<String>,
    names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Name,
    Alias,
    Inflected,
}

impl Municipalities {
    pub(crate) fn new(archive: &Archive) -> Self {
        Self::from_list(archive.municipalities.iter().map(|m| {
            (
                m.id.as_str(),
                m.name.as_str(),
                m.aliases.as_slice(),
                m.kind == MunicipalityKind::County,
            )
        }))
    }

    /// From (id, name, aliases, whether a county).
    pub(crate) fn from_list<'a>(
        list: impl Iterator<Item = (&'a str, &'a str, &'a [String], bool)>,
    ) -> Self {
        let mut forms = Vec::new();
        let (mut ids, mut names) = (Vec::new(), Vec::new());
        for (i, (id, name, aliases, county)) in list.enumerate() {
            ids.push(id.to_string());
            names.push(name.to_string());
            let base = std::iter::once((name.to_lowercase(), Form::Name))
                .chain(aliases.iter().map(|a| (a.to_lowercase(), Form::Alias)));
            for (b, kind) in base {
                let b = super::reflow::collapse(&b);
                for suffix in [" kommune", " fylkeskommune", " fylke", "s", "s kommune"] {
                    if !county && suffix.contains("fylke") {
                        continue;
                    }
                    forms.push((format!("{b}{suffix}"), i, Form::Inflected));
                }
                forms.push((b, i, kind));
            }
        }
        // Longest first, so that a prefix match takes "Bærum kommune" over "Bærum".
        forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        Municipalities { forms, ids, names }
    }

    /// How many written forms each piece is compared with.
    pub(crate) fn forms(&self) -> usize {
        self.forms.len()
    }

    /// The municipality a whole text names, exactly or nearly, and a note when
    /// it is not written as its name.
    fn whole(&self, text: &str) -> Option<(usize, Option<String>)> {
        let lower = text.to_lowercase();
        if let Some((_, i, form)) = self.forms.iter().find(|(f, _, _)| *f == lower) {
            let note = (*form != Form::Name).then(|| self.reading(text, *i));
            return Some((*i, note));
        }
        // A near spelling: one letter off (two in a long name), and only one such.
        let n = lower.chars().count();
        if n < 5 || lower.split_whitespace().count() > 3 {
            return None;
        }
        let limit = if n >= 9 { 2 } else { 1 };
        let mut best: Option<(usize, usize)> = None;
        let mut tie = false;
        for (f, i, form) in &self.forms {
            if *form == Form::Inflected {
                continue;
            }
            let d = strsim::damerau_levenshtein(&lower, f);
            if d <= limit {
                match best {
                    Some((bd, bi)) if bd == d && bi != *i => tie = true,
                    Some((bd, _)) if bd <= d => {}
                    _ => {
                        best = Some((d, *i));
                        tie = false;
                    }
                }
            }
        }
        match best {
            Some((_, i)) if !tie => Some((i, Some(self.reading(text, i)))),
            _ => None,
        }
    }

    /// The municipality a text starts with, and the rest after it: "Røyken Trude
    /// Andresen", "Øvre Eiker. Kristin Nilsen", "Akershus og Kjersti Hulbakk".
    fn prefix<'t>(&self, text: &'t str) -> Option<(usize, Option<String>, &'t str)> {
        let lower = text.to_lowercase();
        // Offsets of the lower-cased text are those of the text only where lower
        // case keeps every letter's length (not so for "İ").
        if lower.len() != text.len() {
            return None;
        }
        for (f, i, _) in &self.forms {
            if lower.starts_with(f.as_str())
                && lower.len() > f.len()
                && text.is_char_boundary(f.len())
            {
                let rest_lower = &lower[f.len()..];
                let rest = &text[text.len() - rest_lower.len()..];
                let rest = if let Some(r) = rest.strip_prefix(". ") {
                    r
                } else if let Some(r) = rest.strip_prefix(" og ") {
                    r
                } else if let Some(r) = rest.strip_prefix(' ') {
                    r
                } else {
                    continue;
                };
                let rest = rest.trim_start();
                if rest.starts_with(char::is_uppercase) {
                    let written = &text[..text.len() - rest_lower.len()];
                    let note = (written.to_lowercase() != self.names[*i].to_lowercase())
                        .then(|| self.reading(written, *i));
                    return Some((*i, note, rest));
                }
            }
        }
        None
    }

    /// The municipality named inside a text ("ordfører i Bærum").
    fn inside(&self, text: &str) -> Option<usize> {
        let lower = text.to_lowercase();
        self.forms.iter().find_map(|(f, i, _)| {
            lower.match_indices(f.as_str()).find_map(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + f.len()..].chars().next();
                (before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric()))
                .then_some(*i)
            })
        })
    }

    fn reading(&self, written: &str, i: usize) -> String {
        format!(
            "«{}» er lest som {} (municipality: {})",
            written.trim(),
            self.names[i],
            self.ids[i]
        )
    }
}

/// Text joined from the lines of a block, and where each line starts in it.
pub(crate) struct Joined {
    pub(crate) text: String,
    starts: Vec<(usize, usize)>,
}

impl Joined {
    pub(crate) fn new(lines: &[(usize, &str)]) -> Self {
        let mut text = String::new();
        let mut starts = Vec::new();
        for &(no, l) in lines {
            let l = super::reflow::collapse(l);
            if l.is_empty() {
                continue;
            }
            if !text.is_empty() && !text.ends_with('-') {
                text.push(' ');
            }
            starts.push((text.len(), no));
            text.push_str(&l);
        }
        Joined { text, starts }
    }

    fn line_at(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|(s, _)| *s <= offset);
        self.starts
            .get(i.saturating_sub(1))
            .map_or(0, |(_, no)| *no)
    }
}

/// Pieces between commas, with their offsets in the joined text.
fn pieces(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ',' {
            out.push((start, &text[start..i]));
            start = i + 1;
        }
    }
    out.push((start, &text[start..]));
    out.into_iter()
        .map(|(s, p)| {
            let lead = p.len() - p.trim_start().len();
            (s + lead, p.trim().trim_end_matches('.').trim_end())
        })
        .filter(|(_, p)| !p.is_empty())
        .collect()
}

/// Whether a piece after a name is an organisation rather than another person.
fn is_organisation(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    words.len() == 1
        || ORGANISATIONS.contains(&words[0].to_lowercase().as_str())
        || words[1..]
            .iter()
            .any(|w| w.starts_with(char::is_lowercase) && !PARTICLES.contains(w))
}

/// A person from a piece: "Navn (møteleder) for Annen Person".
fn person(piece: &str, line: usize, group: Option<&str>) -> Person {
    let mut p = Person {
        line,
        group: group.map(str::to_string),
        ..Person::default()
    };
    let mut rest = piece.to_string();
    if let (Some(open), Some(close)) = (rest.find('('), rest.find(')'))
        && open < close
    {
        let inner = rest[open + 1..close].trim().to_string();
        if ROLES.contains(&inner.to_lowercase().as_str()) {
            p.role = Some(inner);
        } else {
            p.note = Some(inner);
        }
        rest = format!("{} {}", &rest[..open], &rest[close + 1..]);
    }
    let rest = super::reflow::collapse(&rest);
    match rest.split_once(" for ") {
        Some((name, other)) => {
            p.name = name.trim().to_string();
            p.substitute_for = Some(other.trim().to_string());
        }
        None => p.name = rest,
    }
    p
}

/// A list of people ("Til stede:", "Forfall:"): names, each followed by its
/// municipality or organisation.
pub(crate) fn list(
    joined: &Joined,
    places: &Municipalities,
    group: Option<&str>,
    said: &mut Vec<Said>,
) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    // People read but not yet given a municipality or organisation.
    let mut pending = 0;
    let assign =
        |out: &mut Vec<Person>, pending: &mut usize, m: Option<usize>, org: Option<&str>| {
            let n = out.len();
            for p in &mut out[n - *pending..] {
                p.municipality = m.map(|i| places.ids[i].clone());
                p.organisation = org.map(str::to_string);
            }
            *pending = 0;
        };
    for (at, piece) in pieces(&joined.text) {
        let line = joined.line_at(at);
        if pending > 0
            && let Some((m, note)) = places.whole(piece)
        {
            if let Some(n) = note {
                said.push((line, false, n));
            }
            assign(&mut out, &mut pending, Some(m), None);
            continue;
        }
        let mut rest = piece;
        if let Some((m, note, after)) = places.prefix(piece).filter(|_| pending > 0) {
            if let Some(n) = note {
                said.push((line, false, n));
            }
            assign(&mut out, &mut pending, Some(m), None);
            rest = after;
        } else if pending > 0 && ROLES.contains(&piece.to_lowercase().as_str()) {
            if let Some(last) = out.last_mut() {
                last.role = Some(piece.to_string());
            }
            continue;
        } else if pending > 0 && is_organisation(piece) {
            assign(&mut out, &mut pending, None, Some(piece));
            continue;
        }
        for name in rest.split(" og ") {
            let name = name.trim();
            if !name.is_empty() {
                out.push(person(name, line, group));
                pending += 1;
            }
        }
    }
    let n = out.len();
    for p in &out[n - pending..] {
        said.push((
            p.line,
            true,
            format!(
                "fant ingen kommune eller organisasjon etter «{}»; står som kommentar under {}",
                p.name,
                if group.is_some() { "present" } else { "listen" }
            ),
        ));
    }
    out
}

/// "Møteledelse:" lines, one person each: "Navn, ordfører i Bærum",
/// "Navn, Daglig leder Vestregionen, sekretær". The first chairs the meeting.
pub(crate) fn leaders(
    lines: &[(usize, &str)],
    places: &Municipalities,
    said: &mut Vec<Said>,
) -> Vec<Person> {
    let mut out = Vec::new();
    for &(no, l) in lines {
        let l = super::reflow::collapse(l);
        let mut parts = l.split(',').map(str::trim).filter(|p| !p.is_empty());
        let Some(name) = parts.next() else { continue };
        let mut p = person(name, no, None);
        for part in parts {
            let part = part.trim_end_matches('.');
            if ROLES.contains(&part.to_lowercase().as_str()) {
                p.role = Some(part.to_string());
            } else if let Some((m, note)) = places.whole(part) {
                if let Some(n) = note {
                    said.push((no, false, n));
                }
                p.municipality = Some(places.ids[m].clone());
            } else {
                if let Some(m) = places.inside(part) {
                    p.municipality = Some(places.ids[m].clone());
                } else if let Some(last) = part.split_whitespace().last() {
                    p.organisation = Some(last.to_string());
                }
                p.note = Some(part.to_string());
            }
        }
        if out.is_empty() && p.role.is_none() {
            p.role = Some("møteleder".to_string());
        }
        if p.municipality.is_none() && p.organisation.is_none() {
            said.push((
                no,
                true,
                format!("fant ingen kommune eller organisasjon for «{}»; står som kommentar under present", p.name),
            ));
        }
        out.push(p);
    }
    out
}

/// Names of a "Sekretariatet:" line: "A, B og C".
pub(crate) fn names(joined: &Joined) -> Vec<String> {
    pieces(&joined.text)
        .into_iter()
        .flat_map(|(_, p)| p.split(" og ").map(str::trim).collect::<Vec<_>>())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Municipalities {
        let none: &[String] = &[];
        let nore = vec!["Nore og Uvedal".to_string()];
        let buskerud = vec!["Buskerud".to_string()];
        Municipalities::from_list(
            [
                ("asker", "Asker", none, false),
                ("baerum", "Bærum", none, false),
                ("drammen", "Drammen", none, false),
                ("royken", "Røyken", none, false),
                ("ovre-eiker", "Øvre Eiker", none, false),
                ("svelvik", "Svelvik", none, false),
                ("nore-og-uvdal", "Nore og Uvdal", nore.as_slice(), false),
                (
                    "buskerud",
                    "Buskerud fylkeskommune",
                    buskerud.as_slice(),
                    true,
                ),
            ]
            .into_iter(),
        )
    }

    fn read(lines: &[&str]) -> (Vec<String>, Vec<Said>) {
        let numbered: Vec<(usize, &str)> =
            lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
        let mut said = Vec::new();
        let people = list(&Joined::new(&numbered), &places(), None, &mut said);
        let shown = people
            .iter()
            .map(|p| {
                format!(
                    "{}|{}|{}|{}",
                    p.name,
                    p.municipality
                        .as_deref()
                        .or(p.organisation.as_deref())
                        .unwrap_or("?"),
                    p.substitute_for.as_deref().unwrap_or(""),
                    p.role.as_deref().unwrap_or("")
                )
            })
            .collect();
        (shown, said)
    }

    #[test]
    fn names_split_across_line_breaks_with_substitutes_and_roles() {
        let (people, said) = read(&[
            "Kirsti Aas Olsen (møteleder) for Trond Julin, Drammen, Tuss Benum for Lars",
            "Bjerke, Asker, Per Kierulf, Asker og Kjersti Bærug",
            "Hulbakk, Buskerud.",
        ]);
        assert_eq!(
            people,
            [
                "Kirsti Aas Olsen|drammen|Trond Julin|møteleder",
                "Tuss Benum|asker|Lars Bjerke|",
                "Per Kierulf|asker||",
                "Kjersti Bærug Hulbakk|buskerud||",
            ]
        );
        // "Buskerud" is an alias of the county: the reading is told, on line 3.
        assert_eq!(said.len(), 1);
        assert_eq!(said[0].0, 3);
        assert!(said[0].2.contains("Buskerud fylkeskommune"), "{said:?}");
    }

    #[test]
    fn two_people_of_one_municipality_a_missing_comma_and_an_organisation() {
        let (people, _) = read(&[
            "Per Morstad, Røyken Trude Andresen, Øvre Eiker. Kristin Nilsen og Anne Marie Folvik, Bærum kommune",
            "Nina Solberg, Vestregionen, Ola Nordmann, KS",
        ]);
        assert_eq!(
            people,
            [
                "Per Morstad|royken||",
                "Trude Andresen|ovre-eiker||",
                "Kristin Nilsen|baerum||",
                "Anne Marie Folvik|baerum||",
                "Nina Solberg|Vestregionen||",
                "Ola Nordmann|KS||",
            ]
        );
    }

    #[test]
    fn aliases_inflections_and_near_spellings_are_read_and_told() {
        let (people, said) =
            read(&["Frank Pedersen, Nore og Uvedal, Ola Dunk, Svelvi, Kari Dunk, Bærums"]);
        assert_eq!(
            people,
            [
                "Frank Pedersen|nore-og-uvdal||",
                "Ola Dunk|svelvik||",
                "Kari Dunk|baerum||"
            ]
        );
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said.iter().all(|s| !s.1), "notes, not warnings: {said:?}");
    }

    #[test]
    fn a_name_with_nothing_after_it_is_a_warning() {
        let (people, said) = read(&["Lars Bjerke, Asker, Ola Nordmann"]);
        assert_eq!(people, ["Lars Bjerke|asker||", "Ola Nordmann|?||"]);
        assert_eq!(said.len(), 1);
        assert!(
            said[0].1 && said[0].2.contains("«Ola Nordmann»"),
            "{said:?}"
        );
    }

    #[test]
    fn secretariat_names() {
        let lines = [(
            1,
            "Nina Solberg, Lena Hansson, Kjetil Axelsen og Kari Engen Sørensen",
        )];
        assert_eq!(
            names(&Joined::new(&lines)),
            [
                "Nina Solberg",
                "Lena Hansson",
                "Kjetil Axelsen",
                "Kari Engen Sørensen"
            ]
        );
    }
}
