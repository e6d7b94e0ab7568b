//! People who are likely written several ways across the archive ("Kari B. Lund"
//! and "Kari Berg Lund", "Ola Øie" and "Ola Øye"), for `saksgang check` to list
//! with a ready `people.yaml` line. They are notes, not warnings: a guess that two
//! names are one person can be wrong (two people of one municipality may share a
//! surname and nearly a given name), and a correct archive must pass
//! `check --deny-warnings`.
//!
//! Two names are compared only when they come from the same municipality or
//! organisation and their surnames share a key: the folded surname or the surname
//! with one letter left out (so "øie" and "øye" meet at "øe"). Each name gives as
//! many keys as its surname has letters, so the work grows with the archive, not
//! with the square of the number of people.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use strsim::damerau_levenshtein;

use crate::diag::{Diagnostic, FileId, Sources};
use crate::model::*;
use crate::norsk;

/// The notes, and how many pairs of names were compared (for testing that the
/// work stays linear).
pub struct Variants {
    /// One note per group of names that are likely one person.
    pub notes: Vec<Diagnostic>,
    /// Pairs of names looked at.
    pub compared: usize,
}

/// One way a person is written, within one municipality or organisation.
struct Written {
    person: PersonId,
    /// Documents that write it so, and the first of them.
    documents: usize,
    first: FileId,
    tokens: Vec<String>,
}

/// Names of one municipality or organisation that are likely one person.
pub fn variants(archive: &Archive, sources: &Sources) -> Variants {
    // Every written name per affiliation, in archive order.
    let mut written: Vec<(String, String, Written)> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut affiliation_names: HashMap<String, String> = HashMap::new();
    for m in &archive.meetings {
        for doc in m.documents() {
            let mut seen_here: BTreeSet<usize> = BTreeSet::new();
            for p in doc.present.iter().chain(&doc.absent) {
                let (key, shown) = match &p.affiliation {
                    Affiliation::Municipality(id) => (
                        format!("k:{}", id.0),
                        archive.municipalities[id.0].name.clone(),
                    ),
                    Affiliation::Organisation(o) => {
                        (format!("o:{}", o.to_lowercase()), o.to_string())
                    }
                };
                affiliation_names.entry(key.clone()).or_insert(shown);
                let name = p.name.trim().to_string();
                let i = *index.entry((key.clone(), name.clone())).or_insert_with(|| {
                    written.push((
                        key,
                        name.clone(),
                        Written {
                            person: p.person,
                            documents: 0,
                            first: doc.file,
                            tokens: tokens(&name),
                        },
                    ));
                    written.len() - 1
                });
                if seen_here.insert(i) {
                    written[i].2.documents += 1;
                }
            }
        }
    }

    let (mut parent, compared) = join(&written, archive.people.len());

    // Groups: per affiliation, the people that were joined.
    let mut groups: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for (i, (affiliation, _, w)) in written.iter().enumerate() {
        let root = find(&mut parent, w.person.0);
        groups
            .entry((affiliation.as_str(), root))
            .or_default()
            .push(i);
    }
    let mut notes: Vec<(String, String, Diagnostic)> = Vec::new();
    for ((affiliation, _), members) in groups {
        let persons: BTreeSet<PersonId> = members.iter().map(|i| written[*i].2.person).collect();
        if persons.len() < 2 {
            continue;
        }
        let shown = &affiliation_names[affiliation];
        notes.push(note(archive, sources, shown, &written, &members));
    }
    notes.sort_by(|a, b| norsk::compare(&a.0, &b.0).then_with(|| norsk::compare(&a.1, &b.1)));
    Variants {
        notes: notes.into_iter().map(|(_, _, d)| d).collect(),
        compared,
    }
}

/// Compares the written names that share an affiliation and a surname key, and
/// joins (union-find over person ids) those that are alike: the joined people,
/// and how many pairs were compared.
fn join(written: &[(String, String, Written)], people: usize) -> (Vec<usize>, usize) {
    let mut buckets: HashMap<(&str, String), Vec<usize>> = HashMap::new();
    for (i, (affiliation, _, w)) in written.iter().enumerate() {
        let Some(surname) = w.tokens.last() else {
            continue;
        };
        for key in surname_keys(surname) {
            buckets
                .entry((affiliation.as_str(), key))
                .or_default()
                .push(i);
        }
    }
    let mut compared = 0;
    let mut parent: Vec<usize> = (0..people).collect();
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for members in buckets.values() {
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                let (wa, wb) = (&written[a].2, &written[b].2);
                if wa.person == wb.person || !seen.insert((a.min(b), a.max(b))) {
                    continue;
                }
                compared += 1;
                if alike(&wa.tokens, &wb.tokens) {
                    union(&mut parent, wa.person.0, wb.person.0);
                }
            }
        }
    }
    (parent, compared)
}

