//! The preview's responses, written by hand: tiny_http never sees the client's socket (see
//! `http` and `connections`), so nothing else writes them. Every response carries its length, `no-store` (the
//! preview changes under the browser) and `nosniff`.

use std::io::Write;
use std::sync::Arc;

use crate::output::Contents;

/// A response.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    /// One more header (`Location`, `Allow`); values are ASCII by construction.
    pub extra: Option<(&'static str, String)>,
    pub body: Payload,
}

pub enum Payload {
    Owned(Vec<u8>),
    /// A file of the site held in memory, shared with the served site rather than copied for
    /// each request. Never `Contents::CopyOf`: a copied file is sent as `File`.
    Shared(Arc<Contents>),
    File(std::fs::File, u64),
}

impl Reply {
    pub fn plain(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            extra: None,
            body: Payload::Owned(text.as_bytes().to_vec()),
        }
    }

    /// The move from a folder's address without its final `/` to the address with it.
    pub fn moved(location: String) -> Reply {
        Reply::plain(301, "Moved to the folder's address.").with("Location", location)
    }

    pub fn html(status: u16, html: String) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            extra: None,
            body: Payload::Owned(html.into_bytes()),
        }
    }

    pub fn with(mut self, name: &'static str, value: String) -> Reply {
        self.extra = Some((name, value));
        self
    }

    /// Writes the response; `close` says the connection ends after it, which the client must
    /// be told.
    pub fn write(
        self,
        writer: &mut dyn Write,
        head_only: bool,
        close: bool,
    ) -> std::io::Result<()> {
        let length = match &self.body {
            Payload::Owned(bytes) => bytes.len() as u64,
            Payload::Shared(contents) => bytes_of(contents).len() as u64,
            Payload::File(_, length) => *length,
        };
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {length}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
            self.status,
            reason(self.status),
            self.content_type
        );
        if close {
            head.push_str("Connection: close\r\n");
        }
        if let Some((name, value)) = &self.extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        writer.write_all(head.as_bytes())?;
        if !head_only {
            match self.body {
                Payload::Owned(bytes) => writer.write_all(&bytes)?,
                Payload::Shared(contents) => writer.write_all(bytes_of(&contents))?,
                Payload::File(mut file, _) => {
                    std::io::copy(&mut file, writer)?;
                }
            }
        }
        writer.flush()
    }
}

/// The bytes of a file held in memory; none for a copied file, which is never `Shared`.
fn bytes_of(contents: &Contents) -> &[u8] {
    match contents {
        Contents::Bytes(bytes) => bytes,
        Contents::Embedded(bytes) => bytes,
        Contents::CopyOf(_) => &[],
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_responses_that_close_and_omit_the_body_for_head() {
        let reply = || Reply::plain(301, "Moved.").with("Location", "/x/".into());
        let mut full = Vec::new();
        reply().write(&mut full, false, true).unwrap();
        let full = String::from_utf8(full).unwrap();
        assert!(
            full.starts_with("HTTP/1.1 301 Moved Permanently\r\n"),
            "{full}"
        );
        assert!(full.contains("\r\nConnection: close\r\n"));
        assert!(full.contains("\r\nCache-Control: no-store\r\n"));
        assert!(full.contains("\r\nLocation: /x/\r\n"));
        assert!(full.contains("\r\nContent-Length: 6\r\n"));
        assert!(full.ends_with("\r\n\r\nMoved."));
        let mut head = Vec::new();
        reply().write(&mut head, true, true).unwrap();
        assert!(String::from_utf8(head).unwrap().ends_with("Content-Length: 6\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nLocation: /x/\r\n\r\n"));
    }

    #[test]
    fn promises_no_close_on_a_connection_kept_alive() {
        let mut bytes = Vec::new();
        let shared = Arc::new(Contents::Bytes(b"body { }".to_vec()));
        let reply = Reply {
            status: 200,
            content_type: "text/css",
            extra: None,
            body: Payload::Shared(shared),
        };
        reply.write(&mut bytes, false, false).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("Connection:"), "{text}");
        assert!(text.contains("\r\nContent-Length: 8\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\nbody { }"), "{text}");
    }
}
