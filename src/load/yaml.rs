//! YAML mistakes in plain Norwegian: what the writer did, where it starts, and how
//! to write it instead.
//!
//! The YAML parser names a mistake in its own English words, and for an unclosed
//! quote or bracket it often stops a line or two after the place where the writer
//! went wrong. So when a file does not parse, its lines are first read once more
//! by [`precheck`], a single linear pass that knows the common mistakes (a tab in
//! the indentation, `-navn`, `date:2017-01-01`, a quote or bracket never closed, a
//! field indented under a field that already has a value) and points at where the
//! broken construct starts. Only if it finds nothing is the parser's error
//! explained, by its kind and the field it is about. The parser's English text is
//! never shown alone: at most as a note after a Norwegian message.

use std::ops::Range;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Error, MessageFormatter};

use crate::diag::{Diagnostic, FileId};

/// What kind of YAML a diagnostic is about: the words it uses depend on it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind<'a> {
    /// The front matter of a Markdown file, with the fields it must have.
    FrontMatter {
        /// The required fields, in the order the writer is told them.
        required: &'a [&'a str],
    },
    /// A whole YAML file (`bodies.yaml`, …), by its name.
    File(&'a str),
}

impl Kind<'_> {
    /// "toppteksten" or "bodies.yaml", as the subject of a sentence.
    fn what(self) -> String {
        match self {
            Kind::FrontMatter { .. } => "toppteksten".to_string(),
            Kind::File(name) => name.to_string(),
        }
    }
}

/// One explained mistake: a span in the YAML (or the start of it), and the words.
struct Found {
    /// Byte range in the YAML; `None` for the start of it (the opening `---`).
    span: Option<Range<usize>>,
    message: String,
    label: String,
    help: String,
}

impl Found {
    fn at(span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            span: Some(span),
            message: message.into(),
            label: label.into(),
            help: String::new(),
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }
}

/// Turns a YAML error into a diagnostic at its place in the file, in Norwegian.
/// `yaml` starts at byte `yaml_offset` of the file; a front matter's opening
/// `---` is at the start of the file.
pub(super) fn diagnostic(
    file: FileId,
    yaml: &str,
    yaml_offset: usize,
    e: &Error,
    kind: Kind<'_>,
) -> Diagnostic {
    let at = error_offset(yaml, e);
    let found = if is_empty(yaml) {
        empty(kind)
    } else {
        precheck(yaml, at.unwrap_or(yaml.len()), kind).unwrap_or_else(|| explain(yaml, at, e, kind))
    };
    let span = match found.span {
        Some(span) => yaml_offset + span.start..yaml_offset + span.end,
        // The opening `---` of a front matter, or the first line of a file.
        None => match kind {
            Kind::FrontMatter { .. } => 0..3,
            Kind::File(_) => 0..yaml.find('\n').unwrap_or(yaml.len()),
        },
    };
    let d = Diagnostic::error(file, span, found.message).label(found.label);
    if found.help.is_empty() {
        d
    } else {
        d.help(found.help)
    }
}

/// The byte offset in `yaml` the parser names. Errors of values carry a byte
/// offset; errors of the YAML syntax only a character offset.
fn error_offset(yaml: &str, e: &Error) -> Option<usize> {
    e.location().and_then(|l| {
        let span = l.span();
        span.byte_offset().map(|b| b as usize).or_else(|| {
            let chars = span.offset() as usize;
            yaml.char_indices()
                .nth(chars)
                .map(|(b, _)| b)
                .or((chars == yaml.chars().count()).then_some(yaml.len()))
        })
    })
}

/// Whether the YAML has nothing in it but blank lines and comments.
pub(super) fn is_empty(yaml: &str) -> bool {
    yaml.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#'))
}

fn empty(kind: Kind<'_>) -> Found {
    match kind {
        Kind::FrontMatter { required } => Found {
            span: None,
            message: "toppteksten er tom".to_string(),
            label: "her starter toppteksten, men det står ingen felt i den".to_string(),
            help: format!(
                "{} må være med, ett felt på hver linje mellom de to linjene med ---: {}",
                and_list(required),
                required
                    .iter()
                    .map(|f| example(f))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        },
        Kind::File(name) => Found {
            span: None,
            message: format!("{name} er tom"),
            label: "det står ingenting i filen".to_string(),
            help: "skriv minst én oppføring, som begynner med «- id: …»; se skrivehåndboka for et eksempel".to_string(),
        },
    }
}

/// The error for a list file that must have entries and has none.
pub(super) fn empty_file(file: FileId, name: &str) -> Diagnostic {
    let found = empty(Kind::File(name));
    Diagnostic::error(file, 0..0, found.message)
        .label(found.label)
        .help(found.help)
}

/// "body, document og date".
fn and_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} og {last}", init.join(", ")),
    }
}

