//! Scripted tests of the connection and the operator's faults, one rule each
//! (reference notes §3.3, §3.6, §4.1): when a lost link is noticed, what a
//! short blip does, a one-way cut, a killed, paused or orderly stopped peer,
//! the clock check, and that a server that answers nobody ignores clients.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use dhcpfo_engine::packet::{Body, FailoverMessage};
use dhcpfo_engine::trace::{Cause, DropReason};
use dhcpfo_engine::FailoverState::{
    CommunicationsInterrupted, Normal, PartnerDown, Paused, RecoverDone, RecoverWait, Shutdown,
    Startup,
};
use dhcpfo_engine::Role::{Primary, Secondary};
use dhcpfo_engine::{Time, Timeline, Why};

/// A pair with one client that binds at 00:00:10, plus the given events.
fn pair(events: &str, extra: &str) -> Timeline {
    let text = format!(
        "title = \"t\"\nend = \"00:20:00\"\n{extra}\n[failover]\nmclt = \"5m\"\n\
         max_response_delay = \"30s\"\n[pool]\nsubnet = \"192.0.2.0/24\"\n\
         range = [\"192.0.2.10\", \"192.0.2.19\"]\n[lease]\nping_check = false\n\
         default = \"1h\"\n[[client]]\nname = \"a\"\nmac = \"02:00:00:00:00:01\"\n\
         [[event]]\nat = 10\nclient = \"a\"\naction = \"boot\"\n{events}"
    );
    run_toml(&text).1
}

fn event(at: &str, action: &str) -> String {
    format!("[[event]]\nat = \"{at}\"\naction = \"{action}\"\n")
}

fn secs(s: u64) -> Time {
    Time::from_secs(s)
}

/// A cut is noticed max-response-delay after the last message or keep-alive
/// that got through (keep-alives every max-response-delay / 3 when quiet).
#[test]
fn a_cut_link_is_noticed_after_max_response_delay() {
    let t = pair(&event("00:01:00", "cut-link"), "");
    // The secondary's last message is its BNDACK at 00:00:12.00x; keep-alives
    // every 10 s follow it: the last one to arrive before the cut left at
    // 00:00:52.00x, so the primary gives up 30 s later.
    let p = entered(&t, Primary, CommunicationsInterrupted);
    assert!(p > secs(82) && p < secs(83), "{p:?}");
    let s = entered(&t, Secondary, CommunicationsInterrupted);
    assert!(s > secs(80) && s < secs(83), "{s:?}");
    assert!(t.steps().iter().any(|s| s
        .effects
        .iter()
        .any(|e| matches!(e.why(), Why::NoContact { max_response_delay: 30 }))));
}

/// A blip shorter than max-response-delay costs nothing: TCP sends what waited.
#[test]
fn a_short_blip_keeps_the_connection() {
    let events = event("00:00:10.0025", "cut-link") + &event("00:00:15", "heal-link");
    let t = pair(&events, "");
    assert_eq!(state_names(&t, Primary), Vec::new());
    assert_eq!(state_names(&t, Secondary), Vec::new());
    let held =
        t.steps().iter().filter(|s| matches!(s.cause, Cause::Dropped(_, DropReason::LinkCutHeld)));
    assert!(held.count() >= 1, "the BNDUPD met the cut");
    // It arrives after the heal, and is acknowledged.
    let late = received(&t, |s| {
        s.at >= secs(15)
            && s.at < secs(16)
            && matches!(&s.cause, Cause::Received(p)
            if matches!(p.body, Body::Failover(FailoverMessage::BndUpd(_))))
    });
    assert_eq!(late.len(), 1);
}

/// Cut one way, the side that hears nothing gives up and closes the
/// connection; the other sees it close. Both end up apart.
#[test]
fn a_one_way_cut_separates_both() {
    let t = pair(&event("00:01:00", "cut-link-to-primary"), "");
    let p = entered(&t, Primary, CommunicationsInterrupted);
    let s = entered(&t, Secondary, CommunicationsInterrupted);
    assert!(s >= p && s < p.plus(dhcpfo_engine::Duration::from_secs(1)), "{p:?} {s:?}");
}

/// A killed dhcpd's connection closes at once: the peer does not wait.
#[test]
fn a_killed_peer_is_noticed_at_once() {
    let t = pair(&event("00:01:00", "stop-secondary"), "");
    assert_eq!(state_names(&t, Secondary)[0], dhcpfo_engine::FailoverState::Down);
    assert!(entered(&t, Primary, CommunicationsInterrupted) < secs(61));
}

