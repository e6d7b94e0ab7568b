//! A meeting file's place: `meetings/YYYY/YYYY-MM-DD-<body>[-<slug>][-innkalling].md`.
//! The archive knows a meeting by its `date:`, not by its file name, so a file in
//! another year's folder, or whose name begins with another date, builds as before
//! but misleads whoever looks for it: that is a warning at `date:`, naming the file
//! the document should be.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, FileId};
use crate::model::DocumentKind;

/// What a meeting document says about itself, to name its file by.
pub(super) struct Declared<'a> {
    pub(super) file: FileId,
    /// Path under `content/`, with `/`: `meetings/2017/2017-06-01-x.md`.
    pub(super) content_path: &'a str,
    pub(super) date: NaiveDate,
    /// Where `date:`'s value is.
    pub(super) date_span: Range<usize>,
    pub(super) body: &'a str,
    pub(super) slug: Option<&'a str>,
    pub(super) kind: DocumentKind,
}

/// The name a meeting file should have: `meetings/2018/2018-02-22-body-innkalling.md`.
pub(super) fn expected_path(d: &Declared) -> String {
    let mut name = format!("meetings/{}/{}-{}", d.date.year(), d.date, d.body);
    if let Some(slug) = d.slug {
        name.push('-');
        name.push_str(slug);
    }
    if d.kind == DocumentKind::Notice {
        name.push_str("-innkalling");
    }
    name.push_str(".md");
    name
}

/// A warning when the file's year folder or the date its name begins with is
/// not the meeting's date. A file outside any year folder, or whose name does not
/// begin with a date, is left alone.
pub(super) fn check(d: &Declared) -> Option<Diagnostic> {
    let rest = d.content_path.strip_prefix("meetings/")?;
    let (folder, name) = match rest.rsplit_once('/') {
        Some((folder, name)) => (Some(folder), name),
        None => (None, rest),
    };
    let folder_year = folder
        .filter(|f| f.len() == 4 && f.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|f| f.parse::<i32>().ok())
        .filter(|y| *y != d.date.year());
    let name_date = name
        .get(..10)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .filter(|n| *n != d.date);
    let message = match (folder_year, name_date) {
        (None, None) => return None,
        (Some(y), None) => format!("filen ligger i mappen for {y}, men møtet er {}", d.date),
        (None, Some(n)) => format!("filnavnet har datoen {n}, men møtet er {}", d.date),
        (Some(y), Some(n)) => format!(
            "filen ligger i mappen for {y} og har datoen {n} i navnet, men møtet er {}",
            d.date
        ),
    };
    Some(
        Diagnostic::warning(d.file, d.date_span.clone(), message)
            .label("møtets dato")
            .help(format!(
                "filen bør hete {}; flytt den dit (og rett @/-lenker til den), \
                 eller rett date: hvis det er datoen som er feil",
                expected_path(d)
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(
        path: &'static str,
        kind: DocumentKind,
        slug: Option<&'static str>,
    ) -> Declared<'static> {
        Declared {
            file: FileId(0),
            content_path: path,
            date: NaiveDate::from_ymd_opt(2019, 3, 7).unwrap(),
            date_span: 0..10,
            body: "styret",
            slug,
            kind,
        }
    }

    #[test]
    fn a_file_where_its_date_puts_it_is_fine() {
        for (path, kind, slug) in [
            (
                "meetings/2019/2019-03-07-styret.md",
                DocumentKind::Minutes,
                None,
            ),
            (
                "meetings/2019/2019-03-07-styret-innkalling.md",
                DocumentKind::Notice,
                None,
            ),
            (
                "meetings/2019/2019-03-07-styret-kveld.md",
                DocumentKind::Minutes,
                Some("kveld"),
            ),
            // Outside a year folder, or not named by date: not this check's business.
            ("meetings/2019-03-07-styret.md", DocumentKind::Minutes, None),
            (
                "meetings/2019/styremote-mars.md",
                DocumentKind::Minutes,
                None,
            ),
        ] {
            assert!(check(&declared(path, kind, slug)).is_none(), "{path}");
        }
    }

    #[test]
    fn the_name_it_should_have_keeps_slug_and_notice_suffix() {
        let d = declared(
            "meetings/2018/2019-03-07-styret.md",
            DocumentKind::Notice,
            Some("kveld"),
        );
        assert_eq!(
            expected_path(&d),
            "meetings/2019/2019-03-07-styret-kveld-innkalling.md"
        );
        let w = check(&d).unwrap();
        assert_eq!(
            w.message,
            "filen ligger i mappen for 2018, men møtet er 2019-03-07"
        );
        let d = declared(
            "meetings/2018/2018-03-07-styret.md",
            DocumentKind::Minutes,
            None,
        );
        assert_eq!(
            check(&d).unwrap().message,
            "filen ligger i mappen for 2018 og har datoen 2018-03-07 i navnet, men møtet er 2019-03-07"
        );
        let d = declared(
            "meetings/2019/2019-03-17-styret.md",
            DocumentKind::Minutes,
            None,
        );
        assert_eq!(
            check(&d).unwrap().message,
            "filnavnet har datoen 2019-03-17, men møtet er 2019-03-07"
        );
    }
}
