//! Reading dhcpd.leases files: the files a real dhcpd 4.4.3 failover pair
//! wrote (runs A-release and A2-expiry of the reference recordings) end in
//! the states the recordings' summary gives; the reader skips what it does
//! not know, names the line and column of what it cannot read, and never
//! panics, whatever the input. `PROPTEST_CASES` raises the number of cases.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::net::Ipv4Addr;
use std::path::PathBuf;

use dhcpfo_engine::addr::Mac;
use dhcpfo_engine::lease::Lease;
use dhcpfo_engine::leases::{self, LeaseFile, LeaseRecord, LeasesErrorKind, NEVER};
use dhcpfo_engine::{BindingState, FailoverState, Role};
use proptest::prelude::*;

/// T0 of run A-release: 2026-12-04 15:23:46 UTC.
const A_RELEASE_T0: u64 = 1_796_397_826;
/// T0 of run A2-expiry: 2026-12-04 15:37:59 UTC.
const A2_EXPIRY_T0: u64 = 1_796_398_679;

fn data(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/leases").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn real(name: &str) -> LeaseFile {
    leases::read(&data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

fn mac(text: &str) -> Option<Mac> {
    Some(text.parse().unwrap())
}

/// The final binding state of every address, lowest first.
fn final_states(file: &LeaseFile) -> Vec<BindingState> {
    file.leases.values().map(|r| r.binding.unwrap()).collect()
}

#[test]
fn a_release_primary_ends_as_the_summary_says() {
    let file = real("a-release-primary.leases");
    // Balancing gave .100-.104 to the secondary; c1 released .105 (FREE again);
    // c2 released .104, which went FREE and then BACKUP by MAC affinity.
    use BindingState::{Backup, Free};
    let want = [Backup, Backup, Backup, Backup, Backup, Free, Free, Free, Free, Free];
    assert_eq!(final_states(&file), want);
    assert_eq!(file.lease_records, 38);

    // c1's address: free, kept its client, ends = tstp = tsfp = atsfp = release (+26).
    let c1 = file.lease(ip("10.77.0.105")).unwrap();
    assert_eq!(c1.hardware, mac("02:77:00:00:00:04"));
    assert_eq!((c1.starts, c1.cltt), (A_RELEASE_T0 + 18, A_RELEASE_T0 + 18));
    let release = A_RELEASE_T0 + 26;
    assert_eq!([c1.ends, c1.tstp, c1.tsfp, c1.atsfp], [release; 4]);
    assert_eq!((c1.next_state(), c1.rewind_state()), (Some(Free), Some(Free)));

    // c2's address: backup, acked at the release time (+92).
    let c2 = file.lease(ip("10.77.0.104")).unwrap();
    assert_eq!(c2.hardware, mac("02:77:00:00:00:01"));
    assert_eq!([c2.starts, c2.ends, c2.tstp, c2.tsfp, c2.atsfp], [A_RELEASE_T0 + 92; 5]);
    assert_eq!(c2.cltt, 0, "the primary keeps no cltt for a lease the secondary served");

    // A never-used address keeps the balancing record.
    let virgin = file.lease(ip("10.77.0.100")).unwrap();
    assert_eq!([virgin.ends, virgin.cltt], [0, 0]);
    assert_eq!([virgin.starts, virgin.tstp, virgin.atsfp], [A_RELEASE_T0 + 1; 3]);
    assert_eq!(virgin.hardware, None);

    let state = file.failover_peer("dfo").unwrap();
    assert_eq!(file.failover.len(), 1);
    assert_eq!(state.my_state, Some(FailoverState::Normal));
    assert_eq!(state.partner_state, Some(FailoverState::Normal));
    assert_eq!((state.my_state_at, state.mclt), (A_RELEASE_T0 + 1, None));
    let duid = b"\x00\x01\x00\x012\xa5\x97\x83J\xd0b\x8a\x10r";
    assert_eq!(file.server_duid.as_deref(), Some(&duid[..]));
}

#[test]
fn a_release_secondary_ends_as_the_summary_says() {
    let file = real("a-release-secondary.leases");
    use BindingState::{Backup, Free};
    let want = [Backup, Backup, Backup, Backup, Backup, Free, Free, Free, Free, Free];
    assert_eq!(final_states(&file), want);

    // The secondary's own release: its tstp and cltt are the real ones.
    let c2 = file.lease(ip("10.77.0.104")).unwrap();
    assert_eq!(c2.hardware, mac("02:77:00:00:00:01"));
    assert_eq!(c2.cltt, A_RELEASE_T0 + 85);
    assert_eq!([c2.ends, c2.tstp, c2.tsfp, c2.atsfp], [A_RELEASE_T0 + 92; 4]);
    let c1 = file.lease(ip("10.77.0.105")).unwrap();
    assert_eq!([c1.ends, c1.tstp, c1.tsfp, c1.atsfp], [A_RELEASE_T0 + 26; 4]);

    // Its last state record: the link went down when the recording stopped.
    let state = file.failover_peer("dfo").unwrap();
    assert_eq!(state.my_state, Some(FailoverState::CommunicationsInterrupted));
    assert_eq!(state.my_state_at, A_RELEASE_T0 + 137);
    assert_eq!(state.partner_state, Some(FailoverState::Normal));
    assert_eq!(state.partner_state_at, A_RELEASE_T0 + 1);
    assert_eq!(state.mclt, Some(30));
    assert_eq!(file.server_duid.as_ref().map(Vec::len), Some(14));
}

#[test]
fn a2_expiry_ends_as_the_summary_says() {
    // Both servers: c1's .105 expired to FREE, c2's .104 to FREE then BACKUP.
    for name in ["a2-expiry-primary.leases", "a2-expiry-secondary.leases"] {
        let file = real(name);
        let c1 = file.lease(ip("10.77.0.105")).unwrap();
        let c2 = file.lease(ip("10.77.0.104")).unwrap();
        assert_eq!(c1.binding, Some(BindingState::Free), "{name}");
        assert_eq!(c2.binding, Some(BindingState::Backup), "{name}");
        assert_eq!(c1.hardware, mac("02:77:00:00:00:04"), "{name}");
        assert_eq!(c2.hardware, mac("02:77:00:00:00:01"), "{name}");
        // Both leases were 30 s long from +4 and ran out at +34.
        assert_eq!((c1.ends, c2.ends), (A2_EXPIRY_T0 + 34, A2_EXPIRY_T0 + 34), "{name}");
    }
}

#[test]
fn the_recorded_release_agrees_with_the_engine_on_every_address() {
    // The built-in replay of run A-release, written at its end, holds the same
    // binding state and client for every address as the real files.
    let (_, timeline) = common::run_builtin("isc-release");
    let world = timeline.world_after(timeline.steps().len());
    for (role, name) in [(Role::Primary, "primary"), (Role::Secondary, "secondary")] {
        let ours = leases::read(&leases::write(&world, role)).unwrap();
        let theirs = real(&format!("a-release-{name}.leases"));
        let view = |f: &LeaseFile| -> Vec<_> {
            f.leases.values().map(|r| (r.address, r.binding, r.hardware)).collect()
        };
        assert_eq!(view(&ours), view(&theirs), "{name}");
    }
}

#[test]
fn unknown_statements_and_blocks_are_skipped() {
    let text = r#"
# a comment; with { braces } and "quotes
server-duid 00:01:02;
authoring-byte-order little-endian;
host dyn { dynamic; hardware ethernet 02:00:00:00:00:09; fixed-address 10.0.0.9; }
lease 10.0.0.1 {
  starts epoch 100; # a local-time comment
  binding state active;
  next binding state expired;
  reserved;
  set ddns-fwd-name = "x.example";
  on expiry { set a = "b"; on release { execute("x"); } }
  option agent.circuit-id 0:1:2;
  client-hostname "laptop";
  hardware token-ring 00:11:22:33:44:55;
  uid 1:2:3;
  ends never;
}
failover peer "p" state { my state partner-down at epoch 5; partner state unknown-state; x y; }
"#;
    let file = leases::read(text).unwrap();
    let r = file.lease(ip("10.0.0.1")).unwrap();
    assert_eq!((r.starts, r.ends), (100, NEVER));
    assert_eq!(r.binding, Some(BindingState::Active));
    assert_eq!(r.next, Some(BindingState::Expired));
    assert_eq!(r.rewind_state(), Some(BindingState::Active));
    assert_eq!(r.hardware, None, "only Ethernet addresses are kept");
    assert_eq!(r.uid, Some(vec![1, 2, 3]));
    assert_eq!(file.server_duid, Some(vec![0, 1, 2]));
    let p = file.failover_peer("p").unwrap();
    assert_eq!((p.my_state, p.my_state_at), (Some(FailoverState::PartnerDown), 5));
    assert_eq!((p.partner_state, p.partner_state_at), (None, 0));
}

#[test]
fn the_last_record_of_an_address_wins_whole() {
    let text = "lease 10.0.0.1 { starts epoch 5; binding state active; uid \"a\"; }\n\
                lease 10.0.0.1 { binding state free; }\n\
                failover peer \"p\" state { my state recover; }\n\
                failover peer \"p\" state { my state normal; }\n";
    let file = leases::read(text).unwrap();
    let r = file.lease(ip("10.0.0.1")).unwrap();
    assert_eq!(
        r,
        &LeaseRecord { binding: Some(BindingState::Free), ..LeaseRecord::empty(ip("10.0.0.1")) }
    );
    assert_eq!(file.lease_records, 2);
    assert_eq!(file.failover.len(), 1);
    assert_eq!(file.failover[0].my_state, Some(FailoverState::Normal));
}

#[test]
fn strings_use_dhcpd_escapes() {
    let text = r#"lease 10.0.0.1 { uid "\001\0\x41\x4\t\"\\ \q\177"; }"#;
    let file = leases::read(text).unwrap();
    let uid = file.lease(ip("10.0.0.1")).unwrap().uid.clone().unwrap();
    assert_eq!(uid, b"\x01\x00\x41\x04\t\"\\ q\x7f");
}

/// The error for `text`: its line, column and kind.
fn error(text: &str) -> (usize, usize, LeasesErrorKind) {
    let e = leases::read(text).unwrap_err();
    (e.line, e.column, e.kind)
}

#[test]
fn errors_name_the_line_and_column() {
    let (line, column, kind) = error("lease 10.0.0.1 {\n  binding state wobbly;\n}");
    assert_eq!((line, column, kind), (2, 17, LeasesErrorKind::BadBindingState("wobbly".into())));

    let (line, column, kind) = error("lease 10.0.0.300 { }");
    assert_eq!((line, column, kind), (1, 7, LeasesErrorKind::BadAddress("10.0.0.300".into())));

    let (line, column, kind) = error("lease 10.0.0.1 {\n  starts 4 2006/13/27 00:00:00;\n}");
    assert_eq!((line, column), (2, 10));
    assert!(matches!(kind, LeasesErrorKind::BadDate(_)), "{kind:?}");

    let (line, column, kind) = error("lease 10.0.0.1 {\n  uid \"abc;\n}\n");
    assert_eq!((line, column, kind), (2, 7, LeasesErrorKind::UnterminatedString));

    let (line, column, kind) = error("lease 10.0.0.1 {\n  uid \"\\400\";\n}\n");
    assert_eq!((line, column, kind), (2, 8, LeasesErrorKind::BadEscape("\\400".into())));

    let (line, column, kind) = error("lease 10.0.0.1 {\n  binding state free;\n");
    assert_eq!((line, column, kind), (3, 1, LeasesErrorKind::UnexpectedEnd));

    let (line, column, kind) = error("}\n");
    assert_eq!((line, column, kind), (1, 1, LeasesErrorKind::UnexpectedClose));

    let (line, column, kind) = error("lease 10.0.0.1 { hardware ethernet 02:zz:00:00:00:01; }");
    assert_eq!((line, column), (1, 36));
    assert!(matches!(kind, LeasesErrorKind::BadHardware(_)), "{kind:?}");

    let e = leases::read("lease 10.0.0.1 { binding free; }").unwrap_err();
    assert_eq!(e.to_string(), "line 1, column 26: expected 'state', found 'free'");
}

// ----- property tests -----

fn arb_state() -> impl Strategy<Value = BindingState> {
    prop_oneof![
        Just(BindingState::Free),
        Just(BindingState::Active),
        Just(BindingState::Expired),
        Just(BindingState::Released),
        Just(BindingState::Abandoned),
        Just(BindingState::Reset),
        Just(BindingState::Backup),
    ]
}

fn arb_lease() -> impl Strategy<Value = Lease> {
    (
        (any::<u32>(), arb_state(), arb_state(), arb_state()),
        prop::array::uniform6(0u64..5_000_000),
        prop::option::of(any::<[u8; 6]>()),
        prop::option::of(prop::collection::vec(any::<u8>(), 1..24)),
    )
        .prop_map(|((address, binding, next, rewind), times, hardware, uid)| {
            let mut lease = Lease::virgin(Ipv4Addr::from(address), binding);
            lease.next = next;
            lease.rewind = rewind;
            [lease.starts, lease.ends, lease.tstp, lease.tsfp, lease.atsfp, lease.cltt] = times;
            lease.hardware = hardware.map(Mac);
            lease.uid = uid;
            lease
        })
}

/// Words and punctuation of the format, glued into token soup.
fn arb_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "lease",
        "10.0.0.1",
        "{",
        "}",
        ";",
        "\"a\\\"b\"",
        "\"\\",
        "starts",
        "ends",
        "epoch",
        "never",
        "4",
        "2006/07/27",
        "00:33:27",
        "binding",
        "next",
        "rewind",
        "state",
        "free",
        "failover",
        "peer",
        "my",
        "partner",
        "at",
        "mclt",
        "30",
        "normal",
        "hardware",
        "ethernet",
        "02:00:00:00:00:01",
        "uid",
        "01:02",
        "server-duid",
        "#",
        "\n",
        "é",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.join(" "))
}

