//! The `waymark` command line: parses arguments, runs the pipeline, prints problems and sets
//! the exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use waymark::Date;
use waymark::NewKind;
use waymark::{BuildError, BuildOptions, Swap};
use waymark::{Diagnostic, Diagnostics, Severity};

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Publish a partnership's priorities, meetings and progress as a website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site; defaults to ROOT/public.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Print nothing but problems.
        #[arg(long, short)]
        quiet: bool,
        /// Write pages as rendered, without collapsing whitespace and removing comments.
        #[arg(long)]
        no_minify: bool,
    },
    /// Check the whole site and report every problem, without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Create a new, working site in DIR.
    Init {
        /// The folder to create the site in (created if missing).
        dir: PathBuf,
        /// Add the files of a new site that are missing, leaving every file already there as it
        /// is (without it, init writes nothing when any of its files exists).
        #[arg(long)]
        force: bool,
    },
    /// Preview the site: build it in memory, serve it, and rebuild and reload the browser
    /// whenever a file is saved. Nothing is written to public/.
    Serve {
        /// The site folder, holding site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. The default only accepts connections from this computer;
        /// 0.0.0.0 lets other devices on the network see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in the web browser.
        #[arg(long)]
        open: bool,
        /// Include files marked `draft: true`, with a "Draft" banner.
        #[arg(long)]
        drafts: bool,
        /// Check for changes every half second instead of waiting for the system to report
        /// them: for network drives, WSL2 and other places where saves go unnoticed.
        #[arg(long)]
        poll: bool,
    },
    /// Write a new priority, meeting, update or page with every field ready to fill in.
    New {
        /// What to create.
        kind: KindArg,
        /// Its title; the file name is made from it.
        title: String,
        /// The date (YYYY-MM-DD) for a meeting or update, or `updated` for a priority; default today.
        #[arg(long)]
        date: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Publish at this address instead of site.yaml's base_url (e.g. a preview deploy).
    #[arg(long)]
    base_url: Option<String>,
    /// Include files marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// How to print problems: `human` (with source lines) or `json` (for CI and editors).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Priority,
    Meeting,
    Update,
    Page,
}

/// Exit code when the check or build found errors in the site.
const EXIT_PROBLEMS: u8 = 1;
/// Exit code when Waymark could not run at all (no such folder, cannot write).
const EXIT_COULD_NOT_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site,
            output,
            quiet,
            no_minify,
        } => {
            let output = output.unwrap_or_else(|| site.root.join("public"));
            run_build(&site, &output, quiet, !no_minify)
        }
        Command::Check { site } => run_check(&site),
        Command::Init { dir, force } => run_init(&dir, force),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            poll,
        } => run_serve(waymark::PreviewOptions {
            root,
            bind,
            port,
            include_drafts: drafts,
            poll,
            open,
        }),
        Command::New {
            kind,
            title,
            date,
            root,
        } => run_new(kind, &title, date.as_deref(), &root),
    }
}

fn build_options(site: &SiteArgs, minify: bool) -> BuildOptions {
    BuildOptions {
        root: site.root.clone(),
        base_url: site.base_url.clone(),
        include_drafts: site.drafts,
        today: waymark::today(),
        minify,
        deny_warnings: site.deny_warnings,
    }
}

fn root_exists(root: &Path, format: Format) -> bool {
    if root.is_dir() {
        return true;
    }
    let problem = Diagnostic::error(
        "no-site-folder",
        format!("{} is not a folder", root.display()),
    )
    .with_hint("pass --root with the folder that holds site.yaml and content/");
    let mut problems = Diagnostics::default();
    problems.push(problem);
    report(problems, format, 0);
    false
}

fn run_build(site: &SiteArgs, output: &Path, quiet: bool, minify: bool) -> ExitCode {
    if !root_exists(&site.root, site.format) {
        return ExitCode::from(EXIT_COULD_NOT_RUN);
    }
    let started = Instant::now();
    let built = match waymark::build(&build_options(site, minify), output) {
        Ok((built, swap)) => {
            if swap == Swap::ContentsReplaced {
                eprintln!(
                    "Note: {} is a mount point, so the new site replaced its contents file by file; for a moment a reader could see a mix of the old site and the new.",
                    output.display()
                );
            }
            built
        }
        Err(BuildError::Problems(problems)) => return fail(problems, site, output),
        Err(BuildError::UnsafeOutput(problem)) => {
            report(Diagnostics::from(problem), site.format, 0);
            eprintln!("Nothing was built or deleted.");
            return ExitCode::from(EXIT_COULD_NOT_RUN);
        }
        Err(BuildError::WriteFailed(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_COULD_NOT_RUN);
        }
    };
    if !built.warnings.is_empty() {
        report_some(
            built.warnings,
            site.format,
            built.source_count + 1, // and site.yaml
            BUILD_WARNINGS_SHOWN,
        );
    }
    if !quiet {
        let pages = built
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        println!(
            "Built {pages} pages in {:.2} s into {}",
            started.elapsed().as_secs_f64(),
            output.display()
        );
    }
    ExitCode::SUCCESS
}

