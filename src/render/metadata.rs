//! What each page tells machines about itself: its canonical address, a description for search
//! results and link previews (OpenGraph), its feeds, and schema.org structured data (JSON-LD):
//! an `Event` for each meeting and a `GovernmentOrganization` on the home page.

use serde::Serialize;
use serde_json::{Value, json};

use crate::html::scan::plain_text;
use crate::model::route_table::{Route, RouteKind};
use crate::model::{ACCESSIBILITY_SUMMARY, MeetingEntry, PriorityEntry, Published, Site, TagIndex};
use crate::parse::content::{Page, Update};
use crate::routes;
use crate::values::MeetingStatus;

/// Search engines show about this many characters of a description.
const DESCRIPTION_LENGTH: usize = 160;

/// The template contract for a page's head: `meta` in every template.
#[derive(Serialize)]
pub struct PageMetaView {
    /// The page's title on its own, without the site's name.
    pub title: String,
    /// The one address search engines should use for this page; none for the 404 page, which
    /// has no address of its own.
    pub canonical_url: Option<String>,
    pub description: String,
    /// OpenGraph type: `website` for lists, `article` for content.
    pub og_type: &'static str,
    /// Feeds and calendars for `<link rel="alternate">`, most specific first.
    pub alternates: Vec<FeedLinkView>,
    /// This page's own feed (a priority's or tag's), else the site's.
    pub feed: FeedLinkView,
    /// JSON-LD, already made safe to place inside `<script>`.
    pub structured_data: Option<String>,
    /// Ask search engines not to list the page (the 404 page).
    pub noindex: bool,
}

#[derive(Serialize, Clone)]
pub struct FeedLinkView {
    pub title: String,
    /// Absolute address.
    pub url: String,
    pub media_type: &'static str,
}

/// The head of the page at `route`, titled `page_title`. Every page but the 404 page has its
/// route's address as its canonical address, numbered list pages included.
pub fn page_meta(site: &Site, route: &Route, page_title: &str) -> PageMetaView {
    let title = &site.config.title;
    let alternates = site_alternates(site);
    let article = PageMetaView {
        title: page_title.to_string(),
        canonical_url: Some(format!(
            "{}{}",
            site.config.base_url.absolute, route.site_path
        )),
        description: String::new(),
        og_type: "article",
        feed: alternates[0].clone(),
        alternates,
        structured_data: None,
        noindex: false,
    };
    match route.kind {
        RouteKind::Home => home_meta(site, article),
        RouteKind::Priority(i) => priority_meta(site, &site.priorities[i], article),
        RouteKind::Meeting(i) => meeting_meta(site, &site.meetings[i], article),
        RouteKind::Update(i) => update_meta(&site.updates[i], article),
        RouteKind::Page(i) => free_page_meta(site, &site.pages[i], article),
        RouteKind::Tag { tag, .. } => tag_meta(site, &site.tags[tag], article),
        RouteKind::Priorities => listing(
            article,
            format!("What {title} is working on, and how each priority is progressing."),
        ),
        RouteKind::Meetings { .. } => listing(
            article,
            format!("Upcoming and past meetings of {title}, with agendas, papers and minutes."),
        ),
        RouteKind::Updates { .. } => listing(article, format!("Progress updates from {title}.")),
        RouteKind::Actions { .. } => listing(
            article,
            format!(
                "Every action {title} has agreed: who is doing it, by when, and whether it is done."
            ),
        ),
        RouteKind::Action(i) => {
            let action = &site.actions[i];
            PageMetaView {
                description: format!(
                    "{} (owner: {}; {}).",
                    action.action.action.trim_end_matches('.'),
                    action.action.owner,
                    action.status.label().to_lowercase()
                ),
                ..article
            }
        }
        RouteKind::Decisions { .. } => listing(
            article,
            format!(
                "Every decision {title} has taken, newest first, with the meeting that took it."
            ),
        ),
        RouteKind::Tags => listing(
            article,
            format!("Topics of the priorities, meetings and updates of {title}."),
        ),
        RouteKind::Search => listing(
            article,
            format!("Search the priorities, meetings and updates of {title}."),
        ),
        RouteKind::AccessibilityStatement => listing(article, ACCESSIBILITY_SUMMARY.to_string()),
        RouteKind::Data => listing(
            article,
            format!(
                "Download the priorities, meetings, updates, decisions and actions of {title} as open data, in CSV and JSON."
            ),
        ),
        RouteKind::NotFound => PageMetaView {
            canonical_url: None,
            og_type: "website",
            description: site_description(site),
            noindex: true,
            ..article
        },
    }
}

