//! The search index: the archive as words, for the search page (`/sok/`).
//!
//! A stage of its own after the pages: its input is the resolved [`Archive`],
//! the [`Sources`] (for the text of documents) and the [`Edition`] (addresses
//! differ on disk); its output is the index's files as [`Page`]s, handed on a
//! batch at a time, always in the same order ([`SearchIndex::new`], then
//! [`SearchIndex::unit`] for `0..units()`). It does no I/O.
//!
//! Search runs in the reader's browser, on the web and from disk (`file://`),
//! with no server. A browser refuses `fetch()` of a file on `file://`, but it
//! runs a `<script src>`, so every file of the index is a script that hands its
//! data (JSON) to `window.saksgangSok`. A query loads only what it needs, so
//! that it stays under a megabyte however large the archive:
//!
//! - `sok/indeks.js`: the bodies, where each year's records begin, the keys
//!   of the term files and the terms with files of their own (so that the
//!   first of those is asked for with the term file, not after it); no list
//!   with one entry per record.
//! - `sok/t/<key>.js`: the terms that begin with `key` (and no longer key): a
//!   term file larger than [`Limits::shard_bytes`] gives the terms that begin
//!   with each of its next letters a file of their own, where they are many.
//! - each term's records, in rank order (in the title and a thread or
//!   municipality; in the title; the rest), newest first within each: in its
//!   term file if they are few ([`Limits::inline_entries`]), else in
//!   `sok/p/<term>.<n>.js` files of [`Limits::chunk_entries`] each, the title
//!   ones first, so that the first results of a common word read one file
//!   and "more results" the next. The term file then lists how many there
//!   are, and the first record of each of the others' files, so that a query
//!   of two words finds whether a record has the common one reading only the
//!   files that could hold it.
//! - `sok/d/<n>.js`: [`Limits::records_per_file`] records each (title,
//!   address, date line, text) for showing results with a snippet; an address
//!   that is only `#anchor` is on the page of the record before, and a date
//!   line `0` is that of the record before. A long text keeps its beginning
//!   and its end (where a decision is), not all of it: the page has it.
//!
//! An entry (a record of a term) is a number: the difference from the record
//! of the entry before (zigzag), then the kind, the body and whether the term
//! is in the title, in `bits` bits, written as base-32 digits (5 bits a
//! character, [`DIGITS`]), so a filter by body or kind needs no list of
//! records.
//!
//! Records are meetings (a document's page), items (sak), threads (saksgang)
//! and municipalities, in id order: municipalities and threads, then
//! documents and their items by date, so that a year is a range of ids. Terms
//! are made by [`Tokenizer`] (see [`tokenize`]).

mod records;
pub mod tokenize;

use std::collections::HashMap;

use chrono::Datelike;
use rayon::prelude::*;

use crate::cache::{Fingerprint, Hasher128, of_bytes};
use crate::diag::Sources;
use crate::model::*;
use crate::render::{Edition, Page};
use records::{Kind, Record, Records, Source, cut_for_snippet, kind_of, meeting_of};
use tokenize::Terms;
pub use tokenize::{Tokenizer, fold};

/// How large the index's files may be; [`Limits::default`] is what a build uses.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Records per file of `sok/d/`.
    pub records_per_file: usize,
    /// A term with at most this many records has them in its term file.
    pub inline_entries: usize,
    /// Entries per file of `sok/p/`.
    pub chunk_entries: usize,
    /// A term file (of one key) larger than this is split by a further letter.
    pub shard_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            records_per_file: 32,
            inline_entries: 1024,
            chunk_entries: 4096,
            shard_bytes: 48 * 1024,
        }
    }
}

/// The characters of an entry: the first 32 (`0`–`V`) end a number, the
/// other 32 (`W`–`_`) say more follow; 5 bits each, the lowest first. None
/// needs escaping in JSON.
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Records cut into terms together by one thread.
const RECORDS_PER_BATCH: usize = 2048;

/// Batches done in parallel before their terms are merged and their record
/// files handed on, which bounds the memory they take.
const BATCHES_PER_GROUP: usize = 8;

/// Term files and posting files made together in parallel.
const UNITS_AT_ONCE: usize = 16;

/// What a build of the index keeps for the next, beside the output (see
/// [`search_files_reusing`]): the terms of each record, by a fingerprint of
/// what the record is made of, and the fingerprints of the files made, by a
/// fingerprint of what each was made from. A record whose key it knows is not
/// cut into terms again; a file whose key it knows, and that the output
/// still has as it was made, is not made again.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct SearchMemo {
    /// The terms the records' lists name by number.
    table: Vec<String>,
    /// Record key → its distinct terms: varints of (number − number
    /// before) × 2 + 1 if the term is in its title.
    records: HashMap<Fingerprint, Vec<u8>>,
    /// Record file (`sok/d/N.js`) → the key of its records and the
    /// fingerprint of its bytes.
    files: HashMap<String, (Fingerprint, Fingerprint)>,
    /// Key of a term file or a large term's posting files → their paths and
    /// the fingerprints of their bytes.
    units: HashMap<Fingerprint, UnitFiles>,
}

