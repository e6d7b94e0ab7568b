//! The `saksgang` command: argument parsing and reporting only; the work is in the library.

use std::io::IsTerminal;

/// mimalloc instead of the system allocator: reading and resolving the archive
/// allocate and free millions of small strings and vectors.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use saksgang::build::{
    BUNDLE_FILE, BuildFailure, BuildOptions, BuildReport, build, bundle, check, human_bytes,
    read_archive,
};
use saksgang::diag;
use saksgang::link::Query;
use saksgang::render::Edition;

/// saksgang: lager et nettsted av referatene og innkallingene til styrer, råd og utvalg.
#[derive(Parser)]
#[command(
    version,
    about = "saksgang: lager et nettsted av referatene og innkallingene til styrer, råd og utvalg, \
med sakene og saksgangene mellom dem.",
    override_usage = "saksgang KOMMANDO [VALG]",
    after_help = "Eksempler:\n  \
saksgang init mitt-arkiv\n  \
saksgang serve --root mitt-arkiv\n  \
saksgang check\n  \
saksgang build\n\n\
Skriv saksgang KOMMANDO --help for valgene og flere eksempler, for eksempel saksgang build --help."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Bygg nettstedet fra ROOT/content til ROOT/public (eller --output).
    #[command(
        override_usage = "saksgang build [--root MAPPE] [--output MAPPE] [--offline | --bundle] [--previous FIL] [--full] [--timings]",
        long_about = "Bygg nettstedet: les content/ (og themes/), sjekk alt, og skriv sidene til public/. \
Finnes det en feil, skrives ingenting, og mappen er som før. Bare dokumentene som er endret siden forrige \
bygging, leses på nytt, og bare sidene som er endret, lages og skrives på nytt (det forrige bygget er \
husket i public.saksgang-cache og public.saksgang-lesing ved siden av mappen); med --full leses og \
lages alt på nytt. Med --offline bygges utgaven som leses \
fra disk (file://), uten nett; med --bundle legges den ved nettstedet som arkiv.zip.",
        after_help = "Eksempler:\n  \
saksgang build\n  \
saksgang build --root arkiv --output /var/www/arkiv\n  \
saksgang build --offline\n  \
saksgang build --bundle --previous publisert/manifest.txt"
    )]
    Build {
        /// Arkivmappen, den som har content/ og eventuelt themes/.
        #[arg(long, default_value = ".", value_name = "MAPPE")]
        root: PathBuf,
        /// Hvor nettstedet skrives (uten denne: ROOT/public, med --offline ROOT/public-offline).
        #[arg(long, value_name = "MAPPE")]
        output: Option<PathBuf>,
        /// Skriv hvor lang tid hvert steg tok (tid og CPU-tid) til stderr.
        #[arg(long)]
        timings: bool,
        /// manifest.txt fra det publiserte nettstedet, for å varsle om adresser som ville
        /// forsvinne (uten denne: den i mappen det skrives til).
        #[arg(long, value_name = "FIL")]
        previous: Option<PathBuf>,
        /// Bygg utgaven som leses fra disk (file://) i stedet for nettutgaven: lenkene peker
        /// på index.html, og det lages ingen feeder.
        #[arg(long, conflicts_with_all = ["bundle", "previous"])]
        offline: bool,
        /// Legg også utgaven for disk ved som arkiv.zip, med lenken «Last ned arkivet» på
        /// hver side.
        #[arg(long)]
        bundle: bool,
        /// Lag alle sidene på nytt og skriv et helt nytt nettsted, uansett hva som er husket
        /// fra forrige bygging.
        #[arg(long)]
        full: bool,
    },
    /// Les og sjekk alt et bygg ville lest, og skriv ingenting.
    #[command(
        override_usage = "saksgang check [--root MAPPE] [--deny-warnings] [--verbose]",
        long_about = "Les og sjekk alt et bygg ville lest, og skriv ingenting: alle feil og advarsler \
på én gang, med fil, linje og kolonne, og så merknader om personer som trolig er skrevet på flere måter \
(med en linje til people.yaml). Avslutningskoden er 0 uten feil og 1 med feil; merknader endrer den aldri.",
        after_help = "Eksempler:\n  \
saksgang check\n  \
saksgang check --root arkiv --deny-warnings\n  \
saksgang check --verbose"
    )]
    Check {
        /// Arkivmappen, den som har content/ og eventuelt themes/.
        #[arg(long, default_value = ".", value_name = "MAPPE")]
        root: PathBuf,
        /// Regn advarsler som feil (avslutningskode 1 når det finnes en).
        #[arg(long)]
        deny_warnings: bool,
        /// Vis også merknadene: henvisninger i teksten som ikke ble lenket fordi de kan
        /// bety to møter eller saker.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Skriv utgaven for disk som én zip-fil, til å laste ned og lese uten nett.
    #[command(
        override_usage = "saksgang bundle [--root MAPPE] [--output FIL]",
        long_about = "Skriv utgaven av arkivet som leses fra disk som én zip-fil, til å laste ned \
og lese uten nett eller server: pakk den ut og åpne arkiv/index.html.",
        after_help = "Eksempler:\n  \
saksgang bundle\n  \
saksgang bundle --root arkiv --output /tmp/arkiv.zip"
    )]
    Bundle {
        /// Arkivmappen, den som har content/ og eventuelt themes/.
        #[arg(long, default_value = ".", value_name = "MAPPE")]
        root: PathBuf,
        /// Zip-filen som skrives (uten denne: ROOT/arkiv.zip).
        #[arg(long, value_name = "FIL")]
        output: Option<PathBuf>,
    },
    /// Vis nettstedet på http://127.0.0.1:PORT/ (eller neste ledige port) mens du skriver:
    /// sidene lages fra arkivet i minnet når de åpnes (ingenting skrives), og en endring i
    /// content/ eller themes/ vises av seg selv i åpne sider, med feilene i en fil som har
    /// feil over den siste gode siden.
    #[command(after_help = "Eksempler:\n  \
