//! The mounted app in headless Chromium: the DOM contract is there, and the controls
//! move the page; and single components given a hand-made safety violation mark it.
//! Runs with `cargo test -p dhcpfo-ui --target wasm32-unknown-unknown`.

use std::net::Ipv4Addr;

use dhcpfo_ui::components::controls::{Marks, MarksProps};
use dhcpfo_ui::components::event_log::{EventLog, LogProps};
use dhcpfo_ui::components::narration::{Narration, NarrationProps};
use dhcpfo_ui::state::{Loaded, Shared, Violation};
use dhcpfo_ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, HtmlElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// Lets Yew render and run its effects.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50).expect("timer");
    });
    JsFuture::from(promise).await.expect("timer fired");
}

fn text(selector: &str) -> String {
    let el = document().query_selector(selector).ok().flatten();
    el.and_then(|e| e.text_content()).unwrap_or_else(|| panic!("no {selector}"))
}

fn count(selector: &str) -> u32 {
    document().query_selector_all(selector).map(|l| l.length()).unwrap_or(0)
}

fn click(selector: &str) {
    let el = document().query_selector(selector).ok().flatten().expect(selector);
    el.dyn_into::<HtmlElement>().expect("an HTML element").click();
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_its_dom_contract_and_steps() {
    // The runner's page may carry a fragment of its own; start from a clean address.
    dhcpfo_ui::browser::replace_fragment("");
    let root = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<App>::with_root(root).render();
    settle().await;

    for id in ["#app", "#scenario-picker", "#play", "#step-back", "#step-forward", "#speed"] {
        assert_eq!(count(id), 1, "{id}");
    }
    for id in ["#scrubber", "#clock", "#narration", "#event-log", "#share", "#import-conf"] {
        assert_eq!(count(id), 1, "{id}");
    }
    for id in ["#download-menu", "#packet-inspector"] {
        assert_eq!(count(id), 1, "{id}");
    }
    let banner = document().query_selector("#error-banner").ok().flatten();
    assert!(banner.is_none(), "{:?}", banner.and_then(|b| b.text_content()));
    assert_eq!(count(".pool-cell[data-server=\"primary\"]"), 20);
    assert_eq!(count(".pool-cell[data-server=\"secondary\"][data-binding=\"backup\"]"), 10);
    assert_eq!(count("[data-client=\"laptop\"][data-state=\"off\"]"), 1);
    assert_eq!(text("#step-index"), "0");

    click("#step-forward");
    settle().await;
    assert_eq!(text("#step-index"), "1");
    assert!(text("#narration").contains("DHCPDISCOVER"));
    assert_eq!(count("[data-client=\"laptop\"][data-state=\"selecting\"]"), 1);

    click("#step-back");
    settle().await;
    assert_eq!(text("#step-index"), "0");
    assert!(text("#clock").starts_with("00:00:00"));
}

/// Mounts a component with its props in a fresh element with this id.
fn mount<C>(id: &str, props: C::Properties)
where
    C: yew::BaseComponent,
{
    let root = document().create_element("div").expect("div");
    root.set_id(id);
    document().body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<C>::with_root_and_props(root, props).render();
}

#[wasm_bindgen_test]
async fn a_safety_violation_is_marked_in_the_narration_the_log_and_the_scrubber() {
    // No built-in scenario breaks a safety property, so the finding is made by hand, as
    // the engine's monitor would record it in step 39.
    let mut loaded = Loaded::default_scenario();
    let address = Ipv4Addr::new(192, 0, 2, 19);
    let sentence = "SAFETY VIOLATION at 192.0.2.19: two clients have this address configured.";
    loaded.violations = vec![Violation { step: 38, address, sentence: sentence.into() }];
    let loaded = Shared::new(loaded);
    let world = Shared::new(loaded.timeline.world_after(39));
    let (act, step) = (Callback::noop(), 39);
    let (l, w) = (loaded.clone(), world.clone());
    let narration = NarrationProps { loaded: l, world: w, step, inspected: None, act: act.clone() };
    mount::<Narration>("with-violation-narration", narration);
    let log = LogProps { loaded: loaded.clone(), step, act: act.clone() };
    mount::<EventLog>("with-violation-log", log);
    mount::<Marks>("with-violation-marks", MarksProps { loaded, act });
    settle().await;

    let alert =
        "#with-violation-narration .narr-alert[role=\"alert\"][data-violation=\"192.0.2.19\"]";
    assert_eq!(count(alert), 1);
    assert!(text(alert).contains("SAFETY VIOLATION at 192.0.2.19"));
    let row = "#with-violation-log li[data-step=\"39\"][data-violation=\"192.0.2.19\"]";
    assert_eq!(count(row), 1);
    assert_eq!(count("#with-violation-log li[data-violation]"), 1, "only that step");
    assert_eq!(count("#with-violation-marks .mark-violation[data-step=\"39\"]"), 1);
}
