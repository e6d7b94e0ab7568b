//! Markdown of the minutes to HTML, with the archive's links put in.
//!
//! Raw HTML in the minutes is shown as text (the site says what the minutes say,
//! and nothing in them can inject markup); HTML comments are dropped, which lets a
//! writer leave notes such as page headers of the original out of the page.
//! Prose references found by `resolve` become links, and `@/path.md#anchor` links
//! get the target page's address.

use std::collections::BTreeMap;

use pulldown_cmark::{Alignment, CowStr, Event, Parser, Tag, TagEnd};

use crate::load::markdown_options;
use crate::model::{Markdown, Target, TextLink};

/// Everything needed to turn a piece of Markdown into HTML for one page.
pub(crate) struct MdContext<'a> {
    /// The whole text of the source file.
    pub(crate) text: &'a str,
    /// Resolved prose references of that file, sorted by where they start.
    pub(crate) links: &'a [TextLink],
    /// Resolved `@/` links.
    pub(crate) path_links: &'a BTreeMap<String, Target>,
    /// Turns a target into an address relative to the current page.
    pub(crate) href: &'a dyn Fn(&Target) -> String,
}

/// Why a link or image address of the minutes is not put on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// A scheme other than `http:`, `https:`, `mailto:` and `tel:` (lower case,
    /// as a browser reads it): `javascript`, `data`, `vbscript`, `file`, …
    Scheme(String),
    /// `//host/…` (or with backslashes): an address on another site with the
    /// scheme of the page, which is `file:` in the offline edition.
    ProtocolRelative,
}

/// Whether an address written in the minutes may become a link or an image.
/// The one rule for the whole program: `render` leaves a refused link out of the
/// page (its words stay, as text) and `resolve` warns about it at its place.
pub(crate) fn safe_link(dest: &str) -> bool {
    link_refusal(dest).is_none()
}

/// Why `dest` may not be a link, or `None` if it may.
///
/// The address is read the way a browser reads it: character references
/// decoded (`&#106;`, `&colon;`), control characters and white space around
/// it trimmed, tabs and line breaks (and any other control character) inside it
/// dropped, and letters compared in any case. Allowed are `http:`, `https:`,
/// `mailto:`, `tel:`, addresses with no scheme (relative, `#anchor`, `?query`,
/// `/path`) and `@/` links to the archive. Refused are every other scheme and
/// protocol-relative `//host` addresses.
pub(crate) fn link_refusal(dest: &str) -> Option<Refused> {
    let decoded = decode_references(dest);
    let s: String = decoded
        .trim_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if s.starts_with("@/") {
        return None;
    }
    if ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|p| s.starts_with(p))
    {
        return Some(Refused::ProtocolRelative);
    }
    let end = s.find([':', '/', '?', '#', '\\'])?;
    if !s[end..].starts_with(':') {
        return None;
    }
    let scheme = &s[..end];
    (!["http", "https", "mailto", "tel"].contains(&scheme))
        .then(|| Refused::Scheme(scheme.to_string()))
}

