//! Lists that would grow with the archive are split by year, so that no page
//! grows with it. Built from an archive written by the test: 90 meetings of one
//! body over three years, each attended by the same municipality.

use std::fmt::Write as _;
use std::path::Path;

use crate::support::{build, text};

pub(crate) fn write_archive(root: &Path, meetings: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("meetings")).unwrap();
    std::fs::write(
        content.join("bodies.yaml"),
        "- id: rg\n  name: Rådmannsgruppen\n",
    )
    .unwrap();
    std::fs::write(
        content.join("municipalities.yaml"),
        "- id: asker\n  name: Asker\n- id: lier\n  name: Lier\n",
    )
    .unwrap();
    for i in 0..meetings {
        let year = 2015 + i / 30;
        let (month, day) = (1 + (i % 30) / 3, 1 + (i % 3) * 9);
        let mut md = String::new();
        writeln!(
            md,
            "---\nbody: rg\ndocument: minutes\ndate: {year}-{month:02}-{day:02}"
        )
        .unwrap();
        writeln!(
            md,
            "present:\n  - {{ name: Ola Asker, municipality: asker }}"
        )
        .unwrap();
        writeln!(
            md,
            "absent:\n  - {{ name: Kari Lier, municipality: lier }}\n---"
        )
        .unwrap();
        writeln!(md, "## Sak {}/{year} Sak i Asker\n\nAsker orienterte.\n\n### Vedtak\n\nTatt til orientering.", i % 30 + 1).unwrap();
        std::fs::write(
            content.join(format!("meetings/{year}-{month:02}-{day:02}-rg.md")),
            md,
        )
        .unwrap();
    }
}

#[test]
fn long_lists_are_split_by_year() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 90);
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);

    // /moter/ shows the newest meetings and links to one page per year.
    let meetings = b.page("moter/index.html");
    assert_eq!(
        meetings.matches("-rg/\">Rådmannsgruppen, <time").count(),
        20,
        "the 20 newest"
    );
    for year in [2015, 2016, 2017] {
        assert!(
            meetings.contains(&format!("<a href=\"../moter/{year}/\">{year}</a>")),
            "{year}"
        );
    }
    let y2016 = b.page("moter/2016/index.html");
    assert_eq!(y2016.matches("<time datetime=\"2016-").count(), 30);
    assert!(!y2016.contains("datetime=\"2015-"));

    // The body and the municipality pages summarise, and their year pages list.
    let body = b.page("organer/rg/index.html");
    assert!(body.contains("<a href=\"../../organer/rg/2017/\">2017</a>"));
    let body_year = text(&b.page("organer/rg/2017/index.html"));
    assert!(body_year.contains("Ola Asker Asker 30"), "{body_year}");
    let asker = b.page("kommuner/asker/index.html");
    assert!(text(&asker).contains("Asker er ført opp på 90 møter"));
    assert!(text(&asker).contains("Rådmannsgruppen 90 90 0 0 100 %"));
    let asker_2015 = b.page("kommuner/asker/2015/index.html");
    assert_eq!(asker_2015.matches("<tr class=\"present\">").count(), 30);
    let lier_2015 = b.page("kommuner/lier/2015/index.html");
    assert_eq!(lier_2015.matches("<tr class=\"absent\">").count(), 30);
}

#[test]
fn small_archives_have_no_year_pages() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 12);
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    assert!(!b.has("moter/2015/index.html"));
    assert!(!b.has("kommuner/asker/2015/index.html"));
    assert_eq!(
        b.page("moter/index.html")
            .matches("<time datetime=\"2015-")
            .count(),
        12
    );
}

#[test]
fn no_page_grows_with_the_archive() {
    let largest = |meetings: usize| {
        let dir = tempfile::tempdir().unwrap();
        write_archive(dir.path(), meetings);
        let b = build(dir.path());
        assert!(b.success, "{}", b.stderr);
        walkdir::WalkDir::new(&b.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| e.metadata().unwrap().len())
            .max()
            .unwrap()
    };
    // Three times the meetings (over three times the years): the largest page
    // stays within a few per cent, where one list of every meeting would triple.
    let (small, big) = (largest(90), largest(270));
    assert!(
        big * 10 < small * 11,
        "largest page {small} B at 90 meetings, {big} B at 270"
    );
}

#[test]
fn the_thread_list_is_paged() {
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 3);
    let threads = dir.path().join("content/threads");
    std::fs::create_dir_all(&threads).unwrap();
    for i in 0..150 {
        std::fs::write(
            threads.join(format!("sak-{i:03}.md")),
            format!("---\ntitle: Sak {i:03}\n---\n"),
        )
        .unwrap();
    }
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    let first = b.page("saker/index.html");
    assert_eq!(first.matches("<td><a href=\"../saker/sak-").count(), 100);
    assert!(first.contains("<a href=\"../saker/side/2/\">Side 2</a>"));
    let second = b.page("saker/side/2/index.html");
    assert_eq!(
        second.matches("<td><a href=\"../../../saker/sak-").count(),
        50
    );
    assert!(second.contains("Sak 149"));
}