/// The note for one group: (affiliation, chosen name, note).
fn note(
    archive: &Archive,
    sources: &Sources,
    affiliation: &str,
    written: &[(String, String, Written)],
    members: &[usize],
) -> (String, String, Diagnostic) {
    // The name to keep: one people.yaml already gives, else the fullest form
    // (no initials, most words), then the most used.
    let chosen = *members
        .iter()
        .max_by(|&&a, &&b| {
            let key = |i: usize| {
                let (_, _, w) = &written[i];
                let declared = !archive.people[w.person.0].aliases.is_empty();
                let initials = w.tokens.iter().filter(|t| is_initial(t)).count();
                (
                    declared,
                    std::cmp::Reverse(initials),
                    w.tokens.len(),
                    w.documents,
                )
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| norsk::compare(&written[b].1, &written[a].1))
        })
        .expect("a group has members");
    let keep = &archive.people[written[chosen].2.person.0];
    let mut aliases: Vec<String> = keep.aliases.clone();
    let mut names: Vec<&str> = Vec::new();
    for &i in members {
        let (_, name, w) = &written[i];
        names.push(name);
        for n in std::iter::once(&archive.people[w.person.0].name)
            .chain(&archive.people[w.person.0].aliases)
            .chain(std::iter::once(name))
        {
            if n != &keep.name && !aliases.contains(n) {
                aliases.push(n.clone());
            }
        }
    }
    names.sort_by(|a, b| norsk::compare(a, b));
    names.dedup();
    let line = format!(
        "- {{ name: {}, aliases: [{}] }}",
        yaml_scalar(&keep.name),
        aliases
            .iter()
            .map(|a| yaml_scalar(a))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let help = if keep.aliases.is_empty() {
        format!(
            "er det samme person, legg denne linjen i content/people.yaml: {line} \
             (er det to personer, kan du se bort fra denne merknaden)"
        )
    } else {
        format!(
            "er det samme person, bytt ut linjen for {} i content/people.yaml med: {line}",
            keep.name
        )
    };
    // Point at a name other than the one to keep, where it is first written.
    let shown = members
        .iter()
        .find(|&&i| written[i].1 != keep.name && !keep.aliases.contains(&written[i].1))
        .copied()
        .unwrap_or(chosen);
    let (_, name, w) = &written[shown];
    let text = &sources.text(w.first);
    let span = text
        .find(&format!("name: {name}"))
        .map(|s| s + "name: ".len())
        .or_else(|| text.find(name.as_str()))
        .map_or(0..0, |s| s..s + name.len());
    let quoted: Vec<String> = names.iter().map(|n| format!("«{n}»")).collect();
    let listed = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} og {last}", rest.join(", ")),
        _ => quoted.join(""),
    };
    let label = format!(
        "skrevet slik i {}",
        norsk::count(w.documents, "dokument", "dokumenter")
    );
    (
        affiliation.to_string(),
        keep.name.clone(),
        Diagnostic::note(
            w.first,
            span,
            format!("{listed} ({affiliation}) er kanskje samme person"),
        )
        .label(label)
        .help(help),
    )
}

/// A name's words, folded (lower case, no full stops, æ ø å and accents as
/// plain letters); a hyphen separates words: "Leif-Arne" is "leif arne".
fn tokens(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .map(fold)
        .filter(|t| !t.is_empty())
        .collect()
}

fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            '.' => None,
            'æ' | 'ä' | 'á' | 'à' | 'å' | 'â' => Some('a'),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => Some('o'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'ü' | 'ú' => Some('u'),
            c => Some(c),
        })
        .collect()
}

/// Whether a folded word was written as an initial ("B." or "B").
fn is_initial(token: &str) -> bool {
    token.chars().count() == 1
}

