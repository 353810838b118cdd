//! One ISC-style DHCP failover server: allocation, replies, and binding updates.
//!
//! Follows the reference notes: address choice and the two-minute offer hold
//! (§8.1, §8.2), the ping check before an OFFER (§8.3), lease-time choice and
//! the MCLT cap (§5.1, §8.5), DHCPREQUEST handling (§8.7), DHCPRELEASE (§2),
//! load balancing of DISCOVER (§6.5), BNDUPD/BNDACK processing with the
//! strict NORMAL check and dueling updates (§1.4), ack batching (§4.6), MAC
//! affinity (§2.5), and expiry driven by the primary (§1.3 L5).
//!
//! Input: a DHCP or failover message, or one of the server's timers, with the
//! world's [`Ctx`]. Output: effects, packets and timers pushed on the context.
//!
//! DHCPDECLINE abandons the address for `abandon-lease-time` (a day), after
//! which it returns to FREE on either server; the primary reclaims abandoned
//! addresses as a last resort (§1.3 L3, L7, L8, §8.4). DHCPINFORM is answered
//! with a DHCPACK that carries no lease.
//!
//! The ping check finds an address in use when a client has declined it (the
//! device it saw keeps the address): the echo is answered, the lease is
//! abandoned and no OFFER goes out (§8.3).
//!
//! Not modelled yet: failover states other than NORMAL, the connection and
//! its keep-alives, pool rebalancing (POOLREQ, the balance timer), BOOTP,
//! `dhcp-cache-threshold` values other than the 25 % default.

use std::collections::VecDeque;
use std::net::Ipv4Addr;

use crate::addr::Mac;
use crate::balance::bucket;
use crate::failover::{self, FailoverState};
use crate::lease::{BindingState, Lease};
use crate::packet::{
    BindingAck, BindingUpdate, Body, Destination, DhcpMessage, DhcpType, FailoverMessage, Node,
    Role,
};
use crate::scenario::{Config, PingTimer};
use crate::sim::{Ctx, Event, ServerTimer};
use crate::time::Duration;
use crate::trace::{AckFlushReason, Effect, Why};

/// How long an OFFER holds an address (dhcpd: `ends` = now + 120 s).
const OFFER_HOLD_SECS: u64 = 120;
/// dhcpd flushes queued BNDACKs this long after the last one was queued.
const ACK_BATCH_DELAY: Duration = Duration::from_secs(2);
/// `abandon-lease-time` default: how long an abandoned address stays out of use.
const ABANDON_LEASE_TIME: u64 = 86_400;
/// `max-lease-ownership` default, percent.
const MAX_LEASE_OWNERSHIP: u64 = 10;

/// One failover server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// Primary or secondary.
    pub role: Role,
    /// Its address: listen address and server identifier.
    pub address: Ipv4Addr,
    /// Failover state.
    pub state: FailoverState,
    /// Every lease of the pool, in address order.
    pub leases: Vec<Lease>,
    update_queue: VecDeque<usize>,
    outstanding: u32,
    ack_queue: Vec<QueuedAck>,
    ack_generation: u32,
    next_xid: u32,
    next_rank: u64,
}

/// A BNDACK waiting in the ack queue: xid, address, and the refusal if any.
type QueuedAck = (u32, Ipv4Addr, Option<(u8, String)>);

/// How a DISCOVER fared in load balancing.
enum Balance {
    Mine(Why),
    Peer(Why),
}

impl Server {
    /// A server in NORMAL whose pool is split as ISC's first balancing run leaves it:
    /// the lower half BACKUP, the upper half FREE, on both servers.
    pub fn new_balanced(role: Role, cfg: &Config) -> Server {
        let n = cfg.pool.len();
        // One balancing run of never-used leases gives away exactly trunc((f - b) / 2).
        let backups = n / 2;
        let leases = cfg
            .pool
            .iter()
            .enumerate()
            .map(|(i, &address)| {
                let state = if i < backups { BindingState::Backup } else { BindingState::Free };
                let mut lease = Lease::virgin(address, state);
                // The balancing run gave the BACKUP leases away at the start (second 1
                // of the servers' clock): the primary sent and had acked the update,
                // the secondary only received it.
                if state == BindingState::Backup {
                    lease.starts = 1;
                    lease.tsfp = 1;
                    lease.atsfp = 1;
                    lease.tstp = if role == Role::Primary { 1 } else { 0 };
                }
                // Equal `ends` ties go to the most recently queued lease. The primary's
                // range was queued highest address first, so its lowest FREE address
                // leads; the secondary received the BACKUP updates in ascending order,
                // so its highest BACKUP address leads.
                lease.queue_rank = match (role, state) {
                    (Role::Secondary, BindingState::Backup) => i as u64 + 1,
                    _ => (n - i) as u64,
                };
                lease
            })
            .collect();
        Server {
            role,
            address: match role {
                Role::Primary => cfg.primary_address,
                Role::Secondary => cfg.secondary_address,
            },
            state: FailoverState::Normal,
            leases,
            update_queue: VecDeque::new(),
            outstanding: 0,
            ack_queue: Vec::new(),
            ack_generation: 0,
            next_xid: 0,
            next_rank: n as u64 + 1,
        }
    }

