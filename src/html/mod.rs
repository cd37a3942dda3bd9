//! HTML and XML primitives shared by every stage: the one tokenizer, URL resolution and
//! percent-coding, and text escaping. Nothing here knows about the site.

pub mod scan;
pub mod urls;
pub mod xml;
