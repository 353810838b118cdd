//! The layers under DHCP and failover: Ethernet II, IPv4 (RFC 791), UDP
//! (RFC 768) and TCP (RFC 9293 §3.1), built and parsed, with the Internet
//! checksum (RFC 1071) over the IPv4 header and over the UDP and TCP
//! pseudo-header, header and data.
//!
//! Builders write what a Linux host sends: IPv4 without options, TTL 64,
//! UDP and TCP checksums filled in. Parsers take any bytes and return views
//! that borrow the payload, or a [`WireError`] with the offset of the bad
//! field; they skip 802.1Q/802.1ad VLAN tags and tolerate Ethernet padding
//! after the IP packet.
//!
//! Not modelled: IPv4 options on output, fragmentation and reassembly, IPv6,
//! TCP options other than MSS, urgent data.

use std::net::Ipv4Addr;

use super::{Reader, WireError};
use crate::addr::Mac;

/// EtherType of IPv4.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// The broadcast hardware address.
pub const BROADCAST_MAC: Mac = Mac([0xff; 6]);
/// IP protocol number of TCP.
pub const PROTO_TCP: u8 = 6;
/// IP protocol number of UDP.
pub const PROTO_UDP: u8 = 17;
/// Length of an Ethernet II header.
pub const ETHERNET_HEADER_LEN: usize = 14;
/// Length of an IPv4 header without options.
pub const IPV4_HEADER_LEN: usize = 20;
/// Length of a UDP header.
pub const UDP_HEADER_LEN: usize = 8;
/// Length of a TCP header without options.
pub const TCP_HEADER_LEN: usize = 20;

/// TCP flag bits.
pub mod tcp_flags {
    /// No more data from the sender.
    pub const FIN: u8 = 0x01;
    /// Synchronise sequence numbers.
    pub const SYN: u8 = 0x02;
    /// Reset the connection.
    pub const RST: u8 = 0x04;
    /// Push the data to the application.
    pub const PSH: u8 = 0x08;
    /// The acknowledgement number is valid.
    pub const ACK: u8 = 0x10;
}