/// PAUSED makes the peer COMMUNICATIONS-INTERRUPTED; resuming brings both back.
#[test]
fn pause_and_resume() {
    let events = event("00:01:00", "pause-secondary") + &event("00:02:00", "resume-secondary");
    let t = pair(&events, "");
    assert_eq!(entered(&t, Secondary, Paused), secs(60));
    assert!(entered(&t, Primary, CommunicationsInterrupted) < secs(61));
    let end = t.world_after(t.steps().len());
    assert_eq!(end.server(Primary).state, Normal);
    assert_eq!(end.server(Secondary).state, Normal);
}

/// An orderly shutdown announces SHUTDOWN: the peer takes over at once, and
/// the leaving server exits on hearing it, with its STOS back-dated by the
/// MCLT, so that coming back needs no RECOVER-WAIT (reference §3.3, §5.5).
#[test]
fn an_orderly_shutdown_hands_over_and_returns_without_a_wait() {
    let events = event("00:01:00", "shutdown-secondary") + &event("00:02:00", "start-secondary");
    let t = pair(&events, "");
    assert_eq!(entered(&t, Secondary, Shutdown), secs(60));
    assert!(entered(&t, Primary, PartnerDown) < secs(61));
    let back = state_names(&t, Secondary);
    assert!(!back.contains(&RecoverWait), "{back:?}");
    assert!(entered(&t, Secondary, RecoverDone) < secs(121));
    assert!(t.steps().iter().any(|s| s
        .effects
        .iter()
        .any(|e| matches!(e.why(), Why::OrderlyExit { back_dated: true }))));
}

/// Resuming a paused server while its peer still waits in RECOVER-WAIT: the
/// pair agrees again once the peer is done.
#[test]
fn a_resume_during_the_peers_recovery_converges() {
    let events = event("00:01:00", "stop-secondary")
        + &event("00:01:30", "start-secondary-empty")
        + &event("00:03:00", "pause-primary")
        + &event("00:03:30", "resume-primary");
    let t = pair(&events, "");
    let end = t.world_after(t.steps().len());
    assert_eq!(end.server(Primary).state, Normal);
    assert_eq!(end.server(Secondary).state, Normal);
    assert!(entered(&t, Secondary, RecoverWait) < secs(91));
}

/// Clocks up to 60 s apart are accepted; 61 s are refused with reason 4.
#[test]
fn the_clock_check_allows_a_minute() {
    let restart = event("00:01:00", "stop-secondary") + &event("00:01:05", "start-secondary");
    for (offset, refused) in [(60, false), (-61, true)] {
        let t = pair(&restart, &format!("[network]\nclock_offset = {offset}"));
        let refusals = t.steps().iter().filter(|s| {
            s.effects.iter().any(|e| matches!(e.why(), Why::ConnectRefused { reason: 4, .. }))
        });
        assert_eq!(refusals.count() > 0, refused, "offset {offset}");
        let end = t.world_after(t.steps().len());
        let want = if refused { CommunicationsInterrupted } else { Normal };
        assert_eq!(end.server(Secondary).state, want, "offset {offset}");
    }
}

/// A server in STARTUP answers nobody.
#[test]
fn a_starting_server_answers_nobody() {
    let events = event("00:01:00", "stop-primary")
        + &event("00:05:00", "stop-secondary")
        + &event("00:06:00", "start-primary")
        + "[[event]]\nat = \"00:06:05\"\nclient = \"a\"\naction = \"reboot\"\n";
    let t = pair(&events, "");
    assert_eq!(entered(&t, Primary, Startup), secs(360));
    let ignored = t.steps().iter().any(|s| {
        s.node == dhcpfo_engine::Node::Primary
            && s.effects.iter().any(|e| matches!(e.why(), Why::NotServing { state: Startup, .. }))
    });
    assert!(ignored, "the rebooting client's DHCPREQUEST is dropped");
    // After 15 s with no peer it takes up its saved state as after a lost link.
    assert_eq!(entered(&t, Primary, CommunicationsInterrupted), secs(375));
}

/// A kill during an orderly shutdown's wait ends the shutdown: the server
/// restarted later loses a link like any other (reference §3.3), and does
/// not exit again.
#[test]
fn a_kill_ends_an_orderly_shutdown_for_good() {
    let events = event("00:00:50", "pause-secondary")
        + &event("00:01:00", "shutdown-primary")
        + &event("00:01:02", "stop-primary")
        + &event("00:02:00", "start-primary-empty")
        + &event("00:02:30", "resume-secondary")
        + &event("00:15:00", "cut-link");
    let t = pair(&events, "");
    let down = states(&t, Primary)
        .into_iter()
        .filter(|&(_, s)| s == dhcpfo_engine::FailoverState::Down)
        .count();
    assert_eq!(down, 1, "{:?}", state_names(&t, Primary));
    let end = t.world_after(t.steps().len());
    assert!(end.server(Primary).running());
}
