//! The engine's failover messages ([`FailoverMessage`]) as failover frames.
//!
//! The engine counts time in seconds since the scenario start; the wire
//! counts Unix seconds. `start_epoch` (the scenario's t = 0 in Unix seconds)
//! converts between them. A lease time of 0 means "unset" on both sides and
//! stays 0; any other time `t` goes on the wire as `start_epoch + t`. The
//! header time is the sender's clock and is always `start_epoch + time`.
//!
//! Option order is ISC's (`dhcp_failover_send_bind_update`, reference notes
//! §4.4): BNDUPD carries 2 assigned-IP-address, 3 binding-status, 4
//! client-identifier (when known), 5 client-hardware-address (when known), 13
//! lease-expiration-time, 18 potential-expiration-time, 25
//! start-time-of-state and 6 client-last-transaction-time (when not zero);
//! BNDACK carries 2 assigned-IP-address and, on refusal, 21 reject-reason and
//! 16 message.
//!
//! The connection messages follow ISC's option order too: CONNECT 22 name, 14
//! max-unacked, 19 receive-timer, 28 vendor class, 20 version, 27 TLS request,
//! 15 MCLT, 11 HBA; CONNECTACK 22, 14, 19, 28, 20, 26 TLS reply (ISC answers
//! one because its CONNECT always carries a TLS request) and, on refusal, 21
//! and 16; STATE 24 state, 23 flags, 25 STOS; DISCONNECT 21 and 16; POOLRESP
//! 1; POOLREQ, UPDREQ, UPDREQALL and UPDDONE carry no options.
//!
//! The decoder is as strict as ISC's receiver where the model needs a value:
//! any option of draft-12 repeated in one message is refused (ISC treats it
//! as a protocol error); CONNECT must carry the name, window, receive timer,
//! MCLT and a 32-byte HBA, CONNECTACK the name, window and receive timer,
//! STATE the server state, DISCONNECT the reject reason and POOLRESP the
//! number of addresses moved. Options a message type does not use are
//! skipped, as ISC does.
//!
//! Not modelled: option 12 IP-flags (the engine has no reserved or BOOTP
//! leases; the decoder ignores it), hardware types other than Ethernet, and
//! CONTACT, which the engine does not put on the wire (see [`crate::packet`]).

use super::failover::{
    binding_state_from_wire, server_state_from_wire, server_state_to_wire, FailoverOption, Frame,
    MessageType, HEADER_LEN,
};
use super::WireError;
use crate::addr::Mac;
use crate::lease::BindingState;
use crate::packet::{
    BindingAck, BindingUpdate, Connect, ConnectAck, Control, Disconnect, FailoverMessage,
    PoolResponse, StateMessage,
};

/// The vendor class ISC puts in CONNECT and CONNECTACK.
pub const VENDOR_CLASS: &str = "isc-4.4.3-P1";
/// Size of the hash bucket assignment: 256 buckets, one bit each.
pub const HBA_LEN: usize = 32;

/// Encodes a message of the engine, with times made absolute by `start_epoch`.
pub fn encode_failover(message: &FailoverMessage, start_epoch: u64) -> Result<Vec<u8>, WireError> {
    frame_from_message(message, start_epoch)?.encode()
}

/// Decodes any message the engine sends (every type but CONTACT) into the
/// engine's form, times made relative to `start_epoch`.
pub fn decode_failover(bytes: &[u8], start_epoch: u64) -> Result<FailoverMessage, WireError> {
    message_from_frame(&Frame::decode(bytes)?, start_epoch)
}

