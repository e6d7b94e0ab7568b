//! Incremental builds: with the cache beside the output, a build renders only
//! the pages whose inputs changed and writes only the files whose bytes
//! changed, in place. After any series of edits, additions and deletions the
//! site must be byte for byte what a full build into an empty folder makes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use saksgang::build::{BuildOptions, BuildReport, build};
use saksgang::render::Edition;

use crate::support::{copy_dir, files, repo};

const MEETING: &str = "content/meetings/2017/2017-06-01-radmannsgruppen.md";
const OTHER: &str = "content/meetings/2017/2017-02-23-radmannsgruppen.md";

fn options(root: &Path, out: &Path, full: bool) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
        previous: None,
        edition: Edition::Web,
        bundle: false,
        full,
    }
}

fn run(root: &Path, out: &Path, full: bool) -> BuildReport {
    build(&options(root, out, full)).unwrap_or_else(|f| {
        panic!(
            "the build failed:\n{}",
            saksgang::diag::render(&f.diagnostics, &f.sources, false)
        )
    })
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel}: {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// An archive of the seed content in a temporary folder, and its output.
fn archive() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let out = dir.path().join("public");
    (dir, root, out)
}

/// Builds incrementally into `out` and fully into a fresh folder, and
/// compares every file; returns the incremental build's report.
/// The full build is told of the same published manifest (the one in `out`
/// before), so that it keeps the same addresses that are gone.
fn same_as_full(dir: &Path, root: &Path, out: &Path, step: &str) -> BuildReport {
    let published = dir.join("publisert-manifest.txt");
    std::fs::copy(out.join("manifest.txt"), &published).unwrap();
    let report = run(root, out, false);
    let fresh = dir.join(format!("fersk-{}", step.replace(' ', "-")));
    let full = build(&BuildOptions {
        previous: Some(published),
        ..options(root, &fresh, true)
    })
    .unwrap_or_else(|_| panic!("{step}: the full build failed"));
    let got = files(out);
    let want = files(&fresh);
    let keys: Vec<&String> = got.keys().collect();
    let want_keys: Vec<&String> = want.keys().collect();
    assert_eq!(keys, want_keys, "{step}: the files differ");
    for (path, bytes) in &want {
        assert!(
            got[path] == *bytes,
            "{step}: {path} differs from a full build"
        );
    }
    assert_eq!(report.written.files, full.written.files, "{step}");
    std::fs::remove_dir_all(&fresh).unwrap();
    report
}

