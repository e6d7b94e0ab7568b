//! Nothing a writer types can run script in a reader's browser: a link or image
//! whose address is `javascript:`, `vbscript:`, `data:` (or any scheme but
//! http, https, mailto and tel, or `//host`) is shown as its words, in the web
//! edition, the offline edition and the zip, with a warning at its place.
//! The fixture `script-links` has such a link in every Markdown form, in a
//! meeting's preamble, an item, a proposal, a decision and a thread background.

use std::io::Read as _;
use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;

use regex::Regex;

use crate::support::{build, build_with, fixture};

const MEETING: &str = "content/meetings/2017/2017-03-01-styret.md";
const THREAD: &str = "content/threads/budsjett.md";

/// Where each refused link or image starts in the fixture, and the words it shows.
const REFUSED: &[(&str, &str, &str)] = &[
    (MEETING, "[alfa]", "alfa"),
    (MEETING, "[bravo]", "bravo"),
    (MEETING, "[charlie]", "charlie"),
    (MEETING, "[delta]", "delta"),
    (MEETING, "<javascript:alert(5)>", "javascript:alert(5)"),
    (MEETING, "<data:text/html,hei>", "data:text/html,hei"),
    (MEETING, "<VBScript:msgbox(6)>", "VBScript:msgbox(6)"),
    (MEETING, "[foxtrot][r]", "foxtrot"),
    (MEETING, "[golf][R2]", "golf"),
    (MEETING, "[hotel]", "hotel"),
    (MEETING, "[india]", "india"),
    (MEETING, "[juliett]", "juliett"),
    (MEETING, "![kilo]", "kilo"),
    (MEETING, "![lima]", "lima"),
    (MEETING, "![mike]", "mike"),
    (MEETING, "![november]", "november"),
    (MEETING, "[oscar]", "oscar"),
    (MEETING, "[papa]", "papa"),
    (MEETING, "[quebec]", "quebec"),
    (MEETING, "[romeo]", "romeo"),
    (MEETING, "[sierra]", "sierra"),
    (MEETING, "[tango]", "tango"),
    (MEETING, "[uniform]", "uniform"),
    (MEETING, "[victor]", "victor"),
    (MEETING, "[whiskey]", "whiskey"),
    (MEETING, "[xray]", "xray"),
    (MEETING, "[yankee]", "yankee"),
    (MEETING, "[zulu]", "zulu"),
    (MEETING, "[fotnote]", "fotnote"),
    (MEETING, "[saksord]", "saksord"),
    (MEETING, "[forslagsord]", "forslagsord"),
    (MEETING, "[vedtaksord]", "vedtaksord"),
    (MEETING, "![vedtaksbilde]", "vedtaksbilde"),
    (THREAD, "[bakgrunnsord]", "bakgrunnsord"),
    (THREAD, "<vbscript:msgbox(8)>", "vbscript:msgbox(8)"),
];

/// Decodes the character references a browser would in an attribute.
fn decode(s: &str) -> String {
    decode_with(s, true)
}

/// Decodes character references, but with `markup` false none that makes
/// markup (`<`, `>`, `"`, `'`, `&`): escaped text must stay text.
fn decode_with(s: &str, markup: bool) -> String {
    static REF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)&(#x[0-9a-f]+|#[0-9]+|colon|tab|newline|amp|quot|apos|lt|gt);?").unwrap()
    });
    REF.replace_all(s, |c: &regex::Captures<'_>| {
        let r = c[1].to_ascii_lowercase();
        let n = if let Some(h) = r.strip_prefix("#x") {
            u32::from_str_radix(h, 16).ok()
        } else if let Some(d) = r.strip_prefix('#') {
            d.parse().ok()
        } else {
            None
        };
        let ch = match (n, r.as_str()) {
            (Some(n), _) => char::from_u32(n).unwrap_or('\u{fffd}'),
            (None, "colon") => ':',
            (None, "tab") => '\t',
            (None, "newline") => '\n',
            (None, "amp") => '&',
            (None, "quot") => '"',
            (None, "apos") => '\'',
            (None, "lt") => '<',
            _ => '>',
        };
        if !markup && "<>\"'&".contains(ch) {
            c[0].to_string()
        } else {
            ch.to_string()
        }
    })
    .into_owned()
}

