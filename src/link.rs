//! `saksgang link`: the public address of a meeting, an item or a thread, for
//! pasting into a meeting invitation. It reads and checks the archive like a
//! build does, and writes nothing.

use chrono::Datelike;

use crate::model::{Archive, Document, DocumentKind, ItemNumber, ThreadId};
use crate::render::urls;
use crate::resolve::{document_anchors, item_number, meeting_item_number};

/// What to find the address of.
#[derive(Debug, Clone)]
pub enum Query {
    /// A content file (`meetings/2017/x.md`, `content/threads/y.md`), optionally with `#anchor`.
    Path(String),
    /// An item by number (`04/2017` or `4/2017`), optionally of one body. A number
    /// with no year (`2`) is one within a meeting: the answer says to name the meeting.
    Item {
        /// The number as written.
        number: String,
        /// The body's id.
        body: Option<String>,
    },
    /// A thread by id.
    Thread(String),
}

/// The public addresses (under `base_url`) that answer the query, or why there are none.
pub fn find(archive: &Archive, query: &Query) -> Result<Vec<String>, String> {
    let base = archive.site.base_url.trim_end_matches('/');
    let full = |path: String| format!("{base}/{path}");
    match query {
        Query::Path(p) => {
            let p = p.trim_start_matches("@/").trim_start_matches("./");
            let p = p.strip_prefix("content/").unwrap_or(p);
            let (path, anchor) = match p.split_once('#') {
                Some((a, b)) => (a, Some(b).filter(|b| !b.is_empty())),
                None => (p, None),
            };
            let with_anchor = |url: String| match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url,
            };
            if let Some(id) = path
                .strip_prefix("threads/")
                .and_then(|t| t.strip_suffix(".md"))
            {
                let url = full(urls::thread(&archive.threads[thread(archive, id)?.0].id));
                if let Some(a) = anchor {
                    check_anchor(&url, a, &page_anchors(None))?;
                }
                return Ok(vec![with_anchor(url)]);
            }
            for m in &archive.meetings {
                for doc in m.documents() {
                    if doc.content_path == path {
                        let page = if doc.kind == DocumentKind::Notice && m.minutes.is_some() {
                            urls::notice(&m.slug)
                        } else {
                            urls::meeting(&m.slug)
                        };
                        let url = full(page);
                        if let Some(a) = anchor {
                            check_anchor(&url, a, &page_anchors(Some(doc)))?;
                        }
                        return Ok(vec![with_anchor(url)]);
                    }
                }
            }
            Err(format!(
                "fant ingen møtefil eller saksgang med stien {path} i content/"
            ))
        }
        Query::Thread(id) => {
            thread(archive, id).map(|t| vec![full(urls::thread(&archive.threads[t.0].id))])
        }
        Query::Item { number, body } => {
            let body_id = match body {
                Some(b) => Some(archive.bodies.iter().position(|x| &x.id == b).ok_or_else(
                    || format!("ukjent organ «{b}»; bruk en id fra content/bodies.yaml"),
                )?),
                None => None,
            };
            if let Some(n) = meeting_number(number) {
                return Err(in_meeting(archive, number, &n, body_id));
            }
            let (num, year) = number
                .split_once('/')
                .map(|(n, y)| (n.trim(), y.trim()))
                .filter(|(n, y)| !n.is_empty() && (y.len() == 4 || y.len() == 2))
                .ok_or_else(|| {
                    format!("«{number}» er ikke et saksnummer; skriv det som 04/2017")
                })?;
            let mut found = Vec::new();
            for m in archive
                .meetings
                .iter()
                .filter(|m| body_id.is_none_or(|b| m.body.0 == b))
            {
                let wanted = item_number(num, year, m.date.year());
                let has = |doc: Option<&Document>| {
                    doc.is_some_and(|d| d.items.iter().any(|i| i.number == wanted))
                };
                // The meeting page shows the minutes, or the notice until they come.
                let page = if has(m.minutes.as_deref())
                    || (m.minutes.is_none() && has(m.notice.as_deref()))
                {
                    urls::meeting(&m.slug)
                } else if has(m.notice.as_deref()) {
                    urls::notice(&m.slug)
                } else {
                    continue;
                };
                found.push(full(format!("{page}#{}", wanted.anchor())));
            }
            match found.len() {
                0 => Err(format!(
                    "fant ingen sak {number}{} i arkivet",
                    body.as_ref().map(|b| format!(" i {b}")).unwrap_or_default()
                )),
                _ => Ok(found),
            }
        }
    }
}