/// The frame of a message of the engine.
pub fn frame_from_message(message: &FailoverMessage, start_epoch: u64) -> Result<Frame, WireError> {
    let header = |t: MessageType| -> Result<Frame, WireError> {
        Ok(Frame::new(t, header_wire_time(message.time(), start_epoch)?, message.xid()))
    };
    use FailoverOption as O;
    Ok(match message {
        FailoverMessage::BndUpd(update) => return update_frame(update, start_epoch),
        FailoverMessage::BndAck(ack) => return ack_frame(ack, start_epoch),
        FailoverMessage::PoolReq(_) => header(MessageType::PoolReq)?,
        FailoverMessage::UpdReq(_) => header(MessageType::UpdReq)?,
        FailoverMessage::UpdReqAll(_) => header(MessageType::UpdReqAll)?,
        FailoverMessage::UpdDone(_) => header(MessageType::UpdDone)?,
        FailoverMessage::PoolResp(m) => {
            header(MessageType::PoolResp)?.with(O::AddressesTransferred(m.transferred))
        }
        FailoverMessage::Connect(m) => {
            session(header(MessageType::Connect)?, &m.name, m.max_unacked, m.receive_timer)
                .with(O::TlsRequest(0))
                .with(O::Mclt(m.mclt))
                .with(O::HashBucketAssignment(m.hba.clone()))
        }
        FailoverMessage::ConnectAck(m) => {
            let head = header(MessageType::ConnectAck)?;
            let mut f = session(head, &m.name, m.max_unacked, m.receive_timer)
                // ISC's CONNECT always asks about TLS, so its CONNECTACK always answers.
                .with(O::TlsReply(0));
            if let Some(r) = m.reject_reason {
                f.options.push(O::RejectReason(r));
            }
            if let Some(text) = &m.message {
                f.options.push(O::Message(text.clone()));
            }
            f
        }
        FailoverMessage::State(m) => {
            let state = server_state_to_wire(m.state).ok_or_else(|| WireError::NotModelled {
                what: "server state",
                offset: 0,
                detail: format!("{} has no wire value", m.state.name()),
            })?;
            header(MessageType::State)?
                .with(O::ServerState(state))
                .with(O::ServerFlags(u8::from(m.startup)))
                .with(O::StartTimeOfState(wire_time(m.stos, "start-time-of-state", start_epoch)?))
        }
        FailoverMessage::Disconnect(m) => {
            let mut f = header(MessageType::Disconnect)?.with(O::RejectReason(m.reject_reason));
            if let Some(text) = &m.message {
                f.options.push(O::Message(text.clone()));
            }
            f
        }
    })
}

/// The options CONNECT and CONNECTACK open with, in ISC's order: 22 name,
/// 14 max-unacked, 19 receive-timer, 28 vendor class, 20 version.
fn session(frame: Frame, name: &str, max_unacked: u32, receive_timer: u32) -> Frame {
    use FailoverOption as O;
    frame
        .with(O::RelationshipName(name.to_string()))
        .with(O::MaxUnackedBndupd(max_unacked))
        .with(O::ReceiveTimer(receive_timer))
        .with(O::VendorClassIdentifier(VENDOR_CLASS.into()))
        .with(O::ProtocolVersion(1))
}

