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
//!
//! With a cache from an earlier build beside the output (`crate::cache`,
//! `public.saksgang-cache`), a build writes in place instead ([`Update`]):
//! only the files whose bytes changed are written, into the staging folder;
//! at the commit a journal (`public.saksgang-journal`) names each file to
//! rename into the site and each to remove, and is renamed into place (the
//! commit point) before any of it is done. A build stopped before that left
//! the site as it was; one stopped after it is finished by the next build.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::cache::{self, Cache, Entry, Fingerprint, Stamp};
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

/// What a write has put so far, counted from many threads: the part of a
/// [`WriteSummary`] that a new site ([`Staging`]) and an update in place
/// ([`Update`]) count alike.
#[derive(Debug, Default)]
struct Counts {
    files: AtomicUsize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Every path put, for the list of what saksgang wrote.
    paths: Mutex<Vec<String>>,
}

impl Counts {
    /// A file of `len` bytes at `path` is in the site.
    fn put(&self, path: &str, len: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        lock(&self.paths).push(path.to_string());
    }

    /// It was written (new or changed), or kept as it was.
    fn written(&self, written: bool) {
        let n = if written {
            &self.written
        } else {
            &self.unchanged
        };
        n.fetch_add(1, Ordering::Relaxed);
    }

    /// Every path put, sorted, once.
    fn take_paths(&self) -> Vec<String> {
        let mut paths = std::mem::take(&mut *lock(&self.paths));
        paths.sort_unstable();
        paths
    }

    fn summary(
        &self,
        removed: usize,
        kept: usize,
        replaced: Vec<String>,
        recovered: Vec<String>,
    ) -> WriteSummary {
        WriteSummary {
            files: self.files.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed,
            kept,
            replaced,
            recovered,
        }
    }
}

/// A new site being written beside the old one.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    new: PathBuf,
    counts: Counts,
    recovered: Vec<String>,
    /// The cache's key, if the files written go into a cache.
    cache_key: Option<Fingerprint>,
    /// What the cache will hold.
    entries: Mutex<Vec<(String, Entry)>>,
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

/// An output folder locked, with what a stopped build left put right.
struct Opened {
    real: PathBuf,
    lock: OutputLock,
    recovered: Vec<String>,
}

