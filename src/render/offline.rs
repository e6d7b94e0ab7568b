//! Links of the offline edition, which is opened from disk (`file://`).
//!
//! A browser shows a folder listing for a link to `moter/x/` on `file://`, so in
//! the offline edition every relative link to a folder names the file in it:
//! `moter/x/index.html`, `../../index.html#sak-04-2017`. Templates write one
//! set of links for both editions; this pass is the only difference, applied to
//! each rendered page. Links with a scheme (`https:`, `mailto:`), links from the
//! server root (`/x`) and links within the page (`#x`) are left as they are.

/// The page with `index.html` added to every relative link (`href`, `action`)
/// that ends in a folder.
///
/// Only attributes of tags are links: the page is read once, tag by tag, and
/// text between tags (where the minutes' words are, with every `<` escaped),
/// comments and the contents of `<script>` and `<style>` are copied as they are,
/// so minutes that quote `href="moter/"` say so in both editions.
pub(crate) fn name_index_files(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    // `html[copied..]` is not yet in `out`.
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        let rest = &html[lt..];
        let b = rest.as_bytes();
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
        } else if b.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let tag = start_tag(rest);
            for value in &tag.links {
                out.push_str(&html[copied..lt + value.start]);
                out.push_str(&with_index(&rest[value.clone()]));
                copied = lt + value.end;
            }
            at = lt + tag.len;
            if ["script", "style"]
                .iter()
                .any(|raw| tag.name.eq_ignore_ascii_case(raw))
            {
                at = raw_text_end(html, at, tag.name);
            }
        } else if matches!(b.get(1), Some(b'/' | b'!' | b'?')) {
            // An end tag, a doctype or a processing instruction: no links.
            at = rest.find('>').map_or(html.len(), |i| lt + i + 1);
        } else {
            // A `<` that starts no tag is text.
            at = lt + 1;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// A start tag as read by [`start_tag`].
struct StartTag<'a> {
    /// The element name, as written.
    name: &'a str,
    /// The length of the tag, up to and with its `>` (or the rest of the page).
    len: usize,
    /// Where the values of its `href` and `action` attributes stand in the tag
    /// (none if the tag has no `>`).
    links: Vec<std::ops::Range<usize>>,
}

/// Reads the start tag at the beginning of `s` (`<a href="x" class=y>`), with
/// double-quoted, single-quoted and unquoted attribute values.
fn start_tag(s: &str) -> StartTag<'_> {
    let b = s.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = 1;
    while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>') {
        i += 1;
    }
    let name = &s[1..i];
    let mut links = Vec::new();
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            // A tag cut short is not a tag.
            links.clear();
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let name_start = i;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attribute = &s[name_start..i];
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = s[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                let value = i + 1..end;
                i = (end + 1).min(b.len());
                value
            }
            _ => {
                let start = i;
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        if ["href", "action"]
            .iter()
            .any(|a| attribute.eq_ignore_ascii_case(a))
        {
            links.push(value);
        }
    }
    StartTag {
        name,
        len: i,
        links,
    }
}

/// Where the contents of a `<script>` or `<style>` element that begin at `from`
/// end: at its end tag, which is read as any end tag is.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(i) = html[at..].find("</").map(|i| at + i) {
        let after = &html.as_bytes()[i + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return i;
        }
        at = i + 2;
    }
    html.len()
}

fn with_index(value: &str) -> String {
    let split = value.find(['?', '#']).unwrap_or(value.len());
    let (path, suffix) = value.split_at(split);
    let relative = !path.is_empty()
        && !path.starts_with('/')
        && !path
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'));
    if relative && path.ends_with('/') {
        format!("{path}index.html{suffix}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::name_index_files;

    #[test]
    fn folder_links_name_their_index_file() {
        let page = concat!(
            r#"<a href="./">Forsiden</a> <a href="../../moter/x/#sak-04-2017">sak</a> "#,
            r#"<form action="../sok/" method="get"></form> <link rel="stylesheet" href="../static/style.css">"#,
        );
        assert_eq!(
            name_index_files(page),
            concat!(
                r#"<a href="./index.html">Forsiden</a> <a href="../../moter/x/index.html#sak-04-2017">sak</a> "#,
                r#"<form action="../sok/index.html" method="get"></form> <link rel="stylesheet" href="../static/style.css">"#,
            )
        );
    }

    #[test]
    fn only_attributes_of_tags_are_links() {
        let page = concat!(
            r#"<p>Se &lt;a href="moter/"&gt; og <code>href="moter/"</code>, a < b > c action="sok/"</p>"#,
            r#"<!-- <a href="moter/"> --><script src="x.js">let s = '<a href="moter/">';</script>"#,
            r#"<A HREF='moter/' title="a > b" class=x>m</A><a class=y href=moter/>n</a><a title='href="x/"'>o</a>"#,
        );
        assert_eq!(
            name_index_files(page),
            concat!(
                r#"<p>Se &lt;a href="moter/"&gt; og <code>href="moter/"</code>, a < b > c action="sok/"</p>"#,
                r#"<!-- <a href="moter/"> --><script src="x.js">let s = '<a href="moter/">';</script>"#,
                r#"<A HREF='moter/index.html' title="a > b" class=x>m</A><a class=y href=moter/index.html>n</a><a title='href="x/"'>o</a>"#,
            )
        );
        // Pages cut short are copied to their end.
        for cut in [
            "<a href=\"moter/",
            "<a href=",
            "<a",
            "<!-- x",
            "<script>x",
            "<",
        ] {
            assert_eq!(name_index_files(cut), cut);
        }
    }

    #[test]
    fn a_page_of_many_links_is_read_once() {
        // Searching the rest of the page for the next kind of attribute at every
        // link would read these 2 MB 100,000 times (hours); one pass reads it once.
        let page = r#"<a href="x/">y</a> "#.repeat(100_000);
        let done = name_index_files(&page);
        assert_eq!(done, r#"<a href="x/index.html">y</a> "#.repeat(100_000));
    }

    #[test]
    fn other_links_and_text_are_left_alone() {
        // Text on a page is escaped, so a quote in it is never a raw `"`.
        let page = concat!(
            r#"<a href="https://vestregionen.no/arkiv/">nett</a> <a href="mailto:post@vestregionen.no">e-post</a> "#,
            r##"<a href="#sak-04-2017">her</a> <a href="/moter/">rot</a> <p>skriv href=&quot;moter/&quot; i teksten</p>"##,
        );
        assert_eq!(name_index_files(page), page);
    }
}
