//! Safe to publish: what a build puts on a public web site cannot be turned
//! against its readers. Every page carries a Content-Security-Policy that the
//! theme keeps (no inline script or style), the feeds and the calendar are
//! escaped whatever the settings and the minutes hold, and the settings that
//! name places (`base_url`, `theme:`) or dates are checked where they are written.

use std::path::{Path, PathBuf};

use crate::support::{build, build_with, copy_dir, fixture, html_files, repo};

/// The policy of every page of the default theme.
const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
    script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'\">";

/// The seed archive with an old address, so that a redirect page is written
/// too, and a table with aligned columns in one meeting's minutes.
fn seed_with_alias(dir: &Path) -> PathBuf {
    let root = dir.join("arkiv");
    copy_dir(&repo().join("content"), &root.join("content"));
    let meeting = root.join("content/meetings/2017/2017-02-23-radmannsgruppen.md");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let text = text.replacen("---\n", "---\naliases: [/referater/gammel/]\n", 1)
        + "\n| Kommune | Beløp | Merknad |\n|:--|--:|:-:|\n| Asker | 100 | ja |\n";
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
            assert!(
                !html.contains(" style=\""),
                "{edition} {page}: a style attribute, which the policy forbids"
            );
            if page.starts_with("moter/2017-02-23-radmannsgruppen/") && page.ends_with("index.html")
            {
                assert!(
                    html.contains("<th class=\"hoyre\">Beløp</th>")
                        && html.contains("<td class=\"midtstilt\">ja</td>"),
                    "{edition} {page}: the aligned table keeps its alignment as a class"
                );
            }
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

/// A copy of the contract fixture, with `change` applied to the text of the
/// files it names, to try one setting or value.
fn contract_with(dir: &Path, changes: &[(&str, &dyn Fn(String) -> String)]) -> PathBuf {
    let root = dir.join("arkiv");
    copy_dir(&fixture("contract"), &root);
    for (file, change) in changes {
        let path = root.join("content").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, change(text)).unwrap();
    }
    root
}

/// A `site.yaml` line replaced (or added, for a key it does not have).
fn set(key: &'static str, value: &'static str) -> impl Fn(String) -> String {
    move |text: String| {
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}:")))
            .map(str::to_string)
            .collect();
        lines.insert(1, format!("{key}: {value}"));
        lines.join("\n") + "\n"
    }
}

