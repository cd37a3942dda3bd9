//! HTML and XML primitives: the one tokenizer, addresses, and text escaping. Nothing here
//! knows about the site.

pub mod scan;
pub mod urls;
pub mod xml;
