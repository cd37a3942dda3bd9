//! Atom feeds (RFC 4287) of progress updates and held meetings: one for the whole site, one per
//! priority and one per tag. Each entry carries its full text with absolute links, so it reads
//! the same in a feed reader as on the site. Dates come from the content only, never the clock.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use crate::html::urls::absolutize;
use crate::html::xml::{cdata, escape};
use crate::model::{MeetingEntry, Published, Site};
use crate::output::{Contents, OutputFile};
use crate::parse::content::{ActionUpdate, Meeting, Update};
use crate::routes;
use crate::values::{ActionId, Date, MeetingStatus, Time};

pub use crate::routes::{SITE_FEED, feed_beside};
/// Newest entries in the site's feed: enough to catch up after weeks away, small enough to
/// fetch often.
pub const FEED_LENGTH: usize = 20;
/// Newest entries in a priority's or tag's feed, which change less often.
pub const TOPIC_FEED_LENGTH: usize = 10;

/// What an entry is made from.
#[derive(Clone, Copy)]
enum Source<'a> {
    Update(&'a Published<Update>),
    Meeting(&'a MeetingEntry),
}

impl<'a> Source<'a> {
    fn url(self) -> &'a str {
        match self {
            Source::Update(u) => &u.url,
            Source::Meeting(m) => &m.page.url,
        }
    }

    /// Newest first; same day and time by address, so the order never changes between builds.
    fn order(self) -> (std::cmp::Reverse<(Date, Option<Time>)>, &'a str) {
        let when = match self {
            Source::Update(u) => (u.item.date, None),
            Source::Meeting(m) => (m.page.item.date, m.page.item.time),
        };
        (std::cmp::Reverse(when), self.url())
    }
}

/// One feed to write.
struct FeedPlan<'a> {
    path: String,
    title: String,
    /// The page the feed follows, relative to the site root.
    page: String,
    entries: Vec<Source<'a>>,
}

/// Every feed of the site.
pub fn feeds(site: &Site) -> Vec<OutputFile> {
    let mut sources: HashMap<&str, Source<'_>> = HashMap::new();
    for update in &site.updates {
        sources.insert(&update.url, Source::Update(update));
    }
    for meeting in site
        .meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held)
    {
        sources.insert(&meeting.page.url, Source::Meeting(meeting));
    }
    let plans = plan_feeds(site, &sources);
    let fallback_updated = format!("{}T00:00:00Z", latest_content_date(site));
    // Each entry is written again for every feed it is in: an entry is in few feeds, and
    // keeping every entry's text in memory between feeds would cost more than writing it.
    plans
        .par_iter()
        .map(|plan| OutputFile {
            path: plan.path.clone(),
            contents: Contents::Bytes(feed_xml(site, plan, &fallback_updated).into_bytes()),
        })
        .collect()
}

fn plan_feeds<'a>(site: &'a Site, sources: &HashMap<&str, Source<'a>>) -> Vec<FeedPlan<'a>> {
    let pick = |urls: &mut dyn Iterator<Item = &str>, length: usize| {
        let mut entries: Vec<Source<'a>> = urls.filter_map(|u| sources.get(u).copied()).collect();
        entries.sort_by_key(|e| e.order());
        entries.dedup_by_key(|e| e.url());
        entries.truncate(length);
        entries
    };
    let title = &site.config.title;
    let mut plans = vec![FeedPlan {
        path: SITE_FEED.to_string(),
        title: format!("{title}: updates and meetings"),
        page: String::new(),
        entries: pick(&mut sources.keys().copied(), FEED_LENGTH),
    }];
    for priority in &site.priorities {
        plans.push(FeedPlan {
            path: feed_beside(&priority.page.site_path),
            title: format!("{title}: {}", priority.page.item.common.title),
            page: priority.page.site_path.clone(),
            entries: pick(
                &mut priority.timeline.iter().map(|t| t.url.as_str()),
                TOPIC_FEED_LENGTH,
            ),
        });
    }
    for tag in &site.tags {
        plans.push(FeedPlan {
            path: feed_beside(&tag.site_path),
            title: format!("{title}: tagged “{}”", tag.tag.name),
            page: tag.site_path.clone(),
            entries: pick(
                &mut tag.items.iter().map(|i| i.url.as_str()),
                TOPIC_FEED_LENGTH,
            ),
        });
    }
    plans
}