/// A page that lists or gathers things, described by `description`.
fn listing(article: PageMetaView, description: String) -> PageMetaView {
    PageMetaView {
        og_type: "website",
        description,
        ..article
    }
}

fn update_meta(update: &Published<Update>, article: PageMetaView) -> PageMetaView {
    PageMetaView {
        description: excerpt(&update.html).unwrap_or_else(|| {
            format!(
                "Progress update published on {}.",
                update.item.date.long_form()
            )
        }),
        ..article
    }
}

fn free_page_meta(site: &Site, page: &Published<Page>, article: PageMetaView) -> PageMetaView {
    PageMetaView {
        description: page
            .item
            .summary
            .clone()
            .or_else(|| excerpt(&page.html))
            .unwrap_or_else(|| site_description(site)),
        ..article
    }
}

/// The site's `description`, or its title when it has none.
fn site_description(site: &Site) -> String {
    let config = &site.config;
    config
        .description
        .clone()
        .unwrap_or_else(|| config.title.clone())
}

fn home_meta(site: &Site, article: PageMetaView) -> PageMetaView {
    PageMetaView {
        og_type: "website",
        description: site
            .home
            .as_ref()
            .and_then(|h| h.item.summary.clone())
            .unwrap_or_else(|| site_description(site)),
        structured_data: Some(script_safe(&organisation(site))),
        ..article
    }
}

fn priority_meta(site: &Site, entry: &PriorityEntry, article: PageMetaView) -> PageMetaView {
    let p = &entry.page.item;
    let description = p
        .summary
        .clone()
        .or_else(|| excerpt(&entry.page.html))
        .unwrap_or_else(|| {
            format!(
                "Priority {}: {}. Status: {}.",
                p.number,
                p.common.title,
                p.status.label()
            )
        });
    let mut meta = PageMetaView {
        description,
        ..article
    };
    own_feed(&mut meta, site, &entry.page.site_path, &p.common.title);
    meta
}

fn meeting_meta(site: &Site, entry: &MeetingEntry, article: PageMetaView) -> PageMetaView {
    let mut meta = PageMetaView {
        title: format!("{}, {}", article.title, entry.page.item.date.long_form()),
        description: meeting_description(entry),
        ..article
    };
    meta.structured_data = Some(script_safe(&event(site, entry, &meta)));
    if let Some(path) = entry.calendar_path(site.today) {
        let calendar = FeedLinkView {
            title: format!("{} (calendar entry)", meta.title),
            url: format!("{}{path}", site.config.base_url.absolute),
            media_type: "text/calendar",
        };
        meta.alternates.insert(0, calendar);
    }
    meta
}

fn tag_meta(site: &Site, tag: &TagIndex, article: PageMetaView) -> PageMetaView {
    let mut meta = PageMetaView {
        og_type: "website",
        description: format!(
            "Priorities, meetings and updates about {} from {}.",
            tag.tag.name, site.config.title
        ),
        ..article
    };
    let subject = format!("tagged “{}”", tag.tag.name);
    own_feed(&mut meta, site, &tag.site_path, &subject);
    meta
}

/// The site's feed and meetings calendar, offered on every page.
fn site_alternates(site: &Site) -> Vec<FeedLinkView> {
    let config = &site.config;
    vec![
        FeedLinkView {
            title: format!("{}: updates and meetings", config.title),
            url: config.base_url.absolute_url(routes::SITE_FEED),
            media_type: "application/atom+xml",
        },
        FeedLinkView {
            title: format!("{} meetings calendar", config.title),
            url: config.base_url.absolute_url(routes::CALENDAR),
            media_type: "text/calendar",
        },
    ]
}

