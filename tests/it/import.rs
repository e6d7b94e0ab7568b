//! `saksgang import` turns the text of minutes and notices into content files:
//! each seed text (`tests/fixtures/import/`, the five documents the archive was
//! hand-converted from) is imported into a copy of `content/` without its
//! hand-converted file, and the model the import builds to is compared with the
//! model of the hand conversion: items, decisions, proposals, attendance.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use saksgang::build::read_archive;
use saksgang::diag::Sources;
use saksgang::model::{Affiliation, Archive, DecisionKind, Document, Participant};

use crate::support::{copy_dir, fixture, repo};

/// A copy of the seed archive without one of its files.
fn archive_without(content_path: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    std::fs::remove_file(root.join("content").join(content_path)).unwrap();
    (tmp, root)
}

fn saksgang(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run saksgang")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// White space collapsed, so that line breaks and indentation do not count, and
/// HTML comments (never shown) left out.
fn norm(s: &str) -> String {
    let mut shown = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("<!--") {
        shown.push_str(&rest[..i]);
        rest = rest[i..].find("-->").map_or("", |j| &rest[i + j + 3..]);
    }
    shown.push_str(rest);
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn document<'a>(archive: &'a Archive, content_path: &str) -> &'a Document {
    archive
        .meetings
        .iter()
        .flat_map(|m| m.documents())
        .find(|d| d.content_path == content_path)
        .unwrap_or_else(|| panic!("{content_path} is not in the archive"))
}

/// Items, decisions, proposals and attendance of one document, as comparable strings.
#[derive(Debug, Default)]
struct Facts {
    items: Vec<String>,
    decisions: Vec<String>,
    proposals: Vec<String>,
    present: Vec<String>,
    absent: Vec<String>,
    secretariat: Vec<String>,
}

fn person(archive: &Archive, p: &Participant) -> String {
    let from = match &p.affiliation {
        Affiliation::Municipality(m) => archive.municipalities[m.0].id.clone(),
        Affiliation::Organisation(o) => format!("org:{o}"),
    };
    let stands_in = p.substitute_for.as_deref().unwrap_or("");
    format!("{} | {from} | for {stands_in}", p.name)
}

fn facts(archive: &Archive, sources: &Sources, content_path: &str) -> Facts {
    let d = document(archive, content_path);
    let mut f = Facts::default();
    for item in &d.items {
        let n = item.number.display();
        f.items.push(format!("{n} {}", norm(item.title())));
        for dec in item.decisions(None) {
            let text = &sources.get(dec.body.file).text[dec.body.range.clone()];
            let s = format!(
                "{n} {} | {}",
                dec.sub_item.as_deref().unwrap_or("-"),
                norm(text)
            );
            match dec.kind {
                DecisionKind::Decision => f.decisions.push(s),
                DecisionKind::Proposal => f.proposals.push(s),
            }
        }
    }
    f.present = d.present.iter().map(|p| person(archive, p)).collect();
    f.absent = d.absent.iter().map(|p| person(archive, p)).collect();
    f.secretariat = d.secretariat.clone();
    f
}

/// How many of the expected were found: (found, expected), and what was not.
#[derive(Debug, PartialEq, Eq)]
struct Matched {
    items: (usize, usize),
    decisions: (usize, usize),
    proposals: (usize, usize),
    present: (usize, usize),
    absent: (usize, usize),
    secretariat: (usize, usize),
}

/// The expected entries found among the imported (each used once), and the missing.
fn matched(expected: &[String], imported: &[String], missing: &mut String, what: &str) -> (usize, usize) {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for i in imported {
        *have.entry(i.as_str()).or_default() += 1;
    }
    let mut n = 0;
    for e in expected {
        match have.get_mut(e.as_str()) {
            Some(c) if *c > 0 => {
                *c -= 1;
                n += 1;
            }
            _ => writeln!(missing, "  {what} mangler: {e}").unwrap(),
        }
    }
    for (i, c) in have {
        if c > 0 {
            writeln!(missing, "  {what} i tillegg: {i}").unwrap();
        }
    }
    (n, expected.len())
}

