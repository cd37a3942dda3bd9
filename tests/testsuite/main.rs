//! Waymark's integration tests: one binary, one module per behaviour, each module's fixture
//! sites in the folder of the same name (see README.md).

// The library paths the tests use, named once here so a rename in src/ is a one-line fix.
pub use waymark::{
    BuildOptions, Changes, Contents, Date, Diagnostics, Output, Session, build_in_memory,
};

mod site_test;

mod budgets;
mod build;
mod calendar;
mod check;
mod clashes;
mod containment;
mod data;
mod docs;
mod errors;
mod feeds;
mod governance;
mod incremental;
mod indicators;
mod links;
mod metadata;
mod pages;
mod serve;
mod settings;
mod sitemap;
mod theme;
mod xss;