/// The engine's form of a frame other than BNDUPD and BNDACK.
fn link_message(frame: &Frame, time: u64, start_epoch: u64) -> Result<FailoverMessage, WireError> {
    let xid = frame.xid;
    let control = Control { xid, time };
    let end = options_end(frame);
    let need = |option: &'static str, message: &'static str| missing(message, option, end);
    Ok(match frame.msg_type {
        MessageType::PoolReq => FailoverMessage::PoolReq(control),
        MessageType::UpdReq => FailoverMessage::UpdReq(control),
        MessageType::UpdReqAll => FailoverMessage::UpdReqAll(control),
        MessageType::UpdDone => FailoverMessage::UpdDone(control),
        MessageType::PoolResp => FailoverMessage::PoolResp(PoolResponse {
            xid,
            time,
            transferred: frame
                .addresses_transferred()
                .ok_or_else(|| need("addresses-transferred (1)", "POOLRESP"))?,
        }),
        MessageType::Connect => FailoverMessage::Connect(Connect {
            xid,
            time,
            name: name(frame, "CONNECT")?,
            max_unacked: max_unacked(frame, "CONNECT")?,
            receive_timer: receive_timer(frame, "CONNECT")?,
            mclt: frame.mclt().ok_or_else(|| need("MCLT (15)", "CONNECT"))?,
            hba: hba(frame)?,
        }),
        MessageType::ConnectAck => FailoverMessage::ConnectAck(ConnectAck {
            xid,
            time,
            name: name(frame, "CONNECTACK")?,
            max_unacked: max_unacked(frame, "CONNECTACK")?,
            receive_timer: receive_timer(frame, "CONNECTACK")?,
            reject_reason: frame.reject_reason(),
            message: frame.message().map(str::to_string),
        }),
        MessageType::State => FailoverMessage::State(StateMessage {
            xid,
            time,
            state: frame
                .server_state()
                .map(|v| {
                    server_state_from_wire(v).ok_or(WireError::BadValue {
                        field: "server-state",
                        offset: option_offset(frame, 24) + 4,
                        value: v.into(),
                        expected: "a draft-12 failover state (1 to 11, or ISC's 254)",
                    })
                })
                .transpose()?
                .ok_or_else(|| need("server-state (24)", "STATE"))?,
            startup: frame.server_flags().unwrap_or(0) & 1 == 1,
            stos: lease_time(frame.start_time_of_state(), "start-time-of-state", start_epoch)?,
        }),
        MessageType::Disconnect => FailoverMessage::Disconnect(Disconnect {
            xid,
            time,
            reject_reason: frame
                .reject_reason()
                .ok_or_else(|| need("reject-reason (21)", "DISCONNECT"))?,
            message: frame.message().map(str::to_string),
        }),
        other => {
            return Err(WireError::NotModelled {
                what: "message type",
                offset: 2,
                detail: format!(
                    "{} ({}); the engine does not put it on the wire",
                    other.name(),
                    other.code()
                ),
            })
        }
    })
}

fn name(frame: &Frame, message: &'static str) -> Result<String, WireError> {
    let name = frame.relationship_name();
    let name =
        name.ok_or_else(|| missing(message, "relationship-name (22)", options_end(frame)))?;
    Ok(name.to_string())
}

fn max_unacked(frame: &Frame, message: &'static str) -> Result<u32, WireError> {
    let end = options_end(frame);
    frame.max_unacked_bndupd().ok_or_else(|| missing(message, "max-unacked-bndupd (14)", end))
}

fn receive_timer(frame: &Frame, message: &'static str) -> Result<u32, WireError> {
    let end = options_end(frame);
    frame.receive_timer().ok_or_else(|| missing(message, "receive-timer (19)", end))
}

/// The HBA of a CONNECT: ISC refuses one that is not exactly 32 bytes (reject reason 18).
fn hba(frame: &Frame) -> Result<Vec<u8>, WireError> {
    let end = options_end(frame);
    let hba = frame
        .hash_bucket_assignment()
        .ok_or_else(|| missing("CONNECT", "hash-bucket-assignment (11)", end))?;
    if hba.len() != HBA_LEN {
        return Err(WireError::BadOptionLength {
            code: 11,
            offset: option_offset(frame, 11),
            length: hba.len(),
            expected: "must be 32 bytes, one bit per hash bucket (RFC 3074)",
        });
    }
    Ok(hba.to_vec())
}

/// Where the options of `frame` end once encoded.
fn options_end(frame: &Frame) -> usize {
    HEADER_LEN + frame.options.iter().map(|o| 4 + o.value_bytes().len()).sum::<usize>()
}

/// Where the first option with `code` starts once encoded.
fn option_offset(frame: &Frame, code: u16) -> usize {
    let before = frame.options.iter().take_while(|o| o.code() != code);
    HEADER_LEN + before.map(|o| 4 + o.value_bytes().len()).sum::<usize>()
}

