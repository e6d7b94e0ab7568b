//! `saksgang new minutes|notice|thread` writes a new document started from the
//! archive (the seed archive, or the per-meeting fixture), which builds as
//! written, and never overwrites a file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{build, copy_dir, fixture, repo};

/// A copy of an archive folder (holding `content/`) in a temporary folder.
fn archive(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("arkiv");
    copy_dir(&from.join("content"), &root.join("content"));
    (tmp, root)
}

fn seed() -> (tempfile::TempDir, PathBuf) {
    archive(&repo())
}

/// Runs `saksgang` in `dir`.
fn saksgang(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run saksgang")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `new` and expects success with one line on stdout; returns the file's text.
fn written(root: &Path, args: &[&str], path: &str, next: &str) -> String {
    let o = saksgang(root, args);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), format!("skrev {path}; {next}\n"));
    assert_eq!(err(&o), "");
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// Builds `root` and expects no error and no warning.
fn builds(root: &Path, page: &str) -> String {
    let built = build(root);
    assert!(built.success, "{}", built.stderr);
    assert_eq!(built.stderr, "", "the build warns of nothing");
    built.page(page)
}

/// A second `new` fails with `message` and leaves `path` as it was.
fn refuses(root: &Path, args: &[&str], path: &str, message: &str) {
    let before = std::fs::read(root.join(path)).unwrap();
    let o = saksgang(root, args);
    assert!(!o.status.success());
    assert_eq!(out(&o), "");
    assert_eq!(err(&o), message);
    assert_eq!(
        std::fs::read(root.join(path)).unwrap(),
        before,
        "{path} is untouched"
    );
}

const MINUTES: &str = "content/meetings/2026/2026-12-03-radmannsgruppen.md";

#[test]
fn new_minutes_start_from_the_last_meeting_and_build() {
    let (_tmp, root) = seed();
    let args = [
        "new",
        "minutes",
        "--body",
        "radmannsgruppen",
        "--date",
        "2026-12-03",
    ];
    let text = written(&root, &args, MINUTES, "åpne den og skriv referatet");
    // From content/meetings/2017/2017-06-01-radmannsgruppen.md: its time and place,
    // its present list with each substitute replaced by the member they stood in
    // for (same municipality and role), its secretariat; a new year's first number.
    // Those who sent apologies are comments; those of municipalities merged by
    // 2026 (Hurum, Nedre Eiker, Røyken, Svelvik, Sande: valid_to 2019-12-31) are left out.
    assert_eq!(
        text,
        r#"---
body: radmannsgruppen
document: minutes
date: 2026-12-03
time: "kl. 09.00 – 11.30"
place: Drammen rådhus
present:
  - { name: Trond Julin, municipality: drammen, role: møteleder }
  - { name: Lars Bjerke, municipality: asker }
  - { name: Erik Kjeldstadli, municipality: baerum }
  - { name: Anita Larsen, municipality: krodsherad }
  - { name: Hans-Petter Christensen, municipality: lier }
  - { name: Aud Norunn Strand, municipality: modum }
  - { name: Tore Isaksen, municipality: ringerike }
  - { name: Trude Andresen, municipality: ovre-eiker }
  - { name: Per Kierulf, municipality: akershus }
  - { name: Kjersti Bærug Hulbakk, municipality: buskerud }
  # forfall i forrige møte; kom de, fjern # foran linjen:
  # - { name: Torger Ødegaard, municipality: hole }
  # - { name: Jostein Harm, municipality: sigdal }
secretariat: [Nina Solberg, Lena Hansson, Kjetil Axelsen, Kari Engen Sørensen]
---
<!-- Laget av saksgang new fra møtet 2017-06-01 (content/meetings/2017/2017-06-01-radmannsgruppen.md): rett det som var annerledes i dette møtet. -->

## Sak 01/2026 Tittel på saken

Saksteksten skrives her.

### Vedtak

Vedtaket skrives her.
"#
    );
    let page = builds(&root, "moter/2026-12-03-radmannsgruppen/index.html");
    assert!(page.contains("Trond Julin"), "the members are on the page");
    assert!(!page.contains("Torger"), "a comment is not on the page");
    assert!(page.contains("Sak 01/2026"), "the item is on the page");
    refuses(
        &root,
        &args,
        MINUTES,
        "feil: radmannsgruppen har allerede et referat fra 2026-12-03: content/meetings/2026/2026-12-03-radmannsgruppen.md\n |\n\
         slik retter du det: saksgang new skriver aldri over en fil; åpne den og skriv videre der\n\n",
    );
}

