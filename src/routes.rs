//! Every address of the built site, and the path arithmetic that leads to them.

/// The folder part of a content-relative path, with its trailing `/` (`""` at the top).
pub fn parent_folder(rel_path: &str) -> &str {
    rel_path.rfind('/').map_or("", |i| &rel_path[..=i])
}

/// Collapses `.` and `..`; `None` when the path climbs out of `content/`.
pub fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}
