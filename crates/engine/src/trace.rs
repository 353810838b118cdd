//! The trace: one [`Step`] per event the world processes.
//!
//! A step says who acted ([`Step::node`]), what it reacted to ([`Cause`]), and
//! what followed ([`Effect`]): packets sent, lease and client states changed,
//! decisions taken. Every effect carries a typed [`Why`] naming the rule. The
//! trace is the simulation's log; [`Step::summary`] and [`Step::why`] turn it
//! into the sentences the UI and the command line show, in one place.

use std::net::Ipv4Addr;

use crate::client::ClientState;
use crate::failover::{FailoverState, PeerStateReaction};
use crate::lease::BindingState;
use crate::packet::{Body, DhcpType, FailoverMessage, Node, Packet, Role};
use crate::scenario::{Action, Config, LinkCut, PingTimer};
use crate::time::{Duration, Time};

/// One processed event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Position in the trace, from 0.
    pub index: u32,
    /// Virtual time of the event.
    pub at: Time,
    /// Who acted.
    pub node: Node,
    /// What it reacted to.
    pub cause: Cause,
    /// What followed, in order.
    pub effects: Vec<Effect>,
}

/// The input of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A scripted action of a person.
    Script(Action),
    /// A packet arrived.
    Received(Packet),
    /// A timer fired (or the TCP connection changed).
    Timer(Timer),
    /// A packet was lost on the way, or found nobody to take it.
    Dropped(Packet, DropReason),
}

/// Why a packet did not reach its receiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// The configured loss rate of the receiver's wire.
    Loss { percent: u8 },
    /// The operator asked to drop the next packet.
    DropNext,
    /// The receiving server's process is not running.
    ServerDown,
    /// The server link is cut; TCP keeps the message to send again.
    LinkCutHeld,
}

/// Why a server changed failover state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateCause {
    /// The process started: STARTUP.
    Started,
    /// The process stopped.
    Stopped,
    /// STARTUP's 15 s passed without a STATE from the peer.
    StartupTimeout,
    /// The peer's STATE arrived: STARTUP ends in the saved state.
    StartupResume,
    /// The connection to the peer was lost.
    LinkLost,
    /// The peer announced a state.
    PeerState { peer: FailoverState },
    /// The peer's UPDDONE arrived.
    UpdateDone,
    /// RECOVER-WAIT reached STOS + MCLT.
    RecoverWaitOver,
    /// auto-partner-down's wait passed.
    AutoPartnerDown { after: u64 },
    /// The operator set the state.
    Operator,
}

/// Timers that produce steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The ping check before an OFFER found no answer.
    PingTimeout { client: u16, address: Ipv4Addr },
    /// The BNDACK batching timer.
    AckFlush,
    /// A lease's `ends` was reached.
    LeaseEnd { address: Ipv4Addr },
    /// Client: T1.
    Renew,
    /// Client: T2.
    Rebind,
    /// Client: the lease ran out.
    Expiry,
    /// Client: no answer, send again.
    Retransmit,
    /// Client: the wait after a decline is over.
    Restart,
    /// PARTNER-DOWN's pool timer for a transitional lease.
    PoolTimer { address: Ipv4Addr },
    /// STARTUP's 15 seconds are over.
    Startup,
    /// A TCP connection to the peer came up.
    TcpOpen,
    /// The peer closed the TCP connection.
    TcpClosed,
    /// max-response-delay passed without a message from the peer.
    Watchdog,
    /// No CONNECTACK within 15 s of opening the connection.
    LinkStartup,
    /// auto-partner-down's wait is over.
    AutoPartnerDown,
    /// RECOVER-WAIT's MCLT is over.
    RecoverWaitOver,
    /// An orderly shutdown stops waiting for the peer.
    ShutdownExit,
    /// The pool balancing timer.
    Balance,
}

/// One consequence of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A packet left the acting node (boxed: effects stay small to move around).
    Sent { packet: Box<Packet>, why: Why },
    /// A server's view of an address changed (or was refreshed when `from == to`).
    Lease { server: Role, address: Ipv4Addr, from: BindingState, to: BindingState, why: Why },
    /// A client changed state.
    Client { client: u16, from: ClientState, to: ClientState, why: Why },
    /// A server's failover state changed.
    ServerState { server: Role, from: FailoverState, to: FailoverState, why: Why },
    /// A decision that changed nothing visible (an ignored packet, a queued ack).
    Note { why: Why },
}

impl Effect {
    /// The reason attached to this effect.
    pub fn why(&self) -> &Why {
        match self {
            Effect::Sent { why, .. }
            | Effect::Lease { why, .. }
            | Effect::Client { why, .. }
            | Effect::ServerState { why, .. }
            | Effect::Note { why } => why,
        }
    }
}

/// How the granted lease time was chosen (reference §5.1, draft-12 §5.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaseTimeRule {
    /// The desired time is not above the MCLT.
    WithinMclt { desired: u64, mclt: u64 },
    /// Nothing acknowledged beyond now (`tsfp` ≤ now): MCLT only.
    FirstMclt { desired: u64, mclt: u64 },
    /// The peer's acknowledged time limits the lease to `tsfp` + MCLT.
    CappedByTsfp { desired: u64, mclt: u64, tsfp: u64 },
    /// The peer has acknowledged enough: the full desired time.
    Desired { desired: u64, mclt: u64, tsfp: u64 },
}

impl LeaseTimeRule {
    fn sentence(&self) -> String {
        match *self {
            LeaseTimeRule::WithinMclt { desired, mclt } => format!(
                "the desired {} is not above the MCLT of {}, so no cap applies",
                secs(desired),
                secs(mclt)
            ),
            LeaseTimeRule::FirstMclt { desired, mclt } => format!(
                "the desired time is {}, but the peer has acknowledged nothing beyond now for \
                 this address (tsfp), so the lease is capped at the MCLT, {} (draft-12 §5.2.1)",
                secs(desired),
                secs(mclt)
            ),
            LeaseTimeRule::CappedByTsfp { desired, mclt, tsfp } => {
                format!(
                "the desired {} would end after the peer-acknowledged time {} plus the MCLT {}, \
                 so the lease ends there (draft-12 §5.2.1)",
                secs(desired), at(tsfp), secs(mclt)
            )
            }
            LeaseTimeRule::Desired { desired, mclt, tsfp } => {
                format!(
                "the peer has acknowledged {} (tsfp) and now + {} stays within tsfp + MCLT {}, \
                 so the full desired time is granted",
                at(tsfp), secs(desired), secs(mclt)
            )
            }
        }
    }
}

