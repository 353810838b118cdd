//! The commands, one module each, and the table that dispatches to them.
//!
//! Every command has an option table, a help text and a `main` that writes to
//! the given output and returns the exit code (errors are [`CliError`]s).

use std::io::Write;
use std::process::ExitCode;

use crate::args::{Opt, Parsed};
use crate::error::CliError;

pub mod check;
pub mod import;
pub mod leases;
pub mod list;
pub mod pcap;
pub mod run;
pub mod state;
pub mod url;

/// A command's entry point.
pub type Main = fn(&Parsed, &mut dyn Write) -> Result<ExitCode, CliError>;

/// One command of `dhcpfo`.
#[derive(Clone, Copy)]
pub struct Command {
    /// The word that selects it.
    pub name: &'static str,
    /// One line for the top-level help.
    pub summary: &'static str,
    /// Its options.
    pub opts: &'static [Opt],
    /// Its `--help` text.
    pub help: &'static str,
    /// What runs it.
    pub main: Main,
}

/// Every command, in the order the help lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "run",
        summary: "the trace, one step a line (--format json: JSON Lines)",
        opts: run::OPTS,
        help: run::HELP,
        main: run::main,
    },
    Command {
        name: "state",
        summary: "JSON snapshot at --at TIME: both servers, every address, every client",
        opts: state::OPTS,
        help: state::HELP,
        main: state::main,
    },
    Command {
        name: "check",
        summary: "validate, run to the end, report invariant violations (exit 1 on any)",
        opts: check::OPTS,
        help: check::HELP,
        main: check::main,
    },
    Command {
        name: "url",
        summary: "share link out, or with --decode URL the scenario back",
        opts: url::OPTS,
        help: url::HELP,
        main: url::main,
    },
    Command {
        name: "import",
        summary: "an ISC dhcpd.conf turned into a scenario (TOML)",
        opts: import::OPTS,
        help: import::HELP,
        main: import::main,
    },
    Command {
        name: "list",
        summary: "the built-in scenarios",
        opts: list::OPTS,
        help: list::HELP,
        main: list::main,
    },
    Command {
        name: "pcap",
        summary: "every packet on the wire, Wireshark-readable (-o FILE)",
        opts: pcap::OPTS,
        help: pcap::HELP,
        main: pcap::main,
    },
    Command {
        name: "leases",
        summary: "dhcpd.leases-style text of one server at --at TIME",
        opts: leases::OPTS,
        help: leases::HELP,
        main: leases::main,
    },
];

/// The command called `name`.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}
