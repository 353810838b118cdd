//! The scenario library: one test per built-in teaching scenario, asserting
//! the facts its description promises (states reached and when, who answered,
//! lease times granted, whether the safety check fires).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::Ipv4Addr;

use common::*;
use dhcpfo_engine::packet::{Body, DhcpType, FailoverMessage};
use dhcpfo_engine::trace::Effect;
use dhcpfo_engine::BindingState::{Active, Backup, Free, Released};
use dhcpfo_engine::FailoverState::{
    CommunicationsInterrupted, ConflictDone, Normal, PartnerDown, PotentialConflict, Recover,
    RecoverDone, RecoverWait, Startup,
};
use dhcpfo_engine::Role::{Primary, Secondary};
use dhcpfo_engine::{FailoverState, Node, Role, Time, Timeline, Why};

/// When an address moved from `from` to `to` on a server, first time.
fn moved(
    t: &Timeline,
    role: Role,
    address: &str,
    from: dhcpfo_engine::BindingState,
    to: dhcpfo_engine::BindingState,
) -> Time {
    let address: Ipv4Addr = address.parse().unwrap();
    t.steps()
        .iter()
        .find(|s| {
            s.effects.iter().any(|e| {
                matches!(e, Effect::Lease { server, address: a, from: f, to: t, .. }
                    if *server == role && *a == address && *f == from && *t == to)
            })
        })
        .unwrap_or_else(|| panic!("{address} never went {from:?} → {to:?} on {role:?}"))
        .at
}

/// How many safety violations the run reported.
fn violations(t: &Timeline) -> usize {
    t.steps()
        .iter()
        .flat_map(|s| &s.effects)
        .filter(|e| matches!(e.why(), Why::SafetyViolation { .. }))
        .count()
}

/// (time, server, address) of every DHCP reply of one type.
fn replies(t: &Timeline, kind: DhcpType) -> Vec<(Time, Node, Ipv4Addr)> {
    sent(t)
        .into_iter()
        .filter_map(|(s, p)| match &p.body {
            Body::Dhcp(m) if m.message_type == kind => Some((s.at, p.from, m.yiaddr)),
            _ => None,
        })
        .collect()
}

/// The replies of one type sent to one client.
fn replies_to(t: &Timeline, kind: DhcpType, mac: &str) -> Vec<(Time, Node, Ipv4Addr)> {
    sent(t)
        .into_iter()
        .filter_map(|(s, p)| match &p.body {
            Body::Dhcp(m) if m.message_type == kind && m.chaddr.to_string() == mac => {
                Some((s.at, p.from, m.yiaddr))
            }
            _ => None,
        })
        .collect()
}

/// Whether any effect of the run carries a reason matching `f`.
fn any_why(t: &Timeline, f: impl Fn(&Why) -> bool) -> bool {
    t.steps().iter().flat_map(|s| &s.effects).any(|e| f(e.why()))
}

/// The world at the end of the run.
fn end(t: &Timeline) -> dhcpfo_engine::World {
    t.world_after(t.steps().len())
}

fn at(text: &str) -> Time {
    Time::parse(text).unwrap()
}

fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

#[test]
fn fresh_start_recovers_then_balances_the_pool() {
    let (_, t) = run_builtin("fresh-start");
    assert_eq!(violations(&t), 0);
    for role in [Primary, Secondary] {
        assert_eq!(state_names(&t, role), [Startup, Recover, RecoverDone, Normal], "{role:?}");
        assert!(entered(&t, role, Normal) < Time(100), "no MCLT wait when both recover");
    }
    // Both sides asked for everything.
    let asked = |role: Role| {
        sent(&t)
            .into_iter()
            .filter(|(_, p)| p.from == role.node())
            .filter(|(_, p)| matches!(p.body, Body::Failover(FailoverMessage::UpdReqAll(_))))
            .count()
    };
    assert!(asked(Primary) >= 1 && asked(Secondary) >= 1);
    // Half the pool is the secondary's before the client boots.
    let w = t.world_after(t.steps_until(at("00:00:04")));
    for role in [Primary, Secondary] {
        assert_eq!(w.server(role).count(Free), 5, "{role:?}");
        assert_eq!(w.server(role).count(Backup), 5, "{role:?}");
    }
    // As recorded: c1 is the primary's, first lease 30 s (the MCLT).
    assert_eq!(ack_lease_times(&t, Primary)[0], 30);
}