#[test]
fn new_minutes_in_a_year_with_items_take_the_next_number() {
    let (_tmp, root) = seed();
    let path = "content/meetings/2017/2017-09-01-radmannsgruppen.md";
    let args = [
        "new",
        "minutes",
        "--body",
        "radmannsgruppen",
        "--date",
        "2017-09-01",
    ];
    let text = written(&root, &args, path, "åpne den og skriv referatet");
    // The last item of 2017 is Sak 17/2017 (2017-06-01).
    assert!(
        text.contains("\n## Sak 18/2017 Tittel på saken\n"),
        "{text}"
    );
    builds(&root, "moter/2017-09-01-radmannsgruppen/index.html");
}

#[test]
fn new_notice_has_proposals_and_builds() {
    let (_tmp, root) = seed();
    let path = "content/meetings/2017/2017-09-01-radmannsgruppen-innkalling.md";
    let args = [
        "new",
        "notice",
        "--body",
        "radmannsgruppen",
        "--date",
        "2017-09-01",
    ];
    let text = written(&root, &args, path, "åpne den og skriv innkallingen");
    assert!(
        text.starts_with(
            "---\nbody: radmannsgruppen\ndocument: notice\ndate: 2017-09-01\n\
             time: \"kl. 09.00 – 11.30\"\nplace: Drammen rådhus\n---\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "## Sak 18/2017 Tittel på saken\n\nSaksteksten skrives her.\n\n\
             ### Forslag til vedtak\n\nForslaget til vedtak skrives her.\n"
        ),
        "{text}"
    );
    assert!(!text.contains("present:"), "a notice lists no attendance");
    builds(
        &root,
        "moter/2017-09-01-radmannsgruppen/innkalling/index.html",
    );
    refuses(
        &root,
        &args,
        path,
        "feil: radmannsgruppen har allerede en innkalling fra 2017-09-01: content/meetings/2017/2017-09-01-radmannsgruppen-innkalling.md\n |\n\
         slik retter du det: saksgang new skriver aldri over en fil; åpne den og skriv videre der\n\n",
    );
}

#[test]
fn bodies_that_number_per_meeting_start_at_one_with_their_label() {
    let (_tmp, root) = archive(&fixture("per-meeting"));
    let m = written(
        &root,
        &[
            "new",
            "minutes",
            "--body",
            "vannomrade",
            "--date",
            "2024-04-01",
        ],
        "content/meetings/2024/2024-04-01-vannomrade.md",
        "åpne den og skriv referatet",
    );
    assert!(m.contains("\n## Sak 1. Tittel på saken\n"), "{m}");
    let n = written(
        &root,
        &[
            "new",
            "notice",
            "--body",
            "arbeidsutvalg",
            "--date",
            "2024-05-01",
        ],
        "content/meetings/2024/2024-05-01-arbeidsutvalg-innkalling.md",
        "åpne den og skriv innkallingen",
    );
    assert!(n.contains("\n## PS 1 Tittel på saken\n"), "{n}");
    builds(&root, "moter/2024-04-01-vannomrade/index.html");
}

const NOTICE: &str = "content/meetings/2018/2018-02-22-khs-radmannsmote-innkalling.md";
const FROM_NOTICE: &str = "content/meetings/2018/2018-02-22-khs-radmannsmote.md";

#[test]
fn minutes_from_a_notice_carry_every_item_and_proposal() {
    let (_tmp, root) = seed();
    std::fs::remove_file(root.join(FROM_NOTICE)).unwrap();
    let args = ["new", "minutes", "--from-notice", NOTICE];
    let text = written(
        &root,
        &args,
        FROM_NOTICE,
        "åpne den og rett vedtakene (og resten) til det møtet besluttet",
    );
    let notice = std::fs::read_to_string(root.join(NOTICE)).unwrap();
    assert!(
        text.starts_with(
            "---\nbody: khs-radmannsmote\ndocument: minutes\ndate: 2018-02-22\n\
             time: \"kl. 10.00 – 12.00\"\nplace: \"Rådhuset i Drammen, møterom Åssiden/Konnerud\"\n\
             items:\n  \"01/2018\": { thread: [khs-videreforing, komut, bpa] }\n---\n"
        ),
        "{text}"
    );
    // From the first item on, the notice byte for byte, with each proposal
    // heading (and nothing else) made a decision heading.
    let items = |t: &str| t[t.find("## Sak 01/2018").unwrap()..].to_string();
    assert_eq!(
        items(&text),
        items(&notice).replace("### Forslag til vedtak:", "### Vedtak:")
    );
    assert_eq!(notice.matches("### Forslag til vedtak:").count(), 2);
    assert_eq!(text.matches("### Vedtak:").count(), 2);
    for heading in ["## Sak 01/2018", "## Sak 02/2018", "## Sak 03/2018"] {
        assert!(text.contains(heading), "{heading}");
    }
    let page = builds(&root, "moter/2018-02-22-khs-radmannsmote/index.html");
    assert!(page.contains("Handlingsplan 2018"));
    refuses(
        &root,
        &args,
        FROM_NOTICE,
        "feil: khs-radmannsmote har allerede et referat fra 2018-02-22: content/meetings/2018/2018-02-22-khs-radmannsmote.md\n |\n\
         slik retter du det: saksgang new skriver aldri over en fil; åpne den og skriv videre der\n\n",
    );
}

