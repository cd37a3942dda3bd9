//! Watching a site's folders for changes (notify): whole folders, never single files (editors
//! that save by writing a new file and renaming it over the old one would end a file watch),
//! editors' temporary files left out, and bursts of events gathered into one batch. It falls
//! back to polling where change notifications do not arrive. Nothing here knows about pages.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RemoveKind};
use notify::{RecursiveMode, Watcher};

/// What to watch: folders (with everything below them) and single files, relative to `root`.
#[derive(Debug, Clone)]
pub struct Watched {
    pub root: PathBuf,
    pub folders: Vec<String>,
    pub files: Vec<String>,
}

/// One batch of changes, after the burst that caused it has settled.
#[derive(Debug, Default)]
pub struct Batch {
    /// Absolute paths written, created, removed or renamed (both names).
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost (the kernel queue overflowed, or the watcher failed): look at
    /// everything again.
    pub rescan: bool,
    /// Problems worth telling the user about.
    pub warnings: Vec<String>,
}

/// How long a change must be followed by quiet before its batch is handed over. An editor's
/// save (write a new file, rename it over the old, delete the backup) takes a millisecond or
/// two and touches one file.
const QUIET: Duration = Duration::from_millis(20);
/// Once a batch holds more than one file it is a bulk operation (a `git checkout`, a copy, an
/// unzip), which can pause between files: waiting longer makes it one rebuild, not several.
const BULK_QUIET: Duration = Duration::from_millis(250);
/// A batch is handed over after this long even if events keep coming.
const LONGEST_WAIT: Duration = Duration::from_secs(3);
/// The polling interval when events cannot be used.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Why changes are found by polling instead of by notification.
#[derive(Debug, Clone)]
pub enum PollReason {
    Asked,
    /// The site is on a file system whose changes are not notified (its type, e.g. `nfs4`).
    FileSystem(String),
    /// Notification could not be set up (the message says why).
    Unavailable(String),
}

pub struct Watch {
    watched: Watched,
    /// The notifying watcher; `None` when polling, which looks at everything each time.
    watcher: Option<Mutex<Box<dyn Watcher + Send>>>,
    events: Receiver<notify::Result<notify::Event>>,
    polling: Option<PollReason>,
}

impl Watch {
    /// Starts watching; `poll` forces polling. Notification is used where it works.
    pub fn start(watched: Watched, poll: bool) -> Result<Watch, String> {
        let reason = if poll {
            Some(PollReason::Asked)
        } else {
            unnotified_file_system(&watched.root).map(PollReason::FileSystem)
        };
        let (sender, events) = channel();
        let (watcher, polling) = match reason {
            Some(reason) => (None, Some(reason)),
            None => match start_native(&watched, sender.clone()) {
                Ok(watcher) => (Some(Mutex::new(watcher)), None),
                Err(problem) => (None, Some(PollReason::Unavailable(problem))),
            },
        };
        if polling.is_some() {
            start_polling(&watched, sender);
        }
        Ok(Watch {
            watched,
            watcher,
            events,
            polling,
        })
    }

