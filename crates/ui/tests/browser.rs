//! The mounted app in headless Chromium: the DOM contract is there, and the controls
//! move the page. Runs with `cargo test -p dhcpfo-ui --target wasm32-unknown-unknown`.

use dhcpfo_ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, HtmlElement};

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
