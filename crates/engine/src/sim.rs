//! The world: two servers, the clients, the wires, and a discrete-event queue.
//!
//! [`World::step`] takes the earliest pending event (ties in the order they
//! were scheduled), hands it to the node it concerns, and returns the
//! [`Step`] that records what followed. Packets take the configured latency;
//! a client broadcast reaches both servers. Timers that were cancelled by a
//! later change are dropped without a step. Nothing here reads a clock or
//! does I/O: the same [`Config`] always gives the same trace.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use crate::client::Client;
use crate::packet::{Body, Destination, DhcpMessage, Node, Packet, Role};
use crate::rng::Rng;
use crate::scenario::{Config, ScriptEvent};
use crate::server::Server;
use crate::time::Time;
use crate::trace::{Cause, Effect, Step, Timer, Why};

/// A client timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClientTimer {
    Retransmit,
    Restart,
    Renew,
    Rebind,
    Expiry,
}

/// A server timer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ServerTimer {
    /// The ping-check wait before an OFFER is over.
    PingDone { lease: usize, client: u16, discover: Box<DhcpMessage> },
    /// Flush queued BNDACKs (only the latest generation counts).
    AckFlush { generation: u32 },
    /// A lease reaches `ends`.
    LeaseEnd { lease: usize, ends: u64 },
}

/// Something that will happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Script(ScriptEvent),
    Deliver { to: Node, packet: Box<Packet> },
    Client { client: u16, timer: ClientTimer, generation: u32 },
    Server { role: Role, timer: ServerTimer },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Scheduled {
    at: Time,
    seq: u64,
    event: Event,
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse so the earliest (then first scheduled) pops first.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What a node may do while it handles one event.
pub(crate) struct Ctx<'a> {
    pub now: Time,
    pub cfg: &'a Config,
    pub rng: &'a mut Rng,
    /// Addresses a device outside DHCP's control is using (it answers pings).
    pub occupied: &'a mut Vec<std::net::Ipv4Addr>,
    next_packet_id: &'a mut u32,
    effects: Vec<Effect>,
    timers: Vec<(Time, Event)>,
}

impl<'a> Ctx<'a> {
    /// A context for unit tests of one node.
    #[cfg(test)]
    pub fn for_test(now: Time, cfg: &'a Config, rng: &'a mut Rng, ids: &'a mut u32) -> Ctx<'a> {
        // Tests that need occupied addresses build a world instead.
        let occupied = Box::leak(Box::new(Vec::new()));
        Ctx {
            now,
            cfg,
            rng,
            occupied,
            next_packet_id: ids,
            effects: Vec::new(),
            timers: Vec::new(),
        }
    }

    /// What the node did so far (unit tests).
    #[cfg(test)]
    pub fn take(&mut self) -> (Vec<Effect>, Vec<(Time, Event)>) {
        (std::mem::take(&mut self.effects), std::mem::take(&mut self.timers))
    }

    /// The servers' clock: whole seconds since the start, the first second
    /// counted as second 1. dhcpd's times are Unix seconds and never 0, and 0
    /// means "not set" in its lease fields and messages; the model keeps that
    /// meaning, so nothing a server records or sends may fall on second 0.
    pub fn clock(&self) -> u64 {
        self.now.secs().max(1)
    }

    /// Records an effect.
    pub fn effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    /// Schedules an event.
    pub fn timer(&mut self, at: Time, event: Event) {
        self.timers.push((at, event));
    }

    /// Puts a packet on the wire and schedules its delivery.
    pub fn send(&mut self, from: Node, to: Destination, body: Body, why: Why) {
        let latency = match body {
            Body::Failover(_) => self.cfg.link_latency,
            Body::Dhcp(_) => self.cfg.lan_latency,
        };
        *self.next_packet_id += 1;
        let packet = Packet {
            id: *self.next_packet_id,
            from,
            to,
            sent_at: self.now,
            arrives_at: self.now.plus(latency),
            body,
        };
        let receivers: &[Node] = match to {
            Destination::Unicast(ref n) => std::slice::from_ref(n),
            Destination::Broadcast => &[Node::Primary, Node::Secondary],
        };
        for &r in receivers {
            let event = Event::Deliver { to: r, packet: Box::new(packet.clone()) };
            self.timers.push((packet.arrives_at, event));
        }
        self.effects.push(Effect::Sent { packet, why });
    }
}

/// The whole simulated network at one instant. Cloning it is how time travel works.
#[derive(Clone, Debug)]
pub struct World {
    cfg: Arc<Config>,
    now: Time,
    servers: [Server; 2],
    clients: Vec<Client>,
    queue: BinaryHeap<Scheduled>,
    seq: u64,
    rng: Rng,
    occupied: Vec<std::net::Ipv4Addr>,
    next_packet_id: u32,
    steps: u32,
}

impl World {
    /// A world at t = 0 with both servers in NORMAL and the script queued.
    pub fn new(cfg: Arc<Config>) -> World {
        let servers = [
            Server::new_balanced(Role::Primary, &cfg),
            Server::new_balanced(Role::Secondary, &cfg),
        ];
        let clients = (0..cfg.clients.len()).map(|i| Client::new(i as u16)).collect();
        let mut world = World {
            rng: Rng::new(cfg.seed),
            cfg: cfg.clone(),
            now: Time::ZERO,
            servers,
            clients,
            queue: BinaryHeap::new(),
            seq: 0,
            occupied: Vec::new(),
            next_packet_id: 0,
            steps: 0,
        };
        for e in cfg.events.iter() {
            world.schedule(e.at, Event::Script(*e));
        }
        world
    }

