//! `dhcpfo pcap` and `dhcpfo leases`: in the contract, built by a later piece of work.
//!
//! Both accept their documented options so that `--help` describes them, and
//! otherwise answer with a clear "not available yet" and exit 2.

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

/// The options `leases` will accept.
pub const LEASES_OPTS: &[Opt] =
    &[Opt::value("at", "TIME"), Opt::value("server", "primary|secondary")];

/// The help text of `leases`.
pub const LEASES_HELP: &str = "\
Print one server's lease database at an instant, as dhcpd.leases text.
Not available yet: it needs the engine's dhcpd.leases writer.

Usage: dhcpfo leases SCENARIO --at TIME --server primary|secondary

Options:
  --at TIME                     the instant: HH:MM:SS[.mmm] or seconds
  --server primary|secondary    whose database
  -h, --help                    show this help
";

/// `dhcpfo pcap`.
pub fn pcap(_args: &Parsed, _out: &mut dyn std::io::Write) -> Result<ExitCode, CliError> {
    Err(CliError::NotYet {
        command: "pcap",
        reason: "packet export needs the engine's wire encoder, which is not built yet",
    })
}

/// `dhcpfo leases`.
pub fn leases(_args: &Parsed, _out: &mut dyn std::io::Write) -> Result<ExitCode, CliError> {
    Err(CliError::NotYet {
        command: "leases",
        reason: "dhcpd.leases output needs the engine's lease-file writer, which is not built yet",
    })
}