#[test]
fn from_notice_wants_a_notice() {
    let (_tmp, root) = seed();
    let o = saksgang(
        &root,
        &[
            "new",
            "minutes",
            "--from-notice",
            "content/meetings/2017/2017-06-01-radmannsgruppen.md",
        ],
    );
    assert!(!o.status.success());
    assert_eq!(
        err(&o),
        "feil: content/meetings/2017/2017-06-01-radmannsgruppen.md er et referat, ikke en innkalling (document: minutes)\n |\n\
         slik retter du det: oppgi innkallingen til møtet, filen som slutter på -innkalling.md\n\n"
    );
}

#[test]
fn new_thread_builds_and_is_never_written_twice() {
    let (_tmp, root) = seed();
    let path = "content/threads/ny-skolestruktur.md";
    let args = [
        "new",
        "thread",
        "ny-skolestruktur",
        "--title",
        "Ny skolestruktur: høring",
    ];
    let text = written(
        &root,
        &args,
        path,
        "åpne den og skriv bakgrunnen; knytt saker til den under items: i møtefilene",
    );
    assert!(
        text.starts_with("---\ntitle: \"Ny skolestruktur: høring\"\nstatus: open"),
        "{text}"
    );
    let page = builds(&root, "saker/ny-skolestruktur/index.html");
    assert!(page.contains("Ny skolestruktur: høring"));
    refuses(
        &root,
        &args,
        path,
        "feil: saksgangen «ny-skolestruktur» finnes allerede: content/threads/ny-skolestruktur.md\n |\n\
         slik retter du det: saksgang new skriver aldri over en fil; velg en annen id, eller åpne den filen\n\n",
    );
}

#[test]
fn mistakes_are_told_in_norwegian_and_write_nothing() {
    let (_tmp, root) = seed();
    let before = crate::support::files(&root);
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "new",
                "minutes",
                "--body",
                "radmansgruppen",
                "--date",
                "2026-12-03",
            ],
            "feil: ukjent organ «radmansgruppen»\n |\nslik retter du det: mente du «radmannsgruppen»? \
             Organene i content/bodies.yaml er: radmannsgruppen, styringsgruppen, khs-radmannsmote, \
             khs-ordforermote, khs-samarbeidsstyret, generalforsamlingen\n\n",
        ),
        (
            &[
                "new",
                "notice",
                "--body",
                "radmannsgruppen",
                "--date",
                "2026-13-03",
            ],
            "feil: «2026-13-03» er ikke en dato\n |\n\
             slik retter du det: skriv datoen som ÅÅÅÅ-MM-DD, for eksempel --date 2026-12-03\n\n",
        ),
        (
            &["new", "thread", "Ny_sak", "--title", "Ny sak"],
            "feil: «Ny_sak» kan ikke brukes som id for en saksgang\n |\n\
             slik retter du det: id-en blir filnavnet og adressen /saker/ID/: bruk bare a–z, 0–9 og \
             bindestrek, for eksempel ny-skolestruktur\n\n",
        ),
    ];
    for (args, message) in cases {
        let o = saksgang(&root, args);
        assert!(!o.status.success(), "{args:?}");
        assert_eq!(err(&o), message, "{args:?}");
    }
    assert_eq!(crate::support::files(&root), before, "nothing was written");
}