fn feed_xml(site: &Site, plan: &FeedPlan<'_>, fallback_updated: &str) -> String {
    let config = &site.config;
    let base = &config.base_url;
    let feed_url = format!("{}{}", base.absolute, plan.path);
    let page_url = format!("{}{}", base.absolute, plan.page);
    let updated = plan
        .entries
        .first()
        .map_or_else(|| fallback_updated.to_string(), |e| updated_of(site, *e));
    let author = config.organisation.as_deref().unwrap_or(&config.title);
    let mut xml = String::with_capacity(4096 + plan.entries.len() * 8192);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&config.language)
    );
    let _ = writeln!(xml, "<title type=\"text\">{}</title>", escape(&plan.title));
    if let Some(description) = &config.description {
        let _ = writeln!(
            xml,
            "<subtitle type=\"text\">{}</subtitle>",
            escape(description)
        );
    }
    let _ = writeln!(xml, "<id>{}</id>", escape(&feed_url));
    let _ = writeln!(
        xml,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&feed_url)
    );
    let _ = writeln!(
        xml,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&page_url)
    );
    let _ = writeln!(xml, "<updated>{updated}</updated>");
    let _ = write!(
        xml,
        "<author><name>{}</name><uri>{}</uri>",
        escape(author),
        escape(&base.absolute)
    );
    if let Some(email) = &config.contact_email {
        let _ = write!(xml, "<email>{}</email>", escape(email));
    }
    xml.push_str("</author>\n<generator>Waymark</generator>\n");
    for entry in &plan.entries {
        xml.push_str(&entry_xml(site, *entry));
    }
    xml.push_str("</feed>\n");
    xml
}

fn updated_of(site: &Site, source: Source<'_>) -> String {
    match source {
        Source::Update(u) => format!("{}T00:00:00Z", u.item.date),
        Source::Meeting(m) => {
            let item = &m.page.item;
            item.time
                .and_then(|time| site.config.timezone.rfc3339(item.date, time).ok())
                .unwrap_or_else(|| format!("{}T00:00:00Z", item.date))
        }
    }
}

fn entry_xml(site: &Site, source: Source<'_>) -> String {
    let base = &site.config.base_url;
    let origin = base.origin();
    let page_url = format!("{origin}{}", source.url());
    let (title, tags, html) = match source {
        Source::Update(u) => (
            u.item.common.title.clone(),
            &u.item.common.tags,
            update_html(site, u),
        ),
        Source::Meeting(m) => (
            format!(
                "{}, {}",
                m.page.item.common.title,
                m.page.item.date.long_form()
            ),
            &m.page.item.common.tags,
            meeting_html(site, m),
        ),
    };
    let content = absolutize(&html, &page_url);
    let updated = updated_of(site, source);
    let mut xml = String::with_capacity(content.len() * 5 / 4 + 1024);
    xml.push_str("<entry>\n");
    let _ = writeln!(xml, "<title type=\"text\">{}</title>", escape(&title));
    let _ = writeln!(xml, "<id>{}</id>", escape(&page_url));
    let _ = writeln!(
        xml,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&page_url)
    );
    let _ = writeln!(xml, "<published>{updated}</published>");
    let _ = writeln!(xml, "<updated>{updated}</updated>");
    for tag in tags {
        let _ = writeln!(
            xml,
            "<category term=\"{}\" label=\"{}\"/>",
            escape(&tag.slug),
            escape(&tag.name)
        );
    }
    let _ = writeln!(xml, "<content type=\"html\">{}</content>", cdata(&content));
    xml.push_str("</entry>\n");
    xml
}

/// The meeting's facts, agenda, decisions, actions and documents above its minutes: a feed
/// reader shows no page around the text.
fn meeting_html(site: &Site, entry: &MeetingEntry) -> String {
    let m = &entry.page.item;
    let mut html = String::new();
    let mut facts = format!("{} {}", m.date.weekday_name(), m.date.long_form());
    if let Some(time) = m.time {
        facts.push_str(&format!(", {}", time.twelve_hour()));
    }
    if let Some(venue) = &m.venue {
        facts.push_str(&format!(", {venue}"));
    }
    let _ = write!(html, "<p><strong>Held:</strong> {}", escape(&facts));
    if let Some(chair) = &m.chair {
        let _ = write!(html, ". <strong>Chair:</strong> {}", escape(chair));
    }
    html.push_str(".</p>\n");
    if !m.agenda.is_empty() {
        html.push_str("<h2>Agenda</h2>\n<ol>\n");
        for item in &m.agenda {
            let _ = writeln!(html, "<li>{}</li>", escape(&item.title));
        }
        html.push_str("</ol>\n");
    }
    html.push_str(&decisions_html(m));
    html.push_str(&actions_html(site, m));
    html.push_str(&progress_html(site, &m.action_updates));
    if !entry.documents.is_empty() {
        html.push_str("<h2>Documents</h2>\n<ul>\n");
        for document in &entry.documents {
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{}</a> ({})</li>",
                escape(&document.url),
                escape(&document.title),
                escape(&document.file_type)
            );
        }
        html.push_str("</ul>\n");
    }
    if !entry.page.html.trim().is_empty() {
        html.push_str("<h2>Minutes</h2>\n");
        html.push_str(&entry.page.html);
    }
    html
}

