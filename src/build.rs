//! The whole pipeline for one build: load → resolve → render → write.
//!
//! This is the only place that knows the order of the stages. Diagnostics of
//! every stage are collected; only if none is an error is the new site put in
//! place of the old. Pages are rendered in parallel and streamed to disk as
//! they are made, so memory does not grow with the number of pages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::model::Archive;
use crate::render::{Page, Renderer};
use crate::{feeds, load, manifest, resolve, theme, write};

/// What a build was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The archive folder (holds `content/` and optionally `themes/`).
    pub root: PathBuf,
    /// Where the site goes.
    pub output: PathBuf,
    /// The manifest of a previous build to compare with; by default the one in `output`.
    pub previous: Option<PathBuf>,
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

/// Times stages, wall and CPU.
struct Clock {
    phases: Vec<Phase>,
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn new() -> Self {
        Self {
            phases: Vec::new(),
            wall: Instant::now(),
            cpu: cpu_time(),
        }
    }

    fn lap(&mut self, name: &'static str) {
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
    let (archive, sources, diagnostics) = read(root, &mut clock);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildFailure {
            diagnostics,
            sources,
        });
    }
    Ok((archive, sources, diagnostics))
}

/// load and resolve, streaming the documents.
fn read(root: &Path, clock: &mut Clock) -> (Archive, Sources, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut raw = load::load(&content);
    let prelude = resolve::prelude(&mut raw);
    // Each document is resolved as soon as it is read, so that the parsed form of
    // every document is never in memory at once.
    let (documents, mut diagnostics) = load::documents(
        &content,
        &raw.document_paths,
        &mut raw.sources,
        &raw.site.decision_headings,
        |doc| prelude.document(doc),
    );
    clock.lap("lesing");
    let sources = raw.sources;
    let (archive, resolve_diagnostics) = prelude.finish(documents, &sources);
    diagnostics.extend(resolve_diagnostics);
    // Report in file order, and in reading order within a file.
    diagnostics.sort_by_key(|d| (d.file, d.span.start));
    clock.lap("sjekk");
    (archive, sources, diagnostics)
}

/// Builds the site: everything or nothing.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let mut clock = Clock::new();
    let (archive, sources, mut diagnostics) = read(&options.root, &mut clock);
    let (theme, theme_diagnostics) = theme::load(&options.root, &archive.site.theme);
    diagnostics.extend(theme_diagnostics);
    let fail = |mut diagnostics: Vec<Diagnostic>, more: Vec<Diagnostic>, sources: Sources| {
        diagnostics.extend(more);
        Err(BuildFailure {
            diagnostics,
            sources,
        })
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return fail(diagnostics, Vec::new(), sources);
    }
    let renderer = match Renderer::new(&archive, &sources, &theme) {
        Ok(r) => r,
        Err(errors) => return fail(diagnostics, errors, sources),
    };
    let plan = match renderer.plan() {
        Ok(p) => p,
        Err(errors) => return fail(diagnostics, errors, sources),
    };
    // Published addresses must not disappear: compare with the previous manifest.
    let addresses = manifest::addresses(&archive, &plan);
    let previous = options
        .previous
        .clone()
        .unwrap_or_else(|| options.output.join(manifest::FILE));
    match std::fs::read_to_string(&previous) {
        Ok(text) => {
            diagnostics.extend(manifest::compare(&text, &addresses, &archive.site.base_url))
        }
        Err(e) if options.previous.is_some() => {
            return fail(
                diagnostics,
                vec![Diagnostic::global(format!(
                    "kunne ikke lese {}: {e}",
                    previous.display()
                ))],
                sources,
            );
        }
        Err(_) => {}
    }
    let staging = match write::Staging::begin(&options.output) {
        Ok(s) => s,
        Err(e) => return fail(diagnostics, vec![write_diagnostic(e)], sources),
    };
    // Creating a file waits on the disk more than on the processor, so this
    // stage runs more threads than there are cores.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * IO_THREADS_PER_CORE;
    let render_all = || -> Vec<Diagnostic> {
        plan.par_iter()
            .filter_map(|(path, task)| match renderer.render(path, task) {
                Ok(page) => staging.put(&page).err().map(write_diagnostic),
                Err(d) => Some(d),
            })
            .collect()
    };
    let mut errors = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(render_all),
        Err(_) => render_all(),
    };
    drop(renderer);
    let files = [
        (manifest::FILE, manifest::text(&addresses)),
        (
            "sitemap.xml",
            feeds::sitemap(&addresses, &archive.site.base_url),
        ),
        ("moter.ics", feeds::calendar(&archive)),
        ("nytt.xml", feeds::atom(&archive)),
    ];
    for (path, text) in files {
        let page = Page {
            path: path.to_string(),
            bytes: text.into_bytes(),
        };
        if let Err(e) = staging.put(&page) {
            errors.push(write_diagnostic(e));
        }
    }
    clock.lap("sider");
    if !errors.is_empty() {
        staging.abort();
        let more = errors.len().saturating_sub(MAX_RENDER_ERRORS);
        errors.truncate(MAX_RENDER_ERRORS);
        if more > 0 {
            errors.push(Diagnostic::global(format!(
                "… og {more} sider til med feil"
            )));
        }
        return fail(diagnostics, errors, sources);
    }
    let written = match staging.commit() {
        Ok(w) => w,
        Err(e) => return fail(diagnostics, vec![write_diagnostic(e)], sources),
    };
    clock.lap("bytte");
    Ok(BuildReport {
        written,
        warnings: diagnostics,
        sources,
        elapsed: start.elapsed(),
        phases: clock.phases,
    })
}

fn write_diagnostic(e: write::WriteError) -> Diagnostic {
    Diagnostic::global(e.to_string())
        .help("velg en annen mappe med --output, eller tøm mappen først")
}
