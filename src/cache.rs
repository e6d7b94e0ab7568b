//! What an incremental build keeps between builds: for every file of the
//! site, the fingerprint of what it was made from and the stamp (size, time
//! of change, inode) of the file that was written.
//!
//! A page's fingerprint is a hash of everything its template is given (the
//! view, the site, the root, the edition) and the template's name; a file that
//! is not rendered from a view (the search index, the feeds, the manifest,
//! a theme file) has the hash of its bytes. A cache entry is a statement "the
//! file at this path with this stamp has the bytes that this fingerprint
//! makes": it stays true whatever happens to the output later, because any
//! change to the file changes its stamp. So a cache that is older than the
//! output (a build killed before it saved the cache) only costs work, and
//! a file changed by hand is made again.
//!
//! The cache is one file beside the output (`public.saksgang-cache`). It
//! holds a key: the saksgang version, the hash function, the output path, the
//! edition and options, and the theme's templates and files; a cache with
//! another key, a missing one or one that does not read back whole (its own
//! checksum) means a full build. Nothing in it is needed for a correct site.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// A hash of what one file of the site is made from.
pub type Fingerprint = u128;

/// XXH3 with 128 bits: a fixed algorithm (the same on every machine and in
/// every version), fast, and wide enough that two different pages never
/// share a fingerprint in practice.
#[derive(Clone)]
pub struct Hasher128(Box<Xxh3>);

impl Default for Hasher128 {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher128 {
    /// A new hash.
    pub fn new() -> Self {
        Self(Box::new(Xxh3::new()))
    }

    /// Adds bytes.
    pub fn add(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Adds a text and where it ends.
    pub fn add_str(&mut self, s: &str) {
        self.add(&(s.len() as u64).to_le_bytes());
        self.add(s.as_bytes());
    }

    /// The hash.
    pub fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}

impl io::Write for Hasher128 {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.add(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of a file given as bytes.
pub fn of_bytes(bytes: &[u8]) -> Fingerprint {
    xxh3_128(bytes)
}

/// Size, time of change and inode of a file: a file rewritten or changed
/// has another stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// Time of change, nanoseconds since 1970 (or before, negative).
    pub modified: i128,
    /// The inode (0 where the system has none).
    pub inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, if it is a file.
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::symlink_metadata(path).ok()?;
        if !m.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                len: m.len(),
                modified: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
                inode: m.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let modified = m.modified().ok()?;
            let modified = match modified.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i128,
                Err(e) => -(e.duration().as_nanos() as i128),
            };
            Some(Stamp {
                len: m.len(),
                modified,
                inode: 0,
            })
        }
    }
}

/// One file of the site as the cache knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// What it was made from.
    pub fingerprint: Fingerprint,
    /// The file written.
    pub stamp: Stamp,
}

/// Every file of the last build, by path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cache {
    /// What the cache is valid for (see [`key`]).
    pub key: Fingerprint,
    /// Path under the output → entry.
    pub entries: HashMap<String, Entry>,
}

const MAGIC: &[u8] = b"saksgang-cache 1\n";

/// The key of a cache: a build with another key does not use it.
pub fn key(output: &Path, edition: &str, bundle: bool, theme: &crate::theme::Theme) -> Fingerprint {
    let mut h = Hasher128::new();
    h.add_str(env!("CARGO_PKG_VERSION"));
    h.add_str(&output.to_string_lossy());
    h.add_str(edition);
    h.add(&[u8::from(bundle)]);
    for (name, (_, src)) in &theme.templates {
        h.add_str(name);
        h.add_str(src);
    }
    for (path, bytes) in &theme.statics {
        h.add_str(path);
        h.add(&(bytes.len() as u64).to_le_bytes());
        h.add(bytes);
    }
    h.finish()
}

impl Cache {
    /// The cache as bytes: the magic line, the key, the entries sorted by
    /// path, and a checksum of all that.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MAGIC.len() + 32 + self.entries.len() * 96);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.key.to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        let mut paths: Vec<&String> = self.entries.keys().collect();
        paths.sort_unstable();
        for p in paths {
            let e = &self.entries[p];
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p.as_bytes());
            out.extend_from_slice(&e.fingerprint.to_le_bytes());
            out.extend_from_slice(&e.stamp.len.to_le_bytes());
            out.extend_from_slice(&e.stamp.modified.to_le_bytes());
            out.extend_from_slice(&e.stamp.inode.to_le_bytes());
        }
        let sum = of_bytes(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a cache back; `None` if the bytes are not a whole cache.
    pub fn from_bytes(bytes: &[u8]) -> Option<Cache> {
        let body = bytes.get(..bytes.len().checked_sub(16)?)?;
        let sum = u128::from_le_bytes(bytes[body.len()..].try_into().ok()?);
        if of_bytes(body) != sum {
            return None;
        }
        let mut r = Reader(body.strip_prefix(MAGIC)?);
        let key = r.u128()?;
        let n = r.u64()?;
        let mut entries = HashMap::with_capacity(usize::try_from(n).ok()?.min(1 << 24));
        for _ in 0..n {
            let len = r.u32()? as usize;
            let path = std::str::from_utf8(r.take(len)?).ok()?.to_string();
            let fingerprint = r.u128()?;
            let stamp = Stamp {
                len: r.u64()?,
                modified: r.u128()? as i128,
                inode: r.u64()?,
            };
            entries.insert(path, Entry { fingerprint, stamp });
        }
        r.0.is_empty().then_some(Cache { key, entries })
    }

    /// The cache in the file `path`, if it is there, whole and for `key`.
    pub fn load(path: &Path, key: Fingerprint) -> Option<Cache> {
        let bytes = std::fs::read(path).ok()?;
        Cache::from_bytes(&bytes).filter(|c| c.key == key)
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_reads_back_and_a_damaged_one_does_not() {
        let mut c = Cache {
            key: 7,
            ..Cache::default()
        };
        c.entries.insert(
            "moter/x/index.html".into(),
            Entry {
                fingerprint: u128::MAX - 3,
                stamp: Stamp {
                    len: 12,
                    modified: -5,
                    inode: 99,
                },
            },
        );
        c.entries.insert(
            "a.html".into(),
            Entry {
                fingerprint: 1,
                stamp: Stamp {
                    len: 0,
                    modified: 1_700_000_000_000_000_000,
                    inode: 1,
                },
            },
        );
        let bytes = c.to_bytes();
        assert_eq!(Cache::from_bytes(&bytes), Some(c.clone()));
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(Cache::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[MAGIC.len() + 20] ^= 1;
        assert_eq!(Cache::from_bytes(&flipped), None);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c");
        std::fs::write(&file, &bytes).unwrap();
        assert!(Cache::load(&file, 7).is_some());
        assert!(Cache::load(&file, 8).is_none(), "another key is foreign");
    }

    #[test]
    fn fingerprints_differ_for_different_bytes() {
        assert_ne!(of_bytes(b"a"), of_bytes(b"b"));
        assert_eq!(of_bytes(b"a"), of_bytes(b"a"));
    }
}
