//! The dhcpd.leases export: every built-in scenario, written after every step
//! for both servers, reads back to exactly the engine's state; one export is
//! kept as a golden file; dates and quoting follow dhcpd 4.4.
//!
//! `UPDATE_GOLDEN=1` rewrites the golden export after an intended change.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;

use dhcpfo_engine::lease::Lease;
use dhcpfo_engine::leases::{self, LeaseFile, StateRecord, PEER_NAME};
use dhcpfo_engine::scenario::BUILTINS;
use dhcpfo_engine::{BindingState, FailoverState, Role, Time, World};

/// Checks that `role`'s export of `world` reads back to the engine's state.
fn assert_round_trip(world: &World, role: Role, what: &str) {
    let text = leases::write(world, role);
    let file = leases::read(&text).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
    let server = world.server(role);
    let epoch = world.config().start_epoch;
    assert_eq!(file.lease_records, server.leases.len(), "{what}: one record per address");
    assert_eq!(file.leases.len(), server.leases.len(), "{what}");
    for lease in &server.leases {
        assert_lease(&file, lease, epoch, &format!("{what} {}", lease.address));
    }

    let name = &world.config().peer_name;
    let state = file.failover_peer(name).unwrap_or_else(|| panic!("{what}: no state"));
    assert_eq!(state.my_state, Some(as_written(server.state, server.saved_state)), "{what}");
    assert_eq!(state.my_state_at, epoch + server.stos, "{what}: STOS");
    assert_eq!(state.partner_state, server.partner, "{what}: partner");
    let learnt = epoch + server.partner_since;
    assert_eq!(state.partner_state_at, learnt, "{what}: when the partner state was learnt");
    let mclt = (role == Role::Secondary).then_some(world.config().mclt);
    assert_eq!(state.mclt, mclt, "{what}");
}

/// The state a lease file shows: the saved one while stopped or in STARTUP.
fn as_written(state: FailoverState, saved: FailoverState) -> FailoverState {
    match state {
        FailoverState::Down | FailoverState::Startup => saved,
        other => other,
    }
}

fn assert_lease(file: &LeaseFile, lease: &Lease, epoch: u64, what: &str) {
    let record = file.lease(lease.address).unwrap_or_else(|| panic!("{what}: missing"));
    assert_eq!(record.binding, Some(lease.binding), "{what}: binding");
    assert_eq!(record.next_state(), Some(lease.next), "{what}: next");
    assert_eq!(record.rewind_state(), Some(lease.rewind), "{what}: rewind");
    let absolute = |secs: u64| if secs == 0 { 0 } else { epoch + secs };
    let engine = [lease.starts, lease.ends, lease.tstp, lease.tsfp, lease.atsfp, lease.cltt];
    let file_times =
        [record.starts, record.ends, record.tstp, record.tsfp, record.atsfp, record.cltt];
    assert_eq!(file_times, engine.map(absolute), "{what}: starts ends tstp tsfp atsfp cltt");
    assert_eq!(record.hardware, lease.hardware, "{what}: hardware");
    assert_eq!(record.uid, lease.uid, "{what}: uid");
}

#[test]
fn every_builtin_export_reads_back_to_the_engine_state() {
    for b in BUILTINS {
        let (_, timeline) = common::run_builtin(b.name);
        // The built-in runs are short, so every moment is checked: after each step.
        for n in 0..=timeline.steps().len() {
            let world = timeline.world_after(n);
            for role in [Role::Primary, Role::Secondary] {
                assert_round_trip(&world, role, &format!("{} after {n} steps, {role}", b.name));
            }
        }
    }
}

