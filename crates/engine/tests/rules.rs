//! One scripted scenario per engine rule, read as a script: at t = 0 the
//! client boots; at t = 0.001 the primary ...

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use dhcpfo_engine::packet::{Body, DhcpType};
use dhcpfo_engine::trace::{AckFlushReason, Cause, Effect, Why};
use dhcpfo_engine::BindingState::{Active, Backup, Free, Released};
use dhcpfo_engine::Role::{Primary, Secondary};
use dhcpfo_engine::{Node, Time};

/// A small scenario: pool 192.0.2.10-19, one client per `clients` entry
/// (name, mac), extra `[lease]`/`[failover]` keys, and the events.
fn scenario(
    failover: &str,
    lease: &str,
    clients: &[(&str, &str)],
    events: &[(&str, &str, &str)],
) -> String {
    let mut s = format!(
        "title = \"rule\"\nend = \"02:00:00\"\n[failover]\nmclt = \"1h\"\nsplit = 128\n\
         load_balance_max_seconds = 3\nmax_unacked_updates = 10\n{failover}\n\
         [pool]\nsubnet = \"192.0.2.0/24\"\nrange = [\"192.0.2.10\", \"192.0.2.19\"]\n\
         [lease]\ndefault = \"1h\"\nmin = \"1h\"\nmax = \"1h\"\nping_check = false\n{lease}\n"
    );
    for (name, mac) in clients {
        s += &format!("[[client]]\nname = \"{name}\"\nmac = \"{mac}\"\n");
    }
    for (at, client, action) in events {
        s += &format!("[[event]]\nat = \"{at}\"\nclient = \"{client}\"\naction = \"{action}\"\n");
    }
    s
}

/// 02:00:00:00:00:02 hashes to bucket 45 (primary); …:01 to 133 (secondary).
const TO_PRIMARY: (&str, &str) = ("p", "02:00:00:00:00:02");
const TO_SECONDARY: (&str, &str) = ("s", "02:00:00:00:00:01");

fn notes(t: &dhcpfo_engine::Timeline, node: Node) -> Vec<Why> {
    t.steps()
        .iter()
        .filter(|s| s.node == node)
        .flat_map(|s| s.effects.iter().map(|e| e.why().clone()))
        .collect()
}

#[test]
fn discover_is_answered_only_by_the_server_the_hash_picks() {
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")]));
    let offers: Vec<_> = sent(&t).into_iter().filter(|(_, p)| p.name() == "DHCPOFFER").collect();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].1.from, Node::Primary);
    assert!(notes(&t, Node::Secondary)
        .iter()
        .any(|w| matches!(w, Why::BalancedToPeer { bucket: 45, split: 128, by_client_id: false })));
}

#[test]
fn client_identifier_is_hashed_instead_of_chaddr() {
    // 01:00:11:22:33:44:55 hashes to 223 (reference §6.6): the secondary's.
    let toml = scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")]).replace(
        "mac = \"02:00:00:00:00:02\"",
        "mac = \"02:00:00:00:00:02\"\nclient_id = \"01:00:11:22:33:44:55\"",
    );
    let (_, t) = run_toml(&toml);
    let offers: Vec<_> = sent(&t).into_iter().filter(|(_, p)| p.name() == "DHCPOFFER").collect();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].1.from, Node::Secondary);
}

#[test]
fn zero_load_balance_max_seconds_lets_both_servers_answer() {
    let toml = scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")])
        .replace("load_balance_max_seconds = 3", "load_balance_max_seconds = 0");
    let (_, t) = run_toml(&toml);
    let offers: Vec<_> = sent(&t).into_iter().filter(|(_, p)| p.name() == "DHCPOFFER").collect();
    assert_eq!(offers.len(), 2);
    // The client takes the first and drops the second; the other server stays silent
    // on the REQUEST because the address is in its peer's pool.
    let p = t
        .steps()
        .iter()
        .flat_map(|s| s.effects.iter())
        .filter(|e| matches!(e.why(), Why::IgnoreOffer))
        .count();
    assert_eq!(p, 1);
    assert!(notes(&t, Node::Secondary).iter().any(|w| matches!(w, Why::OwnedByPeer { .. })));
    let first_acks = sent(&t)
        .into_iter()
        .filter(|(s, p)| p.name() == "DHCPACK" && s.at < Time::from_secs(60))
        .count();
    assert_eq!(first_acks, 1);
}

