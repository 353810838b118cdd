//! The captures the engine writes, read back with the engine's own reader:
//! one frame per packet plus the TCP segments that open and close each
//! failover connection, correct checksums, the addressing of RFC 2131 §4.1,
//! consistent TCP numbers per connection, retransmissions on the sequence
//! numbers of the first transmission, and every message decoding to the
//! packet the engine sent.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod wire_support;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

use dhcpfo_engine::addr::Mac;
use dhcpfo_engine::packet::{
    BindingUpdate, Body, Destination, DhcpMessage, DhcpType, FailoverMessage, Node, Packet,
};
use dhcpfo_engine::pcap::{self, CapturedFrame, Transport, PRIMARY_MAC, SECONDARY_MAC};
use dhcpfo_engine::scenario::Config;
use dhcpfo_engine::trace::{Cause, DropReason, Effect, Step, Timer, Why};
use dhcpfo_engine::wire::net::tcp_flags::{ACK, FIN, PSH, RST, SYN};
use dhcpfo_engine::wire::{self, dhcp::BROADCAST_FLAG};
use dhcpfo_engine::{BindingState, Time};
use wire_support::builtin_runs;

#[test]
fn every_builtin_capture_reads_back_as_the_packets_sent() {
    for (name, cfg, timeline) in builtin_runs() {
        check_capture(&cfg, timeline.steps(), name);
    }
}

/// The capture of `steps` holds every packet sent, and its TCP numbers add up.
fn check_capture(cfg: &Config, steps: &[Step], name: &str) -> Vec<CapturedFrame> {
    let packets: Vec<&Packet> = sent_with_why(steps).into_iter().map(|(p, _)| p).collect();
    let frames = pcap::read(&pcap::capture(cfg, steps).unwrap()).unwrap();
    let data_frames = frames.iter().filter(|f| f.is_dhcp() || !f.payload().is_empty()).count();
    assert_eq!(data_frames, packets.len(), "{name}: one frame per packet");
    assert!(frames.iter().all(CapturedFrame::checksums_ok), "{name}: a checksum is wrong");

    let dhcp: Vec<&CapturedFrame> = frames.iter().filter(|f| f.is_dhcp()).collect();
    let sent_dhcp: Vec<&Packet> =
        packets.iter().copied().filter(|p| matches!(p.body, Body::Dhcp(_))).collect();
    assert_eq!(dhcp.len(), sent_dhcp.len(), "{name}");
    for (frame, packet) in dhcp.iter().zip(&sent_dhcp) {
        let Body::Dhcp(m) = &packet.body else { unreachable!() };
        assert_eq!(&wire::decode_dhcp(frame.payload()).unwrap(), m, "{name}");
        assert_eq!(frame.timestamp_us, micros(cfg, packet.sent_at), "{name}");
        check_dhcp_addressing(cfg, frame, packet, m);
    }

    // The reader uses retransmitted bytes once: one message per first transmission.
    let messages = pcap::failover_messages(&frames).unwrap();
    let sent_failover: Vec<&Packet> = sent_with_why(steps)
        .into_iter()
        .filter(|(p, why)| matches!(p.body, Body::Failover(_)) && **why != Why::TcpRetransmit)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(messages.len(), sent_failover.len(), "{name}");
    for (message, packet) in messages.iter().zip(&sent_failover) {
        let Body::Failover(m) = &packet.body else { unreachable!() };
        assert_eq!(&wire::decode_failover(&message.bytes, cfg.start_epoch).unwrap(), m);
        assert_eq!(message.timestamp_us, micros(cfg, packet.sent_at), "{name}");
        let from_primary = packet.from == Node::Primary;
        let want_src = if from_primary { cfg.primary_address } else { cfg.secondary_address };
        assert_eq!(*message.src.ip(), want_src, "{name}");
        assert_eq!(message.src.port() == 647, !from_primary, "{name}");
    }
    check_tcp_numbers(&frames, name);
    frames
}