/// The files of a unit of the index: each path and the fingerprint of its bytes.
type UnitFiles = Vec<(String, Fingerprint)>;

impl SearchMemo {
    /// Leaves out of the table the terms no record has (`all` tells, by
    /// number) once they are many, numbering the others again, so that the
    /// memo does not grow from build to build.
    fn compact(&mut self, all: &[(String, Vec<u8>, u32)]) -> bool {
        let unused = all.iter().filter(|(_, b, _)| b.is_empty()).count();
        if unused == 0 || unused * UNUSED_TERMS < all.len() {
            return false;
        }
        let mut renumber = vec![u32::MAX; all.len()];
        let mut table = Vec::with_capacity(all.len() - unused);
        for (n, (term, bytes, _)) in all.iter().enumerate() {
            if !bytes.is_empty() {
                renumber[n] = table.len() as u32;
                table.push(term.clone());
            }
        }
        self.table = table;
        for list in self.records.values_mut() {
            let mut at = 0;
            let mut n = 0;
            let mut terms = Vec::new();
            while at < list.len() {
                let (value, used) = read_varint(&list[at..]);
                at += used;
                n += value >> 1;
                terms.push((renumber[n as usize], value & 1 == 1));
            }
            *list = encode_terms(&terms);
        }
        true
    }
}

/// The memo's table is made again without the terms no record has once
/// they are more than one in this many.
const UNUSED_TERMS: usize = 8;

/// What a search index may take from the last build's: its memo, and
/// whether the output still has a file as it was made (by path and
/// fingerprint; a file found is kept, as if it were made again).
pub struct Reuse<'a> {
    /// The memo of the last build, if it could be read.
    pub memo: Option<&'a SearchMemo>,
    /// Whether the output has this file with this fingerprint (and keeps it).
    pub known: &'a (dyn Fn(&str, Fingerprint) -> bool + Sync),
}

/// What [`search_files_reusing`] did and keeps.
pub struct Reused {
    /// The memo for the next build.
    pub memo: SearchMemo,
    /// Records cut into terms (the others' terms were in the memo).
    pub tokenized: usize,
    /// Whether `memo` is the one the last build kept, as it was: then it
    /// need not be written again.
    pub unchanged: bool,
}

/// The search index of one edition of the site.
pub struct SearchIndex<'a> {
    records: Records<'a>,
    tokenizer: Tokenizer,
    limits: Limits,
    /// Every record, in id order.
    order: Vec<Source>,
    /// Kind and body of every record, as in an entry (without the title bit).
    flags: Vec<u8>,
    /// Bits of an entry after its difference.
    flag_bits: u32,
    /// Terms in order, each with its records: varint-packed
    /// (id − previous id) × 2 + 1 if the term is in the title.
    terms: Vec<(Box<str>, Vec<u8>)>,
    /// The term files: key and the terms (indices into `terms`) they hold.
    shards: Vec<(String, Vec<usize>)>,
    /// Terms with files of their own in `sok/p/`.
    large: Vec<usize>,
    /// The last build's memo, and the output's files.
    reuse: Reuse<'a>,
    /// The memo this build makes for the next.
    next: SearchMemo,
    /// The memo's terms by name (see [`SearchIndex::memo_numbers`]).
    memo_numbers: std::sync::OnceLock<HashMap<&'a str, u32>>,
    /// Records cut into terms.
    tokenized: usize,
    /// Files made again (not counting the main file), and whether the
    /// memo's table was made again without the terms no record has.
    remade: usize,
    compacted: bool,
}

/// The terms of the records of one batch, and its record files.
#[derive(Default)]
struct Batch<'m> {
    /// Terms met in the records cut, that the memo's table does not have.
    terms: Terms,
    /// Term number in `terms` → its records: id × 2 + 1 if in the title.
    postings: Vec<Vec<u32>>,
    /// The same for the terms of the memo's table, by their number there:
    /// (term, entry) pairs, sorted at the end of the batch (the table is
    /// large, and a batch has only some of its terms).
    memo_postings: Vec<(u32, u32)>,
    /// This batch's term numbers → the memo's, plus one (0: not in it),
    /// for the terms met so far.
    in_memo: Vec<u32>,
    files: Vec<Page>,
    /// Each record's key and distinct terms, for the next memo.
    records: Vec<(Fingerprint, Listed<'m>)>,
    /// The record files' entries for the next memo.
    memo_files: Vec<(String, (Fingerprint, Fingerprint))>,
    tokenized: usize,
}

/// A record's distinct terms.
enum Listed<'m> {
    /// As the memo lists them (numbers of its table): kept as they are.
    Memo(&'m [u8]),
    /// Cut this time: a term of the memo's table by its number there
    /// (`true`), else by its number in the batch's `terms`; and whether in
    /// the title.
    Cut(Vec<(bool, u32, bool)>),
}

