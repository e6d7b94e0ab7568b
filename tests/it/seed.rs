//! The bundled archive (`content/`, converted from the five seed documents) as the
//! site shows it. The expected items, people and numbers below were read off the
//! original documents in `shared/seeds/`, not off saksgang's output.

use std::sync::OnceLock;

use crate::support::{Built, between, build, repo, text};

fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let b = build(&repo());
        assert!(b.success, "{}", b.stderr);
        b
    })
}

const RG_2017_02_23: &str = "moter/2017-02-23-radmannsgruppen/index.html";
const RG_2017_06_01: &str = "moter/2017-06-01-radmannsgruppen/index.html";
const KHS_NOTICE: &str = "moter/2018-02-22-khs-radmannsmote/innkalling/index.html";
const KHS_MINUTES: &str = "moter/2018-02-22-khs-radmannsmote/index.html";
const MAYORS: &str = "moter/2018-06-14-khs-ordforermote/index.html";

#[test]
fn the_khs_thread_runs_from_04_2017_to_the_mayors_decision_in_order() {
    let page = site().page("saker/khs-videreforing/index.html");
    let timeline = between(&page, "<ol class=\"tidslinje\">", "</main>");
    let steps = [
        r##"href="../../moter/2017-02-23-radmannsgruppen/#sak-04-2017">Sak 04/2017"##,
        r##"href="../../moter/2017-06-01-radmannsgruppen/#sak-17-2017">Sak 17/2017"##,
        "Ordførerne behandler forslag om videreføring",
        r##"href="../../moter/2018-02-22-khs-radmannsmote/innkalling/#sak-01-2018">Sak 01/2018"##,
        r##"href="../../moter/2018-02-22-khs-radmannsmote/#sak-01-2018">Sak 01/2018"##,
        r##"href="../../moter/2018-06-14-khs-ordforermote/#sak-01-2018">Sak 1/2018"##,
        "Ny avtale for Kommunehelsesamarbeidet behandles politisk i alle 26 kommuner",
        "Ny avtale behandles av ordfører og rådmenn på møte i Drammen",
    ];
    let positions: Vec<usize> = steps
        .iter()
        .map(|s| {
            timeline
                .find(s)
                .unwrap_or_else(|| panic!("step {s} missing"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "steps out of order: {positions:?}"
    );
    assert_eq!(
        timeline.matches("Ikke i arkivet").count(),
        3,
        "three steps outside the archive"
    );
}

#[test]
fn the_difference_between_proposal_and_decision_for_01_2018_shows_the_changed_words() {
    let page = site().page("saker/khs-videreforing/index.html");
    let diff = between(&page, "<div class=\"diff\">", "</div>");
    assert!(diff.contains("Vestre <del><span class=\"skjult\">slettet: </span>Viken</del><ins><span class=\"skjult\">lagt til: </span>Vikens</ins> <del><span class=\"skjult\">slettet: </span>sykehusområde</del><ins><span class=\"skjult\">lagt til: </span>opptaksområde</ins> videreføres<ins><span class=\"skjult\">lagt til: </span> etter juni 2018</ins>."), "{diff}");
    assert!(
        diff.contains("Samarbeidet baseres <ins><span class=\"skjult\">lagt til: </span>i første omgang </ins>på en vertskommunemodell"),
        "{diff}"
    );
    assert!(
        diff.contains("i kommunene, <del><span class=\"skjult\">slettet: </span>bør </del>vurderes lagt til Kommunehelsesamarbeidet."),
        "{diff}"
    );
    assert!(
        diff.contains("<ins><span class=\"skjult\">lagt til: </span>Norsk Helsenett gjennomfører prosjekt Elektronisk meldingsutveksling"),
        "{diff}"
    );
    // Unchanged points are shown without marks.
    assert!(
        diff.contains("<br>\nKommunehelsesamarbeidets todelte formål opprettholdes.<br>"),
        "{diff}"
    );
}

#[test]
fn every_item_of_every_document_is_on_its_meeting_page() {
    let cases: [(&str, &[&str]); 5] = [
        (
            RG_2017_02_23,
            &[
                "Sak 01/2017 Referat fra møte i Rådmannsgruppen",
                "Sak 02/2017 Referat fra møte i Styringsgruppen",
                "Sak 03/2017 Årsberetning, regnskap og revisjon 2016",
                "Sak 04/2017 Videreføring av Kommnehelsesamarbeidet etter 2017?",
                "Sak 05/2017 Videreføring av Vestregionsamarbeidet etter 2018?",
                "Sak 06/2017 Generalforsamling 2017 – forslag til program",
                "Sak 07/2017 Rapport fra studietur 2016",
                "Sak 08/2017 Prosjekter innen prioriterte satsingsområder",
                "Sak 09/2017 Øvrige orienteringer, meldinger og informasjon",
                "Sak 10/2017 Eventuelt",
            ],
        ),
        (
            RG_2017_06_01,
            &[
                "Sak 12/2017 Referat fra møte i Rådmannsgruppen",
                "Sak 13/2017 Referat fra møte i Styringsgruppen",
                "Sak 14/2017 Tertialrapport 1 – 2017",
                "Sak 15/2017 Møteplan 2018",
                "Sak 16/2017 Studietur november 2017",
                "Sak 17/2017 Kommunehelsesamarbeidet – avvikling eller videreføring?",
                "Sak 18/2016 Prosjekter innen prioriterte satsingsområder",
                "Sak 19/2016 Øvrige orienteringer, meldinger og informasjon",
                "Sak 20/2016 Eventuelt",
            ],
        ),
        (
            KHS_NOTICE,
            &[
                "Sak 01/2018 Kommunehelsesamarbeidet; framtidige organisering",
                "Sak 02/2018 Handlingsplan 2018",
                "Sak 03/2018 Eventuelt",
            ],
        ),
        (
            KHS_MINUTES,
            &[
                "Sak 01/2018 Kommunehelsesamarbeidet; framtidige organisering",
                "Sak 02/2018 Handlingsplan 2018",
                "Sak 03/2018 Eventuelt",
            ],
        ),
        (
            MAYORS,
            &["Sak 1/2018 Videreføring eller avvikling av Kommunehelsesamarbeidet"],
        ),
    ];
    for (path, items) in cases {
        let page = site().page(path);
        let headings: Vec<String> = page
            .match_indices("<article class=\"sak\"")
            .map(|(i, _)| text(between(&page[i..], "<h2", "</h2>")))
            .collect();
        assert_eq!(
            headings,
            items.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{path}"
        );
    }
}

#[test]
fn every_decision_and_proposal_is_set_apart() {
    // Counted in the originals: "Vedtak…" and "Forslag til vedtak" headings inside the items.
    for (path, decisions, proposals) in [
        (RG_2017_02_23, 19, 0),
        (RG_2017_06_01, 19, 1),
        (KHS_NOTICE, 0, 2),
        (KHS_MINUTES, 2, 0),
        (MAYORS, 1, 0),
    ] {
        let page = site().page(path);
        assert_eq!(
            page.matches("<section class=\"vedtak decision\">").count(),
            decisions,
            "{path}"
        );
        assert_eq!(
            page.matches("<section class=\"vedtak proposal\">").count(),
            proposals,
            "{path}"
        );
    }
    let mayors = site().page(MAYORS);
    let decision = text(between(
        &mayors,
        "<section class=\"vedtak decision\">",
        "</section>",
    ));
    assert!(decision.contains("Kommunehelsesamarbeidet videreføres frem til 2023."));
    assert!(decision.contains(
        "Bærum kommune påtar seg ansvaret for utredningsarbeidet som ferdigstilles høsten 2018."
    ));
    assert!(
        !decision.contains("Følgende tidsplan"),
        "the timetable is not part of the decision"
    );
}

fn attendance(path: &str) -> (String, String) {
    let page = site().page(path);
    let table = between(&page, "<table class=\"oppmote\">", "</table>");
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    let (mut present, mut absent) = (String::new(), String::new());
    for row in rows {
        let cells: Vec<&str> = row.split("<td>").collect();
        present.push_str(&text(cells[1]));
        present.push_str(" | ");
        // No "Forfall" column when the minutes list no one as absent.
        absent.push_str(&cells.get(2).map_or(String::new(), |c| text(c)));
        absent.push_str(" | ");
    }
    (present, absent)
}

#[test]
fn every_attendee_substitute_and_absence_is_on_the_meeting_page() {
    let cases: [(&str, &[&str], &[&str], &str); 4] = [
        (
            RG_2017_02_23,
            &[
                "Lars Bjerke",
                "Erik Kjeldstadli",
                "Trond Julin",
                "Truls Hvitstein",
                "Olav Grande",
                "Leif-Arne Svenningsen for Gro Herheim",
                "Trude Andresen",
            ],
            &[
                "Torger Ødegaard",
                "Lars Joakim Tveit",
                "Anita Larsen",
                "Hans-Petter Christensen",
                "Aud Norunn Strand",
                "Tore Isaksen",
                "Per Morstad",
                "Jostein Harm",
                "Kjersti B. Hulbakk",
                "Per Kierulf",
            ],
            "7 til stede fra 7 kommuner (1 møtte som vara), 10 med forfall.",
        ),
        (
            RG_2017_06_01,
            &[
                "Kirsti Aas Olsen for Trond Julin (møteleder)",
                "Tuss Benum for Lars Bjerke",
                "Øyvind Brandt for Erik Kjeldstadli",
                "Anne Marit Tangen for Anita Larsen",
                "Einar Jørstad for Hans-Petter Christensen",
                "Aud Norunn Strand",
                "Gyrid Løvli for Tore Isaksen",
                "Inger Johanne Flintorp for Trude Andresen",
                "Per Kierulf",
                "Kjersti Bærug Hulbakk",
            ],
            &[
                "Torger Ødegaard",
                "Lars Joakim Tveit",
                "Truls Hvitstein",
                "Per Morstad",
                "Jostein Harm",
                "Gro Herheim",
                "Olav Grande",
            ],
            "10 til stede fra 8 kommuner, Akershus fylkeskommune og Buskerud fylkeskommune (7 møtte som vara), 7 med forfall.",
        ),
        (
            KHS_MINUTES,
            &[
                "Erik Kjeldstadli",
                "Lars Bjerke",
                "Eva Milde for Trond Julin",
                "Bente Gravdal",
                "Stig Rune Kroken",
                "Per Morstad",
                "Trude Andresen",
                "Kristin Nilsen",
                "Anne Marie Folvik",
                "Nina Solberg",
            ],
            &[
                "Jon. Gj. Pedersen",
                "Turid Helene Røkkum",
                "Hege Mørk",
                "Jan Olav Helling",
                "Lars Ole Skogen",
                "Wenche Grindrud",
                "Else Horge Asplin",
                "Frank Pedersen",
                "Hans Henrik Thune",
                "Tone Tveito Eidnes",
                "Torger Ødegaard",
                "Lars Joakim Tveit",
                "Aud Norunn Strand",
                "Tore Isaksen",
                "Olav Grande",
                "Jostein Harm",
                "Leif-Arne Steingrimsen",
            ],
            "10 til stede fra 7 kommuner og Vestregionen (1 møtte som vara), 17 med forfall.",
        ),
        (
            MAYORS,
            &[
                "Lisbeth Hammer Krog (møteleder), ordfører i Bærum",
                "Nina Solberg (sekretær), Daglig leder Vestregionen",
                "Lene Conradi",
                "Eivind Knudsen",
                "Olav Garaas",
                "Per R. Berger",
                "Lars Magnussen",
                "Kari Anne Sand",
                "Gunn Cecilie Ringdal",
                "Ole Martin Kristiansen",
                "Dag Henaug",
                "Dag Lislien",
                "Elin Gran Weggesrud",
                "Tine Norman",
                "Adrian Tollefsen",
                "Aud Hansen – Fra administrasjonene",
                "Erik Kjeldstadli – Fra administrasjonene",
                "Øyvind Brandt",
                "Anne Marie Flovik",
                "Anniken Blichfeldt Muren",
                "May-Britt Nordli",
                "Cecilie P. Øyen",
                "Wenche Grinderud",
                "Anne Marit Tangen",
                "Bente Gravdal",
                "Kari Engen Sørensen",
                "Trude Andresen",
                "Tone Tveito Eidenes",
            ],
            &[],
            "28 til stede fra 16 kommuner og Vestregionen.",
        ),
    ];
    for (path, present, absent, counts) in cases {
        let (p, a) = attendance(path);
        for name in present {
            assert!(p.contains(name), "{path}: {name} not among present: {p}");
        }
        for name in absent {
            assert!(a.contains(name), "{path}: {name} not among absent: {a}");
        }
        assert!(site().page(path).contains(counts), "{path}: {counts}");
    }
    let secretariat = text(&site().page(RG_2017_06_01));
    assert!(secretariat.contains(
        "Sekretariatet: Nina Solberg, Lena Hansson, Kjetil Axelsen, Kari Engen Sørensen"
    ));
}

#[test]
fn asker_attended_all_four_meetings_once_by_a_substitute() {
    let page = site().page("kommuner/asker/index.html");
    let rows = text(between(
        &page,
        "<caption>Oppmøte møte for møte</caption>",
        "</table>",
    ));
    let rows = rows.trim_start_matches("Oppmøte møte for møte ");
    assert_eq!(
        rows,
        "Møte Status Til stede Forfall \
         Rådmannsgruppen 23.02.2017 Til stede Lars Bjerke \
         Rådmannsgruppen 01.06.2017 Møtt med vara Tuss Benum for Lars Bjerke \
         Felles rådmannsmøte i KHS 22.02.2018 Til stede Lars Bjerke \
         Ordførermøtet i Kommunehelsesamarbeidet 14.06.2018 Til stede Lene Conradi Aud Hansen"
    );
    let rates = text(between(
        &page,
        "<caption>Oppmøte per organ</caption>",
        "</table>",
    ));
    assert!(rates.contains("Rådmannsgruppen 2 1 1 0 100 %"), "{rates}");
    // Hurum and Røyken became part of Asker in 2020, and say so.
    assert!(page.contains(r#"<a href="../../kommuner/hurum/">Hurum</a>"#));
    let hurum = site().page("kommuner/hurum/index.html");
    assert!(text(&hurum).contains("Ble en del av Asker"));
    // Items whose text names Asker.
    let mentions = text(between(&page, "<h2>Saker som nevner Asker</h2>", "</ul>"));
    assert!(
        mentions.contains("Sak 08/2017 Prosjekter innen prioriterte satsingsområder"),
        "{mentions}"
    );
    assert!(
        mentions.contains("Sak 01/2018 Kommunehelsesamarbeidet; framtidige organisering"),
        "{mentions}"
    );
}

#[test]
fn municipalities_are_sorted_the_norwegian_way() {
    let page = site().page("kommuner/index.html");
    let names: Vec<String> = between(&page, "<tbody>", "</tbody>")
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|row| text(&row[..row.find("</th>").unwrap()]))
        .collect();
    let pos = |n: &str| {
        names
            .iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("{n} in {names:?}"))
    };
    assert!(pos("Asker") < pos("Bærum"));
    assert!(pos("Svelvik") < pos("Øvre Eiker"));
    assert!(pos("Øvre Eiker") < pos("Ål"), "Ø before Å");
    assert!(
        pos("Vestfold fylkeskommune") < pos("Øvre Eiker"),
        "Æ, Ø, Å after Z"
    );
    assert_eq!(names.last().map(String::as_str), Some("Ål"));
}

#[test]
fn dates_are_in_norwegian() {
    let page = site().page(RG_2017_02_23);
    assert!(page.contains("<time datetime=\"2017-02-23\">torsdag 23. februar 2017</time>"));
    assert!(site().page(MAYORS).contains("torsdag 14. juni 2018"));
    assert!(
        site()
            .page(KHS_MINUTES)
            .contains("<dt>Tid</dt><dd>kl. 10.00 – 12.00</dd>")
    );
}

#[test]
fn the_notice_and_the_minutes_link_to_each_other() {
    let minutes = site().page(KHS_MINUTES);
    assert!(minutes.contains(r#"<a href="../../moter/2018-02-22-khs-radmannsmote/innkalling/">Innkallingen til møtet</a>"#));
    let notice = site().page(KHS_NOTICE);
    assert!(notice.contains(r#"<a href="../../../moter/2018-02-22-khs-radmannsmote/">Les referatet med det som ble vedtatt.</a>"#));
    assert!(notice.contains("Innkalling: Felles rådmannsmøte i KHS 22. februar 2018"));
}

#[test]
fn items_in_threads_have_a_saksgang_box_with_earlier_and_later_steps() {
    let page = site().page(RG_2017_06_01);
    let item = between(&page, "id=\"sak-17-2017\"", "</ol>");
    assert!(item.contains(
        r#"<a href="../../saker/khs-videreforing/">Videreføring av Kommunehelsesamarbeidet</a>"#
    ));
    assert!(
        item.contains(
            r##"<a href="../../moter/2017-02-23-radmannsgruppen/#sak-04-2017">Sak 04/2017</a>"##
        ),
        "earlier step"
    );
    assert!(item.contains(
        "<strong>Sak 17/2017 (referat)</strong> <span class=\"denne-merke\">denne saken</span>"
    ));
    assert!(
        item.contains(
            r##"<a href="../../moter/2018-06-14-khs-ordforermote/#sak-01-2018">Sak 1/2018</a>"##
        ),
        "later step"
    );
    // A sub-item in a thread: KomUt is point B of sak 08/2017.
    let feb = site().page(RG_2017_02_23);
    assert!(feb.contains("<h3 id=\"sak-08-2017-b\" class=\"punkt\">B KomUt</h3>"));
    let komut = site().page("saker/komut/index.html");
    assert!(komut.contains(r##"href="../../moter/2017-02-23-radmannsgruppen/#sak-08-2017-b""##));
}

#[test]
fn the_words_of_the_minutes_are_kept_typos_included() {
    let feb = text(&site().page(RG_2017_02_23));
    assert!(feb.contains(
        "Samarbeidsavtalen mellom de 26 kommunene i Kommnehelsesamarbeidet går ut i 2017."
    ));
    assert!(feb.contains("Hesledirektoratet ved Program for velferdsteknologi"));
    let june = text(&site().page(RG_2017_06_01));
    assert!(june.contains("Framlagt notat ble godkjent og sendes ut i forkant av møte med ordførerne i Kommunehensesamarbeidet den 15.6.2017."));
    let notice = text(&site().page(KHS_NOTICE));
    assert!(notice.contains("i nytt ordførermøte 14.06.201."));
}

#[test]
fn prose_references_link_to_meetings_in_the_archive() {
    // "referat fra møte 23.02.2017" in the June minutes of the same body.
    let june = site().page(RG_2017_06_01);
    assert!(
        june.contains(r#"<a href="../../moter/2017-02-23-radmannsgruppen/">møte 23.02.2017</a>"#),
        "link to the February meeting"
    );
    // "styringsgruppens behandling i møte 16.3.2017, sak 06/2017": Styringsgruppen's
    // meeting is not in the archive, so this stays text even though Rådmannsgruppen
    // has a sak 06/2017.
    assert!(!june.contains("#sak-06-2017"));
}

#[test]
fn compound_meeting_words_of_the_seed_link_to_the_meeting_meant() {
    // "i nytt ordførermøte 14.06.2018": the mayors' meeting of that day, which
    // the archive holds; the notice's mistyped "14.06.201." stays text.
    let minutes = site().page(KHS_MINUTES);
    assert!(minutes.contains(
        r#"<a href="../../moter/2018-06-14-khs-ordforermote/">ordførermøte 14.06.2018</a>"#
    ));
    assert!(
        site()
            .page(KHS_NOTICE)
            .contains("i nytt ordførermøte 14.06.201. ")
    );
    // A thread: "Ordførermøtet vedtok 14.06.2018".
    let thread = site().page("saker/khs-videreforing/index.html");
    assert!(thread.contains(
        r#"<a href="../../moter/2018-06-14-khs-ordforermote/">Ordførermøtet vedtok 14.06.2018</a>"#
    ));
}

#[test]
fn one_person_written_two_ways_is_one_person() {
    // people.yaml joins "Kjersti B. Hulbakk" (absent 23.02.2017) and
    // "Kjersti Bærug Hulbakk" (present 01.06.2017).
    let page = site().page("kommuner/buskerud/index.html");
    let people = text(between(&page, "<h2>Personer som har representert", "</ul>"));
    assert_eq!(
        people,
        "Personer som har representert Buskerud fylkeskommune \
         Kjersti Bærug Hulbakk (også skrevet Kjersti B. Hulbakk) – til stede på 1 møte, forfall til 1"
    );
}

#[test]
fn a_notice_shows_the_earlier_treatment_of_its_items() {
    // What an invitation links to: the notice's item 01/2018 with the steps before it.
    let notice = site().page(KHS_NOTICE);
    let aside = between(&notice, "id=\"sak-01-2018\"", "</ol>");
    assert!(
        aside.contains(">Tidligere behandling: <a href=\"../../../saker/khs-videreforing/\">"),
        "{aside}"
    );
    assert!(aside.contains(
        r##"<a href="../../../moter/2017-02-23-radmannsgruppen/#sak-04-2017">Sak 04/2017</a>"##
    ));
    assert!(aside.contains(
        r##"<a href="../../../moter/2017-06-01-radmannsgruppen/#sak-17-2017">Sak 17/2017</a>"##
    ));
    assert!(aside.contains(
        "<strong>Sak 01/2018 (innkalling)</strong> <span class=\"denne-merke\">denne saken</span>"
    ));
    assert!(
        !aside.contains("ordforermote/#sak-01-2018"),
        "later steps are left to the thread page"
    );
    // The minutes, the mayors' decision and the two steps after it.
    assert!(aside.contains(">4 senere behandlinger</a>"), "{aside}");
}
