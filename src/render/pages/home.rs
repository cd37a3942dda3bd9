//! The home page: the priorities dashboard, the next meetings and the latest updates.

use crate::model::Site;
use crate::model::route_table::Route;
use crate::render::pages::{Content, PageJob, meetings};
use crate::render::views::pages::HomeView;
use crate::render::views::{
    CommonView, MeetingSummaryView, PageView, UpdateSummaryView, priority_links, status_counts,
};

/// How many items the home page shows of each list.
const HOME_LIST_LENGTH: usize = 5;

pub fn job<'a>(site: &'a Site, route: &'a Route) -> PageJob<'a> {
    let title = site
        .home
        .as_ref()
        .map_or(site.config.title.as_str(), |h| h.item.common.title.as_str());
    PageJob {
        route,
        template: "home.html",
        section: "home",
        title: title.into(),
        trail: &[],
        content: Content::Home,
    }
}

pub fn view<'a>(site: &'a Site, common: CommonView<'a>) -> HomeView<'a> {
    HomeView {
        common,
        intro: site.home.as_ref().map(PageView::new),
        priorities: priority_links(site),
        upcoming_meetings: site
            .meetings
            .iter()
            .filter(|m| meetings::is_upcoming(site, m))
            .take(HOME_LIST_LENGTH)
            .map(MeetingSummaryView::new)
            .collect(),
        latest_updates: site
            .updates
            .iter()
            .take(HOME_LIST_LENGTH)
            .map(UpdateSummaryView::new)
            .collect(),
        status_counts: status_counts(site),
    }
}
