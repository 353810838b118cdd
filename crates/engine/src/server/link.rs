//! The server's side of the failover relationship: the TCP connection and
//! its messages, the failover state machine, and the operator's actions.
//!
//! The connection follows reference notes §3.6 and §4: only the primary sends
//! CONNECT; the secondary checks the relationship name and the clocks (more
//! than 60 s apart: CONNECTACK with reject reason 4) and answers CONNECTACK
//! and STATE. Each side then announces its state and reacts to the other's
//! (§3.4); UPDREQ, UPDREQALL and UPDDONE carry the bulk updates of RECOVER
//! and POTENTIAL-CONFLICT. UPDDONE goes out once the last requested update
//! has been sent, before its BNDACK returns, as the recorded real pair does
//! (the reference notes word it as "after the BNDACK of the last one"; TCP
//! keeps the order, so the receiver has every update when UPDDONE arrives).
//! A connection is lost when the peer closes it (its process died, or it
//! gave up) or when nothing has been heard for
//! `max-response-delay` seconds; the primary tries to connect again every
//! 5 s.
//!
//! CONTACT keep-alives are modelled by their effect: a peer that hears
//! nothing else gets one every `max-response-delay / 3` seconds, so when the
//! link is cut the watchdog fires `max-response-delay` after the last
//! message or keep-alive that got through, which is when it is armed.
//!
//! States follow §3.2–§3.5: STARTUP for 15 s or until the peer's STATE, the
//! saved state across restarts (and STOS kept), the link-lost mapping, the
//! entry actions (balancing and the resend of unacknowledged updates in
//! NORMAL, UPDREQALL in RECOVER, UPDREQ in POTENTIAL-CONFLICT, the RECOVER-WAIT
//! timer, the PARTNER-DOWN pool timers, the auto-partner-down timer).

use crate::failover::{self, FailoverState, PeerStateReaction};
use crate::lease::BindingState;
use crate::packet::{Connect, ConnectAck, Control, Disconnect, FailoverMessage, StateMessage};
use crate::scenario::Action;
use crate::sim::{Ctx, ServerTimer, RECONNECT};
use crate::time::{Duration, Time};
use crate::trace::{AckFlushReason, Effect, StateCause, Why};

use super::Server;
use crate::packet::Role;

/// The link start-up timeout: CONNECT sent, no CONNECTACK within it.
const LINK_STARTUP: Duration = Duration::from_secs(15);
/// How long an orderly shutdown waits for the peer's PARTNER-DOWN.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

impl Server {
    /// Bumped at every stop and start; timers from an older life are void.
    pub fn life(&self) -> u32 {
        self.life
    }

    /// Whether the dhcpd process runs.
    pub fn running(&self) -> bool {
        self.state != FailoverState::Down
    }

    /// The TCP connection the server is attached to, if any.
    pub fn connection(&self) -> Option<u32> {
        self.conn
    }

    /// Whether CONNECT and CONNECTACK have been exchanged on the connection.
    pub fn connected(&self) -> bool {
        self.conn.is_some() && self.established
    }

    /// When this server last put a message on the link.
    pub fn last_sent(&self) -> Time {
        self.last_sent
    }

    /// The generation of the live reconnect timer; older ones are void.
    pub(crate) fn reconnect_generation(&self) -> u32 {
        self.reconnect_generation
    }

    /// Arms the reconnect timer, replacing any earlier one, so that a server
    /// keeps a single chain of connection attempts.
    pub(crate) fn arm_reconnect(&mut self, ctx: &mut Ctx, at: Time) {
        self.reconnect_generation += 1;
        let timer = ServerTimer::Reconnect { generation: self.reconnect_generation };
        self.arm(ctx, at, timer);
    }

    /// Binding updates flow once both sides have announced their states.
    pub(super) fn updates_flow(&self) -> bool {
        self.connected() && self.peer_heard
    }

    pub(super) fn take_xid(&mut self) -> u32 {
        let xid = self.next_xid;
        self.next_xid = xid.wrapping_add(1);
        xid
    }

