//! Integration tests: each builds a small archive from `tests/fixtures/<case>/`
//! (or the bundled `content/`) with the real binary and reads the pages it wrote.

mod a11y;
mod aliases;
mod bodies;
mod browser;
mod cli;
mod contract;
mod drawings;
mod errors;
mod extract;
mod folder;
mod import;
mod incremental;
mod init;
mod invitations;
mod items;
mod left_out;
mod live;
mod meeting_page;
mod new_docs;
mod notices;
mod offline;
mod output;
mod people;
mod publish;
mod references;
mod reread;
mod safety;
mod scale;
mod search_index;
mod seed;
mod serve;
mod source_texts;
mod support;
mod terms;
mod theme;
