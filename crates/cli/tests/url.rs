//! `dhcpfo url`: a share link and back gives the same scenario.

mod common;

use dhcpfo_engine::scenario::builtin;
use dhcpfo_engine::{Scenario, BUILTINS};

use common::{dhcpfo, ok, stderr, Scratch};

#[test]
fn links_round_trip_every_builtin() {
    for b in BUILTINS {
        let link = ok(&["url", b.name, "--step", "7"]);
        let link = link.trim();
        assert!(link.starts_with("http://127.0.0.1:8080/#v1."), "{link}");
        assert!(link.ends_with(".7"), "{link}");

        let toml = ok(&["url", "--decode", link]);
        assert_eq!(toml.lines().next(), Some("# step = 7"));
        let back = Scenario::from_toml(&toml).unwrap_or_else(|e| panic!("{}: {e}", b.name));
        back.validate().unwrap_or_else(|e| panic!("{}: {e}", b.name));
        assert_eq!(back, builtin(b.name).unwrap(), "{}", b.name);
    }
}

#[test]
fn decoded_output_is_a_scenario_file_the_cli_runs() {
    let scratch = Scratch::new("url");
    let link = ok(&["url", "dhcprelease", "--base", "https://example.test/play/"]);
    assert!(link.starts_with("https://example.test/play/#v1."), "{link}");
    let path = scratch.file("back.toml", &ok(&["url", "--decode", link.trim()]));
    assert_eq!(ok(&["run", &path]), ok(&["run", "dhcprelease"]));
}

#[test]
fn a_bare_fragment_decodes_too() {
    let link = ok(&["url", "isc-expiry"]);
    let fragment = link.trim().split_once('#').unwrap().1.to_string();
    assert_eq!(ok(&["url", "--decode", &fragment]), ok(&["url", "--decode", link.trim()]));
    assert!(ok(&["url", "--decode", "#dhcprelease.12"]).starts_with("# step = 12\n"));
}

#[test]
fn damaged_links_are_refused() {
    let out = dhcpfo(&["url", "--decode", "http://127.0.0.1:8080/#v1.abcd.1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("damaged"), "{}", stderr(&out));
    let out = dhcpfo(&["url", "dhcprelease", "--step", "9999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--step"), "{}", stderr(&out));
}