    /// One line saying what is watched and how.
    pub fn describe(&self) -> String {
        let mut names: Vec<String> = self
            .watched
            .folders
            .iter()
            .map(|f| format!("{f}/"))
            .collect();
        names.extend(self.watched.files.iter().cloned());
        let listed = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        };
        let every = format!("{:.1} s", POLL_INTERVAL.as_secs_f64());
        let how = match &self.polling {
            None => "as they happen".to_string(),
            Some(PollReason::Asked) => format!("by checking every {every} (--poll)"),
            Some(PollReason::FileSystem(kind)) => format!(
                "by checking every {every}: the site is on a {kind} file system, which does not report changes"
            ),
            Some(PollReason::Unavailable(problem)) => {
                format!("by checking every {every}, because {problem}")
            }
        };
        format!("Watching {listed} for changes {how}")
    }

    /// Waits for the next change and returns it with everything that followed it closely.
    /// `None` when watching has stopped.
    pub fn next_batch(&self) -> Option<Batch> {
        let mut batch = Batch::default();
        while !self.take(self.events.recv().ok()?, &mut batch) {}
        let started = Instant::now();
        let mut last_change = started;
        loop {
            let quiet = if batch.paths.len() > 1 || batch.rescan {
                BULK_QUIET
            } else {
                QUIET
            };
            let deadline = (last_change + quiet).min(started + LONGEST_WAIT);
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    if self.take(event, &mut batch) {
                        last_change = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    /// Adds one event to the batch; true if it changed anything that matters.
    fn take(&self, event: notify::Result<notify::Event>, batch: &mut Batch) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                batch.rescan = true;
                let problem = describe_error(&error);
                batch.warnings.push(format!(
                    "{problem}; looking at every file again (if this repeats, restart with --poll)"
                ));
                return true;
            }
        };
        if event.need_rescan() {
            batch.rescan = true;
            return true;
        }
        if !is_change(&event.kind) {
            return false;
        }
        let mut counted = false;
        for path in event.paths {
            if let Some(rel) = self.relevant(&path) {
                if self.watched.folders.iter().any(|f| Path::new(f) == rel) {
                    // A watched folder appeared, disappeared or was renamed: watch it afresh.
                    self.rewatch(&path, batch);
                }
                batch.paths.insert(path);
                counted = true;
            }
        }
        counted
    }

    /// The path relative to the root, if it is one of the watched files or inside a watched
    /// folder and is not an editor's temporary file.
    fn relevant<'a>(&self, path: &'a Path) -> Option<&'a Path> {
        let rel = path.strip_prefix(&self.watched.root).ok()?;
        let mut components = rel.components();
        let first = match components.next()? {
            Component::Normal(name) => name.to_str()?,
            _ => return None,
        };
        let watched = self.watched.folders.iter().any(|f| f == first)
            || (self.watched.files.iter().any(|f| f == first) && components.next().is_none());
        let temporary = rel.components().any(|c| match c {
            Component::Normal(name) => is_temporary(&name.to_string_lossy()),
            _ => true,
        });
        (watched && !temporary).then_some(rel)
    }

    fn rewatch(&self, folder: &Path, batch: &mut Batch) {
        let Some(Ok(mut watcher)) = self.watcher.as_ref().map(Mutex::lock) else {
            return;
        };
        let _ = watcher.unwatch(folder);
        if folder.is_dir()
            && let Err(error) = watcher.watch(folder, RecursiveMode::Recursive)
        {
            batch.warnings.push(describe_error(&error));
        }
    }
}

