//! `SiteTest`: a fixture site copied into a temporary folder, built with the real `waymark`
//! binary, its output read back and parsed, and compared with golden files that
//! `WAYMARK_BLESS=1` rewrites.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use scraper::{ElementRef, Html, Selector};

use crate::Date;

/// 2026-11-23 00:00 UTC. Every run of the binary gets this as `SOURCE_DATE_EPOCH`, so which
/// meetings are upcoming never depends on the day the tests run.
pub const TODAY_EPOCH: &str = "1795392000";

/// [`TODAY_EPOCH`] as a date, for tests that compare dates with "today".
pub fn today() -> Date {
    Date::parse("2026-11-23").expect("a real date")
}

/// Set to `1` to rewrite expected files from the current output instead of comparing.
pub const BLESS_VAR: &str = "WAYMARK_BLESS";

/// Whether this run rewrites golden files (`WAYMARK_BLESS=1`) instead of comparing.
pub fn blessing() -> bool {
    std::env::var(BLESS_VAR).is_ok_and(|v| v == "1")
}

/// `tests/testsuite/<rel>`: where fixtures and their expected files live.
pub fn testsuite_dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testsuite")
        .join(rel)
}

/// A site in its own temporary folder, so tests never write into the repository and can run
/// in parallel: `<temp>/site` is the site (`--root`), `<temp>/public` the output.
pub struct SiteTest {
    fixture: Option<PathBuf>,
    _turn: Turn,
    temp: tempfile::TempDir,
    /// The copied site folder (`--root`).
    pub root: PathBuf,
    /// Where builds write (`--output`): `<temp>/public`.
    pub output: PathBuf,
}

impl SiteTest {
    /// Copies `tests/testsuite/<fixture>/`, leaving out its `expected/` folder.
    pub fn new(fixture: &str) -> SiteTest {
        SiteTest::copy(fixture, Turn::shared())
    }

    /// [`SiteTest::new`] for a test that counts rebuilds or times what it does: it waits until
    /// no other `SiteTest` is in use, and none starts until it is dropped, so the other tests'
    /// builds cannot slow it down.
    pub fn alone(fixture: &str) -> SiteTest {
        SiteTest::copy(fixture, Turn::alone())
    }

    /// An empty site folder, for sites written file by file with [`SiteTest::file`].
    pub fn empty() -> SiteTest {
        let site = SiteTest::in_temp(None, Turn::shared());
        fs::create_dir_all(&site.root).expect("create the site folder");
        site
    }

    fn copy(fixture: &str, turn: Turn) -> SiteTest {
        let dir = testsuite_dir(fixture);
        assert!(dir.is_dir(), "no fixture at {}", dir.display());
        let site = SiteTest::in_temp(Some(dir.clone()), turn);
        copy_tree(&dir, &site.root, Some("expected"));
        site
    }

    fn in_temp(fixture: Option<PathBuf>, turn: Turn) -> SiteTest {
        let temp = tempfile::tempdir().expect("create a temporary folder");
        let root = temp.path().join("site");
        let output = temp.path().join("public");
        SiteTest {
            fixture,
            _turn: turn,
            temp,
            root,
            output,
        }
    }