/// How to write a field, for the hints: «date: ÅÅÅÅ-MM-DD» …
fn example(field: &str) -> String {
    match field {
        "body" => "«body: …» med id-en til organet fra bodies.yaml".to_string(),
        "document" => {
            "«document: minutes» for et referat eller «document: notice» for en innkalling"
                .to_string()
        }
        "date" | "end_date" | "valid_to" => {
            format!("«{field}: ÅÅÅÅ-MM-DD», for eksempel «{field}: 2020-06-01»")
        }
        "id" => "«id: …» med en kort id (a–z, 0–9 og bindestrek)".to_string(),
        "name" => "«name: …» med navnet".to_string(),
        "title" => "«title: …» med tittelen".to_string(),
        "municipality" => {
            "«municipality: …» med id-en til kommunen fra municipalities.yaml".to_string()
        }
        _ => format!("«{field}: …»"),
    }
}

/// One line of the YAML: where it starts, its text without the line break, and
/// how many spaces it is indented.
struct Line<'a> {
    start: usize,
    text: &'a str,
    indent: usize,
}

impl Line<'_> {
    /// The text after the indentation and any list dashes (`- - `), and where it starts.
    fn after_dashes(&self) -> (usize, &str) {
        let mut rest = &self.text[self.indent..];
        let mut col = self.indent;
        while let Some(r) = rest.strip_prefix("- ") {
            let r2 = r.trim_start_matches(' ');
            col += rest.len() - r2.len();
            rest = r2;
        }
        (col, rest)
    }

    /// The field name this line starts with (`date` of `date: …` or `- date: …`),
    /// and its column.
    fn key(&self) -> Option<(usize, &str)> {
        let (col, rest) = self.after_dashes();
        let len = identifier_len(rest);
        (len > 0 && rest[len..].starts_with(':')).then(|| (col, &rest[..len]))
    }

    fn is_blank_or_comment(&self) -> bool {
        let t = self.text.trim();
        t.is_empty() || t.starts_with('#')
    }
}

/// The length of a field name at the start of `s`: a letter, then letters,
/// digits and `_`.
fn identifier_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

fn lines(yaml: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for text in yaml.split('\n') {
        let indent = text.len() - text.trim_start_matches(' ').len();
        out.push(Line {
            start,
            text,
            indent,
        });
        start += text.len() + 1;
    }
    out
}

