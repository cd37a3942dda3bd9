//! Stage 2, parse: pure functions from text to typed values. Takes a `SourceFile` (or the text
//! of `site.yaml`); hands on an `Item` (priority, meeting, update or page, with its front matter
//! validated once into `values` types and its body still Markdown) or diagnostics with file,
//! line and column. `markdown` renders bodies for the model; `config` reads `site.yaml`.

pub mod config;
pub mod content;
pub mod front_matter;
pub mod markdown;
pub mod prose;

#[cfg(test)]
mod properties;
