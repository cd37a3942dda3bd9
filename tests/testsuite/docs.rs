//! The editors' guide must describe the program as it is: its list of commands is the list
//! `waymark --help` prints.

use crate::site_test::waymark;

const CONTENT_GUIDE: &str = include_str!("../../docs/content.md");

/// The commands `waymark --help` lists, without clap's own `help`.
fn commands_in_help() -> Vec<String> {
    let help = waymark(&["--help"]).success().stdout;
    let listed = help
        .split("Commands:\n")
        .nth(1)
        .expect("--help lists the commands")
        .split("\n\n")
        .next()
        .unwrap();
    let mut commands: Vec<String> = listed
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect();
    commands.sort();
    commands
}

/// The section "Running Waymark" of docs/content.md: its table of commands, and the number it
/// says there are.
fn commands_in_guide() -> (Vec<String>, String) {
    let section = CONTENT_GUIDE
        .split("## Running Waymark")
        .nth(1)
        .expect("docs/content.md has a section \"Running Waymark\"")
        .split("\n## ")
        .next()
        .unwrap();
    let table_end = section.find("\n\n|").map_or(0, |i| i + 2);
    let table = section[table_end..].split("\n\n").next().unwrap();
    let mut commands: Vec<String> = table
        .lines()
        .filter_map(|row| row.strip_prefix("| `waymark "))
        .filter_map(|row| row.split([' ', '`']).next())
        .map(String::from)
        .collect();
    commands.sort();
    let count = section
        .split("It has ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the section says how many commands there are")
        .to_string();
    (commands, count)
}

#[test]
fn the_editors_guide_lists_exactly_the_commands_of_waymark_help() {
    let in_help = commands_in_help();
    let (in_guide, count) = commands_in_guide();
    assert_eq!(
        in_guide, in_help,
        "the command table in docs/content.md (\"Running Waymark\") differs from `waymark --help`"
    );
    let words = [
        "none", "one", "two", "three", "four", "five", "six", "seven", "eight",
    ];
    assert_eq!(
        count,
        words[in_help.len()],
        "docs/content.md says \"It has {count} commands\", but there are {}",
        in_help.len()
    );
}
