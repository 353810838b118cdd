//! Property tests over random scenarios: the engine never panics, never
//! breaks the safety invariants, is deterministic, and travels in time
//! exactly. `PROPTEST_CASES` raises the count (the test command runs a bounded
//! number; `cargo xtask test-long` runs many more).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use dhcpfo_engine::scenario::{
    ClientSpec, DurationSpec, EventSpec, FailoverSection, LeaseSection, NetworkSection,
    PoolSection, Scenario, TimeSpec,
};
use dhcpfo_engine::{invariant, BindingState, Role, Snapshot, Timeline, World};
use proptest::prelude::*;

/// Every client action of the scenario format.
const ACTIONS: [&str; 7] = ["boot", "release", "shutdown", "leave", "reboot", "decline", "inform"];

fn arb_client() -> impl Strategy<Value = (u8, bool, bool, bool)> {
    (any::<u8>(), any::<bool>(), any::<bool>(), any::<bool>())
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        (any::<u64>(), 1u32..=24, 30u64..=7200, 0u16..=256, 0u64..=5, 1u32..=12),
        (60u64..=7200, 60u64..=14400, any::<bool>(), any::<bool>(), 0u64..=40, 0u64..=40),
        prop::collection::vec(arb_client(), 1..6),
        prop::collection::vec((0usize..6, 0u64..10_800_000, 0u8..7), 1..16),
    )
        .prop_map(
            |(
                (seed, pool, mclt, split, lbms, window),
                (dflt, max, ping, edge, lat, link),
                clients,
                events,
            )| {
                let clients: Vec<ClientSpec> = clients
                    .iter()
                    .enumerate()
                    .map(|(i, &(b, cid, releases, dhclient))| ClientSpec {
                        name: format!("c{i}"),
                        mac: format!("02:00:00:00:{:02x}:{b:02x}", i),
                        client_id: cid.then(|| format!("01:02:00:00:00:{:02x}:{b:02x}", i)),
                        profile: releases.then(|| "releases-on-shutdown".into()),
                        timing: dhclient.then(|| "dhclient".into()),
                    })
                    .collect();
                let n = clients.len();
                let events = events
                    .into_iter()
                    .map(|(c, at, a)| EventSpec {
                        at: TimeSpec::Text(dhcpfo_engine::Time(at).clock_millis()),
                        client: Some(format!("c{}", c % n)),
                        action: ACTIONS[usize::from(a)].into(),
                    })
                    .collect();
                Scenario {
                    title: "random".into(),
                    description: String::new(),
                    start: None,
                    seed,
                    end: Some(TimeSpec::Seconds(4 * 3600)),
                    failover: FailoverSection {
                        mclt: Some(DurationSpec::Seconds(mclt)),
                        split: Some(split),
                        max_unacked_updates: Some(window),
                        load_balance_max_seconds: Some(lbms),
                        ..FailoverSection::default()
                    },
                    pool: PoolSection {
                        subnet: "10.0.0.0/16".into(),
                        range: ["10.0.1.0".into(), format!("10.0.1.{}", pool - 1)],
                    },
                    lease: LeaseSection {
                        default: Some(DurationSpec::Seconds(dflt)),
                        max: Some(DurationSpec::Seconds(max)),
                        ping_check: Some(ping),
                        ping_timer: edge.then(|| "second-edge".into()),
                        ..LeaseSection::default()
                    },
                    network: NetworkSection {
                        latency: Some(DurationSpec::Text(format!("{lat}ms"))),
                        server_link_latency: Some(DurationSpec::Text(format!("{link}ms"))),
                        ..NetworkSection::default()
                    },
                    clients,
                    events,
                }
            },
        )
}

/// 48 cases unless `PROPTEST_CASES` asks for more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
}

fn check_world(w: &World) -> Result<(), TestCaseError> {
    let v = invariant::check(w);
    prop_assert!(v.is_empty(), "at {}: {:?}", w.now(), v);
    for role in [Role::Primary, Role::Secondary] {
        let s = w.server(role);
        let mut macs = HashSet::new();
        for l in s.leases.iter().filter(|l| l.binding == BindingState::Active) {
            prop_assert!(l.hardware.is_some(), "active lease without a client");
            prop_assert!(macs.insert(l.hardware), "{role}: two active leases for one client");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_stay_safe_and_deterministic(s in arb_scenario()) {
        let cfg = s.validate().expect("generated scenarios are valid");
        let mut w = World::new(cfg.clone());
        let mut last = dhcpfo_engine::Time::ZERO;
        let mut count = 0u32;
        while let Some(step) = w.step() {
            prop_assert_eq!(step.index, count);
            prop_assert!(step.at >= last);
            let flagged = step.effects.iter().any(|e| {
                matches!(e.why(), dhcpfo_engine::Why::SafetyViolation { .. })
            });
            prop_assert!(!flagged, "the monitor flagged step {}", step.index);
            last = step.at;
            count += 1;
            check_world(&w)?;
        }
        let t = Timeline::run(cfg.clone());
        prop_assert_eq!(t.steps().len() as u32, count);
        let again = Timeline::run(cfg);
        prop_assert_eq!(t.steps(), again.steps());
    }

    #[test]
    fn seeking_equals_replaying(s in arb_scenario(), pick in 0.0f64..1.0) {
        let cfg = s.validate().expect("valid");
        let t = Timeline::run(cfg.clone());
        let n = (pick * t.steps().len() as f64) as usize;
        let mut w = World::new(cfg);
        for _ in 0..n {
            w.step();
        }
        prop_assert_eq!(Snapshot::of(&t.world_after(n)), Snapshot::of(&w));
        // Going forward then back gives the same picture.
        let _ = t.world_after(t.steps().len());
        prop_assert_eq!(Snapshot::of(&t.world_after(n)), Snapshot::of(&w));
    }

    #[test]
    fn share_links_round_trip(s in arb_scenario(), step in 0usize..100_000) {
        let frag = dhcpfo_engine::share::encode(&s, step);
        let (back, got) = dhcpfo_engine::share::decode(&frag).expect("decodes");
        prop_assert_eq!(back, s);
        prop_assert_eq!(got, step);
    }

    #[test]
    fn arbitrary_fragments_never_panic(text in ".{0,200}") {
        let _ = dhcpfo_engine::share::decode(&text);
        let _ = dhcpfo_engine::share::decode(&format!("v1.{text}"));
    }

    #[test]
    fn arbitrary_toml_never_panics(text in "[a-z_=\\[\\]\" 0-9.:\\n]{0,300}") {
        if let Ok(s) = Scenario::from_toml(&text) {
            let _ = s.validate();
        }
    }
}