#[test]
fn request_is_never_load_balanced() {
    // The secondary's client renews by unicast; a rebinding broadcast would reach both.
    let (_, t) = run_toml(&scenario("", "", &[TO_SECONDARY], &[("0", "s", "boot")]));
    // Renewals at 00:30, 01:00, 01:30 all answered by the secondary.
    assert_eq!(ack_lease_times(&t, Secondary).len(), 4);
}

#[test]
fn ping_check_waits_ping_timeout_in_dhcpd_4_4() {
    let toml = scenario("", "", &[TO_PRIMARY], &[("00:00:00.300", "p", "boot")])
        .replace("ping_check = false", "ping_check = true");
    let (_, t) = run_toml(&toml);
    let (step, _) = sent(&t).into_iter().find(|(_, p)| p.name() == "DHCPOFFER").unwrap();
    assert_eq!(step.at, Time(1301), "DISCOVER arrives at 0.301, OFFER 1 s later");
}

#[test]
fn old_ping_timer_fires_on_the_next_second_edge() {
    let toml = scenario("", "", &[TO_PRIMARY], &[("00:00:00.300", "p", "boot")])
        .replace("ping_check = false", "ping_check = true\nping_timer = \"second-edge\"");
    let (_, t) = run_toml(&toml);
    let (step, _) = sent(&t).into_iter().find(|(_, p)| p.name() == "DHCPOFFER").unwrap();
    assert_eq!(step.at, Time(1000), "waits 0.699 s, to the edge");
}

#[test]
fn first_lease_is_capped_at_mclt_then_grows() {
    let toml = scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")])
        .replace("default = \"1h\"\nmin = \"1h\"\nmax = \"1h\"", "default = \"4h\"\nmax = \"4h\"");
    let (_, t) = run_toml(&toml);
    let times = ack_lease_times(&t, Primary);
    assert_eq!(times[0], 3600, "nothing acknowledged yet: MCLT");
    // Renewed at 00:30: tsfp = 0 + 4h + 30m; 00:30 + 4h fits within tsfp + MCLT.
    assert_eq!(times[1], 14_400);
}

#[test]
fn binding_update_goes_out_before_the_ack_and_is_acked_two_seconds_later() {
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")]));
    let step = t
        .steps()
        .iter()
        .find(|s| {
            s.effects
                .iter()
                .any(|e| matches!(e, Effect::Sent { packet, .. } if packet.name() == "DHCPACK"))
        })
        .unwrap();
    let names: Vec<_> = step
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Sent { packet, .. } => Some(packet.name()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["BNDUPD", "DHCPACK"]);
    let flush = t
        .steps()
        .iter()
        .find(|s| {
            s.effects
                .iter()
                .any(|e| matches!(e.why(), Why::AckFlush { because: AckFlushReason::Timer, .. }))
        })
        .unwrap();
    assert_eq!(flush.at.millis() - step.at.millis(), 2001, "1 ms on the wire + 2 s batching");
}

#[test]
fn acks_flush_early_when_half_the_window_is_waiting() {
    let toml = scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")])
        .replace("max_unacked_updates = 10", "max_unacked_updates = 2");
    let (_, t) = run_toml(&toml);
    assert!(t
        .steps()
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e.why(), Why::AckFlush { because: AckFlushReason::HalfWindow, .. })));
    assert!(!t
        .steps()
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e.why(), Why::AckFlush { because: AckFlushReason::Timer, .. })));
}

#[test]
fn updates_wait_when_the_window_is_full() {
    let toml = scenario(
        "",
        "",
        &[TO_PRIMARY, ("q", "02:00:00:00:00:05")],
        &[("0", "p", "boot"), ("0", "q", "boot")],
    )
    .replace("max_unacked_updates = 10", "max_unacked_updates = 1");
    let (_, t) = run_toml(&toml);
    assert!(t
        .steps()
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e.why(), Why::WindowFull { outstanding: 1, window: 1 })));
    // Both bindings still reach the secondary in the end.
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.15"), [Free, Active]);
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.16"), [Free, Active]);
}