    /// Puts a message on the connection.
    pub(super) fn put(&mut self, msg: FailoverMessage, why: Why, ctx: &mut Ctx) {
        let Some(conn) = self.conn else { return };
        self.last_sent = ctx.now;
        ctx.send_failover(self.role, msg, conn, why);
    }

    /// Puts a message of this server's own (not an ack) on the connection,
    /// flushing queued BNDACKs first, as dhcpd does.
    fn put_own(&mut self, msg: FailoverMessage, why: Why, ctx: &mut Ctx) {
        self.flush_acks(AckFlushReason::BeforeOwnMessage, ctx);
        self.put(msg, why, ctx);
    }

    fn control(&mut self, ctx: &Ctx) -> Control {
        Control { xid: self.take_xid(), time: ctx.header_clock(self.role) }
    }

    /// Whether a segment of connection `conn` is for this server: one of its
    /// own connection, or a CONNECT that opens the latest one.
    pub(crate) fn accepts_segment(&self, conn: u32, msg: &FailoverMessage, latest: u32) -> bool {
        match self.conn {
            Some(c) => c == conn,
            None => {
                self.role == Role::Secondary
                    && conn == latest
                    && matches!(msg, FailoverMessage::Connect(_))
            }
        }
    }

    // ----- the connection -----

    /// The primary's TCP connection `conn` is up: it opens the conversation.
    pub(crate) fn on_tcp_open(&mut self, conn: u32, ctx: &mut Ctx) {
        self.attach(conn, ctx);
        let cfg = ctx.cfg;
        let connect = Connect {
            xid: self.take_xid(),
            time: ctx.header_clock(self.role),
            name: cfg.peer_name.clone(),
            max_unacked: cfg.max_unacked_updates,
            receive_timer: cfg.max_response_delay as u32,
            mclt: cfg.mclt as u32,
            hba: cfg.hba.bytes().to_vec(),
        };
        self.put(FailoverMessage::Connect(connect), Why::SendConnect, ctx);
        self.arm(ctx, ctx.now.plus(LINK_STARTUP), ServerTimer::LinkStartup { conn });
    }

    fn attach(&mut self, conn: u32, ctx: &Ctx) {
        self.conn = Some(conn);
        self.established = false;
        self.peer_heard = false;
        self.next_xid = 0;
        self.outstanding = 0;
        self.last_sent = ctx.now;
        self.watchdog_generation += 1;
    }

    /// The peer closed connection `conn`; false when it is not ours any more.
    pub(crate) fn on_tcp_closed(&mut self, conn: u32, ctx: &mut Ctx) -> bool {
        if self.conn != Some(conn) || !self.running() {
            return false;
        }
        self.lose_connection(Why::PeerClosed, ctx);
        true
    }

    /// The peer's messages stopped getting through (a cut). The watchdog fires
    /// `max-response-delay` after the last one that arrived, counting the
    /// CONTACT keep-alives the peer sends every third of that when idle.
    pub(crate) fn peer_went_quiet(&mut self, peer_last_sent: Time, ctx: &mut Ctx) {
        let Some(conn) = self.conn.filter(|_| self.running()) else { return };
        let mrd = Duration::from_secs(ctx.cfg.max_response_delay);
        let interval = Duration::from_secs((ctx.cfg.max_response_delay / 3).max(1));
        let latency = ctx.cfg.link_latency;
        let now = ctx.now;
        // The last message or keep-alive that left early enough to arrive before the cut.
        let last_heard = match now.0.checked_sub(latency.0) {
            Some(latest_send) if latest_send >= peer_last_sent.0 => {
                let idle = latest_send - peer_last_sent.0;
                Time(peer_last_sent.0 + idle / interval.0 * interval.0 + latency.0)
            }
            _ => Time(now.0.saturating_sub(interval.0)),
        };
        let fire = last_heard.plus(mrd).max(now);
        self.watchdog_generation += 1;
        let timer = ServerTimer::Watchdog { conn, generation: self.watchdog_generation };
        self.arm(ctx, fire, timer);
        let why = Why::WatchdogArmed { role: self.role, last_heard, fires_at: fire };
        ctx.effect(Effect::Note { why });
    }

