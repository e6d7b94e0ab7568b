//! The meeting page leads with what readers come for: the facts, a one-line
//! attendance summary and the agenda, then the items with their "Saksgang"
//! strips and decisions; the full attendance table follows the items. And the
//! proposal → decision diff says in words what its marks show.
//!
//! The expected counts were read off the source files in `content/` and
//! `tests/fixtures/contract/`, not off the output.

use std::sync::OnceLock;

use crate::support::{Built, between, build, fixture, repo, text};

fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let b = build(&repo());
        assert!(b.success, "{}", b.stderr);
        b
    })
}

const MAYORS: &str = "moter/2018-06-14-khs-ordforermote/index.html";
const RG_2017_02_23: &str = "moter/2017-02-23-radmannsgruppen/index.html";

fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in page"))
}

#[test]
fn the_summary_line_counts_people_municipalities_and_organisations() {
    // 2018-06-14: 28 under `present:`, 27 of them from 16 different municipalities
    // (Bærum, Asker, Drammen, Flesberg, Hole, Jevnaker, Kongsberg, Lier, Modum,
    // Ringerike, Rollag, Sande, Sigdal, Øvre Eiker, Krødsherad, Ål) and Nina
    // Solberg from the organisation Vestregionen; no `for:`, no `absent:`.
    let page = site().page(MAYORS);
    assert!(
        page.contains(
            "<dt>Oppmøte</dt><dd class=\"oppmote-kort\">28 til stede fra 16 kommuner og Vestregionen. \
             <a href=\"#deltakere\">Se hvem som møtte</a></dd>"
        ),
        "{}",
        between(&page, "<dl class=\"fakta\">", "</dl>")
    );
    // 2017-06-01: counties are named, not counted as municipalities.
    let page = site().page("moter/2017-06-01-radmannsgruppen/index.html");
    assert!(page.contains(
        ">10 til stede fra 8 kommuner, Akershus fylkeskommune og Buskerud fylkeskommune \
         (7 møtte som vara), 7 med forfall. <a href=\"#deltakere\">"
    ));
    // The contract fixture: two municipalities, KS and Statsforvalteren, one
    // substitute (Kari Klebu for Ola Klæbu), one absent.
    let b = build(&fixture("contract"));
    let page = b.page("moter/2006-03-09-tr/index.html");
    assert!(
        page.contains(
            ">4 til stede fra 2 kommuner, KS og Statsforvalteren (1 møtte som vara), 1 med forfall. <a"
        ),
        "{}",
        between(&page, "<dl class=\"fakta\">", "</dl>")
    );
}

#[test]
fn summary_and_agenda_come_before_the_first_item_and_the_table_after_the_last() {
    let page = site().page(MAYORS);
    let summary = at(&page, "class=\"oppmote-kort\"");
    let agenda = at(&page, "<h2 id=\"saksliste\">");
    let first_item = at(&page, "<article class=\"sak\"");
    let last_item_end = page.rfind("</article>").expect("items");
    let people = at(&page, "<h2 id=\"deltakere\">");
    let table = at(&page, "<table class=\"oppmote\">");
    assert!(summary < agenda, "summary before the agenda");
    assert!(agenda < first_item, "agenda before the items");
    assert!(
        last_item_end < people && people < table,
        "the attendance table follows the items"
    );
    // The summary's link lands on the table's heading, once on the page.
    assert_eq!(page.matches("id=\"deltakere\"").count(), 1);
    // The table scrolls in a labelled region that takes focus, so it fits at 320 px.
    assert!(page.contains(
        "<div class=\"tabell\" role=\"region\" tabindex=\"0\" aria-label=\"Oppmøte\">\n<table class=\"oppmote\">"
    ));
    // The secretariat line is kept, after the table.
    let page = site().page("moter/2017-06-01-radmannsgruppen/index.html");
    assert!(
        at(
            &page,
            "<p class=\"sekretariat\"><strong>Sekretariatet:</strong>"
        ) > at(&page, "</table>")
    );
}