/// Locks the output `out` (calling `on_wait` and waiting if another build
/// holds the lock), puts right what a stopped build left (finishes a journal
/// of changed files, puts back or removes an old site, removes a staging
/// folder), and checks that `out`, if it exists, is saksgang's.
fn open(out: &Path, on_wait: impl FnOnce()) -> Result<Opened, WriteError> {
    let real = real_output(out).map_err(io_err(out))?;
    let lock = OutputLock::acquire(&real, on_wait)?;
    let mut recovered: Vec<String> = lock.unlocked.iter().cloned().collect();
    finish_journal(&real, &mut recovered)?;
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
    Ok(Opened {
        real,
        lock,
        recovered,
    })
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
        let opened = open(out, on_wait)?;
        Self::start(opened, None)
    }

    /// A new site in the staging folder of an output already opened; with a
    /// cache key, what is written is kept in the cache when it is committed.
    fn start(opened: Opened, cache_key: Option<Fingerprint>) -> Result<Self, WriteError> {
        let Opened {
            real,
            lock,
            recovered,
        } = opened;
        let new = sibling(&real, "saksgang-ny");
        std::fs::create_dir_all(&new).map_err(io_err(&new))?;
        // The marker is kept from the old site, like any unchanged file.
        let marker = new.join(MARKER);
        if std::fs::hard_link(real.join(MARKER), &marker).is_err() {
            std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        }
        Ok(Self {
            out: real,
            new,
            counts: Counts::default(),
            recovered,
            cache_key,
            entries: Mutex::new(Vec::new()),
            _lock: lock,
        })
    }

    /// Puts one page into the new site. Safe to call from many threads.
    pub fn put(&self, page: &Page) -> Result<(), WriteError> {
        self.put_made(page, cache::of_bytes(&page.bytes))
    }

    /// Puts one page made from what has the fingerprint `fingerprint`.
    fn put_made(&self, page: &Page, fingerprint: Fingerprint) -> Result<(), WriteError> {
        self.counts.put(&page.path, page.bytes.len() as u64);
        let same = self.place(&page.path, &page.bytes)?;
        self.counts.written(!same);
        if self.cache_key.is_some() {
            // The stamp of the file in the new site is its stamp in the output
            // once the folder is renamed.
            if let Some(stamp) = Stamp::of(&self.new.join(&page.path)) {
                lock(&self.entries).push((page.path.clone(), Entry { fingerprint, stamp }));
            }
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

    /// Drops the new site; the old one stays as it was (as when it is dropped).
    pub fn abort(self) {}

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
    pub fn commit(mut self) -> Result<WriteSummary, WriteError> {
        let mut written = self.counts.take_paths();
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
        if let Some(key) = self.cache_key {
            let entries = std::mem::take(&mut *lock(&self.entries));
            save_cache(&self.out, key, entries.into_iter().collect(), None);
        }
        Ok(self
            .counts
            .summary(removed, kept, replaced, std::mem::take(&mut self.recovered)))
    }
}

impl Drop for Staging {
    /// A new site not committed is removed; the old one stays as it was.
    fn drop(&mut self) {
        if exists(&self.new) {
            let _ = std::fs::remove_dir_all(&self.new);
        }
    }
}

/// A mutex's contents, also after a thread panicked holding it.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The cache file of the output `real`.
pub fn cache_file(real: &Path) -> PathBuf {
    sibling(real, "saksgang-cache")
}

/// The file beside the output `real` where a build keeps its reading of
/// the archive (`build::Kept`) for the next.
pub fn reading_file(real: &Path) -> PathBuf {
    sibling(real, "saksgang-lesing")
}

/// The file beside the output `real` where a build keeps what the next
/// needs to make the search index again quickly (`search::SearchMemo`).
pub fn search_memo_file(real: &Path) -> PathBuf {
    sibling(real, "saksgang-sok")
}

/// Saves the cache of the output `real`, unless it is `unchanged` from what
/// is there. A cache that cannot be written is removed: the next build is a
/// full one, which is slower but as right.
fn save_cache(
    real: &Path,
    key: Fingerprint,
    entries: std::collections::HashMap<String, Entry>,
    unchanged: Option<&Cache>,
) {
    let cache = Cache { key, entries };
    if unchanged == Some(&cache) {
        return;
    }
    let file = cache_file(real);
    if replace_file(&file, &cache.to_bytes()).is_err() {
        let _ = std::fs::remove_file(&file);
    }
}

/// The first line of a journal of changed files.
const JOURNAL_HEAD: &str = "saksgang-journal 1\n";
/// The last line of a journal written whole.
const JOURNAL_END: &str = "slutt\n";

/// Finishes what the journal of a build stopped after its commit point
/// says: every file of the staging folder it names is renamed into the
/// output, every file it names as gone is removed. A journal that is not
/// whole was never committed, and is removed with the staging folder.
fn finish_journal(real: &Path, recovered: &mut Vec<String>) -> Result<(), WriteError> {
    let journal = sibling(real, "saksgang-journal");
    let unfinished = sibling(real, "saksgang-journal-ny");
    if exists(&unfinished) {
        std::fs::remove_file(&unfinished).map_err(io_err(&unfinished))?;
    }
    let text = match std::fs::read_to_string(&journal) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(WriteError::Io(journal, e)),
    };
    if let Some(body) = text
        .strip_prefix(JOURNAL_HEAD)
        .and_then(|t| t.strip_suffix(JOURNAL_END))
    {
        apply_journal(real, &sibling(real, "saksgang-ny"), body)?;
        recovered.push(format!(
            "en bygging ble stoppet mens den la endrede filer inn i {}; resten av dem ble lagt på plass før denne byggingen",
            real.display()
        ));
    }
    std::fs::remove_file(&journal).map_err(io_err(&journal))
}

