//! The drawings of the default theme: a thread's course, a municipality's
//! attendance over time and a body's attendance matrix, each with its text.
//! Built from `tests/fixtures/drawings/`: Lyngvik is present at the
//! Samarbeidsutvalget's meeting of 10 January 2024, sends a substitute on 14
//! February, sends apologies on 20 March, is not listed on 24 April and is
//! present again on 12 June; the
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

/// The marks of one drawing or table row: (status, letter, words).
fn marks(html: &str, open: &str) -> Vec<(String, String, String)> {
    html.split(open)
        .skip(1)
        .map(|m| {
            let status = m[..m.find('"').unwrap()].to_string();
            let words = between(m, "<span class=\"skjult\">", "</span>");
            // The mark itself is empty but for its words: the theme draws the letter.
            assert!(
                m.starts_with(&format!("{status}\"><span class=\"skjult\">")),
                "{m}"
            );
            (status.clone(), drawn_letter(&status), text(words))
        })
        .collect()
}

/// The letter the default theme's style.css draws in a mark of `status` in a
/// strip and in the matrix (once per state, not once per mark on the page),
/// and that it is not read aloud: the words beside it say the same.
fn drawn_letter(status: &str) -> String {
    let css = std::fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    let start = format!(".merker .m-{status}::before, .matrise .m-{status}::before {{ content: \"");
    let rule = css
        .lines()
        .find_map(|l| l.strip_prefix(start.as_str()))
        .unwrap_or_else(|| panic!("no letter for {status} in style.css"));
    let letter = &rule[..rule.find('"').unwrap()];
    assert!(
        rule.contains(&format!("content: \"{letter}\" / \"\"; }}")),
        "{rule}"
    );
    letter.to_string()
}

fn strip<'a>(page: &'a str, body: &str) -> &'a str {
    let found = page
        .split("<div class=\"stripe\">")
        .skip(1)
        .find(|s| s.contains(&format!(">{body}</a>")))
        .unwrap_or_else(|| panic!("no strip for {body}"));
    &found[..found.find("</ol>").unwrap()]
}

