//! The decoders never panic: not on random bytes, not on valid packets with
//! bytes changed, cut or added. And typed values survive encoding: random
//! DHCP messages, failover frames of every type and the engine's BNDUPD and
//! BNDACK come back equal after a round trip.
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use std::net::Ipv4Addr;
use std::sync::OnceLock;

use dhcpfo_engine::addr::Mac;
use dhcpfo_engine::packet::{BindingAck, BindingUpdate, DhcpMessage, DhcpType, FailoverMessage};
use dhcpfo_engine::pcap;
use dhcpfo_engine::wire::failover::split_stream;
use dhcpfo_engine::wire::{self, net, FailoverOption, Frame, MessageType};
use dhcpfo_engine::BindingState;
use proptest::prelude::*;
use wire_support::{builtin_runs, recording};

/// Feeds `bytes` to every decoder; none may panic.
fn decode_everything(bytes: &[u8]) {
    let _ = wire::decode_dhcp(bytes);
    let _ = Frame::decode(bytes);
    let _ = wire::decode_failover(bytes, 1_000_000_000);
    let _ = split_stream(bytes);
    let _ = net::parse_ethernet(bytes);
    let _ = net::parse_ipv4(bytes);
    let _ = net::parse_udp(bytes);
    let _ = net::parse_tcp(bytes);
    if let Ok(frames) = pcap::read(bytes) {
        let _ = pcap::failover_messages(&frames);
    }
}

/// Valid inputs to start mutations from: a DHCP packet, a BNDUPD, a capture of
/// a built-in, and the real capture's first few kilobytes.
fn seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let (_, cfg, timeline) = builtin_runs().into_iter().find(|r| r.0 == "isc-release").unwrap();
        let capture = pcap::capture(&cfg, timeline.steps()).unwrap();
        let frames = pcap::read(&capture).unwrap();
        let dhcp = frames.iter().find(|f| f.is_dhcp()).unwrap().payload().to_vec();
        let failover = pcap::failover_messages(&frames).unwrap()[0].bytes.clone();
        let real = recording("A-release.pcapng");
        vec![dhcp, failover, capture[..2000].to_vec(), real[..4000].to_vec()]
    })
}

/// A change to a valid input: overwrite some bytes, then cut or extend it.
#[derive(Clone, Debug)]
struct Mutation {
    seed: usize,
    writes: Vec<(usize, u8)>,
    cut: Option<usize>,
    tail: Vec<u8>,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let writes = prop::collection::vec((any::<usize>(), any::<u8>()), 0..6);
    let tail = prop::collection::vec(any::<u8>(), 0..8);
    (0..4usize, writes, prop::option::of(any::<usize>()), tail)
        .prop_map(|(seed, writes, cut, tail)| Mutation { seed, writes, cut, tail })
}