/// Why something happened: the rule, with the numbers it used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    // ----- clients -----
    /// The script booted the client.
    Boot,
    /// No answer: retransmit after a back-off.
    Retransmit { attempt: u32, wait: Duration },
    /// No answer in RENEWING or REBINDING: ask again (RFC 2131 §4.4.5 timing).
    RenewRetransmit { attempt: u32 },
    /// The first OFFER is taken.
    TakeOffer { server: Role, address: Ipv4Addr, lease_time: u32 },
    /// An OFFER arrived when the client no longer wanted one.
    IgnoreOffer,
    /// A reply for another transaction or an unexpected state.
    IgnoreReply { state: ClientState },
    /// DHCPACK received: bound.
    Bound { address: Ipv4Addr, lease_time: u32, t1: Time, t2: Time, timing_dhclient: bool },
    /// DHCPNAK received.
    Nak,
    /// T1: renew by unicast.
    RenewAtT1 { server: Role },
    /// T2: rebind by broadcast.
    RebindAtT2,
    /// The lease ran out at the client.
    ClientExpired,
    /// The script made the client release.
    Release { server: Role, address: Ipv4Addr },
    /// A release was scripted but the client holds no lease.
    NothingToRelease { state: ClientState },
    /// A decline or inform was scripted but the client has no address.
    NoAddress { state: ClientState, action: &'static str },
    /// Shutdown: releases first or keeps the lease, by profile.
    Shutdown { releases: bool },
    /// Leaves the network without a word.
    Leave,
    /// The script reboots a running client.
    Reboot,
    /// The script makes the client decline its address.
    Decline { address: Ipv4Addr },
    /// Ten seconds after a decline the client starts over.
    RestartAfterDecline,
    /// The script makes the client ask for configuration only.
    Inform,
    /// A DHCPACK answered the client's DHCPINFORM.
    InformAnswered { server: Role },
    /// INIT-REBOOT: asks for the remembered address.
    InitReboot { address: Ipv4Addr },
    /// No server confirmed the remembered address.
    RebootUnanswered,
    /// A boot was scripted for a client that is already running.
    AlreadyRunning { state: ClientState },
    // ----- servers, DHCP side -----
    /// Load balancing: this server's bucket.
    BalancedHere { bucket: u8, split: u16, by_client_id: bool },
    /// Load balancing: the peer's bucket, so stay silent.
    BalancedToPeer { bucket: u8, split: u16, by_client_id: bool },
    /// `secs` above the limit: both servers answer.
    SecsOverride { secs: u16, max: u64 },
    /// `load balance max seconds` is 0: both answer.
    BalancingOff,
    /// The peer has no free leases, so balancing is cancelled.
    PeerPoolEmpty { bucket: u8 },
    /// A lease was picked for the OFFER and is pinged first.
    PingFirst { address: Ipv4Addr, wait: Duration, timer: PingTimer },
    /// The offer goes out.
    Offer { address: Ipv4Addr, rule: LeaseTimeRule, reused: bool },
    /// The client already holds this lease: offered again.
    OfferExisting { address: Ipv4Addr },
    /// No lease this server may give.
    NoFreeLease { peer_has: usize },
    /// A REQUEST answered with DHCPACK; `peer_told`: the BNDUPD goes out now.
    Ack { address: Ipv4Addr, rule: LeaseTimeRule, tstp: u64, renewal: bool, peer_told: bool },
    /// Renewal inside the first quarter of the lease: the same lease again, no update.
    CacheThreshold { remaining: u64 },
    /// The requested lease is in the peer's free pool.
    OwnedByPeer { address: Ipv4Addr, state: BindingState },
    /// The requested lease waits for the peer's agreement.
    InTransition { address: Ipv4Addr, state: BindingState },
    /// The requested lease belongs to another client.
    NakOtherClient { address: Ipv4Addr },
    /// The requested address is not one this server knows.
    UnknownAddress { address: Ipv4Addr },
    /// RELEASE accepted: RELEASED until the peer agrees.
    Released,
    /// RELEASE dropped.
    ReleaseIgnored { reason: &'static str },
    /// A server got a DHCP message it does not act on in this model.
    NotForServers,
    /// DHCPDECLINE accepted: the address is abandoned.
    Declined { address: Ipv4Addr },
    /// DHCPDECLINE dropped.
    DeclineIgnored { reason: &'static str },
    /// DHCPINFORM answered.
    Informed,
    /// No free lease left: the primary takes back an abandoned one.
    ReclaimAbandoned { address: Ipv4Addr },
    /// An abandoned lease's day is over.
    AbandonedTimeUp,
    /// The safety monitor found a broken property after this step.
    SafetyViolation { address: Ipv4Addr, message: String },
    /// The ping before an OFFER was answered.
    PingAnswered { address: Ipv4Addr },
    /// An abandoned lease requested at the secondary, which may not reclaim it.
    AbandonedNotMine { address: Ipv4Addr },
    // ----- servers, failover side -----
    /// A BNDUPD tells the peer about a change.
    SendUpdate { status: BindingState, potential_expiration: u64 },
    /// The update waits: the peer's window is full.
    WindowFull { outstanding: u32, window: u32 },
    /// A peer update was accepted and installed.
    UpdateAccepted { status: BindingState, installed: BindingState },
    /// A peer update was refused.
    UpdateRejected { reason: u8, text: String },
    /// The BNDACK waits in the ack queue.
    AckQueued { pending: usize, flush_at: Time },
    /// Queued BNDACKs go out.
    AckFlush { count: usize, because: AckFlushReason },
    /// The peer acknowledged: the transitional state becomes FREE.
    AckedToFree { was: BindingState },
    /// The peer acknowledged: tsfp catches up with tstp.
    AckedTsfp { tsfp: u64 },
    /// The peer refused our update.
    AckRejected { reason: u8, text: String },
    /// An ack for an update that has since been superseded.
    StaleAck { xid: u32 },
    /// MAC affinity: the last client hashes to the secondary.
    Affinity { bucket: u8, split: u16 },
    /// The primary expires a lease at its end.
    ExpireAtEnd { ends: u64 },
    /// The secondary reaches a lease's end in NORMAL and waits.
    SecondaryWaitsForPrimary,
    // ----- failover states and the connection -----
    /// The server's state does not let it answer this client.
    NotServing { state: FailoverState, partner: Option<FailoverState>, message: DhcpType },
    /// Outside NORMAL there is no load balancing: everyone is answered.
    AnswersEveryone { state: FailoverState },
    /// COMMUNICATIONS-INTERRUPTED release of a lease the peer never heard of.
    ReleasedRewind { to: BindingState },
    /// COMMUNICATIONS-INTERRUPTED release: RELEASED until the peer agrees.
    ReleasedStuck,
    /// PARTNER-DOWN release: FREE at `free_at` by the pool timer.
    ReleasedPartnerDown { free_at: u64 },
    /// COMMUNICATIONS-INTERRUPTED expiry of a lease the peer never heard of.
    ExpiredRewind { ends: u64, to: BindingState },
    /// Expiry outside PARTNER-DOWN by a server that cannot be acked now, or the secondary.
    ExpireStuck { ends: u64, state: FailoverState },
    /// PARTNER-DOWN expiry: FREE at `free_at` by the pool timer.
    ExpiredPartnerDown { ends: u64, free_at: u64 },
    /// PARTNER-DOWN's pool timer freed a transitional lease.
    PartnerDownFreed { tsfp: u64 },
    /// Everything asked for by UPDREQ/UPDREQALL has been sent.
    SendUpdDone,
    /// A packet was lost.
    Dropped { reason: DropReason },
    /// The operator armed "drop the next packet".
    DropNextArmed,
    /// The operator cut the link.
    LinkCut { cut: LinkCut },
    /// The operator repaired the link.
    LinkHealed,
    /// TCP sends a message again after the link healed.
    TcpRetransmit,
    /// The primary opens the conversation.
    SendConnect,
    /// The secondary refuses the CONNECT.
    ConnectRefused { reason: u8, text: String, skew: u64 },
    /// The secondary accepts the CONNECT.
    ConnectAccepted { mclt: u64, skew: u64 },
    /// The primary got a refusing CONNECTACK.
    ConnectAckRefused { reason: u8, text: String },
    /// The primary refuses the secondary's clock.
    SkewDisconnect { skew: u64 },
    /// The connection is established.
    Established { skew: u64 },
    /// STATE goes out.
    SendState { state: FailoverState, startup: bool },
    /// The peer's STATE arrived.
    PeerState { state: FailoverState, startup: bool, reaction: PeerStateReaction },
    /// UPDREQ or UPDREQALL goes out.
    SendUpdateRequest { all: bool },
    /// The peer asked for updates.
    UpdateRequested { all: bool, count: usize },
    /// The peer's UPDDONE arrived.
    UpdateDoneReceived,
    /// The peer sent DISCONNECT.
    DisconnectReceived { reason: u8, text: String },
    /// The peer closed the TCP connection.
    PeerClosed,
    /// The link is cut while connected: the watchdog is armed.
    WatchdogArmed { role: Role, last_heard: Time, fires_at: Time },
    /// Nothing heard for max-response-delay.
    NoContact { max_response_delay: u64 },
    /// No CONNECTACK within 15 s.
    LinkStartupTimeout,
    /// The failover state changed.
    StateChange { to: FailoverState, cause: StateCause },
    /// The operator's action does not apply in this state.
    OperatorNoEffect { state: FailoverState },
    /// The process was killed.
    ProcessKilled,
    /// The process exits after an orderly shutdown.
    OrderlyExit { back_dated: bool },
    /// The process starts.
    ProcessStarted { empty: bool, saved: FailoverState },
    /// A balancing run moved a lease to the peer's pool.
    Rebalanced { to_peer: BindingState },
    /// A balancing run.
    BalanceRun { free: u32, backup: u32, to_send: i32, moved: u32, imbalanced: bool },
    /// POOLREQ goes out.
    SendPoolReq,
    /// The peer asked for a balancing run.
    PoolReqReceived,
    /// POOLRESP goes out.
    SendPoolResp { count: u32 },
    /// The peer answered a POOLREQ.
    PoolRespReceived { count: u32 },
}

/// Why queued BNDACKs were sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckFlushReason {
    /// Two seconds after the last queued ack.
    Timer,
    /// Half the peer's window is waiting.
    HalfWindow,
    /// The server is about to send a message of its own.
    BeforeOwnMessage,
}

fn secs(s: u64) -> String {
    Duration::from_secs(s).human()
}

fn at(s: u64) -> String {
    Time::from_secs(s).clock()
}

/// Names for nodes, taken from the scenario.
pub fn node_name(cfg: &Config, node: Node) -> String {
    match node {
        Node::Operator => "operator".into(),
        Node::Primary => "primary".into(),
        Node::Secondary => "secondary".into(),
        Node::Client(i) => cfg
            .clients
            .get(usize::from(i))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| format!("client {i}")),
    }
}