/// Does what a journal says: `-path` removes a file of the output (and
/// folders left empty), `+path` renames the file of the staging folder into
/// the output. A step already done is skipped, so it may be done twice.
fn apply_journal(real: &Path, stage: &Path, body: &str) -> Result<(), WriteError> {
    for line in body.lines() {
        if let Some(rel) = line.strip_prefix('-') {
            let target = real.join(rel);
            match std::fs::remove_file(&target) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(WriteError::Io(target, e)),
            }
            let mut dir = target.parent();
            while let Some(d) = dir.filter(|d| d.starts_with(real) && *d != real) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
    }
    for line in body.lines() {
        if let Some(rel) = line.strip_prefix('+') {
            let from = stage.join(rel);
            if !exists(&from) {
                continue;
            }
            let target = real.join(rel);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            std::fs::rename(&from, &target).map_err(io_err(&target))?;
        }
    }
    Ok(())
}

/// The output being written: a whole new site beside the old one, or the
/// changed files of the old site written in place. Either way nothing is
/// changed until it is committed, and dropping it without committing leaves
/// the old site as it was.
#[derive(Debug)]
pub enum Output {
    /// A new site in a staging folder, swapped in at the end.
    Whole(Staging),
    /// The old site, with the files that changed put in place at the end.
    InPlace(Update),
}

impl Output {
    /// Opens the output `out` (see [`Staging::begin_or_wait`]). If the cache
    /// beside it is whole and has the key `key`, and `full` is not set, only
    /// the files that changed are written, in place; otherwise a whole new site.
    pub fn begin(
        out: &Path,
        on_wait: impl FnOnce(),
        key: Fingerprint,
        full: bool,
    ) -> Result<Output, WriteError> {
        let opened = open(out, on_wait)?;
        let real = &opened.real;
        let previous = std::fs::read_to_string(real.join(WRITTEN_LIST)).ok();
        let cache = (!full && previous.is_some() && real.join(MARKER).exists())
            .then(|| Cache::load(&cache_file(real), key))
            .flatten();
        match (cache, previous) {
            (Some(cache), Some(previous)) => {
                Update::start(opened, cache, &previous).map(Output::InPlace)
            }
            _ => Staging::start(opened, Some(key)).map(Output::Whole),
        }
    }

    /// Whether only what changed is written.
    pub fn in_place(&self) -> bool {
        matches!(self, Output::InPlace(_))
    }

    /// Whether the file at `path`, made from what has `fingerprint`, is in the
    /// output as it would be made; if so it is counted as kept, and need not be
    /// made or put.
    pub fn known(&self, path: &str, fingerprint: Fingerprint) -> bool {
        match self {
            Output::Whole(_) => false,
            Output::InPlace(u) => u.known(path, fingerprint),
        }
    }

    /// Puts one file made from what has `fingerprint`. Safe to call from many threads.
    pub fn put(&self, page: &Page, fingerprint: Fingerprint) -> Result<(), WriteError> {
        match self {
            Output::Whole(s) => s.put_made(page, fingerprint),
            Output::InPlace(u) => u.put(page, fingerprint),
        }
    }

    /// Puts one file, known by its bytes: written only if they changed.
    pub fn put_bytes(&self, page: &Page) -> Result<(), WriteError> {
        let fingerprint = cache::of_bytes(&page.bytes);
        if self.known(&page.path, fingerprint) {
            return Ok(());
        }
        self.put(page, fingerprint)
    }

    /// Whether the files put cannot be written in place (a folder where a
    /// file goes, or a file where a folder goes): then the site must be made whole.
    pub fn needs_whole(&self) -> bool {
        match self {
            Output::Whole(_) => false,
            Output::InPlace(u) => u.conflict.load(Ordering::Relaxed),
        }
    }

