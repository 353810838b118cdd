//! Failover relationship rules: server states and their transitions, what
//! each state lets a server do, binding-update acceptance, and the lease-time
//! cap (draft-12 §5.2.1, §9; reference notes §1.4, §3, §5).
//!
//! This module holds the rules as pure functions over leases and states, so
//! they can be tested one by one against the reference tables;
//! [`crate::server`] applies them.

use serde::Serialize;

use crate::lease::{BindingState, Lease};
use crate::packet::Role;
use crate::trace::LeaseTimeRule;

/// The failover states of draft-12 §9 with ISC's RECOVER-WAIT, plus `Down`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailoverState {
    /// 1
    Startup,
    /// 2
    Normal,
    /// 3
    CommunicationsInterrupted,
    /// 4
    PartnerDown,
    /// 5
    PotentialConflict,
    /// 6
    Recover,
    /// 7
    Paused,
    /// 8
    Shutdown,
    /// 9
    RecoverDone,
    /// 10
    ResolutionInterrupted,
    /// 11
    ConflictDone,
    /// 254 in ISC
    RecoverWait,
    /// The server process is not running.
    Down,
}

impl FailoverState {
    /// Every state a running server can be in, in draft-12 order, RECOVER-WAIT last.
    pub const RUNNING: [FailoverState; 12] = [
        FailoverState::Startup,
        FailoverState::Normal,
        FailoverState::CommunicationsInterrupted,
        FailoverState::PartnerDown,
        FailoverState::PotentialConflict,
        FailoverState::Recover,
        FailoverState::Paused,
        FailoverState::Shutdown,
        FailoverState::RecoverDone,
        FailoverState::ResolutionInterrupted,
        FailoverState::ConflictDone,
        FailoverState::RecoverWait,
    ];

    /// The name ISC logs and writes.
    pub fn name(self) -> &'static str {
        match self {
            FailoverState::Startup => "startup",
            FailoverState::Normal => "normal",
            FailoverState::CommunicationsInterrupted => "communications-interrupted",
            FailoverState::PartnerDown => "partner-down",
            FailoverState::PotentialConflict => "potential-conflict",
            FailoverState::Recover => "recover",
            FailoverState::Paused => "paused",
            FailoverState::Shutdown => "shutdown",
            FailoverState::RecoverDone => "recover-done",
            FailoverState::ResolutionInterrupted => "resolution-interrupted",
            FailoverState::ConflictDone => "conflict-done",
            FailoverState::RecoverWait => "recover-wait",
            FailoverState::Down => "down",
        }
    }
}

/// What a failover state lets a server do with DHCP clients (ISC's service
/// state, reference notes §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// NORMAL: load-balanced DISCOVERs, own pool only.
    Cooperating,
    /// COMMUNICATIONS-INTERRUPTED: everyone, own pool, rewind shortcuts.
    NotCooperating,
    /// PARTNER-DOWN: everyone, and the peer's pool after the MCLT waits.
    PartnerDown,
    /// STARTUP: nobody yet.
    Startup,
    /// Every other state (and a stopped server): nobody.
    NotResponding,
}

impl Service {
    /// Whether DHCP clients get answers (and RELEASE/DECLINE are acted on).
    pub fn serves(self) -> bool {
        matches!(self, Service::Cooperating | Service::NotCooperating | Service::PartnerDown)
    }
}

impl FailoverState {
    /// The service this state allows, given the partner's last known state
    /// (`None` while unknown). A partner in PARTNER-DOWN, POTENTIAL-CONFLICT,
    /// CONFLICT-DONE or RESOLUTION-INTERRUPTED silences this server too.
    pub fn service(self, partner: Option<FailoverState>) -> Service {
        use FailoverState::*;
        let own = match self {
            Normal => Service::Cooperating,
            CommunicationsInterrupted => Service::NotCooperating,
            PartnerDown => Service::PartnerDown,
            Startup => Service::Startup,
            _ => Service::NotResponding,
        };
        let silencing_partner = matches!(
            partner,
            Some(PartnerDown | PotentialConflict | ConflictDone | ResolutionInterrupted)
        );
        if own != Service::NotResponding && silencing_partner {
            return Service::NotResponding;
        }
        own
    }