/// An item number with no year (`2`, `02`, `2.`): one numbered within its meeting.
fn meeting_number(number: &str) -> Option<ItemNumber> {
    let n = number.trim();
    let n = n.strip_suffix('.').unwrap_or(n);
    let digits = n.chars().take_while(char::is_ascii_digit).count();
    ((1..=3).contains(&digits)
        && n[digits..].chars().all(|c| c.is_ascii_lowercase())
        && n.len() <= digits + 1)
        .then(|| meeting_item_number(n))
}

/// Why `--sak 2` has no single address: every meeting that numbers its items has
/// a sak 2, so the meeting must be named, by its file with the item's anchor.
/// Shows that command for the first meetings (of the body) that have such an item.
fn in_meeting(archive: &Archive, written: &str, n: &ItemNumber, body: Option<usize>) -> String {
    const SHOWN: usize = 3;
    let mut files = Vec::new();
    let mut more = 0;
    for m in archive
        .meetings
        .iter()
        .filter(|m| body.is_none_or(|b| m.body.0 == b))
    {
        // The document the meeting page shows first: the minutes, then the notice.
        let has = |d: &&Document| d.items.iter().any(|i| &i.number == n);
        if let Some(doc) = m
            .minutes
            .as_deref()
            .filter(has)
            .or(m.notice.as_deref().filter(has))
        {
            if files.len() < SHOWN {
                files.push(format!(
                    "  saksgang link content/{}#{}",
                    doc.content_path,
                    n.anchor()
                ));
            } else {
                more += 1;
            }
        }
    }
    let w = written.trim();
    let mut message = format!(
        "sak {w} har ikke noe år, og saker uten år er nummerert per møte: nummeret alene sier ikke hvilket møte; oppgi møtefilen med ankeret #{}",
        n.anchor()
    );
    if files.is_empty() {
        message.push_str(&format!(
            ", som «saksgang link content/meetings/ÅÅÅÅ/ÅÅÅÅ-MM-DD-organ.md#{}»\nfant ingen møter{} med en sak {w} uten år; en sak med år skrives som --sak {w}/ÅÅÅÅ",
            n.anchor(),
            body.map(|b| format!(" i {}", archive.bodies[b].id)).unwrap_or_default(),
        ));
    } else {
        message.push_str(":\n");
        message.push_str(&files.join("\n"));
        if more > 0 {
            message.push_str(&format!("\nog {more} møter til"));
        }
    }
    message
}

/// The anchors a reader can be sent to on the page of `doc` (a thread page if
/// None): its items, the page's own sections, and the items' lettered points.
fn page_anchors(doc: Option<&Document>) -> Anchors {
    let mut main = Vec::new();
    let mut points = Vec::new();
    if let Some(doc) = doc {
        let items: Vec<String> = doc.items.iter().map(|i| i.number.anchor()).collect();
        for a in document_anchors(doc) {
            if items.contains(&a) {
                main.push(a);
            } else {
                points.push(a);
            }
        }
        if !doc.present.is_empty() || !doc.absent.is_empty() {
            main.push("deltakere".to_string());
        }
        if !doc.items.is_empty() {
            main.push("saksliste".to_string());
        }
    }
    main.push("innhold".to_string());
    Anchors { main, points }
}

/// The anchors of a page.
struct Anchors {
    /// Items and sections.
    main: Vec<String>,
    /// Points of items (`sak-08-2017-a`).
    points: Vec<String>,
}

/// Ok if `anchor` is on the page at `url`; otherwise which anchors there are.
fn check_anchor(url: &str, anchor: &str, anchors: &Anchors) -> Result<(), String> {
    let all = || anchors.main.iter().chain(&anchors.points);
    if all().any(|a| a == anchor) {
        return Ok(());
    }
    let near = all()
        .map(|a| (strsim::damerau_levenshtein(anchor, a), a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min();
    let mut message = format!("siden {url} har ikke ankeret «#{anchor}»");
    if let Some((_, a)) = near {
        message.push_str(&format!("; mente du «#{a}»?"));
    }
    const SHOWN: usize = 30;
    let list: Vec<String> = anchors
        .main
        .iter()
        .take(SHOWN)
        .map(|a| format!("#{a}"))
        .collect();
    message.push_str(&format!("\nankrene på siden: {}", list.join(", ")));
    if anchors.main.len() > SHOWN {
        message.push_str(&format!(" og {} til", anchors.main.len() - SHOWN));
    }
    if let Some(first) = anchors.points.first() {
        message.push_str(&format!(
            "\nog {}, som #{first}",
            crate::norsk::count(anchors.points.len(), "underpunkt", "underpunkter")
        ));
    }
    Err(message)
}

fn thread(archive: &Archive, id: &str) -> Result<ThreadId, String> {
    archive
        .threads
        .iter()
        .position(|t| t.id == id)
        .map(ThreadId)
        .ok_or_else(|| format!("fant ingen saksgang «{id}» i content/threads/"))
}