    /// Writes `contents` to `rel` in the site and hands the site back, for chaining.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        self.write(rel, contents);
        self
    }

    /// Deletes the file or folder `rel` from the site and hands the site back.
    pub fn without(self, rel: &str) -> SiteTest {
        let path = self.path(rel);
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
        self
    }

    /// The temporary folder holding the site copy and the output.
    pub fn temp_dir(&self) -> &Path {
        self.temp.path()
    }

    /// `rel` inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read_source(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("files are in a folder"))
            .unwrap_or_else(|e| panic!("create the folder of {}: {e}", path.display()));
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Replaces the first `from` in the site's file `rel` with `to`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read_source(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Saves the way vim, gedit and VS Code's safe save do: a new file renamed over the old.
    pub fn save_by_rename(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        let temporary = path.with_file_name(".goutputstream-TEST");
        fs::write(&temporary, text).expect("write the temporary file");
        fs::rename(&temporary, &path).expect("rename it over the file");
    }

    /// Runs `waymark build --format json --root <root> --output <output>` followed by `extra`.
    pub fn run(&self, extra: &[&str]) -> Run {
        // Problems come back as JSON so tests read fields, not the human layout.
        let mut args: Vec<&str> = vec!["build", "--format", "json", "--root"];
        args.extend([utf8(&self.root), "--output", utf8(&self.output)]);
        args.extend(extra);
        waymark(&args)
    }

    /// Runs `waymark <args> --root <root>`, e.g. `check`, `new` or a human-readable `build`.
    pub fn command(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--root", utf8(&self.root)]);
        waymark(&all)
    }

    /// Builds with `extra` arguments and insists it succeeds.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        self.run(extra).success()
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// Builds, insists it succeeds, and hands the site back: `SiteTest::new(..).built()`.
    pub fn built(self) -> SiteTest {
        self.build();
        self
    }

    /// Builds and insists it fails.
    pub fn build_failing(&self) -> Run {
        self.run(&[]).failure()
    }

    /// `rel` inside the output folder.
    pub fn out(&self, rel: &str) -> PathBuf {
        self.output.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out(rel).is_file()
    }

    /// An output file; `rel` may be a folder URL such as `meetings/` (→ `index.html`).
    pub fn read(&self, rel: &str) -> String {
        let path = self.out(&page_file(rel));
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Parses an output page; `rel` may be a folder URL such as `meetings/` (→ `index.html`).
    pub fn page(&self, rel: &str) -> Page {
        Page::parse(&page_file(rel), &self.read(rel))
    }

    /// Parses an output JSON file.
    pub fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every file in the output, relative and with `/`, mapped to its bytes.
    pub fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        files_below(&self.output)
    }

    /// Every file in the output, relative and with `/`.
    pub fn output_paths(&self) -> BTreeSet<String> {
        self.output_files().into_keys().collect()
    }

    /// Every HTML page in the output, relative and with `/`.
    pub fn html_pages(&self) -> Vec<String> {
        self.output_paths()
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .collect()
    }

    /// The theme file published under a content-hashed name, e.g. `style.css` as
    /// `style.1a2b3c4d5e.css`.
    pub fn theme_file(&self, name: &str) -> String {
        let (stem, extension) = name
            .rsplit_once('.')
            .expect("a file name with an extension");
        let named: Vec<String> = self
            .output_paths()
            .into_iter()
            .filter(|p| {
                p.strip_prefix(stem)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .and_then(|rest| rest.strip_suffix(extension))
                    .and_then(|hash| hash.strip_suffix('.'))
                    .is_some_and(|hash| {
                        hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    })
            })
            .collect();
        assert_eq!(named.len(), 1, "{name} published once: {named:?}");
        named[0].clone()
    }

    /// `text` with this test's temporary folder written as `[TMP]`, for comparing messages.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.temp.path().display().to_string(), "[TMP]")
    }

    /// The fixture's `expected/` folder.
    fn expected_dir(&self) -> PathBuf {
        self.fixture
            .as_ref()
            .expect("only fixture sites have expected files")
            .join("expected")
    }

    /// Compares `actual` with the fixture's `expected/<name>`, or with `WAYMARK_BLESS=1`
    /// writes `actual` there.
    pub fn check_expected(&self, name: &str, actual: &str) {
        check_golden(&self.expected_dir().join(name), actual);
    }

    /// Compares the `<main>` element of the output page `page` (e.g. `meetings/index.html`)
    /// with the fixture's `expected/<page>`.
    pub fn check_main_file(&self, page: &str) -> &SiteTest {
        self.check_expected(page, &main_element(&self.read(page)));
        self
    }

    /// [`SiteTest::check_main_file`] for every page the fixture's `expected/` folder holds. An
    /// expected page the build no longer writes fails the test (blessing deletes it), so no
    /// golden file outlives its page.
    pub fn check_all_main_files(&self) -> &SiteTest {
        let expected = files_below(&self.expected_dir());
        let pages: Vec<&String> = expected.keys().filter(|p| p.ends_with(".html")).collect();
        assert!(!pages.is_empty(), "no expected pages for this fixture");
        let stale: Vec<&String> = pages.iter().copied().filter(|p| !self.exists(p)).collect();
        if blessing() {
            for page in &stale {
                fs::remove_file(self.expected_dir().join(page)).expect("remove a stale file");
            }
        } else {
            assert!(
                stale.is_empty(),
                "expected files for pages the build no longer writes: {stale:?}; run the tests with {BLESS_VAR}=1 to delete them"
            );
        }
        for page in pages.into_iter().filter(|p| !stale.contains(p)) {
            self.check_main_file(page);
        }
        self
    }
}