fn apply(m: &Mutation) -> Vec<u8> {
    let mut bytes = seeds()[m.seed].clone();
    for (at, value) in &m.writes {
        let index = at % bytes.len();
        bytes[index] = *value;
    }
    if let Some(cut) = m.cut {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes.extend_from_slice(&m.tail);
    bytes
}

fn address() -> impl Strategy<Value = Ipv4Addr> {
    any::<u32>().prop_map(Ipv4Addr::from)
}

fn seconds() -> impl Strategy<Value = Option<u32>> {
    prop::option::of(any::<u32>())
}

fn dhcp_type() -> impl Strategy<Value = DhcpType> {
    (1u8..=8).prop_map(|code| wire::dhcp::dhcp_type_from_code(code).unwrap())
}

prop_compose! {
    fn dhcp_message()(
        op in 1u8..=2, xid in any::<u32>(), secs in any::<u16>(), flags in any::<u16>(),
        addresses in [address(), address(), address(), address()],
        mac in any::<[u8; 6]>(), message_type in dhcp_type(),
        ids in (prop::option::of(address()), prop::option::of(address())),
        times in [seconds(), seconds(), seconds()],
        client_id in prop::option::of(prop::collection::vec(any::<u8>(), 0..600)),
    ) -> DhcpMessage {
        let [ciaddr, yiaddr, siaddr, giaddr] = addresses;
        DhcpMessage {
            op, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr: Mac(mac), message_type,
            server_id: ids.0, requested_address: ids.1,
            lease_time: times[0], renewal_time: times[1], rebinding_time: times[2], client_id,
        }
    }
}

fn binding_state() -> impl Strategy<Value = BindingState> {
    (1u8..=7).prop_map(|v| wire::failover::binding_state_from_wire(v).unwrap())
}

/// A scenario start and a relative time that fit the 32-bit wire clock together.
fn epoch_and_times() -> impl Strategy<Value = (u64, [u64; 5])> {
    (0u64..=4_000_000_000).prop_flat_map(|epoch| {
        let room = u64::from(u32::MAX) - epoch;
        (Just(epoch), [0..=room, 0..=room, 0..=room, 0..=room, 0..=room])
    })
}

prop_compose! {
    fn failover_message()(
        (epoch, times) in epoch_and_times(), xid in any::<u32>(), address in address(),
        status in binding_state(), is_update in any::<bool>(),
        client_id in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
        hardware in prop::option::of(any::<[u8; 6]>()),
        refusal in prop::option::of((any::<u8>(), ".{0,30}")),
    ) -> (u64, FailoverMessage) {
        let [time, ends, tstp, starts, cltt] = times;
        let message = if is_update {
            FailoverMessage::BndUpd(BindingUpdate {
                xid, time, address, status, client_id, hardware: hardware.map(Mac),
                lease_expiration: ends, potential_expiration: tstp,
                start_time_of_state: starts, cltt,
            })
        } else {
            let (reject_reason, message) =
                refusal.map_or((None, None), |(r, m)| (Some(r), Some(m)));
            FailoverMessage::BndAck(BindingAck { xid, time, address, reject_reason, message })
        };
        (epoch, message)
    }
}

/// Any option, with a value its code allows.
fn failover_option() -> impl Strategy<Value = FailoverOption> {
    let bytes = prop::collection::vec(any::<u8>(), 0..40);
    (1u16..=40, any::<u32>(), ".{0,20}", bytes).prop_map(|(code, number, text, bytes)| {
        let value: Vec<u8> = match code {
            1 | 2 | 6 | 13 | 14 | 15 | 18 | 19 | 25 => number.to_be_bytes().to_vec(),
            12 => number.to_be_bytes()[..2].to_vec(),
            3 | 10 | 20 | 21 | 23 | 24 | 26 | 27 => vec![number as u8],
            5 => [&[1u8][..], &bytes].concat(),
            16 | 22 | 28 => text.into_bytes(),
            _ => bytes,
        };
        FailoverOption::decode(code, &value, 12).expect("a value the code allows")
    })
}

prop_compose! {
    fn frame()(
        type_index in 0usize..12, time in any::<u32>(), xid in any::<u32>(),
        options in prop::collection::vec(failover_option(), 0..10),
    ) -> Frame {
        Frame { msg_type: MessageType::ALL[type_index], time, xid, options }
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        decode_everything(&bytes);
    }

    #[test]
    fn random_bytes_after_a_valid_header_never_panic(
        tail in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        for seed in seeds() {
            let keep = seed.len().min(240);
            decode_everything(&[&seed[..keep], &tail].concat());
        }
    }

    #[test]
    fn mutated_valid_packets_never_panic(m in mutation()) {
        decode_everything(&apply(&m));
    }

    #[test]
    fn dhcp_messages_round_trip(m in dhcp_message()) {
        let bytes = wire::encode_dhcp(&m);
        prop_assert!(bytes.len() >= wire::dhcp::BOOTP_MINIMUM);
        prop_assert_eq!(wire::decode_dhcp(&bytes).unwrap(), m);
    }

    #[test]
    fn failover_frames_round_trip(frame in frame()) {
        let bytes = frame.encode().unwrap();
        prop_assert_eq!(Frame::decode(&bytes).unwrap(), frame);
    }

    #[test]
    fn engine_failover_messages_round_trip((epoch, message) in failover_message()) {
        let bytes = wire::encode_failover(&message, epoch).unwrap();
        prop_assert_eq!(wire::decode_failover(&bytes, epoch).unwrap(), message);
    }
}