    /// The state after the connection to the peer is lost (reference §3.3);
    /// `None` when the state does not change.
    pub fn on_link_lost(self) -> Option<FailoverState> {
        use FailoverState::*;
        match self {
            Normal => Some(CommunicationsInterrupted),
            PotentialConflict => Some(ResolutionInterrupted),
            _ => None,
        }
    }

    /// Whether the state is one in which a peer's repeated STATE is ignored
    /// (reference §3.4, first paragraph).
    fn ignores_repeats(self) -> bool {
        use FailoverState::*;
        matches!(self, Normal | PotentialConflict | RecoverDone | Shutdown | Paused | RecoverWait)
    }
}

/// What a server does when the peer announces a state (ISC
/// `dhcp_failover_peer_state_changed`, reference notes §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerStateReaction {
    /// Nothing changes.
    Stay,
    /// Move to this state.
    MoveTo(FailoverState),
    /// Ask for every binding (UPDREQALL).
    RequestAll,
    /// Ask for the bindings not yet sent (UPDREQ).
    Request,
    /// Send the queued updates and move to NORMAL.
    ResumeNormal,
}

/// The reaction of a server in `mine` to the peer's announced `peer` state
/// (`was` is what the peer was known to be in before).
///
/// `mine` is the saved state while the server is in STARTUP, and
/// `in_startup` says so: a server still in STARTUP does not ask for updates
/// and, seeing PARTNER-DOWN from NORMAL, goes to RECOVER.
pub fn react_to_peer_state(
    mine: FailoverState,
    in_startup: bool,
    was: Option<FailoverState>,
    peer: FailoverState,
    peer_startup_flag: bool,
) -> PeerStateReaction {
    use FailoverState::*;
    use PeerStateReaction::*;
    if was == Some(peer) && mine.ignores_repeats() && !in_startup {
        return Stay;
    }
    let request_all = || if in_startup { Stay } else { RequestAll };
    match (mine, peer) {
        (Normal, PartnerDown) if in_startup => MoveTo(Recover),
        (Normal, PartnerDown) => MoveTo(PotentialConflict),
        (Normal, Recover | Shutdown) => MoveTo(PartnerDown),
        (Normal, Paused) => MoveTo(CommunicationsInterrupted),
        (Normal, PotentialConflict | ResolutionInterrupted | ConflictDone) => MoveTo(Shutdown),
        (Normal, _) => Stay,

        (Recover, Recover) => request_all(),
        (Recover, Normal | PotentialConflict | ResolutionInterrupted | ConflictDone) => {
            MoveTo(PotentialConflict)
        }
        (Recover, PartnerDown | CommunicationsInterrupted) => request_all(),
        (Recover, Shutdown) => MoveTo(PartnerDown),
        (Recover, _) => Stay,

        (PotentialConflict, Normal) => MoveTo(Shutdown),
        (PotentialConflict, ConflictDone) => Request,
        (PotentialConflict, Recover) => MoveTo(Recover),
        (PotentialConflict, Shutdown) => MoveTo(PartnerDown),
        (PotentialConflict, _) => Stay,

        (ConflictDone, Normal) => MoveTo(Normal),
        (ConflictDone, Shutdown) => MoveTo(Shutdown),
        (ConflictDone, _) => Stay,

        (PartnerDown, _) if peer_startup_flag => Stay,
        (PartnerDown, RecoverDone) => MoveTo(Normal),
        (
            PartnerDown,
            Normal
            | PotentialConflict
            | PartnerDown
            | CommunicationsInterrupted
            | ResolutionInterrupted
            | ConflictDone,
        ) => MoveTo(PotentialConflict),
        (PartnerDown, _) => Stay,

        (CommunicationsInterrupted, Recover) => MoveTo(PartnerDown),
        (
            CommunicationsInterrupted,
            Normal | CommunicationsInterrupted | RecoverDone | RecoverWait,
        ) => ResumeNormal,
        (
            CommunicationsInterrupted,
            PotentialConflict | PartnerDown | ResolutionInterrupted | ConflictDone,
        ) => MoveTo(PotentialConflict),
        (CommunicationsInterrupted, Shutdown) => MoveTo(PartnerDown),
        (CommunicationsInterrupted, _) => Stay,

        (ResolutionInterrupted, Shutdown) => MoveTo(PartnerDown),
        (ResolutionInterrupted, Startup | Paused | Down) => Stay,
        (ResolutionInterrupted, _) => MoveTo(PotentialConflict),

        (RecoverDone, RecoverDone | Normal) => MoveTo(Normal),
        (RecoverDone, Shutdown) => MoveTo(PartnerDown),
        (RecoverDone, _) => Stay,

        (RecoverWait | Shutdown | Paused | Startup | Down, _) => Stay,
    }
}

