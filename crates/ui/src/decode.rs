//! What the packet inspector shows, read back from the bytes.
//!
//! [`decode`] encodes a packet of the run with the engine's [`wire`] layer,
//! decodes those bytes again and lists what the decoder found, so the page
//! shows what a capture would hold, not the simulation's own record. DHCP
//! messages give the RFC 2131 §2 fixed fields and the options in the order
//! they sit in the bytes (RFC 2132 codes); failover messages give the 12-byte
//! draft-12 §6.1 header and every option with its §12 name and code, for
//! every message type the engine sends (BNDUPD and BNDACK, the connection's
//! CONNECT, CONNECTACK, STATE and DISCONNECT, the update requests and pool
//! balancing). Each
//! field keeps the byte range it came from, so the hex dump can mark it.
//!
//! The option ranges of a DHCP message are found by walking the options
//! field (code, length, value) as the decoder does; the values always come
//! from the decoder. Bytes that do not decode give an error message naming
//! the field and offset, never a panic.

use std::net::Ipv4Addr;
use std::ops::Range;
use std::rc::Rc;

use dhcpfo_engine::packet::{Body, DhcpMessage, FailoverMessage};
use dhcpfo_engine::wire::dhcp::{self, code, DecodedDhcp, OPTIONS_OFFSET};
use dhcpfo_engine::wire::failover::{
    binding_state_from_wire, message_length, option_name, reject_reason_text,
    server_state_from_wire,
};
use dhcpfo_engine::wire::{self, FailoverOption, Frame};
use dhcpfo_engine::{time, Duration, Time};

/// One decoded field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field's name: a DHCP option's code comes first (`51 lease time`), a failover
    /// option has its draft-12 name and code (`assigned-IP-address (2)`).
    pub label: String,
    /// The value, in words.
    pub value: String,
    /// A second, quieter line under the value (raw number, time since the start).
    pub note: Option<String>,
    /// Where the field sits in the bytes.
    pub bytes: Range<usize>,
}

/// A titled group of fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading.
    pub title: &'static str,
    /// The fields, in byte order.
    pub fields: Vec<Field>,
}

/// A packet as bytes and what was decoded from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The bytes of the message (the UDP or TCP payload).
    pub bytes: Rc<Vec<u8>>,
    /// The decoded fields.
    pub sections: Vec<Section>,
}

/// Encodes a message body and decodes it again; `start_epoch` makes failover times absolute.
pub fn decode(body: &Body, start_epoch: u64) -> Result<Decoded, String> {
    match body {
        Body::Dhcp(m) => decode_dhcp(m),
        Body::Failover(m) => decode_failover(m, start_epoch),
    }
}

fn field(label: impl Into<String>, value: impl Into<String>, bytes: Range<usize>) -> Field {
    Field { label: label.into(), value: value.into(), note: None, bytes }
}

fn with_note(mut f: Field, note: impl Into<String>) -> Field {
    f.note = Some(note.into());
    f
}

// ----- DHCP -----

fn decode_dhcp(m: &DhcpMessage) -> Result<Decoded, String> {
    let bytes = wire::encode_dhcp(m);
    let decoded = dhcp::decode_dhcp_full(&bytes)
        .map_err(|e| format!("The DHCP message does not decode: {e}."))?;
    let sections = vec![dhcp_header(&bytes, &decoded), dhcp_options(&bytes, &decoded)];
    Ok(Decoded { bytes: Rc::new(bytes), sections })
}