/// The attributes of a file that hold an address with a scheme that runs script
/// or hides content, read as a browser reads them. In HTML and XML only what
/// stands inside a tag is an attribute (escaped text of the minutes is not);
/// other files (the search index's scripts) are read whole.
fn script_addresses(name: &str, text: &str) -> Vec<String> {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[A-Za-z][^>]*>").unwrap());
    if name.ends_with(".html") || name.ends_with(".xml") {
        return TAG
            .find_iter(text)
            .flat_map(|tag| addresses(tag.as_str()))
            .collect();
    }
    addresses(text)
}

fn addresses(text: &str) -> Vec<String> {
    static ATTR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?i)\b(href|src|srcset|action|formaction|poster|xlink:href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#,
        )
        .unwrap()
    });
    let mut found = Vec::new();
    for text in [text.to_string(), decode_with(text, false)] {
        for c in ATTR.captures_iter(&text) {
            let value: String = decode(c[2].trim_matches(['"', '\'']))
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .to_ascii_lowercase();
            if ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| value.starts_with(s))
            {
                found.push(c[0].to_string());
            }
        }
        // Also the plain form anywhere, whatever the markup around it.
        let plain = text.to_ascii_lowercase().replace(['\t', '\n', '\r'], "");
        for bad in [
            "href=\"javascript",
            "src=\"javascript",
            "href=\"vbscript",
            "src=\"vbscript",
            "href=\"data:",
            "src=\"data:",
        ] {
            if plain.contains(bad) {
                found.push(bad.to_string());
            }
        }
    }
    found
}

