//! Compiles the built-in scenarios (scenarios/*.toml) into JSON at build time,
//! so that programs which only read JSON (the web page) carry no TOML parser.

use std::fmt::Write as _;
use std::path::Path;

/// The built-ins, the default first; each is scenarios/NAME.toml.
const NAMES: &[&str] = &[
    "dhcprelease",
    "isc-release",
    "isc-expiry",
    "isc-first-lease",
    "decline",
    "fresh-start",
    "load-balance-split",
    "secs-both-answer",
    "reboot-other-server",
    "pool-rebalance",
    "release-cut-link",
    "clock-skew",
    "partner-down",
    "auto-partner-down",
    "release-partner-down",
    "partner-returns",
    "recover-wait",
    "split-brain",
];

fn main() {
    let dir = Path::new("scenarios");
    let mut out = String::from("/// The built-in scenarios as (name, JSON), compiled from TOML.\n");
    out.push_str("pub const BUILTIN_JSON: &[(&str, &str)] = &[\n");
    for name in NAMES {
        let path = dir.join(format!("{name}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let value: serde_json::Value = basic_toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{name}: {e}"));
        let _ = writeln!(out, "    ({name:?}, {json:?}),");
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtins.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build.rs");
}
