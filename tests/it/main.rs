//! Integration tests: each builds a small archive from `tests/fixtures/<case>/`
//! (or the bundled `content/`) with the real binary and reads the pages it wrote.

mod aliases;
mod browser;
mod contract;
mod errors;
mod folder;
mod init;
mod invitations;
mod left_out;
mod offline;
mod output;
mod publish;
mod references;
mod safety;
mod scale;
mod seed;
mod serve;
mod support;
mod terms;
