//! `saksgang new`: writes a new document into the archive, started from what the
//! archive already knows, so that a secretary edits instead of typing front matter.
//!
//! - `new minutes --body ID --date D` and `new notice --body ID --date D`: the
//!   body, time and place of the body's last meeting (before D), its members as
//!   `present:` (minutes only), the next item number, and one skeleton item.
//! - `new minutes --from-notice FILE`: the notice's meeting and items, byte for
//!   byte, with each proposal heading turned into a decision heading, so that the
//!   proposal is the decision's starting text.
//! - `new thread ID --title T`: a thread file.
//!
//! Like every command it reads the archive through [`read_archive`] (load →
//! resolve), computes the new file's text from the model, and writes it as a new
//! file: it never overwrites one, and on a failure leaves nothing behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::build::{BuildFailure, read_archive};
use crate::diag::{self, Diagnostic, Sources};
use crate::model::{
    Affiliation, Archive, BodyId, DecisionKind, Document, DocumentKind, ItemNumber, Meeting, Part,
};

/// What to write.
#[derive(Debug, Clone)]
pub enum Request {
    /// Minutes of a new meeting of `body` on `date` (as typed, `YYYY-MM-DD`).
    Minutes {
        /// A body id.
        body: String,
        /// The date as typed.
        date: String,
    },
    /// A notice of a new meeting.
    Notice {
        /// A body id.
        body: String,
        /// The date as typed.
        date: String,
    },
    /// The minutes of the meeting of a notice, started from the notice.
    MinutesFromNotice {
        /// The notice file, as typed (relative to the working folder, the archive
        /// folder, or its `content/`).
        notice: PathBuf,
    },
    /// A thread file.
    Thread {
        /// The thread id (file name).
        id: String,
        /// Its title.
        title: String,
    },
}

/// A written file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Its path under the archive folder, with `/`: `content/meetings/2026/…`.
    pub path: String,
    /// What the writer does next, in Norwegian.
    pub next: String,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum Failure {
    /// The archive has errors; they come first.
    Archive(BuildFailure),
    /// The request cannot be done.
    Problem(Diagnostic),
}

impl Failure {
    /// The messages, as `check` prints them.
    pub fn render(&self, color: bool) -> String {
        match self {
            Failure::Archive(f) => {
                let mut out = diag::render(&f.diagnostics, &f.sources, color);
                out.push_str(
                    "arkivet har feil; rett dem først (saksgang check viser dem), ingenting ble skrevet\n",
                );
                out
            }
            Failure::Problem(d) => {
                diag::render(std::slice::from_ref(d), &Sources::default(), color)
            }
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Problem(d)
    }
}

/// `root/content`, or the error that there is none (for `new` and `import`).
pub(crate) fn content_dir(root: &Path) -> Result<PathBuf, Failure> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::global(format!(
            "fant ikke mappen {}",
            content.display()
        ))
        .help("kjør kommandoen i arkivmappen (den som har content/), eller oppgi den med --root")
        .into());
    }
    Ok(content)
}

/// Writes the document `request` asks for into the archive under `root`.
pub fn new(root: &Path, request: &Request) -> Result<Written, Failure> {
    let content = content_dir(root)?;
    let (path, text, next) = match request {
        Request::Thread { id, title } => {
            let (path, text) = thread(&content, id, title)?;
            (
                path,
                text,
                "åpne den og skriv bakgrunnen; knytt saker til den under items: i møtefilene"
                    .to_string(),
            )
        }
        _ => {
            let (archive, sources, _) = read_archive(root).map_err(Failure::Archive)?;
            match request {
                Request::Minutes { body, date } => {
                    let (path, text, notice) = fresh(&archive, body, date, DocumentKind::Minutes)?;
                    let next = match notice {
                        None => "åpne den og skriv referatet".to_string(),
                        Some(n) => format!(
                            "åpne den og skriv referatet; møtet har en innkalling, så vil du heller \
                             starte fra den, slett filen og kjør saksgang new minutes --from-notice content/{n}"
                        ),
                    };
                    (path, text, next)
                }
                Request::Notice { body, date } => {
                    let (path, text, _) = fresh(&archive, body, date, DocumentKind::Notice)?;
                    (path, text, "åpne den og skriv innkallingen".to_string())
                }
                Request::MinutesFromNotice { notice } => {
                    let (path, text) = from_notice(&archive, &sources, root, notice)?;
                    (
                        path,
                        text,
                        "åpne den og rett vedtakene (og resten) til det møtet besluttet"
                            .to_string(),
                    )
                }
                Request::Thread { .. } => unreachable!("handled above"),
            }
        }
    };
    let file = content.join(&path);
    if file.exists() || file.is_symlink() {
        return Err(exists(&format!("content/{path}")).into());
    }
    let mut made = Vec::new();
    if let Err((at, e)) = crate::init::write_new(&file, &text, &mut made) {
        for d in made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        if e.kind() == std::io::ErrorKind::AlreadyExists && at == file {
            return Err(exists(&format!("content/{path}")).into());
        }
        let (what, hint) = diag::io_problem(&e);
        return Err(
            Diagnostic::global(format!("kunne ikke skrive {}: {what}", at.display()))
                .help(format!("{hint}; ingenting ble skrevet"))
                .into(),
        );
    }
    Ok(Written {
        path: format!("content/{path}"),
        next,
    })
}

