//! Starting points for editors: `waymark init` (a small working site) and `waymark new`
//! (a correctly named file with every field present and explained).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::values::{Date, slugify};

/// The kinds of file `waymark new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Priority,
    Meeting,
    Update,
    Page,
}

impl NewKind {
    pub fn parse(word: &str) -> Option<NewKind> {
        match word {
            "priority" => Some(NewKind::Priority),
            "meeting" => Some(NewKind::Meeting),
            "update" => Some(NewKind::Update),
            "page" => Some(NewKind::Page),
            _ => None,
        }
    }

    fn folder(self) -> &'static str {
        match self {
            NewKind::Priority => "priorities",
            NewKind::Meeting => "meetings",
            NewKind::Update => "updates",
            NewKind::Page => "pages",
        }
    }
}

/// Writes a new content file under `root/content/` and returns its path. Meetings and updates
/// are named after their date as well as their title, so a body that meets every quarter gets
/// one file per meeting.
pub fn new_file(
    root: &Path,
    kind: NewKind,
    title: &str,
    date: Date,
    next_number: u32,
) -> Result<PathBuf, String> {
    let title = title.trim();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(format!(
            "the title \"{title}\" has no letters or digits to make a file name from"
        ));
    }
    let name = match kind {
        NewKind::Meeting | NewKind::Update => format!("{slug}-{date}.md"),
        NewKind::Priority | NewKind::Page => format!("{slug}.md"),
    };
    let folder = root.join("content").join(kind.folder());
    let path = folder.join(name);
    let text = template(kind, title, date, next_number);
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    write_new(&path, &text)?;
    Ok(path)
}

/// Creates a file, refusing to replace one that exists.
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{} already exists; it was left as it was (choose another title, or edit that file)", path.display())
        } else {
            format!("cannot create {}: {e}", path.display())
        }
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// YAML needs quotes around text with characters it would otherwise read as syntax.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn template(kind: NewKind, title: &str, date: Date, next_number: u32) -> String {
    let title = quoted(title);
    match kind {
        NewKind::Priority => format!(
            "---\n\
             title: {title}            # required: the priority's full name\n\
             short_title: \"\"          # optional: a shorter name for cards and lists\n\
             number: {next_number}                 # required: a unique whole number; priorities are listed in this order\n\
             status: not-started       # required: not-started, on-track, at-risk, off-track or complete\n\
             lead: \"\"                 # optional: who leads this work, e.g. \"Hampshire Constabulary\"\n\
             updated: {date}        # optional: when the progress below was last checked (YYYY-MM-DD)\n\
             summary: \"\"              # optional: one sentence for residents, shown under the title\n\
             tags: []                  # optional: topics, e.g. [young people, exploitation]\n\
             draft: true               # leave true until it is ready to publish, then delete this line\n\
             ---\n\n\
             ## What we are doing\n\n\
             Describe the work in plain English.\n\n\
             ## Progress\n\n\
             Say what has changed since the last update.\n"
        ),
        NewKind::Meeting => format!(
            "---\n\
             title: {title}            # required: the body that meets\n\
             date: {date}           # required: the day it meets (YYYY-MM-DD)\n\
             time: \"10:00\"             # optional: start time, 24-hour clock, in quotes\n\
             venue: \"\"                # optional: where it meets\n\
             chair: \"\"                # optional: who chairs it\n\
             # status: scheduled      # optional: scheduled, held or cancelled (worked out from the date if left out)\n\
             priorities: []            # optional: file names (without .md) of the priorities discussed\n\
             tags: []                  # optional: topics\n\
             agenda: []                # optional: items, each `- title: …` with optional `presenter:` and `priority:`\n\
             #   - title: Serious violence update  # an item, written in place of the [] above; after the meeting it can also have:\n\
             #     decisions: []         # optional: what the meeting agreed under this item, in the words of the minutes\n\
             #     actions: []           # optional: each `- id:` (e.g. A-2027-01-01), `action:`, `owner:` and, if the minutes set one, `due:` (YYYY-MM-DD)\n\
             documents: []             # optional: papers, each `- title: …` and `file:` (a file beside this one)\n\
             # attendance:             # optional, after the meeting: who came\n\
             #   present: []           # members present, e.g. \"Director of Public Health (chair)\"\n\
             #   apologies: []         # members who sent their apologies\n\
             #   in_attendance: []     # officers and guests, e.g. \"Community Safety Manager (minutes)\"\n\
             # declarations: []        # optional: interests declared, each `- name: …`, `item:` (agenda item number, from 1) and `interest: …`\n\
             # minutes:                # optional, after the meeting: whether its minutes are approved\n\
             #   status: draft         # draft until a later meeting approves them, then approved\n\
             #   approved_at:          # with approved: the file name (without .md) of the meeting that approved them\n\
             # action_updates: []      # optional: progress on earlier actions, each `- id: …`, `status:` (open, in-progress, done or dropped) and `note: …`\n\
             draft: true               # leave true until it is ready to publish, then delete this line\n\
             ---\n\n\
             Write the purpose of the meeting here; after it, replace this with the minutes.\n"
        ),
        NewKind::Update => format!(
            "---\n\
             title: {title}            # required: what this update reports\n\
             date: {date}           # required: the date of the update (YYYY-MM-DD)\n\
             priorities: []            # optional: file names (without .md) of the priorities it covers\n\
             status_changes: []        # optional: new statuses, each `- priority: …` and `status: …`\n\
             tags: []                  # optional: topics\n\
             draft: true               # leave true until it is ready to publish, then delete this line\n\
             ---\n\n\
             Write the update here, in short plain-English sentences.\n"
        ),
        NewKind::Page => format!(
            "---\n\
             title: {title}            # required: the page's heading\n\
             summary: \"\"              # optional: one sentence shown under the heading\n\
             draft: true               # leave true until it is ready to publish, then delete this line\n\
             ---\n\n\
             Write the page here.\n"
        ),
    }
}

