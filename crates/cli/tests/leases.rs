//! `dhcpfo leases`: the lease database of one server in dhcpd.leases format,
//! checked by reading it back with the engine's reader.

mod common;

use common::ok;
use dhcpfo_engine::{leases, BindingState};

#[test]
fn a_moment_after_the_release_the_primary_holds_it_released() {
    let text = ok(&["leases", "dhcprelease", "--at", "00:33:27.002", "--server", "primary"]);
    let file = leases::read(&text).expect("the export reads back");
    let lease = &file.leases[&"192.0.2.20".parse().unwrap()];
    assert_eq!(lease.binding, Some(BindingState::Released));
    assert_eq!(lease.next, Some(BindingState::Free));
    assert!(text.contains("failover peer \"dhcpfo\" state {"), "{text}");
    assert!(text.contains("binding state released;\n  next binding state free;"), "{text}");
}

#[test]
fn the_secondary_writes_the_mclt_and_every_address() {
    let text = ok(&["leases", "dhcprelease", "--at", "00:33:30", "--server", "secondary"]);
    assert!(text.contains("mclt 3600;"));
    assert_eq!(text.matches("\nlease 192.0.2.").count(), 20);
    let file = leases::read(&text).expect("the export reads back");
    let lease = &file.leases[&"192.0.2.19".parse().unwrap()];
    assert_eq!(lease.binding, Some(BindingState::Backup));
}