    /// The lease of `address`, if it is in the pool.
    pub fn lease(&self, address: Ipv4Addr) -> Option<&Lease> {
        self.index_of(address).map(|i| &self.leases[i])
    }

    /// How many leases are in `state`.
    pub fn count(&self, state: BindingState) -> usize {
        self.leases.iter().filter(|l| l.binding == state).count()
    }

    /// BNDUPDs sent and not yet acknowledged.
    pub fn outstanding_updates(&self) -> u32 {
        self.outstanding
    }

    /// BNDACKs waiting in the ack queue.
    pub fn queued_acks(&self) -> usize {
        self.ack_queue.len()
    }

    fn index_of(&self, address: Ipv4Addr) -> Option<usize> {
        let first = u32::from(self.leases.first()?.address);
        let offset = u32::from(address).checked_sub(first)? as usize;
        (offset < self.leases.len()).then_some(offset)
    }

    fn node(&self) -> Node {
        self.role.node()
    }

    // ----- DHCP -----

    /// A DHCP message from client `client` arrived.
    pub(crate) fn on_dhcp(&mut self, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        match msg.message_type {
            DhcpType::Discover => self.discover(msg, client, ctx),
            DhcpType::Request => self.request(msg, client, ctx),
            DhcpType::Release => self.release(msg, ctx),
            DhcpType::Decline => self.decline(msg, ctx),
            DhcpType::Inform => self.inform(msg, client, ctx),
            _ => ctx.effect(Effect::Note { why: Why::NotForServers }),
        }
    }

    fn load_balance(&self, msg: &DhcpMessage, ctx: &Ctx) -> Balance {
        let cfg = ctx.cfg;
        // dhcpd 4.4: a limit of 0 turns load balancing off.
        if cfg.load_balance_max_seconds == 0 {
            return Balance::Mine(Why::BalancingOff);
        }
        // A client that has waited longer than the limit is answered by both (RFC 3074 §4).
        if u64::from(msg.secs) > cfg.load_balance_max_seconds {
            return Balance::Mine(Why::SecsOverride {
                secs: msg.secs,
                max: cfg.load_balance_max_seconds,
            });
        }
        let by_client_id = msg.client_id.is_some();
        let key: &[u8] = msg.client_id.as_deref().unwrap_or(&msg.chaddr.0);
        let b = bucket(key);
        let primary = cfg.hba.primary_serves(b);
        let mine = primary == (self.role == Role::Primary);
        let split = cfg.split;
        if mine {
            return Balance::Mine(Why::BalancedHere { bucket: b, split, by_client_id });
        }
        // The peer's bucket, but the peer owns no free leases: answer anyway.
        if self.count(self.role.peer().own_free_state()) == 0 {
            return Balance::Mine(Why::PeerPoolEmpty { bucket: b });
        }
        Balance::Peer(Why::BalancedToPeer { bucket: b, split, by_client_id })
    }

    fn same_client(lease: &Lease, msg: &DhcpMessage) -> bool {
        match (&lease.uid, &msg.client_id) {
            (Some(a), Some(b)) => a == b,
            _ => lease.hardware == Some(msg.chaddr),
        }
    }

    fn discover(&mut self, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        match self.load_balance(msg, ctx) {
            Balance::Peer(why) => return ctx.effect(Effect::Note { why }),
            Balance::Mine(why) => ctx.effect(Effect::Note { why }),
        }
        let now = ctx.clock();
        let found = self.existing_binding(msg, now).or_else(|| self.pick_free(now));
        let Some(idx) = found.or_else(|| self.reclaim_abandoned(ctx)) else {
            let peer_has = self.count(self.role.peer().own_free_state());
            return ctx.effect(Effect::Note { why: Why::NoFreeLease { peer_has } });
        };
        if self.leases[idx].binding == BindingState::Active {
            let address = self.leases[idx].address;
            ctx.effect(Effect::Note { why: Why::OfferExisting { address } });
            return self.offer(idx, msg, client, false, ctx);
        }
        self.hold_for_offer(idx, msg, now);
        self.ping_then_offer(idx, msg, client, ctx);
    }

    /// The client's existing binding (reference §8.1): its ACTIVE lease, or the
    /// free lease still held for an offer to it.
    fn existing_binding(&self, msg: &DhcpMessage, now: u64) -> Option<usize> {
        let own = self.role.own_free_state();
        let mine = |l: &Lease| Self::same_client(l, msg);
        self.leases.iter().position(|l| mine(l) && l.binding == BindingState::Active).or_else(
            || self.leases.iter().position(|l| mine(l) && l.binding == own && l.ends > now),
        )
    }

    /// The ping check before an OFFER (reference §8.3), or the offer at once.
    fn ping_then_offer(&mut self, idx: usize, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        if !ctx.cfg.ping_check {
            return self.offer(idx, msg, client, false, ctx);
        }
        let wait = match ctx.cfg.ping_timer {
            PingTimer::Timeout => ctx.cfg.ping_timeout,
            // The old timer fired on the next whole-second edge: never zero, at most 1 s.
            PingTimer::SecondEdge => Duration(1000 - ctx.now.millis() % 1000),
        };
        let address = self.leases[idx].address;
        ctx.effect(Effect::Note {
            why: Why::PingFirst { address, wait, timer: ctx.cfg.ping_timer },
        });
        let timer = ServerTimer::PingDone { lease: idx, client, discover: Box::new(msg.clone()) };
        ctx.timer(ctx.now.plus(wait), Event::Server { role: self.role, timer });
    }

