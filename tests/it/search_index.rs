//! The search index read a file at a time: from the files a build writes, the
//! files a query would fetch (as `sok.js` finds them) stay within a budget
//! however common the word, the index is the same every time, and a snippet
//! holds the word searched for. Built with small file sizes
//! ([`Limits`]), so that a few hundred meetings stand for a large archive.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use saksgang::build::search_index;
use saksgang::render::{Edition, Page};
use saksgang::search::{DIGITS, Limits, file_key};

const LIMITS: Limits = Limits {
    records_per_file: 16,
    inline_entries: 32,
    chunk_entries: 64,
    shard_bytes: 1024,
};

/// Meetings of two bodies, three items each; every item speaks of "kommunen"
/// and ends with its decision ("vedtak") after a long text; one item names
/// Nordfjell.
fn write_archive(root: &Path, meetings: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("meetings")).unwrap();
    std::fs::write(
        content.join("bodies.yaml"),
        "- id: rg\n  name: Rådmannsgruppen\n- id: au\n  name: Arbeidsutvalget\n",
    )
    .unwrap();
    std::fs::write(
        content.join("municipalities.yaml"),
        "- id: asker\n  name: Asker\n- id: lier\n  name: Lier\n",
    )
    .unwrap();
    let filler = "Arbeidet med planen fortsetter etter framdriften som er lagt, og gruppen ber om en ny orientering. ".repeat(12);
    for i in 0..meetings {
        let body = if i % 2 == 0 { "rg" } else { "au" };
        let year = 2010 + i / 60;
        let (month, day) = (1 + (i % 60) / 5, 1 + (i % 5) * 5);
        let mut md = format!(
            "---\nbody: {body}\ndocument: minutes\ndate: {year}-{month:02}-{day:02}\n---\n"
        );
        for n in 1..=3 {
            let place = if i == 17 && n == 2 {
                " i Nordfjell"
            } else {
                ""
            };
            writeln!(
                md,
                "## Sak {}/{year} Plan nummer {n}{place}\n\nKommunen orienterte om saken. {filler}\n\n### Vedtak\n\nGruppen gjorde vedtak om å slutte seg til planen.\n",
                (i % 60) * 3 + n
            )
            .unwrap();
        }
        std::fs::write(
            content.join(format!("meetings/{year}-{month:02}-{day:02}-{body}.md")),
            md,
        )
        .unwrap();
    }
}

fn files(root: &Path) -> HashMap<String, Vec<u8>> {
    let pages: Vec<Page> = search_index(root, Edition::Web, LIMITS).expect("the archive builds");
    pages.into_iter().map(|p| (p.path, p.bytes)).collect()
}

/// The data a script of the index hands to `saksgangSok.inn`.
fn data(js: &[u8]) -> serde_json::Value {
    let js = std::str::from_utf8(js).unwrap();
    let start = js.find(',').unwrap() + 1;
    let end = js.rfind(");").unwrap();
    serde_json::from_str(&js[start..end]).unwrap()
}

/// A field of `sok/indeks.js`: `name:` and its value up to the next field.
fn field<'a>(main: &'a str, name: &str) -> &'a str {
    let start = main.find(&format!("{name}:")).unwrap() + name.len() + 1;
    let rest = &main[start..];
    let end = if rest.starts_with('[') {
        let mut depth = 0;
        rest.char_indices()
            .find(|(_, c)| {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .unwrap()
            .0
            + 1
    } else {
        rest.find(',').unwrap()
    };
    &rest[..end]
}

/// Record ids of entries, as `sok.js` decodes them.
fn decode(text: &str, bits: u32) -> Vec<i64> {
    let mut out = Vec::new();
    let (mut id, mut v, mut shift) = (0i64, 0u64, 0);
    for c in text.bytes() {
        let d = DIGITS.iter().position(|x| *x == c).unwrap() as u64;
        if d >= 32 {
            v |= (d - 32) << shift;
            shift += 5;
            continue;
        }
        v |= d << shift;
        let z = v >> bits;
        id += if z % 2 == 1 {
            -(z.div_ceil(2) as i64)
        } else {
            (z / 2) as i64
        };
        out.push(id);
        (v, shift) = (0, 0);
    }
    out
}

/// The files a query for one term fetches for its first 20 results, as
/// `sok.js` finds them, and the total bytes of them.
fn fetched(files: &HashMap<String, Vec<u8>>, term: &str) -> (BTreeSet<String>, usize, Vec<i64>) {
    let main = std::str::from_utf8(&files["sok/indeks.js"]).unwrap();
    let keys: Vec<String> = serde_json::from_str(field(main, "deler")).unwrap();
    let bits: u32 = field(main, "biter").parse().unwrap();
    let per_file: i64 = field(main, "perFil").parse().unwrap();
    let mut got = BTreeSet::from(["sok/indeks.js".to_string()]);
    let key = keys
        .iter()
        .filter(|k| term.starts_with(k.as_str()))
        .max_by_key(|k| k.len())
        .expect("a term file for the term");
    let shard = format!("sok/t/{}.js", file_key(key));
    got.insert(shard.clone());
    let value = data(&files[&shard])[term].clone();
    let ids = match value {
        serde_json::Value::String(s) => decode(&s, bits),
        serde_json::Value::Array(_) => {
            let first = format!("sok/p/{}.0.js", file_key(term));
            got.insert(first.clone());
            decode(data(&files[&first]).as_str().unwrap(), bits)
        }
        other => panic!("{other}"),
    };
    let top: Vec<i64> = ids.into_iter().take(20).collect();
    for id in &top {
        got.insert(format!("sok/d/{}.js", id / per_file));
    }
    let bytes = got.iter().map(|f| files[f].len()).sum();
    (got, bytes, top)
}

#[test]
fn a_query_for_a_common_word_reads_a_small_part_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 240);
    let files = files(dir.path());
    let total: usize = files.values().map(Vec::len).sum();
    // "kommun" is in every item: its records are in files of their own.
    let postings = files
        .keys()
        .filter(|f| f.starts_with("sok/p/kommun."))
        .count();
    assert!(postings >= 10, "{postings} posting files for kommun");
    // No term file is much over its limit.
    for (path, bytes) in &files {
        if path.starts_with("sok/t/") {
            assert!(
                bytes.len() <= 3 * LIMITS.shard_bytes,
                "{path}: {}",
                bytes.len()
            );
        }
    }
    for term in ["kommun", "vedtak", "nordfjell"] {
        let (got, bytes, top) = fetched(&files, term);
        assert!(!top.is_empty(), "{term}");
        // Main file, term file, one posting file, and the record files of the
        // 20 newest: they are neighbours.
        assert!(got.len() <= 6, "{term}: {got:?}");
        assert!(
            bytes * 20 < total,
            "{term}: {bytes} of {total} bytes read: {got:?}"
        );
    }
    // Newest first.
    let (_, _, top) = fetched(&files, "kommun");
    assert!(top.windows(2).all(|w| w[0] > w[1]), "{top:?}");
}

