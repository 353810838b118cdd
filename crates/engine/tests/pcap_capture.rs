//! The captures the engine writes, read back with the engine's own reader:
//! one frame per packet plus the TCP handshake, correct checksums, the
//! addressing of RFC 2131 §4.1, consistent TCP numbers, and every message
//! decoding to the packet the engine sent.
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use std::net::Ipv4Addr;
use std::sync::Arc;

use dhcpfo_engine::addr::Mac;
use dhcpfo_engine::packet::{
    BindingUpdate, Body, Destination, DhcpMessage, DhcpType, FailoverMessage, Node, Packet,
};
use dhcpfo_engine::pcap::{self, CapturedFrame, Transport, PRIMARY_MAC, SECONDARY_MAC};
use dhcpfo_engine::scenario::Config;
use dhcpfo_engine::trace::{Cause, Effect, Step, Timer, Why};
use dhcpfo_engine::wire::net::tcp_flags::{ACK, PSH, SYN};
use dhcpfo_engine::wire::{self, dhcp::BROADCAST_FLAG};
use dhcpfo_engine::{BindingState, Time};
use wire_support::{builtin_runs, sent_packets};

#[test]
fn every_builtin_capture_reads_back_as_the_packets_sent() {
    for (name, cfg, timeline) in builtin_runs() {
        let packets = sent_packets(&timeline);
        let frames = pcap::read(&pcap::capture(&cfg, timeline.steps()).unwrap()).unwrap();
        let has_failover = packets.iter().any(|p| matches!(p.body, Body::Failover(_)));
        assert_eq!(frames.len(), packets.len() + if has_failover { 3 } else { 0 }, "{name}");
        assert!(frames.iter().all(CapturedFrame::checksums_ok), "{name}: a checksum is wrong");

        let dhcp: Vec<&CapturedFrame> = frames.iter().filter(|f| f.is_dhcp()).collect();
        let sent_dhcp: Vec<&Packet> =
            packets.iter().copied().filter(|p| matches!(p.body, Body::Dhcp(_))).collect();
        assert_eq!(dhcp.len(), sent_dhcp.len(), "{name}");
        for (frame, packet) in dhcp.iter().zip(&sent_dhcp) {
            let Body::Dhcp(m) = &packet.body else { unreachable!() };
            assert_eq!(&wire::decode_dhcp(frame.payload()).unwrap(), m, "{name}");
            assert_eq!(frame.timestamp_us, micros(&cfg, packet.sent_at), "{name}");
            check_dhcp_addressing(&cfg, frame, packet, m);
        }

        let messages = pcap::failover_messages(&frames).unwrap();
        let sent_failover: Vec<&Packet> =
            packets.iter().copied().filter(|p| matches!(p.body, Body::Failover(_))).collect();
        assert_eq!(messages.len(), sent_failover.len(), "{name}");
        for (message, packet) in messages.iter().zip(&sent_failover) {
            let Body::Failover(m) = &packet.body else { unreachable!() };
            assert_eq!(&wire::decode_failover(&message.bytes, cfg.start_epoch).unwrap(), m);
            assert_eq!(message.timestamp_us, micros(&cfg, packet.sent_at), "{name}");
            let from_primary = packet.from == Node::Primary;
            let want_src = if from_primary { cfg.primary_address } else { cfg.secondary_address };
            assert_eq!(*message.src.ip(), want_src, "{name}");
            assert_eq!(message.src.port() == 647, !from_primary, "{name}");
        }
        check_tcp_numbers(&frames, name);
    }
}

/// RFC 2131 §4.1 addressing, as the capture module documents it.
fn check_dhcp_addressing(cfg: &Config, frame: &CapturedFrame, packet: &Packet, m: &DhcpMessage) {
    let broadcast_mac = Some(Mac([0xff; 6]));
    match packet.from {
        Node::Client(i) => {
            assert_eq!(frame.ports(), (68, 67));
            assert_eq!(frame.src, m.ciaddr);
            assert_eq!(frame.src_mac, Some(cfg.clients[usize::from(i)].mac));
            if packet.to == Destination::Broadcast {
                assert_eq!((frame.dst, frame.dst_mac), (Ipv4Addr::BROADCAST, broadcast_mac));
            }
        }
        server => {
            assert_eq!(frame.ports(), (67, 68));
            let (ip, mac) = if server == Node::Primary {
                (cfg.primary_address, PRIMARY_MAC)
            } else {
                (cfg.secondary_address, SECONDARY_MAC)
            };
            assert_eq!((frame.src, frame.src_mac), (ip, Some(mac)));
            if m.flags & BROADCAST_FLAG == 0 && m.message_type != DhcpType::Nak {
                let client = if m.ciaddr.is_unspecified() { m.yiaddr } else { m.ciaddr };
                assert_eq!((frame.dst, frame.dst_mac), (client, Some(m.chaddr)));
            }
        }
    }
}

