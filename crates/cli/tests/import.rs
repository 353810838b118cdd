//! `dhcpfo import` and `dhcpfo pcap`: a real dhcpd.conf becomes a scenario
//! that runs; a run becomes a capture file.

mod common;

use common::{dhcpfo, stderr, stdout, Scratch};

fn conf(name: &str) -> String {
    format!("{}/../engine/tests/data/conf/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_recorded_primary_config_imports_and_runs() {
    let out = dhcpfo(&["import", &conf("a-release-primary.conf")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let toml = stdout(&out);
    assert!(toml.contains("mclt = \"30s\""), "{toml}");
    assert!(toml.contains("range = [\"10.77.0.100\", \"10.77.0.109\"]"), "{toml}");
    // Every statement the model does not use is named with its place.
    let notes = stderr(&out);
    assert!(notes.contains("a-release-primary.conf:1:1: info:"), "{notes}");
    assert!(notes.contains("authoritative"), "{notes}");
    // The output is a scenario the other commands take.
    let dir = Scratch::new("import");
    let file = dir.0.join("imported.toml");
    std::fs::write(&file, toml).unwrap();
    let check = dhcpfo(&["check", file.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_broken_config_names_the_place() {
    let dir = Scratch::new("import-broken");
    let file = dir.0.join("broken.conf");
    std::fs::write(&file, "failover peer \"x\" {\n  primary;\n  mclt 30\n}\n").unwrap();
    let out = dhcpfo(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains("broken.conf") && message.contains("line"), "{message}");
}

#[test]
fn pcap_writes_a_capture_the_engine_reads_back() {
    let dir = Scratch::new("pcap");
    let file = dir.0.join("dhcprelease.pcap");
    let out = dhcpfo(&["pcap", "dhcprelease", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&file).unwrap();
    let frames = dhcpfo_engine::pcap::read(&bytes).expect("a capture the reader takes");
    // 45 steps' worth of packets plus the TCP handshake of the failover link.
    assert!(frames.len() > 30, "{}", frames.len());
    let missing = dhcpfo(&["pcap", "dhcprelease"]);
    assert_eq!(missing.status.code(), Some(2));
}
