//! The seed archive in a real browser: headless Chromium (Debian's `chromium`),
//! driven by `tests/browser/check.mjs` through playwright-core.
//!
//! The offline edition is opened from disk (`file://`) and crawled from
//! `index.html`: every internal link opens a file, every `#anchor` exists, no
//! page logs an error or makes a network request. Searches and an old address
//! (`aliases:`) are tried from `file://` and over http, where the web edition is
//! served under a path (`/arkiv/`), as on vestregionen.no.
//!
//! Every page it opens must keep its Content-Security-Policy (no violation event,
//! no console message about the policy), and on each site an inline script is
//! shown to be refused, so the policy is known to be enforced from `file://` too.
//!
//! Needs `/usr/bin/chromium` (or `CHROMIUM`), Node.js and `npm ci` in
//! `tests/browser/`. Without them the test cannot run, and Rust's test harness
//! has no "skipped" outcome decided at run time: it passes, but writes a notice
//! straight to the terminal's stderr, past the harness's capture, so that it
//! shows in the `cargo test` output even though the test passes ("ok" alone
//! would say the browser checks passed). On CI (`CI=true`) it fails instead:
//! `.ci/run` installs what it needs.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{build_with, copy_dir, repo};

pub(crate) fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why a browser test cannot run here, if it cannot: Chromium, Node.js and
/// playwright-core, and the npm `packages` and Java if the test needs them.
pub(crate) fn missing(packages: &[&str], java: bool) -> Option<String> {
    let modules = repo().join("tests/browser/node_modules");
    if !chromium().exists() {
        return Some(format!(
            "{} is missing (apt-get install -y chromium)",
            chromium().display()
        ));
    }
    for package in std::iter::once(&"playwright-core").chain(packages) {
        if !modules.join(package).exists() {
            return Some(format!(
                "tests/browser/node_modules/{package} is missing (cd tests/browser && npm ci)"
            ));
        }
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    if java && Command::new("java").arg("-version").output().is_err() {
        return Some("java is missing (apt-get install -y default-jre-headless)".into());
    }
    None
}

/// Whether the browser test `test` (its Norwegian name, `nettlesertesten`;
/// `english` for the CI message) cannot run for `why`. Then, off CI, it writes a
/// notice straight to the terminal, past the harness's capture (eprintln! would
/// show only on failure), and the caller returns; on CI (`CI=true`) it panics.
pub(crate) fn cannot_run(test: &str, english: &str, why: Option<String>) -> bool {
    let Some(why) = why else { return false };
    if std::env::var_os("CI").is_some_and(|v| v == "true") {
        panic!("the {english} must run on CI, but {why}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\nNB: {test} ble IKKE kjørt ({english} NOT run): {why}.\n    \
         Testen er regnet som bestått uten å ha sjekket noe; med CI=true feiler den.\n"
    );
    true
}

/// Runs `tests/browser/<script>` with `args` in Node.js: whether it passed, and
/// what it printed.
pub(crate) fn node(script: &str, args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .env("CHROMIUM", chromium())
        .output()
        .expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), report)
}

