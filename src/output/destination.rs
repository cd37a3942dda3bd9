//! Where the website may be written. Building replaces the output folder whole, so a folder
//! that holds what the editor wrote is refused before anything is built or written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::load::SITE_SOURCES;

const SEPARATE: &str = "write the website to a folder of its own, such as --output public (the default) or a folder outside the site";

/// Refuses an output folder whose replacement would delete what the editor wrote: the site
/// folder or a folder above it, a source folder or anything inside one, an existing file,
/// another site or a git repository. Messages quote the output as the user typed it.
pub fn check_destination(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let shown = output.display().to_string();
    if output.is_file() {
        return Err(refuse(
            format!("--output {shown} is a file; building there would replace it with the website"),
            "name a folder for the website instead, such as --output public (the default)",
        ));
    }
    let (Ok(root), Ok(output)) = (resolved(root), resolved(output)) else {
        // A path that cannot be resolved cannot be built into either; the writer says why.
        return Ok(());
    };
    check_site_folder(&root, &output, &shown)?;
    check_sources(&root, &output, &shown)?;
    for marker in [crate::load::CONFIG_FILE, ".git"] {
        if output.join(marker).exists() {
            return Err(refuse(
                format!(
                    "--output {shown} holds {marker}, so it is another site or a repository; building there would delete everything in it"
                ),
                SEPARATE,
            ));
        }
    }
    Ok(())
}

fn refuse(message: String, hint: &str) -> Diagnostic {
    Diagnostic::error("unsafe-output", message).with_hint(hint)
}

/// The site folder itself, or a folder that holds it.
fn check_site_folder(root: &Path, output: &Path, shown: &str) -> Result<(), Diagnostic> {
    if output == root {
        return Err(refuse(
            format!(
                "--output {shown} is the site folder itself; building there would delete site.yaml, content/ and everything else you wrote"
            ),
            SEPARATE,
        ));
    }
    if root.starts_with(output) {
        return Err(refuse(
            format!(
                "--output {shown} holds the site folder ({}); building there would delete the site and everything else in {shown}",
                root.display()
            ),
            SEPARATE,
        ));
    }
    Ok(())
}

/// A source folder (or `site.yaml`), or anything inside one.
fn check_sources(root: &Path, output: &Path, shown: &str) -> Result<(), Diagnostic> {
    for source in SITE_SOURCES {
        let source_path = root.join(source);
        let kind = if source.contains('.') { "" } else { "/" };
        if output == source_path {
            return Err(refuse(
                format!(
                    "--output {shown} is the site's {source}{kind}; building there would delete what you wrote in it"
                ),
                SEPARATE,
            ));
        }
        if output.starts_with(&source_path) {
            return Err(refuse(
                format!(
                    "--output {shown} is inside the site's {source}{kind}; building there would mix the website into what you wrote, and the next build would read it back in"
                ),
                SEPARATE,
            ));
        }
    }
    Ok(())
}

/// `path` made absolute with every symbolic link resolved, including in the part of it that
/// does not exist yet, so `content/../content` and a link to `content/` are both seen as
/// `content/`.
fn resolved(path: &Path) -> io::Result<PathBuf> {
    use std::path::Component;
    let mut resolved = fs::canonicalize(std::env::current_dir()?)?;
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}
