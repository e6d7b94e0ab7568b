//! The whole pipeline for one build: load → resolve → render → write.
//!
//! This is the only place that knows the order of the stages. Diagnostics of
//! every stage are collected; only if none is an error is the new site put in
//! place of the old. Pages are rendered in parallel and streamed to disk as
//! they are made, so memory does not grow with the number of pages. With the
//! cache of an earlier build beside the output, a page whose fingerprint (a
//! hash of what its template is given) is the one of the file in place is not
//! rendered, and only files that changed are written (`write::Output`).
//! The reading of the archive is kept beside the output too
//! (`public.saksgang-lesing`, [`Kept`]): a meeting document whose file has the
//! size and time of change it had is taken from it, not read and parsed
//! again; its text stays on disk, checked by length and checksum when it is
//! read for a page ([`crate::diag::Text`]). A kept reading of another saksgang
//! (version or program file), of another archive folder, or one that does
//! not read back whole (its checksum) is not used.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{Diagnostic, FileId, Sources};
use crate::model::Archive;
use crate::render::{Download, Edition, Fingerprint, Page, Renderer, Task};
use crate::search::{Reuse, SearchMemo};
use crate::{cache, feeds, load, manifest, resolve, theme, write};

/// What a build was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The archive folder (holds `content/` and optionally `themes/`).
    pub root: PathBuf,
    /// Where the site goes.
    pub output: PathBuf,
    /// The manifest of a previous build to compare with; by default the one in `output`.
    pub previous: Option<PathBuf>,
    /// Which site: for the web (the default) or for reading from disk.
    pub edition: Edition,
    /// Also write the offline edition as `arkiv.zip` into the web edition, with
    /// a link to it on every page.
    pub bundle: bool,
    /// Make every page again and write a whole new site, whatever the cache
    /// beside the output knows.
    pub full: bool,
}

/// How long one stage took.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Stage name, in Norwegian.
    pub name: &'static str,
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process during the stage, where the system tells it.
    pub cpu: Option<Duration>,
    /// Peak memory of the process so far, in bytes, where the system tells it.
    pub peak_memory: Option<u64>,
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    /// What was written.
    pub written: write::WriteSummary,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// The files read, for rendering the warnings.
    pub sources: Sources,
    /// How long it took.
    pub elapsed: Duration,
    /// How long each stage took.
    pub phases: Vec<Phase>,
    /// Pages rendered from their templates; a page whose fingerprint the
    /// cache knew, with its file unchanged, is not.
    pub rendered: usize,
    /// Whether only the files that changed were written, in place (the
    /// cache beside the output was used), rather than a whole new site.
    pub in_place: bool,
    /// Meeting documents read and parsed; the others were taken from the
    /// reading the last build kept beside the output.
    pub parsed: usize,
    /// Search records cut into terms; the others' terms were taken from the
    /// search memo the last build kept beside the output.
    pub tokenized: usize,
}

/// A build that stopped: the previous site is untouched.
#[derive(Debug)]
pub struct BuildFailure {
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read.
    pub sources: Sources,
}

/// Threads per core for rendering and writing pages.
const IO_THREADS_PER_CORE: usize = 4;

/// At most this many render errors are reported; a broken template fails every page.
const MAX_RENDER_ERRORS: usize = 5;

impl std::fmt::Display for Phase {
    /// `tid lesing: 1.865 s, CPU 3.650 s, høyeste minnebruk så langt 191 MB`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tid {}: {:.3} s", self.name, self.wall.as_secs_f64())?;
        if let Some(c) = self.cpu {
            write!(f, ", CPU {:.3} s", c.as_secs_f64())?;
        }
        if let Some(m) = self.peak_memory {
            write!(f, ", høyeste minnebruk så langt {} MB", m / (1024 * 1024))?;
        }
        Ok(())
    }
}

/// Times stages, wall and CPU.
pub struct Clock {
    /// The stages timed so far.
    pub phases: Vec<Phase>,
    wall: Instant,
    cpu: Option<Duration>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    /// Starts timing.
    pub fn new() -> Self {
        Self {
            phases: Vec::new(),
            wall: Instant::now(),
            cpu: cpu_time(),
        }
    }

    /// Ends the stage `name` and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        let cpu = cpu_time();
        self.phases.push(Phase {
            name,
            wall: self.wall.elapsed(),
            cpu: cpu
                .zip(self.cpu)
                .map(|(now, then)| now.saturating_sub(then)),
            peak_memory: peak_memory(),
        });
        self.wall = Instant::now();
        self.cpu = cpu;
    }
}

/// User + system CPU time of this process, from /proc on Linux (None elsewhere).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // /proc reports in USER_HZ, which Linux fixes at 100 per second.
    Some(Duration::from_millis(ticks * 10))
}