#[test]
fn a_municipalitys_strip_has_a_mark_per_meeting_in_shape_letter_and_words() {
    let page = site().page("kommuner/lyngvik/index.html");
    let utvalget = strip(&page, "Samarbeidsutvalget");
    assert!(
        text(utvalget).contains("Samarbeidsutvalget 5 møter, 10.01.2024–12.06.2024"),
        "{utvalget}"
    );
    let got = marks(utvalget, "<li class=\"m m-");
    let want = [
        ("present", "T", "10.01.2024: til stede"),
        ("substitute", "V", "14.02.2024: møtt med vara"),
        ("absent", "F", "20.03.2024: forfall"),
        ("missing", "–", "24.04.2024: ikke ført opp"),
        ("present", "T", "12.06.2024: til stede"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    let styret = strip(&page, "Styret for samarbeidet");
    assert_eq!(marks(styret, "<li class=\"m m-").len(), 1);
    // The legend explains every letter and shape.
    let legend = text(between(&page, "<p class=\"tegnforklaring liten\">", "</p>"));
    assert!(legend.contains("T til stede, V møtt med vara, F forfall, – ikke ført opp, ? møtet har ingen oppmøteliste"), "{legend}");
}

#[test]
fn a_municipalitys_tables_carry_the_same_facts_as_its_strip() {
    let page = site().page("kommuner/lyngvik/index.html");
    let rates = text(between(
        &page,
        "<caption>Oppmøte per organ</caption>",
        "</table>",
    ));
    assert!(rates.contains("Samarbeidsutvalget 4 2 1 1 75 %"), "{rates}");
    let rows = between(
        &page,
        "<caption>Oppmøte møte for møte</caption>",
        "</table>",
    );
    for (status, date, words) in [
        ("present", "10.01.2024", "Til stede Sigrid Aasen"),
        (
            "substitute",
            "14.02.2024",
            "Møtt med vara Kari Lund for Sigrid Aasen",
        ),
        ("absent", "20.03.2024", "Forfall Sigrid Aasen"),
        ("present", "12.06.2024", "Til stede Sigrid Aasen"),
    ] {
        let row = rows
            .split(&format!("<tr class=\"{status}\">"))
            .skip(1)
            .map(|r| text(&r[..r.find("</tr>").unwrap()]))
            .find(|r| r.contains(date))
            .unwrap_or_else(|| panic!("no {status} row for {date} in {rows}"));
        assert!(row.contains(words), "{row}");
    }
    // Not listed on 24 April: no row, the strip says it.
    assert!(!rows.contains("24.04.2024"));
}

#[test]
fn a_body_page_has_an_attendance_matrix_of_municipalities_and_meetings() {
    let page = site().page("organer/utvalget/index.html");
    let matrix = between(
        &page,
        "<div class=\"tabell matrise-boks\" role=\"region\" tabindex=\"0\"",
        "</table>",
    );
    assert!(
        matrix.contains("aria-label=\"Oppmøte i 2024, kommune for kommune\""),
        "{matrix}"
    );
    assert!(matrix.contains("<caption>Oppmøte i 2024</caption>"));
    let heads: Vec<String> = matrix
        .split("<th scope=\"col\">")
        .skip(2)
        .map(|h| text(&h[..h.find("</th>").unwrap()]))
        .collect();
    assert_eq!(heads, ["10.01.", "14.02.", "20.03.", "24.04.", "12.06."]);
    assert!(matrix.contains("<time datetime=\"2024-02-14\">14.02.</time>"));
    let row = |name: &str| {
        let r = matrix
            .split("<tr><th scope=\"row\">")
            .skip(1)
            .find(|r| r.contains(&format!(">{name}</a></th>")))
            .unwrap_or_else(|| panic!("no row {name}"));
        marks(&r[..r.find("</tr>").unwrap()], "<td><span class=\"m m-")
    };
    let lyngvik: Vec<(String, String)> = row("Lyngvik")
        .into_iter()
        .map(|(s, l, w)| (s, format!("{l} {w}")))
        .collect();
    assert_eq!(
        lyngvik,
        [
            ("present".to_string(), "T til stede".to_string()),
            ("substitute".to_string(), "V møtt med vara".to_string()),
            ("absent".to_string(), "F forfall".to_string()),
            ("missing".to_string(), "– ikke ført opp".to_string()),
            ("present".to_string(), "T til stede".to_string()),
        ]
    );
    let nesodden: Vec<String> = row("Nesodden").into_iter().map(|(s, _, _)| s).collect();
    assert_eq!(
        nesodden,
        ["present", "absent", "present", "absent", "missing"]
    );
    // Rows in Norwegian name order, every municipality listed at some meeting.
    let at = |n: &str| matrix.find(&format!(">{n}</a></th>")).unwrap();
    assert!(at("Bergvoll") < at("Lyngvik") && at("Lyngvik") < at("Nesodden"));
    assert_eq!(matrix.matches("<tr><th scope=\"row\">").count(), 3);
    // The styre's meeting has Lyngvik alone.
    let styret = site().page("organer/styret/index.html");
    assert_eq!(styret.matches("<td><span class=\"m m-").count(), 1);
}

/// One body with `meetings` meetings, 50 a year, and eight municipalities that
/// take turns being present, sending a substitute, apologies, or nothing.
fn write_archive(root: &Path, meetings: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("meetings")).unwrap();
    std::fs::write(
        content.join("bodies.yaml"),
        "- id: rg\n  name: Rådmannsgruppen\n",
    )
    .unwrap();
    let mut municipalities = String::new();
    for k in 0..8 {
        writeln!(municipalities, "- id: k{k}\n  name: Kommune {k}").unwrap();
    }
    std::fs::write(content.join("municipalities.yaml"), municipalities).unwrap();
    for i in 0..meetings {
        let year = 2010 + i / 50;
        let (month, day) = (1 + (i % 50) / 5, 1 + (i % 5) * 5);
        let (mut present, mut absent) = (String::new(), String::new());
        for k in 0..8 {
            match (i + k) % 4 {
                0 => writeln!(present, "  - {{ name: Leder {k}, municipality: k{k} }}").unwrap(),
                1 => writeln!(
                    present,
                    "  - {{ name: Vara {k}, municipality: k{k}, for: Leder {k} }}"
                )
                .unwrap(),
                2 => writeln!(absent, "  - {{ name: Leder {k}, municipality: k{k} }}").unwrap(),
                _ => {}
            }
        }
        let md = format!(
            "---\nbody: rg\ndocument: minutes\ndate: {year}-{month:02}-{day:02}\npresent:\n{present}absent:\n{absent}---\n## Sak 1/{year} Orientering\n\n### Vedtak\n\nTatt til orientering.\n"
        );
        std::fs::write(
            content.join(format!("meetings/{year}-{month:02}-{day:02}-rg.md")),
            md,
        )
        .unwrap();
    }
}

#[test]
fn the_matrix_of_a_200_meeting_body_is_the_newest_12_and_one_page_per_year() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 200);
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    let cells = |page: &str| page.matches("<td><span class=\"m m-").count();
    let columns = |page: &str| {
        between(page, "<table class=\"matrise\">", "</thead>")
            .matches("<th scope=\"col\"><a")
            .count()
    };
    let body = b.page("organer/rg/index.html");
    assert_eq!(columns(&body), 12, "the 12 newest meetings");
    assert_eq!(cells(&body), 12 * 8);
    assert!(body.contains("<caption>Oppmøte på de 12 siste møtene</caption>"));
    assert!(
        body.contains("<time datetime=\"2013-10-21\">21.10.13</time>"),
        "the newest meeting, with its year"
    );
    for year in 2010..=2013 {
        let page = b.page(&format!("organer/rg/{year}/index.html"));
        assert_eq!(columns(&page), 50, "{year}");
        assert_eq!(cells(&page), 50 * 8, "{year}");
        assert!(page.contains(&format!("<caption>Oppmøte i {year}</caption>")));
    }
    // A municipality page draws the newest 60 meetings per body; its year pages
    // all of the year's. Kommune 2 is listed at the first and the last meeting.
    let k2 = b.page("kommuner/k2/index.html");
    let strip_k2 = strip(&k2, "Rådmannsgruppen");
    assert_eq!(marks(strip_k2, "<li class=\"m m-").len(), 60);
    assert!(
        text(strip_k2).contains("de 60 siste av 200 møter"),
        "{strip_k2}"
    );
    let k2_2011 = b.page("kommuner/k2/2011/index.html");
    assert_eq!(
        marks(strip(&k2_2011, "Rådmannsgruppen"), "<li class=\"m m-").len(),
        50
    );
}

/// Found in review: the seed's BPA thread has three steps and a lane named
/// «Ordførermøtet i Kommunehelsesamarbeidet» (39 characters, 350 px in bold
/// 14 px DejaVu Sans from x = 12); the drawing was 360 px wide, so the name's
/// last letter was cut. The drawing is as wide as its longest lane name at
/// 10 px a character, and a 200-character name is never cut.
#[test]
fn the_thread_drawing_is_wide_enough_for_its_longest_lane_name() {
    let b = build(&repo());
    assert!(b.success, "{}", b.stderr);
    let page = b.page("saker/bpa/index.html");
    let svg = between(&page, "<svg class=\"tidslinje-tegning\"", ">");
    let width: u32 = svg
        .split(" width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let name = "Ordførermøtet i Kommunehelsesamarbeidet";
    assert!(
        page.contains(&format!(
            "<text class=\"bane-navn\" x=\"12\" y=\"119\">{name}</text>"
        )),
        "{page}"
    );
    assert!(width >= 12 + 10 * name.chars().count() as u32 + 12, "{svg}");
}