#[test]
fn release_to_the_primary_waits_for_the_ack_then_stays_free() {
    let (_, t) = run_toml(&scenario(
        "",
        "",
        &[TO_PRIMARY],
        &[("0", "p", "boot"), ("00:10:00", "p", "release")],
    ));
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active, Released, Free]);
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.15"), [Free, Active, Free]);
}

#[test]
fn released_lease_is_not_given_to_anyone_until_the_peer_agrees() {
    // The client releases and boots again within the 2-s ack window: its old
    // address is RELEASED, so it gets the next free one.
    let (_, t) = run_toml(&scenario(
        "",
        "",
        &[TO_PRIMARY],
        &[("0", "p", "boot"), ("00:10:00", "p", "release"), ("00:10:00.500", "p", "boot")],
    ));
    let acks: Vec<_> = sent(&t)
        .into_iter()
        .filter_map(|(_, p)| match &p.body {
            Body::Dhcp(m) if m.message_type == DhcpType::Ack => Some(m.yiaddr.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(acks[..2], ["192.0.2.15", "192.0.2.16"]);
}

#[test]
fn release_of_a_secondary_client_ends_in_backup_by_mac_affinity() {
    let (_, t) = run_toml(&scenario(
        "",
        "",
        &[TO_SECONDARY],
        &[("0", "s", "boot"), ("00:10:00", "s", "release")],
    ));
    assert_eq!(
        state_sequence(&t, Secondary, "192.0.2.14"),
        [Backup, Active, Released, Free, Backup]
    );
    assert_eq!(state_sequence(&t, Primary, "192.0.2.14"), [Backup, Active, Free, Backup]);
    assert!(t
        .steps()
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e.why(), Why::Affinity { bucket: 133, split: 128 })));
}

#[test]
fn a_client_without_a_lease_has_nothing_to_release() {
    let events = [("0", "p", "boot"), ("00:10:00", "p", "release"), ("00:10:05", "p", "release")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    let nothing = t.steps().iter().flat_map(|s| &s.effects);
    assert_eq!(nothing.filter(|e| matches!(e.why(), Why::NothingToRelease { .. })).count(), 1);
    // Only one DHCPRELEASE went on the wire.
    assert_eq!(sent(&t).iter().filter(|(_, p)| p.name() == "DHCPRELEASE").count(), 1);
}

#[test]
fn shutdown_profiles() {
    let releases =
        scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot"), ("00:10:00", "p", "shutdown")])
            .replace(
                "mac = \"02:00:00:00:00:02\"",
                "mac = \"02:00:00:00:00:02\"\nprofile = \"releases-on-shutdown\"",
            );
    let (_, t) = run_toml(&releases);
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active, Released, Free]);
    let keeps =
        scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot"), ("00:10:00", "p", "shutdown")]);
    let (_, t) = run_toml(&keeps);
    // No release: the primary expires the lease at its end (01:00:00).
    assert_eq!(
        state_sequence(&t, Primary, "192.0.2.15"),
        [Free, Active, dhcpfo_engine::BindingState::Expired, Free]
    );
}

#[test]
fn only_the_primary_expires_in_normal() {
    let (_, t) = run_toml(&scenario(
        "",
        "",
        &[TO_SECONDARY],
        &[("0", "s", "boot"), ("00:01:00", "s", "leave")],
    ));
    assert!(notes(&t, Node::Secondary).iter().any(|w| matches!(w, Why::SecondaryWaitsForPrimary)));
    assert_eq!(
        state_sequence(&t, Primary, "192.0.2.14"),
        [Backup, Active, dhcpfo_engine::BindingState::Expired, Free, Backup]
    );
}

