//! The safety monitor: properties that must hold after every step.
//!
//! - No address is configured on two clients at once (the split brain that
//!   failover exists to prevent).
//! - Every client's address is ACTIVE for that client on the server that
//!   granted it or on its peer, unless the lease has ended there (a client
//!   may outlive its lease by the latency of the wire only) or the granting
//!   server has lost its lease file since.
//! - No server hands out a lease that runs past the MCLT, or past the
//!   peer-acknowledged potential expiration (`tsfp`) plus the MCLT
//!   (draft-12 §5.2.1: the lease a server may grant on its own). This is
//!   checked when the lease is granted: a lease learnt from the peer may
//!   carry the peer's older `tsfp`.
//!
//! [`World::step`] runs [`check_addresses`] on the addresses a step touched
//! and [`check_grant`] on the leases it granted, and records every violation
//! in the step; [`check`] looks at every address.

use std::net::Ipv4Addr;

use crate::lease::BindingState;
use crate::packet::Role;
use crate::sim::World;

/// A broken safety property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The address concerned.
    pub address: Ipv4Addr,
    /// What is wrong, in plain words.
    pub message: String,
}

/// Checks every address the world knows.
pub fn check(world: &World) -> Vec<Violation> {
    let mut addresses: Vec<Ipv4Addr> = world.config().pool.clone();
    addresses.extend(world.clients().iter().filter_map(|c| c.address));
    addresses.sort_unstable();
    addresses.dedup();
    check_addresses(world, &addresses)
}

/// Checks the given addresses only (the ones a step touched), in one pass
/// over the clients. `addresses` must be sorted.
pub fn check_addresses(world: &World, addresses: &[Ipv4Addr]) -> Vec<Violation> {
    let mut holders: Vec<(Ipv4Addr, usize)> = world
        .clients()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.state.has_address())
        .filter_map(|(i, c)| c.address.map(|a| (a, i)))
        .filter(|(a, _)| addresses.binary_search(a).is_ok())
        .collect();
    holders.sort_unstable();
    let mut out = Vec::new();
    for group in holders.chunk_by(|a, b| a.0 == b.0) {
        let clients: Vec<usize> = group.iter().map(|&(_, i)| i).collect();
        check_holders(world, group[0].0, &clients, &mut out);
    }
    out
}

/// Checks one address whose holders (the clients configured with it, in
/// order) the caller already knows.
pub(crate) fn check_holders_of(
    world: &World,
    address: Ipv4Addr,
    holders: &[usize],
) -> Vec<Violation> {
    let mut out = Vec::new();
    check_holders(world, address, holders, &mut out);
    out
}

/// Checks a lease `role` has just granted against the MCLT bound.
pub fn check_grant(world: &World, role: Role, address: Ipv4Addr) -> Vec<Violation> {
    let mut out = Vec::new();
    check_mclt(world, role, address, &mut out);
    out
}

/// One configured client at most, and its lease held for it where it was
/// granted; `holders` are the clients configured with `address`, in order.
fn check_holders(world: &World, address: Ipv4Addr, holders: &[usize], out: &mut Vec<Violation>) {
    let cfg = world.config();
    if let [first, second, ..] = holders[..] {
        let (a, b) = (&cfg.clients[first].name, &cfg.clients[second].name);
        let message = format!("{address} is configured on both {a} and {b}");
        out.push(Violation { address, message });
    }
    for &i in holders {
        let Some(role) = world.clients()[i].server else { continue };
        let Some(lease) = world.server(role).lease(address) else { continue };
        let mac = Some(cfg.clients[i].mac);
        let holds =
            |l: &crate::lease::Lease| l.binding == BindingState::Active && l.hardware == mac;
        // dhcpd counts whole seconds and the client counts from the DHCPACK's
        // arrival, so a client may run up to a second and two wire trips longer.
        let slack = 1000 + 2 * cfg.lan_latency.iter().map(|d| d.0).max().unwrap_or(0);
        let now = world.now().millis();
        let ended = lease.ends * 1000 <= now + slack
            || world.clients()[i].lease_ends.is_some_and(|e| e.millis() <= now + slack);
        let peer_holds = world.server(role.peer()).lease(address).is_some_and(holds);
        // A server restarted with an empty lease file has forgotten the lease.
        let forgotten = lease.hardware.is_none() && lease.ends == 0;
        if !holds(lease) && !ended && !peer_holds && !forgotten {
            let holder = lease.hardware.map(|m| m.to_string()).unwrap_or_else(|| "nobody".into());
            let message = format!(
                "{} uses {address}, but the {role} holds it {} for {holder}",
                cfg.clients[i].name, lease.binding
            );
            out.push(Violation { address, message });
        }
    }
}

/// An ACTIVE lease may not outlast both `starts + MCLT` and `tsfp + MCLT`.
fn check_mclt(world: &World, role: Role, address: Ipv4Addr, out: &mut Vec<Violation>) {
    let Some(lease) = world.server(role).lease(address) else { return };
    if lease.binding != BindingState::Active {
        return;
    }
    let mclt = world.config().mclt;
    let limit = (lease.starts + mclt).max(lease.tsfp + mclt);
    if lease.ends > limit {
        let message = format!(
            "the {role} holds {address} until {}s, beyond both its start plus the MCLT and \
             the peer-acknowledged {}s plus the MCLT",
            lease.ends, lease.tsfp
        );
        out.push(Violation { address, message });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;
    use crate::time::Time;

    /// The default scenario a moment after both clients are bound.
    fn bound_world() -> World {
        let cfg = builtin("dhcprelease").unwrap().validate().unwrap();
        let mut w = World::new(cfg);
        w.run_until(Time::from_secs(10));
        assert!(check(&w).is_empty());
        w
    }

    #[test]
    fn two_clients_on_one_address_are_caught() {
        let mut w = bound_world();
        let taken = w.clients()[0].address.unwrap();
        w.client_mut(1).address = Some(taken);
        let v = check(&w);
        assert!(v.iter().any(|v| v.message.contains("configured on both")), "{v:?}");
    }

    #[test]
    fn a_lease_beyond_the_acknowledged_time_plus_mclt_is_caught() {
        let mut w = bound_world();
        let address = w.clients()[1].address.unwrap();
        let lease = w.server_mut(Role::Primary).leases.iter_mut().find(|l| l.address == address);
        let lease = lease.unwrap();
        lease.ends = lease.tsfp.max(lease.starts) + 3 * 3600;
        let v = check_grant(&w, Role::Primary, address);
        assert!(v.iter().any(|v| v.message.contains("MCLT")), "{v:?}");
    }

    #[test]
    fn the_monitor_records_violations_in_the_step() {
        let mut w = bound_world();
        let taken = w.clients()[0].address.unwrap();
        w.client_mut(1).address = Some(taken);
        // The next step touching a client re-checks its address and records the fault.
        let mut seen = false;
        while let Some(step) = w.step() {
            seen |= step
                .effects
                .iter()
                .any(|e| matches!(e.why(), crate::trace::Why::SafetyViolation { .. }));
        }
        assert!(seen);
    }
}
