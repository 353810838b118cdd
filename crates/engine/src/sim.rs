//! The world: two servers, the clients, the wires, and a discrete-event queue.
//!
//! [`World::step`] takes the earliest pending event (ties in the order they
//! were scheduled), hands it to the node it concerns, and returns the
//! [`Step`] that records what followed. Nothing here reads a clock or does
//! I/O: the same [`Config`] always gives the same trace.
//!
//! The wires:
//! - the client LAN carries DHCP (UDP): each server's side has its own
//!   latency and loss rate, a client broadcast reaches both servers, and a
//!   lost packet is a step of its own ([`Cause::Dropped`]);
//! - the server link carries the failover TCP connection. TCP does not lose
//!   messages: a segment lost to `server_link_loss` arrives later, in order;
//!   a message that meets a cut waits in TCP and goes out again when the link
//!   heals, unless the connection has been given up in the meantime (the
//!   receive watchdog of [`crate::server`]); then it is gone with it.
//!
//! Operators cut and heal the link (both ways or one way), stop and start
//! servers, and set failover states; those steps are acted by
//! [`Node::Operator`] or by the server concerned. Timers that were cancelled
//! by a later change are dropped without a step, and so are a server's
//! timers from before it was stopped.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::net::Ipv4Addr;
use std::sync::Arc;

use crate::client::Client;
use crate::packet::{Body, Destination, DhcpMessage, FailoverMessage, Node, Packet, Role};
use crate::rng::Rng;
use crate::scenario::{Action, Config, LinkCut, ScriptEvent};
use crate::server::Server;
use crate::time::{Duration, Time};
use crate::trace::{Cause, DropReason, Effect, Step, Timer, Why};

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
    /// PARTNER-DOWN: a transitional lease may become FREE (max(tsfp, ends)).
    PoolTimer { lease: usize, at: u64 },
    /// STARTUP's 15 seconds are over (only for the state generation given).
    Startup { generation: u32 },
    /// Try to open the failover connection (only the latest generation counts).
    Reconnect { generation: u32 },
    /// Nothing heard from the peer within max-response-delay.
    Watchdog { conn: u32, generation: u32 },
    /// The connection opened but no CONNECTACK came within 15 s.
    LinkStartup { conn: u32 },
    /// auto-partner-down's wait in COMMUNICATIONS-INTERRUPTED is over.
    AutoPartnerDown { generation: u32 },
    /// An orderly shutdown has waited long enough for the peer's PARTNER-DOWN.
    ShutdownExit { generation: u32 },
    /// RECOVER-WAIT has lasted until STOS + MCLT.
    RecoverWaitOver { generation: u32 },
    /// The pool balancing timer.
    Balance { generation: u32 },
}

/// What happens to a packet when its arrival time comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    /// DHCP: delivered.
    Arrive,
    /// DHCP: lost on the way.
    Lost(DropReason),
    /// Failover: delivered if the connection and the link still allow it.
    Link { conn: u32, epoch: u32 },
}

/// Something that will happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Script(ScriptEvent),
    Deliver {
        to: Node,
        packet: Box<Packet>,
        fate: Fate,
    },
    Client {
        client: u16,
        timer: ClientTimer,
        generation: u32,
    },
    Server {
        role: Role,
        timer: ServerTimer,
        life: u32,
    },
    /// The TCP connection `conn` is up; the primary learns it.
    TcpOpen {
        conn: u32,
    },
    /// The peer closed the connection `conn`; `to` learns it.
    TcpClosed {
        to: Role,
        conn: u32,
    },
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

/// The server link: which directions pass, and the TCP stream's tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    /// Whether segments sent by `[primary, secondary]` get through.
    pub open: [bool; 2],
    /// Bumped on every cut of a direction: a segment sent before it meets the cut.
    pub epoch: [u32; 2],
    /// When the last segment sent in each direction arrives (TCP keeps order).
    pub tail: [Time; 2],
    /// The latest TCP connection made (0: none yet).
    pub serial: u32,
    /// Messages that met a cut and wait in TCP, per sending direction.
    held: [Vec<(Node, Packet, u32)>; 2],
}