/// Only one test runs alone at a time.
static ALONE: Mutex<()> = Mutex::new(());
/// Set while a test waits to run alone or runs alone: no other test's `SiteTest` starts.
static ALONE_WANTED: AtomicBool = AtomicBool::new(false);
/// `SiteTest`s in use, in every test.
static IN_USE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// `SiteTest`s in use in this test (the harness runs each test on a thread of its own).
    static HELD: Cell<usize> = const { Cell::new(0) };
}

/// A `SiteTest`'s turn to use the machine: shared with other tests, or alone.
struct Turn {
    alone: Option<MutexGuard<'static, ()>>,
}

impl Turn {
    fn shared() -> Turn {
        // A test that already holds a turn goes on, or a test waiting to run alone would wait
        // for it while it waits for that test.
        if HELD.get() == 0 {
            loop {
                // Counted before the flag is read, so a test about to run alone sees it.
                IN_USE.fetch_add(1, SeqCst);
                if !ALONE_WANTED.load(SeqCst) {
                    break;
                }
                IN_USE.fetch_sub(1, SeqCst);
                while ALONE_WANTED.load(SeqCst) {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        } else {
            IN_USE.fetch_add(1, SeqCst);
        }
        HELD.set(HELD.get() + 1);
        Turn { alone: None }
    }

    fn alone() -> Turn {
        let guard = ALONE.lock().unwrap_or_else(PoisonError::into_inner);
        ALONE_WANTED.store(true, SeqCst);
        while IN_USE.load(SeqCst) > HELD.get() {
            std::thread::sleep(Duration::from_millis(10));
        }
        IN_USE.fetch_add(1, SeqCst);
        HELD.set(HELD.get() + 1);
        Turn { alone: Some(guard) }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        IN_USE.fetch_sub(1, SeqCst);
        HELD.set(HELD.get() - 1);
        if self.alone.is_some() {
            ALONE_WANTED.store(false, SeqCst);
        }
    }
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// `rel`, or `rel` + `index.html` when it names a folder URL (`""`, `meetings/`).
fn page_file(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The `<main>` element of a page exactly as written.
fn main_element(html: &str) -> String {
    let start = html.find("<main").expect("the page has a <main>");
    let end = html.find("</main>").expect("the page closes <main>") + "</main>".len();
    format!("{}\n", &html[start..end])
}

/// Compares `actual` with the golden file at `path`, or with `WAYMARK_BLESS=1` writes it.
pub fn check_golden(path: &Path, actual: &str) {
    if blessing() {
        fs::create_dir_all(path.parent().expect("expected files are in a folder"))
            .expect("create the expected folder");
        fs::write(path, actual).expect("write the expected file");
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} does not exist; run the tests with {BLESS_VAR}=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "the output differs from {}:\n{}\nIf the change is intended, run the tests with {BLESS_VAR}=1.",
            path.display(),
            first_difference(&expected, actual)
        );
    }
}

/// A `waymark` command with a fixed "today", stdin closed and the colour settings of the
/// environment removed, so output is what a pipe gets.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waymark"));
    command
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null());
    command
}

/// Runs the `waymark` binary.
pub fn waymark(args: &[&str]) -> Run {
    waymark_in(Path::new("."), args)
}

/// Runs the `waymark` binary in `dir`, so relative paths in `args` are relative to it.
pub fn waymark_in(dir: &Path, args: &[&str]) -> Run {
    let output = command()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run the waymark binary");
    Run {
        args: args.join(" "),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "`waymark {}` failed:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    pub fn failure(self) -> Run {
        assert!(
            self.code.is_some_and(|c| c != 0),
            "`waymark {}` should have failed (exit code {:?}); stdout:\n{}",
            self.args,
            self.code,
            self.stdout
        );
        self
    }

    /// The `--format json` problems on stdout, as JSON.
    pub fn json(&self) -> serde_json::Value {
        let json = self
            .stdout
            .lines()
            .find(|l| l.starts_with('['))
            .unwrap_or("[]");
        serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}): {json}"))
    }

    /// Every problem reported (`--format json` on stdout), in order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let json = self.json();
        let items = json.as_array().expect("a JSON array of problems");
        items.iter().map(Diagnostic::from_json).collect()
    }

    /// The problems as pretty JSON, for comparing with an expected file.
    pub fn diagnostics_json(&self) -> String {
        serde_json::to_string_pretty(&self.json()).expect("JSON prints") + "\n"
    }

    /// The only problem with `code`; fails the test if there is not exactly one.
    pub fn error(&self, code: &str) -> Diagnostic {
        let mut found: Vec<Diagnostic> = self
            .diagnostics()
            .into_iter()
            .filter(|d| d.severity == "error" && d.code == code)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one error[{code}], stderr:\n{}",
            self.stderr
        );
        found.remove(0)
    }

    /// `N errors, M warnings`, counted from the problems reported.
    pub fn summary(&self) -> String {
        let problems = self.diagnostics();
        let count = |severity: &str| problems.iter().filter(|d| d.severity == severity).count();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let (errors, warnings) = (count("error"), count("warning"));
        format!(
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        )
    }
}

