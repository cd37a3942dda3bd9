//! Rendering: turns the `Site` into output files in memory, through Tera templates. The
//! `*View` structs below are the documented contract with theme authors (docs/themes.md).

pub mod fingerprint;
pub mod metadata;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::theme::Theme;
use crate::model::pagination::{page_folder, page_ranges, pagination};
use crate::model::{
    ACCESSIBILITY_PATH, ACCESSIBILITY_SUMMARY, Kind, MeetingEntry, PriorityEntry, Published, Site,
    TagIndex,
};
use crate::output::{Contents, OutputFile};
use crate::parse::content::{Page, Update};
use crate::publish::{calendar, feeds};
use crate::render::metadata::{About, page_meta};
use crate::values::{Date, MeetingStatus, Status, Tag};

/// How many items the home page shows of each list.
const HOME_LIST_LENGTH: usize = 5;

// ---- Views ----------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub organisation: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub nav: Vec<LinkView>,
    pub footer_links: Vec<LinkView>,
    pub stylesheet: String,
    /// Each theme static file (`style.css`) to its public, content-hashed address.
    pub assets: BTreeMap<String, String>,
    /// `en_GB`: the language as OpenGraph writes it.
    pub locale: String,
    /// The site's Atom feed of updates and held meetings (absolute).
    pub feed_url: String,
    /// The meetings calendar (absolute), and the same as a `webcal:` address that calendar
    /// apps subscribe to.
    pub calendar_url: String,
    pub calendar_subscribe_url: String,
    /// The search page, where every page's search form submits its query as `q`.
    pub search_url: String,
    /// The theme's `search.js`, or empty when the theme has none.
    pub search_script: String,
    /// The accessibility statement: the site's own `accessibility` page, or the generated one.
    pub accessibility_url: String,
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    /// The section this link leads to, for marking the current one.
    pub section: &'static str,
}

#[derive(Serialize)]
pub struct DateText {
    pub iso: String,
    pub long: String,
    pub weekday: &'static str,
    pub year: u16,
    /// Day of the month, e.g. `21`.
    pub day: u8,
    /// Short month name, e.g. `"Mar"` (`"Sept"` for September, as GOV.UK writes it).
    pub month_short: &'static str,
}

fn date_text(date: Date) -> DateText {
    DateText {
        iso: date.to_string(),
        long: date.long_form(),
        weekday: date.weekday_name(),
        year: date.year(),
        day: date.day(),
        month_short: date.short_month_name(),
    }
}

/// How many priorities have one status, for the dashboard's summary line.
#[derive(Serialize)]
pub struct StatusCountView {
    pub status: StatusView,
    pub count: usize,
}

/// Every status in use, in the order of the status scale, with how many priorities have it.
fn status_counts(site: &Site) -> Vec<StatusCountView> {
    Status::ALL
        .iter()
        .map(|&status| StatusCountView {
            status: status_view(status),
            count: site
                .priorities
                .iter()
                .filter(|p| p.page.item.status == status)
                .count(),
        })
        .filter(|c| c.count > 0)
        .collect()
}

#[derive(Serialize)]
pub struct StatusView {
    pub word: &'static str,
    pub label: &'static str,
}

fn status_view(status: Status) -> StatusView {
    StatusView {
        word: status.as_str(),
        label: status.label(),
    }
}

fn meeting_status_view(status: MeetingStatus) -> StatusView {
    StatusView {
        word: status.as_str(),
        label: status.label(),
    }
}

#[derive(Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
}

fn tag_views<'a>(tags: &'a [Tag], base_path: &str) -> Vec<TagView<'a>> {
    tags.iter()
        .map(|t| TagView {
            name: &t.name,
            slug: &t.slug,
            url: format!("{base_path}tags/{}/", t.slug),
        })
        .collect()
}