    /// Puts the new site in place of the old.
    pub fn commit(self) -> Result<WriteSummary, WriteError> {
        match self {
            Output::Whole(s) => s.commit(),
            Output::InPlace(u) => u.commit(),
        }
    }
}

/// The old site, written in place: a changed file is written into a staging
/// folder beside it; at the commit, a journal lists every file to rename into
/// the site and every file to remove, and is renamed into place (the commit
/// point); then it is done, and the journal removed. A build stopped before
/// the commit point left the site as it was; one stopped after it is finished
/// by the next build (`finish_journal`).
#[derive(Debug)]
pub struct Update {
    out: PathBuf,
    stage: PathBuf,
    cache: Cache,
    /// What the previous build wrote.
    previous: std::collections::HashSet<String>,
    counts: Counts,
    entries: Mutex<Vec<(String, Entry)>>,
    staged: Mutex<Vec<String>>,
    replaced: Mutex<Vec<String>>,
    conflict: std::sync::atomic::AtomicBool,
    recovered: Vec<String>,
    /// Past the commit point: the staging folder is the journal's.
    committed: bool,
    _lock: OutputLock,
}

impl Update {
    fn start(opened: Opened, cache: Cache, previous: &str) -> Result<Self, WriteError> {
        let Opened {
            real,
            lock,
            recovered,
        } = opened;
        let stage = sibling(&real, "saksgang-ny");
        std::fs::create_dir_all(&stage).map_err(io_err(&stage))?;
        let marker = stage.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        Ok(Self {
            out: real,
            stage,
            cache,
            previous: previous.lines().map(str::to_string).collect(),
            counts: Counts::default(),
            entries: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
            replaced: Mutex::new(Vec::new()),
            conflict: Default::default(),
            recovered,
            committed: false,
            _lock: lock,
        })
    }

    fn known(&self, path: &str, fingerprint: Fingerprint) -> bool {
        let Some(entry) = self.cache.entries.get(path) else {
            return false;
        };
        let same = entry.fingerprint == fingerprint
            && self.previous.contains(path)
            && Stamp::of(&self.out.join(path)) == Some(entry.stamp);
        if same {
            self.counts.put(path, entry.stamp.len);
            self.counts.written(false);
            lock(&self.entries).push((path.to_string(), *entry));
        }
        same
    }

