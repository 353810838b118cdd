//! The files the page hands to real tools, as plain data: the capture of a
//! whole run (libpcap, for Wireshark and tshark), one server's dhcpd.leases
//! at the moment shown, and the names they are saved under.
//!
//! File names start from the scenario: a built-in's name (`dhcprelease`),
//! otherwise its title reduced to lower-case letters, digits and hyphens. A
//! lease file adds the server and the clock of the moment, with hyphens for
//! colons (`dhcprelease-primary-00-33-28.leases`). Nothing here touches the
//! browser; [`crate::browser::download`] saves what these functions make.
//!
//! The page itself only names the files: the capture and the lease files are
//! written by the on-demand tools module ([`crate::tools`]), which calls
//! [`capture_steps`] and [`leases_text`], so the writers stay out of the
//! page's own WebAssembly.

use dhcpfo_engine::trace::Step;
use dhcpfo_engine::{leases, pcap, Config, Role, World};

use crate::state::Loaded;

/// The media type of a classic libpcap file.
pub const PCAP_MIME: &str = "application/vnd.tcpdump.pcap";
/// The media type of a lease file.
pub const LEASES_MIME: &str = "text/plain";

/// The longest scenario part of a file name, in characters.
const MAX_STEM: usize = 28;
/// The stem of a scenario whose title has no letter or digit.
const FALLBACK_STEM: &str = "scenario";

/// The capture of every packet of the run, or why it could not be written.
pub fn capture(loaded: &Loaded) -> Result<Vec<u8>, String> {
    capture_steps(&loaded.config, loaded.timeline.steps())
}

/// The capture of every packet sent in `steps` of a run of `cfg`, or why it could not be
/// written.
pub fn capture_steps(cfg: &Config, steps: &[Step]) -> Result<Vec<u8>, String> {
    pcap::capture(cfg, steps).map_err(|e| format!("The capture could not be written: {e}."))
}

/// How many packets the capture holds (each DHCP message once, each failover message once).
pub fn packet_count(loaded: &Loaded) -> usize {
    loaded.timeline.steps().iter().map(|s| crate::state::sent_by(s).count()).sum()
}

/// The dhcpd.leases text of `role`'s server in `world`, dated at the world's clock.
pub fn leases_text(world: &World, role: Role) -> String {
    leases::write_at(world, role, world.now())
}

/// `STEM.pcap`.
pub fn pcap_name(loaded: &Loaded) -> String {
    format!("{}.pcap", stem(loaded))
}

/// `STEM-ROLE-HH-MM-SS.leases`, at the world's clock in whole seconds.
pub fn leases_name(loaded: &Loaded, role: Role, world: &World) -> String {
    let s = world.now().secs();
    let clock = format!("{:02}-{:02}-{:02}", s / 3600, (s / 60) % 60, s % 60);
    format!("{}-{}-{clock}.leases", stem(loaded), role.name())
}

/// The scenario part of a file name.
pub fn stem(loaded: &Loaded) -> String {
    match loaded.builtin {
        Some(name) => name.to_string(),
        None => slug(&loaded.config.title),
    }
}

/// A title as lower-case words joined by hyphens, at most [`MAX_STEM`] characters,
/// cut at a word boundary; apostrophes vanish rather than split a word.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.len() > MAX_STEM {
        let cut = out[..=MAX_STEM].rfind('-').unwrap_or(MAX_STEM);
        out.truncate(cut);
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        FALLBACK_STEM.to_string()
    } else {
        out.to_string()
    }
}
