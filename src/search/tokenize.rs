//! Cutting text into search terms: Norwegian Snowball stems (the algorithm of
//! `lunr.no`, which stems the query in the browser), folded so that æ ø å and
//! their spellings without them meet ("Bærum", "Barum", "baerum" are one term);
//! item numbers ("04/2017", "4/2017") and dates ("23.02.2017") are terms of
//! their own. The rules are written twice, here and in
//! `themes/default/static/sok/sok.js`; they must stay the same
//! (`tests/it/terms.rs` compares the two on every text of an archive).

use std::collections::HashMap;

use chrono::NaiveDate;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

use crate::model::ItemNumber;

/// Norwegian stop words, left out of the index: the list of `lunr.no`
/// (lunr-languages 1.22.0), which leaves them out of queries.
const STOP_WORDS: &[&str] = &[
    "alle",
    "at",
    "av",
    "bare",
    "begge",
    "ble",
    "blei",
    "bli",
    "blir",
    "blitt",
    "både",
    "båe",
    "da",
    "de",
    "deg",
    "dei",
    "deim",
    "deira",
    "deires",
    "dem",
    "den",
    "denne",
    "der",
    "dere",
    "deres",
    "det",
    "dette",
    "di",
    "din",
    "disse",
    "ditt",
    "du",
    "dykk",
    "dykkar",
    "då",
    "eg",
    "ein",
    "eit",
    "eitt",
    "eller",
    "elles",
    "en",
    "enn",
    "er",
    "et",
    "ett",
    "etter",
    "for",
    "fordi",
    "fra",
    "før",
    "ha",
    "hadde",
    "han",
    "hans",
    "har",
    "hennar",
    "henne",
    "hennes",
    "her",
    "hjå",
    "ho",
    "hoe",
    "honom",
    "hoss",
    "hossen",
    "hun",
    "hva",
    "hvem",
    "hver",
    "hvilke",
    "hvilken",
    "hvis",
    "hvor",
    "hvordan",
    "hvorfor",
    "i",
    "ikke",
    "ikkje",
    "ingen",
    "ingi",
    "inkje",
    "inn",
    "inni",
    "ja",
    "jeg",
    "kan",
    "kom",
    "korleis",
    "korso",
    "kun",
    "kunne",
    "kva",
    "kvar",
    "kvarhelst",
    "kven",
    "kvi",
    "kvifor",
    "man",
    "mange",
    "me",
    "med",
    "medan",
    "meg",
    "meget",
    "mellom",
    "men",
    "mi",
    "min",
    "mine",
    "mitt",
    "mot",
    "mykje",
    "ned",
    "no",
    "noe",
    "noen",
    "noka",
    "noko",
    "nokon",
    "nokor",
    "nokre",
    "nå",
    "når",
    "og",
    "også",
    "om",
    "opp",
    "oss",
    "over",
    "på",
    "samme",
    "seg",
    "selv",
    "si",
    "sia",
    "sidan",
    "siden",
    "sin",
    "sine",
    "sitt",
    "sjøl",
    "skal",
    "skulle",
    "slik",
    "so",
    "som",
    "somme",
    "somt",
    "så",
    "sånn",
    "til",
    "um",
    "upp",
    "ut",
    "uten",
    "var",
    "vart",
    "varte",
    "ved",
    "vere",
    "verte",
    "vi",
    "vil",
    "ville",
    "vore",
    "vors",
    "vort",
    "vår",
    "være",
    "vært",
    "å",
];

/// Cuts text into index terms; the same rules as `sok.js` in the theme.
pub struct Tokenizer {
    stemmer: Stemmer,
    special: Regex,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    /// A tokenizer for Norwegian text.
    pub fn new() -> Self {
        Self {
            stemmer: Stemmer::create(Algorithm::Norwegian),
            // An item number (04/2017, 4 / 2017, 35/06) or a date (23.02.2017);
            // ASCII digits, as `\d` in the browser's regular expressions.
            special: Regex::new(
                r"(?:^|[^\p{Alphabetic}\p{N}])(?:([0-9]{1,3}) ?/ ?([0-9]{4}|[0-9]{2})|([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}))(?:$|[^\p{Alphabetic}\p{N}])",
            )
            .expect("a valid regular expression"),
        }
    }

    /// Every term of `text`, in order, repeats included.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut ids = Vec::new();
        let mut terms = Terms::default();
        self.terms_into(text, &mut ids, &mut terms);
        ids.into_iter()
            .map(|id| terms.names[id as usize].clone())
            .collect()
    }

    /// Adds the terms of `text` to `out`, as ids in `terms`.
    pub(super) fn terms_into(&self, text: &str, out: &mut Vec<u32>, terms: &mut Terms) {
        let lower = text.to_lowercase();
        let mut words_from = 0;
        let mut at = 0;
        while let Some(c) = self.special.captures_at(&lower, at) {
            let whole = c.get(0).expect("the whole match");
            let term = if let (Some(n), Some(y)) = (c.get(1), c.get(2)) {
                item_term(n.as_str(), y.as_str())
            } else {
                date_term(&c[3], &c[4], &c[5])
            };
            self.words(&lower[words_from..whole.start()], out, terms);
            out.extend(term.map(|t| terms.id(t)));
            // The character after the match may begin the next one.
            let end = whole.end() - trailing_separator_len(whole);
            words_from = end;
            at = end;
        }
        self.words(&lower[words_from..], out, terms);
    }

    fn words(&self, text: &str, out: &mut Vec<u32>, terms: &mut Terms) {
        for word in text.split(|c: char| !(c.is_alphabetic() || c.is_numeric())) {
            if word.is_empty() {
                continue;
            }
            let id = match terms.words.get(word) {
                Some(id) => *id,
                None => {
                    let id = self.word(word).map(|t| terms.id(t));
                    terms.words.insert(word.into(), id);
                    id
                }
            };
            out.extend(id);
        }
    }

    /// The term of one lower-case word, if it is one.
    fn word(&self, word: &str) -> Option<String> {
        if STOP_WORDS.contains(&word) {
            return None;
        }
        // Bare numbers are found through item numbers and dates; only longer
        // ones (a municipality number, a year) are terms.
        if word.bytes().all(|b| b.is_ascii_digit()) && word.len() < 4 {
            return None;
        }
        Some(fold(&self.stemmer.stem(word)))
    }
}

