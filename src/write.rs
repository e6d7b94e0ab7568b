//! Stage 4, `write`: the pages onto disk.
//!
//! This stage owns the output folder. A build writes into a staging folder
//! beside it and swaps the two only when every page was rendered and written,
//! so a failed build never touches the previous site. A page whose bytes did
//! not change is hard-linked from the previous site instead of written, so it
//! keeps its modification time (a deploy by rsync sends only what changed).
//! Pages may be put from many threads at once. saksgang marks the folders it
//! writes and refuses to replace one it did not make.
//!
//! The output folder is locked for the whole of a write (an OS lock on
//! `public.saksgang-laas` beside it), so a second build waits for the first;
//! the system drops the lock of a process that dies. Each site lists the files
//! saksgang wrote (`.saksgang-filer`); any other file in the output, put there
//! by hand (`CNAME`, `.htaccess`, `.git/`), is hard-linked into the new site,
//! unless the new site has a file of that name, which then wins. A symlinked
//! output is written where it points. What a build stopped between its two
//! renames left (`public.saksgang-gammel`) is put back or removed by the next.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::render::Page;

/// Marks a folder as saksgang's output.
pub const MARKER: &str = ".saksgang";

/// What the marker file says.
const MARKER_TEXT: &str = "Denne mappen er laget av saksgang og skrives over ved hver bygging.\n";

/// The list of every file saksgang wrote into the output, one path a line,
/// sorted. A file in the output that is not on it was put there by someone
/// else, and is carried into the next site.
pub const WRITTEN_LIST: &str = ".saksgang-filer";

/// The first entry of every zip file saksgang makes is its folder (`arkiv/`).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

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
    /// Files in the output that saksgang did not write, carried into the new site.
    pub kept: usize,
    /// Files in the output that saksgang did not write, but whose path the new
    /// site now has (or needs as a folder): the new site's file won.
    pub replaced: Vec<String>,
    /// What was cleaned up or put back from a build that was stopped, and
    /// whether the folder could not be locked.
    pub recovered: Vec<String>,
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The folder exists, is not empty, and was not made by saksgang.
    NotOurs(PathBuf),
    /// The file exists and is not a zip file made by saksgang.
    NotOurZip(PathBuf),
    /// A disk error.
    Io(PathBuf, io::Error),
}

impl WriteError {
    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            WriteError::NotOurs(_) => {
                "velg en annen mappe med --output, eller tøm mappen først".to_string()
            }
            WriteError::NotOurZip(_) => {
                "velg et annet filnavn med --output, eller flytt filen som står der først"
                    .to_string()
            }
            WriteError::Io(_, e) => crate::diag::io_problem(e).1,
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "mappen {} er ikke tom og er ikke laget av saksgang, så den blir ikke skrevet over",
                p.display()
            ),
            WriteError::NotOurZip(p) => write!(
                f,
                "{} finnes allerede og er ikke en zip-fil laget av saksgang, så den blir ikke skrevet over",
                p.display()
            ),
            WriteError::Io(p, e) => write!(
                f,
                "kunne ikke skrive {}: {}",
                p.display(),
                crate::diag::io_problem(e).0
            ),
        }
    }
}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

/// The folder `out` names, with symbolic links followed: a symlinked output
/// is written where it points, and the link stays.
pub fn real_output(out: &Path) -> io::Result<PathBuf> {
    let mut path = out.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other(format!(
        "{} er en symbolsk lenke i ring",
        out.display()
    )))
}

/// The lock on an output folder, held for the whole of a write: an OS lock on
/// a file beside the folder (`public.saksgang-laas`, holding the process id).
/// The system lets go of it when the process ends, however it ends, so a lock
/// of a build that was killed is never in the way.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
    /// Why the folder could not be locked (a file system without locks): the
    /// write goes on, with a warning.
    unlocked: Option<String>,
}

