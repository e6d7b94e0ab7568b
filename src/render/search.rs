//! The search index: the archive as words, for the search page (`/sok/`).
//!
//! Search runs in the reader's browser, on the web and from disk (`file://`),
//! with no server. A browser refuses `fetch()` of a file on `file://`, but it
//! runs a `<script src>`, so every file of the index is a script that hands its
//! data to `window.saksgangSok`. The index is built here, once, so that the
//! browser loads only what a query needs:
//!
//! - `sok/indeks.js`: the bodies, the kind and body of every record (one
//!   character each), and where each year's records begin;
//! - `sok/t/<xx>.js`: the terms that begin with `xx`, each with its records;
//! - `sok/d/<n>.js`: 64 records each (title, address, date line, text) for
//!   showing results with a snippet; an address that is only `#anchor` is on
//!   the page of the record before, and a date line `0` is that of the record
//!   before.
//!
//! Records are meetings (a document's page), items (sak), threads (saksgang) and
//! municipalities. Terms are Norwegian Snowball stems (the same algorithm as
//! `lunr.no`, which stems the query in the browser), folded so that æ ø å and
//! their spellings without them meet ("Bærum", "Barum", "baerum" are one
//! term); item numbers ("04/2017", "4/2017") and dates ("23.02.2017") are
//! terms of their own. The rules are written twice, here and in
//! `themes/default/static/sok/sok.js`; they must stay the same.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

use super::markdown::plain_text;
use super::{Edition, Page, urls};
use crate::diag::Sources;
use crate::model::*;
use crate::norsk;

/// Records per file of `sok/d/`.
pub const RECORDS_PER_FILE: usize = 64;

/// At most this much of a record's text is kept for its snippet.
const SNIPPET_SOURCE: usize = 2000;

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

/// What a record is; the letter is its code in `sok/indeks.js`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Municipality,
    Thread,
    Meeting,
    Item,
}

impl Kind {
    fn code(self) -> char {
        match self {
            Kind::Municipality => 'k',
            Kind::Thread => 't',
            Kind::Meeting => 'm',
            Kind::Item => 's',
        }
    }
}

/// Where a record comes from; its words are made from the model when needed,
/// so that the text of every record is never in memory at once.
#[derive(Debug, Clone, Copy)]
enum Source {
    Municipality(MunicipalityId),
    Thread(ThreadId),
    Document(MeetingId, DocumentKind),
    Item(MeetingId, DocumentKind, usize),
}

/// One search record, with its words.
struct Record {
    title: String,
    href: String,
    /// The line under the title: body, date, document.
    meta: String,
    /// Text that is searched and shown in snippets.
    text: String,
    /// Terms that are not in the text as words (item numbers, dates), and
    /// whether they count as in the title.
    extra: Vec<(String, bool)>,
}

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
    fn terms_into(&self, text: &str, out: &mut Vec<u32>, terms: &mut Terms) {
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
struct Terms {
    /// Word → its term's number, or none for a stop word.
    words: HashMap<Box<str>, Option<u32>>,
    /// Term → its number.
    numbers: HashMap<String, u32>,
    /// Number → term.
    names: Vec<String>,
}

impl Terms {
    fn id(&mut self, term: String) -> u32 {
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
fn number_term(n: &ItemNumber) -> Option<String> {
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

/// The file of `sok/t/` a term is in: its first two characters, `_` for any
/// that is not a–z or 0–9.
pub fn shard_of(term: &str) -> String {
    let mut key: String = term
        .chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '_'
            }
        })
        .collect();
    while key.len() < 2 {
        key.push('_');
    }
    key
}

/// Records cut into terms together by one thread: 32 record files.
const RECORDS_PER_BATCH: usize = RECORDS_PER_FILE * 32;

/// Batches done in parallel before their terms are merged and their record
/// files handed on, which bounds the memory they take.
const BATCHES_PER_GROUP: usize = 8;

/// The search index of one edition of the site: `sok/indeks.js` and the term
/// files, made from it one at a time; the record files are handed on while
/// the index is made.
pub struct SearchIndex<'a> {
    archive: &'a Archive,
    sources: &'a Sources,
    edition: Edition,
    tokenizer: Tokenizer,
    /// Every record, in id order.
    records: Vec<Source>,
    /// Terms in order, each with its records: varint-packed
    /// (id − previous id) × 2 + 1 if the term is in the title.
    terms: Vec<(Box<str>, Vec<u8>)>,
    /// The term files: first two letters and the range of `terms` they hold.
    shards: Vec<(String, std::ops::Range<usize>)>,
}