/// The ones' complement of the ones' complement sum of 16-bit words (RFC 1071),
/// over the concatenation of `parts`.
pub fn internet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for byte in parts.iter().flat_map(|p| p.iter().copied()) {
        match odd.take() {
            Some(high) => sum += u64::from(u16::from_be_bytes([high, byte])),
            None => odd = Some(byte),
        }
    }
    if let Some(high) = odd {
        sum += u64::from(u16::from_be_bytes([high, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    // The loop leaves at most 16 bits.
    !(sum as u16)
}

/// An Ethernet II frame.
pub fn ethernet_frame(dst: Mac, src: Mac, ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ETHERNET_HEADER_LEN + payload.len());
    out.extend_from_slice(&dst.0);
    out.extend_from_slice(&src.0);
    out.extend_from_slice(&ethertype.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// The fields of an IPv4 header the builder lets callers choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Header {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Protocol of the payload.
    pub protocol: u8,
    /// Identification.
    pub ident: u16,
    /// Time to live.
    pub ttl: u8,
    /// The don't-fragment flag.
    pub dont_fragment: bool,
}

/// An IPv4 packet with a 20-byte header and its checksum.
pub fn ipv4_packet(h: &Ipv4Header, payload: &[u8]) -> Result<Vec<u8>, WireError> {
    let total = length_u16("IPv4 packet", IPV4_HEADER_LEN + payload.len())?;
    let flags: u16 = if h.dont_fragment { 0x4000 } else { 0 };
    let mut out = Vec::with_capacity(usize::from(total));
    out.extend_from_slice(&[0x45, 0]);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&h.ident.to_be_bytes());
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(&[h.ttl, h.protocol, 0, 0]);
    out.extend_from_slice(&h.src.octets());
    out.extend_from_slice(&h.dst.octets());
    let checksum = internet_checksum(&[&out]);
    // The 20 header bytes are written; the checksum field is bytes 10-11.
    out[10..12].copy_from_slice(&checksum.to_be_bytes());
    out.extend_from_slice(payload);
    Ok(out)
}

/// A UDP datagram with its checksum over the pseudo-header.
pub fn udp_datagram(
    src: Ipv4Addr,
    dst: Ipv4Addr,
    src_port: u16,
    dst_port: u16,
    payload: &[u8],
) -> Result<Vec<u8>, WireError> {
    let length = length_u16("UDP datagram", UDP_HEADER_LEN + payload.len())?;
    let mut out = Vec::with_capacity(usize::from(length));
    out.extend_from_slice(&src_port.to_be_bytes());
    out.extend_from_slice(&dst_port.to_be_bytes());
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(payload);
    let checksum = match transport_checksum(src, dst, PROTO_UDP, &out) {
        // A computed zero is sent as all ones; zero means "no checksum" (RFC 768).
        0 => 0xffff,
        c => c,
    };
    // The 8 header bytes are written; the checksum field is bytes 6-7.
    out[6..8].copy_from_slice(&checksum.to_be_bytes());
    Ok(out)
}

/// One TCP segment to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpSegment<'a> {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgement number (meaningful with the ACK flag).
    pub ack: u32,
    /// Flag bits ([`tcp_flags`]).
    pub flags: u8,
    /// Receive window.
    pub window: u16,
    /// Maximum segment size option, sent on SYN segments.
    pub mss: Option<u16>,
    /// The data.
    pub payload: &'a [u8],
}

/// A TCP segment with its checksum over the pseudo-header.
pub fn tcp_segment(src: Ipv4Addr, dst: Ipv4Addr, s: &TcpSegment<'_>) -> Result<Vec<u8>, WireError> {
    let header_len = TCP_HEADER_LEN + if s.mss.is_some() { 4 } else { 0 };
    length_u16("TCP segment", header_len + s.payload.len())?;
    let mut out = Vec::with_capacity(header_len + s.payload.len());
    out.extend_from_slice(&s.src_port.to_be_bytes());
    out.extend_from_slice(&s.dst_port.to_be_bytes());
    out.extend_from_slice(&s.seq.to_be_bytes());
    out.extend_from_slice(&s.ack.to_be_bytes());
    // Data offset in 32-bit words in the high nibble: 5 or 6, so it fits.
    out.extend_from_slice(&[((header_len / 4) as u8) << 4, s.flags]);
    out.extend_from_slice(&s.window.to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    if let Some(mss) = s.mss {
        out.extend_from_slice(&[2, 4]);
        out.extend_from_slice(&mss.to_be_bytes());
    }
    out.extend_from_slice(s.payload);
    let checksum = transport_checksum(src, dst, PROTO_TCP, &out);
    // At least 20 header bytes are written; the checksum field is bytes 16-17.
    out[16..18].copy_from_slice(&checksum.to_be_bytes());
    Ok(out)
}

/// The UDP or TCP checksum of `segment` (checksum field included as found):
/// zero when a received segment is intact.
pub fn transport_checksum(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, segment: &[u8]) -> u16 {
    // The segment length was checked to fit 16 bits by the builders; a
    // received one is bounded by the 16-bit IPv4 total length.
    let length = (segment.len() as u16).to_be_bytes();
    internet_checksum(&[&src.octets(), &dst.octets(), &[0, protocol], &length, segment])
}

/// An Ethernet II frame, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthernetView<'a> {
    /// Destination address.
    pub dst: Mac,
    /// Source address.
    pub src: Mac,
    /// EtherType after any VLAN tags.
    pub ethertype: u16,
    /// What follows the header (and the tags).
    pub payload: &'a [u8],
}

/// Reads an Ethernet II header, skipping 802.1Q and 802.1ad tags.
pub fn parse_ethernet(bytes: &[u8]) -> Result<EthernetView<'_>, WireError> {
    let mut r = Reader::new(bytes);
    let dst = Mac(r.array("destination address")?);
    let src = Mac(r.array("source address")?);
    let mut ethertype = r.u16("EtherType")?;
    while ethertype == 0x8100 || ethertype == 0x88a8 {
        r.u16("VLAN tag")?;
        ethertype = r.u16("EtherType")?;
    }
    let payload = r.take(r.remaining(), "payload")?;
    Ok(EthernetView { dst, src, ethertype, payload })
}

/// An IPv4 packet, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4View<'a> {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Protocol of the payload.
    pub protocol: u8,
    /// Identification.
    pub ident: u16,
    /// Time to live.
    pub ttl: u8,
    /// Whether this is a fragment (more fragments follow, or offset above 0).
    pub fragment: bool,
    /// Whether the header checksum is right.
    pub checksum_ok: bool,
    /// The payload, without Ethernet padding.
    pub payload: &'a [u8],
}

/// Reads an IPv4 header. A total length of 0 (seen in captures of
/// segmentation-offloaded packets) means "all the captured bytes".
pub fn parse_ipv4(bytes: &[u8]) -> Result<Ipv4View<'_>, WireError> {
    let mut r = Reader::new(bytes);
    let first = r.u8("version and header length")?;
    if first >> 4 != 4 {
        let expected = "must be 4 (IPv4)";
        return Err(WireError::BadValue {
            field: "IP version",
            offset: 0,
            value: (first >> 4).into(),
            expected,
        });
    }
    let header_len = usize::from(first & 0x0f) * 4;
    r.u8("type of service")?;
    let total = match usize::from(r.u16("total length")?) {
        0 => bytes.len(),
        n => n,
    };
    if header_len < IPV4_HEADER_LEN || total < header_len {
        let expected = "header length must be at least 20 and at most the total length";
        let (field, value) = ("IPv4 header length", header_len as u64);
        return Err(WireError::BadValue { field, offset: 0, value, expected });
    }
    let ident = r.u16("identification")?;
    let fragment_bits = r.u16("flags and fragment offset")?;
    let ttl = r.u8("time to live")?;
    let protocol = r.u8("protocol")?;
    r.u16("header checksum")?;
    let src = r.ipv4("source address")?;
    let dst = r.ipv4("destination address")?;
    let mut whole = Reader::new(bytes);
    let header = whole.take(header_len, "IPv4 options")?;
    let payload = whole.take(total - header_len, "IPv4 payload")?;
    let checksum_ok = internet_checksum(&[header]) == 0;
    let fragment = fragment_bits & 0x3fff != 0;
    Ok(Ipv4View { src, dst, protocol, ident, ttl, fragment, checksum_ok, payload })
}

