//! Parsing: pure functions from text to typed items.

pub mod config;
pub mod content;
pub mod front_matter;
pub mod markdown;
pub mod prose;
