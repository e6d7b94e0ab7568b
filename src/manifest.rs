//! The manifest: every public address of the site, one per line, written with
//! each build (`manifest.txt` in the output), and the check that no address a
//! previous build published has disappeared.
//!
//! Addresses are printed in meeting invitations, so losing one is a broken
//! promise. An address disappears when a page goes, or an item anchor goes (a
//! renumbered item). A page that moved keeps its old address with `aliases:`,
//! which writes a redirect page there, so the old address stays in the manifest.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::model::Archive;
use crate::render::Task;
use crate::resolve::document_anchors;

/// The file name of the manifest in the output folder.
pub const FILE: &str = "manifest.txt";

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

/// The manifest's text.
pub fn text(addresses: &BTreeSet<String>) -> String {
    let mut s = String::new();
    for a in addresses {
        s.push_str(a);
        s.push('\n');
    }
    s
}

/// A warning for every address of `previous` (a manifest's text) that `current`
/// no longer has.
pub fn compare(previous: &str, current: &BTreeSet<String>, site_base: &str) -> Vec<Diagnostic> {
    let gone: Vec<&str> = previous
        .lines()
        .map(str::trim)
        .filter(|a| a.starts_with('/') && !current.contains(*a))
        .collect();
    // The anchors of a page that is gone are not reported one by one.
    let pages_gone: BTreeSet<&str> = gone.iter().copied().filter(|a| !a.contains('#')).collect();
    let gone: Vec<&str> = gone
        .into_iter()
        .filter(|a| {
            a.split_once('#')
                .is_none_or(|(page, _)| !pages_gone.contains(page))
        })
        .collect();
    gone.iter()
        .map(|a| {
            let full = format!("{}{}", site_base.trim_end_matches('/'), a);
            let help = if a.contains('#') {
                "en sak har fått nytt nummer eller er fjernet; lenker i innkallinger til denne saken virker ikke lenger. Sjekk saksnummeret i møtefilen"
            } else {
                "siden er flyttet eller fjernet. Står den nå et annet sted, skriv den gamle adressen under «aliases:» i filen, så blir den gamle lenken sendt videre"
            };
            Diagnostic::global_warning(format!("adressen {full} er publisert før, men finnes ikke lenger"))
                .help(help)
        })
        .collect()
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
        let warnings = compare(previous, &current, "https://example.org/arkiv/");
        let messages: Vec<&str> = warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "adressen https://example.org/arkiv/moter/a/#sak-02-2017 er publisert før, men finnes ikke lenger",
                "adressen https://example.org/arkiv/moter/gammel/ er publisert før, men finnes ikke lenger",
            ]
        );
        assert!(warnings.iter().all(|d| !d.is_error()));
        assert!(compare(&text(&current), &current, "/").is_empty());
    }
}
