//! Files for other programs: `sitemap.xml` for search engines, `moter.ics`, an
//! iCalendar file of every meeting (notices of future meetings included), and
//! `nytt.xml`, an Atom feed of the newest documents, both to subscribe to. Both are made from the model and the
//! manifest, with no I/O, and are deterministic: no "now" in them.
//!
//! Every value is escaped for where it goes, whatever the settings and the
//! minutes hold: in the XML files every text and attribute value (`xml_escape`,
//! which also drops the characters XML 1.0 forbids, so the file stays
//! well-formed), in the calendar every TEXT value (RFC 5545: `\\`, `;`, `,` and
//! newlines escaped, every other control character dropped, so that no value can
//! end its line and start a forged property or event), and every line of the
//! calendar is cleared of control characters before it is folded.

use std::collections::BTreeSet;

use chrono::Days;

use crate::model::Archive;
use crate::render::urls;

/// `sitemap.xml`: every page address (not anchors, not redirects) under `base_url`.
pub fn sitemap(addresses: &BTreeSet<String>, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for a in addresses.iter().filter(|a| !a.contains('#')) {
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(&format!("{base}{a}")));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// Escapes a text or attribute value for XML, and drops what XML 1.0 does not
/// allow in a document at all (control characters other than tab, newline and
/// carriage return; U+FFFE and U+FFFF) or only discourages (DEL and the C1
/// controls), so that whatever a setting holds, the file stays well-formed.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `moter.ics`: one all-day event per meeting, with its body, place and address.
pub fn calendar(archive: &Archive) -> String {
    let base = archive.site.base_url.trim_end_matches('/');
    let host = base
        .split("//")
        .nth(1)
        .and_then(|h| h.split('/').next())
        .filter(|h| !h.is_empty())
        .unwrap_or("saksgang");
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//saksgang//møtearkiv//NB".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("X-WR-CALNAME:{}", text(&archive.site.title)),
    ];
    for m in &archive.meetings {
        let body = &archive.bodies[m.body.0];
        let doc = m.main_document();
        let end = m
            .end_date
            .unwrap_or(m.date)
            .checked_add_days(Days::new(1))
            .unwrap_or(m.date);
        let stamp = m.date.format("%Y%m%dT000000Z");
        lines.push("BEGIN:VEVENT".to_string());
        lines.push(format!("UID:{}", text(&format!("{}@{host}", m.slug))));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", m.date.format("%Y%m%d")));
        lines.push(format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        lines.push(format!("SUMMARY:{}", text(&body.name)));
        if let Some(place) = &doc.place {
            lines.push(format!("LOCATION:{}", text(place)));
        }
        let mut description = Vec::new();
        if let Some(time) = &doc.time {
            description.push(format!("Tid: {time}"));
        }
        if m.minutes.is_none() {
            description.push("Innkalling; referatet er ikke publisert ennå.".to_string());
        }
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", text(&description.join("\n"))));
        }
        lines.push(format!("URL:{base}/{}", urls::meeting(&m.slug)));
        lines.push("END:VEVENT".to_string());
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// How many documents the Atom feed lists, newest first.
pub const FEED_ENTRIES: usize = 50;

/// `nytt.xml`: an Atom feed of the newest notices and minutes. A document's
/// time is its meeting's date (the content has no publication time), so the
/// feed is the same for the same content.
pub fn atom(archive: &Archive) -> String {
    let base = archive.site.base_url.trim_end_matches('/');
    let mut docs: Vec<(chrono::NaiveDate, &str, String, String)> = Vec::new();
    for m in archive.meetings.iter().rev() {
        let body = &archive.bodies[m.body.0].name;
        let date = crate::norsk::long_date(m.date);
        if m.minutes.is_some() {
            docs.push((
                m.date,
                "referat",
                format!("Referat: {body} {date}"),
                urls::meeting(&m.slug),
            ));
        }
        if m.notice.is_some() {
            let url = if m.minutes.is_some() {
                urls::notice(&m.slug)
            } else {
                urls::meeting(&m.slug)
            };
            docs.push((
                m.date,
                "innkalling",
                format!("Innkalling: {body} {date}"),
                url,
            ));
        }
        if docs.len() >= FEED_ENTRIES {
            break;
        }
    }
    docs.truncate(FEED_ENTRIES);
    let updated = docs
        .first()
        .map_or_else(|| "1970-01-01".to_string(), |d| d.0.to_string());
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{home}</id>\n  <link href=\"{home}\"/>\n  <link rel=\"self\" href=\"{home}nytt.xml\"/>\n  <updated>{updated}T00:00:00Z</updated>\n",
        xml_escape(&archive.site.language),
        xml_escape(&archive.site.title),
        home = xml_escape(&format!("{base}/")),
    );
    for (date, kind, title, url) in docs {
        let link = xml_escape(&format!("{base}/{url}"));
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{link}#{kind}</id>\n    <link href=\"{link}\"/>\n    <updated>{date}T00:00:00Z</updated>\n    <author><name>{}</name></author>\n  </entry>\n",
            xml_escape(&title),
            xml_escape(&archive.site.title),
        ));
    }
    s.push_str("</feed>\n");
    s
}

