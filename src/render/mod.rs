//! Stage 4, render: takes the `Site` and the `Theme`; hands on one `OutputFile` per route of
//! the route table, in memory, made by Tera templates. Each template gets one typed view
//! (`views`), the documented contract with theme authors (docs/themes.md); `pages` builds the
//! views; `claims` adds the copied files, each claiming its address.

mod chart;
mod claims;
mod engine;
pub mod fingerprint;
pub mod metadata;
mod pages;
mod site;
pub mod views;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::theme::Theme;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::render::metadata::page_meta;
use crate::render::pages::{PageJob, ViewSink};
use crate::render::views::{CommonView, SiteView};

pub use claims::copied_files;

/// Renders the pages of the route table whose output path `wanted` accepts, in the table's
/// order. `wanted` sees every page's path once.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    wanted: &mut dyn FnMut(&str) -> bool,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let tera = engine::load_templates(theme)?;
    let theme_assets = fingerprint::theme_assets(theme).map_err(Diagnostics::from)?;
    let site_view = site::site_view(site, &theme_assets.names);
    let jobs: Vec<(String, PageJob<'_>)> = site
        .routes
        .iter()
        .map(|route| (route.output_file(), route))
        .filter(|(path, _)| wanted(path))
        .map(|(path, route)| (path, pages::page_job(site, route)))
        .collect();
    let renderer = Renderer {
        site,
        theme,
        tera: &tera,
        site_view: &site_view,
    };
    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|(path, job)| renderer.render(path, &job))
        .collect();
    let mut problems = Diagnostics::default();
    let mut files = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

/// What every page is rendered with.
struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    tera: &'a Tera,
    site_view: &'a SiteView<'a>,
}

impl Renderer<'_> {
    fn render(&self, path: String, job: &PageJob<'_>) -> Result<OutputFile, Diagnostic> {
        job.view(
            self.site,
            common_view(self.site, self.site_view, job),
            ToContext,
        )
        .and_then(|context| self.tera.render(job.template, &context))
        .map(|html| OutputFile {
            path,
            contents: Contents::Bytes(html.into_bytes()),
        })
        .map_err(|error| engine::template_error(job.template, self.theme, &error))
    }
}

/// What every template receives about `job`'s page.
fn common_view<'a>(
    site: &'a Site,
    site_view: &'a SiteView<'a>,
    job: &'a PageJob<'a>,
) -> CommonView<'a> {
    CommonView {
        site: site_view,
        section: job.section,
        page_title: &job.title,
        meta: page_meta(site, job.route, &job.title),
        breadcrumbs: job
            .trail
            .iter()
            .map(|crumb| crumb.link(&site_view.urls))
            .collect(),
    }
}

/// Makes a view the template's variables.
struct ToContext;

impl ViewSink for ToContext {
    type Output = tera::TeraResult<Context>;

    fn take(self, view: &impl serde::Serialize) -> Self::Output {
        Context::from_serialize(view)
    }
}

/// Every page's template and its view as JSON, to compare the views with their documentation.
#[cfg(test)]
pub(crate) fn views_as_json(site: &Site, theme: &Theme) -> Vec<(&'static str, serde_json::Value)> {
    struct ToJson;
    impl ViewSink for ToJson {
        type Output = serde_json::Value;
        fn take(self, view: &impl serde::Serialize) -> serde_json::Value {
            serde_json::to_value(view).expect("views serialize to JSON")
        }
    }
    let assets = fingerprint::theme_assets(theme).expect("the theme's assets load");
    let site_view = site::site_view(site, &assets.names);
    pages::page_jobs(site)
        .iter()
        .map(|job| {
            (
                job.template,
                job.view(site, common_view(site, &site_view, job), ToJson),
            )
        })
        .collect()
}
