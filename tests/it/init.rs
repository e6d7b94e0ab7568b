//! `saksgang init` writes a new archive that checks with no message and builds,
//! and never writes into a folder that already holds content.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{between, build, repo, text};

fn saksgang(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run saksgang")
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    crate::support::files(dir).into_keys().collect()
}

#[test]
fn a_new_archive_checks_with_no_message_and_builds_its_meeting() {
    let tmp = tempfile::tempdir().unwrap();
    let init = saksgang(tmp.path(), &["init", "arkiv"]);
    let stdout = String::from_utf8_lossy(&init.stdout);
    assert!(init.status.success(), "{stdout}{:?}", init.stderr);
    let root = tmp.path().join("arkiv");
    let written = files(&root);
    assert_eq!(
        written,
        [
            "content/bodies.yaml",
            "content/meetings/2025/2025-01-15-styret.md",
            "content/municipalities.yaml",
            "content/site.yaml",
            "content/threads/eksempelsak.md",
        ]
    );
    for f in &written {
        assert!(stdout.contains(f.as_str()), "init names {f}:\n{stdout}");
    }
    assert!(stdout.contains("saksgang check --root arkiv"), "{stdout}");
    assert!(stdout.contains("saksgang serve --root arkiv"), "{stdout}");

    let check = saksgang(tmp.path(), &["check", "--root", "arkiv", "--deny-warnings"]);
    assert_eq!(
        String::from_utf8_lossy(&check.stderr),
        "ingen feil\n",
        "no error and no warning"
    );
    assert!(check.status.success());

    let built = build(&root);
    assert!(built.success, "{}", built.stderr);
    assert_eq!(built.stderr, "", "the build warns of nothing");
    let page = built.page("moter/2025-01-15-styret/index.html");
    let agenda = text(between(&page, "<h2 id=\"saksliste\">", "</ol>"));
    assert!(
        agenda.contains("Sak 01/2025 Eksempel på en sak"),
        "{agenda}"
    );
    let item = text(between(
        &page,
        "<article class=\"sak\" id=\"sak-01-2025\"",
        "</article>",
    ));
    assert!(
        item.contains("Vedtak Styret tar saken til orientering."),
        "{item}"
    );
    assert!(item.contains("Saksgang: Eksempel på en saksgang"), "{item}");
    let people = text(between(&page, "<h2 id=\"deltakere\">", "</table>"));
    assert!(people.contains("Kari Eksempel (møteleder)"), "{people}");
    assert!(people.contains("Ola Testesen for Siri Prøve"), "{people}");
    assert!(people.contains("Forfall"), "{people}");
    assert!(!page.contains("kommentar"), "HTML comments are not shown");
    assert!(built.has("saker/eksempelsak/index.html"));
    assert!(built.has("kommuner/eksempelkommune/index.html"));
}

#[test]
fn init_in_the_current_folder_and_into_an_empty_content_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    let init = saksgang(tmp.path(), &["init"]);
    assert!(init.status.success(), "{:?}", init.stderr);
    assert!(String::from_utf8_lossy(&init.stdout).contains("saksgang check --root ."));
    assert_eq!(files(tmp.path()).len(), 5);
}

#[test]
fn init_refuses_a_folder_with_content_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("site.yaml"), "title: Mitt arkiv\n").unwrap();
    let before = files(tmp.path());
    let init = saksgang(tmp.path(), &["init", "."]);
    assert_eq!(init.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&init.stderr);
    assert!(
        stderr.starts_with(
            "feil: ./content finnes allerede og er ikke tom; saksgang init skriver aldri over noe"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("slik retter du det:"), "{stderr}");
    assert!(init.stdout.is_empty());
    assert_eq!(files(tmp.path()), before);
    assert_eq!(
        std::fs::read_to_string(content.join("site.yaml")).unwrap(),
        "title: Mitt arkiv\n"
    );

    // A file where the archive's folder should be is refused too.
    std::fs::write(tmp.path().join("fil"), "x").unwrap();
    let init = saksgang(tmp.path(), &["init", "fil"]);
    assert_eq!(init.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&init.stderr).starts_with("feil: fil er en fil, ikke en mappe")
    );
}

/// The skeleton's examples are obviously examples: no body or municipality of
/// the bundled archive is named in it.
#[test]
fn the_skeleton_names_nothing_of_the_bundled_archive() {
    let skeleton: String = [
        "site.yaml",
        "bodies.yaml",
        "municipalities.yaml",
        "meeting.md",
        "thread.md",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(repo().join("src/init").join(f)).unwrap())
    .collect();
    let words: std::collections::HashSet<&str> = skeleton
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .collect();
    for list in ["bodies.yaml", "municipalities.yaml"] {
        let seed = std::fs::read_to_string(repo().join("content").join(list)).unwrap();
        for line in seed.lines() {
            let line = line.trim_start_matches([' ', '-']);
            for key in ["id: ", "name: "] {
                if let Some(v) = line.strip_prefix(key) {
                    let v = v.trim();
                    let named = if v.contains(' ') {
                        skeleton.contains(v)
                    } else {
                        words.contains(v)
                    };
                    assert!(!named, "the skeleton names «{v}» of content/{list}");
                }
            }
        }
    }
}

/// What the writer's guide shows of `saksgang init` is what it prints.
#[test]
fn the_guide_shows_what_init_prints() {
    let guide = std::fs::read_to_string(repo().join("docs/skrivehandbok.md")).unwrap();
    let start = guide
        .find("lagde et nytt arkiv i mitt-arkiv:")
        .expect("the guide shows init's output");
    let shown = &guide[start..start + guide[start..].find("```").unwrap()];
    let tmp = tempfile::tempdir().unwrap();
    let init = saksgang(tmp.path(), &["init", "mitt-arkiv"]);
    assert_eq!(String::from_utf8_lossy(&init.stdout), shown);
    let again = saksgang(tmp.path(), &["init", "mitt-arkiv"]);
    let refused = String::from_utf8_lossy(&again.stderr);
    let quoted = "finnes allerede og er ikke tom; saksgang init skriver aldri over noe";
    assert!(
        refused.contains(quoted) && guide.contains(quoted),
        "{refused}"
    );
}
