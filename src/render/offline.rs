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
pub(crate) fn name_index_files(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((at, attr_len)) = next_attribute(rest) {
        let value_start = at + attr_len;
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + value_len];
        out.push_str(&rest[..value_start]);
        out.push_str(&with_index(value));
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// The next ` href="` or ` action="`: its position and length.
fn next_attribute(s: &str) -> Option<(usize, usize)> {
    const ATTRIBUTES: [&str; 2] = [" href=\"", " action=\""];
    ATTRIBUTES
        .iter()
        .filter_map(|a| s.find(a).map(|at| (at, a.len())))
        .min()
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
    fn other_links_and_text_are_left_alone() {
        // Text on a page is escaped, so a quote in it is never a raw `"`.
        let page = concat!(
            r#"<a href="https://vestregionen.no/arkiv/">nett</a> <a href="mailto:post@vestregionen.no">e-post</a> "#,
            r##"<a href="#sak-04-2017">her</a> <a href="/moter/">rot</a> <p>skriv href=&quot;moter/&quot; i teksten</p>"##,
        );
        assert_eq!(name_index_files(page), page);
    }
}