impl<'a> SearchIndex<'a> {
    /// Cuts every record of the archive into terms, in parallel. The record
    /// files (`sok/d/N.js`) are made in the same pass, from the same words, and
    /// handed to `put` in order, some hundreds at a time.
    pub fn new(
        archive: &'a Archive,
        sources: &'a Sources,
        edition: Edition,
        mut put: impl FnMut(Vec<Page>),
    ) -> Self {
        let mut index = Self {
            archive,
            sources,
            edition,
            tokenizer: Tokenizer::new(),
            records: sources_in_order(archive),
            terms: Vec::new(),
            shards: Vec::new(),
        };
        let mut all: HashMap<String, (Vec<u8>, u32)> = HashMap::new();
        let group_len = RECORDS_PER_BATCH * BATCHES_PER_GROUP;
        for (g, group) in index.records.chunks(group_len).enumerate() {
            // Batches in parallel; merged in order, so every term's records stay in id order.
            let batches: Vec<(Terms, Vec<Vec<u32>>, Vec<Page>)> = group
                .par_chunks(RECORDS_PER_BATCH)
                .enumerate()
                .map(|(b, batch)| {
                    let first = g * group_len + b * RECORDS_PER_BATCH;
                    index.batch(first, batch)
                })
                .collect();
            let mut pages = Vec::new();
            for (terms, postings, files) in batches {
                for (term, list) in terms.names.into_iter().zip(postings) {
                    if list.is_empty() {
                        continue;
                    }
                    let (bytes, previous) = all.entry(term).or_insert_with(|| (Vec::new(), 0));
                    for entry in list {
                        let id = entry >> 1;
                        push_varint(bytes, ((id - *previous) << 1) | (entry & 1));
                        *previous = id;
                    }
                }
                pages.extend(files);
            }
            put(pages);
        }
        let mut terms: Vec<(Box<str>, Vec<u8>)> = all
            .into_iter()
            .map(|(t, (mut bytes, _))| {
                bytes.shrink_to_fit();
                (t.into_boxed_str(), bytes)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut shards: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        for (i, (term, _)) in terms.iter().enumerate() {
            let key = shard_of(term);
            match shards.last_mut() {
                Some((k, range)) if *k == key => range.end = i + 1,
                _ => shards.push((key, i..i + 1)),
            }
        }
        // Keys sort as the terms do only when both are plain letters and digits;
        // join the runs of one key that other characters split.
        shards.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.start.cmp(&b.1.start)));
        index.terms = terms;
        index.shards = shards;
        index
    }