impl Why {
    /// The reason as a sentence, naming the rule.
    pub fn sentence(&self, actor: &str) -> String {
        self.client_sentence(actor)
            .or_else(|| self.dhcp_sentence())
            .or_else(|| self.failover_sentence())
            .unwrap_or_default()
    }

    /// Reasons of client steps.
    fn client_sentence(&self, actor: &str) -> Option<String> {
        self.acquiring_sentence(actor).or_else(|| self.leaving_sentence(actor))
    }

    /// Getting and keeping a lease.
    fn acquiring_sentence(&self, actor: &str) -> Option<String> {
        Some(match self {
            Why::Boot => format!(
                "{actor} starts in INIT and broadcasts DHCPDISCOVER to find a server \
                 (RFC 2131 §4.4.1)"
            ),
            Why::Retransmit { attempt, wait } => format!(
                "no usable answer yet: {actor} sends again (attempt {attempt}) and will wait {} \
                 before the next try (RFC 2131 §4.1 back-off)",
                wait.human()
            ),
            Why::RenewRetransmit { attempt } => format!(
                "no DHCPACK yet: {actor} asks again (attempt {attempt}); while renewing or \
                 rebinding it waits half the time left until T2 or the lease's end, at least \
                 60 s (RFC 2131 §4.4.5)"
            ),
            Why::TakeOffer { server, address, lease_time } => format!(
                "{actor} takes the first offer, {address} for {} from the {server}, and \
                 broadcasts DHCPREQUEST naming the {server} in the server identifier, which \
                 tells the other server its offer was declined (RFC 2131 §4.4.1)",
                secs(u64::from(*lease_time))
            ),
            Why::IgnoreOffer => {
                format!("{actor} already chose an offer, so a later one is dropped")
            }
            Why::IgnoreReply { state } => format!(
                "{actor} is {} and does not expect this reply, so it drops it",
                state.name().to_ascii_uppercase()
            ),
            Why::Bound { address, lease_time, t1, t2, timing_dhclient } => format!(
                "DHCPACK: {actor} configures {address} for {}; it will renew at T1 {} and \
                 rebind at T2 {} ({})",
                secs(u64::from(*lease_time)),
                t1.clock(),
                t2.clock(),
                if *timing_dhclient {
                    "ISC dhclient spreads T1 over about 75–100 % of lease/2 + 1 s"
                } else {
                    "RFC 2131 §4.4.5: T1 is half the lease, T2 seven eighths"
                }
            ),
            Why::Nak => format!("DHCPNAK: {actor} drops the address and starts over in INIT"),
            Why::RenewAtT1 { server } => format!(
                "T1 reached: {actor} enters RENEWING and unicasts DHCPREQUEST to the {server}, \
                 which granted the lease (RFC 2131 §4.4.5)"
            ),
            Why::RebindAtT2 => format!(
                "T2 reached with no DHCPACK: {actor} enters REBINDING and broadcasts its \
                 DHCPREQUEST so that any server may extend the lease (RFC 2131 §4.4.5)"
            ),
            Why::ClientExpired => format!(
                "the lease ran out at {actor}: it removes the address and starts over in INIT"
            ),
            _ => return None,
        })
    }