#[test]
fn after_each_edit_addition_and_deletion_the_site_is_what_a_full_build_makes() {
    let (dir, root, out) = archive();
    let dir = dir.path();
    let first = run(&root, &out, false);
    assert!(!first.in_place, "no cache yet: a whole site");
    let pages = first.written.pages;
    assert!(pages > 50, "{pages}");
    let documents = first.parsed;
    assert!(documents > 2, "{documents}");

    let step = |name: &str, in_place: bool| {
        let r = same_as_full(dir, &root, &out, name);
        assert_eq!(r.in_place, in_place, "{name}");
        r
    };
    edit(
        &root,
        MEETING,
        "\n## ",
        "\nEn ny setning i referatet.\n\n## ",
    );
    let r = step("a meeting's text", true);
    assert!(r.rendered > 0 && r.rendered < pages / 4, "{}", r.rendered);
    assert_eq!(r.parsed, 1, "only the edited document is parsed again");
    assert!(r.written.written > 0 && r.written.written < r.written.files / 4);
    edit(
        &root,
        MEETING,
        "title: \"Referat fra møte",
        "title: \"Referatet fra møte",
    );
    assert_eq!(step("a title", true).parsed, 1);
    edit(
        &root,
        MEETING,
        "name: Tuss Benum",
        "name: Tuss Benum-Hansen",
    );
    assert_eq!(step("an attendee", true).parsed, 1);
    let thread = std::fs::read_dir(root.join("content/threads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&thread).unwrap();
    std::fs::write(&thread, format!("{text}\nEn linje til.\n")).unwrap();
    // A thread is read before the documents, which are resolved against it.
    assert_eq!(step("a thread", true).parsed, documents);
    let added = "content/meetings/2017/2017-01-05-radmannsgruppen.md";
    let text = std::fs::read_to_string(root.join(OTHER))
        .unwrap()
        .replace("2017-02-23", "2017-01-05");
    std::fs::write(root.join(added), text).unwrap();
    let r = step("a meeting added", true);
    assert!(r.written.written > 0);
    // The new file comes first by path: every document after it has a new
    // file id, and is read again (ids are in the kept model).
    assert_eq!(r.parsed, documents + 1);
    std::fs::remove_file(root.join(added)).unwrap();
    let r = step("a meeting deleted", true);
    assert!(r.written.removed > 0, "{:?}", r.written);
    assert_eq!(r.parsed, documents, "the ids move back");
    edit(
        &root,
        "content/site.yaml",
        "title: Vestregionens møtearkiv",
        "title: Vestregionens arkiv",
    );
    let r = step("site.yaml", true);
    assert_eq!(r.rendered, pages, "the title is on every page");
    assert_eq!(r.parsed, documents, "site.yaml: every document read again");
    // A theme's template: the cache is for another theme, so a whole site.
    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        std::fs::read_to_string(repo().join("themes/default/templates/404.html"))
            .unwrap()
            .replacen("</", "<!-- eget tema --></", 1),
    )
    .unwrap();
    step("a theme template", false);
    assert_eq!(step("nothing after the theme", true).parsed, 0);
}

/// (modification time, inode) of every file of a site.
fn stamps(out: &Path) -> BTreeMap<String, (std::time::SystemTime, u64)> {
    files(out)
        .into_keys()
        .map(|p| {
            let m = std::fs::metadata(out.join(&p)).unwrap();
            #[cfg(unix)]
            let ino = std::os::unix::fs::MetadataExt::ino(&m);
            #[cfg(not(unix))]
            let ino = 0;
            (p, (m.modified().unwrap(), ino))
        })
        .collect()
}

#[test]
fn an_unchanged_rebuild_renders_and_rewrites_nothing_and_full_renders_all() {
    let (_dir, root, out) = archive();
    let first = run(&root, &out, false);
    let before = stamps(&out);
    let again = run(&root, &out, false);
    assert!(again.in_place);
    assert_eq!(again.rendered, 0);
    assert_eq!(
        again.parsed, 0,
        "every document taken from the kept reading"
    );
    assert_eq!(again.written.written, 0, "{:?}", again.written);
    assert_eq!(again.written.unchanged, first.written.files);
    assert_eq!(
        (
            again.written.files,
            again.written.pages,
            again.written.bytes
        ),
        (
            first.written.files,
            first.written.pages,
            first.written.bytes
        )
    );
    assert_eq!(stamps(&out), before, "no file was touched");
    let kept = out.with_file_name("public.saksgang-lesing");
    let kept_time = std::fs::metadata(&kept).unwrap().modified().unwrap();
    // A file changed by hand in the output is made again.
    let page = out.join("moter/index.html");
    std::fs::write(&page, "endret for hånd").unwrap();
    let r = run(&root, &out, false);
    assert_eq!(r.parsed, 0);
    let unchanged = std::fs::metadata(&kept).unwrap().modified().unwrap();
    assert_eq!(
        unchanged, kept_time,
        "the kept reading was not written again"
    );
    assert_eq!((r.rendered, r.written.written), (1, 1));
    assert_ne!(std::fs::read_to_string(&page).unwrap(), "endret for hånd");
    // --full makes every page again (and still keeps unchanged files' times).
    let full = run(&root, &out, true);
    assert!(!full.in_place);
    assert_eq!(full.rendered, first.rendered);
    assert_eq!(full.parsed, first.parsed, "--full reads everything again");
    assert_eq!(run(&root, &out, false).parsed, 0);
    assert_eq!(full.written.written, 0);
}

#[test]
fn a_missing_damaged_or_foreign_cache_means_a_full_build() {
    let (dir, root, out) = archive();
    let first = run(&root, &out, false);
    let cache = dir.path().join("public.saksgang-cache");
    assert!(cache.is_file());
    let bytes = std::fs::read(&cache).unwrap();
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    std::fs::write(&cache, &damaged).unwrap();
    let r = run(&root, &out, false);
    assert!(!r.in_place && r.rendered == first.rendered);
    std::fs::remove_file(&cache).unwrap();
    let r = run(&root, &out, false);
    assert!(!r.in_place && r.rendered == first.rendered);
    // The cache of another output (the site and cache moved together) is foreign.
    let moved = dir.path().join("flyttet");
    std::fs::rename(&out, &moved).unwrap();
    std::fs::copy(&cache, dir.path().join("flyttet.saksgang-cache")).unwrap();
    let r = run(&root, &moved, false);
    assert!(!r.in_place && r.rendered == first.rendered);
    // Another edition or option is another cache.
    let mut o = options(&root, &moved, false);
    o.bundle = true;
    let r = build(&o).unwrap_or_else(|_| panic!("bundle build"));
    assert!(!r.in_place);
    assert!(run(&root, &moved, false).rendered == first.rendered);
}

#[test]
fn a_missing_damaged_or_foreign_kept_reading_means_reading_everything() {
    let (dir, root, out) = archive();
    let first = run(&root, &out, false);
    let kept = dir.path().join("public.saksgang-lesing");
    assert!(kept.is_file());
    let bytes = std::fs::read(&kept).unwrap();
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    std::fs::write(&kept, &damaged).unwrap();
    assert_eq!(run(&root, &out, false).parsed, first.parsed);
    assert_eq!(run(&root, &out, false).parsed, 0, "kept again");
    std::fs::remove_file(&kept).unwrap();
    assert_eq!(run(&root, &out, false).parsed, first.parsed);
    // The reading of another archive folder (with the same files) is foreign.
    let other = dir.path().join("kopi");
    copy_dir(&root, &other);
    std::fs::copy(&kept, dir.path().join("annet.saksgang-lesing")).unwrap();
    let r = run(&other, &dir.path().join("annet"), false);
    assert_eq!(r.parsed, first.parsed);
    // An edit the size and time of change do not show (the old time put
    // back) still changes the file's inode time: the document is read again,
    // and the site is what a full build makes. (The pages and the search
    // index do not read the texts of unchanged files again.)
    let path = root.join(MEETING);
    let time = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen("Godkjenning av", "Godkjenning at", 1);
    assert_eq!(changed.len(), text.len());
    std::fs::write(&path, changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(time)
        .unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), time);
    let r = same_as_full(dir.path(), &root, &out, "after the hidden edit");
    assert_eq!(r.parsed, 1, "the hidden edit is read again");
    let page =
        std::fs::read_to_string(out.join("moter/2017-06-01-radmannsgruppen/index.html")).unwrap();
    assert!(
        page.contains("Godkjenning at"),
        "the hidden edit is on the page"
    );
}