fn dhcp_header(bytes: &[u8], d: &DecodedDhcp) -> Section {
    let m = &d.message;
    let byte = |i: usize| bytes.get(i).copied().unwrap_or_default();
    let op = match m.op {
        1 => "1 (BOOTREQUEST)".to_string(),
        2 => "2 (BOOTREPLY)".to_string(),
        other => other.to_string(),
    };
    let htype = byte(1);
    let htype = if htype == 1 { "1 (Ethernet)".to_string() } else { htype.to_string() };
    let broadcast = if m.flags & dhcp::BROADCAST_FLAG != 0 { " (broadcast)" } else { "" };
    let addresses = [("ciaddr", m.ciaddr), ("yiaddr", m.yiaddr), ("siaddr", m.siaddr)];
    let mut fields = vec![
        field("op", op, 0..1),
        field("htype", htype, 1..2),
        field("hlen", byte(2).to_string(), 2..3),
        field("hops", d.hops.to_string(), 3..4),
        field("xid", format!("{:#010x}", m.xid), 4..8),
        field("secs", m.secs.to_string(), 8..10),
        field("flags", format!("{:#06x}{broadcast}", m.flags), 10..12),
    ];
    let all = addresses.into_iter().chain([("giaddr", m.giaddr)]);
    fields.extend(
        all.enumerate().map(|(i, (name, a))| field(name, a.to_string(), 12 + 4 * i..16 + 4 * i)),
    );
    fields.push(field("chaddr", m.chaddr.to_string(), 28..34));
    let names_empty = bytes.get(44..236).is_some_and(|b| b.iter().all(|&x| x == 0));
    let names = if names_empty { "empty (192 zero bytes)" } else { "not empty" };
    fields.push(field("sname, file", names, 44..236));
    fields.push(field("magic cookie", "99.130.83.99", 236..240));
    Section { title: "DHCP header (RFC 2131 §2)", fields }
}

fn dhcp_options(bytes: &[u8], d: &DecodedDhcp) -> Section {
    let mut fields: Vec<Field> = option_ranges(bytes)
        .into_iter()
        .map(|(option, range)| dhcp_option(d, option, range))
        .collect();
    let end = fields.last().map_or(OPTIONS_OFFSET, |f| f.bytes.end);
    if bytes.get(end) == Some(&code::END) {
        fields.push(field("255 end", "end of options", end..end + 1));
        let padding = bytes.len().saturating_sub(end + 1);
        if padding > 0 {
            let pad = field("padding", format!("{padding} zero bytes"), end + 1..bytes.len());
            fields.push(with_note(pad, format!("up to {} bytes, the BOOTP minimum", bytes.len())));
        }
    }
    Section { title: "Options (RFC 2132)", fields }
}

/// The code and byte range of every option in the options field, pads skipped,
/// up to the end option or the last whole option.
pub fn option_ranges(bytes: &[u8]) -> Vec<(u8, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = OPTIONS_OFFSET;
    while let Some(&option) = bytes.get(at) {
        match option {
            code::PAD => at += 1,
            code::END => break,
            _ => {
                let Some(&len) = bytes.get(at + 1) else { break };
                let end = at + 2 + usize::from(len);
                if end > bytes.len() {
                    break;
                }
                out.push((option, at..end));
                at = end;
            }
        }
    }
    out
}

fn dhcp_option(d: &DecodedDhcp, option: u8, range: Range<usize>) -> Field {
    let m = &d.message;
    let address = |a: Option<Ipv4Addr>| a.map(|a| a.to_string());
    let (name, value) = match option {
        code::MESSAGE_TYPE => {
            ("message type", Some(format!("{} ({})", m.message_type.code(), m.message_type.name())))
        }
        code::SERVER_ID => ("server identifier", address(m.server_id)),
        code::REQUESTED_ADDRESS => ("requested address", address(m.requested_address)),
        code::LEASE_TIME => ("lease time", m.lease_time.map(seconds)),
        code::RENEWAL_TIME => ("renewal (T1) time", m.renewal_time.map(seconds)),
        code::REBINDING_TIME => ("rebinding (T2) time", m.rebinding_time.map(seconds)),
        code::CLIENT_ID => ("client identifier", m.client_id.as_deref().map(hex)),
        _ => ("option", other_option(d, option)),
    };
    let value = value.unwrap_or_else(|| "(not decoded)".to_string());
    field(format!("{option} {name}"), value, range)
}

fn other_option(d: &DecodedDhcp, option: u8) -> Option<String> {
    d.other_options.iter().find(|o| o.code == option).map(|o| hex(&o.value))
}

/// Seconds with their human form: `3600 s (1h)`.
fn seconds(value: u32) -> String {
    format!("{value} s ({})", Duration::from_secs(u64::from(value)).human())
}

/// Bytes as colon-separated hex pairs.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

// ----- failover -----