#[derive(Serialize)]
pub struct PriorityLinkView<'a> {
    pub title: &'a str,
    pub short_title: &'a str,
    pub number: u32,
    pub url: &'a str,
    pub status: StatusView,
    pub summary: Option<&'a str>,
    /// The priority's own `updated` date.
    pub updated: Option<DateText>,
    /// The newest progress update about this priority.
    pub latest_update: Option<UpdateSummaryView<'a>>,
}

#[derive(Serialize)]
pub struct PriorityView<'a> {
    pub title: &'a str,
    pub short_title: &'a str,
    pub number: u32,
    pub status: StatusView,
    pub lead: Option<&'a str>,
    pub updated: Option<DateText>,
    pub summary: Option<&'a str>,
    pub tags: Vec<TagView<'a>>,
    pub url: &'a str,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct TimelineView<'a> {
    pub date: DateText,
    pub kind: &'static str,
    pub title: &'a str,
    pub url: &'a str,
    pub agenda_items: &'a [String],
    pub status_change: Option<StatusView>,
    pub meeting_status: Option<StatusView>,
}

#[derive(Serialize)]
pub struct StatusChangeView<'a> {
    pub date: DateText,
    pub status: StatusView,
    pub update_title: &'a str,
    pub update_url: &'a str,
}

#[derive(Serialize)]
pub struct MeetingSummaryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
    pub time: Option<String>,
    pub venue: Option<&'a str>,
    pub status: StatusView,
}

#[derive(Serialize)]
pub struct AgendaItemView<'a> {
    pub title: &'a str,
    pub presenter: Option<&'a str>,
    pub priority: Option<PriorityLinkView<'a>>,
}

#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub file_type: &'a str,
    pub size: Option<String>,
}

#[derive(Serialize)]
pub struct MeetingView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
    pub time: Option<String>,
    pub time_24h: Option<String>,
    pub venue: Option<&'a str>,
    pub chair: Option<&'a str>,
    pub status: StatusView,
    pub upcoming: bool,
    /// This meeting alone as an iCalendar file, for "Add to calendar"; meetings still to come
    /// only.
    pub calendar_url: Option<String>,
    pub priorities: Vec<PriorityLinkView<'a>>,
    pub agenda: Vec<AgendaItemView<'a>>,
    pub documents: Vec<DocumentView<'a>>,
    pub tags: Vec<TagView<'a>>,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct YearView<'a> {
    pub year: u16,
    pub meetings: Vec<MeetingSummaryView<'a>>,
}

#[derive(Serialize)]
pub struct StatusChangeLinkView<'a> {
    pub priority: PriorityLinkView<'a>,
    pub status: StatusView,
}

#[derive(Serialize)]
pub struct UpdateSummaryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
}

#[derive(Serialize)]
pub struct UpdateView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
    pub priorities: Vec<PriorityLinkView<'a>>,
    pub status_changes: Vec<StatusChangeLinkView<'a>>,
    pub tags: Vec<TagView<'a>>,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: &'a str,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct TagSummaryView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub count: usize,
}

/// What the generated accessibility statement says (from `accessibility:` in site.yaml).
#[derive(Serialize)]
pub struct AccessibilityView<'a> {
    /// `full`, `partial` or `none`, with the words "fully compliant", …
    pub compliance: StatusView,
    pub issues: &'a [String],
    pub reviewed: Option<DateText>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    /// The organisation, or the site title when there is none.
    pub organisation: &'a str,
    /// One sentence on what the statement covers, for the page's lead paragraph.
    pub summary: &'static str,
}

#[derive(Serialize)]
pub struct TaggedItemView<'a> {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<DateText>,
}

// ---- Building views -------------------------------------------------------------------------

fn priority_link(entry: &PriorityEntry) -> PriorityLinkView<'_> {
    let p = &entry.page.item;
    let latest_update = entry
        .timeline
        .iter()
        .find(|t| t.kind == Kind::Update)
        .map(|t| UpdateSummaryView {
            title: &t.title,
            url: &t.url,
            date: date_text(t.date),
        });
    PriorityLinkView {
        title: &p.common.title,
        short_title: p.short_title.as_deref().unwrap_or(&p.common.title),
        number: p.number,
        url: &entry.page.url,
        status: status_view(p.status),
        summary: p.summary.as_deref(),
        updated: p.updated.map(date_text),
        latest_update,
    }
}

