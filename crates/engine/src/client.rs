//! The DHCP client: RFC 2131 §4.4 from INIT to BOUND and around again.
//!
//! A client acquires a lease (INIT → SELECTING → REQUESTING → BOUND), renews
//! it by unicast at T1 (RENEWING), broadcasts at T2 (REBINDING), and starts
//! over when it runs out. It takes the first OFFER, retransmits with the §4.1
//! back-off (4 s doubling to 64 s, ±1 s), and releases, shuts down or leaves
//! when the script says so. T1 and T2 follow RFC 2131 §4.4.5 or, for the
//! `dhclient` timing, ISC dhclient's spread of T1.
//!
//! A client that shuts down or leaves without releasing remembers its lease;
//! when it boots again before the lease ends it goes through INIT-REBOOT and
//! REBOOTING (RFC 2131 §4.4.2), asking by broadcast for its old address.
//!
//! Scripted, a client can also decline its address (DHCPDECLINE, then INIT
//! after ten seconds, §3.1) or ask for configuration only (DHCPINFORM, §4.4.3).

use std::net::Ipv4Addr;

use serde::Serialize;

use crate::packet::{Body, Destination, DhcpMessage, DhcpType, Node, Role};
use crate::scenario::{Action, ClientProfile, ClientTiming};
use crate::sim::{ClientTimer, Ctx, Event};
use crate::time::{Duration, Time};
use crate::trace::{Effect, Why};

/// RFC 2131 client states, plus `Off` for a client that is not running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientState {
    /// Not running (before boot, after release, shutdown or leaving).
    Off,
    /// Looking for a server.
    Init,
    /// DISCOVER sent, waiting for offers.
    Selecting,
    /// REQUEST sent for an offer.
    Requesting,
    /// Holds a lease.
    Bound,
    /// T1 passed: renewing with the granting server.
    Renewing,
    /// T2 passed: asking any server.
    Rebinding,
    /// Restarting with a remembered address.
    InitReboot,
    /// REQUEST sent for the remembered address.
    Rebooting,
}

impl ClientState {
    /// The lower-case name used in JSON and the UI.
    pub fn name(self) -> &'static str {
        match self {
            ClientState::Off => "off",
            ClientState::Init => "init",
            ClientState::Selecting => "selecting",
            ClientState::Requesting => "requesting",
            ClientState::Bound => "bound",
            ClientState::Renewing => "renewing",
            ClientState::Rebinding => "rebinding",
            ClientState::InitReboot => "init-reboot",
            ClientState::Rebooting => "rebooting",
        }
    }

    /// Whether the client has an address configured.
    pub fn has_address(self) -> bool {
        matches!(self, ClientState::Bound | ClientState::Renewing | ClientState::Rebinding)
    }
}

/// Requests in one transaction before REQUESTING gives up and starts over.
const MAX_REQUEST_ATTEMPTS: u32 = 4;
/// RFC 2131 §3.1: after a DHCPDECLINE the client waits at least ten seconds.
const DECLINE_WAIT: Duration = Duration::from_secs(10);
/// RFC 2131 §4.4.5: retransmissions in RENEWING/REBINDING wait at least this long.
const MIN_RENEW_RETRANSMIT: Duration = Duration::from_secs(60);

/// One scripted client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// Index in the scenario.
    pub index: u16,
    /// Current state.
    pub state: ClientState,
    /// The configured address.
    pub address: Option<Ipv4Addr>,
    /// The server that granted the lease.
    pub server: Option<Role>,
    /// Granted lease time, seconds.
    pub lease_time: u32,
    /// When the lease ends at the client.
    pub lease_ends: Option<Time>,
    /// When the client renews.
    pub t1_at: Option<Time>,
    /// When the client rebinds.
    pub t2_at: Option<Time>,
    xid: u32,
    attempt: u32,
    began_at: Time,
    request_sent_at: Time,
    offer: Option<(Ipv4Addr, Role)>,
    /// A lease kept across a shutdown: address, granting server, end.
    remembered: Option<(Ipv4Addr, Role, Time)>,
    /// A DHCPINFORM waits for its first answer.
    inform_pending: bool,
    lease_generation: u32,
    transmit_generation: u32,
}

