//! Text lines of an extracted document back into Markdown paragraphs and lists:
//! PDF line breaks joined, stray spaces collapsed, hyphenation at a line end undone
//! only where the joined word is in the document elsewhere, list markers (`•`, `-`,
//! `1.`, `a)`) kept as list items. Words are never changed.

use std::collections::HashSet;

/// Words that cannot end a sentence: a paragraph ending in one goes on after a blank line.
const GOES_ON: &[&str] = &[
    "i", "og", "av", "til", "for", "med", "på", "som", "en", "et", "ei", "den", "det", "om", "fra",
    "ved", "at", "å", "eller", "de", "der", "mellom", "under", "etter", "mot", "samt", "hhv",
    "the", "and", "men", "når", "ikke", "har", "er", "skal", "vil", "kan", "må", "blir",
];

/// The words of a whole document, lower-cased, for undoing hyphenation.
pub(crate) fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
        .map(str::to_lowercase)
        .collect()
}

/// `s` trimmed, with every run of white space one space.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The Markdown list marker a line starts with, as it is to be written, and the rest.
pub(crate) fn list_marker(t: &str) -> Option<(String, &str)> {
    for b in ["- ", "• ", "* ", "– ", "· ", "▪ ", "o "] {
        if let Some(rest) = t.strip_prefix(b) {
            // "o" is a bullet only before a capital; a dash before a number is a
            // range broken over a line ("2019 \n– 2023").
            if (b == "o " && !rest.starts_with(char::is_uppercase))
                || (b != "o " && rest.starts_with(|c: char| c.is_ascii_digit()))
            {
                continue;
            }
            return Some(("-".to_string(), rest.trim_start()));
        }
    }
    if let Some(rest) = t.strip_prefix('•') {
        return Some(("-".to_string(), rest.trim_start()));
    }
    // `1.`, `12)`, `a)`: an ordered item, unless it is a date (`9. juni`).
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let (marker_len, ok) = if (1..=2).contains(&digits) {
        (
            digits + 1,
            matches!(t.as_bytes().get(digits), Some(b'.' | b')')),
        )
    } else {
        let mut cs = t.chars();
        let first = cs.next();
        (
            2,
            first.is_some_and(|c| c.is_ascii_lowercase()) && cs.next() == Some(')'),
        )
    };
    if !ok || !t[marker_len..].starts_with(' ') {
        return None;
    }
    let rest = t[marker_len..].trim_start();
    let first_word = rest.split_whitespace().next().unwrap_or("").to_lowercase();
    if crate::norsk::MONTHS.contains(&first_word.as_str()) || rest.is_empty() {
        return None;
    }
    Some((t[..marker_len].to_string(), rest))
}

#[derive(Debug)]
struct Block {
    marker: Option<String>,
    text: String,
    lines: usize,
    /// Characters of the last line put into it.
    last: usize,
}

/// Whether a text ends a sentence (or a heading-like line).
fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '”', '»', '\'', ')', '*']);
    t.ends_with(['.', ':', '!', '?', ';'])
}

/// Joins `next` (one line) onto `prev`, undoing a hyphenation at the end of `prev`
/// only where the joined word is in `known`.
fn join(prev: &mut String, next: &str, known: &HashSet<String>) {
    let hyphenated = prev.ends_with('-')
        && prev[..prev.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
    if hyphenated {
        let head_start = prev[..prev.len() - 1]
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| {
                i + prev[i..].chars().next().map_or(1, char::len_utf8)
            });
        let head = &prev[head_start..prev.len() - 1];
        let tail: String = next.chars().take_while(|c| c.is_alphanumeric()).collect();
        let tail_lower = tail.to_lowercase();
        if matches!(tail_lower.as_str(), "og" | "eller" | "samt" | "til") {
            prev.push(' ');
        } else if !tail.is_empty()
            && tail.starts_with(char::is_lowercase)
            && known.contains(&format!("{head}{tail}").to_lowercase())
        {
            prev.pop();
        }
        prev.push_str(next);
        return;
    }
    prev.push(' ');
    prev.push_str(next);
}

