//! `dhcpfo import CONF [-o FILE]`: an ISC dhcpd.conf turned into a scenario.
//!
//! The failover peer declaration, the failover pool's subnet and range and the
//! lease-time settings become the scenario (with two example clients, one
//! hashing to each server); the TOML goes to standard output or FILE, and a
//! note for every statement that was not understood or not modelled goes to
//! standard error as `CONF:LINE:COLUMN: info|warning: message`.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::conf;

use crate::args::{Opt, Parsed};
use crate::error::CliError;

/// The options `import` accepts.
pub const OPTS: &[Opt] = &[Opt::value("output", "FILE").with_short('o')];

/// The help text.
pub const HELP: &str = "\
Turn an ISC dhcpd.conf into a playground scenario (TOML).

Usage: dhcpfo import CONF [-o FILE]

The failover peer declaration (role, mclt, split or hba, max-response-delay,
max-unacked-updates, load balance max seconds, auto-partner-down), the failover
pool's subnet and range, and default/min/max-lease-time, ping-check and
ping-timeout are imported; two example clients are added. Every statement that
is not understood or not modelled is reported on standard error with its line
and column.

Options:
  -o, --output FILE   write the scenario there instead of standard output
  -h, --help          show this help
";

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let path = args.single("CONF")?;
    let text = crate::input::read_text(path)?;
    let imported = conf::import(&text).map_err(|e| CliError::Input(format!("{path}: {e}")))?;
    for note in &imported.notes {
        // Notes quote the file; keep its control bytes away from the terminal.
        let message: String =
            note.message.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
        let (line, column, severity) = (note.line, note.column, note.severity.name());
        eprintln!("{path}:{line}:{column}: {severity}: {message}");
    }
    let toml = imported.scenario.to_toml();
    match args.value("output") {
        Some(file) => std::fs::write(file, toml)
            .map_err(|e| CliError::Input(format!("{file}: cannot write the file: {e}")))?,
        None => write!(out, "{toml}")?,
    }
    Ok(ExitCode::SUCCESS)
}