/// The peak resident memory of this process, from /proc on Linux (None elsewhere).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Reads and checks the archive under `root` without rendering it: the model,
/// the files read, and the warnings; or every error.
pub fn read_archive(root: &Path) -> Result<(Archive, Sources, Vec<Diagnostic>), BuildFailure> {
    let mut clock = Clock::new();
    let (archive, sources, mut diagnostics) = read(root, &mut clock);
    diagnostics.retain(|d| !d.is_note());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildFailure {
            diagnostics,
            sources,
        });
    }
    Ok((archive, sources, diagnostics))
}

/// What `saksgang check` found: every problem a build would report, and the
/// files they point into.
#[derive(Debug)]
pub struct CheckReport {
    /// Every error and warning, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Notes for `check --verbose` (references left as text because they
    /// could mean two targets), in file order.
    pub notes: Vec<Diagnostic>,
    /// The files read.
    pub sources: Sources,
    /// Hints that are not problems: people likely written several ways, each
    /// with a `people.yaml` line (`resolve::people`). Never counted as warnings.
    pub people: Vec<Diagnostic>,
}

impl CheckReport {
    /// How many errors there are.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings there are.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Reads and checks everything a build would (content, theme, the page plan)
/// and writes nothing: the same checks as [`build`], by the same functions.
pub fn check(root: &Path) -> CheckReport {
    let (archive, sources, theme, diagnostics) = match prepare(root, &mut Clock::new(), true, None)
    {
        Ok(prepared) => prepared,
        Err(failure) => {
            let (notes, diagnostics) = failure
                .diagnostics
                .into_iter()
                .partition(Diagnostic::is_note);
            return CheckReport {
                diagnostics,
                notes,
                sources: failure.sources,
                people: Vec::new(),
            };
        }
    };
    let (notes, mut diagnostics): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(Diagnostic::is_note);
    // What a build finds only when it starts to render: templates that do not
    // compile, two pages at one path (an old address over a page that exists),
    // and published addresses that would disappear (as a build into ROOT/public).
    let planned = Renderer::new(&archive, &sources, &theme, Edition::Web, None)
        .and_then(|renderer| renderer.plan());
    match planned {
        Ok(plan) => {
            let previous = root.join("public").join(manifest::FILE);
            let addresses = manifest::addresses(&archive, &plan);
            match compare_with_published(root, &archive, &addresses, &previous, false) {
                Ok((warnings, _)) => diagnostics.extend(warnings),
                Err(e) => diagnostics.push(e),
            }
        }
        Err(errors) => diagnostics.extend(errors),
    }
    let people = resolve::people::variants(&archive, &sources).notes;
    CheckReport {
        diagnostics,
        notes,
        sources,
        people,
    }
}

/// Published addresses must not disappear: the warnings for those of the
/// manifest at `previous` that `addresses` no longer has (and that
/// `ROOT/fjernede-adresser.txt` does not accept as removed), and the addresses
/// still gone, which the new manifest keeps. A missing manifest is no problem
/// unless it was asked for (`required`).
fn compare_with_published(
    root: &Path,
    archive: &Archive,
    addresses: &std::collections::BTreeSet<String>,
    previous: &Path,
    required: bool,
) -> Result<(Vec<Diagnostic>, std::collections::BTreeSet<String>), Diagnostic> {
    let accepted_file = root.join(manifest::ACCEPTED_FILE);
    let accepted = match std::fs::read_to_string(&accepted_file) {
        Ok(text) => manifest::accepted(&text, &archive.site.base_url),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Default::default(),
        Err(e) => return Err(read_diagnostic(&accepted_file, &e)),
    };
    match std::fs::read_to_string(previous) {
        Ok(text) => Ok(manifest::compare(
            &text,
            addresses,
            &accepted,
            &archive.site.base_url,
        )),
        Err(e) if required => Err(read_diagnostic(previous, &e)),
        Err(_) => Ok(Default::default()),
    }
}

/// load and resolve, streaming the documents.
fn read(root: &Path, clock: &mut Clock) -> (Archive, Sources, Vec<Diagnostic>) {
    let reading = read_reusing(root, clock, None, &BTreeSet::new());
    (reading.archive, reading.sources, reading.diagnostics)
}

/// What `serve` keeps between readings of the archive ([`reread`]): each
/// meeting document as read, by path. A build keeps it too, in a file beside
/// the output ([`write::reading_file`]), without the texts ([`Kept::lean`]).
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    /// Whether the texts are left on disk (a build) rather than kept in
    /// memory (`serve`).
    #[serde(skip)]
    lean: bool,
    /// The texts of the files read before the documents (settings, lists,
    /// threads) and the lists that could not be read, last time: a document
    /// is resolved against them, so if one changed, every document is read again.
    lists: Vec<(PathBuf, crate::diag::Text)>,
    unreadable: Vec<String>,
    documents: HashMap<PathBuf, load::ReadDocument<resolve::ResolvedDocument>>,
    /// What the documents' texts link to.
    links: resolve::LinkMemo,
    /// Documents read and parsed, and kept documents gone, in the last
    /// reading: neither, and the reading is the one kept.
    #[serde(skip)]
    parsed: usize,
    #[serde(skip)]
    gone: usize,
    /// Whether the last reading found the lists changed (and read everything).
    #[serde(skip)]
    fresh: bool,
    /// In a build: `documents` as the bytes postcard makes of them, made
    /// before they are joined into the model, so that they are not held twice.
    #[serde(skip)]
    encoded: Option<Vec<u8>>,
}

