//! Engine benchmarks: raw stepping speed (budget: at least a million steps a
//! second natively) and seeking in a long timeline (budget: any step of a
//! 100,000-step run within 5 ms in the browser; natively it must be far less).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dhcpfo_engine::synthetic::busy_lan;
use dhcpfo_engine::{Timeline, World};

fn stepping(c: &mut Criterion) {
    let cfg = busy_lan(200, 2).validate().expect("valid");
    let steps = Timeline::run(cfg.clone()).steps().len() as u64;
    let mut g = c.benchmark_group("step");
    g.throughput(Throughput::Elements(steps));
    g.sample_size(10);
    g.bench_function("busy_lan_200_clients_2h", |b| {
        b.iter_batched(
            || World::new(cfg.clone()),
            |mut w| while w.step().is_some() {},
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn seeking(c: &mut Criterion) {
    let cfg = busy_lan(200, 6).validate().expect("valid");
    let t = Timeline::run(cfg);
    let n = t.steps().len();
    assert!(n >= 100_000, "the seek benchmark wants a 100k-step run, got {n}");
    let mut g = c.benchmark_group("seek");
    let mut i = 0usize;
    g.bench_function("world_after_any_step_of_100k", |b| {
        b.iter(|| {
            // Walk pseudo-randomly over the whole run, worst cases included.
            i = (i * 7919 + 255) % n;
            t.world_after(i)
        })
    });
    g.finish();
}

criterion_group!(benches, stepping, seeking);
criterion_main!(benches);
