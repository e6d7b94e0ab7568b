//! The output folder is safe from mistakes and accidents: two builds at once,
//! a build killed half-way or stopped between its two renames, files put into
//! `public/` by hand, a symlinked output, a zip written over a file that is not
//! one, an address that stays gone, and disk errors, each in Norwegian.

use std::fmt::Write as _;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{build_into, build_with, copy_dir, files, fixture};

/// An archive of `meetings` small meetings of one body, one a week from 2015.
fn write_archive(root: &Path, meetings: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("meetings")).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: Testarkiv\nbase_url: https://example.org/arkiv/\nlanguage: nb\n",
    )
    .unwrap();
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
    let start = chrono::NaiveDate::from_ymd_opt(2015, 1, 5).unwrap();
    for i in 0..meetings {
        let date = start + chrono::Days::new(7 * i as u64);
        let year = date.format("%Y");
        let mut md = String::new();
        writeln!(md, "---\nbody: rg\ndocument: minutes\ndate: {date}").unwrap();
        writeln!(
            md,
            "present:\n  - {{ name: Ola Asker, municipality: asker }}"
        )
        .unwrap();
        writeln!(md, "---").unwrap();
        for n in 1..=4 {
            writeln!(
                md,
                "## Sak {}/{year} Sak nummer {n}\n\nAsker og Lier orienterte om saken.\n\n### Vedtak\n\nTatt til orientering.\n",
                (i % 12) * 4 + n
            )
            .unwrap();
        }
        std::fs::write(content.join(format!("meetings/{date}-rg.md")), md).unwrap();
    }
}

fn saksgang(args: &[&std::ffi::OsStr]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saksgang"));
    c.args(args);
    c
}

fn build_command(root: &Path, out: &Path) -> Command {
    saksgang(&[
        "build".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ])
}

#[test]
fn two_builds_into_one_folder_at_once_both_end_with_the_whole_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    write_archive(&root, 150);
    let alone = dir.path().join("alene");
    let reference = build_into(&root, &alone);
    assert!(reference.success, "{}", reference.stderr);

    let out = dir.path().join("public");
    let children: Vec<_> = (0..2)
        .map(|_| {
            build_command(&root, &out)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let o = child.wait_with_output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert!(o.status.success(), "{stdout}{stderr}");
        assert!(stdout.starts_with("skrev "), "{stdout}");
        assert!(!stdout.contains("ble beholdt"), "{stdout}");
        // The one that waited says so, and nothing else.
        for line in stderr.lines() {
            assert!(
                line.starts_with("venter på at en annen bygging av "),
                "{stderr}"
            );
        }
    }
    let (got, want) = (files(&out), files(&alone));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    assert!(got == want, "the site is the same as one built alone");
    for leftover in ["public.saksgang-ny", "public.saksgang-gammel"] {
        assert!(!dir.path().join(leftover).exists(), "{leftover}");
    }
}

#[test]
fn a_build_waits_while_another_holds_the_folder_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // Another build holds the lock: this test, as `serve` building would.
    let lock = std::fs::File::create(dir.path().join("public.saksgang-laas")).unwrap();
    lock.lock().unwrap();
    let mut child = build_command(&fixture("contract"), &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        format!(
            "venter på at en annen bygging av {}/ blir ferdig …\n",
            out.display()
        )
    );
    assert!(!out.exists(), "nothing is written while it waits");
    drop(lock);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert!(out.join("index.html").exists());
}

#[test]
fn a_killed_build_leaves_no_lock_and_the_next_build_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    write_archive(&root, 150);
    let out = dir.path().join("public");
    assert!(build_into(&root, &out).success);
    let before = files(&out);
    // A new meeting, so the killed build has something to write.
    std::fs::write(
        root.join("content/meetings/2030-01-01-rg.md"),
        "---\nbody: rg\ndocument: minutes\ndate: 2030-01-01\n---\n## Sak 1/2030 Ny\n\nTekst.\n",
    )
    .unwrap();
    let mut child = build_command(&root, &out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = dir.path().join("public.saksgang-ny");
    // Killed (SIGKILL) while it writes the new site and holds the lock.
    while !staging.exists() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(files(&out) == before, "the published site is untouched");

    let next = build_into(&root, &out);
    assert!(next.success, "{}", next.stderr);
    assert!(!next.stderr.contains("venter"), "{}", next.stderr);
    assert!(out.join("moter/2030-01-01-rg/index.html").exists());
    assert!(!staging.exists());
    let alone = dir.path().join("alene");
    assert!(build_into(&root, &alone).success);
    assert!(files(&out) == files(&alone), "the site is whole");
}