#[test]
fn a_failed_build_leaves_the_old_site_and_a_stopped_one_is_finished() {
    let (dir, root, out) = archive();
    run(&root, &out, false);
    let before = files(&out);
    let stamps_before = stamps(&out);
    let memo = std::fs::read(dir.path().join("public.saksgang-sok")).unwrap();
    edit(&root, MEETING, "\n## ", "\nEndret.\n\n## ");
    edit(&root, OTHER, "title: ", "title: [");
    let failed = build(&options(&root, &out, false));
    assert!(failed.is_err());
    assert!(files(&out) == before && stamps(&out) == stamps_before);
    assert!(std::fs::read(dir.path().join("public.saksgang-sok")).unwrap() == memo);
    for left in ["public.saksgang-ny", "public.saksgang-journal"] {
        assert!(!dir.path().join(left).exists(), "{left}");
    }
    edit(&root, OTHER, "title: [", "title: ");
    // A build stopped after its commit point: the journal and staged files
    // are there, the site is half done. The next build finishes it.
    let r = run(&root, &out, false);
    assert!(r.in_place && r.written.written > 0);
    let after = files(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(b))
        .map(|(p, _)| p)
        .collect();
    assert!(!changed.is_empty());
    let stage = dir.path().join("public.saksgang-ny");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(stage.join(".saksgang"), "x").unwrap();
    let mut journal = String::from("saksgang-journal 1\n");
    for p in &changed {
        // The old bytes back in the site, the new ones staged.
        let staged = stage.join(p);
        std::fs::create_dir_all(staged.parent().unwrap()).unwrap();
        std::fs::write(&staged, &after[*p]).unwrap();
        std::fs::write(out.join(p), &before[*p]).unwrap();
        journal.push_str(&format!("+{p}\n"));
    }
    journal.push_str("slutt\n");
    std::fs::write(dir.path().join("public.saksgang-journal"), journal).unwrap();
    let r = run(&root, &out, false);
    assert!(files(&out) == after, "the stopped build was finished");
    assert!(
        r.written.recovered.iter().any(|m| m.contains("stoppet")),
        "{:?}",
        r.written.recovered
    );
    assert_eq!(r.written.written, 0, "nothing left to write");
    assert!(!stage.exists() && !dir.path().join("public.saksgang-journal").exists());
    // Stopped before the commit point: staged files but no journal. They go,
    // and the site is as it was.
    std::fs::create_dir_all(stage.join("moter")).unwrap();
    std::fs::write(stage.join(".saksgang"), "x").unwrap();
    std::fs::write(stage.join("moter/index.html"), "halvferdig").unwrap();
    std::fs::write(
        dir.path().join("public.saksgang-journal-ny"),
        "saksgang-journal 1\n+moter/index.html\n",
    )
    .unwrap();
    let r = run(&root, &out, false);
    assert_eq!(r.written.written, 0);
    assert!(files(&out) == after);
    assert!(!stage.exists() && !dir.path().join("public.saksgang-journal-ny").exists());
}