fn decode_failover(m: &FailoverMessage, start_epoch: u64) -> Result<Decoded, String> {
    let bytes = wire::encode_failover(m, start_epoch)
        .map_err(|e| format!("The {} message cannot be encoded: {e}.", m.name()))?;
    let frame = Frame::decode(&bytes)
        .map_err(|e| format!("The {} message does not decode: {e}.", m.name()))?;
    let payload = usize::from(bytes.get(3).copied().unwrap_or_default());
    let header = failover_header(&bytes, &frame, payload, start_epoch);
    let mut at = payload;
    let options = frame
        .options
        .iter()
        .map(|o| {
            let end = at + 4 + o.value_bytes().len();
            let f = failover_option(o, at..end, start_epoch);
            at = end;
            f
        })
        .collect();
    let title = "Options (draft-12 §12)";
    let sections = vec![header, Section { title, fields: options }];
    Ok(Decoded { bytes: Rc::new(bytes), sections })
}

fn failover_header(bytes: &[u8], frame: &Frame, payload: usize, start_epoch: u64) -> Section {
    let length = message_length(bytes).unwrap_or_default();
    let kind = format!("{} ({})", frame.msg_type.code(), frame.msg_type.name());
    let fields = vec![
        field("length", format!("{length} bytes"), 0..2),
        field("type", kind, 2..3),
        field("payload offset", payload.to_string(), 3..4),
        unix_time("time", frame.time, 4..8, start_epoch),
        field("xid", format!("{:#010x}", frame.xid), 8..12),
    ];
    Section { title: "Failover header (draft-12 §6.1)", fields }
}

fn failover_option(o: &FailoverOption, bytes: Range<usize>, start_epoch: u64) -> Field {
    use FailoverOption as O;
    let label = format!("{} ({})", option_name(o.code()), o.code());
    let value = match o {
        O::ClientLastTransactionTime(t)
        | O::LeaseExpirationTime(t)
        | O::PotentialExpirationTime(t)
        | O::StartTimeOfState(t) => return unix_time(label, *t, bytes, start_epoch),
        O::AssignedIpAddress(a) => a.to_string(),
        O::BindingStatus(v) => match binding_state_from_wire(*v) {
            Some(state) => format!("{v} ({})", state.name().to_ascii_uppercase()),
            None => format!("{v} (not a binding state)"),
        },
        O::ClientHardwareAddress { htype: 1, address } => format!("1 (Ethernet) {}", hex(address)),
        O::ClientHardwareAddress { htype, address } => format!("{htype} {}", hex(address)),
        O::RejectReason(r) => format!("{r} ({})", reject_reason_text(*r)),
        O::Message(t) | O::RelationshipName(t) | O::VendorClassIdentifier(t) => format!("\"{t}\""),
        O::Mclt(s) | O::ReceiveTimer(s) => seconds(*s),
        O::ServerState(v) => match server_state_from_wire(*v) {
            Some(state) => format!("{v} ({})", state.name().to_ascii_uppercase()),
            None => format!("{v} (not a failover state)"),
        },
        O::ServerFlags(v) => match v & 1 {
            1 => format!("{v:#04x} (STARTUP)"),
            _ => format!("{v:#04x} (none)"),
        },
        O::MaxUnackedBndupd(n) => format!("{n} BNDUPDs"),
        O::AddressesTransferred(n) => format!("{n} leases"),
        O::ProtocolVersion(v) | O::TlsRequest(v) | O::TlsReply(v) => v.to_string(),
        O::HashBucketAssignment(b) => buckets(b),
        other => hex(&other.value_bytes()),
    };
    field(label, value, bytes)
}

/// A hash bucket assignment: how many of its buckets are set, with the bytes.
fn buckets(bytes: &[u8]) -> String {
    let set: u32 = bytes.iter().map(|b| b.count_ones()).sum();
    format!("{set} of {} buckets: {}", bytes.len() * 8, hex(bytes))
}

/// A Unix time as a UTC date, with the raw number and the scenario clock underneath.
fn unix_time(label: impl Into<String>, unix: u32, bytes: Range<usize>, start_epoch: u64) -> Field {
    if unix == 0 {
        return field(label, "0 (not set)", bytes);
    }
    let unix = u64::from(unix);
    let (y, mo, d, h, mi, s, _) = time::civil_from_unix(unix);
    let date = format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC");
    let note = match unix.checked_sub(start_epoch) {
        Some(t) => format!("{unix} · t = {}", Time::from_secs(t).clock()),
        None => format!("{unix} · before t = 0"),
    };
    with_note(field(label, date, bytes), note)
}