    /// The peer's messages get through again before the watchdog fired.
    pub(crate) fn peer_heard_again(&mut self) {
        self.watchdog_generation += 1;
    }

    /// Drops the connection: un-acked updates go back to the queue, acks in
    /// the queue are lost with it, and the state follows the link-lost rule.
    fn lose_connection(&mut self, why: Why, ctx: &mut Ctx) {
        self.conn = None;
        self.established = false;
        self.peer_heard = false;
        self.outstanding = 0;
        self.ack_queue.clear();
        self.update_request = None;
        self.watchdog_generation += 1;
        self.requeue_unacked();
        ctx.effect(Effect::Note { why });
        if self.role == Role::Primary {
            self.arm_reconnect(ctx, ctx.now.plus(RECONNECT));
        }
        if self.exiting {
            return self.finish_shutdown(ctx);
        }
        if self.state != FailoverState::Startup {
            if let Some(next) = self.state.on_link_lost() {
                self.set_state(next, StateCause::LinkLost, ctx);
            }
        }
    }

    /// Closes the connection from this side.
    fn close(&mut self, why: Why, ctx: &mut Ctx) {
        if let Some(conn) = self.conn {
            ctx.tcp_close(self.role, conn);
        }
        self.lose_connection(why, ctx);
    }

    /// Every lease whose update the peer has not acknowledged goes back on the
    /// update queue (dhcpd does this when the link is lost, at start-up and on
    /// entering NORMAL). Updates still in flight on a live connection stay
    /// in flight.
    fn requeue_unacked(&mut self) {
        let live = self.updates_flow();
        for i in 0..self.leases.len() {
            let l = &mut self.leases[i];
            if live && l.pending_xid.is_some() {
                continue;
            }
            let pending = l.pending_xid.take().is_some();
            if pending || l.tstp > l.atsfp || l.binding.is_transitional() {
                self.queue_update(i);
            }
        }
    }

    // ----- messages -----

    /// A connection-level message from the peer.
    pub(super) fn on_link_message(&mut self, msg: &FailoverMessage, conn: u32, ctx: &mut Ctx) {
        match msg {
            FailoverMessage::Connect(m) => self.on_connect(m, conn, ctx),
            FailoverMessage::ConnectAck(m) => self.on_connect_ack(m, ctx),
            FailoverMessage::State(m) => self.on_state(m, ctx),
            FailoverMessage::UpdReq(c) => self.on_update_request(c.xid, false, ctx),
            FailoverMessage::UpdReqAll(c) => self.on_update_request(c.xid, true, ctx),
            FailoverMessage::UpdDone(_) => self.on_update_done(ctx),
            FailoverMessage::PoolReq(c) => self.on_pool_request(c.xid, ctx),
            FailoverMessage::PoolResp(m) => {
                ctx.effect(Effect::Note { why: Why::PoolRespReceived { count: m.transferred } })
            }
            FailoverMessage::Disconnect(m) => {
                let why = Why::DisconnectReceived {
                    reason: m.reject_reason,
                    text: m.message.clone().unwrap_or_default(),
                };
                self.close(why, ctx);
            }
            FailoverMessage::BndUpd(_) | FailoverMessage::BndAck(_) => {}
        }
    }

    fn skew(&self, peer_time: u64, ctx: &Ctx) -> u64 {
        peer_time.abs_diff(ctx.header_clock(self.role))
    }