#[test]
fn a_build_that_fails_after_the_reading_leaves_the_kept_reading_as_it_was() {
    let (dir, root, out) = archive();
    run(&root, &out, false);
    let reading = dir.path().join("public.saksgang-lesing");
    let staged = dir.path().join("public.saksgang-lesing.ny");
    let before = std::fs::read(&reading).expect("a build keeps its reading");
    assert!(!staged.exists(), "the reading is put in place");
    // Read whole (a new document), then refused when the pages are planned:
    // an old address in a folder saksgang fills itself.
    edit(
        &root,
        MEETING,
        "place: ",
        "aliases: [/sok/gammel/]\nplace: ",
    );
    let failed = build(&options(&root, &out, false));
    let Err(f) = failed else {
        panic!("an alias under /sok/ was taken")
    };
    let text = saksgang::diag::render(&f.diagnostics, &f.sources, false);
    assert!(text.contains("/sok/"), "{text}");
    assert_eq!(
        std::fs::read(&reading).unwrap(),
        before,
        "the kept reading changed"
    );
    assert!(
        !staged.exists(),
        "a failed build left its reading beside the output"
    );
    edit(&root, MEETING, "aliases: [/sok/gammel/]\n", "");
    assert_eq!(
        run(&root, &out, false).parsed,
        1,
        "the kept reading is still used"
    );
}

/// Whether the search index of the site in `out` has `term` (a term file
/// names it).
fn indexed(out: &Path, term: &str) -> bool {
    let key = format!("{}:", serde_json::to_string(term).unwrap());
    std::fs::read_dir(out.join("sok/t")).unwrap().any(|e| {
        std::fs::read_to_string(e.unwrap().path())
            .unwrap()
            .contains(&key)
    })
}

/// The one term of `word`.
fn term(word: &str) -> String {
    let terms = saksgang::search::Tokenizer::new().terms(word);
    assert_eq!(terms.len(), 1, "{word}: {terms:?}");
    terms[0].clone()
}

#[test]
fn the_search_index_cuts_again_only_the_records_that_changed() {
    let (dir, root, out) = archive();
    let dir = dir.path();
    let first = run(&root, &out, false);
    let records = first.tokenized;
    assert!(records > 50, "{records}");
    assert!(dir.join("public.saksgang-sok").is_file());
    let memo = dir.join("public.saksgang-sok");
    let written = std::fs::metadata(&memo).unwrap().modified().unwrap();
    assert_eq!(run(&root, &out, false).tokenized, 0, "nothing changed");
    let again = std::fs::metadata(&memo).unwrap().modified().unwrap();
    assert_eq!(written, again, "an unchanged memo is not written again");

    // A new word in a meeting's text is found; when it is replaced, the old
    // one is gone (a record's terms taken from the memo would keep it).
    let (old, new) = (term("kvitveisblomstene"), term("tyttebærsyltetøyet"));
    assert!(!indexed(&out, &old) && !indexed(&out, &new));
    edit(
        &root,
        MEETING,
        "\n## ",
        "\nKvitveisblomstene ble nevnt.\n\n## ",
    );
    let r = same_as_full(dir, &root, &out, "a word added");
    let document = r.tokenized;
    assert!(indexed(&out, &old));
    assert!(
        r.tokenized > 0 && r.tokenized < records / 4,
        "{} of {records}",
        r.tokenized
    );
    edit(&root, MEETING, "Kvitveisblomstene", "Tyttebærsyltetøyet");
    let r = same_as_full(dir, &root, &out, "a word replaced");
    assert!(indexed(&out, &new) && !indexed(&out, &old));
    // The records of the document whose file changed (its own and its
    // items'), and no other.
    assert_eq!(r.tokenized, document);
    assert_eq!(run(&root, &out, false).tokenized, 0);

    // A meeting before the others: every later record has a new number.
    let added = "content/meetings/2017/2017-01-05-radmannsgruppen.md";
    let text = std::fs::read_to_string(root.join(OTHER))
        .unwrap()
        .replace("2017-02-23", "2017-01-05")
        .replacen("\n## ", "\nTyttebærsyltetøyet igjen.\n\n## ", 1);
    std::fs::write(root.join(added), text).unwrap();
    let r = same_as_full(dir, &root, &out, "a meeting added");
    // The new document's records and those of the threads it joins.
    assert!(
        r.tokenized > 0 && r.tokenized < records / 2,
        "{} of {records}",
        r.tokenized
    );
    std::fs::remove_file(root.join(added)).unwrap();
    let r = same_as_full(dir, &root, &out, "a meeting deleted");
    // Only the threads it had joined, as they were before (the memo keeps
    // only the last build's records); every document's records are known.
    assert!(r.tokenized < records / 4, "{} of {records}", r.tokenized);
    edit(&root, MEETING, "Tyttebærsyltetøyet", "Blåbær");
    same_as_full(dir, &root, &out, "the word gone");
    assert!(!indexed(&out, &new) && !indexed(&out, &old));
    // --full cuts every record again.
    assert_eq!(run(&root, &out, true).tokenized, records);
}

