//! Failover messages as bytes, as draft-ietf-dhc-failover-12 defines them and
//! ISC dhcpd 4.4 sends them over TCP port 647.
//!
//! A message is a 12-byte header (draft-12 §6.1) and a list of options, each
//! a 2-byte code, a 2-byte length and a value (§6.2). Header fields, all
//! big-endian:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 2 | message length, these two bytes included |
//! | 2 | 1 | message type, 1 to 12 |
//! | 3 | 1 | payload offset: where the options start, 12 as ISC sends it |
//! | 4 | 4 | time: the sender's clock, Unix seconds |
//! | 8 | 4 | xid |
//!
//! [`Frame`] is the decoded form of any of the twelve message types, with
//! every option code of draft-12 §12 (1 to 29) typed as ISC encodes it;
//! unknown codes are kept as [`FailoverOption::Unknown`]. [`split_stream`]
//! cuts one direction of the TCP byte stream into messages by their length.
//!
//! The decoder follows ISC where the draft is loose: a payload offset above
//! 12 skips the bytes in between, and options are kept in the order sent.
//! It checks framing and option sizes only; whether an option belongs in a
//! message type is left to the reader (ISC skips such options).
//!
//! Not modelled: the message-digest check (option 17 is kept as bytes), the
//! inner layout of the DDNS option (kept as bytes; ISC never sends it), and
//! the draft-07 numbering of ISC 3.0 and old Wireshark releases.

use std::net::Ipv4Addr;

use super::{Reader, WireError};
use crate::failover::FailoverState;
use crate::lease::BindingState;

/// Size of the header, and the payload offset ISC always sends.
pub const HEADER_LEN: usize = 12;
/// ISC's default failover port, on which Wireshark's DHCPFO dissector listens.
pub const FAILOVER_PORT: u16 = 647;

/// The twelve message types (draft-12 §6.1; ISC uses the same numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageType {
    /// 1: ask the peer to rebalance the pools.
    PoolReq,
    /// 2: answer to POOLREQ.
    PoolResp,
    /// 3: one lease's binding.
    BndUpd,
    /// 4: acknowledges or refuses one BNDUPD.
    BndAck,
    /// 5: the primary starts the failover conversation.
    Connect,
    /// 6: the secondary accepts or refuses the CONNECT.
    ConnectAck,
    /// 7: "send me every binding".
    UpdReqAll,
    /// 8: the requested updates are all sent.
    UpdDone,
    /// 9: "send me the bindings you have not sent yet".
    UpdReq,
    /// 10: the sender's failover state.
    State,
    /// 11: keep-alive.
    Contact,
    /// 12: refuses or closes the connection.
    Disconnect,
}

impl MessageType {
    /// Every type, in code order.
    pub const ALL: [MessageType; 12] = [
        MessageType::PoolReq,
        MessageType::PoolResp,
        MessageType::BndUpd,
        MessageType::BndAck,
        MessageType::Connect,
        MessageType::ConnectAck,
        MessageType::UpdReqAll,
        MessageType::UpdDone,
        MessageType::UpdReq,
        MessageType::State,
        MessageType::Contact,
        MessageType::Disconnect,
    ];

    /// The type byte.
    pub fn code(self) -> u8 {
        match self {
            MessageType::PoolReq => 1,
            MessageType::PoolResp => 2,
            MessageType::BndUpd => 3,
            MessageType::BndAck => 4,
            MessageType::Connect => 5,
            MessageType::ConnectAck => 6,
            MessageType::UpdReqAll => 7,
            MessageType::UpdDone => 8,
            MessageType::UpdReq => 9,
            MessageType::State => 10,
            MessageType::Contact => 11,
            MessageType::Disconnect => 12,
        }
    }

    /// The type with this type byte.
    pub fn from_code(code: u8) -> Option<MessageType> {
        MessageType::ALL.iter().copied().find(|t| t.code() == code)
    }

