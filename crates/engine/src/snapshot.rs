//! A JSON-ready picture of the world at one instant: the `dhcpfo state` contract.
//!
//! Shape (add fields freely, never rename): `time`, `servers.{primary,secondary}`
//! with `state` and `leases` keyed by address in pool order, and `clients` keyed
//! by name. Lease times are `HH:MM:SS` since the start, or `null` when unset.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::lease::Lease;
use crate::packet::Role;
use crate::sim::World;
use crate::time::Time;

/// The whole state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// The instant, `HH:MM:SS[.mmm]`.
    pub time: String,
    /// Both servers.
    pub servers: Servers,
    /// Every client, by name, in scenario order.
    #[serde(serialize_with = "ordered_map")]
    pub clients: Vec<(String, ClientView)>,
}

/// The two servers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Servers {
    /// The primary's view.
    pub primary: ServerView,
    /// The secondary's view.
    pub secondary: ServerView,
}

/// One server's view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerView {
    /// Failover state name.
    pub state: String,
    /// Every address of the pool, in address order.
    #[serde(serialize_with = "ordered_map")]
    pub leases: Vec<(String, LeaseView)>,
}

/// One address on one server.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeaseView {
    /// Binding state.
    pub binding: String,
    /// Next binding state.
    pub next: String,
    /// Rewind binding state.
    pub rewind: String,
    /// Hardware address of the last client.
    pub client: Option<String>,
    /// Lease start.
    pub starts: Option<String>,
    /// Lease end.
    pub ends: Option<String>,
    /// Time sent to partner.
    pub tstp: Option<String>,
    /// Time sent from partner.
    pub tsfp: Option<String>,
    /// Actual tsfp.
    pub atsfp: Option<String>,
    /// Client last transaction time.
    pub cltt: Option<String>,
}

/// One client.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientView {
    /// Client state name.
    pub state: String,
    /// Configured address.
    pub address: Option<String>,
    /// Granting server.
    pub server: Option<String>,
    /// Granted lease time in seconds.
    pub lease_time: Option<u32>,
    /// When the lease ends at the client.
    pub lease_ends: Option<String>,
}

fn ordered_map<S: Serializer, V: Serialize>(
    items: &[(String, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(items.len()))?;
    for (k, v) in items {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

fn when(secs: u64) -> Option<String> {
    (secs != 0).then(|| Time::from_secs(secs).clock())
}

impl LeaseView {
    /// The view of one lease.
    pub fn of(l: &Lease) -> LeaseView {
        LeaseView {
            binding: l.binding.name().into(),
            next: l.next.name().into(),
            rewind: l.rewind.name().into(),
            client: l.hardware.map(|m| m.to_string()),
            starts: when(l.starts),
            ends: when(l.ends),
            tstp: when(l.tstp),
            tsfp: when(l.tsfp),
            atsfp: when(l.atsfp),
            cltt: when(l.cltt),
        }
    }
}

impl Snapshot {
    /// The picture of `world` now.
    pub fn of(world: &World) -> Snapshot {
        Snapshot::at(world, world.now())
    }

    /// The picture of `world` labelled with instant `time` (no event between the
    /// world's last step and `time`).
    pub fn at(world: &World, time: Time) -> Snapshot {
        let server = |role: Role| {
            let s = world.server(role);
            ServerView {
                state: s.state.name().into(),
                leases: s
                    .leases
                    .iter()
                    .map(|l| (l.address.to_string(), LeaseView::of(l)))
                    .collect(),
            }
        };
        let cfg = world.config();
        let clients = world
            .clients()
            .iter()
            .zip(cfg.clients.iter())
            .map(|(c, spec)| {
                let view = ClientView {
                    state: c.state.name().into(),
                    address: c.address.map(|a| a.to_string()),
                    server: c.server.map(|r| r.name().to_string()),
                    lease_time: c.address.map(|_| c.lease_time),
                    lease_ends: c.lease_ends.map(|t| t.clock()),
                };
                (spec.name.clone(), view)
            })
            .collect();
        Snapshot {
            time: time.clock(),
            servers: Servers { primary: server(Role::Primary), secondary: server(Role::Secondary) },
            clients,
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