/// The state a server in RECOVER or POTENTIAL-CONFLICT moves to when the
/// peer's UPDDONE arrives (reference §3.3); `None` when it stays.
///
/// `recover_wait_over` is STOS + MCLT ≤ now.
pub fn on_update_done(
    mine: FailoverState,
    role: Role,
    partner: Option<FailoverState>,
    recover_wait_over: bool,
) -> Option<FailoverState> {
    use FailoverState::*;
    match mine {
        Recover => {
            let partner_recovering = matches!(partner, Some(Recover | RecoverDone));
            if recover_wait_over || partner_recovering {
                Some(RecoverDone)
            } else {
                Some(RecoverWait)
            }
        }
        PotentialConflict => match (role, partner) {
            (Role::Primary, Some(ConflictDone)) => Some(Shutdown),
            (Role::Primary, _) => Some(ConflictDone),
            (Role::Secondary, Some(ConflictDone)) => Some(Normal),
            (Role::Secondary, _) => None,
        },
        _ => None,
    }
}

/// Whether a lease may be given to a new client by this server (ISC
/// `lease_mine_to_reallocate`, reference notes §1.2). `stos` is the start of
/// the server's current state.
pub fn mine_to_reallocate(
    role: Role,
    service: Service,
    lease: &Lease,
    stos: u64,
    mclt: u64,
    now: u64,
) -> bool {
    use BindingState::*;
    let partner_down = service == Service::PartnerDown;
    // The peer's free leases: only in PARTNER-DOWN, once the peer can no
    // longer hold any lease it might have given out: max(STOS, tsfp) + MCLT.
    let peer_pool_takeover = || partner_down && now > stos.max(lease.tsfp) + mclt;
    match (lease.binding, role) {
        (Active, _) => false,
        (Free | Abandoned, Role::Primary) => true,
        (Backup, Role::Secondary) => true,
        (Free | Abandoned, Role::Secondary) | (Backup, Role::Primary) => peer_pool_takeover(),
        (Expired | Released, _) if lease.rewind == role.own_free_state() => true,
        (Expired | Released | Reset, _) => partner_down && lease.tsfp < now,
    }
}

/// Reject reason 2 (draft-12 §12.21): ISC's "invalid state transition".
pub const REJECT_FATAL_CONFLICT: u8 = 2;
/// Reject reason 1: the address is not in a pool of this relationship.
pub const REJECT_ILLEGAL_ADDRESS: u8 = 1;
/// Reject reason 3: a required option is missing.
pub const REJECT_MISSING_BINDING_INFO: u8 = 3;
/// Reject reason 16: our own pending update is more important.
pub const REJECT_LESS_CRITICAL: u8 = 16;
/// Reject reason 4: the peers' clocks differ by more than a minute.
pub const REJECT_TIME_MISMATCH: u8 = 4;
/// Reject reason 8: the relationship name is not one this server knows.
pub const REJECT_INVALID_PARTNER: u8 = 8;
/// Reject reason 17: nothing heard within max-response-delay.
pub const REJECT_NO_TRAFFIC: u8 = 17;

/// The largest clock difference a CONNECT or CONNECTACK may show, seconds.
pub const MAX_CLOCK_SKEW: u64 = 60;
/// How long STARTUP lasts without a STATE from the peer.
pub const STARTUP_SECS: u64 = 15;

/// Seconds of clock-skew slack before a secondary accepts EXPIRED for an active lease.
const EXPIRY_FUDGE_SECS: u64 = 65;