    /// The head of this server's free list: oldest `ends`, ties to the latest queued.
    fn pick_free(&self, now: u64) -> Option<usize> {
        let own = self.role.own_free_state();
        let best = self
            .leases
            .iter()
            .enumerate()
            .filter(|(_, l)| l.binding == own)
            .min_by_key(|(_, l)| (l.ends, std::cmp::Reverse(l.queue_rank)))?;
        // A head still held for an earlier offer means the pool counts as empty.
        (best.1.ends <= now).then_some(best.0)
    }

    /// The last resort when the free list is empty: the oldest ABANDONED lease,
    /// which only the primary may take back in NORMAL (reference §1.2, §8.1).
    fn reclaim_abandoned(&self, ctx: &mut Ctx) -> Option<usize> {
        if self.role != Role::Primary {
            return None;
        }
        let (idx, lease) = self
            .leases
            .iter()
            .enumerate()
            .filter(|(_, l)| l.binding == BindingState::Abandoned)
            .min_by_key(|(_, l)| (l.ends, std::cmp::Reverse(l.queue_rank)))?;
        ctx.effect(Effect::Note { why: Why::ReclaimAbandoned { address: lease.address } });
        Some(idx)
    }

    fn hold_for_offer(&mut self, idx: usize, msg: &DhcpMessage, now: u64) {
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        lease.ends = lease.ends.max(now + OFFER_HOLD_SECS);
        lease.hardware = Some(msg.chaddr);
        lease.uid = msg.client_id.clone();
        lease.queue_rank = rank;
    }

    fn bump_rank(&mut self) -> u64 {
        self.next_rank += 1;
        self.next_rank
    }

    fn desired_lease_time(cfg: &Config) -> u64 {
        // default → capped at max → raised to min (reference §8.5).
        cfg.default_lease_time.min(cfg.max_lease_time).max(cfg.min_lease_time)
    }

    fn offer(&mut self, idx: usize, msg: &DhcpMessage, client: u16, pinged: bool, ctx: &mut Ctx) {
        let now = ctx.clock();
        let lease = &self.leases[idx];
        let desired = Self::desired_lease_time(ctx.cfg);
        let (granted, rule) = failover::granted_lease_time(desired, ctx.cfg.mclt, lease.tsfp, now);
        let mut reply = DhcpMessage::reply(DhcpType::Offer, msg, self.address);
        reply.yiaddr = lease.address;
        reply.lease_time = Some(u32::try_from(granted).unwrap_or(u32::MAX));
        let why = Why::Offer { address: lease.address, rule, reused: pinged };
        ctx.send(self.node(), Destination::Unicast(Node::Client(client)), Body::Dhcp(reply), why);
    }

    /// The ping check found nobody at the address: offer it.
    fn ping_done(&mut self, idx: usize, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        let lease = &self.leases[idx];
        // Still held for this client: its own free lease, or the abandoned one the
        // primary is reclaiming.
        let offerable = lease.binding == self.role.own_free_state()
            || (lease.binding == BindingState::Abandoned && self.role == Role::Primary);
        let still_ours = offerable && Self::same_client(lease, msg);
        if !still_ours {
            let peer_has = self.count(self.role.peer().own_free_state());
            return ctx.effect(Effect::Note { why: Why::NoFreeLease { peer_has } });
        }
        // Someone answered the echo: the address is in use; abandon it, offer nothing.
        let address = lease.address;
        if ctx.occupied.contains(&address) {
            return self.abandon(idx, Why::PingAnswered { address }, ctx);
        }
        self.offer(idx, msg, client, true, ctx);
    }

    fn request(&mut self, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        let address =
            if msg.ciaddr.is_unspecified() { msg.requested_address } else { Some(msg.ciaddr) };
        let Some(address) = address else {
            let why = Why::UnknownAddress { address: Ipv4Addr::UNSPECIFIED };
            return ctx.effect(Effect::Note { why });
        };
        let Some(idx) = self.index_of(address) else {
            return ctx.effect(Effect::Note { why: Why::UnknownAddress { address } });
        };
        let lease = &self.leases[idx];
        let same = Self::same_client(lease, msg);
        let own = self.role.own_free_state();
        use BindingState::*;
        match lease.binding {
            Active if same => self.ack(idx, msg, client, ctx),
            // A reclaimed abandoned lease goes to the client it was offered to; an
            // abandoned lease is the primary's to reclaim, so the secondary keeps quiet.
            Abandoned if same && self.role == Role::Primary => self.ack(idx, msg, client, ctx),
            Abandoned if self.role == Role::Secondary => {
                ctx.effect(Effect::Note { why: Why::AbandonedNotMine { address } })
            }
            Active | Abandoned => self.nak(address, msg, client, ctx),
            s if s == own => self.ack(idx, msg, client, ctx),
            Free | Backup => {
                ctx.effect(Effect::Note { why: Why::OwnedByPeer { address, state: lease.binding } })
            }
            Expired | Released | Reset => {
                // Only the client the peer still believes bound, or a lease the peer
                // never heard about, may be handed out while the peer has not agreed.
                if (lease.rewind == Active && same) || lease.rewind == own {
                    self.ack(idx, msg, client, ctx)
                } else {
                    let why = Why::InTransition { address, state: lease.binding };
                    ctx.effect(Effect::Note { why })
                }
            }
        }
    }