#[test]
fn files_put_into_the_output_by_hand_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    let out = dir.path().join("public");
    assert!(build_into(&root, &out).success);
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/config"), "[core]\n").unwrap();
    std::fs::write(out.join("CNAME"), "arkiv.example.org\n").unwrap();
    std::fs::write(out.join(".htaccess"), "Options -Indexes\n").unwrap();
    // A page of one's own at an address the archive will later take.
    std::fs::create_dir_all(out.join("gammelt-mote")).unwrap();
    std::fs::write(out.join("gammelt-mote/index.html"), "min side").unwrap();

    let second = build_into(&root, &out);
    assert!(second.success, "{}", second.stderr);
    assert!(
        second
            .stdout
            .trim_end()
            .ends_with(", 0 fjernet; 4 filer som saksgang ikke har laget, ble beholdt"),
        "{}",
        second.stdout
    );
    assert_eq!(second.page(".git/config"), "[core]\n");
    assert_eq!(second.page("CNAME"), "arkiv.example.org\n");
    assert_eq!(second.page(".htaccess"), "Options -Indexes\n");

    // Now an alias writes a page where the hand-made one is: the build's wins.
    let m = root.join("content/meetings/2006/2006-03-09-tr.md");
    let text = std::fs::read_to_string(&m).unwrap().replace(
        "aliases: [/moter/2006-03-09-trondheimsregionen/]",
        "aliases: [/moter/2006-03-09-trondheimsregionen/, /gammelt-mote/]",
    );
    std::fs::write(&m, text).unwrap();
    let third = build_into(&root, &out);
    assert!(third.success, "{}", third.stderr);
    assert!(
        third.stderr.contains(&format!(
            "advarsel: {} var ikke laget av saksgang, men bygget lager nå en fil med samme navn",
            out.join("gammelt-mote/index.html").display()
        )),
        "{}",
        third.stderr
    );
    assert!(
        third
            .page("gammelt-mote/index.html")
            .contains("http-equiv=\"refresh\"")
    );
    assert!(
        third
            .stdout
            .contains("3 filer som saksgang ikke har laget, ble beholdt"),
        "{}",
        third.stdout
    );
    assert!(third.has("CNAME") && third.has(".git/config") && third.has(".htaccess"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_where_it_points_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("www/arkiv");
    std::fs::create_dir_all(&real).unwrap();
    let link = dir.path().join("public");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    assert!(build_into(&root, &link).success);
    let title = std::fs::read_to_string(real.join("index.html")).unwrap();
    assert!(title.contains("Testarkiv"));
    let site = root.join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site)
        .unwrap()
        .replace("title: Testarkiv", "title: Nytt navn");
    std::fs::write(&site, yaml).unwrap();
    let second = build_into(&root, &link);
    assert!(second.success, "{}", second.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(real.join("index.html"))
            .unwrap()
            .contains("Nytt navn")
    );
    assert!(!dir.path().join("public.saksgang-ny").exists());
    assert!(!dir.path().join("www/arkiv.saksgang-ny").exists());
}

#[test]
fn a_build_stopped_between_its_renames_is_put_right_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let old = dir.path().join("public.saksgang-gammel");
    let new = dir.path().join("public.saksgang-ny");
    assert!(build_into(&fixture("contract"), &out).success);
    let before = files(&out);

    // Stopped after the second rename: the old site is left beside.
    copy_dir(&out, &old);
    let b = build_into(&fixture("contract"), &out);
    assert!(b.success, "{}", b.stderr);
    assert!(!old.exists(), "cleaned up");
    assert!(
        b.stderr
            .contains("public.saksgang-gammel, som en bygging som ble stoppet, lot ligge igjen"),
        "{}",
        b.stderr
    );

    // Stopped after the first: no public/, the old site and a new one.
    std::fs::rename(&out, &old).unwrap();
    copy_dir(&old, &new);
    std::fs::remove_file(new.join("index.html")).unwrap();
    let b = build_into(&fixture("contract"), &out);
    assert!(b.success, "{}", b.stderr);
    assert!(
        b.stderr.contains("den forrige siden ble lagt tilbake"),
        "{}",
        b.stderr
    );
    assert!(!old.exists() && !new.exists());
    assert!(
        b.stdout.contains(" 0 nye eller endret,"),
        "the old site was put back: {}",
        b.stdout
    );
    assert!(files(&out) == before);

    // Stopped while writing the first site of all: only a new one.
    std::fs::rename(&out, &new).unwrap();
    let b = build_into(&fixture("contract"), &out);
    assert!(b.success, "{}", b.stderr);
    assert!(!new.exists());
    assert!(files(&out) == before);
}