    /// Releasing, shutting down, leaving.
    fn leaving_sentence(&self, actor: &str) -> Option<String> {
        Some(match self {
            Why::Release { server, address } => format!(
                "{actor} unicasts DHCPRELEASE for {address} to the {server} and removes the \
                 address from its interface; a release gets no reply, so the client never \
                 learns what the server did with it (RFC 2131 §4.4.6)"
            ),
            Why::NothingToRelease { state } => format!(
                "{actor} is {} and holds no lease, so there is nothing to release",
                state.name().to_ascii_uppercase()
            ),
            Why::NoAddress { state, action } => format!(
                "{actor} is {} and has no address, so there is nothing to {action}",
                state.name().to_ascii_uppercase()
            ),
            Why::Shutdown { releases: true } => format!(
                "{actor} shuts down; its profile releases on shutdown (the Windows option from \
                 the thread), so it sends DHCPRELEASE first"
            ),
            Why::Shutdown { releases: false } => format!(
                "{actor} shuts down and keeps its lease, as most systems do: no DHCPRELEASE, \
                 the servers keep the binding until it ends"
            ),
            Why::Leave => format!(
                "{actor} leaves the network without a word; the servers keep the binding until \
                 it ends"
            ),
            Why::Reboot => format!(
                "{actor} restarts; it keeps its lease in memory, so it will ask for the same \
                 address again"
            ),
            Why::InitReboot { address } => format!(
                "{actor} boots with a remembered lease on {address} that has not ended: \
                 INIT-REBOOT, it broadcasts DHCPREQUEST for that address with no server \
                 identifier, so any server that holds the binding may confirm it \
                 (RFC 2131 §4.4.2); since REQUESTs are never load-balanced, both may answer"
            ),
            Why::RebootUnanswered => format!(
                "no server confirmed the remembered address, so {actor} gives it up and \
                 starts over in INIT"
            ),
            Why::Decline { address } => format!(
                "{actor} finds {address} already in use on the network (an ARP answer), so it \
                 broadcasts DHCPDECLINE naming the address and the server, drops it, and will \
                 wait ten seconds before starting over (RFC 2131 §3.1)"
            ),
            Why::RestartAfterDecline => {
                format!("ten seconds after declining, {actor} starts over in INIT")
            }
            Why::Inform => format!(
                "{actor} broadcasts DHCPINFORM from its address to ask for configuration \
                 only; every server that hears it may answer (RFC 2131 §4.4.3)"
            ),
            Why::InformAnswered { server } => {
                format!("{actor} takes the configuration in the {server}'s DHCPACK")
            }
            Why::AlreadyRunning { state } => format!(
                "{actor} is already running ({}), so the boot changes nothing",
                state.name().to_ascii_uppercase()
            ),
            _ => return None,
        })
    }

    /// Reasons of a server's DHCP decisions.
    fn dhcp_sentence(&self) -> Option<String> {
        self.offer_sentence()
            .or_else(|| self.request_sentence())
            .or_else(|| self.other_dhcp_sentence())
    }

    /// Load balancing and offers.
    fn offer_sentence(&self) -> Option<String> {
        Some(match self {
            Why::BalancedHere { bucket, split, by_client_id } => format!(
                "load balancing: the {} hashes to bucket {bucket}, {} split {split}, which is \
                 this server's share (RFC 3074 §6; HBA bit set = primary)",
                key_name(*by_client_id),
                if u16::from(*bucket) < *split { "below" } else { "at or above" }
            ),
            Why::BalancedToPeer { bucket, split, by_client_id } => format!(
                "load balancing: the {} hashes to bucket {bucket}, {} split {split}, so the \
                 peer answers this DHCPDISCOVER and this server stays silent (dhcpd logs \
                 \"load balance to peer\"; RFC 3074 §6)",
                key_name(*by_client_id),
                if u16::from(*bucket) < *split { "below" } else { "at or above" }
            ),
            Why::SecsOverride { secs, max } => format!(
                "the client has been trying for {secs} s, more than load balance max seconds \
                 ({max}), so both servers answer it (RFC 3074 §4)"
            ),
            Why::BalancingOff => "load balance max seconds is 0, which turns load balancing \
                                  off in dhcpd 4.4: both servers answer every DHCPDISCOVER"
                .into(),
            Why::PeerPoolEmpty { bucket } => format!(
                "bucket {bucket} belongs to the peer, but the peer owns no free leases, so this \
                 server answers anyway (\"cancel load balance\")"
            ),
            Why::PingFirst { address, wait, timer } => format!(
                "{address} is the lease this server would offer; before offering it \
                 the server sends an ICMP echo to make sure nobody uses it, and waits {} — {}",
                wait.human(),
                match timer {
                    PingTimer::Timeout =>
                        "dhcpd 4.4 waits ping-timeout (1 s by default) for an answer",
                    PingTimer::SecondEdge =>
                        "the older dhcpd timer fired on the next whole-second edge, so the wait is \
                         anywhere between 0 and 1 s, as the thread explains",
                }
            ),
            Why::Offer { address, rule, reused } => format!(
                "{}{address} is offered; {}. The offer holds the address for two minutes but \
                 changes nothing on disk and tells the peer nothing",
                if *reused { "no echo came back: " } else { "" },
                rule.sentence()
            ),
            Why::OfferExisting { address } => format!(
                "the client already holds {address} here, so it is offered the same address"
            ),
            _ => return None,
        })
    }

    /// Requests, acks, naks and releases.
    fn request_sentence(&self) -> Option<String> {
        Some(match self {
            Why::NoFreeLease { peer_has } => {
                if *peer_has > 0 {
                    format!(
                        "no free lease this server may give: the peer holds all {peer_has} free \
                         leases (dhcpd logs \"peer holds all free leases\")"
                    )
                } else {
                    "no free leases at all (dhcpd logs \"no free leases\")".into()
                }
            }
            Why::Ack { address, rule, tstp, renewal, peer_told } => {
                format!(
                "{} {address}: {}. The server records tstp {} (now + desired + half the grant) \
                 and {}",
                if *renewal { "renewal of" } else { "DHCPACK for" },
                rule.sentence(),
                at(*tstp),
                if *peer_told {
                    "tells the peer before answering the client"
                } else {
                    "answers the client; the peer cannot be told now, so the BNDUPD waits in \
                     the update queue"
                }
            )
            }
            Why::CacheThreshold { remaining } => format!(
                "the lease is less than a quarter old, so dhcpd answers with the unchanged \
                 lease ({} left) and sends no binding update (dhcp-cache-threshold 25 %)",
                secs(*remaining)
            ),
            Why::OwnedByPeer { address, state } => format!(
                "{address} is {} here, which is the peer's pool, so this server stays silent \
                 (dhcpd logs \"lease owned by peer\")",
                state.name().to_ascii_uppercase()
            ),
            Why::InTransition { address, state } => format!(
                "{address} is {} and waits for the peer's agreement; nobody may have it until \
                 then, not even its last client, so the server stays silent",
                state.name().to_ascii_uppercase()
            ),
            Why::NakOtherClient { address } => format!(
                "{address} is bound to another client, so the server answers DHCPNAK \
                 (RFC 2131 §4.3.2)"
            ),
            Why::UnknownAddress { address } => format!(
                "{address} is not in this server's pools, so it stays silent (RFC 2131 §4.3.2)"
            ),
            Why::Released => "DHCPRELEASE accepted: without failover dhcpd would free the \
                              address at once, but a failover server must not reuse it until \
                              the peer agrees, so the lease goes RELEASED (next state FREE), \
                              ends = tstp = now, and a BNDUPD goes to the peer at once \
                              (draft-12 §5.2.2)"
                .into(),
            Why::ReleaseIgnored { reason } => format!("DHCPRELEASE ignored: {reason}"),
            _ => return None,
        })
    }