/// Escapes an iCalendar TEXT value (RFC 5545, 3.3.11): backslash, `;` and `,`
/// get a backslash, a line break (`\n`, `\r\n` or a lone `\r`, which some
/// readers take as a line end) becomes the two characters `\n`, a tab a space,
/// and every other control character is dropped: the value stays on its line.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets, as RFC 5545 requires, never
/// splitting a character, with CRLF line ends. Control characters are dropped
/// from every line, TEXT or not (an address, an id), so none can end it early.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars().filter(|c| !c.is_control()) {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_folded_without_splitting_letters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "Rådmannsgruppen ".repeat(8));
        fold(&line, &mut out);
        assert!(out.lines().all(|l| l.len() <= 76), "{out}");
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn no_control_character_survives_in_a_calendar_text() {
        assert_eq!(
            text("Drammen\rEND:VEVENT\r\nBEGIN:VEVENT\u{0}\u{1b}\u{85}\tx"),
            "Drammen\\nEND:VEVENT\\nBEGIN:VEVENT x"
        );
        let mut out = String::new();
        fold("URL:https://x.no/\r\nBEGIN:VEVENT", &mut out);
        assert_eq!(out, "URL:https://x.no/BEGIN:VEVENT\r\n");
    }

    #[test]
    fn xml_values_are_escaped_and_cleared_of_what_xml_forbids() {
        assert_eq!(
            xml_escape("a\" b='c' <d> & e\u{1}\u{b}\u{7f}\u{fffe}\tf\n"),
            "a&quot; b=&apos;c&apos; &lt;d&gt; &amp; e\tf\n"
        );
    }

    fn site_archive(base_url: &str, language: &str, title: &str) -> Archive {
        Archive {
            site: crate::model::Site {
                title: title.into(),
                base_url: base_url.into(),
                language: language.into(),
                description: None,
                theme: "default".into(),
                ..Default::default()
            },
            bodies: vec![],
            municipalities: vec![],
            people: vec![],
            meetings: vec![],
            threads: vec![],
            path_links: Default::default(),
        }
    }

    #[test]
    fn the_feed_escapes_every_setting() {
        let feed = atom(&site_archive(
            "https://x.no/\" onload=\"alert(1)",
            "nb\" x=\"y",
            "Arkiv <b>\u{1}",
        ));
        assert!(!feed.contains("\" onload"), "{feed}");
        assert!(feed.contains("xml:lang=\"nb&quot; x=&quot;y\""), "{feed}");
        assert!(feed.contains("<title>Arkiv &lt;b&gt;</title>"), "{feed}");
        let map = sitemap(
            &["moter/".to_string()].into_iter().collect(),
            "https://x.no/'\u{2}<",
        );
        assert!(
            map.contains("<loc>https://x.no/&apos;&lt;moter/</loc>"),
            "{map}"
        );
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(
            text("Rådhuset i Drammen, møterom; 2\nskjerm"),
            "Rådhuset i Drammen\\, møterom\\; 2\\nskjerm"
        );
    }
}