    /// The secondary receives CONNECT (reference §4.4).
    fn on_connect(&mut self, m: &Connect, conn: u32, ctx: &mut Ctx) {
        self.attach(conn, ctx);
        let cfg = ctx.cfg;
        let skew = self.skew(m.time, ctx);
        let refusal = if m.name != cfg.peer_name {
            let text = format!("unknown failover relationship name {}", m.name);
            Some((failover::REJECT_INVALID_PARTNER, text))
        } else if skew > failover::MAX_CLOCK_SKEW {
            Some((failover::REJECT_TIME_MISMATCH, format!("time offset too large: {skew}s")))
        } else {
            None
        };
        let mut ack = ConnectAck {
            xid: m.xid,
            time: ctx.header_clock(self.role),
            name: cfg.peer_name.clone(),
            max_unacked: cfg.max_unacked_updates,
            receive_timer: cfg.max_response_delay as u32,
            reject_reason: None,
            message: None,
        };
        if let Some((reason, text)) = refusal {
            ack.reject_reason = Some(reason);
            ack.message = Some(text.clone());
            let why = Why::ConnectRefused { reason, text, skew };
            self.put(FailoverMessage::ConnectAck(ack), why, ctx);
            // The refusing side closes its end after the answer.
            ctx.tcp_close(self.role, conn);
            self.conn = None;
            return;
        }
        self.established = true;
        let why = Why::ConnectAccepted { mclt: u64::from(m.mclt), skew };
        self.put(FailoverMessage::ConnectAck(ack), why, ctx);
        self.send_state(ctx);
    }

    /// The primary receives CONNECTACK.
    fn on_connect_ack(&mut self, m: &ConnectAck, ctx: &mut Ctx) {
        if let Some(reason) = m.reject_reason {
            let text = m.message.clone().unwrap_or_default();
            return self.close(Why::ConnectAckRefused { reason, text }, ctx);
        }
        let skew = self.skew(m.time, ctx);
        if skew > failover::MAX_CLOCK_SKEW {
            let text = format!("time offset too large: {skew}s");
            let disconnect = Disconnect {
                xid: self.take_xid(),
                time: ctx.header_clock(self.role),
                reject_reason: failover::REJECT_TIME_MISMATCH,
                message: Some(text.clone()),
            };
            let why = Why::SkewDisconnect { skew };
            self.put(FailoverMessage::Disconnect(disconnect), why.clone(), ctx);
            return self.close(why, ctx);
        }
        self.established = true;
        ctx.effect(Effect::Note { why: Why::Established { skew } });
        self.send_state(ctx);
    }

    /// Announces the current state (the saved one, flagged, while in STARTUP).
    fn send_state(&mut self, ctx: &mut Ctx) {
        if !self.connected() {
            return;
        }
        let startup = self.state == FailoverState::Startup;
        let state = if startup { self.saved_state } else { self.state };
        let msg = StateMessage {
            xid: self.take_xid(),
            time: ctx.header_clock(self.role),
            state,
            startup,
            stos: self.stos,
        };
        self.put_own(FailoverMessage::State(msg), Why::SendState { state, startup }, ctx);
    }

    /// The peer announced its state (reference §3.4).
    fn on_state(&mut self, m: &StateMessage, ctx: &mut Ctx) {
        let was = self.partner;
        let first = !self.peer_heard;
        self.peer_heard = true;
        if first || was != Some(m.state) {
            self.partner_since = ctx.clock();
        }
        self.partner = Some(m.state);
        self.partner_stos = m.stos;
        let in_startup = self.state == FailoverState::Startup;
        let mine = if in_startup { self.saved_state } else { self.state };
        let reaction = failover::react_to_peer_state(mine, in_startup, was, m.state, m.startup);
        let why = Why::PeerState { state: m.state, startup: m.startup, reaction };
        ctx.effect(Effect::Note { why });
        let cause = StateCause::PeerState { peer: m.state };
        match reaction {
            PeerStateReaction::Stay => {}
            PeerStateReaction::MoveTo(next) => self.set_state(next, cause, ctx),
            PeerStateReaction::RequestAll => self.send_update_request(true, ctx),
            PeerStateReaction::Request => self.send_update_request(false, ctx),
            PeerStateReaction::ResumeNormal => {
                self.set_state(FailoverState::Normal, cause, ctx);
            }
        }
        if self.state == FailoverState::Startup {
            // Out of STARTUP into the saved state (RESOLUTION-INTERRUPTED resumes
            // as POTENTIAL-CONFLICT).
            let next = match self.saved_state {
                FailoverState::ResolutionInterrupted => FailoverState::PotentialConflict,
                s => s,
            };
            self.set_state(next, StateCause::StartupResume, ctx);
        }
        if self.exiting && m.state == FailoverState::PartnerDown {
            return self.finish_shutdown(ctx);
        }
        // A first STATE lets queued updates go out (not one still flagged
        // STARTUP, which a server in PARTNER-DOWN ignores entirely).
        if first && !(m.startup && mine == FailoverState::PartnerDown) {
            self.send_updates(ctx);
        }
    }