#[test]
fn a_client_with_no_lease_to_get_retransmits_with_back_off() {
    // One address, owned by the primary: once p holds it nobody has anything for q.
    let toml = scenario(
        "",
        "",
        &[TO_PRIMARY, ("q", "02:00:00:00:00:05")],
        &[("0", "p", "boot"), ("00:00:10", "q", "boot")],
    )
    .replace("range = [\"192.0.2.10\", \"192.0.2.19\"]", "range = [\"192.0.2.10\", \"192.0.2.10\"]")
    .replace("end = \"02:00:00\"", "end = \"00:03:00\"");
    let (_, t) = run_toml(&toml);
    let retries: Vec<_> = t
        .steps()
        .iter()
        .filter(|s| s.node == Node::Client(1) && matches!(s.cause, Cause::Timer(_)))
        .map(|s| s.at.secs())
        .collect();
    // RFC 2131 §4.1: about 4, 8, 16, 32, 64 s apart (±1 s).
    let gaps: Vec<u64> = std::iter::once(10)
        .chain(retries.iter().copied())
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| w[1] - w[0])
        .collect();
    assert!(gaps.len() >= 4, "{retries:?}");
    for (gap, want) in gaps.iter().zip([4u64, 8, 16, 32, 64]) {
        assert!(gap.abs_diff(want) <= 1, "gaps {gaps:?}");
    }
    assert!(t
        .steps()
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e.why(), Why::NoFreeLease { .. })));
}