#[test]
fn split_64_sends_three_quarters_of_the_clients_to_the_secondary() {
    let (_, t) = run_builtin("load-balance-split");
    assert_eq!(violations(&t), 0);
    let offers = replies(&t, DhcpType::Offer);
    let from: Vec<Node> = offers.iter().map(|o| o.1).collect();
    assert_eq!(from, [Node::Primary, Node::Primary, Node::Secondary, Node::Secondary]);
    // Bucket 79 would be the primary's with split 128.
    assert!(any_why(&t, |w| matches!(w, Why::BalancedToPeer { bucket: 79, split: 64, .. })));
    // The pool itself stays split evenly.
    let w = t.world_after(0);
    assert_eq!(w.server(Primary).count(Free), 5);
    assert_eq!(w.server(Primary).count(Backup), 5);
    let w = end(&t);
    let servers: Vec<_> = w.clients().iter().map(|c| c.server).collect();
    assert_eq!(servers, [Some(Primary), Some(Primary), Some(Secondary), Some(Secondary)]);
}

#[test]
fn a_late_discover_is_answered_by_both_servers() {
    let (_, t) = run_builtin("secs-both-answer");
    assert_eq!(violations(&t), 0);
    let offers = replies(&t, DhcpType::Offer);
    assert_eq!(offers.len(), 2, "{offers:?}");
    assert_eq!(offers[0].0, offers[1].0, "both answer the same DISCOVER");
    assert!(offers[0].0 > at("00:00:20"), "the first two DISCOVERs get no offer");
    assert!(any_why(&t, |w| matches!(w, Why::SecsOverride { secs: 12, max: 3 })));
    // The retry with secs 3, equal to the limit, was still balanced.
    let primary_balanced = t
        .steps()
        .iter()
        .filter(|s| s.node == Node::Primary)
        .flat_map(|s| &s.effects)
        .filter(|e| matches!(e.why(), Why::BalancedToPeer { bucket: 133, .. }))
        .count();
    assert_eq!(primary_balanced, 2);
    let acks = replies(&t, DhcpType::Ack);
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0].1, Node::Primary, "the client took the first offer");
}

#[test]
fn init_reboot_is_confirmed_by_the_server_that_did_not_grant_the_lease() {
    let (_, t) = run_builtin("reboot-other-server");
    assert_eq!(violations(&t), 0);
    let acks = replies(&t, DhcpType::Ack);
    let who: Vec<_> = acks.iter().map(|a| (a.1, a.2)).collect();
    assert_eq!(
        who,
        [(Node::Secondary, ip("192.0.2.14")), (Node::Primary, ip("192.0.2.14"))],
        "granted by the secondary, confirmed by the primary"
    );
    assert_eq!(acks[1].0, at("00:02:00.001"));
    // The secondary reported tstp 01:02:40, so the primary may grant the full hour.
    assert_eq!(ack_lease_times(&t, Primary), [3600]);
    let w = end(&t);
    assert_eq!(w.clients()[0].server, Some(Primary));
    assert_eq!(w.server(Secondary).lease(ip("192.0.2.14")).unwrap().binding, Active);
}

#[test]
fn a_drained_secondary_asks_for_addresses_and_gets_them() {
    let (_, t) = run_builtin("pool-rebalance");
    assert_eq!(violations(&t), 0);
    let w = t.world_after(t.steps_until(at("00:01:00")));
    assert_eq!(w.server(Secondary).count(Backup), 0, "five clients took all five");
    let poolreq: Vec<_> = sent(&t)
        .into_iter()
        .filter(|(_, p)| matches!(p.body, Body::Failover(FailoverMessage::PoolReq(_))))
        .map(|(s, p)| (s.at, p.from))
        .collect();
    assert_eq!(poolreq, [(at("00:02:10"), Node::Secondary)]);
    let w = t.world_after(t.steps_until(at("00:02:11")));
    assert_eq!(w.server(Secondary).count(Backup), 2);
    assert_eq!(w.server(Primary).count(Free), 3);
    // The sixth secondary client is served by the secondary again.
    let offers = replies_to(&t, DhcpType::Offer, "02:00:00:00:00:0b");
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].1, Node::Secondary);
}