fn meeting_summary(entry: &MeetingEntry) -> MeetingSummaryView<'_> {
    let m = &entry.page.item;
    MeetingSummaryView {
        title: &m.common.title,
        url: &entry.page.url,
        date: date_text(m.date),
        time: m.time.map(|t| t.twelve_hour()),
        venue: m.venue.as_deref(),
        status: meeting_status_view(entry.status),
    }
}

fn update_summary(update: &Published<Update>) -> UpdateSummaryView<'_> {
    UpdateSummaryView {
        title: &update.item.common.title,
        url: &update.url,
        date: date_text(update.item.date),
    }
}

fn page_view(page: &Published<Page>) -> PageView<'_> {
    PageView {
        title: &page.item.common.title,
        summary: page.item.summary.as_deref(),
        url: &page.url,
        content: &page.html,
    }
}

fn is_upcoming(site: &Site, entry: &MeetingEntry) -> bool {
    entry.page.item.date >= site.today
}

fn format_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.0} KB", (b as f64 / 1024.0).ceil()),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

// ---- Rendering ------------------------------------------------------------------------------

/// A page to render: its template, where it goes and its kind-specific variables.
struct PageJob<'a> {
    template: &'static str,
    path: String,
    section: &'static str,
    title: Cow<'a, str>,
    about: About<'a>,
    build: Box<dyn Fn(&mut Context) + Send + Sync + 'a>,
}

/// Renders every page of the site with `theme`, plus the theme's static files.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = render_pages(site, theme, &mut |_| true)?;
    let copied = copied_files(site, theme, files.iter().map(|f| f.path.as_str()))?;
    files.extend(copied);
    Ok(files)
}

/// Renders the pages whose output path `wanted` accepts, in the order `render_site` would.
/// `wanted` sees every page's path once.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    wanted: &mut dyn FnMut(&str) -> bool,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let tera = load_templates(theme)?;
    let theme_assets = fingerprint::theme_assets(theme).map_err(|problem| {
        let mut problems = Diagnostics::default();
        problems.push(problem);
        problems
    })?;
    let site_view = site_view(site, &theme_assets.names);
    let mut base = Context::new();
    base.insert("site", &site_view);
    let jobs: Vec<PageJob<'_>> = page_jobs(site)
        .into_iter()
        .filter(|job| wanted(&job.path))
        .collect();
    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut context = base.clone();
            context.insert("section", job.section);
            context.insert("page_title", &job.title);
            context.insert("meta", &page_meta(site, &job.about, &job.title));
            (job.build)(&mut context);
            tera.render(job.template, &context)
                .map(|html| OutputFile {
                    path: job.path.clone(),
                    contents: Contents::Bytes(html.into_bytes()),
                })
                .map_err(|error| template_error(job.template, theme, &error))
        })
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

