//! The `saksgang` command: argument parsing and reporting only; the work is in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use saksgang::build::{
    BUNDLE_FILE, BuildFailure, BuildOptions, BuildReport, build, bundle, check, human_bytes,
    read_archive,
};
use saksgang::diag;
use saksgang::link::Query;
use saksgang::render::Edition;

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
        /// Print how long each stage took (wall and CPU time) to stderr.
        #[arg(long)]
        timings: bool,
        /// The manifest.txt of the published site, to warn of addresses that would
        /// disappear; by default the one in the output folder.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Build the edition for reading from disk (file://) instead of the web
        /// edition: links name index.html, no feeds; output defaults to ROOT/public-offline.
        #[arg(long, conflicts_with_all = ["bundle", "previous"])]
        offline: bool,
        /// Also put the offline edition as arkiv.zip into the site, with a
        /// "Last ned arkivet" link on every page.
        #[arg(long)]
        bundle: bool,
    },
    /// Read and check everything a build would, and write nothing: every problem
    /// at once, then notes on people likely written several ways (with a line for
    /// people.yaml). Exit code 0 when there is no error, 1 when there is; notes
    /// never change it.
    Check {
        /// The archive folder, holding content/ (and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Count warnings as errors (exit code 1 when there is one).
        #[arg(long)]
        deny_warnings: bool,
        /// Also list notes: references in the text left unlinked because they
        /// could mean two meetings or items.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Write the offline edition of the archive as one zip file, to download and
    /// read without a network or server.
    Bundle {
        /// The archive folder, holding content/ (and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The zip file to write; defaults to ROOT/arkiv.zip.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Serve the site on http://127.0.0.1:PORT/ (or the next free port) for
    /// reading while writing: pages are made from the archive in memory when
    /// they are opened (nothing is written), and a change in content/ or
    /// themes/ shows by itself in open pages, with the errors of a file that
    /// has one over the last good page.
    Serve {
        /// The archive folder, holding content/ (and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Open the site in the web browser.
        #[arg(long)]
        open: bool,
        /// Print how long each stage of every reading took to stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Write a new archive skeleton into DIR: content/ with settings, one body,
    /// one municipality, one meeting and one thread, commented in Norwegian.
    /// Never overwrites anything.
    Init {
        /// The folder of the new archive (made if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Skriv et nytt referat, en ny innkalling eller en ny saksgang, fylt ut fra arkivet.
    #[command(
        help_template = NEW_HELP,
        subcommand_help_heading = "Kommandoer",
        subcommand_value_name = "KOMMANDO",
        next_help_heading = "Valg",
        disable_help_subcommand = true,
        disable_help_flag = true,
        long_about = "Skriv et nytt dokument i arkivet, fylt ut fra det arkivet allerede vet: \
organet, tid og sted fra organets siste møte, medlemmene og neste saksnummer. \
Skriver aldri over en fil som finnes.",
        after_help = "Eksempler:\n  \
saksgang new minutes --body radmannsgruppen --date 2026-12-03\n  \
saksgang new notice --body radmannsgruppen --date 2026-12-03\n  \
saksgang new minutes --from-notice content/meetings/2026/2026-12-03-radmannsgruppen-innkalling.md\n  \
saksgang new thread ny-skolestruktur --title \"Ny skolestruktur\""
    )]
    New {
        #[command(subcommand)]
        kind: NewKind,
        /// Vis denne hjelpen.
        #[arg(short, long, action = clap::ArgAction::Help)]
        help: Option<bool>,
    },
    /// Gjør om et referat eller en innkalling (teksten fra Word eller PDF) til en møtefil i arkivet.
    #[command(
        help_template = NEW_HELP,
        next_help_heading = "Valg",
        disable_help_flag = true,
        override_usage = "saksgang import FIL [--root MAPPE] [--body ID] [--document minutes|notice] [--output FIL]",
        long_about = "Gjør om et referat eller en innkalling slik det er skrevet i dag (teksten av en Word-fil \
eller en PDF, som .txt) til en møtefil: content/meetings/ÅÅÅÅ/ÅÅÅÅ-MM-DD-organ.md \
(-innkalling.md for en innkalling). Dato, tid og sted hentes fra hodet («Tid:», «Sted:»), organet \
fra tittelen, de til stede, forfall og sekretariatet fra oppmøtelisten, og hver sak, hvert vedtak og \
hvert forslag til vedtak blir en overskrift. Ordene står som i originalen; det som ikke kan plasseres, \
blir stående i teksten og nevnt som en advarsel med linjenummeret. Skriver aldri over en fil som finnes.",
        after_help = "Eksempler:\n  \
saksgang import referat-2017-02-23.txt\n  \
saksgang import innkalling.txt --body khs-radmannsmote --document notice\n  \
saksgang import referat.txt --root arkiv --output utkast.md"
    )]
    Import {
        /// Vis denne hjelpen.
        #[arg(short, long, action = clap::ArgAction::Help)]
        help: Option<bool>,
        /// Teksten av referatet eller innkallingen (.txt).
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Arkivmappen, den som har content/ (uten denne: mappen du står i).
        #[arg(
            long,
            default_value = ".",
            hide_default_value = true,
            value_name = "MAPPE"
        )]
        root: PathBuf,
        /// Organets id fra content/bodies.yaml (uten denne: funnet fra tittelen).
        #[arg(long, value_name = "ID")]
        body: Option<String>,
        /// Referat (minutes) eller innkalling (notice) (uten denne: lest fra tittelen).
        #[arg(long, value_name = "minutes|notice", value_parser = ["minutes", "notice"])]
        document: Option<String>,
        /// Filen som skal skrives (uten denne: content/meetings/ÅÅÅÅ/…).
        #[arg(long, value_name = "FIL")]
        output: Option<PathBuf>,
    },
    /// Print the public address of a meeting, item or thread, for an invitation.
    ///
    /// Examples: `saksgang link content/meetings/2017/2017-02-23-radmannsgruppen.md`,
    /// `saksgang link --sak 04/2017 --body radmannsgruppen`, `saksgang link --thread khs-videreforing`.
    Link {
        /// A content file (meetings/… or threads/…), optionally with #anchor.
        path: Option<String>,
        /// An item number, like 04/2017.
        #[arg(long)]
        sak: Option<String>,
        /// The body of the item (an id from bodies.yaml).
        #[arg(long)]
        body: Option<String>,
        /// A thread id.
        #[arg(long)]
        thread: Option<String>,
        /// The archive folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// The help page of `saksgang new` and its commands, with Norwegian headings.
const NEW_HELP: &str = "{about-with-newline}\nBruk: {usage}\n\n{all-args}{after-help}";

/// What `saksgang new` writes.
#[derive(Subcommand)]
enum NewKind {
    /// Skriv et nytt referat (minutes) for et møte, eller fra møtets innkalling.
    #[command(
        help_template = NEW_HELP,
        next_help_heading = "Valg",
        disable_help_flag = true,
        override_usage = "saksgang new minutes --body ID --date ÅÅÅÅ-MM-DD [--root MAPPE]\n       saksgang new minutes --from-notice FIL [--root MAPPE]",
        long_about = "Skriv et nytt referat: content/meetings/ÅÅÅÅ/ÅÅÅÅ-MM-DD-organ.md. \
Tid, sted, medlemmene (som present:) og sekretariatet hentes fra organets siste møte; \
en vara står som medlemmet hun eller han møtte for. Saken får neste saksnummer i året \
(eller 1 der organet nummererer sakene på nytt i hvert møte). \
Med --from-notice blir referatet laget av innkallingen: samme møte, samme saker og tekster, \
og hvert forslag til vedtak står som vedtak, så du bare retter det møtet endret.",
        after_help = "Eksempler:\n  \
saksgang new minutes --body radmannsgruppen --date 2026-12-03\n  \
saksgang new minutes --from-notice content/meetings/2026/2026-12-03-radmannsgruppen-innkalling.md"
    )]
    Minutes {
        /// Vis denne hjelpen.
        #[arg(short, long, action = clap::ArgAction::Help)]
        help: Option<bool>,
        /// Organets id fra content/bodies.yaml.
        #[arg(
            long,
            value_name = "ID",
            required_unless_present = "from_notice",
            conflicts_with = "from_notice"
        )]
        body: Option<String>,
        /// Møtedatoen, ÅÅÅÅ-MM-DD.
        #[arg(
            long,
            value_name = "ÅÅÅÅ-MM-DD",
            required_unless_present = "from_notice",
            conflicts_with = "from_notice"
        )]
        date: Option<String>,
        /// Innkallingen referatet skal lages fra.
        #[arg(long, value_name = "FIL")]
        from_notice: Option<PathBuf>,
        /// Arkivmappen, den som har content/ (uten denne: mappen du står i).
        #[arg(
            long,
            default_value = ".",
            hide_default_value = true,
            value_name = "MAPPE"
        )]
        root: PathBuf,
    },
    /// Skriv en ny innkalling (notice) for et møte.
    #[command(
        help_template = NEW_HELP,
        next_help_heading = "Valg",
        disable_help_flag = true,
        override_usage = "saksgang new notice --body ID --date ÅÅÅÅ-MM-DD [--root MAPPE]",
        long_about = "Skriv en ny innkalling: content/meetings/ÅÅÅÅ/ÅÅÅÅ-MM-DD-organ-innkalling.md, \
med tid og sted fra organets siste møte og én sak med neste saksnummer og et forslag til vedtak.",
        after_help = "Eksempel:\n  saksgang new notice --body radmannsgruppen --date 2026-12-03"
    )]
    Notice {
        /// Vis denne hjelpen.
        #[arg(short, long, action = clap::ArgAction::Help)]
        help: Option<bool>,
        /// Organets id fra content/bodies.yaml.
        #[arg(long, value_name = "ID")]
        body: String,
        /// Møtedatoen, ÅÅÅÅ-MM-DD.
        #[arg(long, value_name = "ÅÅÅÅ-MM-DD")]
        date: String,
        /// Arkivmappen, den som har content/ (uten denne: mappen du står i).
        #[arg(
            long,
            default_value = ".",
            hide_default_value = true,
            value_name = "MAPPE"
        )]
        root: PathBuf,
    },
    /// Skriv en ny saksgang: content/threads/ID.md.
    #[command(
        help_template = NEW_HELP,
        next_help_heading = "Valg",
        disable_help_flag = true,
        override_usage = "saksgang new thread ID --title TITTEL [--root MAPPE]",
        long_about = "Skriv en ny saksgang: content/threads/ID.md. ID-en blir adressen /saker/ID/ \
og kan bare ha a–z, 0–9 og bindestrek. Saker kobles til den fra møtefilene, under items:.",
        after_help = "Eksempel:\n  saksgang new thread ny-skolestruktur --title \"Ny skolestruktur\""
    )]
    Thread {
        /// Vis denne hjelpen.
        #[arg(short, long, action = clap::ArgAction::Help)]
        help: Option<bool>,
        /// Saksgangens id (filnavnet), for eksempel ny-skolestruktur.
        id: String,
        /// Tittelen.
        #[arg(long, value_name = "TITTEL")]
        title: String,
        /// Arkivmappen, den som har content/ (uten denne: mappen du står i).
        #[arg(
            long,
            default_value = ".",
            hide_default_value = true,
            value_name = "MAPPE"
        )]
        root: PathBuf,
    },
}

