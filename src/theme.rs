//! Themes: the Tera templates and static files a site is rendered with.
//!
//! The default theme (`themes/default` in this repository) is compiled into the
//! binary, so an archive folder without `themes/` still builds. A site overrides
//! it file by file: a file at `ROOT/themes/<theme>/templates/meeting.html` replaces
//! the built-in `meeting.html`, and files under `static/` are added or replaced.
//! This module reads those files; `render` only receives their text.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::Logo;

/// Templates and static files, by name.
#[derive(Debug, Default, Clone)]
pub struct Theme {
    /// Template name (`meeting.html`) → (shown path, source).
    pub templates: BTreeMap<String, (String, String)>,
    /// Path under the output root (`static/style.css`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The built-in default templates.
const DEFAULT_TEMPLATES: &[(&str, &str)] = builtin![
    "base.html",
    "index.html",
    "meetings.html",
    "meeting.html",
    "threads.html",
    "thread.html",
    "municipalities.html",
    "municipality.html",
    "bodies.html",
    "body.html",
    "part.html",
    "threadbox.html",
    "redirect.html",
    "404.html",
    "years.html",
    "meeting_items.html",
    "attendance_rows.html",
    "mention_rows.html",
    "member_rows.html",
    "attendance_strips.html",
    "attendance_matrix.html",
    "municipality_year.html",
    "body_year.html",
    "search.html",
    "csp.html",
    "accessibility.html",
    "contact.html",
];

/// The built-in default static files.
macro_rules! builtin_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../themes/default/static/", $name)))),*]
    };
}

/// The built-in default static files: the stylesheet, the script of the pages
/// at old addresses (which keeps a link's anchor), and the search page's
/// scripts with the licences of the vendored ones (see `themes/default/VENDORED.md`).
const DEFAULT_STATIC: &[(&str, &[u8])] = builtin_static![
    "style.css",
    "omdiriger.js",
    "sok/sok.js",
    "sok/lunr.min.js",
    "sok/lunr.stemmer.support.min.js",
    "sok/lunr.no.min.js",
    "sok/LICENSE-lunr.txt",
    "sok/LICENSE-lunr-languages.txt",
];

/// The script of `saksgang serve`'s live preview (reload, and the overlay of
/// errors). It is the theme's own file but never part of a built site: the
/// server answers it at [`crate::live::SCRIPT`] and adds it to the pages it
/// serves, and only then.
pub const LIVE_SCRIPT: &str = include_str!("../themes/default/serve/direkte.js");

/// The built-in default theme.
pub fn builtin() -> Theme {
    let mut theme = Theme::default();
    for (name, src) in DEFAULT_TEMPLATES {
        theme.templates.insert(
            name.to_string(),
            (format!("themes/default/templates/{name}"), src.to_string()),
        );
    }
    for (name, bytes) in DEFAULT_STATIC {
        theme
            .statics
            .insert(format!("static/{name}"), bytes.to_vec());
    }
    theme
}

/// Whether `name` can name a theme: one plain folder name (letters, digits,
/// `-`, `_`, `.`, not starting with a dot), so that `ROOT/themes/<name>` is
/// always a folder directly in `themes/`, never `..`, an absolute path or a
/// path with `/` in it.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The built-in theme with the files of `ROOT/themes/<name>` laid over it.
/// A name that is not a plain folder name (`resolve` reports it at its place in
/// site.yaml) reads nothing and gives the built-in theme.
pub fn load(root: &Path, name: &str) -> (Theme, Vec<Diagnostic>) {
    let mut theme = builtin();
    let mut diagnostics = Vec::new();
    if !valid_name(name) {
        diagnostics.push(
            Diagnostic::global(format!("temaet «{name}» er ikke et mappenavn i themes/"))
                .help("skriv bare navnet på en mappe i themes/ i «theme:» i content/site.yaml"),
        );
        return (theme, diagnostics);
    }
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name != "default" {
            diagnostics.push(
                Diagnostic::global(format!("fant ikke temaet «{name}» i themes/{name}"))
                    .help("rett «theme:» i content/site.yaml, eller lag mappen; uten den brukes standardtemaet"),
            );
        }
        return (theme, diagnostics);
    }
    // A folder in themes/ that is a link to somewhere else is not read: a theme's
    // files are published, so they must be the archive's own.
    let inside = match (dir.canonicalize(), root.join("themes").canonicalize()) {
        (Ok(d), Ok(themes)) => d.parent() == Some(themes.as_path()),
        _ => false,
    };
    if !inside {
        diagnostics.push(
            Diagnostic::global(format!(
                "temaet «{name}» er en lenke til en mappe utenfor themes/"
            ))
            .help(format!(
                "legg filene til temaet i selve mappen themes/{name}, ikke i en lenke dit"
            )),
        );
        return (theme, diagnostics);
    }
    for (sub, is_template) in [("templates", true), ("static", false)] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    diagnostics.push(Diagnostic::global(format!(
                        "kunne ikke lese {}: {e}",
                        base.display()
                    )));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel: Vec<String> = entry
                .path()
                .strip_prefix(&base)
                .unwrap_or(entry.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            let shown = format!("themes/{name}/{sub}/{rel}");
            match std::fs::read(entry.path()) {
                Ok(bytes) if is_template => match String::from_utf8(bytes) {
                    Ok(src) => {
                        theme.templates.insert(rel, (shown, src));
                    }
                    Err(_) => diagnostics.push(
                        Diagnostic::global(format!("{shown} er ikke lagret som UTF-8"))
                            .help("lagre malen med tegnkodingen UTF-8"),
                    ),
                },
                Ok(bytes) => {
                    theme.statics.insert(format!("static/{rel}"), bytes);
                }
                Err(e) => {
                    diagnostics.push(Diagnostic::global(format!("kunne ikke lese {shown}: {e}")))
                }
            }
        }
    }
    (theme, diagnostics)
}

/// The logo of site.yaml must be one of the theme's static files, and an image
/// of the type its name says: an error at `logo:` otherwise.
pub fn check_logo(theme: &Theme, name: &str, logo: &Logo) -> Option<Diagnostic> {
    let at = |message: String, label: &str, help: String| match logo.file {
        Some(file) => Diagnostic::error(file, logo.span.clone(), message)
            .label(label)
            .help(help),
        None => Diagnostic::global(message).help(help),
    };
    let shown = format!("themes/{name}/static/{}", logo.path);
    let Some(bytes) = theme.statics.get(&format!("static/{}", logo.path)) else {
        return Some(at(
            format!("fant ikke logoen {shown}"),
            "filen finnes ikke i temaet",
            format!("legg bildet i {shown}, eller rett «logo:»"),
        ));
    };
    let ext = logo
        .path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(1024)];
    let is = match ext.as_str() {
        "png" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => head.starts_with(&[0xff, 0xd8, 0xff]),
        "gif" => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
        "webp" => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
        // An SVG is text with an <svg element near its start.
        _ => String::from_utf8_lossy(head).contains("<svg"),
    };
    (!is).then(|| {
        at(
            format!("logoen {shown} er ikke et {}-bilde", ext.to_uppercase()),
            "innholdet passer ikke med filnavnet",
            "lagre bildet på nytt i formatet filnavnet sier, eller gi filen riktig endelse"
                .to_string(),
        )
    })
}