saksgang serve\n  \
saksgang serve --open\n  \
saksgang serve --root arkiv --port 8080")]
    Serve {
        /// Arkivmappen, den som har content/ og eventuelt themes/.
        #[arg(long, default_value = ".", value_name = "MAPPE")]
        root: PathBuf,
        /// Porten på 127.0.0.1.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Åpne nettstedet i nettleseren.
        #[arg(long)]
        open: bool,
        /// Skriv hvor lang tid hvert trinn av hver lesing tok, til stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Lag et nytt arkiv i MAPPE, med kommentarer på norsk.
    #[command(
        override_usage = "saksgang init [MAPPE]",
        long_about = "Lag et nytt arkiv i MAPPE: content/ med innstillinger, ett organ, én kommune, \
ett møte og én saksgang, kommentert på norsk, til å rette i. Skriver aldri over noe som finnes.",
        after_help = "Eksempler:\n  \
saksgang init mitt-arkiv\n  \
saksgang init"
    )]
    Init {
        /// Mappen til det nye arkivet (lages om den mangler).
        #[arg(default_value = ".", value_name = "MAPPE")]
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
    /// Skriv den offentlige adressen til et møte, en sak eller en saksgang, til en invitasjon.
    #[command(
        override_usage = "saksgang link FIL[#ANKER] [--root MAPPE]\n       \
saksgang link --sak NN/ÅÅÅÅ [--body ID] [--root MAPPE]\n       \
saksgang link --thread ID [--root MAPPE]",
        long_about = "Skriv den offentlige adressen (base_url i content/site.yaml) til et \
møte, en sak eller en saksgang, til en invitasjon eller en e-post. Oppgi én av: en fil i content/, \
et saksnummer (--sak) eller en saksgang (--thread).",
        after_help = "Eksempler:\n  \
saksgang link content/meetings/2017/2017-02-23-radmannsgruppen.md\n  \
saksgang link --sak 04/2017 --body radmannsgruppen\n  \
saksgang link --thread khs-videreforing"
    )]
    Link {
        /// En møtefil eller saksgangsfil (meetings/… eller threads/…), eventuelt med #anker.
        #[arg(value_name = "FIL")]
        path: Option<String>,
        /// Et saksnummer, for eksempel 04/2017.
        #[arg(long, value_name = "NN/ÅÅÅÅ")]
        sak: Option<String>,
        /// Organet saken hører til (en id fra bodies.yaml).
        #[arg(long, value_name = "ID")]
        body: Option<String>,
        /// En saksgangs id.
        #[arg(long, value_name = "ID")]
        thread: Option<String>,
        /// Arkivmappen, den som har content/.
        #[arg(long, default_value = ".", value_name = "MAPPE")]
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

/// Every command's help in Norwegian, also of commands that set nothing
/// themselves: the help template of `new`, the heading «Valg», a Norwegian
/// `-h, --help` (and `-V, --version` at the top), a usage line with `[VALG]`,
/// and a default value or the possible values said in Norwegian in the
/// argument's help instead of clap's English «[default: …]».
fn norwegian(mut cmd: clap::Command, parent: &str) -> clap::Command {
    use clap::{Arg, ArgAction};
    let path = format!("{parent}{}", cmd.get_name());
    cmd = cmd
        .help_template(NEW_HELP)
        .subcommand_help_heading("Kommandoer")
        .subcommand_value_name("KOMMANDO")
        .disable_help_subcommand(true)
        .mut_args(|arg| {
            let mut arg = if arg.get_help_heading().is_none() {
                arg.help_heading("Valg")
            } else {
                arg
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let help = help.trim_end_matches('.');
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if arg.get_action().takes_values()
                && !defaults.is_empty()
                && !arg.is_hide_default_value_set()
            {
                let default = match defaults.join(", ").as_str() {
                    "." => "mappen du står i".to_string(),
                    other => other.to_string(),
                };
                arg = arg
                    .hide_default_value(true)
                    .help(format!("{help} (uten denne: {default})"));
            }
            let possible: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if arg.get_action().takes_values()
                && !possible.is_empty()
                && !arg.is_hide_possible_values_set()
            {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                arg = arg
                    .hide_possible_values(true)
                    .help(format!("{help} (en av: {})", possible.join(", ")));
            }
            arg
        });
    if !cmd.get_arguments().any(|a| a.get_id() == "help") {
        cmd = cmd.disable_help_flag(true).arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Vis denne hjelpen")
                .help_heading("Valg"),
        );
    }
    if parent.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Vis versjonen")
                .help_heading("Valg"),
        );
    }
    if cmd.get_overridden_usage().is_none() {
        let mut usage = path.clone();
        if cmd.has_subcommands() {
            usage.push_str(" KOMMANDO");
        }
        let positionals: Vec<String> = cmd
            .get_positionals()
            .map(|a| {
                let name = a
                    .get_value_names()
                    .and_then(|n| n.first())
                    .map_or_else(|| a.get_id().as_str().to_uppercase(), |n| n.to_string());
                if a.is_required_set() {
                    name
                } else {
                    format!("[{name}]")
                }
            })
            .collect();
        if cmd
            .get_arguments()
            .any(|a| !a.is_positional() && a.get_id() != "help")
        {
            usage.push_str(" [VALG]");
        }
        for p in positionals {
            usage.push(' ');
            usage.push_str(&p);
        }
        cmd = cmd.override_usage(usage);
    }
    let parent = format!("{path} ");
    cmd.mut_subcommands(|sub| norwegian(sub, &parent))
}