/// The lease time granted under failover (reference §5.1, draft-12 §5.2.1).
///
/// `desired` is the time after the ordinary min/default/max rules.
pub fn granted_lease_time(desired: u64, mclt: u64, tsfp: u64, now: u64) -> (u64, LeaseTimeRule) {
    if desired <= mclt {
        return (desired, LeaseTimeRule::WithinMclt { desired, mclt });
    }
    // Nothing acknowledged beyond now: only the MCLT is safe.
    if tsfp <= now {
        return (mclt, LeaseTimeRule::FirstMclt { desired, mclt });
    }
    // The lease may not outlive what the peer acknowledged by more than the MCLT.
    if now + desired > tsfp + mclt {
        return (tsfp + mclt - now, LeaseTimeRule::CappedByTsfp { desired, mclt, tsfp });
    }
    (desired, LeaseTimeRule::Desired { desired, mclt, tsfp })
}

/// `tstp` recorded on a DHCPACK: now + desired + half the granted time (reference §5.2).
pub fn potential_expiration(now: u64, desired: u64, granted: u64) -> u64 {
    now + desired + granted / 2
}

/// The NORMAL-state check of an incoming BNDUPD (reference §1.4, strict table).
///
/// Returns `Err(text)` when the transition must be refused with reason 2.
pub fn check_transition_normal(
    receiver: Role,
    local: &Lease,
    requested: BindingState,
    potential_expiration: u64,
    now: u64,
) -> Result<(), String> {
    use BindingState::*;
    let local_state = local.binding;
    let refuse = || {
        Err(format!(
            "{}: invalid state transition: {} to {}",
            local.address,
            local_state.name(),
            requested.name()
        ))
    };
    if local_state == requested {
        return Ok(());
    }
    match (local_state, receiver, requested) {
        (Free | Abandoned | Released | Backup, _, _) => Ok(()),
        // The primary accepts a release or abandonment seen only by the secondary.
        (Active, Role::Primary, Released | Abandoned) => Ok(()),
        // The secondary may not expire or free an active lease behind the primary's back.
        (Active, Role::Primary, _) => refuse(),
        (Active, Role::Secondary, Free | Backup) if potential_expiration > now => refuse(),
        (Active, Role::Secondary, Expired)
            if local.ends.saturating_sub(EXPIRY_FUDGE_SECS) > now =>
        {
            refuse()
        }
        (Active, Role::Secondary, _) => Ok(()),
        (Expired | Reset, _, Free | Backup) if potential_expiration > now => refuse(),
        (Expired | Reset, _, _) => Ok(()),
    }
}

/// The check of an incoming BNDUPD in every state but NORMAL (ISC
/// `conflict_binding_state_transition_check`, reference §1.4): only an ACTIVE
/// lease is protected, from being freed and from an early EXPIRED.
pub fn check_transition_lenient(
    local: &Lease,
    requested: BindingState,
    now: u64,
) -> Result<(), String> {
    use BindingState::*;
    let refuse = matches!((local.binding, requested), (Active, Free | Backup))
        || (local.binding == Active
            && requested == Expired
            && local.ends.saturating_sub(EXPIRY_FUDGE_SECS) > now);
    if refuse {
        return Err(format!(
            "{}: invalid state transition: {} to {}",
            local.address,
            local.binding.name(),
            requested.name()
        ));
    }
    Ok(())
}

