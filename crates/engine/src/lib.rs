//! `dhcpfo-engine`: a deterministic, sans-IO model of an ISC dhcpd 4.4
//! failover pair (draft-ietf-dhc-failover-12) and its DHCP clients.
//!
//! The engine takes a [`Scenario`], validates it into a [`Config`], and runs
//! a [`World`] one event at a time on a virtual clock. Each event yields a
//! [`Step`] with typed reasons ([`Why`]) that the UI and the command line turn
//! into sentences. [`Timeline`] keeps a whole run for exact time travel;
//! [`Snapshot`] is the JSON picture of the state at one instant; [`share`]
//! packs a scenario and a step into a URL fragment.
//!
//! Carrying runs to and from real tools: [`wire`] turns every DHCP and
//! failover message into the bytes ISC dhcpd 4.4 puts on the network and back;
//! [`pcap`] writes (and reads) captures Wireshark decodes; [`leases`] writes a
//! server's dhcpd.leases and reads real ones; [`conf`] imports a dhcpd.conf.
//!
//! The engine reads no clock, does no I/O, and answers bad input with errors,
//! never panics. All randomness comes from the scenario's seed.
//!
//! Modelled: all twelve failover states with dhcpd's transitions and
//! service rules ([`failover`], [`server`]); the failover connection with its
//! watchdog and reconnection, bulk updates and pool balancing; DHCP
//! DISCOVER/OFFER (with ping check), REQUEST/ACK/NAK, RELEASE, DECLINE,
//! INFORM; load balancing; the MCLT lease-time cap; BNDUPD/BNDACK with ack
//! batching and the update window; MAC affinity; RFC 2131 clients; the
//! operator's faults on a model of the wires ([`sim`]); and a safety monitor
//! after every step ([`invariant`]). The README's limits section lists what
//! is left out and why.

pub mod addr;
pub mod balance;
pub mod client;
pub mod conf;
pub mod deflate;
pub mod failover;
pub mod fingerprint;
pub mod invariant;
pub mod lease;
pub mod leases;
pub mod packet;
pub mod pcap;
pub mod rng;
pub mod scenario;
pub mod server;
pub mod share;
pub mod sim;
pub mod snapshot;
pub mod synthetic;
pub mod time;
pub mod timeline;
pub mod trace;
pub mod wire;

pub use client::ClientState;
pub use failover::FailoverState;
pub use lease::BindingState;
pub use packet::{Node, Packet, Role};
pub use scenario::{Config, Scenario, ScenarioError, BUILTINS, DEFAULT_SCENARIO};
pub use sim::World;
pub use snapshot::Snapshot;
pub use time::{Duration, Time};
pub use timeline::Timeline;
pub use trace::{Step, Why};