fn exists(path: &str) -> Diagnostic {
    Diagnostic::global(format!(
        "{path} finnes allerede; saksgang new skriver aldri over en fil"
    ))
    .help("åpne den filen og skriv videre der, eller velg en annen dato")
}

/// The body with id `id`, or an error naming the known ones.
fn body(archive: &Archive, id: &str) -> Result<BodyId, Diagnostic> {
    if let Some(i) = archive.bodies.iter().position(|b| b.id == id) {
        return Ok(BodyId(i));
    }
    let known: Vec<&str> = archive.bodies.iter().map(|b| b.id.as_str()).collect();
    let guess = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(id, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k);
    let list = known.join(", ");
    let help = match guess {
        Some(g) => format!("mente du «{g}»? Organene i content/bodies.yaml er: {list}"),
        None if known.is_empty() => "content/bodies.yaml har ingen organer ennå".to_string(),
        None => format!("organene i content/bodies.yaml er: {list}"),
    };
    Err(Diagnostic::global(format!("ukjent organ «{id}»")).help(help))
}

/// A date typed as `YYYY-MM-DD`.
fn date(typed: &str) -> Result<NaiveDate, Diagnostic> {
    let ok = typed.len() == 10 && typed.as_bytes()[4] == b'-' && typed.as_bytes()[7] == b'-';
    ok.then(|| NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            Diagnostic::global(format!("«{typed}» er ikke en dato"))
                .help("skriv datoen som ÅÅÅÅ-MM-DD, for eksempel --date 2026-12-03")
        })
}

/// The body's last meeting before `date` (or, when `date` is before all of them,
/// its last meeting at all): the last with minutes, or else the last with a notice.
fn last_meeting(archive: &Archive, body: BodyId, date: NaiveDate) -> Option<&Meeting> {
    let before = |limit: Option<NaiveDate>| {
        archive
            .meetings
            .iter()
            .filter(move |m| m.body == body && limit.is_none_or(|d| m.date < d))
    };
    [Some(date), None].into_iter().find_map(|limit| {
        before(limit)
            .rfind(|m| m.minutes.is_some())
            .or_else(|| before(limit).next_back())
    })
}

