//! The page's model without a browser: opening links, stepping, playback, safety
//! violations, runs without steps, and the text helpers. Runs under Node with
//! `cargo test -p dhcpfo-ui --target wasm32-unknown-unknown`.

use std::net::Ipv4Addr;
use std::rc::Rc;

use dhcpfo_engine::scenario::{builtin, DEFAULT_SCENARIO};
use dhcpfo_engine::trace::{Cause, Effect};
use dhcpfo_engine::{share, Duration, Snapshot};
use dhcpfo_engine::{BindingState, Node, Scenario, Step, Time, Why};
use dhcpfo_ui::components::pool::pool_note;
use dhcpfo_ui::state::{
    is_violation, next_due, violations_in, Action, Loaded, Playback, Shared, Slot, Speed, Violation,
};
use dhcpfo_ui::text::{count, gap, segments, thousands, Segment};
use wasm_bindgen_test::wasm_bindgen_test;
use yew::Reducible;

fn act(state: Playback, action: Action) -> Playback {
    (*Rc::new(state).reduce(action)).clone()
}

#[wasm_bindgen_test]
fn an_empty_fragment_opens_the_default_scenario_at_the_start() {
    let p = Playback::open("");
    assert_eq!(p.loaded.builtin, Some(DEFAULT_SCENARIO));
    assert_eq!(p.step, 0);
    assert!(p.error.is_none());
    assert!(!p.playing);
}

#[wasm_bindgen_test]
fn a_damaged_fragment_reports_why_and_opens_the_default() {
    for bad in ["#v1.%%%", "v1.abcd.1", "#v9.x.1", "#nonsense"] {
        let p = Playback::open(bad);
        let error = p.error.clone().unwrap_or_else(|| panic!("no error for {bad}"));
        assert!(error.contains("could not be opened"), "{bad}: {error}");
        assert_eq!(p.loaded.builtin, Some(DEFAULT_SCENARIO), "{bad}");
        assert_eq!(p.step, 0);
    }
}

#[wasm_bindgen_test]
fn a_share_fragment_opens_its_scenario_and_step() {
    let scenario = builtin("isc-expiry").expect("built-in");
    let p = Playback::open(&format!("#{}", share::encode(&scenario, 7)));
    assert_eq!(p.loaded.builtin, Some("isc-expiry"));
    assert_eq!(p.step, 7);
    let p = Playback::open("dhcprelease.12");
    assert_eq!((p.loaded.builtin, p.step), (Some(DEFAULT_SCENARIO), 12));
    let p = Playback::open("dhcprelease.999999");
    assert_eq!(p.step, p.loaded.total(), "a step past the end is capped");
}

#[wasm_bindgen_test]
fn the_page_fragment_is_the_engine_share_encoding() {
    let p = Playback::open("");
    for step in [0, 1, 12, p.loaded.total()] {
        assert_eq!(p.loaded.fragment(step), share::encode(&p.loaded.scenario, step));
    }
}

#[wasm_bindgen_test]
fn stepping_forward_and_back_shows_exactly_the_timeline_world() {
    let mut p = Playback::open("");
    let total = p.loaded.total();
    for n in 1..=total {
        p = act(p, Action::Forward);
        assert_eq!(p.step, n);
        let expected = Snapshot::of(&p.loaded.timeline.world_after(n));
        assert_eq!(Snapshot::of(&p.world), expected, "forward to step {n}");
    }
    p = act(p, Action::Forward);
    assert_eq!(p.step, total, "forward at the end stays at the end");
    for n in (0..total).rev() {
        p = act(p, Action::Back);
        let expected = Snapshot::of(&p.loaded.timeline.world_after(n));
        assert_eq!(Snapshot::of(&p.world), expected, "back to step {n}");
    }
    assert_eq!(act(p, Action::Back).step, 0);
}

#[wasm_bindgen_test]
fn playback_ticks_one_step_and_stops_at_the_end() {
    let p = act(Playback::open(""), Action::TogglePlay);
    assert!(p.playing);
    let p = act(p, Action::Tick);
    assert_eq!(p.step, 1);
    let p = act(p, Action::Goto(5));
    assert!(!p.playing, "a jump pauses");
    let total = p.loaded.total();
    let mut p = act(act(p, Action::Goto(total - 1)), Action::TogglePlay);
    p = act(p, Action::Tick);
    assert_eq!(p.step, total);
    assert!(!p.playing, "playback stops at the end");
    let p = act(p, Action::TogglePlay);
    assert!(p.playing && p.step == 0, "play at the end starts over");
    let p = act(p, Action::SetSpeed(Speed::Four));
    assert_eq!(p.speed.tick_ms(), 175);
}

#[wasm_bindgen_test]
fn picking_a_builtin_starts_it_and_keeps_the_speed() {
    let p = act(Playback::open(""), Action::SetSpeed(Speed::Two));
    let p = act(act(p, Action::Goto(9)), Action::Pick("isc-release".into()));
    assert_eq!((p.loaded.builtin, p.step, p.speed), (Some("isc-release"), 0, Speed::Two));
    let p = act(p, Action::Pick("no-such-thing".into()));
    assert!(p.error.is_some());
    assert_eq!(p.loaded.builtin, Some("isc-release"));
}

