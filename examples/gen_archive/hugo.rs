//! The same archive as a Hugo site: meetings as pages with taxonomies for municipalities
//! (kommuner), threads (saker) and bodies (organer).
//!
//! A thread is written as the content of its term page, `content/saker/<id>/_index.md`:
//! a plain `content/saker/<id>.md` would take the URL `/saker/<id>/` from the term page
//! of the `saker` taxonomy, and Hugo would silently drop the term page (the list of the
//! thread's meetings).

use std::fmt::Write as _;

use crate::meeting::{Attendee, Doc, Meeting, meeting_slug};
use crate::world::{Thread, World};

pub(crate) fn config(seed: u64) -> String {
    format!(
        "baseURL = \"https://example.org/arkiv/\"\n\
         title = \"Midtregionens møtearkiv (syntetisk, frø {seed})\"\n\
         disableKinds = [\"RSS\"]\n\
         # The archive runs into the future; Hugo leaves future-dated pages out by default.\n\
         buildFuture = true\n\
         \n\
         [taxonomies]\n\
         \x20 kommune = \"kommuner\"\n\
         \x20 sak = \"saker\"\n\
         \x20 organ = \"organer\"\n"
    )
}

/// Taxonomy and term pages share one template: Hugo 0.168 renders term pages with
/// `_default/taxonomy.html` too (the old name of the term template) when both files exist.
const TAXONOMY_OR_TERM: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ if eq .Kind "taxonomy" }}
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ else }}
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ with .Params.status }}<p>Status: {{ . }}</p>{{ end }}
{{ .Content }}
<ul>
{{ range .Pages.ByDate }}<li>{{ .Date.Format "2006-01-02" }} <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
{{ end }}
"#;

pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    (
        "layouts/_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>{{ .Title }} – {{ .Site.Title }}</title>
</head>
<body>
<nav><a href="{{ "" | relURL }}">{{ .Site.Title }}</a> ·
<a href="{{ "moter/" | relURL }}">Møter</a> ·
<a href="{{ "saker/" | relURL }}">Saker</a> ·
<a href="{{ "kommuner/" | relURL }}">Kommuner</a> ·
<a href="{{ "organer/" | relURL }}">Organer</a></nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#,
    ),
    (
        "layouts/_default/single.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }}{{ with .Params.tid }} · {{ . }}{{ end }}{{ with .Params.sted }} · {{ . }}{{ end }}</p>
{{ with .GetTerms "organer" }}<p>Organ: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .Params.present }}
<h2>Til stede</h2>
<ul>
{{ range . }}<li>{{ .name }}{{ with .kommune }}{{ with site.GetPage (printf "/kommuner/%s" .) }} (<a href="{{ .RelPermalink }}">{{ .Title }}</a>){{ end }}{{ end }}{{ with .organisasjon }} ({{ . }}){{ end }}{{ with .for }}, for {{ . }}{{ end }}{{ with .rolle }}, {{ . }}{{ end }}</li>
{{ end }}
</ul>
{{ end }}
{{ with .Params.absent }}
<h2>Forfall</h2>
<ul>
{{ range . }}<li>{{ .name }}{{ with site.GetPage (printf "/kommuner/%s" .kommune) }} ({{ .Title }}){{ end }}</li>
{{ end }}
</ul>
{{ end }}
{{ with .GetTerms "saker" }}<p>Saksganger: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ .Content }}
{{ end }}
"#,
    ),
    (
        "layouts/_default/list.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
"#,
    ),
    ("layouts/_default/taxonomy.html", TAXONOMY_OR_TERM),
    ("layouts/_default/term.html", TAXONOMY_OR_TERM),
    (
        "layouts/index.html",
        r#"{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<h2>Nyeste møter</h2>
<ul>
{{ range first 10 (where .Site.RegularPages "Section" "moter").ByDate.Reverse }}<li>{{ .Date.Format "2006-01-02" }} <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
"#,
    ),
];

/// Section and taxonomy pages that give titles to lists and terms.
pub(crate) fn fixed_pages(world: &World) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "content/moter/_index.md".to_string(),
            "---\ntitle: \"Møter\"\n---\n".to_string(),
        ),
        (
            "content/saker/_index.md".to_string(),
            "---\ntitle: \"Saker\"\n---\n".to_string(),
        ),
        (
            "content/kommuner/_index.md".to_string(),
            "---\ntitle: \"Kommuner\"\n---\n".to_string(),
        ),
        (
            "content/organer/_index.md".to_string(),
            "---\ntitle: \"Organer\"\n---\n".to_string(),
        ),
    ];
    for m in &world.municipalities {
        out.push((
            format!("content/kommuner/{}/_index.md", m.id),
            format!("---\ntitle: \"{}\"\n---\n", m.name),
        ));
    }
    for b in &world.bodies {
        out.push((
            format!("content/organer/{}/_index.md", b.id),
            format!("---\ntitle: \"{}\"\n---\n", b.name),
        ));
    }
    out
}

