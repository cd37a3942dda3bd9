//! Stage 6, output: takes the `OutputFile`s of the built site, in memory, and does what happens
//! to them last: checks every path can be written (`paths`) and every internal link leads to a
//! file (`links`), minifies, refuses an output folder that holds the editor's files
//! (`destination`), and writes them atomically (`write`).

pub mod destination;
pub mod links;
pub mod minify;
pub mod paths;
pub mod write;

/// One file of the built site.
#[derive(Debug)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug)]
pub enum Contents {
    Bytes(Vec<u8>),
    Embedded(&'static [u8]),
    CopyOf(std::path::PathBuf),
}
