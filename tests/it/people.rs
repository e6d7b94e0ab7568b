//! `saksgang check` lists the people the minutes likely write in several ways,
//! each with a `people.yaml` line to paste. They are notes: they never fail a
//! check, not even with `--deny-warnings`, and a build does not print them.

use std::path::Path;
use std::process::Command;

use crate::support::build;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join("content").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn meeting(root: &Path, date: &str, present: &[(&str, &str)]) {
    let mut md = format!(
        "---\nbody: regionradet\ndocument: minutes\ndate: {date}\nplace: Tynset rådhus\npresent:\n"
    );
    for (name, from) in present {
        if from.starts_with(char::is_uppercase) {
            md.push_str(&format!("  - {{ name: {name}, organisation: {from} }}\n"));
        } else {
            md.push_str(&format!("  - {{ name: {name}, municipality: {from} }}\n"));
        }
    }
    md.push_str("---\n## Sak 1/2023 Godkjenning av innkalling\n\n### Vedtak\n\nGodkjent.\n");
    write(
        root,
        &format!("meetings/{}/{date}-regionradet.md", &date[..4]),
        &md,
    );
}

fn archive(root: &Path) {
    write(
        root,
        "bodies.yaml",
        "- id: regionradet\n  name: Regionrådet for Nord-Østerdal\n",
    );
    write(
        root,
        "municipalities.yaml",
        "- id: tynset\n  name: Tynset\n- id: tolga\n  name: Tolga\n- id: os\n  name: Os\n",
    );
    write(
        root,
        "people.yaml",
        "- { name: Runar Kjølstad, aliases: [Runar Kjølstadt] }\n",
    );
    meeting(
        root,
        "2023-03-10",
        &[
            ("Bersvend T. Salbu", "tynset"),
            ("Gunnhild Øie", "tolga"),
            ("Runar Kjølstad", "os"),
            ("Kari Dahl", "os"),
            ("Trond M. Bakken", "Statsforvalteren i Innlandet"),
        ],
    );
    meeting(
        root,
        "2023-06-02",
        &[
            ("Bersvend Tore Salbu", "tynset"),
            ("Gunnhild Øye", "tolga"),
            ("Runar Kjølstadt", "os"),
            ("Ola Dahl", "os"),
            ("Trond Magne Bakken", "Statsforvalteren i Innlandet"),
        ],
    );
    meeting(
        root,
        "2023-11-24",
        &[
            ("Bersvend Salbu", "tynset"),
            ("Gunnhild Øie", "tolga"),
            ("R. Kjølstad", "os"),
            // The same name in another municipality is not compared.
            ("Gunnhild Øyen", "os"),
        ],
    );
}

fn check(root: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run saksgang");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_lists_people_written_several_ways_with_a_line_for_people_yaml() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    let (code, stderr) = check(dir.path(), &["--deny-warnings"]);
    let stderr = stderr.replace(&dir.path().display().to_string(), "ROOT");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "\
merknad: «R. Kjølstad», «Runar Kjølstad» og «Runar Kjølstadt» (Os) er kanskje samme person
 --> content/meetings/2023/2023-11-24-regionradet.md:9:13
  |
9 |   - { name: R. Kjølstad, municipality: os }
  |             ^^^^^^^^^^^ skrevet slik i 1 dokument
  |
slik retter du det: er det samme person, bytt ut linjen for Runar Kjølstad i content/people.yaml med: - { name: Runar Kjølstad, aliases: [Runar Kjølstadt, R. Kjølstad] }

merknad: «Trond M. Bakken» og «Trond Magne Bakken» (Statsforvalteren i Innlandet) er kanskje samme person
  --> content/meetings/2023/2023-03-10-regionradet.md:11:13
   |
11 |   - { name: Trond M. Bakken, organisation: Statsforvalteren i Innlandet }
   |             ^^^^^^^^^^^^^^^ skrevet slik i 1 dokument
   |
slik retter du det: er det samme person, legg denne linjen i content/people.yaml: - { name: Trond Magne Bakken, aliases: [Trond M. Bakken] } (er det to personer, kan du se bort fra denne merknaden)

merknad: «Gunnhild Øie» og «Gunnhild Øye» (Tolga) er kanskje samme person
 --> content/meetings/2023/2023-06-02-regionradet.md:8:13
  |
8 |   - { name: Gunnhild Øye, municipality: tolga }
  |             ^^^^^^^^^^^^ skrevet slik i 1 dokument
  |
slik retter du det: er det samme person, legg denne linjen i content/people.yaml: - { name: Gunnhild Øie, aliases: [Gunnhild Øye] } (er det to personer, kan du se bort fra denne merknaden)

merknad: «Bersvend Salbu», «Bersvend T. Salbu» og «Bersvend Tore Salbu» (Tynset) er kanskje samme person
 --> content/meetings/2023/2023-03-10-regionradet.md:7:13
  |
7 |   - { name: Bersvend T. Salbu, municipality: tynset }
  |             ^^^^^^^^^^^^^^^^^ skrevet slik i 1 dokument
  |
slik retter du det: er det samme person, legg denne linjen i content/people.yaml: - { name: Bersvend Tore Salbu, aliases: [Bersvend T. Salbu, Bersvend Salbu] } (er det to personer, kan du se bort fra denne merknaden)

ingen feil; 4 merknader om personer som kanskje er skrevet på flere måter
"
    );

    // A build says nothing of it.
    let b = build(dir.path());
    assert!(b.success, "{}", b.stderr);
    assert!(!b.stderr.contains("merknad"), "{}", b.stderr);

    // Once pasted, the notes are gone.
    write(
        dir.path(),
        "people.yaml",
        "- { name: Runar Kjølstad, aliases: [Runar Kjølstadt, R. Kjølstad] }\n\
         - { name: Trond Magne Bakken, aliases: [Trond M. Bakken] }\n\
         - { name: Gunnhild Øie, aliases: [Gunnhild Øye] }\n\
         - { name: Bersvend Tore Salbu, aliases: [Bersvend T. Salbu, Bersvend Salbu] }\n",
    );
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!((code, stderr.as_str()), (0, "ingen feil\n"));
}
