//! `extract::text`: the text of a `.txt`, `.docx` or PDF, in the seed texts'
//! shape, and a Norwegian error for what it cannot read.
//!
//! The `.docx` files are written by docx-rs (not by saksgang) from seed texts
//! (`tests/fixtures/extract/`, copies of `shared/seeds/`), the PDF is printed by
//! headless Chromium from an HTML rendering of two seeds and read back through
//! `pdftotext`. Without `pdftotext` or Chromium a PDF test cannot run: like the
//! browser tests it then passes with a notice in the test output, and fails on
//! CI (`CI=true`), where `.ci/run` installs poppler-utils and chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use docx_rs::{
    AbstractNumbering, BreakType, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText,
    NumberFormat, Numbering, NumberingId, Paragraph, Run, Start, Style, StyleType, Table,
    TableCell, TableRow,
};
use saksgang::extract::{self, Problem};

use crate::browser::{cannot_run, chromium, run_without_browser};
use crate::support::repo;

fn seed(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/extract").join(name)).unwrap()
}

/// The lines of `text` with their whitespace (spaces, tabs) normalised to one
/// space, and no blank lines at the start or end.
fn normalised(text: &str) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |e| e + 1);
    lines[start..end].to_vec()
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

// ---------------------------------------------------------------------------
// Word

/// A header line that a secretary would put in a two-column table.
fn table_row(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    [
        "Tid:",
        "Sted:",
        "Møteledelse:",
        "Møtetidspunkt:",
        "Møtested:",
    ]
    .iter()
    .find_map(|label| {
        let rest = line.strip_prefix(label)?;
        (!rest.trim().is_empty()).then(|| (*label, rest.trim()))
    })
}

fn numbered(line: &str) -> Option<(usize, &str)> {
    let (n, rest) = line.trim().split_once(". ")?;
    Some((n.parse().ok()?, rest))
}

/// A `.docx` of `seed` as a secretary would write it in Word: the first line a
/// heading, `- ` lines a bullet list, `1. ` lines a numbered list (Word counts
/// them), `Tid:`/`Sted:` lines two-cell table rows, the lines of each other block
/// one paragraph with line breaks, and a blank line an empty paragraph.
pub(crate) fn seed_docx(seed: &str) -> Docx {
    let mut docx = Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1"))
        .add_abstract_numbering(AbstractNumbering::new(10).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new("•"),
            LevelJc::new("left"),
        )))
        .add_abstract_numbering(AbstractNumbering::new(11).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new("decimal"),
            LevelText::new("%1."),
            LevelJc::new("left"),
        )))
        .add_numbering(Numbering::new(10, 10));
    // (docx-rs has a numbering 1 of its own.)
    let mut numbered_list: Option<usize> = None;
    let mut last_number = 0;
    let mut heading = true;
    let mut block: Vec<&str> = Vec::new();
    let mut table: Vec<TableRow> = Vec::new();
    let text = |t: &str| Run::new().add_text(t);
    let cell = |t: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(text(t)));
    for line in seed.lines().chain([""]) {
        let is_row = table_row(line).is_some();
        if !block.is_empty()
            && (line.trim().is_empty()
                || is_row
                || line.trim().starts_with("- ")
                || numbered(line).is_some())
        {
            let mut run = Run::new();
            for (i, l) in block.drain(..).enumerate() {
                if i > 0 {
                    run = run.add_break(BreakType::TextWrapping);
                }
                run = run.add_text(l);
            }
            docx = docx.add_paragraph(Paragraph::new().add_run(run));
        }
        if !is_row && !table.is_empty() {
            docx = docx.add_table(Table::new(std::mem::take(&mut table)));
        }
        if line.trim().is_empty() {
            docx = docx.add_paragraph(Paragraph::new());
        } else if heading {
            heading = false;
            docx = docx.add_paragraph(Paragraph::new().add_run(text(line)).style("Heading1"));
        } else if let Some((label, value)) = table_row(line) {
            table.push(TableRow::new(vec![cell(label), cell(value)]));
        } else if let Some(item) = line.trim().strip_prefix("- ") {
            docx = docx.add_paragraph(
                Paragraph::new()
                    .add_run(text(item))
                    .numbering(NumberingId::new(10), IndentLevel::new(0)),
            );
        } else if let Some((n, item)) = numbered(line) {
            let id = match numbered_list {
                Some(id) if n == last_number + 1 => id,
                // A list that starts (again): a numbering of its own.
                _ => {
                    let id = numbered_list.map_or(11, |id| id + 1);
                    docx = docx.add_numbering(
                        Numbering::new(id, 11).add_override(LevelOverride::new(0).start(n)),
                    );
                    id
                }
            };
            numbered_list = Some(id);
            last_number = n;
            docx = docx.add_paragraph(
                Paragraph::new()
                    .add_run(text(item))
                    .numbering(NumberingId::new(id), IndentLevel::new(0)),
            );
        } else {
            block.push(line);
        }
    }
    docx
}

