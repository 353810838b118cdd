//! `dhcpfo pcap`: in the contract, built by a later piece of work.
//!
//! It accepts its documented options so that `--help` describes it, and
//! otherwise answers with a clear "not available yet" and exits 2.

use std::process::ExitCode;

use crate::args::{Opt, Parsed};
use crate::error::CliError;

/// The options `pcap` will accept.
pub const PCAP_OPTS: &[Opt] = &[Opt::value("output", "FILE").with_short('o')];

/// The help text of `pcap`.
pub const PCAP_HELP: &str = "\
Write every packet of a scenario to a pcap file that Wireshark reads.
Not available yet: it needs the engine's byte encoder for DHCP and failover messages.

Usage: dhcpfo pcap SCENARIO -o FILE

Options:
  -o, --output FILE   the pcap file to write
  -h, --help          show this help
";

/// `dhcpfo pcap`.
pub fn pcap(_args: &Parsed, _out: &mut dyn std::io::Write) -> Result<ExitCode, CliError> {
    Err(CliError::NotYet {
        command: "pcap",
        reason: "packet export needs the engine's wire encoder, which is not built yet",
    })
}