/// Decodes numeric character references and the named ones that can hide a
/// scheme (`&colon;`, `&Tab;`, `&NewLine;`, …), with or without the `;`.
fn decode_references(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    const NAMED: [(&str, char); 9] = [
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("sol", '/'),
        ("bsol", '\\'),
        ("num", '#'),
        ("quest", '?'),
        ("nbsp", '\u{a0}'),
        ("amp", '&'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let (c, len) = if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let n = digits
                .find(|c: char| {
                    !if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .unwrap_or(digits.len());
            let radix = if hex { 16 } else { 10 };
            let value = digits[..n].chars().try_fold(0u32, |v, d| {
                v.checked_mul(radix)?.checked_add(d.to_digit(radix)?)
            });
            if n == 0 {
                (None, 0)
            } else {
                // A number too large for a character is a character all the same.
                let c = value.and_then(char::from_u32).unwrap_or('\u{fffd}');
                (Some(c), num.len() - digits.len() + n + 1)
            }
        } else {
            let n = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let name = rest[..n].to_ascii_lowercase();
            match NAMED.iter().find(|(k, _)| *k == name) {
                Some((_, c)) => (Some(*c), n),
                None => (None, 0),
            }
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[len..];
                if let Some(r) = rest.strip_prefix(';') {
                    rest = r;
                }
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
thread_local! {
    /// How many prose references `to_html` looked at, in this thread (tests only):
    /// the work of putting them in must grow with the text, not text × references.
    static EXAMINED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn examined(n: usize) {
    #[cfg(test)]
    EXAMINED.with(|e| e.set(e.get() + n));
    #[cfg(not(test))]
    let _ = n;
}

/// Renders one piece of Markdown to HTML.
///
/// A link or image whose address [`safe_link`] refuses is left out: its words
/// (a link's text, an image's description) stay on the page as text.
pub(crate) fn to_html(md: &Markdown, ctx: &MdContext<'_>) -> String {
    let slice = &ctx.text[md.range.clone()];
    let base = md.range.start;
    let links = ctx.links;
    // The references of this piece: the first at or after its start, found once;
    // from there a cursor moves forward with the text.
    let from_start = |start: usize| {
        examined(usize::BITS as usize - links.len().leading_zeros() as usize);
        links.partition_point(|l| l.range.start < start)
    };
    let mut cursor = from_start(base);
    let mut last_start = base;
    // For each open link or image: whether it was left out.
    let mut open: Vec<bool> = Vec::new();
    let mut table = TableCells::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(slice, markdown_options()).into_offset_iter() {
        let event = match table.cell(event, &mut events) {
            Some(event) => event,
            None => continue,
        };
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                if !h.trim_start().starts_with("<!--") {
                    events.push(Event::Text(h));
                }
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if !safe_link(dest_url) =>
            {
                open.push(true);
            }
            // Every end closes the innermost open link or image: the guard takes
            // it off the stack, and the end of a kept one falls through to be kept.
            Event::End(TagEnd::Link | TagEnd::Image) if open.pop() == Some(true) => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                open.push(false);
                let href = ctx
                    .path_links
                    .get(dest_url.as_ref())
                    .map_or_else(|| "#".to_string(), |t| (ctx.href)(t));
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                }));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                open.push(false);
                events.push(Event::Start(tag));
            }
            Event::Text(t) => {
                let abs = base + range.start..base + range.end;
                if abs.start < last_start {
                    cursor = from_start(abs.start);
                }
                last_start = abs.start;
                while cursor < links.len() && links[cursor].range.start < abs.start {
                    examined(1);
                    cursor += 1;
                }
                let mut end = cursor;
                while end < links.len() && links[end].range.start < abs.end {
                    examined(1);
                    end += 1;
                }
                if cursor == end || slice.get(range.clone()) != Some(&*t) {
                    events.push(Event::Text(t));
                    continue;
                }
                let mut pos = abs.start;
                for l in links[cursor..end].iter().filter(|l| l.range.end <= abs.end) {
                    if l.range.start < pos {
                        continue;
                    }
                    let before = &ctx.text[pos..l.range.start];
                    if !before.is_empty() {
                        events.push(Event::Text(CowStr::from(before.to_string())));
                    }
                    events.push(Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url: CowStr::from((ctx.href)(&l.target)),
                        title: CowStr::from(""),
                        id: CowStr::from(""),
                    }));
                    events.push(Event::Text(CowStr::from(
                        ctx.text[l.range.clone()].to_string(),
                    )));
                    events.push(Event::End(TagEnd::Link));
                    pos = l.range.end;
                }
                let rest = &ctx.text[pos..abs.end];
                if !rest.is_empty() {
                    events.push(Event::Text(CowStr::from(rest.to_string())));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(slice.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The box a Markdown table is put in: a region that scrolls sideways when the
/// table is wider than the screen, which a keyboard can reach and scroll
/// (`tabindex="0"`) and a screen reader names. A table of the minutes has no
/// caption, so the name is a plain one.
const TABLE_REGION: &str =
    "<div class=\"tabell\" role=\"region\" tabindex=\"0\" aria-label=\"Tabell\">\n";

/// The cells of Markdown tables, written with a class for their alignment
/// (`class="hoyre"`) instead of the `style="text-align: right"` that
/// pulldown-cmark writes, which the pages' Content-Security-Policy forbids; and
/// each table in a box of its own that scrolls sideways on a narrow screen.
#[derive(Default)]
struct TableCells {
    /// The alignment of each column of the table being read.
    alignments: Vec<Alignment>,
    /// The column of the next cell.
    column: usize,
    /// Whether the cells are in the table's head row.
    head: bool,
}

impl TableCells {
    /// Puts what `event` becomes into `events` and returns `None`, or gives the
    /// event back when it is not part of a table's frame.
    fn cell<'a>(&mut self, event: Event<'a>, events: &mut Vec<Event<'a>>) -> Option<Event<'a>> {
        let tag = if self.head { "th" } else { "td" };
        match event {
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(CowStr::from(TABLE_REGION)));
                events.push(Event::Start(Tag::Table(vec![
                    Alignment::None;
                    alignments.len()
                ])));
                self.alignments = alignments;
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::TableHead) => {
                self.head = true;
                self.column = 0;
                events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                self.head = false;
                events.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                self.column = 0;
                events.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let class = match self.alignments.get(self.column) {
                    Some(Alignment::Left) => " class=\"venstre\"",
                    Some(Alignment::Center) => " class=\"midtstilt\"",
                    Some(Alignment::Right) => " class=\"hoyre\"",
                    _ => "",
                };
                events.push(Event::InlineHtml(CowStr::from(format!("<{tag}{class}>"))));
            }
            Event::End(TagEnd::TableCell) => {
                self.column += 1;
                events.push(Event::InlineHtml(CowStr::from(format!("</{tag}>"))));
            }
            other => return Some(other),
        }
        None
    }
}

/// The plain words of a piece of Markdown, one line per block, for comparing texts.
pub(crate) fn plain_text(text: &str, md: &Markdown) -> String {
    let slice = &text[md.range.clone()];
    let mut out = String::new();
    for event in Parser::new_ext(slice, markdown_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_))
                if !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// A word-level difference between a proposal and a decision, as HTML with
/// `<del>` for words the meeting removed and `<ins>` for words it added.
/// Each opens with visually hidden words, `slettet: ` or `lagt til: `, so a
/// screen reader says what colour, strike-through and the theme's bracket
/// marks show. Lines (list points, paragraphs) are matched first, then the words of each
/// changed line against its counterpart, so a changed point reads as one point.
pub(crate) fn word_diff(old: &str, new: &str) -> (String, bool) {
    use similar::{DiffOp, TextDiff};
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let lines = TextDiff::from_slices(&old_lines, &new_lines);
    let mut out: Vec<String> = Vec::new();
    let mut changed = false;
    for op in lines.ops() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                out.extend(
                    old_lines[old_index..old_index + len]
                        .iter()
                        .map(|l| escape(l)),
                );
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                changed = true;
                out.extend(
                    old_lines[old_index..old_index + old_len]
                        .iter()
                        .map(|l| tagged("del", l)),
                );
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                changed = true;
                out.extend(
                    new_lines[new_index..new_index + new_len]
                        .iter()
                        .map(|l| tagged("ins", l)),
                );
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                changed = true;
                let olds = &old_lines[old_index..old_index + old_len];
                let news = &new_lines[new_index..new_index + new_len];
                for i in 0..old_len.max(new_len) {
                    match (olds.get(i), news.get(i)) {
                        (Some(o), Some(n)) => out.push(words(o, n)),
                        (Some(o), None) => out.push(tagged("del", o)),
                        (None, Some(n)) => out.push(tagged("ins", n)),
                        (None, None) => {}
                    }
                }
            }
        }
    }
    (out.join("<br>\n"), changed)
}