/// Compares the imported document at `imported` (under `root`) with the
/// hand-converted `expected` of the seed archive.
fn compare(root: &Path, imported: &str, expected: &str) -> (Matched, String) {
    let (a, a_sources, _) = read_archive(root).unwrap_or_else(|f| {
        panic!(
            "the imported archive does not build:\n{}",
            saksgang::diag::render(&f.diagnostics, &f.sources, false)
        )
    });
    let (b, b_sources, _) = read_archive(&repo()).expect("the seed archive builds");
    let got = facts(&a, &a_sources, imported);
    let want = facts(&b, &b_sources, expected);
    let mut missing = String::new();
    let m = Matched {
        items: matched(&want.items, &got.items, &mut missing, "sak"),
        decisions: matched(&want.decisions, &got.decisions, &mut missing, "vedtak"),
        proposals: matched(&want.proposals, &got.proposals, &mut missing, "forslag"),
        present: matched(&want.present, &got.present, &mut missing, "til stede"),
        absent: matched(&want.absent, &got.absent, &mut missing, "forfall"),
        secretariat: matched(&want.secretariat, &got.secretariat, &mut missing, "sekretariat"),
    };
    (m, missing)
}

/// Imports the seed text of `content_path` into the archive without it and
/// compares; `input` is the file to import (the text, or a Word or PDF version).
fn import_seed(content_path: &str, input: &Path) -> (Matched, String, String) {
    let (_tmp, root) = archive_without(content_path);
    let o = saksgang(&root, &["import", &input.to_string_lossy()]);
    assert!(o.status.success(), "{}", err(&o));
    let written = root.join("content").join(content_path);
    assert!(
        out(&o).contains(&written.display().to_string()),
        "{}",
        out(&o)
    );
    let (m, missing) = compare(&root, content_path, content_path);
    (m, missing, err(&o))
}

fn seed_text(content_path: &str) -> PathBuf {
    let name = Path::new(content_path).file_stem().unwrap().to_string_lossy().into_owned();
    fixture("import").join(format!("{name}.txt"))
}

fn check_seed(content_path: &str, want: Matched) -> String {
    let (m, missing, stderr) = import_seed(content_path, &seed_text(content_path));
    assert_eq!(m, want, "{content_path}:\n{missing}\nstderr:\n{stderr}");
    missing
}

#[test]
fn seed_2017_02_23_radmannsgruppen() {
    let missing = check_seed(
        "meetings/2017/2017-02-23-radmannsgruppen.md",
        Matched {
            items: (10, 10),
            decisions: (19, 19),
            proposals: (0, 0),
            present: (7, 7),
            absent: (10, 10),
            secretariat: (0, 0),
        },
    );
    println!("{missing}");
}

#[test]
fn seed_2017_06_01_radmannsgruppen() {
    let missing = check_seed(
        "meetings/2017/2017-06-01-radmannsgruppen.md",
        Matched {
            items: (9, 9),
            decisions: (19, 19),
            proposals: (1, 1),
            present: (10, 10),
            absent: (7, 7),
            secretariat: (4, 4),
        },
    );
    println!("{missing}");
}

#[test]
fn seed_2018_02_22_khs_radmannsmote_innkalling() {
    check_seed(
        "meetings/2018/2018-02-22-khs-radmannsmote-innkalling.md",
        Matched {
            items: (3, 3),
            decisions: (0, 0),
            proposals: (2, 2),
            present: (0, 0),
            absent: (0, 0),
            secretariat: (0, 0),
        },
    );
}

#[test]
fn seed_2018_02_22_khs_radmannsmote() {
    check_seed(
        "meetings/2018/2018-02-22-khs-radmannsmote.md",
        Matched {
            items: (3, 3),
            // 01/2018: the page header "KHS Kommunehelsesamarbeidet" stands in the
            // decision (and is warned of); the writer deletes it.
            decisions: (1, 2),
            proposals: (0, 0),
            present: (10, 10),
            absent: (17, 17),
            secretariat: (0, 0),
        },
    );
}

#[test]
fn seed_2018_06_14_khs_ordforermote() {
    check_seed(
        "meetings/2018/2018-06-14-khs-ordforermote.md",
        Matched {
            items: (1, 1),
            // 1/2018: "Følgende tidsplan ble lagt …:" after the decision is a heading
            // of its own in the hand conversion; the import keeps it in the decision.
            decisions: (0, 1),
            proposals: (0, 0),
            present: (28, 28),
            absent: (0, 0),
            secretariat: (0, 0),
        },
    );
}
