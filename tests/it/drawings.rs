//! The drawings of the default theme: a thread's course, a municipality's
//! attendance over time and a body's attendance matrix, each with its text.
//! Built from `tests/fixtures/drawings/`: Lyngvik is present at the
//! Samarbeidsutvalget's meeting of 10 January 2024, sends a substitute on 14
//! February, sends apologies on 20 March and is not listed on 24 April; the
//! thread «veien» runs through the utvalg, a step outside the archive, the
//! styre's notice and minutes of 29 May, and an outside step with no body.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use crate::support::{Built, between, build, fixture, html_files, repo, text};

fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let b = build(&fixture("drawings"));
        assert!(b.success, "{}", b.stderr);
        b
    })
}

#[test]
fn every_time_element_on_every_seed_page_has_a_datetime() {
    // The Nu HTML Checker found 38 `<time>` without `datetime` on thread pages.
    let b = build(&repo());
    assert!(b.success, "{}", b.stderr);
    let mut missing = Vec::new();
    for f in html_files(&b.out) {
        let page = std::fs::read_to_string(b.out.join(&f)).unwrap();
        for tag in page.split("<time").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            if !tag.contains(" datetime=\"") {
                missing.push(format!("{f}: <time{tag}>"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} without datetime:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_thread_list_joins_a_meetings_notice_and_minutes_into_one_step() {
    let page = site().page("saker/veien/index.html");
    let list = between(&page, "<ol class=\"tidslinje\">", "</ol>");
    // Four steps: the utvalg, the outside befaring, the styre's meeting, the kommunestyrer.
    assert_eq!(list.matches("<li class=\"steg").count(), 4, "{list}");
    let styret = between(list, "<li class=\"steg\" id=\"steg-3\">", "</li>");
    assert!(
        styret.contains("<time datetime=\"2024-05-29\">29.05.2024</time> – Styret for samarbeidet"),
        "{styret}"
    );
    assert!(
        text(styret).contains("Innkalling og referat fra møtet onsdag 29. mai 2024"),
        "{styret}"
    );
    assert!(
        styret.contains("innkalling/#sak-04\">Sak 4. Veien over fjellet</a> (innkalling)"),
        "{styret}"
    );
    assert!(
        styret.contains("styret/#sak-04\">Sak 4. Veien over fjellet</a> (referat)"),
        "{styret}"
    );
    assert_eq!(styret.matches("<div class=\"steg-del\">").count(), 2);
    // The meeting changed the proposal: the diff is in the joined step.
    assert!(styret.contains("<section class=\"endring\">"), "{styret}");
}

#[test]
fn the_thread_list_marks_steps_outside_the_archive() {
    let page = site().page("saker/veien/index.html");
    let list = between(&page, "<ol class=\"tidslinje\">", "</ol>");
    let outside: Vec<&str> = list.split("<li class=\"steg utenfor\"").skip(1).collect();
    assert_eq!(outside.len(), 2, "{list}");
    assert!(text(outside[0]).contains("01.03.2024 – Styret for samarbeidet Ikke i arkivet Styret var på befaring uten referat."), "{}", outside[0]);
    assert!(
        text(outside[1]).contains("01.09.2024 Ikke i arkivet Kommunestyrene behandler veien."),
        "{}",
        outside[1]
    );
}

#[test]
fn the_thread_drawing_has_a_lane_per_body_and_a_mark_per_step() {
    let page = site().page("saker/veien/index.html");
    let svg = between(&page, "<svg class=\"tidslinje-tegning\"", "</svg>");
    assert!(svg.contains("role=\"img\" aria-label=\"Tegning av saksgangen: 4 steg i 3 organer fra 10.01.2024 til 01.09.2024, 2 steg utenfor arkivet."), "{svg}");
    // It sits in a labelled region that scrolls by itself.
    assert!(page.contains("<div class=\"tegning\" role=\"region\" tabindex=\"0\" aria-label=\"Tegning av saksgangen, organ for organ\">"));
    let lanes: Vec<String> = svg
        .split("<text class=\"bane-navn\"")
        .skip(1)
        .map(|t| text(&format!("<x{}", &t[..t.find("</text>").unwrap()])))
        .collect();
    assert_eq!(
        lanes,
        [
            "Samarbeidsutvalget",
            "Styret for samarbeidet",
            "Organ ikke oppgitt"
        ]
    );
    // Marks in order: R (utvalg), U (befaring), I+R (the joined styremøte), U.
    let letters: Vec<String> = svg
        .split("<text class=\"merke-bokstav")
        .skip(1)
        .map(|t| text(&format!("<x{}", &t[..t.find("</text>").unwrap()])))
        .collect();
    assert_eq!(letters, ["R", "U", "I+R", "U"]);
    // Outside steps are dashed diamonds, steps in the archive filled pills.
    assert_eq!(svg.matches("<polygon class=\"merke-utenfor\"").count(), 2);
    assert_eq!(svg.matches("<rect class=\"merke-arkiv\"").count(), 2);
    // The befaring is in the styre's lane (y of lane 2), the last step in lane 3.
    let line_y = |lane: usize| 4 + (lane - 1) * 50 + 36;
    let ys: Vec<usize> = svg
        .split("<text class=\"merke-bokstav")
        .skip(1)
        .map(|t| {
            let y = t.split(" y=\"").nth(1).unwrap();
            y[..y.find('"').unwrap()].parse::<usize>().unwrap() - 5
        })
        .collect();
    assert_eq!(ys, [line_y(1), line_y(2), line_y(2), line_y(3)]);
    // The drawing carries no script, styles or links.
    assert!(!svg.contains("style=") && !svg.contains("<a ") && !svg.contains("<script"));
}