    fn send_update_request(&mut self, all: bool, ctx: &mut Ctx) {
        if !self.connected() {
            return;
        }
        let c = self.control(ctx);
        let msg = if all { FailoverMessage::UpdReqAll(c) } else { FailoverMessage::UpdReq(c) };
        self.put_own(msg, Why::SendUpdateRequest { all }, ctx);
    }

    /// UPDREQ or UPDREQALL: queue what was asked for, send it, then UPDDONE.
    fn on_update_request(&mut self, xid: u32, all: bool, ctx: &mut Ctx) {
        let before = self.update_queue.len();
        for i in 0..self.leases.len() {
            let l = &self.leases[i];
            // An update still waiting for its ack is on its way already.
            let wanted = all || l.tstp > l.atsfp || l.binding.is_transitional();
            if wanted && l.pending_xid.is_none() {
                self.queue_update(i);
            }
        }
        let count = self.update_queue.len().max(before);
        ctx.effect(Effect::Note { why: Why::UpdateRequested { all, count } });
        self.update_request = Some(xid);
        self.send_updates(ctx);
    }

    /// UPDDONE: the peer has sent everything asked for (reference §3.3).
    fn on_update_done(&mut self, ctx: &mut Ctx) {
        let over = self.stos_back_dated || self.stos + ctx.cfg.mclt <= ctx.clock();
        ctx.effect(Effect::Note { why: Why::UpdateDoneReceived });
        if let Some(next) = failover::on_update_done(self.state, self.role, self.partner, over) {
            self.set_state(next, StateCause::UpdateDone, ctx);
        }
    }

    // ----- states -----

    /// Moves to `next` with dhcpd's entry actions (reference §3.5).
    pub(super) fn set_state(&mut self, next: FailoverState, cause: StateCause, ctx: &mut Ctx) {
        let from = self.state;
        if next == from {
            return;
        }
        let now = ctx.clock();
        let keeps_stos = next == FailoverState::RecoverWait
            || next == FailoverState::Startup
            || from == FailoverState::Startup
            || from == FailoverState::Down;
        if !keeps_stos {
            self.stos = now;
            self.stos_back_dated = false;
        }
        self.state = next;
        if next != FailoverState::Startup && next != FailoverState::Down {
            self.saved_state = next;
        }
        self.state_generation += 1;
        let generation = self.state_generation;
        let why = Why::StateChange { to: next, cause };
        ctx.effect(Effect::ServerState { server: self.role, from, to: next, why });
        self.send_state(ctx);
        match next {
            FailoverState::CommunicationsInterrupted => {
                if let Some(secs) = ctx.cfg.auto_partner_down {
                    let at = ctx.now.plus(Duration::from_secs(secs));
                    self.arm(ctx, at, ServerTimer::AutoPartnerDown { generation });
                }
            }
            FailoverState::Normal => {
                self.requeue_unacked();
                self.balance(false, ctx);
                self.send_updates(ctx);
            }
            FailoverState::PotentialConflict => {
                let ask =
                    self.role == Role::Primary || self.partner == Some(FailoverState::ConflictDone);
                if ask {
                    self.send_update_request(false, ctx);
                }
            }
            FailoverState::RecoverWait => {
                let at = if self.stos_back_dated { 0 } else { self.stos + ctx.cfg.mclt };
                let at = Time::from_secs(at).max(ctx.now);
                self.arm(ctx, at, ServerTimer::RecoverWaitOver { generation });
            }
            FailoverState::Recover => self.send_update_request(true, ctx),
            FailoverState::PartnerDown => {
                for i in 0..self.leases.len() {
                    if self.leases[i].binding.is_transitional() {
                        self.partner_down_free_time(i, ctx);
                    }
                }
            }
            FailoverState::Startup => {
                let at = ctx.now.plus(Duration::from_secs(failover::STARTUP_SECS));
                self.arm(ctx, at, ServerTimer::Startup { generation });
            }
            _ => {}
        }
        // Outside NORMAL the secondary expires leases itself (reference §1.3 L5).
        if self.role == Role::Secondary && self.running() && next != FailoverState::Normal {
            for i in 0..self.leases.len() {
                let l = &self.leases[i];
                if l.binding == BindingState::Active && l.ends <= now {
                    self.expire(i, ctx);
                }
            }
        }
    }

