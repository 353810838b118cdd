//! The contract with the on-demand tools module, without a worker: jobs and replies survive
//! the trip through their JavaScript messages, and the worker's answers equal what the page
//! would make itself. Runs under Node with
//! `cargo test -p dhcpfo-ui --target wasm32-unknown-unknown`.

use dhcpfo_engine::{Role, Scenario};
use dhcpfo_ui::exports;
use dhcpfo_ui::state::Playback;
use dhcpfo_ui::tools::serve::answer;
use dhcpfo_ui::tools::{Job, Reply};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// The dhcpd.conf of a recorded primary (the engine's test data).
const PRIMARY_CONF: &str = include_str!("../../engine/tests/data/conf/a-release-primary.conf");

/// `reply` after the trip to the page and back.
fn carried(reply: Reply) -> Reply {
    let (message, _) = reply.to_message(7);
    let (id, back) = Reply::from_message(&message).expect("a reply message reads back");
    assert_eq!(id, 7);
    back
}

/// The default scenario as JSON, as the page sends it.
fn default_json() -> String {
    Playback::open("").loaded.scenario.to_json()
}

#[wasm_bindgen_test]
fn every_job_survives_its_message() {
    let jobs = [
        Job::Import { text: "subnet 10.0.0.0 netmask 255.0.0.0 { }".into() },
        Job::Capture { scenario: default_json() },
        Job::Leases { scenario: default_json(), step: 40, role: Role::Secondary },
    ];
    for job in jobs {
        let message = job.to_message(3);
        assert_eq!(Job::from_message(&message), Ok((3, job)));
    }
}

#[wasm_bindgen_test]
fn a_message_that_is_no_job_is_refused_in_words() {
    let refused = Job::from_message(&JsValue::from_str("capture"));
    assert!(refused.is_err_and(|e| e.contains("`id`")));
    let unknown = Job::Import { text: String::new() }.to_message(1);
    let _ = js_sys::Reflect::set(&unknown, &"job".into(), &"format-disk".into());
    assert!(Job::from_message(&unknown).is_err_and(|e| e.contains("format-disk")));
    // A reply without `ok` is a failure, never a success with missing parts.
    let bare = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&bare, &"id".into(), &JsValue::from(2));
    assert!(matches!(Reply::from_message(&bare), Ok((2, Reply::Failed { .. }))));
}

#[wasm_bindgen_test]
fn an_import_comes_back_as_a_scenario_and_its_notes() {
    let reply = carried(answer(Job::Import { text: PRIMARY_CONF.into() }));
    let Reply::Imported { scenario, notes } = reply else { panic!("not imported: {reply:?}") };
    let scenario = Scenario::from_json(&scenario).expect("the scenario JSON reads back");
    assert_eq!(scenario.validate().expect("imports validate").pool.len(), 10);
    assert!(notes.iter().any(|n| n.line == 1 && n.message.contains("authoritative")));
}

#[wasm_bindgen_test]
fn a_refused_import_names_its_line() {
    let broken = "authoritative;\nfailover peer \"x\" {\n  primary;\n";
    let reply = carried(answer(Job::Import { text: broken.into() }));
    let Reply::Failed { message, line } = reply else { panic!("not refused: {reply:?}") };
    assert_eq!(line, Some(2));
    assert!(message.starts_with("line 2, column"), "{message}");
}

#[wasm_bindgen_test]
fn the_files_equal_what_the_page_would_write() {
    let p = Playback::open("");
    let json = p.loaded.scenario.to_json();
    let pcap = carried(answer(Job::Capture { scenario: json.clone() }));
    let expected = exports::capture(&p.loaded).expect("the default run can be captured");
    assert_eq!(pcap, Reply::Bytes(expected));
    let world = p.loaded.timeline.world_after(40);
    for role in [Role::Primary, Role::Secondary] {
        let leases = carried(answer(Job::Leases { scenario: json.clone(), step: 40, role }));
        assert_eq!(leases, Reply::Text(exports::leases_text(&world, role)));
    }
}

#[wasm_bindgen_test]
fn impossible_files_are_refused_in_words() {
    let total = Playback::open("").loaded.total();
    let late = Job::Leases { scenario: default_json(), step: total + 1, role: Role::Primary };
    let Reply::Failed { message, .. } = answer(late) else { panic!("a step past the end") };
    assert!(message.contains(&format!("{total} steps")), "{message}");
    let bad = answer(Job::Capture { scenario: "{\"pool\": 3}".into() });
    assert!(matches!(bad, Reply::Failed { ref message, .. } if message.contains("not valid")));
}
