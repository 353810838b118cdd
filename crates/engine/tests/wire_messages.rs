//! The connection, state, update-request and pool messages of the engine
//! survive encoding and decoding, go out with the options ISC sends in ISC's
//! order (reference notes §4.4), and match the byte examples of §4.8: the
//! 30-byte STATE NORMAL and the 115-byte CONNECT (split 128, MCLT 3600,
//! window 10, receive timer 60, relationship "dhcp-failover").
#![cfg(not(target_arch = "wasm32"))]

mod wire_support;

use dhcpfo_engine::balance::Hba;
use dhcpfo_engine::failover::FailoverState;
use dhcpfo_engine::packet::{
    Connect, ConnectAck, Control, Disconnect, FailoverMessage, PoolResponse, StateMessage,
};
use dhcpfo_engine::wire::{
    decode_failover, encode_failover, frame_from_message, message_from_frame, FailoverOption as O,
    Frame, MessageType, WireError,
};
use wire_support::{hex, TIME};

/// The scenario start used here: t = 1000 s is the examples' clock, [`TIME`].
const EPOCH: u64 = TIME as u64 - 1000;
/// The engine's clock at [`TIME`].
const NOW: u64 = 1000;

fn connect() -> Connect {
    Connect {
        xid: 0,
        time: NOW,
        name: "dhcp-failover".into(),
        max_unacked: 10,
        receive_timer: 60,
        mclt: 3600,
        hba: Hba::from_split(128).bytes().to_vec(),
    }
}

fn connect_ack(refusal: Option<(u8, &str)>) -> ConnectAck {
    ConnectAck {
        xid: 0,
        time: NOW,
        name: "dhcp-failover".into(),
        max_unacked: 10,
        receive_timer: 60,
        reject_reason: refusal.map(|(r, _)| r),
        message: refusal.map(|(_, t)| t.to_string()),
    }
}

fn state(state: FailoverState, startup: bool) -> StateMessage {
    StateMessage { xid: 3, time: NOW, state, startup, stos: 900 }
}

fn control(xid: u32) -> Control {
    Control { xid, time: NOW }
}

/// One message of every type the engine puts on the wire, and the option
/// codes ISC sends in it, in order.
fn every_engine_message() -> Vec<(FailoverMessage, Vec<u16>)> {
    use FailoverMessage as M;
    let refused = Some((4, "time offset too large: 75s"));
    vec![
        (M::PoolReq(control(7)), vec![]),
        (M::PoolResp(PoolResponse { xid: 7, time: NOW, transferred: 3 }), vec![1]),
        (M::Connect(connect()), vec![22, 14, 19, 28, 20, 27, 15, 11]),
        (M::ConnectAck(connect_ack(None)), vec![22, 14, 19, 28, 20, 26]),
        (M::ConnectAck(connect_ack(refused)), vec![22, 14, 19, 28, 20, 26, 21, 16]),
        (M::UpdReqAll(control(4)), vec![]),
        (M::UpdDone(control(4)), vec![]),
        (M::UpdReq(control(5)), vec![]),
        (M::State(state(FailoverState::Normal, false)), vec![24, 23, 25]),
        (M::State(state(FailoverState::RecoverWait, false)), vec![24, 23, 25]),
        (M::State(state(FailoverState::PartnerDown, true)), vec![24, 23, 25]),
        (
            M::Disconnect(Disconnect {
                xid: 1,
                time: NOW,
                reject_reason: 4,
                message: Some("time offset too large: 75s".into()),
            }),
            vec![21, 16],
        ),
        (
            M::Disconnect(Disconnect { xid: 1, time: NOW, reject_reason: 7, message: None }),
            vec![21],
        ),
    ]
}

#[test]
fn every_engine_message_round_trips_in_isc_option_order() {
    for (message, codes) in every_engine_message() {
        let frame = frame_from_message(&message, EPOCH).unwrap();
        let sent: Vec<u16> = frame.options.iter().map(O::code).collect();
        assert_eq!(sent, codes, "{}: option order", message.name());
        assert_eq!(frame.msg_type.name(), message.name());
        assert_eq!((frame.time, frame.xid), (TIME, message.xid()), "{}", message.name());

        let bytes = encode_failover(&message, EPOCH).unwrap();
        assert_eq!(bytes[3], 12, "{}: payload offset", message.name());
        assert_eq!(usize::from(u16::from_be_bytes([bytes[0], bytes[1]])), bytes.len());
        assert_eq!(decode_failover(&bytes, EPOCH).unwrap(), message, "{}", message.name());
    }
}

#[test]
fn state_normal_is_the_30_byte_example() {
    let stos = u64::from(0x6631_ff9c_u32) - EPOCH;
    let message = FailoverMessage::State(StateMessage {
        xid: 0,
        time: NOW,
        state: FailoverState::Normal,
        startup: false,
        stos,
    });
    let want = hex("00 1e 0a 0c 66 32 00 00 00 00 00 00 | 00 18 00 01 02 | 00 17 00 01 00 \
         | 00 19 00 04 66 31 ff 9c");
    assert_eq!(encode_failover(&message, EPOCH).unwrap(), want);
    assert_eq!(decode_failover(&want, EPOCH).unwrap(), message);
}

