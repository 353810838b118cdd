//! One ISC-style DHCP failover server: allocation, replies, and binding updates.
//!
//! Follows the reference notes: address choice and the two-minute offer hold
//! (§8.1, §8.2), the ping check before an OFFER (§8.3), lease-time choice and
//! the MCLT cap (§5.1, §8.5), DHCPREQUEST handling (§8.7), DHCPRELEASE (§2),
//! load balancing of DISCOVER (§6.5), BNDUPD/BNDACK processing with the
//! strict check in NORMAL and the lenient one elsewhere, dueling updates
//! (§1.4), ack batching and the update window (§4.6), MAC affinity (§2.5),
//! and expiry (§1.3 L5).
//!
//! What a server does depends on its failover state (§3.1): NORMAL
//! load-balances DISCOVERs and uses its own pool; COMMUNICATIONS-INTERRUPTED
//! answers everyone from its own pool and may undo work the peer never heard
//! of (the rewind state, §1.6); PARTNER-DOWN also takes the peer's free
//! leases and the stuck transitional ones once the MCLT waits are over (§1.2,
//! §5.4); every other state answers nobody and ignores RELEASE and DECLINE.
//! The connection, the state machine and the operator's actions are in
//! `server/link.rs`; pool balancing is in `server/pool.rs`.
//!
//! Input: a DHCP or failover message, or one of the server's timers, with the
//! world's context. Output: effects, packets and timers pushed on the context.
//!
//! DHCPDECLINE abandons the address for `abandon-lease-time` (a day), after
//! which it returns to FREE on either server; the primary reclaims abandoned
//! addresses as a last resort (§1.3 L3, L7, L8, §8.4). DHCPINFORM is answered
//! with a DHCPACK that carries no lease. The ping check finds an address in
//! use when a client has declined it (the device it saw keeps the address).
//!
//! Not modelled: BOOTP, reserved leases and the RESET state (no OMAPI lease
//! edits), `dhcp-cache-threshold` values other than the 25 % default.

mod link;
mod pool;

use std::collections::VecDeque;
use std::net::Ipv4Addr;

use crate::addr::Mac;
use crate::balance::bucket;
use crate::failover::{self, FailoverState, Service};
use crate::lease::{BindingState, Lease};
use crate::packet::{
    BindingAck, BindingUpdate, Body, Destination, DhcpMessage, DhcpType, FailoverMessage, Node,
    Role,
};
use crate::scenario::{Config, PingTimer};
use crate::sim::{Ctx, Event, ServerTimer};
use crate::time::{Duration, Time};
use crate::trace::{AckFlushReason, Effect, Why};

/// How long an OFFER holds an address (dhcpd: `ends` = now + 120 s).
const OFFER_HOLD_SECS: u64 = 120;
/// dhcpd flushes queued BNDACKs this long after the last one was queued.
const ACK_BATCH_DELAY: Duration = Duration::from_secs(2);
/// `abandon-lease-time` default: how long an abandoned address stays out of use.
const ABANDON_LEASE_TIME: u64 = 86_400;

