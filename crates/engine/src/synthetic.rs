//! Large generated scenarios for benchmarks and load tests.
//!
//! [`busy_lan`] builds a scenario with many clients on short leases that boot
//! spread over a minute, some releasing and rebooting, so that a run produces
//! a long, varied trace (about 100 steps per client per simulated hour).

use crate::scenario::{
    ClientSpec, DurationSpec, EventSpec, FailoverSection, LeaseSection, NetworkSection,
    PoolSection, Scenario, TimeSpec,
};
use crate::time::{Duration, Time};

/// `clients` clients on a pool of `clients + clients / 4` addresses for `hours` hours.
pub fn busy_lan(clients: u16, hours: u64) -> Scenario {
    let pool = u32::from(clients) + u32::from(clients) / 4 + 2;
    let last = u32::from(std::net::Ipv4Addr::new(10, 20, 0, 10)) + pool - 1;
    let specs: Vec<ClientSpec> = (0..clients).map(client).collect();
    let events = (0..clients).flat_map(|i| script(i, clients)).collect();
    Scenario {
        title: format!("Busy LAN: {clients} clients"),
        description: "Generated load for benchmarks.".into(),
        start: None,
        seed: 7,
        end: Some(TimeSpec::Seconds(hours * 3600)),
        failover: FailoverSection {
            mclt: Some(DurationSpec::Seconds(120)),
            split: Some(128),
            max_unacked_updates: Some(10),
            load_balance_max_seconds: Some(3),
            ..FailoverSection::default()
        },
        pool: PoolSection {
            subnet: "10.20.0.0/16".into(),
            range: ["10.20.0.10".into(), std::net::Ipv4Addr::from(last).to_string()],
        },
        lease: LeaseSection {
            default: Some(DurationSpec::Seconds(300)),
            min: Some(DurationSpec::Seconds(60)),
            max: Some(DurationSpec::Seconds(600)),
            ping_check: Some(true),
            ..LeaseSection::default()
        },
        network: NetworkSection::default(),
        clients: specs,
        events,
    }
}

fn client(i: u16) -> ClientSpec {
    ClientSpec {
        name: format!("host{i:03}"),
        mac: format!("02:10:00:00:{:02x}:{:02x}", i >> 8, i & 0xff),
        client_id: None,
        profile: None,
        timing: i.is_multiple_of(2).then(|| "dhclient".into()),
    }
}

/// Boots spread over the first minute; every fifth client releases after 25
/// minutes and boots again 5 minutes later.
fn script(i: u16, clients: u16) -> Vec<EventSpec> {
    let name = format!("host{i:03}");
    let boot = Time(u64::from(i) * 60_000 / u64::from(clients.max(1)));
    let mut out = vec![event(boot, &name, "boot")];
    if i.is_multiple_of(5) {
        out.push(event(boot.plus(Duration::from_secs(1500)), &name, "release"));
        out.push(event(boot.plus(Duration::from_secs(1800)), &name, "boot"));
    }
    out
}

fn event(at: Time, client: &str, action: &str) -> EventSpec {
    EventSpec {
        at: TimeSpec::Text(at.clock_millis()),
        client: Some(client.into()),
        action: action.into(),
    }
}