fn escape(s: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// `<del>` or `<ins>` around escaped text, with the hidden words a screen
/// reader says first.
fn tagged(tag: &str, s: &str) -> String {
    let said = if tag == "del" {
        "slettet: "
    } else {
        "lagt til: "
    };
    format!(
        "<{tag}><span class=\"skjult\">{said}</span>{}</{tag}>",
        escape(s)
    )
}

/// Splits a line into words, runs of white space, and single punctuation marks,
/// so that "videreføres." and "videreføres" share the word.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let kind = |c: char| {
        if c.is_alphanumeric() {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut prev: Option<u8> = None;
    for (i, c) in line.char_indices() {
        let k = kind(c);
        if prev.is_some_and(|p| p != k || k == 2) {
            out.push(&line[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// The word-level difference of one line against another.
fn words(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let (old, new) = (tokens(old), tokens(new));
    let diff = TextDiff::from_slices(&old, &new);
    let mut html = String::new();
    // Runs of one kind are joined, and a space between two changed words joins them too.
    let mut run: Option<(ChangeTag, String)> = None;
    let flush = |run: &mut Option<(ChangeTag, String)>, html: &mut String| {
        if let Some((tag, words)) = run.take() {
            match tag {
                ChangeTag::Equal => html.push_str(&escape(&words)),
                ChangeTag::Delete => html.push_str(&tagged("del", &words)),
                ChangeTag::Insert => html.push_str(&tagged("ins", &words)),
            }
        }
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let value = change.value();
        match &mut run {
            Some((t, words)) if *t == tag => words.push_str(value),
            _ => {
                flush(&mut run, &mut html);
                run = Some((tag, value.to_string()));
            }
        }
    }
    flush(&mut run, &mut html);
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    /// The HTML of a whole text with no prose references or `@/` links.
    fn html_of(text: &str) -> String {
        let md = Markdown {
            file: FileId(0),
            range: 0..text.len(),
        };
        let links = BTreeMap::new();
        let href = |_: &Target| String::new();
        let ctx = MdContext {
            text,
            links: &[],
            path_links: &links,
            href: &href,
        };
        to_html(&md, &ctx)
    }

    #[test]
    fn raw_html_is_shown_as_text_and_comments_are_dropped() {
        let text = "Før <b>fet</b> etter\n\n<!-- sidehode -->\n\n<script>alert(1)</script>\n";
        let html = html_of(text);
        assert!(html.contains("Før &lt;b&gt;fet&lt;/b&gt; etter"), "{html}");
        assert!(!html.contains("sidehode"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn table_alignment_is_a_class_and_the_table_scrolls_in_its_own_box() {
        let text = "| Kommune | Beløp | Merknad |\n|:--|--:|:-:|\n| Asker | 10 | style=\"text-align: left\" |\n";
        let html = html_of(text);
        assert_eq!(
            html,
            "<div class=\"tabell\" role=\"region\" tabindex=\"0\" aria-label=\"Tabell\">\n<table><thead><tr><th class=\"venstre\">Kommune</th>\
             <th class=\"hoyre\">Beløp</th><th class=\"midtstilt\">Merknad</th></tr></thead>\
             <tbody>\n<tr><td class=\"venstre\">Asker</td><td class=\"hoyre\">10</td>\
             <td class=\"midtstilt\">style=\"text-align: left\"</td></tr>\n</tbody></table>\n</div>\n"
        );
    }

    #[test]
    fn only_web_mail_phone_relative_and_archive_links_are_safe() {
        for ok in [
            "https://example.org/side",
            "HTTP://example.org",
            " https://example.org ",
            "mailto:post@example.org",
            "MailTo:post@example.org",
            "tel:+4712345678",
            "../side/",
            "side/index.html",
            "/arkiv/moter/",
            "#sak-04-2017",
            "?q=javascript:alert(1)",
            "side/javascript:alert(1)",
            "side#javascript:alert(1)",
            "@/meetings/2017/2017-02-23-radmannsgruppen.md#sak-04-2017",
            "",
            "Rapport&amp;vedlegg.pdf",
        ] {
            assert!(safe_link(ok), "{ok:?} is safe");
        }
        let scheme = |s: &str| Some(Refused::Scheme(s.to_string()));
        for (bad, why) in [
            ("javascript:alert(1)", scheme("javascript")),
            ("JaVaScRiPt:alert(1)", scheme("javascript")),
            (" javascript:alert(1)", scheme("javascript")),
            ("\u{1}\u{1f} javascript:alert(1)", scheme("javascript")),
            ("\u{a0}javascript:alert(1)", scheme("javascript")),
            ("java\tscript:alert(1)", scheme("javascript")),
            ("java\nscr\ript:alert(1)", scheme("javascript")),
            ("java\u{0}script:alert(1)", scheme("javascript")),
            ("&#106;avascript:alert(1)", scheme("javascript")),
            ("&#x6A;avascript&#x3A;alert(1)", scheme("javascript")),
            ("&#0000106avascript:alert(1)", scheme("javascript")),
            ("javascript&colon;alert(1)", scheme("javascript")),
            ("java&Tab;script:alert(1)", scheme("javascript")),
            ("java&NewLine;script:alert(1)", scheme("javascript")),
            ("java&#9;script:alert(1)", scheme("javascript")),
            ("&#32;javascript:alert(1)", scheme("javascript")),
            ("vbscript:msgbox(1)", scheme("vbscript")),
            ("VBScript:msgbox(1)", scheme("vbscript")),
            ("data:text/html;base64,PHNjcmlwdD4=", scheme("data")),
            ("DATA:image/svg+xml,<svg/onload=alert(1)>", scheme("data")),
            ("file:///etc/passwd", scheme("file")),
            ("java script:alert(1)", scheme("java script")),
            ("//evil.example/x", Some(Refused::ProtocolRelative)),
            (" //evil.example", Some(Refused::ProtocolRelative)),
            ("\\\\evil.example", Some(Refused::ProtocolRelative)),
            ("/\\evil.example", Some(Refused::ProtocolRelative)),
            ("\t//evil.example", Some(Refused::ProtocolRelative)),
            ("&sol;&sol;evil.example", Some(Refused::ProtocolRelative)),
            ("&#99999999999;javascript:x", scheme("\u{fffd}javascript")),
        ] {
            assert_eq!(link_refusal(bad), why, "{bad:?}");
            assert!(!safe_link(bad), "{bad:?}");
        }
    }

    fn render(text: &str, links: &[TextLink]) -> String {
        let md = Markdown {
            file: FileId(0),
            range: 0..text.len(),
        };
        let path_links = BTreeMap::new();
        let href = |t: &Target| match t {
            Target::Meeting(m, _) => format!("m{}/", m.0),
            _ => String::new(),
        };
        let ctx = MdContext {
            text,
            links,
            path_links: &path_links,
            href: &href,
        };
        to_html(&md, &ctx)
    }

    #[test]
    fn a_refused_link_or_image_keeps_its_words() {
        let html = render(
            "Se [vedlegget](javascript:alert(1)), <vbscript:x> og ![kartet](data:image/png;base64,AA). \
             [Nett](https://example.org/) ![Logo](logo.png)\n",
            &[],
        );
        assert_eq!(
            html,
            "<p>Se vedlegget, vbscript:x og kartet. \
             <a href=\"https://example.org/\">Nett</a> <img src=\"logo.png\" alt=\"Logo\" /></p>\n"
        );
        // An image inside a refused link, and a refused image inside a link.
        let html = render(
            "[![bilde](a.png)](javascript:x) [![bilde](javascript:x)](b/)\n",
            &[],
        );
        assert_eq!(
            html,
            "<p><img src=\"a.png\" alt=\"bilde\" /> <a href=\"b/\">bilde</a></p>\n"
        );
    }

    #[test]
    fn putting_in_references_costs_what_the_text_holds() {
        // Many paragraphs, each with a reference, rendered as one piece and as
        // one piece per paragraph: the references looked at grow with the text,
        // not with text × references (1.4 × 10^10 here, minutes of work).
        let n = 120_000;
        let mut text = String::new();
        let mut links = Vec::new();
        let mut pieces = Vec::new();
        for i in 0..n {
            let start = text.len();
            text.push_str("Avsnitt med møte 16.3.2017 i.\n\n");
            let at = start + "Avsnitt med ".len();
            links.push(TextLink {
                range: at..at + "møte 16.3.2017".len(),
                target: Target::Meeting(crate::model::MeetingId(i), None),
            });
            pieces.push(start..text.len() - 2);
        }
        let count = |f: &dyn Fn()| {
            EXAMINED.with(|e| e.set(0));
            f();
            EXAMINED.with(|e| e.get())
        };
        let whole = count(&|| {
            let html = render(&text, &links);
            assert_eq!(html.matches("<a href=").count(), n);
            assert!(html.contains("<p>Avsnitt med <a href=\"m9999/\">møte 16.3.2017</a> i.</p>"));
        });
        assert!(whole <= 4 * n, "{whole} references looked at for {n}");
        let path_links = BTreeMap::new();
        let href = |_: &Target| String::from("x/");
        let ctx = MdContext {
            text: &text,
            links: &links,
            path_links: &path_links,
            href: &href,
        };
        let each = count(&|| {
            for range in &pieces {
                let md = Markdown {
                    file: FileId(0),
                    range: range.clone(),
                };
                assert!(to_html(&md, &ctx).contains("<a href=\"x/\">"));
            }
        });
        // One search per piece (log2 of the references), then the cursor.
        let log = (usize::BITS - n.leading_zeros()) as usize;
        assert!(each <= n * (4 + log), "{each} references looked at for {n}");
    }

    #[test]
    fn diff_marks_removed_and_added_words() {
        let (html, changed) = word_diff(
            "Samarbeidet baseres på en vertskommunemodell.",
            "Samarbeidet baseres i første omgang på en vertskommunemodell.",
        );
        assert!(changed);
        assert_eq!(
            html,
            "Samarbeidet baseres <ins><span class=\"skjult\">lagt til: </span>i første omgang </ins>\
             på en vertskommunemodell."
        );
        // A changed point is compared with its counterpart word by word, and
        // punctuation is a token of its own.
        let (html, _) = word_diff(
            "Kommunehelsesamarbeidet i Vestre Viken sykehusområde videreføres.\nLik linje.",
            "Kommunehelsesamarbeidet i Vestre Vikens opptaksområde videreføres etter juni 2018.\nLik linje.\nNy linje.",
        );
        assert_eq!(
            html,
            "Kommunehelsesamarbeidet i Vestre \
             <del><span class=\"skjult\">slettet: </span>Viken</del>\
             <ins><span class=\"skjult\">lagt til: </span>Vikens</ins> \
             <del><span class=\"skjult\">slettet: </span>sykehusområde</del>\
             <ins><span class=\"skjult\">lagt til: </span>opptaksområde</ins> videreføres\
             <ins><span class=\"skjult\">lagt til: </span> etter juni 2018</ins>.\
             <br>\nLik linje.<br>\n<ins><span class=\"skjult\">lagt til: </span>Ny linje.</ins>"
        );
        // A whole removed line, and text that needs escaping, inside the marks.
        let (html, _) = word_diff("Første linje.\nA & <b>.", "Første linje.");
        assert_eq!(
            html,
            "Første linje.<br>\n<del><span class=\"skjult\">slettet: </span>A &amp; &lt;b&gt;.</del>"
        );
        let (_, changed) = word_diff("Lik tekst.", "Lik tekst.");
        assert!(!changed);
    }
}
