//! The recordings of a real ISC dhcpd 4.4.3 pair decode completely with the
//! engine's reader and decoders: every DHCP packet on the bridge and every
//! failover message on TCP 647, with values checked against the recordings.
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use std::net::Ipv4Addr;

use dhcpfo_engine::packet::{BindingUpdate, DhcpType, FailoverMessage};
use dhcpfo_engine::pcap::{self, CapturedFrame, StreamMessage};
use dhcpfo_engine::wire::{self, Frame, MessageType};
use dhcpfo_engine::{BindingState, FailoverState};
use dhcproto::Decodable;
use wire_support::recording;

/// Everything a recording holds, decoded.
struct Decoded {
    dhcp: Vec<(CapturedFrame, dhcpfo_engine::packet::DhcpMessage)>,
    failover: Vec<(StreamMessage, Frame)>,
}

fn decode(name: &str) -> Decoded {
    let frames = pcap::read(&recording(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let dhcp = frames
        .iter()
        .filter(|f| f.is_dhcp())
        .map(|f| {
            let m = wire::decode_dhcp(f.payload())
                .unwrap_or_else(|e| panic!("{name} frame {}: {e}", f.number));
            (f.clone(), m)
        })
        .collect();
    let messages = pcap::failover_messages(&frames).unwrap_or_else(|e| panic!("{name}: {e}"));
    let failover = messages
        .into_iter()
        .map(|m| {
            let frame =
                Frame::decode(&m.bytes).unwrap_or_else(|e| panic!("{name} frame {}: {e}", m.frame));
            (m, frame)
        })
        .collect();
    Decoded { dhcp, failover }
}

/// T0 of each recording: the Unix second its times count from.
const A_RELEASE_T0: u64 = 1_796_397_826;
const A2_EXPIRY_T0: u64 = 1_796_398_679;
const D1_T0: u64 = 1_796_398_001;

const PRIMARY_LINK: Ipv4Addr = Ipv4Addr::new(10, 77, 1, 1);

/// How many failover messages of each type, in type-code order 1 to 12.
fn type_counts(d: &Decoded) -> [usize; 12] {
    let mut counts = [0; 12];
    for (_, frame) in &d.failover {
        counts[usize::from(frame.msg_type.code()) - 1] += 1;
    }
    counts
}

/// Every decoded failover frame re-encodes to the captured bytes, and every
/// BNDUPD and BNDACK converts to the engine's form.
fn check_complete(d: &Decoded, t0: u64) -> Vec<(Ipv4Addr, FailoverMessage)> {
    let mut out = Vec::new();
    for (m, frame) in &d.failover {
        assert_eq!(frame.encode().unwrap(), m.bytes, "frame {}: re-encoding differs", m.frame);
        if matches!(frame.msg_type, MessageType::BndUpd | MessageType::BndAck) {
            let message = wire::message_from_frame(frame, t0)
                .unwrap_or_else(|e| panic!("frame {}: {e}", m.frame));
            out.push((*m.src.ip(), message));
        }
    }
    out
}

/// Each BNDACK answers an earlier BNDUPD from its receiver with the same xid and address.
fn check_acks_echo_updates(d: &Decoded) {
    let mut updates = Vec::new();
    for (m, frame) in &d.failover {
        let key = (m.src, frame.xid, frame.assigned_address());
        match frame.msg_type {
            MessageType::BndUpd => updates.push(key),
            MessageType::BndAck => {
                let wanted = (m.dst, frame.xid, frame.assigned_address());
                assert!(
                    updates.contains(&wanted),
                    "frame {}: BNDACK {:#x} answers no BNDUPD",
                    m.frame,
                    frame.xid
                );
            }
            _ => {}
        }
    }
}

fn ack_lease_times(d: &Decoded) -> Vec<(Ipv4Addr, u32)> {
    d.dhcp
        .iter()
        .filter(|(_, m)| m.message_type == DhcpType::Ack)
        .map(|(_, m)| (m.yiaddr, m.lease_time.expect("an ACK has a lease time")))
        .collect()
}

/// dhcproto reads the real DHCP packets as the engine does.
fn check_dhcproto_agrees(d: &Decoded) {
    for (f, m) in &d.dhcp {
        let other =
            dhcproto::v4::Message::decode(&mut dhcproto::Decoder::new(f.payload())).unwrap();
        assert_eq!((other.xid(), other.yiaddr(), other.ciaddr()), (m.xid, m.yiaddr, m.ciaddr));
        assert_eq!(other.opts().msg_type().map(u8::from), Some(m.message_type.code()));
    }
}

fn update(
    messages: &[(Ipv4Addr, FailoverMessage)],
    address: [u8; 4],
    status: BindingState,
) -> Vec<(&Ipv4Addr, &BindingUpdate)> {
    messages
        .iter()
        .filter_map(|(src, m)| match m {
            FailoverMessage::BndUpd(u)
                if u.address == Ipv4Addr::from(address) && u.status == status =>
            {
                Some((src, u))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_release_decodes_completely() {
    let d = decode("A-release.pcapng");
    assert_eq!(d.dhcp.len(), 14);
    assert_eq!(d.failover.len(), 161);
    // POOLREQ … DISCONNECT: 1 CONNECT, 1 CONNECTACK, 4 UPDREQALL, 2 UPDDONE, 8 STATE, 81 CONTACT.
    assert_eq!(type_counts(&d), [0, 0, 32, 32, 1, 1, 4, 2, 0, 8, 81, 0]);
    let messages = check_complete(&d, A_RELEASE_T0);
    check_acks_echo_updates(&d);
    check_dhcproto_agrees(&d);

    // The primary's BNDUPD after c1's first DHCPACK (reference recording A.1, t = 4.09).
    let active = update(&messages, [10, 77, 0, 105], BindingState::Active);
    let (src, first) = active[0];
    assert_eq!(*src, PRIMARY_LINK);
    assert_eq!(
        (first.lease_expiration, first.potential_expiration, first.start_time_of_state, first.cltt),
        (34, 79, 4, 4)
    );
    assert_eq!(first.hardware, Some("02:77:00:00:00:04".parse().unwrap()));
    assert_eq!(first.time, 4);
    let (_, renewal) = active[1];
    assert_eq!(
        (renewal.lease_expiration, renewal.potential_expiration, renewal.cltt),
        (78, 108, 18)
    );
    let (_, released) = update(&messages, [10, 77, 0, 105], BindingState::Released)[0];
    assert_eq!(
        (
            released.lease_expiration,
            released.potential_expiration,
            released.start_time_of_state,
            released.cltt
        ),
        (26, 26, 18, 18)
    );

    let times = ack_lease_times(&d);
    let c1: Vec<u32> = times
        .iter()
        .filter(|(a, _)| *a == Ipv4Addr::new(10, 77, 0, 105))
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(c1, vec![30, 60]);
    let (_, offer) = &d.dhcp[1];
    assert_eq!(
        (offer.message_type, offer.server_id),
        (DhcpType::Offer, Some(Ipv4Addr::new(10, 77, 0, 1)))
    );
}

#[test]
fn a_release_connect_is_isc_s() {
    let d = decode("A-release.pcapng");
    let (m, connect) = d.failover.iter().find(|(_, f)| f.msg_type == MessageType::Connect).unwrap();
    // Here the secondary opened the connection to the primary's port 647;
    // the primary sends CONNECT whichever side connected (reference notes §4.1).
    assert_eq!(*m.src.ip(), PRIMARY_LINK);
    assert_eq!(m.src.port(), 647);
    assert_eq!(connect.xid, 0);
    assert_eq!(connect.relationship_name(), Some("dfo"));
    assert_eq!(connect.vendor_class(), Some("isc-4.4.3-P1"));
    assert_eq!(
        (connect.mclt(), connect.max_unacked_bndupd(), connect.receive_timer()),
        (Some(30), Some(10), Some(10))
    );
    assert_eq!(connect.hash_bucket_assignment(), Some(&[[0xff; 16], [0; 16]].concat()[..]));
    let codes: Vec<u16> = connect.options.iter().map(|o| o.code()).collect();
    assert_eq!(codes, vec![22, 14, 19, 28, 20, 27, 15, 11]);
    // The first STATE of each side: RECOVER with the STARTUP flag.
    let state = d.failover.iter().find(|(_, f)| f.msg_type == MessageType::State).unwrap();
    assert_eq!(state.1.failover_state(), Some(FailoverState::Recover));
    assert_eq!(state.1.server_flags(), Some(1));
    assert_eq!(u64::from(state.1.start_time_of_state().unwrap()), A_RELEASE_T0 + 1);
    // Reject reason 16 in the start-up dueling updates.
    let refused = d.failover.iter().find(|(_, f)| f.reject_reason().is_some()).unwrap();
    assert_eq!(refused.1.reject_reason(), Some(16));
    assert_eq!(refused.1.message(), Some("incoming update is less critical than outgoing update"));
}

#[test]
fn a2_expiry_decodes_completely() {
    let d = decode("A2-expiry.pcapng");
    assert_eq!(d.dhcp.len(), 9);
    assert_eq!(d.failover.len(), 125);
    assert_eq!(type_counts(&d), [0, 0, 30, 30, 1, 1, 4, 2, 0, 8, 49, 0]);
    let messages = check_complete(&d, A2_EXPIRY_T0);
    check_acks_echo_updates(&d);
    check_dhcproto_agrees(&d);
    // The primary expires both leases, the secondary's with its stale tstp (recording A2, t = 34).
    let (src, stale) = update(&messages, [10, 77, 0, 104], BindingState::Expired)[0];
    assert_eq!(*src, PRIMARY_LINK);
    assert_eq!((stale.lease_expiration, stale.potential_expiration), (34, 1));
    let (_, own) = update(&messages, [10, 77, 0, 105], BindingState::Expired)[0];
    assert_eq!((own.lease_expiration, own.potential_expiration), (34, 79));
    let (_, backup) = update(&messages, [10, 77, 0, 104], BindingState::Backup).pop().unwrap();
    assert_eq!((backup.potential_expiration, backup.start_time_of_state), (36, 36));
}

#[test]
fn d1_no_min_lease_time_decodes_completely() {
    let d = decode("D1-no-min-lease-time.pcapng");
    assert_eq!(d.dhcp.len(), 18);
    assert_eq!(d.failover.len(), 126);
    assert_eq!(type_counts(&d), [0, 0, 34, 34, 1, 1, 4, 2, 0, 8, 42, 0]);
    check_complete(&d, D1_T0);
    check_acks_echo_updates(&d);
    check_dhcproto_agrees(&d);
    // First lease the MCLT, then 120 s: min-lease-time defaults to max-lease-time.
    let c3: Vec<u32> = ack_lease_times(&d)
        .into_iter()
        .filter(|(a, _)| *a == Ipv4Addr::new(10, 77, 0, 105))
        .map(|(_, t)| t)
        .collect();
    assert_eq!(c3, vec![30, 120, 120]);
}

#[test]
fn frames_carry_their_addresses_and_times() {
    let frames = pcap::read(&recording("A-release.pcapng")).unwrap();
    let discover = frames.iter().find(|f| f.number == 17).unwrap();
    assert_eq!(discover.timestamp_us, 1_796_397_830_093_125);
    assert_eq!((discover.src, discover.dst), (Ipv4Addr::UNSPECIFIED, Ipv4Addr::BROADCAST));
    assert_eq!(discover.ports(), (68, 67));
    assert_eq!(discover.src_mac, Some("02:77:00:00:00:04".parse().unwrap()));
    // Failover frames come from a Linux cooked capture: no MACs.
    let connect = frames.iter().find(|f| f.number == 6).unwrap();
    assert_eq!(connect.src_mac, None);
    assert_eq!(connect.ports().0, 647);
}