fn sent_with_why(steps: &[Step]) -> Vec<(&Packet, &Why)> {
    let effects = steps.iter().flat_map(|s| &s.effects);
    effects
        .filter_map(|e| match e {
            Effect::Sent { packet, why } => Some((&**packet, why)),
            _ => None,
        })
        .collect()
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

/// One TCP segment: (from the primary, seq, ack, flags, payload).
type Seg = (bool, u32, u32, u8, Vec<u8>);

/// The TCP segments of the capture, per connection (the primary's port).
fn connections(frames: &[CapturedFrame]) -> BTreeMap<u16, Vec<Seg>> {
    let mut out: BTreeMap<u16, Vec<Seg>> = BTreeMap::new();
    for f in frames {
        let Transport::Tcp { src_port, dst_port, seq, ack, flags, payload, .. } = &f.transport
        else {
            continue;
        };
        let from_primary = *dst_port == 647;
        let port = if from_primary { *src_port } else { *dst_port };
        out.entry(port).or_default().push((from_primary, *seq, *ack, *flags, payload.clone()));
    }
    out
}

/// Per connection: the handshake first; then per direction the sequence
/// numbers follow the data sent (a retransmission repeats earlier bytes at
/// their first sequence number), a FIN takes one number and ends the data, no
/// segment acknowledges what the peer has not sent, and a RST ends everything.
fn check_tcp_numbers(frames: &[CapturedFrame], name: &str) {
    for (port, tcp) in connections(frames) {
        let what = format!("{name}: connection from port {port}");
        let (_, primary_isn, _, first_flags, _) = tcp[0];
        assert_eq!(first_flags, SYN, "{what}");
        let (_, secondary_isn, ack, flags, _) = tcp[1];
        assert_eq!((flags, ack), (SYN | ACK, primary_isn.wrapping_add(1)), "{what}");
        assert_eq!(tcp[2].3, ACK, "{what}");
        // Next sequence number per direction, and every byte sent: [primary, secondary].
        let mut next = [primary_isn.wrapping_add(1), secondary_isn.wrapping_add(1)];
        let mut sent: [BTreeMap<u32, Vec<u8>>; 2] = Default::default();
        let mut closed = [false, false];
        for (from_primary, seq, ack, flags, payload) in &tcp[2..] {
            let (me, peer) = if *from_primary { (0, 1) } else { (1, 0) };
            assert!(!closed[me] || payload.is_empty(), "{what}: data after FIN");
            if flags & RST != 0 {
                assert!(!closed[peer] || closed[me], "{what}: RST after the peer's FIN");
                closed = [true, true];
                continue;
            }
            assert!(ack.wrapping_sub(next[peer]) as i32 <= 0, "{what}: acknowledges unsent data");
            assert_ne!(flags & ACK, 0, "{what}");
            if *seq != next[me] {
                let first = sent[me].get(seq).unwrap_or_else(|| panic!("{what}: sequence gap"));
                assert_eq!(first, payload, "{what}: a retransmission with other bytes");
                continue;
            }
            if !payload.is_empty() {
                assert_ne!(flags & PSH, 0, "{what}: short data segment without PSH");
                sent[me].insert(*seq, payload.clone());
            }
            next[me] = next[me].wrapping_add(payload.len() as u32);
            if flags & FIN != 0 {
                next[me] = next[me].wrapping_add(1);
                closed[me] = true;
            }
        }
    }
}

/// A cut while an update is in flight and healed before the watchdog fires,
/// a killed secondary, a restart, and an orderly shutdown of the primary.
const FAULTS: &str = include_str!("data/pcap-faults.toml");

#[test]
fn connections_open_close_and_retransmit_as_tcp_does() {
    let (cfg, timeline) = common::run_toml(FAULTS);
    let steps = timeline.steps();
    let frames = check_capture(&cfg, steps, "faults");
    let conns = connections(&frames);
    // The first connection exists from the start; the primary connects again
    // after the secondary restarts, from a fresh port.
    let ports: Vec<u16> = conns.keys().copied().collect();
    assert_eq!(ports, vec![49152, 49153], "{conns:?}");
    let first = &conns[&49152];
    let second = &conns[&49153];
    // The killed secondary resets the first connection; nothing follows from the primary.
    let reset = first.iter().position(|s| s.3 & RST != 0).expect("a RST");
    assert!(!first[reset].0, "the secondary resets");
    assert_eq!(reset, first.len() - 1, "nothing after the RST");
    // The orderly shutdown closes the second: the primary's FIN, and the
    // secondary's FIN when it has read it.
    let fin = second.iter().find(|s| s.0 && s.3 == FIN | ACK).expect("the primary's FIN");
    let fin_back = second.iter().find(|s| !s.0 && s.3 == FIN | ACK).expect("a FIN back");
    assert_eq!(fin_back.2, fin.1.wrapping_add(1), "the FIN takes one sequence number");

    // The update sent into the cut goes out again, with the same bytes at the same place.
    let resent = sent_with_why(steps).into_iter().filter(|(_, w)| **w == Why::TcpRetransmit);
    let resent: Vec<&Packet> = resent.map(|(p, _)| p).collect();
    assert!(!resent.is_empty(), "the scenario retransmits");
    let held =
        steps.iter().filter(|s| matches!(s.cause, Cause::Dropped(_, DropReason::LinkCutHeld)));
    assert_eq!(held.count(), resent.len());
    for p in resent {
        let Body::Failover(m) = &p.body else { panic!("{p:?}") };
        let bytes = wire::encode_failover(m, cfg.start_epoch).unwrap();
        let copies: Vec<&Seg> = first.iter().filter(|s| s.4 == bytes).collect();
        assert_eq!(copies.len(), 2, "sent and sent again: {}", m.name());
        assert_eq!(copies[0].1, copies[1].1, "same sequence number");
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
        effects: vec![Effect::Sent { packet: Box::new(packet), why: Why::Leave }],
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