#[test]
fn a_state_sent_in_startup_carries_the_saved_state_and_the_flag() {
    let message = FailoverMessage::State(state(FailoverState::Normal, true));
    let frame = frame_from_message(&message, EPOCH).unwrap();
    assert_eq!(frame.server_state(), Some(2));
    assert_eq!(frame.server_flags(), Some(1));
    assert_eq!(frame.start_time_of_state(), Some(TIME - 100));
    let wait = frame_from_message(
        &FailoverMessage::State(state(FailoverState::RecoverWait, false)),
        EPOCH,
    );
    assert_eq!(wait.unwrap().server_state(), Some(254));
    // A stopped server sends nothing, so DOWN has no wire value.
    let down = FailoverMessage::State(state(FailoverState::Down, false));
    assert!(matches!(encode_failover(&down, EPOCH), Err(WireError::NotModelled { .. })));
}

#[test]
fn connect_is_the_115_byte_example() {
    let bytes = encode_failover(&FailoverMessage::Connect(connect()), EPOCH).unwrap();
    assert_eq!(bytes.len(), 115);
    let mut want = hex("00 73 05 0c 66 32 00 00 00 00 00 00");
    want.extend(hex("00 16 00 0d"));
    want.extend(b"dhcp-failover");
    want.extend(hex("00 0e 00 04 00 00 00 0a | 00 13 00 04 00 00 00 3c | 00 1c 00 0c"));
    want.extend(b"isc-4.4.3-P1");
    want.extend(hex("00 14 00 01 01 | 00 1b 00 01 00 | 00 0f 00 04 00 00 0e 10 | 00 0b 00 20"));
    // Split 128: buckets 0 to 127 are the primary's, a set bit each.
    want.extend([0xff; 16]);
    want.extend([0x00; 16]);
    assert_eq!(bytes, want);
}

#[test]
fn connectack_and_disconnect_carry_the_refusal() {
    let ack = FailoverMessage::ConnectAck(connect_ack(Some((8, "unknown relationship"))));
    let frame = Frame::decode(&encode_failover(&ack, EPOCH).unwrap()).unwrap();
    assert_eq!(frame.reject_reason(), Some(8));
    assert_eq!(frame.message(), Some("unknown relationship"));
    assert_eq!(frame.option(26), Some(&O::TlsReply(0)));
    let pool = FailoverMessage::PoolResp(PoolResponse { xid: 9, time: NOW, transferred: 4 });
    let bytes = encode_failover(&pool, EPOCH).unwrap();
    assert_eq!(bytes, hex("00 14 02 0c 66 32 00 00 00 00 00 09 | 00 01 00 04 00 00 00 04"));
    for empty in [control(1)].map(FailoverMessage::UpdReq) {
        assert_eq!(encode_failover(&empty, EPOCH).unwrap().len(), 12);
    }
}

#[test]
fn decoding_refuses_what_isc_refuses() {
    let header = |t| Frame::new(t, TIME, 0);
    let missing = |frame: Frame| match message_from_frame(&frame, EPOCH) {
        Err(WireError::MissingOption { option, .. }) => option,
        other => panic!("{other:?}"),
    };
    // CONNECT without a name, and with only the name.
    let no_name = header(MessageType::Connect).with(O::Mclt(3600));
    assert_eq!(missing(no_name), "relationship-name (22)");
    let only_name = header(MessageType::Connect).with(O::RelationshipName("x".into()));
    assert_eq!(missing(only_name), "max-unacked-bndupd (14)");
    assert_eq!(missing(header(MessageType::State)), "server-state (24)");
    assert_eq!(missing(header(MessageType::Disconnect)), "reject-reason (21)");
    assert_eq!(missing(header(MessageType::PoolResp)), "addresses-transferred (1)");

    // An HBA that is not 32 bytes (ISC: reject reason 18).
    let mut frame = frame_from_message(&FailoverMessage::Connect(connect()), EPOCH).unwrap();
    let Some(O::HashBucketAssignment(hba)) = frame.options.last_mut() else { panic!() };
    hba.pop();
    let err = message_from_frame(&frame, EPOCH).unwrap_err();
    assert!(matches!(err, WireError::BadOptionLength { code: 11, offset: 79, length: 31, .. }));

    // Any repeated option, not only those of BNDUPD.
    let twice = header(MessageType::State).with(O::ServerState(2)).with(O::ServerState(3));
    let err = message_from_frame(&twice, EPOCH).unwrap_err();
    assert_eq!(err, WireError::DuplicateOption { code: 24, offset: 17 });

    // An unknown server state, with the offset of its value.
    let odd = header(MessageType::State).with(O::ServerFlags(0)).with(O::ServerState(12));
    let err = message_from_frame(&odd, EPOCH).unwrap_err();
    assert!(matches!(err, WireError::BadValue { field: "server-state", offset: 21, .. }));

    // CONTACT is valid on the wire but never part of the engine's runs.
    let contact = header(MessageType::Contact);
    assert!(matches!(message_from_frame(&contact, EPOCH), Err(WireError::NotModelled { .. })));
}
