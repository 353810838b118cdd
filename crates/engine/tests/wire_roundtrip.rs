//! Every packet of every built-in scenario survives encoding and decoding,
//! and an independent decoder (`dhcproto`) reads the DHCP bytes the same way.
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use dhcpfo_engine::packet::{Body, DhcpMessage};
use dhcpfo_engine::wire::dhcp::BOOTP_MINIMUM;
use dhcpfo_engine::wire::{self, Frame, MessageType};
use dhcproto::v4::{DhcpOption, Message, OptionCode};
use dhcproto::{Decodable, Decoder};
use wire_support::{builtin_runs, sent_packets};

#[test]
fn every_dhcp_packet_of_every_builtin_round_trips() {
    let mut count = 0;
    for (name, _, timeline) in builtin_runs() {
        for p in sent_packets(&timeline) {
            let Body::Dhcp(m) = &p.body else { continue };
            let bytes = wire::encode_dhcp(m);
            assert!(bytes.len() >= BOOTP_MINIMUM, "{name}: packet {} is short", p.id);
            assert_eq!(&wire::decode_dhcp(&bytes).unwrap(), m, "{name}: packet {}", p.id);
            count += 1;
        }
    }
    assert!(count > 50, "only {count} DHCP packets in the built-ins");
}

#[test]
fn every_failover_packet_of_every_builtin_round_trips() {
    let mut count = 0;
    for (name, cfg, timeline) in builtin_runs() {
        for p in sent_packets(&timeline) {
            let Body::Failover(m) = &p.body else { continue };
            let bytes = wire::encode_failover(m, cfg.start_epoch).unwrap();
            assert_eq!(&wire::decode_failover(&bytes, cfg.start_epoch).unwrap(), m, "{name}");

            let frame = Frame::decode(&bytes).unwrap();
            assert_eq!(frame.encode().unwrap(), bytes, "{name}: frame round trip");
            assert_eq!(u64::from(frame.time), cfg.start_epoch + m.time(), "{name}");
            assert_eq!(frame.msg_type.name(), m.name(), "{name}: message type");
            assert_eq!(frame.xid, m.xid(), "{name}: xid");
            let _ = MessageType::BndUpd;
            count += 1;
        }
    }
    assert!(count > 20, "only {count} failover packets in the built-ins");
}

#[test]
fn dhcproto_reads_every_builtin_dhcp_packet_the_same_way() {
    for (name, _, timeline) in builtin_runs() {
        for p in sent_packets(&timeline) {
            let Body::Dhcp(m) = &p.body else { continue };
            let bytes = wire::encode_dhcp(m);
            let other = Message::decode(&mut Decoder::new(&bytes))
                .unwrap_or_else(|e| panic!("{name}: dhcproto refuses packet {}: {e}", p.id));
            agree(m, &other, &format!("{name} packet {}", p.id));
        }
    }
}

/// The fields both decoders must agree on.
fn agree(m: &DhcpMessage, other: &Message, what: &str) {
    assert_eq!(other.xid(), m.xid, "{what}: xid");
    assert_eq!(other.yiaddr(), m.yiaddr, "{what}: yiaddr");
    assert_eq!(other.ciaddr(), m.ciaddr, "{what}: ciaddr");
    assert_eq!(other.chaddr(), &m.chaddr.0[..], "{what}: chaddr");
    let opts = other.opts();
    let message_type = opts.msg_type().map(u8::from);
    assert_eq!(message_type, Some(m.message_type.code()), "{what}: message type");
    let server_id = match opts.get(OptionCode::ServerIdentifier) {
        Some(DhcpOption::ServerIdentifier(a)) => Some(*a),
        _ => None,
    };
    assert_eq!(server_id, m.server_id, "{what}: server identifier");
    let lease_time = match opts.get(OptionCode::AddressLeaseTime) {
        Some(DhcpOption::AddressLeaseTime(t)) => Some(*t),
        _ => None,
    };
    assert_eq!(lease_time, m.lease_time, "{what}: lease time");
    let requested = match opts.get(OptionCode::RequestedIpAddress) {
        Some(DhcpOption::RequestedIpAddress(a)) => Some(*a),
        _ => None,
    };
    assert_eq!(requested, m.requested_address, "{what}: requested address");
}
