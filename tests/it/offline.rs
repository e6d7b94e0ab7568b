//! The two editions: the web edition with clean addresses, and the offline
//! edition read from disk, as a folder or a zip file; and the search index,
//! which both carry. (What a browser makes of them is in `browser.rs`.)

use std::path::Path;
use std::process::Command;

use crate::support::{attribute_values, between, build_with, copy_dir, fixture, html_files, repo};

/// Splits `moter/x/index.html#sak-04-2017` into path and fragment.
fn split_fragment(link: &str) -> (&str, Option<&str>) {
    let no_query = link.split('?').next().unwrap_or(link);
    match no_query.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (no_query, None),
    }
}

/// Whether a link is to another file of the site.
fn is_internal(link: &str) -> bool {
    !link.starts_with('#') && !link.contains(':') && !link.is_empty()
}

/// `a/b/../c` → `a/c`, for a link relative to the page at `page`.
fn resolve(page: &str, link: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_of_the_offline_edition_names_a_file_that_exists() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("offline");
    let built = build_with(&repo(), &out, &["--offline"]);
    assert!(built.success, "{}", built.stderr);
    assert!(
        built.stdout.contains("index.html i en nettleser"),
        "{}",
        built.stdout
    );

    let pages = html_files(&out);
    assert!(pages.len() > 50, "the seed site has its pages: {pages:?}");
    let mut checked = 0;
    for page in &pages {
        let html = built.page(page);
        let mut links = attribute_values(&html, "href");
        links.extend(attribute_values(&html, "src"));
        links.extend(attribute_values(&html, "action"));
        for link in links.iter().filter(|l| is_internal(l)) {
            let (path, fragment) = split_fragment(link);
            let target = resolve(page, path);
            let file = out.join(&target);
            assert!(
                file.is_file(),
                "{page}: the link {link} does not name a file (offline links must name index.html)"
            );
            if let Some(id) = fragment {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    text.contains(&format!(" id=\"{id}\"")),
                    "{page}: {link}: {target} has no element with id {id}"
                );
            }
            checked += 1;
        }
        // Nothing points at the web edition or needs a network.
        assert!(
            !html.contains("href=\"https://vestregionen.no") && !html.contains("src=\"http"),
            "{page} refers outside the folder"
        );
    }
    assert!(checked > 500, "only {checked} links were checked");
    // Files for a web server and subscribers are not in the offline edition.
    for web_only in ["sitemap.xml", "nytt.xml", "moter.ics", "manifest.txt"] {
        assert!(
            !built.has(web_only),
            "{web_only} is written only for the web"
        );
    }
    let front = built.page("index.html");
    assert!(front.contains("<a href=\"./index.html\">"), "{front}");
    assert!(front.contains("action=\"./sok/index.html\""));
    assert!(front.contains("nedlastet kopi av arkivet"));
    assert!(!front.contains("Last ned arkivet"));
}

#[test]
fn the_web_edition_keeps_clean_addresses_and_links_to_its_download() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let built = build_with(&repo(), &out, &["--bundle"]);
    assert!(built.success, "{}", built.stderr);
    let meeting = built.page("moter/2017-06-01-radmannsgruppen/index.html");
    let links: Vec<String> = attribute_values(&meeting, "href")
        .into_iter()
        .filter(|l| is_internal(l))
        .collect();
    assert!(links.contains(&"../../moter/".to_string()), "{links:?}");
    assert!(
        links.iter().all(|l| !l.contains("index.html")),
        "the web edition has clean addresses: {links:?}"
    );
    assert!(meeting.contains(
        "<form class=\"sokeboks\" role=\"search\" action=\"../../sok/\" method=\"get\">"
    ));
    let zip = std::fs::metadata(out.join("arkiv.zip")).unwrap().len();
    assert!(zip > 50_000, "the zip holds the site: {zip} bytes");
    assert!(
        meeting.contains("<a href=\"../../arkiv.zip\" download>Last ned arkivet</a> (zip, "),
        "{}",
        crate::support::between(&meeting, "<footer", "</footer>")
    );
    // The web edition's own files are there.
    for file in [
        "sitemap.xml",
        "nytt.xml",
        "moter.ics",
        "manifest.txt",
        "sok/indeks.js",
    ] {
        assert!(built.has(file), "{file}");
    }
}