    /// The scenario this world runs.
    pub fn config(&self) -> &Arc<Config> {
        &self.cfg
    }

    /// The current virtual time (that of the last step).
    pub fn now(&self) -> Time {
        self.now
    }

    /// Steps taken so far.
    pub fn steps_taken(&self) -> u32 {
        self.steps
    }

    /// A server by role.
    pub fn server(&self, role: Role) -> &Server {
        &self.servers[role.index()]
    }

    /// Addresses in use by devices outside DHCP's control (found by a DHCPDECLINE).
    pub fn occupied(&self) -> &[std::net::Ipv4Addr] {
        &self.occupied
    }

    /// The clients, in scenario order.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// A server, to corrupt in the monitor's tests.
    #[cfg(test)]
    pub(crate) fn server_mut(&mut self, role: Role) -> &mut Server {
        &mut self.servers[role.index()]
    }

    /// A client, to corrupt in the monitor's tests.
    #[cfg(test)]
    pub(crate) fn client_mut(&mut self, index: usize) -> &mut Client {
        &mut self.clients[index]
    }

    /// When the next event is due, if any is left before the end.
    pub fn next_event_at(&self) -> Option<Time> {
        self.queue.peek().map(|s| s.at).filter(|&t| t <= self.cfg.end)
    }

    fn schedule(&mut self, at: Time, event: Event) {
        self.seq += 1;
        self.queue.push(Scheduled { at, seq: self.seq, event });
    }

    /// Processes the next event and returns its step; `None` once the run is over.
    pub fn step(&mut self) -> Option<Step> {
        self.step_until(self.cfg.end)
    }

    /// Like [`World::step`], but only for events at or before `limit`.
    pub fn step_until(&mut self, limit: Time) -> Option<Step> {
        let limit = limit.min(self.cfg.end);
        loop {
            let next = self.queue.peek()?;
            if next.at > limit {
                return None;
            }
            let Scheduled { at, event, .. } = self.queue.pop()?;
            self.now = at;
            if let Some(step) = self.process(event) {
                return Some(step);
            }
        }
    }

