//! Output.

pub mod links;
pub mod minify;
pub mod write;