#[test]
fn a_release_during_an_outage_is_stuck_unless_the_peer_never_knew_the_lease() {
    let (_, t) = run_builtin("release-cut-link");
    assert_eq!(violations(&t), 0);
    for role in [Primary, Secondary] {
        let lost = entered(&t, role, CommunicationsInterrupted);
        assert!(lost > at("00:03:00") && lost < at("00:04:00"), "{role:?} at {lost:?}");
    }
    // laptop's address: RELEASED during the outage, FREE only after the heal.
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active, Released, Free]);
    assert!(moved(&t, Primary, "192.0.2.15", Released, Free) > at("00:09:00"));
    // phone's address, granted during the outage: straight back to FREE.
    assert_eq!(state_sequence(&t, Primary, "192.0.2.16"), [Free, Active, Free]);
    assert_eq!(moved(&t, Primary, "192.0.2.16", Active, Free), at("00:06:30.001"));
    assert!(any_why(&t, |w| matches!(w, Why::ReleasedStuck)));
    assert!(any_why(&t, |w| matches!(w, Why::ReleasedRewind { to: Free })));
    // The secondary never saw the address go ACTIVE.
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.16"), [Free]);
    for role in [Primary, Secondary] {
        assert_eq!(end(&t).server(role).state, Normal);
    }
}

#[test]
fn clocks_90_seconds_apart_keep_the_pair_apart() {
    let (_, t) = run_builtin("clock-skew");
    assert_eq!(violations(&t), 0);
    let acks: Vec<_> = sent(&t)
        .into_iter()
        .filter_map(|(_, p)| match &p.body {
            Body::Failover(FailoverMessage::ConnectAck(a)) => Some(a.reject_reason),
            _ => None,
        })
        .collect();
    assert!(acks.len() > 3);
    assert!(acks.iter().all(|r| *r == Some(4)), "{acks:?}");
    assert_eq!(
        state_names(&t, Secondary),
        [FailoverState::Down, Startup, CommunicationsInterrupted]
    );
    assert_eq!(entered(&t, Secondary, CommunicationsInterrupted), at("00:00:46"));
    assert_eq!(state_names(&t, Primary), [CommunicationsInterrupted]);
    // No load balancing: both servers offer to the secondary's client.
    let offers = replies(&t, DhcpType::Offer);
    assert_eq!(offers.len(), 2);
}

#[test]
fn partner_down_waits_mclt_before_taking_the_peers_addresses() {
    let (_, t) = run_builtin("partner-down");
    assert_eq!(violations(&t), 0);
    assert_eq!(entered(&t, Primary, PartnerDown), at("00:02:00"));
    assert!(any_why(&t, |w| matches!(w, Why::NoFreeLease { peer_has: 2 })));
    let offers = replies_to(&t, DhcpType::Offer, "02:00:00:00:00:05");
    assert_eq!(offers.len(), 1);
    assert!(offers[0].0 >= at("00:07:00"), "not before STOS + MCLT: {:?}", offers[0].0);
    assert_eq!(offers[0].2, ip("192.0.2.10"));
    assert!(moved(&t, Primary, "192.0.2.10", Backup, Active) >= at("00:07:00"));
    // Its first lease is the MCLT: nothing about that address was acknowledged.
    let w = end(&t);
    let c3 = &w.clients()[2];
    assert_eq!((c3.address, c3.lease_time), (Some(ip("192.0.2.10")), 300));
}

#[test]
fn auto_partner_down_fires_after_its_wait() {
    let (_, t) = run_builtin("auto-partner-down");
    assert_eq!(violations(&t), 0);
    let interrupted = entered(&t, Primary, CommunicationsInterrupted);
    let down = entered(&t, Primary, PartnerDown);
    assert_eq!(down.millis() - interrupted.millis(), 120_000);
    assert_eq!(state_names(&t, Primary), [CommunicationsInterrupted, PartnerDown]);
    let offers = replies(&t, DhcpType::Offer);
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].1, Node::Primary, "a secondary client, answered by the primary");
    assert_eq!(ack_lease_times(&t, Primary), [300]);
}

#[test]
fn a_release_in_partner_down_frees_the_address_at_stos_plus_mclt() {
    let (_, t) = run_builtin("release-partner-down");
    assert_eq!(violations(&t), 0);
    assert_eq!(entered(&t, Primary, PartnerDown), at("00:02:00"));
    assert_eq!(state_sequence(&t, Primary, "192.0.2.15"), [Free, Active, Released, Free]);
    assert_eq!(moved(&t, Primary, "192.0.2.15", Released, Free), at("00:07:00"));
    // Released after STOS + MCLT: free at the next pool-timer run.
    assert_eq!(state_sequence(&t, Primary, "192.0.2.16"), [Free, Active, Released, Free]);
    assert_eq!(moved(&t, Primary, "192.0.2.16", Released, Free), at("00:09:00.001"));
    assert!(any_why(&t, |w| matches!(w, Why::ReleasedPartnerDown { .. })));
}