/// A minimal well-formedness check of an XML file, enough to see an injected
/// attribute or a stray character: only characters XML 1.0 allows, tags that
/// nest, attributes `name="value"` with no `<` or quote in the value, and `&`
/// only as an entity.
fn assert_well_formed(xml: &str, what: &str) {
    if let Some(c) = xml.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    }) {
        panic!(
            "{what}: the character U+{:04X} is not allowed in XML:\n{xml}",
            c as u32
        );
    }
    let entity_ok = |rest: &str| {
        ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
            .iter()
            .any(|e| rest.starts_with(e))
            || rest.strip_prefix("&#").is_some_and(|r| {
                let n = r.chars().take_while(char::is_ascii_digit).count();
                n > 0 && r[n..].starts_with(';')
            })
    };
    let mut open: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < xml.len() {
        let rest = &xml[i..];
        if rest.starts_with("<?") {
            i += rest.find("?>").expect("an unclosed <?") + 2;
            continue;
        }
        if rest.starts_with('&') {
            assert!(entity_ok(rest), "{what}: a bare & at byte {i}:\n{xml}");
        }
        if !rest.starts_with('<') {
            i += rest.chars().next().unwrap().len_utf8();
            continue;
        }
        // A tag: <name attr="v" …> or </name> or <name …/>.
        let closing = rest.starts_with("</");
        let mut j = if closing { 2 } else { 1 };
        let name_len = rest[j..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .expect("an unclosed tag");
        let name = &rest[j..j + name_len];
        assert!(!name.is_empty(), "{what}: an empty tag name at byte {i}");
        j += name_len;
        loop {
            let t = &rest[j..];
            let ws = t.len() - t.trim_start().len();
            j += ws;
            let t = &rest[j..];
            if let Some(after) = t.strip_prefix("/>") {
                let _ = after;
                j += 2;
                break;
            }
            if t.starts_with('>') {
                j += 1;
                if closing {
                    assert_eq!(open.pop(), Some(name), "{what}: </{name}> at byte {i}");
                } else {
                    open.push(name);
                }
                break;
            }
            assert!(
                !closing && ws > 0,
                "{what}: junk in the tag at byte {}:\n{xml}",
                i + j
            );
            let eq = t
                .find('=')
                .unwrap_or_else(|| panic!("{what}: an attribute with no value at byte {}", i + j));
            let attr = &t[..eq];
            assert!(
                !attr.is_empty()
                    && attr
                        .chars()
                        .all(|c| c.is_alphanumeric() || ":-_.".contains(c)),
                "{what}: a bad attribute name {attr:?} at byte {}",
                i + j
            );
            let quote = t[eq + 1..].chars().next().expect("a value");
            assert!(
                quote == '"' || quote == '\'',
                "{what}: an unquoted value at byte {}",
                i + j
            );
            let value_start = eq + 2;
            let value_len = t[value_start..].find(quote).expect("an unclosed value");
            let value = &t[value_start..value_start + value_len];
            assert!(
                !value.contains('<'),
                "{what}: a < in an attribute value: {value}"
            );
            for (k, _) in value.match_indices('&') {
                assert!(entity_ok(&value[k..]), "{what}: a bare & in {value}");
            }
            j += value_start + value_len + 1;
        }
        i += j;
    }
    assert!(open.is_empty(), "{what}: unclosed elements {open:?}");
}