impl OutputLock {
    /// Locks the output folder `real` (symlinks already followed); if another
    /// build holds it, calls `on_wait` and waits until that one is done.
    pub fn acquire(real: &Path, on_wait: impl FnOnce()) -> Result<Self, WriteError> {
        if let Some(parent) = real.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let path = sibling(real, "saksgang-laas");
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(io_err(&path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                // Some network file systems have no locks; that must not stop a build.
                let unlocked = Some(format!(
                    "kunne ikke låse {} ({}), så en annen bygging til samme mappe samtidig blir ikke stoppet; bygg én om gangen",
                    real.display(),
                    crate::diag::io_problem(&e).0
                ));
                return Ok(Self {
                    _file: file,
                    unlocked,
                });
            }
        }
        // The process id is for people looking; the lock is the OS lock.
        file.set_len(0).map_err(io_err(&path))?;
        writeln!(file, "{}", std::process::id()).map_err(io_err(&path))?;
        Ok(Self {
            _file: file,
            unlocked: None,
        })
    }
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
    /// Every path put, for the list of what saksgang wrote.
    paths: Mutex<Vec<String>>,
    recovered: Vec<String>,
    _lock: OutputLock,
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

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// For an output folder written before saksgang kept a list of its files:
/// whether saksgang could have written the file at `rel`. It never writes a
/// name beginning with a dot (`.git/`, `.htaccess`) or, outside the theme's
/// `static/`, a file of another kind than its pages, scripts and feeds (`CNAME`).
fn could_be_ours(rel: &str) -> bool {
    const KINDS: [&str; 8] = ["html", "js", "css", "xml", "ics", "txt", "zip", "json"];
    if rel.split('/').any(|part| part.starts_with('.')) {
        return false;
    }
    rel.starts_with("static/")
        || rel
            .rsplit_once('.')
            .is_some_and(|(_, ext)| !ext.contains('/') && KINDS.contains(&ext))
}

/// A path under `root` as written in the list: relative, with `/`.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Staging {
    /// Starts a new site for `out`; if another build is writing it, waits
    /// without a word until that one is done.
    pub fn begin(out: &Path) -> Result<Self, WriteError> {
        Self::begin_or_wait(out, || {})
    }

    /// Starts a new site for `out`: locks it (calling `on_wait` and waiting if
    /// another build holds the lock), puts back or cleans up what a stopped
    /// build left, and checks that `out`, if it exists, is saksgang's.
    pub fn begin_or_wait(out: &Path, on_wait: impl FnOnce()) -> Result<Self, WriteError> {
        let real = real_output(out).map_err(io_err(out))?;
        let lock = OutputLock::acquire(&real, on_wait)?;
        let mut recovered: Vec<String> = lock.unlocked.iter().cloned().collect();
        let old = sibling(&real, "saksgang-gammel");
        if exists(&old) {
            // A build stopped between its two renames (or before removing the
            // old site). The old site is whole; the new one may not be.
            if !old.join(MARKER).exists() {
                return Err(WriteError::NotOurs(old));
            }
            if exists(&real) {
                std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
                recovered.push(format!(
                    "fjernet {}, som en bygging som ble stoppet, lot ligge igjen",
                    old.display()
                ));
            } else {
                std::fs::rename(&old, &real).map_err(io_err(&real))?;
                recovered.push(format!(
                    "en bygging ble stoppet mens den byttet ut {0}; den forrige siden ble lagt tilbake i {0} før denne byggingen",
                    real.display()
                ));
            }
        }
        if exists(&real) && !is_ours(&real).map_err(io_err(&real))? {
            return Err(WriteError::NotOurs(real));
        }
        let new = sibling(&real, "saksgang-ny");
        if exists(&new) {
            // Left behind by a build that was stopped; it is ours if it has the marker.
            if !is_ours(&new).map_err(io_err(&new))? {
                return Err(WriteError::NotOurs(new));
            }
            std::fs::remove_dir_all(&new).map_err(io_err(&new))?;
        }
        std::fs::create_dir_all(&new).map_err(io_err(&new))?;
        // The marker is kept from the old site, like any unchanged file.
        let marker = new.join(MARKER);
        if std::fs::hard_link(real.join(MARKER), &marker).is_err() {
            std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        }
        Ok(Self {
            out: real,
            new,
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            paths: Mutex::new(Vec::new()),
            recovered,
            _lock: lock,
        })
    }