#[test]
fn the_index_is_the_same_every_time() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 60);
    let a = search_index(dir.path(), Edition::Web, LIMITS).unwrap();
    let b = search_index(dir.path(), Edition::Web, LIMITS).unwrap();
    let paths = |p: &[Page]| p.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&a), paths(&b));
    for (x, y) in a.iter().zip(&b) {
        assert!(x.bytes == y.bytes, "{} differs", x.path);
    }
}

#[test]
fn a_long_text_keeps_its_decision_for_the_snippet() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 4);
    let files = files(dir.path());
    let (_, _, top) = fetched(&files, "vedtak");
    let record = |id: i64| {
        let d = data(&files[&format!("sok/d/{}.js", id / LIMITS.records_per_file as i64)]);
        d[(id % LIMITS.records_per_file as i64) as usize].clone()
    };
    for id in top {
        let r = record(id);
        let text = r[3].as_str().unwrap();
        // The text is longer than what is kept: its beginning and its end are.
        assert!(text.len() < 800, "{}", text.len());
        assert!(text.starts_with("Kommunen orienterte"), "{text}");
        assert!(text.contains("vedtak om å slutte seg til planen"), "{text}");
    }
}

/// A query of two common words in headless Chromium (`tests/browser/first-page.mjs`),
/// on a site whose index has the small [`LIMITS`], so that both words have many
/// posting files: its first page reads a few of them, not all, and its results,
/// two pages of them, are those of the complete ranking (`everything()` in
/// `sok.js`), in the same order; so too with filters and for a rare word.
#[test]
fn a_query_of_two_common_words_reads_what_its_first_page_needs() {
    use crate::browser::{cannot_run, missing, node};
    if cannot_run("søketesten", "search browser test", missing(&[], false)) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    write_archive(&root, 240);
    let out = dir.path().join("web");
    let built = crate::support::build_with(&root, &out, &[]);
    assert!(built.success, "{}", built.stderr);
    // The index of the build, made again with small files.
    for old in ["sok/indeks.js", "sok/t", "sok/p", "sok/d"] {
        let path = out.join(old);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else if path.exists() {
            std::fs::remove_file(&path).unwrap();
        }
    }
    let files = files(&root);
    let postings = |term: &str| {
        let prefix = format!("sok/p/{term}.");
        files.keys().filter(|f| f.starts_with(&prefix)).count()
    };
    assert!(postings("kommun") >= 10 && postings("vedtak") >= 10);
    for (path, bytes) in &files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let queries = [
        "kommunen vedtak ",
        "vedtak kommunen",
        "plan kommunen ",
        "sak plan vedtak ",
        "nordfjell kommunen ",
        "kommunen vedtak ?ar=2011",
        "kommunen vedtak ?type=m",
    ];
    let mut args: Vec<&std::ffi::OsStr> = vec![out.as_os_str(), "2".as_ref()];
    args.extend(queries.iter().map(|q| std::ffi::OsStr::new(*q)));
    let (passed, report) = node("first-page.mjs", &args);
    assert!(passed, "{report}");
    let lines: Vec<serde_json::Value> = report
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2 * queries.len(), "{report}");
    for pair in lines.chunks(2) {
        let (new, full) = (&pair[0], &pair[1]);
        let q = new["query"].as_str().unwrap();
        assert!(new["errors"].as_array().unwrap().is_empty(), "{new}");
        assert_eq!(new["results"], full["results"], "{q}: the order differs");
        if q != "kommunen vedtak ?type=m" {
            assert!(!new["results"].as_array().unwrap().is_empty(), "{q}: {new}");
        }
    }
    // Two words in every item: a few posting files, of the 30 the complete
    // ranking reads.
    let first = &lines[0];
    let full = &lines[1];
    let (files_new, files_full) = (
        first["files"].as_u64().unwrap(),
        full["files"].as_u64().unwrap(),
    );
    assert_eq!(first["results"].as_array().unwrap().len(), 40, "{first}");
    assert!(
        first["status"].as_str().unwrap().starts_with("Minst "),
        "{first}"
    );
    assert!(
        files_new * 2 < files_full,
        "{files_new} files read, {files_full} by the complete ranking"
    );
}