#[test]
fn client_identifiers_survive_the_quoting() {
    // Identifiers full of bytes that need escaping: quote, backslash, space, controls, high bytes.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/isc-release.toml");
    let base = std::fs::read_to_string(path).unwrap();
    let text = base
        .replace(
            "mac = \"02:77:00:00:00:04\"",
            "mac = \"02:77:00:00:00:04\"\nclient_id = \"01:22:5c:20:00:0a:7f:ff:41\"",
        )
        .replace(
            "mac = \"02:77:00:00:00:01\"",
            "mac = \"02:77:00:00:00:01\"\nclient_id = \"00:5c:5c:22:22:80:39:3a\"",
        );
    let (_, timeline) = common::run_toml(&text);
    let mut seen_uid = false;
    for n in (0..=timeline.steps().len()).step_by(5) {
        let world = timeline.world_after(n);
        for role in [Role::Primary, Role::Secondary] {
            seen_uid |= world.server(role).leases.iter().any(|l| l.uid.is_some());
            assert_round_trip(&world, role, &format!("after {n} steps, {role}"));
        }
    }
    assert!(seen_uid, "the scenario should store client identifiers");
}

#[test]
fn the_release_export_matches_its_golden_file() {
    let (_, timeline) = common::run_builtin("dhcprelease");
    let at = Time::parse("00:33:28").unwrap();
    let world = timeline.world_after(timeline.steps_until(at));
    let text = leases::write_at(&world, Role::Primary, at);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/leases/dhcprelease-primary-00-33-28.leases");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).expect("golden export; UPDATE_GOLDEN=1 writes it");
    assert_eq!(text, want, "the export changed; UPDATE_GOLDEN=1 rewrites it");
}

#[test]
fn the_release_export_says_what_the_thread_is_about() {
    // At 00:33:28, a second after both releases. The desktop hashes to the primary:
    // its address is RELEASED there, waiting for the secondary's BNDACK before it
    // may be FREE. The laptop hashes to the secondary: the secondary's update has
    // reached the primary, which moved the address on to BACKUP (MAC affinity).
    let (_, timeline) = common::run_builtin("dhcprelease");
    let at = Time::parse("00:33:28").unwrap();
    let world = timeline.world_after(timeline.steps_until(at));
    let text = leases::write_at(&world, Role::Primary, at);
    let file = leases::read(&text).unwrap();
    let of = |mac: &str| {
        let mac = mac.parse().unwrap();
        file.leases.values().find(|r| r.hardware == Some(mac)).unwrap()
    };
    let desktop = of("02:00:00:00:00:02");
    assert_eq!(desktop.binding, Some(BindingState::Released), "{text}");
    assert_eq!(desktop.next, Some(BindingState::Free), "{text}");
    assert_eq!(desktop.ends, desktop.tstp, "released: ends = tstp = the release time");
    assert_eq!(of("02:00:00:00:00:01").binding, Some(BindingState::Backup), "{text}");
    assert!(text.starts_with("# Lease database of the primary"), "{text}");
    assert!(text.contains("authoring-byte-order little-endian;\n"));
    // STOS: servers count the first second of the run as second 1.
    assert!(text.contains("  my state normal at 4 2006/07/27 00:00:01;\n"), "{text}");
    assert!(!text.contains("mclt"), "only the secondary writes the MCLT");
}

#[test]
fn the_secondary_writes_the_mclt() {
    let (_, timeline) = common::run_builtin("dhcprelease");
    let world = timeline.world_after(0);
    let text = leases::write(&world, Role::Secondary);
    let block =
        "\nfailover peer \"dhcpfo\" state {\n  my state normal at 4 2006/07/27 00:00:01;\n  \
                 partner state normal at 4 2006/07/27 00:00:01;\n  mclt 3600;\n}\n";
    assert!(text.contains(block), "{text}");
}

#[test]
fn records_leave_out_what_dhcpd_leaves_out() {
    let (_, timeline) = common::run_builtin("dhcprelease");
    let world = timeline.world_after(0);
    let text = leases::write(&world, Role::Primary);
    // A never-used lease has no times, and next and rewind equal its binding state.
    assert!(text.contains("lease 192.0.2.29 {\n  binding state free;\n}\n"), "{text}");
    // A lease the start-up balancing gave to the secondary carries that moment
    // (second 1), as in the recorded files; `ends` and `cltt` stay unset.
    let backup = "lease 192.0.2.10 {\n  starts 4 2006/07/27 00:00:01;\n  \
                  tstp 4 2006/07/27 00:00:01;\n  tsfp 4 2006/07/27 00:00:01;\n  \
                  atsfp 4 2006/07/27 00:00:01;\n  binding state backup;\n}\n";
    assert!(text.contains(backup), "{text}");
    assert!(text.ends_with("}\n"));
}