    /// The terms of the records of one batch, whose first id is `first`, and
    /// its record files.
    fn batch(&self, first: usize, batch: &[Source]) -> (Terms, Vec<Vec<u32>>, Vec<Page>) {
        let mut terms = Terms::default();
        // Term number → its records: id × 2 + 1 if in the title.
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut files = Vec::new();
        let mut js = String::new();
        // An item's address and date line repeat its document's: within a file
        // they are written once, and later records say "as before".
        let mut page = String::new();
        let mut meta = String::new();
        let mut last = None;
        for (i, source) in batch.iter().enumerate() {
            let id = first + i;
            let record = self.record(*source, &mut last);
            for (term, in_title) in self.record_terms(&record, &mut terms) {
                let term = term as usize;
                if postings.len() <= term {
                    postings.resize_with(term + 1, Vec::new);
                }
                postings[term].push(((id as u32) << 1) | u32::from(in_title));
            }
            if id.is_multiple_of(RECORDS_PER_FILE) {
                js = format!("saksgangSok.inn(\"d/{}\",[", id / RECORDS_PER_FILE);
                page.clear();
                meta.clear();
            } else {
                js.push_str(",\n");
            }
            let (this_page, anchor) = match record.href.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (record.href.as_str(), None),
            };
            // `#sak-04-2017` alone: on the page of the record before.
            let href = match anchor {
                Some(a) if this_page == page => format!("#{a}"),
                _ => record.href.clone(),
            };
            page.clear();
            page.push_str(this_page);
            let text = cut(&record.text, SNIPPET_SOURCE);
            js.push('[');
            js.push_str(&json_string(&record.title));
            js.push(',');
            js.push_str(&json_string(&href));
            js.push(',');
            // `0`: the date line of the record before.
            if record.meta == meta && !meta.is_empty() {
                js.push('0');
            } else {
                js.push_str(&json_string(&record.meta));
                meta.clone_from(&record.meta);
            }
            js.push(',');
            js.push_str(&json_string(text));
            js.push(']');
            if id % RECORDS_PER_FILE == RECORDS_PER_FILE - 1 || i == batch.len() - 1 {
                js.push_str("]);\n");
                files.push(Page {
                    path: format!("sok/d/{}.js", id / RECORDS_PER_FILE),
                    bytes: std::mem::take(&mut js).into_bytes(),
                });
            }
        }
        (terms, postings, files)
    }

    /// How many files [`SearchIndex::file`] makes: `sok/indeks.js` and the term files.
    pub fn files(&self) -> usize {
        1 + self.shard_keys().len()
    }

    /// The distinct term file keys, in order.
    fn shard_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.shards.iter().map(|(k, _)| k.as_str()).collect();
        keys.dedup();
        keys
    }

    /// File number `n` of [`SearchIndex::files`]: the main file, then the term files.
    pub fn file(&self, n: usize) -> Page {
        if n == 0 {
            self.main_file()
        } else {
            self.term_file(self.shard_keys()[n - 1])
        }
    }

    fn term_file(&self, key: &str) -> Page {
        let mut js = format!("saksgangSok.inn(\"t/{key}\",{{");
        let mut first = true;
        for (_, range) in self.shards.iter().filter(|(k, _)| k == key) {
            for (term, bytes) in &self.terms[range.clone()] {
                if !first {
                    js.push(',');
                }
                first = false;
                js.push_str(&json_string(term));
                js.push_str(":[");
                let mut at = 0;
                let mut n = 0;
                while at < bytes.len() {
                    let (value, used) = read_varint(&bytes[at..]);
                    at += used;
                    if n > 0 {
                        js.push(',');
                    }
                    js.push_str(&value.to_string());
                    n += 1;
                }
                js.push(']');
            }
        }
        js.push_str("});\n");
        Page {
            path: format!("sok/t/{key}.js"),
            bytes: js.into_bytes(),
        }
    }

    /// The distinct terms of a record, by number, and whether each is in its title.
    fn record_terms(&self, r: &Record, terms: &mut Terms) -> Vec<(u32, bool)> {
        let mut title = Vec::new();
        self.tokenizer.terms_into(&r.title, &mut title, terms);
        let mut text = Vec::new();
        self.tokenizer.terms_into(&r.text, &mut text, terms);
        let mut all: Vec<(u32, bool)> = title.into_iter().map(|t| (t, true)).collect();
        all.extend(
            r.extra
                .iter()
                .map(|(t, in_title)| (terms.id(t.clone()), *in_title)),
        );
        all.extend(text.into_iter().map(|t| (t, false)));
        // Title first among equal terms, so that dedup keeps the title mark.
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        all.dedup_by(|a, b| a.0 == b.0);
        all
    }

    /// `sok/indeks.js`: what the search page needs before any query.
    fn main_file(&self) -> Page {
        let archive = self.archive;
        let kinds: String = self.records.iter().map(|r| kind_of(*r).code()).collect();
        // One character per record: its body's position in `organer`, from `0`; `-` for none.
        let bodies: String = self
            .records
            .iter()
            .map(|r| {
                meeting_of(*r)
                    .and_then(|m| char::from_u32(0x30 + archive.meetings[m.0].body.0 as u32))
                    .unwrap_or('-')
            })
            .collect();
        let mut years: Vec<(i32, usize)> = Vec::new();
        for (id, r) in self.records.iter().enumerate() {
            if let Some(m) = meeting_of(*r) {
                let year = archive.meetings[m.0].date.year();
                if years.last().is_none_or(|(y, _)| *y != year) {
                    years.push((year, id));
                }
            }
        }
        let names: Vec<String> = archive.bodies.iter().map(|b| json_string(&b.id)).collect();
        let years_js: Vec<String> = years.iter().map(|(y, id)| format!("[{y},{id}]")).collect();
        let js = format!(
            "window.saksgangSok={{versjon:1,antall:{},perFil:{},organer:[{}],typer:{},organ:{},ar:[{}],\
filer:{{}},venter:{{}},inn:function(navn,data){{this.filer[navn]=data;var v=this.venter[navn];if(v){{delete this.venter[navn];v.forEach(function(f){{f(data);}});}}}}}};\n",
            self.records.len(),
            RECORDS_PER_FILE,
            names.join(","),
            json_string(&kinds),
            json_string(&bodies),
            years_js.join(","),
        );
        Page {
            path: "sok/indeks.js".to_string(),
            bytes: js.into_bytes(),
        }
    }

    fn href(&self, path: String, anchor: Option<String>) -> String {
        let file = match self.edition {
            Edition::Web => path,
            Edition::Offline => format!("{path}index.html"),
        };
        match anchor {
            Some(a) => format!("{file}#{a}"),
            None => file,
        }
    }

    /// The words of one record, from the model; `last` keeps the strings of the
    /// document of the record before.
    fn record(&self, source: Source, last: &mut Option<DocumentStrings>) -> Record {
        let archive = self.archive;
        match source {
            Source::Municipality(id) => {
                let m = &archive.municipalities[id.0];
                let mut text = Vec::new();
                text.extend(m.aliases.iter().cloned());
                text.extend(m.number.clone());
                text.extend(m.former_numbers.iter().map(|f| f.number.clone()));
                text.extend(m.region.clone());
                text.extend(m.note.clone());
                Record {
                    title: m.name.clone(),
                    href: self.href(urls::municipality(&m.id), None),
                    meta: match &m.number {
                        Some(n) => format!("Kommunenummer {n}"),
                        None => String::new(),
                    },
                    text: text.join(" · "),
                    extra: Vec::new(),
                }
            }
            Source::Thread(id) => {
                let t = &archive.threads[id.0];
                let mut text: Vec<String> = t.summary.iter().cloned().collect();
                let background = plain_text(&self.sources.text(t.background.file), &t.background);
                if !background.is_empty() {
                    text.push(background);
                }
                let mut extra = Vec::new();
                for step in &t.steps {
                    match step {
                        Step::Item {
                            meeting,
                            document,
                            item,
                            ..
                        } => {
                            if let Some(d) = archive.document(*meeting, *document) {
                                let n = &d.items[*item].number;
                                extra.extend(number_term(n).map(|t| (t, false)));
                            }
                        }
                        Step::Outside { text: t, .. } => text.push(t.clone()),
                    }
                }
                Record {
                    title: t.title.clone(),
                    href: self.href(urls::thread(&t.id), None),
                    meta: String::from("Saksgang"),
                    text: text.join("\n"),
                    extra,
                }
            }
            Source::Document(m, kind) | Source::Item(m, kind, _) => {
                let meeting = &archive.meetings[m.0];
                let doc = archive
                    .document(m, kind)
                    .expect("records are made only for documents that exist");
                let body = &archive.bodies[meeting.body.0];
                // A document's items follow it: its strings are made once.
                if last.as_ref().is_none_or(|l| l.document != (m, kind)) {
                    let document_name = match kind {
                        DocumentKind::Minutes => "referat",
                        DocumentKind::Notice => "innkalling",
                    };
                    *last = Some(DocumentStrings {
                        document: (m, kind),
                        page: if kind == DocumentKind::Notice && meeting.minutes.is_some() {
                            urls::notice(&meeting.slug)
                        } else {
                            urls::meeting(&meeting.slug)
                        },
                        meta: format!(
                            "{} · {} · {document_name}",
                            body.name,
                            norsk::short_date(meeting.date)
                        ),
                        date_term: meeting.date.format("%Y-%m-%d").to_string(),
                    });
                }
                let strings = last.as_ref().expect("just made");
                let (page, meta, date_term) = (
                    strings.page.clone(),
                    strings.meta.clone(),
                    strings.date_term.clone(),
                );
                let title_kind = match kind {
                    DocumentKind::Minutes => "Referat",
                    DocumentKind::Notice => "Innkalling",
                };
                let src = &self.sources.text(doc.file);
                if let Source::Item(_, _, i) = source {
                    let item = &doc.items[i];
                    let text: Vec<String> = item
                        .parts
                        .iter()
                        .filter_map(|p| part_text(src, p))
                        .collect();
                    let mut extra = vec![(date_term, false)];
                    extra.extend(number_term(&item.number).map(|t| (t, true)));
                    return Record {
                        title: item.heading.to_string(),
                        href: self.href(page, Some(item.number.anchor())),
                        meta,
                        text: text.join("\n"),
                        extra,
                    };
                }
                let mut text: Vec<String> = Vec::new();
                text.extend(doc.title.clone());
                text.extend(doc.place.clone());
                for p in doc.present.iter().chain(&doc.absent) {
                    text.push(p.name.to_string());
                }
                for part in &doc.preamble {
                    text.extend(part_text(src, part));
                }
                Record {
                    title: format!(
                        "{title_kind}: {} {}",
                        body.name,
                        norsk::long_date(meeting.date)
                    ),
                    href: self.href(page, None),
                    meta,
                    text: text.join("\n"),
                    extra: vec![(date_term, true)],
                }
            }
        }
    }
}

