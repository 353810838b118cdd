//! What the page hands to real tools, without a browser: file names, the capture and
//! lease files, the inspector's fields decoded from the bytes, the hex dump's text, and
//! an imported dhcpd.conf loaded into the page. Runs under Node with
//! `cargo test -p dhcpfo-ui --target wasm32-unknown-unknown`.

use std::rc::Rc;

use dhcpfo_engine::packet::{Body, FailoverMessage};
use dhcpfo_engine::{conf, share, Packet, Role};
use dhcpfo_ui::components::hex_dump::hex_bytes;
use dhcpfo_ui::decode::{self, option_ranges, Decoded};
use dhcpfo_ui::exports;
use dhcpfo_ui::state::{sent_by, Action, Loaded, Playback, Shared};
use wasm_bindgen_test::wasm_bindgen_test;
use yew::Reducible;

/// The dhcpd.conf of a recorded primary (the engine's test data).
const PRIMARY_CONF: &str = include_str!("../../engine/tests/data/conf/a-release-primary.conf");

fn act(state: Playback, action: Action) -> Playback {
    (*Rc::new(state).reduce(action)).clone()
}

/// The first packet of the default run that `pick` accepts.
fn first_packet(pick: impl Fn(&Packet) -> bool) -> (Playback, Packet) {
    let p = Playback::open("");
    let found =
        p.loaded.timeline.steps().iter().flat_map(sent_by).map(|(_, pk)| pk).find(|pk| pick(pk));
    let packet = found.cloned().expect("the default run has such a packet");
    (p, packet)
}

fn decoded(p: &Playback, packet: &Packet) -> Decoded {
    decode::decode(&packet.body, p.loaded.config.start_epoch).expect("our own bytes decode")
}

/// The value of the field labelled `label`.
fn value(d: &Decoded, label: &str) -> String {
    let field = d.sections.iter().flat_map(|s| &s.fields).find(|f| f.label == label);
    field.map(|f| f.value.clone()).unwrap_or_else(|| panic!("no field {label}"))
}

#[wasm_bindgen_test]
fn titles_become_short_file_names() {
    assert_eq!(exports::slug("The DHCPRELEASE question"), "the-dhcprelease-question");
    let imported = "Imported: failover peer \"dfo\" (primary's dhcpd.conf)";
    assert_eq!(exports::slug(imported), "imported-failover-peer-dfo");
    assert_eq!(exports::slug("  ¡¿!  "), "scenario");
    assert_eq!(exports::slug("a".repeat(60).as_str()).len(), 28);
}

#[wasm_bindgen_test]
fn files_are_named_after_the_scenario_the_server_and_the_clock() {
    let p = act(Playback::open(""), Action::Goto(40));
    assert_eq!(exports::pcap_name(&p.loaded), "dhcprelease.pcap");
    let clock = p.world.now().clock();
    let name = exports::leases_name(&p.loaded, Role::Secondary, &p.world);
    assert_eq!(name, format!("dhcprelease-secondary-{}.leases", clock[..8].replace(':', "-")));
}

#[wasm_bindgen_test]
fn the_capture_is_a_pcap_and_the_lease_files_are_dhcpd_leases() {
    let p = act(Playback::open(""), Action::Goto(40));
    let pcap = exports::capture(&p.loaded).expect("the default run can be captured");
    assert_eq!(pcap[..4], [0xd4, 0xc3, 0xb2, 0xa1]);
    assert!(pcap.len() > 24 + exports::packet_count(&p.loaded) * 60);
    for role in [Role::Primary, Role::Secondary] {
        let text = exports::leases_text(&p.world, role);
        assert!(text.contains("lease 192.0.2.20 {"), "{text}");
        assert!(text.contains("failover peer"), "{text}");
    }
}

#[wasm_bindgen_test]
fn a_bndupd_is_read_back_from_its_bytes_field_by_field() {
    let (p, packet) =
        first_packet(|pk| matches!(pk.body, Body::Failover(FailoverMessage::BndUpd(_))));
    let d = decoded(&p, &packet);
    assert_eq!(value(&d, "length"), format!("{} bytes", d.bytes.len()));
    assert_eq!(value(&d, "type"), "3 (BNDUPD)");
    assert_eq!(value(&d, "payload offset"), "12");
    assert!(value(&d, "time").ends_with(" UTC"));
    // The options follow one another without a gap, from byte 12 to the last byte.
    let options = &d.sections[1].fields;
    assert_eq!(options.first().map(|f| f.bytes.start), Some(12));
    assert_eq!(options.last().map(|f| f.bytes.end), Some(d.bytes.len()));
    assert!(options.windows(2).all(|w| w[0].bytes.end == w[1].bytes.start));
    // Failover options go by their draft-12 names, with the code after them.
    assert_eq!(options[0].label, "assigned-IP-address (2)");
    assert!(options.iter().any(|f| f.label == "binding-status (3)"));
}

#[wasm_bindgen_test]
fn a_dhcp_message_is_read_back_with_its_fixed_fields_and_options() {
    let (p, packet) = first_packet(|pk| pk.name() == "DHCPACK");
    let d = decoded(&p, &packet);
    assert_eq!(d.bytes.len(), 300);
    assert_eq!(value(&d, "op"), "2 (BOOTREPLY)");
    assert_eq!(value(&d, "htype"), "1 (Ethernet)");
    assert_eq!(value(&d, "hlen"), "6");
    assert_eq!(value(&d, "53 message type"), "5 (DHCPACK)");
    assert!(value(&d, "51 lease time").starts_with("3600 s"));
    let ranges = option_ranges(&d.bytes);
    assert_eq!(ranges.first(), Some(&(53, 240..243)));
    let options = &d.sections[1].fields;
    assert_eq!(options.last().map(|f| (f.label.as_str(), f.bytes.end)), Some(("padding", 300)));
}

#[wasm_bindgen_test]
fn hex_lines_group_bytes_by_eight() {
    let bytes: Vec<u8> = (0..16).collect();
    let line = hex_bytes(&bytes, 0, true);
    assert_eq!(line, "00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f");
    assert_eq!(hex_bytes(&bytes[8..10], 8, false), "08 09");
    assert_eq!(hex_bytes(&bytes[8..10], 8, true), "  08 09");
}

#[wasm_bindgen_test]
fn an_imported_conf_loads_from_the_start_and_goes_into_the_link() {
    let imported = conf::import(PRIMARY_CONF).expect("the recorded primary's file imports");
    assert!(imported.notes.iter().any(|n| n.line == 1 && n.message.contains("authoritative")));
    let loaded = Loaded::new(imported.scenario).expect("imports always validate");
    let p = act(Playback::open("dhcprelease.12"), Action::Load(Shared::new(loaded)));
    assert_eq!((p.step, p.loaded.builtin, p.loaded.config.pool.len()), (0, None, 10));
    let (scenario, step) = share::decode(&p.loaded.fragment(3)).expect("the link decodes");
    assert!(scenario.title.starts_with("Imported"));
    assert_eq!(step, 3);
}

#[wasm_bindgen_test]
fn a_reported_problem_shows_in_the_banner_and_changes_nothing_else() {
    let p = act(Playback::open("dhcprelease.7"), Action::Report("The capture failed.".into()));
    assert_eq!(p.error.as_deref(), Some("The capture failed."));
    assert_eq!((p.step, p.loaded.builtin), (7, Some("dhcprelease")));
}
