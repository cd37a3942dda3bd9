//! Bringing the assembled site up to date: patching bodies in place when only bodies changed,
//! assembling it again from the kept bodies otherwise, and checking bodies that changed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use super::{BodyRecord, State, added};
use crate::diagnostics::Diagnostic;
use crate::incremental::dependents::{self, Footprint, ItemChange};
use crate::load::{self, Asset};
use crate::model::{self, BodyFacts, Published, Site};
use crate::parse::content::{Common, Item};
use crate::parse::markdown::{LinkTargets, Rendered};

impl State {
    /// Runs `model::check_bodies` on the bodies rendered since the last check and on those that
    /// link to headings (with the bodies they link to); every other body's result still holds.
    /// Returns the problems that were not there before.
    pub(super) fn check_bodies(&mut self) -> Vec<Diagnostic> {
        let Some(site) = &self.site else {
            return Vec::new();
        };
        let mut involved: HashSet<&str> = HashSet::new();
        for (rel, body) in &self.bodies {
            if body.fresh || !body.anchor_links.is_empty() {
                involved.insert(rel);
                involved.extend(body.anchor_links.iter().map(|l| l.target.as_str()));
            }
        }
        if involved.is_empty() {
            return Vec::new();
        }
        // Usually one or two bodies: comparing names beats hashing ten thousand.
        let wanted: Vec<&str> = involved.iter().copied().collect();
        let found = model::check_bodies(
            published(site)
                .filter(|p| wanted.contains(&p.common.rel_path.as_str()))
                .map(|p| body_facts(&p, &self.bodies)),
        );
        let involved: Vec<String> = involved.into_iter().map(str::to_string).collect();
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for problem in found {
            let file = problem
                .file
                .as_ref()
                .map(|f| f.to_string_lossy().into_owned());
            by_file
                .entry(file.unwrap_or_default())
                .or_default()
                .push(problem);
        }
        let mut new = Vec::new();
        for rel in involved {
            let Some(body) = self.bodies.get_mut(&rel) else {
                continue;
            };
            let file = format!("{}/{rel}", load::CONTENT_DIR);
            let checked = by_file.remove(&file).unwrap_or_default();
            new.extend(added(&body.checked, &checked));
            body.checked = checked;
            body.fresh = false;
        }
        new
    }

    /// Brings the site up to date; returns the model's problems from before if it was
    /// assembled again.
    pub(super) fn apply_staged(&mut self) -> Option<Vec<Diagnostic>> {
        let before = std::mem::take(&mut self.model_problems);
        match self.site.take() {
            None => self.assemble_all(),
            Some(mut site) if self.only_bodies_changed(&site) => {
                self.patch_bodies(&mut site);
                self.site = Some(site);
                self.model_problems = before;
                return None;
            }
            Some(site) => self.reassemble(site),
        }
        Some(before)
    }

    fn assemble_all(&mut self) {
        let items: Vec<Item> = std::mem::take(&mut self.pending.staged)
            .into_values()
            .flatten()
            .collect();
        let assets = self.published_assets(&items);
        self.targets = self.link_targets(&items, &assets);
        self.bodies.clear();
        let bodies = self.render_bodies(items);
        self.assemble(bodies, assets);
        self.pending.pages.all = true;
        self.pending.reshaped = true;
    }

