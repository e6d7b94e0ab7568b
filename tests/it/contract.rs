//! The content format's rules that the seed archive does not exercise, on the
//! `contract` fixture: other labels and number forms, reverse order, two-day
//! meetings, organisations, notes, notices without minutes, closing sections,
//! configured decision headings, sub-items, two meetings of one body on one day.

use crate::support::{between, build, fixture, text};

#[test]
fn other_bodies_print_items_their_own_way() {
    let b = build(&fixture("contract"));
    assert!(b.success, "{}", b.stderr);
    let page = b.page("moter/2006-03-09-tr/index.html");
    // Items keep the document's (reverse) order and their label and number as written.
    let agenda = text(between(&page, "<ol class=\"saksliste\">", "</ol>"));
    assert_eq!(
        agenda,
        "TR-sak 36/06: Budsjett 2007 TR-sak 35/06: Forvaltningsreformen"
    );
    // Two-digit years belong to the meeting's century.
    assert!(page.contains(r#"<article class="sak" id="sak-35-2006""#));
    assert!(page.contains(r##"<a href="#sak-36-2006">"##));
    // The notice of 2020 names "PS 2/2020" and "PS 1/2020", in that order.
    let notice = b.page("moter/2020-01-15-fsu/index.html");
    let agenda = text(between(&notice, "<ol class=\"saksliste\">", "</ol>"));
    assert_eq!(
        agenda,
        "PS 2/2020 Budsjett PS 1/2020 Godkjenning av innkalling"
    );
}

#[test]
fn decision_headings_of_every_kind_are_set_apart() {
    let b = build(&fixture("contract"));
    let page = b.page("moter/2006-03-09-tr/index.html");
    let budget = between(&page, r#"id="sak-36-2006""#, "</article>");
    assert!(budget.contains("<section class=\"vedtak proposal\">\n<h3 class=\"vedtak-tittel\">Sekretariatets innstilling til vedtak</h3>"));
    assert!(budget.contains("<section class=\"vedtak decision\">\n<h3 class=\"vedtak-tittel\">Enstemmig vedtak</h3>\n<p>Budsjettet vedtas.</p>"));
    // Phrases added in site.yaml, inside a sub-item.
    let reform = between(&page, r#"id="sak-35-2006""#, "</article>");
    assert!(reform.contains("<h3 id=\"sak-35-2006-b\" class=\"punkt\">B Fra fylket</h3>"));
    assert!(reform.contains("<section class=\"vedtak proposal\">\n<h4 class=\"vedtak-tittel\">Daglig leders anbefaling</h4>"));
    assert!(reform.contains(
        "<section class=\"vedtak decision\">\n<h4 class=\"vedtak-tittel\">Konklusjon</h4>"
    ));
}

#[test]
fn two_day_meetings_organisations_and_notes() {
    let b = build(&fixture("contract"));
    let page = b.page("moter/2006-03-09-tr/index.html");
    assert!(page.contains("torsdag 9. mars 2006–fredag 10. mars 2006"));
    let attendance = text(between(&page, "<table class=\"oppmote\">", "</table>"));
    assert!(
        attendance.contains("Klæbu Kari Klebu for Ola Klæbu, dag 1"),
        "{attendance}"
    );
    assert!(
        attendance.contains("KS Per Pedersen (observatør)"),
        "{attendance}"
    );
    assert!(
        attendance.contains("Statsforvalteren Sara Statsen, fra sak 34/06"),
        "{attendance}"
    );
    assert!(attendance.contains("Ørland Ola Ørland"), "{attendance}");
    assert!(
        attendance.contains("Trondheim Rita Ottervik (leder)"),
        "{attendance}"
    );
}

#[test]
fn sections_after_the_items_are_shown_after_them() {
    let b = build(&fixture("contract"));
    let page = b.page("moter/2006-03-09-tr/index.html");
    let after = page
        .find("<h2 class=\"punkt\">Vedlegg</h2>")
        .expect("Vedlegg section");
    let last_item = page.find(r#"id="sak-35-2006""#).unwrap();
    assert!(after > last_item);
    assert!(
        text(&page[after..]).starts_with("Vedlegg 1. Budsjettforslag")
            || page[after..].contains("<li>Budsjettforslag</li>")
    );
}

#[test]
fn a_notice_without_minutes_is_the_meeting_page_and_says_so() {
    let b = build(&fixture("contract"));
    let page = b.page("moter/2020-01-15-fsu/index.html");
    assert!(page.contains("Referatet er ikke publisert ennå"));
    assert!(page.contains(
        "<section class=\"vedtak proposal\">\n<h3 class=\"vedtak-tittel\">Forslag til vedtak</h3>"
    ));
    // Its own /innkalling/ page exists too, so the link in the invitation keeps working.
    assert!(b.has("moter/2020-01-15-fsu/innkalling/index.html"));
    // Raw HTML in the minutes is shown as the text it is.
    assert!(page.contains("&lt;b&gt;uthevet&lt;/b&gt;"));
}

#[test]
fn one_body_twice_on_one_day_gets_two_pages() {
    let b = build(&fixture("contract"));
    assert!(b.has("moter/2020-01-15-fsu/index.html"));
    let afternoon = b.page("moter/2020-01-15-fsu-ettermiddag/index.html");
    assert!(afternoon.contains("PS 3/2020 Ettermiddagssak"));
}

#[test]
fn references_link_only_where_the_archive_has_the_target() {
    let b = build(&fixture("contract"));
    let page = b.page("moter/2006-03-09-tr/index.html");
    // "sak 35/06 i regionrådet": body named near → linked.
    assert!(page.contains(
        r##"<a href="../../moter/2006-03-09-tr/#sak-35-2006">sak 35/06</a> i regionrådet"##
    ));
    // Targets not in the archive stay plain text.
    assert!(page.contains("til møtet den 29 mars. Ekstra sak 21/20 er ikke med."));
    // An @/ link gets the page's address and anchor.
    assert!(
        page.contains(r#"<a href="../../moter/2006-02-01-tr/#sak-20-2006">forrige behandling</a>"#)
    );
    // A sak reference with a date and body near it, to a notice's item.
    let afternoon = b.page("moter/2020-01-15-fsu-ettermiddag/index.html");
    assert!(
        afternoon.contains(r##"<a href="../../moter/2020-01-15-fsu/#sak-02-2020">sak 2/2020</a>"##),
        "{afternoon}"
    );
}

#[test]
fn threads_mix_steps_in_and_outside_the_archive_in_date_order() {
    let b = build(&fixture("contract"));
    let page = b.page("saker/forvaltningsreformen/index.html");
    let timeline = text(between(&page, "<ol class=\"tidslinje\">", "</ol>"));
    let first = timeline.find("09.03.2006").unwrap();
    let outside = timeline
        .find("Ikke i arkivet Styringsutvalget drøftet saken")
        .unwrap();
    let last = timeline.find("15.01.2020").unwrap();
    assert!(first < outside && outside < last, "{timeline}");
    assert!(
        page.contains(r#"<a href="../../moter/2006-02-01-tr/#sak-20-2006">TR-sak 20/06</a>"#),
        "background @/ link"
    );
}

#[test]
fn municipalities_sort_the_norwegian_way_and_keep_their_history() {
    let b = build(&fixture("contract"));
    let list = b.page("kommuner/index.html");
    let names = text(between(&list, "<tbody>", "</tbody>"));
    let order: Vec<usize> = [
        "Agdenes",
        "Klæbu",
        "Orkland",
        "Trondheim",
        "Trøndelag fylkeskommune",
        "Ørland",
        "Åfjord",
    ]
    .iter()
    .map(|n| names.find(n).unwrap_or_else(|| panic!("{n} in {names}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{names}");
    let agdenes = b.page("kommuner/agdenes/index.html");
    assert!(agdenes.contains(r#"<a href="../../kommuner/orkland/">Orkland</a>, <a href="../../kommuner/orland/">Ørland</a>"#));
    let trondheim = b.page("kommuner/trondheim/index.html");
    assert!(text(&trondheim).contains("Tidligere nummer 1601 (til 31.12.2017)"));
    assert!(
        trondheim.contains(r#"<a href="../../kommuner/klaebu/">Klæbu</a>"#),
        "merged from"
    );
    // Mentions in the genitive count ("Klæbus rådmann").
    let klaebu = b.page("kommuner/klaebu/index.html");
    assert!(
        text(&klaebu).contains("TR-sak 35/06 Forvaltningsreformen"),
        "{klaebu}"
    );
}

#[test]
fn an_old_address_redirects_to_the_page() {
    let b = build(&fixture("contract"));
    let old = b.page("moter/2006-03-09-trondheimsregionen/index.html");
    assert!(
        old.contains(r#"<meta http-equiv="refresh" content="0; url=../../moter/2006-03-09-tr/">"#),
        "{old}"
    );
    assert!(old.contains(r#"<a href="../../moter/2006-03-09-tr/">gå til siden</a>"#));
}

#[test]
fn a_calendar_of_meetings_and_a_sitemap_are_written() {
    let b = build(&fixture("contract"));
    let ics = b.page("moter.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    // The two-day meeting ends the day after its end_date (all-day events).
    assert!(ics.contains(
        "UID:2006-03-09-tr@example.org\r\nDTSTAMP:20060309T000000Z\r\nDTSTART;VALUE=DATE:20060309\r\nDTEND;VALUE=DATE:20060311\r\nSUMMARY:Trondheimsregionen\r\nLOCATION:Rica Nidelven\r\nDESCRIPTION:Tid: kl. 10\r\nURL:https://example.org/arkiv/moter/2006-03-09-tr/\r\n"
    ), "{ics}");
    // A meeting known only from its notice is in the calendar, marked as such.
    assert!(
        ics.contains("DESCRIPTION:Innkalling\\; referatet er ikke publisert ennå."),
        "{ics}"
    );
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 4);
    let sitemap = b.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/arkiv/moter/2020-01-15-fsu/innkalling/</loc>")
    );
    assert!(!sitemap.contains('#'), "anchors are not pages");
}

#[test]
fn an_atom_feed_lists_the_newest_documents_first() {
    let b = build(&fixture("contract"));
    let feed = b.page("nytt.xml");
    assert!(
        feed.contains("<updated>2020-01-15T00:00:00Z</updated>"),
        "the newest document's date: {feed}"
    );
    let titles: Vec<&str> = feed
        .split("<title>")
        .skip(2)
        .map(|t| t.split("</title>").next().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Referat: Felles styringsutvalg onsdag 15. januar 2020",
            "Innkalling: Felles styringsutvalg onsdag 15. januar 2020",
            "Referat: Trondheimsregionen torsdag 9. mars 2006",
            "Referat: Trondheimsregionen onsdag 1. februar 2006",
        ]
    );
    assert!(
        b.page("index.html")
            .contains("<a href=\"./nytt.xml\">nye dokumenter (Atom)</a>")
    );
}