#[test]
fn help_is_norwegian_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["new", "--help"][..],
        &["new", "minutes", "--help"],
        &["new", "notice", "--help"],
        &["new", "thread", "--help"],
    ] {
        let help = out(&saksgang(dir.path(), args));
        assert!(
            help.contains("\nEksempel:\n") || help.contains("\nEksempler:\n"),
            "{args:?}: {help}"
        );
        for english in [
            "Usage:",
            "Options:",
            "Commands:",
            "Print help",
            "[default",
            "OPTIONS",
        ] {
            assert!(!help.contains(english), "{args:?}: {english} in {help}");
        }
        assert!(help.contains("saksgang new "), "{args:?}: {help}");
    }
    let help = out(&saksgang(dir.path(), &["new", "minutes", "--help"]));
    assert!(help.contains("--from-notice <FIL>"), "{help}");
    assert!(help.contains("Møtedatoen, ÅÅÅÅ-MM-DD"), "{help}");
}

#[test]
fn names_yaml_would_misread_are_quoted_and_notes_of_the_day_dropped() {
    let (_tmp, root) = seed();
    let last = root.join("content/meetings/2017/2017-06-01-radmannsgruppen.md");
    let text = std::fs::read_to_string(&last).unwrap().replacen(
        "absent:\n",
        "  - { name: \"Hansen, Kari\", organisation: \"KS: Øst\", role: observatør, note: dag 1 }\nabsent:\n",
        1,
    );
    std::fs::write(&last, text).unwrap();
    let args = [
        "new",
        "minutes",
        "--body",
        "radmannsgruppen",
        "--date",
        "2026-12-03",
    ];
    let text = written(&root, &args, MINUTES, "åpne den og skriv referatet");
    assert!(
        text.contains(
            "  - { name: Kjersti Bærug Hulbakk, municipality: buskerud }\n  \
             - { name: \"Hansen, Kari\", organisation: \"KS: Øst\", role: observatør }\n  # forfall"
        ),
        "{text}"
    );
    let page = builds(&root, "moter/2026-12-03-radmannsgruppen/index.html");
    assert!(
        page.contains("Hansen, Kari") && page.contains("KS: Øst"),
        "{page}"
    );
}

#[test]
fn new_minutes_of_a_meeting_with_a_notice_point_to_from_notice() {
    let (_tmp, root) = seed();
    std::fs::remove_file(root.join(FROM_NOTICE)).unwrap();
    written(
        &root,
        &[
            "new",
            "minutes",
            "--body",
            "khs-radmannsmote",
            "--date",
            "2018-02-22",
        ],
        FROM_NOTICE,
        "åpne den og skriv referatet; møtet har en innkalling, så vil du heller starte fra den, \
         slett filen og kjør saksgang new minutes --from-notice \
         content/meetings/2018/2018-02-22-khs-radmannsmote-innkalling.md",
    );
}

/// The point of `--from-notice`: the thread page's word diff of proposal and
/// decision shows exactly what the secretary changed, and nothing when nothing was.
#[test]
fn the_word_diff_shows_only_what_the_secretary_changed() {
    let (_tmp, root) = seed();
    std::fs::remove_file(root.join(FROM_NOTICE)).unwrap();
    let args = ["new", "minutes", "--from-notice", NOTICE];
    let o = saksgang(&root, &args);
    assert!(o.status.success(), "{}", err(&o));
    let page = builds(&root, "saker/khs-videreforing/index.html");
    assert!(page.contains("<p>Vedtaket er likt forslaget i innkallingen.</p>"));
    assert!(!page.contains("<div class=\"diff\">"), "no change, no diff");

    let file = root.join(FROM_NOTICE);
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "sykehusområde videreføres.",
        "sykehusområde videreføres fra 2019.",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let page = builds(&root, "saker/khs-videreforing/index.html");
    let diff = crate::support::between(&page, "<div class=\"diff\">", "</div>");
    assert_eq!(diff.matches("<ins>").count(), 1, "{diff}");
    assert!(diff.contains("lagt til: </span> fra 2019</ins>"), "{diff}");
    assert!(!diff.contains("<del>"), "{diff}");
}

#[test]
fn an_archive_with_errors_is_shown_as_check_shows_it_and_nothing_is_written() {
    let (_tmp, root) = archive(&fixture("broken/colon-in-text"));
    let before = crate::support::files(&root);
    let o = saksgang(
        &root,
        &[
            "new",
            "minutes",
            "--body",
            "radmannsgruppen",
            "--date",
            "2026-12-03",
        ],
    );
    assert!(!o.status.success());
    let stderr = err(&o);
    assert!(
        stderr.starts_with("feil: et kolon (:) står der det ikke kan stå\n --> content/meetings/2017/2017-06-01-radmannsgruppen.md:5:42\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "arkivet har feil; rett dem først (saksgang check viser dem), ingenting ble skrevet\n"
        ),
        "{stderr}"
    );
    assert_eq!(crate::support::files(&root), before, "nothing was written");
}