    /// Puts one page into the new site. Safe to call from many threads.
    pub fn put(&self, page: &Page) -> Result<(), WriteError> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(page.bytes.len() as u64, Ordering::Relaxed);
        if page.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(page.path.clone());
        if self.place(&page.path, &page.bytes)? {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Writes one file into the new site, or hard-links it from the old one
    /// if its bytes are the same; true if it was linked.
    fn place(&self, path: &str, bytes: &[u8]) -> Result<bool, WriteError> {
        let target = self.new.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let old = self.out.join(path);
        if std::fs::read(&old).ok().as_deref() == Some(bytes)
            && std::fs::hard_link(&old, &target).is_ok()
        {
            return Ok(true);
        }
        std::fs::write(&target, bytes).map_err(io_err(&target))?;
        Ok(false)
    }

    /// Drops the new site; the old one stays as it was.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.new);
    }

    /// Goes through the old site once: counts what saksgang wrote there that
    /// the new site lacks, and carries every file saksgang did not write into
    /// the new site. Returns (removed, kept, replaced).
    fn carry_over(&self, written: &[String]) -> Result<(usize, usize, Vec<String>), WriteError> {
        // What the previous build wrote; a site of an older saksgang has no
        // list (see `could_be_ours`).
        let list = self.out.join(WRITTEN_LIST);
        let previous: Option<Vec<String>> = match std::fs::read_to_string(&list) {
            Ok(text) => {
                let mut v: Vec<String> = text.lines().map(str::to_string).collect();
                v.sort_unstable();
                Some(v)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(WriteError::Io(list, e)),
        };
        let (mut removed, mut kept, mut replaced) = (0, 0, Vec::new());
        for entry in walkdir::WalkDir::new(&self.out).min_depth(1) {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.out).to_path_buf();
                WriteError::Io(path, e.into())
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = relative(&self.out, entry.path());
            if rel == MARKER || rel == WRITTEN_LIST {
                continue;
            }
            let in_new = written.binary_search(&rel).is_ok();
            let ours = match &previous {
                Some(p) => p.binary_search(&rel).is_ok(),
                None => could_be_ours(&rel),
            };
            match (ours, in_new) {
                (true, true) => {}
                (true, false) => removed += 1,
                (false, true) => replaced.push(rel),
                (false, false) => {
                    if self.carry(entry.path(), &rel, entry.file_type().is_symlink())? {
                        kept += 1;
                    } else {
                        replaced.push(rel);
                    }
                }
            }
        }
        Ok((removed, kept, replaced))
    }

    /// Puts a file that saksgang did not write into the new site, hard-linked
    /// (a symbolic link is made again); false if the new site has a file where
    /// its folder would be, or a folder where it would be.
    fn carry(&self, from: &Path, rel: &str, symlink: bool) -> Result<bool, WriteError> {
        let target = self.new.join(rel);
        if let Some(dir) = target.parent() {
            let mut ancestor = Some(dir);
            while let Some(a) = ancestor.filter(|a| a.starts_with(&self.new)) {
                if a.is_file() {
                    return Ok(false);
                }
                ancestor = a.parent();
            }
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        if exists(&target) {
            return Ok(false);
        }
        if symlink {
            let link = std::fs::read_link(from).map_err(io_err(from))?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&link, &target).map_err(io_err(&target))?;
            #[cfg(not(unix))]
            std::fs::copy(from, &target).map_err(io_err(&target))?;
        } else if std::fs::hard_link(from, &target).is_err() {
            std::fs::copy(from, &target).map_err(io_err(&target))?;
        }
        Ok(true)
    }

