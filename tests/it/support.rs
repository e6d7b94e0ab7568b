//! Runs the `saksgang` binary on a fixture and reads what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture archive under `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The result of one `saksgang build`.
pub(crate) struct Built {
    pub(crate) success: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) out: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Built {
    /// The text of a written file; panics with the list of files if it is missing.
    pub(crate) fn page(&self, path: &str) -> String {
        let p = self.out.join(path);
        std::fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("{}: {e}\nstderr:\n{}", p.display(), self.stderr))
    }

    /// Whether a file was written.
    pub(crate) fn has(&self, path: &str) -> bool {
        self.out.join(path).exists()
    }
}

/// Builds `root` into a fresh temporary folder.
pub(crate) fn build(root: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut b = build_into(root, &out);
    b._dir = Some(dir);
    b
}

/// Builds `root` into `out`.
pub(crate) fn build_into(root: &Path, out: &Path) -> Built {
    build_with(root, out, &[])
}

/// Builds `root` into `out` with more arguments (`--offline`, `--bundle`).
pub(crate) fn build_with(root: &Path, out: &Path, args: &[&str]) -> Built {
    let output = Command::new(env!("CARGO_BIN_EXE_saksgang"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(args)
        .output()
        .expect("run saksgang");
    Built {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out: out.to_path_buf(),
        _dir: None,
    }
}

/// The part of a page between two markers, for asserting on one section.
pub(crate) fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in page"));
    let rest = &html[s..];
    let e = rest.find(end).map_or(rest.len(), |e| e + end.len());
    &rest[..e]
}

/// The text of an HTML fragment with tags removed and whitespace folded. A tag
/// stands for a space, but for `<bdi>`, which isolates a name within its words
/// ("Kari Klebu for Ola Klæbu, dag 1").
pub(crate) fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (c, tag.as_mut()) {
            ('<', None) => tag = Some(String::new()),
            ('>', Some(t)) => {
                if !matches!(t.as_str(), "bdi" | "/bdi") {
                    out.push(' ');
                }
                tag = None;
            }
            (c, Some(t)) => t.push(c),
            (c, None) => out.push(c),
        }
    }
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every HTML file under `dir`, as paths relative to it with `/`.
pub(crate) fn html_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The values of an attribute (`href="…"`) on a page, in order.
pub(crate) fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let marker = format!(" {attribute}=\"");
    html.split(&marker)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

/// Copies a fixture, so a test can change it.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` (relative path → bytes).
pub(crate) fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}