/// The leading digits of an item number: `06b` → 6.
fn leading_number(n: &str) -> Option<u32> {
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A new minutes or notice for `body` on `date`.
fn fresh(
    archive: &Archive,
    body_id: &str,
    typed_date: &str,
    kind: DocumentKind,
) -> Result<(String, String, Option<String>), Diagnostic> {
    let b = body(archive, body_id)?;
    let date = date(typed_date)?;
    let body_id = archive.bodies[b.0].id.as_str();
    let slug = format!("{date}-{body_id}");
    let existing = archive
        .meetings
        .iter()
        .filter(|m| m.body == b && m.date == date)
        .find_map(|m| match kind {
            DocumentKind::Minutes => m.minutes.as_deref(),
            DocumentKind::Notice => m.notice.as_deref(),
        });
    if let Some(doc) = existing {
        let what = match kind {
            DocumentKind::Minutes => "et referat",
            DocumentKind::Notice => "en innkalling",
        };
        return Err(Diagnostic::global(format!(
            "{body_id} har allerede {what} fra {date}: content/{}",
            doc.content_path
        ))
        .help("saksgang new skriver aldri over en fil; åpne den og skriv videre der"));
    }
    let notice = archive
        .meetings
        .iter()
        .filter(|m| m.body == b && m.date == date && kind == DocumentKind::Minutes)
        .find_map(|m| m.notice.as_deref())
        .map(|n| n.content_path.clone());
    let last = last_meeting(archive, b, date);
    let last_doc = last.map(Meeting::main_document);
    let mut out = String::from("---\n");
    line(&mut out, "body", body_id);
    out.push_str(match kind {
        DocumentKind::Minutes => "document: minutes\n",
        DocumentKind::Notice => "document: notice\n",
    });
    out.push_str(&format!("date: {date}\n"));
    if let Some(doc) = last_doc {
        if let Some(t) = &doc.time {
            out.push_str(&format!("time: {}\n", quoted(t)));
        }
        if let Some(p) = &doc.place {
            line(&mut out, "place", p);
        }
    }
    if kind == DocumentKind::Minutes {
        members(archive, last_doc, date, &mut out);
    }
    out.push_str("---\n");
    if let (Some(m), Some(doc)) = (last, last_doc) {
        out.push_str(&format!(
            "<!-- Laget av saksgang new fra møtet {} (content/{}): rett det som var annerledes i dette møtet. -->\n",
            m.date, doc.content_path
        ));
    }
    // The numbering: per meeting where the last meeting numbered so, else through the year.
    let first_item = last_doc.and_then(|d| d.items.first());
    let label = first_item.and_then(|i| i.label()).unwrap_or("Sak");
    let number = match first_item.map(|i| &i.number) {
        Some(ItemNumber::Meeting { .. }) => {
            let dot = first_item.is_some_and(|i| i.number_as_written().ends_with('.'));
            if dot { "1." } else { "1" }.to_string()
        }
        _ => {
            let used = archive
                .meetings
                .iter()
                .filter(|m| m.body == b && m.date != date)
                .flat_map(Meeting::documents)
                .flat_map(|d| &d.items)
                .filter(|i| i.number.year() == Some(date.year()))
                .filter_map(|i| leading_number(i.number.number()))
                .max()
                .unwrap_or(0);
            format!("{:02}/{}", used + 1, date.year())
        }
    };
    let (block, placeholder) = match kind {
        DocumentKind::Minutes => ("Vedtak", "Vedtaket skrives her."),
        DocumentKind::Notice => ("Forslag til vedtak", "Forslaget til vedtak skrives her."),
    };
    out.push_str(&format!(
        "\n## {label} {number} Tittel på saken\n\nSaksteksten skrives her.\n\n### {block}\n\n{placeholder}\n"
    ));
    let folder = date.year();
    let name = match kind {
        DocumentKind::Minutes => format!("{slug}.md"),
        DocumentKind::Notice => format!("{slug}-innkalling.md"),
    };
    Ok((format!("meetings/{folder}/{name}"), out, notice))
}

/// `present:` from the last meeting's members: a substitute's line names the
/// member they stood in for (the body's regular member), with the same
/// municipality and role; notes of that day are dropped, and so are members of
/// a municipality that no longer exists on `date` (merged: `valid_to` before it). Those who sent
/// apologies follow as comments, for the writer to move up if they came: the
/// file claims no attendance the writer did not confirm by leaving a line in.
fn members(archive: &Archive, last: Option<&Document>, date: NaiveDate, out: &mut String) {
    let Some(doc) = last else { return };
    let mut seen: Vec<(&str, &Affiliation)> = Vec::new();
    let (mut present, mut absent) = (Vec::new(), Vec::new());
    let lists = [(&doc.present, &mut present), (&doc.absent, &mut absent)];
    for (list, lines) in lists {
        for p in list {
            let name: &str = p.substitute_for.as_deref().unwrap_or(&p.name);
            let gone = match &p.affiliation {
                Affiliation::Municipality(id) => archive.municipalities[id.0]
                    .valid_to
                    .is_some_and(|to| to < date),
                Affiliation::Organisation(_) => false,
            };
            if gone || seen.contains(&(name, &p.affiliation)) {
                continue;
            }
            seen.push((name, &p.affiliation));
            lines.push(participant(archive, name, p));
        }
    }
    if !present.is_empty() || !absent.is_empty() {
        out.push_str("present:\n");
        present
            .iter()
            .for_each(|l| out.push_str(&format!("  {l}\n")));
        if !absent.is_empty() {
            out.push_str("  # forfall i forrige møte; kom de, fjern # foran linjen:\n");
            absent
                .iter()
                .for_each(|l| out.push_str(&format!("  # {l}\n")));
        }
    }
    if !doc.secretariat.is_empty() {
        let names: Vec<String> = doc.secretariat.iter().map(|s| plain_or_quoted(s)).collect();
        out.push_str(&format!("secretariat: [{}]\n", names.join(", ")));
    }
}

/// `- { name: …, municipality: …, role: … }` for `p` under `name`.
fn participant(archive: &Archive, name: &str, p: &crate::model::Participant) -> String {
    let mut fields = vec![format!("name: {}", plain_or_quoted(name))];
    match &p.affiliation {
        Affiliation::Municipality(id) => {
            fields.push(format!("municipality: {}", archive.municipalities[id.0].id));
        }
        Affiliation::Organisation(o) => {
            fields.push(format!("organisation: {}", plain_or_quoted(o)));
        }
    }
    if let Some(r) = &p.role {
        fields.push(format!("role: {}", plain_or_quoted(r)));
    }
    if let Some(g) = &p.group {
        fields.push(format!("group: {}", plain_or_quoted(g)));
    }
    format!("- {{ {} }}", fields.join(", "))
}

/// `key: value\n`, the value quoted where YAML needs it.
fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(&format!("{key}: {}\n", plain_or_quoted(value)));
}