    /// Replaces the old site with the new one.
    pub fn commit(self) -> Result<WriteSummary, WriteError> {
        let mut written =
            std::mem::take(&mut *self.paths.lock().unwrap_or_else(|e| e.into_inner()));
        written.sort_unstable();
        written.dedup();
        let (mut removed, mut kept, mut replaced) = (0, 0, Vec::new());
        if exists(&self.out) {
            (removed, kept, replaced) = self.carry_over(&written)?;
        }
        let mut list = String::with_capacity(written.iter().map(|p| p.len() + 1).sum());
        for p in &written {
            list.push_str(p);
            list.push('\n');
        }
        self.place(WRITTEN_LIST, list.as_bytes())?;
        drop(list);
        if exists(&self.out) {
            let old = sibling(&self.out, "saksgang-gammel");
            std::fs::rename(&self.out, &old).map_err(io_err(&self.out))?;
            if let Err(e) = std::fs::rename(&self.new, &self.out) {
                // Put the old site back before reporting.
                let _ = std::fs::rename(&old, &self.out);
                return Err(WriteError::Io(self.out.clone(), e));
            }
            std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
        } else {
            std::fs::rename(&self.new, &self.out).map_err(io_err(&self.out))?;
        }
        Ok(WriteSummary {
            files: self.files.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed,
            kept,
            replaced,
            recovered: self.recovered,
        })
    }
}

/// Whether the file at `path` is a zip file that saksgang made: the zip
/// signature and a first entry in saksgang's folder (`folder/`).
pub fn is_our_zip(path: &Path, folder: &str) -> io::Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64);
    File::open(path)?.take(64).read_to_end(&mut head)?;
    let name_len = head
        .get(26..28)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let name = head.get(30..30 + name_len).unwrap_or_default();
    Ok(head.starts_with(ZIP_MAGIC) && name.starts_with(format!("{folder}/").as_bytes()))
}

