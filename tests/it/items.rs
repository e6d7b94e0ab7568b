//! Items numbered within their meeting (`## Sak 2. Utkast til referat`, `## PS 3 Budsjett`),
//! on the `per-meeting` fixture: a notice and minutes of one meeting numbered
//! `Sak 1.`–`Sak 3.`, and a meeting of another body numbered `PS 1`–`PS 3`, with a
//! thread through sak 2 of the first and PS 3 of the second.

use std::process::Command;

use crate::support::{between, build, fixture, text};

#[test]
fn items_numbered_per_meeting_have_an_agenda_and_anchors() {
    let b = build(&fixture("per-meeting"));
    assert!(b.success, "{}", b.stderr);
    assert!(!b.stderr.contains("advarsel"), "{}", b.stderr);
    let page = b.page("moter/2024-01-30-vannomrade/index.html");
    // The label and the full stop as printed, the anchor from the padded number.
    let agenda = between(&page, "<ol class=\"saksliste\">", "</ol>");
    assert!(
        agenda.contains(r##"<a href="#sak-02">Sak 2. Høring av regionalt tiltaksprogram</a>"##)
    );
    assert_eq!(
        text(agenda),
        "Sak 1. Godkjenning av innkalling og saksliste \
         Sak 2. Høring av regionalt tiltaksprogram \
         Sak 3. Orienteringer fra kommunene"
    );
    let item = between(&page, r#"<article class="sak" id="sak-02""#, "</article>");
    assert!(
        item.contains(r#"<h2 id="sak-02-tittel">Sak 2. Høring av regionalt tiltaksprogram</h2>"#)
    );
    assert!(
        item.contains(
            "<section class=\"vedtak decision\">\n<h3 class=\"vedtak-tittel\">Vedtak</h3>"
        )
    );
    // Lettered points under an item numbered per meeting.
    assert!(page.contains(r#"<h3 id="sak-03-a" class="punkt">A Lyngvik</h3>"#));
    // A heading after the items stays a section of the meeting.
    let after = between(&page, r#"<section class="etter""#, "</section>");
    assert!(after.contains("Neste møte"), "{after}");
    // Without a full stop, after an abbreviated label.
    let other = b.page("moter/2024-03-12-arbeidsutvalg/index.html");
    let agenda = text(between(&other, "<ol class=\"saksliste\">", "</ol>"));
    assert_eq!(
        agenda,
        "PS 1 Godkjenning av innkalling PS 2 Budsjett for 2024 PS 3 Oppfølging av høringsuttalelsen"
    );
    assert!(other.contains(r#"<article class="sak" id="sak-03""#));
    // Every anchor is in the manifest, the notice's too.
    let manifest = b.page("manifest.txt");
    for a in [
        "/moter/2024-01-30-vannomrade/#sak-02\n",
        "/moter/2024-01-30-vannomrade/#sak-03-b\n",
        "/moter/2024-01-30-vannomrade/innkalling/#sak-02\n",
        "/moter/2024-03-12-arbeidsutvalg/#sak-03\n",
    ] {
        assert!(manifest.contains(a), "{a} not in\n{manifest}");
    }
}

#[test]
fn an_item_numbered_per_meeting_joins_a_thread_by_its_number_with_or_without_zero() {
    // The notice says `items: {"2": …}`, the minutes `{"02": …}`, the other body `{"3": …}`.
    let b = build(&fixture("per-meeting"));
    assert!(b.success, "{}", b.stderr);
    let thread = b.page("saker/tiltaksprogram/index.html");
    for step in [
        r##"<a href="../../moter/2024-01-30-vannomrade/innkalling/#sak-02">Sak 2. Høring av regionalt tiltaksprogram</a> (innkalling"##,
        r##"<a href="../../moter/2024-01-30-vannomrade/#sak-02">Sak 2. Høring av regionalt tiltaksprogram</a> (referat"##,
        r##"<a href="../../moter/2024-03-12-arbeidsutvalg/#sak-03">PS 3 Oppfølging av høringsuttalelsen</a> (referat"##,
    ] {
        assert!(thread.contains(step), "{step}\n{thread}");
    }
    // The notice's sak 2 is the minutes' sak 2 of the same meeting: the thread
    // shows what the meeting changed in the proposal.
    let change = between(&thread, "<section class=\"endring\">", "</section>");
    assert!(
        change.contains("slutter seg til utkastet <ins><span class=\"skjult\">lagt til: </span>med endringene fra møtet </ins>og ber"),
        "{change}"
    );
    // The minutes' item shows its thread box, with this step marked.
    let page = b.page("moter/2024-01-30-vannomrade/index.html");
    let item = between(&page, r#"<article class="sak" id="sak-02""#, "</article>");
    assert!(
        item.contains("Saksgang: <a href=\"../../saker/tiltaksprogram/\">"),
        "{item}"
    );
    assert!(item.contains("<span class=\"steg-dato\">12.03.2024</span><span class=\"skjult\">, </span>Arbeidsutvalget for vannområdet: <a href=\"../../moter/2024-03-12-arbeidsutvalg/#sak-03\">PS 3</a>"), "{item}");
    // Sak 2 of the other body's meeting is another item: not in the thread.
    let other = b.page("moter/2024-03-12-arbeidsutvalg/index.html");
    let budget = between(&other, r#"<article class="sak" id="sak-02""#, "</article>");
    assert!(!budget.contains("saksgang"), "{budget}");
}

#[test]
fn search_finds_each_item_numbered_per_meeting_as_its_own_record() {
    let b = build(&fixture("per-meeting"));
    assert!(b.success, "{}", b.stderr);
    let js = b.page("sok/d/0.js");
    // Each item a record of its own, at its anchor, after its document's record.
    let minutes = js
        .find(r#"["Referat: Vannområdeutvalget tirsdag 30. januar 2024","moter/2024-01-30-vannomrade/","#)
        .expect("a record for the minutes");
    let rest = &js[minutes..];
    for (n, title) in [
        (1, "Sak 1. Godkjenning av innkalling og saksliste"),
        (2, "Sak 2. Høring av regionalt tiltaksprogram"),
        (3, "Sak 3. Orienteringer fra kommunene"),
    ] {
        assert!(
            rest.contains(&format!(r##"["{title}","#sak-0{n}",0,"##)),
            "{title}\n{js}"
        );
    }
    // The decision is in the item's record, not in the meeting's.
    let record = |start: &str| {
        let s = js.find(start).unwrap();
        js[s..].split("],\n").next().unwrap().to_string()
    };
    assert!(
        record(r##"["Sak 2. Høring av regionalt tiltaksprogram","#sak-02",0,"Sekretariatet"##)
            .contains("Vedtak\\nVannområdeutvalget slutter seg til utkastet med endringene")
    );
    assert!(!record(r#"["Referat: Vannområdeutvalget"#).contains("utkastet"));
}

#[test]
fn link_to_an_item_numbered_per_meeting_names_the_meeting() {
    let root = fixture("per-meeting");
    let link = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_saksgang"))
            .arg("link")
            .arg("--root")
            .arg(&root)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, _) = link(&["content/meetings/2024/2024-01-30-vannomrade.md#sak-02"]);
    assert!(ok);
    assert_eq!(
        out,
        "https://example.org/vann/moter/2024-01-30-vannomrade/#sak-02\n"
    );
    // The number alone does not say which meeting: the answer shows how to name it.
    let (ok, out, err) = link(&["--sak", "2", "--body", "vannomrade"]);
    assert!(!ok);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "feil: sak 2 har ikke noe år, og saker uten år er nummerert per møte: nummeret alene \
         sier ikke hvilket møte; oppgi møtefilen med ankeret #sak-02:\n  \
         saksgang link content/meetings/2024/2024-01-30-vannomrade.md#sak-02\n"
    );
    let (ok, _, err) = link(&["--sak", "02"]);
    assert!(!ok);
    assert!(
        err.contains("content/meetings/2024/2024-03-12-arbeidsutvalg.md#sak-02"),
        "{err}"
    );
    let (_, _, err) = link(&["content/meetings/2024/2024-01-30-vannomrade.md#sak-2"]);
    assert!(err.contains("mente du «#sak-02»?"), "{err}");
}

#[test]
fn an_item_numbered_per_meeting_links_only_with_its_meeting_named() {
    let b = build(&fixture("per-meeting"));
    assert!(b.success, "{}", b.stderr);
    let page = b.page("moter/2024-03-12-arbeidsutvalg/index.html");
    let p = between(&page, "<p>Arbeidsutvalget viste til", "</p>");
    // "sak 2 i vannområdeutvalgets møte 30.01.2024": the item of that meeting.
    assert!(
        p.contains(
            r#"<a href="../../moter/2024-01-30-vannomrade/#sak-02">sak 2</a> i vannområdeutvalgets"#
        ),
        "{p}"
    );
    // A list, with the meeting named by "møtet" and the body after it.
    assert!(
        p.contains(
            r#"<a href="../../moter/2024-01-30-vannomrade/#sak-01">saker 1</a> og <a href="../../moter/2024-01-30-vannomrade/#sak-03">3</a> i"#
        ),
        "{p}"
    );
    // Alone, "sak 2" and "sak 3" name no meeting: every meeting has them.
    assert!(
        p.contains("</a> i utvalget. Sak 2 i dag ble behandlet først; se også sak 3.</p>"),
        "{p}"
    );
}