/// Handshake first; then per direction the sequence numbers follow the data
/// sent, and no segment acknowledges data the peer has not yet sent.
fn check_tcp_numbers(frames: &[CapturedFrame], name: &str) {
    let tcp: Vec<(u16, u32, u32, u8, usize)> = frames
        .iter()
        .filter_map(|f| match &f.transport {
            Transport::Tcp { src_port, seq, ack, flags, payload, .. } => {
                Some((*src_port, *seq, *ack, *flags, payload.len()))
            }
            Transport::Udp { .. } => None,
        })
        .collect();
    let Some(&(primary_port, primary_isn, _, first_flags, _)) = tcp.first() else { return };
    assert_eq!(first_flags, SYN, "{name}");
    let (_, secondary_isn, ack, flags, _) = tcp[1];
    assert_eq!((flags, ack), (SYN | ACK, primary_isn.wrapping_add(1)), "{name}");
    assert_eq!(tcp[2].3, ACK, "{name}");
    // Next sequence number per direction: [primary, secondary].
    let mut next = [primary_isn.wrapping_add(1), secondary_isn.wrapping_add(1)];
    for &(port, seq, ack, flags, length) in &tcp[2..] {
        let (me, peer) = if port == primary_port { (0, 1) } else { (1, 0) };
        assert_eq!(seq, next[me], "{name}: sequence gap");
        assert!(ack.wrapping_sub(next[peer]) as i32 <= 0, "{name}: acknowledges unsent data");
        assert_ne!(flags & ACK, 0, "{name}");
        if length > 0 {
            assert_ne!(flags & PSH, 0, "{name}: short data segment without PSH");
        }
        next[me] = next[me].wrapping_add(length as u32);
    }
}

fn micros(cfg: &Config, at: Time) -> u64 {
    cfg.start_epoch * 1_000_000 + at.millis() * 1000
}

/// A step at `at_ms` that sends `body` from `from` to `to`.
fn step(index: u32, at_ms: u64, from: Node, to: Destination, body: Body) -> Step {
    let packet =
        Packet { id: index, from, to, sent_at: Time(at_ms), arrives_at: Time(at_ms + 1), body };
    Step {
        index,
        at: Time(at_ms),
        node: from,
        cause: Cause::Timer(Timer::AckFlush),
        effects: vec![Effect::Sent { packet, why: Why::Leave }],
    }
}

fn config() -> Arc<Config> {
    dhcpfo_engine::scenario::builtin("isc-release").unwrap().validate().unwrap()
}

#[test]
fn replies_are_broadcast_when_rfc_2131_says_so() {
    let cfg = config();
    let mac = cfg.clients[0].mac;
    let client = Node::Client(0);
    let mut rebind = DhcpMessage::request(DhcpType::Request, 1, mac);
    rebind.ciaddr = Ipv4Addr::new(10, 77, 0, 105);
    let nak = DhcpMessage::reply(
        DhcpType::Nak,
        &DhcpMessage::request(DhcpType::Request, 2, mac),
        cfg.primary_address,
    );
    let mut flagged = DhcpMessage::reply(
        DhcpType::Offer,
        &DhcpMessage::request(DhcpType::Discover, 3, mac),
        cfg.primary_address,
    );
    flagged.flags = BROADCAST_FLAG;
    flagged.yiaddr = Ipv4Addr::new(10, 77, 0, 106);
    let steps = [
        step(0, 0, client, Destination::Broadcast, Body::Dhcp(rebind)),
        step(1, 10, Node::Primary, Destination::Unicast(client), Body::Dhcp(nak)),
        step(2, 20, Node::Primary, Destination::Unicast(client), Body::Dhcp(flagged)),
    ];
    let frames = pcap::read(&pcap::capture(&cfg, &steps).unwrap()).unwrap();
    // A rebinding client broadcasts from its own address.
    assert_eq!(
        (frames[0].src, frames[0].dst),
        (Ipv4Addr::new(10, 77, 0, 105), Ipv4Addr::BROADCAST)
    );
    for reply in &frames[1..] {
        assert_eq!((reply.dst, reply.dst_mac), (Ipv4Addr::BROADCAST, Some(Mac([0xff; 6]))));
    }
    assert!(frames.iter().all(CapturedFrame::checksums_ok));
}

