//! Property tests: whatever a writer saves, reading it never panics and costs
//! time linear in its length.
//!
//! Each case is a text shaped like minutes (random mixes of real fragments:
//! front matter lines, item and decision headings, prose references, `@/` links,
//! raw HTML, tables, Norwegian letters, combining marks, CR, tabs, NUL, long
//! lines, deep nesting), or a file of the bundled archive with bytes and pieces
//! changed. It goes through what `load` and `resolve` do with one file, the
//! reference linker and Markdown rendering:
//! front matter split and YAML (`load::parse_meeting`, `load::parse_thread`),
//! item splitting and headings, one document resolved against the bundled
//! archive's bodies and people, every piece of Markdown scanned for references
//! (whose work is counted and must stay within a constant times the length) and
//! rendered to HTML. The archive's own names, dates and item numbers are read
//! from `content/` at test time; nothing of it is written here.
//!
//! `PROPTEST_CASES=20000 cargo test --release --lib fuzz` runs a long search;
//! the default is a short run for every `cargo test`. A failing case is saved
//! in `tests/proptest-regressions/fuzz.txt` and tried first on every run; each
//! crash found also has a named test below with its smallest input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;

use crate::diag::FileId;
use crate::load::{self, DecisionHeadings, RawPart};
use crate::model::{Archive, Markdown, MeetingId, Target};
use crate::{render, resolve};

/// The bundled archive, read once, and what the cases are made of.
struct World {
    archive: Archive,
    prelude: resolve::Prelude,
    headings: DecisionHeadings,
    /// The meeting files of `content/`.
    seeds: Vec<String>,
    /// Pieces of minutes.
    fragments: Vec<String>,
}

/// Pieces that any archive's minutes are made of (the archive's own names,
/// dates and numbers are added from `content/`).
const FRAGMENTS: &[&str] = &[
    "---\n",
    "---",
    "--- \r\n",
    "body: x\n",
    "document: minutes\n",
    "document: notice\n",
    "date: 2019-03-04\n",
    "date: 0000-01-01\n",
    "title: \"Referat: møte\"\n",
    "items:\n",
    "  \"4/2019\": { thread: x }\n",
    "present:\n  - { name: A B, municipality: x }\n",
    "present: [A, B]\n",
    "aliases: [/gammel]\n",
    "{ ",
    "[",
    "\"",
    "'",
    ": ",
    "- ",
    "## Sak 12/2019 Tittel\n",
    "## PS 3/19: Tittel\n",
    "## Sak 1a/2019 – Tittel <b>\n",
    "## TR-sak 35/06\n",
    "## 7/2019\n",
    "### Vedtak\n",
    "### Forslag til vedtak\n",
    "#### A Delsak\n",
    "# ",
    "## ",
    "sak 4/2019",
    "sakene 12 / 19",
    "SAK 004/2019",
    "ſak 1/2019",
    "møte 1.2.2019",
    "møtet den 12. 3.2019",
    "møten 31.12.2019, sak 5/2019",
    "[x](@/meetings/x.md)",
    "[x](@/threads/x.md#a)",
    "[x](@/",
    "](",
    "[^1]",
    "[^1]: note\n",
    "<b>",
    "</b>",
    "<!--",
    "-->",
    "<script>alert(1)</script>",
    "href=\"moter/\"",
    "|a|b|\n|-|-|\n",
    "| x |",
    "`",
    "```\n",
    "**",
    "_",
    "~~",
    "&amp;",
    "&#106;",
    "\\",
    "æøå ÆØÅ",
    "e\u{301}",
    "\u{0}",
    "\r",
    "\r\n",
    "\t",
    "\n",
    "\n\n",
    "    ",
    "* ",
    "1. ",
    "> ",
    "[[[[",
    "]]]]",
    ">>>>",
    "****",
    "Bærums",
    "den 1. mars 2019",
    "\u{feff}",
    "\u{2028}",
    "İ",
];

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = root.join("content");
    let archive = match crate::build::read_archive(root) {
        Ok((archive, _, _)) => archive,
        Err(_) => panic!("the bundled archive reads"),
    };
    let mut raw = load::load(&content);
    let headings = raw.site.decision_headings.clone();
    let prelude = resolve::prelude(&mut raw);
    let mut seeds: Vec<PathBuf> = walkdir::WalkDir::new(content.join("meetings"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    seeds.sort();
    let seeds: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a meeting file reads"))
        .collect();
    let mut fragments: Vec<String> = FRAGMENTS.iter().map(|f| f.to_string()).collect();
    for b in &archive.bodies {
        fragments.push(b.name.clone());
        fragments.extend(b.aliases.iter().cloned());
    }
    for m in &archive.municipalities {
        fragments.push(m.name.clone());
    }
    for m in &archive.meetings {
        fragments.push(format!("møte {}", m.date.format("%d.%m.%Y")));
        fragments.push(format!("møte {}", m.date.format("%-d.%-m.%Y")));
        for doc in m.documents() {
            fragments.push(format!("[lenke](@/{})", doc.content_path));
            for anchor in resolve::document_anchors(doc) {
                fragments.push(format!("[lenke](@/{}#{anchor})", doc.content_path));
            }
            for item in &doc.items {
                let n = format!("{}/{}", item.number.number, item.number.year);
                fragments.push(format!("sak {n}"));
                fragments.push(format!("## Sak {n} Tittel\n"));
            }
        }
    }
    for t in &archive.threads {
        fragments.push(format!("[lenke](@/threads/{}.md)", t.id));
    }
    World {
        archive,
        prelude,
        headings,
        seeds,
        fragments,
    }
});

