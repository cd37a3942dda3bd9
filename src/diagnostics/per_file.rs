//! Many problems in one file: finding their lines once, and showing a screenful of each kind.

use super::{Diagnostic, Severity};
use crate::limits::MAX_PROBLEMS_PER_KIND;

/// The lines of one file, found the first time one is asked for: placing each of thousands of
/// problems by reading the file from the start would take time in the square of its length.
pub struct SourceLines<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> SourceLines<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceLines {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// The 1-based `line`, as `str::lines` gives it.
    pub fn line(&self, line: u32) -> Option<&'a str> {
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = line.checked_sub(1)? as usize;
        let start = *starts.get(index)?;
        // The next line's start, not a search for the line break: a line may be megabytes.
        let end = starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = self
            .text
            .get(start..end)
            .filter(|_| start < self.text.len())?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Places the problems found in one file, only the first `MAX_PROBLEMS_PER_KIND` of each code
/// with their source line: the rest are only counted by [`cap_per_kind`], and finding the
/// column of each in a megabyte-long line would take time in the square of its length.
pub struct Placer<'a> {
    lines: SourceLines<'a>,
    counts: Vec<(&'static str, usize)>,
}

impl<'a> Placer<'a> {
    pub fn new(text: &'a str) -> Self {
        Placer {
            lines: SourceLines::new(text),
            counts: Vec::new(),
        }
    }

    /// `problem` at `line` and `column`, with its source line if it will be shown.
    pub fn place(&mut self, problem: Diagnostic, line: u32, column: u32) -> Diagnostic {
        let count = match self
            .counts
            .iter_mut()
            .find(|(code, _)| *code == problem.code)
        {
            Some((_, count)) => count,
            None => {
                self.counts.push((problem.code, 0));
                &mut self.counts.last_mut().expect("just pushed").1
            }
        };
        *count += 1;
        if *count <= MAX_PROBLEMS_PER_KIND {
            problem.at_line_of(&self.lines, line, column)
        } else {
            problem.placed(None, line, column)
        }
    }
}

/// One file's problems with at most `MAX_PROBLEMS_PER_KIND` of each code: the first ones, in
/// the order found, and for each code with more, one problem saying how many more there are,
/// at the place of the last one left out, so it is listed after the ones shown. Nobody reads 4,000 warnings about the same thing,
/// and they would cost the memory and the screen that the other problems need.
pub fn cap_per_kind(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept = Vec::new();
    // Per code: how many were seen, and the last one left out.
    let mut seen: Vec<(&'static str, usize, Option<Diagnostic>)> = Vec::new();
    for problem in problems {
        let index = match seen.iter().position(|(code, ..)| *code == problem.code) {
            Some(index) => index,
            None => {
                seen.push((problem.code, 0, None));
                seen.len() - 1
            }
        };
        let (_, count, last_left_out) = &mut seen[index];
        *count += 1;
        if *count <= MAX_PROBLEMS_PER_KIND {
            kept.push(problem);
        } else {
            *last_left_out = Some(problem);
        }
    }
    for (code, count, last_left_out) in seen {
        if let Some(last) = last_left_out {
            kept.push(left_out(code, count - MAX_PROBLEMS_PER_KIND, last));
        }
    }
    kept
}

/// The problem standing for `count` problems of `code` left out, the last being `last`.
fn left_out(code: &'static str, count: usize, last: Diagnostic) -> Diagnostic {
    let kind = match last.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let plural = if count == 1 { "" } else { "s" };
    Diagnostic {
        code,
        message: format!(
            "and {} more {code} {kind}{plural} in this file",
            thousands(count)
        ),
        hint: Some(format!(
            "only the first {MAX_PROBLEMS_PER_KIND} are shown; fix those and check again to see the rest"
        )),
        source_line: None,
        shown_column: 1,
        ..last
    }
}

/// `3980` as `3,980`.
pub fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_as_str_lines_does() {
        for text in ["", "\n", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n\n"] {
            let lines = SourceLines::new(text);
            let expected: Vec<&str> = text.lines().collect();
            let found: Vec<&str> = (1..=expected.len() as u32 + 1)
                .map_while(|n| lines.line(n))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn places_only_the_problems_that_will_be_shown() {
        let text = "word ".repeat(1000);
        let mut placer = Placer::new(&text);
        let placed: Vec<Diagnostic> = (1..=25)
            .map(|n| placer.place(Diagnostic::warning("x", "m"), 1, n * 5))
            .collect();
        assert!(placed[..20].iter().all(|d| d.source_line.is_some()));
        assert!(placed[20..].iter().all(|d| d.source_line.is_none()));
        assert_eq!((placed[24].line, placed[24].column), (Some(1), Some(125)));
        let other = placer.place(Diagnostic::warning("y", "m"), 1, 1);
        assert!(other.source_line.is_some());
    }

    #[test]
    fn keeps_twenty_of_each_kind_and_counts_the_rest() {
        let text = "a\n".repeat(5000);
        let problems = (1..=4000)
            .map(|line| Diagnostic::warning("long-sentence", "m").at(&text, line, 1))
            .chain([Diagnostic::error("broken-link", "b").at(&text, 3, 1)])
            .collect();
        let capped = cap_per_kind(problems);
        assert_eq!(capped.len(), 22);
        assert_eq!(capped[19].line, Some(20));
        assert_eq!(capped[20].code, "broken-link");
        let summary = &capped[21];
        assert_eq!(
            summary.message,
            "and 3,980 more long-sentence warnings in this file"
        );
        assert_eq!((summary.line, summary.column), (Some(4000), Some(1)));
        assert_eq!(summary.severity, Severity::Warning);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