impl Client {
    /// A client that has not booted.
    pub fn new(index: u16) -> Client {
        Client {
            index,
            state: ClientState::Off,
            address: None,
            server: None,
            lease_time: 0,
            lease_ends: None,
            t1_at: None,
            t2_at: None,
            xid: 0,
            attempt: 0,
            began_at: Time::ZERO,
            request_sent_at: Time::ZERO,
            offer: None,
            remembered: None,
            inform_pending: false,
            lease_generation: 0,
            transmit_generation: 0,
        }
    }

    fn node(&self) -> Node {
        Node::Client(self.index)
    }

    /// A scripted action.
    pub(crate) fn on_script(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Boot => {
                if self.state != ClientState::Off {
                    ctx.effect(Effect::Note { why: Why::AlreadyRunning { state: self.state } });
                    return;
                }
                self.boot(ctx);
            }
            Action::Reboot => {
                if self.state != ClientState::Off {
                    self.go_off(ctx, Why::Reboot);
                }
                self.boot(ctx);
            }
            Action::Release if !self.release(ctx) => {
                ctx.effect(Effect::Note { why: Why::NothingToRelease { state: self.state } });
            }
            Action::Shutdown => {
                let releases = ctx.cfg.clients[usize::from(self.index)].profile
                    == ClientProfile::ReleasesOnShutdown;
                ctx.effect(Effect::Note { why: Why::Shutdown { releases } });
                if !(releases && self.release(ctx)) {
                    self.go_off(ctx, Why::Shutdown { releases });
                }
            }
            Action::Leave => self.go_off(ctx, Why::Leave),
            Action::Decline => self.decline(ctx),
            Action::Inform => self.inform(ctx),
            // Operator actions and packet drops are the world's business.
            _ => {}
        }
    }

    /// RFC 2131 §3.1 step 5: the address is in use; decline it, drop it, and
    /// start over after ten seconds.
    fn decline(&mut self, ctx: &mut Ctx) {
        let (Some(address), Some(server)) = (self.address, self.server) else {
            return ctx.effect(Effect::Note {
                why: Why::NoAddress { state: self.state, action: "decline" },
            });
        };
        if !self.state.has_address() {
            return ctx.effect(Effect::Note {
                why: Why::NoAddress { state: self.state, action: "decline" },
            });
        }
        let mut m = self.base_message(ctx, DhcpType::Decline);
        m.secs = 0;
        m.requested_address = Some(address);
        m.server_id = Some(server_address(ctx, server));
        let why = Why::Decline { address };
        // What the client found stays true: a device keeps using the address.
        if !ctx.occupied.contains(&address) {
            ctx.occupied.push(address);
        }
        ctx.send(self.node(), Destination::Broadcast, Body::Dhcp(m), why.clone());
        self.drop_lease();
        self.set_state(ctx, ClientState::Init, why);
        self.arm_timer(ctx, DECLINE_WAIT, ClientTimer::Restart);
    }

    /// DHCPINFORM from the configured address (RFC 2131 §4.4.3).
    fn inform(&mut self, ctx: &mut Ctx) {
        let Some(address) = self.address.filter(|_| self.state.has_address()) else {
            return ctx.effect(Effect::Note {
                why: Why::NoAddress { state: self.state, action: "ask about" },
            });
        };
        self.xid = ctx.rng.next_u32();
        self.inform_pending = true;
        let mut m = self.base_message(ctx, DhcpType::Inform);
        m.secs = 0;
        m.ciaddr = address;
        ctx.send(self.node(), Destination::Broadcast, Body::Dhcp(m), Why::Inform);
    }

    /// A timer of this client fired; returns false when it was stale.
    pub(crate) fn on_timer(&mut self, timer: ClientTimer, generation: u32, ctx: &mut Ctx) -> bool {
        match timer {
            ClientTimer::Retransmit => {
                if generation != self.transmit_generation {
                    return false;
                }
                self.retransmit(ctx);
            }
            ClientTimer::Restart => {
                if generation != self.transmit_generation || self.state != ClientState::Init {
                    return false;
                }
                self.start_over(ctx, Why::RestartAfterDecline);
            }
            ClientTimer::Renew | ClientTimer::Rebind | ClientTimer::Expiry => {
                if generation != self.lease_generation || !self.state.has_address() {
                    return false;
                }
                match timer {
                    ClientTimer::Renew if self.state == ClientState::Bound => self.renew(ctx),
                    ClientTimer::Rebind => self.rebind(ctx),
                    ClientTimer::Expiry => {
                        self.address = None;
                        self.server = None;
                        self.lease_ends = None;
                        self.start_over(ctx, Why::ClientExpired);
                    }
                    _ => return false,
                }
            }
        }
        true
    }

    /// A DHCP message arrived for this client.
    pub(crate) fn on_packet(&mut self, msg: &DhcpMessage, ctx: &mut Ctx) {
        if msg.op != 2
            || msg.xid != self.xid
            || msg.chaddr != ctx.cfg.clients[usize::from(self.index)].mac
        {
            ctx.effect(Effect::Note { why: Why::IgnoreReply { state: self.state } });
            return;
        }
        let role = msg.server_id.and_then(|id| role_of(ctx, id));
        match (msg.message_type, self.state, role) {
            (DhcpType::Offer, ClientState::Selecting, Some(role)) => {
                let lease_time = msg.lease_time.unwrap_or(0);
                self.offer = Some((msg.yiaddr, role));
                self.attempt = 1;
                let why = Why::TakeOffer { server: role, address: msg.yiaddr, lease_time };
                self.set_state(ctx, ClientState::Requesting, why.clone());
                self.send_request(ctx, why);
            }
            (DhcpType::Offer, _, _) => ctx.effect(Effect::Note { why: Why::IgnoreOffer }),
            (
                DhcpType::Ack,
                ClientState::Bound | ClientState::Renewing | ClientState::Rebinding,
                Some(server),
            ) if self.inform_pending && msg.lease_time.is_none() => {
                self.inform_pending = false;
                ctx.effect(Effect::Note { why: Why::InformAnswered { server } });
            }
            (
                DhcpType::Ack,
                ClientState::Requesting
                | ClientState::Renewing
                | ClientState::Rebinding
                | ClientState::Rebooting,
                Some(role),
            ) => {
                self.bind(msg, role, ctx);
            }
            (
                DhcpType::Nak,
                ClientState::Requesting
                | ClientState::Renewing
                | ClientState::Rebinding
                | ClientState::Rebooting,
                _,
            ) => {
                self.address = None;
                self.server = None;
                self.lease_ends = None;
                self.start_over(ctx, Why::Nak);
            }
            _ => ctx.effect(Effect::Note { why: Why::IgnoreReply { state: self.state } }),
        }
    }

    fn set_state(&mut self, ctx: &mut Ctx, to: ClientState, why: Why) {
        let from = self.state;
        self.state = to;
        ctx.effect(Effect::Client { client: self.index, from, to, why });
    }

    fn start_over(&mut self, ctx: &mut Ctx, why: Why) {
        self.lease_generation += 1;
        self.offer = None;
        self.xid = ctx.rng.next_u32();
        self.attempt = 1;
        self.began_at = ctx.now;
        self.set_state(ctx, ClientState::Selecting, why.clone());
        self.send_discover(ctx, why);
    }

    /// Starts DHCP: INIT-REBOOT with a remembered lease that has not ended, else INIT.
    fn boot(&mut self, ctx: &mut Ctx) {
        match self.remembered.take() {
            Some((address, role, ends)) if ends > ctx.now => self.init_reboot(address, role, ctx),
            _ => self.start_over(ctx, Why::Boot),
        }
    }

    /// RFC 2131 §4.4.2: ask for the remembered address by broadcast, naming no server.
    fn init_reboot(&mut self, address: Ipv4Addr, role: Role, ctx: &mut Ctx) {
        self.lease_generation += 1;
        self.offer = Some((address, role));
        self.xid = ctx.rng.next_u32();
        self.attempt = 1;
        self.began_at = ctx.now;
        let why = Why::InitReboot { address };
        self.set_state(ctx, ClientState::Rebooting, why.clone());
        self.send_reboot_request(ctx, why);
    }

    fn send_reboot_request(&mut self, ctx: &mut Ctx, why: Why) {
        let Some((address, _)) = self.offer else { return };
        let mut m = self.base_message(ctx, DhcpType::Request);
        m.requested_address = Some(address);
        self.request_sent_at = ctx.now;
        ctx.send(self.node(), Destination::Broadcast, Body::Dhcp(m), why);
        self.arm_backoff(ctx);
    }

    fn go_off(&mut self, ctx: &mut Ctx, why: Why) {
        // A client that shuts down or leaves without releasing keeps its lease in
        // memory and asks for it again at the next boot (INIT-REBOOT).
        let keeps = !matches!(why, Why::Release { .. });
        self.remembered = match (keeps, self.address, self.server, self.lease_ends) {
            (true, Some(a), Some(r), Some(e)) if self.state.has_address() => Some((a, r, e)),
            _ => None,
        };
        self.drop_lease();
        self.set_state(ctx, ClientState::Off, why);
    }

    /// Forgets the current lease and cancels every timer of this client.
    fn drop_lease(&mut self) {
        self.lease_generation += 1;
        self.transmit_generation += 1;
        self.address = None;
        self.server = None;
        self.lease_ends = None;
        self.t1_at = None;
        self.t2_at = None;
        self.offer = None;
        self.inform_pending = false;
    }

    fn secs(&self, ctx: &Ctx) -> u16 {
        u16::try_from(ctx.now.since(self.began_at).secs()).unwrap_or(u16::MAX)
    }

    fn base_message(&self, ctx: &Ctx, kind: DhcpType) -> DhcpMessage {
        let spec = &ctx.cfg.clients[usize::from(self.index)];
        let mut m = DhcpMessage::request(kind, self.xid, spec.mac);
        m.client_id = spec.client_id.clone();
        m.secs = self.secs(ctx);
        m
    }

    fn send_discover(&mut self, ctx: &mut Ctx, why: Why) {
        let m = self.base_message(ctx, DhcpType::Discover);
        ctx.send(self.node(), Destination::Broadcast, Body::Dhcp(m), why);
        self.arm_backoff(ctx);
    }

    fn send_request(&mut self, ctx: &mut Ctx, why: Why) {
        let Some((address, role)) = self.offer else {
            return;
        };
        let mut m = self.base_message(ctx, DhcpType::Request);
        m.requested_address = Some(address);
        m.server_id = Some(server_address(ctx, role));
        self.request_sent_at = ctx.now;
        ctx.send(self.node(), Destination::Broadcast, Body::Dhcp(m), why);
        self.arm_backoff(ctx);
    }

    /// RFC 2131 §4.1: 4 s, doubling up to 64 s, randomised by ±1 s.
    fn arm_backoff(&mut self, ctx: &mut Ctx) {
        let base = 4_000u64 << self.attempt.saturating_sub(1).min(4);
        let jitter = ctx.rng.below(2001);
        let wait = Duration((base + jitter).saturating_sub(1000));
        self.arm_retransmit(ctx, wait);
    }

    fn arm_retransmit(&mut self, ctx: &mut Ctx, wait: Duration) {
        self.arm_timer(ctx, wait, ClientTimer::Retransmit);
    }

    /// Arms a transmission-side timer; any earlier one of them goes stale.
    fn arm_timer(&mut self, ctx: &mut Ctx, wait: Duration, timer: ClientTimer) {
        self.transmit_generation += 1;
        let generation = self.transmit_generation;
        ctx.timer(ctx.now.plus(wait), Event::Client { client: self.index, timer, generation });
    }

    fn retransmit(&mut self, ctx: &mut Ctx) {
        self.attempt += 1;
        match self.state {
            ClientState::Selecting => {
                let wait = Duration(4_000u64 << self.attempt.saturating_sub(1).min(4));
                self.send_discover(ctx, Why::Retransmit { attempt: self.attempt, wait });
            }
            ClientState::Requesting if self.attempt <= MAX_REQUEST_ATTEMPTS => {
                let wait = Duration(4_000u64 << self.attempt.saturating_sub(1).min(4));
                self.send_request(ctx, Why::Retransmit { attempt: self.attempt, wait });
            }
            ClientState::Requesting => self.start_over(ctx, Why::Nak),
            ClientState::Rebooting if self.attempt <= MAX_REQUEST_ATTEMPTS => {
                let wait = Duration(4_000u64 << self.attempt.saturating_sub(1).min(4));
                self.send_reboot_request(ctx, Why::Retransmit { attempt: self.attempt, wait });
            }
            ClientState::Rebooting => self.start_over(ctx, Why::RebootUnanswered),
            ClientState::Renewing | ClientState::Rebinding => {
                let broadcast = self.state == ClientState::Rebinding;
                self.send_renewal(ctx, broadcast, Why::RenewRetransmit { attempt: self.attempt });
            }
            _ => {}
        }
    }

    fn bind(&mut self, msg: &DhcpMessage, role: Role, ctx: &mut Ctx) {
        let lease_time = msg.lease_time.unwrap_or(0);
        let dhclient = ctx.cfg.clients[usize::from(self.index)].timing == ClientTiming::Dhclient;
        // RFC 2131 §4.4.1 measures the lease from the moment the REQUEST went out;
        // dhclient measures from the moment it processes the ACK.
        let base = if dhclient { ctx.now } else { self.request_sent_at };
        let (t1, t2) = renewal_times(lease_time, dhclient, ctx);
        let (t1, t2, ends) =
            (base.plus(t1), base.plus(t2), base.plus(Duration::from_secs(lease_time.into())));
        self.address = Some(msg.yiaddr);
        self.server = Some(role);
        self.lease_time = lease_time;
        self.lease_ends = Some(ends);
        self.t1_at = Some(t1);
        self.t2_at = Some(t2);
        self.lease_generation += 1;
        self.transmit_generation += 1;
        let why = Why::Bound { address: msg.yiaddr, lease_time, t1, t2, timing_dhclient: dhclient };
        self.set_state(ctx, ClientState::Bound, why);
        let (client, generation) = (self.index, self.lease_generation);
        for (at, timer) in
            [(t1, ClientTimer::Renew), (t2, ClientTimer::Rebind), (ends, ClientTimer::Expiry)]
        {
            ctx.timer(at, Event::Client { client, timer, generation });
        }
    }

    fn renew(&mut self, ctx: &mut Ctx) {
        let Some(server) = self.server else { return };
        self.xid = ctx.rng.next_u32();
        self.began_at = ctx.now;
        self.attempt = 1;
        self.set_state(ctx, ClientState::Renewing, Why::RenewAtT1 { server });
        self.send_renewal(ctx, false, Why::RenewAtT1 { server });
    }

    fn rebind(&mut self, ctx: &mut Ctx) {
        self.xid = ctx.rng.next_u32();
        self.attempt = 1;
        self.set_state(ctx, ClientState::Rebinding, Why::RebindAtT2);
        self.send_renewal(ctx, true, Why::RebindAtT2);
    }

    fn send_renewal(&mut self, ctx: &mut Ctx, broadcast: bool, why: Why) {
        let Some(address) = self.address else { return };
        let mut m = self.base_message(ctx, DhcpType::Request);
        m.ciaddr = address;
        self.request_sent_at = ctx.now;
        let to = match (broadcast, self.server) {
            (false, Some(role)) => Destination::Unicast(role.node()),
            _ => Destination::Broadcast,
        };
        ctx.send(self.node(), to, Body::Dhcp(m), why);
        // RFC 2131 §4.4.5: wait half the time left to T2 (or to the end), at least 60 s.
        let until = if broadcast { self.lease_ends } else { self.t2_at };
        if let Some(until) = until {
            let half = Duration(until.since(ctx.now).0 / 2);
            self.arm_retransmit(ctx, half.max(MIN_RENEW_RETRANSMIT));
        }
    }

    /// Sends DHCPRELEASE and goes off; false when there is no lease to release.
    fn release(&mut self, ctx: &mut Ctx) -> bool {
        let (Some(address), Some(server)) = (self.address, self.server) else {
            return false;
        };
        if !self.state.has_address() {
            return false;
        }
        let mut m = self.base_message(ctx, DhcpType::Release);
        m.secs = 0;
        m.ciaddr = address;
        m.server_id = Some(server_address(ctx, server));
        let why = Why::Release { server, address };
        ctx.send(self.node(), Destination::Unicast(server.node()), Body::Dhcp(m), why.clone());
        self.go_off(ctx, why);
        true
    }
}