fn fail(problems: Diagnostics, site: &SiteArgs, output: &Path) -> ExitCode {
    report(problems, site.format, count_source_files(&site.root));
    eprintln!(
        "The site was not built; {} was left as it was.",
        output.display()
    );
    ExitCode::from(EXIT_PROBLEMS)
}

fn run_check(site: &SiteArgs) -> ExitCode {
    if !root_exists(&site.root, site.format) {
        return ExitCode::from(EXIT_COULD_NOT_RUN);
    }
    // Checking builds exactly what `build` would, warnings and all, and writes nothing.
    let options = BuildOptions {
        deny_warnings: false,
        ..build_options(site, false)
    };
    let (problems, files) = match waymark::build_in_memory(&options) {
        Ok(built) => (built.warnings, built.source_count + 1),
        Err(problems) => (problems, count_source_files(&site.root)),
    };
    let failed = problems.has_errors() || (site.deny_warnings && !problems.is_empty());
    report(problems, site.format, files);
    if failed {
        ExitCode::from(EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Content files plus site.yaml, for the summary line.
fn count_source_files(root: &Path) -> usize {
    let content = waymark::count_markdown_files(root);
    content + usize::from(root.join(waymark::CONFIG_FILE).is_file())
}

/// How many warnings a successful build shows in full; `waymark check` shows them all.
const BUILD_WARNINGS_SHOWN: usize = 20;

fn report(problems: Diagnostics, format: Format, files: usize) {
    report_some(problems, format, files, usize::MAX);
}

/// Prints problems and the summary line, as text on stderr or JSON on stdout. In text, at most
/// `shown` problems are drawn in full: a flood of warnings hides what matters.
fn report_some(problems: Diagnostics, format: Format, files: usize, shown: usize) {
    let problems = problems.sorted();
    let count = |severity| problems.iter().filter(|d| d.severity == severity).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    match format {
        Format::Json => {
            let items: Vec<_> = problems.iter().map(Diagnostic::to_json).collect();
            println!("{}", serde_json::Value::Array(items));
        }
        Format::Human => {
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for problem in problems.iter().take(shown) {
                eprintln!("{}", problem.render(colour));
            }
            if problems.len() > shown {
                eprintln!(
                    "… and {} more; run `waymark check` to see every one.",
                    problems.len() - shown
                );
            }
            eprintln!(
                "{errors} error{}, {warnings} warning{} in {files} file{}",
                plural(errors),
                plural(warnings),
                plural(files)
            );
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn run_serve(options: waymark::PreviewOptions) -> ExitCode {
    if !root_exists(&options.root, Format::Human) {
        return ExitCode::from(EXIT_COULD_NOT_RUN);
    }
    let root = options.root.clone();
    let report = |problems: Diagnostics| {
        report_some(
            problems,
            Format::Human,
            count_source_files(&root),
            BUILD_WARNINGS_SHOWN,
        );
    };
    match waymark::serve(&options, &report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_COULD_NOT_RUN)
        }
    }
}

fn run_init(dir: &Path, force: bool) -> ExitCode {
    match waymark::init_site(dir, waymark::today(), force) {
        Ok(files) if files.is_empty() => {
            println!(
                "{} already holds every file of a new site; nothing was written.",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Ok(files) => {
            for file in files {
                println!("Created {}", file.display());
            }
            println!("Build it with: waymark build --root {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_COULD_NOT_RUN)
        }
    }
}

fn run_new(kind: KindArg, title: &str, date: Option<&str>, root: &Path) -> ExitCode {
    let date = match date.map(Date::parse) {
        None => waymark::today(),
        Some(Ok(date)) => date,
        Some(Err(message)) => {
            eprintln!("error: --date {message}");
            return ExitCode::from(EXIT_PROBLEMS);
        }
    };
    let kind = match kind {
        KindArg::Priority => NewKind::Priority,
        KindArg::Meeting => NewKind::Meeting,
        KindArg::Update => NewKind::Update,
        KindArg::Page => NewKind::Page,
    };
    let next_number = waymark::highest_priority_number(root) + 1;
    match waymark::new_file(root, kind, title, date, next_number) {
        Ok(path) => {
            println!("Created {}", path.display());
            println!("It is marked `draft: true`: remove that line when it is ready to publish.");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_PROBLEMS)
        }
    }
}