fn bundle(root: &Path, file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(["bundle", "--root"])
        .arg(root)
        .arg("--output")
        .arg(file)
        .output()
        .expect("run saksgang")
}

#[test]
fn the_bundle_is_the_offline_edition_zipped_the_same_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.zip");
    let second = dir.path().join("b.zip");
    for file in [&first, &second] {
        let out = bundle(&repo(), file);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bytes = std::fs::read(&first).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(&second).unwrap(),
        "byte-identical zips"
    );

    // The zip holds exactly the offline edition, in a folder.
    let offline = dir.path().join("offline");
    let built = build_with(&repo(), &offline, &["--offline"]);
    assert!(built.success, "{}", built.stderr);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    let mut expected: Vec<String> = walkdir::WalkDir::new(&offline)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with(".saksgang")
        })
        .map(|e| {
            let rel = e.path().strip_prefix(&offline).unwrap();
            format!("arkiv/{}", rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    let mut front = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("arkiv/index.html").unwrap(), &mut front)
        .unwrap();
    assert_eq!(front, built.page("index.html"));

    // The web edition's download is the same file.
    let web = dir.path().join("public");
    let built = build_with(&repo(), &web, &["--bundle"]);
    assert!(built.success, "{}", built.stderr);
    assert_eq!(
        std::fs::read(web.join("arkiv.zip")).unwrap(),
        std::fs::read(&first).unwrap()
    );
}

#[test]
fn a_failed_bundle_leaves_the_old_zip() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("errors/broken-link"), &root);
    let file = dir.path().join("arkiv.zip");
    std::fs::write(&file, b"the old zip").unwrap();
    let out = bundle(&root, &file);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ingenting ble skrevet"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), b"the old zip");
}

#[test]
fn redirects_work_in_both_editions_and_stay_out_of_the_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    // The fixture's meeting of 9 March 2006 had an earlier address; add another.
    let meeting = root.join("content/meetings/2006/2006-03-09-tr.md");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let text = text.replace(
        "aliases: [/moter/2006-03-09-trondheimsregionen/]",
        "aliases: [/moter/2006-03-09-trondheimsregionen/, /gamle/tr-mars-2006/]",
    );
    std::fs::write(&meeting, text).unwrap();

    let web = build_with(&root, &dir.path().join("web"), &[]);
    assert!(web.success, "{}", web.stderr);
    let redirect = web.page("gamle/tr-mars-2006/index.html");
    assert!(
        redirect.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../moter/2006-03-09-tr/\">"
        ),
        "{redirect}"
    );
    let sitemap = web.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/arkiv/moter/2006-03-09-tr/</loc>"));
    assert!(
        !sitemap.contains("gamle") && !sitemap.contains("trondheimsregionen"),
        "a redirect is not a page: {sitemap}"
    );
    assert!(!sitemap.contains("404"), "{sitemap}");
    // The manifest keeps the old address, so it is never reported as gone.
    assert!(web.page("manifest.txt").contains("/gamle/tr-mars-2006/\n"));

    let offline = build_with(&root, &dir.path().join("offline"), &["--offline"]);
    assert!(offline.success, "{}", offline.stderr);
    let redirect = offline.page("gamle/tr-mars-2006/index.html");
    assert!(
        redirect.contains("url=../../moter/2006-03-09-tr/index.html\">"),
        "{redirect}"
    );
    assert!(redirect.contains("<a href=\"../../moter/2006-03-09-tr/index.html\">gå til siden</a>"));
}

/// The records of a built site's search index: (title, address, date line, text).
fn search_records(out: &Path) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    for n in 0.. {
        let Ok(js) = std::fs::read_to_string(out.join(format!("sok/d/{n}.js"))) else {
            break;
        };
        let start = js.find(",[").unwrap() + 1;
        let end = js.rfind(");").unwrap();
        let list: Vec<Vec<serde_json::Value>> = serde_json::from_str(&js[start..end]).unwrap();
        // "#anchor" is on the page of the record before; date line 0 is the one before.
        let (mut page, mut meta) = (String::new(), String::new());
        for r in list {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            let mut href = text(&r[1]);
            if href.starts_with('#') {
                href = format!("{page}{href}");
            } else {
                page = href.split('#').next().unwrap().to_string();
            }
            if r[2] != serde_json::json!(0) {
                meta = text(&r[2]);
            }
            records.push(vec![text(&r[0]), href, meta.clone(), text(&r[3])]);
        }
    }
    records
}