#[test]
fn several_threads_are_several_strips_in_source_order_before_the_text() {
    // `items: "1/2018": { thread: [khs-videreforing, komut, bpa] }`.
    let page = site().page(MAYORS);
    let item = between(
        &page,
        "<article class=\"sak\" id=\"sak-01-2018\"",
        "</article>",
    );
    let strips: Vec<usize> = item
        .match_indices("<div class=\"saksgang\">")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(strips.len(), 3, "{item}");
    let threads: Vec<usize> = [
        "Saksgang: <a href=\"../../saker/khs-videreforing/\">",
        "Saksgang: <a href=\"../../saker/komut/\">",
        "Saksgang: <a href=\"../../saker/bpa/\">",
    ]
    .iter()
    .map(|t| at(item, t))
    .collect();
    assert!(threads.windows(2).all(|w| w[0] < w[1]), "{threads:?}");
    // All strips stand before the item's first paragraph, none beside it.
    assert!(at(item, "<p>Samarbeidsstyrets leder") > threads[2]);
    assert!(
        !item.contains("<aside"),
        "a strip is in the flow, not a box aside"
    );
    // No rule for a strip floats or is positioned over the text.
    let css = site().page("static/style.css");
    let strip_rules: Vec<&str> = css
        .split('}')
        .filter(|r| r.split('{').next().is_some_and(|s| s.contains("saksgang")))
        .collect();
    assert!(!strip_rules.is_empty());
    for rule in strip_rules {
        assert!(!rule.contains("float"), "{rule}");
        assert!(!rule.contains("position: absolute"), "{rule}");
    }
}

#[test]
fn a_strip_carries_every_step_its_box_had() {
    // The thread khs-videreforing has 8 steps; the mayors' Sak 1/2018 is the
    // sixth, so the strip shows steps 2–8 and counts 1 earlier.
    let page = site().page(MAYORS);
    let strip = between(
        &page,
        "<div class=\"saksgang\">\n<div class=\"saksgang-topp\">\n<h3 id=\"sak-01-2018-saksgang-1\"",
        "</ol>",
    );
    assert!(
        strip.contains(
            "<p class=\"saksgang-status\"><span class=\"skjult\">Status: </span>Vedtatt</p>"
        ),
        "{strip}"
    );
    assert!(
        strip.contains("<li class=\"flere\"><a href=\"../../saker/khs-videreforing/\">1 tidligere behandling</a></li>"),
        "{strip}"
    );
    assert!(!strip.contains("senere behandling"), "{strip}");
    assert_eq!(strip.matches("<li class=\"trinn").count(), 7, "{strip}");
    let steps = text(strip);
    for step in [
        "01.06.2017 , Rådmannsgruppen: Sak 17/2017 (referat)",
        "15.06.2017 , Ordførermøtet i Kommunehelsesamarbeidet: Ordførerne behandler forslag om videreføring minst til sommeren 2018. utenfor arkivet",
        "22.02.2018 , Felles rådmannsmøte i KHS: Sak 01/2018 (innkalling)",
        "22.02.2018 , Felles rådmannsmøte i KHS: Sak 01/2018 (referat)",
        "14.06.2018 , Ordførermøtet i Kommunehelsesamarbeidet: Sak 1/2018 (referat) denne saken",
        // Two steps outside the archive name no body in content/threads/khs-videreforing.md.
        "30.11.2018 : Ny avtale for Kommunehelsesamarbeidet behandles politisk i alle 26 kommuner \
         innen utgangen av november. utenfor arkivet",
        "06.12.2018 : Ny avtale behandles av ordfører og rådmenn på møte i Drammen 6. desember. \
         utenfor arkivet",
    ] {
        assert!(steps.contains(step), "{step:?} in {steps}");
    }
    // The current step: aria-current, bold, and the words "denne saken".
    assert!(strip.contains(
        "<li class=\"trinn denne\" aria-current=\"step\"><span class=\"denne-boks\"><span class=\"steg-dato\">14.06.2018</span>"
    ), "{strip}");
    assert!(strip.contains(
        "<strong>Sak 1/2018 (referat)</strong> <span class=\"denne-merke\">denne saken</span>"
    ));
    assert_eq!(strip.matches("aria-current=\"step\"").count(), 1);
    // Steps outside the archive keep their mark.
    assert_eq!(strip.matches("<li class=\"trinn utenfor\">").count(), 3);
    assert_eq!(
        strip
            .matches("<span class=\"merke\">utenfor arkivet</span>")
            .count(),
        3
    );
}

