//! Golden traces: every built-in scenario's full text trace is stored under
//! `tests/golden/`, with a fingerprint per scenario that the WebAssembly test
//! checks too. Set `UPDATE_GOLDEN=1` to rewrite them after an intended change,
//! then read the diff.

#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::PathBuf;

use dhcpfo_engine::fingerprint;
use dhcpfo_engine::scenario::{builtin, BUILTINS};
use dhcpfo_engine::Timeline;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("golden")
}

fn render(name: &str) -> (String, u64) {
    let cfg = builtin(name).unwrap().validate().unwrap();
    let t = Timeline::run(cfg.clone());
    let mut out = String::new();
    for s in t.steps() {
        let _ = writeln!(out, "{} #{} {}", s.at.clock_millis(), s.index, s.summary(&cfg));
        for w in s.whys(&cfg) {
            let _ = writeln!(out, "    {w}");
        }
    }
    (out, fingerprint::of_trace(&cfg, t.steps()))
}

#[test]
fn builtin_traces_match_their_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut prints = String::new();
    for b in BUILTINS {
        let (text, print) = render(b.name);
        let _ = writeln!(prints, "{} {print:016x}", b.name);
        let path = golden_dir().join(format!("{}.txt", b.name));
        if update {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
        if want != text {
            let line = want.lines().zip(text.lines()).position(|(a, b)| a != b);
            let name = b.name;
            panic!(
                "{name} differs from its golden trace at line {line:?}; UPDATE_GOLDEN=1 rewrites"
            );
        }
    }
    let path = golden_dir().join("fingerprints.txt");
    if update {
        std::fs::write(&path, &prints).unwrap();
    } else {
        assert_eq!(std::fs::read_to_string(&path).unwrap(), prints, "fingerprints.txt is stale");
    }
}
