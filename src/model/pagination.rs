//! Splitting long indexes (meetings, updates, tag pages) into numbered pages, and the
//! `pagination` variable that templates use to link between them.

use std::ops::Range;

use serde::Serialize;

/// How many meetings, updates or tagged items one page of an index lists.
pub const PER_PAGE: usize = 20;

/// Where one page of a long index sits among the others. Templates get `pagination: null` when
/// everything fits on one page.
#[derive(Serialize)]
pub struct PaginationView {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages there are.
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The page numbers to show, with `number: null` for a gap ("…").
    pub pages: Vec<PageNumberView>,
    /// The position of this page's first and last item among all items, from 1.
    pub first_item: usize,
    pub last_item: usize,
    pub total_items: usize,
}

#[derive(Serialize)]
pub struct PageNumberView {
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

/// The item ranges of each page for `count` items; an empty index still has its first page.
pub fn page_ranges(count: usize) -> Vec<Range<usize>> {
    if count == 0 {
        return std::iter::once(0..0).collect();
    }
    (0..count)
        .step_by(PER_PAGE)
        .map(|start| start..(start + PER_PAGE).min(count))
        .collect()
}

/// The `pagination` variable for page `number` (from 1) of `ranges`, or `None` when there is
/// only one page. `index_url` is the public URL of the first page.
pub fn pagination(
    index_url: &str,
    ranges: &[Range<usize>],
    number: usize,
) -> Option<PaginationView> {
    let total = ranges.len();
    if total <= 1 {
        return None;
    }
    let url = |n: usize| crate::routes::numbered_page(index_url, n);
    let mut pages = Vec::new();
    let mut last_shown = 0;
    for n in 1..=total {
        // First, last, and the current page with its neighbours; a gap stands for the rest.
        let shown = n == 1 || n == total || n.abs_diff(number) <= 1;
        if !shown {
            continue;
        }
        if n > last_shown + 1 {
            pages.push(PageNumberView {
                number: None,
                url: String::new(),
                current: false,
            });
        }
        pages.push(PageNumberView {
            number: Some(n),
            url: url(n),
            current: n == number,
        });
        last_shown = n;
    }
    let range = &ranges[number - 1];
    Some(PaginationView {
        current: number,
        total,
        previous: (number > 1).then(|| url(number - 1)),
        next: (number < total).then(|| url(number + 1)),
        pages,
        first_item: range.start + 1,
        last_item: range.end,
        total_items: ranges.last().map_or(0, |r| r.end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(view: &PaginationView) -> Vec<String> {
        view.pages
            .iter()
            .map(|p| match (p.number, p.current) {
                (None, _) => "…".to_string(),
                (Some(n), true) => format!("[{n}]"),
                (Some(n), false) => n.to_string(),
            })
            .collect()
    }

    #[test]
    fn ranges_cover_every_item_once() {
        assert_eq!(page_ranges(0), std::iter::once(0..0).collect::<Vec<_>>());
        assert_eq!(page_ranges(20).len(), 1);
        assert_eq!(page_ranges(20).first(), Some(&(0..20)));
        assert_eq!(page_ranges(41), [0..20, 20..40, 40..41]);
    }

    #[test]
    fn one_page_needs_no_pagination() {
        assert!(pagination("/updates/", &page_ranges(20), 1).is_none());
    }

    #[test]
    fn shows_first_last_and_neighbours_with_gaps() {
        let ranges = page_ranges(200);
        let first = pagination("/updates/", &ranges, 1).unwrap();
        assert_eq!(shown(&first), ["[1]", "2", "…", "10"]);
        assert_eq!(first.previous, None);
        assert_eq!(first.next.as_deref(), Some("/updates/page/2/"));
        let middle = pagination("/updates/", &ranges, 5).unwrap();
        assert_eq!(shown(&middle), ["1", "…", "4", "[5]", "6", "…", "10"]);
        assert_eq!(middle.previous.as_deref(), Some("/updates/page/4/"));
        assert_eq!((middle.first_item, middle.last_item), (81, 100));
        assert_eq!(middle.total_items, 200);
        let last = pagination("/updates/", &ranges, 10).unwrap();
        assert_eq!(shown(&last), ["1", "…", "9", "[10]"]);
        assert_eq!(last.pages[0].url, "/updates/");
        assert_eq!(last.next, None);
    }
}
