//! A body's page (`/organer/<id>/`) lists every meeting of the body, on the page
//! itself or, in a large archive, through its year pages, and who was present
//! year by year. One person written two ways and joined in `people.yaml` is one
//! member, while each document keeps the name as written.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{attribute_values, build, text};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join("content").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A regional council with a handful of meetings over three years, a working
/// committee that meets once, and a control committee with no meetings yet.
fn small_archive(root: &Path) {
    write(
        root,
        "site.yaml",
        "title: Møtearkiv for Nord-Østerdal\nbase_url: https://example.org/arkiv/\n",
    );
    write(
        root,
        "bodies.yaml",
        "- id: regionradet\n  name: Regionrådet for Nord-Østerdal\n  organisation: Nord-Østerdal\n\
         - id: arbeidsutvalget\n  name: Arbeidsutvalget\n  organisation: Nord-Østerdal\n\
         - id: kontrollutvalget\n  name: Kontrollutvalget\n",
    );
    write(
        root,
        "municipalities.yaml",
        "- id: tynset\n  name: Tynset\n- id: tolga\n  name: Tolga\n- id: os\n  name: Os\n",
    );
    write(
        root,
        "people.yaml",
        "- { name: Runar Kjølstad, aliases: [Runar Kjølstadt] }\n",
    );
    write(
        root,
        "meetings/2023/2023-03-10-regionradet.md",
        "---\nbody: regionradet\ndocument: minutes\ndate: 2023-03-10\nplace: Tynset rådhus\n\
         present:\n  - { name: Bersvend Salbu, municipality: tynset, role: leder }\n\
         \x20 - { name: Ragnhild Aashaug, municipality: tolga }\n\
         \x20 - { name: Eli Sæter Vold, municipality: os, for: Runar Kjølstad }\n\
         absent:\n  - { name: Runar Kjølstad, municipality: os }\n---\n\
         ## Sak 01/2023 Godkjenning av innkalling og saksliste\n\n### Vedtak\n\nGodkjent.\n\n\
         ## Sak 02/2023 Regional transportplan\n\nDaglig leder orienterte om høringen.\n\n\
         ### Vedtak\n\nRegionrådet slutter seg til høringsuttalelsen.\n",
    );
    write(
        root,
        "meetings/2023/2023-11-24-regionradet.md",
        "---\nbody: regionradet\ndocument: minutes\ndate: 2023-11-24\nplace: Os kulturhus\n\
         present:\n  - { name: Bersvend Salbu, municipality: tynset, role: leder }\n\
         \x20 - { name: Ragnhild Aashaug, municipality: tolga }\n\
         \x20 - { name: Runar Kjølstadt, municipality: os }\n---\n\
         ## Sak 14/2023 Budsjett 2024\n\n### Vedtak\n\nBudsjettet vedtas.\n",
    );
    write(
        root,
        "meetings/2024/2024-02-09-regionradet-innkalling.md",
        "---\nbody: regionradet\ndocument: notice\ndate: 2024-02-09\nplace: Tolga samfunnshus\n---\n\
         ## Sak 01/2024 Godkjenning av innkalling\n\n### Forslag til vedtak\n\nInnkallingen godkjennes.\n",
    );
    write(
        root,
        "meetings/2024/2024-05-31-regionradet.md",
        "---\nbody: regionradet\ndocument: minutes\ndate: 2024-05-31\nplace: Tynset rådhus\n\
         present:\n  - { name: Bersvend Salbu, municipality: tynset, role: leder }\n\
         \x20 - { name: Runar Kjølstad, municipality: os }\n---\n\
         ## Sak 09/2024 Årsmelding 2023\n\n### Vedtak\n\nÅrsmeldingen godkjennes.\n",
    );
    write(
        root,
        "meetings/2025/2025-01-17-regionradet-innkalling.md",
        "---\nbody: regionradet\ndocument: notice\ndate: 2025-01-17\nplace: Os kulturhus\n---\n\
         ## Sak 01/2025 Godkjenning av innkalling\n\n### Forslag til vedtak\n\nInnkallingen godkjennes.\n",
    );
    write(
        root,
        "meetings/2024/2024-01-12-arbeidsutvalget.md",
        "---\nbody: arbeidsutvalget\ndocument: minutes\ndate: 2024-01-12\n\
         present:\n  - { name: Ragnhild Aashaug, municipality: tolga }\n---\n\
         ## Sak 01/2024 Forberedelse av regionrådets møte\n\n### Vedtak\n\nTatt til orientering.\n",
    );
}

#[test]
fn a_body_page_lists_every_meeting_and_who_was_present() {
    let dir = tempfile::tempdir().unwrap();
    small_archive(dir.path());
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    let html = b.page("organer/regionradet/index.html");
    let page = text(&html);
    assert!(!page.contains("ingen møter i dette organet"), "{page}");
    let links: BTreeSet<String> = attribute_values(&html, "href")
        .into_iter()
        .filter(|h| h.starts_with("../../moter/20"))
        .collect();
    let expected: BTreeSet<String> = [
        "2023-03-10-regionradet",
        "2023-11-24-regionradet",
        "2024-02-09-regionradet",
        "2024-05-31-regionradet",
        "2025-01-17-regionradet",
    ]
    .iter()
    .map(|s| format!("../../moter/{s}/"))
    .collect();
    assert_eq!(links, expected, "every meeting of the body, no other");
    assert!(page.contains("bare innkalling"), "{page}");

    // Who was present, year by year; a substitute is marked; a year of notices
    // only has no table.
    assert!(
        page.contains(
            "Til stede i 2024 Navn Kommune eller organisasjon Møter \
             Runar Kjølstad Os 1 Bersvend Salbu Tynset 1"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "Til stede i 2023 Navn Kommune eller organisasjon Møter \
             Eli Sæter Vold vara Os 1 Runar Kjølstad Os 1 \
             Ragnhild Aashaug Tolga 2 Bersvend Salbu Tynset 2"
        ),
        "{page}"
    );
    assert!(!page.contains("Til stede i 2025"), "{page}");
    assert!(!page.contains("Bersvend Salbu Tynset 3"), "{page}");

    // A body with no meetings says so.
    let none = text(&b.page("organer/kontrollutvalget/index.html"));
    assert!(
        none.contains("Arkivet har ingen møter i dette organet ennå"),
        "{none}"
    );
}