impl Kept {
    /// How many documents' texts the last reading scanned for links (the
    /// others' links were kept).
    pub fn links_scanned(&self) -> usize {
        self.links.scanned
    }
}

/// The first bytes of a kept reading's file.
const READING_MAGIC: &[u8] = b"saksgang-lesing 3\n";

/// What a kept reading is valid for: this saksgang (its version and its
/// program file, so that a new build of it never reads an old layout) and
/// this archive folder.
fn reading_key(root: &Path) -> cache::Fingerprint {
    let mut h = cache::Hasher128::new();
    h.add_str(env!("CARGO_PKG_VERSION"));
    let exe = std::env::current_exe().ok();
    if let Some(meta) = exe.as_ref().and_then(|e| std::fs::metadata(e).ok()) {
        h.add(&meta.len().to_le_bytes());
        let time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        h.add(&time.map_or(0, |t| t.as_nanos()).to_le_bytes());
    }
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    h.add_str(&root.to_string_lossy());
    h.finish()
}

/// The reading kept in `file` by an earlier build of the archive under
/// `root`; an empty one if there is none, or it is another's, or it does not
/// read back whole.
fn load_kept(file: &Path, root: &Path) -> Kept {
    let fresh = Kept {
        lean: true,
        ..Kept::default()
    };
    let Ok(bytes) = std::fs::read(file) else {
        return fresh;
    };
    let head = READING_MAGIC.len();
    let Some(rest) = bytes.strip_prefix(READING_MAGIC) else {
        return fresh;
    };
    if rest.len() < 32
        || rest[..16] != reading_key(root).to_le_bytes()
        || rest[16..32] != xxhash_rust::xxh3::xxh3_128(&bytes[head + 32..]).to_le_bytes()
    {
        return fresh;
    }
    match postcard::from_bytes::<Kept>(&rest[32..]) {
        Ok(kept) => Kept { lean: true, ..kept },
        Err(_) => fresh,
    }
}

/// `kept` as the bytes of its file, in pieces to be written one after the
/// other, for the next build of the archive under `root` (what cannot be read
/// again from disk left out); None if it cannot be kept. Made right after the
/// reading, so that the kept documents are not in memory beside the model
/// while the pages are made (the bytes are a fraction of their size).
fn encode_kept(root: &Path, mut kept: Kept) -> Option<Vec<Vec<u8>>> {
    // A text that is not on disk (decoded with bad bytes replaced) is not
    // kept: its document is read again next time; a list like that, and
    // nothing is kept.
    kept.documents.retain(|_, d| d.text.on_disk());
    if !kept.lists.iter().all(|(_, t)| t.on_disk()) {
        return None;
    }
    let payload = match kept.encoded.take() {
        // Postcard writes a struct as its fields one after the other.
        Some(documents) => vec![
            postcard::to_stdvec(&kept.lists).ok()?,
            postcard::to_stdvec(&kept.unreadable).ok()?,
            documents,
            postcard::to_stdvec(&kept.links).ok()?,
        ],
        None => vec![postcard::to_stdvec(&kept).ok()?],
    };
    drop(kept);
    let mut sum = xxhash_rust::xxh3::Xxh3::new();
    for piece in &payload {
        sum.update(piece);
    }
    let mut head = Vec::with_capacity(READING_MAGIC.len() + 32);
    head.extend_from_slice(READING_MAGIC);
    head.extend_from_slice(&reading_key(root).to_le_bytes());
    head.extend_from_slice(&sum.digest128().to_le_bytes());
    Some(std::iter::once(head).chain(payload).collect())
}

/// The reading the next build will find beside the output: written to a
/// file of its own (`public.saksgang-lesing.ny`) as soon as it is made, so
/// that its bytes are not held while the pages are made, and put in place by
/// [`NextReading::commit`] when the build succeeds. Dropped before that, it
/// leaves the kept reading as it was.
struct NextReading {
    file: PathBuf,
    /// Where this build's reading is, if it is written.
    staged: Option<PathBuf>,
    /// Whether the reading kept is this build's already.
    same: bool,
}

impl NextReading {
    /// `pieces` written beside `file`; None: this reading cannot be kept.
    fn stage(file: &Path, pieces: Option<Vec<Vec<u8>>>) -> Self {
        let staged = pieces.and_then(|pieces| {
            let mut name = file.as_os_str().to_owned();
            name.push(".ny");
            let to = PathBuf::from(name);
            let written = std::fs::File::create(&to).and_then(|mut f| {
                use std::io::Write;
                pieces.iter().try_for_each(|p| f.write_all(p))
            });
            match written {
                Ok(()) => Some(to),
                Err(_) => {
                    let _ = std::fs::remove_file(&to);
                    None
                }
            }
        });
        Self {
            file: file.to_path_buf(),
            staged,
            same: false,
        }
    }