/// The theme's static files (with fingerprinted names), then the files copied from `content/`
/// and `static/`, as they follow the pages at `page_paths`; an error for each that would take a
/// page's address or another file's.
pub fn copied_files<'a>(
    site: &Site,
    theme: &Theme,
    page_paths: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let theme_assets = fingerprint::theme_assets(theme).map_err(|problem| {
        let mut problems = Diagnostics::default();
        problems.push(problem);
        problems
    })?;
    let mut problems = Diagnostics::default();
    let mut files = Vec::with_capacity(theme_assets.files.len() + site.assets.len());
    let mut claims = OutputClaims::new(page_paths);
    for theme_file in theme_assets.files {
        if let Some(problem) = claims.claim(&theme_file.file.path, &theme_file.display_path) {
            problems.push(problem);
            continue;
        }
        files.push(theme_file.file);
    }
    for asset in &site.assets {
        if let Some(problem) = claims.claim(&asset.output_rel, &asset.display_path()) {
            problems.push(problem);
            continue;
        }
        files.push(OutputFile {
            path: asset.output_rel.clone(),
            contents: Contents::CopyOf(asset.source.clone()),
        });
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

/// Which output paths are taken, and by what. Files are written in parallel, so two files for
/// one path would leave either one, or a mix of both, in the site.
struct OutputClaims {
    /// Output path to the file that claimed it; `None` for a page Waymark renders.
    taken: HashMap<String, Option<String>>,
}

impl OutputClaims {
    fn new<'a>(pages: impl IntoIterator<Item = &'a str>) -> Self {
        OutputClaims {
            taken: pages
                .into_iter()
                .map(|path| (path.to_string(), None))
                .collect(),
        }
    }

    /// Takes `path` for the file shown as `shown`, or explains what already has it.
    fn claim(&mut self, path: &str, shown: &str) -> Option<Diagnostic> {
        let message = match self.taken.get(path) {
            None => {
                self.taken.insert(path.to_string(), Some(shown.to_string()));
                return None;
            }
            Some(None) => {
                let url = path.strip_suffix("index.html").unwrap_or(path);
                format!("this file would replace the page Waymark writes at /{url}")
            }
            Some(Some(first)) => {
                format!("this file would be published at /{path}, the same address as {first}")
            }
        };
        Some(
            Diagnostic::error("duplicate-url", message)
                .in_file(shown)
                .with_hint("rename or move the file: each address on the site can hold one file"),
        )
    }
}

fn load_templates(theme: &Theme) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let sources = theme
        .templates
        .iter()
        .map(|(name, (text, _))| (name.as_str(), text.as_str()));
    tera.add_raw_templates(sources).map_err(|error| {
        let mut problems = Diagnostics::default();
        problems.push(template_error("", theme, &error));
        problems
    })?;
    Ok(tera)
}

/// Tera explains the problem in its own report; we add which theme file to open.
fn template_error(template: &str, theme: &Theme, error: &tera::Error) -> Diagnostic {
    let (named, message, position) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            (
                report.filename().to_string(),
                report.message().to_string(),
                Some((span.start_line as u32, span.start_col as u32 + 1)),
            )
        }
        _ => (template.to_string(), error.to_string(), None),
    };
    let mut message = message;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let (display, text) = match theme.templates.get(&named) {
        Some((text, path)) => (path.clone(), text.as_str()),
        None => (named, ""),
    };
    let kind = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
        "template-syntax"
    } else {
        "template-error"
    };
    let diagnostic =
        Diagnostic::error(kind, format!("template problem: {message}")).in_file(display);
    let diagnostic = match position {
        Some((line, column)) => diagnostic.at(text, line, column),
        None => diagnostic,
    };
    diagnostic.with_hint(
        "fix the template at this line; docs/themes.md lists every variable templates receive",
    )
}