/// Reads the lines up to the one holding `until` (where the parser stopped) for
/// the mistakes the parser names late or in its own words. One pass over the
/// text, and only for a file that does not parse.
fn precheck(yaml: &str, until: usize, kind: Kind<'_>) -> Option<Found> {
    let lines = lines(yaml);
    // For each line, the next line with something in it (computed backwards, so
    // that a run of blank lines is not read again for each of them).
    let mut next_content = vec![None; lines.len()];
    for n in (0..lines.len().saturating_sub(1)).rev() {
        next_content[n] = if lines[n + 1].is_blank_or_comment() {
            next_content[n + 1]
        } else {
            Some(n + 1)
        };
    }
    let what = kind.what();
    // An open quote: its character and byte offset, and the indentation of its line.
    let mut quote: Option<(char, usize, usize)> = None;
    // Open flow brackets: character, offset, indentation of the line.
    let mut flow: Vec<(char, usize, usize)> = Vec::new();
    // The indentation below which a block text (`|`, `>`) ends.
    let mut block_text: Option<usize> = None;
    // The previous line that ended with a complete value: its field and column.
    let mut complete: Option<(String, usize)> = None;
    // The indentation of the previous line, if it was a list entry (`- …`).
    let mut entry_above: Option<usize> = None;
    for (n, line) in lines.iter().enumerate() {
        if line.start > until {
            break;
        }
        let next = next_content[n].map(|m| &lines[m]);
        if let Some(indent) = block_text {
            if line.text.trim().is_empty() || line.indent > indent {
                continue;
            }
            block_text = None;
        }
        if quote.is_none() && flow.is_empty() {
            if line.is_blank_or_comment() {
                continue;
            }
            let lead = &line.text[..line.text.len() - line.text.trim_start().len()];
            if let Some(tab) = lead.find('\t') {
                let at = line.start + tab;
                return Some(
                    Found::at(at..at + 1, "tabulator brukt som innrykk", "her står en tabulator")
                        .help(format!(
                            "bruk mellomrom, ikke tabulator, til innrykk i {what}: slett tabulatoren på denne linjen og skriv mellomrom i stedet"
                        )),
                );
            }
            let (col, rest) = line.after_dashes();
            if rest.starts_with('-')
                && !rest.starts_with("--")
                && rest[1..].starts_with(|c: char| c.is_alphabetic() || "{[\"'".contains(c))
            {
                let at = line.start + col;
                return Some(
                    Found::at(
                        at..at + 1,
                        "mellomrom mangler etter bindestreken",
                        "her skal det stå et mellomrom etter -",
                    )
                    .help(format!(
                        "i en liste står det et mellomrom mellom bindestreken og teksten: «- {}»",
                        &rest[1..]
                    )),
                );
            }
            if let (Some((key, key_col)), Some((col, this))) = (&complete, line.key())
                && col > *key_col
            {
                let at = line.start + col;
                return Some(
                    Found::at(
                        at..at + this.len(),
                        "innrykket er feil",
                        format!("står lenger inn enn «{key}» på linjen over"),
                    )
                    .help(format!(
                        "«{key}» har alt en verdi, så «{this}» kan ikke høre inn under den; \
                         skriv «{this}» rett under «{key}», med like mange mellomrom foran"
                    )),
                );
            }
        }
        if quote.is_none() && flow.is_empty() {
            let starts_entry = line.text[line.indent..].starts_with("- ");
            if entry_above == Some(line.indent) && !starts_entry && line.key().is_none() {
                let at = line.start + line.indent;
                return Some(
                    Found::at(
                        at..at + 1,
                        "bindestreken mangler foran dette elementet i listen",
                        "her skal det stå «- »",
                    )
                    .help(format!(
                        "hvert element i en liste begynner med «- », som linjen over: «- {}»",
                        line.text[line.indent..].trim_end()
                    )),
                );
            }
            entry_above = starts_entry.then_some(line.indent);
        }
        complete = None;
        // Characters of the line: quotes, brackets, comments, and field names
        // with no space after their colon.
        let text = line.text;
        let mut value_start = quote.is_none();
        let mut key_place = quote.is_none() && flow.is_empty();
        let mut i = if quote.is_none() && flow.is_empty() {
            let (col, _) = line.after_dashes();
            col
        } else {
            0
        };
        let mut last_colon_value = false;
        // In a flow collection: whether a field's value has begun (after `: `),
        // and where the current element began.
        let mut flow_value = false;
        let mut item_start = i;
        while i < text.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            let at = line.start + i;
            if let Some((q, _, _)) = quote {
                if c == '\\' && q == '"' {
                    i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8);
                    continue;
                }
                if c == q {
                    if q == '\'' && text[i + 1..].starts_with('\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                    value_start = false;
                }
                i += c.len_utf8();
                continue;
            }
            match c {
                ' ' => {}
                '#' if i == 0 || text[..i].ends_with(' ') => break,
                '"' | '\'' if value_start => quote = Some((c, at, line.indent)),
                '{' | '[' if value_start || !flow.is_empty() => {
                    flow.push((c, at, line.indent));
                    value_start = true;
                    key_place = c == '{';
                    flow_value = false;
                    i += 1;
                    item_start = i;
                    continue;
                }
                '}' | ']' if !flow.is_empty() => {
                    let (open, open_at, _) = flow.pop().unwrap_or(('{', at, 0));
                    let expected = if open == '{' { '}' } else { ']' };
                    if c != expected {
                        return Some(
                            Found::at(
                                open_at..open_at + 1,
                                format!("klammen «{open}» lukkes med «{c}»"),
                                format!("åpnes her, men lukkes med «{c}» lenger ut på linjen"),
                            )
                            .help(format!(
                                "en «{open}» lukkes med «{expected}»: skriv {}",
                                if open == '{' {
                                    "{ name: …, municipality: … }"
                                } else {
                                    "[a, b]"
                                }
                            )),
                        );
                    }
                    value_start = false;
                }
                ',' if !flow.is_empty() => {
                    value_start = true;
                    key_place = flow.last().is_some_and(|f| f.0 == '{');
                    flow_value = false;
                    i += 1;
                    item_start = i;
                    continue;
                }
                ':' if (text[i + 1..].is_empty() || text[i + 1..].starts_with(' '))
                    && (flow_value || flow.last().is_some_and(|f| f.0 == '[')) =>
                {
                    // A second colon in one field of `{ }`, or a colon in an
                    // element of `[ ]`: a colon inside the text.
                    let (key, value_from) = if flow_value {
                        let before = &text[item_start..i];
                        let (k, _) = before.split_once(':').unwrap_or(("", before));
                        (
                            format!("{}: ", k.trim()),
                            item_start + before.find(':').map_or(0, |c| c + 1),
                        )
                    } else {
                        (String::new(), item_start)
                    };
                    let value = text[value_from..]
                        .split([',', '}', ']'])
                        .next()
                        .unwrap_or("")
                        .trim();
                    return Some(
                        Found::at(at..at + 1, "et kolon (:) står der det ikke kan stå", "kolon inne i teksten")
                            .help(format!(
                                "tekst med kolon eller komma inne i {{ }} eller [ ] må stå i anførselstegn: {key}\"{value}\""
                            )),
                    );
                }
                ':' if text[i + 1..].is_empty() || text[i + 1..].starts_with(' ') => {
                    flow_value = !flow.is_empty();
                    value_start = true;
                    key_place = false;
                    last_colon_value = true;
                    i += 1;
                    continue;
                }
                _ if value_start && key_place => {
                    let len = identifier_len(&text[i..]);
                    let after = &text[i + len..];
                    if len > 0
                        && after.starts_with(':')
                        && !after[1..].starts_with([' ', ',', '}', ']', '/'])
                        && !after[1..].is_empty()
                    {
                        let key = &text[i..i + len];
                        let value = after[1..]
                            .split([',', '}', ']'])
                            .next()
                            .unwrap_or("")
                            .trim_end();
                        let colon = at + len;
                        return Some(
                            Found::at(
                                colon..colon + 1,
                                "mellomrom mangler etter kolon",
                                format!("her skal det stå et mellomrom etter «{key}:»"),
                            )
                            .help(format!(
                                "skriv et mellomrom mellom kolon og verdien: «{key}: {value}»"
                            )),
                        );
                    }
                    value_start = false;
                }
                _ => value_start = false,
            }
            i += c.len_utf8();
        }
        let ends_here = line.start + text.len() >= until;
        // A quote or bracket still open at the end of the line is a mistake if the
        // next line begins a new field or list entry no further in than its own
        // line, or if the parser stopped here.
        let next_starts_new = |indent: usize| next.is_none_or(|l| l.indent <= indent);
        if let Some((q, open_at, indent)) = quote
            && (ends_here || next_starts_new(indent))
        {
            let name = if q == '"' {
                "anførselstegnet"
            } else {
                "apostrofen"
            };
            let quoted = yaml[open_at + 1..]
                .split('\n')
                .next()
                .unwrap_or("")
                .trim_end();
            return Some(
                Found::at(
                    open_at..open_at + 1,
                    format!("{name} «{q}» blir aldri lukket"),
                    format!("teksten starter her, men har ingen «{q}» på slutten"),
                )
                .help(format!(
                    "skriv «{q}» også på slutten av teksten, på samme linje: {}",
                    match quoted.find(": ") {
                        // The quote of a field name, closed before its colon.
                        Some(colon) => format!("{q}{}{q}{}", &quoted[..colon], &quoted[colon..]),
                        None => format!("{q}{quoted}{q}"),
                    }
                )),
            );
        }
        if let Some(&(open, open_at, indent)) = flow.last()
            && (ends_here || next_starts_new(indent))
        {
            let (close, example) = if open == '{' {
                ('}', "- { name: Ola Nordmann, municipality: kommune-id }")
            } else {
                (']', "[første, andre]")
            };
            return Some(
                Found::at(
                    open_at..open_at + 1,
                    format!("klammen «{open}» blir aldri lukket"),
                    format!("åpnes her, men har ingen «{close}»"),
                )
                .help(format!(
                    "skriv «{close}» på slutten, på samme linje: {example}"
                )),
            );
        }
        if quote.is_none() && flow.is_empty() {
            let (_, rest) = line.after_dashes();
            let value = rest.split_once(": ").map(|(_, v)| v.trim());
            let block = value.is_some_and(|v| v.starts_with(['|', '>']));
            if block {
                block_text = Some(line.indent);
            }
            if let Some((col, key)) = line.key()
                && last_colon_value
                && value.is_some_and(|v| !v.is_empty() && !v.starts_with('#'))
                && !block
            {
                complete = Some((key.to_string(), col));
            }
        }
    }
    None
}