pub(crate) fn write_docx(docx: Docx, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    docx.build().pack(file).unwrap();
}

#[test]
fn a_docx_written_from_seeds_gives_back_the_seed_lines() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["seed-001.txt", "seed-004.txt"] {
        let seed = seed(name);
        let path = dir.path().join(name.replace(".txt", ".docx"));
        write_docx(seed_docx(&seed), &path);
        let got = extract::text(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (want, have) = (normalised(&seed), normalised(&got));
        for (i, (w, h)) in want.iter().zip(&have).enumerate() {
            assert_eq!(w, h, "{name}, line {}", i + 1);
        }
        assert_eq!(want.len(), have.len(), "{name}: as many lines");
        // The shapes the parser relies on, not just the words.
        let raw: Vec<&str> = got.lines().collect();
        match name {
            "seed-001.txt" => {
                assert!(raw.contains(&"- Digitalisering"), "a bullet item");
                assert!(
                    raw.iter()
                        .any(|l| l.starts_with("3. Administrasjonen reviderer")),
                    "a numbered item, counted by the reader"
                );
                assert!(raw.iter().any(|l| l.starts_with("Referat")), "the heading");
            }
            _ => {
                assert!(
                    raw.contains(&"Tid:\tTorsdag 14.06.2018"),
                    "a table row: {raw:?}"
                );
                assert!(raw.contains(&"Sted:\tBærum kulturhus, Sandvika"), "{raw:?}");
            }
        }
    }
}

fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_docx_zip_bomb_is_refused_as_too_large() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bombe.docx");
    // 65 MiB of XML, a few hundred kilobytes compressed.
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 2 << 20);
    let err = extract::text(&path).unwrap_err();
    assert_eq!(err.problem, Problem::TooLarge, "{err}");
    assert!(err.message.contains("for stort"), "{err}");
}

#[test]
fn damaged_and_foreign_zip_files_get_their_own_messages() {
    let dir = tempfile::tempdir().unwrap();
    // A real .docx cut in half.
    let whole = dir.path().join("hel.docx");
    write_docx(seed_docx(&seed("seed-004.txt")), &whole);
    let bytes = std::fs::read(&whole).unwrap();
    let half = dir.path().join("halv.docx");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
    let err = extract::text(&half).unwrap_err();
    assert_eq!(err.problem, Problem::Damaged, "{err}");
    assert!(err.message.contains("Word-dokumentet er skadet"), "{err}");
    assert!(err.hint.contains("lagre det på nytt"), "{err}");

    // Broken XML inside a sound zip.
    let broken = dir.path().join("ødelagt.docx");
    zip_with(
        &broken,
        &[("word/document.xml", b"<w:document><w:p></w:document>")],
    );
    let err = extract::text(&broken).unwrap_err();
    assert_eq!(err.problem, Problem::Damaged, "{err}");

    // An OpenDocument file renamed .docx.
    let odt = dir.path().join("referat.docx");
    zip_with(
        &odt,
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ],
    );
    let err = extract::text(&odt).unwrap_err();
    assert_eq!(err.problem, Problem::Unsupported, "{err}");
    assert!(err.message.contains("OpenDocument"), "{err}");

    // A .docx with no text at all (only an image, say).
    let blank = dir.path().join("tom.docx");
    write_docx(Docx::new().add_paragraph(Paragraph::new()), &blank);
    let err = extract::text(&blank).unwrap_err();
    assert_eq!(err.problem, Problem::Empty, "{err}");
    assert!(err.hint.contains("tekstgjenkjenning (OCR)"), "{err}");
}

