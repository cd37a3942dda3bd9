//! `waymark serve`, on top of everything: builds the site in memory with a `Session`, serves it
//! on this computer, and rebuilds what changed whenever a file is saved (`watch`), pushing a
//! reload to open pages. Knows nothing of pages; the pipeline knows nothing of HTTP.

mod connections;
mod events;
#[cfg(test)]
mod hostile_clients;
mod hosts;
mod http;
pub mod live_reload;
pub mod overlay;
mod reply;
pub mod request_path;
mod server;
mod site;

use std::path::PathBuf;
use std::time::Instant;

use crate::diagnostics::Diagnostics;
use crate::incremental::{Changes, Output, Session};
use crate::serve::server::{Server, ServerOptions};
use crate::watch::{Watch, Watched};
use crate::{BuildOptions, load};

#[derive(Debug, Clone)]
pub struct PreviewOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub include_drafts: bool,
    /// Poll for changes instead of waiting for notifications.
    pub poll: bool,
    /// Open the preview in the browser once it is listening.
    pub open: bool,
}

/// How problems are shown in the terminal; the command line owns that.
pub type Reporter<'a> = &'a dyn Fn(Diagnostics);

/// Serves until the process is stopped. Returns only if it cannot start.
pub fn run(options: &PreviewOptions, report: Reporter) -> Result<(), String> {
    let root = options.root.canonicalize().map_err(|e| {
        format!(
            "cannot open the site folder {}: {e}",
            options.root.display()
        )
    })?;
    // Watching starts before the first build, so nothing saved during it is missed.
    let watch = Watch::start(watched(&root), options.poll)?;
    let server = Server::start(&ServerOptions {
        bind: options.bind.clone(),
        port: options.port,
        site_root: root.clone(),
    })?;
    println!("Serving {} at {}", root.display(), server.url());
    println!("{}", watch.describe());
    if options.open
        && let Err(error) = opener::open_browser(server.url())
    {
        eprintln!(
            "Could not open a browser ({error}); open {} yourself.",
            server.url()
        );
    }
    let mut session = Session::new(BuildOptions {
        root: root.clone(),
        base_url: Some(server.url().to_string()),
        include_drafts: options.include_drafts,
        today: crate::today(),
        minify: false,
        deny_warnings: false,
    });
    rebuild(&mut session, &server, &Changes::Everything, report);
    while let Some(batch) = watch.next_batch() {
        for warning in &batch.warnings {
            eprintln!("Warning: {warning}");
        }
        let changes = if batch.rescan {
            Changes::Everything
        } else {
            Changes::Paths(batch.paths)
        };
        rebuild(&mut session, &server, &changes, report);
    }
    Err("watching for changes stopped".to_string())
}

/// The folders and files a site is made of.
fn watched(root: &std::path::Path) -> Watched {
    Watched {
        root: root.to_path_buf(),
        folders: vec![
            load::CONTENT_DIR.to_string(),
            load::STATIC_DIR.to_string(),
            "themes".to_string(),
        ],
        files: vec![load::CONFIG_FILE.to_string()],
    }
}

/// Rebuilds, serves the result and says so, with any warnings not shown before.
fn rebuild(session: &mut Session, server: &Server, changes: &Changes, report: Reporter) {
    let started = Instant::now();
    match session.rebuild(changes, crate::today()) {
        Ok(mut output) => {
            let line = summary(&output, started);
            let new_warnings = std::mem::take(&mut output.new_warnings);
            server.publish_build(output, &session.warnings());
            println!("{line}");
            if !new_warnings.is_empty() {
                report(new_warnings);
            }
            // The pages are served; the search index follows.
            match session.search_index() {
                Ok(Some(index)) => server.publish(index),
                Ok(None) => {}
                Err(problems) => {
                    server.fail(&problems);
                    report(problems);
                }
            }
        }
        Err(problems) => {
            server.fail(&problems);
            report(problems);
            println!(
                "The site has problems; the browser shows them over the last version that built."
            );
        }
    }
}

/// `Built 10054 pages in 1.52 s` after a full build, `Rebuilt 3 pages in 8 ms` after an edit.
fn summary(output: &Output, started: Instant) -> String {
    let elapsed = started.elapsed();
    let pages = output.pages_rendered;
    let noun = if pages == 1 { "page" } else { "pages" };
    let took = if elapsed.as_millis() < 1000 {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    };
    let verb = if output.complete { "Built" } else { "Rebuilt" };
    let touched: Vec<&str> = output.touched.iter().map(String::as_str).take(3).collect();
    if output.complete || touched.is_empty() {
        format!("{verb} {pages} {noun} in {took}")
    } else {
        format!(
            "{verb} {pages} {noun} in {took} ({} changed)",
            touched.join(", ")
        )
    }
}