/// T1 and T2 after binding: RFC 2131 §4.4.5 (½ and ⅞ of the lease) or ISC
/// dhclient's T1 = lease/2 + 1 spread to ((3·T1 + 3) / 4) + ((rand % T1) + 3) / 4.
fn renewal_times(lease_time: u32, dhclient: bool, ctx: &mut Ctx) -> (Duration, Duration) {
    let lease_ms = u64::from(lease_time) * 1000;
    if !dhclient {
        return (Duration(lease_ms / 2), Duration(lease_ms * 7 / 8));
    }
    let t1 = u64::from(lease_time) / 2 + 1;
    let spread = (3 * t1).div_ceil(4) + ctx.rng.below(t1).div_ceil(4);
    (Duration::from_secs(spread), Duration::from_secs(u64::from(lease_time) * 7 / 8))
}

fn server_address(ctx: &Ctx, role: Role) -> Ipv4Addr {
    match role {
        Role::Primary => ctx.cfg.primary_address,
        Role::Secondary => ctx.cfg.secondary_address,
    }
}

fn role_of(ctx: &Ctx, id: Ipv4Addr) -> Option<Role> {
    if id == ctx.cfg.primary_address {
        Some(Role::Primary)
    } else if id == ctx.cfg.secondary_address {
        Some(Role::Secondary)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::scenario::builtin;
    use crate::sim::Ctx;
    use crate::trace::Effect;

    fn sent(effects: &[Effect]) -> Vec<(DhcpType, Destination, Ipv4Addr)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Sent { packet, .. } => match &packet.body {
                    Body::Dhcp(m) => Some((m.message_type, packet.to, m.ciaddr)),
                    Body::Failover(_) => None,
                },
                _ => None,
            })
            .collect()
    }

    fn ack(client: &Client, cfg: &crate::Config, lease_time: u32) -> DhcpMessage {
        let mut to = DhcpMessage::request(DhcpType::Request, client.xid, cfg.clients[0].mac);
        to.xid = client.xid;
        let mut m = DhcpMessage::reply(DhcpType::Ack, &to, cfg.primary_address);
        m.yiaddr = Ipv4Addr::new(192, 0, 2, 20);
        m.lease_time = Some(lease_time);
        m
    }

    /// At T1 the client unicasts to its server, at T2 it broadcasts, and when
    /// the lease runs out it starts over with a DISCOVER (RFC 2131 §4.4.5).
    #[test]
    fn renew_rebind_expire() {
        let cfg = builtin("dhcprelease").unwrap().validate().unwrap();
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut c = Client::new(0);
        let mut ctx = Ctx::for_test(Time::ZERO, &cfg, &mut rng, &mut ids);
        c.on_script(Action::Boot, &mut ctx);
        assert_eq!(c.state, ClientState::Selecting);
        c.state = ClientState::Requesting;
        c.request_sent_at = Time::ZERO;
        let m = ack(&c, &cfg, 3600);
        c.on_packet(&m, &mut ctx);
        assert_eq!(c.state, ClientState::Bound);
        assert_eq!(c.t1_at, Some(Time::from_secs(1800)));
        assert_eq!(c.t2_at, Some(Time::from_secs(3150)));
        let _ = ctx.take();
        let generation = c.lease_generation;

        let mut ctx = Ctx::for_test(Time::from_secs(1800), &cfg, &mut rng, &mut ids);
        assert!(c.on_timer(ClientTimer::Renew, generation, &mut ctx));
        assert_eq!(c.state, ClientState::Renewing);
        let (effects, _) = ctx.take();
        let addr = Ipv4Addr::new(192, 0, 2, 20);
        let unicast = Destination::Unicast(Node::Primary);
        assert_eq!(sent(&effects), [(DhcpType::Request, unicast, addr)]);

        let mut ctx = Ctx::for_test(Time::from_secs(3150), &cfg, &mut rng, &mut ids);
        assert!(c.on_timer(ClientTimer::Rebind, generation, &mut ctx));
        assert_eq!(c.state, ClientState::Rebinding);
        let (effects, _) = ctx.take();
        assert_eq!(sent(&effects), [(DhcpType::Request, Destination::Broadcast, addr)]);

        let mut ctx = Ctx::for_test(Time::from_secs(3600), &cfg, &mut rng, &mut ids);
        assert!(c.on_timer(ClientTimer::Expiry, generation, &mut ctx));
        assert_eq!((c.state, c.address), (ClientState::Selecting, None));
        let (effects, _) = ctx.take();
        let zero = Ipv4Addr::UNSPECIFIED;
        assert_eq!(sent(&effects), [(DhcpType::Discover, Destination::Broadcast, zero)]);
        // The old lease's timers are stale now.
        let mut ctx = Ctx::for_test(Time::from_secs(3600), &cfg, &mut rng, &mut ids);
        assert!(!c.on_timer(ClientTimer::Renew, generation, &mut ctx));
    }

    /// A DHCPNAK sends the client back to INIT, which starts over at once.
    #[test]
    fn nak_restarts() {
        let cfg = builtin("dhcprelease").unwrap().validate().unwrap();
        let mut rng = Rng::new(1);
        let mut ids = 0;
        let mut c = Client::new(0);
        let mut ctx = Ctx::for_test(Time::ZERO, &cfg, &mut rng, &mut ids);
        c.on_script(Action::Boot, &mut ctx);
        c.state = ClientState::Requesting;
        let mut nak = ack(&c, &cfg, 0);
        nak.message_type = DhcpType::Nak;
        let xid = c.xid;
        c.on_packet(&nak, &mut ctx);
        assert_eq!(c.state, ClientState::Selecting);
        assert_ne!(c.xid, xid, "a new transaction");
        // A reply for another transaction is dropped.
        let stale = ack(&c, &cfg, 60);
        let mut other = stale.clone();
        other.xid ^= 1;
        c.on_packet(&other, &mut ctx);
        assert_eq!(c.state, ClientState::Selecting);
    }

    /// dhclient's T1 for a 30 s lease falls 12 to 16 s after binding, as recorded.
    #[test]
    fn dhclient_t1_spread() {
        let mut cfg = (*builtin("isc-release").unwrap().validate().unwrap()).clone();
        cfg.clients[0].timing = ClientTiming::Dhclient;
        for seed in 0..50 {
            let mut rng = Rng::new(seed);
            let mut ids = 0;
            let mut c = Client::new(0);
            let mut ctx = Ctx::for_test(Time::ZERO, &cfg, &mut rng, &mut ids);
            c.on_script(Action::Boot, &mut ctx);
            c.state = ClientState::Requesting;
            let mut m = ack(&c, &cfg, 30);
            m.server_id = Some(cfg.primary_address);
            c.on_packet(&m, &mut ctx);
            let t1 = c.t1_at.unwrap().secs();
            assert!((12..=16).contains(&t1), "seed {seed}: T1 {t1}");
            assert_eq!(c.t2_at, Some(Time::from_secs(26)));
        }
    }
}