/// A run of text lines as Markdown, and what the writer may want to look at.
#[derive(Debug, Default)]
pub(crate) struct Flowed {
    /// The Markdown.
    pub(crate) text: String,
    /// Input lines of short lines that stand alone (a page header or footer, maybe).
    pub(crate) lone: Vec<usize>,
    /// Input lines of paragraphs after the first that end in a colon and are
    /// followed by a paragraph, not a list: in a decision, maybe a heading of its own.
    pub(crate) leads: Vec<usize>,
    /// Bytes handled, for the tests of linear cost.
    pub(crate) work: usize,
}

/// A run of text lines (blank ones included) as Markdown. `width` is the length of
/// the longest line of the document: the width its paragraphs are set in.
pub(crate) fn reflow(lines: &[(usize, &str)], known: &HashSet<String>, width: usize) -> Flowed {
    let work = lines.iter().map(|(_, l)| l.len() + 1).sum::<usize>();
    let mut blocks: Vec<Block> = Vec::new();
    let mut lone = Vec::new();
    let mut blank = true;
    let mut block_line = Vec::new();
    for &(no, raw) in lines {
        let t = collapse(raw);
        let len = t.chars().count();
        if t.is_empty() {
            blank = true;
            continue;
        }
        if let Some((marker, rest)) = list_marker(&t) {
            blocks.push(Block {
                marker: Some(marker),
                text: rest.to_string(),
                lines: 1,
                last: len,
            });
            block_line.push(no);
        } else if let Some(prev) = blocks.last_mut().filter(|p| {
            let last_word = p
                .text
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_lowercase();
            let ended = ends_sentence(&p.text);
            let goes_on = !ended
                && (t.starts_with(|c: char| {
                    c.is_lowercase() || c.is_ascii_digit() || matches!(c, '(' | '–' | '-')
                }) || GOES_ON.contains(&last_word.as_str())
                    || p.text.ends_with('-'));
            if blank {
                return goes_on;
            }
            // A line break inside a paragraph, unless the line before stopped well
            // short of the width (a real break: an address, a heading, a Word
            // paragraph) and this one starts anew.
            let short = if ended {
                p.last * 4 < width * 3
            } else {
                p.last * 2 < width
            };
            goes_on || !short || !t.starts_with(char::is_uppercase)
        }) {
            join(&mut prev.text, &t, known);
            prev.lines += 1;
            prev.last = len;
        } else {
            blocks.push(Block {
                marker: None,
                text: t.clone(),
                lines: 1,
                last: len,
            });
            block_line.push(no);
        }
        blank = false;
    }
    let mut out = String::new();
    let mut leads = Vec::new();
    for (i, b) in blocks.iter().enumerate().skip(1) {
        let followed = blocks.get(i + 1).is_some_and(|n| n.marker.is_none());
        if b.marker.is_none() && b.text.ends_with(':') && followed {
            leads.push(block_line[i]);
        }
    }
    // The kind of list the previous block was in: bullets, numbers, or none.
    let mut prev_list: Option<bool> = None;
    for (b, &no) in blocks.iter().zip(&block_line) {
        let list = b.marker.as_ref().map(|m| m == "-");
        if !out.is_empty() {
            out.push_str(if list.is_some() && list == prev_list {
                "\n"
            } else {
                "\n\n"
            });
        }
        match &b.marker {
            Some(m) => {
                out.push_str(m);
                out.push(' ');
            }
            None => {
                if b.lines == 1
                    && b.text.split_whitespace().count() <= 3
                    && !ends_sentence(&b.text)
                    && b.text.starts_with(char::is_uppercase)
                {
                    lone.push(no);
                }
                if b.text.starts_with(['#', '>', '=', '+', '|']) {
                    out.push('\\');
                }
            }
        }
        out.push_str(&b.text);
        prev_list = list;
    }
    let work = work + out.len();
    Flowed {
        text: out,
        lone,
        leads,
        work,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(text: &str) -> String {
        let lines: Vec<(usize, &str)> = text.lines().enumerate().collect();
        let width = lines
            .iter()
            .map(|(_, l)| l.chars().count())
            .max()
            .unwrap_or(0);
        reflow(&lines, &words(text), width).text
    }

    #[test]
    fn pdf_line_breaks_are_joined_and_paragraphs_kept() {
        assert_eq!(
            flow("Til behandling   foreligger referat\n  fra møte 23.02.2017.\n\nNytt avsnitt."),
            "Til behandling foreligger referat fra møte 23.02.2017.\n\nNytt avsnitt."
        );
    }

    #[test]
    fn a_sentence_broken_over_a_blank_line_goes_on() {
        assert_eq!(
            flow(
                "og innholdet i\n\nsamarbeidet, må inkludere.\n\nrepresentert i\n\nSamarbeidsstyret og en gruppe."
            ),
            "og innholdet i samarbeidet, må inkludere.\n\nrepresentert i Samarbeidsstyret og en gruppe."
        );
        // After a full stop a new paragraph starts, whatever the case.
        assert_eq!(flow("Godkjent.\n\nneste"), "Godkjent.\n\nneste");
    }

    #[test]
    fn hyphenation_is_undone_only_for_words_the_document_has() {
        // "plastsøppel" is nowhere else: the hyphen stays.
        assert_eq!(
            flow("lager kunst av plast-\nsøppel, er i gang"),
            "lager kunst av plast-søppel, er i gang"
        );
        // "kommunehelsetjenesten" is elsewhere: joined.
        assert_eq!(
            flow("spesialist- og kommune-\nhelsetjenesten. Hele kommunehelsetjenesten."),
            "spesialist- og kommunehelsetjenesten. Hele kommunehelsetjenesten."
        );
        // "Helse- og omsorg": the hyphen of a shared ending keeps its space.
        assert_eq!(
            flow("fra Helse-\nog omsorgsdepartementet"),
            "fra Helse- og omsorgsdepartementet"
        );
    }

    #[test]
    fn a_range_or_a_bracket_broken_over_a_blank_line_goes_on() {
        assert_eq!(
            flow(
                "innholdet i framlagte saksdokumenter\n\n(bakgrunnsnotat for perioden 2019\n\n– 2023)."
            ),
            "innholdet i framlagte saksdokumenter (bakgrunnsnotat for perioden 2019 – 2023)."
        );
    }

    #[test]
    fn a_line_that_stops_short_is_a_real_break() {
        assert_eq!(
            flow(
                "Kommunehelsesamarbeidet\nVestre Viken helseområde\nDen første linjen i et avsnitt som er satt ganske bredt\nfortsetter her."
            ),
            "Kommunehelsesamarbeidet\n\nVestre Viken helseområde\n\nDen første linjen i et avsnitt som er satt ganske bredt fortsetter her."
        );
    }

    #[test]
    fn a_colon_paragraph_before_a_paragraph_is_noted() {
        let text = "Vedtatt.\n\nUtredningen skal omfatte:\n\n- Kostnader\n\nFølgende tidsplan ble lagt:\n\nNy avtale i november.";
        let lines: Vec<(usize, &str)> = text.lines().enumerate().collect();
        assert_eq!(reflow(&lines, &words(text), 30).leads, vec![6]);
    }

    #[test]
    fn lists_stay_lists() {
        assert_eq!(
            flow(
                "• Første punkt som\n  fortsetter.\n• Andre punkt.\n\n1. Ett\n2. To\nDatoen er\n9. juni 2017."
            ),
            "- Første punkt som fortsetter.\n- Andre punkt.\n\n1. Ett\n2. To\n\nDatoen er 9. juni 2017."
        );
    }

    #[test]
    fn short_lines_alone_are_reported() {
        let text = "Vedtaket lyder slik.\n\nKHS\n\nKommunehelsesamarbeidet\n\nSaken ble utsatt.";
        let lines: Vec<(usize, &str)> = text.lines().enumerate().collect();
        assert_eq!(reflow(&lines, &words(text), 30).lone, vec![2, 4]);
    }
}
