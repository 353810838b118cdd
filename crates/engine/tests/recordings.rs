//! The built-in scenarios checked against the recordings of a real ISC dhcpd
//! 4.4.3 pair (reference runs A-release, A2-expiry, D1) and against the thread.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use dhcpfo_engine::packet::{Body, FailoverMessage};
use dhcpfo_engine::trace::{Cause, Effect};
use dhcpfo_engine::BindingState::{Active, Backup, Expired, Free, Released};
use dhcpfo_engine::Packet;
use dhcpfo_engine::Role::{Primary, Secondary};
use dhcpfo_engine::{Snapshot, Time};

/// Run A, table A.1 and A.2: each address's states on each server.
#[test]
fn isc_release_state_sequences_match_the_recording() {
    let (_, t) = run_builtin("isc-release");
    // c1 hashes to the primary and takes 10.77.0.105 from the FREE pool.
    assert_eq!(state_sequence(&t, Primary, "10.77.0.105"), [Free, Active, Released, Free]);
    assert_eq!(state_sequence(&t, Secondary, "10.77.0.105"), [Free, Active, Free]);
    // c2 hashes to the secondary and takes 10.77.0.104 from the BACKUP pool.
    assert_eq!(
        state_sequence(&t, Secondary, "10.77.0.104"),
        [Backup, Active, Released, Free, Backup]
    );
    assert_eq!(state_sequence(&t, Primary, "10.77.0.104"), [Backup, Active, Free, Backup]);
}

/// Run A: first ACK 30 s (MCLT), renewal 60 s, on both servers.
#[test]
fn isc_release_lease_times_match_the_recording() {
    let (_, t) = run_builtin("isc-release");
    assert_eq!(ack_lease_times(&t, Primary), [30, 60]);
    assert_eq!(ack_lease_times(&t, Secondary), [30, 60]);
}

/// Run A: BNDUPD contents. The first ACK at t=4 sends lease-exp 34 and
/// pot-exp 4 + 60 + 15 = 79, as recorded; a release sends now for both.
#[test]
fn isc_release_binding_updates_match_the_recording() {
    let (_, t) = run_builtin("isc-release");
    let p = updates_from(&t, Primary);
    let statuses: Vec<_> = p.iter().map(|u| (u.0.as_str(), u.1)).collect();
    assert_eq!(
        statuses,
        [
            ("10.77.0.105", Active),
            ("10.77.0.105", Active),
            ("10.77.0.105", Released),
            ("10.77.0.104", Backup)
        ]
    );
    assert_eq!((p[0].2, p[0].3), (34, 79));
    let renew_at = p[1].2 - 60;
    assert_eq!(p[1].3, renew_at + 60 + 30, "pot-exp = now + desired + granted/2");
    assert_eq!((p[2].2, p[2].3), (26, 26), "release: lease-exp = pot-exp = release time");
    let s = updates_from(&t, Secondary);
    let statuses: Vec<_> = s.iter().map(|u| (u.0.as_str(), u.1)).collect();
    assert_eq!(
        statuses,
        [("10.77.0.104", Active), ("10.77.0.104", Active), ("10.77.0.104", Released)]
    );
    assert_eq!((s[0].2, s[0].3), (101, 146));
    assert_eq!((s[2].2, s[2].3), (92, 92));
}

/// The xid of a BNDUPD or BNDACK.
fn failover_xid(p: &Packet) -> Option<(&'static str, u32)> {
    match &p.body {
        Body::Failover(FailoverMessage::BndUpd(u)) => Some(("BNDUPD", u.xid)),
        Body::Failover(FailoverMessage::BndAck(a)) => Some(("BNDACK", a.xid)),
        _ => None,
    }
}

/// Reference fact 5: a lone BNDUPD is acked 2 s after it arrives, but the
/// primary's ack of the secondary's RELEASED leaves at once, just before its
/// own BNDUPD BACKUP (same instant, ack first).
#[test]
fn isc_release_ack_timing_matches_the_recording() {
    let (_, t) = run_builtin("isc-release");
    let msgs = sent(&t);
    let mut delays = Vec::new();
    for step in received(&t, |s| matches!(&s.cause, Cause::Received(p) if p.name() == "BNDUPD")) {
        let Cause::Received(upd) = &step.cause else { unreachable!() };
        let Body::Failover(FailoverMessage::BndUpd(u)) = &upd.body else { unreachable!() };
        let (_, ack) = msgs
            .iter()
            .find(|(_, p)| failover_xid(p) == Some(("BNDACK", u.xid)) && p.from != upd.from)
            .expect("every update is acked");
        delays.push((u.status, ack.sent_at.millis() - step.at.millis()));
    }
    let want = [
        (Active, 2000),
        (Active, 2000),
        (Released, 2000),
        (Active, 2000),
        (Active, 2000),
        (Released, 0),
        (Backup, 2000),
    ];
    assert_eq!(delays, want);
    // The immediate ack precedes the BNDUPD BACKUP in the same step.
    let backup_update = |p: &Packet| match &p.body {
        Body::Failover(FailoverMessage::BndUpd(u)) => u.status == Backup,
        _ => false,
    };
    let (step, _) = msgs.iter().find(|(_, p)| backup_update(p)).unwrap();
    let names: Vec<_> = step
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Sent { packet, .. } => Some(packet.name()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["BNDACK", "BNDUPD"]);
}