    /// The name ISC logs: `BNDUPD`, `CONNECTACK` …
    pub fn name(self) -> &'static str {
        match self {
            MessageType::PoolReq => "POOLREQ",
            MessageType::PoolResp => "POOLRESP",
            MessageType::BndUpd => "BNDUPD",
            MessageType::BndAck => "BNDACK",
            MessageType::Connect => "CONNECT",
            MessageType::ConnectAck => "CONNECTACK",
            MessageType::UpdReqAll => "UPDREQALL",
            MessageType::UpdDone => "UPDDONE",
            MessageType::UpdReq => "UPDREQ",
            MessageType::State => "STATE",
            MessageType::Contact => "CONTACT",
            MessageType::Disconnect => "DISCONNECT",
        }
    }
}

/// One option of a failover message (draft-12 §12), typed as ISC encodes it.
///
/// Times are Unix seconds (0 means unset); text options are decoded as
/// UTF-8, with invalid bytes replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailoverOption {
    /// 1: leases queued by a POOLRESP.
    AddressesTransferred(u32),
    /// 2: the lease's address.
    AssignedIpAddress(Ipv4Addr),
    /// 3: binding state, 1 FREE to 7 BACKUP.
    BindingStatus(u8),
    /// 4: the DHCP client identifier (option 61's value).
    ClientIdentifier(Vec<u8>),
    /// 5: hardware type and address.
    ClientHardwareAddress {
        /// ARP hardware type (1 Ethernet).
        htype: u8,
        /// The address bytes.
        address: Vec<u8>,
    },
    /// 6: the last time the client was answered.
    ClientLastTransactionTime(u32),
    /// 7: DHCP options sent to the client.
    ClientReplyOptions(Vec<u8>),
    /// 8: DHCP options the client sent.
    ClientRequestOptions(Vec<u8>),
    /// 9: DNS update state, kept as bytes.
    Ddns(Vec<u8>),
    /// 10: delayed-service parameter.
    DelayedServiceParameter(u8),
    /// 11: the 256-bit hash bucket assignment (RFC 3074).
    HashBucketAssignment(Vec<u8>),
    /// 12: ISC's 0x0001 RESERVED and 0x0002 BOOTP flags.
    IpFlags(u16),
    /// 13: the lease's `ends`.
    LeaseExpirationTime(u32),
    /// 14: how many BNDUPDs the sender accepts unacknowledged.
    MaxUnackedBndupd(u32),
    /// 15: maximum client lead time, seconds.
    Mclt(u32),
    /// 16: human-readable text with a refusal.
    Message(String),
    /// 17: message digest, kept as bytes.
    MessageDigest(Vec<u8>),
    /// 18: the lease's `tstp`.
    PotentialExpirationTime(u32),
    /// 19: the sender's max-response-delay, seconds.
    ReceiveTimer(u32),
    /// 20: protocol version, 1.
    ProtocolVersion(u8),
    /// 21: why a message was refused (draft-12 §12.21).
    RejectReason(u8),
    /// 22: the failover peer's name.
    RelationshipName(String),
    /// 23: server flags, bit 0 STARTUP.
    ServerFlags(u8),
    /// 24: failover state (draft-12 §12.24; ISC 254 = RECOVER-WAIT).
    ServerState(u8),
    /// 25: STATE: when the state began; BNDUPD: the lease's `starts`.
    StartTimeOfState(u32),
    /// 26: TLS reply.
    TlsReply(u8),
    /// 27: TLS request.
    TlsRequest(u8),
    /// 28: vendor class, `isc-4.4.3-P1` from ISC.
    VendorClassIdentifier(String),
    /// 29: vendor-specific options, kept as bytes.
    VendorSpecificOptions(Vec<u8>),
    /// A code draft-12 does not define.
    Unknown {
        /// The option code.
        code: u16,
        /// The value.
        value: Vec<u8>,
    },
}

