//! `dhcpfo pcap SCENARIO -o FILE`: every packet of a run in a capture file.
//!
//! DHCP travels as Ethernet/IPv4/UDP on ports 67 and 68, addressed as the
//! scenario's hosts; the failover messages as one TCP connection to port 647,
//! which Wireshark's DHCPFO dissector decodes. Timestamps are the scenario's
//! start label plus the virtual time of each packet.

use std::io::Write;
use std::process::ExitCode;

use dhcpfo_engine::{pcap, Timeline};

use crate::args::{Opt, Parsed};
use crate::error::CliError;
use crate::input;

/// The options `pcap` accepts.
pub const OPTS: &[Opt] = &[Opt::value("output", "FILE").with_short('o')];

/// The help text.
pub const HELP: &str = "\
Write every packet of a scenario's run to a pcap file that Wireshark and tshark read.

Usage: dhcpfo pcap SCENARIO -o FILE

SCENARIO is a built-in name (see `dhcpfo list`) or a path to a TOML file.
DHCP is on UDP 67/68, the failover messages on one TCP connection to port 647
(Wireshark's \"dhcpfo\" dissector); times start at the scenario's `start` label.

Options:
  -o, --output FILE   the capture file to write (`-` for standard output)
  -h, --help          show this help
";

/// Runs the command.
pub fn main(args: &Parsed, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let loaded = input::load(args.single("SCENARIO")?)?;
    let file = args.required("output", "FILE")?;
    let timeline = Timeline::run(loaded.config.clone());
    if timeline.truncated() {
        let (limit, at) = (dhcpfo_engine::timeline::MAX_STEPS, timeline.covered_until().clock());
        eprintln!(
            "dhcpfo: the run stops at the {limit}-step limit at {at}; the capture ends there"
        );
    }
    let bytes = pcap::capture(&loaded.config, timeline.steps())
        .map_err(|e| CliError::Input(format!("cannot write the capture: {e}")))?;
    if file == "-" {
        out.write_all(&bytes)?;
    } else {
        std::fs::write(file, &bytes)
            .map_err(|e| CliError::Input(format!("{file}: cannot write the file: {e}")))?;
    }
    Ok(ExitCode::SUCCESS)
}