#[test]
fn a_message_longer_than_the_mss_is_split_and_reassembled() {
    let cfg = config();
    let update = BindingUpdate {
        xid: 9,
        time: 1,
        address: Ipv4Addr::new(10, 77, 0, 105),
        status: BindingState::Active,
        client_id: Some(vec![7; 3000]),
        hardware: None,
        lease_expiration: 31,
        potential_expiration: 76,
        start_time_of_state: 1,
        cltt: 1,
    };
    let message = FailoverMessage::BndUpd(update);
    let to_secondary = Destination::Unicast(Node::Secondary);
    let steps = [step(0, 1000, Node::Primary, to_secondary, Body::Failover(message.clone()))];
    let frames = pcap::read(&pcap::capture(&cfg, &steps).unwrap()).unwrap();
    // 12 header + 8 address + 5 status + 3004 client id + 4 × 8 times = 3061 bytes.
    let sizes: Vec<usize> = frames.iter().map(|f| f.payload().len()).collect();
    assert_eq!(sizes, vec![0, 0, 0, 1460, 1460, 3061 - 2920]);
    let messages = pcap::failover_messages(&frames).unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(wire::decode_failover(&messages[0].bytes, cfg.start_epoch).unwrap(), message);

    // Out of order and with a retransmission, the stream still comes out whole.
    let mut shuffled = frames.clone();
    shuffled.swap(3, 5);
    shuffled.insert(5, frames[4].clone());
    let again = pcap::failover_messages(&shuffled).unwrap();
    assert_eq!(again.iter().map(|m| &m.bytes).collect::<Vec<_>>(), vec![&messages[0].bytes]);
}

#[test]
fn unplaceable_packets_are_errors_not_panics() {
    let cfg = config();
    let discover = DhcpMessage::request(DhcpType::Discover, 1, cfg.clients[0].mac);
    let steps = [step(0, 0, Node::Client(99), Destination::Broadcast, Body::Dhcp(discover))];
    let err = pcap::capture(&cfg, &steps).unwrap_err();
    assert!(err.to_string().contains("no client number 99"), "{err}");
    assert!(pcap::read(b"not a capture").is_err());
    assert!(pcap::read(&[]).is_err());
}

#[test]
fn a_start_beyond_32_bit_time_is_an_error() {
    let (_, cfg, timeline) = builtin_runs().into_iter().find(|r| r.0 == "isc-release").unwrap();
    let mut late = (*cfg).clone();
    late.start_epoch = 7_258_118_400; // 2200-01-01: past the 32-bit clocks of pcap and failover.
    let err = pcap::capture(&late, timeline.steps()).unwrap_err();
    assert!(err.to_string().contains("32-bit"), "{err}");
}

/// The same capture rewritten big-endian with nanosecond timestamps.
fn big_endian_nanoseconds(little: &[u8]) -> Vec<u8> {
    let word = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let mut out = 0xa1b2_3c4du32.to_be_bytes().to_vec();
    out.extend_from_slice(&2u16.to_be_bytes());
    out.extend_from_slice(&4u16.to_be_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&word(little, 16).to_be_bytes());
    out.extend_from_slice(&word(little, 20).to_be_bytes());
    let mut at = 24;
    while at < little.len() {
        let length = word(little, at + 8) as usize;
        let fields = [word(little, at), word(little, at + 4) * 1000, length as u32, length as u32];
        for field in fields {
            out.extend_from_slice(&field.to_be_bytes());
        }
        out.extend_from_slice(&little[at + 16..at + 16 + length]);
        at += 16 + length;
    }
    out
}

#[test]
fn the_reader_takes_either_byte_order_and_nanoseconds() {
    let (_, cfg, timeline) = builtin_runs().into_iter().find(|r| r.0 == "dhcprelease").unwrap();
    let little = pcap::capture(&cfg, timeline.steps()).unwrap();
    let big = big_endian_nanoseconds(&little);
    assert_eq!(pcap::read(&big).unwrap(), pcap::read(&little).unwrap());
    // A record cut short is an error with its place, not a panic.
    let err = pcap::read(&little[..little.len() - 5]).unwrap_err();
    assert!(err.to_string().contains("runs past the end of the file"), "{err}");
}
