//! Links printed in invitations: `saksgang link`, and the manifest that warns
//! when a published address would disappear.

use std::process::Command;

use crate::support::{build_into, copy_dir, fixture, repo};

fn link(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .arg("link")
        .args(args)
        .arg("--root")
        .arg(repo())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn link_prints_the_public_address_of_an_item_a_document_and_a_thread() {
    let (ok, out, _) = link(&["--sak", "04/2017", "--body", "radmannsgruppen"]);
    assert!(ok);
    assert_eq!(
        out,
        "https://vestregionen.no/arkiv/moter/2017-02-23-radmannsgruppen/#sak-04-2017\n"
    );
    // "1/2018" is the same item as "01/2018"; two bodies have one, so both are printed.
    let (_, out, _) = link(&["--sak", "1/2018"]);
    assert_eq!(
        out,
        "https://vestregionen.no/arkiv/moter/2018-02-22-khs-radmannsmote/#sak-01-2018\n\
         https://vestregionen.no/arkiv/moter/2018-06-14-khs-ordforermote/#sak-01-2018\n"
    );
    let (_, out, _) = link(&["content/meetings/2018/2018-02-22-khs-radmannsmote-innkalling.md"]);
    assert_eq!(
        out,
        "https://vestregionen.no/arkiv/moter/2018-02-22-khs-radmannsmote/innkalling/\n"
    );
    let (_, out, _) = link(&["--thread", "khs-videreforing"]);
    assert_eq!(
        out,
        "https://vestregionen.no/arkiv/saker/khs-videreforing/\n"
    );
}

#[test]
fn link_says_plainly_when_there_is_nothing_to_link_to() {
    let (ok, out, err) = link(&["--sak", "99/2017"]);
    assert!(!ok);
    assert_eq!(out, "");
    assert_eq!(err, "feil: fant ingen sak 99/2017 i arkivet\n");
    let (ok, _, err) = link(&["--sak", "04/2017", "--body", "radmannsgrupen"]);
    assert!(!ok);
    assert!(err.contains("ukjent organ «radmannsgrupen»"), "{err}");
}

#[test]
fn a_build_warns_of_every_published_address_that_disappears() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    let out = dir.path().join("public");
    let first = build_into(&root, &out);
    assert!(first.success, "{}", first.stderr);
    let manifest = std::fs::read_to_string(out.join("manifest.txt")).unwrap();
    assert!(manifest.contains("/moter/2006-03-09-tr/#sak-35-2006\n"));
    assert!(manifest.contains("/moter/2006-02-01-tr/\n"));

    // The February meeting file goes, and item 35/06 is renumbered 37/06.
    let meetings = root.join("content/meetings/2006");
    std::fs::remove_file(meetings.join("2006-02-01-tr.md")).unwrap();
    let threads = root.join("content/threads/forvaltningsreformen.md");
    let t = std::fs::read_to_string(&threads).unwrap();
    std::fs::write(
        &threads,
        t.replace(
            "[TR-sak 20/06](@/meetings/2006/2006-02-01-tr.md#sak-20-2006)",
            "TR-sak 20/06",
        ),
    )
    .unwrap();
    let m = meetings.join("2006-03-09-tr.md");
    let text = std::fs::read_to_string(&m)
        .unwrap()
        .replace("TR-sak 35/06:", "TR-sak 37/06:")
        .replace("\"35/06\":", "\"37/06\":")
        .replace(
            "Se [forrige behandling](@/meetings/2006/2006-02-01-tr.md#sak-20-2006).",
            "",
        );
    std::fs::write(&m, text).unwrap();

    let second = build_into(&root, &out);
    assert!(
        second.success,
        "a warning does not stop the build: {}",
        second.stderr
    );
    assert!(second.stderr.contains(
        "advarsel: adressen https://example.org/arkiv/moter/2006-02-01-tr/ er publisert før, men finnes ikke lenger"
    ), "{}", second.stderr);
    assert!(second.stderr.contains(
        "advarsel: adressen https://example.org/arkiv/moter/2006-03-09-tr/#sak-35-2006 er publisert før, men finnes ikke lenger"
    ), "{}", second.stderr);
    assert!(
        second.stderr.contains("«aliases:»"),
        "the warning says how to keep an address"
    );
    // An address kept by an alias is not reported.
    assert!(
        !second.stderr.contains("2006-03-09-trondheimsregionen"),
        "{}",
        second.stderr
    );
    // The sub-items of the renumbered item lose their anchors too; the anchors of
    // the page that is gone are not listed one by one.
    assert!(
        second
            .stderr
            .contains("/moter/2006-03-09-tr/#sak-35-2006-b er publisert før")
    );
    assert!(
        !second.stderr.contains("/moter/2006-02-01-tr/#sak-20-2006"),
        "{}",
        second.stderr
    );
    assert_eq!(
        second.stderr.matches("advarsel:").count(),
        4,
        "{}",
        second.stderr
    );
}

#[test]
fn link_refuses_an_anchor_the_page_does_not_have() {
    let file = "content/meetings/2017/2017-02-23-radmannsgruppen.md";
    let (ok, out, err) = link(&[&format!("{file}#sak-99-2017")]);
    assert!(!ok);
    assert_eq!(out, "");
    assert!(
        err.starts_with(
            "feil: siden https://vestregionen.no/arkiv/moter/2017-02-23-radmannsgruppen/ har ikke ankeret «#sak-99-2017»"
        ),
        "{err}"
    );
    assert!(
        err.contains("ankrene på siden: #sak-01-2017, #sak-02-2017"),
        "{err}"
    );
    let (ok, _, err) = link(&[&format!("{file}#sak-4-2017")]);
    assert!(!ok);
    assert!(err.contains("mente du «#sak-04-2017»?"), "{err}");
    let (ok, out, _) = link(&[&format!("{file}#sak-04-2017")]);
    assert!(ok);
    assert_eq!(
        out,
        "https://vestregionen.no/arkiv/moter/2017-02-23-radmannsgruppen/#sak-04-2017\n"
    );
    let (ok, _, err) = link(&["content/threads/bpa.md#sak-04-2017"]);
    assert!(!ok, "{err}");
}