    fn nak(&mut self, address: Ipv4Addr, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        let reply = DhcpMessage::reply(DhcpType::Nak, msg, self.address);
        let why = Why::NakOtherClient { address };
        ctx.send(self.node(), Destination::Unicast(Node::Client(client)), Body::Dhcp(reply), why);
    }

    fn ack(&mut self, idx: usize, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        let now = ctx.clock();
        let lease = &self.leases[idx];
        let renewal = lease.binding == BindingState::Active;
        let length = lease.ends.saturating_sub(lease.starts);
        // dhcp-cache-threshold: within the first 25 % the unchanged lease is returned.
        if renewal && lease.ends > now && now.saturating_sub(lease.starts) * 4 < length {
            let remaining = lease.ends - now;
            let why = Why::CacheThreshold { remaining };
            return self.send_ack(lease.address, remaining, msg, client, why, ctx);
        }
        let desired = Self::desired_lease_time(ctx.cfg);
        let (granted, rule) = failover::granted_lease_time(desired, ctx.cfg.mclt, lease.tsfp, now);
        let tstp = failover::potential_expiration(now, desired, granted);
        let lease = &mut self.leases[idx];
        let from = lease.binding;
        bind_to(lease, msg, now, granted, tstp);
        let (address, ends) = (lease.address, lease.ends);
        let why = Why::Ack { address, rule, tstp, renewal };
        let to = BindingState::Active;
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why: why.clone() });

        // dhcpd sends the BNDUPD before the DHCPACK leaves.
        self.queue_update(idx);
        self.send_updates(ctx);
        self.send_ack(address, granted, msg, client, why, ctx);
        self.arm_lease_end(idx, ends, ctx);
    }

    fn send_ack(
        &self,
        yiaddr: Ipv4Addr,
        secs: u64,
        msg: &DhcpMessage,
        client: u16,
        why: Why,
        ctx: &mut Ctx,
    ) {
        let mut reply = DhcpMessage::reply(DhcpType::Ack, msg, self.address);
        reply.yiaddr = yiaddr;
        reply.lease_time = Some(u32::try_from(secs).unwrap_or(u32::MAX));
        let to = Destination::Unicast(Node::Client(client));
        ctx.send(self.node(), to, Body::Dhcp(reply), why);
    }

    fn arm_lease_end(&self, idx: usize, ends: u64, ctx: &mut Ctx) {
        let timer = ServerTimer::LeaseEnd { lease: idx, ends };
        ctx.timer(crate::time::Time::from_secs(ends), Event::Server { role: self.role, timer });
    }

    fn release(&mut self, msg: &DhcpMessage, ctx: &mut Ctx) {
        let now = ctx.clock();
        let Some(idx) = self.index_of(msg.ciaddr) else {
            let why = Why::ReleaseIgnored { reason: "the address is not in this server's pool" };
            return ctx.effect(Effect::Note { why });
        };
        let lease = &self.leases[idx];
        let reason = if lease.hardware != Some(msg.chaddr) {
            Some("the hardware address does not match the lease's (dhcpd logs \"not found\")")
        } else if lease.binding != BindingState::Active {
            Some("the lease is not active")
        } else if lease.ends <= now {
            Some("the lease has already ended")
        } else {
            None
        };
        if let Some(reason) = reason {
            return ctx.effect(Effect::Note { why: Why::ReleaseIgnored { reason } });
        }
        let lease = &mut self.leases[idx];
        lease.binding = BindingState::Released;
        lease.next = BindingState::Free;
        lease.ends = now;
        lease.tstp = now;
        lease.atsfp = 0;
        let address = lease.address;
        let why = Why::Released;
        ctx.effect(Effect::Lease {
            server: self.role,
            address,
            from: BindingState::Active,
            to: BindingState::Released,
            why,
        });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    /// DHCPDECLINE: the client found the address in use (reference §8.4). Any
    /// client may decline any address; the lease is abandoned for a day.
    fn decline(&mut self, msg: &DhcpMessage, ctx: &mut Ctx) {
        let Some(address) = msg.requested_address else {
            let why = Why::DeclineIgnored { reason: "it names no address (option 50)" };
            return ctx.effect(Effect::Note { why });
        };
        let Some(idx) = self.index_of(address) else {
            let why = Why::DeclineIgnored { reason: "the address is not in this server's pool" };
            return ctx.effect(Effect::Note { why });
        };
        self.abandon(idx, Why::Declined { address }, ctx);
    }

    fn abandon(&mut self, idx: usize, why: Why, ctx: &mut Ctx) {
        let now = ctx.clock();
        let lease = &mut self.leases[idx];
        let from = lease.binding;
        lease.binding = BindingState::Abandoned;
        lease.next = BindingState::Free;
        lease.ends = now + ABANDON_LEASE_TIME;
        lease.tstp = lease.ends;
        lease.atsfp = 0;
        // dhcpd wipes the client's identity from an abandoned lease.
        lease.hardware = None;
        lease.uid = None;
        let (address, ends) = (lease.address, lease.ends);
        let to = BindingState::Abandoned;
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why });
        self.queue_update(idx);
        self.send_updates(ctx);
        self.arm_lease_end(idx, ends, ctx);
    }

    /// DHCPINFORM: configuration for a client that already has an address; a
    /// DHCPACK with no lease, which changes no binding (RFC 2131 §4.3.5).
    fn inform(&mut self, msg: &DhcpMessage, client: u16, ctx: &mut Ctx) {
        let mut reply = DhcpMessage::reply(DhcpType::Ack, msg, self.address);
        reply.ciaddr = msg.ciaddr;
        let to = Destination::Unicast(Node::Client(client));
        ctx.send(self.node(), to, Body::Dhcp(reply), Why::Informed);
    }

    // ----- failover -----

    /// A failover message from the peer arrived.
    pub(crate) fn on_failover(&mut self, msg: &FailoverMessage, ctx: &mut Ctx) {
        match msg {
            FailoverMessage::BndUpd(u) => self.bind_update(u, ctx),
            FailoverMessage::BndAck(a) => self.bind_ack(a, ctx),
        }
    }

    fn bind_update(&mut self, u: &BindingUpdate, ctx: &mut Ctx) {
        match self.screen_update(u, ctx.clock()) {
            Ok(idx) => self.install_update(idx, u, ctx),
            Err((reason, text)) => self.reject(u, reason, text, ctx),
        }
    }

    /// The acceptance checks of reference §1.4 (NORMAL): the lease's index, or
    /// the reject reason and text.
    fn screen_update(&mut self, u: &BindingUpdate, now: u64) -> Result<usize, (u8, String)> {
        let Some(idx) = self.index_of(u.address) else {
            let text = format!("{}: not in a pool of this relationship", u.address);
            return Err((failover::REJECT_ILLEGAL_ADDRESS, text));
        };
        let lease = &self.leases[idx];
        // Dueling updates: our own unacknowledged update may be the better one.
        if lease.pending_xid.is_some() {
            if !failover::incoming_wins(self.role, lease, u.status, u.cltt) {
                let text = "incoming update is less critical than outgoing update".to_string();
                return Err((failover::REJECT_LESS_CRITICAL, text));
            }
            self.leases[idx].pending_xid = None;
        }
        // ACTIVE, EXPIRED and RELEASED need the client's hardware address.
        let needs_identity = matches!(
            u.status,
            BindingState::Active | BindingState::Expired | BindingState::Released
        );
        if needs_identity && u.hardware.is_none() {
            let text = format!("{}: no client hardware address", u.address);
            return Err((failover::REJECT_MISSING_BINDING_INFO, text));
        }
        let lease = &self.leases[idx];
        failover::check_transition_normal(self.role, lease, u.status, u.potential_expiration, now)
            .map_err(|text| (failover::REJECT_FATAL_CONFLICT, text))?;
        Ok(idx)
    }

    /// Installs an accepted update, queues its ack, and applies MAC affinity.
    fn install_update(&mut self, idx: usize, u: &BindingUpdate, ctx: &mut Ctx) {
        // A receiver never keeps EXPIRED, RELEASED or RESET: it installs FREE at once.
        let installed = if u.status.is_transitional() { BindingState::Free } else { u.status };
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        let from = lease.binding;
        copy_update(lease, u, installed);
        if matches!(installed, BindingState::Free | BindingState::Backup) {
            lease.queue_rank = rank;
        }
        let (address, ends) = (lease.address, lease.ends);
        let why = Why::UpdateAccepted { status: u.status, installed };
        ctx.effect(Effect::Lease { server: self.role, address, from, to: installed, why });
        if matches!(installed, BindingState::Active | BindingState::Abandoned) {
            self.arm_lease_end(idx, ends, ctx);
        }
        self.queue_ack(u.xid, u.address, None, ctx);
        if self.role == Role::Primary && u.status.is_transitional() {
            self.try_affinity(idx, ctx);
        }
    }

    fn reject(&mut self, u: &BindingUpdate, reason: u8, text: String, ctx: &mut Ctx) {
        ctx.effect(Effect::Note { why: Why::UpdateRejected { reason, text: text.clone() } });
        self.queue_ack(u.xid, u.address, Some((reason, text)), ctx);
    }

    fn queue_ack(
        &mut self,
        xid: u32,
        address: Ipv4Addr,
        reject: Option<(u8, String)>,
        ctx: &mut Ctx,
    ) {
        self.ack_queue.push((xid, address, reject));
        let half_window = (ctx.cfg.max_unacked_updates / 2).max(1) as usize;
        if self.ack_queue.len() >= half_window {
            return self.flush_acks(AckFlushReason::HalfWindow, ctx);
        }
        // Every queued ack restarts the 2-second flush timer.
        self.ack_generation += 1;
        let flush_at = ctx.now.plus(ACK_BATCH_DELAY);
        let timer = ServerTimer::AckFlush { generation: self.ack_generation };
        ctx.timer(flush_at, Event::Server { role: self.role, timer });
        ctx.effect(Effect::Note {
            why: Why::AckQueued { pending: self.ack_queue.len(), flush_at },
        });
    }

    fn flush_acks(&mut self, because: AckFlushReason, ctx: &mut Ctx) {
        if self.ack_queue.is_empty() {
            return;
        }
        self.ack_generation += 1;
        let count = self.ack_queue.len();
        let why = Why::AckFlush { count, because };
        let time = ctx.clock();
        for (xid, address, reject) in std::mem::take(&mut self.ack_queue) {
            let (reject_reason, message) = match reject {
                Some((r, t)) => (Some(r), Some(t)),
                None => (None, None),
            };
            let ack = BindingAck { xid, time, address, reject_reason, message };
            let body = Body::Failover(FailoverMessage::BndAck(ack));
            ctx.send(self.node(), Destination::Unicast(self.role.peer().node()), body, why.clone());
        }
    }

    fn bind_ack(&mut self, a: &BindingAck, ctx: &mut Ctx) {
        self.outstanding = self.outstanding.saturating_sub(1);
        let idx = match self.index_of(a.address) {
            Some(i) if self.leases[i].pending_xid == Some(a.xid) => i,
            _ => {
                ctx.effect(Effect::Note { why: Why::StaleAck { xid: a.xid } });
                return self.send_updates(ctx);
            }
        };
        self.leases[idx].pending_xid = None;
        if let Some(reason) = a.reject_reason {
            let text = a.message.clone().unwrap_or_default();
            ctx.effect(Effect::Note { why: Why::AckRejected { reason, text } });
            return self.send_updates(ctx);
        }
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        // ISC takes its own tstp as what the peer acknowledged (reference §4.9).
        lease.tsfp = lease.tstp;
        lease.atsfp = lease.tstp;
        let address = lease.address;
        let was = lease.binding;
        if was.is_transitional() {
            lease.binding = BindingState::Free;
            lease.next = BindingState::Free;
            lease.rewind = BindingState::Free;
            lease.tstp = lease.ends;
            lease.queue_rank = rank;
            let why = Why::AckedToFree { was };
            ctx.effect(Effect::Lease {
                server: self.role,
                address,
                from: was,
                to: BindingState::Free,
                why,
            });
            if self.role == Role::Primary {
                self.try_affinity(idx, ctx);
            }
        } else {
            let why = Why::AckedTsfp { tsfp: lease.tsfp };
            ctx.effect(Effect::Lease { server: self.role, address, from: was, to: was, why });
        }
        self.send_updates(ctx);
    }

    /// MAC affinity (reference §2.5): a freed lease whose last client hashes to the
    /// secondary goes to the secondary's pool, unless the secondary already holds
    /// more than its share.
    fn try_affinity(&mut self, idx: usize, ctx: &mut Ctx) {
        let lease = &self.leases[idx];
        if lease.binding != BindingState::Free {
            return;
        }
        let Some(key) = lease.hash_key() else { return };
        let b = bucket(&key);
        if ctx.cfg.hba.primary_serves(b) {
            return;
        }
        let free = self.count(BindingState::Free) as i64;
        let backup = self.count(BindingState::Backup) as i64;
        let hold = (((free + backup) as u64 * MAX_LEASE_OWNERSHIP + 50) / 100) as i64;
        // secondary_not_hoarding: leases-to-send must stay above -hold.
        if (free - backup) / 2 <= -hold {
            return;
        }
        let now = ctx.clock();
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        lease.binding = BindingState::Backup;
        lease.next = BindingState::Backup;
        lease.tstp = now;
        lease.starts = now;
        lease.atsfp = 0;
        lease.queue_rank = rank;
        let address = lease.address;
        let why = Why::Affinity { bucket: b, split: ctx.cfg.split };
        ctx.effect(Effect::Lease {
            server: self.role,
            address,
            from: BindingState::Free,
            to: BindingState::Backup,
            why,
        });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    fn queue_update(&mut self, idx: usize) {
        if !self.update_queue.contains(&idx) {
            self.update_queue.push_back(idx);
        }
    }

    /// Sends queued BNDUPDs while the peer's window has room, acks first.
    fn send_updates(&mut self, ctx: &mut Ctx) {
        let window = ctx.cfg.max_unacked_updates;
        while let Some(&idx) = self.update_queue.front() {
            if self.outstanding >= window {
                let why = Why::WindowFull { outstanding: self.outstanding, window };
                ctx.effect(Effect::Note { why });
                return;
            }
            self.update_queue.pop_front();
            self.flush_acks(AckFlushReason::BeforeOwnMessage, ctx);
            self.next_xid = self.next_xid.wrapping_add(1).max(1);
            let xid = self.next_xid;
            let time = ctx.clock();
            let lease = &mut self.leases[idx];
            lease.pending_xid = Some(xid);
            lease.desired = lease.binding;
            // The peer is about to hear of this state: it becomes the rewind state
            // (dhcpd writes the lease before the update leaves; until then the old
            // rewind state stays, as the recorded lease files show).
            lease.rewind = lease.binding;
            let update = BindingUpdate {
                xid,
                time,
                address: lease.address,
                status: lease.binding,
                client_id: lease.uid.clone(),
                hardware: lease.hardware,
                lease_expiration: lease.ends,
                potential_expiration: lease.tstp,
                start_time_of_state: lease.starts,
                cltt: lease.cltt,
            };
            let why = Why::SendUpdate {
                status: update.status,
                potential_expiration: update.potential_expiration,
            };
            let body = Body::Failover(FailoverMessage::BndUpd(update));
            ctx.send(self.node(), Destination::Unicast(self.role.peer().node()), body, why);
            self.outstanding += 1;
        }
    }

    // ----- timers -----

    /// One of this server's timers fired; false when it was stale and did nothing.
    pub(crate) fn on_timer(&mut self, timer: &ServerTimer, ctx: &mut Ctx) -> bool {
        match timer {
            ServerTimer::PingDone { lease, client, discover } => {
                self.ping_done(*lease, discover, *client, ctx);
                true
            }
            ServerTimer::AckFlush { generation } => {
                if *generation != self.ack_generation || self.ack_queue.is_empty() {
                    return false;
                }
                self.flush_acks(AckFlushReason::Timer, ctx);
                true
            }
            ServerTimer::LeaseEnd { lease, ends } => {
                let l = &self.leases[*lease];
                if l.ends != *ends {
                    return false;
                }
                if l.binding == BindingState::Abandoned {
                    self.abandoned_to_free(*lease, ctx);
                    return true;
                }
                if l.binding != BindingState::Active {
                    return false;
                }
                match self.role {
                    Role::Primary => self.expire(*lease, ctx),
                    Role::Secondary => {
                        ctx.effect(Effect::Note { why: Why::SecondaryWaitsForPrimary })
                    }
                }
                true
            }
        }
    }

    /// An abandoned lease's time is up: it becomes FREE on either server, so
    /// abandoned addresses drift to the primary (reference §1.3 L8).
    fn abandoned_to_free(&mut self, idx: usize, ctx: &mut Ctx) {
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        lease.binding = BindingState::Free;
        lease.next = BindingState::Free;
        lease.tstp = lease.ends;
        lease.atsfp = 0;
        lease.queue_rank = rank;
        let address = lease.address;
        let why = Why::AbandonedTimeUp;
        let (from, to) = (BindingState::Abandoned, BindingState::Free);
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    fn expire(&mut self, idx: usize, ctx: &mut Ctx) {
        let lease = &mut self.leases[idx];
        lease.binding = BindingState::Expired;
        lease.next = BindingState::Free;
        lease.atsfp = 0;
        let (address, ends) = (lease.address, lease.ends);
        let why = Why::ExpireAtEnd { ends };
        ctx.effect(Effect::Lease {
            server: self.role,
            address,
            from: BindingState::Active,
            to: BindingState::Expired,
            why,
        });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    /// The client hashes: which server load balancing would pick for `chaddr`/`client_id`.
    pub fn balanced_role(cfg: &Config, chaddr: Mac, client_id: Option<&[u8]>) -> (u8, Role) {
        let key: &[u8] = client_id.unwrap_or(&chaddr.0);
        let b = bucket(key);
        (b, if cfg.hba.primary_serves(b) { Role::Primary } else { Role::Secondary })
    }
}

/// Binds a lease to the client of `msg` for `granted` seconds from `now` (reference §5.2).
fn bind_to(lease: &mut Lease, msg: &DhcpMessage, now: u64, granted: u64, tstp: u64) {
    lease.binding = BindingState::Active;
    lease.next = BindingState::Expired;
    lease.starts = now;
    lease.ends = now + granted;
    lease.tstp = tstp;
    // A tstp below the acknowledged time lowers it: the peer is told the shorter one.
    lease.tsfp = lease.tsfp.min(tstp);
    lease.atsfp = 0;
    lease.cltt = now;
    lease.hardware = Some(msg.chaddr);
    lease.uid = msg.client_id.clone();
}

/// Copies an accepted BNDUPD into the lease (reference §1.4 step 5): STOS to
/// `starts`, the expirations, the identity; the CLTT option is not stored.
fn copy_update(lease: &mut Lease, u: &BindingUpdate, installed: BindingState) {
    lease.binding = installed;
    lease.next = if installed == BindingState::Active { BindingState::Expired } else { installed };
    lease.rewind = installed;
    lease.starts = u.start_time_of_state;
    lease.ends = u.lease_expiration;
    lease.tsfp = u.potential_expiration;
    lease.atsfp = u.potential_expiration;
    if u.status == BindingState::Abandoned {
        lease.hardware = None;
        lease.uid = None;
        return;
    }
    if u.hardware.is_some() {
        lease.hardware = u.hardware;
    }
    // A missing client identifier clears the stored one, except on FREE/BACKUP/RESET.
    let keeps_uid =
        matches!(u.status, BindingState::Free | BindingState::Backup | BindingState::Reset);
    if u.client_id.is_some() || !keeps_uid {
        lease.uid = u.client_id.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::scenario::builtin;
    use crate::sim::Ctx;
    use crate::time::Time;

    fn cfg() -> std::sync::Arc<Config> {
        builtin("dhcprelease").unwrap().validate().unwrap()
    }

    fn whys(effects: &[Effect]) -> Vec<Why> {
        effects.iter().map(|e| e.why().clone()).collect()
    }

    fn request(cfg: &Config, client: usize, address: Ipv4Addr) -> DhcpMessage {
        let mut m = DhcpMessage::request(DhcpType::Request, 7, cfg.clients[client].mac);
        m.requested_address = Some(address);
        m.server_id = Some(cfg.primary_address);
        m
    }

    /// Binds 192.0.2.20 on the primary to client 1 and returns the server.
    fn bound_primary(cfg: &Config) -> Server {
        let mut s = Server::new_balanced(Role::Primary, cfg);
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut ctx = Ctx::for_test(Time::from_secs(10), cfg, &mut rng, &mut ids);
        s.on_dhcp(&request(cfg, 1, Ipv4Addr::new(192, 0, 2, 20)), 1, &mut ctx);
        assert_eq!(s.lease(Ipv4Addr::new(192, 0, 2, 20)).unwrap().binding, BindingState::Active);
        s
    }

    #[test]
    fn balanced_start_splits_the_pool_as_isc_does() {
        let cfg = cfg();
        let p = Server::new_balanced(Role::Primary, &cfg);
        assert_eq!((p.count(BindingState::Free), p.count(BindingState::Backup)), (10, 10));
        assert_eq!(p.pick_free(0).map(|i| p.leases[i].address.octets()[3]), Some(20));
        let s = Server::new_balanced(Role::Secondary, &cfg);
        assert_eq!(s.pick_free(0).map(|i| s.leases[i].address.octets()[3]), Some(19));
    }

    #[test]
    fn release_from_another_hardware_address_is_ignored() {
        let cfg = cfg();
        let mut s = bound_primary(&cfg);
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut ctx = Ctx::for_test(Time::from_secs(20), &cfg, &mut rng, &mut ids);
        let mut m = DhcpMessage::request(DhcpType::Release, 9, cfg.clients[0].mac);
        m.ciaddr = Ipv4Addr::new(192, 0, 2, 20);
        s.on_dhcp(&m, 0, &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[..], [Why::ReleaseIgnored { .. }]));
        assert_eq!(s.lease(m.ciaddr).unwrap().binding, BindingState::Active);
    }

    #[test]
    fn request_for_another_clients_address_is_naked() {
        let cfg = cfg();
        let mut s = bound_primary(&cfg);
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut ctx = Ctx::for_test(Time::from_secs(20), &cfg, &mut rng, &mut ids);
        s.on_dhcp(&request(&cfg, 0, Ipv4Addr::new(192, 0, 2, 20)), 0, &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[..], [Why::NakOtherClient { .. }]));
        // An address outside the pool: silence.
        let mut ctx = Ctx::for_test(Time::from_secs(20), &cfg, &mut rng, &mut ids);
        s.on_dhcp(&request(&cfg, 0, Ipv4Addr::new(198, 51, 100, 1)), 0, &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[..], [Why::UnknownAddress { .. }]));
        // A BACKUP address on the primary belongs to the peer: silence.
        let mut ctx = Ctx::for_test(Time::from_secs(20), &cfg, &mut rng, &mut ids);
        s.on_dhcp(&request(&cfg, 0, Ipv4Addr::new(192, 0, 2, 11)), 0, &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[..], [Why::OwnedByPeer { .. }]));
    }

    #[test]
    fn renewal_in_the_first_quarter_returns_the_unchanged_lease() {
        let cfg = cfg();
        let mut s = bound_primary(&cfg);
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut ctx = Ctx::for_test(Time::from_secs(100), &cfg, &mut rng, &mut ids);
        let mut m = request(&cfg, 1, Ipv4Addr::UNSPECIFIED);
        m.requested_address = None;
        m.ciaddr = Ipv4Addr::new(192, 0, 2, 20);
        s.on_dhcp(&m, 1, &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[..], [Why::CacheThreshold { remaining: 3510 }]));
    }

    #[test]
    fn secondary_refuses_nothing_the_strict_table_allows() {
        let cfg = cfg();
        let mut s = Server::new_balanced(Role::Secondary, &cfg);
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut ctx = Ctx::for_test(Time::from_secs(5), &cfg, &mut rng, &mut ids);
        let update = BindingUpdate {
            xid: 1,
            time: 5,
            address: Ipv4Addr::new(192, 0, 2, 200),
            status: BindingState::Active,
            client_id: None,
            hardware: Some(cfg.clients[0].mac),
            lease_expiration: 100,
            potential_expiration: 200,
            start_time_of_state: 5,
            cltt: 5,
        };
        s.on_failover(&FailoverMessage::BndUpd(update.clone()), &mut ctx);
        let (effects, _) = ctx.take();
        let rejected = whys(&effects);
        assert!(matches!(rejected[0], Why::UpdateRejected { reason: 1, .. }), "{rejected:?}");
        // An ACTIVE update without a hardware address lacks binding information.
        let mut ctx = Ctx::for_test(Time::from_secs(5), &cfg, &mut rng, &mut ids);
        let missing =
            BindingUpdate { address: Ipv4Addr::new(192, 0, 2, 20), hardware: None, ..update };
        s.on_failover(&FailoverMessage::BndUpd(missing), &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[0], Why::UpdateRejected { reason: 3, .. }));
    }
}