    /// Messages servers do not act on.
    fn other_dhcp_sentence(&self) -> Option<String> {
        Some(match self {
            Why::NotForServers => "servers do not act on this message type".into(),
            Why::Declined { address } => format!(
                "DHCPDECLINE: the client found {address} already in use, so the server \
                 abandons it: ABANDONED for abandon-lease-time (a day), the client's identity \
                 wiped, and the peer told (dhcpd's abandon_lease); any client may decline any \
                 address"
            ),
            Why::DeclineIgnored { reason } => format!("DHCPDECLINE ignored: {reason}"),
            Why::Informed => "DHCPINFORM: the client already has an address and wants only its \
                              configuration; the DHCPACK carries no lease and changes no \
                              binding (RFC 2131 §4.3.5)"
                .into(),
            Why::ReclaimAbandoned { address } => format!(
                "no free lease is left, so the primary takes back the abandoned {address} as \
                 a last resort (dhcpd logs \"Reclaiming abandoned lease\"), and pings it first"
            ),
            Why::SafetyViolation { address, message } => {
                format!("SAFETY VIOLATION at {address}: {message}")
            }
            Why::PingAnswered { address } => format!(
                "an echo came back from {address}: some device is using it, so the server \
                 abandons the address for a day and sends no DHCPOFFER; the client will \
                 retransmit its DHCPDISCOVER and be offered another address (dhcpd's ping check)"
            ),
            Why::AbandonedNotMine { address } => format!(
                "{address} is ABANDONED here, and only the primary may take an abandoned \
                 address back, so the secondary stays silent"
            ),
            Why::AbandonedTimeUp => "the abandoned lease's day is over: it becomes FREE again, \
                                     on either server, so abandoned addresses drift back to \
                                     the primary's pool"
                .into(),
            _ => return None,
        })
    }

    /// Reasons of a server's failover decisions.
    fn failover_sentence(&self) -> Option<String> {
        self.update_sentence()
            .or_else(|| self.ack_sentence())
            .or_else(|| self.service_sentence())
            .or_else(|| self.link_sentence())
            .or_else(|| self.state_sentence())
    }

    /// What a failover state does to the service.
    fn service_sentence(&self) -> Option<String> {
        Some(match self {
            Why::NotServing { state, partner, message } => {
                let overlay = matches!(
                    partner,
                    Some(
                        FailoverState::PartnerDown
                            | FailoverState::PotentialConflict
                            | FailoverState::ConflictDone
                            | FailoverState::ResolutionInterrupted
                    )
                ) && matches!(
                    state,
                    FailoverState::Normal
                        | FailoverState::CommunicationsInterrupted
                        | FailoverState::PartnerDown
                );
                if overlay {
                    format!(
                        "{} dropped: the peer is in {}, so this server answers nobody until \
                         they agree again (dhcpd's service state \"not responding\")",
                        message.name(),
                        upper(partner.map(|p| p.name()).unwrap_or("unknown-state"))
                    )
                } else {
                    format!(
                        "{} dropped: in {} a server answers no client and ignores RELEASE and \
                         DECLINE (reference §3.1)",
                        message.name(),
                        upper(state.name())
                    )
                }
            }
            Why::AnswersEveryone { state } => format!(
                "in {} there is no load balancing: the server answers every client{}",
                upper(state.name()),
                if *state == FailoverState::PartnerDown {
                    ", from its own pool and, once the MCLT waits are over, the peer's"
                } else {
                    ", from its own pool"
                }
            ),
            Why::ReleasedRewind { to } => format!(
                "DHCPRELEASE while the peer is unreachable, for a lease given out during the \
                 outage: the peer never heard of it (rewind state {}), so it goes straight \
                 back to {} and may be reused at once (draft-12 §5.2.2, dhcpd's rewind state)",
                upper(to.name()),
                upper(to.name())
            ),
            Why::ReleasedStuck => "DHCPRELEASE while the peer is unreachable: the lease goes \
                                   RELEASED and stays there, unusable, until the peer \
                                   acknowledges the BNDUPD that waits in the update queue; \
                                   only its own client may have it back meanwhile \
                                   (the \"leases stuck in released\" of the 2011 thread)"
                .into(),
            Why::ReleasedPartnerDown { free_at } => format!(
                "DHCPRELEASE in PARTNER-DOWN: RELEASED, with tsfp set to STOS + MCLT; the pool \
                 timer makes it FREE at {} (max(STOS + MCLT, release time)), and the BNDUPD \
                 waits for the peer's return",
                at(*free_at)
            ),
            Why::ExpiredRewind { ends, to } => format!(
                "the lease's end {} is reached while the peer is unreachable; the peer never \
                 heard of this lease, so it goes straight back to {} (dhcpd's rewind state)",
                at(*ends),
                upper(to.name())
            ),
            Why::ExpireStuck { ends, state } => format!(
                "the lease's end {} is reached; in {} this server expires it itself: EXPIRED \
                 (next FREE), and it stays EXPIRED until the peer acknowledges the update",
                at(*ends),
                upper(state.name())
            ),
            Why::ExpiredPartnerDown { ends, free_at } => format!(
                "the lease's end {} is reached in PARTNER-DOWN: EXPIRED, with tsfp set to \
                 STOS + MCLT; the pool timer makes it FREE at {}",
                at(*ends),
                at(*free_at)
            ),
            Why::PartnerDownFreed { tsfp } => format!(
                "PARTNER-DOWN's pool timer: the peer can no longer hold this lease (tsfp {} has \
                 passed), so it becomes FREE without the peer's agreement — FREE, the \
                 primary's pool, even on the secondary",
                at(*tsfp)
            ),
            _ => return None,
        })
    }

