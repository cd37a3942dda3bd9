//! Writing: the rendered files go into a staging folder beside the output folder, which replaces
//! the output folder only once everything is written. A failure leaves the old site as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::SITE_SOURCES;
use crate::output::{Contents, OutputFile};

/// Refuses, before anything is built or written, an output folder whose replacement would
/// delete what the editor wrote: the site folder or a folder above it, a source folder or
/// anything inside one, an existing file, another site or a git repository. Messages quote the
/// output as the user typed it.
pub fn check_destination(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let refuse = |message: String, hint: &str| {
        Err(Diagnostic::error("unsafe-output", message).with_hint(hint.to_string()))
    };
    let separate = "write the website to a folder of its own, such as --output public (the default) or a folder outside the site";
    let shown = output.display();
    if output.is_file() {
        return refuse(
            format!("--output {shown} is a file; building there would replace it with the website"),
            "name a folder for the website instead, such as --output public (the default)",
        );
    }
    let (Ok(root), Ok(output)) = (resolved(root), resolved(output)) else {
        // A path that cannot be resolved cannot be built into either; the writer says why.
        return Ok(());
    };
    if output == root {
        return refuse(
            format!(
                "--output {shown} is the site folder itself; building there would delete site.yaml, content/ and everything else you wrote"
            ),
            separate,
        );
    }
    if root.starts_with(&output) {
        return refuse(
            format!(
                "--output {shown} holds the site folder ({}); building there would delete the site and everything else in {shown}",
                root.display()
            ),
            separate,
        );
    }
    for source in SITE_SOURCES {
        let source_path = root.join(source);
        let kind = if source.contains('.') { "" } else { "/" };
        if output == source_path {
            return refuse(
                format!(
                    "--output {shown} is the site's {source}{kind}; building there would delete what you wrote in it"
                ),
                separate,
            );
        }
        if output.starts_with(&source_path) {
            return refuse(
                format!(
                    "--output {shown} is inside the site's {source}{kind}; building there would mix the website into what you wrote, and the next build would read it back in"
                ),
                separate,
            );
        }
    }
    for marker in [crate::load::config::CONFIG_FILE, ".git"] {
        if output.join(marker).exists() {
            return refuse(
                format!(
                    "--output {shown} holds {marker}, so it is another site or a repository; building there would delete everything in it"
                ),
                separate,
            );
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

/// Writes `files` to `output` atomically (as far as the file system allows: two renames).
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), String> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    remove_if_present(&staging)?;
    let result = write_all(&staging, files).and_then(|()| swap_in(&staging, output, &retired));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[OutputFile]) -> Result<(), String> {
    fs::create_dir_all(staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        let written = match &file.contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::Embedded(bytes) => fs::write(&target, bytes),
            Contents::CopyOf(source) => fs::copy(source, &target).map(|_| ()),
        };
        written.map_err(|e| format!("cannot write {}: {e}", target.display()))
    })
}

fn swap_in(staging: &Path, output: &Path, retired: &Path) -> Result<(), String> {
    let had_output = output.exists();
    if had_output {
        remove_if_present(retired)?;
        fs::rename(output, retired)
            .map_err(|e| format!("cannot move the old {} aside: {e}", output.display()))?;
    }
    if let Err(error) = fs::rename(staging, output) {
        if had_output {
            let _ = fs::rename(retired, output);
        }
        return Err(format!(
            "cannot move the new site into {}: {error}",
            output.display()
        ));
    }
    if had_output {
        // The new site is in place; failing to delete the old copy loses nothing.
        remove_in_parallel(retired);
    }
    Ok(())
}

/// Deleting 10,000 old pages one by one costs as much as writing the new ones; the top-level
/// folders are removed side by side instead.
fn remove_in_parallel(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.par_iter().for_each(|path| {
            let _ = if path.is_dir() {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
        });
    }
    let _ = fs::remove_dir_all(dir);
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("stale.html"), "old").unwrap();
        let files = vec![OutputFile {
            path: "a/index.html".into(),
            contents: Contents::Bytes(b"new".to_vec()),
        }];
        write_site(&output, &files).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!output.join("stale.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
