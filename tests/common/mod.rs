//! Shared helpers for the integration tests: copy a fixture site into a temporary folder, run
//! the real `waymark` binary on it, and read what it wrote or printed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

/// 2026-11-23 00:00 UTC. Builds run with this as `SOURCE_DATE_EPOCH`, so which meetings are
/// upcoming never depends on the day the tests run.
pub const TODAY_EPOCH: &str = "1795392000";

/// Set to `1` to rewrite the expected files from the current output instead of comparing.
pub const BLESS_VAR: &str = "WAYMARK_BLESS";

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/build")
        .join(name)
}

/// A fixture site copied into its own temporary folder, so tests never write into the
/// repository and can run in parallel.
pub struct SiteTest {
    fixture: String,
    temp: tempfile::TempDir,
    /// The copied site folder (`--root`).
    pub root: PathBuf,
    /// Where builds write (`--output`): `<temp>/public`.
    pub output: PathBuf,
}

impl SiteTest {
    /// Copies `tests/fixtures/build/<fixture>/`, leaving out its `expected/` folder.
    pub fn new(fixture: &str) -> SiteTest {
        let temp = tempfile::tempdir().expect("create a temporary folder");
        let root = temp.path().join("site");
        copy_tree(&fixture_dir(fixture), &root, Some("expected"));
        let output = temp.path().join("public");
        SiteTest {
            fixture: fixture.to_string(),
            temp,
            root,
            output,
        }
    }

    /// The temporary folder holding the site copy and the output.
    pub fn temp_dir(&self) -> &Path {
        self.temp.path()
    }

    /// Runs `waymark build --root <root> --output <output>` followed by `extra`.
    pub fn run(&self, extra: &[&str]) -> Run {
        // Problems come back as JSON so tests read fields, not the human layout.
        let mut args: Vec<&str> = vec!["build", "--format", "json", "--root"];
        let root = self.root.to_str().expect("temporary paths are UTF-8");
        let output = self.output.to_str().expect("temporary paths are UTF-8");
        args.extend([root, "--output", output]);
        args.extend(extra);
        waymark(&args)
    }

    /// Builds with `extra` arguments and insists it succeeds.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        self.run(extra).success()
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// Builds and insists it fails.
    pub fn build_failing(&self) -> Run {
        self.run(&[]).failure()
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.output.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.out(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Parses an output page; `rel` may be a folder URL such as `meetings/` (→ `index.html`).
    pub fn page(&self, rel: &str) -> Page {
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        Page {
            name: file.clone(),
            html: Html::parse_document(&self.read(&file)),
        }
    }

    /// Every file in the output, relative and with `/`, mapped to its bytes.
    pub fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        files_below(&self.output)
    }

    /// Compares `actual` with `tests/fixtures/build/<fixture>/expected/<name>`, or with
    /// `WAYMARK_BLESS=1` writes `actual` there.
    pub fn assert_expected(&self, name: &str, actual: &str) {
        let path = fixture_dir(&self.fixture).join("expected").join(name);
        if std::env::var(BLESS_VAR).is_ok_and(|v| v == "1") {
            fs::create_dir_all(path.parent().expect("expected files are in a folder"))
                .expect("create the expected folder");
            fs::write(&path, actual).expect("write the expected file");
            return;
        }
        let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
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

    /// `text` with this test's temporary folder written as `[TMP]`, for comparing messages.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.temp.path().display().to_string(), "[TMP]")
    }
}

/// Runs the `waymark` binary with a fixed "today" and no colour.
pub fn waymark(args: &[&str]) -> Run {
    waymark_in(Path::new("."), args)
}

/// Runs the `waymark` binary in `dir`, so relative paths in `args` are relative to it.
pub fn waymark_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .current_dir(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env("NO_COLOR", "1")
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

    /// Every problem reported (`--format json` on stdout), in order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let Some(json) = self.stdout.lines().find(|l| l.starts_with('[')) else {
            return Vec::new();
        };
        let items: Vec<serde_json::Value> =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}): {json}"));
        items.iter().map(Diagnostic::from_json).collect()
    }

    /// The problems as pretty JSON, for comparing with an expected file.
    pub fn diagnostics_json(&self) -> String {
        let json = self
            .stdout
            .lines()
            .find(|l| l.starts_with('['))
            .unwrap_or("[]");
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON diagnostics");
        serde_json::to_string_pretty(&value).expect("JSON prints") + "\n"
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

/// A parsed output page.
pub struct Page {
    pub name: String,
    pub html: Html,
}

impl Page {
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
            let path = entry.expect("read an output entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("below the folder")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = fs::read(&path).expect("read an output file");
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