    /// The files to copy: all but the documents of draft meetings left out.
    fn published_assets<'a>(&self, items: impl IntoIterator<Item = &'a Item>) -> Vec<Asset> {
        let drafts: HashSet<String> = self
            .left_out
            .values()
            .flat_map(|d| d.documents.iter().cloned())
            .collect();
        crate::model::without_draft_documents(self.assets.clone(), &drafts, items)
    }

    fn link_targets<'a>(
        &self,
        items: impl IntoIterator<Item = &'a Item>,
        assets: &[Asset],
    ) -> LinkTargets {
        // Only a first build gets here with failed files; its links to them are not reported
        // again.
        let failed = self.failed_paths();
        let base_path = &self.config.base_url.path;
        model::link_targets(items, assets, self.drafts.clone(), failed, base_path)
    }

    fn assemble(&mut self, bodies: Vec<(Item, Rendered)>, assets: Vec<Asset>) {
        let config = self.config.clone();
        let (site, problems) =
            model::assemble_rendered(bodies, config, self.today, assets, &self.targets);
        self.model_problems = problems.sorted();
        self.site = Some(site);
        // The open data holds no bodies: only assembling (front matter, files) changes it.
        self.data_stale = true;
    }

    /// Renders bodies in parallel, keeping what each found.
    fn render_bodies(&mut self, items: Vec<Item>) -> Vec<(Item, Rendered)> {
        let targets = &self.targets;
        let raw_html = self.config.allow_raw_html;
        let mut bodies: Vec<(Item, Rendered)> = items
            .into_par_iter()
            .map(|item| {
                let rendered = model::render_body(&item, targets, raw_html);
                (item, rendered)
            })
            .collect();
        for (item, rendered) in &mut bodies {
            let rel = item.common().rel_path.clone();
            self.bodies.insert(rel, BodyRecord::take_from(rendered));
        }
        bodies
    }

    /// True when every staged change is a new body for an item whose front matter and file
    /// name stay the same: then nothing but those items' own pages can change.
    fn only_bodies_changed(&self, site: &Site) -> bool {
        const PATCH_LIMIT: usize = 16;
        if self.pending.assets_changed || self.pending.staged.len() > PATCH_LIMIT {
            return false;
        }
        self.pending.staged.iter().all(|(rel, item)| {
            let old = published(site).find(|p| p.common.rel_path == *rel);
            match (old, item) {
                (Some(old), Some(new)) => same_front_matter(old.common, new.common()),
                _ => false,
            }
        })
    }

    fn patch_bodies(&mut self, site: &mut Site) {
        let staged = std::mem::take(&mut self.pending.staged);
        for (rel, item) in staged {
            let Some(item) = item else { continue };
            let raw_html = self.config.allow_raw_html;
            let mut rendered = model::render_body(&item, &self.targets, raw_html);
            let Some(old) = published_mut(site, &rel) else {
                continue;
            };
            self.bodies
                .insert(rel, BodyRecord::take_from(&mut rendered));
            *old.common = into_common(item);
            *old.html = rendered.html;
            *old.heading_ids = rendered.heading_ids;
            let page = dependents::page_path(old.site_path);
            self.pending.pages.pages.insert(page);
        }
    }

    /// Takes the site apart, applies the staged items, re-renders the bodies whose links point
    /// at anything that appeared or disappeared, and assembles it again.
    fn reassemble(&mut self, site: Site) {
        let view_before = dependents::site_view_key(&site);
        // Pages can come and go without a file doing so (an action agreed or withdrawn, a
        // tag's last item retagged): then the page list is made afresh, and what went removed.
        let routes_before: HashSet<String> =
            site.routes.iter().map(|r| r.site_path.clone()).collect();
        let (mut bodies, assets_before) = disassemble(site);
        let mut changes = Vec::new();
        let mut to_render = Vec::new();
        let mut reshaped = false;
        for (rel, new) in std::mem::take(&mut self.pending.staged) {
            let old = bodies.remove(&rel).map(|body| body.0);
            reshaped |= old.is_none() || new.is_none();
            let body_only = match (&old, &new) {
                (Some(old), Some(new)) => same_front_matter(old.common(), new.common()),
                _ => false,
            };
            changes.push(ItemChange {
                before: old.as_ref().map(Footprint::of),
                after: new.as_ref().map(Footprint::of),
                body_only,
            });
            self.bodies.remove(&rel);
            to_render.extend(new);
        }
        let assets = self.published_assets(bodies.values().map(|b| &b.0).chain(&to_render));
        if assets != assets_before {
            self.pending.assets_changed = true;
        }
        if reshaped || self.pending.assets_changed {
            reshaped = true;
            let relinked = self.relink(&mut bodies, &to_render, &assets, &mut changes);
            to_render.extend(relinked);
        }
        for (item, rendered) in self.render_bodies(to_render) {
            let rel = item.common().rel_path.clone();
            bodies.insert(rel, Box::new((item, rendered)));
        }
        self.assemble(bodies.into_values().map(|body| *body).collect(), assets);
        let Some(site) = &self.site else { return };
        let pages = &mut self.pending.pages;
        for change in &changes {
            dependents::add_affected(change, site, pages);
        }
        if self.pending.assets_changed {
            dependents::add_pages_with_documents(site, pages);
        }
        if dependents::site_view_key(site) != view_before {
            pages.all = true;
        }
        let same_routes = site.routes.len() == routes_before.len()
            && site
                .routes
                .iter()
                .all(|r| routes_before.contains(&r.site_path));
        self.pending.reshaped |= reshaped || !same_routes;
    }

    /// After files appeared or disappeared: new link targets, and the bodies (taken out of
    /// `bodies`) whose links were looked up under a target that moved.
    fn relink(
        &mut self,
        bodies: &mut Bodies,
        new_items: &[Item],
        assets: &[Asset],
        changes: &mut Vec<ItemChange>,
    ) -> Vec<Item> {
        let items = bodies.values().map(|body| &body.0).chain(new_items);
        let targets = self.link_targets(items, assets);
        let moved = moved_targets(&self.targets, &targets);
        self.targets = targets;
        let relinked: Vec<&String> = self
            .bodies
            .iter()
            .filter(|(_, b)| b.link_lookups.iter().any(|k| moved.contains(k.as_str())))
            .map(|(rel, _)| rel)
            .collect();
        let mut items = Vec::new();
        for rel in relinked {
            if let Some(body) = bodies.remove(rel) {
                let footprint = Footprint::of(&body.0);
                changes.push(ItemChange {
                    before: Some(footprint.clone()),
                    after: Some(footprint),
                    body_only: true,
                });
                items.push(body.0);
            }
        }
        items
    }
}