#[test]
fn a_person_joined_in_people_yaml_is_one_member_written_as_each_document_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    small_archive(dir.path());
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    // One row in the body's table for 2023, under the name of people.yaml.
    let body = text(&b.page("organer/regionradet/index.html"));
    assert_eq!(body.matches("Runar Kjølstad Os 1").count(), 2, "{body}");
    assert!(!body.contains("Kjølstadt"), "{body}");
    // One person on the municipality's page, with the other spelling.
    let os = text(&b.page("kommuner/os/index.html"));
    assert!(
        os.contains(
            "Runar Kjølstad (også skrevet Runar Kjølstadt) – til stede på 2 møter, forfall til 1"
        ),
        "{os}"
    );
    assert_eq!(os.matches("Kjølstadt").count(), 2, "{os}");
    // Each document shows the name as it wrote it.
    let november = text(&b.page("moter/2023-11-24-regionradet/index.html"));
    assert!(november.contains("Runar Kjølstadt"), "{november}");
    let may = text(&b.page("moter/2024-05-31-regionradet/index.html"));
    assert!(
        may.contains("Runar Kjølstad") && !may.contains("Kjølstadt"),
        "{may}"
    );
}

/// 75 meetings of one body over three years (more than one page holds), and
/// the attendance of two municipalities, each with its own representative.
#[test]
fn a_large_body_reaches_every_meeting_through_its_year_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "bodies.yaml",
        "- id: regionradet\n  name: Regionrådet for Nord-Østerdal\n",
    );
    write(
        root,
        "municipalities.yaml",
        "- id: tynset\n  name: Tynset\n- id: tolga\n  name: Tolga\n",
    );
    let mut slugs = BTreeSet::new();
    for i in 0..75 {
        let year = 2021 + i / 25;
        let (month, day) = (1 + (i % 25) / 3, 1 + (i % 3) * 9);
        let date = format!("{year}-{month:02}-{day:02}");
        let tolga = if year == 2022 {
            "Ingrid Haugom"
        } else {
            "Ragnhild Aashaug"
        };
        write(
            root,
            &format!("meetings/{year}/{date}-regionradet.md"),
            &format!(
                "---\nbody: regionradet\ndocument: minutes\ndate: {date}\n\
                 present:\n  - {{ name: Bersvend Salbu, municipality: tynset }}\n\
                 \x20 - {{ name: {tolga}, municipality: tolga }}\n---\n\
                 ## Sak {n}/{year} Referatsaker\n\n### Vedtak\n\nTatt til orientering.\n",
                n = i % 25 + 1
            ),
        );
        slugs.insert(format!("{date}-regionradet"));
    }
    // A year known only from a notice: its page has no table of who was present.
    write(
        root,
        "meetings/2024/2024-01-19-regionradet-innkalling.md",
        "---\nbody: regionradet\ndocument: notice\ndate: 2024-01-19\n---\n\
         ## Sak 1/2024 Godkjenning av innkalling\n\n### Forslag til vedtak\n\nGodkjent.\n",
    );
    slugs.insert("2024-01-19-regionradet".to_string());
    let b = build(root);
    assert!(b.success, "{}", b.stderr);
    let html = b.page("organer/regionradet/index.html");
    assert!(
        !text(&html).contains("ingen møter i dette organet"),
        "{html}"
    );
    let years: Vec<String> = attribute_values(&html, "href")
        .into_iter()
        .filter_map(|h| {
            h.strip_prefix("../../organer/regionradet/")
                .map(str::to_string)
        })
        .filter(|h| !h.is_empty())
        .collect();
    assert_eq!(years, ["2024/", "2023/", "2022/", "2021/"], "{html}");
    let mut reached = BTreeSet::new();
    for year in &years {
        let page = b.page(&format!("organer/regionradet/{year}index.html"));
        for href in attribute_values(&page, "href") {
            if let Some(slug) = href.strip_prefix("../../../moter/")
                && !slug.is_empty()
            {
                reached.insert(slug.trim_end_matches('/').to_string());
            }
        }
        let y = year.trim_end_matches('/');
        let members = text(&page);
        if y == "2024" {
            assert!(!members.contains("Til stede i 2024"), "{members}");
            assert!(!page.contains("<table"), "{page}");
            continue;
        }
        let tolga = if y == "2022" {
            "Ingrid Haugom"
        } else {
            "Ragnhild Aashaug"
        };
        assert!(
            members.contains(&format!(
                "Personer ført opp som til stede i {y} Navn Kommune eller organisasjon Møter \
                 {tolga} Tolga 25 Bersvend Salbu Tynset 25"
            )),
            "{members}"
        );
    }
    assert_eq!(
        reached, slugs,
        "every meeting reached through the year pages"
    );
}