    fn put(&self, page: &Page, fingerprint: Fingerprint) -> Result<(), WriteError> {
        let path = &page.path;
        self.counts.put(path, page.bytes.len() as u64);
        let target = self.out.join(path);
        let ours = self.previous.contains(path);
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.is_dir() => {
                self.conflict.store(true, Ordering::Relaxed);
                return Ok(());
            }
            Ok(m) => {
                if !ours {
                    lock(&self.replaced).push(path.clone());
                } else if m.is_file()
                    && std::fs::read(&target).ok().as_deref() == Some(&page.bytes[..])
                {
                    if let Some(stamp) = Stamp::of(&target) {
                        lock(&self.entries).push((path.clone(), Entry { fingerprint, stamp }));
                    }
                    self.counts.written(false);
                    return Ok(());
                }
            }
            Err(_) => {
                // A file of the old site where a folder of this path goes?
                let mut dir = target.parent();
                while let Some(d) = dir.filter(|d| d.starts_with(&self.out) && *d != self.out) {
                    if let Ok(m) = std::fs::symlink_metadata(d) {
                        if !m.is_dir() {
                            self.conflict.store(true, Ordering::Relaxed);
                            return Ok(());
                        }
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        let staged = self.stage.join(path);
        if let Some(dir) = staged.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let mut file = File::create(&staged).map_err(io_err(&staged))?;
        file.write_all(&page.bytes).map_err(io_err(&staged))?;
        file.sync_all().map_err(io_err(&staged))?;
        drop(file);
        if let Some(stamp) = Stamp::of(&staged) {
            lock(&self.entries).push((path.clone(), Entry { fingerprint, stamp }));
        }
        lock(&self.staged).push(path.clone());
        self.counts.written(true);
        Ok(())
    }

    fn commit(mut self) -> Result<WriteSummary, WriteError> {
        if self.conflict.load(Ordering::Relaxed) {
            return Err(WriteError::Io(
                self.out.clone(),
                io::Error::other("en fil står der en mappe skal være, eller omvendt"),
            ));
        }
        let mut written = self.counts.take_paths();
        written.dedup();
        let mut staged = std::mem::take(&mut *lock(&self.staged));
        let mut list = String::with_capacity(written.iter().map(|p| p.len() + 1).sum());
        for p in &written {
            list.push_str(p);
            list.push('\n');
        }
        let list_file = self.out.join(WRITTEN_LIST);
        if std::fs::read(&list_file).ok().as_deref() != Some(list.as_bytes()) {
            let to = self.stage.join(WRITTEN_LIST);
            std::fs::write(&to, list.as_bytes()).map_err(io_err(&to))?;
            staged.push(WRITTEN_LIST.to_string());
        }
        drop(list);
        let mut gone: Vec<&String> = self
            .previous
            .iter()
            .filter(|p| written.binary_search(p).is_err())
            .filter(|p| exists(&self.out.join(p)))
            .collect();
        gone.sort_unstable();
        let removed = gone.len();
        // Files that saksgang did not write stay where they are.
        let replaced = std::mem::take(&mut *lock(&self.replaced));
        let kept = self.foreign_files()?.saturating_sub(replaced.len());
        if !staged.is_empty() || !gone.is_empty() {
            staged.sort_unstable();
            let mut journal = String::from(JOURNAL_HEAD);
            for p in &gone {
                journal.push('-');
                journal.push_str(p);
                journal.push('\n');
            }
            for p in &staged {
                journal.push('+');
                journal.push_str(p);
                journal.push('\n');
            }
            journal.push_str(JOURNAL_END);
            let file = sibling(&self.out, "saksgang-journal");
            let unfinished = sibling(&self.out, "saksgang-journal-ny");
            let mut f = File::create(&unfinished).map_err(io_err(&unfinished))?;
            f.write_all(journal.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(io_err(&unfinished))?;
            drop(f);
            // The commit point: from here the journal is done, now or by the next build.
            std::fs::rename(&unfinished, &file).map_err(io_err(&file))?;
            self.committed = true;
            let body = &journal[JOURNAL_HEAD.len()..journal.len() - JOURNAL_END.len()];
            apply_journal(&self.out, &self.stage, body)?;
            std::fs::remove_file(&file).map_err(io_err(&file))?;
        }
        let _ = std::fs::remove_dir_all(&self.stage);
        let entries = std::mem::take(&mut *lock(&self.entries));
        save_cache(
            &self.out,
            self.cache.key,
            entries.into_iter().collect(),
            Some(&self.cache),
        );
        Ok(self
            .counts
            .summary(removed, kept, replaced, std::mem::take(&mut self.recovered)))
    }

    /// How many files in the output saksgang did not write (by the previous list).
    fn foreign_files(&self) -> Result<usize, WriteError> {
        let mut n = 0;
        for entry in walkdir::WalkDir::new(&self.out).min_depth(1) {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.out).to_path_buf();
                WriteError::Io(path, e.into())
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = relative(&self.out, entry.path());
            if rel != MARKER && rel != WRITTEN_LIST && !self.previous.contains(&rel) {
                n += 1;
            }
        }
        Ok(n)
    }
}

impl Drop for Update {
    /// Before the commit point, the changed files are dropped and the old
    /// site stays as it was; after it, the journal's staging folder stays
    /// for the next build to finish.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.stage);
        }
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
