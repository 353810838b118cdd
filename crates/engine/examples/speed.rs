//! Quick speed check without the benchmark harness: `cargo run --release --example speed`.
use dhcpfo_engine::synthetic::busy_lan;
use dhcpfo_engine::{Timeline, World};

fn main() {
    let cfg = busy_lan(200, 6).validate().expect("valid");
    let start = std::time::Instant::now();
    let mut w = World::new(cfg.clone());
    let mut n = 0u64;
    while w.step().is_some() {
        n += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{n} steps in {secs:.3} s: {:.0} steps/s", n as f64 / secs);
    let t = Timeline::run(cfg);
    let start = std::time::Instant::now();
    let len = t.steps().len();
    for k in 0..1000 {
        let _ = t.world_after((k * 7919 + 255) % len);
    }
    println!("seek: {:.3} ms per seek", start.elapsed().as_secs_f64());
}