/// Saves and deletions change files; opening and reading (our own rebuild reads every file it
/// changed) do not.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Editors' swap, backup, lock and temporary files, and hidden files: vim (`.x.swp`, `x~`,
/// `4913`), emacs (`.#x`, `#x#`), gedit (`.goutputstream-…`), JetBrains (`x___jb_tmp___`).
pub fn is_temporary(name: &str) -> bool {
    crate::load::is_ignored_name(name)
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swo")
        || name.ends_with(".crswap")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

fn start_native(
    watched: &Watched,
    sender: Sender<notify::Result<notify::Event>>,
) -> Result<Box<dyn Watcher + Send>, String> {
    let mut watcher = notify::recommended_watcher(sender).map_err(|e| describe_error(&e))?;
    add_watches(&mut watcher, watched)?;
    Ok(Box::new(watcher))
}

/// Polls in a thread of its own, comparing each file's size and modification time (to the
/// nanosecond where the file system keeps it) with the last look. notify's own poller
/// compares whole seconds only, so it misses a second save within the same second.
fn start_polling(watched: &Watched, sender: Sender<notify::Result<notify::Event>>) {
    let watched = watched.clone();
    std::thread::spawn(move || {
        let mut before = look(&watched);
        loop {
            std::thread::sleep(POLL_INTERVAL);
            let now = look(&watched);
            for (path, kind) in differences(&before, &now) {
                let event = notify::Event::new(kind).add_path(path);
                if sender.send(Ok(event)).is_err() {
                    return;
                }
            }
            before = now;
        }
    });
}

/// What polling compares: size and modification time of every file and folder watched.
type Look = HashMap<PathBuf, (u64, Option<SystemTime>)>;

fn look(watched: &Watched) -> Look {
    let mut seen = Look::new();
    let mut note = |path: &Path| {
        if let Ok(metadata) = std::fs::metadata(path) {
            let stamp = (metadata.len(), metadata.modified().ok());
            seen.insert(path.to_path_buf(), stamp);
        }
    };
    for file in &watched.files {
        note(&watched.root.join(file));
    }
    for folder in &watched.folders {
        let walk = walkdir::WalkDir::new(watched.root.join(folder)).follow_links(true);
        for entry in walk.into_iter().filter_map(Result::ok) {
            note(entry.path());
        }
    }
    seen
}

fn differences(before: &Look, now: &Look) -> Vec<(PathBuf, EventKind)> {
    let mut changes = Vec::new();
    for (path, stamp) in now {
        match before.get(path) {
            None => changes.push((path.clone(), EventKind::Create(CreateKind::Any))),
            Some(old) if old != stamp => {
                changes.push((path.clone(), EventKind::Modify(ModifyKind::Any)));
            }
            Some(_) => {}
        }
    }
    for path in before.keys().filter(|p| !now.contains_key(*p)) {
        changes.push((path.clone(), EventKind::Remove(RemoveKind::Any)));
    }
    changes
}

/// The root itself, without its sub-folders, for its watched files and for watched folders
/// appearing later; each watched folder that exists, with everything in it.
fn add_watches(watcher: &mut dyn Watcher, watched: &Watched) -> Result<(), String> {
    watcher
        .watch(&watched.root, RecursiveMode::NonRecursive)
        .map_err(|e| describe_error(&e))?;
    for folder in &watched.folders {
        let path = watched.root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| describe_error(&e))?;
        }
    }
    Ok(())
}

fn describe_error(error: &notify::Error) -> String {
    match &error.kind {
        notify::ErrorKind::MaxFilesWatch => "the system's limit on watched folders is reached \
            (inotify max_user_watches; raise it with \
            `sudo sysctl fs.inotify.max_user_watches=524288`, and add the setting to \
            /etc/sysctl.conf to keep it)"
            .to_string(),
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(24) => "too many files are open \
            (the system's limit on inotify instances may be reached: \
            fs.inotify.max_user_instances)"
            .to_string(),
        _ => {
            let paths: Vec<String> = error
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            if paths.is_empty() {
                format!("watching failed: {error}")
            } else {
                format!("watching {} failed: {error}", paths.join(", "))
            }
        }
    }
}

/// File systems where the kernel never hears of changes made elsewhere: network shares, and
/// Windows drives seen from WSL2.
const UNNOTIFIED_FILE_SYSTEMS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "9p",
    "drvfs",
    "fuse.sshfs",
    "fuse.rclone",
];

/// The type of the file system holding `root`, if changes on it are not notified.
fn unnotified_file_system(root: &Path) -> Option<String> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    let kind = file_system_of(&mounts, root)?;
    UNNOTIFIED_FILE_SYSTEMS
        .contains(&kind.as_str())
        .then_some(kind)
}