fn site_view<'a>(site: &'a Site, theme_assets: &BTreeMap<String, String>) -> SiteView<'a> {
    let config = &site.config;
    let base = config.base_url.path.as_str();
    let link = |title: &str, path: &str, section| LinkView {
        title: title.to_string(),
        url: format!("{base}{path}"),
        section,
    };
    let mut nav = vec![
        link("Home", "", "home"),
        link("Priorities", "priorities/", "priorities"),
        link("Meetings", "meetings/", "meetings"),
    ];
    if !site.updates.is_empty() {
        nav.push(link("Updates", "updates/", "updates"));
    }
    let mut footer_links: Vec<LinkView> = site
        .pages
        .iter()
        .map(|p| LinkView {
            title: p.item.common.title.clone(),
            url: p.url.clone(),
            section: "page",
        })
        .collect();
    if site.generates_accessibility_statement() {
        footer_links.push(link("Accessibility statement", ACCESSIBILITY_PATH, "page"));
        footer_links.sort_by(|a, b| a.url.cmp(&b.url));
    }
    footer_links.push(link("Tags", "tags/", "tags"));
    let assets: BTreeMap<String, String> = theme_assets
        .iter()
        .map(|(name, published)| (name.clone(), format!("{base}{published}")))
        .collect();
    let stylesheet = assets.get("style.css").cloned().unwrap_or_default();
    let search_script = assets.get("search.js").cloned().unwrap_or_default();
    let absolute = &config.base_url.absolute;
    let calendar_url = format!("{absolute}{}", calendar::CALENDAR);
    let calendar_subscribe_url = match calendar_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => calendar_url.clone(),
    };
    SiteView {
        title: &config.title,
        description: config.description.as_deref(),
        language: &config.language,
        organisation: config.organisation.as_deref(),
        contact_email: config.contact_email.as_deref(),
        base_url: &config.base_url.absolute,
        base_path: base,
        nav,
        footer_links,
        stylesheet,
        assets,
        locale: config.language.replace('-', "_"),
        feed_url: feeds::feed_url(&config.base_url, feeds::SITE_FEED),
        calendar_url,
        calendar_subscribe_url,
        search_url: format!("{base}search/"),
        search_script,
        accessibility_url: format!("{base}{ACCESSIBILITY_PATH}"),
    }
}