    /// The wires and the connection.
    fn link_sentence(&self) -> Option<String> {
        Some(match self {
            Why::SendUpdDone => "every binding the peer asked for has been sent: UPDDONE \
                                 closes the bulk update"
                .into(),
            Why::Dropped { reason } => match reason {
                DropReason::Loss { percent } => {
                    format!("the packet is lost on the way ({percent} % loss on this wire)")
                }
                DropReason::DropNext => "the packet is lost: the operator asked to drop the \
                                         next packet on this wire"
                    .into(),
                DropReason::ServerDown => {
                    "nobody takes the packet: the server's process is not running".into()
                }
                DropReason::LinkCutHeld => "the server link is cut, so the message does not \
                                            arrive; TCP keeps it and sends it again if the link \
                                            heals before the connection is given up"
                    .into(),
            },
            Why::DropNextArmed => "the next packet to arrive on this wire will be lost".into(),
            Why::LinkCut { cut } => match cut {
                LinkCut::Both => "the operator cuts the server link: no failover message gets \
                                  through either way; neither server can tell a dead link from \
                                  a dead peer"
                    .into(),
                LinkCut::ToPrimary => "the operator cuts the server link one way: messages from \
                                       the secondary no longer reach the primary"
                    .into(),
                LinkCut::ToSecondary => "the operator cuts the server link one way: messages \
                                         from the primary no longer reach the secondary"
                    .into(),
            },
            Why::LinkHealed => "the operator repairs the server link".into(),
            Why::TcpRetransmit => "TCP sends the message again now that the link passes".into(),
            Why::SendConnect => "the TCP connection to port 647 is up; the primary (only the \
                                 primary does) sends CONNECT with the relationship name, its \
                                 MCLT and the hash bucket assignment (draft-12 §7.2)"
                .into(),
            Why::ConnectRefused { reason, text, skew } => format!(
                "the secondary refuses the CONNECT with reject reason {reason} ({text}){}",
                if *skew > crate::failover::MAX_CLOCK_SKEW {
                    format!(
                        ": the clocks differ by {skew} s, more than the 60 s dhcpd allows, so \
                         the pair cannot talk and each stays on its own"
                    )
                } else {
                    String::new()
                }
            ),
            Why::ConnectAccepted { mclt, skew } => format!(
                "the secondary accepts: it adopts the primary's MCLT ({}) and hash buckets, \
                 answers CONNECTACK and announces its state (clock difference {skew} s, within \
                 the 60 s allowed)",
                secs(*mclt)
            ),
            Why::ConnectAckRefused { reason, text } => format!(
                "the secondary refused the connection (reason {reason}: {text}); the primary \
                 closes it and tries again in 5 s"
            ),
            Why::SkewDisconnect { skew } => format!(
                "the secondary's clock is {skew} s off, more than the 60 s allowed: the primary \
                 sends DISCONNECT (reason 4) and closes the connection"
            ),
            Why::Established { skew } => format!(
                "CONNECTACK accepted (clock difference {skew} s): the connection is up, and \
                 the primary announces its state"
            ),
            Why::SendState { state, startup } => {
                if *startup {
                    format!(
                        "STATE announces {} with the STARTUP flag: the state this server will \
                         resume",
                        upper(state.name())
                    )
                } else {
                    format!("STATE announces {} to the peer", upper(state.name()))
                }
            }
            Why::PeerState { state, startup, reaction } => format!(
                "the peer is in {}{}; {}",
                upper(state.name()),
                if *startup { " (still starting up)" } else { "" },
                match reaction {
                    PeerStateReaction::Stay => "nothing changes here".to_string(),
                    PeerStateReaction::MoveTo(s) =>
                        format!("so this server moves to {}", upper(s.name())),
                    PeerStateReaction::RequestAll =>
                        "so this server asks for every binding (UPDREQALL)".to_string(),
                    PeerStateReaction::Request =>
                        "so this server asks for the bindings it has not seen (UPDREQ)".to_string(),
                    PeerStateReaction::ResumeNormal =>
                        "both sides can talk again: queued updates go out and this server \
                         returns to NORMAL"
                            .to_string(),
                }
            ),
            Why::SendUpdateRequest { all } => {
                if *all {
                    "UPDREQALL: \"send me every binding you have\"".into()
                } else {
                    "UPDREQ: \"send me the bindings you have not sent yet\"".into()
                }
            }
            Why::UpdateRequested { all, count } => format!(
                "the peer asked for {} bindings; {count} go on the update queue, and UPDDONE \
                 follows the last",
                if *all { "all" } else { "the unsent" }
            ),
            Why::UpdateDoneReceived => "the peer has sent every binding asked for".into(),
            Why::DisconnectReceived { reason, text } => {
                format!("the peer disconnects (reason {reason}: {text})")
            }
            Why::PeerClosed => "the peer's TCP connection closed (its dhcpd stopped, or it gave \
                                up the link): un-acked updates go back on the queue"
                .into(),
            Why::WatchdogArmed { role, last_heard, fires_at } => format!(
                "the {role} last heard its peer at {} (a message or a CONTACT keep-alive, sent \
                 every third of max-response-delay when the link is quiet); unless it hears \
                 from it again, it gives up the connection at {}",
                last_heard.clock_millis(),
                fires_at.clock_millis()
            ),
            Why::NoContact { max_response_delay } => format!(
                "nothing from the peer for max-response-delay ({}): the server closes the \
                 connection; it cannot tell whether the peer or the link died",
                secs(*max_response_delay)
            ),
            Why::LinkStartupTimeout => {
                "no CONNECTACK within 15 s: the primary closes the connection".into()
            }
            _ => return None,
        })
    }

    /// Failover states, the operator, pool balancing.
    fn state_sentence(&self) -> Option<String> {
        Some(match self {
            Why::StateChange { to, cause } => {
                format!("{}: {}", cause_text(*cause, *to), state_meaning(*to))
            }
            Why::OperatorNoEffect { state } => {
                format!("the action does not apply to a server in {}", upper(state.name()))
            }
            Why::ProcessKilled => "the server's dhcpd is killed; its lease file, with the \
                                   failover state and every lease, stays on disk"
                .into(),
            Why::OrderlyExit { back_dated } => {
                if *back_dated {
                    "the peer has taken over (PARTNER-DOWN) and nothing is pending, so the \
                     process writes RECOVER with a start time one MCLT in the past and exits: \
                     when it comes back it needs no MCLT wait"
                        .into()
                } else {
                    "the process exits without the peer's PARTNER-DOWN; it writes RECOVER as \
                     its state, to catch up with the peer when it comes back"
                        .into()
                }
            }
            Why::ProcessStarted { empty, saved } => {
                if *empty {
                    "dhcpd starts with an empty lease file: every address FREE, no memory of \
                     any client, state RECOVER from now; it must learn everything from the \
                     peer and, unless the peer is recovering too, then wait a full MCLT"
                        .into()
                } else {
                    format!(
                        "dhcpd starts from its lease file; the file says {}, which it will \
                         resume after STARTUP",
                        upper(saved.name())
                    )
                }
            }
            Why::Rebalanced { to_peer } => format!(
                "pool balancing gives this free address to the peer's pool as {}",
                upper(to_peer.name())
            ),
            Why::BalanceRun { free, backup, to_send, moved, imbalanced } => format!(
                "pool balancing: {free} FREE and {backup} BACKUP, so {to_send} lease{} would \
                 even the split; {moved} moved{}",
                if *to_send == 1 { "" } else { "s" },
                if *imbalanced { "; still IMBALANCED" } else { "; balanced" }
            ),
            Why::SendPoolReq => "this server is badly short of free leases: POOLREQ asks the \
                                 peer to balance"
                .into(),
            Why::PoolReqReceived => "the peer asks for a balancing run (POOLREQ)".into(),
            Why::SendPoolResp { count } => {
                format!("POOLRESP: {count} leases are moving to the peer")
            }
            Why::PoolRespReceived { count } => {
                format!("the peer's balancing run moves {count} leases to this server")
            }
            _ => return None,
        })
    }