/// Runs the test `name` of this binary alone, as a browser that is not there
/// (and with `CI` set to `ci`, if given): whether it passed, and its output.
pub(crate) fn run_without_browser(name: &str, ci: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([name, "--exact", "--test-threads=1"])
        .env("CHROMIUM", "/finnes/ikke/chromium")
        .env_remove("CI");
    if let Some(ci) = ci {
        cmd.env("CI", ci);
    }
    let out = cmd.output().expect("run the test binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The seed archive with one old address, as a printed invitation may have it,
/// and a table with aligned columns.
fn seed_with_alias(dir: &Path) -> PathBuf {
    let root = dir.join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let meeting = root.join("content/meetings/2017/2017-02-23-radmannsgruppen.md");
    let text = std::fs::read_to_string(&meeting).unwrap();
    // A table with aligned columns: the one inline style the policy allows.
    let text = text.replacen(
        "---\n",
        "---\naliases: [/referater/radmannsgruppen-2017-02-23/]\n",
        1,
    ) + "\n| Kommune | Beløp | Merknad |\n|:--|--:|:-:|\n| Asker | 100 | ja |\n";
    std::fs::write(&meeting, text).unwrap();
    root
}

#[test]
fn the_seed_archive_works_in_chromium_from_disk_and_over_http() {
    if cannot_run("nettlesertesten", "browser test", missing(&[], false)) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = seed_with_alias(dir.path());
    let offline = dir.path().join("offline");
    let web = dir.path().join("web");
    for (out, args) in [(&offline, &["--offline"][..]), (&web, &[][..])] {
        let built = build_with(&root, out, args);
        assert!(built.success, "{}", built.stderr);
    }
    let spec = serde_json::json!({
        "offline": offline,
        "web": web,
        "web_prefix": "/arkiv/",
        "crawl": true,
        "crawl_web": true,
        "searches": [
            // Stemming: "kommunene" finds the plural and the genitive.
            {"q": "kommunene", "expect_title_contains": "Sak 17/2017 Kommunehelsesamarbeidet", "expect_kind": "Sak", "expect_mark": "kommunene"},
            // Without æ: Bærum, the municipality, first.
            {"q": "baerum", "expect_title_contains": "Bærum", "expect_kind": "Kommune", "expect_mark": "Bærum"},
            {"q": "Barum", "expect_title_contains": "Bærum", "expect_kind": "Kommune"},
            // An item number, as written with and without the leading zero.
            {"q": "17/2017", "expect_title_contains": "Sak 17/2017", "expect_kind": "Sak"},
            {"q": "4/2017", "expect_title_contains": "Sak 04/2017 Videreføring av Kommnehelsesamarbeidet", "expect_kind": "Sak"},
            {"q": "videreføring", "expect_title_contains": "Videreføring av Kommunehelsesamarbeidet", "expect_kind": "Saksgang", "expect_mark": "videreføring"},
            // A date finds the meeting of that day.
            {"q": "23.02.2017", "expect_title_contains": "Rådmannsgruppen torsdag 23. februar 2017", "expect_kind": "Møte"},
            // Filters by body and by year keep only what they name.
            {"q": "kommunene", "params": {"organ": "radmannsgruppen"}, "expect_title_contains": "Sak 17/2017", "expect_every_meta_contains": "Rådmannsgruppen ·"},
            {"q": "kommunene", "params": {"ar": "2018"}, "expect_title_contains": "Sak 01/2018", "expect_every_meta_contains": ".2018 ·"},
            {"q": "khs", "params": {"type": "t"}, "expect_title_contains": "Videreføring av Kommunehelsesamarbeidet", "expect_every_meta_contains": "Saksgang"},
        ],
        // The search box in the header, by keyboard alone.
        "keyboard": [
            {"q": "baerum", "expect_title_contains": "Bærum", "expect_kind": "Kommune"}
        ],
        // Without JavaScript the search page says so, and where to browse instead.
        "no_js": "Søket kjører i nettleseren og trenger JavaScript",
        "redirects": [
            {"from": "referater/radmannsgruppen-2017-02-23/", "to_contains": "moter/2017-02-23-radmannsgruppen/"},
            // An old address with an item's anchor, as invitations print them:
            // the anchor is kept.
            {"from": "referater/radmannsgruppen-2017-02-23/#sak-03-2017", "to_contains": "moter/2017-02-23-radmannsgruppen/", "hash": "#sak-03-2017"}
        ]
    });
    let spec_file = dir.path().join("spec.json");
    std::fs::write(&spec_file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let (passed, report) = node("check.mjs", &[spec_file.as_os_str()]);
    eprintln!("{report}");
    assert!(passed, "the browser found problems:\n{report}");
}

/// The notice of a browser test that could not run reaches the `cargo test`
/// output although the test passes, and with `CI=true` the test fails.
#[test]
fn a_browser_test_that_cannot_run_says_so_in_the_test_output() {
    const NAME: &str = "browser::the_seed_archive_works_in_chromium_from_disk_and_over_http";
    let run = |ci| run_without_browser(NAME, ci);
    let (passed, text) = run(None);
    assert!(passed, "{text}");
    assert!(text.contains("1 passed"), "the test itself ran: {text}");
    assert!(
        text.contains("nettlesertesten ble IKKE kjørt")
            && text.contains("/finnes/ikke/chromium is missing"),
        "the notice shows in the output of a passing test:\n{text}"
    );
    let (passed, text) = run(Some("true"));
    assert!(
        !passed,
        "on CI a browser test that cannot run fails:\n{text}"
    );
    assert!(text.contains("the browser test must run on CI"), "{text}");
}