// ---------------------------------------------------------------------------
// Text files and what is not a document

#[test]
fn a_windows_1252_text_file_with_crlf_keeps_its_norwegian_letters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("referat.txt");
    std::fs::write(
        &path,
        b"Referat fra R\xE5dmannsm\xF8te i B\xE6rum\r\n\r\nSak 1/2020\r\n",
    )
    .unwrap();
    assert_eq!(
        extract::text(&path).unwrap(),
        "Referat fra Rådmannsmøte i Bærum\n\nSak 1/2020\n"
    );
    let bom = dir.path().join("bom.txt");
    std::fs::write(&bom, "\u{feff}Sak 2/2020 Økonomi\r\n").unwrap();
    assert_eq!(extract::text(&bom).unwrap(), "Sak 2/2020 Økonomi\n");
    // A seed as it is: its text unchanged.
    let seed_path = repo().join("tests/fixtures/extract/seed-004.txt");
    let seed = seed("seed-004.txt");
    assert_eq!(
        extract::text(&seed_path).unwrap().trim_end(),
        seed.trim_end()
    );
}

#[test]
fn what_is_no_document_gets_a_norwegian_message_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let mut rng = fastrand::Rng::with_seed(13);
    let random: Vec<u8> = (0..4096).map(|_| rng.u8(..)).collect();
    let cases: Vec<(PathBuf, Problem, &str, &str)> = vec![
        (
            dir.path().join("finnes-ikke.txt"),
            Problem::Unreadable,
            "finnes ikke",
            "stien",
        ),
        (
            dir.path().to_path_buf(),
            Problem::Unreadable,
            "mappe",
            ".docx",
        ),
        (
            file("tom.txt", b""),
            Problem::Empty,
            "filen er tom",
            "riktig fil",
        ),
        (
            file("blank.txt", b" \r\n\n\t\n"),
            Problem::Empty,
            "ingen tekst",
            "riktig fil",
        ),
        (
            file("tilfeldig.txt", &random),
            Problem::Binary,
            "ikke tekst",
            "riktig filtype",
        ),
        (
            file("tilfeldig.bin", &random),
            Problem::Unsupported,
            "ukjent filtype .bin",
            ".docx",
        ),
        (
            file("referat", b"Sak 1"),
            Problem::Unsupported,
            "ingen filtype",
            ".txt",
        ),
        (
            file("referat.doc", b"Sak 1"),
            Problem::Unsupported,
            "gammelt Word-dokument",
            "lagre som .docx",
        ),
        (
            file("gammel.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            Problem::Unsupported,
            "gammelt Word-dokument",
            "lagre som .docx",
        ),
        (
            file("låst.docx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            Problem::Locked,
            "passordbeskyttet",
            "fjern eventuelt passordet",
        ),
        (
            file("falsk.docx", b"Sak 1 tekst"),
            Problem::Damaged,
            "ikke et Word-dokument",
            ".docx",
        ),
        (
            file("falsk.pdf", b"Sak 1 tekst"),
            Problem::Damaged,
            "ikke en PDF",
            "PDF",
        ),
        (
            file("referat.rtf", b"{\\rtf1 Sak 1}"),
            Problem::Unsupported,
            "RTF",
            ".docx",
        ),
        (
            file("referat.odt", b"Sak 1"),
            Problem::Unsupported,
            ".odt",
            ".docx",
        ),
    ];
    for (path, problem, message, hint) in cases {
        let err = extract::text(&path).unwrap_err();
        assert_eq!(err.problem, problem, "{}: {err}", path.display());
        assert!(err.message.contains(message), "{}: {err}", path.display());
        assert!(err.hint.contains(hint), "{}: {err}", path.display());
        let shown = err.to_string();
        assert!(shown.contains("hjelp:"), "{shown}");
    }
}

#[test]
fn any_bytes_give_text_or_an_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let docx = dir.path().join("hel.docx");
    write_docx(seed_docx(&seed("seed-004.txt")), &docx);
    let real = std::fs::read(&docx).unwrap();
    for round in 0..200 {
        let mut bytes: Vec<u8> = if round % 2 == 0 {
            (0..rng.usize(0..2000)).map(|_| rng.u8(..)).collect()
        } else {
            real.clone()
        };
        // Flip some bytes of the real file (or of the random ones).
        for _ in 0..rng.usize(1..20) {
            if !bytes.is_empty() {
                let i = rng.usize(..bytes.len());
                bytes[i] = rng.u8(..);
            }
        }
        for ext in ["txt", "docx", "bin"] {
            let path = dir.path().join(format!("f{round}.{ext}"));
            std::fs::write(&path, &bytes).unwrap();
            let _ = extract::text(&path);
        }
    }
}