    /// Runs every step up to and including `until`.
    pub fn run_until(&mut self, until: Time) -> Vec<Step> {
        let mut out = Vec::new();
        while let Some(s) = self.step_until(until) {
            out.push(s);
        }
        out
    }

    fn process(&mut self, event: Event) -> Option<Step> {
        let cfg = self.cfg.clone();
        let mut ctx = Ctx {
            now: self.now,
            cfg: &cfg,
            rng: &mut self.rng,
            occupied: &mut self.occupied,
            next_packet_id: &mut self.next_packet_id,
            effects: Vec::new(),
            timers: Vec::new(),
        };
        let (node, cause) = match event {
            Event::Script(e) => {
                let client = e.client as u16;
                self.clients[e.client].on_script(e.action, &mut ctx);
                (Node::Client(client), Cause::Script(e.action))
            }
            Event::Deliver { to, packet } => {
                match (to, &packet.body, packet.from) {
                    (Node::Client(i), Body::Dhcp(m), _) => {
                        self.clients[usize::from(i)].on_packet(m, &mut ctx)
                    }
                    (Node::Primary | Node::Secondary, Body::Dhcp(m), Node::Client(c)) => {
                        let role =
                            if to == Node::Primary { Role::Primary } else { Role::Secondary };
                        self.servers[role.index()].on_dhcp(m, c, &mut ctx)
                    }
                    (Node::Primary | Node::Secondary, Body::Failover(m), _) => {
                        let role =
                            if to == Node::Primary { Role::Primary } else { Role::Secondary };
                        self.servers[role.index()].on_failover(m, &mut ctx)
                    }
                    _ => ctx.effect(Effect::Note { why: Why::NotForServers }),
                }
                (to, Cause::Received(*packet))
            }
            Event::Client { client, timer, generation } => {
                if !self.clients[usize::from(client)].on_timer(timer, generation, &mut ctx) {
                    return None;
                }
                let t = match timer {
                    ClientTimer::Retransmit => Timer::Retransmit,
                    ClientTimer::Restart => Timer::Restart,
                    ClientTimer::Renew => Timer::Renew,
                    ClientTimer::Rebind => Timer::Rebind,
                    ClientTimer::Expiry => Timer::Expiry,
                };
                (Node::Client(client), Cause::Timer(t))
            }
            Event::Server { role, timer } => {
                let server = &mut self.servers[role.index()];
                let t = match &timer {
                    ServerTimer::PingDone { lease, client, .. } => Timer::PingTimeout {
                        client: *client,
                        address: server.leases[*lease].address,
                    },
                    ServerTimer::AckFlush { .. } => Timer::AckFlush,
                    ServerTimer::LeaseEnd { lease, .. } => {
                        Timer::LeaseEnd { address: server.leases[*lease].address }
                    }
                };
                if !server.on_timer(&timer, &mut ctx) {
                    return None;
                }
                (role.node(), Cause::Timer(t))
            }
        };
        let Ctx { mut effects, timers, .. } = ctx;
        for (at, ev) in timers {
            self.schedule(at, ev);
        }
        self.monitor(&mut effects);
        let step = Step { index: self.steps, at: self.now, node, cause, effects };
        self.steps += 1;
        Some(step)
    }

    /// The safety monitor: checks the addresses this step touched and records
    /// every violation in the step.
    fn monitor(&self, effects: &mut Vec<Effect>) {
        let mut touched: Vec<std::net::Ipv4Addr> = Vec::new();
        for e in effects.iter() {
            match e {
                Effect::Lease { address, .. } => touched.push(*address),
                Effect::Client { client, .. } => {
                    touched.extend(self.clients[usize::from(*client)].address)
                }
                _ => {}
            }
        }
        if touched.is_empty() {
            return;
        }
        touched.sort_unstable();
        touched.dedup();
        for v in crate::invariant::check_addresses(self, &touched) {
            let why = Why::SafetyViolation { address: v.address, message: v.message };
            effects.push(Effect::Note { why });
        }
    }
}
