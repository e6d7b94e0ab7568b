//! Safe to publish: what a build puts on a public web site cannot be turned
//! against its readers. Every page carries a Content-Security-Policy that the
//! theme keeps (no inline script or style), the feeds and the calendar are
//! escaped whatever the settings and the minutes hold, and the settings that
//! name places (`base_url`, `theme:`) or dates are checked where they are written.

use std::path::{Path, PathBuf};

use crate::support::{build_with, copy_dir, html_files, repo};

/// The policy of every page of the default theme.
const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
    script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'\">";

/// The seed archive with an old address, so that a redirect page is written too.
fn seed_with_alias(dir: &Path) -> PathBuf {
    let root = dir.join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let meeting = root.join("content/meetings/2017/2017-02-23-radmannsgruppen.md");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let text = text.replacen("---\n", "---\naliases: [/referater/gammel/]\n", 1);
    std::fs::write(&meeting, text).unwrap();
    root
}

/// The tags of a page (`<a href="…">`), with their attribute values blanked, so
/// that a value can never look like an attribute.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let mut tag = String::new();
        let mut quote = None;
        for c in rest[..end].chars() {
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    tag.push(c);
                }
                Some(_) => {}
                None => {
                    if c == '"' || c == '\'' {
                        quote = Some(c);
                    }
                    tag.push(c.to_ascii_lowercase());
                }
            }
        }
        out.push(tag);
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_page_of_both_editions_has_the_csp_first_and_no_inline_script_or_style() {
    let dir = tempfile::tempdir().unwrap();
    let root = seed_with_alias(dir.path());
    for (edition, args) in [("web", &[][..]), ("offline", &["--offline"][..])] {
        let out = dir.path().join(edition);
        let built = build_with(&root, &out, args);
        assert!(built.success, "{}", built.stderr);
        let pages = html_files(&out);
        assert!(pages.len() > 50, "{edition}: {} pages", pages.len());
        assert!(
            pages.iter().any(|p| p == "referater/gammel/index.html"),
            "{edition}: the redirect page is among those checked"
        );
        if edition == "web" {
            assert!(pages.iter().any(|p| p == "404.html"));
        }
        for page in &pages {
            let html = std::fs::read_to_string(out.join(page)).unwrap();
            let head = html
                .split_once("<head>\n")
                .unwrap_or_else(|| panic!("{edition} {page}: no <head>"))
                .1;
            assert!(
                head.starts_with(&format!("<meta charset=\"utf-8\">\n{CSP}\n")),
                "{edition} {page}: the policy must follow the charset, before any \
                 script, style or link:\n{}",
                &head[..head.len().min(400)]
            );
            for tag in tags(&html) {
                let name: String = tag[1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                assert!(name != "style", "{edition} {page}: a <style> block: {tag}");
                assert!(
                    name != "script" || tag.contains(" src="),
                    "{edition} {page}: an inline <script>: {tag}"
                );
                let attributes = tag.split_whitespace().skip(1);
                for attribute in attributes {
                    let attribute = attribute.split('=').next().unwrap();
                    assert!(
                        attribute != "style" && !attribute.starts_with("on"),
                        "{edition} {page}: an inline {attribute} attribute: {tag}"
                    );
                }
                assert!(
                    !tag.contains("javascript:"),
                    "{edition} {page}: a script address: {tag}"
                );
            }
        }
    }
}
