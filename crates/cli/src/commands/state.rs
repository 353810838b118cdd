//! `dhcpfo state SCENARIO --at TIME`: the whole state at one instant, as JSON.
//!
//! Prints the engine's [`Snapshot`] (the contract other tools read): both
//! servers with every pool address, and every client, as they are after every
//! step at or before TIME, labelled with TIME. A TIME after the scenario's end
//! is refused with the time the run ends.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::Snapshot;

use crate::args::{Opt, Parsed};
use crate::error::CliError;
use crate::input;

/// The options `state` accepts.
pub const OPTS: &[Opt] = &[Opt::value("at", "TIME")];

/// The help text.
pub const HELP: &str = "\
Print the state of both servers and every client at one instant, as JSON.

Usage: dhcpfo state SCENARIO --at TIME

SCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.
The state is the one after every step at or before TIME.

Options:
  --at TIME      the instant: HH:MM:SS, HH:MM:SS.mmm, or seconds since the start
  -h, --help     show this help

Output: {\"time\", \"servers\": {\"primary\", \"secondary\"} each with \"state\" and
\"leases\" (every pool address: binding, next, client, starts, ends, tstp, tsfp,
cltt, ...), \"clients\" (state, address, server, lease_time, lease_ends)}.
";

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let loaded = input::load(args.single("SCENARIO")?)?;
    let at = input::time("at", args.required("at", "TIME")?)?;

    let world = input::world_at(loaded.config, at)?;
    writeln!(out, "{}", Snapshot::at(&world, at).to_json())?;
    Ok(ExitCode::SUCCESS)
}