/// Link-target keys whose address appeared, disappeared or changed, or that became or stopped
/// being a draft.
fn moved_targets(before: &LinkTargets, after: &LinkTargets) -> HashSet<String> {
    let mut moved = HashSet::new();
    for (old, new) in [(&before.pages, &after.pages), (&before.files, &after.files)] {
        for (key, url) in old {
            if new.get(key) != Some(url) {
                moved.insert(key.clone());
            }
        }
        for key in new.keys() {
            if !old.contains_key(key) {
                moved.insert(key.clone());
            }
        }
    }
    moved.extend(before.drafts.symmetric_difference(&after.drafts).cloned());
    moved
}

fn same_front_matter(old: &Common, new: &Common) -> bool {
    old.rel_path == new.rel_path
        && old.text[..old.body_offset] == new.text[..new.body_offset]
        && old.draft == new.draft
}

fn into_common(item: Item) -> Common {
    match item {
        Item::Home(p) | Item::Page(p) => p.common,
        Item::Priority(p) => p.common,
        Item::Meeting(m) => m.common,
        Item::Update(u) => u.common,
    }
}

/// Items with their rendered bodies, by path. Boxed, as items are large and the map moves its
/// values around.
type Bodies = BTreeMap<String, Box<(Item, Rendered)>>;

/// One published item, seen without its kind.
struct PublishedRef<'a> {
    common: &'a Common,
    heading_ids: &'a [String],
    site_path: &'a str,
}

fn published(site: &Site) -> impl Iterator<Item = PublishedRef<'_>> {
    fn view<T>(p: &Published<T>, common: fn(&T) -> &Common) -> PublishedRef<'_> {
        PublishedRef {
            common: common(&p.item),
            heading_ids: &p.heading_ids,
            site_path: &p.site_path,
        }
    }
    let home = site.home.iter().map(|p| view(p, |i| &i.common));
    let priorities = site.priorities.iter().map(|e| view(&e.page, |i| &i.common));
    let meetings = site.meetings.iter().map(|e| view(&e.page, |i| &i.common));
    let updates = site.updates.iter().map(|p| view(p, |i| &i.common));
    let pages = site.pages.iter().map(|p| view(p, |i| &i.common));
    home.chain(priorities)
        .chain(meetings)
        .chain(updates)
        .chain(pages)
}

