//! Markdown of the minutes to HTML, with the archive's links put in.
//!
//! Raw HTML in the minutes is shown as text (the site says what the minutes say,
//! and nothing in them can inject markup); HTML comments are dropped, which lets a
//! writer leave notes such as page headers of the original out of the page.
//! Prose references found by `resolve` become links, and `@/path.md#anchor` links
//! get the target page's address.

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use crate::load::markdown_options;
use crate::model::{Markdown, Target, TextLink};

/// Everything needed to turn a piece of Markdown into HTML for one page.
pub(crate) struct MdContext<'a> {
    /// The whole text of the source file.
    pub(crate) text: &'a str,
    /// Resolved prose references of that file.
    pub(crate) links: &'a [TextLink],
    /// Resolved `@/` links.
    pub(crate) path_links: &'a BTreeMap<String, Target>,
    /// Turns a target into an address relative to the current page.
    pub(crate) href: &'a dyn Fn(&Target) -> String,
}

/// Renders one piece of Markdown to HTML.
pub(crate) fn to_html(md: &Markdown, ctx: &MdContext<'_>) -> String {
    let slice = &ctx.text[md.range.clone()];
    let base = md.range.start;
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(slice, markdown_options()).into_offset_iter() {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                if !h.trim_start().starts_with("<!--") {
                    events.push(Event::Text(h));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
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
            Event::Text(t) => {
                let abs = base + range.start..base + range.end;
                let inside: Vec<&TextLink> = ctx
                    .links
                    .iter()
                    .filter(|l| l.range.start >= abs.start && l.range.end <= abs.end)
                    .collect();
                if inside.is_empty() || slice.get(range.clone()) != Some(&*t) {
                    events.push(Event::Text(t));
                    continue;
                }
                let mut pos = abs.start;
                for l in inside {
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
/// Lines (list points, paragraphs) are matched first, then the words of each
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

fn tagged(tag: &str, s: &str) -> String {
    format!("<{tag}>{}</{tag}>", escape(s))
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

    #[test]
    fn raw_html_is_shown_as_text_and_comments_are_dropped() {
        let text = "Før <b>fet</b> etter\n\n<!-- sidehode -->\n\n<script>alert(1)</script>\n";
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
        let html = to_html(&md, &ctx);
        assert!(html.contains("Før &lt;b&gt;fet&lt;/b&gt; etter"), "{html}");
        assert!(!html.contains("sidehode"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
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
            "Samarbeidet baseres <ins>i første omgang </ins>på en vertskommunemodell."
        );
        // A changed point is compared with its counterpart word by word, and
        // punctuation is a token of its own.
        let (html, _) = word_diff(
            "Kommunehelsesamarbeidet i Vestre Viken sykehusområde videreføres.\nLik linje.",
            "Kommunehelsesamarbeidet i Vestre Vikens opptaksområde videreføres etter juni 2018.\nLik linje.\nNy linje.",
        );
        assert_eq!(
            html,
            "Kommunehelsesamarbeidet i Vestre <del>Viken</del><ins>Vikens</ins> \
             <del>sykehusområde</del><ins>opptaksområde</ins> videreføres<ins> etter juni 2018</ins>.\
             <br>\nLik linje.<br>\n<ins>Ny linje.</ins>"
        );
        let (_, changed) = word_diff("Lik tekst.", "Lik tekst.");
        assert!(!changed);
    }
}
