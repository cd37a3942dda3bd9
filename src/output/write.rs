//! Writing: the rendered files go into a staging folder beside the output folder, which takes
//! the output folder's place only once everything is written. A failure leaves the old site as
//! it was. On Linux the two folders are exchanged in one step (`renameat2` with
//! `RENAME_EXCHANGE`), so a reader always finds a whole site; elsewhere it takes two renames.
//! An output folder that is a mount point (a Docker volume, a CI cache) cannot be renamed: the
//! site is staged inside it and its contents are replaced one by one, which is not atomic.
//!
//! Every folder Waymark stages or retires holds a marker file while it could be left behind by a
//! killed build, and is named after the output folder and the process: the next build deletes
//! the ones whose process is gone, and nothing else.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{Contents, OutputFile};

/// How the new site took the old one's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// In one step: a reader saw the old site or the new one, never neither.
    Atomic,
    /// In two renames, where the system cannot exchange two folders: for a moment there was no
    /// output folder.
    TwoRenames,
    /// The output folder is a mount point, which cannot be renamed: its contents were replaced
    /// one by one.
    ContentsReplaced,
}

/// Marks a folder as Waymark's own to delete if a build is killed while it exists.
const MARKER: &str = ".waymark-staging";

/// Writes `files` to `output`, replacing it as a whole once everything is written.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<Swap, String> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    remove_leftovers(&parent, &format!(".{name}."));
    if is_mount_point(output) {
        return replace_contents(output, files);
    }
    let staging = owned_folder(&parent, &format!(".{name}."), "staging");
    remove_if_present(&staging)?;
    let result = write_all(&staging, files).and_then(|()| swap_in(&staging, output, files));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// `dir/<prefix><kind>-<pid>`: a folder of this process's.
fn owned_folder(dir: &Path, prefix: &str, kind: &str) -> PathBuf {
    dir.join(format!("{prefix}{kind}-{}", std::process::id()))
}