pub(crate) fn thread_page(world: &World, t: &Thread) -> String {
    let mut s = String::from("---\n");
    writeln!(s, "title: \"{}\"", t.title).unwrap();
    writeln!(s, "summary: \"{}\"", t.summary).unwrap();
    writeln!(s, "status: {}", t.status).unwrap();
    s.push_str("---\n");
    s.push_str(&t.background);
    if !t.outside.is_empty() {
        s.push_str("\nUtenfor arkivet:\n\n");
        for (d, body, text) in &t.outside {
            write!(s, "- {}", d.format("%Y-%m-%d")).unwrap();
            if let Some(b) = body {
                write!(s, " ({})", world.bodies[*b].name).unwrap();
            }
            writeln!(s, ": {text}").unwrap();
        }
    }
    s
}

fn attendee(world: &World, a: &Attendee, s: &mut String) {
    write!(s, "    - {{ name: \"{}\"", a.name).unwrap();
    if let Some(m) = a.municipality {
        write!(s, ", kommune: {}", world.municipalities[m].id).unwrap();
    }
    if let Some(o) = &a.organisation {
        write!(s, ", organisasjon: \"{o}\"").unwrap();
    }
    if let Some(f) = &a.substitute_for {
        write!(s, ", for: \"{f}\"").unwrap();
    }
    if let Some(r) = a.role {
        write!(s, ", rolle: \"{r}\"").unwrap();
    }
    s.push_str(" }\n");
}

/// The file name (under content/moter/) and the front matter of a meeting document.
pub(crate) fn meeting_page(world: &World, m: &Meeting, doc: Doc) -> (String, String) {
    let mut slug = meeting_slug(world, m.body, m.date);
    if doc == Doc::Notice {
        slug.push_str("-innkalling");
    }
    let mut s = String::with_capacity(1024);
    s.push_str("---\n");
    writeln!(s, "title: \"{}\"", m.title(world, doc)).unwrap();
    writeln!(s, "date: {}", m.date.format("%Y-%m-%d")).unwrap();
    // Hugo assigns terms from the taxonomy's plural name: `organer`, not `organ`.
    writeln!(s, "organer: [{}]", world.bodies[m.body].id).unwrap();
    if doc == Doc::Minutes {
        let mut kommuner: Vec<&str> = m
            .present
            .iter()
            .filter_map(|a| a.municipality)
            .map(|i| world.municipalities[i].id.as_str())
            .collect();
        kommuner.sort_unstable();
        kommuner.dedup();
        writeln!(s, "kommuner: [{}]", kommuner.join(", ")).unwrap();
    }
    let mut saker: Vec<&str> = m
        .threads
        .values()
        .flatten()
        .map(|&t| world.threads[t].id.as_str())
        .collect();
    saker.sort_unstable();
    saker.dedup();
    if !saker.is_empty() {
        writeln!(s, "saker: [{}]", saker.join(", ")).unwrap();
    }
    s.push_str("params:\n");
    let kind = match doc {
        Doc::Minutes => "referat",
        Doc::Notice => "innkalling",
    };
    writeln!(s, "  dokument: {kind}").unwrap();
    if doc == Doc::Minutes {
        s.push_str("  present:\n");
        for a in &m.present {
            attendee(world, a, &mut s);
        }
        if !m.absent.is_empty() {
            s.push_str("  absent:\n");
            for a in &m.absent {
                attendee(world, a, &mut s);
            }
        }
    }
    s.push_str("---\n");
    (format!("content/moter/{slug}.md"), s)
}

/// The body for Hugo: `@/meetings/YYYY/<slug>.md#anchor` links become `../<slug>/#anchor`
/// (relative to the page `/moter/<this>/`). Hugo's own heading ids differ from saksgang's
/// `#sak-06-2017`, so the anchor does not take the reader to the item there.
pub(crate) fn body(markdown: &str) -> std::borrow::Cow<'_, str> {
    const FROM: &str = "](@/meetings/";
    if !markdown.contains(FROM) {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find(FROM) {
        out.push_str(&rest[..at]);
        out.push_str("](../");
        let after = &rest[at + FROM.len()..];
        // Skip "YYYY/", keep the slug, turn ".md" into "/".
        let after = after.split_once('/').map_or(after, |(_, a)| a);
        match after.split_once(".md") {
            Some((slug, tail)) => {
                out.push_str(slug);
                out.push('/');
                rest = tail;
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out.into()
}
