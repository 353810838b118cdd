//! Byte-exact failover encodings: the example messages of the reference
//! notes §4.8 (time 0x66320000, relationship "dhcp-failover"), built both as
//! raw frames and, for BNDUPD and BNDACK, from the engine's typed messages.
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use std::net::Ipv4Addr;

use dhcpfo_engine::addr::Mac;
use dhcpfo_engine::packet::{BindingAck, BindingUpdate, FailoverMessage};
use dhcpfo_engine::wire::{
    decode_failover, encode_failover, FailoverOption as O, Frame, MessageType,
};
use dhcpfo_engine::BindingState;
use wire_support::{every_message_type, hex, TIME};

#[test]
fn state_normal_is_30_bytes() {
    let frame = Frame::new(MessageType::State, TIME, 0)
        .with(O::ServerState(2))
        .with(O::ServerFlags(0))
        .with(O::StartTimeOfState(0x6631_ff9c));
    let want = hex("00 1e 0a 0c 66 32 00 00 00 00 00 00 | 00 18 00 01 02 | 00 17 00 01 00 \
         | 00 19 00 04 66 31 ff 9c");
    assert_eq!(frame.encode().unwrap(), want);
    assert_eq!(Frame::decode(&want).unwrap(), frame);
}

#[test]
fn bndack_is_20_bytes_from_a_frame_and_from_the_engine() {
    let want = hex("00 14 04 0c 66 32 00 00 00 00 00 01 | 00 02 00 04 0a 00 00 32");
    let frame = Frame::new(MessageType::BndAck, TIME, 1)
        .with(O::AssignedIpAddress(Ipv4Addr::new(10, 0, 0, 50)));
    assert_eq!(frame.encode().unwrap(), want);

    // The same message from the engine: t = 1000 s after a start 1000 s before TIME.
    let epoch = u64::from(TIME) - 1000;
    let ack = FailoverMessage::BndAck(BindingAck {
        xid: 1,
        time: 1000,
        address: Ipv4Addr::new(10, 0, 0, 50),
        reject_reason: None,
        message: None,
    });
    assert_eq!(encode_failover(&ack, epoch).unwrap(), want);
    assert_eq!(decode_failover(&want, epoch).unwrap(), ack);
}

#[test]
fn contact_is_12_bytes() {
    let want = hex("00 0c 0b 0c 66 32 00 00 00 00 00 07");
    assert_eq!(Frame::new(MessageType::Contact, TIME, 7).encode().unwrap(), want);
    assert_eq!(Frame::decode(&want).unwrap().msg_type, MessageType::Contact);
}

#[test]
fn connect_is_115_bytes_in_isc_order() {
    // split 128: the first 128 buckets (the primary's) have their bit set.
    let hba: Vec<u8> = [vec![0xff; 16], vec![0; 16]].concat();
    let frame = Frame::new(MessageType::Connect, TIME, 0)
        .with(O::RelationshipName("dhcp-failover".into()))
        .with(O::MaxUnackedBndupd(10))
        .with(O::ReceiveTimer(60))
        .with(O::VendorClassIdentifier("isc-4.4.3-P1".into()))
        .with(O::ProtocolVersion(1))
        .with(O::TlsRequest(0))
        .with(O::Mclt(3600))
        .with(O::HashBucketAssignment(hba.clone()));
    let bytes = frame.encode().unwrap();
    assert_eq!(bytes.len(), 115);
    assert_eq!(&bytes[..4], &[0, 115, 5, 12]);
    assert_eq!(&bytes[12..16], &[0, 22, 0, 13]);
    assert_eq!(&bytes[79..83], &[0, 11, 0, 32]);
    let back = Frame::decode(&bytes).unwrap();
    assert_eq!(back, frame);
    assert_eq!(back.relationship_name(), Some("dhcp-failover"));
    assert_eq!(back.mclt(), Some(3600));
    assert_eq!(back.hash_bucket_assignment(), Some(&hba[..]));
}

#[test]
fn bndupd_released_with_client_id_and_four_times_is_79_bytes() {
    let epoch = u64::from(TIME) - 5000;
    let update = BindingUpdate {
        xid: 2,
        time: 5000,
        address: Ipv4Addr::new(10, 0, 0, 50),
        status: BindingState::Released,
        client_id: Some(vec![0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55]),
        hardware: Some(Mac([0x00, 0x11, 0x22, 0x33, 0x44, 0x55])),
        lease_expiration: 5000,
        potential_expiration: 5000,
        start_time_of_state: 4000,
        cltt: 4000,
    };
    let message = FailoverMessage::BndUpd(update);
    let bytes = encode_failover(&message, epoch).unwrap();
    let want = hex("00 4f 03 0c 66 32 00 00 00 00 00 02 \
         | 00 02 00 04 0a 00 00 32 | 00 03 00 01 04 \
         | 00 04 00 07 01 00 11 22 33 44 55 | 00 05 00 07 01 00 11 22 33 44 55 \
         | 00 0d 00 04 66 32 00 00 | 00 12 00 04 66 32 00 00 \
         | 00 19 00 04 66 31 fc 18 | 00 06 00 04 66 31 fc 18");
    assert_eq!(bytes.len(), 79);
    assert_eq!(bytes, want);
    assert_eq!(decode_failover(&bytes, epoch).unwrap(), message);
    let frame = Frame::decode(&bytes).unwrap();
    assert_eq!(frame.binding_state(), Some(BindingState::Released));
    assert_eq!(
        frame.client_hardware_address(),
        Some((1, &[0x00, 0x11, 0x22, 0x33, 0x44, 0x55][..]))
    );
}

#[test]
fn all_twelve_message_types_round_trip() {
    let frames = every_message_type();
    for (frame, code) in frames.iter().zip(1u8..) {
        let bytes = frame.encode().unwrap();
        assert_eq!(bytes[2], code, "{}", frame.msg_type.name());
        assert_eq!(usize::from(u16::from_be_bytes([bytes[0], bytes[1]])), bytes.len());
        assert_eq!(Frame::decode(&bytes).unwrap(), *frame);
    }
    let stream: Vec<u8> = frames.iter().flat_map(|f| f.encode().unwrap()).collect();
    let (messages, rest) = dhcpfo_engine::wire::failover::split_stream(&stream).unwrap();
    assert_eq!((messages.len(), rest), (12, 0));
    let disconnect = Frame::decode(messages[11]).unwrap();
    assert_eq!(disconnect.reject_reason(), Some(7));
    assert_eq!(disconnect.message(), Some("duplicate connection"));
    let state = Frame::decode(messages[9]).unwrap();
    assert_eq!(state.failover_state(), Some(dhcpfo_engine::FailoverState::RecoverWait));
}