/// What a node may do while it handles one event.
pub(crate) struct Ctx<'a> {
    pub now: Time,
    pub cfg: &'a Config,
    pub rng: &'a mut Rng,
    /// Addresses a device outside DHCP's control is using (it answers pings).
    pub occupied: &'a mut Vec<Ipv4Addr>,
    link: &'a mut Link,
    next_packet_id: &'a mut u32,
    effects: Vec<Effect>,
    timers: Vec<(Time, Event)>,
}

impl<'a> Ctx<'a> {
    /// A context for unit tests of one node.
    #[cfg(test)]
    pub fn for_test(now: Time, cfg: &'a Config, rng: &'a mut Rng, ids: &'a mut u32) -> Ctx<'a> {
        // Tests that need occupied addresses or a link build a world instead.
        let occupied = Box::leak(Box::new(Vec::new()));
        let link = Box::leak(Box::new(Link::new(true)));
        Ctx {
            now,
            cfg,
            rng,
            occupied,
            link,
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

    /// What `role`'s clock shows, for the header of its failover messages:
    /// [`Ctx::clock`] plus the configured offset, if that server's clock is the
    /// one ahead. (Lease times are kept on the common clock; see the README's
    /// limits.)
    pub fn header_clock(&self, role: Role) -> u64 {
        let offset = self.cfg.clock_offset;
        let ahead = match role {
            Role::Primary => (-offset).max(0),
            Role::Secondary => offset.max(0),
        };
        self.clock() + ahead.unsigned_abs()
    }

    /// Records an effect.
    pub fn effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    /// Schedules an event.
    pub fn timer(&mut self, at: Time, event: Event) {
        self.timers.push((at, event));
    }

    /// Puts a DHCP packet on the LAN and schedules its delivery, deciding
    /// losses by the configured rates.
    pub fn send(&mut self, from: Node, to: Destination, body: Body, why: Why) {
        let Body::Dhcp(_) = body else {
            // Failover messages go through send_failover; nothing else sends them.
            return;
        };
        *self.next_packet_id += 1;
        let receivers: &[Node] = match to {
            Destination::Unicast(ref n) => std::slice::from_ref(n),
            Destination::Broadcast => &[Node::Primary, Node::Secondary],
        };
        // A packet's latency and loss are those of the server end of its path.
        let side = |n: Node| match n {
            Node::Primary => Some(0),
            Node::Secondary => Some(1),
            _ => None,
        };
        let mut latest = self.now;
        // At most two receivers (a broadcast reaches both servers).
        let mut deliveries = [(Node::Operator, self.now, Fate::Arrive); 2];
        for (slot, &r) in deliveries.iter_mut().zip(receivers) {
            let server = side(r).or(side(from));
            let latency = server.map(|s| self.cfg.lan_latency[s]).unwrap_or(Duration(1));
            let loss = server.map(|s| self.cfg.lan_loss[s]).unwrap_or(0);
            let lost = loss > 0 && self.rng.below(100) < u64::from(loss);
            let fate =
                if lost { Fate::Lost(DropReason::Loss { percent: loss }) } else { Fate::Arrive };
            let at = self.now.plus(latency);
            latest = latest.max(at);
            *slot = (r, at, fate);
        }
        let packet = Packet {
            id: *self.next_packet_id,
            from,
            to,
            sent_at: self.now,
            arrives_at: latest,
            body,
        };
        for &(r, at, fate) in &deliveries[..receivers.len()] {
            let mut p = packet.clone();
            p.arrives_at = at;
            self.timers.push((at, Event::Deliver { to: r, packet: Box::new(p), fate }));
        }
        self.effects.push(Effect::Sent { packet: Box::new(packet), why });
    }

    /// Puts a failover message into the TCP connection `conn` from `from` to
    /// its peer. Lost segments (`server_link_loss`) are sent again by TCP
    /// after its retransmission timeout, and nothing overtakes them.
    pub fn send_failover(&mut self, from: Role, msg: FailoverMessage, conn: u32, why: Why) {
        *self.next_packet_id += 1;
        let d = from.index();
        let mut arrives = self.now.plus(self.cfg.link_latency);
        if self.cfg.link_loss > 0 {
            // TCP's retransmission timeout: 200 ms, doubling on every loss.
            let mut rto = 200;
            while self.rng.below(100) < u64::from(self.cfg.link_loss) {
                arrives = arrives.plus(Duration(rto));
                rto = (rto * 2).min(60_000);
            }
        }
        let arrives = arrives.max(self.link.tail[d]);
        self.link.tail[d] = arrives;
        let to = from.peer().node();
        let packet = Packet {
            id: *self.next_packet_id,
            from: from.node(),
            to: Destination::Unicast(to),
            sent_at: self.now,
            arrives_at: arrives,
            body: Body::Failover(msg),
        };
        let fate = Fate::Link { conn, epoch: self.link.epoch[d] };
        let event = Event::Deliver { to, packet: Box::new(packet.clone()), fate };
        self.timers.push((arrives, event));
        self.effects.push(Effect::Sent { packet: Box::new(packet), why });
    }

    /// `from` closes the connection `conn`: the peer's TCP sees it after the
    /// link's latency, if the direction towards it is open.
    pub fn tcp_close(&mut self, from: Role, conn: u32) {
        let d = from.index();
        self.link.held[d].retain(|(_, _, c)| *c != conn);
        if self.link.open[d] {
            let at = self.now.plus(self.cfg.link_latency).max(self.link.tail[d]);
            self.timers.push((at, Event::TcpClosed { to: from.peer(), conn }));
        }
    }
}

impl Link {
    fn new(connected: bool) -> Link {
        Link {
            open: [true, true],
            epoch: [0, 0],
            tail: [Time::ZERO, Time::ZERO],
            serial: u32::from(connected),
            held: [Vec::new(), Vec::new()],
        }
    }
}

/// The nodes a packet may be handed to, borrowed apart from the context.
struct Nodes<'w> {
    servers: &'w mut [Server; 2],
    clients: &'w mut [Client],
    drop_server: &'w mut [bool; 2],
    drop_client: &'w mut [bool],
}

impl Nodes<'_> {
    /// Hands a packet to its receiver. `Err(Some(reason))`: lost, with a step;
    /// `Err(None)`: discarded without a step (a segment of a connection that
    /// no longer exists).
    fn deliver(
        &mut self,
        to: Node,
        packet: &Packet,
        fate: Fate,
        ctx: &mut Ctx,
    ) -> Result<(), Option<DropReason>> {
        match (fate, &packet.body) {
            (Fate::Lost(reason), _) => return Err(Some(reason)),
            (Fate::Link { conn, epoch }, Body::Failover(m)) => {
                let (Node::Primary | Node::Secondary) = to else { return Err(None) };
                let receiver = if to == Node::Primary { Role::Primary } else { Role::Secondary };
                let sender = receiver.peer();
                let d = sender.index();
                let sender_conn = self.servers[d].connection();
                if !self.servers[receiver.index()].running() {
                    return Err(Some(DropReason::ServerDown));
                }
                if !ctx.link.open[d] || ctx.link.epoch[d] != epoch {
                    // TCP keeps it and sends it again when the link heals.
                    if sender_conn == Some(conn) {
                        ctx.link.held[d].push((to, packet.clone(), conn));
                        return Err(Some(DropReason::LinkCutHeld));
                    }
                    return Err(None);
                }
                let server = &mut self.servers[receiver.index()];
                if !server.accepts_segment(conn, m, ctx.link.serial) {
                    return Err(None);
                }
                server.on_failover(m, conn, ctx);
                return Ok(());
            }
            _ => {}
        }
        let Body::Dhcp(m) = &packet.body else { return Err(None) };
        match to {
            Node::Client(i) => {
                let i = usize::from(i);
                if std::mem::take(&mut self.drop_client[i]) {
                    return Err(Some(DropReason::DropNext));
                }
                self.clients[i].on_packet(m, ctx);
            }
            Node::Primary | Node::Secondary => {
                let role = if to == Node::Primary { Role::Primary } else { Role::Secondary };
                let Node::Client(c) = packet.from else { return Err(None) };
                if !self.servers[role.index()].running() {
                    return Err(Some(DropReason::ServerDown));
                }
                if std::mem::take(&mut self.drop_server[role.index()]) {
                    return Err(Some(DropReason::DropNext));
                }
                self.servers[role.index()].on_dhcp(m, c, ctx);
            }
            Node::Operator => return Err(None),
        }
        Ok(())
    }
}

/// Which clients have which address configured, kept up to date from the
/// steps' client effects, so the monitor finds an address's holders without
/// looking at every client.
#[derive(Clone, Debug, Default)]
struct Holders {
    /// Per pool address (by offset), the clients configured with it, in order.
    by_offset: Vec<Vec<usize>>,
    /// Per client, the address it is listed under.
    held: Vec<Option<Ipv4Addr>>,
}

impl Holders {
    fn new(pool: usize, clients: usize) -> Holders {
        Holders { by_offset: vec![Vec::new(); pool], held: vec![None; clients] }
    }