/// Checks that `path` is free for a zip file of saksgang's: missing, or a zip
/// saksgang made with its files in `folder/`.
pub fn check_zip_target(path: &Path, folder: &str) -> Result<(), WriteError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::Io(path.to_path_buf(), e)),
        Ok(m) if m.is_dir() => Err(WriteError::NotOurZip(path.to_path_buf())),
        Ok(_) => match is_our_zip(path, folder) {
            Ok(true) => Ok(()),
            Ok(false) => Err(WriteError::NotOurZip(path.to_path_buf())),
            Err(e) => Err(WriteError::Io(path.to_path_buf(), e)),
        },
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
/// it first, which is then renamed over it. A symbolic link is followed.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let path = &real_output(path).map_err(io_err(path))?;
    // Two processes writing the same file at once each have their own.
    let new = sibling(path, &format!("saksgang-ny-{}", std::process::id()));
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

    #[test]
    fn files_saksgang_did_not_write_are_carried_into_the_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[page("index.html", "A"), page("gammel.html", "G")]).unwrap();
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/config"), "[core]\n").unwrap();
        std::fs::write(out.join("CNAME"), "arkiv.example.org\n").unwrap();
        std::fs::write(out.join("egen.html"), "min egen side").unwrap();
        let second = write(&out, &[page("index.html", "B"), page("egen.html", "ny")]).unwrap();
        assert_eq!((second.removed, second.kept), (1, 2), "{second:?}");
        assert_eq!(second.replaced, ["egen.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join(".git/config")).unwrap(),
            "[core]\n"
        );
        assert!(out.join("CNAME").exists() && !out.join("gammel.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("egen.html")).unwrap(),
            "ny"
        );
        // The list names what saksgang wrote, sorted, and not what it kept.
        assert_eq!(
            std::fs::read_to_string(out.join(WRITTEN_LIST)).unwrap(),
            "egen.html\nindex.html\n"
        );
        // And the next build still knows which files are whose.
        let third = write(&out, &[page("index.html", "B")]).unwrap();
        assert_eq!((third.removed, third.kept, third.unchanged), (1, 2, 1));
    }

    #[test]
    fn a_site_without_the_list_keeps_what_saksgang_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            &[page("a/index.html", "A"), page("static/logo.svg", "S")],
        )
        .unwrap();
        std::fs::remove_file(out.join(WRITTEN_LIST)).unwrap();
        std::fs::write(out.join("CNAME"), "x").unwrap();
        std::fs::write(out.join(".htaccess"), "x").unwrap();
        let second = write(&out, &[page("b/index.html", "B")]).unwrap();
        assert_eq!((second.removed, second.kept), (2, 2), "{second:?}");
        assert!(out.join("CNAME").exists() && out.join(".htaccess").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_is_written_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("nettsted");
        let link = dir.path().join("public");
        std::os::unix::fs::symlink("nettsted", &link).unwrap();
        write(&link, &[page("a.html", "A")]).unwrap();
        write(&link, &[page("a.html", "B")]).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(real.join("a.html")).unwrap(), "B");
        assert!(dir.path().join("nettsted.saksgang-laas").exists());
        assert!(!dir.path().join("public.saksgang-ny").exists());
    }

    #[test]
    fn what_a_build_stopped_between_its_renames_left_is_put_right() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = dir.path().join("public.saksgang-gammel");
        let new = dir.path().join("public.saksgang-ny");
        write(&out, &[page("a.html", "A")]).unwrap();
        // Stopped after the first rename: no public/, the old and a new site.
        std::fs::rename(&out, &old).unwrap();
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join(MARKER), MARKER_TEXT).unwrap();
        let staging = Staging::begin(&out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "A");
        assert_eq!(staging.recovered.len(), 1);
        staging.put(&page("a.html", "A")).unwrap();
        let summary = staging.commit().unwrap();
        assert_eq!(summary.unchanged, 1);
        assert!(!old.exists() && !new.exists());
        // Stopped before removing the old site.
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        let summary = write(&out, &[page("a.html", "A")]).unwrap();
        assert!(!old.exists());
        assert_eq!(summary.recovered.len(), 1);
        // A folder of that name that saksgang did not make is left alone.
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("viktig.txt"), "x").unwrap();
        assert!(matches!(
            write(&out, &[page("a.html", "A")]),
            Err(WriteError::NotOurs(_))
        ));
        assert!(old.join("viktig.txt").exists());
    }

    #[test]
    fn a_second_writer_waits_for_the_lock_and_a_dead_ones_lock_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, || panic!("nobody holds it")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn({
            let out = out.clone();
            move || {
                let _second = OutputLock::acquire(&out, || tx.send(()).unwrap()).unwrap();
            }
        });
        rx.recv().unwrap();
        drop(first);
        waiter.join().unwrap();
        // A lock file left behind (by a build that was killed) is no lock.
        let pid = std::fs::read_to_string(dir.path().join("public.saksgang-laas")).unwrap();
        assert!(pid.trim().parse::<u32>().is_ok(), "{pid}");
        OutputLock::acquire(&out, || panic!("a lock file alone holds nothing")).unwrap();
    }

    #[test]
    fn only_saksgangs_own_zip_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("arkiv.zip");
        check_zip_target(&zip, "arkiv").unwrap();
        let mut bundle = Bundle::new("arkiv");
        bundle.add(&page("index.html", "x")).unwrap();
        std::fs::write(&zip, bundle.finish().unwrap()).unwrap();
        check_zip_target(&zip, "arkiv").unwrap();
        let yaml = dir.path().join("site.yaml");
        std::fs::write(&yaml, "title: x\n").unwrap();
        assert!(matches!(
            check_zip_target(&yaml, "arkiv"),
            Err(WriteError::NotOurZip(_))
        ));
        let mut other = Bundle::new("noe-annet");
        other.add(&page("index.html", "x")).unwrap();
        std::fs::write(&zip, other.finish().unwrap()).unwrap();
        assert!(matches!(
            check_zip_target(&zip, "arkiv"),
            Err(WriteError::NotOurZip(_))
        ));
        assert!(matches!(
            check_zip_target(dir.path(), "arkiv"),
            Err(WriteError::NotOurZip(_))
        ));
    }
}
