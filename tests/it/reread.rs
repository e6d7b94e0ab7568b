//! `serve` reads the archive again after every change, taking what did not
//! change from what it kept (`build::reread`): after any series of edits,
//! additions and deletions the result must be what a fresh reading gives,
//! page for page and message for message, and an edit of one meeting must
//! cost that meeting, not the archive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use saksgang::build::{self, Clock, Kept, Reading};
use saksgang::diag;
use saksgang::render::{Edition, Renderer};

use crate::support::{copy_dir, repo};

const MEETING: &str = "content/meetings/2017/2017-06-01-radmannsgruppen.md";
const OTHER: &str = "content/meetings/2017/2017-02-23-radmannsgruppen.md";

/// Every page of the site of a reading, and its messages.
fn site(root: &Path, reading: Reading) -> (BTreeMap<String, Vec<u8>>, String) {
    let mut diagnostics = reading.diagnostics;
    let theme = build::load_theme(root, &reading.archive, &mut diagnostics);
    let messages = diag::render(&diagnostics, &reading.sources, false);
    if diagnostics.iter().any(|d| d.is_error()) {
        return (BTreeMap::new(), messages);
    }
    let r = Renderer::new(
        &reading.archive,
        &reading.sources,
        &theme,
        Edition::Web,
        None,
    )
    .unwrap_or_else(|_| panic!("templates compile"));
    let pages = match r.plan() {
        Ok(plan) => plan
            .iter()
            .map(|(p, t)| {
                (
                    p.clone(),
                    r.render(p, t).map(|p| p.bytes).unwrap_or_default(),
                )
            })
            .collect(),
        Err(_) => BTreeMap::new(),
    };
    (pages, messages)
}

fn fresh(root: &Path) -> (BTreeMap<String, Vec<u8>>, String) {
    let reading = build::reread(
        root,
        &mut Kept::default(),
        &BTreeSet::new(),
        &mut Clock::new(),
    );
    site(root, reading)
}

