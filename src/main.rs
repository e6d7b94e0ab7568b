//! The `saksgang` command: argument parsing and reporting only; the work is in the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use saksgang::build::{BuildOptions, build};
use saksgang::diag;

/// saksgang: static site generator for minutes and notices of governance bodies.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from ROOT/content into ROOT/public (or --output).
    Build {
        /// The archive folder, holding content/ (and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; defaults to ROOT/public.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let color = std::io::stderr().is_terminal();
            match build(&BuildOptions { root, output: output.clone() }) {
                Ok(report) => {
                    if !report.warnings.is_empty() {
                        eprint!("{}", diag::render(&report.warnings, &report.sources, color));
                    }
                    let w = &report.written;
                    println!(
                        "skrev {} sider og {} andre filer ({}) til {} på {:.2} s: {} nye eller endret, {} uendret, {} fjernet",
                        w.pages,
                        w.files - w.pages,
                        human_bytes(w.bytes),
                        output.display(),
                        report.elapsed.as_secs_f64(),
                        w.written,
                        w.unchanged,
                        w.removed,
                    );
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    eprint!("{}", diag::render(&failure.diagnostics, &failure.sources, color));
                    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "bygget stoppet med {errors} {}; ingenting ble skrevet, og {} er som før",
                        if errors == 1 { "feil" } else { "feil" },
                        output.display()
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} kB", n as f64 / 1024.0)
    }
}