#[test]
fn dates_are_utc_with_weekday_zero_on_sunday() {
    // Known dates and their weekdays.
    assert_eq!(leases::format_date(0), "4 1970/01/01 00:00:00"); // a Thursday
    assert_eq!(leases::format_date(1_153_958_400), "4 2006/07/27 00:00:00"); // Thursday
    assert_eq!(leases::format_date(1_153_960_407), "4 2006/07/27 00:33:27");
    assert_eq!(leases::format_date(1_796_397_826), "5 2026/12/04 15:23:46"); // Friday
    assert_eq!(leases::format_date(946_684_800), "6 2000/01/01 00:00:00"); // Saturday
    assert_eq!(leases::format_date(951_782_400), "2 2000/02/29 00:00:00"); // leap day, Tuesday
    assert_eq!(leases::format_date(1_704_067_199), "0 2023/12/31 23:59:59"); // Sunday
    assert_eq!(leases::format_date(1_704_067_200), "1 2024/01/01 00:00:00"); // Monday
}

#[test]
fn dates_read_back_in_every_form() {
    let text = "lease 10.0.0.1 {\n  starts 4 2006/07/27 00:33:27;\n  ends epoch 1153961207;\n  \
                tstp never;\n  cltt 4 106/07/27 00:33:27;\n}\n";
    let file = leases::read(text).unwrap();
    let r = file.lease("10.0.0.1".parse().unwrap()).unwrap();
    assert_eq!(r.starts, 1_153_960_407);
    assert_eq!(r.ends, 1_153_961_207);
    assert_eq!(r.tstp, leases::NEVER);
    // dhcpd counts years below 1900 from 1900.
    assert_eq!(r.cltt, 1_153_960_407);
    for secs in [0u64, 1, 59, 86_399, 951_782_400, 1_796_397_826, 4_102_444_800] {
        let text = format!("lease 10.0.0.1 {{ starts {}; }}", leases::format_date(secs));
        let file = leases::read(&text).unwrap();
        assert_eq!(file.leases.values().next().unwrap().starts, secs, "{text}");
    }
}

#[test]
fn quoting_follows_dhcpd() {
    assert_eq!(leases::quote(b"abc XYZ"), "\"abc XYZ\"");
    assert_eq!(leases::quote(&[1, 0, 0x11, b'"', b'3', b'D', b'U']), "\"\\001\\000\\021\\\"3DU\"");
    assert_eq!(leases::quote(b"a\\b"), "\"a\\\\b\"");
    assert_eq!(leases::quote(&[0x7f, 0x80, 0xff, b'\n']), "\"\\177\\200\\377\\012\"");
}

#[test]
fn the_state_record_has_both_states_and_their_times() {
    let record = StateRecord {
        mine: FailoverState::PartnerDown,
        mine_at: 430,
        partner: None,
        partner_at: 0,
        mclt: Some(30),
    };
    let text = leases::write_failover_state(PEER_NAME, &record, 0);
    assert!(text.contains("  my state partner-down at 4 1970/01/01 00:07:10;\n"), "{text}");
    assert!(text.contains("  partner state unknown-state at 4 1970/01/01 00:00:00;\n"), "{text}");
    let file = leases::read(&text).unwrap();
    let state = file.failover_peer(PEER_NAME).unwrap();
    assert_eq!((state.my_state, state.my_state_at), (Some(FailoverState::PartnerDown), 430));
    assert_eq!((state.partner_state, state.partner_state_at), (None, 0));
    assert_eq!(state.mclt, Some(30));
    // dhcpd never writes STARTUP, and a stopped process writes nothing new.
    let saved = FailoverState::CommunicationsInterrupted;
    assert_eq!(leases::file_state(FailoverState::Startup, saved), saved);
    assert_eq!(leases::file_state(FailoverState::Down, saved), saved);
    assert_eq!(leases::file_state(FailoverState::Normal, saved), FailoverState::Normal);
}