impl FailoverOption {
    /// The option code.
    pub fn code(&self) -> u16 {
        use FailoverOption as O;
        match self {
            O::AddressesTransferred(_) => 1,
            O::AssignedIpAddress(_) => 2,
            O::BindingStatus(_) => 3,
            O::ClientIdentifier(_) => 4,
            O::ClientHardwareAddress { .. } => 5,
            O::ClientLastTransactionTime(_) => 6,
            O::ClientReplyOptions(_) => 7,
            O::ClientRequestOptions(_) => 8,
            O::Ddns(_) => 9,
            O::DelayedServiceParameter(_) => 10,
            O::HashBucketAssignment(_) => 11,
            O::IpFlags(_) => 12,
            O::LeaseExpirationTime(_) => 13,
            O::MaxUnackedBndupd(_) => 14,
            O::Mclt(_) => 15,
            O::Message(_) => 16,
            O::MessageDigest(_) => 17,
            O::PotentialExpirationTime(_) => 18,
            O::ReceiveTimer(_) => 19,
            O::ProtocolVersion(_) => 20,
            O::RejectReason(_) => 21,
            O::RelationshipName(_) => 22,
            O::ServerFlags(_) => 23,
            O::ServerState(_) => 24,
            O::StartTimeOfState(_) => 25,
            O::TlsReply(_) => 26,
            O::TlsRequest(_) => 27,
            O::VendorClassIdentifier(_) => 28,
            O::VendorSpecificOptions(_) => 29,
            O::Unknown { code, .. } => *code,
        }
    }

    /// The draft-12 name, e.g. `potential-expiration-time`.
    pub fn name(&self) -> &'static str {
        option_name(self.code())
    }

    /// The value bytes as they go on the wire.
    pub fn value_bytes(&self) -> Vec<u8> {
        use FailoverOption as O;
        match self {
            O::AssignedIpAddress(a) => a.octets().to_vec(),
            O::ClientHardwareAddress { htype, address } => {
                let mut out = vec![*htype];
                out.extend_from_slice(address);
                out
            }
            O::IpFlags(v) => v.to_be_bytes().to_vec(),
            O::Message(t) | O::RelationshipName(t) | O::VendorClassIdentifier(t) => {
                t.as_bytes().to_vec()
            }
            O::ClientIdentifier(b)
            | O::ClientReplyOptions(b)
            | O::ClientRequestOptions(b)
            | O::Ddns(b)
            | O::HashBucketAssignment(b)
            | O::MessageDigest(b)
            | O::VendorSpecificOptions(b)
            | O::Unknown { value: b, .. } => b.clone(),
            _ => self.number_bytes(),
        }
    }

    /// The value of a one-byte or four-byte number option.
    fn number_bytes(&self) -> Vec<u8> {
        use FailoverOption as O;
        match self {
            O::BindingStatus(v)
            | O::DelayedServiceParameter(v)
            | O::ProtocolVersion(v)
            | O::RejectReason(v)
            | O::ServerFlags(v)
            | O::ServerState(v)
            | O::TlsReply(v)
            | O::TlsRequest(v) => vec![*v],
            O::AddressesTransferred(v)
            | O::ClientLastTransactionTime(v)
            | O::LeaseExpirationTime(v)
            | O::MaxUnackedBndupd(v)
            | O::Mclt(v)
            | O::PotentialExpirationTime(v)
            | O::ReceiveTimer(v)
            | O::StartTimeOfState(v) => v.to_be_bytes().to_vec(),
            _ => Vec::new(),
        }
    }

    /// Decodes the value of option `code` found at byte `offset`.
    pub fn decode(code: u16, value: &[u8], offset: usize) -> Result<FailoverOption, WireError> {
        use FailoverOption as O;
        let bytes = || value.to_vec();
        let text = || String::from_utf8_lossy(value).into_owned();
        let byte = || fixed::<1>(code, value, offset).map(|[b]| b);
        let word = || fixed::<4>(code, value, offset).map(u32::from_be_bytes);
        Ok(match code {
            1 => O::AddressesTransferred(word()?),
            2 => O::AssignedIpAddress(Ipv4Addr::from(fixed::<4>(code, value, offset)?)),
            3 => O::BindingStatus(byte()?),
            4 => O::ClientIdentifier(bytes()),
            5 => hardware_address(value, offset)?,
            6 => O::ClientLastTransactionTime(word()?),
            7 => O::ClientReplyOptions(bytes()),
            8 => O::ClientRequestOptions(bytes()),
            9 => O::Ddns(bytes()),
            10 => O::DelayedServiceParameter(byte()?),
            11 => O::HashBucketAssignment(bytes()),
            12 => O::IpFlags(fixed::<2>(code, value, offset).map(u16::from_be_bytes)?),
            13 => O::LeaseExpirationTime(word()?),
            14 => O::MaxUnackedBndupd(word()?),
            15 => O::Mclt(word()?),
            16 => O::Message(text()),
            17 => O::MessageDigest(bytes()),
            18 => O::PotentialExpirationTime(word()?),
            19 => O::ReceiveTimer(word()?),
            20 => O::ProtocolVersion(byte()?),
            21 => O::RejectReason(byte()?),
            22 => O::RelationshipName(text()),
            23 => O::ServerFlags(byte()?),
            24 => O::ServerState(byte()?),
            25 => O::StartTimeOfState(word()?),
            26 => O::TlsReply(byte()?),
            27 => O::TlsRequest(byte()?),
            28 => O::VendorClassIdentifier(text()),
            29 => O::VendorSpecificOptions(bytes()),
            _ => O::Unknown { code, value: bytes() },
        })
    }
}