    /// Connection and state timers.
    pub(super) fn on_link_timer(&mut self, timer: &ServerTimer, ctx: &mut Ctx) -> bool {
        let current = self.state_generation;
        match *timer {
            ServerTimer::Startup { generation } if generation == current => {
                // No STATE from the peer: the saved state, as after losing the link.
                let saved = self.saved_state;
                let next = saved.on_link_lost().unwrap_or(saved);
                self.set_state(next, StateCause::StartupTimeout, ctx);
                true
            }
            ServerTimer::AutoPartnerDown { generation } if generation == current => {
                let after = ctx.cfg.auto_partner_down.unwrap_or(0);
                let cause = StateCause::AutoPartnerDown { after };
                self.set_state(FailoverState::PartnerDown, cause, ctx);
                true
            }
            ServerTimer::ShutdownExit { generation } if generation == current && self.exiting => {
                self.finish_shutdown(ctx);
                true
            }
            ServerTimer::RecoverWaitOver { generation } if generation == current => {
                self.set_state(FailoverState::RecoverDone, StateCause::RecoverWaitOver, ctx);
                true
            }
            ServerTimer::Watchdog { conn, generation } => {
                if self.conn != Some(conn) || generation != self.watchdog_generation {
                    return false;
                }
                let mrd = ctx.cfg.max_response_delay;
                self.close(Why::NoContact { max_response_delay: mrd }, ctx);
                true
            }
            ServerTimer::LinkStartup { conn } => {
                if self.conn != Some(conn) || self.established {
                    return false;
                }
                self.close(Why::LinkStartupTimeout, ctx);
                true
            }
            _ => false,
        }
    }

    // ----- the operator -----

    /// An operator action aimed at this server.
    pub(crate) fn on_operator(&mut self, action: Action, ctx: &mut Ctx) {
        let running = self.running();
        match action {
            Action::Stop(_) if running => self.stop(Why::ProcessKilled, ctx),
            Action::ShutdownServer(_) if running => self.orderly_shutdown(ctx),
            Action::Start(_) if !running => self.start(false, ctx),
            Action::StartEmpty(_) if !running => self.start(true, ctx),
            Action::PartnerDown(_) if running => {
                self.exiting = false;
                self.set_state(FailoverState::PartnerDown, StateCause::Operator, ctx)
            }
            Action::Pause(_) if running => {
                self.exiting = false;
                self.set_state(FailoverState::Paused, StateCause::Operator, ctx)
            }
            Action::Resume(_) if self.state == FailoverState::Paused => {
                // COMMUNICATIONS-INTERRUPTED is announced; the peers agree again
                // through the usual STATE exchange.
                let next = FailoverState::CommunicationsInterrupted;
                self.set_state(next, StateCause::Operator, ctx);
                // A peer state learnt while paused that calls for a move (its
                // SHUTDOWN or RECOVER) is acted on now; a return to NORMAL waits
                // for the peer's answer to the new STATE.
                if let Some(peer) = self.partner.filter(|_| self.connected()) {
                    let reaction = failover::react_to_peer_state(next, false, None, peer, false);
                    if let PeerStateReaction::MoveTo(state) = reaction {
                        self.set_state(state, StateCause::PeerState { peer }, ctx);
                    }
                }
            }
            _ => {
                let why = Why::OperatorNoEffect { state: self.state };
                ctx.effect(Effect::Note { why });
            }
        }
    }

