//! The search index is cut into terms by saksgang (`search::Tokenizer`)
//! and queries by the browser (`themes/default/static/sok/sok.js`, with the
//! vendored `lunr.no` stemmer). A word they cut differently could never be
//! found, so this test cuts every line of the archive's text both ways and
//! compares. It runs the browser's code in Node.js (`tests/browser/terms.mjs`);
//! without Node it says so and passes, except on CI (`CI=true`).

use std::process::Command;

use saksgang::search::Tokenizer;

use crate::support::repo;

/// Every line of every file under `content/`, and some that test the rules.
fn texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "Sak 04/2017, sak 4/2017 og TR-sak 35/06: møtet 23.02.2017 og 1.6.2017.",
        "Bærum, Baerum og Barum; Øvre Eiker, Ål, Ås og Aasen; Sør-Odal.",
        "31.02.2017 er ingen dato; 2017/2018 er ikke et saksnummer; 0219 er Bærums nummer.",
        "Kommunene, kommunenes og kommunenes' syn; «videreføring» – videreføres?",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for entry in walkdir::WalkDir::new(repo().join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        texts.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    texts
}

#[test]
fn the_browser_cuts_every_text_of_the_archive_into_the_same_terms() {
    if Command::new("node").arg("--version").output().is_err() {
        if std::env::var_os("CI").is_some_and(|v| v == "true") {
            panic!("node is needed on CI to compare the browser's search terms");
        }
        eprintln!("search term comparison not run: node is missing");
        return;
    }
    let texts = texts();
    assert!(texts.len() > 500, "the archive's lines: {}", texts.len());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("texts.json");
    std::fs::write(&file, serde_json::to_string(&texts).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(repo().join("tests/browser/terms.mjs"))
        .arg(&file)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let browser: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    let tokenizer = Tokenizer::new();
    let mut differences = Vec::new();
    for (text, theirs) in texts.iter().zip(&browser) {
        let ours = tokenizer.terms(text);
        if &ours != theirs {
            differences.push(format!(
                "{text}\n  saksgang: {ours:?}\n  browser:  {theirs:?}"
            ));
        }
    }
    assert_eq!(browser.len(), texts.len());
    assert!(
        differences.is_empty(),
        "{} of {} texts are cut differently:\n{}",
        differences.len(),
        texts.len(),
        differences.join("\n")
    );
    // The rules themselves, on the first line: item numbers and dates as terms.
    assert_eq!(
        browser[0],
        [
            "sak",
            "4/2017",
            "sak",
            "4/2017",
            "tr",
            "sak",
            "35/06",
            "mot",
            "2017-02-23",
            "2017-06-01"
        ]
    );
}