#[test]
fn a_damaged_or_truncated_search_memo_or_index_file_is_made_again() {
    let (dir, root, out) = archive();
    let dir = dir.path();
    let records = run(&root, &out, false).tokenized;
    let memo = dir.join("public.saksgang-sok");
    let bytes = std::fs::read(&memo).unwrap();
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    std::fs::write(&memo, &damaged).unwrap();
    edit(&root, MEETING, "\n## ", "\nEn ny setning.\n\n## ");
    let r = same_as_full(dir, &root, &out, "a damaged memo");
    assert_eq!(r.tokenized, records);
    let bytes = std::fs::read(&memo).unwrap();
    std::fs::write(&memo, &bytes[..bytes.len() / 2]).unwrap();
    let r = same_as_full(dir, &root, &out, "a truncated memo");
    assert_eq!(r.tokenized, records);
    std::fs::write(&memo, b"").unwrap();
    assert_eq!(
        same_as_full(dir, &root, &out, "an empty memo").tokenized,
        records
    );
    // Index files changed by hand in the output are made again, though the
    // memo knows what they were made from.
    assert_eq!(run(&root, &out, false).tokenized, 0);
    let term_file = std::fs::read_dir(out.join("sok/t"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    for file in [out.join("sok/d/0.js"), term_file] {
        std::fs::write(&file, "endret for hånd").unwrap();
    }
    let r = same_as_full(dir, &root, &out, "index files changed by hand");
    assert!(r.tokenized == 0, "{}", r.tokenized);
}

#[test]
fn a_meeting_added_to_the_newest_year_leaves_the_other_years_pages_alone() {
    // 90 meetings over 2015–2017: the meeting list, the body and both
    // municipalities have year pages.
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let root = dir.join("arkiv");
    crate::scale::write_archive(&root, 90);
    let out = dir.join("public");
    let first = run(&root, &out, false);
    let before = stamps(&out);
    let older = [
        "moter/2015/index.html",
        "moter/2016/index.html",
        "organer/rg/2015/index.html",
        "organer/rg/2016/index.html",
        "kommuner/asker/2015/index.html",
        "kommuner/lier/2016/index.html",
    ];
    for page in older {
        assert!(before.contains_key(page), "{page}");
    }
    let meetings = std::fs::read_to_string(out.join("moter/index.html")).unwrap();
    assert!(
        meetings.contains(">2017</a> <span class=\"liten\">(30)</span>"),
        "the summary counts each year's meetings"
    );

    let text = std::fs::read_to_string(root.join("content/meetings/2017-10-19-rg.md"))
        .unwrap()
        .replace("2017-10-19", "2017-12-28");
    std::fs::write(root.join("content/meetings/2017-12-28-rg.md"), text).unwrap();
    let r = same_as_full(dir, &root, &out, "a meeting added");
    assert!(r.in_place);
    let after = stamps(&out);
    for page in older {
        assert_eq!(after[page], before[page], "{page} was made again");
    }
    let year = std::fs::read_to_string(out.join("moter/2015/index.html")).unwrap();
    assert!(
        year.contains("<a href=\"../../moter/2017/\">2017</a></li>"),
        "a year page links to the other years without their counts"
    );
    let meetings = std::fs::read_to_string(out.join("moter/index.html")).unwrap();
    assert!(meetings.contains(">2017</a> <span class=\"liten\">(31)</span>"));
    for page in ["moter/2017/index.html", "kommuner/asker/2017/index.html"] {
        assert_ne!(after[page], before[page], "{page} lists the new meeting");
    }
    // The new meeting, the lists, the body's and the two municipalities'
    // pages and their pages of 2017: not the hundred pages of the site.
    assert!(
        r.rendered < first.rendered / 5,
        "{} of {} pages made again",
        r.rendered,
        first.rendered
    );
}
