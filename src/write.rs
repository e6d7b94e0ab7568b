//! Stage 4, `write`: the pages onto disk.
//!
//! This stage owns the output folder. It is called only after every page has
//! been rendered without error, so a failed build never touches the previous
//! site. A file whose bytes did not change is not rewritten (its modification
//! time stays, so a deploy by rsync sends only what changed); a changed file is
//! written to a temporary name and renamed over the old one, so a reader never
//! sees half a page; files the new build no longer has are removed. saksgang
//! marks the folders it writes and refuses to clear out one it did not make.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::Page;

/// Marks a folder as saksgang's output.
pub const MARKER: &str = ".saksgang";

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files in the site.
    pub files: usize,
    /// HTML pages in the site.
    pub pages: usize,
    /// Bytes in the site.
    pub bytes: u64,
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left alone because their bytes were the same.
    pub unchanged: usize,
    /// Files removed because the site no longer has them.
    pub removed: usize,
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The folder exists, is not empty, and was not made by saksgang.
    NotOurs(PathBuf),
    /// A disk error.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "mappen {} er ikke tom og er ikke laget av saksgang, så den blir ikke skrevet over",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "kunne ikke skrive {}: {e}", p.display()),
        }
    }
}

/// Writes `pages` into `out`, leaving unchanged files alone and removing stale ones.
pub fn write(out: &Path, pages: &[Page]) -> Result<WriteSummary, WriteError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| WriteError::Io(p, e)
    };
    if out.exists() {
        let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    let marker = out.join(MARKER);
    if !marker.exists() {
        std::fs::write(
            &marker,
            "Denne mappen er laget av saksgang og skrives over ved hver bygging.\n",
        )
        .map_err(io(&marker))?;
    }
    let mut summary = WriteSummary::default();
    let mut keep: BTreeSet<PathBuf> = BTreeSet::new();
    keep.insert(marker);
    for page in pages {
        let path = out.join(&page.path);
        summary.files += 1;
        summary.bytes += page.bytes.len() as u64;
        if page.path.ends_with(".html") {
            summary.pages += 1;
        }
        if std::fs::read(&path).is_ok_and(|old| old == page.bytes) {
            summary.unchanged += 1;
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            let tmp = path.with_extension("saksgang-tmp");
            std::fs::write(&tmp, &page.bytes).map_err(io(&tmp))?;
            std::fs::rename(&tmp, &path).map_err(io(&path))?;
            summary.written += 1;
        }
        keep.insert(path);
    }
    summary.removed = remove_stale(out, &keep).map_err(io(out))?;
    Ok(summary)
}

/// Removes files not in `keep`, and folders left empty. Returns how many files went.
fn remove_stale(out: &Path, keep: &BTreeSet<PathBuf>) -> io::Result<usize> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if !keep.contains(entry.path()) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    for dir in dirs.iter().rev() {
        if std::fs::read_dir(dir)?.next().is_none() {
            std::fs::remove_dir(dir)?;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn unchanged_files_are_not_rewritten_and_stale_ones_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &out,
            &[page("a/index.html", "A"), page("b/index.html", "B")],
        )
        .unwrap();
        assert_eq!((first.written, first.unchanged), (2, 0));
        let second = write(&out, &[page("a/index.html", "A"), page("c.html", "C")]).unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert!(
            !out.join("b").exists(),
            "the empty folder of a removed page goes too"
        );
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "C");
    }

    #[test]
    fn a_folder_saksgang_did_not_make_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("viktig.txt"), "ikke slett meg").unwrap();
        let err = write(dir.path(), &[page("index.html", "x")]).unwrap_err();
        assert!(matches!(err, WriteError::NotOurs(_)));
        assert!(dir.path().join("viktig.txt").exists());
    }
}