/// A UDP datagram, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpView<'a> {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// The checksum field (0: none sent).
    pub checksum: u16,
    /// The data.
    pub payload: &'a [u8],
}

/// Reads a UDP header; the length field bounds the payload.
pub fn parse_udp(bytes: &[u8]) -> Result<UdpView<'_>, WireError> {
    let mut r = Reader::new(bytes);
    let src_port = r.u16("source port")?;
    let dst_port = r.u16("destination port")?;
    let length = usize::from(r.u16("UDP length")?);
    let checksum = r.u16("UDP checksum")?;
    if length < UDP_HEADER_LEN {
        let (field, value, expected) = ("UDP length", length as u64, "must be at least 8");
        return Err(WireError::BadValue { field, offset: 4, value, expected });
    }
    let payload = r.take(length - UDP_HEADER_LEN, "UDP payload")?;
    Ok(UdpView { src_port, dst_port, checksum, payload })
}

/// A TCP segment, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpView<'a> {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgement number.
    pub ack: u32,
    /// Flag bits ([`tcp_flags`]).
    pub flags: u8,
    /// Receive window.
    pub window: u16,
    /// The data.
    pub payload: &'a [u8],
}

/// Reads a TCP header and skips its options.
pub fn parse_tcp(bytes: &[u8]) -> Result<TcpView<'_>, WireError> {
    let mut r = Reader::new(bytes);
    let src_port = r.u16("source port")?;
    let dst_port = r.u16("destination port")?;
    let seq = r.u32("sequence number")?;
    let ack = r.u32("acknowledgement number")?;
    let header_len = usize::from(r.u8("data offset")? >> 4) * 4;
    let flags = r.u8("flags")?;
    let window = r.u16("window")?;
    r.take(4, "checksum and urgent pointer")?;
    if header_len < TCP_HEADER_LEN {
        let (field, value, expected) =
            ("TCP data offset", header_len as u64, "must be at least 20");
        return Err(WireError::BadValue { field, offset: 12, value, expected });
    }
    r.take(header_len - TCP_HEADER_LEN, "TCP options")?;
    let payload = r.take(r.remaining(), "TCP payload")?;
    Ok(TcpView { src_port, dst_port, seq, ack, flags, window, payload })
}

fn length_u16(what: &'static str, length: usize) -> Result<u16, WireError> {
    u16::try_from(length).map_err(|_| WireError::TooLong { what, length, max: 0xffff })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ipv4_header_checksum_matches_a_known_header() {
        // A textbook header: 192.168.0.1 -> 192.168.0.199, UDP, checksum 0xb861.
        let h = Ipv4Header {
            src: Ipv4Addr::new(192, 168, 0, 1),
            dst: Ipv4Addr::new(192, 168, 0, 199),
            protocol: PROTO_UDP,
            ident: 0,
            ttl: 64,
            dont_fragment: true,
        };
        let packet = ipv4_packet(&h, &[0; 95]).unwrap();
        assert_eq!(&packet[..4], &[0x45, 0, 0, 0x73]);
        assert_eq!(&packet[10..12], &[0xb8, 0x61]);
        let view = parse_ipv4(&packet).unwrap();
        assert!(view.checksum_ok);
        assert_eq!(view.payload.len(), 95);
    }

    #[test]
    fn udp_and_tcp_checksums_verify_to_zero() {
        let (a, b) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        let udp = udp_datagram(a, b, 67, 68, b"odd").unwrap();
        assert_eq!(transport_checksum(a, b, PROTO_UDP, &udp), 0);
        assert_eq!(parse_udp(&udp).unwrap().payload, b"odd");
        let segment = TcpSegment {
            src_port: 49152,
            dst_port: 647,
            seq: 1,
            ack: 2,
            flags: tcp_flags::SYN,
            window: 64240,
            mss: Some(1460),
            payload: b"hello",
        };
        let tcp = tcp_segment(a, b, &segment).unwrap();
        assert_eq!(transport_checksum(a, b, PROTO_TCP, &tcp), 0);
        let view = parse_tcp(&tcp).unwrap();
        assert_eq!(
            (view.seq, view.ack, view.flags, view.payload),
            (1, 2, tcp_flags::SYN, &b"hello"[..])
        );
    }

    #[test]
    fn the_parsers_refuse_short_or_bad_headers() {
        assert!(parse_ethernet(&[0; 13]).is_err());
        assert!(parse_ipv4(&[0x46, 0, 0, 20]).is_err());
        assert!(parse_ipv4(&[0x60; 40]).is_err());
        assert!(parse_udp(&[0, 67, 0, 68, 0, 4, 0, 0]).is_err());
        assert!(parse_tcp(&[0; 20]).is_err());
    }
}
