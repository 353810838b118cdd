//! The page's model without a browser: opening links, stepping, playback, and the text
//! helpers. Runs under Node with `cargo test -p dhcpfo-ui --target wasm32-unknown-unknown`.

use std::rc::Rc;

use dhcpfo_engine::scenario::{builtin, DEFAULT_SCENARIO};
use dhcpfo_engine::BindingState;
use dhcpfo_engine::{share, Duration, Snapshot};
use dhcpfo_ui::state::{Action, Playback, Slot, Speed};
use dhcpfo_ui::text::{gap, segments, Segment};
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
