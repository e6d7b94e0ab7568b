//! The command line in Norwegian: every command's `--help` (with examples), and
//! clap's usage errors (an unknown option, a missing value, …) as a Norwegian
//! message with the usage line and where to read more, exit code 2.

use std::process::{Command, Output};

fn saksgang(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("run saksgang")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What clap writes in English when it is not told otherwise.
const ENGLISH: [&str; 13] = [
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "[default",
    "[possible values",
    "OPTIONS",
    "COMMAND",
    "error:",
    "tip:",
    "For more information",
];

/// The commands `saksgang --help` lists under «Kommandoer:».
fn commands(help: &str) -> Vec<String> {
    let list = help
        .split("Kommandoer:\n")
        .nth(1)
        .expect("a list of commands")
        .split("\n\n")
        .next()
        .unwrap();
    list.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_commands_help_is_norwegian_with_examples() {
    let top = saksgang(&["--help"]);
    assert!(top.status.success());
    let top = stdout(&top);
    let mut commands = commands(&top);
    for must in ["build", "check", "bundle", "serve", "init", "new", "link"] {
        assert!(commands.iter().any(|c| c == must), "{must} in {top}");
    }
    assert!(
        !commands.iter().any(|c| c == "help"),
        "no English help command: {top}"
    );
    commands.extend(["new minutes", "new notice", "new thread"].map(String::from));
    let mut pages = vec![(String::new(), top)];
    for command in &commands {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let o = saksgang(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        pages.push((command.clone(), stdout(&o)));
        args.pop();
        args.push("-h");
        let short = stdout(&saksgang(&args));
        pages.push((format!("{command} -h"), short));
    }
    for (command, help) in pages {
        assert!(help.contains("Bruk: saksgang"), "{command}: {help}");
        assert!(help.contains("Valg:"), "{command}: {help}");
        assert!(help.contains("-h, --help"), "{command}: {help}");
        assert!(help.contains("Vis denne hjelpen"), "{command}: {help}");
        assert!(
            help.contains("\nEksempel:\n  saksgang") || help.contains("\nEksempler:\n  saksgang"),
            "{command}: examples in {help}"
        );
        for english in ENGLISH {
            assert!(!help.contains(english), "{command}: {english:?} in {help}");
        }
    }
    // Defaults are said in Norwegian, in the help of the argument.
    let serve = stdout(&saksgang(&["serve", "--help"]));
    assert!(serve.contains("(uten denne: 8000)"), "{serve}");
    assert!(serve.contains("(uten denne: mappen du står i)"), "{serve}");
}

#[test]
fn help_as_a_command_shows_the_same_page() {
    let page = stdout(&saksgang(&["build", "--help"]));
    assert_eq!(stdout(&saksgang(&["help", "build"])), page);
    assert_eq!(stdout(&saksgang(&["hjelp", "build"])), page);
    assert_eq!(stdout(&saksgang(&["help"])), stdout(&saksgang(&["--help"])));
    let version = saksgang(&["--version"]);
    assert!(version.status.success());
    assert!(
        stdout(&version).starts_with("saksgang "),
        "{}",
        stdout(&version)
    );
}

#[test]
fn usage_errors_are_norwegian_with_the_usage_line() {
    let cases: [(&[&str], &str, &str); 10] = [
        (
            &["build", "--foo"],
            "feil: ukjent valg --foo; mente du --root?",
            "bruk: saksgang build [--root MAPPE]",
        ),
        (
            &["buidl"],
            "feil: ukjent kommando «buidl»; mente du",
            "skriv «saksgang --help» for valgene og eksempler",
        ),
        (
            &["build", "ekstra"],
            "feil: uventet argument «ekstra»",
            "skriv «saksgang build --help»",
        ),
        (
            &["new", "minutes", "--body", "radmannsgruppen"],
            "feil: mangler --date <ÅÅÅÅ-MM-DD>",
            "skriv «saksgang new minutes --help»",
        ),
        (
            &["new", "thread"],
            "feil: mangler --title <TITTEL> og <ID>",
            "bruk: saksgang new thread ID --title TITTEL",
        ),
        (
            &["serve", "--port", "abc"],
            "feil: ugyldig verdi «abc» for --port <PORT>; det må være et helt tall",
            "skriv «saksgang serve --help»",
        ),
        (
            &["build", "--root"],
            "feil: --root <MAPPE> mangler en verdi",
            "skriv «saksgang build --help»",
        ),
        (
            &["build", "--offline", "--bundle"],
            "feil: --offline kan ikke brukes sammen med --bundle",
            "skriv «saksgang build --help»",
        ),
        (
            &["check", "-x"],
            "feil: ukjent valg -x",
            "bruk: saksgang check [--root MAPPE]",
        ),
        (
            &["link", "--sak"],
            "feil: --sak <NN/ÅÅÅÅ> mangler en verdi",
            "saksgang link --sak NN/ÅÅÅÅ [--body ID]",
        ),
    ];
    for (args, message, help) in cases {
        let o = saksgang(args);
        let text = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {text}");
        assert!(stdout(&o).is_empty(), "{args:?}");
        assert!(text.starts_with(message), "{args:?}: {text}");
        assert!(
            text.contains("slik retter du det: bruk: saksgang"),
            "{args:?}: {text}"
        );
        assert!(text.contains(help), "{args:?}: {help:?} in {text}");
        for english in ENGLISH {
            assert!(!text.contains(english), "{args:?}: {english:?} in {text}");
        }
    }
    // No command at all: the Norwegian overview, and exit code 2.
    let o = saksgang(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Kommandoer:"), "{}", stderr(&o));
}