/// The terms one thread has met, by number, and the term of each word it
/// has cut, so that a word is stemmed once and a term is a number.
#[derive(Default)]
pub(super) struct Terms {
    /// Word → its term's number, or none for a stop word.
    pub(super) words: HashMap<Box<str>, Option<u32>>,
    /// Term → its number.
    pub(super) numbers: HashMap<String, u32>,
    /// Number → term.
    pub(super) names: Vec<String>,
}

impl Terms {
    pub(super) fn id(&mut self, term: String) -> u32 {
        if let Some(id) = self.numbers.get(&term) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(term.clone());
        self.numbers.insert(term, id);
        id
    }
}

fn trailing_separator_len(m: regex::Match<'_>) -> usize {
    let s = m.as_str();
    s.chars()
        .next_back()
        .filter(|c| !c.is_ascii_digit())
        .map_or(0, char::len_utf8)
}

/// `4/2017` for `04/2017`; two-digit years stay as written (`35/06`).
fn item_term(number: &str, year: &str) -> Option<String> {
    let n = number.trim_start_matches('0');
    (!n.is_empty()).then(|| format!("{n}/{year}"))
}

/// The term of an item's identity: `4/2017` for `04/2017`. An item numbered within
/// its meeting has none: "2" would find every meeting; its title and its
/// meeting's date find it.
pub(super) fn number_term(n: &ItemNumber) -> Option<String> {
    item_term(n.number(), &n.year()?.to_string())
}

/// `2017-02-23` for `23.02.2017`, if it is a date.
fn date_term(day: &str, month: &str, year: &str) -> Option<String> {
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Spellings folded together: æ ä → a, ø ö → o, å → a, é è ê → e, ü → u, and
/// then ae → a, oe → o, aa → a, so "Bærum", "Baerum" and "Barum" meet.
pub fn fold(stem: &str) -> String {
    let mut s = String::with_capacity(stem.len());
    for c in stem.chars() {
        match c {
            'æ' | 'ä' | 'å' | 'á' | 'à' => s.push('a'),
            'ø' | 'ö' | 'ó' | 'ò' => s.push('o'),
            'é' | 'è' | 'ê' => s.push('e'),
            'ü' => s.push('u'),
            _ => s.push(c),
        }
    }
    if s.contains("ae") || s.contains("oe") || s.contains("aa") {
        s = s.replace("ae", "a").replace("oe", "o").replace("aa", "a");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_words_meet_their_forms_and_spellings() {
        let t = Tokenizer::new();
        assert_eq!(t.terms("kommunene"), t.terms("kommune"));
        assert_eq!(t.terms("Kommunenes"), t.terms("kommuner"));
        assert_eq!(t.terms("Bærum"), vec!["barum"]);
        assert_eq!(t.terms("baerum"), vec!["barum"]);
        assert_eq!(t.terms("Barum"), vec!["barum"]);
        assert_eq!(t.terms("Øvre Eiker"), vec!["ovr", "eik"]);
    }

    #[test]
    fn item_numbers_and_dates_are_terms() {
        let t = Tokenizer::new();
        assert_eq!(
            t.terms("Sak 04/2017 og sak 4/2017"),
            vec!["sak", "4/2017", "sak", "4/2017"]
        );
        assert_eq!(t.terms("møtet 23.02.2017."), vec!["mot", "2017-02-23"]);
        assert_eq!(
            t.terms("TR-sak 35/06: budsjett"),
            vec!["tr", "sak", "35/06", "budsjett"]
        );
        // Two numbers side by side are both found.
        assert_eq!(t.terms("17/2017 18/2017"), vec!["17/2017", "18/2017"]);
        // Stop words and short bare numbers are not terms.
        assert_eq!(t.terms("og i på 12"), Vec::<String>::new());
    }

    #[test]
    fn the_stop_words_are_those_of_the_browser() {
        // The query is cut by lunr.no in the browser; a stop word there that is a
        // term here (or the other way round) could never be found.
        let js = include_str!("../../themes/default/static/sok/lunr.no.min.js");
        let list = js
            .split("generateStopWordFilter(\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("lunr.no has its stop word list");
        let mut browser: Vec<&str> = list.split(' ').collect();
        browser.sort_unstable();
        browser.dedup();
        let mut ours = STOP_WORDS.to_vec();
        ours.sort_unstable();
        assert_eq!(ours, browser);
    }
}