#[test]
fn the_feed_and_the_sitemap_stay_well_formed_whatever_the_names_hold() {
    let dir = tempfile::tempdir().unwrap();
    let root = contract_with(
        dir.path(),
        &[
            (
                "site.yaml",
                &set("title", r#""Arkiv \x01\x0b <b> & \"sitat\" 'enkelt'""#),
            ),
            ("bodies.yaml", &|t: String| {
                t.replace(
                    "name: Trondheimsregionen",
                    r#"name: "Trondheims\x07regionen <i>""#,
                )
            }),
        ],
    );
    let b = build(&root);
    assert!(b.success, "{}", b.stderr);
    for file in ["nytt.xml", "sitemap.xml"] {
        assert_well_formed(&b.page(file), file);
    }
    let feed = b.page("nytt.xml");
    assert!(
        feed.contains("<title>Arkiv  &lt;b&gt; &amp; &quot;sitat&quot; &apos;enkelt&apos;</title>"),
        "{feed}"
    );
    assert!(feed.contains("Trondheimsregionen &lt;i&gt;"), "{feed}");
}

#[test]
fn a_carriage_return_in_a_place_cannot_forge_a_calendar_event() {
    let dir = tempfile::tempdir().unwrap();
    let forged = r#"place: "Fylkets hus\rEND:VEVENT\rBEGIN:VEVENT\rUID:falsk\rSUMMARY:Falskt møte\rDTSTART:20990101\r\nLOCATION:x\u0000y;z,æ""#;
    let root = contract_with(
        dir.path(),
        &[("meetings/2020/2020-01-15-fsu.md", &|t: String| {
            t.replace("place: Fylkets hus", forged)
        })],
    );
    let b = build(&root);
    assert!(b.success, "{}", b.stderr);
    let ics = b.page("moter.ics");
    // Every line ends in CRLF, and no CR or other control is left inside one.
    let body = ics.strip_suffix("\r\n").expect("ends in CRLF");
    for line in body.split("\r\n") {
        assert!(
            !line.chars().any(char::is_control),
            "a control character in the line {line:?}"
        );
        assert!(line.len() <= 75, "longer than 75 octets: {line:?}");
    }
    let unfolded = body.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    let meetings = std::fs::read_dir(root.join("content/meetings/2020"))
        .unwrap()
        .count()
        + std::fs::read_dir(root.join("content/meetings/2006"))
            .unwrap()
            .count();
    let events = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
    assert!(events >= 2 && events <= meetings, "{events} events:\n{ics}");
    assert_eq!(lines.iter().filter(|l| **l == "END:VEVENT").count(), events);
    assert!(!lines.iter().any(|l| l.starts_with("UID:falsk")), "{ics}");
    assert!(
        lines.contains(
            &"LOCATION:Fylkets hus\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:falsk\\nSUMMARY:Falskt møte\\nDTSTART:20990101\\nLOCATION:xy\\;z\\,æ"
        ),
        "the place is one escaped text value:\n{ics}"
    );
}

/// The first error of a build that should have stopped at `site.yaml`.
fn site_error(key: &'static str, value: &'static str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = contract_with(dir.path(), &[("site.yaml", &set(key, value))]);
    let b = build(&root);
    assert!(
        !b.success,
        "{key}: {value} was accepted; nytt.xml:\n{}",
        std::fs::read_to_string(b.out.join("nytt.xml")).unwrap_or_default()
    );
    b.stderr
}

#[test]
fn a_quote_in_base_url_is_an_error_at_the_value_and_never_reaches_the_feed() {
    let err = site_error(
        "base_url",
        r#"'https://example.org/arkiv/" onload="alert(1)'"#,
    );
    assert!(
        err.contains("feil: base_url kan ikke inneholde «\"»\n --> content/site.yaml:2:11\n"),
        "{err}"
    );
    assert!(
        err.contains("slik retter du det: skriv adressen der arkivet publiseres uten tegnet"),
        "{err}"
    );
}

#[test]
fn base_url_must_be_an_absolute_http_address_of_a_folder() {
    for (value, message, help) in [
        (
            "ftp://example.org/arkiv/",
            "base_url må være en fullstendig nettadresse",
            "skriv hele adressen",
        ),
        (
            "/arkiv/",
            "base_url må være en fullstendig nettadresse",
            "skriv hele adressen",
        ),
        (
            "https:///arkiv/",
            "base_url mangler et gyldig vertsnavn",
            "skriv domenet",
        ),
        (
            "https://example.org//arkiv/",
            "base_url har «//» i stien",
            "skriv «https://example.org/arkiv/»",
        ),
        (
            "https://example.org/arkiv",
            "base_url må slutte med «/»",
            "skriv «https://example.org/arkiv/»",
        ),
        (
            "https://example.org/ar kiv/",
            "base_url kan ikke inneholde mellomrom",
            "uten tegnet",
        ),
        (
            r#""https://example.org/\rarkiv/""#,
            "base_url kan ikke inneholde kontrolltegnet U+000D",
            "uten tegnet",
        ),
        (
            "https://example.org/arkiv/?x=1",
            "base_url kan ikke ha «?» eller «#»",
            "ta bort alt",
        ),
    ] {
        let err = site_error("base_url", value);
        assert!(
            err.contains(&format!("feil: {message}\n --> content/site.yaml:2:11\n")),
            "{value}: {err}"
        );
        assert!(err.contains(help), "{value}: {err}");
    }
}

#[test]
fn language_must_be_a_language_tag() {
    let err = site_error("language", r#"'nb" onload="x'"#);
    assert!(
        err.contains("feil: language må være en språkkode\n --> content/site.yaml:2:11\n"),
        "{err}"
    );
    assert!(err.contains("«nb» for bokmål"), "{err}");
    for ok in ["nb", "nn", "no", "en", "nb-NO"] {
        let dir = tempfile::tempdir().unwrap();
        let root = contract_with(dir.path(), &[("site.yaml", &set("language", ok))]);
        let b = build(&root);
        assert!(b.success, "{ok}: {}", b.stderr);
    }
}

#[test]
fn theme_must_name_a_folder_in_themes_and_nothing_outside_is_published() {
    for value in ["../utenfor", "/tmp", "eget/../../utenfor", ".."] {
        let dir = tempfile::tempdir().unwrap();
        let root = contract_with(dir.path(), &[("site.yaml", &set("theme", value))]);
        // What a path could reach: a folder beside themes/ with a static/ folder.
        std::fs::create_dir_all(root.join("utenfor/static")).unwrap();
        std::fs::write(root.join("utenfor/static/hemmelig.txt"), "hemmelig").unwrap();
        std::fs::create_dir_all(root.join("themes/eget")).unwrap();
        let b = build(&root);
        assert!(
            !b.has("static/hemmelig.txt"),
            "{value}: a file outside themes/ was published"
        );
        assert!(!b.success, "{value} was accepted");
        assert!(
            b.stderr.contains(
                "feil: theme må være navnet på en mappe i themes/\n --> content/site.yaml:2:8\n"
            ),
            "{value}: {}",
            b.stderr
        );
    }
}

#[test]
fn an_implausible_date_is_a_warning_at_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let root = contract_with(
        dir.path(),
        &[
            ("meetings/2020/2020-01-15-fsu.md", &|t: String| {
                t.replace(
                    "date: 2020-01-15\n",
                    "date: 2020-01-15\nend_date: 2071-06-01\n",
                )
            }),
            ("threads/forvaltningsreformen.md", &|t: String| {
                t.replace("  - date: 2006-06-01", "  - date: 0000-01-01")
            }),
            ("municipalities.yaml", &|t: String| {
                t.replace(
                    "valid_to: 2019-12-31\n  merged_into: trondheim",
                    "valid_to: 1899-12-31\n  merged_into: trondheim",
                )
            }),
        ],
    );
    let b = build(&root);
    assert!(b.success, "only warnings: {}", b.stderr);
    for (date, at, label) in [
        (
            "2071-06-01",
            "content/meetings/2020/2020-01-15-fsu.md:5:11",
            "end_date er etter",
        ),
        (
            "0000-01-01",
            "content/threads/forvaltningsreformen.md:6:11",
            "date er før 1900-01-01",
        ),
        (
            "1899-12-31",
            "content/municipalities.yaml:8:13",
            "valid_to er før 1900-01-01",
        ),
    ] {
        assert!(
            b.stderr.contains(&format!(
                "advarsel: datoen {date} er neppe riktig\n --> {at}\n"
            )),
            "{date}: {}",
            b.stderr
        );
        assert!(b.stderr.contains(label), "{label}: {}", b.stderr);
    }
    assert!(b.stderr.contains("sjekk årstallet"), "{}", b.stderr);
    // A plausible date says nothing.
    let quiet = build(&fixture("contract"));
    assert!(!quiet.stderr.contains("neppe riktig"), "{}", quiet.stderr);
}

#[cfg(unix)]
#[test]
fn a_theme_folder_that_links_outside_themes_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = contract_with(dir.path(), &[("site.yaml", &set("theme", "lenket"))]);
    let outside = dir.path().join("utenfor");
    std::fs::create_dir_all(outside.join("static")).unwrap();
    std::fs::write(outside.join("static/hemmelig.txt"), "hemmelig").unwrap();
    std::fs::create_dir_all(root.join("themes")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("themes/lenket")).unwrap();
    let b = build(&root);
    assert!(
        !b.has("static/hemmelig.txt"),
        "a file outside themes/ was published"
    );
    assert!(!b.success, "{}", b.stderr);
    assert!(
        b.stderr
            .contains("feil: temaet «lenket» er en lenke til en mappe utenfor themes/"),
        "{}",
        b.stderr
    );
}

#[test]
fn base_url_may_have_a_port_a_letter_beyond_ascii_and_a_path() {
    for ok in [
        "http://127.0.0.1:8000/",
        "https://bærum.kommune.no/møter/",
        "HTTPS://EXAMPLE.ORG/Arkiv/2017/",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = contract_with(dir.path(), &[("site.yaml", &set("base_url", ok))]);
        let b = build(&root);
        assert!(b.success, "{ok}: {}", b.stderr);
    }
}