    /// Sending and receiving binding updates.
    fn update_sentence(&self) -> Option<String> {
        Some(match self {
            Why::SendUpdate { status, potential_expiration } => format!(
                "every change goes to the peer as a BNDUPD: binding status {}, potential \
                 expiration {} (draft-12 §7.1)",
                status.name().to_ascii_uppercase(),
                at(*potential_expiration)
            ),
            Why::WindowFull { outstanding, window } => format!(
                "{outstanding} updates are waiting for acks, the peer's max-unacked-updates \
                 window of {window}, so this one waits in the update queue"
            ),
            Why::UpdateAccepted { status, installed } => {
                if status == installed {
                    format!(
                        "the peer reports {}; the transition is allowed here, so it is \
                         installed and the lease is written before the ack",
                        status.name().to_ascii_uppercase()
                    )
                } else {
                    format!(
                        "the peer reports {}; a receiver never keeps that transitional state: \
                         it installs {} at once and acknowledges (ISC process_bind_update)",
                        status.name().to_ascii_uppercase(),
                        installed.name().to_ascii_uppercase()
                    )
                }
            }
            Why::UpdateRejected { reason, text } => {
                format!("the update is refused with reject reason {reason}: {text}")
            }
            Why::AckQueued { pending, flush_at } => format!(
                "the BNDACK waits in the ack queue ({pending} pending): dhcpd sends queued acks \
                 2 s after the last one, at {}, or sooner with its own next message",
                flush_at.clock_millis()
            ),
            Why::AckFlush { count, because } => format!(
                "{count} queued BNDACK{} sent {}",
                if *count == 1 { "" } else { "s" },
                match because {
                    AckFlushReason::Timer => "2 s after the last update arrived (ack batching)",
                    AckFlushReason::HalfWindow => "because half the peer's window is waiting",
                    AckFlushReason::BeforeOwnMessage =>
                        "first, because the server is about to send an update of its own",
                }
            ),
            _ => return None,
        })
    }

    /// Acknowledgements and what follows them.
    fn ack_sentence(&self) -> Option<String> {
        Some(match self {
            Why::AckedToFree { was } => format!(
                "the peer acknowledged the {} update, so both servers now agree and the \
                 address is FREE again (draft-12 §5.2.2)",
                was.name().to_ascii_uppercase()
            ),
            Why::AckedTsfp { tsfp } => format!(
                "the peer acknowledged the update; tsfp becomes {}, the potential expiration \
                 the peer now knows, which bounds how long later leases may run \
                 (tsfp + MCLT)",
                at(*tsfp)
            ),
            Why::AckRejected { reason, text } => format!(
                "the peer refused the update (reason {reason}: {text}); the lease keeps its \
                 state until the update is sent again"
            ),
            Why::StaleAck { xid } => format!(
                "ack for update xid {xid:#x}, which is no longer pending for this lease (a \
                 newer update replaced it, or the peer's version was accepted instead); ignored"
            ),
            Why::Affinity { bucket, split } => format!(
                "MAC affinity (dhcpd 3.1 and later): the last client of this address hashes to \
                 bucket {bucket}, at or above split {split}, so it is a secondary client; the \
                 primary hands the address to the secondary as BACKUP and sends a BNDUPD"
            ),
            Why::ExpireAtEnd { ends } => format!(
                "the lease's end {} is reached; the primary expires it: EXPIRED (next FREE) \
                 until the secondary agrees",
                at(*ends)
            ),
            Why::SecondaryWaitsForPrimary => "the lease's end is reached here too, but in \
                                              NORMAL the secondary never expires a lease \
                                              itself: it waits for the primary's BNDUPD"
                .into(),
            _ => return None,
        })
    }
}

fn upper(name: &str) -> String {
    name.to_ascii_uppercase()
}

/// What led to a state change.
fn cause_text(cause: StateCause, to: FailoverState) -> String {
    let to = upper(to.name());
    match cause {
        StateCause::Started => format!("the process starts in {to}"),
        StateCause::Stopped => "the process is not running".into(),
        StateCause::StartupTimeout => format!(
            "15 s of STARTUP passed with no word from the peer, so the server takes up its \
             saved state as after a lost link: {to}"
        ),
        StateCause::StartupResume => {
            format!("the peer's STATE ends STARTUP; the server resumes its saved state, {to}")
        }
        StateCause::LinkLost => format!("the connection to the peer is lost: {to}"),
        StateCause::PeerState { peer } => {
            format!("because the peer is in {}, this server moves to {to}", upper(peer.name()))
        }
        StateCause::UpdateDone => format!("the peer's updates are complete: {to}"),
        StateCause::RecoverWaitOver => {
            format!(
                "STOS + MCLT has passed, so no lease the peer gave out can still be running: {to}"
            )
        }
        StateCause::AutoPartnerDown { after } => format!(
            "auto-partner-down: {} in COMMUNICATIONS-INTERRUPTED, so the server declares \
             the peer down: {to}",
            secs(after)
        ),
        StateCause::Operator => format!("the operator sets the state to {to}"),
    }
}

/// What a failover state lets a server do (reference §3.1), in a sentence.
fn state_meaning(state: FailoverState) -> &'static str {
    use FailoverState::*;
    match state {
        Startup => "it answers no client for up to 15 s while it learns the peer's state",
        Normal => {
            "both servers cooperate: DISCOVERs are load-balanced, each allocates from its \
                   own pool, every change goes to the peer"
        }
        CommunicationsInterrupted => {
            "the peer cannot be reached; the server answers every \
                                      client from its own pool only, with lease times capped \
                                      at tsfp + MCLT, and changes to leases the peer knows \
                                      wait for the peer's agreement"
        }
        PartnerDown => {
            "the server acts alone: it answers everyone, and may use the peer's free \
                        leases and stuck ones once STOS + MCLT has passed (no lease the peer \
                        gave out can outlive that); safe only if the peer really is down"
        }
        PotentialConflict => {
            "both servers may have given out the same addresses while apart; \
                              neither answers clients until their bindings are reconciled"
        }
        Recover => {
            "the server lost track of what the peer did; it answers nobody, asks for \
                    every binding and waits for them"
        }
        Paused => "the operator paused the server: it answers nobody",
        Shutdown => "the server is going down and answers nobody; its peer takes over",
        RecoverDone => {
            "the server has caught up; it answers nobody until the peer agrees to \
                        return to NORMAL"
        }
        ResolutionInterrupted => {
            "the link broke while conflicts were being resolved; the \
                                  server answers nobody"
        }
        ConflictDone => {
            "the primary has the secondary's bindings; it waits for the secondary \
                         to finish too, answering nobody"
        }
        RecoverWait => {
            "the server has the peer's bindings but must wait until STOS + MCLT, \
                        so that every lease it may have forgotten has run out"
        }
        Down => "it answers nothing until it is started again",
    }
}

fn key_name(by_client_id: bool) -> &'static str {
    if by_client_id {
        "client identifier"
    } else {
        "hardware address"
    }
}