fn body_facts<'a>(p: &PublishedRef<'a>, bodies: &'a HashMap<String, BodyRecord>) -> BodyFacts<'a> {
    let record = bodies.get(&p.common.rel_path);
    BodyFacts {
        common: p.common,
        heading_ids: p.heading_ids,
        anchor_links: record.map_or(&[], |r| &r.anchor_links),
        problems: record.map_or(&[], |r| &r.problems),
    }
}

pub(super) fn draft_pages(site: &Site) -> BTreeSet<String> {
    published(site)
        .filter(|p| p.common.draft)
        .map(|p| dependents::page_path(p.site_path))
        .collect()
}

/// One published item's parts that a new body replaces.
struct PublishedMut<'a> {
    common: &'a mut Common,
    html: &'a mut String,
    heading_ids: &'a mut Vec<String>,
    site_path: &'a str,
}

fn published_mut<'a>(site: &'a mut Site, rel: &str) -> Option<PublishedMut<'a>> {
    fn view<T>(p: &mut Published<T>, common: fn(&mut T) -> &mut Common) -> PublishedMut<'_> {
        PublishedMut {
            common: common(&mut p.item),
            html: &mut p.html,
            heading_ids: &mut p.heading_ids,
            site_path: &p.site_path,
        }
    }
    let is = |c: &Common| c.rel_path == rel;
    if let Some(home) = site.home.as_mut().filter(|p| is(&p.item.common)) {
        return Some(view(home, |i| &mut i.common));
    }
    if let Some(e) = site.priorities.iter_mut().find(|e| is(&e.page.item.common)) {
        return Some(view(&mut e.page, |i| &mut i.common));
    }
    if let Some(e) = site.meetings.iter_mut().find(|e| is(&e.page.item.common)) {
        return Some(view(&mut e.page, |i| &mut i.common));
    }
    if let Some(p) = site.updates.iter_mut().find(|p| is(&p.item.common)) {
        return Some(view(p, |i| &mut i.common));
    }
    let page = site.pages.iter_mut().find(|p| is(&p.item.common))?;
    Some(view(page, |i| &mut i.common))
}

/// The site's items with their rendered bodies, ready to assemble again, and its copied files.
fn disassemble(site: Site) -> (Bodies, Vec<Asset>) {
    fn take<T>(p: Published<T>, kind: fn(T) -> Item) -> (String, Box<(Item, Rendered)>) {
        let item = kind(p.item);
        let rendered = Rendered {
            html: p.html,
            heading_ids: p.heading_ids,
            ..Rendered::default()
        };
        (item.common().rel_path.clone(), Box::new((item, rendered)))
    }
    let Site {
        home,
        priorities,
        meetings,
        updates,
        pages,
        assets,
        tags,
        ..
    } = site;
    // What assembling derives (timelines, tag lists, document links) is rebuilt anyway; freeing
    // its many small strings is left to another thread.
    let mut timelines = Vec::with_capacity(priorities.len());
    let priorities: Vec<_> = priorities
        .into_iter()
        .map(|e| {
            timelines.push((e.timeline, e.status_history));
            take(e.page, Item::Priority)
        })
        .collect();
    let mut documents = Vec::with_capacity(meetings.len());
    let meetings: Vec<_> = meetings
        .into_iter()
        .map(|e| {
            documents.push(e.documents);
            take(e.page, Item::Meeting)
        })
        .collect();
    rayon::spawn(move || drop((timelines, documents, tags)));
    let home = home.into_iter().map(|p| take(p, Item::Home));
    let updates = updates.into_iter().map(|p| take(p, Item::Update));
    let pages = pages.into_iter().map(|p| take(p, Item::Page));
    let bodies = home
        .chain(priorities)
        .chain(meetings)
        .chain(updates)
        .chain(pages)
        .collect();
    (bodies, assets)
}