#[test]
fn bundle_never_writes_over_a_file_that_is_not_its_zip() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    let site = root.join("content/site.yaml");
    let yaml = std::fs::read(&site).unwrap();
    let o = saksgang(&[
        "bundle".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--output".as_ref(),
        site.as_os_str(),
    ])
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!(
        "feil: {} finnes allerede og er ikke en zip-fil laget av saksgang, så den blir ikke skrevet over",
        site.display()
    )), "{stderr}");
    assert!(
        stderr.contains("velg et annet filnavn med --output"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&site).unwrap(),
        yaml,
        "site.yaml is as it was"
    );

    // Its own zip it replaces.
    let zip = dir.path().join("arkiv.zip");
    for _ in 0..2 {
        let o = saksgang(&[
            "bundle".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--output".as_ref(),
            zip.as_os_str(),
        ])
        .output()
        .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn a_published_address_that_is_gone_is_warned_of_until_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    write_archive(&root, 3);
    let out = dir.path().join("public");
    assert!(build_into(&root, &out).success);
    let gone = "advarsel: adressen https://example.org/arkiv/moter/2015-01-19-rg/ er publisert før, men finnes ikke lenger";
    let third = root.join("content/meetings/2015-01-19-rg.md");
    let text = std::fs::read_to_string(&third).unwrap();
    std::fs::remove_file(&third).unwrap();
    for build in ["the first build without it", "the next one"] {
        let b = build_into(&root, &out);
        assert!(b.success, "{}", b.stderr);
        assert!(b.stderr.contains(gone), "{build}: {}", b.stderr);
        assert_eq!(b.stderr.matches("advarsel:").count(), 1, "{}", b.stderr);
    }
    // The published manifest (--previous) says so too.
    let published = dir.path().join("publisert-manifest.txt");
    std::fs::copy(out.join("manifest.txt"), &published).unwrap();
    let other = dir.path().join("annen");
    let b = build_with(&root, &other, &["--previous", published.to_str().unwrap()]);
    assert!(b.stderr.contains(gone), "{}", b.stderr);

    // An alias brings it back: no warning, and none after.
    let second = root.join("content/meetings/2015-01-12-rg.md");
    let t = std::fs::read_to_string(&second).unwrap().replacen(
        "document: minutes\n",
        "document: minutes\naliases: [/moter/2015-01-19-rg/]\n",
        1,
    );
    std::fs::write(&second, t).unwrap();
    for _ in 0..2 {
        let b = build_into(&root, &out);
        assert!(b.success, "{}", b.stderr);
        assert!(!b.stderr.contains("advarsel"), "{}", b.stderr);
    }

    // A removal accepted on purpose is not warned of again.
    std::fs::write(
        &second,
        std::fs::read_to_string(&second)
            .unwrap()
            .replace("aliases: [/moter/2015-01-19-rg/]\n", ""),
    )
    .unwrap();
    assert!(build_into(&root, &out).stderr.contains(gone));
    std::fs::write(
        root.join("fjernede-adresser.txt"),
        "# møtet ble lagt inn to ganger\nhttps://example.org/arkiv/moter/2015-01-19-rg/\n",
    )
    .unwrap();
    for _ in 0..2 {
        let b = build_into(&root, &out);
        assert!(b.success, "{}", b.stderr);
        assert!(!b.stderr.contains("advarsel"), "{}", b.stderr);
    }
    // And if the page comes back, that is no problem either.
    std::fs::write(&third, text).unwrap();
    let b = build_into(&root, &out);
    assert!(b.success && !b.stderr.contains("advarsel"), "{}", b.stderr);
}

#[test]
fn a_file_where_a_folder_belongs_is_told_in_norwegian() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("enfil");
    std::fs::write(&file, "x").unwrap();
    let b = build_into(&fixture("contract"), &file.join("public"));
    assert!(!b.success);
    assert!(
        b.stderr.contains(&format!(
            "feil: kunne ikke skrive {}: det finnes allerede en fil med det navnet",
            file.display()
        )),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr.contains("en fil står der det skal være en mappe"),
        "{}",
        b.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}
