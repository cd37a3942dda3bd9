//! The `site` every template receives: settings, section addresses, menus and theme assets.

use std::collections::BTreeMap;

use crate::html::urls::encode_segment;
use crate::model::Site;
use crate::render::views::{LinkView, LogoView, SiteView, UrlsView};
use crate::routes;

/// The address of each section under `base_path` (which starts and ends with `/`).
pub fn urls(base_path: &str) -> UrlsView {
    let at = |path: &str| format!("{base_path}{path}");
    UrlsView {
        home: at(""),
        priorities: at(routes::PRIORITIES),
        meetings: at(routes::MEETINGS),
        updates: at(routes::UPDATES),
        tags: at(routes::TAGS),
        search: at(routes::SEARCH),
        accessibility: at(routes::ACCESSIBILITY),
        actions: at(routes::ACTIONS),
        decisions: at(routes::DECISIONS),
        data: at(routes::DATA),
    }
}

/// A section's index page, as a menu item or a breadcrumb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crumb {
    Home,
    Priorities,
    Meetings,
    Updates,
    Decisions,
    Actions,
    Tags,
}

impl Crumb {
    pub fn link(self, urls: &UrlsView) -> LinkView {
        let (title, url, section) = match self {
            Crumb::Home => ("Home", &urls.home, "home"),
            Crumb::Priorities => ("Priorities", &urls.priorities, "priorities"),
            Crumb::Meetings => ("Meetings", &urls.meetings, "meetings"),
            Crumb::Updates => ("Updates", &urls.updates, "updates"),
            Crumb::Decisions => ("Decisions", &urls.decisions, "decisions"),
            Crumb::Actions => ("Actions", &urls.actions, "actions"),
            Crumb::Tags => ("Tags", &urls.tags, "tags"),
        };
        LinkView {
            title: title.to_string(),
            url: url.clone(),
            section,
        }
    }
}

pub fn site_view<'a>(site: &'a Site, theme_assets: &BTreeMap<String, String>) -> SiteView<'a> {
    let config = &site.config;
    let base = config.base_url.path.as_str();
    let urls = urls(base);
    let assets: BTreeMap<String, String> = theme_assets
        .iter()
        .map(|(name, published)| (name.clone(), format!("{base}{published}")))
        .collect();
    let stylesheet = assets.get("style.css").cloned().unwrap_or_default();
    let search_script = assets.get("search.js").cloned().unwrap_or_default();
    let calendar_url = format!("{}{}", config.base_url.absolute, routes::CALENDAR);
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
        nav: nav(site, &urls),
        footer_links: footer_links(site, &urls),
        stylesheet,
        assets,
        locale: config.language.replace('-', "_"),
        feed_url: config.base_url.absolute_url(routes::SITE_FEED),
        calendar_url,
        calendar_subscribe_url,
        search_url: urls.search.clone(),
        search_script,
        accessibility_url: urls.accessibility.clone(),
        urls,
        logo: config.logo.as_ref().map(|logo| LogoView {
            url: format!("{base}{}", encoded_path(&logo.site_path)),
            alt: &logo.alt,
            repeats_title: logo.alt.to_lowercase() == config.title.trim().to_lowercase(),
        }),
        brand_colour: config.brand_colour.map(|colour| colour.to_string()),
    }
}

/// A path of the site with each segment percent-encoded: `images/our logo.svg` →
/// `images/our%20logo.svg`.
fn encoded_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// The main menu; Updates, Decisions and Actions only once there is one.
fn nav(site: &Site, urls: &UrlsView) -> Vec<LinkView> {
    let mut sections = vec![Crumb::Home, Crumb::Priorities, Crumb::Meetings];
    if !site.updates.is_empty() {
        sections.push(Crumb::Updates);
    }
    if !site.decisions.is_empty() {
        sections.push(Crumb::Decisions);
    }
    if !site.actions.is_empty() {
        sections.push(Crumb::Actions);
    }
    sections.into_iter().map(|c| c.link(urls)).collect()
}

/// Every free page and the generated accessibility statement, by address, then Tags and the
/// open data.
fn footer_links(site: &Site, urls: &UrlsView) -> Vec<LinkView> {
    let mut links: Vec<LinkView> = site
        .pages
        .iter()
        .map(|p| LinkView {
            title: p.item.common.title.clone(),
            url: p.url.clone(),
            section: "page",
        })
        .collect();
    if site.generates_accessibility_statement() {
        links.push(LinkView {
            title: "Accessibility statement".to_string(),
            url: urls.accessibility.clone(),
            section: "page",
        });
        links.sort_by(|a, b| a.url.cmp(&b.url));
    }
    links.push(Crumb::Tags.link(urls));
    links.push(LinkView {
        title: "Open data".to_string(),
        url: urls.data.clone(),
        section: "data",
    });
    links
}