/// One failover server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// Primary or secondary.
    pub role: Role,
    /// Its address: listen address and server identifier.
    pub address: Ipv4Addr,
    /// Failover state (`Down` while the process is stopped).
    pub state: FailoverState,
    /// The state the lease file records: what STARTUP resumes.
    pub saved_state: FailoverState,
    /// Start time of the current state (STOS), server seconds.
    pub stos: u64,
    /// The peer's last announced state (`None`: unknown).
    pub partner: Option<FailoverState>,
    /// The peer's announced start time of its state.
    pub partner_stos: u64,
    /// When this server learnt the peer's current state (what dhcpd writes
    /// as `partner state … at`).
    pub partner_since: u64,
    /// Every lease of the pool, in address order.
    pub leases: Vec<Lease>,
    update_queue: VecDeque<usize>,
    outstanding: u32,
    ack_queue: Vec<QueuedAck>,
    ack_generation: u32,
    next_xid: u32,
    next_rank: u64,
    /// The TCP connection this server is attached to.
    conn: Option<u32>,
    /// CONNECT and CONNECTACK have been exchanged on it.
    established: bool,
    /// The peer's STATE has arrived on it.
    peer_heard: bool,
    /// Bumped at every stop and start: older timers are void.
    life: u32,
    /// Bumped at every state change: state timers of older states are void.
    state_generation: u32,
    watchdog_generation: u32,
    reconnect_generation: u32,
    /// In an orderly shutdown, waiting for the peer to take over.
    exiting: bool,
    /// STOS was back-dated by the MCLT at an orderly shutdown.
    stos_back_dated: bool,
    /// When this server last put a message on the link.
    last_sent: Time,
    /// The xid of the UPDREQ or UPDREQALL being answered.
    update_request: Option<u32>,
    balance_generation: u32,
    /// The balancing timer's due time, server seconds.
    balance_due: Option<u64>,
    last_balance: u64,
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
        let mut server = Server::with_leases(role, cfg, leases, FailoverState::Normal);
        // The connection has been up since before the start: updates may flow.
        server.conn = Some(1);
        server.established = true;
        server.peer_heard = true;
        server.partner = Some(FailoverState::Normal);
        server.partner_stos = 1;
        server.partner_since = 1;
        server.next_xid = 1;
        server
    }

    /// A server whose lease file has no failover state and no leases: every
    /// address FREE (ISC's `new_address_range`), RECOVER, partner unknown. It
    /// is not running until the world starts it.
    pub fn new_empty(role: Role, cfg: &Config) -> Server {
        let mut server =
            Server::with_leases(role, cfg, Self::virgin_leases(cfg), FailoverState::Recover);
        server.state = FailoverState::Down;
        server
    }

    /// Every address FREE and never used, the lowest address heading the free list.
    fn virgin_leases(cfg: &Config) -> Vec<Lease> {
        let n = cfg.pool.len();
        cfg.pool
            .iter()
            .enumerate()
            .map(|(i, &address)| {
                let mut lease = Lease::virgin(address, BindingState::Free);
                lease.queue_rank = (n - i) as u64;
                lease
            })
            .collect()
    }

    fn with_leases(role: Role, cfg: &Config, leases: Vec<Lease>, state: FailoverState) -> Server {
        let n = leases.len();
        Server {
            role,
            address: match role {
                Role::Primary => cfg.primary_address,
                Role::Secondary => cfg.secondary_address,
            },
            state,
            saved_state: state,
            stos: 1,
            partner: None,
            partner_stos: 0,
            partner_since: 0,
            leases,
            update_queue: VecDeque::new(),
            outstanding: 0,
            ack_queue: Vec::new(),
            ack_generation: 0,
            next_xid: 0,
            next_rank: n as u64 + 1,
            conn: None,
            established: false,
            peer_heard: false,
            life: 0,
            state_generation: 0,
            watchdog_generation: 0,
            reconnect_generation: 0,
            exiting: false,
            stos_back_dated: false,
            last_sent: Time::ZERO,
            update_request: None,
            balance_generation: 0,
            balance_due: None,
            last_balance: 0,
        }
    }

    /// What the current state lets this server do (reference §3.1).
    pub fn service(&self) -> Service {
        if self.state == FailoverState::Down {
            return Service::NotResponding;
        }
        self.state.service(self.partner)
    }

    /// Whether this server may give `lease` to a new client now (reference §1.2).
    fn may_allocate(&self, lease: &Lease, ctx: &Ctx) -> bool {
        failover::mine_to_reallocate(
            self.role,
            self.service(),
            lease,
            self.stos,
            ctx.cfg.mclt,
            ctx.clock(),
        )
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
        let service = self.service();
        if !service.serves() && msg.message_type != DhcpType::Offer {
            let why = Why::NotServing {
                state: self.state,
                partner: self.partner,
                message: msg.message_type,
            };
            return ctx.effect(Effect::Note { why });
        }
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
        // Only a cooperating server (NORMAL) balances; otherwise it answers everyone.
        if self.service() != Service::Cooperating {
            return Balance::Mine(Why::AnswersEveryone { state: self.state });
        }
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
        let found = self.existing_binding(msg, ctx).or_else(|| self.pick_free(ctx));
        let Some(idx) = found.or_else(|| self.reclaim_abandoned(ctx)) else {
            let _ = now;
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
    fn existing_binding(&self, msg: &DhcpMessage, ctx: &Ctx) -> Option<usize> {
        let now = ctx.clock();
        let mine = |l: &Lease| Self::same_client(l, msg);
        let free = |l: &Lease| matches!(l.binding, BindingState::Free | BindingState::Backup);
        self.leases.iter().position(|l| mine(l) && l.binding == BindingState::Active).or_else(
            || {
                self.leases
                    .iter()
                    .position(|l| mine(l) && free(l) && l.ends > now && self.may_allocate(l, ctx))
            },
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
        self.arm(ctx, ctx.now.plus(wait), timer);
    }

    /// The head of this server's free list: oldest `ends`, ties to the latest
    /// queued. In PARTNER-DOWN, when the own list gives nothing, the oldest of
    /// the peer's free leases and the transitional ones this server may take.
    fn pick_free(&self, ctx: &Ctx) -> Option<usize> {
        let now = ctx.clock();
        let own = self.role.own_free_state();
        let head = |filter: &dyn Fn(&Lease) -> bool| {
            self.leases
                .iter()
                .enumerate()
                .filter(|(_, l)| filter(l))
                .min_by_key(|(_, l)| (l.ends, std::cmp::Reverse(l.queue_rank)))
        };
        // A head still held for an earlier offer means the pool counts as empty.
        let mine = head(&|l: &Lease| l.binding == own).filter(|(_, l)| l.ends <= now);
        if let Some((i, _)) = mine {
            return Some(i);
        }
        if self.service() != Service::PartnerDown {
            return None;
        }
        let other = |l: &Lease| {
            !matches!(l.binding, BindingState::Active | BindingState::Abandoned)
                && l.binding != own
                && l.ends <= now
                && self.may_allocate(l, ctx)
        };
        head(&other).map(|(i, _)| i)
    }

    /// The last resort when the free list is empty: the oldest ABANDONED lease,
    /// which only the primary may take back in NORMAL (reference §1.2, §8.1).
    fn reclaim_abandoned(&self, ctx: &mut Ctx) -> Option<usize> {
        let partner_down_secondary = self.service() == Service::PartnerDown;
        if self.role != Role::Primary && !partner_down_secondary {
            return None;
        }
        let (idx, lease) = self
            .leases
            .iter()
            .enumerate()
            .filter(|(_, l)| l.binding == BindingState::Abandoned && self.may_allocate(l, ctx))
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
        // Still held for this client: a free lease it may give, or the abandoned
        // one being reclaimed. The state may have changed during the wait.
        let offerable = self.service().serves()
            && lease.binding != BindingState::Active
            && self.may_allocate(lease, ctx);
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
        let mine = self.may_allocate(lease, ctx);
        use BindingState::*;
        match lease.binding {
            Active if same => self.ack(idx, msg, client, ctx),
            // A reclaimed abandoned lease goes to the client it was offered to; an
            // abandoned lease is the primary's to reclaim, so the secondary keeps quiet.
            Abandoned if same && mine => self.ack(idx, msg, client, ctx),
            Abandoned if !mine => {
                ctx.effect(Effect::Note { why: Why::AbandonedNotMine { address } })
            }
            Active | Abandoned => self.nak(address, msg, client, ctx),
            Free | Backup if mine => self.ack(idx, msg, client, ctx),
            Free | Backup => {
                ctx.effect(Effect::Note { why: Why::OwnedByPeer { address, state: lease.binding } })
            }
            Expired | Released | Reset => {
                // Only the client the peer still believes bound, or a lease this
                // server may take (the peer never heard of it, or PARTNER-DOWN's wait
                // is over), may be handed out while the peer has not agreed.
                if (lease.rewind == Active && same) || mine {
                    self.ack(idx, msg, client, ctx)
                } else if lease.binding == Reset {
                    self.nak(address, msg, client, ctx)
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
        let peer_told = self.updates_flow();
        let why = Why::Ack { address, rule, tstp, renewal, peer_told };
        let to = BindingState::Active;
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why: why.clone() });

        // dhcpd sends the BNDUPD before the DHCPACK leaves.
        self.queue_update(idx);
        self.send_updates(ctx);
        self.send_ack(address, granted, msg, client, why, ctx);
        self.arm_lease_end(idx, ends, ctx);
        if from != BindingState::Active {
            self.schedule_balance(ctx);
        }
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
        self.arm(ctx, Time::from_secs(ends), ServerTimer::LeaseEnd { lease: idx, ends });
    }

    /// Schedules one of this server's timers (void if the server stops first).
    fn arm(&self, ctx: &mut Ctx, at: Time, timer: ServerTimer) {
        let at = at.max(ctx.now);
        ctx.timer(at, Event::Server { role: self.role, timer, life: self.life });
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
        let service = self.service();
        let own = self.role.own_free_state();
        let lease = &mut self.leases[idx];
        lease.ends = now;
        lease.tstp = now;
        lease.atsfp = 0;
        let address = lease.address;
        // COMMUNICATIONS-INTERRUPTED: a lease the peer never heard of goes
        // straight back to the pool (reference §1.3 L6′, §2.6).
        if service == Service::NotCooperating && lease.rewind == own {
            return self.back_to_own_pool(idx, Why::ReleasedRewind { to: own }, ctx);
        }
        lease.binding = BindingState::Released;
        lease.next = BindingState::Free;
        let why = match service {
            Service::NotCooperating => Why::ReleasedStuck,
            Service::PartnerDown => Why::ReleasedPartnerDown { free_at: 0 },
            _ => Why::Released,
        };
        let why = self.enter_transitional(idx, why, ctx);
        let (from, to) = (BindingState::Active, BindingState::Released);
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    /// COMMUNICATIONS-INTERRUPTED: an ACTIVE lease the peer never heard of
    /// (its rewind state is this server's free state) goes straight back to
    /// this server's pool instead of waiting for the peer (reference §1.6).
    fn back_to_own_pool(&mut self, idx: usize, why: Why, ctx: &mut Ctx) {
        let own = self.role.own_free_state();
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        lease.binding = own;
        lease.next = own;
        lease.queue_rank = rank;
        let address = lease.address;
        let (from, to) = (BindingState::Active, own);
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    /// A lease entered EXPIRED or RELEASED: in PARTNER-DOWN its tsfp becomes
    /// STOS + MCLT and the pool timer frees it at max(tsfp, ends) (reference
    /// §1.5, §2.7). Returns `why` with the time filled in.
    fn enter_transitional(&mut self, idx: usize, why: Why, ctx: &mut Ctx) -> Why {
        if self.service() != Service::PartnerDown {
            return why;
        }
        let at = self.partner_down_free_time(idx, ctx);
        match why {
            Why::ReleasedPartnerDown { .. } => Why::ReleasedPartnerDown { free_at: at },
            Why::ExpireAtEnd { ends } => Why::ExpiredPartnerDown { ends, free_at: at },
            other => other,
        }
    }

    /// Sets tsfp = STOS + MCLT on a transitional lease and arms the pool timer.
    fn partner_down_free_time(&mut self, idx: usize, ctx: &mut Ctx) -> u64 {
        let tsfp = self.stos + ctx.cfg.mclt;
        let lease = &mut self.leases[idx];
        lease.tsfp = tsfp;
        let at = tsfp.max(lease.ends);
        self.arm(ctx, Time::from_secs(at), ServerTimer::PoolTimer { lease: idx, at });
        at
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

    /// A failover message from the peer arrived on connection `conn`.
    pub(crate) fn on_failover(&mut self, msg: &FailoverMessage, conn: u32, ctx: &mut Ctx) {
        match msg {
            FailoverMessage::BndUpd(u) => self.bind_update(u, ctx),
            FailoverMessage::BndAck(a) => self.bind_ack(a, ctx),
            other => self.on_link_message(other, conn, ctx),
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
        // NORMAL uses the strict table; every other state the lenient one.
        let checked = if self.state == FailoverState::Normal {
            failover::check_transition_normal(
                self.role,
                lease,
                u.status,
                u.potential_expiration,
                now,
            )
        } else {
            failover::check_transition_lenient(lease, u.status, now)
        };
        checked.map_err(|text| (failover::REJECT_FATAL_CONFLICT, text))?;
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
        // The balance check runs whenever a free lease of either pool changes.
        let free = |s: BindingState| matches!(s, BindingState::Free | BindingState::Backup);
        if free(installed) || free(from) {
            self.schedule_balance(ctx);
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
        self.arm(ctx, flush_at, timer);
        ctx.effect(Effect::Note {
            why: Why::AckQueued { pending: self.ack_queue.len(), flush_at },
        });
    }

    fn flush_acks(&mut self, because: AckFlushReason, ctx: &mut Ctx) {
        if self.ack_queue.is_empty() || !self.established {
            return;
        }
        self.ack_generation += 1;
        let count = self.ack_queue.len();
        let why = Why::AckFlush { count, because };
        let time = ctx.header_clock(self.role);
        for (xid, address, reject) in std::mem::take(&mut self.ack_queue) {
            let (reject_reason, message) = match reject {
                Some((r, t)) => (Some(r), Some(t)),
                None => (None, None),
            };
            let ack = BindingAck { xid, time, address, reject_reason, message };
            self.put(FailoverMessage::BndAck(ack), why.clone(), ctx);
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
            self.schedule_balance(ctx);
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
        let hold = (((free + backup) as u64 * ctx.cfg.max_lease_ownership + 50) / 100) as i64;
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

    /// Sends queued BNDUPDs while the peer's window has room, acks first;
    /// once an UPDREQ or UPDREQALL has been answered in full, UPDDONE.
    fn send_updates(&mut self, ctx: &mut Ctx) {
        if !self.updates_flow() {
            return;
        }
        let window = ctx.cfg.max_unacked_updates;
        while let Some(&idx) = self.update_queue.front() {
            if self.outstanding >= window {
                let why = Why::WindowFull { outstanding: self.outstanding, window };
                ctx.effect(Effect::Note { why });
                return;
            }
            self.update_queue.pop_front();
            self.flush_acks(AckFlushReason::BeforeOwnMessage, ctx);
            // BNDUPD never uses xid 0.
            if self.next_xid == 0 {
                self.next_xid = 1;
            }
            let xid = self.take_xid();
            let time = ctx.header_clock(self.role);
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
            self.put(FailoverMessage::BndUpd(update), why, ctx);
            self.outstanding += 1;
        }
        if let Some(xid) = self.update_request.take() {
            let time = ctx.header_clock(self.role);
            let done = FailoverMessage::UpdDone(crate::packet::Control { xid, time });
            self.flush_acks(AckFlushReason::BeforeOwnMessage, ctx);
            self.put(done, Why::SendUpdDone, ctx);
        }
    }

    // ----- timers -----

    /// The trace's name for one of this server's timers.
    pub(crate) fn timer_kind(&self, timer: &ServerTimer) -> crate::trace::Timer {
        use crate::trace::Timer;
        let address = |i: &usize| self.leases.get(*i).map(|l| l.address);
        let address = |i| address(i).unwrap_or(Ipv4Addr::UNSPECIFIED);
        match timer {
            ServerTimer::PingDone { lease, client, .. } => {
                Timer::PingTimeout { client: *client, address: address(lease) }
            }
            ServerTimer::AckFlush { .. } => Timer::AckFlush,
            ServerTimer::LeaseEnd { lease, .. } => Timer::LeaseEnd { address: address(lease) },
            ServerTimer::PoolTimer { lease, .. } => Timer::PoolTimer { address: address(lease) },
            ServerTimer::Startup { .. } => Timer::Startup,
            ServerTimer::Reconnect { .. } => Timer::TcpOpen,
            ServerTimer::Watchdog { .. } => Timer::Watchdog,
            ServerTimer::LinkStartup { .. } => Timer::LinkStartup,
            ServerTimer::AutoPartnerDown { .. } => Timer::AutoPartnerDown,
            ServerTimer::RecoverWaitOver { .. } => Timer::RecoverWaitOver,
            ServerTimer::ShutdownExit { .. } => Timer::ShutdownExit,
            ServerTimer::Balance { .. } => Timer::Balance,
        }
    }

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
            ServerTimer::LeaseEnd { lease, ends } => self.lease_end(*lease, *ends, ctx),
            ServerTimer::PoolTimer { lease, at } => self.pool_timer(*lease, *at, ctx),
            ServerTimer::Balance { generation } => {
                if *generation != self.balance_generation || self.state != FailoverState::Normal {
                    return false;
                }
                self.balance_due = None;
                self.balance(true, ctx);
                true
            }
            other => self.on_link_timer(other, ctx),
        }
    }

    /// A lease reached its end (reference §1.3 L5, L5′, L8).
    fn lease_end(&mut self, idx: usize, ends: u64, ctx: &mut Ctx) -> bool {
        let l = &self.leases[idx];
        if l.ends != ends {
            return false;
        }
        if l.binding == BindingState::Abandoned {
            self.abandoned_to_free(idx, ctx);
            return true;
        }
        if l.binding != BindingState::Active {
            return false;
        }
        if self.role == Role::Secondary && self.state == FailoverState::Normal {
            ctx.effect(Effect::Note { why: Why::SecondaryWaitsForPrimary });
            return true;
        }
        self.expire(idx, ctx);
        true
    }

    /// PARTNER-DOWN's pool timer: a transitional lease whose wait is over
    /// becomes FREE on either server (reference §1.3 L9′, §2.7).
    fn pool_timer(&mut self, idx: usize, at: u64, ctx: &mut Ctx) -> bool {
        let lease = &self.leases[idx];
        let due = lease.tsfp.max(lease.ends);
        if !lease.binding.is_transitional() || due != at || self.service() != Service::PartnerDown {
            return false;
        }
        let why = Why::PartnerDownFreed { tsfp: lease.tsfp };
        self.free_without_peer(idx, why, ctx);
        true
    }

    /// A lease goes FREE without the peer's agreement (its abandonment is over,
    /// or PARTNER-DOWN's wait is): `tstp` = `ends`, and the peer is told.
    fn free_without_peer(&mut self, idx: usize, why: Why, ctx: &mut Ctx) {
        let rank = self.bump_rank();
        let lease = &mut self.leases[idx];
        let from = lease.binding;
        lease.binding = BindingState::Free;
        lease.next = BindingState::Free;
        lease.tstp = lease.ends;
        lease.atsfp = 0;
        lease.queue_rank = rank;
        let address = lease.address;
        ctx.effect(Effect::Lease { server: self.role, address, from, to: BindingState::Free, why });
        self.queue_update(idx);
        self.send_updates(ctx);
    }

    /// An abandoned lease's time is up: it becomes FREE on either server, so
    /// abandoned addresses drift to the primary (reference §1.3 L8).
    fn abandoned_to_free(&mut self, idx: usize, ctx: &mut Ctx) {
        self.free_without_peer(idx, Why::AbandonedTimeUp, ctx);
    }

    fn expire(&mut self, idx: usize, ctx: &mut Ctx) {
        let own = self.role.own_free_state();
        let service = self.service();
        let lease = &mut self.leases[idx];
        lease.atsfp = 0;
        let (address, ends) = (lease.address, lease.ends);
        // COMMUNICATIONS-INTERRUPTED: a lease the peer never heard of goes
        // straight back to this server's pool (reference §1.3 L5′).
        if service == Service::NotCooperating && lease.rewind == own {
            lease.tstp = lease.ends;
            return self.back_to_own_pool(idx, Why::ExpiredRewind { ends, to: own }, ctx);
        }
        lease.binding = BindingState::Expired;
        lease.next = BindingState::Free;
        let why = match (service, self.role) {
            (Service::PartnerDown, _) | (Service::Cooperating, Role::Primary) => {
                Why::ExpireAtEnd { ends }
            }
            _ => Why::ExpireStuck { ends, state: self.state },
        };
        let why = self.enter_transitional(idx, why, ctx);
        let (from, to) = (BindingState::Active, BindingState::Expired);
        ctx.effect(Effect::Lease { server: self.role, address, from, to, why });
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
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let ctx = Ctx::for_test(Time::from_secs(0), &cfg, &mut rng, &mut ids);
        assert_eq!(p.pick_free(&ctx).map(|i| p.leases[i].address.octets()[3]), Some(20));
        let s = Server::new_balanced(Role::Secondary, &cfg);
        assert_eq!(s.pick_free(&ctx).map(|i| s.leases[i].address.octets()[3]), Some(19));
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
        s.on_failover(&FailoverMessage::BndUpd(update.clone()), 1, &mut ctx);
        let (effects, _) = ctx.take();
        let rejected = whys(&effects);
        assert!(matches!(rejected[0], Why::UpdateRejected { reason: 1, .. }), "{rejected:?}");
        // An ACTIVE update without a hardware address lacks binding information.
        let mut ctx = Ctx::for_test(Time::from_secs(5), &cfg, &mut rng, &mut ids);
        let missing =
            BindingUpdate { address: Ipv4Addr::new(192, 0, 2, 20), hardware: None, ..update };
        s.on_failover(&FailoverMessage::BndUpd(missing), 1, &mut ctx);
        let (effects, _) = ctx.take();
        assert!(matches!(whys(&effects)[0], Why::UpdateRejected { reason: 3, .. }));
    }
}