/// The status changes an update records, above its text.
fn update_html(site: &Site, update: &Published<Update>) -> String {
    let mut html = String::new();
    let changes: Vec<String> = update
        .item
        .status_changes
        .iter()
        .filter_map(|change| {
            let priority = site.priority(&change.priority.slug)?;
            Some(format!(
                "<li><a href=\"{}\">{}</a>: now {}</li>",
                escape(&priority.page.url),
                escape(&priority.page.item.common.title),
                change.status.label()
            ))
        })
        .collect();
    if !changes.is_empty() {
        let _ = write!(
            html,
            "<h2>Status changes</h2>\n<ul>\n{}\n</ul>\n",
            changes.join("\n")
        );
    }
    html.push_str(&progress_html(site, &update.item.action_updates));
    html.push_str(&update.html);
    html
}

/// What the meeting decided, in agenda order, each with the item it was decided on.
fn decisions_html(m: &Meeting) -> String {
    let mut html = String::new();
    for (number, item) in m.agenda.iter().enumerate() {
        for decision in &item.decisions {
            let _ = writeln!(
                html,
                "<li>{} <em>(item {}, {})</em></li>",
                escape(decision),
                number + 1,
                escape(&item.title)
            );
        }
    }
    if html.is_empty() {
        return html;
    }
    format!("<h2>Decisions</h2>\n<ul>\n{html}</ul>\n")
}

/// The actions the meeting raised, each linked to its page in the action register.
fn actions_html(site: &Site, m: &Meeting) -> String {
    let mut html = String::new();
    for action in m.agenda.iter().flat_map(|item| &item.actions) {
        let _ = write!(
            html,
            "<li>{}: {} <strong>Owner:</strong> {}",
            action_link(site, &action.id),
            escape(&sentence(&action.action)),
            escape(&sentence(&action.owner))
        );
        if let Some(due) = action.due {
            let _ = write!(html, " <strong>Due:</strong> {}.", due.long_form());
        }
        html.push_str("</li>\n");
    }
    if html.is_empty() {
        return html;
    }
    format!("<h2>Actions</h2>\n<ul>\n{html}</ul>\n")
}

/// Progress reported on earlier actions, as the meeting or update records it.
fn progress_html(site: &Site, updates: &[ActionUpdate]) -> String {
    let mut html = String::new();
    for update in updates {
        let _ = write!(html, "<li>{}", action_link(site, &update.id));
        if let Some(&i) = site.action_index.get(update.id.key()) {
            let _ = write!(html, " ({})", escape(&site.actions[i].action.action));
        }
        let _ = write!(html, ": now {}.", update.status.label().to_lowercase());
        if let Some(note) = &update.note {
            let _ = write!(html, " {}", escape(&sentence(note)));
        }
        html.push_str("</li>\n");
    }
    if html.is_empty() {
        return html;
    }
    format!("<h2>Progress on actions</h2>\n<ul>\n{html}</ul>\n")
}

/// The action's id as the register writes it, linked to its page; as written here when the
/// register does not have it.
fn action_link(site: &Site, id: &ActionId) -> String {
    let Some(&i) = site.action_index.get(id.key()) else {
        return escape(id.as_str());
    };
    let id = &site.actions[i].action.id;
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&site.config.base_url.join(&routes::action(id.key()))),
        escape(id.as_str())
    )
}

/// `text` ending in a full stop, unless it already ends a sentence.
fn sentence(text: &str) -> Cow<'_, str> {
    if text.ends_with(['.', '!', '?']) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{text}."))
    }
}

/// The newest date in the content, for a feed with no entries yet.
fn latest_content_date(site: &Site) -> Date {
    let updates = site.updates.iter().map(|u| u.item.date);
    let meetings = site
        .meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held)
        .map(|m| m.page.item.date);
    let priorities = site.priorities.iter().filter_map(|p| p.page.item.updated);
    updates
        .chain(meetings)
        .chain(priorities)
        .max()
        .unwrap_or(Date::from_days_since_epoch(0))
}
