//! Properties of the output as a whole: deterministic, accessible base markup,
//! and themes that can be overridden file by file.

use crate::support::{build, build_into, copy_dir, files, fixture, repo};

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    for root in [repo(), fixture("contract")] {
        let a = build(&root);
        let b = build(&root);
        assert!(a.success && b.success, "{}{}", a.stderr, b.stderr);
        let (fa, fb) = (files(&a.out), files(&b.out));
        assert!(fa.len() > 10, "{} files", fa.len());
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (k, v) in &fa {
            assert!(v == &fb[k], "{k} differs between two builds");
        }
    }
}

#[test]
fn a_rebuild_of_unchanged_content_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert!(build_into(&fixture("contract"), &out).success);
    let second = build_into(&fixture("contract"), &out);
    assert!(
        second.stdout.contains(": 0 nye eller endret,"),
        "{}",
        second.stdout
    );
}

#[test]
fn every_page_has_language_landmarks_and_one_h1() {
    let b = build(&repo());
    assert!(b.success, "{}", b.stderr);
    for (path, bytes) in files(&b.out) {
        if !path.ends_with(".html") || path.contains("redirect") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"nb\">"),
            "{path}"
        );
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert_eq!(html.matches("<h1").count(), 1, "{path} has one h1");
        for landmark in [
            "<header",
            "<nav",
            "<main id=\"innhold\"",
            "<footer",
            "href=\"#innhold\"",
        ] {
            assert!(html.contains(landmark), "{path} lacks {landmark}");
        }
        assert!(
            !html.contains("http://") || !html.contains("src=\"http"),
            "{path} loads nothing from outside"
        );
        // Headings never skip a level going down (h2 → h4).
        let mut last = 1;
        for (i, _) in html.match_indices("<h") {
            let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else {
                continue;
            };
            assert!(
                level <= last + 1,
                "{path}: h{last} followed by h{level} at byte {i}"
            );
            last = level;
        }
    }
}

#[test]
fn a_sites_own_theme_overrides_one_template_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&fixture("contract/content"), &root.join("content"));
    let templates = root.join("themes/egen/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Egen feilside</h1>{% endblock content %}",
    )
    .unwrap();
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        format!("{site}theme: egen\n"),
    )
    .unwrap();
    let b = build(root);
    assert!(b.success, "{}", b.stderr);
    assert!(b.page("404.html").contains("<h1>Egen feilside</h1>"));
    assert!(
        b.page("index.html").contains("<h2>Nyeste møter</h2>"),
        "other templates come from the built-in theme"
    );
    assert!(b.has("static/style.css"));
}
