//! Norwegian (bokmål) for people: dates as "torsdag 23. februar 2017", sorting
//! with Æ, Ø and Å after Z, and the few fixed words the pages need.
//!
//! Dates come from chrono's locale tables and sorting from ICU4X's CLDR collation
//! for `nb`, so neither is hand-written. One CLDR rule may surprise: `aa` sorts as
//! `å` (so "Aas" comes after "Ås"), which is the Norwegian standard.

use std::cmp::Ordering;
use std::sync::LazyLock;

use chrono::{Locale, NaiveDate};
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

/// `torsdag 23. februar 2017`.
pub fn long_date(date: NaiveDate) -> String {
    date.format_localized("%A %-d. %B %Y", Locale::nb_NO)
        .to_string()
}

/// `23. februar 2017`.
pub fn date_without_weekday(date: NaiveDate) -> String {
    date.format_localized("%-d. %B %Y", Locale::nb_NO)
        .to_string()
}

/// `23.02.2017`, the form minutes use.
pub fn short_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    // As chrono's `%d.%m.%Y`, without reading a format each time (lists
    // show thousands of dates).
    match date.year() {
        year @ 0..=9999 => format!("{:02}.{:02}.{year:04}", date.day(), date.month()),
        _ => date.format("%d.%m.%Y").to_string(),
    }
}

static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> =
    LazyLock::new(|| Collator::try_new(locale!("nb").into(), CollatorOptions::default()).ok());

/// Compares two strings the Norwegian way; equal-sorting strings fall back to
/// byte order, so that sorting is total and the output deterministic.
pub fn compare(a: &str, b: &str) -> Ordering {
    let by_collation = COLLATOR
        .as_ref()
        .map_or(Ordering::Equal, |c| c.compare(a, b));
    by_collation.then_with(|| a.cmp(b))
}

/// Sorts by a string key the Norwegian way.
pub fn sort_by_name<T>(list: &mut [T], key: impl Fn(&T) -> &str) {
    list.sort_by(|a, b| compare(key(a), key(b)));
}

/// A count with the right noun: `1 møte`, `3 møter`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The months in bokmål, January first: for dates written out ("16. mars 2017").
pub(crate) const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_bokmal() {
        let d = NaiveDate::from_ymd_opt(2017, 2, 23).unwrap();
        assert_eq!(long_date(d), "torsdag 23. februar 2017");
        assert_eq!(short_date(d), "23.02.2017");
        let d = NaiveDate::from_ymd_opt(2018, 6, 14).unwrap();
        assert_eq!(long_date(d), "torsdag 14. juni 2018");
        assert_eq!(date_without_weekday(d), "14. juni 2018");
        // The short form is chrono's `%d.%m.%Y`, written without it.
        for (y, m, day) in [
            (50, 1, 2),
            (999, 12, 31),
            (2017, 2, 23),
            (9999, 7, 4),
            (10000, 1, 1),
        ] {
            let d = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(short_date(d), d.format("%d.%m.%Y").to_string());
        }
    }

    #[test]
    fn aeoa_sort_after_z() {
        let mut names = vec!["Ål", "Øvre Eiker", "Asker", "Bærum", "Zeta", "Ærøy", "Oslo"];
        sort_by_name(&mut names, |s| s);
        assert_eq!(
            names,
            vec!["Asker", "Bærum", "Oslo", "Zeta", "Ærøy", "Øvre Eiker", "Ål"]
        );
    }
}
