//! In WebAssembly the engine must give the same traces, bit for bit, as
//! natively: the fingerprints recorded by the native golden test must match.

#![cfg(target_arch = "wasm32")]

use dhcpfo_engine::fingerprint;
use dhcpfo_engine::scenario::builtin;
use dhcpfo_engine::{share, Timeline};
use wasm_bindgen_test::wasm_bindgen_test;

const FINGERPRINTS: &str = include_str!("golden/fingerprints.txt");

#[wasm_bindgen_test]
fn traces_match_the_native_fingerprints() {
    let mut checked = 0;
    for line in FINGERPRINTS.lines() {
        let (name, want) = line.split_once(' ').expect("name and fingerprint");
        let cfg = builtin(name).expect("built-in").validate().expect("valid");
        let t = Timeline::run(cfg.clone());
        let got = format!("{:016x}", fingerprint::of_trace(&cfg, t.steps()));
        assert_eq!(got, want, "{name}");
        checked += 1;
    }
    assert!(checked >= 4);
}

#[wasm_bindgen_test]
fn time_travel_is_exact_in_wasm() {
    let cfg = builtin("dhcprelease").unwrap().validate().unwrap();
    let t = Timeline::run(cfg);
    let n = t.steps().len();
    let a = dhcpfo_engine::Snapshot::of(&t.world_after(n - 3));
    let _ = t.world_after(n);
    let b = dhcpfo_engine::Snapshot::of(&t.world_after(n - 3));
    assert_eq!(a, b);
}

#[wasm_bindgen_test]
fn share_links_round_trip_in_wasm() {
    let s = builtin("isc-release").unwrap();
    let (back, step) = share::decode(&share::encode(&s, 7)).unwrap();
    assert_eq!((back, step), (s, 7));
}
