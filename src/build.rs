//! The whole pipeline for one build: load → resolve → render → write.
//!
//! This is the only place that knows the order of the stages. Diagnostics of
//! every stage are collected; only if none is an error is anything written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Sources};
use crate::{load, render, resolve, theme, write};

/// What a build was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The archive folder (holds `content/` and optionally `themes/`).
    pub root: PathBuf,
    /// Where the site goes.
    pub output: PathBuf,
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
}

/// A build that stopped: nothing was written.
#[derive(Debug)]
pub struct BuildFailure {
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read.
    pub sources: Sources,
}

/// Renders the archive under `root` to pages without writing anything.
pub fn render_site(
    root: &Path,
) -> Result<(Vec<render::Page>, Vec<Diagnostic>, Sources), BuildFailure> {
    let raw = load::load(&root.join("content"));
    let (archive, sources, mut diagnostics) = resolve::resolve(raw);
    let (theme, theme_diagnostics) = theme::load(root, &archive.site.theme);
    diagnostics.extend(theme_diagnostics);
    // Report in file order, and in reading order within a file.
    diagnostics.sort_by_key(|d| (d.file, d.span.start));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildFailure {
            diagnostics,
            sources,
        });
    }
    match render::render(&archive, &sources, &theme) {
        Ok(pages) => Ok((pages, diagnostics, sources)),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(BuildFailure {
                diagnostics,
                sources,
            })
        }
    }
}

/// Builds the site: everything or nothing.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let (pages, warnings, sources) = render_site(&options.root)?;
    match write::write(&options.output, &pages) {
        Ok(written) => Ok(BuildReport {
            written,
            warnings,
            sources,
            elapsed: start.elapsed(),
        }),
        Err(e) => {
            let mut diagnostics = warnings;
            diagnostics.push(
                Diagnostic::global(e.to_string())
                    .help("velg en annen mappe med --output, eller tøm mappen først"),
            );
            Err(BuildFailure {
                diagnostics,
                sources,
            })
        }
    }
}