    /// The reading kept stays: it is this build's.
    fn same(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            staged: None,
            same: true,
        }
    }

    /// Puts this build's reading in place, or removes the kept one if this
    /// reading could not be kept, so that it is never an older reading than
    /// the site.
    fn commit(mut self) {
        if self.same {
            return;
        }
        let put = self
            .staged
            .take()
            .is_some_and(|staged| std::fs::rename(&staged, &self.file).is_ok());
        if !put {
            let _ = std::fs::remove_file(&self.file);
        }
    }
}

impl Drop for NextReading {
    fn drop(&mut self) {
        if let Some(staged) = self.staged.take() {
            let _ = std::fs::remove_file(staged);
        }
    }
}

/// The first bytes of a search memo's file.
const SEARCH_MAGIC: &[u8] = b"saksgang-sok 1\n";

/// The search memo kept in `file` by an earlier build of the archive under
/// `root`; None if there is none, or it is another's, or it does not read
/// back whole.
fn load_search_memo(file: &Path, root: &Path) -> Option<SearchMemo> {
    let bytes = std::fs::read(file).ok()?;
    let rest = bytes.strip_prefix(SEARCH_MAGIC)?;
    if rest.len() < 32
        || rest[..16] != reading_key(root).to_le_bytes()
        || rest[16..32] != xxhash_rust::xxh3::xxh3_128(&rest[32..]).to_le_bytes()
    {
        return None;
    }
    postcard::from_bytes(&rest[32..]).ok()
}