#[test]
fn a_strip_for_a_point_has_its_letter_and_a_heading_one_below_the_point() {
    // `"08/2017 B": { thread: komut }` on 2017-02-23, under `### B KomUt`.
    let page = site().page(RG_2017_02_23);
    let point = between(&page, "<h3 id=\"sak-08-2017-b\" class=\"punkt\">", "</ol>");
    assert!(point.contains(
        "<h4 id=\"sak-08-2017-b-saksgang-1\" class=\"saksgang-tittel\">Saksgang (punkt B): <a href=\"../../saker/komut/\">"
    ), "{point}");
    // An item's own strips have headings one below the item's h2.
    let page = site().page(MAYORS);
    assert_eq!(page.matches("<h3 id=\"sak-01-2018-saksgang-").count(), 3);
}

#[test]
fn the_diff_says_slettet_and_lagt_til_and_marks_both_without_colour() {
    let page = site().page("saker/khs-videreforing/index.html");
    let diff = between(&page, "<div class=\"diff\">", "</div>");
    assert!(diff.contains(
        "Vestre <del><span class=\"skjult\">slettet: </span>Viken</del><ins><span class=\"skjult\">lagt til: </span>Vikens</ins> "
    ), "{diff}");
    // Every change carries its hidden words.
    assert_eq!(
        diff.matches("<del>").count(),
        diff.matches("<del><span class=\"skjult\">slettet: </span>")
            .count()
    );
    assert_eq!(
        diff.matches("<ins>").count(),
        diff.matches("<ins><span class=\"skjult\">lagt til: </span>")
            .count()
    );
    assert!(page.contains("<p class=\"liten\">Ord som ble strøket, er <del><span class=\"skjult\">slettet: </span>gjennomstreket</del> og står mellom [– og –]"));
    // The hidden words are hidden by the stylesheet, and the marks are drawn.
    let css = site().page("static/style.css");
    assert!(css.contains(".skjult {"), "a visually hidden class");
    for mark in [
        "del::before { content: \"[–\";",
        "del::after { content: \"–]\";",
        "ins::before { content: \"[+\";",
        "ins::after { content: \"+]\";",
    ] {
        assert!(css.contains(mark), "{mark}");
    }
    assert!(css.contains("text-decoration-line: line-through"));
    assert!(css.contains("text-decoration-line: underline"));
    // The search index and the feeds do not carry the diff or its hidden words.
    for (path, bytes) in crate::support::files(&site().out) {
        if path.ends_with(".html") || path.ends_with(".css") {
            continue;
        }
        let body = String::from_utf8_lossy(&bytes);
        assert!(!body.contains("skjult"), "{path}");
        assert!(!body.contains("lagt til: "), "{path}");
    }
}

/// A name written right to left (Arabic, Hebrew) is isolated in `<bdi>`
/// wherever a page lists people, so that it cannot reorder the words and
/// punctuation around it ("X for Y", "(møteleder)", a list of spellings).
#[test]
fn names_written_right_to_left_are_isolated_wherever_people_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&repo().join("content"), &dir.path().join("content"));
    let file = dir
        .path()
        .join("content/meetings/2017/2017-06-01-radmannsgruppen.md");
    let source = std::fs::read_to_string(&file).unwrap();
    let (from, to) = (
        "name: Tuss Benum, municipality: asker, for: Lars Bjerke",
        "name: سارة أحمد, municipality: asker, for: דוד כהן",
    );
    assert!(source.contains(from));
    std::fs::write(&file, source.replacen(from, to, 1)).unwrap();
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    let pair = "<bdi>سارة أحمد</bdi> for <bdi>דוד כהן</bdi>";
    let meeting = b.page("moter/2017-06-01-radmannsgruppen/index.html");
    assert!(meeting.contains(pair), "the meeting's attendance table");
    let asker = b.page("kommuner/asker/index.html");
    assert!(asker.contains(pair), "the municipality's attendance rows");
    assert!(
        asker.contains("<li><bdi>سارة أحمد</bdi>"),
        "the municipality's people"
    );
    let body = b.page("organer/radmannsgruppen/index.html");
    assert!(
        body.contains("<th scope=\"row\"><bdi>سارة أحمد</bdi>"),
        "the body's members"
    );
    // The words themselves are kept as written.
    assert!(text(&meeting).contains("سارة أحمد for דוד כהן"));
}