/// The surname itself and the surname with one letter left out: two surnames one
/// edit apart (a letter changed, added, left out or two swapped) share a key.
fn surname_keys(surname: &str) -> Vec<String> {
    let chars: Vec<char> = surname.chars().collect();
    let mut keys = vec![surname.to_string()];
    if chars.len() >= 3 {
        for skip in 0..chars.len() {
            keys.push(
                chars
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, c)| c)
                    .collect(),
            );
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Whether two folded names are likely one person: the same surname and given
/// names that fit (an initial for a name, a middle name left out, or a first name
/// one letter off), or surnames one letter apart and the same given names.
fn alike(a: &[String], b: &[String]) -> bool {
    let (Some((sa, ga)), Some((sb, gb))) = (a.split_last(), b.split_last()) else {
        return false;
    };
    if ga.is_empty() || gb.is_empty() {
        return false;
    }
    if sa == sb {
        return given_fit(ga, gb, true);
    }
    // A short surname one letter off is another name unless it begins alike
    // ("Moe" and "Roe", but "Øie" and "Øye").
    let short = sa.chars().count().min(sb.chars().count()) < 5;
    sa.chars().count() >= 3
        && (!short || sa.chars().next() == sb.chars().next())
        && damerau_levenshtein(sa, sb) == 1
        && given_fit(ga, gb, false)
}

fn given_fit(a: &[String], b: &[String], loose_first: bool) -> bool {
    let word_fits = |x: &str, y: &str| {
        x == y
            || (x.chars().count() == 1 && y.starts_with(x))
            || (y.chars().count() == 1 && x.starts_with(y))
    };
    let first_fits = word_fits(&a[0], &b[0])
        || (loose_first
            && a[0].chars().count() >= 4
            && b[0].chars().count() >= 4
            && damerau_levenshtein(&a[0], &b[0]) == 1);
    if !first_fits {
        return false;
    }
    // The other given names of the shorter list fit, in order, into the longer.
    let (short, long) = if a.len() <= b.len() {
        (&a[1..], &b[1..])
    } else {
        (&b[1..], &a[1..])
    };
    let mut rest = long.iter();
    short.iter().all(|s| rest.any(|l| word_fits(s, l)))
}

/// A name as a YAML value in a flow list: quoted when YAML would read it otherwise.
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with([
            '-', '?', '!', '&', '*', '\'', '"', '%', '@', '`', '|', '>', ' ',
        ])
        && !s.contains([',', '[', ']', '{', '}', '#', ':'])
        && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alike_names(a: &str, b: &str) -> bool {
        alike(&tokens(a), &tokens(b))
    }

    #[test]
    fn names_that_are_likely_one_person() {
        for (a, b) in [
            ("Marit B. Sandvik", "Marit Berntsen Sandvik"),
            ("M. B. Sandvik", "Marit Berntsen Sandvik"),
            ("Marit Sandvik", "Marit Berntsen Sandvik"),
            ("Knut Åsli", "Knut Asli"),
            ("Knut Åsli", "Knut Åslie"),
            ("Per Øie", "Per Øye"),
            ("Geir Hønsvik", "Geir Hønsvig"),
            ("Leif-Inge Dahl", "Leif Inge Dahl"),
            ("Synnøve Ekre", "Synøve Ekre"),
            ("Torstein Myrvang", "Torstein Myrvagn"),
        ] {
            assert!(alike_names(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn names_that_are_not() {
        for (a, b) in [
            ("Ola Dahl", "Kari Dahl"),
            ("Per Olav Dahl", "Per Arne Dahl"),
            ("Geir Hønsvik", "Geir Hansen"),
            ("Anne Moe", "Anne Roe"),
            ("Marit Sandvik", "Morten Sandvik"),
            ("Dahl", "Dahl"),
            ("Geir Hønsvik", "Gert Hønsvig"),
        ] {
            assert!(!alike_names(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn surname_keys_meet_one_edit_apart() {
        let shared = |a: &str, b: &str| {
            let kb = surname_keys(b);
            surname_keys(a).iter().any(|k| kb.contains(k))
        };
        assert!(shared("hønsvik", "hønsvig"));
        assert!(shared("asli", "aslie"));
        assert!(shared("myrvang", "myrvagn"));
        assert!(!shared("sandvik", "dahl"));
    }

    /// 30,000 people of one municipality, with 3,000 surnames: each name is
    /// compared with those of its own and nearby surnames, not with all others.
    #[test]
    fn the_work_grows_with_the_archive() {
        let given = [
            "Ola", "Kari", "Per", "Liv", "Nils", "Eli", "Arne", "Siri", "Geir", "Tone",
        ];
        // Surnames of seven letters from a fixed pseudo-random sequence.
        let mut seed: u64 = 7;
        let surnames: Vec<String> = (0..3_000)
            .map(|_| {
                (0..7)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        char::from(b'a' + ((seed >> 33) % 26) as u8)
                    })
                    .collect()
            })
            .collect();
        let mut written = Vec::new();
        for i in 0..30_000 {
            let name = format!(
                "{} {} {}",
                given[i % 10],
                given[(i / 3_000) % 10],
                surnames[i % 3_000]
            );
            written.push((
                "k:0".to_string(),
                name.clone(),
                Written {
                    person: PersonId(i),
                    documents: 1,
                    first: FileId(0),
                    tokens: tokens(&name),
                },
            ));
        }
        let (_, compared) = join(&written, written.len());
        // Ten names a surname (45 pairs each), and surnames one letter apart.
        assert!(compared < 60 * written.len(), "{compared} pairs");
    }

    #[test]
    fn paste_lines_are_valid_yaml_values() {
        assert_eq!(yaml_scalar("Ola Dahl"), "Ola Dahl");
        assert_eq!(yaml_scalar("Dahl, Ola"), "\"Dahl, Ola\"");
        assert_eq!(
            yaml_scalar("Ola \"Lillemann\" Dahl"),
            "Ola \"Lillemann\" Dahl"
        );
        assert_eq!(yaml_scalar("\"Ola\""), "\"\\\"Ola\\\"\"");
    }
}
