//! Helpers shared by the wire and pcap tests: the built-in runs and their packets.
#![cfg(not(target_arch = "wasm32"))]
#![allow(dead_code)]

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::Arc;

use dhcpfo_engine::scenario::{builtin, Config, BUILTINS};
use dhcpfo_engine::trace::Effect;
use dhcpfo_engine::wire::{FailoverOption as O, Frame, MessageType};
use dhcpfo_engine::{Packet, Timeline};

/// Every built-in scenario, validated and run to its end.
pub fn builtin_runs() -> Vec<(&'static str, Arc<Config>, Timeline)> {
    BUILTINS
        .iter()
        .map(|b| {
            let cfg =
                builtin(b.name).expect("built-in parses").validate().expect("built-in is valid");
            let timeline = Timeline::run(cfg.clone());
            (b.name, cfg, timeline)
        })
        .collect()
}

/// Every packet a run sent, in order.
pub fn sent_packets(t: &Timeline) -> Vec<&Packet> {
    t.steps()
        .iter()
        .flat_map(|s| &s.effects)
        .filter_map(|e| match e {
            Effect::Sent { packet, .. } => Some(&**packet),
            _ => None,
        })
        .collect()
}

/// A file of the recordings of a real ISC dhcpd pair.
pub fn recording(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses hex text, ignoring spaces and `|` separators.
pub fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<char> = text.chars().filter(char::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(&pair.iter().collect::<String>(), 16).expect("hex"))
        .collect()
}

/// The sender's clock in the example messages of the reference notes §4.8.
pub const TIME: u32 = 0x6632_0000;

/// One message of each of the twelve types, with the options ISC puts in it
/// (reference notes §4.4).
pub fn every_message_type() -> Vec<Frame> {
    let address = O::AssignedIpAddress(Ipv4Addr::new(10, 0, 0, 50));
    let name = O::RelationshipName("dhcp-failover".into());
    let refusal = [O::RejectReason(7), O::Message("duplicate connection".into())];
    let frame = |t, xid| Frame::new(t, TIME, xid);
    vec![
        frame(MessageType::PoolReq, 1),
        frame(MessageType::PoolResp, 1).with(O::AddressesTransferred(5)),
        frame(MessageType::BndUpd, 2)
            .with(address.clone())
            .with(O::BindingStatus(2))
            .with(O::LeaseExpirationTime(TIME + 30))
            .with(O::PotentialExpirationTime(TIME + 75))
            .with(O::StartTimeOfState(TIME))
            .with(O::ClientLastTransactionTime(TIME))
            .with(O::IpFlags(0x0002)),
        frame(MessageType::BndAck, 2).with(address),
        frame(MessageType::Connect, 0).with(name.clone()).with(O::Mclt(3600)),
        frame(MessageType::ConnectAck, 0)
            .with(name)
            .with(O::MaxUnackedBndupd(10))
            .with(O::ReceiveTimer(60))
            .with(O::VendorClassIdentifier("isc-4.4.3-P1".into()))
            .with(O::ProtocolVersion(1))
            .with(O::TlsReply(0)),
        frame(MessageType::UpdReqAll, 3),
        frame(MessageType::UpdDone, 3),
        frame(MessageType::UpdReq, 4),
        frame(MessageType::State, 5).with(O::ServerState(254)).with(O::ServerFlags(0)),
        frame(MessageType::Contact, 6),
        Frame { options: refusal.to_vec(), ..frame(MessageType::Disconnect, 7) },
    ]
}