/// Writes the search memo for the next build of the archive under `root` to
/// `file`; removes the file if it cannot be written.
fn save_search_memo(file: &Path, root: &Path, memo: &SearchMemo) {
    let written = postcard::to_stdvec(memo).ok().is_some_and(|payload| {
        let mut out = Vec::with_capacity(SEARCH_MAGIC.len() + 32 + payload.len());
        out.extend_from_slice(SEARCH_MAGIC);
        out.extend_from_slice(&reading_key(root).to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        write::replace_file(file, &out).is_ok()
    });
    if !written {
        let _ = std::fs::remove_file(file);
    }
}

/// One reading of the archive.
pub struct Reading {
    /// The model.
    pub archive: Archive,
    /// Every file read.
    pub sources: Sources,
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read (not taken from what was kept) this time.
    pub read: BTreeSet<FileId>,
    /// Meeting documents read and parsed (not taken from what was kept).
    pub parsed: usize,
}

/// Reads and checks the archive under `root` again, as `read_archive` does
/// (notes left out), but takes each meeting document whose file has not
/// changed since the last reading (by size and time of change, and not in
/// `changed`) from `kept` instead of reading and parsing it again; then keeps
/// this reading. The result is the same as a reading from scratch.
pub fn reread(
    root: &Path,
    kept: &mut Kept,
    changed: &BTreeSet<PathBuf>,
    clock: &mut Clock,
) -> Reading {
    let mut reading = read_reusing(root, clock, Some(kept), changed);
    reading.diagnostics.retain(|d| !d.is_note());
    reading
}

/// load and resolve, streaming the documents, taking from `kept` what has not
/// changed and keeping what was read in it.
fn read_reusing(
    root: &Path,
    clock: &mut Clock,
    mut kept: Option<&mut Kept>,
    changed: &BTreeSet<PathBuf>,
) -> Reading {
    let content = root.join("content");
    let mut raw = load::load(&content);
    clock.lap("lister");
    if let Some(k) = kept.as_deref_mut() {
        let lists: Vec<(PathBuf, crate::diag::Text)> = (0..raw.sources.len())
            .map(|i| {
                (
                    raw.sources.get(FileId(i)).path.clone(),
                    raw.sources.held(FileId(i)),
                )
            })
            .collect();
        if lists != k.lists || raw.unreadable != k.unreadable {
            *k = Kept {
                lean: k.lean,
                fresh: true,
                lists,
                unreadable: raw.unreadable.clone(),
                ..Kept::default()
            };
        }
        if k.lean {
            for (_, t) in &mut k.lists {
                t.release();
            }
        }
    }
    let prelude = resolve::prelude(&mut raw);
    // A build keeps the model, not the texts: each is read again when needed.
    // `serve` keeps them, for speed.
    let keep = kept.as_deref().is_some_and(|k| !k.lean);
    if !keep {
        raw.sources.release();
    }
    let first = raw.sources.len();
    let earlier = kept.as_deref().map(|k| &k.documents);
    // Each document is resolved as soon as it is read, so that the parsed form of
    // every document is never in memory at once (when nothing is kept). One
    // that was kept comes back as a shell (no document), filled in below.
    let mut documents = load::documents_reusing(
        &content,
        &raw.document_paths,
        first,
        keep,
        &raw.site.decision_headings,
        |doc| prelude.document(doc),
        |file, path| {
            let k = earlier?.get(path)?;
            let same = k.file == file
                && !changed.contains(path)
                && k.stamp.is_some()
                && k.stamp == load::stamp(path);
            same.then(|| load::ReadDocument {
                file,
                stamp: k.stamp,
                shown: k.shown.clone(),
                text: k.text.clone(),
                item: None,
                diagnostics: Vec::new(),
                kept: true,
            })
        },
    );
    let mut read = BTreeSet::new();
    clock.lap("lesing");
    let mut sources = raw.sources;
    let (documents, mut diagnostics) = match kept.as_deref_mut() {
        Some(k) => {
            let mut before = std::mem::take(&mut k.documents);
            for (d, path) in documents.iter_mut().zip(&raw.document_paths) {
                // A shell stands for what was kept; a document read again
                // replaces it.
                match before.remove(path) {
                    Some(old) if d.kept => *d = old,
                    _ => {
                        read.insert(d.file);
                    }
                }
            }
            // Documents gone, or read again: the reading is not the one kept.
            (k.parsed, k.gone) = (read.len(), before.len());
            if k.lean {
                // A build keeps its documents as bytes (those whose texts
                // can be read again), and hands the documents themselves to
                // the model: postcard writes a map of references as it
                // writes the map, so `encode_kept` puts these bytes where
                // the map goes.
                let map: std::collections::BTreeMap<&PathBuf, &load::ReadDocument<_>> = raw
                    .document_paths
                    .iter()
                    .zip(&documents)
                    .filter(|(_, d)| d.text.on_disk())
                    .collect();
                k.encoded = postcard::to_stdvec(&map).ok();
                drop(map);
                load::join(documents, &mut sources)
            } else {
                let joined = load::join(documents.iter().cloned(), &mut sources);
                k.documents = raw.document_paths.into_iter().zip(documents).collect();
                joined
            }
        }
        None => {
            read.extend(documents.iter().map(|d| d.file));
            load::join(documents, &mut sources)
        }
    };
    clock.lap("samling");
    let memo = kept.map(|k| (&mut k.links, &read));
    let (archive, resolve_diagnostics) = prelude.finish(documents, &sources, memo);
    diagnostics.extend(resolve_diagnostics);
    // Report in file order, and in reading order within a file.
    diagnostics.sort_by_key(|d| (d.file, d.span.start));
    clock.lap("sjekk");
    let parsed = read.len();
    Reading {
        archive,
        sources,
        diagnostics,
        read,
        parsed,
    }
}

/// A failed build: every diagnostic so far and `more`.
fn fail<T>(
    mut diagnostics: Vec<Diagnostic>,
    more: Vec<Diagnostic>,
    sources: Sources,
) -> Result<T, BuildFailure> {
    diagnostics.extend(more);
    Err(BuildFailure {
        diagnostics,
        sources,
    })
}

/// The archive's theme, checked (and its logo), with its problems added to `diagnostics`.
pub fn load_theme(
    root: &Path,
    archive: &Archive,
    diagnostics: &mut Vec<Diagnostic>,
) -> theme::Theme {
    let (theme, theme_diagnostics) = theme::load(root, &archive.site.theme);
    diagnostics.extend(theme_diagnostics);
    if let Some(logo) = &archive.site.logo {
        diagnostics.extend(theme::check_logo(&theme, &archive.site.theme, logo));
    }
    theme
}

/// The archive and the theme, checked; or every error. Notes (for
/// `check --verbose`) are kept only if `notes` is set. With `kept`, what did
/// not change is taken from it, and this reading is kept in it.
fn prepare(
    root: &Path,
    clock: &mut Clock,
    notes: bool,
    kept: Option<&mut Kept>,
) -> Result<(Archive, Sources, theme::Theme, Vec<Diagnostic>), BuildFailure> {
    let (archive, sources, mut diagnostics) = match kept {
        None => read(root, clock),
        Some(k) => {
            let reading = read_reusing(root, clock, Some(k), &BTreeSet::new());
            (reading.archive, reading.sources, reading.diagnostics)
        }
    };
    if !notes {
        diagnostics.retain(|d| !d.is_note());
    }
    let theme = load_theme(root, &archive, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return fail(diagnostics, Vec::new(), sources);
    }
    Ok((archive, sources, theme, diagnostics))
}

/// Builds the site: everything or nothing. With a cache beside the output
/// from an earlier build (same saksgang, theme, edition and options), a page
/// whose fingerprint did not change is neither rendered nor written, and the
/// files that changed are put in place of the old ones (see `write::Update`);
/// the site is the same as a full build's.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let mut clock = Clock::new();
    let real = write::real_output(&options.output).unwrap_or_else(|_| options.output.clone());
    // The reading of the last build, for the documents that did not change.
    let reading_file = write::reading_file(&real);
    let search_file = write::search_memo_file(&real);
    let mut kept = if options.full {
        Kept {
            lean: true,
            ..Kept::default()
        }
    } else {
        load_kept(&reading_file, &options.root)
    };
    clock.lap("forrige lesing");
    let (archive, sources, theme, mut diagnostics) =
        prepare(&options.root, &mut clock, false, Some(&mut kept))?;
    let parsed = kept.parsed;
    // Nothing read again, nothing gone: the kept reading is this one.
    let keep = kept.fresh || kept.parsed > 0 || kept.gone > 0 || options.full;
    let kept = keep.then(|| encode_kept(&options.root, kept));
    let key = cache::key(
        &std::path::absolute(&real).unwrap_or(real),
        &format!("{:?}", options.edition),
        options.bundle,
        &theme,
    );
    // The output is locked from here until the new site is in place; a second
    // build into the same folder waits for this one. Dropped before its commit,
    // it leaves the old site as it was.
    let on_wait = || {
        eprintln!(
            "venter på at en annen bygging av {}/ blir ferdig …",
            options.output.display()
        );
    };
    let output = match write::Output::begin(&options.output, on_wait, key, options.full) {
        Ok(s) => s,
        Err(e) => return fail(diagnostics, vec![write_diagnostic(e)], sources),
    };
    // Written now (the output is locked), put in place with the site.
    let next_reading = match kept {
        Some(pieces) => NextReading::stage(&reading_file, pieces),
        None => NextReading::same(&reading_file),
    };
    let pool = render_pool();
    // The downloadable copy first: pages of the web edition show its size.
    let mut download = None;
    if options.bundle && options.edition == Edition::Web {
        let zip = offline_zip(&archive, &sources, &theme, &pool).and_then(|bytes| {
            let size = human_bytes(bytes.len() as u64);
            let page = Page {
                path: BUNDLE_FILE.to_string(),
                bytes,
            };
            output
                .put_bytes(&page)
                .map_err(|e| vec![write_diagnostic(e)])?;
            Ok(size)
        });
        match zip {
            Ok(size) => {
                download = Some(Download {
                    href: BUNDLE_FILE.to_string(),
                    size,
                })
            }
            Err(errors) => return fail(diagnostics, errors, sources),
        }
        clock.lap("nedlasting");
    }
    let renderer = match Renderer::new(&archive, &sources, &theme, options.edition, download) {
        Ok(r) => r,
        Err(errors) => return fail(diagnostics, errors, sources),
    };
    let plan = match renderer.plan() {
        Ok(p) => p,
        Err(errors) => return fail(diagnostics, errors, sources),
    };
    let mut errors = Vec::new();
    if options.edition == Edition::Web {
        // Published addresses must not disappear: compare with the previous manifest.
        let addresses = manifest::addresses(&archive, &plan);
        let previous = options
            .previous
            .clone()
            .unwrap_or_else(|| options.output.join(manifest::FILE));
        let gone = match compare_with_published(
            &options.root,
            &archive,
            &addresses,
            &previous,
            options.previous.is_some(),
        ) {
            Ok((warnings, still_gone)) => {
                diagnostics.extend(warnings);
                still_gone
            }
            Err(e) => return fail(diagnostics, vec![e], sources),
        };
        // Each file is made and written in turn, before the pages: at 100,000
        // meetings the manifest alone is some hundred megabytes.
        let files: [(&str, &dyn Fn() -> String); 4] = [
            (manifest::FILE, &|| manifest::text(&addresses, &gone)),
            ("sitemap.xml", &|| {
                feeds::sitemap(&manifest::pages(&plan), &archive.site.base_url)
            }),
            ("moter.ics", &|| feeds::calendar(&archive)),
            ("nytt.xml", &|| feeds::atom(&archive)),
        ];
        for (path, make) in files {
            let page = Page {
                path: path.to_string(),
                bytes: make().into_bytes(),
            };
            if let Err(e) = output.put_bytes(&page) {
                errors.push(write_diagnostic(e));
            }
        }
    }
    let rendered = AtomicUsize::new(0);
    errors.extend(render_into(
        &pool,
        &renderer,
        &plan,
        // Into an empty folder every page is made: no view is made twice.
        output
            .in_place()
            .then_some(&|path: &str, fingerprint| output.known(path, fingerprint)),
        |page, fingerprint| {
            rendered.fetch_add(1, Ordering::Relaxed);
            output.put(page, fingerprint).map_err(write_diagnostic)
        },
    ));
    drop(renderer);
    clock.lap("sider");
    if !errors.is_empty() {
        return fail(diagnostics, limit_errors(errors), sources);
    }
    // The search memo of the last build, for the records and files that did not change.
    let memo = if options.full {
        None
    } else {
        load_search_memo(&search_file, &options.root)
    };
    let known = |path: &str, fingerprint| output.known(path, fingerprint);
    let reuse = Reuse {
        memo: memo.as_ref(),
        known: &known,
    };
    let reused = on_pool(&pool, || {
        crate::search::search_files_reusing(
            &archive,
            &sources,
            options.edition,
            Default::default(),
            reuse,
            |pages| {
                errors.extend(on_pool(&pool, || {
                    pages
                        .par_iter()
                        .filter_map(|p| output.put_bytes(p).err().map(write_diagnostic))
                        .collect::<Vec<_>>()
                }));
            },
        )
    });
    drop(memo);
    clock.lap("søk");
    // A source file changed while it was used: nothing of this build is put in
    // place, and the next build reads everything again (the kept reading may
    // hold a file changed without a new size or time of change).
    let changed = sources.changed();
    if !changed.is_empty() {
        let _ = std::fs::remove_file(&reading_file);
    }
    errors.extend(changed);
    if !errors.is_empty() {
        return fail(diagnostics, limit_errors(errors), sources);
    }
    if output.needs_whole() {
        // A page where a folder was (or the other way round): rare enough
        // to make the whole site again.
        drop(output);
        drop(next_reading);
        return build(&BuildOptions {
            full: true,
            ..options.clone()
        });
    }
    let in_place = output.in_place();
    let written = match output.commit() {
        Ok(w) => w,
        Err(e) => return fail(diagnostics, vec![write_diagnostic(e)], sources),
    };
    clock.lap(if in_place { "skriving" } else { "bytte" });
    next_reading.commit();
    clock.lap("lagring av lesingen");
    if !reused.unchanged {
        save_search_memo(&search_file, &options.root, &reused.memo);
    }
    drop(reused.memo);
    clock.lap("lagring av søket");
    diagnostics.extend(output_warnings(&written, &options.output));
    Ok(BuildReport {
        written,
        warnings: diagnostics,
        sources,
        elapsed: start.elapsed(),
        phases: clock.phases,
        rendered: rendered.into_inner(),
        in_place,
        parsed,
        tokenized: reused.tokenized,
    })
}