fn page_jobs(site: &Site) -> Vec<PageJob<'_>> {
    let mut jobs: Vec<PageJob<'_>> = Vec::new();
    let base = site.config.base_url.path.as_str();
    let home_title = site
        .home
        .as_ref()
        .map_or(site.config.title.as_str(), |h| h.item.common.title.as_str());
    jobs.push(PageJob {
        template: "home.html",
        path: "index.html".into(),
        section: "home",
        title: home_title.into(),
        about: About::Home,
        build: Box::new(move |context| {
            context.insert("intro", &site.home.as_ref().map(page_view));
            context.insert(
                "priorities",
                &site
                    .priorities
                    .iter()
                    .map(priority_link)
                    .collect::<Vec<_>>(),
            );
            let upcoming: Vec<_> = site
                .meetings
                .iter()
                .filter(|m| is_upcoming(site, m))
                .take(HOME_LIST_LENGTH)
                .map(meeting_summary)
                .collect();
            context.insert("upcoming_meetings", &upcoming);
            let latest: Vec<_> = site
                .updates
                .iter()
                .take(HOME_LIST_LENGTH)
                .map(update_summary)
                .collect();
            context.insert("latest_updates", &latest);
            context.insert("status_counts", &status_counts(site));
        }),
    });
    jobs.push(PageJob {
        template: "priorities.html",
        path: "priorities/index.html".into(),
        section: "priorities",
        title: "Priorities".into(),
        about: About::Listing {
            site_path: "priorities/",
            description: format!(
                "What {} is working on, and how each priority is progressing.",
                site.config.title
            ),
        },
        build: Box::new(move |context| {
            context.insert(
                "priorities",
                &site
                    .priorities
                    .iter()
                    .map(priority_link)
                    .collect::<Vec<_>>(),
            );
            context.insert("status_counts", &status_counts(site));
        }),
    });
    for entry in &site.priorities {
        jobs.push(PageJob {
            template: "priority.html",
            path: format!("{}index.html", entry.page.site_path),
            section: "priorities",
            title: Cow::Borrowed(&entry.page.item.common.title),
            about: About::Priority(entry),
            build: Box::new(move |context| render_priority_page(context, entry, base)),
        });
    }
    let index = IndexPages {
        site,
        template: "meetings.html",
        section: "meetings",
        folder: "meetings/",
        title: "Meetings",
        about: About::Listing {
            site_path: "meetings/",
            description: format!(
                "Upcoming and past meetings of {}, with agendas, papers and minutes.",
                site.config.title
            ),
        },
    };
    index.push_jobs(&mut jobs, site.meetings.len(), move |context, range| {
        render_meetings_index(context, site, range)
    });
    for entry in &site.meetings {
        jobs.push(PageJob {
            template: "meeting.html",
            path: format!("{}index.html", entry.page.site_path),
            section: "meetings",
            title: Cow::Borrowed(&entry.page.item.common.title),
            about: About::Meeting(entry),
            build: Box::new(move |context| render_meeting_page(context, site, entry)),
        });
    }
    let index = IndexPages {
        site,
        template: "updates.html",
        section: "updates",
        folder: "updates/",
        title: "Updates",
        about: About::Listing {
            site_path: "updates/",
            description: format!("Progress updates from {}.", site.config.title),
        },
    };
    index.push_jobs(&mut jobs, site.updates.len(), move |context, range| {
        let updates: Vec<_> = site.updates[range].iter().map(update_summary).collect();
        context.insert("updates", &updates);
    });
    for update in &site.updates {
        jobs.push(PageJob {
            template: "update.html",
            path: format!("{}index.html", update.site_path),
            section: "updates",
            title: Cow::Borrowed(&update.item.common.title),
            about: About::Update(update),
            build: Box::new(move |context| render_update_page(context, site, update)),
        });
    }
    for page in &site.pages {
        jobs.push(PageJob {
            template: "page.html",
            path: format!("{}index.html", page.site_path),
            section: "page",
            title: Cow::Borrowed(&page.item.common.title),
            about: About::Page(page),
            build: Box::new(move |context| context.insert("page", &page_view(page))),
        });
    }
    jobs.push(PageJob {
        template: "tags.html",
        path: "tags/index.html".into(),
        section: "tags",
        title: "Tags".into(),
        about: About::Listing {
            site_path: "tags/",
            description: format!(
                "Topics of the priorities, meetings and updates of {}.",
                site.config.title
            ),
        },
        build: Box::new(move |context| context.insert("tags", &tag_summaries(site))),
    });
    for tag in &site.tags {
        let index = IndexPages {
            site,
            template: "tag.html",
            section: "tags",
            folder: &tag.site_path,
            title: &tag.tag.name,
            about: About::Tag(tag),
        };
        index.push_jobs(&mut jobs, tag.items.len(), move |context, range| {
            render_tag_page(context, tag, range)
        });
    }
    jobs.push(PageJob {
        template: "search.html",
        path: "search/index.html".into(),
        section: "search",
        title: "Search".into(),
        about: About::Listing {
            site_path: "search/",
            description: format!(
                "Search the priorities, meetings and updates of {}.",
                site.config.title
            ),
        },
        build: Box::new(move |context| {
            context.insert(
                "index_url",
                &format!("{base}{}", crate::publish::search::INDEX_DIR),
            );
            context.insert("tags", &tag_summaries(site));
        }),
    });
    if site.generates_accessibility_statement() {
        jobs.push(PageJob {
            template: "accessibility.html",
            path: format!("{ACCESSIBILITY_PATH}index.html"),
            section: "page",
            title: "Accessibility statement".into(),
            about: About::Listing {
                site_path: ACCESSIBILITY_PATH,
                description: ACCESSIBILITY_SUMMARY.to_string(),
            },
            build: Box::new(move |context| render_accessibility_statement(context, site)),
        });
    }
    jobs.push(PageJob {
        template: "404.html",
        path: "404.html".into(),
        section: "404",
        title: "Page not found".into(),
        about: About::NotFound,
        build: Box::new(|_| {}),
    });
    jobs
}

