//! `dhcpfo leases SCENARIO --at TIME --server primary|secondary`: one server's
//! lease database at an instant, in the dhcpd.leases format of ISC dhcpd 4.4.
//!
//! The file is a snapshot: one record per pool address (the last record for an
//! address wins in dhcpd.leases, so it is a valid file), after the failover
//! state record.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::{leases, Role};

use crate::args::{Opt, Parsed};
use crate::error::CliError;
use crate::input;

/// The options `leases` accepts.
pub const OPTS: &[Opt] = &[Opt::value("at", "TIME"), Opt::value("server", "primary|secondary")];

/// The help text.
pub const HELP: &str = "\
Print one server's lease database at an instant, as dhcpd.leases text.

Usage: dhcpfo leases SCENARIO --at TIME --server primary|secondary

SCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.
The database is the one after every step at or before TIME.

Options:
  --at TIME                     the instant: HH:MM:SS[.mmm] or seconds since the start
  --server primary|secondary    whose database
  -h, --help                    show this help
";

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let loaded = input::load(args.single("SCENARIO")?)?;
    let at = input::time("at", args.required("at", "TIME")?)?;
    let role = match args.required("server", "primary|secondary")? {
        "primary" => Role::Primary,
        "secondary" => Role::Secondary,
        other => {
            let msg = format!("--server: '{other}' is neither primary nor secondary");
            return Err(CliError::Input(msg));
        }
    };
    let world = input::world_at(loaded.config, at)?;
    write!(out, "{}", leases::write_at(&world, role, at))?;
    Ok(ExitCode::SUCCESS)
}