/// Adds an entry of the record `id` to a term's list of `postings`.
fn post(postings: &mut Vec<Vec<u32>>, term: u32, id: usize, in_title: bool) {
    let term = term as usize;
    if postings.len() <= term {
        postings.resize_with(term + 1, Vec::new);
    }
    postings[term].push(((id as u32) << 1) | u32::from(in_title));
}

impl<'m> Batch<'m> {
    /// Adds the terms of the record `id`, whose key is `key`, as the memo
    /// lists them (checked by [`check_listed`]).
    fn add_listed(&mut self, id: usize, key: Fingerprint, list: &'m [u8]) {
        let mut at = 0;
        let mut n = 0;
        while at < list.len() {
            let (value, used) = read_varint(&list[at..]);
            at += used;
            n += value >> 1;
            self.memo_postings
                .push((n, ((id as u32) << 1) | (value & 1)));
        }
        self.records.push((key, Listed::Memo(list)));
    }

    /// Adds the terms `list` of the record `id`, cut this time (numbers in
    /// `terms`), whose key is `key`; a term the memo's table has is listed by
    /// its number there.
    fn add_cut(
        &mut self,
        id: usize,
        key: Fingerprint,
        list: Vec<(u32, bool)>,
        memo: Option<&HashMap<&str, u32>>,
    ) {
        let mut cut = Vec::with_capacity(list.len());
        for (term, in_title) in list {
            let t = term as usize;
            if self.in_memo.len() <= t {
                self.in_memo.resize(t + 1, u32::MAX);
            }
            if self.in_memo[t] == u32::MAX {
                self.in_memo[t] = memo
                    .and_then(|m| m.get(self.terms.names[t].as_str()))
                    .map_or(0, |n| n + 1);
            }
            match self.in_memo[t] {
                0 => {
                    post(&mut self.postings, term, id, in_title);
                    cut.push((false, term, in_title));
                }
                n => {
                    self.memo_postings
                        .push((n - 1, ((id as u32) << 1) | u32::from(in_title)));
                    cut.push((true, n - 1, in_title));
                }
            }
        }
        self.records.push((key, Listed::Cut(cut)));
    }
}

/// Whether a record's list of terms in the memo reads back, naming only
/// terms of its table of `terms` terms.
fn check_listed(list: &[u8], terms: usize) -> bool {
    let mut at = 0;
    let mut n = 0u32;
    while at < list.len() {
        let (value, used) = read_varint(&list[at..]);
        at += used;
        match n.checked_add(value >> 1) {
            Some(next) if (next as usize) < terms => n = next,
            _ => return false,
        }
    }
    list.last().is_none_or(|b| b & 0x80 == 0)
}

/// One entry of a term: its record and whether the term is in its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    id: u32,
    title: bool,
}

impl<'a> SearchIndex<'a> {
    /// Cuts every record of the archive into terms, in parallel. The record
    /// files (`sok/d/N.js`) are made in the same pass and handed to `put` in
    /// order, some thousands of records at a time, so their text is never all
    /// in memory.
    pub fn new(
        archive: &'a Archive,
        sources: &'a Sources,
        edition: Edition,
        put: impl FnMut(Vec<Page>),
    ) -> Self {
        Self::with_limits(archive, sources, edition, Limits::default(), put)
    }

    /// As [`SearchIndex::new`], with other file sizes (for tests).
    pub fn with_limits(
        archive: &'a Archive,
        sources: &'a Sources,
        edition: Edition,
        limits: Limits,
        put: impl FnMut(Vec<Page>),
    ) -> Self {
        let reuse = Reuse {
            memo: None,
            known: &|_, _| false,
        };
        Self::reusing(archive, sources, edition, limits, reuse, put)
    }

