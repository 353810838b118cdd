//! The dhcpd.conf importer: the recorded pair's files import into the
//! scenarios rebuilt by hand from the same runs, every ignored statement gets
//! a note on the right line, and broken text is refused with its place.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use dhcpfo_engine::conf::{import, ConfErrorKind, ConfNote, Import, Severity};
use dhcpfo_engine::scenario::{builtin, DurationSpec, Scenario};
use dhcpfo_engine::trace::{Effect, Why};
use dhcpfo_engine::{invariant, ClientState, Role, Timeline, World};

fn example(name: &str) -> String {
    let path = format!("{}/tests/data/conf/{name}.conf", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("example config")
}

fn imported(name: &str) -> Import {
    import(&example(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn note_at(notes: &[ConfNote], line: u32) -> &ConfNote {
    notes.iter().find(|n| n.line == line).unwrap_or_else(|| panic!("no note on line {line}"))
}

/// The example with one line replaced (1-based), for the error cases.
fn edited(line: usize, text: &str) -> String {
    let source = example("a-release-primary");
    let mut lines: Vec<&str> = source.lines().collect();
    lines[line - 1] = text;
    lines.join("\n")
}

fn error_place(text: &str) -> (u32, u32, ConfErrorKind) {
    let e = import(text).expect_err("the text should be refused");
    (e.line, e.column, e.kind)
}

#[test]
fn primary_of_run_a_imports_as_the_recorded_scenario() {
    let got = imported("a-release-primary").scenario;
    let want = builtin("isc-release").unwrap();
    assert_eq!(got.failover, want.failover);
    assert_eq!(got.pool, want.pool);
    assert_eq!(got.lease, want.lease);

    let (got, want) = (got.validate().unwrap(), want.validate().unwrap());
    assert_eq!((got.mclt, got.split, got.max_response_delay), (30, 128, 10));
    assert_eq!((got.max_unacked_updates, got.load_balance_max_seconds), (10, 3));
    assert_eq!((got.default_lease_time, got.max_lease_time, got.min_lease_time), (60, 120, 10));
    assert!(!got.ping_check);
    assert_eq!(got.pool, want.pool);
    assert_eq!(got.subnet, want.subnet);
    assert_eq!(
        (got.primary_address, got.secondary_address),
        (want.primary_address, want.secondary_address)
    );
}

#[test]
fn run_d1_has_no_min_lease_time_so_dhcpd_raises_it_to_the_maximum() {
    let got = imported("d1-primary").scenario;
    let want = builtin("isc-first-lease").unwrap();
    assert_eq!(got.lease.min, None);
    assert_eq!((&got.failover, &got.pool, &got.lease), (&want.failover, &want.pool, &want.lease));
    let cfg = got.validate().unwrap();
    assert_eq!(cfg.min_lease_time, 120);
    assert_eq!(cfg.min_lease_time, want.validate().unwrap().min_lease_time);
}

#[test]
fn the_secondary_learns_mclt_and_split_from_the_primary() {
    let Import { scenario, notes } = imported("a-release-secondary");
    assert_eq!((scenario.failover.mclt.as_ref(), scenario.failover.split), (None, None));
    assert_eq!(scenario.failover.max_response_delay, Some(DurationSpec::Text("10s".into())));
    assert!(scenario.title.contains("secondary"), "{}", scenario.title);
    assert!(scenario.description.contains("secondary"), "{}", scenario.description);

    // Line 9 is `secondary;`.
    let note = note_at(&notes, 9);
    assert_eq!((note.column, note.severity), (3, Severity::Info));
    for word in ["primary", "mclt", "split", "default"] {
        assert!(note.message.contains(word), "{note}");
    }
    let cfg = scenario.validate().unwrap();
    assert_eq!((cfg.mclt, cfg.split), (3600, 128));
}

#[test]
fn notes_name_the_lines_of_what_was_left_out() {
    let notes = imported("a-release-primary").notes;
    let lines: BTreeSet<u32> = notes.iter().map(|n| n.line).collect();
    // authoritative, ddns-update-style, omapi-port, address, port, peer address, peer port,
    // and the failover link's subnet; the peer declaration has load balancing on, so no note.
    assert_eq!(lines, BTreeSet::from([1, 2, 7, 10, 11, 12, 13, 26]));

    let places: Vec<(u32, u32)> = notes.iter().map(|n| (n.line, n.column)).collect();
    assert_eq!(places, [(1, 1), (2, 1), (7, 1), (10, 11), (11, 3), (12, 16), (13, 3), (26, 1)]);
    assert_eq!(
        note_at(&notes, 2).to_string(),
        "line 2, column 1: `ddns-update-style` is not modelled and was ignored: the model does \
         no DNS updates"
    );
    assert!(note_at(&notes, 7).message.starts_with("`omapi-port` is not modelled"));
    let address = note_at(&notes, 10);
    assert!(address.message.contains("10.77.1.1") && address.message.contains("10.77.0.1"));
    assert!(note_at(&notes, 12).message.contains("secondary at 10.77.0.2"));
    let link = note_at(&notes, 26);
    assert!(link.message.contains("10.77.1.0/30") && link.message.contains("one LAN"), "{link}");
    assert!(notes.iter().all(|n| n.severity == Severity::Info), "{notes:#?}");
}

#[test]
fn the_imported_scenario_plays_two_clients_one_per_server() {
    let scenario = imported("a-release-primary").scenario;
    assert_eq!(scenario.clients.len(), 2);
    let actions: Vec<&str> = scenario.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["boot", "boot", "release", "release"]);

    let cfg = scenario.validate().unwrap();
    let timeline = Timeline::run(cfg.clone());
    let mut world = World::new(cfg);
    while world.step().is_some() {
        assert_eq!(invariant::check(&world), []);
    }
    let mut servers = [None, None];
    let mut renewed = [false, false];
    for effect in timeline.steps().iter().flat_map(|s| &s.effects) {
        if let Effect::Client { client, from, to, why } = effect {
            let c = usize::from(*client);
            if let Why::TakeOffer { server, .. } = why {
                servers[c].get_or_insert(*server);
            }
            if *from == ClientState::Renewing && *to == ClientState::Bound {
                renewed[c] = true;
            }
        }
    }
    assert_eq!(servers, [Some(Role::Primary), Some(Role::Secondary)]);
    assert_eq!(renewed, [true, true]);
    let last = timeline.world_after(timeline.steps().len());
    assert!(last.clients().iter().all(|c| c.state == ClientState::Off));
}

#[test]
fn the_scenario_round_trips_through_toml() {
    for name in ["a-release-primary", "a-release-secondary", "d1-primary"] {
        let scenario = imported(name).scenario;
        assert_eq!(Scenario::from_toml(&scenario.to_toml()).unwrap(), scenario, "{name}");
    }
}

#[test]
fn syntax_errors_name_line_and_column() {
    use ConfErrorKind::*;
    let cases: Vec<(String, (u32, u32), ConfErrorKind)> = vec![
        (edited(19, "}}"), (19, 2), UnexpectedClose),
        (edited(25, ""), (20, 40), UnclosedBlock),
        (edited(8, "failover peer \"dfo {"), (8, 15), UnterminatedString),
        (
            edited(23, "    range 10.77.0.100 10.77.0.300;"),
            (23, 23),
            BadAddress("10.77.0.300".into()),
        ),
        (edited(10, "  address 10.77.1.300;"), (10, 11), BadAddress("10.77.1.300".into())),
        (
            edited(23, "    range 10.77.0.100 10.77.0.109"),
            (23, 5),
            MissingSemicolon("range 10.77.0.100 10.77.0.109".into()),
        ),
    ];
    for (text, place, kind) in cases {
        assert_eq!(error_place(&text), (place.0, place.1, kind));
    }
}

#[test]
fn bad_values_in_modelled_statements_are_refused_where_they_are() {
    let (line, column, kind) = error_place(&edited(16, "  mclt thirty;"));
    assert_eq!((line, column), (16, 8));
    assert!(matches!(kind, ConfErrorKind::BadValue(ref m) if m.contains("thirty")), "{kind}");

    // A missing `;` runs two statements together; the stray word is named.
    let (line, column, kind) = error_place(&edited(16, "  mclt 30"));
    assert_eq!((line, column), (17, 3));
    assert!(kind.to_string().contains("`split`"), "{kind}");

    let (line, column, kind) = error_place(&edited(20, "subnet 10.77.0.0 netmask 255.0.255.0 {"));
    assert_eq!((line, column), (20, 26));
    assert!(kind.to_string().contains("netmask"), "{kind}");

    let (line, column, _) = error_place(&edited(3, "ping-check maybe;"));
    assert_eq!((line, column), (3, 12));
}

#[test]
fn a_config_without_a_failover_pool_is_refused() {
    // The declaration is there, but no pool uses it: the error points at it.
    assert_eq!(error_place(&edited(22, "")), (8, 1, ConfErrorKind::NoFailoverPool));
    let plain = "subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.10 10.0.0.20;\n}\n";
    assert_eq!(error_place(plain), (1, 1, ConfErrorKind::NoFailoverPool));
    assert_eq!(error_place(""), (1, 1, ConfErrorKind::NoFailoverPool));
    let unknown = edited(22, "    failover peer \"other\";");
    assert_eq!(error_place(&unknown), (22, 5, ConfErrorKind::UnknownPeer("other".into())));
    let no_role = edited(9, "");
    assert_eq!(error_place(&no_role), (8, 1, ConfErrorKind::MissingRole("dfo".into())));
}

#[test]
fn nesting_too_deep_is_an_error_not_a_crash() {
    let text = "{".repeat(100_000);
    assert_eq!(error_place(&text).2, ConfErrorKind::TooDeep);
}

/// A fuller configuration: shared network, groups, hosts, classes,
/// conditionals, option definitions, comments and scoped lease times.
const BUSY: &str = r#"# a comment with { braces } and "quotes"
option space acme;
option acme.route code 250 = { ip-address, text };
default-lease-time 600;       # global, overridden below
max-lease-time 7200;
ping-timeout 3;
include "/etc/dhcp/extra.conf";
failover peer "east-west" {
  primary;
  address 192.0.2.3;
  peer address 192.0.2.4;
  mclt 1800;
  hba ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0;
  load balance max seconds 5;
  max-lease-misbalance 10;
}
class "phones" {
  match if substring (option vendor-class-identifier, 0, 5) = "phone";
}
if option dhcp-user-class = "lab" {
  default-lease-time 30;
} else {
  log (info, "not lab");
}
shared-network office {
  default-lease-time 900;
  subnet 192.0.2.0 netmask 255.255.255.0 {
    option routers 192.0.2.1;
    max-lease-time 3600;
    pool {
      failover peer "east-west";
      default-lease-time 1200;
      range 192.0.2.50 192.0.2.99;
      range 192.0.2.150 192.0.2.199;
    }
    pool {
      range 192.0.2.200 192.0.2.210;
    }
  }
  host printer {
    hardware ethernet 02:00:00:00:00:99;
    fixed-address 192.0.2.20;
  }
}
"#;

#[test]
fn a_busy_config_takes_the_innermost_values_and_notes_the_rest() {
    let Import { scenario, notes } = import(BUSY).unwrap();
    let secs = |s: &str| Some(DurationSpec::Text(s.into()));
    assert_eq!(scenario.failover.mclt, secs("1800s"));
    assert_eq!(scenario.failover.split, Some(128));
    assert_eq!(scenario.failover.load_balance_max_seconds, Some(5));
    assert_eq!(scenario.pool.subnet, "192.0.2.0/24");
    assert_eq!(scenario.pool.range, ["192.0.2.50".to_string(), "192.0.2.99".to_string()]);
    // Pool over shared network over global; subnet over global.
    assert_eq!(
        (scenario.lease.default.clone(), scenario.lease.max.clone()),
        (secs("1200s"), secs("3600s"))
    );
    assert_eq!(scenario.lease.ping_timeout, secs("3s"));
    // Both configured addresses are on the LAN, outside the range.
    assert_eq!(scenario.network.primary.as_deref(), Some("192.0.2.3"));
    assert_eq!(scenario.network.secondary.as_deref(), Some("192.0.2.4"));
    scenario.validate().unwrap();

    let lines: BTreeSet<u32> = notes.iter().map(|n| n.line).collect();
    // max-lease-misbalance (line 15) is read, so it has no note.
    assert_eq!(scenario.failover.max_lease_misbalance, Some(10));
    let want = [2, 3, 7, 17, 20, 22, 28, 34, 36, 40];
    assert_eq!(lines, BTreeSet::from(want), "{notes:#?}");
    let severity = |line| note_at(&notes, line).severity;
    assert_eq!(severity(34), Severity::Warning, "a second range is dropped");
    assert_eq!(severity(28), Severity::Info, "options are harmless");
    assert_eq!(severity(7), Severity::Warning, "include is not read");
    let host = note_at(&notes, 40);
    assert!(
        host.message.contains("lines 40–43") && host.message.contains("2 statements"),
        "{host}"
    );
    assert!(note_at(&notes, 17).message.contains("class \"phones\""));
}

#[test]
fn an_hba_that_is_not_a_split_becomes_the_nearest_split() {
    let odd = format!("  hba {};", ["55"; 32].join(":"));
    let Import { scenario, notes } = import(&edited(17, &odd)).unwrap();
    assert_eq!(scenario.failover.split, Some(127));
    let note = note_at(&notes, 17);
    assert_eq!(note.severity, Severity::Warning);
    assert!(
        note.message.contains("split 127") && note.message.contains("127 of the 256"),
        "{note}"
    );

    let bad = import(&edited(17, "  hba ff:ff;")).unwrap_err();
    assert_eq!((bad.line, bad.column), (17, 3));
}

#[test]
fn a_range_over_the_default_server_addresses_moves_the_servers() {
    let text = edited(23, "    range 10.77.0.1 10.77.0.254;");
    let Import { scenario, notes } = import(&text).unwrap();
    let cfg = scenario.validate().unwrap();
    assert_eq!(scenario.pool.range[1], "10.77.0.252");
    assert_eq!(
        (cfg.primary_address.to_string(), cfg.secondary_address.to_string()),
        ("10.77.0.253".to_string(), "10.77.0.254".to_string())
    );
    assert_eq!(notes.iter().filter(|n| n.line == 23).count(), 1, "{notes:#?}");
}

#[test]
fn statements_off_the_model_are_noted_not_refused() {
    let text = edited(16, "  mclt 30; auto-partner-down 60; frobnicate yes;");
    let Import { scenario, notes } = import(&text).unwrap();
    assert_eq!(scenario.failover.auto_partner_down, Some(DurationSpec::Text("60s".into())));
    let on_16: Vec<&ConfNote> = notes.iter().filter(|n| n.line == 16).collect();
    let columns: Vec<u32> = on_16.iter().map(|n| n.column).collect();
    assert_eq!(columns, [34], "{on_16:#?}");
    assert!(on_16[0].message.starts_with("`frobnicate` is not modelled"));
    scenario.validate().unwrap();
}

#[test]
fn balancing_and_auto_partner_down_carry_over() {
    let text = edited(
        16,
        "  mclt 30; auto-partner-down 0; max-lease-misbalance 5; max-lease-ownership 20; \
         min-balance 30; max-balance 600;",
    );
    let Import { scenario, notes } = import(&text).unwrap();
    let f = &scenario.failover;
    assert_eq!(f.auto_partner_down, Some(DurationSpec::Text("off".into())));
    assert_eq!((f.max_lease_misbalance, f.max_lease_ownership), (Some(5), Some(20)));
    assert_eq!(f.min_balance, Some(DurationSpec::Text("30s".into())));
    assert_eq!(f.max_balance, Some(DurationSpec::Text("600s".into())));
    assert!(notes.iter().all(|n| n.line != 16), "{notes:#?}");
    let cfg = scenario.validate().unwrap();
    assert_eq!((cfg.min_balance, cfg.max_balance, cfg.auto_partner_down), (30, 600, None));
}

#[test]
fn load_balancing_off_is_said_in_a_note_and_the_description() {
    let Import { scenario, notes } = import(&edited(18, "")).unwrap();
    assert_eq!(scenario.failover.load_balance_max_seconds, None);
    assert!(note_at(&notes, 8).message.contains("load balancing off"));
    assert!(scenario.description.contains("Load balancing is off"));
}

#[test]
fn a_declaration_in_another_shared_network_is_still_found() {
    let text = "shared-network west {\n  default-lease-time 5;\n  failover peer \"w\" {\n    \
                secondary;\n    address 10.1.0.4;\n    peer address 10.1.0.3;\n  }\n}\n\
                subnet 10.1.0.0 netmask 255.255.0.0 {\n  pool {\n    failover peer \"w\";\n    \
                range 10.1.0.3 10.1.0.40;\n  }\n}\n";
    let Import { scenario, notes } = import(text).unwrap();
    // The shared network's lease time does not reach the pool.
    assert_eq!(scenario.lease.default, None);
    assert_eq!(note_at(&notes, 2).severity, Severity::Warning);
    // Both configured addresses fall inside the range, so the servers move past it.
    let cfg = scenario.validate().unwrap();
    assert_eq!(cfg.primary_address.to_string(), "10.1.0.1");
    assert_eq!(cfg.secondary_address.to_string(), "10.1.0.2");
    assert!(note_at(&notes, 5).message.contains("inside the pool's range"));
    assert!(note_at(&notes, 6).message.contains("primary at 10.1.0.1"));
    assert!(scenario.description.contains("learns the MCLT and the split from the primary"));
}

#[test]
fn a_pool_in_a_shared_network_takes_the_subnet_beside_it() {
    let text = "failover peer \"f\" { primary; mclt 60; split 0; }\n\
                shared-network lan {\n  subnet 192.0.2.0 netmask 255.255.255.128 { }\n  \
                subnet 192.0.2.128 netmask 255.255.255.128 { max-lease-time 900; }\n  pool {\n    \
                failover peer \"f\";\n    range 192.0.2.140 192.0.2.150;\n  }\n}\n";
    let Import { scenario, notes } = import(text).unwrap();
    assert_eq!(scenario.pool.subnet, "192.0.2.128/25");
    assert_eq!(scenario.lease.max, Some(DurationSpec::Text("900s".into())));
    assert_eq!(scenario.failover.split, Some(0));
    assert!(scenario.description.contains("split 0 every bucket belongs to the secondary"));
    assert!(note_at(&notes, 3).message.contains("192.0.2.0/25"));
    scenario.validate().unwrap();
}

#[test]
fn year_long_leases_still_fit_the_run_limit() {
    let mut text = example("a-release-primary");
    for (from, to) in [
        ("mclt 30;", "mclt 604800;"),
        ("default-lease-time 60;", "default-lease-time 31536000;"),
        ("max-lease-time 120;", "max-lease-time 99999999;"),
        ("min-lease-time 10;", "min-lease-time 31536000;"),
    ] {
        text = text.replace(from, to);
    }
    let Import { scenario, notes } = import(&text).unwrap();
    // max-lease-time is above a year, the longest the scenario format takes.
    assert_eq!(note_at(&notes, 5).severity, Severity::Warning);
    let cfg = scenario.validate().unwrap();
    assert_eq!(cfg.events.len(), 4, "{:?}", scenario.events);
    assert!(cfg.events[2].at > dhcpfo_engine::Time::from_secs(3 * 86_400));
}

#[test]
fn a_range_over_the_whole_subnet_loses_its_network_and_broadcast_addresses() {
    let text = "failover peer \"p\" {\n  primary;\n  mclt 60;\n  split 128;\n}\n\
                subnet 10.3.0.0 netmask 255.255.255.0 {\n  pool {\n    failover peer \"p\";\n    \
                range 10.3.0.0 10.3.0.255;\n  }\n}\n";
    let imported = import(text).expect("imports");
    // The first address moves up; the end moves down past the broadcast address
    // (and further, to leave room for the two servers on the LAN).
    assert_eq!(imported.scenario.pool.range[0], "10.3.0.1");
    assert_ne!(imported.scenario.pool.range[1], "10.3.0.255");
    assert!(imported.notes.iter().any(|n| n.message.contains("network address")));
    assert!(imported.notes.iter().any(|n| n.message.contains("broadcast address")));
}

#[test]
fn control_characters_in_the_peer_name_do_not_reach_the_title() {
    let text = "failover peer \"a\tb\" {\n  primary;\n  mclt 60;\n  split 128;\n}\n\
                subnet 10.3.0.0 netmask 255.255.255.0 {\n  pool {\n    \
                failover peer \"a\tb\";\n    range 10.3.0.10 10.3.0.20;\n  }\n}\n";
    let title = import(text).expect("imports").scenario.title;
    assert!(!title.chars().any(char::is_control), "{title}");
}

#[test]
fn a_lease_time_of_zero_falls_back_to_the_default_with_a_note_on_its_line() {
    for (line, statement) in [(4, "default-lease-time 0;"), (5, "max-lease-time 0;")] {
        let text = edited(line, statement);
        let Import { scenario, notes } = import(&text).unwrap();
        scenario.validate().unwrap();
        let note = notes.iter().find(|n| n.message.contains("no lease")).expect("a note");
        assert_eq!(note.line as usize, line, "{notes:#?}");
    }
}

#[test]
fn a_min_balance_above_the_max_raises_the_max_with_a_note() {
    for (statements, max) in [
        ("  mclt 30; min-balance 7200;", 7200),
        ("  mclt 30; min-balance 600; max-balance 60;", 600),
        ("  mclt 30; max-balance 0;", 60),
    ] {
        let text = edited(16, statements);
        let Import { scenario, notes } = import(&text).unwrap();
        let cfg = scenario.validate().unwrap_or_else(|e| panic!("{statements}: {e}"));
        assert_eq!(cfg.max_balance, max, "{statements}");
        assert!(
            notes.iter().any(|n| n.line == 16 && n.message.contains("max-balance")),
            "{notes:#?}"
        );
    }
}