#[wasm_bindgen_test]
fn the_inspector_shows_the_first_packet_sent_else_the_one_received() {
    let p = Playback::open("");
    assert!(p.inspected().is_none(), "nothing at the start");
    let p = act(p, Action::Goto(1));
    let r = p.inspected().expect("the boot sends a DISCOVER");
    assert!(matches!(r.slot, Slot::Sent(_)));
    assert_eq!(r.resolve(&p.loaded).map(|pk| pk.name()), Some("DHCPDISCOVER"));
    let p = act(p, Action::Goto(3));
    let r = p.inspected().expect("a server received the DISCOVER");
    assert_eq!(r.resolve(&p.loaded).map(|pk| pk.name()), Some("DHCPDISCOVER"));
}

#[wasm_bindgen_test]
fn gaps_read_like_a_stopwatch() {
    assert_eq!(gap(Duration(1_797_997)), "+29m58s");
    assert_eq!(gap(Duration(1)), "+1ms");
    assert_eq!(gap(Duration(0)), "+0ms");
    assert_eq!(gap(Duration(2_000)), "+2s");
    assert_eq!(gap(Duration(1_999)), "+1.999s");
    assert_eq!(gap(Duration(3_600_000)), "+1h");
}

#[wasm_bindgen_test]
fn sentences_split_into_rules_and_states() {
    let s = "the lease goes RELEASED (next state FREE) and waits (draft-12 §5.2.2).";
    let parts = segments(s);
    assert!(parts.contains(&Segment::Rule("draft-12 §5.2.2")));
    assert!(parts.contains(&Segment::State(BindingState::Released, "RELEASED")));
    assert!(parts.contains(&Segment::State(BindingState::Free, "FREE")));
    let text: String = parts
        .iter()
        .map(|p| match p {
            Segment::Text(t) | Segment::State(_, t) => t.to_string(),
            Segment::Rule(r) => format!("({r})"),
        })
        .collect();
    assert_eq!(text, s, "nothing is lost or reordered");
}

/// A scenario in which nothing happens: a pool and no clients.
const EMPTY: &str = r#"
title = "Nothing happens"
[pool]
subnet = "10.0.0.0/24"
range = ["10.0.0.10", "10.0.0.10"]
"#;

#[wasm_bindgen_test]
fn a_run_without_steps_has_nothing_to_play() {
    let scenario = Scenario::from_toml(EMPTY).expect("a valid scenario");
    let loaded = Loaded::new(scenario).expect("it runs");
    assert_eq!((loaded.total(), loaded.truncated()), (0, false));
    let p = act(act(Playback::open(""), Action::Load(Shared::new(loaded))), Action::TogglePlay);
    assert!(!p.playing, "play does nothing");
    assert_eq!(act(p, Action::Forward).step, 0);
}

#[wasm_bindgen_test]
fn faster_speeds_and_an_honest_pace() {
    assert_eq!(Speed::from_value("8"), Some(Speed::Eight));
    assert_eq!(Speed::from_value("16"), Some(Speed::Sixteen));
    assert!(Speed::Sixteen.tick_ms() * 16 <= 710 && Speed::Eight.tick_ms() * 8 <= 710);
    assert!(Speed::Sixteen.flight_ms() >= 100, "a flight is never too short to see");
    // The next tick counts from when the step shown was due, not from when it was drawn.
    assert_eq!(next_due(None, 1000.0, 700), 1700.0);
    assert_eq!(next_due(Some(1000.0), 1050.0, 700), 1700.0);
    assert_eq!(next_due(Some(1000.0), 1800.0, 700), 1700.0, "a little behind: catch up");
    assert_eq!(next_due(Some(1000.0), 5000.0, 700), 5700.0, "far behind: start afresh");
}

/// A step as the engine's monitor would record it: a finding next to an ordinary note.
fn violating_step(index: u32, address: Ipv4Addr) -> Step {
    let message = "two clients have this address configured".to_string();
    Step {
        index,
        at: Time::from_secs(60),
        node: Node::Client(0),
        cause: Cause::Script(dhcpfo_engine::scenario::Action::Boot),
        effects: vec![
            Effect::Note { why: Why::Boot },
            Effect::Note { why: Why::SafetyViolation { address, message } },
        ],
    }
}

#[wasm_bindgen_test]
fn safety_violations_are_found_in_a_step_and_listed_for_the_page() {
    let mut loaded = Loaded::default_scenario();
    assert!(loaded.violations.is_empty(), "the default scenario is safe");
    let address = Ipv4Addr::new(192, 0, 2, 19);
    let step = violating_step(4, address);
    assert!(is_violation(&step.effects[1]) && !is_violation(&step.effects[0]));
    let found = violations_in(&loaded.config, 4, &step);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].step, found[0].address), (4, address));
    assert!(found[0].sentence.starts_with("SAFETY VIOLATION at 192.0.2.19"), "{found:?}");

    let later = Violation { step: 9, ..found[0].clone() };
    loaded.violations = vec![found[0].clone(), later];
    assert_eq!(loaded.violations_at(4).len(), 1);
    assert!(loaded.violations_at(5).is_empty());
    let next = |at: Option<usize>| loaded.next_violation(at).map(|v| v.step);
    assert_eq!((next(None), next(Some(4)), next(Some(9))), (Some(4), Some(9), Some(4)));
}

#[wasm_bindgen_test]
fn counts_read_in_the_right_number() {
    assert_eq!(count(1, "address", "addresses"), "1 address");
    assert_eq!(count(0, "step", "steps"), "0 steps");
    assert_eq!(count(200_000, "step", "steps"), "200,000 steps");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(999), "999");
    assert_eq!(pool_note(1, 0), "1 address · both servers agree");
    assert_eq!(pool_note(20, 2), "20 addresses · 2 addresses differ: updates are in flight");
}
