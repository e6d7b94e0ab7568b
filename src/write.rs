//! Stage 4, `write`: the pages onto disk.
//!
//! This stage owns the output folder. A build writes into a staging folder
//! beside it and swaps the two only when every page was rendered and written,
//! so a failed build never touches the previous site. A page whose bytes did
//! not change is hard-linked from the previous site instead of written, so it
//! keeps its modification time (a deploy by rsync sends only what changed).
//! Pages may be put from many threads at once. saksgang marks the folders it
//! writes and refuses to replace one it did not make.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::render::Page;

/// Marks a folder as saksgang's output.
pub const MARKER: &str = ".saksgang";

/// What the marker file says.
const MARKER_TEXT: &str = "Denne mappen er laget av saksgang og skrives over ved hver bygging.\n";

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
    /// Files kept from the previous site because their bytes were the same.
    pub unchanged: usize,
    /// Files of the previous site that the new one no longer has.
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

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

/// A new site being written beside the old one.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    new: PathBuf,
    files: AtomicUsize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    existed: AtomicUsize,
}

/// A sibling of `out` with a suffix: `public` → `public.saksgang-ny`.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!("{name}.{suffix}"))
}

fn is_ours(dir: &Path) -> io::Result<bool> {
    Ok(dir.join(MARKER).exists() || std::fs::read_dir(dir)?.next().is_none())
}

impl Staging {
    /// Starts a new site for `out`; checks that `out`, if it exists, is saksgang's.
    pub fn begin(out: &Path) -> Result<Self, WriteError> {
        if out.exists() && !is_ours(out).map_err(io_err(out))? {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
        let new = sibling(out, "saksgang-ny");
        if new.exists() {
            // Left behind by a build that was stopped; it is ours if it has the marker.
            if !is_ours(&new).map_err(io_err(&new))? {
                return Err(WriteError::NotOurs(new));
            }
            std::fs::remove_dir_all(&new).map_err(io_err(&new))?;
        }
        std::fs::create_dir_all(&new).map_err(io_err(&new))?;
        // The marker is kept from the old site, like any unchanged file.
        let marker = new.join(MARKER);
        if std::fs::hard_link(out.join(MARKER), &marker).is_err() {
            std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        }
        Ok(Self {
            out: out.to_path_buf(),
            new,
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            existed: AtomicUsize::new(0),
        })
    }

    /// Puts one page into the new site. Safe to call from many threads.
    pub fn put(&self, page: &Page) -> Result<(), WriteError> {
        let target = self.new.join(&page.path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(page.bytes.len() as u64, Ordering::Relaxed);
        if page.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        let old = self.out.join(&page.path);
        let previous = std::fs::read(&old).ok();
        if previous.is_some() {
            self.existed.fetch_add(1, Ordering::Relaxed);
        }
        if previous.as_deref() == Some(page.bytes.as_slice())
            && std::fs::hard_link(&old, &target).is_ok()
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        std::fs::write(&target, &page.bytes).map_err(io_err(&target))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Drops the new site; the old one stays as it was.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.new);
    }

    /// Replaces the old site with the new one.
    pub fn commit(self) -> Result<WriteSummary, WriteError> {
        let existed = self.existed.load(Ordering::Relaxed);
        let mut removed = 0;
        if self.out.exists() {
            let old_files = walkdir::WalkDir::new(&self.out)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
                .count();
            removed = old_files.saturating_sub(existed);
            let old = sibling(&self.out, "saksgang-gammel");
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            std::fs::rename(&self.out, &old).map_err(io_err(&self.out))?;
            if let Err(e) = std::fs::rename(&self.new, &self.out) {
                // Put the old site back before reporting.
                let _ = std::fs::rename(&old, &self.out);
                return Err(WriteError::Io(self.out.clone(), e));
            }
            std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
        } else {
            if let Some(parent) = self.out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            std::fs::rename(&self.new, &self.out).map_err(io_err(&self.out))?;
        }
        Ok(WriteSummary {
            files: self.files.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed,
        })
    }
}

/// A zip file of a site, made in memory: the downloadable offline edition.
/// Entries are stored in the order they are added, with a fixed time and
/// permissions, so the same pages give the same bytes.
pub struct Bundle {
    zip: zip::ZipWriter<io::Cursor<Vec<u8>>>,
    folder: String,
}

impl Bundle {
    /// An empty zip whose files all lie in `folder/`.
    pub fn new(folder: &str) -> Self {
        Self {
            zip: zip::ZipWriter::new(io::Cursor::new(Vec::new())),
            folder: folder.trim_end_matches('/').to_string(),
        }
    }

    /// Adds one page.
    pub fn add(&mut self, page: &Page) -> Result<(), WriteError> {
        use std::io::Write;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let name = format!("{}/{}", self.folder, page.path);
        let fail = |e: io::Error| WriteError::Io(PathBuf::from(&name), e);
        self.zip
            .start_file(name.as_str(), options)
            .map_err(|e| fail(io::Error::other(e)))?;
        self.zip.write_all(&page.bytes).map_err(fail)
    }

    /// The zip file's bytes.
    pub fn finish(self) -> Result<Vec<u8>, WriteError> {
        self.zip
            .finish()
            .map(io::Cursor::into_inner)
            .map_err(|e| WriteError::Io(PathBuf::from(&self.folder), io::Error::other(e)))
    }
}

/// Writes `bytes` to the file `path`, whole or not at all: into a file beside
/// it first, which is then renamed over it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let new = sibling(path, "saksgang-ny");
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    std::fs::write(&new, bytes).map_err(io_err(&new))?;
    std::fs::rename(&new, path).map_err(|e| {
        let _ = std::fs::remove_file(&new);
        WriteError::Io(path.to_path_buf(), e)
    })
}

/// Writes `pages` as the whole site in `out`.
pub fn write(out: &Path, pages: &[Page]) -> Result<WriteSummary, WriteError> {
    let staging = Staging::begin(out)?;
    for page in pages {
        if let Err(e) = staging.put(page) {
            staging.abort();
            return Err(e);
        }
    }
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn page(path: &str, text: &str) -> Page {
        Page {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn unchanged_files_keep_their_time_and_stale_ones_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &out,
            &[page("a/index.html", "A"), page("b/index.html", "B")],
        )
        .unwrap();
        assert_eq!((first.written, first.unchanged), (2, 0));
        let a = out.join("a/index.html");
        let old_time = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(old_time)
            .unwrap();
        let second = write(&out, &[page("a/index.html", "A"), page("c.html", "C")]).unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert_eq!(std::fs::metadata(&a).unwrap().modified().unwrap(), old_time);
        assert!(!out.join("b").exists(), "pages the new site lacks are gone");
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "C");
        assert!(!dir.path().join("public.saksgang-ny").exists());
        assert!(!dir.path().join("public.saksgang-gammel").exists());
    }

    #[test]
    fn an_aborted_build_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[page("a.html", "A")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put(&page("a.html", "ny")).unwrap();
        staging.abort();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "A");
        assert!(!dir.path().join("public.saksgang-ny").exists());
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