/// The field whose value holds `at`: the last field name before it on its line,
/// or the nearest line above that is less indented and names a field.
fn enclosing_key(yaml: &str, at: usize) -> Option<String> {
    let lines = lines(yaml);
    let n = lines.iter().rposition(|l| l.start <= at)?;
    let line = &lines[n];
    let before = &line.text[..(at - line.start).min(line.text.len())];
    if let Some((key_part, _)) = before.rsplit_once(": ") {
        let start = key_part
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let key = &key_part[start..];
        if identifier_len(key) == key.len() && !key.is_empty() {
            return Some(key.to_string());
        }
    }
    let (col, _) = line.after_dashes();
    let col = if line.text[line.indent..].starts_with('-') {
        line.indent
    } else {
        col
    };
    lines[..n]
        .iter()
        .rev()
        .filter(|l| !l.is_blank_or_comment())
        .find_map(|l| {
            l.key()
                .filter(|(c, _)| *c < col)
                .map(|(_, k)| k.to_string())
        })
}

/// Where the mapping that holds `at` starts: the `{` before it on its line, or
/// the `- ` of its list entry; `None` at the top level.
fn entry_start(yaml: &str, at: usize) -> Option<Range<usize>> {
    let lines = lines(yaml);
    let n = lines.iter().rposition(|l| l.start <= at)?;
    let line = &lines[n];
    let before = &line.text[..(at - line.start).min(line.text.len())];
    if let Some(brace) = before.rfind('{') {
        let end = line.text[brace..]
            .find('}')
            .map_or(line.text.len(), |e| brace + e + 1);
        return Some(line.start + brace..line.start + end);
    }
    let (col, _) = line.after_dashes();
    for l in lines[..=n].iter().rev() {
        if l.is_blank_or_comment() {
            continue;
        }
        let (c, _) = l.after_dashes();
        if c == col && l.text[l.indent..].starts_with("- ") {
            return Some(l.start + l.indent..l.start + l.text.len());
        }
        if c < col || l.indent < col && !l.text[l.indent..].starts_with("- ") {
            return None;
        }
    }
    None
}

