//! `dhcpfo list`: the built-in scenarios, one a line.
//!
//! Each line holds the name (what `dhcpfo run NAME` takes), the title, and the
//! first sentence of the description.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::scenario::builtin;
use dhcpfo_engine::BUILTINS;

use crate::args::{Opt, Parsed};
use crate::error::CliError;

/// The options `list` accepts.
pub const OPTS: &[Opt] = &[];

/// The help text.
pub const HELP: &str = "\
List the built-in scenarios: name, title, and the first sentence of the description.

Usage: dhcpfo list

Any name listed works wherever a command takes SCENARIO.

Options:
  -h, --help     show this help
";

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    if let Some(extra) = args.positionals().first() {
        return Err(args.usage(format!("unexpected argument '{extra}'")));
    }
    let width = BUILTINS.iter().map(|b| b.name.len()).max().unwrap_or(0);
    for b in BUILTINS {
        // A built-in that does not parse is the engine's bug; show the name anyway.
        let (title, lead) = match builtin(b.name) {
            Some(s) => (s.title, first_sentence(&s.description)),
            None => ("(does not parse)".into(), String::new()),
        };
        let line = if lead.is_empty() { title } else { format!("{title} — {lead}") };
        writeln!(out, "{:width$}  {line}", b.name)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The text up to and including the first full stop that ends a sentence.
pub fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_string(),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_the_first_full_stop() {
        assert_eq!(first_sentence("One two.\nThree. Four."), "One two.");
        assert_eq!(first_sentence("  Only one  "), "Only one");
        assert_eq!(first_sentence("Version 4.4 is used. Next."), "Version 4.4 is used.");
        assert_eq!(first_sentence(""), "");
    }
}
