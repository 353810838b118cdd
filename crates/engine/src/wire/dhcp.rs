//! DHCPv4 messages as bytes: RFC 2131 §2 (fixed header), RFC 2131 §3 (magic
//! cookie), RFC 2132 (options) and RFC 3396 (options split over several
//! instances, option overload into `sname` and `file`).
//!
//! The encoder writes the fixed header with htype 1 (Ethernet), hlen 6 and
//! hops 0, leaves `sname` and `file` empty, then the options 53, 54, 50, 51,
//! 58, 59 and 61 that the message holds, the end option, and zero padding up
//! to the 300-byte BOOTP minimum (RFC 1542 §2.1) as real servers do.
//!
//! The decoder accepts what real clients and servers send: it skips pad
//! options, joins split options, reads overloaded `file` and `sname`
//! fields, ignores bytes after the end option, and keeps the options the
//! model does not use as raw bytes ([`DecodedDhcp::other_options`]).
//!
//! Not modelled: hardware types other than Ethernet (rejected as
//! [`WireError::NotModelled`]), BOOTP messages without option 53, DHCP
//! message types above 8 (RFC 4388 and later), and the contents of `sname`
//! and `file` when they hold names rather than options.

use std::net::Ipv4Addr;

use super::{Reader, WireError};
use crate::addr::Mac;
use crate::packet::{DhcpMessage, DhcpType};

/// The magic cookie that starts the options, 99.130.83.99 (RFC 2131 §3).
pub const MAGIC_COOKIE: [u8; 4] = [99, 130, 83, 99];
/// The smallest message servers send; shorter ones are zero-padded (RFC 1542 §2.1).
pub const BOOTP_MINIMUM: usize = 300;
/// Where the options start: 236 bytes of fixed header and the 4-byte cookie.
pub const OPTIONS_OFFSET: usize = 240;
/// Hardware type of Ethernet (RFC 1700 ARP hardware types).
pub const HTYPE_ETHERNET: u8 = 1;
/// The broadcast bit of `flags` (RFC 2131 §2).
pub const BROADCAST_FLAG: u16 = 0x8000;

/// Where the 64-byte `sname` field starts.
const SNAME_OFFSET: usize = 44;
/// Where the 128-byte `file` field starts.
const FILE_OFFSET: usize = 108;
/// Where the magic cookie starts.
const COOKIE_OFFSET: usize = 236;

/// Option codes of RFC 2132 that the model uses.
pub mod code {
    /// Pad: one byte, no length.
    pub const PAD: u8 = 0;
    /// Requested IP address.
    pub const REQUESTED_ADDRESS: u8 = 50;
    /// IP address lease time.
    pub const LEASE_TIME: u8 = 51;
    /// Option overload: 1 `file`, 2 `sname`, 3 both hold options.
    pub const OVERLOAD: u8 = 52;
    /// DHCP message type.
    pub const MESSAGE_TYPE: u8 = 53;
    /// Server identifier.
    pub const SERVER_ID: u8 = 54;
    /// Renewal (T1) time.
    pub const RENEWAL_TIME: u8 = 58;
    /// Rebinding (T2) time.
    pub const REBINDING_TIME: u8 = 59;
    /// Client identifier.
    pub const CLIENT_ID: u8 = 61;
    /// End: one byte, no length.
    pub const END: u8 = 255;
}

/// An option as found on the wire, with split instances joined (RFC 3396).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawOption {
    /// The option code.
    pub code: u8,
    /// Byte offset of its first instance.
    pub offset: usize,
    /// The value, all instances joined in order.
    pub value: Vec<u8>,
}

/// A decoded message together with what the typed form leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedDhcp {
    /// The typed message.
    pub message: DhcpMessage,
    /// The relay hop count.
    pub hops: u8,
    /// Options other than 53, 54, 50, 51, 58, 59 and 61, in order of first appearance.
    pub other_options: Vec<RawOption>,
}