/// One problem as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: String,
    pub code: String,
    pub message: String,
    /// `file`, `file:line` or `file:line:column`; empty when there is none.
    pub location: String,
    /// The quoted line of the file, when shown.
    pub source: Option<String>,
    pub hint: String,
}

impl Diagnostic {
    fn from_json(value: &serde_json::Value) -> Diagnostic {
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        let mut location = text("file");
        for key in ["line", "column"] {
            if let Some(n) = value[key].as_u64() {
                location.push_str(&format!(":{n}"));
            }
        }
        Diagnostic {
            severity: text("severity"),
            code: text("code"),
            message: text("message"),
            location,
            source: value["source_line"].as_str().map(str::to_string),
            hint: text("hint"),
        }
    }
}

/// A parsed output page (or fragment of one).
pub struct Page {
    pub name: String,
    pub html: Html,
}

impl Page {
    pub fn parse(name: &str, text: &str) -> Page {
        Page {
            name: name.to_string(),
            html: Html::parse_document(text),
        }
    }

    /// A fragment of HTML, such as a feed entry's content.
    pub fn fragment(name: &str, text: &str) -> Page {
        Page {
            name: name.to_string(),
            html: Html::parse_fragment(text),
        }
    }

    /// One element of a page, to select within it.
    pub fn from_element(element: ElementRef<'_>) -> Page {
        Page::fragment("element", &element.html())
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"));
        self.html.select(&selector).collect()
    }

    /// The text of each element matching `css`, with runs of white space made single spaces.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// The text of the one element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert_eq!(
            texts.len(),
            1,
            "expected one `{css}` in {}, found {texts:?}",
            self.name
        );
        texts.into_iter().next().unwrap_or_default()
    }

    /// The `attribute` of each element matching `css` that has it.
    pub fn attrs(&self, css: &str, attribute: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .filter_map(|e| e.value().attr(attribute).map(str::to_string))
            .collect()
    }

    /// The `attribute` of the first element matching `css`, if it has one.
    pub fn attr(&self, css: &str, attribute: &str) -> Option<String> {
        self.select(css)
            .first()
            .and_then(|e| e.value().attr(attribute))
            .map(str::to_string)
    }

    /// `(href, text)` of every link matching `css`.
    pub fn links(&self, css: &str) -> Vec<(String, String)> {
        self.select(css)
            .into_iter()
            .map(|e| {
                let href = e.value().attr("href").unwrap_or_default().to_string();
                (href, text_of(e))
            })
            .collect()
    }
}

/// The text of `element`, with runs of white space made single spaces.
pub fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Copies `from` into `to`, skipping a top-level folder named `skip`.
pub fn copy_tree(from: &Path, to: &Path, skip: Option<&str>) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("read a fixture entry");
        let name = entry.file_name();
        if skip.is_some_and(|s| name == s) {
            continue;
        }
        let source = entry.path();
        let target = to.join(&name);
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&source, &target, None);
        } else {
            fs::copy(&source, &target).unwrap_or_else(|e| panic!("copy {}: {e}", source.display()));
        }
    }
}

/// Every file below `dir`, relative with `/`, mapped to its bytes.
pub fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries =
            fs::read_dir(&folder).unwrap_or_else(|e| panic!("read {}: {e}", folder.display()));
        for entry in entries {
            let path = entry.expect("read an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("below the folder")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = fs::read(&path).expect("read a file");
                files.insert(rel, bytes);
            }
        }
    }
    files
}

/// The first line where two texts differ, with its neighbours, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let at = expected
        .iter()
        .zip(&actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let window = |lines: &[&str]| {
        lines
            .iter()
            .enumerate()
            .skip(at.saturating_sub(2))
            .take(5)
            .map(|(i, l)| format!("{:>4} | {l}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}\n--- expected\n{}\n+++ actual\n{}",
        at + 1,
        window(&expected),
        window(&actual)
    )
}