/// The parser's words, for messages that keep them as a note.
fn english(e: &Error) -> String {
    serde_saphyr::DefaultMessageFormatter
        .format_message(e)
        .into_owned()
}

/// Explains the parser's error by its kind and the field it is about.
fn explain(yaml: &str, at: Option<usize>, e: &Error, kind: Kind<'_>) -> Found {
    let what = kind.what();
    let at = at.unwrap_or(0).min(yaml.len());
    let one = at..at + 1;
    let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = yaml[at..].find('\n').map_or(yaml.len(), |i| at + i);
    let line = &yaml[line_start..line_end];
    let word = |len: usize| at..(at + len).min(yaml.len());
    match e.without_snippet() {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            if let Some(found) = comma_in_text(yaml, at, field) {
                return found;
            }
            let mut found = Found::at(
                word(field.len()),
                format!("ukjent felt «{field}»"),
                "dette feltet finnes ikke her",
            );
            found.help = match suggestion(field, expected) {
                Some(s) => format!(
                    "mente du «{s}»? Feltene som kan stå her er: {}",
                    expected.join(", ")
                ),
                None => format!(
                    "feltene som kan stå her er: {}. Rett skrivemåten, eller fjern feltet. \
                     Har teksten foran et komma i seg, må den stå i anførselstegn: role: \"leder, nestleder\"",
                    expected.join(", ")
                ),
            };
            found
        }
        Error::SerdeMissingField { field, .. } => match entry_start(yaml, at) {
            Some(span) => Found::at(
                span,
                format!("feltet «{field}» mangler"),
                format!("her mangler «{field}»"),
            )
            .help(format!("legg til {} i denne oppføringen", example(field))),
            None => Found {
                span: None,
                message: format!("feltet «{field}» mangler i {what}"),
                label: format!("«{field}» må være med i {what}"),
                help: format!("legg til en linje i {what}: {}", example(field)),
            },
        },
        Error::DuplicateMappingKey { key, .. } => {
            let len = identifier_len(&yaml[at..]).max(1);
            Found::at(
                word(len),
                match key {
                    Some(k) => format!("feltet «{k}» står to ganger"),
                    None => "det samme feltet står to ganger".to_string(),
                },
                "andre gang",
            )
            .help("slå sammen de to linjene til én")
        }
        Error::Budget { breach, .. } => too_big(breach, &what, one),
        Error::Unexpected { expected, .. } => wrong_shape(yaml, at, expected, kind),
        Error::SerdeInvalidType { expected, .. } => wrong_shape(yaml, at, expected, kind),
        Error::MultipleDocuments { .. } => Found::at(
            one,
            format!("{what} har en linje med --- midt i seg"),
            "her begynner noe nytt",
        )
        .help("fjern linjen med ---, eller sett teksten på den i anførselstegn"),
        _ => {
            let english = english(e);
            let lower = english.to_lowercase();
            let first_text = line_start + (line.len() - line.trim_start().len());
            if lower.contains("recursion limit") || lower.contains("nesting") {
                Found::at(
                    one,
                    format!("{what} har for mange nivåer inni hverandre"),
                    "her blir det for dypt",
                )
                .help("en verdi kan ha en liste eller felt inni seg, men ikke hundrevis av nivåer; se etter klammer { [ som aldri lukkes")
            } else if lower
                .split(|c: char| !c.is_alphabetic())
                .any(|w| w == "tab" || w == "tabs")
            {
                let tab = line.find('\t').map_or(at, |t| line_start + t);
                Found::at(
                    tab..tab + 1,
                    "tabulator brukt som innrykk",
                    "her står en tabulator",
                )
                .help(format!(
                    "bruk mellomrom, ikke tabulator, til innrykk i {what}"
                ))
            } else if lower.contains("mapping values are not allowed") {
                Found::at(
                    one,
                    "et kolon (:) står der det ikke kan stå",
                    "kolon inne i teksten",
                )
                .help("sett hele teksten i anførselstegn, for eksempel title: \"Referat: møte\"")
            } else if lower.contains("did not find expected")
                || lower.contains("indent")
                || lower.contains("block collection")
            {
                Found::at(
                    first_text..first_text + 1,
                    "innrykket er feil",
                    "denne linjen står ikke rett under linjene den hører sammen med",
                )
                .help("felt som hører sammen må stå rett under hverandre, med like mange mellomrom foran; en liste har «- » foran hvert element")
            } else if lower.contains("simple key expected") {
                let text = line.trim();
                let fix = match text.split_once(' ') {
                    Some((word, rest)) if identifier_len(word) == word.len() => {
                        format!(": «{word}: {}»", rest.trim())
                    }
                    _ => String::new(),
                };
                Found::at(
                    first_text..first_text + identifier_len(&yaml[first_text..]).max(1),
                    "kolon mangler etter feltnavnet",
                    "her skal det stå et feltnavn med kolon etter",
                )
                .help(format!(
                    "skriv feltet som «navn: verdi», med kolon og mellomrom etter navnet{fix}"
                ))
            } else if lower.contains("unexpected character")
                || lower.contains("unknown anchor")
                || lower.contains("plain scalar cannot start")
            {
                let c = yaml[at..].chars().next().unwrap_or(' ');
                Found::at(
                    at..at + c.len_utf8(),
                    format!("tegnet «{c}» kan ikke stå først i en tekst"),
                    "tekst som begynner med dette tegnet, må stå i anførselstegn",
                )
                .help(format!(
                    "sett hele teksten i anførselstegn: \"{}\"",
                    yaml[at..line_end].trim_end()
                ))
            } else if lower.contains("null into string") {
                let own = lines(&yaml[line_start..line_end])
                    .first()
                    .and_then(|l| l.key().map(|(_, k)| k.to_string()));
                match own.or_else(|| enclosing_key(yaml, at)) {
                    Some(key) => Found::at(
                        one,
                        format!("«{key}» står uten verdi"),
                        "her mangler verdien",
                    )
                    .help(format!(
                        "skriv verdien på samme linje, etter kolonet: {}",
                        example(&key)
                    )),
                    None => Found::at(one, "et felt står uten verdi", "her mangler verdien")
                        .help("skriv verdien på samme linje, etter kolonet"),
                }
            } else if lower.contains("block sequence entries are not allowed") {
                Found::at(one, "en liste kan ikke begynne på samme linje som feltet", "her begynner listen")
                    .help("skriv hvert element på en ny linje under feltet, med to mellomrom og «- » foran, eller skriv listen som [første, andre]")
            } else if lower.contains("unexpected eof") {
                Found::at(
                    one,
                    format!("{what} slutter før alt som er åpnet, er lukket"),
                    "her slutter den",
                )
                .help("se etter en klamme { eller [ eller et anførselstegn som ikke blir lukket")
            } else if lower.contains("trailing content after") {
                Found::at(
                    one,
                    "tekst etter anførselstegnet som avslutter verdien",
                    "her står det mer tekst",
                )
                .help("sett anførselstegnene rundt hele teksten, eller fjern teksten etter dem")
            } else if lower.contains("unclosed quote") {
                Found::at(
                    one,
                    "anførselstegnet blir aldri lukket",
                    "teksten starter her",
                )
                .help("skriv det samme anførselstegnet også på slutten av teksten")
            } else if lower.contains("bracket") {
                Found::at(one, "en klamme blir aldri lukket", "klammen starter her")
                    .help("en { lukkes med }, en [ med ], på samme linje")
            } else {
                Found::at(
                    one,
                    format!("{what} kan ikke leses"),
                    "her står det noe som ikke er gyldig",
                )
                .help(format!(
                    "sjekk innrykk, kolon og mellomrom etter feltnavnet, og at tekst med kolon (:) står i anførselstegn (YAML-leseren sier: {english})"
                ))
            }
        }
    }
}