/// The engine's form of a frame of any type the engine sends.
///
/// Fails on CONTACT (which the engine keeps off the wire), on a missing
/// option the model needs (see the module doc), on any draft-12 option
/// repeated, on values the model cannot hold, and on times before the
/// scenario start.
pub fn message_from_frame(frame: &Frame, start_epoch: u64) -> Result<FailoverMessage, WireError> {
    let options = ModelOptions::collect(frame)?;
    let time = header_time(frame.time, start_epoch)?;
    if !matches!(frame.msg_type, MessageType::BndUpd | MessageType::BndAck) {
        return link_message(frame, time, start_epoch);
    }
    let address = |message| match options.address {
        Some(address) => Ok(address),
        None => Err(missing(message, "assigned-IP-address (2)", options.end)),
    };
    match frame.msg_type {
        MessageType::BndUpd => Ok(FailoverMessage::BndUpd(BindingUpdate {
            xid: frame.xid,
            time,
            address: address("BNDUPD")?,
            status: options
                .status
                .ok_or_else(|| missing("BNDUPD", "binding-status (3)", options.end))?,
            client_id: options.client_id,
            hardware: options.hardware,
            lease_expiration: lease_time(options.ends, "lease-expiration-time", start_epoch)?,
            potential_expiration: lease_time(
                options.tstp,
                "potential-expiration-time",
                start_epoch,
            )?,
            start_time_of_state: lease_time(options.starts, "start-time-of-state", start_epoch)?,
            cltt: lease_time(options.cltt, "client-last-transaction-time", start_epoch)?,
        })),
        MessageType::BndAck => Ok(FailoverMessage::BndAck(BindingAck {
            xid: frame.xid,
            time,
            address: address("BNDACK")?,
            reject_reason: options.reject_reason,
            message: options.message,
        })),
        _ => link_message(frame, time, start_epoch),
    }
}

fn update_frame(u: &BindingUpdate, start_epoch: u64) -> Result<Frame, WireError> {
    let time = header_wire_time(u.time, start_epoch)?;
    let mut frame = Frame::new(MessageType::BndUpd, time, u.xid)
        .with(FailoverOption::AssignedIpAddress(u.address))
        .with(FailoverOption::BindingStatus(u.status.wire_value()));
    if let Some(id) = &u.client_id {
        frame.options.push(FailoverOption::ClientIdentifier(id.clone()));
    }
    if let Some(mac) = u.hardware {
        let address = mac.0.to_vec();
        frame.options.push(FailoverOption::ClientHardwareAddress { htype: 1, address });
    }
    let times = [
        (u.lease_expiration, "lease-expiration-time"),
        (u.potential_expiration, "potential-expiration-time"),
        (u.start_time_of_state, "start-time-of-state"),
    ];
    let [ends, tstp, starts] = times.map(|(t, field)| wire_time(t, field, start_epoch));
    frame.options.push(FailoverOption::LeaseExpirationTime(ends?));
    frame.options.push(FailoverOption::PotentialExpirationTime(tstp?));
    frame.options.push(FailoverOption::StartTimeOfState(starts?));
    // ISC leaves cltt out when it is zero (reference notes §4.3).
    if u.cltt != 0 {
        let cltt = wire_time(u.cltt, "client-last-transaction-time", start_epoch)?;
        frame.options.push(FailoverOption::ClientLastTransactionTime(cltt));
    }
    Ok(frame)
}

fn ack_frame(a: &BindingAck, start_epoch: u64) -> Result<Frame, WireError> {
    let time = header_wire_time(a.time, start_epoch)?;
    let mut frame = Frame::new(MessageType::BndAck, time, a.xid)
        .with(FailoverOption::AssignedIpAddress(a.address));
    if let Some(reason) = a.reject_reason {
        frame.options.push(FailoverOption::RejectReason(reason));
    }
    if let Some(text) = &a.message {
        frame.options.push(FailoverOption::Message(text.clone()));
    }
    Ok(frame)
}

/// The options the engine's model keeps, each found at most once.
#[derive(Default)]
struct ModelOptions {
    address: Option<std::net::Ipv4Addr>,
    status: Option<BindingState>,
    client_id: Option<Vec<u8>>,
    hardware: Option<Mac>,
    ends: Option<u32>,
    tstp: Option<u32>,
    starts: Option<u32>,
    cltt: Option<u32>,
    reject_reason: Option<u8>,
    message: Option<String>,
    /// Where the options end in the encoded message.
    end: usize,
}