/// The draft-12 §12 name of an option code (`unknown` outside 1 to 29).
pub fn option_name(code: u16) -> &'static str {
    const NAMES: [&str; 29] = [
        "addresses-transferred",
        "assigned-IP-address",
        "binding-status",
        "client-identifier",
        "client-hardware-address",
        "client-last-transaction-time",
        "client-reply-options",
        "client-request-options",
        "DDNS",
        "delayed-service-parameter",
        "hash-bucket-assignment",
        "IP-flags",
        "lease-expiration-time",
        "max-unacked-bndupd",
        "MCLT",
        "message",
        "message-digest",
        "potential-expiration-time",
        "receive-timer",
        "protocol-version",
        "reject-reason",
        "relationship-name",
        "server-flags",
        "server-state",
        "start-time-of-state",
        "TLS-reply",
        "TLS-request",
        "vendor-class-identifier",
        "vendor-specific-options",
    ];
    usize::from(code).checked_sub(1).and_then(|i| NAMES.get(i)).copied().unwrap_or("unknown")
}

/// One failover message, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The message type.
    pub msg_type: MessageType,
    /// The sender's clock, Unix seconds.
    pub time: u32,
    /// Transaction id (draft-12 §6.1; ISC's numbering in the reference notes §4.5).
    pub xid: u32,
    /// The options, in the order sent.
    pub options: Vec<FailoverOption>,
}

