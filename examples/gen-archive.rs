//! A deterministic synthetic archive for saksgang (and the same meetings as a Hugo site),
//! for trying the generator on archives of any size.
//!
//! ```sh
//! cargo run --release --example gen-archive -- --meetings N --out DIR [--seed S] [--hugo DIR2]
//! cargo run --release -- build --root DIR
//! hugo --source DIR2
//! ```
//!
//! The same N and seed give byte-identical files (whether or not --hugo is given). Meetings
//! are generated one at a time and handed to a few writer threads through a bounded queue,
//! so memory stays small for any N. DIR/content (and DIR2/content, DIR2/layouts,
//! DIR2/hugo.toml) are replaced on each run, but only in a folder that this program made
//! (it leaves a `.gen-archive` file there); any other folder with a `content/` is refused.
//!
//! Meetings run from the year 2000, about N/40 a year but at most 320 a year (at most 48
//! per body), because saksgang reads item numbers of up to three digits: a large N runs
//! far into the future (N = 100 000 ends in 2312).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use chrono::Datelike;

#[path = "gen_archive/hugo.rs"]
mod hugo;
#[path = "gen_archive/meeting.rs"]
mod meeting;
#[path = "gen_archive/words.rs"]
mod words;
#[path = "gen_archive/world.rs"]
mod world;

use meeting::{Doc, Gen};
use world::World;

const USAGE: &str = "usage: gen-archive --meetings N --out DIR [--seed S] [--hugo DIR2]";
const MARKER: &str = ".gen-archive";
const FIRST_YEAR: i32 = 2000;
/// At most this many meetings of one body in a year: 48 meetings of at most 20 items stay
/// below sak 999, the largest number saksgang reads (three digits).
const PER_BODY_YEAR: usize = 48;
/// At most this many meetings a year in all (the rest go to later years).
const PER_YEAR: usize = 320;

struct Args {
    meetings: usize,
    out: PathBuf,
    seed: u64,
    hugo: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut meetings = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut hugo = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if key == "-h" || key == "--help" {
            return Err(String::new());
        }
        let value = match inline {
            Some(v) => v,
            None => args.next().ok_or_else(|| format!("{key} needs a value"))?,
        };
        match key.as_str() {
            "--meetings" => {
                meetings = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("--meetings: «{value}» is not a number"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(value)),
            "--seed" => {
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: «{value}» is not a number"))?
            }
            "--hugo" => hugo = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown argument {key}")),
        }
    }
    Ok(Args {
        meetings: meetings.ok_or("--meetings is required")?,
        out: out.ok_or("--out is required")?,
        seed,
        hugo,
    })
}

type Job = (PathBuf, Vec<u8>);

/// Writes files on a few threads. Creating a file can cost a round trip to the disk
/// (hundreds of microseconds on a virtual disk), and several in flight hide most of it.
/// The queue is bounded, so only a few hundred files wait in memory at any time.
struct Writers {
    tx: SyncSender<Job>,
    workers: Vec<thread::JoinHandle<io::Result<()>>>,
}

impl Writers {
    fn new(threads: usize) -> Writers {
        let (tx, rx) = mpsc::sync_channel::<Job>(256);
        let rx = Arc::new(Mutex::new(rx));
        let workers = (0..threads)
            .map(|_| {
                let rx = Arc::clone(&rx);
                thread::spawn(move || {
                    loop {
                        let job = rx.lock().expect("no writer panics").recv();
                        let Ok((path, buf)) = job else {
                            return Ok(());
                        };
                        fs::write(&path, &buf).map_err(|e| {
                            io::Error::new(e.kind(), format!("{}: {e}", path.display()))
                        })?;
                    }
                })
            })
            .collect();
        Writers { tx, workers }
    }

    /// Waits until every file is written; the first error of a writer, if any.
    fn finish(self) -> io::Result<()> {
        drop(self.tx);
        let mut result = Ok(());
        for w in self.workers {
            let r = w
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("a writer thread panicked")));
            if result.is_ok() {
                result = r;
            }
        }
        result
    }
}

/// Writes files under one root, creating folders once, counting files and bytes.
struct Out {
    root: PathBuf,
    dirs: BTreeSet<PathBuf>,
    files: u64,
    bytes: u64,
    tx: SyncSender<Job>,
}

impl Out {
    /// Prepares `root`: refuses a folder that has `clear` entries but no marker, removes
    /// the `clear` entries of one that has it.
    fn new(root: &Path, clear: &[&str], writers: &Writers) -> io::Result<Out> {
        let marker = root.join(MARKER);
        let ours = marker.exists();
        for c in clear {
            let p = root.join(c);
            if p.exists() {
                if !ours {
                    return Err(io::Error::other(format!(
                        "{} exists and was not made by gen-archive (no {MARKER} in {}); \
                         choose an empty folder",
                        p.display(),
                        root.display()
                    )));
                }
                if p.is_dir() {
                    fs::remove_dir_all(&p)?;
                } else {
                    fs::remove_file(&p)?;
                }
            }
        }
        fs::create_dir_all(root)?;
        fs::write(&marker, "Made by `cargo run --example gen-archive`.\n")?;
        Ok(Out {
            root: root.to_path_buf(),
            dirs: BTreeSet::new(),
            files: 0,
            bytes: 0,
            tx: writers.tx.clone(),
        })
    }