/// Writes every file under `staging`, which is marked as Waymark's until it is swapped in.
fn write_all(staging: &Path, files: &[OutputFile]) -> Result<(), String> {
    fs::create_dir_all(staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    mark(staging)?;
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

fn mark(folder: &Path) -> Result<(), String> {
    let marker = folder.join(MARKER);
    fs::write(
        &marker,
        "made by waymark build; deleted when the build finishes\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", marker.display()))
}

fn unmark(folder: &Path) -> Result<(), String> {
    let marker = folder.join(MARKER);
    fs::remove_file(&marker).map_err(|e| format!("cannot remove {}: {e}", marker.display()))
}

fn swap_in(staging: &Path, output: &Path, files: &[OutputFile]) -> Result<Swap, String> {
    unmark(staging)?;
    if !output.exists() {
        fs::rename(staging, output).map_err(|e| cannot_move_in(output, &e))?;
        return Ok(Swap::Atomic);
    }
    match exchange(staging, output) {
        // `staging` now holds the old site.
        Ok(()) => {
            retire(staging);
            return Ok(Swap::Atomic);
        }
        Err(e) if is_mount_error(&e) => return replace_after_all(staging, output, files),
        // The system or file system cannot exchange folders: two renames instead.
        Err(_) => {}
    }
    let parent = staging.parent().unwrap_or(Path::new("."));
    let name = output.file_name().unwrap_or_default().to_string_lossy();
    let retired = owned_folder(parent, &format!(".{name}."), "old");
    remove_if_present(&retired)?;
    if let Err(e) = fs::rename(output, &retired) {
        if is_mount_error(&e) {
            return replace_after_all(staging, output, files);
        }
        return Err(format!(
            "cannot move the old {} aside: {e}",
            output.display()
        ));
    }
    if let Err(error) = fs::rename(staging, output) {
        let _ = fs::rename(&retired, output);
        return Err(cannot_move_in(output, &error));
    }
    retire(&retired);
    Ok(Swap::TwoRenames)
}

fn cannot_move_in(output: &Path, error: &io::Error) -> String {
    format!(
        "cannot move the new site into {}: {error}",
        output.display()
    )
}

/// A mount point that `is_mount_point` could not see (a bind mount on the same device): the
/// staged site cannot be moved in, so it is written again inside the output folder.
fn replace_after_all(staging: &Path, output: &Path, files: &[OutputFile]) -> Result<Swap, String> {
    let _ = fs::remove_dir_all(staging);
    replace_contents(output, files)
}

/// Deletes an old site that has been moved aside; failing to delete it loses nothing, and a
/// later build finds it by its marker.
fn retire(old: &Path) {
    if mark(old).is_ok() {
        remove_in_parallel(old);
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Renaming a mount point fails with "busy"; renaming into one from outside, with "cross-device".
fn is_mount_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

/// Whether `output` is a folder on another device than its parent: a mount point.
#[cfg(unix)]
fn is_mount_point(output: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = output.join("..");
    match (fs::metadata(output), fs::metadata(parent)) {
        (Ok(folder), Ok(parent)) => folder.is_dir() && folder.dev() != parent.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

/// Writes the site into a staging folder inside `output` (on the same device as its contents),
/// then deletes everything else in `output` and moves the new files up. Not atomic: a reader
/// can see a half-replaced site for a moment.
fn replace_contents(output: &Path, files: &[OutputFile]) -> Result<Swap, String> {
    remove_leftovers(output, ".waymark.");
    let staging = owned_folder(output, ".waymark.", "staging");
    remove_if_present(&staging)?;
    if let Err(error) = write_all(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    for old in listed(output)?.into_iter().filter(|p| *p != staging) {
        remove_path(&old).map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
    }
    unmark(&staging)?;
    for new in listed(&staging)? {
        let target = output.join(new.file_name().unwrap_or_default());
        fs::rename(&new, &target).map_err(|e| cannot_move_in(output, &e))?;
    }
    fs::remove_dir(&staging).map_err(|e| format!("cannot remove {}: {e}", staging.display()))?;
    Ok(Swap::ContentsReplaced)
}

fn listed(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    Ok(entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
}

/// Deletes what killed builds left in `dir`: folders named `<prefix>staging-<pid>` or
/// `<prefix>old-<pid>` that hold the marker, of a process that is gone. Anything else stays.
fn remove_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let pid = rest
            .strip_prefix("staging-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|pid| pid.parse::<u32>().ok());
        let path = entry.path();
        let owned = pid.is_some_and(|pid| pid != std::process::id() && !is_running(pid, &path));
        if owned && path.join(MARKER).is_file() {
            remove_in_parallel(&path);
        }
    }
}

/// Whether process `pid` may still be writing `folder`. Linux says which processes run; elsewhere
/// a folder untouched for a day is taken to be abandoned.
fn is_running(pid: u32, folder: &Path) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    let modified = fs::metadata(folder).and_then(|m| m.modified());
    !modified.is_ok_and(|time| time.elapsed().is_ok_and(|age| age > day))
}

/// Deleting 10,000 old pages one by one costs as much as writing the new ones; the top-level
/// folders are removed side by side instead.
fn remove_in_parallel(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.par_iter().for_each(|path| {
            // The marker goes last, so a folder interrupted while deleting is still known.
            if path.file_name().is_some_and(|n| n == MARKER) {
                return;
            }
            let _ = remove_path(path);
        });
    }
    let _ = fs::remove_dir_all(dir);
}

fn remove_path(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
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

    fn page(text: &str) -> Vec<OutputFile> {
        vec![OutputFile {
            path: "index.html".into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }]
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        // Process numbers above Linux's largest possible one, so no such process runs.
        let leftover = |name: &str, marked: bool| {
            let folder = dir.path().join(name);
            fs::create_dir_all(folder.join("meetings")).unwrap();
            fs::write(folder.join("meetings/index.html"), "half a site").unwrap();
            if marked {
                fs::write(folder.join(MARKER), "").unwrap();
            }
        };
        leftover(".public.staging-4194400", true);
        leftover(".public.old-4194401", true);
        leftover(".public.staging-4194402", false);
        leftover(".other.staging-4194403", true);
        leftover(".public.staging-notapid", true);
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        write_site(&dir.path().join("public"), &page("new")).unwrap();
        assert_eq!(
            names_in(dir.path()),
            [
                ".other.staging-4194403",
                ".public.staging-4194402",
                ".public.staging-notapid",
                "notes.txt",
                "public"
            ]
        );
        assert_eq!(names_in(&dir.path().join("public")), ["index.html"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_reader_always_finds_a_whole_site() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &page("first")).unwrap();
        let done = AtomicBool::new(false);
        let (reads, misses) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    reads.fetch_add(1, Ordering::Relaxed);
                    if fs::read(output.join("index.html")).is_err() {
                        misses.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            for n in 0..30 {
                let swap = write_site(&output, &page(&format!("build {n}"))).unwrap();
                assert_eq!(swap, Swap::Atomic);
            }
            done.store(true, Ordering::Relaxed);
        });
        assert!(reads.load(Ordering::Relaxed) > 30, "the reader hardly ran");
        assert_eq!(misses.load(Ordering::Relaxed), 0);
        assert_eq!(names_in(dir.path()), ["public"]);
    }

    #[test]
    fn contents_are_replaced_where_the_folder_cannot_be_moved() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("volume");
        fs::create_dir_all(output.join("old-section")).unwrap();
        fs::write(output.join("old-section/index.html"), "stale").unwrap();
        fs::write(output.join("index.html"), "old").unwrap();
        let swap = replace_contents(&output, &page("new")).unwrap();
        assert_eq!(swap, Swap::ContentsReplaced);
        assert_eq!(names_in(&output), ["index.html"]);
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "new"
        );
    }

    /// A real mount point (a tmpfs, as a Docker volume or CI cache would be). Mounting needs
    /// root, which CI has; elsewhere the test says it could not mount and checks nothing more.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_mount_point_gets_its_contents_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(&output).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "tmpfs"])
            .arg(&output)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("cannot mount a tmpfs here (not root?): mount-point test skipped");
            return;
        }
        fs::write(output.join("stale.html"), "old").unwrap();
        let result = write_site(&output, &page("new"));
        let names = names_in(&output);
        let _ = std::process::Command::new("umount").arg(&output).status();
        assert_eq!(result.unwrap(), Swap::ContentsReplaced);
        assert_eq!(names, ["index.html"]);
        assert_eq!(names_in(dir.path()), ["public"]);
    }

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