impl ModelOptions {
    fn collect(frame: &Frame) -> Result<ModelOptions, WireError> {
        let mut found = ModelOptions { end: HEADER_LEN, ..ModelOptions::default() };
        // Bit n: option code n seen (draft-12 defines 1 to 29).
        let mut seen = 0u32;
        for option in &frame.options {
            let offset = found.end;
            found.end += 4 + option.value_bytes().len();
            let code = option.code();
            let bit = if (1..=29).contains(&code) { 1u32 << code } else { 0 };
            let fresh = found.set(option, offset)? && seen & bit == 0;
            seen |= bit;
            // ISC treats a repeated option as a protocol error (reference notes §4.2).
            if !fresh {
                return Err(WireError::DuplicateOption { code: option.code(), offset });
            }
        }
        Ok(found)
    }

    /// Stores one option; false if it was already there. Options outside the model are skipped.
    fn set(&mut self, option: &FailoverOption, offset: usize) -> Result<bool, WireError> {
        use FailoverOption as O;
        Ok(match option {
            O::AssignedIpAddress(a) => self.address.replace(*a).is_none(),
            O::BindingStatus(v) => self.status.replace(status(*v, offset)?).is_none(),
            O::ClientIdentifier(id) => self.client_id.replace(id.clone()).is_none(),
            O::ClientHardwareAddress { htype, address } => {
                self.hardware.replace(ethernet(*htype, address, offset)?).is_none()
            }
            O::LeaseExpirationTime(t) => self.ends.replace(*t).is_none(),
            O::PotentialExpirationTime(t) => self.tstp.replace(*t).is_none(),
            O::StartTimeOfState(t) => self.starts.replace(*t).is_none(),
            O::ClientLastTransactionTime(t) => self.cltt.replace(*t).is_none(),
            O::RejectReason(r) => self.reject_reason.replace(*r).is_none(),
            O::Message(text) => self.message.replace(text.clone()).is_none(),
            _ => true,
        })
    }
}

fn status(value: u8, offset: usize) -> Result<BindingState, WireError> {
    binding_state_from_wire(value).ok_or(WireError::BadValue {
        field: "binding-status",
        offset: offset + 4,
        value: value.into(),
        expected: "must be 1 (FREE) to 7 (BACKUP) (draft-12 §12.3)",
    })
}

fn ethernet(htype: u8, address: &[u8], offset: usize) -> Result<Mac, WireError> {
    match (htype, <[u8; 6]>::try_from(address)) {
        (1, Ok(mac)) => Ok(Mac(mac)),
        _ => Err(WireError::NotModelled {
            what: "client-hardware-address",
            offset,
            detail: format!("hardware type {htype} with {} address bytes", address.len()),
        }),
    }
}

fn missing(message: &'static str, option: &'static str, offset: usize) -> WireError {
    WireError::MissingOption { message, option, offset }
}

/// A lease time of the engine on the wire: 0 stays 0 (unset).
fn wire_time(seconds: u64, field: &'static str, start_epoch: u64) -> Result<u32, WireError> {
    if seconds == 0 {
        return Ok(0);
    }
    header_wire_time(seconds, start_epoch).map_err(|_| WireError::TimeOutOfRange {
        field,
        value: seconds,
        expected: "the scenario start plus this many seconds must fit a 32-bit Unix time",
    })
}

/// The sender's clock on the wire: `start_epoch + seconds`.
fn header_wire_time(seconds: u64, start_epoch: u64) -> Result<u32, WireError> {
    start_epoch.checked_add(seconds).and_then(|t| u32::try_from(t).ok()).ok_or(
        WireError::TimeOutOfRange {
            field: "header time",
            value: seconds,
            expected: "the scenario start plus this many seconds must fit a 32-bit Unix time",
        },
    )
}

