//! References as minutes write them (tests/fixtures/references): compound
//! words ending in "møte" and "sak", lists of items, dates with or without a
//! year, month names, bodies named by name, alias, inflected form or item label;
//! linked where the archive holds one target, text where it holds none or two,
//! and `check --verbose` lists the two-target ones.

use std::process::Command;

use crate::support::{Built, build, fixture};

fn site() -> &'static Built {
    static SITE: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let b = build(&fixture("references"));
        assert!(b.success, "{}", b.stderr);
        b
    })
}

fn page(slug: &str) -> String {
    site().page(&format!("moter/{slug}/index.html"))
}

/// `<a href="../../moter/{target}">{words}</a>`.
fn link(target: &str, words: &str) -> String {
    format!(r#"<a href="../../moter/{target}">{words}</a>"#)
}

#[test]
fn compound_meeting_words_and_lists_of_items_link() {
    let p = page("2017-06-15-styret");
    // "styremøtet": the first part names Styret; a list of items, each linked.
    assert!(
        p.contains(&link("2017-03-16-styret/", "styremøtet 16.3.2017")),
        "{p}"
    );
    assert!(p.contains(&link("2017-03-16-styret/#sak-12-2017", "saker 12")));
    assert!(p.contains(&format!(
        ", {} og {}.",
        link("2017-03-16-styret/#sak-13-2017", "13"),
        link("2017-03-16-styret/#sak-14-2017", "14/2017")
    )));
    assert!(p.contains(&format!(
        "{} og {} følges opp",
        link("2017-03-16-styret/#sak-12-2017", "Sak 12"),
        link("2017-03-16-styret/#sak-13-2017", "13/2017")
    )));
    // Text: no such meeting or item, another kind of meeting ("foretaksmøte"),
    // a per-meeting number, and two meetings of Styret on 20.4.2017.
    assert!(p.contains("Det ble ikke holdt styremøte 11.5.2017."));
    assert!(p.contains("Vestvannet AS hadde foretaksmøte 16.3.2017."));
    assert!(p.contains("Sak 99/2017 er ikke behandlet, og sak 2 ble trukket."));
    assert!(p.contains("Referatet fra styremøtet 20.4.2017 ble ikke lagt fram."));
    // A deadline before an item reference is no meeting date to look it up at.
    assert!(p.contains(&format!(
        "innen 1. september 2017, jf. {}.",
        link("2017-03-16-styret/#sak-13-2017", "styresak 13/17")
    )));
}

#[test]
fn dates_with_two_digit_years_month_names_or_no_year_link() {
    let p = page("2017-06-15-styret");
    // No body named in the sentence: the document's own body.
    assert!(
        p.contains(&link("2017-03-16-styret/", "møtet 16.03.17")),
        "{p}"
    );
    assert!(p.contains(&link("2017-03-16-styret/", "møtet 16. mars")));
    // "16.3." takes the document's year; the inflected name picks the body.
    assert!(p.contains(&format!(
        "Koordineringsgruppens {} hadde",
        link("2017-03-16-koordinering/", "møte 16.3.")
    )));
    // A body's name right before a date is a meeting, with no "møte".
    assert!(p.contains(&link(
        "2017-03-16-koordinering/",
        "koordineringsgruppen 16.3.2017"
    )));
    let p = page("2023-11-20-radmannsforum");
    assert!(p.contains(&link(
        "2023-10-31-radmannsforum/",
        "møtet i rådmannsforumet den 31. oktober 2023"
    )));
    // An alias that is itself a meeting word, and a date without a year.
    assert!(p.contains(&link("2023-10-31-radmannsforum/", "Rådmannsmøtet 31.10.")));
    // No meeting on that day: text.
    assert!(p.contains("Møtet den 29. oktober 2023 ble avlyst."));
    // One small word between: the meeting; "til" a date: another one.
    let t = site().page("saker/eierstrategi/index.html");
    assert!(t.contains(&link("2025-10-29-styret/", "Styremøtet vedtok 29.10.2025")));
    assert!(t.contains("Styremøtet utsatte saken til 20.11.2025."));
    let p = page("2025-11-12-koordinering");
    assert!(p.contains(&link("2025-10-29-styret/", "styremøte 29.10.2025")));
    assert!(p.contains(&link("2025-10-29-styret/", "styremøte 29. oktober 2025")));
    let p = page("2025-11-20-styret");
    assert!(p.contains(&link("2025-10-29-styret/", "Styremøtet 29.10.")));
    assert!(p.contains(&format!(
        "Administrative {} sluttet",
        link(
            "2025-11-12-koordinering/",
            "koordineringsgruppen 12.11.2025"
        )
    )));
}

#[test]
fn item_labels_and_compound_item_words_name_their_body() {
    // "styresak 34/25" in another body's minutes: the first part names Styret.
    let p = page("2025-11-12-koordinering");
    assert!(
        p.contains(&link("2025-10-29-styret/#sak-34-2025", "styresak 34/25")),
        "{p}"
    );
    // "PS" is a label only Koordineringsgruppen's items use.
    let p = page("2025-11-20-styret");
    assert!(p.contains(&link("2025-11-12-koordinering/#sak-05-2025", "PS 5/2025")));
    // "RS-sak" is Representantskapet's, next to "januar 2005".
    let p = page("2005-03-10-representantskapet");
    assert!(p.contains(&format!(
        "{} fra møtet i januar 2005",
        link(
            "2005-01-20-representantskapet/#sak-02-2005",
            "RS-sak 2/2005"
        )
    )));
    // A thread has no body of its own; the word names it.
    let t = site().page("saker/eierstrategi/index.html");
    assert!(
        t.contains(&link("2025-10-29-styret/#sak-34-2025", "styresak 34/25")),
        "{t}"
    );
    // Text: two bodies met on 16.3.2017 and both had a sak 12/2017; no RS-sak 9/2005.
    assert!(t.contains("I møtet 16.3.2017, sak 12/2017, ble regnskap"));
    let p = page("2005-03-10-representantskapet");
    assert!(p.contains("RS-sak 9/2005 om gebyrene er utsatt."));
}

fn check(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .arg("check")
        .arg("--root")
        .arg(fixture("references"))
        .args(args)
        .output()
        .expect("run saksgang");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn check_verbose_lists_references_that_could_mean_two_targets() {
    let verbose = check(&["--verbose"]);
    assert!(
        verbose.contains(
            "merknad: sak 12/2017 kan være Koordineringsgruppen eller Styret; lenket ikke\n \
             --> content/threads/eierstrategi.md:7:20"
        ),
        "{verbose}"
    );
    assert!(verbose.contains(
        "merknad: møtet 20.04.2017 kan være Styret (2017-04-20-styret) eller Styret \
         (2017-04-20-styret-ekstra); lenket ikke\n  --> content/meetings/2017/2017-06-15-styret.md:20:15"
    ));
    assert!(
        verbose.ends_with(
            "2 henvisninger ble ikke lenket fordi de kan bety mer enn én ting\ningen feil\n"
        ),
        "{verbose}"
    );
    // Without --verbose, only the summary.
    assert_eq!(check(&[]), "ingen feil\n");
}