/// Creates a small site in `dir` that builds cleanly: site.yaml, a home intro, one priority,
/// one meeting and an about page, using the built-in default theme.
pub fn init_site(dir: &Path, today: Date, force: bool) -> Result<Vec<PathBuf>, String> {
    let files = starter_files(today);
    let mut blocking: Vec<String> = Vec::new();
    for found in files.iter().filter_map(|(rel, _)| in_the_way(dir, rel)) {
        if !blocking.contains(&found) {
            blocking.push(found);
        }
    }
    if !blocking.is_empty() && !force {
        return Err(format!(
            "{} already holds {}, which a new site would replace; nothing was written. Choose an empty folder, or run `waymark init --force {}` to add only the files that are missing",
            dir.display(),
            blocking.join(", "),
            dir.display()
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        if in_the_way(dir, rel).is_some() {
            continue;
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// What already takes the place of `rel` in `dir`: the file itself, or a file where one of
/// its folders should be. Shown relative to `dir`.
fn in_the_way(dir: &Path, rel: &str) -> Option<String> {
    let mut at = String::new();
    for (i, part) in rel.split('/').enumerate() {
        if i > 0 {
            at.push('/');
        }
        at.push_str(part);
        let path = dir.join(&at);
        let is_last = at.len() == rel.len();
        // A folder where a folder is wanted is fine; anything else in the way is not.
        let blocked = if is_last {
            fs::symlink_metadata(&path).is_ok()
        } else {
            fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir())
        };
        if blocked {
            return Some(at);
        }
    }
    None
}

/// The files of a new site, relative to its folder.
fn starter_files(today: Date) -> Vec<(&'static str, String)> {
    vec![
        (
            "site.yaml",
            format!(
                "title: \"Community Safety Partnership\"   # the site's name\n\
             description: \"What the partnership is doing to keep residents safe.\"\n\
             base_url: \"https://www.example.gov.uk/community-safety/\"  # where the site will be published\n\
             language: en-GB\n\
             organisation: \"Example Council\"\n\
             contact_email: \"community.safety@example.gov.uk\"\n\
             \n\
             # The accessibility statement Waymark writes says \"partially compliant\" until you\n\
             # have checked the site and say so here (docs/content.md, \"The accessibility statement\"):\n\
             # accessibility:\n\
             #   compliance: partial            # full, partial or none\n\
             #   reviewed: {today}           # the date you last checked it\n\
             #   issues:\n\
             #     - Some meeting papers from before 2020 are scanned images.\n\
             \n\
             # Your logo (a file in static/) and header colour (white text must be readable on it):\n\
             # logo: {{file: static/logo.svg, alt: \"Example Council\"}}\n\
             # brand_colour: \"#00527a\"\n\
             \n\
             # The licence of the open data under /data/ (the Open Government Licence unless you say):\n\
             # licence: OGL-UK-3.0\n"
            ),
        ),
        (
            "content/_index.md",
            "---\ntitle: Community Safety Partnership\nsummary: How partners work together to reduce crime and keep residents safe.\n---\n\n\
             The partnership brings together the council, police, fire and health services.\n"
                .to_string(),
        ),
        (
            "content/priorities/reducing-serious-violence.md",
            format!(
                "---\ntitle: Reducing serious violence\nnumber: 1\nstatus: on-track\nlead: Violence Reduction Unit\nupdated: {today}\nsummary: Partners work together to prevent violence before it happens.\ntags: [young people]\n---\n\n\
                 ## What we are doing\n\nPartners share information and plan joint work in each district.\n"
            ),
        ),
        (
            "content/meetings/partnership-meeting.md",
            format!(
                "---\ntitle: Community Safety Partnership\ndate: {today}\ntime: \"10:00\"\nvenue: Council Offices\npriorities: [reducing-serious-violence]\nagenda:\n  - title: Serious violence update\n    priority: reducing-serious-violence\n---\n\n\
                 The partnership reviews progress on each priority.\n"
            ),
        ),
        (
            "content/pages/about.md",
            "---\ntitle: About the partnership\n---\n\nThe partnership meets every quarter to review its priorities.\n".to_string(),
        ),
    ]
}

/// The largest priority `number` in the site at `root` (0 if none can be read), so
/// `waymark new priority` can suggest the next one.
pub fn highest_priority_number(root: &Path) -> u32 {
    let Ok(sources) = crate::load::load(root) else {
        return 0;
    };
    sources
        .files
        .iter()
        .filter(|f| f.section == crate::load::Section::Priorities)
        .filter_map(|f| match crate::parse::content::parse(f) {
            Ok(crate::parse::content::Item::Priority(p)) => Some(p.number),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_nothing_when_a_file_is_in_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content/pages")).unwrap();
        fs::write(site.join("content/pages/about.md"), "mine").unwrap();
        let error = init_site(&site, Date::parse("2026-12-04").unwrap(), false).unwrap_err();
        let shown = site.display();
        assert_eq!(
            error,
            format!(
                "{shown} already holds content/pages/about.md, which a new site would replace; nothing was written. Choose an empty folder, or run `waymark init --force {shown}` to add only the files that are missing"
            )
        );
        let mut left = Vec::new();
        for entry in walkdir::WalkDir::new(&site) {
            left.push(
                entry
                    .unwrap()
                    .path()
                    .strip_prefix(&site)
                    .unwrap()
                    .to_path_buf(),
            );
        }
        left.sort();
        let expected: Vec<PathBuf> = ["", "content", "content/pages", "content/pages/about.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(left, expected);
        assert_eq!(
            fs::read_to_string(site.join("content/pages/about.md")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn init_names_a_file_where_a_folder_should_be() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("content"), "a file").unwrap();
        fs::write(dir.path().join("site.yaml"), "title: Mine\n").unwrap();
        let error = init_site(dir.path(), Date::parse("2026-12-04").unwrap(), false).unwrap_err();
        assert!(
            error.contains("already holds site.yaml, content, which"),
            "{error}"
        );
    }

    #[test]
    fn init_with_force_adds_only_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/pages")).unwrap();
        fs::write(dir.path().join("content/pages/about.md"), "mine").unwrap();
        let written = init_site(dir.path(), Date::parse("2026-12-04").unwrap(), true).unwrap();
        let today = Date::parse("2026-12-04").unwrap();
        assert_eq!(written.len(), starter_files(today).len() - 1);
        assert!(!written.contains(&dir.path().join("content/pages/about.md")));
        assert_eq!(
            fs::read_to_string(dir.path().join("content/pages/about.md")).unwrap(),
            "mine"
        );
        assert!(dir.path().join("site.yaml").is_file());
        let again = init_site(dir.path(), Date::parse("2026-12-04").unwrap(), true).unwrap();
        assert!(again.is_empty());
    }

    #[test]
    fn new_meeting_is_named_by_title_and_date_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let date = Date::parse("2027-01-21").unwrap();
        let path = new_file(dir.path(), NewKind::Meeting, "HCSSG: quarterly", date, 1).unwrap();
        assert!(path.ends_with("content/meetings/hcssg-quarterly-2027-01-21.md"));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("title: \"HCSSG: quarterly\""));
        assert!(
            new_file(dir.path(), NewKind::Meeting, "HCSSG: quarterly", date, 1)
                .unwrap_err()
                .contains("already exists")
        );
    }

    #[test]
    fn new_meeting_shows_the_governance_record_as_comments_and_still_parses() {
        let dir = tempfile::tempdir().unwrap();
        let date = Date::parse("2027-01-21").unwrap();
        let path = new_file(dir.path(), NewKind::Meeting, "Strategy Group", date, 1).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        for key in [
            "#     decisions: []",
            "#     actions: []",
            "# attendance:",
            "#   present: []",
            "#   apologies: []",
            "#   in_attendance: []",
            "# declarations: []",
            "# minutes:",
            "#   status: draft",
            "#   approved_at:",
            "# action_updates: []",
        ] {
            assert!(text.contains(key), "{key} is missing:\n{text}");
        }
        let parsed = crate::parse::content::parse(&crate::load::SourceFile {
            rel_path: "meetings/strategy-group-2027-01-21.md".into(),
            section: crate::load::Section::Meetings,
            text,
        });
        assert!(
            matches!(parsed, Ok(crate::parse::content::Item::Meeting(_))),
            "{parsed:?}"
        );
    }
}