/// Every file under `dir`, as (relative path, text).
fn files(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = std::fs::read(e.path()).unwrap();
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// Every entry of a zip file, as (name, text).
fn zip_entries(file: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(file).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (
                entry.name().unwrap().into_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

fn assert_no_script(edition: &str, files: &[(String, String)]) {
    assert!(files.len() > 10, "{edition}: the site was written");
    for (name, text) in files {
        let bad = script_addresses(name, text);
        assert!(bad.is_empty(), "{edition}: {name} has {bad:?}");
        // Raw HTML of the minutes (here in item headings) is text on every page.
        if name.ends_with(".html") || name.ends_with(".xml") {
            for raw in ["<img src=x", "<script>alert", "<a href=\"javascript"] {
                assert!(!text.contains(raw), "{edition}: {name} has {raw}");
            }
        }
    }
}

/// The words of every refused link are on the page that shows them, as text.
fn assert_words_kept(edition: &str, meeting: &str, thread: &str) {
    for (file, _, words) in REFUSED {
        let page = if *file == THREAD { thread } else { meeting };
        assert!(
            page.contains(words),
            "{edition}: «{words}» is not on the page"
        );
    }
    // A decision shows on its thread's page too.
    assert!(thread.contains("vedtaksord"), "{edition}");
}

#[test]
fn script_links_are_text_in_both_editions_and_the_zip() {
    let root = fixture("script-links");
    let web = build(&root);
    assert!(web.success, "{}", web.stderr);
    assert_no_script("web", &files(&web.out));
    assert_words_kept(
        "web",
        &web.page("moter/2017-03-01-styret/index.html"),
        &web.page("saker/budsjett/index.html"),
    );

    let dir = tempfile::tempdir().unwrap();
    let offline = build_with(&root, &dir.path().join("offline"), &["--offline"]);
    assert!(offline.success, "{}", offline.stderr);
    assert_no_script("offline", &files(&offline.out));
    assert_words_kept(
        "offline",
        &offline.page("moter/2017-03-01-styret/index.html"),
        &offline.page("saker/budsjett/index.html"),
    );

    let zip = dir.path().join("arkiv.zip");
    let out = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .args(["bundle", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&zip)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries = zip_entries(&zip);
    assert_no_script("zip", &entries);
    let entry = |name: &str| {
        entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no {name} in the zip"))
    };
    assert_words_kept(
        "zip",
        entry("arkiv/moter/2017-03-01-styret/index.html"),
        entry("arkiv/saker/budsjett/index.html"),
    );
}

#[test]
fn a_refused_link_shows_its_words_and_allowed_links_stay_links() {
    let web = build(&fixture("script-links"));
    let page = web.page("moter/2017-03-01-styret/index.html");
    assert!(
        page.contains("<p>Innledning med alfa og bravo.</p>"),
        "{page}"
    );
    assert!(page.contains(
        "<p>Autolenke javascript:alert(5) og data:text/html,hei og VBScript:msgbox(6).</p>"
    ));
    assert!(page.contains("<td>celle</td><td>hotel</td>"));
    // An image with a refused address shows its description instead.
    assert!(page.contains("<p>Bilder kilo og lima og mike og november.</p>"));
    assert!(page.contains("<p>Fremmed yankee og zulu.</p>"));
    assert!(page.contains(
        "<p>Tillatt: <a href=\"https://example.org/side\">nett</a>, \
         <a href=\"mailto:post@example.org\">post</a>, \
         <a href=\"tel:+4712345678\">telefon</a>, \
         <a href=\"../side/\">relativ</a>, \
         <a href=\"#sak-05-2017\">anker</a>, \
         <a href=\"https://example.org/auto\">https://example.org/auto</a> og \
         <a href=\"../../saker/budsjett/\">arkiv</a>.</p>"
    ));
    let thread = web.page("saker/budsjett/index.html");
    assert!(
        thread.contains("<p>Bakgrunn med bakgrunnsord og vbscript:msgbox(8).</p>"),
        "{thread}"
    );
    assert!(thread.contains(
        "<p>Rå HTML &lt;a href=\"javascript:alert(1)\"&gt;rålenke&lt;/a&gt; og \
         &lt;img src=x onerror=alert(1)&gt; er tekst.</p>"
    ));
}

/// `path:line:col` of the first `marker` in a fixture file, as rustc writes it.
fn place(path: &str, marker: &str) -> String {
    let text = std::fs::read_to_string(fixture("script-links").join(path)).unwrap();
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {path}"));
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{path}:{line}:{col}")
}

#[test]
fn every_refused_link_is_warned_at_its_place() {
    let web = build(&fixture("script-links"));
    assert!(
        web.success,
        "warnings do not stop the build: {}",
        web.stderr
    );
    let places: Vec<&str> = web
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    let mut expected: Vec<String> = REFUSED.iter().map(|(f, m, _)| place(f, m)).collect();
    let mut got: Vec<String> = places.iter().map(|p| p.to_string()).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "{}", web.stderr);
    assert!(
        web.stderr.contains(
            "\
advarsel: lenken bruker «javascript:», som ikke er tillatt i referatene
 --> content/meetings/2017/2017-03-01-styret.md:8:16
  |
8 | Innledning med [alfa](javascript:alert(1)) og [bravo](JaVaScRiPt:alert(1)).
  |                ^^^^^^^^^^^^^^^^^^^^^^^^^^^ vises som tekst, ikke som lenke
  |
slik retter du det: bare http:, https:, mailto:, tel:, lenker i arkivet (@/…) og relative lenker blir lenker; rett adressen eller fjern lenken
"
        ),
        "{}",
        web.stderr
    );
    assert!(web.stderr.contains(
        "advarsel: bildet bruker «data:», som ikke er tillatt i referatene\n  --> content/meetings/2017/2017-03-01-styret.md:25:40"
    ));
    assert!(web.stderr.contains(
        "advarsel: lenken begynner med //, uten http: eller https:\n  --> content/meetings/2017/2017-03-01-styret.md:33:9"
    ));
}

#[test]
fn angle_brackets_in_item_headings_stay_in_the_title() {
    let web = build(&fixture("script-links"));
    let page = web.page("moter/2017-03-01-styret/index.html");
    // In the agenda and as the item's heading.
    assert!(
        page.contains("<a href=\"#sak-05-2017\">Sak 05/2017 Budsjett &lt;utkast&gt;</a>"),
        "{page}"
    );
    assert!(page.contains(">Sak 05/2017 Budsjett &lt;utkast&gt;</h2>"));
    assert!(page.contains(">Sak 06/2017 Ettersyn &lt;b&gt;fet&lt;/b&gt;</h2>"));
    assert!(page.contains(
        ">Sak 07/2017 Skjema &lt;img src=x onerror=alert(1)&gt; og \
         &lt;script&gt;alert(1)&lt;/script&gt;</h2>"
    ));
    assert!(
        page.contains(
            ">Vedlegg &lt;a href=&quot;javascript:alert(1)&quot;&gt;lenke&lt;/a&gt;</h3>"
        )
    );
    let thread = web.page("saker/budsjett/index.html");
    assert!(thread.contains("Budsjett &lt;utkast&gt;"), "{thread}");
}