/// The type of the longest mount point in `mounts` (the `/proc/mounts` format) containing `path`.
fn file_system_of(mounts: &str, path: &Path) -> Option<String> {
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let _device = fields.next()?;
            let mount_point = fields.next()?.replace("\\040", " ");
            let kind = fields.next()?;
            path.starts_with(&mount_point)
                .then(|| (mount_point.len(), kind.to_string()))
        })
        .max_by_key(|(length, _)| *length)
        .map(|(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_editors_temporary_files() {
        for name in [
            ".x.md.swp",
            "x.md~",
            "4913",
            ".#x.md",
            "#x.md#",
            ".goutputstream-ABC123",
            "x.md___jb_tmp___",
        ] {
            assert!(is_temporary(name), "{name}");
        }
        for name in ["x.md", "minutes.pdf", "style.css"] {
            assert!(!is_temporary(name), "{name}");
        }
    }

    #[test]
    fn finds_the_file_system_of_the_deepest_mount() {
        let mounts = "/dev/sda1 / ext4 rw 0 0\nserver:/export /mnt/share nfs4 rw 0 0\n\
                      drvfs /mnt/c 9p rw 0 0\n";
        let kind = |p: &str| file_system_of(mounts, Path::new(p));
        assert_eq!(kind("/home/me/site").as_deref(), Some("ext4"));
        assert_eq!(kind("/mnt/share/site").as_deref(), Some("nfs4"));
        assert_eq!(kind("/mnt/c/Users/me/site").as_deref(), Some("9p"));
        assert_eq!(kind("/mnt/shared").as_deref(), Some("ext4"));
    }

    #[test]
    fn polling_notices_a_second_save_within_the_same_second() {
        let dir = tempfile::tempdir().unwrap();
        let watched = Watched {
            root: dir.path().to_path_buf(),
            folders: vec!["content".into()],
            files: vec!["site.yaml".into()],
        };
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "one").unwrap();
        let before = look(&watched);
        std::fs::write(dir.path().join("content/a.md"), "two!").unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: x").unwrap();
        let changes = differences(&before, &look(&watched));
        let paths: BTreeSet<PathBuf> = changes.into_iter().map(|(p, _)| p).collect();
        assert!(
            paths.contains(&dir.path().join("content/a.md")),
            "{paths:?}"
        );
        assert!(paths.contains(&dir.path().join("site.yaml")), "{paths:?}");
    }

    /// A watch fed by the test instead of the system.
    fn fed_watch(root: &Path) -> (Watch, Sender<notify::Result<notify::Event>>) {
        let (sender, events) = channel();
        let watched = Watched {
            root: root.to_path_buf(),
            folders: vec!["content".into()],
            files: vec!["site.yaml".into()],
        };
        let watch = Watch {
            watched,
            watcher: None,
            events,
            polling: None,
        };
        (watch, sender)
    }

    fn event(kind: EventKind, path: &Path) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(path.to_path_buf()))
    }

    #[test]
    fn batches_what_matters_and_asks_for_a_rescan_when_events_were_lost() {
        let root = Path::new("/site");
        let (watch, sender) = fed_watch(root);
        let modify = EventKind::Modify(ModifyKind::Any);
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        sender
            .send(event(open, &root.join("content/a.md")))
            .unwrap();
        sender
            .send(event(modify, &root.join("content/.a.md.swp")))
            .unwrap();
        sender
            .send(event(modify, &root.join("public/index.html")))
            .unwrap();
        sender
            .send(event(modify, &root.join("content/a.md")))
            .unwrap();
        sender.send(event(modify, &root.join("site.yaml"))).unwrap();
        let batch = watch.next_batch().unwrap();
        let expected: BTreeSet<PathBuf> =
            [root.join("content/a.md"), root.join("site.yaml")].into();
        assert_eq!(batch.paths, expected);
        assert!(!batch.rescan);

        let lost = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        sender.send(Ok(lost)).unwrap();
        assert!(watch.next_batch().unwrap().rescan);
    }

    #[test]
    fn explains_the_watch_limit() {
        let message = describe_error(&notify::Error::new(notify::ErrorKind::MaxFilesWatch));
        assert!(message.contains("max_user_watches"), "{message}");
        assert!(
            message.contains("sudo sysctl fs.inotify.max_user_watches="),
            "{message}"
        );
    }

    #[test]
    fn opening_and_reading_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
    }
}