/// The file name of the downloadable offline copy in the web edition.
pub const BUNDLE_FILE: &str = "arkiv.zip";

/// The folder that the downloadable copy unpacks to.
const BUNDLE_FOLDER: &str = "arkiv";

/// Pages made together in parallel before they are written (or added to a
/// zip file) in order.
const ZIP_BATCH: usize = 256;

/// A finished `saksgang bundle`.
#[derive(Debug)]
pub struct BundleReport {
    /// Size of the zip file.
    pub bytes: u64,
    /// Files in it.
    pub files: usize,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// The files read, for rendering the warnings.
    pub sources: Sources,
    /// How long it took.
    pub elapsed: Duration,
}

/// Writes the offline edition of the archive under `root` as one zip file:
/// everything or nothing, as a build.
pub fn bundle(root: &Path, file: &Path) -> Result<BundleReport, BuildFailure> {
    let start = Instant::now();
    // Never replace a file that is not an earlier bundle: checked before the
    // work, and again before writing.
    let check = || write::check_zip_target(file, BUNDLE_FOLDER).map_err(write_diagnostic);
    if let Err(d) = check() {
        return fail(Vec::new(), vec![d], Sources::default());
    }
    let (archive, sources, theme, diagnostics) = prepare(root, &mut Clock::new(), false, None)?;
    let bytes = match offline_zip(&archive, &sources, &theme, &render_pool()) {
        Ok(b) => b,
        Err(errors) => return fail(diagnostics, errors, sources),
    };
    let changed = sources.changed();
    if !changed.is_empty() {
        return fail(diagnostics, changed, sources);
    }
    if let Err(d) = check() {
        return fail(diagnostics, vec![d], sources);
    }
    if let Err(e) = write::replace_file(file, &bytes) {
        return fail(diagnostics, vec![write_diagnostic(e)], sources);
    }
    let files = zip_entries(&bytes);
    Ok(BundleReport {
        bytes: bytes.len() as u64,
        files,
        warnings: diagnostics,
        sources,
        elapsed: start.elapsed(),
    })
}