/// One piece of a text: a fragment, a character, a run of one fragment, or
/// random characters.
fn piece() -> impl Strategy<Value = String> {
    let fragments = WORLD.fragments.clone();
    prop_oneof![
        8 => select(fragments.clone()),
        2 => any::<char>().prop_map(String::from),
        1 => (select(fragments), 2..300usize).prop_map(|(f, n)| f.repeat(n)),
        1 => vec(any::<char>(), 0..24).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Text shaped like minutes, with or without front matter.
fn minutes_like() -> impl Strategy<Value = String> {
    let text = || vec(piece(), 0..80).prop_map(|ps| ps.concat());
    prop_oneof![
        text(),
        (vec(piece(), 0..12), text())
            .prop_map(|(front, body)| format!("---\n{}\n---\n{body}", front.concat())),
    ]
}

/// One change to a file.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(String),
    Delete(usize),
    FlipBit(u8),
    Duplicate(usize),
    Byte(u8),
}

fn mutation() -> impl Strategy<Value = (u32, Mutation)> {
    let m = prop_oneof![
        3 => piece().prop_map(Mutation::Insert),
        2 => (1..80usize).prop_map(Mutation::Delete),
        1 => (0..8u8).prop_map(Mutation::FlipBit),
        1 => (1..3000usize).prop_map(Mutation::Duplicate),
        1 => select(vec![0u8, b'\r', b'\t', b'\n', b'-', b':', b'#', b'"', 0xff, 0xc3])
            .prop_map(Mutation::Byte),
    ];
    (any::<u32>(), m)
}

/// A meeting file of the bundled archive with a few changes.
fn mutated_seed() -> impl Strategy<Value = String> {
    let seeds = WORLD.seeds.len();
    (0..seeds, vec(mutation(), 1..10)).prop_map(|(i, changes)| {
        let mut bytes = WORLD.seeds[i].as_bytes().to_vec();
        for (at, change) in changes {
            let at = at as usize % (bytes.len() + 1);
            match change {
                Mutation::Insert(s) => {
                    bytes.splice(at..at, s.into_bytes());
                }
                Mutation::Delete(n) => {
                    bytes.drain(at..(at + n).min(bytes.len()));
                }
                Mutation::FlipBit(bit) if at < bytes.len() => bytes[at] ^= 1 << bit,
                Mutation::Duplicate(n) => {
                    let copy = bytes[at..(at + n).min(bytes.len())].to_vec();
                    bytes.splice(at..at, copy);
                }
                Mutation::Byte(b) if at < bytes.len() => bytes[at] = b,
                _ => {}
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What every case must survive; `pick` chooses the meeting the text is read
/// as part of (or none, as a thread's background).
fn check(text: &str, pick: usize) {
    let world = &*WORLD;
    let file = FileId(0);
    let (doc, _) = load::parse_meeting(file, "meetings/x/x.md".into(), text, &world.headings);
    let _ = load::parse_thread(file, Path::new("threads/x.md"), text);
    let mut pieces = vec![(0..text.len(), String::new())];
    if let Some(doc) = doc {
        let in_text = |r: &std::ops::Range<usize>| {
            assert!(
                text.get(r.clone()).is_some(),
                "{r:?} is a slice of the text"
            );
        };
        let mut parts: Vec<(&RawPart, &str)> = Vec::new();
        parts.extend(doc.preamble.iter().chain(&doc.after).map(|p| (p, "")));
        for item in &doc.items {
            in_text(&item.span);
            let h = &item.heading;
            for at in [h.label_end, h.number_start, h.number_end, h.title_start] {
                assert!(h.text.is_char_boundary(at), "{at} in {:?}", h.text);
            }
            parts.extend(item.parts.iter().map(|p| (p, h.title.as_str())));
        }
        for (part, title) in parts {
            match part {
                RawPart::Text(md) | RawPart::Decision { body: md, .. } => {
                    in_text(&md.range);
                    pieces.push((md.range.clone(), title.to_string()));
                }
                RawPart::Heading(h) => in_text(&h.span),
            }
        }
        let _ = world.prelude.document(doc);
    }
    let meeting = (pick % (world.archive.meetings.len() + 1)).checked_sub(1);
    let names = world
        .archive
        .bodies
        .iter()
        .map(|b| 1 + b.aliases.len())
        .sum::<usize>();
    for (range, title) in pieces {
        let piece = &text[range];
        let (refs, path_links, work) =
            resolve::scan_for_tests(&world.archive, piece, meeting.map(MeetingId), &title);
        let limit = (8 + 2 * names) * piece.len() + (1 + names) * title.len() + 64;
        assert!(
            work <= limit,
            "the reference linker did {work} steps for {} bytes",
            piece.len()
        );
        for pair in refs.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start, "{refs:?}");
        }
        for r in &refs {
            assert!(piece.get(r.range.clone()).is_some(), "{r:?}");
        }
        let path_links: BTreeMap<String, Target> = path_links.into_iter().collect();
        let href = |t: &Target| format!("../{t:?}/");
        let ctx = render::MdContext {
            text: piece,
            links: &refs,
            path_links: &path_links,
            href: &href,
        };
        let md = Markdown {
            file,
            range: 0..piece.len(),
        };
        let _ = render::to_html(&md, &ctx);
    }
}

fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        // A short run unless PROPTEST_CASES asks for more.
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            40
        },
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/fuzz.txt",
        ))),
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn minutes_like_text_is_read_without_panic(text in minutes_like(), pick in 0..16usize) {
        check(&text, pick);
    }

    #[test]
    fn changed_meeting_files_are_read_without_panic(text in mutated_seed(), pick in 0..16usize) {
        check(&text, pick);
    }
}

/// Long texts of one shape each: time quadratic in their length would take
/// minutes here. (The linker's work is counted in `check`.)
#[test]
fn long_texts_of_one_shape() {
    let shapes = [
        "[[[[",
        "]]]]",
        ">>>>",
        "> - ",
        "- > ",
        "* ",
        "1. ",
        "`",
        "``` ",
        "**_",
        "~~",
        "<b>",
        "<!--",
        "|a|b|\n",
        "| x ",
        "## Sak 1/2019 T\n",
        "### Vedtak\n",
        "#### A B\n",
        "x",
        "\r",
        "\n",
        "\t",
        "\u{0}",
        "&#106;",
        "[x](",
        "[x](@/",
        "![",
        "[^1]",
        "[^1]: x\n",
        "    - ",
        "e\u{301}",
        "sak 4/2019 møte 1.2.2019 ",
        "møte 1.2.2019 ",
        "\\",
    ];
    for shape in shapes {
        let text = shape.repeat(100_000 / shape.len());
        check(
            &format!("---\nbody: x\ndocument: minutes\ndate: 2019-03-04\n---\n{text}"),
            1,
        );
    }
}