// ---------------------------------------------------------------------------
// PDF

fn pdftotext() -> PathBuf {
    std::env::var_os("PDFTOTEXT").map_or_else(|| PathBuf::from("pdftotext"), PathBuf::from)
}

pub(crate) fn pdftotext_missing() -> Option<String> {
    match Command::new(pdftotext()).arg("-v").output() {
        Ok(_) => None,
        Err(_) => Some(format!(
            "{} is missing (apt-get install -y poppler-utils)",
            pdftotext().display()
        )),
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Prints `html` to a PDF with headless Chromium.
pub(crate) fn print_pdf(dir: &Path, html: &str, pdf: &Path) {
    let page = dir.join("side.html");
    std::fs::write(&page, html).unwrap();
    let profile = dir.join("profil");
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        pdf.exists(),
        "chromium printed no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Two seeds printed by Chromium, one `<p>` per line, and a header table:
/// `extract::text` gives back every word in order, most lines as they were (a
/// long line would wrap on the page and come back as several; 206 of 206 came
/// back when this was written), each table row on one line, and a blank line
/// between paragraphs. Plain `pdftotext` (without `-layout`) fails this: it
/// gives the table's first column and then its second, and no blank lines.
#[test]
fn a_pdf_printed_from_seeds_gives_back_every_word_in_order() {
    let why = pdftotext_missing().or_else(|| {
        (!chromium().exists()).then(|| {
            format!(
                "{} is missing (apt-get install -y chromium)",
                chromium().display()
            )
        })
    });
    if cannot_run("PDF-testen", "PDF test", why) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seeds = [seed("seed-000.txt"), seed("seed-003.txt")];
    let mut html = String::from(
        "<!doctype html><html lang=\"nb\"><meta charset=\"utf-8\"><title>Referat</title><body>\n",
    );
    for seed in &seeds {
        for line in seed.lines().filter(|l| !l.trim().is_empty()) {
            html.push_str(&format!("<p>{}</p>\n", escape(line)));
        }
    }
    // The header of seed 004 as the two-column table a secretary makes of it.
    let header = seed("seed-004.txt");
    let rows: Vec<(&str, &str)> = header.lines().filter_map(table_row).take(2).collect();
    html.push_str("<table style=\"width:100%\"><col style=\"width:30%\"><col>\n");
    for (label, value) in &rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            escape(label),
            escape(value)
        ));
    }
    html.push_str("</table></body></html>\n");
    let pdf = dir.path().join("referat.pdf");
    print_pdf(dir.path(), &html, &pdf);

    let got = extract::text(&pdf).unwrap_or_else(|e| panic!("{e}"));
    let mut all = seeds.concat();
    for (label, value) in &rows {
        all.push_str(&format!("{label} {value}\n"));
    }
    assert_eq!(words(&got), words(&all), "every word, in order");
    // A table row stays one line, its cells separated by a tab, as from a .docx.
    assert_eq!(rows.len(), 2);
    for (label, value) in &rows {
        let row = format!("{label}\t{value}");
        assert!(got.lines().any(|l| l == row), "{row:?} in:\n{got}");
    }

    let want: Vec<String> = normalised(&all)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let have: std::collections::HashSet<String> = normalised(&got).into_iter().collect();
    let exact = want.iter().filter(|l| have.contains(*l)).count();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "PDF: {exact} of {} seed lines come back exactly\n",
            want.len()
        )
        .as_bytes(),
    );
    assert!(
        exact * 100 >= want.len() * 90,
        "only {exact} of {} lines came back exactly:\n{got}",
        want.len()
    );
    // Each <p> is its own block: a blank line between paragraphs, as in the seeds.
    assert!(got.contains("\n\n"), "{got}");
}