#[test]
fn a_returning_partner_recovers_without_waiting() {
    let (_, t) = run_builtin("partner-returns");
    assert_eq!(violations(&t), 0);
    assert_eq!(
        state_names(&t, Secondary),
        [FailoverState::Down, Startup, Recover, RecoverDone, Normal]
    );
    let back = entered(&t, Secondary, Startup);
    assert_eq!(back, at("00:06:00"));
    assert!(entered(&t, Secondary, Normal) < at("00:06:01"), "STOS + MCLT long past");
    assert_eq!(state_names(&t, Primary), [CommunicationsInterrupted, PartnerDown, Normal]);
    // The secondary learnt c1's binding from the bulk update.
    let w = end(&t);
    assert_eq!(w.server(Secondary).lease(ip("192.0.2.13")).unwrap().binding, Active);
    assert_eq!(w.clients()[0].server, Some(Primary));
}

#[test]
fn an_amnesic_restart_waits_a_full_mclt_in_recover_wait() {
    let (_, t) = run_builtin("recover-wait");
    assert_eq!(violations(&t), 0);
    assert_eq!(
        state_names(&t, Secondary),
        [FailoverState::Down, Startup, Recover, RecoverWait, RecoverDone, Normal]
    );
    assert!(entered(&t, Secondary, RecoverWait) < at("00:02:01"));
    assert_eq!(entered(&t, Secondary, RecoverDone), at("00:07:00"), "STOS 00:02:00 + MCLT");
    assert_eq!(entered(&t, Primary, PartnerDown).secs(), 120, "seeing an amnesic peer");
    assert!(entered(&t, Primary, Normal) >= at("00:07:00"));
    // During the wait the primary serves the secondary's client; the secondary is silent.
    let offers = replies(&t, DhcpType::Offer);
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].1, Node::Primary);
    let from_secondary = sent(&t)
        .into_iter()
        .filter(|(_, p)| p.from == Node::Secondary && matches!(p.body, Body::Dhcp(_)))
        .count();
    assert_eq!(from_secondary, 0);
}

#[test]
fn split_brain_hands_out_an_address_twice_and_is_resolved_on_reconnect() {
    let (_, t) = run_builtin("split-brain");
    assert!(violations(&t) > 0, "the safety check must report the duplicate");
    let first = t
        .steps()
        .iter()
        .find(|s| s.effects.iter().any(|e| matches!(e.why(), Why::SafetyViolation { .. })))
        .unwrap();
    assert!(first.at >= at("00:07:30"), "not before the primary takes a BACKUP address");
    // Both servers granted 192.0.2.10.
    let acks = replies(&t, DhcpType::Ack);
    assert!(acks.iter().any(|a| a.1 == Node::Secondary && a.2 == ip("192.0.2.10")));
    assert!(acks.iter().any(|a| a.1 == Node::Primary && a.2 == ip("192.0.2.10")));
    assert_eq!(
        state_names(&t, Primary),
        [CommunicationsInterrupted, PartnerDown, PotentialConflict, ConflictDone, Normal]
    );
    assert_eq!(state_names(&t, Secondary), [CommunicationsInterrupted, PotentialConflict, Normal]);
    assert!(entered(&t, Primary, PotentialConflict) >= at("00:09:00"));
    // The later client transaction (s2's renewal at 00:08:10) wins on both servers.
    let w = end(&t);
    for role in [Primary, Secondary] {
        let l = w.server(role).lease(ip("192.0.2.10")).unwrap();
        assert_eq!(l.binding, Active);
        assert_eq!(l.hardware.unwrap().to_string(), "02:00:00:00:00:03", "{role:?}");
    }
    // The loser learns at its next renewal.
    let naks = replies_to(&t, DhcpType::Nak, "02:00:00:00:00:07");
    assert!(naks.iter().any(|n| n.1 == Node::Primary && n.0 == at("00:10:00.003")), "{naks:?}");
    assert_eq!(w.clients()[4].address, None);
}