/// `{ role: leder, nestleder }`: the text after the comma is read as a field of
/// its own, with no value. Said as what it is, with the text in quotes.
fn comma_in_text(yaml: &str, at: usize, field: &str) -> Option<Found> {
    let after = yaml.get(at + field.len()..)?.trim_start_matches(' ');
    if !after.starts_with([',', '}']) {
        return None;
    }
    let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &yaml[line_start..at];
    let comma = before.rfind(',')?;
    let colon = before[..comma].rfind(": ")?;
    let key_start = before[..colon].rfind([' ', '{', ',']).map_or(0, |i| i + 1);
    let key = &before[key_start..colon];
    let value = format!("{}, {field}", before[colon + 2..comma].trim());
    Some(
        Found::at(
            at..at + field.len(),
            "et komma deler teksten i to",
            format!("«{field}» blir lest som et eget felt"),
        )
        .help(format!(
            "tekst med komma inne i {{ }} må stå i anførselstegn: {key}: \"{value}\""
        )),
    )
}

/// A list where a mapping belongs, a mapping where a list belongs, or a list
/// where a text belongs: said by the field it is about.
fn wrong_shape(yaml: &str, at: usize, expected: &str, kind: Kind<'_>) -> Found {
    let what = kind.what();
    let key = enclosing_key(yaml, at);
    let rest = &yaml[at..];
    let len = rest.find('\n').unwrap_or(rest.len()).max(1);
    let span = at..at + len;
    let is_list = rest.starts_with(['-', '[']);
    if expected.contains("mapping") || expected.contains("struct") || expected.contains("map") {
        match key.as_deref() {
            Some(k @ ("present" | "absent")) => Found::at(
                at..at + rest.find([',', ']', '\n']).unwrap_or(rest.len()).max(1),
                format!("deltakerne i «{k}» må skrives med navn og kommune"),
                "her står bare et navn",
            )
            .help(format!(
                "skriv hver deltaker på en egen linje under «{k}:», slik: «- {{ name: Ola Nordmann, municipality: kommune-id }}»; \
                 en som ikke representerer en kommune: «- {{ name: Ola Nordmann, organisation: Organisasjon }}»"
            )),
            Some("items") => Found::at(span, "«items» skal ha saksnumre som felt", "her står en liste")
                .help("skriv saksnummeret i anførselstegn og kolon etter, på hver sin linje: «\"01/2020\": { thread: saksgang-id }»"),
            Some(k) if is_list => Found::at(span, format!("«{k}» skal ha felt, ikke en liste"), "her står en liste")
                .help(format!("skriv feltene under «{k}:» som «navn: verdi», uten «- » foran")),
            Some(k) => Found::at(span, format!("«{k}» skal ha felt, ikke en tekst"), "her står en tekst")
                .help(format!("skriv feltene under «{k}:» som «navn: verdi», hvert på sin linje og med to mellomrom foran")),
            None => Found::at(span, format!("{what} skal ha felt («navn: verdi»)"), "her står noe annet")
                .help("skriv hvert felt på sin egen linje som «navn: verdi»"),
        }
    } else if expected.contains("sequence") || expected.contains("seq") || expected.contains("list")
    {
        match key {
            Some(k) => Found::at(span, format!("«{k}» skal være en liste"), "her skal det stå en liste")
                .help(format!("skriv hvert element på sin egen linje under «{k}:», med «- » foran")),
            None => Found::at(span, format!("{what} skal være en liste"), "her skal listen begynne")
                .help("begynn hver oppføring med «- », for eksempel «- id: …» og «  name: …» på linjen under"),
        }
    } else {
        let k = key.unwrap_or_else(|| "feltet".to_string());
        Found::at(
            span,
            format!("«{k}» skal være en tekst, ikke {}", if is_list { "en liste" } else { "felt" }),
            if is_list { "her står en liste" } else { "her står noe annet enn tekst" },
        )
        .help(format!("skriv teksten rett etter «{k}:» på samme linje; har den komma eller kolon, sett den i anførselstegn"))
    }
}

