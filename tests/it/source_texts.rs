//! A build keeps the model, not the source texts (`diag::Sources`): each text is
//! read while its document is parsed and resolved, then dropped, and read again
//! (its length and checksum compared) when a page needs it. `serve` keeps them.

use std::collections::BTreeSet;

use saksgang::build::{self, Clock, Kept};
use saksgang::render::{Edition, Renderer};

use crate::support::{copy_dir, repo};

const MEETING: &str = "content/meetings/2017/2017-06-01-radmannsgruppen.md";

#[test]
fn after_reading_a_build_holds_no_source_text_and_serve_holds_them_all() {
    let root = repo();
    let (archive, sources, _) = build::read_archive(&root).expect("the seed archive reads");
    assert!(sources.len() >= 5, "{}", sources.len());
    assert_eq!(sources.resident(), 0, "texts kept after reading");
    // Pages still quote the texts, read again from disk.
    let theme = build::load_theme(&root, &archive, &mut Vec::new());
    let r = Renderer::new(&archive, &sources, &theme, Edition::Web, None)
        .unwrap_or_else(|_| panic!("templates compile"));
    let plan = r.plan().unwrap_or_else(|_| panic!("plan"));
    let (path, task) = plan
        .iter()
        .find(|(p, _)| p.starts_with("moter/2017-06-01"))
        .expect("the meeting's page is planned");
    let page = r.render(path, task).expect("renders");
    let html = String::from_utf8(page.bytes).unwrap();
    // The body's first words, which only the text on disk has.
    assert!(
        html.contains("Godkjenning av innkalling og dagsorden"),
        "{html}"
    );
    assert!(sources.changed().is_empty());
    assert_eq!(sources.resident(), 0, "reading again keeps nothing");

    let reading = build::reread(
        &root,
        &mut Kept::default(),
        &BTreeSet::new(),
        &mut Clock::new(),
    );
    assert_eq!(reading.sources.resident(), reading.sources.len());
}

#[test]
fn a_file_changed_between_reading_and_rendering_is_told_in_norwegian_and_shown_as_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let (archive, sources, _) = build::read_archive(&root).expect("reads");
    let path = root.join(MEETING);
    let text = std::fs::read_to_string(&path).unwrap();
    // Same length, other bytes: the checksum tells.
    let edited = text.replacen("Godkjenning av", "Godkjenning at", 1);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, edited).unwrap();
    let theme = build::load_theme(&root, &archive, &mut Vec::new());
    let r = Renderer::new(&archive, &sources, &theme, Edition::Web, None)
        .unwrap_or_else(|_| panic!("templates compile"));
    let plan = r.plan().unwrap_or_else(|_| panic!("plan"));
    for (p, task) in plan
        .iter()
        .filter(|(p, _)| p.starts_with("moter/2017-06-01"))
    {
        let html = String::from_utf8(r.render(p, task).unwrap().bytes).unwrap();
        assert!(
            !html.contains("Godkjenning at"),
            "{p}: the changed text reached a page"
        );
    }
    let changed = sources.changed();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(
        changed[0].message,
        format!("{MEETING} ble endret mens nettstedet ble bygd")
    );
    assert!(
        changed[0]
            .help
            .as_deref()
            .unwrap()
            .contains("ingenting er skrevet")
    );
}

#[test]
fn a_file_removed_after_reading_is_an_error_of_its_own_in_the_report() {
    // A file emptied once read cannot be quoted: its text is spaces, and the
    // message (which `build` adds to its errors before the site is swapped in) names it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let (_, sources, _) = build::read_archive(&root).expect("reads");
    std::fs::write(root.join(MEETING), "---\n").unwrap();
    let id = (0..sources.len())
        .map(saksgang::diag::FileId)
        .find(|id| {
            sources
                .get(*id)
                .path
                .ends_with("2017-06-01-radmannsgruppen.md")
        })
        .unwrap();
    let text = sources.text(id);
    assert!(text.trim().is_empty(), "{text}");
    let out = saksgang::diag::render(&sources.changed(), &sources, false);
    assert!(
        out.contains("feil: content/meetings/2017/2017-06-01-radmannsgruppen.md ble endret mens nettstedet ble bygd"),
        "{out}"
    );
}

#[test]
fn a_page_known_by_its_fingerprint_is_neither_made_nor_reads_its_text_again() {
    // Every text of the seed archive changed on disk after the reading (same
    // length, other bytes): reading any of them again is noticed.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let (archive, sources, _) = build::read_archive(&root).expect("reads");
    let theme = build::load_theme(&root, &archive, &mut Vec::new());
    let r = Renderer::new(&archive, &sources, &theme, Edition::Web, None)
        .unwrap_or_else(|_| panic!("templates compile"));
    let plan = r.plan().unwrap_or_else(|_| panic!("plan"));
    // The fingerprint of each page as a full build makes it.
    let made: Vec<_> = plan
        .iter()
        .map(|(p, task)| {
            let (f, page) = r.render_unless(p, task, None).expect("renders");
            assert!(page.is_some(), "{p}: not made without a cache");
            f
        })
        .collect();
    for i in 0..sources.len() {
        // Paths are shown relative to the archive's folder.
        let path = root.join(&sources.get(saksgang::diag::FileId(i)).path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains('a'), "{}: no «a»", path.display());
        std::fs::write(&path, text.replace('a', "e")).unwrap();
    }
    // Asked again with those fingerprints known: nothing made, nothing read.
    for ((p, task), f) in plan.iter().zip(&made) {
        let known = |g| g == *f;
        let (g, page) = r.render_unless(p, task, Some(&known)).expect("renders");
        assert_eq!(g, *f, "{p}: the fingerprint without the HTML is another");
        assert!(page.is_none(), "{p}: made again though known");
    }
    assert!(
        sources.changed().is_empty(),
        "a known page read its text again: {:?}",
        sources.changed()
    );
    // Not known: made, and the changed text is noticed (on a thread of its
    // own: each thread keeps the last few texts it read).
    let (p, task) = plan
        .iter()
        .find(|(p, _)| p.starts_with("moter/2017-06-01"))
        .unwrap();
    let page = std::thread::scope(|s| {
        s.spawn(|| {
            r.render_unless(p, task, Some(&|_| false))
                .expect("renders")
                .1
        })
        .join()
        .unwrap()
    });
    assert!(page.is_some());
    assert_eq!(sources.changed().len(), 1, "{:?}", sources.changed());
}
