//! Bad input gets a clear message naming file, line and column, how to fix it,
//! and leaves no output. The messages are compared in full, as a writer sees them:
//! `tests/fixtures/broken/<case>/` holds one archive per mistake and, in
//! `expected.txt`, all that `saksgang check` says about it.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::support::{build, build_into, copy_dir, fixture};

/// The exit code and stderr of `saksgang check` run in `dir` with `args`.
fn check_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run saksgang");
    assert!(output.stdout.is_empty(), "check prints only to stderr");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// stderr of a build that must fail, with the temporary output path shown as PUBLIC.
fn failed(case: &str) -> String {
    let b = build(&fixture(&format!("errors/{case}")));
    assert!(!b.success, "the build of {case} should fail");
    assert!(!b.out.exists(), "a failed build writes nothing");
    b.stderr.replace(&b.out.display().to_string(), "PUBLIC")
}

#[test]
fn unknown_municipality_names_the_place_and_suggests_the_id() {
    assert_eq!(
        failed("unknown-municipality"),
        "\
feil: ukjent kommune «hoel»
 --> content/meetings/2017/2017-06-01-radmannsgruppen.md:8:44
  |
8 |   - { name: Torger Ødegaard, municipality: hoel }
  |                                            ^^^^ finnes ikke i municipalities.yaml
  |
slik retter du det: mente du «hole»? Rett id-en, eller legg til «hoel» i content/municipalities.yaml

bygget stoppet med 1 feil; ingenting ble skrevet, og PUBLIC er som før
"
    );
}

#[test]
fn every_error_of_every_file_is_reported_in_file_order() {
    assert_eq!(
        failed("yaml-errors"),
        "\
feil: ukjent dokumenttype «referat»
 --> content/meetings/2017/2017-02-23-radmannsgruppen.md:3:11
  |
3 | document: referat
  |           ^^^^^^^ skal være minutes eller notice
  |
slik retter du det: skriv «document: minutes» for et referat

feil: «2017-02-30» er ikke en gyldig dato
 --> content/meetings/2017/2017-02-23-radmannsgruppen.md:4:7
  |
4 | date: 2017-02-30
  |       ^^^^^^^^^^ date må være en dato
  |
slik retter du det: skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2017-06-01

feil: ukjent felt «kommune»
 --> content/meetings/2017/2017-06-01-radmannsgruppen.md:6:30
  |
6 |   - { name: Torger Ødegaard, kommune: hole }
  |                              ^^^^^^^ dette feltet finnes ikke her
  |
slik retter du det: mente du «municipality»? Feltene som kan stå her er: name, municipality, organisation, for, role, note, group

bygget stoppet med 3 feil; ingenting ble skrevet, og PUBLIC er som før
"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let good = build_into(&fixture("contract"), &out);
    assert!(good.success, "{}", good.stderr);
    let before = std::fs::read(out.join("moter/2006-03-09-tr/index.html")).unwrap();
    let bad = build_into(&fixture("errors/yaml-errors"), &out);
    assert!(!bad.success);
    assert_eq!(
        std::fs::read(out.join("moter/2006-03-09-tr/index.html")).unwrap(),
        before
    );
    assert!(out.join("kommuner/trondheim/index.html").exists());
}

#[test]
fn check_of_a_clean_archive_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("contract"), dir.path());
    assert_eq!(check_in(dir.path(), &[]), (0, "ingen feil\n".to_string()));
    assert!(!dir.path().join("public").exists(), "check writes nothing");
}

#[test]
fn check_reports_every_error_and_counts_them() {
    let (code, stderr) = check_in(&fixture("errors"), &["--root", "yaml-errors"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("feil: ukjent dokumenttype «referat»\n"),
        "{stderr}"
    );
    assert!(stderr.contains("feil: ukjent felt «kommune»\n"), "{stderr}");
    assert!(stderr.ends_with("\n\nfant 3 feil\n"), "{stderr}");
}

#[test]
fn check_fails_on_warnings_only_when_asked_to() {
    // A published address that the archive no longer has is a warning.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("contract"), dir.path());
    std::fs::create_dir(dir.path().join("public")).unwrap();
    std::fs::write(
        dir.path().join("public/manifest.txt"),
        "/\n/moter/2006-03-09-tr/\n/moter/1999-01-01-borte/\n",
    )
    .unwrap();
    let warning = "\
advarsel: adressen https://example.org/arkiv/moter/1999-01-01-borte/ er publisert før, men finnes ikke lenger
 |
slik retter du det: siden er flyttet eller fjernet. Står den nå et annet sted, skriv den gamle adressen under «aliases:» i filen, så blir den gamle lenken sendt videre. Er siden fjernet med vilje, skriv adressen i fjernede-adresser.txt (ved siden av content/), så slutter varselet

";
    assert_eq!(
        check_in(dir.path(), &[]),
        (0, format!("{warning}ingen feil, men 1 advarsel\n"))
    );
    assert_eq!(
        check_in(dir.path(), &["--deny-warnings"]),
        (
            1,
            format!("{warning}fant 1 advarsel; med --deny-warnings regnes advarsler som feil\n")
        )
    );
}

#[test]
fn check_with_bad_arguments_exits_with_2() {
    let (code, stderr) = check_in(&fixture("contract"), &["--no-such-flag"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _) = check_in(&fixture("contract"), &["--root"]);
    assert_eq!(code, 2);
}

/// Every case in `tests/fixtures/broken/`: `saksgang check --root <case>`, run in
/// that folder, says exactly what `<case>/expected.txt` says, and exits with 1.
/// With `SAKSGANG_BLESS=1` the files are written instead (read them before you commit).
#[test]
fn every_broken_archive_gets_its_message() {
    let dir = fixture("broken");
    let bless = std::env::var_os("SAKSGANG_BLESS").is_some();
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failures = String::new();
    for case in &cases {
        // With --deny-warnings, so that a case may hold a warning alone (exit code 1).
        let (code, stderr) = check_in(&dir, &["--deny-warnings", "--root", case]);
        let expected_path = dir.join(case).join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if stderr != expected || code != 1 {
            let diff = similar::TextDiff::from_lines(&expected, &stderr);
            let _ = write!(
                failures,
                "\n=== {case} (exit code {code}):\n{}",
                diff.unified_diff().header("expected.txt", "saksgang check")
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}
