//! Output: the files of the built site, in memory, and what happens to them last: minifying,
//! checking every internal link, and writing them atomically into the output folder.
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