    /// As [`SearchIndex::with_limits`], taking what did not change from the
    /// last build's memo: a record file not made again is not handed to `put`.
    pub fn reusing(
        archive: &'a Archive,
        sources: &'a Sources,
        edition: Edition,
        limits: Limits,
        reuse: Reuse<'a>,
        mut put: impl FnMut(Vec<Page>),
    ) -> Self {
        let order = records::sources_in_order(archive);
        let body_bits = bits_for(archive.bodies.len() + 1);
        let flags = order
            .iter()
            .map(|s| {
                let body = meeting_of(*s).map_or(0, |m| archive.meetings[m.0].body.0 as u32 + 1);
                ((body << 2) | kind_of(*s).code()) as u8
            })
            .collect();
        let mut index = Self {
            records: Records {
                archive,
                sources,
                edition,
            },
            tokenizer: Tokenizer::new(),
            limits,
            order,
            flags,
            flag_bits: 3 + body_bits,
            terms: Vec::new(),
            shards: Vec::new(),
            large: Vec::new(),
            reuse,
            next: SearchMemo::default(),
            memo_numbers: std::sync::OnceLock::new(),
            tokenized: 0,
            remade: 0,
            compacted: false,
        };
        // Every term by number, with its records: those of the memo's table
        // by their number there, so that what the memo lists of a record
        // stays as it is; then the others, in the order first met.
        let table = index.reuse.memo.map_or(&[][..], |m| &m.table[..]);
        let mut all: Vec<(String, Vec<u8>, u32)> =
            table.iter().map(|t| (t.clone(), Vec::new(), 0)).collect();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        // A batch is whole record files.
        let per_batch =
            RECORDS_PER_BATCH.div_ceil(limits.records_per_file) * limits.records_per_file;
        let group_len = per_batch * BATCHES_PER_GROUP;
        for (g, group) in index.order.chunks(group_len).enumerate() {
            // Batches in parallel; merged in order, so every term's records stay in id order.
            let batches: Vec<Batch> = group
                .par_chunks(per_batch)
                .enumerate()
                .map(|(b, batch)| index.batch(g * group_len + b * per_batch, batch))
                .collect();
            let mut pages = Vec::new();
            for batch in batches {
                let add = |all: &mut Vec<(String, Vec<u8>, u32)>, n: u32, list: Vec<u32>| {
                    let (_, bytes, previous) = &mut all[n as usize];
                    for entry in list {
                        let id = entry >> 1;
                        push_varint(bytes, ((id - *previous) << 1) | (entry & 1));
                        *previous = id;
                    }
                };
                for (n, entry) in batch.memo_postings {
                    let (_, bytes, previous) = &mut all[n as usize];
                    let id = entry >> 1;
                    push_varint(bytes, ((id - *previous) << 1) | (entry & 1));
                    *previous = id;
                }
                // This batch's term numbers → the numbers of `all`.
                let mut global = vec![u32::MAX; batch.terms.names.len()];
                for (local, (term, list)) in batch
                    .terms
                    .names
                    .into_iter()
                    .zip(batch.postings)
                    .enumerate()
                {
                    if list.is_empty() {
                        continue;
                    }
                    let n = *numbers.entry(term).or_insert_with_key(|t| {
                        all.push((t.clone(), Vec::new(), 0));
                        (all.len() - 1) as u32
                    });
                    global[local] = n;
                    add(&mut all, n, list);
                }
                for (key, list) in batch.records {
                    let list = match list {
                        Listed::Memo(l) => l.to_vec(),
                        Listed::Cut(cut) => {
                            let mut list: Vec<(u32, bool)> = cut
                                .into_iter()
                                .map(|(memo, t, in_title)| {
                                    (if memo { t } else { global[t as usize] }, in_title)
                                })
                                .collect();
                            list.sort_unstable();
                            encode_terms(&list)
                        }
                    };
                    index.next.records.insert(key, list);
                }
                index.next.files.extend(batch.memo_files);
                index.tokenized += batch.tokenized;
                index.remade += batch.files.len();
                pages.extend(batch.files);
            }
            put(pages);
        }
        drop(numbers);
        index.next.table = all.iter().map(|(t, _, _)| t.clone()).collect();
        index.compacted = index.next.compact(&all);
        // A term of the memo's table that no record has any longer is not in the index.
        all.retain(|(_, bytes, _)| !bytes.is_empty());
        let mut terms: Vec<(Box<str>, Vec<u8>, usize)> = all
            .into_iter()
            .map(|(t, mut bytes, _)| {
                bytes.shrink_to_fit();
                let n = count_varints(&bytes);
                (t.into_boxed_str(), bytes, n)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // What each term takes in its term file, for splitting them by size.
        let sizes: Vec<usize> = terms
            .iter()
            .map(|(t, _, n)| {
                let entries = if *n <= limits.inline_entries {
                    *n * 3
                } else {
                    12 + 8 * n.div_ceil(limits.chunk_entries)
                };
                t.len() + 6 + entries
            })
            .collect();
        index.large = (0..terms.len())
            .filter(|i| terms[*i].2 > limits.inline_entries)
            .collect();
        let chars: Vec<Vec<char>> = terms.iter().map(|t| t.0.chars().collect()).collect();
        let mut shards = Vec::new();
        split_shards(
            &chars,
            &sizes,
            0..terms.len(),
            0,
            limits.shard_bytes,
            &mut shards,
        );
        shards.sort_by(|a, b| a.0.cmp(&b.0));
        index.shards = shards;
        index.terms = terms.into_iter().map(|(t, b, _)| (t, b)).collect();
        index
    }

    /// The terms of the records of one batch, whose first id is `first` (the
    /// first of a record file), and its record files: a record's terms from
    /// the memo where it knows the record, and a record file not made again
    /// where the memo knows its records and the output still has it.
    fn batch(&self, first: usize, batch: &[Source]) -> Batch<'a> {
        let per_file = self.limits.records_per_file;
        let mut out = Batch::default();
        let table = self.reuse.memo.map_or(0, |m| m.table.len());
        let mut document = None;
        let mut last = None;
        for (f, sources) in batch.chunks(per_file).enumerate() {
            let file_first = first + f * per_file;
            let path = format!("sok/d/{}.js", file_first / per_file);
            let mut built: Vec<Option<Record>> = Vec::with_capacity(sources.len());
            let mut keys = Vec::with_capacity(sources.len());
            let mut h = Hasher128::new();
            h.add_str(&path);
            for source in sources {
                let (key, record) = self.record_key(*source, &mut document, &mut last);
                h.add(&key.to_le_bytes());
                keys.push(key);
                built.push(record);
            }
            let file_key = h.finish();
            let memo = self.reuse.memo;
            let known = memo.and_then(|m| {
                let (key, fingerprint) = m.files.get(&path)?;
                if *key != file_key {
                    return None;
                }
                let lists: Vec<&[u8]> = keys
                    .iter()
                    .map(|k| {
                        m.records
                            .get(k)
                            .map(Vec::as_slice)
                            .filter(|l| check_listed(l, table))
                    })
                    .collect::<Option<_>>()?;
                (self.reuse.known)(&path, *fingerprint).then_some((lists, *fingerprint))
            });
            if let Some((lists, fingerprint)) = known {
                for (i, list) in lists.into_iter().enumerate() {
                    out.add_listed(file_first + i, keys[i], list);
                }
                out.memo_files.push((path, (file_key, fingerprint)));
                continue;
            }
            let mut js = format!("saksgangSok.inn(\"d/{}\",[", file_first / per_file);
            // An item's address and date line repeat its document's: within a file
            // they are written once, and later records say "as before".
            let mut page = String::new();
            let mut meta = String::new();
            for (i, source) in sources.iter().enumerate() {
                let record = built[i]
                    .take()
                    .unwrap_or_else(|| self.records.record(*source, &mut last));
                match memo
                    .and_then(|m| m.records.get(&keys[i]))
                    .filter(|l| check_listed(l, table))
                {
                    Some(list) => out.add_listed(file_first + i, keys[i], list),
                    None => {
                        out.tokenized += 1;
                        let list = self.record_terms(&record, &mut out.terms);
                        out.add_cut(file_first + i, keys[i], list, self.memo_numbers());
                    }
                }
                if i > 0 {
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
                js.push_str(&json_string(&cut_for_snippet(&record.text)));
                js.push(']');
            }
            js.push_str("]);\n");
            let bytes = js.into_bytes();
            out.memo_files
                .push((path.clone(), (file_key, of_bytes(&bytes))));
            out.files.push(Page { path, bytes });
        }
        // By term, and each term's records in id order.
        out.memo_postings.sort_unstable();
        out
    }

    /// A record's key: for a document or an item, from what its record is
    /// made of, without making it (`document` keeps the key of the document
    /// before), and so for a thread; for a municipality, from the record
    /// itself, which is made and returned.
    fn record_key(
        &self,
        source: Source,
        document: &mut Option<((MeetingId, DocumentKind), Fingerprint)>,
        last: &mut Option<records::DocumentStrings>,
    ) -> (Fingerprint, Option<Record>) {
        let mut h = Hasher128::new();
        match source {
            Source::Document(m, kind) | Source::Item(m, kind, _) => {
                let key = match document {
                    Some((d, key)) if *d == (m, kind) => *key,
                    _ => {
                        let key = self.records.document_key(m, kind);
                        *document = Some(((m, kind), key));
                        key
                    }
                };
                let n = match source {
                    Source::Item(_, _, i) => i as u64 + 1,
                    _ => 0,
                };
                h.add(&key.to_le_bytes());
                h.add(&n.to_le_bytes());
                (h.finish(), None)
            }
            Source::Thread(id) => {
                h.add(&self.records.thread_key(id).to_le_bytes());
                (h.finish(), None)
            }
            Source::Municipality(_) => {
                let record = self.records.record(source, last);
                h.add_str(&format!("{:?} {:?}", kind_of(source), self.records.edition));
                for s in [&record.title, &record.href, &record.meta, &record.text] {
                    h.add_str(s);
                }
                for (term, in_title) in &record.extra {
                    h.add_str(term);
                    h.add(&[u8::from(*in_title)]);
                }
                (h.finish(), Some(record))
            }
        }
    }

    /// The memo's terms by name, made the first time a record is cut.
    fn memo_numbers(&self) -> Option<&HashMap<&'a str, u32>> {
        let memo = self.reuse.memo?;
        Some(self.memo_numbers.get_or_init(|| {
            memo.table
                .iter()
                .enumerate()
                .map(|(n, t)| (t.as_str(), n as u32))
                .collect()
        }))
    }

    /// How many units [`SearchIndex::unit`] makes: the main file, each term
    /// file, and the posting files of each large term.
    pub fn units(&self) -> usize {
        1 + self.shards.len() + self.large.len()
    }

    /// Unit `n` of [`SearchIndex::units`]: its files, always the same for the
    /// same archive.
    pub fn unit(&self, n: usize) -> Vec<Page> {
        if n == 0 {
            vec![self.main_file()]
        } else if n <= self.shards.len() {
            vec![self.term_file(&self.shards[n - 1])]
        } else {
            self.posting_files(self.large[n - 1 - self.shards.len()])
        }
    }

    /// Every file after the record files, handed to `put` some at a time, in
    /// order: the main file, and each term file or large term's posting
    /// files unless the memo knows what it is made from and the output still
    /// has them. Gives back the memo for the next build.
    pub fn files_into(mut self, mut put: impl FnMut(Vec<Page>)) -> Reused {
        put(vec![self.main_file()]);
        // What every unit is made from besides its terms.
        let mut h = Hasher128::new();
        h.add_str(&format!("{:?} {}", self.limits, self.flag_bits));
        h.add(&self.flags);
        let salt = h.finish();
        let units: Vec<usize> = (1..self.units()).collect();
        let mut memo_units = HashMap::new();
        for chunk in units.chunks(UNITS_AT_ONCE) {
            let made: Vec<(Fingerprint, UnitFiles, Vec<Page>)> = chunk
                .par_iter()
                .map(|n| self.unit_reusing(*n, salt))
                .collect();
            let mut pages = Vec::new();
            for (key, entries, files) in made {
                memo_units.insert(key, entries);
                self.remade += files.len();
                pages.extend(files);
            }
            put(pages);
        }
        self.next.units = memo_units;
        // Every record, file and term as the memo has them, and no other.
        let unchanged = self.reuse.memo.is_some_and(|m| {
            self.tokenized == 0
                && self.remade == 0
                && !self.compacted
                && m.table.len() == self.next.table.len()
                && m.records.len() == self.next.records.len()
                && m.files.len() == self.next.files.len()
                && m.units.len() == self.next.units.len()
        });
        Reused {
            memo: self.next,
            tokenized: self.tokenized,
            unchanged,
        }
    }

    /// Unit `n` (not the main file) unless the memo knows its key and the
    /// output still has its files: its key, its files' entries for the
    /// memo, and its files if made.
    fn unit_reusing(&self, n: usize, salt: Fingerprint) -> (Fingerprint, UnitFiles, Vec<Page>) {
        let mut h = Hasher128::new();
        h.add(&salt.to_le_bytes());
        if n <= self.shards.len() {
            let (key, terms) = &self.shards[n - 1];
            h.add_str("t");
            h.add_str(key);
            for t in terms {
                h.add_str(&self.terms[*t].0);
                h.add(&(self.terms[*t].1.len() as u64).to_le_bytes());
                h.add(&self.terms[*t].1);
            }
        } else {
            let (term, bytes) = &self.terms[self.large[n - 1 - self.shards.len()]];
            h.add_str("p");
            h.add_str(term);
            h.add(bytes);
        }
        let key = h.finish();
        if let Some(entries) = self.reuse.memo.and_then(|m| m.units.get(&key))
            && entries.iter().all(|(path, f)| (self.reuse.known)(path, *f))
        {
            return (key, entries.clone(), Vec::new());
        }
        let files = self.unit(n);
        let entries = files
            .iter()
            .map(|p| (p.path.clone(), of_bytes(&p.bytes)))
            .collect();
        (key, entries, files)
    }

    /// A term's entries in rank order: in the title of a thread or a
    /// municipality, in the title, the rest; newest first within each. The
    /// number of title entries is second.
    fn ranked(&self, bytes: &[u8]) -> (Vec<Entry>, usize) {
        let mut entries = Vec::new();
        let mut at = 0;
        let mut id = 0;
        while at < bytes.len() {
            let (value, used) = read_varint(&bytes[at..]);
            at += used;
            id += value >> 1;
            entries.push(Entry {
                id,
                title: value & 1 == 1,
            });
        }
        let group = |e: &Entry| {
            let kind = u32::from(self.flags[e.id as usize] & 3);
            match (
                e.title,
                kind == Kind::Thread.code() || kind == Kind::Municipality.code(),
            ) {
                (true, true) => 0,
                (true, false) => 1,
                _ => 2,
            }
        };
        entries.sort_by(|a, b| group(a).cmp(&group(b)).then(b.id.cmp(&a.id)));
        let titles = entries.iter().filter(|e| e.title).count();
        (entries, titles)
    }

    /// Entries as digits, each from the one before (the first from 0).
    fn encode(&self, entries: &[Entry]) -> String {
        let mut out = String::new();
        let mut previous: i64 = 0;
        for e in entries {
            let delta = i64::from(e.id) - previous;
            previous = i64::from(e.id);
            let zigzag = if delta < 0 {
                (-delta as u64) * 2 - 1
            } else {
                delta as u64 * 2
            };
            let flags = (u64::from(self.flags[e.id as usize]) << 1) | u64::from(e.title);
            push_digits(&mut out, (zigzag << self.flag_bits) | flags);
        }
        out
    }

    /// The chunks of a large term: its title entries, then the rest.
    fn chunks<'e>(&self, entries: &'e [Entry], titles: usize) -> Vec<&'e [Entry]> {
        let (title, body) = entries.split_at(titles);
        let mut out: Vec<&[Entry]> = title.chunks(self.limits.chunk_entries).collect();
        out.extend(body.chunks(self.limits.chunk_entries));
        out
    }

    fn term_file(&self, (key, terms): &(String, Vec<usize>)) -> Page {
        let name = format!("t/{}", file_key(key));
        let mut js = format!("saksgangSok.inn(\"{name}\",{{");
        for (i, t) in terms.iter().enumerate() {
            let (term, bytes) = &self.terms[*t];
            if i > 0 {
                js.push(',');
            }
            js.push_str(&json_string(term));
            js.push(':');
            let (entries, titles) = self.ranked(bytes);
            if entries.len() <= self.limits.inline_entries {
                js.push('"');
                js.push_str(&self.encode(&entries));
                js.push('"');
            } else {
                // [entries, title files, first record of each other file]
                let chunks = self.chunks(&entries, titles);
                let title_files = titles.div_ceil(self.limits.chunk_entries);
                let firsts: Vec<String> = chunks[title_files..]
                    .iter()
                    .map(|c| c[0].id.to_string())
                    .collect();
                js.push_str(&format!(
                    "[{},{},[{}]]",
                    entries.len(),
                    title_files,
                    firsts.join(",")
                ));
            }
        }
        js.push_str("});\n");
        Page {
            path: format!("sok/{name}.js"),
            bytes: js.into_bytes(),
        }
    }

    fn posting_files(&self, t: usize) -> Vec<Page> {
        let (term, bytes) = &self.terms[t];
        let (entries, titles) = self.ranked(bytes);
        let key = file_key(term);
        self.chunks(&entries, titles)
            .into_iter()
            .enumerate()
            .map(|(n, chunk)| {
                let name = format!("p/{key}.{n}");
                Page {
                    path: format!("sok/{name}.js"),
                    bytes: format!("saksgangSok.inn(\"{name}\",\"{}\");\n", self.encode(chunk))
                        .into_bytes(),
                }
            })
            .collect()
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
        let archive = self.records.archive;
        let mut years: Vec<(i32, usize)> = Vec::new();
        for (id, r) in self.order.iter().enumerate() {
            if let Some(m) = meeting_of(*r) {
                let year = archive.meetings[m.0].date.year();
                if years.last().is_none_or(|(y, _)| *y != year) {
                    years.push((year, id));
                }
            }
        }
        let names: Vec<String> = archive.bodies.iter().map(|b| json_string(&b.id)).collect();
        let years_js: Vec<String> = years.iter().map(|(y, id)| format!("[{y},{id}]")).collect();
        let keys: Vec<String> = self.shards.iter().map(|(k, _)| json_string(k)).collect();
        let large: Vec<String> = self
            .large
            .iter()
            .map(|t| json_string(&self.terms[*t].0))
            .collect();
        let js = format!(
            "window.saksgangSok={{versjon:2,antall:{},perFil:{},biter:{},organer:[{}],ar:[{}],deler:[{}],store:[{}],\
filer:{{}},venter:{{}},inn:function(navn,data){{this.filer[navn]=data;var v=this.venter[navn];if(v){{delete this.venter[navn];v.forEach(function(f){{f(data);}});}}}}}};\n",
            self.order.len(),
            self.limits.records_per_file,
            self.flag_bits,
            names.join(","),
            years_js.join(","),
            keys.join(","),
            large.join(","),
        );
        Page {
            path: "sok/indeks.js".to_string(),
            bytes: js.into_bytes(),
        }
    }
}

