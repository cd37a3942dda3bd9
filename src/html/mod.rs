//! HTML and XML text primitives.

pub mod xml;
