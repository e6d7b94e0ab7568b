//! saksgang: a static site generator for the minutes and notices of governance bodies.
//!
//! The pipeline is the architecture: [`load`] reads `content/` as written,
//! [`resolve`] checks it and joins it up into the [`model`], [`render`] turns the
//! model into pages in memory, and [`write`] puts them on disk. See ARCHITECTURE.md.

pub mod build;
pub mod cache;
pub mod diag;
pub mod extract;
pub mod feeds;
#[cfg(test)]
mod fuzz;
pub mod import;
pub mod init;
pub mod link;
pub mod live;
pub mod load;
pub mod manifest;
pub mod model;
pub mod new;
pub mod norsk;
pub mod preview;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod theme;
pub mod write;