/// A cut link, a stopped secondary, partner-down and recovery.
const CUT: &str = r#"
title = "cut"
[failover]
mclt = "5m"
[pool]
subnet = "192.0.2.0/24"
range = ["192.0.2.10", "192.0.2.19"]
[lease]
default = "1h"
ping_check = false
[[client]]
name = "a"
mac = "02:00:00:00:00:01"
[[event]]
at = 10
client = "a"
action = "boot"
[[event]]
at = 60
action = "cut-link"
[[event]]
at = 200
client = "a"
action = "release"
[[event]]
at = 300
action = "heal-link"
[[event]]
at = 400
action = "stop-secondary"
[[event]]
at = 430
action = "partner-down-primary"
[[event]]
at = 900
action = "start-secondary"
"#;

/// The state record of `role` after the last step at or before `at` seconds.
fn state_at(t: &dhcpfo_engine::Timeline, role: Role, secs: u64) -> leases::FailoverRecord {
    let world = t.world_after(t.steps_until(Time::from_secs(secs)));
    let text = leases::write(&world, role);
    let file = leases::read(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    file.failover_peer(&world.config().peer_name).expect("a state record").clone()
}

#[test]
fn the_state_record_follows_a_cut_link_a_stop_and_partner_down() {
    let (cfg, t) = common::run_toml(CUT);
    let epoch = cfg.start_epoch;
    for n in 0..=t.steps().len() {
        let world = t.world_after(n);
        for role in [Role::Primary, Role::Secondary] {
            assert_round_trip(&world, role, &format!("cut after step {n} {role}"));
        }
    }
    use FailoverState::*;
    // Before the cut both are NORMAL and each knows the other is.
    let p = state_at(&t, Role::Primary, 30);
    assert_eq!((p.my_state, p.partner_state), (Some(Normal), Some(Normal)));
    // The cut: each side gives up the link and records COMMUNICATIONS-INTERRUPTED
    // at the moment it did; the partner is still believed NORMAL.
    let p = state_at(&t, Role::Primary, 100);
    assert_eq!((p.my_state, p.partner_state), (Some(CommunicationsInterrupted), Some(Normal)));
    assert!(p.my_state_at > epoch + 60 && p.my_state_at <= epoch + 100, "{p:?}");
    let s = state_at(&t, Role::Secondary, 100);
    assert_eq!(s.my_state, Some(CommunicationsInterrupted));
    assert_eq!(s.mclt, Some(300));
    // The secondary is stopped: its file keeps the state it had.
    let s = state_at(&t, Role::Secondary, 420);
    assert_eq!(s.my_state, Some(Normal));
    // The operator declares partner-down on the primary at 00:07:10.
    let p = state_at(&t, Role::Primary, 600);
    assert_eq!((p.my_state, p.my_state_at), (Some(PartnerDown), epoch + 430));
    // The secondary restarts in STARTUP: its file still says NORMAL, with the old STOS.
    let world = t.world_after(t.steps_until(Time::from_secs(900)));
    assert_eq!(world.server(Role::Secondary).state, Startup);
    let s = state_at(&t, Role::Secondary, 900);
    assert_eq!(s.my_state, Some(Normal));
    // In the end both are NORMAL again and know it.
    let last = t.steps().last().expect("steps").at.secs();
    let (p, s) = (state_at(&t, Role::Primary, last), state_at(&t, Role::Secondary, last));
    assert_eq!((p.my_state, p.partner_state), (Some(Normal), Some(Normal)));
    assert_eq!((s.my_state, s.partner_state), (Some(Normal), Some(Normal)));
    assert!(p.my_state_at >= epoch + 900 && s.my_state_at >= epoch + 900);
}
