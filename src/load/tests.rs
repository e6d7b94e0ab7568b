use super::*;

#[test]
fn item_headings_of_other_bodies() {
    let h = parse_item_heading("TR-sak 35/06: Forvaltningsreformen").unwrap();
    assert_eq!(h.label.as_deref(), Some("TR-sak"));
    assert_eq!((h.number.as_str(), h.year.as_str()), ("35", "06"));
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
    assert_eq!((h.number.as_str(), h.year.as_str()), ("42", "25"));
    assert_eq!(&h.text[h.number_start..h.number_end], "42/ 25");

    let h = parse_item_heading("17/2017 Uten merkelapp").unwrap();
    assert_eq!(h.label, None);
    assert_eq!(h.title, "Uten merkelapp");

    let h = parse_item_heading("Sak 06b/2016 Med bokstav").unwrap();
    assert_eq!(h.number, "06b");
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
    let (p, i, a) = split_body(FileId(0), &text, 12, &DecisionHeadings::default());
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
