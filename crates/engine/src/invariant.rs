//! The safety monitor: properties that must hold after every step.
//!
//! Checked now: no address is configured on two clients at once, and every
//! client's address is ACTIVE for that client on the server that granted it
//! unless the lease has ended there (a client may outlive its lease by the
//! latency of the wire only).
//!
//! Not checked yet: that no server has granted a lease beyond the
//! peer-acknowledged time plus MCLT (it needs the partner-down model).

use std::collections::HashMap;
use std::net::Ipv4Addr;

use crate::lease::BindingState;
use crate::sim::World;

/// A broken safety property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The address concerned.
    pub address: Ipv4Addr,
    /// What is wrong, in plain words.
    pub message: String,
}

/// Checks the world as it is now.
pub fn check(world: &World) -> Vec<Violation> {
    let cfg = world.config();
    let mut out = Vec::new();
    let mut holders: HashMap<Ipv4Addr, usize> = HashMap::new();
    for (i, c) in world.clients().iter().enumerate() {
        let Some(address) = c.address.filter(|_| c.state.has_address()) else {
            continue;
        };
        if let Some(&other) = holders.get(&address) {
            out.push(Violation {
                address,
                message: format!(
                    "{address} is configured on both {} and {}",
                    cfg.clients[other].name, cfg.clients[i].name
                ),
            });
        }
        holders.insert(address, i);
        let Some(role) = c.server else { continue };
        let Some(lease) = world.server(role).lease(address) else {
            continue;
        };
        let ours = lease.hardware == Some(cfg.clients[i].mac);
        let ended = lease.ends * 1000 <= world.now().millis() + 1000;
        let held = lease.binding == BindingState::Active && ours;
        if !held && !ended {
            out.push(Violation {
                address,
                message: format!(
                    "{} uses {address}, but the {role} holds it {} for {}",
                    cfg.clients[i].name,
                    lease.binding,
                    lease.hardware.map(|m| m.to_string()).unwrap_or_else(|| "nobody".into())
                ),
            });
        }
    }
    out
}