fn render_priority_page(context: &mut Context, entry: &PriorityEntry, base: &str) {
    let p = &entry.page.item;
    context.insert(
        "priority",
        &PriorityView {
            title: &p.common.title,
            short_title: p.short_title.as_deref().unwrap_or(&p.common.title),
            number: p.number,
            status: status_view(p.status),
            lead: p.lead.as_deref(),
            updated: p.updated.map(date_text),
            summary: p.summary.as_deref(),
            tags: tag_views(&p.common.tags, base),
            url: &entry.page.url,
            content: &entry.page.html,
        },
    );
    let timeline: Vec<_> = entry
        .timeline
        .iter()
        .map(|t| TimelineView {
            date: date_text(t.date),
            kind: t.kind.as_str(),
            title: &t.title,
            url: &t.url,
            agenda_items: &t.agenda_items,
            status_change: t.status_change.map(status_view),
            meeting_status: t.meeting_status.map(meeting_status_view),
        })
        .collect();
    context.insert("timeline", &timeline);
    let history: Vec<_> = entry
        .status_history
        .iter()
        .map(|h| StatusChangeView {
            date: date_text(h.date),
            status: status_view(h.status),
            update_title: &h.update_title,
            update_url: &h.update_url,
        })
        .collect();
    context.insert("status_history", &history);
}

/// One index (meetings, updates, a tag) split over as many pages as it needs.
struct IndexPages<'a> {
    site: &'a Site,
    template: &'static str,
    section: &'static str,
    /// The site-relative folder of the first page, e.g. `updates/`.
    folder: &'a str,
    title: &'a str,
    /// What the first page is about; later pages are about the same, at their own address.
    about: About<'a>,
}

impl<'a> IndexPages<'a> {
    /// Adds one job per page; `fill` adds the variables for the items in its range, and each
    /// page gets `pagination` (null when there is only one page).
    fn push_jobs<F>(&self, jobs: &mut Vec<PageJob<'a>>, count: usize, fill: F)
    where
        F: Fn(&mut Context, std::ops::Range<usize>) + Clone + Send + Sync + 'a,
    {
        let ranges = std::sync::Arc::new(page_ranges(count));
        let index_url = self.site.config.base_url.join(self.folder);
        for number in 1..=ranges.len() {
            let title = if number == 1 {
                Cow::Borrowed(self.title)
            } else {
                Cow::Owned(format!(
                    "{} (page {number} of {})",
                    self.title,
                    ranges.len()
                ))
            };
            let (fill, ranges, index_url) = (fill.clone(), ranges.clone(), index_url.clone());
            jobs.push(PageJob {
                template: self.template,
                path: format!("{}index.html", page_folder(self.folder, number)),
                section: self.section,
                title,
                about: if number == 1 {
                    self.about.clone()
                } else {
                    About::LaterPage {
                        first: Box::new(self.about.clone()),
                        site_path: page_folder(self.folder, number),
                    }
                },
                build: Box::new(move |context| {
                    fill(context, ranges[number - 1].clone());
                    context.insert("pagination", &pagination(&index_url, &ranges, number));
                }),
            });
        }
    }
}

fn tag_summaries(site: &Site) -> Vec<TagSummaryView<'_>> {
    site.tags
        .iter()
        .map(|t| TagSummaryView {
            name: &t.tag.name,
            slug: &t.tag.slug,
            url: &t.url,
            count: t.items.len(),
        })
        .collect()
}

fn render_accessibility_statement(context: &mut Context, site: &Site) {
    let config = &site.config;
    let a = &config.accessibility;
    let view = AccessibilityView {
        compliance: StatusView {
            word: a.compliance.as_str(),
            label: a.compliance.label(),
        },
        issues: &a.issues,
        reviewed: a.reviewed.map(date_text),
        phone: a.phone.as_deref(),
        email: config.contact_email.as_deref(),
        organisation: config.organisation.as_deref().unwrap_or(&config.title),
        summary: ACCESSIBILITY_SUMMARY,
    };
    context.insert("statement", &view);
}