    fn offset(pool: &[Ipv4Addr], address: Ipv4Addr) -> Option<usize> {
        let first = u32::from(*pool.first()?);
        let offset = u32::from(address).checked_sub(first)? as usize;
        (offset < pool.len()).then_some(offset)
    }

    /// Lists client `c` under the address it has now.
    fn update(&mut self, c: usize, client: &Client, pool: &[Ipv4Addr]) {
        let now = client.address.filter(|_| client.state.has_address());
        let before = self.held[c];
        if now == before {
            return;
        }
        if let Some(o) = before.and_then(|a| Self::offset(pool, a)) {
            self.by_offset[o].retain(|&i| i != c);
        }
        if let Some(o) = now.and_then(|a| Self::offset(pool, a)) {
            let list = &mut self.by_offset[o];
            let at = list.partition_point(|&i| i < c);
            list.insert(at, c);
        }
        self.held[c] = now;
    }

    /// The clients configured with `address`, in order (outside the pool: by looking).
    fn of<'h>(
        &'h self,
        address: Ipv4Addr,
        pool: &[Ipv4Addr],
        clients: &[Client],
    ) -> std::borrow::Cow<'h, [usize]> {
        match Self::offset(pool, address) {
            Some(o) => std::borrow::Cow::Borrowed(&self.by_offset[o]),
            None => std::borrow::Cow::Owned(
                (0..clients.len())
                    .filter(|&i| {
                        clients[i].state.has_address() && clients[i].address == Some(address)
                    })
                    .collect(),
            ),
        }
    }
}

