//! `dhcpfo state`: the snapshot around the DHCPRELEASE of the default scenario.
//!
//! The trace of `dhcprelease` (see `dhcpfo run dhcprelease`): at 00:33:27 both
//! clients release; at 00:33:27.001 the primary puts the desktop's 192.0.2.20
//! in RELEASED (the secondary, which got the laptop's release, does the same to
//! 192.0.2.19); at 00:33:27.002 the BNDUPDs arrive and each peer installs FREE;
//! the primary hands 192.0.2.19 on to the secondary as BACKUP, which the
//! secondary installs at 00:33:27.003; at 00:33:29.004 the batched BNDACK
//! reaches the primary and 192.0.2.20 is FREE there too.

mod common;

use std::net::Ipv4Addr;

use serde_json::Value;

use common::{dhcpfo, ok, stdout};

/// The desktop's address: it hashes to the primary.
const DESKTOP: &str = "192.0.2.20";
/// The laptop's address: it hashes to the secondary.
const LAPTOP: &str = "192.0.2.19";

fn state_at(time: &str) -> Value {
    serde_json::from_str(&ok(&["state", "dhcprelease", "--at", time])).expect("state is JSON")
}

fn binding(state: &Value, server: &str, address: &str) -> String {
    let lease = &state["servers"][server]["leases"][address];
    lease["binding"].as_str().unwrap_or_else(|| panic!("no {address} on the {server}")).into()
}

/// Every address of 192.0.2.10–29 is listed under both servers, and nothing else.
fn assert_whole_pool(state: &Value) {
    let pool: Vec<String> = (10..=29).map(|h| Ipv4Addr::new(192, 0, 2, h).to_string()).collect();
    for server in ["primary", "secondary"] {
        let view = &state["servers"][server];
        assert_eq!(view["state"], "normal", "{server}");
        let leases = view["leases"].as_object().expect("leases is an object");
        let listed: Vec<&String> = leases.keys().collect();
        assert_eq!(listed.len(), pool.len(), "{server}: {listed:?}");
        for address in &pool {
            assert!(leases.contains_key(address), "{address} missing on the {server}");
        }
    }
}

/// Both clients released and are off.
fn assert_clients_off(state: &Value) {
    for name in ["laptop", "desktop"] {
        let client = &state["clients"][name];
        assert_eq!(client["state"], "off", "{name}: {client}");
        assert!(client["address"].is_null(), "{name}: {client}");
    }
}

/// The moment of the first lease change of `address` to `to` on `server`, from the trace.
fn moment(address: &str, server: &str, to: &str) -> String {
    let trace = ok(&["run", "dhcprelease", "--format", "json"]);
    trace
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .find(|step| {
            step["effects"].as_array().is_some_and(|effects| {
                effects.iter().any(|e| {
                    e["type"] == "lease"
                        && e["address"] == address
                        && e["server"] == server
                        && e["to"] == to
                })
            })
        })
        .map(|step| step["time"].as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| panic!("{address} never becomes {to} on the {server}"))
}

#[test]
fn the_release_lands_when_the_trace_says() {
    assert_eq!(moment(DESKTOP, "primary", "released"), "00:33:27.001");
    assert_eq!(moment(DESKTOP, "secondary", "free"), "00:33:27.002");
    assert_eq!(moment(DESKTOP, "primary", "free"), "00:33:29.004");
    assert_eq!(moment(LAPTOP, "secondary", "released"), "00:33:27.001");
    assert_eq!(moment(LAPTOP, "secondary", "backup"), "00:33:27.003");
}

#[test]
fn a_moment_after_the_release_both_servers_agree() {
    let state = state_at("00:33:30");
    assert_eq!(state["time"], "00:33:30");
    assert_whole_pool(&state);
    for server in ["primary", "secondary"] {
        assert_eq!(binding(&state, server, DESKTOP), "free", "{DESKTOP} on the {server}");
        assert_eq!(binding(&state, server, LAPTOP), "backup", "{LAPTOP} on the {server}");
    }
    assert_clients_off(&state);
}

#[test]
fn between_release_and_update_the_servers_disagree() {
    let state = state_at("00:33:27.0015");
    assert_eq!(state["time"], "00:33:27.001", "the clock counts whole milliseconds");
    assert_whole_pool(&state);
    assert_eq!(binding(&state, "primary", DESKTOP), "released");
    assert_eq!(state["servers"]["primary"]["leases"][DESKTOP]["next"], "free");
    assert_eq!(binding(&state, "secondary", DESKTOP), "active");
    assert_eq!(binding(&state, "secondary", LAPTOP), "released");
    assert_eq!(binding(&state, "primary", LAPTOP), "active");
    assert_clients_off(&state);
}

#[test]
fn before_the_release_the_clients_are_bound() {
    let state = state_at("00:33:26");
    for (name, address, server) in
        [("desktop", DESKTOP, "primary"), ("laptop", LAPTOP, "secondary")]
    {
        let client = &state["clients"][name];
        assert_eq!(client["state"], "bound", "{name}: {client}");
        assert_eq!(client["address"], address);
        assert_eq!(client["server"], server);
        assert_eq!(client["lease_time"], 3600);
        for s in ["primary", "secondary"] {
            assert_eq!(binding(&state, s, address), "active", "{address} on the {s}");
        }
    }
}

#[test]
fn seconds_and_clock_times_agree() {
    let by_clock = ok(&["state", "dhcprelease", "--at", "00:33:30"]);
    let by_seconds = ok(&["state", "dhcprelease", "--at", "2010"]);
    assert_eq!(by_clock, by_seconds);
}

#[test]
fn state_needs_a_time() {
    let out = dhcpfo(&["state", "dhcprelease"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
}
