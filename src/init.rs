//! `saksgang init`: writes a new archive skeleton (`content/` with settings,
//! one body, one municipality, one meeting and one thread, commented in
//! Norwegian) into a folder, so that a secretariat can start from a site that
//! builds. The skeleton's text is in `src/init/`, compiled in; this module only
//! decides whether it may write, and writes each file as new: it never
//! overwrites anything, and on a failure it removes what it had written.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::{self, Diagnostic};

/// The skeleton: path under the archive folder, and text.
pub const SKELETON: [(&str, &str); 5] = [
    ("content/site.yaml", include_str!("init/site.yaml")),
    ("content/bodies.yaml", include_str!("init/bodies.yaml")),
    (
        "content/municipalities.yaml",
        include_str!("init/municipalities.yaml"),
    ),
    (
        "content/meetings/2025/2025-01-15-styret.md",
        include_str!("init/meeting.md"),
    ),
    (
        "content/threads/eksempelsak.md",
        include_str!("init/thread.md"),
    ),
];

/// Writes the skeleton into `dir` (made if missing) and returns the paths it
/// wrote, relative to `dir`. Refuses, writing nothing, when `dir/content`
/// exists and is not an empty folder.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Diagnostic> {
    let content = dir.join("content");
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::global(format!("{} er en fil, ikke en mappe", dir.display()))
                .help("oppgi en ny eller tom mappe, for eksempel «saksgang init mitt-arkiv»"),
        );
    }
    if content.exists() || content.is_symlink() {
        let empty = content.is_dir()
            && !content.is_symlink()
            && std::fs::read_dir(&content).is_ok_and(|mut d| d.next().is_none());
        if !empty {
            return Err(Diagnostic::global(format!(
                "{} finnes allerede og er ikke tom; saksgang init skriver aldri over noe",
                content.display()
            ))
            .help(format!(
                "et arkiv finnes kanskje alt her: sjekk det med «saksgang check --root {}»; \
                 vil du lage et nytt, oppgi en ny mappe, for eksempel «saksgang init mitt-arkiv»",
                shell_path(dir)
            )));
        }
    }
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    for (path, text) in SKELETON {
        let full = dir.join(path);
        if let Err((at, e)) = write_new(&full, text, &mut made_dirs) {
            // Take back what this run wrote, newest first: a second try finds the
            // folder as it was.
            for f in written.iter().rev() {
                let _ = std::fs::remove_file(f);
            }
            for d in made_dirs.iter().rev() {
                let _ = std::fs::remove_dir(d);
            }
            let (what, hint) = diag::io_problem(&e);
            return Err(
                Diagnostic::global(format!("kunne ikke skrive {}: {what}", at.display()))
                    .help(format!("{hint}; ingenting ble skrevet")),
            );
        }
        written.push(full);
    }
    Ok(SKELETON.iter().map(|(p, _)| *p).collect())
}

/// Writes `text` to `file`, which must not exist, making the folders above it
/// (remembered in `made`, outermost first). On an error, the path it concerns.
pub(crate) fn write_new(
    file: &Path,
    text: &str,
    made: &mut Vec<PathBuf>,
) -> Result<(), (PathBuf, std::io::Error)> {
    if let Some(parent) = file.parent() {
        let missing: Vec<&Path> = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .collect();
        for d in missing.into_iter().rev() {
            std::fs::create_dir(d).map_err(|e| (d.to_path_buf(), e))?;
            made.push(d.to_path_buf());
        }
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|e| (file.to_path_buf(), e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| {
            // The file is this run's own: a half-written one goes.
            drop(f);
            let _ = std::fs::remove_file(file);
            (file.to_path_buf(), e)
        })
}

/// `dir` as it can be typed after `--root` in a shell.
pub fn shell_path(dir: &Path) -> String {
    let s = dir.display().to_string();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./:".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_a_shell_only_when_needed() {
        assert_eq!(shell_path(Path::new("mitt-arkiv")), "mitt-arkiv");
        assert_eq!(shell_path(Path::new("Mine møter")), "'Mine møter'");
        assert_eq!(shell_path(Path::new("it's")), r"'it'\''s'");
    }
}