/// A YAML scalar that reads back as `s`, also inside `{ … }` and `[ … ]`: as
/// written where that is safe, else in double quotes.
pub(crate) fn plain_or_quoted(s: &str) -> String {
    let safe = s.chars().next().is_some_and(char::is_alphabetic)
        && !s.ends_with(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -.'()/–—+".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if safe { s.to_string() } else { quoted(s) }
}

/// `s` in YAML double quotes.
fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// The minutes of a notice's meeting, started from the notice.
fn from_notice(
    archive: &Archive,
    sources: &Sources,
    root: &Path,
    typed: &Path,
) -> Result<(String, String), Diagnostic> {
    let content = root.join("content");
    let canonical_content = content.canonicalize().unwrap_or(content.clone());
    let candidates = [typed.to_path_buf(), root.join(typed), content.join(typed)];
    let wanted: Option<String> = candidates.iter().find_map(|c| {
        let c = c.canonicalize().ok()?;
        let rel = c.strip_prefix(&canonical_content).ok()?;
        Some(
            rel.components()
                .map(|p| p.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    });
    let Some(wanted) = wanted else {
        return Err(Diagnostic::global(format!(
            "fant ikke innkallingen {} i arkivet {}",
            typed.display(),
            content.display()
        ))
        .help("oppgi innkallingsfilen, for eksempel content/meetings/2018/2018-02-22-khs-radmannsmote-innkalling.md"));
    };
    let found = archive.meetings.iter().find_map(|m| {
        m.documents()
            .find(|d| d.content_path == wanted)
            .map(|d| (m, d))
    });
    let Some((meeting, notice)) = found else {
        return Err(Diagnostic::global(format!(
            "content/{wanted} er ikke et møtedokument i arkivet"
        ))
        .help("oppgi en innkalling under content/meetings/, med document: notice"));
    };
    if notice.kind != DocumentKind::Notice {
        return Err(Diagnostic::global(format!(
            "content/{wanted} er et referat, ikke en innkalling (document: minutes)"
        ))
        .help("oppgi innkallingen til møtet, filen som slutter på -innkalling.md"));
    }
    let b = meeting.body;
    let body_id = archive.bodies[b.0].id.as_str();
    if let Some(minutes) = &meeting.minutes {
        return Err(Diagnostic::global(format!(
            "{body_id} har allerede et referat fra {}: content/{}",
            meeting.date, minutes.content_path
        ))
        .help("saksgang new skriver aldri over en fil; åpne den og skriv videre der"));
    }
    let text = &*sources.text(notice.file);
    let mut out = String::from("---\n");
    line(&mut out, "body", body_id);
    out.push_str("document: minutes\n");
    out.push_str(&format!("date: {}\n", meeting.date));
    if let Some(e) = meeting.end_date {
        out.push_str(&format!("end_date: {e}\n"));
    }
    let own_slug = meeting
        .slug
        .strip_prefix(&format!("{}-{body_id}-", meeting.date))
        .filter(|s| !s.is_empty());
    if let Some(s) = own_slug {
        line(&mut out, "slug", s);
    }
    if let Some(t) = &notice.time {
        out.push_str(&format!("time: {}\n", quoted(t)));
    }
    if let Some(p) = &notice.place {
        line(&mut out, "place", p);
    }
    if notice.present.is_empty() {
        members(
            archive,
            last_meeting(archive, b, meeting.date).map(Meeting::main_document),
            meeting.date,
            &mut out,
        );
    } else {
        members(archive, Some(notice), meeting.date, &mut out);
    }
    // The items' threads, as the notice has them.
    let mut threads: BTreeMap<usize, (String, Vec<&str>)> = BTreeMap::new();
    let mut order = Vec::new();
    for item in &notice.items {
        for t in &item.threads {
            let key = match &t.sub_item {
                Some(s) => format!("{} {s}", item.number.display()),
                None => item.number.display(),
            };
            let pos = order.iter().position(|k| *k == key).unwrap_or_else(|| {
                order.push(key.clone());
                order.len() - 1
            });
            threads
                .entry(pos)
                .or_insert_with(|| (key, Vec::new()))
                .1
                .push(archive.threads[t.thread.0].id.as_str());
        }
    }
    if !threads.is_empty() {
        out.push_str("items:\n");
        for (key, ids) in threads.values() {
            let ids = if ids.len() == 1 {
                ids[0].to_string()
            } else {
                format!("[{}]", ids.join(", "))
            };
            out.push_str(&format!("  {}: {{ thread: {ids} }}\n", quoted(key)));
        }
    }
    out.push_str("---\n");
    out.push_str(&format!(
        "<!-- Laget av saksgang new fra innkallingen content/{wanted}: hvert forslag til vedtak står som vedtak; rett det møtet endret. -->\n\n"
    ));
    // The items, byte for byte, with each proposal heading made a decision heading.
    let start = notice
        .items
        .first()
        .map_or(text.len(), |i| line_start(text, i.heading_span.start));
    let mut cuts: Vec<(std::ops::Range<usize>, String)> = notice
        .items
        .iter()
        .flat_map(|i| &i.parts)
        .filter_map(|p| match p {
            Part::Decision(d) if d.kind == DecisionKind::Proposal => Some(d),
            _ => None,
        })
        .filter_map(|d| {
            let end = text[..d.body.range.start].trim_end().len();
            let begin = line_start(text, end);
            let heading = &text[begin..end];
            let hashes = heading.trim_start();
            if !hashes.starts_with('#') || begin < start {
                return None;
            }
            let indent = &heading[..heading.len() - hashes.len()];
            let level = "#".repeat(usize::from(d.level));
            let colon = if d.heading.trim_end().ends_with(':') {
                ":"
            } else {
                ""
            };
            Some((begin..end, format!("{indent}{level} Vedtak{colon}")))
        })
        .collect();
    cuts.sort_by_key(|(r, _)| r.start);
    let mut at = start;
    for (range, replacement) in cuts {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    let folder = meeting.date.year();
    Ok((format!("meetings/{folder}/{}.md", meeting.slug), out))
}

/// The start of the line that holds byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// A new thread file.
fn thread(content: &Path, id: &str, title: &str) -> Result<(String, String), Diagnostic> {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(Diagnostic::global(format!(
            "«{id}» kan ikke brukes som id for en saksgang"
        ))
        .help("id-en blir filnavnet og adressen /saker/ID/: bruk bare a–z, 0–9 og bindestrek, for eksempel ny-skolestruktur"));
    }
    if title.trim().is_empty() {
        return Err(Diagnostic::global("saksgangen trenger en tittel")
            .help("oppgi den med --title, for eksempel --title \"Ny skolestruktur\""));
    }
    let path = format!("threads/{id}.md");
    if content.join(&path).exists() {
        return Err(Diagnostic::global(format!(
            "saksgangen «{id}» finnes allerede: content/{path}"
        ))
        .help("saksgang new skriver aldri over en fil; velg en annen id, eller åpne den filen"));
    }
    let text = format!(
        "---\ntitle: {}\nstatus: open                # open = under behandling, decided = vedtatt, closed = avsluttet\n---\n\
         <!-- Bakgrunnen for saken, med egne ord. Saker kobles hit fra møtefilene: items: {{ \"NN/ÅÅÅÅ\": {{ thread: {id} }} }} -->\n",
        plain_or_quoted(title)
    );
    Ok((path, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_where_yaml_needs_it() {
        assert_eq!(plain_or_quoted("Drammen rådhus"), "Drammen rådhus");
        assert_eq!(plain_or_quoted("Hansen, Kari"), "\"Hansen, Kari\"");
        assert_eq!(plain_or_quoted("Sal: 2"), "\"Sal: 2\"");
        assert_eq!(plain_or_quoted("no"), "\"no\"");
        assert_eq!(plain_or_quoted("2. etasje"), "\"2. etasje\"");
        assert_eq!(quoted("a \"b\" \\"), "\"a \\\"b\\\" \\\\\"");
    }
}
