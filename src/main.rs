//! The `waymark` command line: parses arguments, runs the pipeline, prints problems and sets
//! the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use waymark::BuildOptions;
use waymark::diagnostics::Diagnostics;

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
        /// The site folder, holding site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; defaults to ROOT/public.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish at this address instead of site.yaml's base_url (e.g. a preview deploy).
        #[arg(long)]
        base_url: Option<String>,
        /// Include files marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but problems.
        #[arg(long, short)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                root,
                base_url,
                include_drafts: drafts,
                today: waymark::today(),
            };
            run_build(&options, &output, quiet)
        }
    }
}

fn run_build(options: &BuildOptions, output: &std::path::Path, quiet: bool) -> ExitCode {
    let started = Instant::now();
    match waymark::build(options, output) {
        Ok(built) => {
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
        Err(problems) => {
            report(problems);
            eprintln!(
                "The site was not built; {} was left as it was.",
                output.display()
            );
            ExitCode::FAILURE
        }
    }
}

fn report(problems: Diagnostics) {
    let errors = problems.error_count();
    let warnings = problems.warning_count();
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for problem in problems {
        let text = problem.to_string();
        if colour {
            eprintln!("\x1b[1m{text}\x1b[0m");
        } else {
            eprintln!("{text}");
        }
    }
    eprintln!(
        "{errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