/// Run A2: the primary expires both leases at their end, including the one
/// the secondary granted; both return to free, the secondary's to backup.
#[test]
fn isc_expiry_matches_the_recording() {
    let (_, t) = run_builtin("isc-expiry");
    assert_eq!(state_sequence(&t, Primary, "10.77.0.105"), [Free, Active, Expired, Free]);
    assert_eq!(state_sequence(&t, Primary, "10.77.0.104"), [Backup, Active, Expired, Free, Backup]);
    assert_eq!(state_sequence(&t, Secondary, "10.77.0.105"), [Free, Active, Free]);
    assert_eq!(state_sequence(&t, Secondary, "10.77.0.104"), [Backup, Active, Free, Backup]);
    // The secondary never sends EXPIRED in NORMAL.
    assert!(updates_from(&t, Secondary).iter().all(|u| u.1 != Expired));
    let expired: Vec<_> =
        updates_from(&t, Primary).into_iter().filter(|u| u.1 == Expired).collect();
    assert_eq!(expired.len(), 2);
    assert!(expired.iter().all(|u| u.2 == 34), "both expire at ends = 34");
    // 30 s first leases, as recorded.
    assert_eq!(ack_lease_times(&t, Primary), [30]);
    assert_eq!(ack_lease_times(&t, Secondary), [30]);
}

/// Run D1: no min-lease-time, so the desired time is 120; first ACK 30 (MCLT),
/// then 120 twice; first pot-exp = 3 + 120 + 15 = 138.
#[test]
fn isc_first_lease_matches_the_recording() {
    let (cfg, t) = run_builtin("isc-first-lease");
    assert_eq!(cfg.min_lease_time, 120);
    assert_eq!(ack_lease_times(&t, Primary), [30, 120, 120]);
    assert_eq!(ack_lease_times(&t, Secondary), [30, 120, 120]);
    let p = updates_from(&t, Primary);
    assert_eq!((p[0].2, p[0].3), (33, 138));
    assert_eq!(state_sequence(&t, Primary, "10.77.0.105"), [Free, Active, Released, Free]);
    assert_eq!(
        state_sequence(&t, Secondary, "10.77.0.104"),
        [Backup, Active, Released, Free, Backup]
    );
}

/// The thread's timeline: boot at 00:00:00 (answered within a second), renew at
/// T1 about 00:30:00, release at 00:33:27: one address goes released then free,
/// the other released, free, then backup.
#[test]
fn dhcprelease_plays_the_thread() {
    let (cfg, t) = run_builtin("dhcprelease");
    // desktop (02:..:02) hashes to the primary, laptop (02:..:01) to the secondary.
    assert_eq!(state_sequence(&t, Primary, "192.0.2.20"), [Free, Active, Released, Free]);
    assert_eq!(state_sequence(&t, Secondary, "192.0.2.20"), [Free, Active, Free]);
    assert_eq!(
        state_sequence(&t, Secondary, "192.0.2.19"),
        [Backup, Active, Released, Free, Backup]
    );
    assert_eq!(state_sequence(&t, Primary, "192.0.2.19"), [Backup, Active, Free, Backup]);
    assert_eq!(ack_lease_times(&t, Primary), [3600, 3600]);
    // The old ping timer answers on the next whole second: the OFFER leaves at 00:00:01.
    let offers: Vec<_> = sent(&t).into_iter().filter(|(_, p)| p.name() == "DHCPOFFER").collect();
    assert_eq!(offers.len(), 2);
    assert!(offers.iter().all(|(s, _)| s.at == Time(1000)));
    // Renewal at T1, half an hour after the REQUEST went out.
    let renewals: Vec<_> =
        t.steps().iter().filter(|s| s.summary(&cfg).contains("T1 reached")).collect();
    assert_eq!(renewals.len(), 2);
    assert!(renewals.iter().all(|s| s.at.secs() == 1801));
    // A moment after the release both servers agree, and the clients are off.
    let w = t.world_after(t.steps_until(Time::parse("00:33:30").unwrap()));
    let snap = Snapshot::at(&w, Time::parse("00:33:30").unwrap());
    let lease = |v: &dhcpfo_engine::snapshot::ServerView, a: &str| {
        v.leases.iter().find(|(k, _)| k == a).unwrap().1.binding.clone()
    };
    assert_eq!(lease(&snap.servers.primary, "192.0.2.20"), "free");
    assert_eq!(lease(&snap.servers.secondary, "192.0.2.20"), "free");
    assert_eq!(lease(&snap.servers.primary, "192.0.2.19"), "backup");
    assert_eq!(lease(&snap.servers.secondary, "192.0.2.19"), "backup");
    assert!(snap.clients.iter().all(|(_, c)| c.state == "off"));
}