/// The meetings in `range` of the index order: upcoming ones soonest first, then past ones
/// newest first, grouped by year.
fn render_meetings_index(context: &mut Context, site: &Site, range: std::ops::Range<usize>) {
    // `site.meetings` is oldest first, so the upcoming ones are its tail.
    let first_upcoming = site.meetings.partition_point(|m| !is_upcoming(site, m));
    let upcoming_count = site.meetings.len() - first_upcoming;
    let in_order = |i: usize| {
        if i < upcoming_count {
            &site.meetings[first_upcoming + i]
        } else {
            &site.meetings[first_upcoming - 1 - (i - upcoming_count)]
        }
    };
    let upcoming: Vec<_> = range
        .clone()
        .filter(|&i| i < upcoming_count)
        .map(|i| meeting_summary(in_order(i)))
        .collect();
    let mut years: Vec<YearView<'_>> = Vec::new();
    for entry in range.filter(|&i| i >= upcoming_count).map(in_order) {
        let year = entry.page.item.date.year();
        match years.last_mut() {
            Some(group) if group.year == year => group.meetings.push(meeting_summary(entry)),
            _ => years.push(YearView {
                year,
                meetings: vec![meeting_summary(entry)],
            }),
        }
    }
    context.insert("upcoming", &upcoming);
    context.insert("past_years", &years);
}

fn render_meeting_page(context: &mut Context, site: &Site, entry: &MeetingEntry) {
    let m = &entry.page.item;
    let base = site.config.base_url.path.as_str();
    let link = |slug: &str| site.priority(slug).map(priority_link);
    let view = MeetingView {
        title: &m.common.title,
        url: &entry.page.url,
        date: date_text(m.date),
        time: m.time.map(|t| t.twelve_hour()),
        time_24h: m.time.map(|t| t.to_string()),
        venue: m.venue.as_deref(),
        chair: m.chair.as_deref(),
        status: meeting_status_view(entry.status),
        upcoming: is_upcoming(site, entry),
        calendar_url: calendar::meeting_calendar(site, entry)
            .map(|p| site.config.base_url.join(&p)),
        priorities: m.priorities.iter().filter_map(|r| link(&r.slug)).collect(),
        agenda: m
            .agenda
            .iter()
            .map(|a| AgendaItemView {
                title: &a.title,
                presenter: a.presenter.as_deref(),
                priority: a.priority.as_ref().and_then(|r| link(&r.slug)),
            })
            .collect(),
        documents: entry
            .documents
            .iter()
            .map(|d| DocumentView {
                title: &d.title,
                url: &d.url,
                file_type: &d.file_type,
                size: d.size.map(format_size),
            })
            .collect(),
        tags: tag_views(&m.common.tags, base),
        content: &entry.page.html,
    };
    context.insert("meeting", &view);
}

fn render_update_page(context: &mut Context, site: &Site, update: &Published<Update>) {
    let u = &update.item;
    let base = site.config.base_url.path.as_str();
    let view = UpdateView {
        title: &u.common.title,
        url: &update.url,
        date: date_text(u.date),
        priorities: u
            .priorities
            .iter()
            .filter_map(|r| site.priority(&r.slug).map(priority_link))
            .collect(),
        status_changes: u
            .status_changes
            .iter()
            .filter_map(|c| {
                site.priority(&c.priority.slug)
                    .map(|p| StatusChangeLinkView {
                        priority: priority_link(p),
                        status: status_view(c.status),
                    })
            })
            .collect(),
        tags: tag_views(&u.common.tags, base),
        content: &update.html,
    };
    context.insert("update", &view);
}

fn render_tag_page(context: &mut Context, tag: &TagIndex, range: std::ops::Range<usize>) {
    context.insert(
        "tag",
        &TagView {
            name: &tag.tag.name,
            slug: &tag.tag.slug,
            url: tag.url.clone(),
        },
    );
    let items: Vec<_> = tag.items[range]
        .iter()
        .map(|i| TaggedItemView {
            kind: i.kind.as_str(),
            kind_label: match i.kind {
                Kind::Priority => "Priority",
                Kind::Meeting => "Meeting",
                Kind::Update => "Update",
                Kind::Page => "Page",
            },
            title: &i.title,
            url: &i.url,
            date: i.date.map(date_text),
        })
        .collect();
    context.insert("items", &items);
}
