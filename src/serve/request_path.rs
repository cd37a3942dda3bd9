//! From a requested URL path to the output file that answers it: the inverse of the pipeline's
//! mapping from pages to files (`priorities/x/` is `priorities/x/index.html`, through
//! [`routes::page_file`]). Anything that
//! could name something outside the site, or name it in two ways, is refused.

use crate::html::urls::{encode_segment, percent_decode_exact};
use crate::routes;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file, by its path relative to the site (`priorities/x/index.html`).
    File(String),
    /// A folder asked for without its final `/`: the address to send the browser to.
    Redirect(String),
    NotFound,
}

/// Resolves the path of a request (`/priorities/x/?q`) against the files of the site, which
/// `exists` answers for. Percent-escapes are decoded exactly once.
pub fn resolve(request_target: &str, exists: impl Fn(&str) -> bool) -> Target {
    let Some((segments, folder)) = segments(request_target) else {
        return Target::NotFound;
    };
    let joined = segments.join("/");
    let folder_file = || routes::page_file(&format!("{joined}/"));
    if folder {
        let index = if joined.is_empty() {
            routes::page_file("")
        } else {
            folder_file()
        };
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(&joined) {
        Target::File(joined)
    } else if exists(&folder_file()) {
        let encoded: Vec<String> = segments.iter().map(|s| encode_segment(s)).collect();
        Target::Redirect(format!("/{}/", encoded.join("/")))
    } else {
        Target::NotFound
    }
}

/// The decoded segments of the path, and whether it names a folder (ends with `/`). `None`
/// for anything but a plain path from the root: `..` and `.` segments (written or encoded),
/// encoded `/` or `\`, backslashes, control characters including NUL, `//`, drive letters
/// and stream names (`:`), bad escapes and text that is not UTF-8.
fn segments(request_target: &str) -> Option<(Vec<String>, bool)> {
    let path = request_target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/')?;
    let folder = rest.is_empty() || rest.ends_with('/');
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some((Vec::new(), folder));
    }
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let segment = decode_segment(raw)?;
        let forbidden =
            segment.is_empty() || segment == "." || segment == ".." || segment.contains(':');
        if forbidden {
            return None;
        }
        segments.push(segment);
    }
    Some((segments, folder))
}

/// One segment decoded, or `None` for a bad escape, an encoded `/`, a backslash, a control
/// character or text that is not UTF-8.
fn decode_segment(raw: &str) -> Option<String> {
    let decoded = percent_decode_exact(raw)?;
    let refused = |&byte: &u8| byte == b'/' || byte == b'\\' || byte.is_ascii_control();
    if decoded.iter().any(refused) {
        return None;
    }
    String::from_utf8(decoded).ok()
}

/// The media type to send for an output file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[&str] = &[
        "index.html",
        "style.css",
        "priorities/county-lines/index.html",
        "meetings/index.html",
        "café/index.html",
        "docs/minutes 2020.pdf",
    ];

    fn resolve_in_site(target: &str) -> Target {
        resolve(target, |path| FILES.contains(&path))
    }

    #[test]
    fn maps_folders_to_their_index() {
        assert_eq!(resolve_in_site("/"), Target::File("index.html".into()));
        assert_eq!(
            resolve_in_site("/priorities/county-lines/?from=home"),
            Target::File("priorities/county-lines/index.html".into())
        );
        assert_eq!(
            resolve_in_site("/style.css"),
            Target::File("style.css".into())
        );
        assert_eq!(
            resolve_in_site("/docs/minutes%202020.pdf"),
            Target::File("docs/minutes 2020.pdf".into())
        );
    }

    #[test]
    fn redirects_folders_without_a_final_slash() {
        assert_eq!(
            resolve_in_site("/meetings"),
            Target::Redirect("/meetings/".into())
        );
        assert_eq!(
            resolve_in_site("/caf%C3%A9"),
            Target::Redirect("/caf%C3%A9/".into())
        );
    }

    #[test]
    fn rejects_parent_dir_and_other_escapes() {
        let exists_anywhere = |_: &str| true;
        for probe in [
            "/../etc/passwd",
            "/priorities/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/%2fetc%2fpasswd",
            "/..%5cetc%5cpasswd",
            "/..\\etc\\passwd",
            "/style.css%00.html",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/a/./b",
            "/%c0%ae%c0%ae/etc/passwd",
            "/%zz",
            "/%2",
            "etc/passwd",
            "http://example.org/etc/passwd",
        ] {
            assert_eq!(resolve(probe, exists_anywhere), Target::NotFound, "{probe}");
        }
    }

    #[test]
    fn decodes_escapes_once_only() {
        // `%252e%252e` is the text `%2e%2e`, a file name, not `..`.
        let asked = std::cell::RefCell::new(Vec::new());
        resolve("/%252e%252e/x", |p| {
            asked.borrow_mut().push(p.to_string());
            false
        });
        assert_eq!(asked.borrow()[0], "%2e%2e/x");
    }

    #[test]
    fn names_media_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("font.WOFF2"), "font/woff2");
        assert_eq!(content_type("m.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