    fn write(&mut self, rel: &str, parts: &[&str]) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent()
            && !self.dirs.contains(parent)
        {
            fs::create_dir_all(parent)?;
            self.dirs.insert(parent.to_path_buf());
        }
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut buf = Vec::with_capacity(len);
        for p in parts {
            buf.extend_from_slice(p.as_bytes());
        }
        self.tx
            .send((path, buf))
            .map_err(|_| io::Error::other("the writer threads stopped"))?;
        self.files += 1;
        self.bytes += len as u64;
        Ok(())
    }
}

#[derive(Default)]
struct Counts {
    meetings: usize,
    notices: usize,
    smallest: usize,
    largest: usize,
}

fn run(args: &Args) -> io::Result<()> {
    let started = Instant::now();
    let n = args.meetings;
    let per_year = (n / 40).clamp(1, PER_YEAR);
    let years = n.div_ceil(per_year).max(1);
    let last_year = FIRST_YEAR + years as i32 - 1;

    let mut rng = fastrand::Rng::with_seed(args.seed);
    let world = World::new(&mut rng, n, FIRST_YEAR, last_year);

    let writers = Writers::new(4);
    let mut out = Out::new(&args.out, &["content"], &writers)?;
    let mut hugo_out = match &args.hugo {
        Some(dir) => Some(Out::new(
            dir,
            &["content", "layouts", "hugo.toml"],
            &writers,
        )?),
        None => None,
    };

    out.write("content/site.yaml", &[&world.site_yaml(args.seed)])?;
    out.write("content/bodies.yaml", &[&world.bodies_yaml()])?;
    out.write(
        "content/municipalities.yaml",
        &[&world.municipalities_yaml()],
    )?;
    let mut by_id: Vec<&world::Thread> = world.threads.iter().collect();
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    for t in &by_id {
        out.write(
            &format!("content/threads/{}.md", t.id),
            &[&world.thread_md(t)],
        )?;
    }
    if let Some(h) = hugo_out.as_mut() {
        h.write("hugo.toml", &[&hugo::config(args.seed)])?;
        for (path, text) in hugo::TEMPLATES {
            h.write(path, &[text])?;
        }
        for (path, text) in hugo::fixed_pages(&world) {
            h.write(&path, &[&text])?;
        }
        for t in &by_id {
            h.write(
                &format!("content/saker/{}/_index.md", t.id),
                &[&hugo::thread_page(&world, t)],
            )?;
        }
    }

    let mut g = Gen::new(&world, args.seed);
    let mut counts = Counts {
        smallest: usize::MAX,
        ..Counts::default()
    };
    let mut outside_size = 0;
    let base = n / years;
    let extra = n % years;
    for y in 0..years {
        let year = FIRST_YEAR + y as i32;
        let count = base + usize::from(y < extra);
        for (date, body) in g.schedule_year(year, count, PER_BODY_YEAR) {
            let has_notice = g.roll_notice();
            let m = g.meeting(body, date, has_notice);
            let slug = meeting::meeting_slug(&world, body, date);
            let dir = format!("content/meetings/{}", date.year());
            let mut docs = vec![Doc::Minutes];
            if m.has_notice {
                docs.push(Doc::Notice);
            }
            for doc in docs {
                let fm = m.front_matter(&world, doc);
                let text = m.body(doc);
                let name = match doc {
                    Doc::Minutes => format!("{dir}/{slug}.md"),
                    Doc::Notice => format!("{dir}/{slug}-innkalling.md"),
                };
                out.write(&name, &[&fm, &text])?;
                if doc == Doc::Minutes {
                    let size = fm.len() + text.len();
                    counts.smallest = counts.smallest.min(size);
                    counts.largest = counts.largest.max(size);
                    if !(2048..=16384).contains(&size) {
                        outside_size += 1;
                    }
                    counts.meetings += 1;
                } else {
                    counts.notices += 1;
                }
                if let Some(h) = hugo_out.as_mut() {
                    let (path, hfm) = hugo::meeting_page(&world, &m, doc);
                    h.write(&path, &[&hfm, &hugo::body(&text)])?;
                }
            }
        }
    }
    if outside_size > 0 {
        eprintln!("gen-archive: warning: {outside_size} minutes are outside 2–16 KiB");
    }
    let mut line = format!(
        "gen-archive: {} meetings ({} with a notice), {} threads, {} municipalities, years {FIRST_YEAR}–{last_year}: \
         wrote {} files, {} bytes to {} (minutes {}–{} bytes)",
        counts.meetings,
        counts.notices,
        world.threads.len(),
        world.municipalities.len(),
        out.files,
        out.bytes,
        args.out.display(),
        if counts.meetings > 0 {
            counts.smallest
        } else {
            0
        },
        counts.largest,
    );
    if let (Some(h), Some(dir)) = (&hugo_out, &args.hugo) {
        line.push_str(&format!(
            "; Hugo: {} files, {} bytes to {}",
            h.files,
            h.bytes,
            dir.display()
        ));
    }
    drop(out);
    drop(hugo_out);
    writers.finish()?;
    line.push_str(&format!("; {:.2} s", started.elapsed().as_secs_f64()));
    println!("{line}");
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if e.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("gen-archive: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-archive: {e}");
            ExitCode::FAILURE
        }
    }
}