/// A one-page PDF whose only content is a filled rectangle: what a scanner
/// without OCR gives (an image, no text).
fn pdf_without_text() -> Vec<u8> {
    let content = "0.5 g 72 72 200 200 re f";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

#[test]
fn a_pdf_without_a_text_layer_or_damaged_gets_a_norwegian_message() {
    if cannot_run("PDF-testen", "PDF test", pdftotext_missing()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scanned = dir.path().join("skannet.pdf");
    std::fs::write(&scanned, pdf_without_text()).unwrap();
    let err = extract::text(&scanned).unwrap_err();
    assert_eq!(err.problem, Problem::NoTextLayer, "{err}");
    assert!(err.message.contains("ikke noe tekstlag"), "{err}");
    assert!(
        err.hint.contains("kjør tekstgjenkjenning (OCR) først"),
        "{err}"
    );

    let damaged = dir.path().join("skadet.pdf");
    std::fs::write(&damaged, b"%PDF-1.4\nikke mer her\n").unwrap();
    let err = extract::text(&damaged).unwrap_err();
    assert_eq!(err.problem, Problem::Damaged, "{err}");
    assert!(err.message.contains("PDF-filen er skadet"), "{err}");

    // A relative path that looks like an option is still a file.
    let dash = dir.path().join("-layout.pdf");
    std::fs::write(&dash, pdf_without_text()).unwrap();
    let err = extract::text(&dash).unwrap_err();
    assert_eq!(err.problem, Problem::NoTextLayer, "{err}");
}

#[test]
fn without_pdftotext_a_pdf_gets_install_advice() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("referat.pdf");
    std::fs::write(&pdf, pdf_without_text()).unwrap();
    let err = extract::text_with(&pdf, "/finnes/ikke/pdftotext".as_ref()).unwrap_err();
    assert_eq!(err.problem, Problem::ToolMissing, "{err}");
    assert!(
        err.message.contains("pdftotext er ikke installert"),
        "{err}"
    );
    assert!(err.hint.contains("installer poppler-utils"), "{err}");
}

/// The notice of a PDF test that could not run reaches the `cargo test` output,
/// and with `CI=true` the test fails.
#[test]
fn a_pdf_test_that_cannot_run_says_so_in_the_test_output() {
    const NAME: &str = "extract::a_pdf_printed_from_seeds_gives_back_every_word_in_order";
    let (passed, text) = run_without_browser(NAME, None);
    assert!(passed, "{text}");
    assert!(text.contains("1 passed"), "the test itself ran: {text}");
    assert!(
        text.contains("PDF-testen ble IKKE kjørt"),
        "the notice shows in the output of a passing test:\n{text}"
    );
    let (passed, text) = run_without_browser(NAME, Some("true"));
    assert!(!passed, "on CI a PDF test that cannot run fails:\n{text}");
    assert!(text.contains("the PDF test must run on CI"), "{text}");
}
