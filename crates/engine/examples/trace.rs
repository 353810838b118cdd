//! Prints a scenario's trace: `cargo run --example trace -- NAME|FILE.toml`.
use dhcpfo_engine::{scenario::builtin, Timeline};

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "dhcprelease".into());
    let parsed = match builtin(&name) {
        Some(s) => Ok(s),
        None => std::fs::read_to_string(&name)
            .map_err(|e| e.to_string())
            .and_then(|t| dhcpfo_engine::Scenario::from_toml(&t).map_err(|e| e.to_string())),
    };
    let s = match parsed {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::exit(2);
        }
    };
    let cfg = match s.validate() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let t = Timeline::run(cfg.clone());
    for s in t.steps() {
        println!("{} {:>4} {}", s.at.clock_millis(), s.index, s.summary(&cfg));
        for w in s.whys(&cfg) {
            println!("                  · {w}");
        }
    }
}