/// Splits the terms of `range` (which all begin with their first `depth`
/// characters) into term files: one for them all if they fit in `max`, else
/// a file of its own for each next character whose terms do not fit, and one
/// for the rest, keyed by the first `depth` characters.
fn split_shards(
    chars: &[Vec<char>],
    sizes: &[usize],
    range: std::ops::Range<usize>,
    depth: usize,
    max: usize,
    out: &mut Vec<(String, Vec<usize>)>,
) {
    let key: String = chars
        .get(range.start)
        .map(|c| c[..depth.min(c.len())].iter().collect())
        .unwrap_or_default();
    let total: usize = sizes[range.clone()].iter().sum();
    if total <= max || range.len() <= 1 {
        if !range.is_empty() {
            out.push((key, range.collect()));
        }
        return;
    }
    // The terms that are the key itself, and groups by the next character.
    let mut groups: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let next = chars[i].get(depth);
        let mut j = i + 1;
        while j < range.end && chars[j].get(depth) == next {
            j += 1;
        }
        let size = sizes[i..j].iter().sum();
        groups.push((i..j, size));
        i = j;
    }
    // Groups too large go apart, and then the largest until the rest fits.
    let mut apart = vec![false; groups.len()];
    let mut by_size: Vec<usize> = (0..groups.len()).collect();
    by_size.sort_by(|a, b| groups[*b].1.cmp(&groups[*a].1).then(a.cmp(b)));
    let mut left = total;
    for g in by_size {
        let (r, size) = &groups[g];
        let exact = chars[r.start].len() == depth;
        if !exact && (*size > max || left > max) {
            apart[g] = true;
            left -= size;
        }
    }
    let mut rest = Vec::new();
    for (g, (r, _)) in groups.into_iter().enumerate() {
        if apart[g] {
            split_shards(chars, sizes, r, depth + 1, max, out);
        } else {
            rest.extend(r);
        }
    }
    if !rest.is_empty() {
        out.push((key, rest));
    }
}