#[test]
fn a_rebooting_client_asks_for_its_old_address_and_both_servers_may_answer() {
    let events = [("0", "p", "boot"), ("00:20:00", "p", "reboot")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    let requests: Vec<_> = sent(&t)
        .into_iter()
        .filter(|(s, _)| s.at == Time::from_secs(1200))
        .filter_map(|(_, p)| match &p.body {
            Body::Dhcp(m) if m.message_type == DhcpType::Request => Some((p.to, m.clone())),
            _ => None,
        })
        .collect();
    // INIT-REBOOT: broadcast, requested address, no server identifier, no ciaddr.
    assert_eq!(requests.len(), 1);
    let (to, m) = &requests[0];
    assert_eq!(*to, dhcpfo_engine::packet::Destination::Broadcast);
    assert_eq!(m.requested_address.map(|a| a.to_string()).as_deref(), Some("192.0.2.15"));
    assert!(m.server_id.is_none() && m.ciaddr.is_unspecified());
    // REQUESTs are not load-balanced: both servers hold the binding and both ACK.
    let acks = sent(&t).into_iter().filter(|(s, p)| p.name() == "DHCPACK" && s.at.secs() == 1200);
    assert_eq!(acks.count(), 2);
    // The crossing updates are settled by the dueling rule: equal CLTT, the primary wins.
    let refused = t.steps().iter().flat_map(|s| &s.effects);
    let refused = refused.filter(|e| matches!(e.why(), Why::UpdateRejected { reason: 16, .. }));
    assert_eq!(refused.count(), 1);
    let w = t.world_after(t.steps().len());
    assert_eq!(w.clients()[0].address.map(|a| a.to_string()).as_deref(), Some("192.0.2.15"));
    assert!(dhcpfo_engine::invariant::check(&w).is_empty());
}

#[test]
fn a_client_booting_after_its_lease_ended_starts_from_init() {
    let events = [("0", "p", "boot"), ("00:10:00", "p", "shutdown"), ("01:30:00", "p", "boot")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    let late = t.steps().iter().find(|s| s.at == Time::from_secs(5400)).unwrap();
    assert!(late.effects.iter().any(|e| matches!(e.why(), Why::Boot)));
    // Before the end it would have gone through INIT-REBOOT instead.
    let events = [("0", "p", "boot"), ("00:10:00", "p", "shutdown"), ("00:30:00", "p", "boot")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    let early = t.steps().iter().find(|s| s.at == Time::from_secs(1800)).unwrap();
    assert!(early.effects.iter().any(|e| matches!(e.why(), Why::InitReboot { .. })));
}

#[test]
fn a_released_lease_is_forgotten() {
    let events = [("0", "p", "boot"), ("00:10:00", "p", "release"), ("00:20:00", "p", "boot")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    let again = t.steps().iter().find(|s| s.at == Time::from_secs(1200)).unwrap();
    assert!(again.effects.iter().any(|e| matches!(e.why(), Why::Boot)));
}

#[test]
fn a_decline_abandons_the_address_on_both_servers() {
    let events = [("0", "p", "boot"), ("00:05:00", "p", "decline")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    use dhcpfo_engine::BindingState::Abandoned;
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active, Abandoned]);
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.15"), [Free, Active, Abandoned]);
    let w = t.world_after(t.steps().len());
    let lease = w.server(Primary).lease("192.0.2.15".parse().unwrap()).unwrap();
    assert_eq!(lease.hardware, None, "the identity is wiped");
    assert_eq!(lease.ends, 300 + 86_400, "abandoned for abandon-lease-time");
    // Ten seconds later the client starts over and gets another address.
    let restart = t.steps().iter().find(|s| s.at == Time::from_secs(310)).unwrap();
    assert!(restart.effects.iter().any(|e| matches!(e.why(), Why::RestartAfterDecline)));
    let c = &w.clients()[0];
    assert_eq!(c.address.map(|a| a.to_string()).as_deref(), Some("192.0.2.16"));
}

#[test]
fn an_abandoned_address_returns_to_free_after_a_day_on_either_server() {
    let toml = scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot"), ("00:05:00", "p", "decline")])
        .replace("end = \"02:00:00\"", "end = \"24:10:00\"");
    let (_, t) = run_toml(&toml);
    use dhcpfo_engine::BindingState::Abandoned;
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active, Abandoned, Free]);
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.15"), [Free, Active, Abandoned, Free]);
}

#[test]
fn a_ping_answered_by_the_device_that_was_declined_abandons_again() {
    // One address: the client declines it, and when it comes back the primary's
    // reclaim is stopped by the ping.
    let toml = scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot"), ("00:05:00", "p", "decline")])
        .replace(
            "range = [\"192.0.2.10\", \"192.0.2.19\"]",
            "range = [\"192.0.2.10\", \"192.0.2.10\"]",
        )
        .replace("ping_check = false", "ping_check = true")
        .replace("end = \"02:00:00\"", "end = \"00:06:00\"");
    let (_, t) = run_toml(&toml);
    let whys: Vec<_> = t.steps().iter().flat_map(|s| &s.effects).map(|e| e.why().clone()).collect();
    assert!(whys.iter().any(|w| matches!(w, Why::ReclaimAbandoned { .. })));
    assert!(whys.iter().any(|w| matches!(w, Why::PingAnswered { .. })));
    assert_eq!(
        sent(&t).iter().filter(|(s, p)| p.name() == "DHCPOFFER" && s.at.secs() > 300).count(),
        0
    );
}

#[test]
fn inform_gets_configuration_from_every_server_and_changes_no_binding() {
    let events = [("0", "p", "boot"), ("00:05:00", "p", "inform")];
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &events));
    let acks: Vec<_> = sent(&t)
        .into_iter()
        .filter(|(s, p)| p.name() == "DHCPACK" && s.at.secs() == 300)
        .filter_map(|(_, p)| match &p.body {
            Body::Dhcp(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(acks.len(), 2, "broadcast: both servers answer");
    assert!(acks.iter().all(|m| m.lease_time.is_none() && m.yiaddr.is_unspecified()));
    assert!(t
        .steps()
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e.why(), Why::InformAnswered { .. })));
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active]);
}

#[test]
fn a_binding_in_the_first_second_still_has_its_times() {
    // 0 means "not set" in dhcpd's fields, so the servers count the first second as 1.
    let (_, t) = run_toml(&scenario("", "", &[TO_PRIMARY], &[("0", "p", "boot")]));
    let w = t.world_after(t.steps_until(Time::from_secs(5)));
    let lease = w.server(Primary).lease("192.0.2.15".parse().unwrap()).unwrap();
    assert_eq!((lease.starts, lease.cltt, lease.ends), (1, 1, 3601));
    let update = updates_from(&t, Primary)[0].clone();
    assert_eq!((update.2, update.3), (3601, 1 + 3600 + 1800));
}
