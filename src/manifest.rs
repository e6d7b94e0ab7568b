//! The manifest: every public address of the site, one per line, written with
//! each build (`manifest.txt` in the output), and the check that no address a
//! previous build published has disappeared.
//!
//! Addresses are printed in meeting invitations, so losing one is a broken
//! promise. An address disappears when a page goes, or an item anchor goes (a
//! renumbered item). A page that moved keeps its old address with `aliases:`,
//! which writes a redirect page there, so the old address stays in the manifest.
//!
//! An address that disappeared is kept in the manifest, in a section of its own
//! (lines `borte /moter/x/`), so every later build that is compared with that
//! manifest warns again, until the address is back (an `aliases:` entry) or the
//! writer accepts the loss by writing it in `fjernede-adresser.txt` beside
//! `content/` (one address a line, the path or the full address).

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::model::Archive;
use crate::render::Task;
use crate::resolve::document_anchors;

/// The file name of the manifest in the output folder.
pub const FILE: &str = "manifest.txt";

/// The file beside `content/` that lists addresses removed on purpose.
pub const ACCEPTED_FILE: &str = "fjernede-adresser.txt";

/// How a line of the section of addresses that are gone begins.
const GONE: &str = "borte ";

/// The line before that section.
const GONE_HEADING: &str = "# Publisert før, men borte; saksgang varsler om dem til de er tilbake (aliases:) eller står i fjernede-adresser.txt:\n";

/// Every public address of the site: each page's clean URL (`/moter/x/`) and
/// each item anchor on it (`/moter/x/#sak-04-2017`), sorted.
pub fn addresses(archive: &Archive, plan: &[(String, Task)]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, task) in plan {
        if !path.ends_with(".html") || matches!(task, Task::NotFound) {
            continue;
        }
        let page = format!("/{}", path.trim_end_matches("index.html"));
        let document = match task {
            Task::Meeting(m) => Some(archive.meetings[m.0].main_document()),
            Task::Notice(m) => archive.meetings[m.0].notice.as_deref(),
            _ => None,
        };
        if let Some(doc) = document {
            out.extend(
                document_anchors(doc)
                    .into_iter()
                    .map(|a| format!("{page}#{a}")),
            );
        }
        out.insert(page);
    }
    out
}

/// The address of every page that has content of its own (`/moter/x/`): the
/// manifest's pages without redirects and the 404 page, for `sitemap.xml`.
pub fn pages(plan: &[(String, Task)]) -> BTreeSet<String> {
    plan.iter()
        .filter(|(path, task)| {
            path.ends_with(".html") && !matches!(task, Task::NotFound | Task::Redirect(_))
        })
        .map(|(path, _)| format!("/{}", path.trim_end_matches("index.html")))
        .collect()
}

/// The manifest's text: every address, then every address that was published
/// before and is gone.
pub fn text(addresses: &BTreeSet<String>, gone: &BTreeSet<String>) -> String {
    // Sized first: at 100,000 meetings the text is some fifty megabytes, and
    // growing it by doubling would hold the old and the new buffer at once.
    let lines = |set: &BTreeSet<String>, prefix: usize| -> usize {
        set.iter().map(|a| prefix + a.len() + 1).sum()
    };
    let heading = if gone.is_empty() {
        0
    } else {
        GONE_HEADING.len()
    };
    let mut s = String::with_capacity(lines(addresses, 0) + heading + lines(gone, GONE.len()));
    for a in addresses {
        s.push_str(a);
        s.push('\n');
    }
    if !gone.is_empty() {
        s.push_str(GONE_HEADING);
        for a in gone {
            s.push_str(GONE);
            s.push_str(a);
            s.push('\n');
        }
    }
    s
}

/// The addresses of `fjernede-adresser.txt`: one a line, as a path
/// (`/moter/x/`) or a full address under `site_base`; `#` begins a comment
/// line. A page's address accepts its item anchors too.
pub fn accepted(text: &str, site_base: &str) -> BTreeSet<String> {
    let base = site_base.trim_end_matches('/');
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let path = l
                .strip_prefix(base)
                .filter(|p| p.starts_with('/'))
                .unwrap_or(l);
            path.to_string()
        })
        .collect()
}