/// A term file's or a term's name in a file name: a–z and 0–9 as they are,
/// any other character as `_` and its number in hex and `_`; the empty key `_`.
pub fn file_key(key: &str) -> String {
    if key.is_empty() {
        return "_".to_string();
    }
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", c as u32));
        }
    }
    out
}

fn bits_for(values: usize) -> u32 {
    usize::BITS - (values.max(2) - 1).leading_zeros()
}

fn push_digits(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[(32 + (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
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

fn count_varints(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| *b & 0x80 == 0).count()
}

/// A JSON string literal (the index files are scripts of their own, never
/// inline, so `</script>` in a string is harmless).
fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string is always valid JSON")
}

/// Makes the search index of one edition and hands every file of it to `put`,
/// some at a time, always in the same order: the record files, then the main
/// file, the term files and the posting files.
pub fn search_files(
    archive: &Archive,
    sources: &Sources,
    edition: Edition,
    limits: Limits,
    mut put: impl FnMut(Vec<Page>),
) {
    let index = SearchIndex::with_limits(archive, sources, edition, limits, &mut put);
    index.files_into(put);
}

/// As [`search_files`], taking from the last build what did not change
/// (see [`SearchMemo`]): a file the output still has as it was made is not
/// made again, nor handed to `put`. Gives back the memo for the next build.
pub fn search_files_reusing(
    archive: &Archive,
    sources: &Sources,
    edition: Edition,
    limits: Limits,
    reuse: Reuse<'_>,
    mut put: impl FnMut(Vec<Page>),
) -> Reused {
    let index = SearchIndex::reusing(archive, sources, edition, limits, reuse, &mut put);
    index.files_into(put)
}

/// A record's distinct terms, sorted by number, as the memo keeps them.
fn encode_terms(list: &[(u32, bool)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 2);
    let mut previous = 0;
    for (n, in_title) in list {
        push_varint(&mut out, ((n - previous) << 1) | u32::from(*in_title));
        previous = *n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_leaves_out_terms_no_record_has_once_they_are_many() {
        let list = |l: &[(u32, bool)]| encode_terms(l);
        let mut memo = SearchMemo {
            table: vec!["a".into(), "b".into(), "c".into()],
            ..SearchMemo::default()
        };
        memo.records.insert(1, list(&[(0, true), (2, false)]));
        let all = |used: [bool; 3]| -> Vec<(String, Vec<u8>, u32)> {
            ["a", "b", "c"]
                .iter()
                .zip(used)
                .map(|(t, u)| (t.to_string(), if u { vec![2] } else { vec![] }, 0))
                .collect()
        };
        assert!(!memo.compact(&all([true, true, true])));
        assert!(memo.compact(&all([true, false, true])));
        assert_eq!(memo.table, ["a", "c"]);
        assert_eq!(memo.records[&1], list(&[(0, true), (1, false)]));
        assert!(check_listed(&memo.records[&1], 2));
        assert!(
            !check_listed(&memo.records[&1], 1),
            "a number past the table"
        );
        assert!(!check_listed(&[0x80], 2), "a varint cut short");
    }

    #[test]
    fn file_keys_are_plain_and_distinct() {
        assert_eq!(file_key("kommun"), "kommun");
        assert_eq!(file_key("4/2017"), "4_2f_2017");
        assert_eq!(file_key(""), "_");
        assert_ne!(file_key("ça"), file_key("ñа"));
    }

    #[test]
    fn digits_are_five_bits_each_lowest_first() {
        let mut s = String::new();
        push_digits(&mut s, 5);
        push_digits(&mut s, 32 + 3);
        assert_eq!(s, "5Z1");
    }

    #[test]
    fn large_groups_of_terms_get_files_of_their_own() {
        let terms = ["ka", "kommun", "kommunestyr", "kon", "la"];
        let chars: Vec<Vec<char>> = terms.iter().map(|t| t.chars().collect()).collect();
        let sizes = [10, 60, 60, 10, 10];
        let mut out = Vec::new();
        split_shards(&chars, &sizes, 0..5, 0, 100, &mut out);
        out.sort();
        let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        // "kommun" and "kommunestyr" are too large together: split until apart.
        assert_eq!(keys, ["", "k", "ko", "kommun", "kommune"]);
        let of = |k: &str| out.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(of(""), vec![4]);
        assert_eq!(of("k"), vec![0]);
        assert_eq!(of("ko"), vec![3]);
        assert_eq!(of("kommun"), vec![1]);
        assert_eq!(of("kommune"), vec![2]);
    }
}