/// Whether an incoming update beats the one we still wait to have acked
/// (ISC `failover_lease_is_better`, reference §1.4 step 3).
pub fn incoming_wins(
    receiver: Role,
    local: &Lease,
    incoming: BindingState,
    incoming_cltt: u64,
) -> bool {
    use BindingState::*;
    let primary_wins = receiver == Role::Secondary;
    match (local.binding, incoming) {
        (Active, Active) if incoming_cltt != local.cltt => incoming_cltt > local.cltt,
        (Active, Active) => primary_wins,
        (Active, Expired) => true,
        (l, Active) if l != Active => true,
        _ => primary_wins,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn lease(state: BindingState, ends: u64) -> Lease {
        let mut l = Lease::virgin(Ipv4Addr::new(192, 0, 2, 10), state);
        l.ends = ends;
        l
    }

    /// Reference §5.3: MCLT 3600, desired 86400.
    #[test]
    fn mclt_worked_example() {
        assert_eq!(granted_lease_time(86_400, 3_600, 0, 0).0, 3_600);
        assert_eq!(potential_expiration(0, 86_400, 3_600), 88_200);
        assert_eq!(granted_lease_time(86_400, 3_600, 88_200, 1_800).0, 86_400);
        assert_eq!(granted_lease_time(86_400, 3_600, 131_400, 45_000).0, 86_400);
        // The link died after the 1800 renewal: tsfp frozen at 131400.
        assert_eq!(granted_lease_time(86_400, 3_600, 131_400, 88_200).0, 46_800);
        assert_eq!(granted_lease_time(86_400, 3_600, 131_400, 111_600).0, 23_400);
        assert_eq!(granted_lease_time(86_400, 3_600, 131_400, 140_000).0, 3_600);
        // Lease at or below the MCLT is never capped.
        assert_eq!(granted_lease_time(3_600, 3_600, 0, 0).0, 3_600);
    }

    /// The recorded first-lease run D1: desired 120, MCLT 30.
    #[test]
    fn recorded_first_lease() {
        assert_eq!(granted_lease_time(120, 30, 0, 3).0, 30);
        assert_eq!(potential_expiration(3, 120, 30), 138);
        assert_eq!(granted_lease_time(120, 30, 138, 17).0, 120);
    }

    #[test]
    fn strict_check_protects_active_leases_on_the_primary() {
        let active = lease(BindingState::Active, 100);
        for s in
            [BindingState::Expired, BindingState::Free, BindingState::Backup, BindingState::Reset]
        {
            assert!(check_transition_normal(Role::Primary, &active, s, 0, 50).is_err(), "{s:?}");
        }
        for s in [BindingState::Released, BindingState::Abandoned] {
            assert!(check_transition_normal(Role::Primary, &active, s, 0, 50).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn strict_check_on_the_secondary() {
        let active = lease(BindingState::Active, 100);
        // EXPIRED is refused while the local end is more than 65 s away.
        assert!(check_transition_normal(Role::Secondary, &active, BindingState::Expired, 0, 30)
            .is_err());
        assert!(
            check_transition_normal(Role::Secondary, &active, BindingState::Expired, 0, 40).is_ok()
        );
        // FREE is refused while the potential expiration is in the future.
        assert!(
            check_transition_normal(Role::Secondary, &active, BindingState::Free, 60, 50).is_err()
        );
        assert!(
            check_transition_normal(Role::Secondary, &active, BindingState::Free, 40, 50).is_ok()
        );
        assert!(
            check_transition_normal(Role::Secondary, &active, BindingState::Released, 0, 0).is_ok()
        );
        let expired = lease(BindingState::Expired, 100);
        assert!(
            check_transition_normal(Role::Primary, &expired, BindingState::Free, 200, 150).is_err()
        );
        let free = lease(BindingState::Free, 0);
        let accepted = check_transition_normal(Role::Secondary, &free, BindingState::Active, 0, 0);
        assert!(accepted.is_ok());
    }

    #[test]
    fn dueling_updates() {
        let mut l = lease(BindingState::Active, 100);
        l.cltt = 10;
        assert!(incoming_wins(Role::Primary, &l, BindingState::Active, 11));
        assert!(!incoming_wins(Role::Primary, &l, BindingState::Active, 9));
        assert!(!incoming_wins(Role::Primary, &l, BindingState::Active, 10));
        assert!(incoming_wins(Role::Secondary, &l, BindingState::Active, 10));
        assert!(incoming_wins(Role::Primary, &l, BindingState::Expired, 0));
        let free = lease(BindingState::Free, 0);
        assert!(incoming_wins(Role::Primary, &free, BindingState::Active, 0));
        assert!(!incoming_wins(Role::Primary, &free, BindingState::Backup, 0));
    }

    use FailoverState::*;

    /// Reference §3.1: the service of each state, and the partner overlay.
    #[test]
    fn service_by_state() {
        assert_eq!(Normal.service(Some(Normal)), Service::Cooperating);
        assert_eq!(CommunicationsInterrupted.service(None), Service::NotCooperating);
        assert_eq!(PartnerDown.service(Some(Recover)), Service::PartnerDown);
        assert_eq!(Startup.service(None), Service::Startup);
        for s in [
            PotentialConflict,
            Recover,
            Paused,
            Shutdown,
            RecoverDone,
            ResolutionInterrupted,
            ConflictDone,
            RecoverWait,
            Down,
        ] {
            assert_eq!(s.service(Some(Normal)), Service::NotResponding, "{s:?}");
            assert!(!s.service(None).serves());
        }
        // A partner in PARTNER-DOWN or a conflict state silences a serving server.
        for p in [PartnerDown, PotentialConflict, ConflictDone, ResolutionInterrupted] {
            assert_eq!(Normal.service(Some(p)), Service::NotResponding, "{p:?}");
            assert_eq!(CommunicationsInterrupted.service(Some(p)), Service::NotResponding);
        }
    }

    /// Reference §3.3: what losing the link does.
    #[test]
    fn link_lost_mapping() {
        assert_eq!(Normal.on_link_lost(), Some(CommunicationsInterrupted));
        assert_eq!(PotentialConflict.on_link_lost(), Some(ResolutionInterrupted));
        for s in [CommunicationsInterrupted, PartnerDown, Paused, Recover, RecoverDone] {
            assert_eq!(s.on_link_lost(), None, "{s:?}");
        }
        for s in [RecoverWait, ResolutionInterrupted, Shutdown, ConflictDone] {
            assert_eq!(s.on_link_lost(), None, "{s:?}");
        }
    }

    fn react(mine: FailoverState, peer: FailoverState) -> PeerStateReaction {
        react_to_peer_state(mine, false, None, peer, false)
    }

    /// Reference §3.4, row by row.
    #[test]
    fn reactions_to_the_peers_state() {
        use PeerStateReaction::*;
        assert_eq!(react(Normal, PartnerDown), MoveTo(PotentialConflict));
        assert_eq!(react_to_peer_state(Normal, true, None, PartnerDown, false), MoveTo(Recover));
        assert_eq!(react(Normal, Recover), MoveTo(PartnerDown));
        assert_eq!(react(Normal, Shutdown), MoveTo(PartnerDown));
        assert_eq!(react(Normal, Paused), MoveTo(CommunicationsInterrupted));
        assert_eq!(react(Normal, ConflictDone), MoveTo(Shutdown));
        assert_eq!(react(Normal, Normal), Stay);
        assert_eq!(react(Recover, Recover), RequestAll);
        assert_eq!(react_to_peer_state(Recover, true, None, Recover, false), Stay);
        assert_eq!(react(Recover, Normal), MoveTo(PotentialConflict));
        assert_eq!(react(Recover, PartnerDown), RequestAll);
        assert_eq!(react(Recover, CommunicationsInterrupted), RequestAll);
        assert_eq!(react(Recover, Shutdown), MoveTo(PartnerDown));
        assert_eq!(react(PotentialConflict, Normal), MoveTo(Shutdown));
        assert_eq!(react(PotentialConflict, ConflictDone), Request);
        assert_eq!(react(PotentialConflict, Recover), MoveTo(Recover));
        assert_eq!(react(ConflictDone, Normal), MoveTo(Normal));
        assert_eq!(react(ConflictDone, PotentialConflict), Stay);
        assert_eq!(react(PartnerDown, RecoverDone), MoveTo(Normal));
        assert_eq!(react(PartnerDown, Recover), Stay);
        assert_eq!(react(PartnerDown, CommunicationsInterrupted), MoveTo(PotentialConflict));
        // A STATE still flagged STARTUP is ignored in PARTNER-DOWN.
        assert_eq!(react_to_peer_state(PartnerDown, false, None, Normal, true), Stay);
        assert_eq!(react(CommunicationsInterrupted, Recover), MoveTo(PartnerDown));
        assert_eq!(react(CommunicationsInterrupted, Normal), ResumeNormal);
        assert_eq!(react(CommunicationsInterrupted, RecoverWait), ResumeNormal);
        assert_eq!(react(CommunicationsInterrupted, PartnerDown), MoveTo(PotentialConflict));
        assert_eq!(react(CommunicationsInterrupted, Paused), Stay);
        assert_eq!(react(ResolutionInterrupted, Normal), MoveTo(PotentialConflict));
        assert_eq!(react(ResolutionInterrupted, Shutdown), MoveTo(PartnerDown));
        assert_eq!(react(RecoverDone, RecoverDone), MoveTo(Normal));
        assert_eq!(react(RecoverDone, Normal), MoveTo(Normal));
        assert_eq!(react(RecoverWait, Normal), Stay);
        // A repeated state is ignored in NORMAL and the other settled states.
        assert_eq!(react_to_peer_state(Normal, false, Some(Paused), Paused, false), Stay);
    }

    /// Reference §3.3: UPDDONE in RECOVER and POTENTIAL-CONFLICT.
    #[test]
    fn update_done() {
        let p = Role::Primary;
        let s = Role::Secondary;
        assert_eq!(on_update_done(Recover, p, Some(PartnerDown), false), Some(RecoverWait));
        assert_eq!(on_update_done(Recover, p, Some(PartnerDown), true), Some(RecoverDone));
        assert_eq!(on_update_done(Recover, s, Some(Recover), false), Some(RecoverDone));
        assert_eq!(
            on_update_done(PotentialConflict, p, Some(PotentialConflict), false),
            Some(ConflictDone)
        );
        assert_eq!(on_update_done(PotentialConflict, p, Some(ConflictDone), false), Some(Shutdown));
        assert_eq!(on_update_done(PotentialConflict, s, Some(ConflictDone), false), Some(Normal));
        assert_eq!(on_update_done(PotentialConflict, s, Some(PotentialConflict), false), None);
        assert_eq!(on_update_done(Normal, p, Some(Normal), true), None);
    }

    /// Reference §1.2: who may allocate what.
    #[test]
    fn ownership() {
        let mclt = 100;
        let free = lease(BindingState::Free, 0);
        let backup = lease(BindingState::Backup, 0);
        let coop = Service::Cooperating;
        let pd = Service::PartnerDown;
        assert!(mine_to_reallocate(Role::Primary, coop, &free, 10, mclt, 50));
        assert!(!mine_to_reallocate(Role::Primary, coop, &backup, 10, mclt, 50));
        assert!(mine_to_reallocate(Role::Secondary, coop, &backup, 10, mclt, 50));
        // The peer's pool in PARTNER-DOWN: only after max(STOS, tsfp) + MCLT.
        assert!(!mine_to_reallocate(Role::Primary, pd, &backup, 10, mclt, 110));
        assert!(mine_to_reallocate(Role::Primary, pd, &backup, 10, mclt, 111));
        let mut late = backup.clone();
        late.tsfp = 500;
        assert!(!mine_to_reallocate(Role::Primary, pd, &late, 10, mclt, 600));
        assert!(mine_to_reallocate(Role::Primary, pd, &late, 10, mclt, 601));
        // Transitional leases: the rewind shortcut, or PARTNER-DOWN once tsfp passed.
        let mut released = lease(BindingState::Released, 0);
        released.rewind = BindingState::Active;
        released.tsfp = 200;
        assert!(!mine_to_reallocate(Role::Primary, Service::NotCooperating, &released, 10, 1, 50));
        assert!(!mine_to_reallocate(Role::Primary, pd, &released, 10, mclt, 200));
        assert!(mine_to_reallocate(Role::Primary, pd, &released, 10, mclt, 201));
        released.rewind = BindingState::Free;
        assert!(mine_to_reallocate(Role::Primary, Service::NotCooperating, &released, 10, 1, 50));
        assert!(!mine_to_reallocate(
            Role::Secondary,
            coop,
            &lease(BindingState::Active, 9),
            1,
            1,
            5
        ));
    }

    /// Reference §1.4: the lenient check protects only ACTIVE leases.
    #[test]
    fn lenient_check() {
        let active = lease(BindingState::Active, 100);
        assert!(check_transition_lenient(&active, BindingState::Free, 0).is_err());
        assert!(check_transition_lenient(&active, BindingState::Backup, 0).is_err());
        assert!(check_transition_lenient(&active, BindingState::Expired, 30).is_err());
        assert!(check_transition_lenient(&active, BindingState::Expired, 40).is_ok());
        assert!(check_transition_lenient(&active, BindingState::Active, 0).is_ok());
        assert!(check_transition_lenient(&active, BindingState::Released, 0).is_ok());
        let expired = lease(BindingState::Expired, 100);
        assert!(check_transition_lenient(&expired, BindingState::Free, 0).is_ok());
    }
}