/// Reads again with what was kept and compares with a fresh reading.
fn same_as_fresh(root: &Path, kept: &mut Kept, changed: &[&str], step: &str) -> usize {
    let changed: BTreeSet<PathBuf> = changed.iter().map(|c| root.join(c)).collect();
    let reading = build::reread(root, kept, &changed, &mut Clock::new());
    let read = reading.read.len();
    let (pages, messages) = site(root, reading);
    let (want_pages, want_messages) = fresh(root);
    assert_eq!(messages, want_messages, "{step}: the messages differ");
    let keys: Vec<&String> = pages.keys().collect();
    let want_keys: Vec<&String> = want_pages.keys().collect();
    assert_eq!(keys, want_keys, "{step}: the pages differ");
    for (path, bytes) in &want_pages {
        assert!(
            pages[path] == *bytes,
            "{step}: {path} differs from a fresh reading"
        );
    }
    read
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel}: {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn reading_again_after_edits_additions_and_deletions_gives_what_a_fresh_reading_gives() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let mut kept = Kept::default();
    let documents = same_as_fresh(&root, &mut kept, &[], "first reading");
    assert!(documents >= 5, "{documents}");

    // One meeting's place: that file is read, and only its text is scanned.
    edit(
        &root,
        MEETING,
        "place: Drammen rådhus",
        "place: Lampeland skole",
    );
    assert_eq!(same_as_fresh(&root, &mut kept, &[MEETING], "an edit"), 1);
    assert_eq!(kept.links_scanned(), 1);
    // Unchanged: nothing is read (the stamp tells), nothing scanned.
    assert_eq!(same_as_fresh(&root, &mut kept, &[], "nothing changed"), 0);
    assert_eq!(kept.links_scanned(), 0);

    // A new reference in one meeting's text, to an item of another.
    edit(
        &root,
        OTHER,
        "\n## ",
        "\nSe også rådmannsgruppens møte 01.06.2017, sak 17/2017.\n\n## ",
    );
    same_as_fresh(&root, &mut kept, &[OTHER], "a new reference");

    // An item number changes: references to it elsewhere must follow.
    edit(&root, MEETING, "## Sak 17/2017", "## Sak 27/2017");
    edit(&root, MEETING, "\"17/2017\": {", "\"27/2017\": {");
    same_as_fresh(&root, &mut kept, &[MEETING], "an item renumbered");
    edit(&root, MEETING, "## Sak 27/2017", "## Sak 17/2017");
    edit(&root, MEETING, "\"27/2017\": {", "\"17/2017\": {");
    same_as_fresh(&root, &mut kept, &[MEETING], "and back");

    // A meeting added (before others in path order), then deleted.
    let added = "content/meetings/2017/2017-01-05-radmannsgruppen.md";
    let text = std::fs::read_to_string(root.join(OTHER))
        .unwrap()
        .replace("2017-02-23", "2017-01-05");
    std::fs::write(root.join(added), text).unwrap();
    same_as_fresh(&root, &mut kept, &[added], "a meeting added");
    std::fs::remove_file(root.join(added)).unwrap();
    same_as_fresh(&root, &mut kept, &[added], "a meeting deleted");

    // A new newest meeting, after every other in path order: only its own
    // text is scanned; no other document asked for its date, its item or its
    // path, so what their scans found still holds.
    let newest = "content/meetings/2019/2019-03-01-radmannsgruppen.md";
    std::fs::create_dir_all(root.join("content/meetings/2019")).unwrap();
    std::fs::write(
        root.join(newest),
        "---\nbody: radmannsgruppen\ndocument: minutes\ndate: 2019-03-01\n---\n\n\
         ## Sak 01/2019 Noe nytt\n\nSe rådmannsgruppens møte 23.02.2017.\n",
    )
    .unwrap();
    assert_eq!(
        same_as_fresh(&root, &mut kept, &[newest], "a newest meeting"),
        1
    );
    assert_eq!(kept.links_scanned(), 1);
    // One with the items of an earlier meeting: a reference elsewhere to one
    // of those items may now mean either, so the documents that looked the
    // items up are scanned again, and only those.
    let twin = "content/meetings/2019/2019-04-04-radmannsgruppen.md";
    let text = std::fs::read_to_string(root.join(OTHER))
        .unwrap()
        .replace("2017-02-23", "2019-04-04");
    std::fs::write(root.join(twin), text).unwrap();
    same_as_fresh(&root, &mut kept, &[twin], "a meeting with the same items");
    let scanned = kept.links_scanned();
    assert!(
        scanned > 1 && scanned < documents,
        "{scanned} of {documents}"
    );
    for gone in [twin, newest] {
        std::fs::remove_file(root.join(gone)).unwrap();
        same_as_fresh(&root, &mut kept, &[gone], "a newest meeting deleted");
    }

    // A mistake and its fix.
    edit(
        &root,
        MEETING,
        "place: Lampeland skole",
        "place: [Lampeland skole",
    );
    same_as_fresh(&root, &mut kept, &[MEETING], "a mistake");
    edit(
        &root,
        MEETING,
        "place: [Lampeland skole",
        "place: Lampeland skole",
    );
    same_as_fresh(&root, &mut kept, &[MEETING], "its fix");

    // The lists and a thread: everything is read again.
    let threads: Vec<PathBuf> = std::fs::read_dir(root.join("content/threads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let thread = threads[0]
        .strip_prefix(&root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(&threads[0]).unwrap();
    std::fs::write(&threads[0], format!("{text}\nEn linje til.\n")).unwrap();
    assert_eq!(
        same_as_fresh(&root, &mut kept, &[&thread], "a thread edited"),
        documents
    );
    edit(&root, "content/bodies.yaml", "name: ", "name: Nye ");
    same_as_fresh(&root, &mut kept, &["content/bodies.yaml"], "a body renamed");

    // Edited without the watcher noticing (the stamp tells).
    edit(&root, MEETING, "place: Lampeland skole", "place: Sande");
    assert_eq!(same_as_fresh(&root, &mut kept, &[], "an edit unseen"), 1);
}