/// `saksgang import`: the warnings, then what was written and the summary.
fn import_document(
    file: &Path,
    root: &Path,
    body: Option<String>,
    document: Option<String>,
    output: Option<PathBuf>,
) -> ExitCode {
    use saksgang::model::DocumentKind;
    let options = saksgang::import::Options {
        body,
        document: document.map(|d| {
            if d == "notice" {
                DocumentKind::Notice
            } else {
                DocumentKind::Minutes
            }
        }),
        output,
    };
    match saksgang::import::import(root, file, &options) {
        Ok(imported) => {
            eprint!(
                "{}",
                imported.render_remarks(std::io::stderr().is_terminal())
            );
            let shown = imported.path.strip_prefix(".").unwrap_or(&imported.path);
            println!("skrev {}; {}", shown.display(), imported.counts.summary());
            println!("åpne filen, se over advarslene og kjør saksgang check");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{}", failure.render(std::io::stderr().is_terminal()));
            ExitCode::FAILURE
        }
    }
}

/// `saksgang new`: one line saying what was written and what to do next.
fn new_document(kind: NewKind) -> ExitCode {
    use saksgang::new::Request;
    let (root, request) = match kind {
        NewKind::Minutes {
            from_notice: Some(notice),
            root,
            ..
        } => (root, Request::MinutesFromNotice { notice }),
        NewKind::Minutes {
            body, date, root, ..
        } => (
            root,
            Request::Minutes {
                body: body.unwrap_or_default(),
                date: date.unwrap_or_default(),
            },
        ),
        NewKind::Notice {
            body, date, root, ..
        } => (root, Request::Notice { body, date }),
        NewKind::Thread {
            id, title, root, ..
        } => (root, Request::Thread { id, title }),
    };
    match saksgang::new::new(&root, &request) {
        Ok(written) => {
            let shown = if root == Path::new(".") {
                written.path
            } else {
                root.join(&written.path).display().to_string()
            };
            println!("skrev {shown}; {}", written.next);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{}", failure.render(std::io::stderr().is_terminal()));
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (root, output, timings, previous, edition, bundle) = match cli.command {
        Command::Build {
            root,
            output,
            timings,
            previous,
            offline,
            bundle,
        } => {
            let edition = if offline {
                Edition::Offline
            } else {
                Edition::Web
            };
            (root, output, timings, previous, edition, bundle)
        }
        Command::Serve {
            root,
            port,
            open,
            timings,
        } => {
            return saksgang::live::run(&root, port, open, timings);
        }
        Command::Bundle { root, output } => return write_bundle(root, output),
        Command::Check {
            root,
            deny_warnings,
            verbose,
        } => return run_check(&root, deny_warnings, verbose),
        Command::Init { dir } => return init(&dir),
        Command::New { kind, .. } => return new_document(kind),
        Command::Import {
            file,
            root,
            body,
            document,
            output,
            ..
        } => return import_document(&file, &root, body, document, output),
        Command::Link {
            path,
            sak,
            body,
            thread,
            root,
        } => return link(root, path, sak, body, thread),
    };
    let output = output.unwrap_or_else(|| {
        root.join(match edition {
            Edition::Web => "public",
            Edition::Offline => "public-offline",
        })
    });
    let color = std::io::stderr().is_terminal();
    match build(&BuildOptions {
        root,
        output: output.clone(),
        previous,
        edition,
        bundle,
    }) {
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", diag::render(&report.warnings, &report.sources, color));
            }
            if timings {
                for p in &report.phases {
                    eprintln!("{p}");
                }
            }
            println!("{}", summary_line(&report, &output));
            if edition == Edition::Offline {
                println!(
                    "åpne {} i en nettleser; mappen kan kopieres og leses uten nett",
                    output.join("index.html").display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&failure, "bygget", &output, color),
    }
}

/// Prints every diagnostic of a failed build, and that `output` is untouched.
fn report_failure(failure: &BuildFailure, what: &str, output: &Path, color: bool) -> ExitCode {
    eprint!(
        "{}",
        diag::render(&failure.diagnostics, &failure.sources, color)
    );
    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "{what} stoppet med {errors} feil; ingenting ble skrevet, og {} er som før",
        output.display()
    );
    ExitCode::FAILURE
}

/// `saksgang check`: every problem on stderr, then one line that sums them up.
fn run_check(root: &Path, deny_warnings: bool, verbose: bool) -> ExitCode {
    let report = check(root);
    let color = std::io::stderr().is_terminal();
    eprint!(
        "{}",
        diag::render(&report.diagnostics, &report.sources, color)
    );
    eprint!("{}", diag::render(&report.people, &report.sources, color));
    if verbose {
        eprint!("{}", diag::render(&report.notes, &report.sources, color));
        if !report.notes.is_empty() {
            let n = report.notes.len();
            eprintln!(
                "{} ble ikke lenket fordi {} kan bety mer enn én ting",
                saksgang::norsk::count(n, "henvisning", "henvisninger"),
                if n == 1 { "den" } else { "de" }
            );
        }
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let mut summary = check_summary(errors, warnings, deny_warnings);
    if !report.people.is_empty() {
        summary.push_str(&format!(
            "; {} om personer som kanskje er skrevet på flere måter",
            saksgang::norsk::count(report.people.len(), "merknad", "merknader")
        ));
    }
    eprintln!("{summary}");
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// "fant 2 feil og 1 advarsel", "ingen feil".
fn check_summary(errors: usize, warnings: usize, deny_warnings: bool) -> String {
    let warnings_text = saksgang::norsk::count(warnings, "advarsel", "advarsler");
    match (errors, warnings) {
        (0, 0) => "ingen feil".to_string(),
        (0, _) if deny_warnings => {
            format!("fant {warnings_text}; med --deny-warnings regnes advarsler som feil")
        }
        (0, _) => format!("ingen feil, men {warnings_text}"),
        (_, 0) => format!("fant {errors} feil"),
        _ => format!("fant {errors} feil og {warnings_text}"),
    }
}

fn write_bundle(root: PathBuf, output: Option<PathBuf>) -> ExitCode {
    let file = output.unwrap_or_else(|| root.join(BUNDLE_FILE));
    let color = std::io::stderr().is_terminal();
    match bundle(&root, &file) {
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", diag::render(&report.warnings, &report.sources, color));
            }
            println!(
                "skrev {} ({} filer, {}) på {} s; pakk den ut og åpne arkiv/index.html",
                file.display(),
                report.files,
                human_bytes(report.bytes),
                format!("{:.2}", report.elapsed.as_secs_f64()).replace('.', ","),
            );
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&failure, "pakkingen", &file, color),
    }
}

/// `saksgang init`: what it wrote on stdout, and the commands to run next.
fn init(dir: &Path) -> ExitCode {
    match saksgang::init::init(dir) {
        Ok(files) => {
            println!("lagde et nytt arkiv i {}:", dir.display());
            for f in files {
                println!("  {f}");
            }
            let root = saksgang::init::shell_path(dir);
            println!("neste steg:");
            println!("  saksgang check --root {root}   sjekker filene");
            println!(
                "  saksgang serve --root {root}   bygger nettstedet og viser det på http://127.0.0.1:8000/"
            );
            println!("skrivehåndboka (docs/skrivehandbok.md) forklarer hver fil");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            let color = std::io::stderr().is_terminal();
            eprint!("{}", diag::render(&[problem], &Default::default(), color));
            ExitCode::FAILURE
        }
    }
}

fn link(
    root: PathBuf,
    path: Option<String>,
    sak: Option<String>,
    body: Option<String>,
    thread: Option<String>,
) -> ExitCode {
    let query = match (path, sak, thread) {
        (Some(p), None, None) => Query::Path(p),
        (None, Some(number), None) => Query::Item { number, body },
        (None, None, Some(t)) => Query::Thread(t),
        _ => {
            eprintln!("feil: oppgi én av: en sti, --sak NN/ÅÅÅÅ (med --body), eller --thread ID");
            return ExitCode::FAILURE;
        }
    };
    let color = std::io::stderr().is_terminal();
    match read_archive(&root) {
        Err(failure) => {
            eprint!(
                "{}",
                diag::render(&failure.diagnostics, &failure.sources, color)
            );
            ExitCode::FAILURE
        }
        Ok((archive, _, _)) => match saksgang::link::find(&archive, &query) {
            Ok(urls) => {
                for u in urls {
                    println!("{u}");
                }
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("feil: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

/// The one line a successful build ends with: what it wrote, how big, how fast.
fn summary_line(report: &BuildReport, output: &std::path::Path) -> String {
    let w = &report.written;
    let others = w.files - w.pages;
    let kept = if w.kept > 0 {
        format!(
            "; {} som saksgang ikke har laget, ble beholdt",
            saksgang::norsk::count(w.kept, "fil", "filer")
        )
    } else {
        String::new()
    };
    format!(
        "skrev {} og {} ({}) til {} på {} s: {} nye eller endret, {} uendret, {} fjernet{kept}",
        saksgang::norsk::count(w.pages, "side", "sider"),
        saksgang::norsk::count(others, "annen fil", "andre filer"),
        human_bytes(w.bytes),
        output.display(),
        format!("{:.2}", report.elapsed.as_secs_f64()).replace('.', ","),
        w.written,
        w.unchanged,
        w.removed,
    )
}