/// Strings shared by a document's record and its items' records.
struct DocumentStrings {
    document: (MeetingId, DocumentKind),
    page: String,
    meta: String,
    date_term: String,
}

fn kind_of(source: Source) -> Kind {
    match source {
        Source::Municipality(_) => Kind::Municipality,
        Source::Thread(_) => Kind::Thread,
        Source::Document(..) => Kind::Meeting,
        Source::Item(..) => Kind::Item,
    }
}

fn meeting_of(source: Source) -> Option<MeetingId> {
    match source {
        Source::Document(m, _) | Source::Item(m, _, _) => Some(m),
        _ => None,
    }
}

/// Every record, in id order: municipalities and threads first (no date), then
/// meetings and their items by date, so that a year is a range of ids.
fn sources_in_order(archive: &Archive) -> Vec<Source> {
    let mut out = Vec::new();
    let mut municipalities: Vec<(usize, &Municipality)> =
        archive.municipalities.iter().enumerate().collect();
    norsk::sort_by_name(&mut municipalities, |(_, m)| &m.name);
    out.extend(
        municipalities
            .into_iter()
            .map(|(i, _)| Source::Municipality(MunicipalityId(i))),
    );
    out.extend((0..archive.threads.len()).map(|i| Source::Thread(ThreadId(i))));
    let mut meetings: Vec<usize> = (0..archive.meetings.len()).collect();
    meetings.sort_by(|a, b| {
        let (a, b) = (&archive.meetings[*a], &archive.meetings[*b]);
        a.date.cmp(&b.date).then_with(|| a.slug.cmp(&b.slug))
    });
    for i in meetings {
        let m = &archive.meetings[i];
        for doc in m.documents() {
            out.push(Source::Document(MeetingId(i), doc.kind));
            out.extend((0..doc.items.len()).map(|n| Source::Item(MeetingId(i), doc.kind, n)));
        }
    }
    out
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8]) -> (u32, usize) {
    let mut v = 0u32;
    for (i, b) in bytes.iter().enumerate() {
        v |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    (v, bytes.len())
}

fn part_text(src: &str, part: &Part) -> Option<String> {
    match part {
        Part::Text(md) => Some(plain_text(src, md)),
        Part::Heading { text, .. } => Some(text.clone()),
        Part::Decision(d) => Some(format!("{}\n{}", d.heading, plain_text(src, &d.body))),
    }
    .filter(|t| !t.is_empty())
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A JSON string literal (the index files are scripts of their own, never
/// inline, so `</script>` in a string is harmless).
fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string is always valid JSON")
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

    #[test]
    fn terms_go_to_files_by_their_first_letters() {
        assert_eq!(shard_of("kommun"), "ko");
        assert_eq!(shard_of("4/2017"), "4_");
        assert_eq!(shard_of("a"), "a_");
    }
}