/// A usage error of clap (an unknown argument, a missing value, …) in
/// Norwegian, with the usage line of the command in `args` (in `cmd`, as
/// [`norwegian`] made it) and where to read more.
fn usage_error(err: &clap::Error, cmd: &clap::Command, args: &[String]) -> diag::Diagnostic {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(" og ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match err.kind() {
        ErrorKind::UnknownArgument if arg.starts_with('-') => format!("ukjent valg {arg}"),
        ErrorKind::UnknownArgument => format!("uventet argument «{arg}»"),
        ErrorKind::InvalidSubcommand => format!(
            "ukjent kommando «{}»",
            get(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => format!("mangler {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "mangler en kommando".to_string()
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} mangler en verdi"),
        ErrorKind::InvalidValue => match get(ContextKind::ValidValue) {
            Some(valid) => format!(
                "ugyldig verdi «{value}» for {arg}; gyldige verdier er {}",
                valid.replace(" og ", ", ")
            ),
            None => format!("ugyldig verdi «{value}» for {arg}"),
        },
        ErrorKind::ValueValidation => {
            let number =
                std::error::Error::source(err).is_some_and(|e| e.is::<std::num::ParseIntError>());
            let what = if number {
                "; det må være et helt tall"
            } else {
                ""
            };
            format!("ugyldig verdi «{value}» for {arg}{what}")
        }
        ErrorKind::ArgumentConflict => match get(ContextKind::PriorArg) {
            Some(prior) => format!("{arg} kan ikke brukes sammen med {prior}"),
            None => format!("{arg} kan ikke brukes her"),
        },
        ErrorKind::NoEquals => format!("{arg} må ha = mellom valget og verdien"),
        ErrorKind::TooManyValues => format!("for mange verdier: «{value}»"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("feil antall verdier for {arg}")
        }
        ErrorKind::InvalidUtf8 => "et argument er ikke gyldig tekst (UTF-8)".to_string(),
        _ => format!(
            "feil i kommandolinjen: {}",
            err.render()
                .to_string()
                .trim()
                .trim_start_matches("error: ")
        ),
    };
    if let Some(suggestion) = err
        .get(ContextKind::SuggestedArg)
        .or_else(|| err.get(ContextKind::SuggestedSubcommand))
    {
        let suggestion = match suggestion {
            ContextValue::Strings(v) => v.join(" eller "),
            other => other.to_string(),
        };
        message.push_str(&format!("; mente du {suggestion}?"));
    }
    // The command the arguments name: `saksgang new minutes`.
    let mut command = cmd;
    let mut path = vec![cmd.get_name().to_string()];
    for arg in args {
        if let Some(sub) = command.find_subcommand(arg) {
            command = sub;
            path.push(arg.clone());
        }
    }
    let usage = command
        .get_overridden_usage()
        .map_or_else(|| path.join(" "), |u| u.to_string());
    diag::Diagnostic::global(message).help(format!(
        "bruk: {usage}\nskriv «{} --help» for valgene og eksempler",
        path.join(" ")
    ))
}

/// The command line, or the help, the version or a Norwegian usage error
/// (exit code 2).
fn parse() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    let cmd = norwegian(Cli::command(), "");
    let mut args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // `saksgang help build` (or `hjelp`) is `saksgang build --help`.
    if args.first().is_some_and(|a| a == "help" || a == "hjelp") {
        args.remove(0);
        args.push("--help".into());
    }
    let result = cmd
        .clone()
        .try_get_matches_from(std::iter::once("saksgang".to_string()).chain(args.iter().cloned()))
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    match result {
        Ok(cli) => Ok(cli),
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => err.exit(),
            _ => {
                let color = std::io::stderr().is_terminal();
                eprint!(
                    "{}",
                    diag::render(
                        &[usage_error(&err, &cmd, &args)],
                        &Default::default(),
                        color
                    )
                );
                Err(ExitCode::from(2))
            }
        },
    }
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let (root, output, timings, previous, edition, bundle, full) = match cli.command {
        Command::Build {
            root,
            output,
            timings,
            previous,
            offline,
            bundle,
            full,
        } => {
            let edition = if offline {
                Edition::Offline
            } else {
                Edition::Web
            };
            (root, output, timings, previous, edition, bundle, full)
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
        full,
    }) {
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", diag::render(&report.warnings, &report.sources, color));
            }
            if timings {
                for p in &report.phases {
                    eprintln!("{p}");
                }
                eprintln!(
                    "{} av {} laget på nytt; {}",
                    saksgang::norsk::count(report.rendered, "side", "sider"),
                    report.written.files,
                    if report.in_place {
                        "bare endrede filer skrevet, på plass"
                    } else {
                        "et helt nytt nettsted skrevet"
                    }
                );
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
                "  saksgang serve --root {root}   viser nettstedet på http://127.0.0.1:8000/ mens du skriver"
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