    /// The process dies: the kernel closes its connection; the lease file
    /// (leases, state, STOS) survives.
    fn stop(&mut self, why: Why, ctx: &mut Ctx) {
        if let Some(conn) = self.conn {
            ctx.tcp_close(self.role, conn);
        }
        ctx.effect(Effect::Note { why });
        self.conn = None;
        self.established = false;
        self.peer_heard = false;
        // A kill ends an orderly shutdown too.
        self.exiting = false;
        self.outstanding = 0;
        self.ack_queue.clear();
        self.update_queue.clear();
        self.update_request = None;
        self.balance_due = None;
        for l in &mut self.leases {
            l.pending_xid = None;
        }
        let from = self.state;
        self.state = FailoverState::Down;
        self.life += 1;
        let why = Why::StateChange { to: FailoverState::Down, cause: StateCause::Stopped };
        ctx.effect(Effect::ServerState { server: self.role, from, to: FailoverState::Down, why });
    }

    /// OMAPI's orderly shutdown: SHUTDOWN is announced and the process waits
    /// for the peer to take over (its PARTNER-DOWN), at most
    /// [`SHUTDOWN_WAIT`]; then it writes RECOVER (STOS back-dated by the MCLT
    /// when the partner is in PARTNER-DOWN and nothing is pending, so the
    /// restart needs no wait) and exits.
    fn orderly_shutdown(&mut self, ctx: &mut Ctx) {
        self.set_state(FailoverState::Shutdown, StateCause::Operator, ctx);
        if !self.connected() {
            return self.finish_shutdown(ctx);
        }
        self.exiting = true;
        let generation = self.state_generation;
        self.arm(ctx, ctx.now.plus(SHUTDOWN_WAIT), ServerTimer::ShutdownExit { generation });
    }

    /// The end of an orderly shutdown.
    pub(super) fn finish_shutdown(&mut self, ctx: &mut Ctx) {
        self.exiting = false;
        let now = ctx.clock();
        let nothing_pending = self.update_queue.is_empty() && self.outstanding == 0;
        let back_date = self.partner == Some(FailoverState::PartnerDown) && nothing_pending;
        self.stop(Why::OrderlyExit { back_dated: back_date }, ctx);
        self.saved_state = FailoverState::Recover;
        // dhcpd's times are Unix seconds, so STOS − MCLT is always a time; the
        // model's clock starts at 1, so a back-date before the start is kept as
        // "the MCLT is already over".
        self.stos = if back_date { now.saturating_sub(ctx.cfg.mclt).max(1) } else { now };
        self.stos_back_dated = back_date;
    }

    /// The process starts, from its lease file or from an empty one.
    fn start(&mut self, empty: bool, ctx: &mut Ctx) {
        self.life += 1;
        if empty {
            self.leases = Self::virgin_leases(ctx.cfg);
            self.next_rank = self.leases.len() as u64 + 1;
            self.saved_state = FailoverState::Recover;
            self.stos = ctx.clock();
            self.stos_back_dated = false;
        }
        self.partner = None;
        self.partner_stos = 0;
        self.partner_since = 0;
        ctx.effect(Effect::Note { why: Why::ProcessStarted { empty, saved: self.saved_state } });
        self.set_state(FailoverState::Startup, StateCause::Started, ctx);
        // dhcpd re-sends what the peer never acknowledged, and re-arms its timers.
        self.requeue_unacked();
        for i in 0..self.leases.len() {
            let l = &self.leases[i];
            if matches!(l.binding, BindingState::Active | BindingState::Abandoned) {
                let ends = l.ends;
                self.arm_lease_end(i, ends, ctx);
            }
        }
        // Both sides try to connect at start.
        self.arm_reconnect(ctx, ctx.now);
    }
}