#[test]
fn every_search_result_leads_to_a_page_and_anchor_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    for (edition, args) in [("web", &[][..]), ("offline", &["--offline"][..])] {
        let out = dir.path().join(edition);
        let built = build_with(&repo(), &out, args);
        assert!(built.success, "{}", built.stderr);
        let records = search_records(&out);
        // 32 municipalities and counties, 9 threads, 5 documents and their
        // 10 + 9 + 3 + 3 + 1 items (the `## ` headings of the five files).
        assert_eq!(records.len(), 32 + 9 + 5 + 26, "{edition}");
        for r in &records {
            let (path, fragment) = split_fragment(&r[1]);
            let file = if edition == "web" {
                assert!(path.ends_with('/'), "{}", r[1]);
                out.join(path).join("index.html")
            } else {
                assert!(path.ends_with("/index.html"), "{}", r[1]);
                out.join(path)
            };
            let html = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{} ({}): {e}", r[0], r[1]));
            if let Some(id) = fragment {
                assert!(html.contains(&format!(" id=\"{id}\"")), "{}", r[1]);
            }
        }
        // Items keep their headings as written, typos included.
        assert!(
            records.iter().any(|r| r[0]
                == "Sak 04/2017 Videreføring av Kommnehelsesamarbeidet etter 2017?"
                && r[1].contains("2017-02-23-radmannsgruppen")),
            "{:?}",
            records.iter().map(|r| &r[0]).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_web_404_page_works_at_any_depth() {
    let dir = tempfile::tempdir().unwrap();
    // The fixture's base_url is https://example.org/arkiv/.
    let web = build_with(&fixture("contract"), &dir.path().join("web"), &[]);
    assert!(web.success, "{}", web.stderr);
    let page = web.page("404.html");
    assert!(
        page.contains("<link rel=\"stylesheet\" href=\"/arkiv/static/style.css\">"),
        "{page}"
    );
    assert!(page.contains("href=\"/arkiv/moter/\""), "{page}");
    let offline = build_with(
        &fixture("contract"),
        &dir.path().join("offline"),
        &["--offline"],
    );
    assert!(offline.success, "{}", offline.stderr);
    assert!(
        offline
            .page("404.html")
            .contains("href=\"./static/style.css\"")
    );
}

#[test]
fn the_offline_edition_leaves_the_minutes_text_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    copy_dir(&fixture("contract"), &root);
    // Minutes that quote HTML: in running text, as raw HTML (shown as text) and in code spans.
    let meeting = root.join("content/meetings/2006/2006-02-01-tr.md");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let text = text.replace(
        "Første behandling.",
        "Første behandling. Lenken skrives href=\"moter/\" i malen, \
         som <a href=\"moter/\">møtene</a>.\n\n\
         Kode: `<a href=\"moter/\">` og `<form action=\"sok/\">`.",
    );
    std::fs::write(&meeting, text).unwrap();

    let web = build_with(&root, &dir.path().join("web"), &[]);
    assert!(web.success, "{}", web.stderr);
    let offline = build_with(&root, &dir.path().join("offline"), &["--offline"]);
    assert!(offline.success, "{}", offline.stderr);
    let page = "moter/2006-02-01-tr/index.html";
    let minutes = |html: &str| between(html, "Første behandling.", "</code>.</p>").to_string();
    let (web_text, offline_text) = (minutes(&web.page(page)), minutes(&offline.page(page)));
    assert!(
        offline_text.contains("href=\"moter/\" i malen")
            && offline_text.contains("&lt;a href=\"moter/\"&gt;møtene")
            && offline_text.contains("<code>&lt;a href=\"moter/\"&gt;</code>")
            && offline_text.contains("<code>&lt;form action=\"sok/\"&gt;</code>"),
        "{offline_text}"
    );
    assert_eq!(
        offline_text, web_text,
        "the offline page says what the minutes say"
    );
    // The page's own links still name their files.
    let html = offline.page(page);
    assert!(html.contains("href=\"../../index.html\""), "{html}");
    assert!(html.contains("action=\"../../sok/index.html\""), "{html}");
}
