use super::*;

#[test]
fn item_headings_of_other_bodies() {
    let h = parse_item_heading("TR-sak 35/06: Forvaltningsreformen").unwrap();
    assert_eq!(h.label.as_deref(), Some("TR-sak"));
    assert_eq!((h.number.as_str(), h.year.as_deref()), ("35", Some("06")));
    assert_eq!(h.title, "Forvaltningsreformen");
    // The parts' places in the heading, which the model keeps instead of copies.
    assert_eq!(&h.text[..h.label_end], "TR-sak");
    assert_eq!(&h.text[h.number_start..h.number_end], "35/06");
    assert_eq!(&h.text[h.title_start..], "Forvaltningsreformen");

    let h = parse_item_heading("PS 2/2020 Budsjett").unwrap();
    assert_eq!(
        (h.label.as_deref(), h.number.as_str(), h.title.as_str()),
        (Some("PS"), "2", "Budsjett")
    );

    let h = parse_item_heading("Sak 42/ 25 Mellomrom rundt skråstreken").unwrap();
    assert_eq!((h.number.as_str(), h.year.as_deref()), ("42", Some("25")));
    assert_eq!(&h.text[h.number_start..h.number_end], "42/ 25");

    let h = parse_item_heading("17/2017 Uten merkelapp").unwrap();
    assert_eq!(h.label, None);
    assert_eq!(h.title, "Uten merkelapp");

    let h = parse_item_heading("Sak 06b/2016 Med bokstav").unwrap();
    assert_eq!(h.number, "06b");
}

#[test]
fn item_headings_numbered_per_meeting() {
    // The full stop is part of the number as printed; the title follows it.
    let h = parse_item_heading("Sak 2. Utkast til referat").unwrap();
    assert_eq!(
        (h.label.as_deref(), h.number.as_str(), h.year.as_deref()),
        (Some("Sak"), "2", None)
    );
    assert_eq!(&h.text[h.number_start..h.number_end], "2.");
    assert_eq!(h.title, "Utkast til referat");

    let h = parse_item_heading("Sak 2 Utkast til referat").unwrap();
    assert_eq!(&h.text[h.number_start..h.number_end], "2");
    assert_eq!(h.title, "Utkast til referat");

    let h = parse_item_heading("PS 3 Budsjett").unwrap();
    assert_eq!((h.label.as_deref(), h.number.as_str()), (Some("PS"), "3"));
    let h = parse_item_heading("Orienteringssak 12: Status").unwrap();
    assert_eq!((h.number.as_str(), h.title.as_str()), ("12", "Status"));
    let h = parse_item_heading("Sak 4b. Tillegg").unwrap();
    assert_eq!(h.number, "4b");
    // A year is still read where there is one.
    let h = parse_item_heading("Sak 2/2024 Med år").unwrap();
    assert_eq!(h.year.as_deref(), Some("2024"));
}

#[test]
fn numbers_without_a_year_need_a_word_that_names_an_item() {
    for h in [
        "Vedlegg 1 Budsjett",
        "Vedlegg 2. Notat",
        "Eventuelt 2",
        "2. Utkast til referat",
        "Sak 2.3 Tiltak",
        "Sak 12.03.2024",
        "Sak 2/ Tittel",
        "Sak 1234 Tittel",
        "NAV 2 Tittel",
    ] {
        assert_eq!(parse_item_heading(h), None, "{h}");
    }
}

#[test]
fn a_heading_that_starts_like_an_item_says_what_it_meant() {
    let meant = |h: &str| {
        let u = unreadable_item_heading(h, Some(2017)).unwrap_or_else(|| panic!("{h}"));
        (
            h.trim()[u.at.clone()].to_string(),
            u.problem,
            (!u.example).then_some(u.meant),
            (!u.example).then_some(u.meant_in_meeting),
        )
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        meant("Sak 2/"),
        (
            "2/".into(),
            "her mangler året".into(),
            some("Sak 2/2017"),
            some("Sak 2.")
        )
    );
    assert_eq!(
        meant("Sak 04/2O17 Budsjett"),
        (
            "04/2O17".into(),
            "«O» er en bokstav, ikke et siffer".into(),
            some("Sak 04/2017"),
            some("Sak 4.")
        )
    );
    assert_eq!(
        meant("Sak 12/20177 Budsjett"),
        (
            "12/20177".into(),
            "året skal ha fire eller to sifre, ikke 5 sifre".into(),
            some("Sak 12/2017"),
            some("Sak 12.")
        )
    );
    assert_eq!(
        meant("Sak x/2017 Budsjett"),
        (
            "x/2017".into(),
            "saksnummeret skal skrives med sifre".into(),
            None,
            None
        )
    );
    let u = unreadable_item_heading("PS x/2016 Tittel", Some(2017)).unwrap();
    assert!(u.example);
    assert_eq!(
        (u.meant.as_str(), u.meant_in_meeting.as_str()),
        ("PS 4/2016", "PS 4.")
    );
    // With no readable date, the year is left for the writer.
    let u = unreadable_item_heading("Sak 2/", None).unwrap();
    assert_eq!(u.meant, "Sak 2/ÅÅÅÅ");
    assert_eq!(meant("TR-sak 3 / Tittel").0, "3 /");
    assert_eq!(meant("12/20177 Uten ord").2, some("12/2017"));
    // Sections and real items are not suspects.
    for h in [
        "Vedlegg",
        "Vedlegg 2/3",
        "Neste møte 23.02.2017",
        "Handlingsplan 2018/2019",
        "Sak til neste møte",
        "Saksliste",
        "Sak 2. Utkast",
        "Sak 04/2017 Budsjett",
        "Eventuelt",
    ] {
        assert_eq!(unreadable_item_heading(h, Some(2017)), None, "{h}");
    }
}