/// Entries in a zip file, as the zip crate reads it.
fn zip_entries(bytes: &[u8]) -> usize {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_or(0, |z| z.len())
}

/// Threads for rendering and writing pages: creating a file waits on the disk
/// more than on the processor, so there are more threads than cores.
fn render_pool() -> Option<rayon::ThreadPool> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * IO_THREADS_PER_CORE;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .ok()
}

/// Whether the output has a file made from what has this fingerprint at this path.
type KnownAt<'a> = dyn Fn(&str, Fingerprint) -> bool + Sync + 'a;

/// Renders every page of `plan` in parallel whose fingerprint `known` does
/// not know at its path (every page without `known`), and hands each to `put`.
fn render_into(
    pool: &Option<rayon::ThreadPool>,
    renderer: &Renderer<'_>,
    plan: &[(String, Task)],
    known: Option<&KnownAt<'_>>,
    put: impl Fn(&Page, Fingerprint) -> Result<(), Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    on_pool(pool, || {
        plan.par_iter()
            .filter_map(|(path, task)| {
                let known = known.map(|known| move |f| known(path, f));
                let known = known.as_ref().map(|k| k as &dyn Fn(Fingerprint) -> bool);
                match renderer.render_unless(path, task, known) {
                    Ok((f, Some(page))) => put(&page, f).err(),
                    Ok((_, None)) => None,
                    Err(d) => Some(d),
                }
            })
            .collect()
    })
}