fn own_feed(meta: &mut PageMetaView, site: &Site, site_path: &str, subject: &str) {
    let feed = FeedLinkView {
        title: format!("{}: {subject}", site.config.title),
        url: site
            .config
            .base_url
            .absolute_url(&routes::feed_beside(site_path)),
        media_type: "application/atom+xml",
    };
    meta.alternates.insert(0, feed.clone());
    meta.feed = feed;
}

fn meeting_description(entry: &MeetingEntry) -> String {
    let m = &entry.page.item;
    let mut text = format!(
        "{} on {} {}",
        m.common.title,
        m.date.weekday_name(),
        m.date.long_form()
    );
    if let Some(time) = m.time {
        text.push_str(&format!(" at {}", time.twelve_hour()));
    }
    if let Some(venue) = &m.venue {
        text.push_str(&format!(", {venue}"));
    }
    text.push('.');
    match entry.status {
        MeetingStatus::Cancelled => text.push_str(" This meeting was cancelled."),
        MeetingStatus::Held if !entry.page.html.trim().is_empty() => {
            text.push_str(" Agenda, papers and minutes.")
        }
        _ if !m.agenda.is_empty() => text.push_str(" Agenda and papers."),
        _ => {}
    }
    text
}

/// schema.org `Event` for a meeting.
fn event(site: &Site, entry: &MeetingEntry, meta: &PageMetaView) -> Value {
    let m = &entry.page.item;
    let start = m
        .time
        .and_then(|time| site.config.timezone.rfc3339(m.date, time).ok())
        .unwrap_or_else(|| m.date.to_string());
    let status = match entry.status {
        MeetingStatus::Cancelled => "https://schema.org/EventCancelled",
        _ => "https://schema.org/EventScheduled",
    };
    let mut event = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": m.common.title,
        "startDate": start,
        "eventStatus": status,
        "url": meta.canonical_url,
        "description": meta.description,
        "organizer": organiser(site),
    });
    // A venue is free text ("Online video meeting" is one), so whether people attend in
    // person is not known, and no eventAttendanceMode is claimed.
    if let Some(venue) = &m.venue {
        event["location"] = json!({ "@type": "Place", "name": venue, "address": venue });
    }
    event
}

fn organiser(site: &Site) -> Value {
    let config = &site.config;
    json!({
        "@type": "GovernmentOrganization",
        "name": config.organisation.as_deref().unwrap_or(&config.title),
        "url": config.base_url.absolute,
    })
}

/// schema.org `GovernmentOrganization` for the home page.
fn organisation(site: &Site) -> Value {
    let config = &site.config;
    let mut organisation = organiser(site);
    organisation["@context"] = json!("https://schema.org");
    if let Some(description) = &config.description {
        organisation["description"] = json!(description);
    }
    if let Some(email) = &config.contact_email {
        organisation["email"] = json!(email);
    }
    organisation
}

/// JSON that cannot end its `<script>` element early or be read as markup.
fn script_safe(value: &Value) -> String {
    let json = value.to_string();
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

/// The first paragraph of a body as plain text, shortened at a word to fit search results.
pub fn excerpt(html: &str) -> Option<String> {
    let start = html.find("<p>")? + 3;
    let end = html[start..].find("</p>").map_or(html.len(), |e| start + e);
    let text = plain_text(&html[start..end]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= DESCRIPTION_LENGTH {
        return Some(text);
    }
    let cut: String = text.chars().take(DESCRIPTION_LENGTH).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    Some(format!(
        "{}…",
        at_word.trim_end_matches([',', ';', ':', '.'])
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_first_paragraph_as_plain_text() {
        let html =
            "<h2>x</h2>\n<p>Fish &amp; <a href=\"/c/\">chips</a>\non Fridays.</p><p>More</p>";
        assert_eq!(excerpt(html).unwrap(), "Fish & chips on Fridays.");
        let long = format!("<p>{}</p>", "word ".repeat(60));
        let short = excerpt(&long).unwrap();
        assert!(
            short.ends_with("word…") && short.chars().count() <= 161,
            "{short}"
        );
        assert_eq!(excerpt("<ul><li>x</li></ul>"), None);
    }

    #[test]
    fn keeps_json_inside_its_script() {
        let value = json!({ "name": "</script><b>&" });
        assert_eq!(
            script_safe(&value),
            "{\"name\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\"}"
        );
    }
}
