//! Nothing in `content/` is left out without a word: files saksgang does not
//! read get a warning naming them and saying what to do, and no symlink is
//! followed, so nothing outside the archive can be published through one.

use crate::support::{build, copy_dir, fixture};

#[cfg(unix)]
#[test]
fn files_that_are_not_read_are_named_and_symlinks_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    let content = root.join("content");
    let year = content.join("meetings/2006");
    let meeting = std::fs::read_to_string(year.join("2006-02-01-tr.md")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(content.join(path), text).unwrap();
    write(
        "meetings/2006/2006-04-01-tr.MD",
        &meeting.replace("2006-02-01", "2006-04-01"),
    );
    write("meetings/2006/notat.md.txt", "x");
    write("meetings/2006/gammel.markdown", "x");
    write("meetings/2006/vedlegg.pdf", "x");
    write("threads/notat.txt", "x");
    write("README.md", "x");
    write("bodies.yml", "x");
    write("2006-05-01-tr.md", "x");
    // Skipped silently: hidden files and editor backups.
    write(".gitkeep", "");
    write("meetings/2006/.DS_Store", "x");
    write("meetings/2006/2006-02-01-tr.md~", "x");
    std::fs::create_dir(content.join("meetings/.git")).unwrap();
    write("meetings/.git/HEAD", "x");
    // A meeting outside the archive, linked in: it must not be published.
    let outside = dir.path().join("hemmelig.md");
    std::fs::write(
        &outside,
        meeting
            .replace("2006-02-01", "2006-06-01")
            .replace("Godkjenning", "HEMMELIG-TEKST Godkjenning"),
    )
    .unwrap();
    use std::os::unix::fs::symlink as link;
    link(&outside, year.join("2006-06-01-tr.md")).unwrap();
    link(dir.path(), content.join("meetings/ute")).unwrap();
    link(year.join("finnes-ikke.md"), year.join("2006-07-01-tr.md")).unwrap();
    link(
        content.join("threads/forvaltningsreformen.md"),
        content.join("threads/kopi.md"),
    )
    .unwrap();

    let b = build(&root);
    assert!(b.success, "{}", b.stderr);
    let err = &b.stderr;
    for (file, help) in [
        (
            "content/meetings/2006/2006-04-01-tr.MD blir ikke lest",
            "endre navnet til «2006-04-01-tr.md»",
        ),
        (
            "content/meetings/2006/notat.md.txt blir ikke lest",
            "endre navnet til «notat.md»",
        ),
        (
            "content/meetings/2006/gammel.markdown blir ikke lest",
            "endre navnet til «gammel.md»",
        ),
        (
            "content/meetings/2006/vedlegg.pdf blir ikke lest",
            "flytt andre filer ut av content/",
        ),
        (
            "content/threads/notat.txt blir ikke lest",
            "flytt andre filer ut av content/",
        ),
        ("content/README.md blir ikke lest", "content/meetings/ÅÅÅÅ/"),
        (
            "content/2006-05-01-tr.md blir ikke lest",
            "content/meetings/ÅÅÅÅ/",
        ),
        (
            "content/bodies.yml blir ikke lest",
            "mente du «bodies.yaml»?",
        ),
        (
            "content/meetings/2006/2006-06-01-tr.md er en snarvei (symbolsk lenke) som peker ut av arkivet",
            "saksgang leser ikke filer utenfor content/",
        ),
        (
            "content/meetings/ute er en snarvei (symbolsk lenke) som peker ut av arkivet",
            "",
        ),
        (
            "content/meetings/2006/2006-07-01-tr.md er en snarvei (symbolsk lenke) som peker på noe som ikke finnes",
            "",
        ),
        (
            "content/threads/kopi.md er en snarvei (symbolsk lenke) som peker til et annet sted i arkivet",
            "saksgang følger ikke snarveier",
        ),
    ] {
        assert!(err.contains(file), "{file}:\n{err}");
        assert!(err.contains(help), "{help}:\n{err}");
    }
    for quiet in [".gitkeep", ".DS_Store", "tr.md~", ".git"] {
        assert!(!err.contains(quiet), "{quiet}:\n{err}");
    }
    assert!(!b.has("moter/2006-06-01-tr/index.html"));
    assert!(!b.has("moter/2006-04-01-tr/index.html"));
    assert!(!b.has("saker/kopi/index.html"));
    for page in crate::support::html_files(&b.out) {
        assert!(!b.page(&page).contains("HEMMELIG-TEKST"), "{page}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_settings_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    let site = root.join("content/site.yaml");
    std::fs::rename(&site, dir.path().join("site.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("site.yaml"), &site).unwrap();
    let b = build(&root);
    assert!(!b.success);
    assert!(
        b.stderr.contains(
            "content/site.yaml er en snarvei (symbolsk lenke); saksgang følger ikke snarveier"
        ),
        "{}",
        b.stderr
    );
}