#[test]
fn headings_that_are_not_items() {
    assert_eq!(parse_item_heading("Vedlegg"), None);
    assert_eq!(parse_item_heading("Neste møte 23.02.2017"), None);
    assert_eq!(parse_item_heading("Handlingsplan 2018/2019"), None);
    assert_eq!(parse_item_heading("Ekstra sak 21/20 Tittel"), None);
}

#[test]
fn decision_headings_follow_the_contract() {
    let none = DecisionHeadings::default();
    let p = Some(DecisionKind::Proposal);
    let d = Some(DecisionKind::Decision);
    for h in [
        "Forslag til vedtak",
        "Rådmannens forslag til vedtak:",
        "Sekretariatets innstilling til vedtak",
        "Innstilling",
        "Framlegg til vedtak",
        "Tilråding",
    ] {
        assert_eq!(decision_kind(h, &none), p, "{h}");
    }
    for h in [
        "Vedtak",
        "Vedtak:",
        "Enstemmig vedtak",
        "Styrets vedtak",
        "Vedtak/innstilling:",
    ] {
        assert_eq!(decision_kind(h, &none), d, "{h}");
    }
    assert_eq!(decision_kind("Behandling", &none), None);
    let extra = DecisionHeadings {
        proposal: vec!["Daglig leders anbefaling".into()],
        decision: vec!["Konklusjon".into()],
    };
    assert_eq!(decision_kind("Daglig leders anbefaling:", &extra), p);
    assert_eq!(decision_kind("Konklusjon", &extra), d);
}

#[test]
fn sub_item_letters() {
    assert_eq!(
        sub_item_letter("A Kommunehelsesamarbeidet").as_deref(),
        Some("A")
    );
    assert_eq!(sub_item_letter("B) Fra KS").as_deref(), Some("B"));
    assert_eq!(sub_item_letter("Vedtak"), None);
    assert_eq!(sub_item_letter("A"), None);
}

fn split(body: &str) -> (String, Vec<RawPart>, Vec<RawItem>, Vec<RawPart>) {
    let text = format!("---\nx: 1\n---\n{body}");
    let (p, i, a, w) = split_body(FileId(0), &text, 12, &DecisionHeadings::default(), None);
    assert!(w.is_empty());
    (text, p, i, a)
}

#[test]
fn body_is_cut_into_preamble_items_decisions_and_after() {
    let (text, pre, items, after) = split(
        "Godkjenning av innkalling.\n\n## Sak 1/2020 Første\n\nTekst.\n\n### Vedtak\n\nGodkjent.\n\n#### 1. Punkt\n\nDel av vedtaket.\n\n### B Fra KS\n\nOrientering.\n\n#### Vedtak\n\nTatt til orientering.\n\n## Vedlegg\n\nListe.\n",
    );
    assert!(
        matches!(&pre[0], RawPart::Text(m) if &text[m.range.clone()] == "Godkjenning av innkalling.")
    );
    assert_eq!(items.len(), 1);
    let parts = &items[0].parts;
    assert!(matches!(&parts[0], RawPart::Text(m) if &text[m.range.clone()] == "Tekst."));
    match &parts[1] {
        RawPart::Decision { kind, body, .. } => {
            assert_eq!(*kind, DecisionKind::Decision);
            let t = &text[body.range.clone()];
            assert!(
                t.starts_with("Godkjent.") && t.ends_with("Del av vedtaket."),
                "{t}"
            );
        }
        p => panic!("{p:?}"),
    }
    assert!(matches!(&parts[2], RawPart::Heading(h) if h.text == "B Fra KS"));
    assert!(matches!(&parts[4], RawPart::Decision { heading, .. } if heading.level == 4));
    assert!(matches!(&after[0], RawPart::Heading(h) if h.text == "Vedlegg"));
    assert!(matches!(&after[1], RawPart::Text(m) if &text[m.range.clone()] == "Liste."));
}

#[test]
fn raw_html_in_a_heading_stays_in_its_text() {
    let text = "## Sak 05/2017 Budsjett <utkast>\n\n### Vedlegg <b>fet</b><!-- merknad -->\n";
    let hs = headings(text, 0);
    assert_eq!(hs[0].text, "Sak 05/2017 Budsjett <utkast>");
    assert_eq!(hs[1].text, "Vedlegg <b>fet</b>");
    let h = parse_item_heading(&hs[0].text).unwrap();
    assert_eq!(h.title, "Budsjett <utkast>");
}
