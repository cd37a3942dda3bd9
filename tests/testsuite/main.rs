//! Waymark's integration tests: one binary, one module per behaviour, each module's fixture
//! sites in the folder of the same name (see README.md).

// The library paths the tests use, named once here so a rename in src/ is a one-line fix.
pub use waymark::diagnostics::Diagnostics;
pub use waymark::incremental::{Changes, Output, Session};
pub use waymark::load::{self, Section, SourceFile};
pub use waymark::output::Contents;
pub use waymark::parse::content;
pub use waymark::parse::markdown::{self, Body, LinkTargets};
pub use waymark::values::Date;
pub use waymark::{BuildOptions, build_in_memory};

mod site_test;

mod budgets;
mod build;
mod calendar;
mod check;
mod containment;
mod errors;
mod feeds;
mod incremental;
mod links;
mod metadata;
mod pages;
mod properties;
mod serve;
mod sitemap;
mod theme;
mod xss;