/// Runs `f` on the render pool, or on rayon's own if none could be made.
fn on_pool<R: Send>(pool: &Option<rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Makes the search index of one edition and hands every file of it to `put`,
/// some at a time, always in the same order.
fn search_files(
    archive: &Archive,
    sources: &Sources,
    edition: Edition,
    pool: &Option<rayon::ThreadPool>,
    put: impl FnMut(Vec<Page>) + Send,
) {
    on_pool(pool, || {
        crate::search::search_files(archive, sources, edition, Default::default(), put)
    });
}

/// The search index of the archive under `root` alone, with files of at
/// most `limits`' sizes: every file in the order a build writes them. For
/// measuring and testing the index; a build uses [`crate::search::Limits::default`].
pub fn search_index(
    root: &Path,
    edition: Edition,
    limits: crate::search::Limits,
) -> Result<Vec<Page>, BuildFailure> {
    let (archive, sources, _, _) = prepare(root, &mut Clock::new(), false, None)?;
    let mut pages = Vec::new();
    crate::search::search_files(&archive, &sources, edition, limits, |p| pages.extend(p));
    Ok(pages)
}

/// The offline edition as a zip file in memory. Pages are rendered in parallel
/// in batches, and added in plan order, so the zip is the same every time.
fn offline_zip(
    archive: &Archive,
    sources: &Sources,
    theme: &theme::Theme,
    pool: &Option<rayon::ThreadPool>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let renderer = Renderer::new(archive, sources, theme, Edition::Offline, None)?;
    let plan = renderer.plan()?;
    let mut bundle = write::Bundle::new(BUNDLE_FOLDER);
    let mut errors = Vec::new();
    for batch in plan.chunks(ZIP_BATCH) {
        let pages: Vec<Result<Page, Diagnostic>> = on_pool(pool, || {
            batch
                .par_iter()
                .map(|(path, task)| renderer.render(path, task))
                .collect()
        });
        for page in pages {
            match page {
                Ok(page) => {
                    if let Err(e) = bundle.add(&page) {
                        errors.push(write_diagnostic(e));
                    }
                }
                Err(d) => errors.push(d),
            }
        }
        if errors.len() > MAX_RENDER_ERRORS {
            break;
        }
    }
    search_files(archive, sources, Edition::Offline, pool, |pages| {
        for page in pages {
            if let Err(e) = bundle.add(&page) {
                errors.push(write_diagnostic(e));
            }
        }
    });
    if !errors.is_empty() {
        return Err(limit_errors(errors));
    }
    bundle.finish().map_err(|e| vec![write_diagnostic(e)])
}

/// The first few errors, and how many more there were: a broken template
/// fails every page.
fn limit_errors(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let more = errors.len().saturating_sub(MAX_RENDER_ERRORS);
    errors.truncate(MAX_RENDER_ERRORS);
    if more > 0 {
        errors.push(Diagnostic::global(format!(
            "… og {more} sider til med feil"
        )));
    }
    errors
}

/// Bytes for people: `1,2 MB`, `312 kB`.
pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} kB", n.div_ceil(1024))
    }
}

fn write_diagnostic(e: write::WriteError) -> Diagnostic {
    Diagnostic::global(e.to_string()).help(e.hint())
}

/// A file that could not be read, in Norwegian with a hint.
fn read_diagnostic(path: &Path, e: &std::io::Error) -> Diagnostic {
    let (what, hint) = crate::diag::io_problem(e);
    Diagnostic::global(format!("kunne ikke lese {}: {what}", path.display())).help(hint)
}

/// Warnings about the output folder: files saksgang did not write that the new
/// site replaced, and what a stopped build left behind.
fn output_warnings(written: &write::WriteSummary, output: &Path) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = written
        .recovered
        .iter()
        .map(|r| Diagnostic::global_warning(r.clone()))
        .collect();
    out.extend(written.replaced.iter().map(|path| {
        Diagnostic::global_warning(format!(
            "{} var ikke laget av saksgang, men bygget lager nå en fil med samme navn (eller en mappe der); filen fra bygget er brukt i den nye siden",
            output.join(path).display()
        ))
        .help("den gamle filen er ikke med i den nye mappen; vil du ha en egen fil i nettstedet, gi den et navn som saksgang ikke bruker")
    }));
    out
}