/// A lease time from the wire: 0 (or absent) stays 0.
fn lease_time(wire: Option<u32>, field: &'static str, start_epoch: u64) -> Result<u64, WireError> {
    match wire {
        None | Some(0) => Ok(0),
        Some(t) => relative(t, field, start_epoch),
    }
}

fn header_time(wire: u32, start_epoch: u64) -> Result<u64, WireError> {
    relative(wire, "header time", start_epoch)
}

fn relative(wire: u32, field: &'static str, start_epoch: u64) -> Result<u64, WireError> {
    u64::from(wire).checked_sub(start_epoch).ok_or(WireError::TimeOutOfRange {
        field,
        value: wire.into(),
        expected: "a Unix time before the scenario start cannot be expressed in scenario time",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const EPOCH: u64 = 1_796_397_826;

    fn update() -> BindingUpdate {
        BindingUpdate {
            xid: 0x16,
            time: 4,
            address: Ipv4Addr::new(10, 77, 0, 105),
            status: BindingState::Active,
            client_id: None,
            hardware: Some(Mac([2, 0x77, 0, 0, 0, 4])),
            lease_expiration: 34,
            potential_expiration: 79,
            start_time_of_state: 4,
            cltt: 4,
        }
    }

    #[test]
    fn a_bndupd_goes_out_in_isc_order_with_absolute_times() {
        let message = FailoverMessage::BndUpd(update());
        let frame = frame_from_message(&message, EPOCH).unwrap();
        let codes: Vec<u16> = frame.options.iter().map(FailoverOption::code).collect();
        assert_eq!(codes, vec![2, 3, 5, 13, 18, 25, 6]);
        assert_eq!(frame.lease_expiration_time(), Some(1_796_397_860));
        assert_eq!(frame.potential_expiration_time(), Some(1_796_397_905));
        assert_eq!(frame.time, 1_796_397_830);
        let bytes = frame.encode().unwrap();
        assert_eq!(decode_failover(&bytes, EPOCH).unwrap(), message);
    }

    #[test]
    fn zero_times_stay_zero_and_early_times_are_refused() {
        let mut u = update();
        (u.lease_expiration, u.cltt) = (0, 0);
        let frame = frame_from_message(&FailoverMessage::BndUpd(u.clone()), EPOCH).unwrap();
        assert_eq!(frame.lease_expiration_time(), Some(0));
        assert_eq!(frame.client_last_transaction_time(), None);
        let back = message_from_frame(&frame, EPOCH).unwrap();
        assert_eq!(back, FailoverMessage::BndUpd(u));
        let err = message_from_frame(&frame, EPOCH + 100).unwrap_err();
        assert!(matches!(err, WireError::TimeOutOfRange { field: "header time", .. }));
        let far = FailoverMessage::BndUpd(BindingUpdate { time: u64::MAX, ..update() });
        assert!(encode_failover(&far, EPOCH).is_err());
    }

    #[test]
    fn repeated_and_missing_options_are_refused() {
        let frame = Frame::new(MessageType::BndAck, EPOCH as u32, 1)
            .with(FailoverOption::AssignedIpAddress(Ipv4Addr::LOCALHOST))
            .with(FailoverOption::AssignedIpAddress(Ipv4Addr::LOCALHOST));
        let err = message_from_frame(&frame, EPOCH).unwrap_err();
        assert_eq!(err, WireError::DuplicateOption { code: 2, offset: 20 });
        let frame = Frame::new(MessageType::BndUpd, EPOCH as u32, 1)
            .with(FailoverOption::AssignedIpAddress(Ipv4Addr::LOCALHOST));
        let err = message_from_frame(&frame, EPOCH).unwrap_err();
        assert_eq!(
            err.to_string(),
            "BNDUPD has no binding-status (3) option (options end at byte 20)"
        );
        let frame = Frame::new(MessageType::Contact, EPOCH as u32, 1);
        assert!(matches!(message_from_frame(&frame, EPOCH), Err(WireError::NotModelled { .. })));
    }
}