/// The YAML size limits of the parser, in plain words.
fn too_big(breach: &BudgetBreach, what: &str, span: Range<usize>) -> Found {
    match breach {
        BudgetBreach::Depth { .. } | BudgetBreach::InclusionDepth { .. } => Found::at(
            span,
            format!("{what} har for mange nivåer inni hverandre"),
            "her blir det for dypt",
        )
        .help("en verdi kan ha en liste eller felt inni seg, men ikke hundrevis av nivåer; se etter klammer { [ som aldri lukkes"),
        _ => Found::at(span, "filen er for stor", "her når filen grensen for hvor mye som kan leses")
            .help("del innholdet på flere filer; en møtefil er ett møte"),
    }
}

/// The known field most like `field`: a Norwegian name for it, or the closest
/// spelling.
fn suggestion<'a>(field: &str, expected: &[&'a str]) -> Option<&'a str> {
    let lower = field.to_lowercase();
    let norwegian = match lower.as_str() {
        "dato" => "date",
        "sluttdato" => "end_date",
        "sted" | "møtested" => "place",
        "tittel" => "title",
        "tid" | "klokkeslett" => "time",
        "organ" => "body",
        "dokument" | "type" => "document",
        "tilstede" | "til_stede" | "deltakere" | "møtt" => "present",
        "forfall" | "fravær" => "absent",
        "sekretariat" | "referent" => "secretariat",
        "saker" => "items",
        "navn" => "name",
        "kommune" => "municipality",
        "organisasjon" => "organisation",
        "rolle" => "role",
        "merknad" | "notat" => "note",
        "gruppe" => "group",
        "sammendrag" => "summary",
        "tekst" => "text",
        "alias" => "aliases",
        "eier" => "owner",
        "kontakt" | "kontaktinformasjon" => "contact",
        "tilgjengelighet" | "tilgjengelighetserklæring" | "erklæring" => {
            "accessibility_statement"
        }
        _ => "",
    };
    if let Some(f) = expected.iter().find(|f| **f == norwegian) {
        return Some(f);
    }
    expected
        .iter()
        .map(|f| (strsim::damerau_levenshtein(&lower, f), *f))
        .filter(|(d, f)| *d <= (f.len() / 3).max(1))
        .min()
        .map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_or_norwegian_field_name_gets_the_right_one() {
        let fields = ["body", "document", "date", "place", "present"];
        assert_eq!(suggestion("plce", &fields), Some("place"));
        assert_eq!(suggestion("Dato", &fields), Some("date"));
        assert_eq!(suggestion("sted", &fields), Some("place"));
        assert_eq!(suggestion("xyzzy", &fields), None);
    }

    #[test]
    fn the_size_limit_of_the_parser_is_said_in_norwegian() {
        // More values than the parser reads; a real file this big is a mistake.
        let yaml = "- a\n".repeat(600_000);
        let e = serde_saphyr::from_str::<Vec<String>>(&yaml).unwrap_err();
        let d = diagnostic(FileId(0), &yaml, 0, &e, Kind::File("people.yaml"));
        assert_eq!(d.message, "filen er for stor", "{d:?}");
    }

    #[test]
    fn the_precheck_reads_each_line_once() {
        // 400,000 blank lines before an unclosed quote: looking ahead from every
        // line for the next one with text in it would read 8·10^10 lines.
        let yaml = format!(
            "body: a\n{}title: \"Referat\nplace: x\n",
            "\n".repeat(400_000)
        );
        let kind = Kind::FrontMatter { required: &[] };
        let found = precheck(&yaml, yaml.len(), kind).expect("the quote is found");
        assert_eq!(found.message, "anførselstegnet «\"» blir aldri lukket");
        assert_eq!(found.span, Some(400_015..400_016));
    }

    #[test]
    fn mistakes_typed_at_random_never_make_it_panic() {
        let good = "body: a\ndocument: minutes\ndate: 2017-06-01\ntitle: \"Referat: møte\"\n\
                    present:\n  - { name: Kari Nordmann, municipality: kommune-a, role: leder }\n  \
                    - name: Ola\n    for: Per\nsecretariat: [Per Hansen, 'Liv']\nitems:\n  \
                    \"12/2017\": { thread: [a, b] }\nnote: |\n  tekst\n";
        let marks: Vec<char> = "\"'{}[]:,- \t\n#|>&*!%@`æ".chars().collect();
        let mut rng = fastrand::Rng::with_seed(9);
        let mut sources = crate::diag::Sources::default();
        for _ in 0..3000 {
            let mut text: Vec<char> = good.chars().collect();
            for _ in 0..rng.usize(1..4) {
                let at = rng.usize(0..=text.len());
                match rng.u8(0..3) {
                    0 if at < text.len() => {
                        text.remove(at);
                    }
                    1 if at < text.len() => text[at] = marks[rng.usize(0..marks.len())],
                    _ => text.insert(at, marks[rng.usize(0..marks.len())]),
                }
            }
            let yaml: String = text.into_iter().collect();
            if let Err(e) = crate::load::parse_yaml::<crate::load::RawFrontMatter>(&yaml) {
                let kind = Kind::FrontMatter {
                    required: &["body", "document", "date"],
                };
                let d = diagnostic(FileId(sources.len()), &yaml, 4, &e, kind);
                assert!(!d.message.is_empty() && !d.label.is_empty(), "{yaml:?}");
                sources.add("x.md".into(), format!("---\n{yaml}---\n"));
                crate::diag::render(&[d], &sources, false);
            }
        }
    }
}