/// Encodes a message as a server or client would put it in a UDP datagram.
///
/// A client identifier longer than 255 bytes is split over several option
/// instances (RFC 3396 §5); everything else has a fixed size, so this cannot fail.
pub fn encode_dhcp(m: &DhcpMessage) -> Vec<u8> {
    let mut out = Vec::with_capacity(BOOTP_MINIMUM);
    out.extend_from_slice(&[m.op, HTYPE_ETHERNET, 6, 0]);
    out.extend_from_slice(&m.xid.to_be_bytes());
    out.extend_from_slice(&m.secs.to_be_bytes());
    out.extend_from_slice(&m.flags.to_be_bytes());
    for address in [m.ciaddr, m.yiaddr, m.siaddr, m.giaddr] {
        out.extend_from_slice(&address.octets());
    }
    out.extend_from_slice(&m.chaddr.0);
    // The rest of chaddr, sname and file stay zero.
    out.resize(COOKIE_OFFSET, 0);
    out.extend_from_slice(&MAGIC_COOKIE);

    put_options(&mut out, m);
    out.push(code::END);
    if out.len() < BOOTP_MINIMUM {
        out.resize(BOOTP_MINIMUM, code::PAD);
    }
    out
}

/// Decodes a message, keeping only the typed form.
pub fn decode_dhcp(bytes: &[u8]) -> Result<DhcpMessage, WireError> {
    decode_dhcp_full(bytes).map(|d| d.message)
}

/// Decodes a message and keeps the hop count and the options the model does not use.
pub fn decode_dhcp_full(bytes: &[u8]) -> Result<DecodedDhcp, WireError> {
    let fixed = read_fixed(bytes)?;
    let mut options = read_options(bytes)?;
    let options_end = bytes.len();

    let message_type = take_message_type(&mut options, options_end)?;
    let message = DhcpMessage {
        op: fixed.op,
        xid: fixed.xid,
        secs: fixed.secs,
        flags: fixed.flags,
        ciaddr: fixed.addresses[0],
        yiaddr: fixed.addresses[1],
        siaddr: fixed.addresses[2],
        giaddr: fixed.addresses[3],
        chaddr: fixed.chaddr,
        message_type,
        server_id: take_address(&mut options, code::SERVER_ID)?,
        requested_address: take_address(&mut options, code::REQUESTED_ADDRESS)?,
        lease_time: take_u32(&mut options, code::LEASE_TIME)?,
        renewal_time: take_u32(&mut options, code::RENEWAL_TIME)?,
        rebinding_time: take_u32(&mut options, code::REBINDING_TIME)?,
        client_id: options.take(code::CLIENT_ID).map(|o| o.value),
    };
    Ok(DecodedDhcp { message, hops: fixed.hops, other_options: options.list })
}

/// The message type with option 53 value `code`, if the model knows it.
pub fn dhcp_type_from_code(code: u8) -> Option<DhcpType> {
    const TYPES: [DhcpType; 8] = [
        DhcpType::Discover,
        DhcpType::Offer,
        DhcpType::Request,
        DhcpType::Decline,
        DhcpType::Ack,
        DhcpType::Nak,
        DhcpType::Release,
        DhcpType::Inform,
    ];
    TYPES.iter().copied().find(|t| t.code() == code)
}

fn put_options(out: &mut Vec<u8>, m: &DhcpMessage) {
    put_option(out, code::MESSAGE_TYPE, &[m.message_type.code()]);
    if let Some(address) = m.server_id {
        put_option(out, code::SERVER_ID, &address.octets());
    }
    if let Some(address) = m.requested_address {
        put_option(out, code::REQUESTED_ADDRESS, &address.octets());
    }
    let times = [
        (code::LEASE_TIME, m.lease_time),
        (code::RENEWAL_TIME, m.renewal_time),
        (code::REBINDING_TIME, m.rebinding_time),
    ];
    for (code, value) in times {
        if let Some(seconds) = value {
            put_option(out, code, &seconds.to_be_bytes());
        }
    }
    if let Some(id) = &m.client_id {
        put_option(out, code::CLIENT_ID, id);
    }
}

