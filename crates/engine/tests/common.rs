//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use std::net::Ipv4Addr;
use std::sync::Arc;

use dhcpfo_engine::packet::{Body, DhcpType, FailoverMessage};
use dhcpfo_engine::scenario::{builtin, Config, Scenario};
use dhcpfo_engine::trace::{Cause, Effect, Step};
use dhcpfo_engine::{BindingState, FailoverState, Role, Time, Timeline};

/// Runs a built-in scenario.
pub fn run_builtin(name: &str) -> (Arc<Config>, Timeline) {
    let cfg = builtin(name).expect("built-in exists").validate().expect("valid");
    let t = Timeline::run(cfg.clone());
    (cfg, t)
}

/// Runs a scenario given as TOML.
pub fn run_toml(text: &str) -> (Arc<Config>, Timeline) {
    let cfg = Scenario::from_toml(text).expect("parses").validate().expect("valid");
    let t = Timeline::run(cfg.clone());
    (cfg, t)
}

/// The binding states an address went through on one server, starting with its first state.
pub fn state_sequence(t: &Timeline, role: Role, address: &str) -> Vec<BindingState> {
    let address: Ipv4Addr = address.parse().unwrap();
    let start = t.world_after(0);
    let mut seq = vec![start.server(role).lease(address).unwrap().binding];
    for s in t.steps() {
        for e in &s.effects {
            if let Effect::Lease { server, address: a, from, to, .. } = e {
                if *server == role && *a == address && from != to {
                    seq.push(*to);
                }
            }
        }
    }
    seq
}

/// Every packet sent in the run, with the step that sent it.
pub fn sent(t: &Timeline) -> Vec<(&Step, &dhcpfo_engine::Packet)> {
    t.steps()
        .iter()
        .flat_map(|s| {
            s.effects.iter().filter_map(move |e| match e {
                Effect::Sent { packet, .. } => Some((s, &**packet)),
                _ => None,
            })
        })
        .collect()
}

/// Lease times in the DHCPACKs a server sent, in order.
pub fn ack_lease_times(t: &Timeline, role: Role) -> Vec<u32> {
    sent(t)
        .into_iter()
        .filter(|(_, p)| p.from == role.node())
        .filter_map(|(_, p)| match &p.body {
            Body::Dhcp(m) if m.message_type == DhcpType::Ack => m.lease_time,
            _ => None,
        })
        .collect()
}

/// (status, lease-expiration, potential-expiration) of the BNDUPDs a server sent.
pub fn updates_from(t: &Timeline, role: Role) -> Vec<(String, BindingState, u64, u64)> {
    sent(t)
        .into_iter()
        .filter(|(_, p)| p.from == role.node())
        .filter_map(|(_, p)| match &p.body {
            Body::Failover(FailoverMessage::BndUpd(u)) => {
                Some((u.address.to_string(), u.status, u.lease_expiration, u.potential_expiration))
            }
            _ => None,
        })
        .collect()
}

/// The step index at which a packet named `name` was received by `role`, first match.
pub fn received(t: &Timeline, predicate: impl Fn(&Step) -> bool) -> Vec<&Step> {
    t.steps().iter().filter(|s| matches!(s.cause, Cause::Received(_)) && predicate(s)).collect()
}

/// Every failover state a server entered, with the time it entered it.
pub fn states(t: &Timeline, role: Role) -> Vec<(Time, FailoverState)> {
    t.steps()
        .iter()
        .flat_map(|s| s.effects.iter().map(move |e| (s.at, e)))
        .filter_map(|(at, e)| match e {
            Effect::ServerState { server, to, .. } if *server == role => Some((at, *to)),
            _ => None,
        })
        .collect()
}

/// Just the states, in order.
pub fn state_names(t: &Timeline, role: Role) -> Vec<FailoverState> {
    states(t, role).into_iter().map(|(_, s)| s).collect()
}

/// When a server first entered `state`.
pub fn entered(t: &Timeline, role: Role, state: FailoverState) -> Time {
    states(t, role)
        .into_iter()
        .find(|(_, s)| *s == state)
        .unwrap_or_else(|| panic!("{role:?} never entered {state:?}"))
        .0
}
