//! Files for other programs: `sitemap.xml` for search engines, `moter.ics`, an
//! iCalendar file of every meeting (notices of future meetings included), and
//! `nytt.xml`, an Atom feed of the newest documents, both to subscribe to. Both are made from the model and the
//! manifest, with no I/O, and are deterministic: no "now" in them.

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

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
        lines.push(format!("UID:{}@{host}", m.slug));
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
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{base}/</id>\n  <link href=\"{base}/\"/>\n  <link rel=\"self\" href=\"{base}/nytt.xml\"/>\n  <updated>{updated}T00:00:00Z</updated>\n",
        xml_escape(&archive.site.language),
        xml_escape(&archive.site.title),
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

/// Escapes iCalendar text values.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Writes a content line folded at 75 octets, as RFC 5545 requires, never
/// splitting a character, with CRLF line ends.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
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
    fn text_values_are_escaped() {
        assert_eq!(
            text("Rådhuset i Drammen, møterom; 2\nskjerm"),
            "Rådhuset i Drammen\\, møterom\\; 2\\nskjerm"
        );
    }
}