/// Writes one option, in 255-byte instances when it is longer (RFC 3396 §5).
fn put_option(out: &mut Vec<u8>, code: u8, value: &[u8]) {
    if value.is_empty() {
        out.extend_from_slice(&[code, 0]);
    }
    for chunk in value.chunks(255) {
        out.push(code);
        // `chunks(255)` yields at most 255 bytes, so the length fits a byte.
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
}

/// The fixed header fields the typed message keeps.
struct Fixed {
    op: u8,
    hops: u8,
    xid: u32,
    secs: u16,
    flags: u16,
    /// ciaddr, yiaddr, siaddr, giaddr.
    addresses: [Ipv4Addr; 4],
    chaddr: Mac,
}

fn read_fixed(bytes: &[u8]) -> Result<Fixed, WireError> {
    let mut r = Reader::new(bytes);
    let op = r.u8("op")?;
    if !(1..=2).contains(&op) {
        let expected = "must be 1 (BOOTREQUEST) or 2 (BOOTREPLY)";
        return Err(WireError::BadValue { field: "op", offset: 0, value: op.into(), expected });
    }
    let htype = r.u8("htype")?;
    let hlen = r.u8("hlen")?;
    if htype != HTYPE_ETHERNET || hlen != 6 {
        let detail = format!("hardware type {htype} with length {hlen}; only Ethernet (1, 6)");
        return Err(WireError::NotModelled { what: "htype", offset: 1, detail });
    }
    let hops = r.u8("hops")?;
    let xid = r.u32("xid")?;
    let secs = r.u16("secs")?;
    let flags = r.u16("flags")?;
    let mut addresses = [Ipv4Addr::UNSPECIFIED; 4];
    for (slot, field) in addresses.iter_mut().zip(["ciaddr", "yiaddr", "siaddr", "giaddr"]) {
        *slot = r.ipv4(field)?;
    }
    let chaddr = Mac(r.array("chaddr")?);
    r.take(10, "chaddr padding")?;
    r.take(64 + 128, "sname and file")?;
    check_cookie(&mut r)?;
    Ok(Fixed { op, hops, xid, secs, flags, addresses, chaddr })
}

fn check_cookie(r: &mut Reader<'_>) -> Result<(), WireError> {
    let offset = r.pos();
    let cookie = r.array::<4>("magic cookie")?;
    if cookie != MAGIC_COOKIE {
        return Err(WireError::BadValue {
            field: "magic cookie",
            offset,
            value: u32::from_be_bytes(cookie).into(),
            expected: "must be 99.130.83.99 (0x63825363)",
        });
    }
    Ok(())
}

/// The options of a message, split instances joined, in order of first appearance.
#[derive(Default)]
struct Options {
    list: Vec<RawOption>,
}

impl Options {
    fn add(&mut self, code: u8, offset: usize, value: &[u8]) {
        match self.list.iter_mut().find(|o| o.code == code) {
            Some(known) => known.value.extend_from_slice(value),
            None => self.list.push(RawOption { code, offset, value: value.to_vec() }),
        }
    }

    fn take(&mut self, code: u8) -> Option<RawOption> {
        let index = self.list.iter().position(|o| o.code == code)?;
        Some(self.list.remove(index))
    }
}

/// Reads the options field, then `file` and `sname` if option 52 says they hold options.
fn read_options(bytes: &[u8]) -> Result<Options, WireError> {
    let mut options = Options::default();
    read_area(bytes, OPTIONS_OFFSET, bytes.len(), true, &mut options)?;
    let Some(overload) = options.list.iter().find(|o| o.code == code::OVERLOAD) else {
        return Ok(options);
    };
    let (offset, value) = (overload.offset, overload.value.clone());
    let which = match value[..] {
        [which @ 1..=3] => which,
        [other] => {
            let expected = "must be 1 (file), 2 (sname) or 3 (both)";
            let field = "option overload (52)";
            return Err(WireError::BadValue {
                field,
                offset: offset + 2,
                value: other.into(),
                expected,
            });
        }
        _ => {
            let (code, length, expected) = (code::OVERLOAD.into(), value.len(), "must be 1 byte");
            return Err(WireError::BadOptionLength { code, offset, length, expected });
        }
    };
    // RFC 2131 §4.1: the options field first, then file, then sname.
    if which & 1 != 0 {
        read_area(bytes, FILE_OFFSET, COOKIE_OFFSET, false, &mut options)?;
    }
    if which & 2 != 0 {
        read_area(bytes, SNAME_OFFSET, FILE_OFFSET, false, &mut options)?;
    }
    Ok(options)
}

/// Reads options from `bytes[start..end]`; the main field must close with the end option.
fn read_area(
    bytes: &[u8],
    start: usize,
    end: usize,
    needs_end: bool,
    options: &mut Options,
) -> Result<(), WireError> {
    let mut r = Reader::window(bytes, start, end);
    while r.remaining() > 0 {
        let offset = r.pos();
        let code = r.u8("option code")?;
        match code {
            code::PAD => continue,
            code::END => return Ok(()),
            _ => {}
        }
        let length = r.u8("option length")?;
        let value = r.take(length.into(), "option value")?;
        options.add(code, offset, value);
    }
    if needs_end {
        let (message, option) = ("DHCP message", "end (255)");
        return Err(WireError::MissingOption { message, option, offset: r.pos() });
    }
    Ok(())
}

fn take_message_type(options: &mut Options, options_end: usize) -> Result<DhcpType, WireError> {
    let Some(option) = options.take(code::MESSAGE_TYPE) else {
        let (message, option) = ("DHCP message", "message type (53)");
        return Err(WireError::MissingOption { message, option, offset: options_end });
    };
    let [value] = fixed::<1>(&option, "must be 1 byte")?;
    dhcp_type_from_code(value).ok_or_else(|| WireError::NotModelled {
        what: "message type (option 53)",
        offset: option.offset + 2,
        detail: format!("type {value}; the model knows 1 (DISCOVER) to 8 (INFORM)"),
    })
}

fn take_address(options: &mut Options, code: u8) -> Result<Option<Ipv4Addr>, WireError> {
    let Some(option) = options.take(code) else { return Ok(None) };
    Ok(Some(Ipv4Addr::from(fixed::<4>(&option, "must be 4 bytes (an IPv4 address)")?)))
}

fn take_u32(options: &mut Options, code: u8) -> Result<Option<u32>, WireError> {
    let Some(option) = options.take(code) else { return Ok(None) };
    Ok(Some(u32::from_be_bytes(fixed::<4>(&option, "must be 4 bytes (seconds)")?)))
}

/// The value of a fixed-length option.
fn fixed<const N: usize>(option: &RawOption, expected: &'static str) -> Result<[u8; N], WireError> {
    option.value.as_slice().try_into().map_err(|_| WireError::BadOptionLength {
        code: option.code.into(),
        offset: option.offset,
        length: option.value.len(),
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discover() -> DhcpMessage {
        let mac = Mac([0x02, 0x77, 0, 0, 0, 4]);
        DhcpMessage::request(DhcpType::Discover, 0x1234_5678, mac)
    }

    #[test]
    fn a_discover_is_padded_to_300_bytes_and_decodes_back() {
        let bytes = encode_dhcp(&discover());
        assert_eq!(bytes.len(), BOOTP_MINIMUM);
        assert_eq!(&bytes[236..243], &[99, 130, 83, 99, 53, 1, 1]);
        assert_eq!(bytes[243], code::END);
        assert_eq!(decode_dhcp(&bytes).unwrap(), discover());
    }

    #[test]
    fn a_long_client_id_is_split_and_joined() {
        let mut m = discover();
        m.client_id = Some((0..=255u8).chain(0..100).collect());
        let bytes = encode_dhcp(&m);
        assert!(bytes.len() > BOOTP_MINIMUM);
        assert_eq!(decode_dhcp(&bytes).unwrap(), m);
    }

    #[test]
    fn unknown_options_are_kept_and_overload_is_read() {
        let mut bytes = encode_dhcp(&discover());
        // Replace the end option by: overload = file, then end; put option 51 in file.
        bytes.truncate(243);
        bytes.extend_from_slice(&[52, 1, 1, 12, 3, b'p', b'c', b'1', 255]);
        bytes[FILE_OFFSET..FILE_OFFSET + 7].copy_from_slice(&[51, 4, 0, 0, 0, 60, 255]);
        let decoded = decode_dhcp_full(&bytes).unwrap();
        assert_eq!(decoded.message.lease_time, Some(60));
        let codes: Vec<u8> = decoded.other_options.iter().map(|o| o.code).collect();
        assert_eq!(codes, vec![52, 12]);
        assert_eq!(decoded.other_options[1].value, b"pc1");
    }

    #[test]
    fn errors_name_the_field_and_offset() {
        let bytes = encode_dhcp(&discover());
        let err = decode_dhcp(&bytes[..100]).unwrap_err();
        assert!(matches!(err, WireError::Truncated { field: "sname and file", offset: 44, .. }));
        let mut bad = bytes.clone();
        bad[236] = 0;
        let err = decode_dhcp(&bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            "magic cookie at byte 236 is 8541027, but must be 99.130.83.99 (0x63825363)"
        );
        let mut bad = bytes.clone();
        bad[241..245].copy_from_slice(&[2, 1, 1, 255]);
        let err = decode_dhcp(&bad).unwrap_err();
        assert!(matches!(err, WireError::BadOptionLength { code: 53, offset: 240, length: 2, .. }));
        let mut bad = bytes;
        bad[243] = 0;
        let err = decode_dhcp(&bad).unwrap_err();
        assert!(matches!(err, WireError::MissingOption { offset: 300, .. }), "{err}");
    }
}