/// The reconnect interval after a failed attempt or a lost link (ISC: 5 s).
pub(crate) const RECONNECT: Duration = Duration::from_secs(5);

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
    occupied: Vec<Ipv4Addr>,
    link: Link,
    /// "Drop the next packet" armed for `[primary, secondary]`.
    drop_next_server: [bool; 2],
    /// "Drop the next packet" armed per client.
    drop_next_client: Vec<bool>,
    next_packet_id: u32,
    steps: u32,
    holders: Holders,
}

impl World {
    /// A world at t = 0: both servers in NORMAL and connected, or, for a
    /// fresh start, both starting from empty lease files; the script queued.
    pub fn new(cfg: Arc<Config>) -> World {
        let fresh = cfg.fresh_start;
        let servers = [Role::Primary, Role::Secondary].map(|r| {
            if fresh {
                Server::new_empty(r, &cfg)
            } else {
                Server::new_balanced(r, &cfg)
            }
        });
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
            link: Link::new(!fresh),
            drop_next_server: [false; 2],
            drop_next_client: vec![false; cfg.clients.len()],
            next_packet_id: 0,
            steps: 0,
            holders: Holders::new(cfg.pool.len(), cfg.clients.len()),
        };
        for e in cfg.events.iter() {
            world.schedule(e.at, Event::Script(*e));
        }
        if fresh {
            // Both processes start at t = 0 and go through STARTUP.
            for role in [Role::Primary, Role::Secondary] {
                let event = Event::Script(ScriptEvent {
                    at: Time::ZERO,
                    client: None,
                    action: Action::StartEmpty(role),
                });
                world.schedule(Time::ZERO, event);
            }
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

    /// Whether failover messages from `from` currently get through the link.
    pub fn link_open(&self, from: Role) -> bool {
        self.link.open[from.index()]
    }

    /// Addresses in use by devices outside DHCP's control (found by a DHCPDECLINE).
    pub fn occupied(&self) -> &[Ipv4Addr] {
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
        // A connection attempt that finds nobody (or a cut) is silent.
        if let Event::Server { role, timer: ServerTimer::Reconnect { generation }, life } = event {
            self.try_connect(role, life, generation);
            return None;
        }
        let cfg = self.cfg.clone();
        let mut ctx = Ctx {
            now: self.now,
            cfg: &cfg,
            rng: &mut self.rng,
            occupied: &mut self.occupied,
            link: &mut self.link,
            next_packet_id: &mut self.next_packet_id,
            // Most steps have a few effects and timers: one allocation each.
            effects: Vec::with_capacity(4),
            timers: Vec::with_capacity(2),
        };
        let (node, cause) = match event {
            Event::Script(e) => {
                let node = match (e.client, e.action.server()) {
                    (Some(c), _) => Node::Client(c as u16),
                    (None, Some(role)) if !matches!(e.action, Action::DropNext(_)) => role.node(),
                    _ => Node::Operator,
                };
                match (e.action, e.client) {
                    (Action::DropNext(None), Some(c)) => {
                        self.drop_next_client[c] = true;
                        ctx.effect(Effect::Note { why: Why::DropNextArmed });
                    }
                    (Action::DropNext(Some(role)), _) => {
                        self.drop_next_server[role.index()] = true;
                        ctx.effect(Effect::Note { why: Why::DropNextArmed });
                    }
                    (Action::CutLink(cut), _) => Self::cut(&mut self.servers, cut, &mut ctx),
                    (Action::HealLink, _) => Self::heal(&mut self.servers, &mut ctx),
                    (_, Some(c)) => self.clients[c].on_script(e.action, &mut ctx),
                    (action, None) => {
                        if let Some(role) = action.server() {
                            self.servers[role.index()].on_operator(action, &mut ctx);
                        }
                    }
                }
                (node, Cause::Script(e.action))
            }
            Event::Deliver { to, packet, fate } => {
                let mut nodes = Nodes {
                    servers: &mut self.servers,
                    clients: &mut self.clients,
                    drop_server: &mut self.drop_next_server,
                    drop_client: &mut self.drop_next_client,
                };
                match nodes.deliver(to, &packet, fate, &mut ctx) {
                    Ok(()) => (to, Cause::Received(*packet)),
                    Err(None) => return None,
                    Err(Some(reason)) => {
                        ctx.effect(Effect::Note { why: Why::Dropped { reason } });
                        (to, Cause::Dropped(*packet, reason))
                    }
                }
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
            Event::Server { role, timer, life } => {
                let server = &mut self.servers[role.index()];
                if life != server.life() {
                    return None;
                }
                let t = server.timer_kind(&timer);
                if !server.on_timer(&timer, &mut ctx) {
                    return None;
                }
                (role.node(), Cause::Timer(t))
            }
            Event::TcpOpen { conn } => {
                let both_up = self.servers.iter().all(|s| s.running());
                if conn != ctx.link.serial || !both_up || !ctx.link.open.iter().all(|o| *o) {
                    return None;
                }
                self.servers[0].on_tcp_open(conn, &mut ctx);
                (Node::Primary, Cause::Timer(Timer::TcpOpen))
            }
            Event::TcpClosed { to, conn } => {
                if !self.servers[to.index()].on_tcp_closed(conn, &mut ctx) {
                    return None;
                }
                (to.node(), Cause::Timer(Timer::TcpClosed))
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

    /// A server's reconnect timer: open a TCP connection if both processes
    /// run, the link passes both ways and no connection exists; otherwise try
    /// again later (the primary keeps trying; the secondary tries once at
    /// start, as the primary will reach it).
    fn try_connect(&mut self, role: Role, life: u32, generation: u32) {
        let server = &self.servers[role.index()];
        let current = server.reconnect_generation();
        if life != server.life() || !server.running() || generation != current {
            return;
        }
        let peer = &self.servers[role.peer().index()];
        let idle = server.connection().is_none() && peer.connection().is_none();
        let reachable = peer.running() && self.link.open.iter().all(|o| *o);
        if idle && reachable {
            self.link.serial += 1;
            let conn = self.link.serial;
            // SYN, SYN-ACK, ACK: the primary can talk after the round trip.
            let at = self.now.plus(Duration(self.cfg.link_latency.0 * 2));
            self.schedule(at, Event::TcpOpen { conn });
        } else if role == Role::Primary && server.connection().is_none() {
            let at = self.now.plus(RECONNECT);
            let timer = ServerTimer::Reconnect { generation };
            self.schedule(at, Event::Server { role, timer, life });
        }
    }

    /// The operator cuts the link: later segments in the cut direction(s) wait
    /// in TCP; a server that no longer hears its peer arms its watchdog.
    fn cut(servers: &mut [Server; 2], cut: LinkCut, ctx: &mut Ctx) {
        let dirs: &[Role] = match cut {
            LinkCut::Both => &[Role::Primary, Role::Secondary],
            LinkCut::ToPrimary => &[Role::Secondary],
            LinkCut::ToSecondary => &[Role::Primary],
        };
        for &from in dirs {
            let d = from.index();
            if !ctx.link.open[d] {
                continue;
            }
            ctx.link.open[d] = false;
            ctx.link.epoch[d] += 1;
            let last_sent = servers[d].last_sent();
            servers[from.peer().index()].peer_went_quiet(last_sent, ctx);
        }
        ctx.effect(Effect::Note { why: Why::LinkCut { cut } });
    }

    /// The operator repairs the link: TCP sends what waited, and the
    /// watchdogs of connections that survived are called off.
    fn heal(servers: &mut [Server; 2], ctx: &mut Ctx) {
        ctx.effect(Effect::Note { why: Why::LinkHealed });
        for from in [Role::Primary, Role::Secondary] {
            let d = from.index();
            if ctx.link.open[d] {
                continue;
            }
            ctx.link.open[d] = true;
            servers[from.peer().index()].peer_heard_again();
            for (to, packet, conn) in std::mem::take(&mut ctx.link.held[d]) {
                if servers[d].connection() != Some(conn) {
                    continue;
                }
                let Body::Failover(m) = packet.body else { continue };
                let _ = to;
                ctx.send_failover(from, m, conn, Why::TcpRetransmit);
            }
        }
        // The primary tries at once rather than at its next 5-second attempt.
        let p = &mut servers[0];
        if p.running() && p.connection().is_none() {
            p.arm_reconnect(ctx, ctx.now);
        }
    }

    /// The safety monitor: checks the addresses this step touched and records
    /// every violation in the step.
    fn monitor(&mut self, effects: &mut Vec<Effect>) {
        let mut touched: Vec<Ipv4Addr> = Vec::new();
        let mut granted: Vec<(Role, Ipv4Addr)> = Vec::new();
        for e in effects.iter() {
            match e {
                Effect::Lease { server, address, why, .. } => {
                    touched.push(*address);
                    if matches!(why, Why::Ack { .. }) {
                        granted.push((*server, *address));
                    }
                }
                Effect::Client { client, .. } => {
                    let c = usize::from(*client);
                    touched.extend(self.holders.held[c]);
                    self.holders.update(c, &self.clients[c], &self.cfg.pool);
                    touched.extend(self.holders.held[c]);
                }
                _ => {}
            }
        }
        if touched.is_empty() {
            return;
        }
        touched.sort_unstable();
        touched.dedup();
        let mut found: Vec<crate::invariant::Violation> = Vec::new();
        for &address in &touched {
            let holders = self.holders.of(address, &self.cfg.pool, &self.clients);
            if !holders.is_empty() {
                found.extend(crate::invariant::check_holders_of(self, address, &holders));
            }
        }
        for &(role, address) in &granted {
            found.extend(crate::invariant::check_grant(self, role, address));
        }
        for v in found {
            let why = Why::SafetyViolation { address: v.address, message: v.message };
            effects.push(Effect::Note { why });
        }
    }
}