impl Step {
    /// The step's kind: `script`, `receive`, `timer` or `drop`.
    pub fn kind(&self) -> &'static str {
        match self.cause {
            Cause::Script(_) => "script",
            Cause::Received(_) => "receive",
            Cause::Timer(_) => "timer",
            Cause::Dropped(..) => "drop",
        }
    }

    /// One line saying what happened.
    pub fn summary(&self, cfg: &Config) -> String {
        let actor = node_name(cfg, self.node);
        let head = match &self.cause {
            Cause::Script(action) => format!("script: {actor} {}", action_verb(*action)),
            Cause::Received(p) => format!(
                "{actor} receives {} from {}",
                describe_packet(cfg, p),
                node_name(cfg, p.from)
            ),
            Cause::Timer(t) => format!("{actor}: {}", timer_text(*t)),
            Cause::Dropped(p, _) => format!(
                "{} from {} lost on the way to {actor}",
                describe_packet(cfg, p),
                node_name(cfg, p.from)
            ),
        };
        let tail: Vec<String> = self
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Sent { packet, .. } => {
                    Some(format!("sends {}", describe_packet(cfg, packet)))
                }
                Effect::Lease { server, address, from, to, .. } if from != to => {
                    Some(format!("{address} {} → {} on the {server}", from.name(), to.name()))
                }
                Effect::Client { from, to, .. } if from != to => {
                    Some(format!("{} → {}", from.name(), to.name()))
                }
                Effect::ServerState { server, from, to, .. } => {
                    Some(format!("{server} {} → {}", from.name(), to.name()))
                }
                _ => None,
            })
            .collect();
        if tail.is_empty() {
            head
        } else {
            format!("{head}; {}", tail.join("; "))
        }
    }

    /// The reasons, as sentences.
    pub fn why(&self, cfg: &Config) -> String {
        self.whys(cfg).join(" ")
    }

    /// Each effect's reason as its own sentence, in order.
    pub fn whys(&self, cfg: &Config) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(self.effects.len());
        for e in &self.effects {
            let s = self.effect_sentence(cfg, e);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// One effect's reason as a finished sentence: capitalised (unless it opens
    /// with a name, which keeps its spelling) and ending with a full stop.
    pub fn effect_sentence(&self, cfg: &Config, effect: &Effect) -> String {
        let actor = node_name(cfg, self.node);
        let mut s = effect.why().sentence(&actor);
        if !s.starts_with(actor.as_str()) {
            if let Some(first) = s.get(..1) {
                let upper = first.to_ascii_uppercase();
                s.replace_range(..1, &upper);
            }
        }
        if !s.ends_with('.') {
            s.push('.');
        }
        s
    }
}

/// A short description of a packet: `DHCPOFFER 192.0.2.20 (xid 0x…)`.
pub fn describe_packet(cfg: &Config, p: &Packet) -> String {
    let _ = cfg;
    match &p.body {
        Body::Dhcp(m) => {
            let addr = match m.message_type {
                DhcpType::Offer | DhcpType::Ack => Some(m.yiaddr),
                DhcpType::Request => m.requested_address.or(Some(m.ciaddr)),
                DhcpType::Release => Some(m.ciaddr),
                _ => None,
            }
            .filter(|a| !a.is_unspecified());
            match addr {
                Some(a) => format!("{} {a}", m.message_type.name()),
                None => m.message_type.name().to_string(),
            }
        }
        Body::Failover(FailoverMessage::BndUpd(u)) => {
            format!("BNDUPD {} {}", u.address, upper(u.status.name()))
        }
        Body::Failover(FailoverMessage::BndAck(a)) => match a.reject_reason {
            Some(r) => format!("BNDACK {} (reject {r})", a.address),
            None => format!("BNDACK {}", a.address),
        },
        Body::Failover(FailoverMessage::State(m)) => {
            format!("STATE {}{}", upper(m.state.name()), if m.startup { " (startup)" } else { "" })
        }
        Body::Failover(FailoverMessage::ConnectAck(m)) => match m.reject_reason {
            Some(r) => format!("CONNECTACK (reject {r})"),
            None => "CONNECTACK".into(),
        },
        Body::Failover(FailoverMessage::Disconnect(m)) => {
            format!("DISCONNECT (reason {})", m.reject_reason)
        }
        Body::Failover(FailoverMessage::PoolResp(m)) => format!("POOLRESP {}", m.transferred),
        Body::Failover(m) => m.name().to_string(),
    }
}

fn action_verb(a: Action) -> String {
    match a {
        Action::Boot => "boots".into(),
        Action::Release => "releases its lease".into(),
        Action::Shutdown => "shuts down".into(),
        Action::Leave => "leaves the network".into(),
        Action::Reboot => "reboots".into(),
        Action::Decline => "declines its address".into(),
        Action::Inform => "asks for configuration (DHCPINFORM)".into(),
        Action::CutLink(LinkCut::Both) => "cuts the server link".into(),
        Action::CutLink(LinkCut::ToPrimary) => "cuts the server link towards the primary".into(),
        Action::CutLink(LinkCut::ToSecondary) => {
            "cuts the server link towards the secondary".into()
        }
        Action::HealLink => "repairs the server link".into(),
        Action::Stop(_) => "is stopped (dhcpd killed)".into(),
        Action::Start(_) => "is started".into(),
        Action::StartEmpty(_) => "is started with an empty lease file".into(),
        Action::ShutdownServer(_) => "is shut down by the operator".into(),
        Action::PartnerDown(_) => "is told its partner is down".into(),
        Action::Pause(_) => "is paused".into(),
        Action::Resume(_) => "is resumed".into(),
        Action::DropNext(Some(r)) => format!("drops the next packet to the {r}"),
        Action::DropNext(None) => "will lose the next packet sent to it".into(),
    }
}

fn timer_text(t: Timer) -> String {
    match t {
        Timer::PingTimeout { address, .. } => format!("the ping check of {address} ends"),
        Timer::AckFlush => "ack batching timer".into(),
        Timer::LeaseEnd { address } => format!("lease {address} reaches its end"),
        Timer::Renew => "T1 reached".into(),
        Timer::Rebind => "T2 reached".into(),
        Timer::Expiry => "lease ran out".into(),
        Timer::Retransmit => "retransmission timer".into(),
        Timer::Restart => "ten seconds after the decline".into(),
        Timer::PoolTimer { address } => format!("pool timer for {address}"),
        Timer::Startup => "15 s of STARTUP are over".into(),
        Timer::TcpOpen => "TCP connection to the peer is up".into(),
        Timer::TcpClosed => "the peer closed the TCP connection".into(),
        Timer::Watchdog => "max-response-delay passed with nothing from the peer".into(),
        Timer::LinkStartup => "no CONNECTACK within 15 s".into(),
        Timer::AutoPartnerDown => "auto-partner-down timer".into(),
        Timer::RecoverWaitOver => "STOS + MCLT reached".into(),
        Timer::ShutdownExit => "the shutdown's wait for the peer is over".into(),
        Timer::Balance => "pool balancing timer".into(),
    }
}
