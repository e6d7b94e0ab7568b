//! `aliases:`: an old address is normalised to the page a browser asks for
//! (`/gammel` is the folder `/gammel/`), and an address that cannot be a
//! redirect, or that is already taken (by a page, a file saksgang writes, or
//! another alias), is an error at the line of the alias.

use std::path::Path;

use crate::support::{Built, build, copy_dir, fixture};

const FILE: &str = "content/meetings/2006/2006-03-09-tr.md";
const OTHER: &str = "content/meetings/2006/2006-02-01-tr.md";
const WRITTEN: &str = "aliases: [/moter/2006-03-09-trondheimsregionen/]";

/// The contract fixture with the aliases line of one meeting replaced (and,
/// if `other`, an aliases line added to the other meeting of that body).
fn with_aliases(dir: &Path, aliases: &str, other: Option<&str>) -> Built {
    copy_dir(&fixture("contract"), dir);
    let file = dir.join(FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(WRITTEN));
    std::fs::write(&file, text.replace(WRITTEN, aliases)).unwrap();
    if let Some(line) = other {
        let file = dir.join(OTHER);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replacen("---\n", &format!("---\n{line}\n"), 1)).unwrap();
    }
    build(dir)
}

/// The stderr of a build that must fail, with no output written.
fn failed(aliases: &str, other: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let b = with_aliases(dir.path(), aliases, other);
    assert!(!b.success, "{aliases} should fail:\n{}", b.stderr);
    assert!(!b.out.exists());
    b.stderr
}

#[test]
fn an_alias_without_a_trailing_slash_is_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let b = with_aliases(
        dir.path(),
        "aliases: [/gammel, /eldre/side.html, \"/m%C3%B8te-2006\"]",
        None,
    );
    assert!(b.success, "{}", b.stderr);
    assert!(!b.has("gammelindex.html"));
    let page = b.page("gammel/index.html");
    assert!(page.contains("moter/2006-03-09-tr/"), "{page}");
    assert!(b.page("eldre/side.html").contains("moter/2006-03-09-tr/"));
    assert!(b.has("møte-2006/index.html"));
    let manifest = b.page("manifest.txt");
    assert!(manifest.lines().any(|l| l == "/gammel/"), "{manifest}");
    assert!(manifest.lines().any(|l| l == "/eldre/side.html"));
    assert!(manifest.lines().any(|l| l == "/møte-2006/"));
}

#[test]
fn two_files_with_one_alias_is_an_error_at_the_second() {
    let err = failed("aliases: [/gammel/]", Some("aliases: [\"/gammel\"]"));
    assert!(
        err.contains("feil: to filer har den gamle adressen «/gammel/»"),
        "{err}"
    );
    assert!(err.contains(&format!("--> {FILE}:18:")), "{err}");
    assert!(err.contains(OTHER), "{err}");
}

#[test]
fn an_alias_over_a_page_or_a_file_of_the_site_is_an_error_at_its_line() {
    for (alias, message) in [
        ("/sok/", "«/sok/» er adressen til en side som finnes"),
        (
            "/tilgjengelighet/",
            "«/tilgjengelighet/» er adressen til en side som finnes",
        ),
        (
            "/sok/t/",
            "«/sok/t/» ligger i /sok/, som saksgang lager selv",
        ),
        ("/nytt.xml/", "«/nytt.xml/» ligger under filen /nytt.xml"),
        (
            "/manifest.txt/",
            "«/manifest.txt/» ligger under filen /manifest.txt",
        ),
        ("/static/gammel/", "«/static/gammel/» ligger i /static/"),
        ("/moter/", "«/moter/» er adressen til en side som finnes"),
        (
            "/moter/2006-02-01-tr",
            "«/moter/2006-02-01-tr/» er adressen til en side som finnes",
        ),
        ("/", "«/» er adressen til en side som finnes"),
        // The same file on Windows and macOS.
        ("/MOTER/", "«/MOTER/» er adressen til en side som finnes"),
    ] {
        let err = failed(&format!("aliases: [\"{alias}\"]"), None);
        assert!(err.contains(&format!("feil: {message}")), "{alias}:\n{err}");
        assert!(err.contains(&format!("--> {FILE}:18:")), "{alias}:\n{err}");
        assert!(!err.contains("os error"), "{err}");
    }
}

#[test]
fn an_alias_a_static_page_cannot_answer_is_an_error_at_its_line() {
    for (alias, label, help) in [
        (
            "/gammel?id=3",
            "«?» kan ikke være med",
            "skriv bare stien: «/gammel»",
        ),
        ("/gammel/#sak-1", "«#» kan ikke være med", "«/gammel/»"),
        ("/moter/../sok/", ". og .. kan ikke være med", ""),
        (
            "https://vestregionen.no/gammel/",
            "en adresse med vertsnavn",
            "«/gammel/»",
        ),
        ("//vert/gammel/", "en adresse med vertsnavn", ""),
        ("/moter//gammel/", "// midt i stien", ""),
        ("gammel/", "skal begynne med /", ""),
        ("/referat.pdf", "bare sider kan sendes videre", ""),
    ] {
        let err = failed(&format!("aliases: [\"{alias}\"]"), None);
        assert!(
            err.contains(&format!(
                "feil: «{alias}» kan ikke brukes som gammel adresse"
            )),
            "{alias}:\n{err}"
        );
        assert!(err.contains(label), "{alias}:\n{err}");
        assert!(err.contains(help), "{alias}:\n{err}");
        assert!(err.contains(&format!("--> {FILE}:18:")), "{alias}:\n{err}");
    }
}
