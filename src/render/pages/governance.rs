//! The action register, each action's page and the list of decisions.

use std::borrow::Cow;

use crate::model::Site;
use crate::model::governance::ActionEntry;
use crate::model::route_table::Route;
use crate::render::pages::{Content, HOME_TRAIL, Listing, PageJob, numbered};
use crate::render::site::Crumb;
use crate::render::views::CommonView;
use crate::render::views::governance::{
    ActionCountsView, ActionGroupView, ActionPageView, ActionView, ActionsView, DecisionView,
    DecisionsView, history_views,
};
use crate::routes;

/// Page `number` of the action register.
pub fn actions_job<'a>(site: &'a Site, route: &'a Route, number: usize) -> PageJob<'a> {
    let (listing, title) = numbered(site, routes::ACTIONS, "Actions", site.actions.len(), number);
    PageJob {
        route,
        template: "actions.html",
        section: "actions",
        title,
        trail: HOME_TRAIL,
        content: Content::Actions(listing),
    }
}

pub fn action_job<'a>(route: &'a Route, action: &'a ActionEntry) -> PageJob<'a> {
    PageJob {
        route,
        template: "action.html",
        section: "actions",
        title: Cow::Owned(format!("Action {}", action.action.id)),
        trail: &[Crumb::Home, Crumb::Actions],
        content: Content::Action(action),
    }
}

/// Page `number` of the decisions.
pub fn decisions_job<'a>(site: &'a Site, route: &'a Route, number: usize) -> PageJob<'a> {
    let (listing, title) = numbered(
        site,
        routes::DECISIONS,
        "Decisions",
        site.decisions.len(),
        number,
    );
    PageJob {
        route,
        template: "decisions.html",
        section: "decisions",
        title,
        trail: HOME_TRAIL,
        content: Content::Decisions(listing),
    }
}

pub fn actions_view<'a>(
    site: &'a Site,
    listing: &'a Listing,
    common: CommonView<'a>,
) -> ActionsView<'a> {
    let mut groups: Vec<ActionGroupView<'a>> = Vec::new();
    for action in &site.actions[listing.range.clone()] {
        let (heading, word) = match (action.overdue, action.status.is_closed()) {
            (true, _) => ("Overdue", "overdue"),
            (false, false) => ("Open and in progress", "open"),
            (false, true) => ("Done and dropped", "closed"),
        };
        match groups.last_mut() {
            Some(group) if group.word == word => group.actions.push(ActionView::new(site, action)),
            _ => groups.push(ActionGroupView {
                heading,
                word,
                actions: vec![ActionView::new(site, action)],
            }),
        }
    }
    ActionsView {
        common,
        counts: ActionCountsView::new(site),
        groups,
        pagination: listing.pagination.as_ref(),
        calendar_url: site.config.base_url.absolute_url(routes::ACTIONS_CALENDAR),
        decisions_url: (!site.decisions.is_empty())
            .then(|| format!("{}{}", site.config.base_url.path, routes::DECISIONS)),
    }
}

pub fn action_view<'a>(
    site: &'a Site,
    action: &'a ActionEntry,
    common: CommonView<'a>,
) -> ActionPageView<'a> {
    ActionPageView {
        common,
        action: ActionView::new(site, action),
        history: history_views(site, action),
    }
}

pub fn decisions_view<'a>(
    site: &'a Site,
    listing: &'a Listing,
    common: CommonView<'a>,
) -> DecisionsView<'a> {
    DecisionsView {
        common,
        decisions: site.decisions[listing.range.clone()]
            .iter()
            .map(|d| DecisionView::new(site, d))
            .collect(),
        pagination: listing.pagination.as_ref(),
    }
}
