//! Accessibility and layout of the default theme, measured in headless Chromium
//! (issue 11's "Done when"), by `tests/browser/a11y.mjs` through playwright-core,
//! with axe-core and the Nu HTML Checker (`vnu-jar`, run with Java).
//!
//! Three archives are built (web edition, served over http under `/arkiv/`): the
//! seed archive (`content/`), the contract fixture (`tests/fixtures/contract`) and
//! a 200-meeting archive from `examples/gen-archive`. On them:
//!
//! - **axe-core** (tags wcag2a, wcag2aa, wcag21a, wcag21aa): zero violations on
//!   every page in light at 1280 px, dark (`prefers-color-scheme: dark`) at
//!   1280 px and light at 320 px;
//! - **Nu HTML Checker** (`--errors-only`) over every HTML file: zero errors;
//! - **reflow** (WCAG 1.4.10): at 320 px no page scrolls sideways
//!   (`scrollWidth <= clientWidth`); a failure names the elements that stick out;
//!   and a box that scrolls sideways on its own at 320 px (a wide table) has
//!   `tabindex="0"` and `aria-label`/`aria-labelledby`, so a keyboard reaches it
//!   and a screen reader names it;
//! - **"Saksgang" boxes** (`[data-saksgang]` or `.saksgang`) on meeting pages at
//!   1280 px: no box overlaps another box or the lines of a paragraph or
//!   `.vedtak` of its item, no paragraph of an `article.sak` has lines narrower
//!   than 250 px, no box narrower than 12rem, and boxes are drawn (top, then
//!   left) in DOM (reading and Tab) order; on paper again no overlap and order;
//! - **keyboard** (seed: front page, a meeting, a thread, a municipality, a body,
//!   search; light and dark): the first Tab stop is the skip link `a.hopp`, Enter
//!   moves focus to `main#innhold` without changing its background, and every
//!   Tab stop (up to 200) has a focus indicator (outline ≥ 2 px or a box-shadow)
//!   with contrast ≥ 3:1 (WCAG relative luminance, from computed colours) against
//!   the background behind the element and its own background; no focus trap;
//! - **print** (seed: a meeting and a thread): no main navigation, breadcrumbs,
//!   search form or footer links on paper; `main` with its `h1` is;
//! - **screenshots** of the seed: front page, meeting, thread, municipality and
//!   body at 1280 and 320 px, light and dark, to
//!   `docs/skjermbilder/<side>-<bredde>-<lys|mork>.png` (the README shows them).
//!
//! On the 200-meeting archive (about 1,800 pages) the browser checks take a
//! sample of 20 pages: the front page, the lists and search, the rest evenly
//! spaced in path order (meetings, municipalities and their year pages, bodies,
//! threads). Every page would take 30 minutes or more on two cores, at about a
//! second a page for three axe runs; the seed and the contract fixture are
//! checked on every page, and the Nu checker reads every page of all three.
//!
//! What automation cannot decide, and needs a person: whether text alternatives
//! and drawn figures' text equivalents say the right thing (1.1.1), meaningful
//! reading sequence beyond DOM order (1.3.2) and whether structure matches meaning
//! (1.3.1), sensory wording (1.3.3), colour as the only cue where axe cannot
//! see it (1.4.1), text spacing overrides (1.4.12), content on hover or focus
//! (1.4.13), whether the focus order makes sense (2.4.3), link purpose in context
//! (2.4.4), heading and label quality (2.4.6), language of parts (3.1.2),
//! consistent navigation and identification across pages (3.2.3, 3.2.4), error
//! suggestions (3.3.3), pointer and touch gestures and target use on a phone
//! (2.5.x), and how a screen reader actually announces the proposal → decision
//! difference (4.1.2 beyond roles and names).
//!
//! To run only these checks: `cargo test --test it a11y`. While iterating:
//! - `A11Y_SITES=seed` (or `contract`, `gen`, comma-separated): only these archives;
//! - `A11Y_ONLY=axe,vnu,reflow,saksgang,keyboard,print,shots`: only these checks;
//! - `A11Y_SAMPLE=N`: check N pages of every archive in the browser (the 200-meeting
//!   archive's sample size otherwise); `A11Y_MEETINGS=N`: size of the generated archive;
//! - `A11Y_SKJERMBILDER=DIR`: write the screenshots there instead of `docs/skjermbilder`.
//!
//! Needs `/usr/bin/chromium` (or `CHROMIUM`), Node.js, Java (`java` on PATH) and
//! `npm ci` in `tests/browser/`. Without them the test passes with a notice written
//! past the harness's capture (as `browser.rs` does); with `CI=true` it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser::{cannot_run, node, run_without_browser};
use crate::support::{build_with, fixture, repo};