/// A warning for every address of `previous` (a manifest's text, with its
/// section of addresses already gone) that `current` does not have and that
/// was not removed on purpose (`accepted`); and every such address, for the
/// new manifest's section of addresses that are gone.
pub fn compare(
    previous: &str,
    current: &BTreeSet<String>,
    accepted: &BTreeSet<String>,
    site_base: &str,
) -> (Vec<Diagnostic>, BTreeSet<String>) {
    let is_accepted = |a: &str| {
        accepted.contains(a)
            || a.split_once('#')
                .is_some_and(|(page, _)| accepted.contains(page))
    };
    // A page that is now a redirect (`aliases:`) has no anchors; the anchors it
    // had went with the page it sends the reader to.
    let pages_with_anchors: BTreeSet<&str> = current
        .iter()
        .filter_map(|a| a.split_once('#').map(|(page, _)| page))
        .collect();
    let moved = |a: &str| {
        a.split_once('#')
            .is_some_and(|(page, _)| current.contains(page) && !pages_with_anchors.contains(page))
    };
    let gone_set: BTreeSet<String> = previous
        .lines()
        .map(|l| l.strip_prefix(GONE).unwrap_or(l).trim())
        .filter(|a| a.starts_with('/') && !current.contains(*a) && !is_accepted(a) && !moved(a))
        .map(str::to_string)
        .collect();
    let gone: Vec<&str> = gone_set.iter().map(String::as_str).collect();
    // The anchors of a page that is gone are not reported one by one.
    let pages_gone: BTreeSet<&str> = gone.iter().copied().filter(|a| !a.contains('#')).collect();
    let gone: Vec<&str> = gone
        .into_iter()
        .filter(|a| {
            a.split_once('#')
                .is_none_or(|(page, _)| !pages_gone.contains(page))
        })
        .collect();
    let warnings = gone
        .iter()
        .map(|a| {
            let full = format!("{}{}", site_base.trim_end_matches('/'), a);
            let help = if a.contains('#') {
                "en sak har fått nytt nummer eller er fjernet; lenker i innkallinger til denne saken virker ikke lenger. Sjekk saksnummeret i møtefilen. Er saken fjernet med vilje, skriv adressen i fjernede-adresser.txt (ved siden av content/), så slutter varselet"
            } else {
                "siden er flyttet eller fjernet. Står den nå et annet sted, skriv den gamle adressen under «aliases:» i filen, så blir den gamle lenken sendt videre. Er siden fjernet med vilje, skriv adressen i fjernede-adresser.txt (ved siden av content/), så slutter varselet"
            };
            Diagnostic::global_warning(format!("adressen {full} er publisert før, men finnes ikke lenger"))
                .help(help)
        })
        .collect();
    (warnings, gone_set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_that_disappear_are_reported_and_others_are_not() {
        let current: BTreeSet<String> = ["/moter/a/", "/moter/a/#sak-01-2017", "/moter/ny/"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let previous = "/moter/a/\n/moter/a/#sak-01-2017\n/moter/a/#sak-02-2017\n/moter/gammel/\n/moter/gammel/#sak-03-2017\n";
        let (warnings, gone) = compare(
            previous,
            &current,
            &BTreeSet::new(),
            "https://example.org/arkiv/",
        );
        let messages: Vec<&str> = warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "adressen https://example.org/arkiv/moter/a/#sak-02-2017 er publisert før, men finnes ikke lenger",
                "adressen https://example.org/arkiv/moter/gammel/ er publisert før, men finnes ikke lenger",
            ]
        );
        assert!(warnings.iter().all(|d| !d.is_error()));
        let none = BTreeSet::new();
        assert!(
            compare(&text(&current, &none), &current, &none, "/")
                .0
                .is_empty()
        );

        // The next manifest keeps what is gone, so the next build warns again …
        let next = text(&current, &gone);
        let (again, still) = compare(&next, &current, &none, "https://example.org/arkiv/");
        assert_eq!(again.len(), 2);
        assert_eq!(still, gone);
        // … until it is back, or removed on purpose.
        let accepted = accepted(
            "# fjernet med vilje\nhttps://example.org/arkiv/moter/gammel/\n",
            "https://example.org/arkiv/",
        );
        let mut back = current.clone();
        back.insert("/moter/a/#sak-02-2017".to_string());
        let (none_left, nothing) = compare(&next, &back, &accepted, "https://example.org/arkiv/");
        assert!(none_left.is_empty(), "{none_left:?}");
        assert!(nothing.is_empty());
    }
}
