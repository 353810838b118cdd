//! The WebAssembly half of the speed benchmark (ignored in the test suite;
//! `cargo xtask bench` runs it in Node and compares with the native figure).
//! It measures and prints; it asserts nothing about time.

#![cfg(target_arch = "wasm32")]

use dhcpfo_engine::synthetic::busy_lan;
use dhcpfo_engine::{Timeline, World};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen_test]
#[ignore]
fn wasm_stepping_and_seeking_speed() {
    let cfg = busy_lan(200, 6).validate().expect("valid");
    let start = js_sys::Date::now();
    let mut w = World::new(cfg.clone());
    let mut n = 0u64;
    while w.step().is_some() {
        n += 1;
    }
    let ms = (js_sys::Date::now() - start).max(1.0);
    console_log!("wasm: {n} steps in {ms:.0} ms = {:.0} steps/s", n as f64 * 1000.0 / ms);
    let t = Timeline::run(cfg);
    let len = t.steps().len();
    let start = js_sys::Date::now();
    for k in 0..1000 {
        let _ = t.world_after((k * 7919 + 255) % len);
    }
    console_log!(
        "wasm: seek {:.3} ms per seek over {len} steps",
        (js_sys::Date::now() - start) / 1000.0
    );
}
