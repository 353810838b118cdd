//! The trace: one [`Step`] per event the world processes.
//!
//! A step says who acted ([`Step::node`]), what it reacted to ([`Cause`]), and
//! what followed ([`Effect`]): packets sent, lease and client states changed,
//! decisions taken. Every effect carries a typed [`Why`] naming the rule. The
//! trace is the simulation's log; [`Step::summary`] and [`Step::why`] turn it
//! into the sentences the UI and the command line show, in one place.

use std::net::Ipv4Addr;

use crate::client::ClientState;
use crate::lease::BindingState;
use crate::packet::{Body, DhcpType, FailoverMessage, Node, Packet, Role};
use crate::scenario::{Action, Config, PingTimer};
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
    /// A timer fired.
    Timer(Timer),
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
}

/// One consequence of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A packet left the acting node.
    Sent { packet: Packet, why: Why },
    /// A server's view of an address changed (or was refreshed when `from == to`).
    Lease { server: Role, address: Ipv4Addr, from: BindingState, to: BindingState, why: Why },
    /// A client changed state.
    Client { client: u16, from: ClientState, to: ClientState, why: Why },
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
    /// A REQUEST answered with DHCPACK.
    Ack { address: Ipv4Addr, rule: LeaseTimeRule, tstp: u64, renewal: bool },
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
            Why::Ack { address, rule, tstp, renewal } => {
                format!(
                "{} {address}: {}. The server records tstp {} (now + desired + half the grant) \
                 and tells the peer before answering the client",
                if *renewal { "renewal of" } else { "DHCPACK for" },
                rule.sentence(),
                at(*tstp)
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
        self.update_sentence().or_else(|| self.ack_sentence())
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

fn key_name(by_client_id: bool) -> &'static str {
    if by_client_id {
        "client identifier"
    } else {
        "hardware address"
    }
}

impl Step {
    /// The step's kind: `script`, `receive` or `timer`.
    pub fn kind(&self) -> &'static str {
        match self.cause {
            Cause::Script(_) => "script",
            Cause::Received(_) => "receive",
            Cause::Timer(_) => "timer",
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
            format!("BNDUPD {} {}", u.address, u.status.name().to_ascii_uppercase())
        }
        Body::Failover(FailoverMessage::BndAck(a)) => match a.reject_reason {
            Some(r) => format!("BNDACK {} (reject {r})", a.address),
            None => format!("BNDACK {}", a.address),
        },
    }
}

fn action_verb(a: Action) -> &'static str {
    match a {
        Action::Boot => "boots",
        Action::Release => "releases its lease",
        Action::Shutdown => "shuts down",
        Action::Leave => "leaves the network",
        Action::Reboot => "reboots",
        Action::Decline => "declines its address",
        Action::Inform => "asks for configuration (DHCPINFORM)",
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
    }
}