/// A `Copy` option value by variant: `accessor!(name, Variant, Type)`.
macro_rules! accessor {
    ($(#[$doc:meta])* $name:ident, $variant:ident, $ty:ty) => {
        $(#[$doc])*
        pub fn $name(&self) -> Option<$ty> {
            self.options.iter().find_map(|o| match o {
                FailoverOption::$variant(v) => Some(*v),
                _ => None,
            })
        }
    };
}

impl Frame {
    /// A message without options.
    pub fn new(msg_type: MessageType, time: u32, xid: u32) -> Frame {
        Frame { msg_type, time, xid, options: Vec::new() }
    }

    /// The same message with `option` appended.
    pub fn with(mut self, option: FailoverOption) -> Frame {
        self.options.push(option);
        self
    }

    /// The bytes of the message, with payload offset 12.
    ///
    /// Fails only when an option value or the whole message is longer than
    /// its 16-bit length field allows.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        let mut out = Vec::with_capacity(HEADER_LEN + 8 * self.options.len());
        out.extend_from_slice(&[0, 0, self.msg_type.code(), HEADER_LEN as u8]);
        out.extend_from_slice(&self.time.to_be_bytes());
        out.extend_from_slice(&self.xid.to_be_bytes());
        for option in &self.options {
            let value = option.value_bytes();
            let length = u16_length(option.name(), value.len())?;
            out.extend_from_slice(&option.code().to_be_bytes());
            out.extend_from_slice(&length.to_be_bytes());
            out.extend_from_slice(&value);
        }
        let total = u16_length("failover message", out.len())?;
        // `out` starts with the 12 header bytes written above.
        out[..2].copy_from_slice(&total.to_be_bytes());
        Ok(out)
    }

    /// Decodes exactly one message: `bytes` must be as long as its length field says.
    pub fn decode(bytes: &[u8]) -> Result<Frame, WireError> {
        let mut r = Reader::new(bytes);
        let length = usize::from(r.u16("message length")?);
        check_length(length, bytes.len())?;
        let code = r.u8("message type")?;
        let msg_type = MessageType::from_code(code).ok_or(WireError::BadValue {
            field: "message type",
            offset: 2,
            value: code.into(),
            expected: "must be 1 to 12 (draft-12 §6.1)",
        })?;
        let payload_offset = usize::from(r.u8("payload offset")?);
        if !(HEADER_LEN..=length).contains(&payload_offset) {
            return Err(WireError::BadValue {
                field: "payload offset",
                offset: 3,
                value: payload_offset as u64,
                expected: "must lie between 12 (the header's size) and the message length",
            });
        }
        let time = r.u32("time")?;
        let xid = r.u32("xid")?;
        let options = decode_options(bytes, payload_offset, length)?;
        Ok(Frame { msg_type, time, xid, options })
    }

    /// The first option with this code.
    pub fn option(&self, code: u16) -> Option<&FailoverOption> {
        self.options.iter().find(|o| o.code() == code)
    }

    accessor!(
        /// Option 1.
        addresses_transferred, AddressesTransferred, u32
    );
    accessor!(
        /// Option 2.
        assigned_address, AssignedIpAddress, Ipv4Addr
    );
    accessor!(
        /// Option 3, as sent.
        binding_status, BindingStatus, u8

    );
    accessor!(
        /// Option 6, Unix seconds.
        client_last_transaction_time, ClientLastTransactionTime, u32
    );
    accessor!(
        /// Option 12.
        ip_flags, IpFlags, u16
    );
    accessor!(
        /// Option 13, Unix seconds.
        lease_expiration_time, LeaseExpirationTime, u32
    );
    accessor!(
        /// Option 14.
        max_unacked_bndupd, MaxUnackedBndupd, u32
    );
    accessor!(
        /// Option 15, seconds.
        mclt, Mclt, u32
    );
    accessor!(
        /// Option 18, Unix seconds.
        potential_expiration_time, PotentialExpirationTime, u32
    );
    accessor!(
        /// Option 19, seconds.
        receive_timer, ReceiveTimer, u32
    );
    accessor!(
        /// Option 20.
        protocol_version, ProtocolVersion, u8
    );
    accessor!(
        /// Option 21.
        reject_reason, RejectReason, u8
    );
    accessor!(
        /// Option 23.
        server_flags, ServerFlags, u8
    );
    accessor!(
        /// Option 24, as sent.
        server_state, ServerState, u8
    );
    accessor!(
        /// Option 25, Unix seconds.
        start_time_of_state, StartTimeOfState, u32
    );

    /// Option 3 as a binding state, if it holds a valid one.
    pub fn binding_state(&self) -> Option<BindingState> {
        self.binding_status().and_then(binding_state_from_wire)
    }

    /// Option 24 as a failover state, if it holds a known one.
    pub fn failover_state(&self) -> Option<FailoverState> {
        self.server_state().and_then(server_state_from_wire)
    }

    /// Option 4.
    pub fn client_identifier(&self) -> Option<&[u8]> {
        self.options.iter().find_map(|o| match o {
            FailoverOption::ClientIdentifier(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// Option 5: hardware type and address.
    pub fn client_hardware_address(&self) -> Option<(u8, &[u8])> {
        self.options.iter().find_map(|o| match o {
            FailoverOption::ClientHardwareAddress { htype, address } => {
                Some((*htype, address.as_slice()))
            }
            _ => None,
        })
    }

    /// Option 11.
    pub fn hash_bucket_assignment(&self) -> Option<&[u8]> {
        self.options.iter().find_map(|o| match o {
            FailoverOption::HashBucketAssignment(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    /// Option 16.
    pub fn message(&self) -> Option<&str> {
        self.text(16)
    }

    /// Option 22.
    pub fn relationship_name(&self) -> Option<&str> {
        self.text(22)
    }

    /// Option 28.
    pub fn vendor_class(&self) -> Option<&str> {
        self.text(28)
    }

    fn text(&self, code: u16) -> Option<&str> {
        match self.option(code)? {
            FailoverOption::Message(t)
            | FailoverOption::RelationshipName(t)
            | FailoverOption::VendorClassIdentifier(t) => Some(t.as_str()),
            _ => None,
        }
    }
}

/// The length a message says it has, read from its first two bytes.
pub fn message_length(prefix: &[u8]) -> Option<usize> {
    match prefix {
        [high, low, ..] => Some(usize::from(u16::from_be_bytes([*high, *low]))),
        _ => None,
    }
}

/// Cuts one direction of the failover byte stream into messages.
///
/// Returns the complete messages in order and the number of bytes that
/// start a message not yet complete. Offsets in errors count from the start
/// of `stream`.
pub fn split_stream(stream: &[u8]) -> Result<(Vec<&[u8]>, usize), WireError> {
    let mut messages = Vec::new();
    let mut rest = stream;
    while let Some(length) = message_length(rest) {
        if length < HEADER_LEN {
            let offset = stream.len() - rest.len();
            let expected = "must be at least 12, the header's size";
            let (field, value) = ("message length", length as u64);
            return Err(WireError::BadValue { field, offset, value, expected });
        }
        let Some((message, after)) = rest.split_at_checked(length) else { break };
        messages.push(message);
        rest = after;
    }
    Ok((messages, rest.len()))
}

/// The binding state with draft-12 §12.3 value `value`.
pub fn binding_state_from_wire(value: u8) -> Option<BindingState> {
    use BindingState::*;
    [Free, Active, Expired, Released, Abandoned, Reset, Backup]
        .into_iter()
        .find(|s| s.wire_value() == value)
}

/// The server-state value of a failover state (draft-12 §12.24, ISC's 254 for
/// RECOVER-WAIT); `None` for a stopped server, which sends nothing.
pub fn server_state_to_wire(state: FailoverState) -> Option<u8> {
    use FailoverState::*;
    Some(match state {
        Startup => 1,
        Normal => 2,
        CommunicationsInterrupted => 3,
        PartnerDown => 4,
        PotentialConflict => 5,
        Recover => 6,
        Paused => 7,
        Shutdown => 8,
        RecoverDone => 9,
        ResolutionInterrupted => 10,
        ConflictDone => 11,
        RecoverWait => 254,
        Down => return None,
    })
}

/// The failover state with server-state value `value`.
pub fn server_state_from_wire(value: u8) -> Option<FailoverState> {
    FailoverState::RUNNING.into_iter().find(|s| server_state_to_wire(*s) == Some(value))
}

/// What a reject reason means (draft-12 §12.21).
pub fn reject_reason_text(reason: u8) -> &'static str {
    const TEXTS: [&str; 21] = [
        "illegal IP address",
        "fatal conflict",
        "missing binding information",
        "time mismatch too great",
        "invalid MCLT",
        "unknown reason",
        "duplicate connection",
        "invalid failover partner",
        "TLS not supported",
        "TLS not configured",
        "TLS required",
        "message digest not supported",
        "message digest not configured",
        "protocol version mismatch",
        "outdated binding information",
        "less critical binding information",
        "no traffic within sufficient time",
        "hash bucket assignment conflict",
        "IP not reserved on this server",
        "message digest failed to compare",
        "missing message digest",
    ];
    usize::from(reason).checked_sub(1).and_then(|i| TEXTS.get(i)).copied().unwrap_or("unknown")
}

fn check_length(length: usize, available: usize) -> Result<(), WireError> {
    if length < HEADER_LEN {
        let expected = "must be at least 12, the header's size";
        let (field, value) = ("message length", length as u64);
        return Err(WireError::BadValue { field, offset: 0, value, expected });
    }
    if length > available {
        let (field, needed) = ("message", length);
        return Err(WireError::Truncated { field, offset: 0, needed, available });
    }
    if length < available {
        let extra = available - length;
        return Err(WireError::TrailingBytes { what: "message", offset: length, extra });
    }
    Ok(())
}

fn decode_options(
    bytes: &[u8],
    start: usize,
    end: usize,
) -> Result<Vec<FailoverOption>, WireError> {
    let mut r = Reader::window(bytes, start, end);
    let mut options = Vec::new();
    while r.remaining() > 0 {
        let offset = r.pos();
        let code = r.u16("option code")?;
        let length = r.u16("option length")?;
        let value = r.take(length.into(), "option value")?;
        options.push(FailoverOption::decode(code, value, offset)?);
    }
    Ok(options)
}

fn hardware_address(value: &[u8], offset: usize) -> Result<FailoverOption, WireError> {
    match value.split_first() {
        Some((htype, address)) => {
            Ok(FailoverOption::ClientHardwareAddress { htype: *htype, address: address.to_vec() })
        }
        None => Err(WireError::BadOptionLength {
            code: 5,
            offset,
            length: 0,
            expected: "must hold at least the hardware type byte",
        }),
    }
}

/// The value of a fixed-size option.
fn fixed<const N: usize>(code: u16, value: &[u8], offset: usize) -> Result<[u8; N], WireError> {
    value.try_into().map_err(|_| WireError::BadOptionLength {
        code,
        offset,
        length: value.len(),
        expected: match N {
            1 => "must be 1 byte",
            2 => "must be 2 bytes",
            _ => "must be 4 bytes",
        },
    })
}

fn u16_length(what: &'static str, length: usize) -> Result<u16, WireError> {
    u16::try_from(length).map_err(|_| WireError::TooLong { what, length, max: 0xffff })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_and_option_code_round_trips() {
        for t in MessageType::ALL {
            assert_eq!(MessageType::from_code(t.code()), Some(t));
        }
        assert_eq!(MessageType::from_code(13), None);
        for code in 1..=30u16 {
            let value: &[u8] = match code {
                12 => &[0, 2],
                1 | 2 | 6 | 13 | 14 | 15 | 18 | 19 | 25 => &[1, 2, 3, 4],
                3 | 10 | 20 | 21 | 23 | 24 | 26 | 27 => &[7],
                _ => b"abc",
            };
            let option = FailoverOption::decode(code, value, 12).unwrap();
            assert_eq!(option.code(), code);
            assert_eq!(option.value_bytes(), value, "{}", option.name());
        }
    }

    #[test]
    fn bad_sizes_are_errors_with_offsets() {
        let err = FailoverOption::decode(13, &[1, 2], 20).unwrap_err();
        assert_eq!(err.to_string(), "option 13 at byte 20 has length 2, but must be 4 bytes");
        let contact = Frame::new(MessageType::Contact, 5, 7).encode().unwrap();
        assert!(Frame::decode(&contact[..11]).is_err());
        let mut long = contact.clone();
        long.push(0);
        assert!(matches!(Frame::decode(&long), Err(WireError::TrailingBytes { offset: 12, .. })));
        let mut bad = contact;
        bad[3] = 8;
        assert!(matches!(Frame::decode(&bad), Err(WireError::BadValue { offset: 3, .. })));
    }

    #[test]
    fn a_larger_payload_offset_skips_the_gap() {
        let bytes = [0, 19, 11, 14, 0, 0, 0, 1, 0, 0, 0, 2, 0xaa, 0xbb, 0, 20, 0, 1, 1];
        let frame = Frame::decode(&bytes).unwrap();
        assert_eq!(frame.options, vec![FailoverOption::ProtocolVersion(1)]);
    }

    #[test]
    fn the_stream_splits_by_length() {
        let a = Frame::new(MessageType::Contact, 1, 1).encode().unwrap();
        let b = Frame::new(MessageType::State, 1, 2)
            .with(FailoverOption::ServerState(2))
            .encode()
            .unwrap();
        let stream = [a.clone(), b.clone(), b[..3].to_vec()].concat();
        let (messages, rest) = split_stream(&stream).unwrap();
        assert_eq!(messages, vec![&a[..], &b[..]]);
        assert_eq!(rest, 3);
        assert!(split_stream(&[0, 4, 0, 0]).is_err());
    }

    #[test]
    fn states_and_reasons_have_their_draft_values() {
        assert_eq!(server_state_from_wire(254), Some(FailoverState::RecoverWait));
        assert_eq!(server_state_from_wire(2), Some(FailoverState::Normal));
        assert_eq!(server_state_from_wire(0), None);
        assert_eq!(binding_state_from_wire(7), Some(BindingState::Backup));
        assert_eq!(binding_state_from_wire(8), None);
        assert_eq!(reject_reason_text(16), "less critical binding information");
        assert_eq!(option_name(18), "potential-expiration-time");
        assert_eq!(option_name(0), "unknown");
    }
}