/// 256 cases unless `PROPTEST_CASES` asks for another number.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_written_record_reads_back(lease in arb_lease(), epoch in 0u64..4_000_000_000) {
        let text = leases::write_lease(&lease, epoch);
        let file = leases::read(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let r = file.lease(lease.address).unwrap();
        let absolute = |secs: u64| if secs == 0 { 0 } else { epoch + secs };
        let times = [lease.starts, lease.ends, lease.tstp, lease.tsfp, lease.atsfp, lease.cltt];
        prop_assert_eq!([r.starts, r.ends, r.tstp, r.tsfp, r.atsfp, r.cltt], times.map(absolute));
        prop_assert_eq!(
            (r.binding, r.next_state(), r.rewind_state()),
            (Some(lease.binding), Some(lease.next), Some(lease.rewind))
        );
        prop_assert_eq!(r.hardware, lease.hardware);
        prop_assert_eq!(&r.uid, &lease.uid);
    }

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        check_no_panic(&text);
    }

    #[test]
    fn token_soup_never_panics(text in arb_soup()) {
        check_no_panic(&text);
    }

    #[test]
    fn mutated_real_files_never_panic(
        which in 0usize..4,
        cut in any::<prop::sample::Index>(),
        len in 0usize..40,
        insert in "[{};\"#\\\\a-z0-9 ./:\n]{0,6}",
    ) {
        let name = [
            "a-release-primary.leases",
            "a-release-secondary.leases",
            "a2-expiry-primary.leases",
            "a2-expiry-secondary.leases",
        ][which];
        let original = data(name);
        let chars: Vec<char> = original.chars().collect();
        let at = cut.index(chars.len());
        let end = (at + len).min(chars.len());
        let mut text: String = chars[..at].iter().collect();
        text.push_str(&insert);
        text.extend(&chars[end..]);
        check_no_panic(&text);
    }
}

/// Reading `text` returns, and an error points inside the text (or just past it).
fn check_no_panic(text: &str) {
    if let Err(e) = leases::read(text) {
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(e.line >= 1 && e.line <= lines.len(), "{e} in {text:?}");
        let width = lines[e.line - 1].chars().count();
        assert!(e.column >= 1 && e.column <= width + 1, "{e} in {text:?}");
    }
}