/// Why the accessibility test cannot run here, if it cannot.
fn missing() -> Option<String> {
    crate::browser::missing(&["axe-core", "vnu-jar"], true)
}

fn wanted(site: &str) -> bool {
    std::env::var("A11Y_SITES").map_or(true, |s| s.split(',').any(|x| x.trim() == site))
}

/// The `gen-archive` example, built if `cargo test` did not build it already
/// (`cargo test --test it` builds no examples).
fn gen_archive() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/it-… → target/<profile>/examples/gen-archive
    let profile = exe.parent().and_then(Path::parent).unwrap();
    let bin = profile.join("examples/gen-archive");
    if !bin.exists() {
        let target = profile.parent().unwrap();
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "gen-archive"])
            .arg("--target-dir")
            .arg(target)
            .current_dir(repo())
            .status()
            .expect("run cargo build --example gen-archive");
        assert!(status.success(), "cargo build --example gen-archive failed");
    }
    bin
}

/// Builds the web edition of `root` into `out`.
fn web(root: &Path, out: &Path) {
    let built = build_with(root, out, &[]);
    assert!(built.success, "{}: {}", root.display(), built.stderr);
}

#[test]
fn the_default_theme_passes_the_accessibility_checks() {
    if cannot_run("tilgjengelighetstesten", "accessibility test", missing()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut sites = Vec::new();
    if wanted("seed") {
        let out = dir.path().join("seed");
        web(&repo(), &out);
        let shots = std::env::var_os("A11Y_SKJERMBILDER")
            .map_or_else(|| repo().join("docs/skjermbilder"), PathBuf::from);
        sites.push(serde_json::json!({
            "name": "seed",
            "web": out,
            "prefix": "/arkiv/",
            "keyboard": [
                "",
                "moter/2018-06-14-khs-ordforermote/",
                "saker/khs-videreforing/",
                "kommuner/baerum/",
                "organer/radmannsgruppen/",
                "sok/",
                "sok/?q=baerum",
            ],
            "print": ["moter/2018-06-14-khs-ordforermote/", "saker/khs-videreforing/"],
            "screenshots": {
                "dir": shots,
                "pages": {
                    "forside": "",
                    "mote": "moter/2018-06-14-khs-ordforermote/",
                    "sak": "saker/khs-videreforing/",
                    "kommune": "kommuner/baerum/",
                    "organ": "organer/radmannsgruppen/",
                },
            },
        }));
    }
    if wanted("contract") {
        let out = dir.path().join("contract");
        web(&fixture("contract"), &out);
        sites.push(serde_json::json!({"name": "contract", "web": out, "prefix": "/arkiv/"}));
    }
    if wanted("gen") {
        let meetings = std::env::var("A11Y_MEETINGS").unwrap_or_else(|_| "200".into());
        let root = dir.path().join("gen-archive");
        let generated = Command::new(gen_archive())
            .args(["--meetings", &meetings, "--out"])
            .arg(&root)
            .output()
            .expect("run gen-archive");
        assert!(
            generated.status.success(),
            "gen-archive: {}",
            String::from_utf8_lossy(&generated.stderr)
        );
        let out = dir.path().join("gen");
        web(&root, &out);
        sites.push(serde_json::json!({
            "name": format!("gen-{meetings}"),
            "web": out,
            "prefix": "/arkiv/",
            "sample": 20,
            "vnu_lines": 10,
        }));
    }
    let spec_file = dir.path().join("spec.json");
    let spec = serde_json::json!({ "sites": sites });
    std::fs::write(&spec_file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let (passed, report) = node("a11y.mjs", &[spec_file.as_os_str()]);
    assert!(passed, "the accessibility checks found problems:\n{report}");
}

/// The notice of an accessibility test that could not run reaches the
/// `cargo test` output although the test passes, and with `CI=true` it fails.
#[test]
fn an_accessibility_test_that_cannot_run_says_so() {
    const NAME: &str = "a11y::the_default_theme_passes_the_accessibility_checks";
    let run = |ci| run_without_browser(NAME, ci);
    let (passed, text) = run(None);
    assert!(passed, "{text}");
    assert!(
        text.contains("tilgjengelighetstesten ble IKKE kjørt")
            && text.contains("/finnes/ikke/chromium is missing"),
        "the notice shows in the output of a passing test:\n{text}"
    );
    let (passed, text) = run(Some("true"));
    assert!(
        !passed,
        "on CI an accessibility test that cannot run fails:\n{text}"
    );
    assert!(
        text.contains("the accessibility test must run on CI"),
        "{text}"
    );
}
