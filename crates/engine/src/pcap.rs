//! Packet captures: a run's packets as a libpcap file that Wireshark and
//! tshark decode, and a reader for pcap and pcapng files that hands DHCP
//! datagrams and failover messages back to the [`crate::wire`] decoders.
//!
//! [`capture`] writes every packet the run sent ([`Effect::Sent`]) as one
//! Ethernet II frame, time-stamped `start_epoch + sent_at` to the
//! microsecond, on one LAN shared by all hosts:
//!
//! - Clients use their scenario MAC. The primary is [`PRIMARY_MAC`]
//!   (`02:df:00:00:00:01`) at `primary_address`, the secondary
//!   [`SECONDARY_MAC`] (`02:df:00:00:00:02`) at `secondary_address`; both are
//!   locally administered unicast addresses.
//! - DHCP is UDP 68 → 67 and 67 → 68 (RFC 2131 §4.1). A client sends from
//!   its `ciaddr` (0.0.0.0 until bound), to 255.255.255.255 when it
//!   broadcasts or to the server's address when it unicasts. A server
//!   answers a client that has an address at `ciaddr`; it broadcasts a NAK,
//!   a reply whose broadcast bit is set or one without `yiaddr`; otherwise it
//!   unicasts to `yiaddr` at the client's MAC.
//! - Failover runs over TCP (reference notes §4.1), one connection at a
//!   time. The primary connects to the secondary's port 647 from a fresh
//!   ephemeral port per connection ([`PRIMARY_PORT`], then the next ones),
//!   with fresh initial sequence numbers ([`PRIMARY_ISN`] and
//!   [`SECONDARY_ISN`], moved on per connection). The handshake (SYN with
//!   MSS 1460, SYN-ACK, ACK) ends at the step where the primary learns the
//!   connection is up ([`Timer::TcpOpen`]), one link latency per leg
//!   before; a run that starts connected gets its handshake just before the
//!   first failover message. Each message is a PSH/ACK data segment (split
//!   at the MSS if longer) that acknowledges what has reached its sender.
//! - A connection ends when a server's dhcpd gives it up (the peer closed
//!   it, no contact, a refused CONNECTACK, a clock refusal, the link start-up
//!   timeout, a DISCONNECT, an orderly exit): FIN/ACK. A killed process's
//!   connection ends with RST/ACK, and the peer sends nothing more on it. A
//!   side that left a connection without closing it (the secondary that
//!   refused a CONNECT) answers the peer's FIN with its own, and the last FIN
//!   is acknowledged when everything before it arrived.
//! - Every packet appears when it was sent, including those the run then
//!   lost ([`Cause::Dropped`]): the capture is taken on the wire next to the
//!   sender, so a lost packet was seen. A failover message that met a cut
//!   and that TCP sent again after the link healed appears twice, the second
//!   time on the sequence numbers of the first (Wireshark marks it as a
//!   retransmission). A FIN sent into a cut is never acknowledged.
//!
//! IPv4 and UDP/TCP checksums are correct. [`read`] accepts classic pcap
//! (either byte order, micro- or nanosecond) and pcapng (any interface
//! time resolution) with Ethernet, Linux cooked v1/v2, raw IP and BSD
//! loopback link types, and keeps each IPv4 UDP or TCP packet.
//! [`failover_messages`] reassembles each direction of TCP port 647 in
//! sequence order and cuts it into messages by their length field.
//!
//! Not modelled: ARP, ICMP (the ping check), TCP pure ACKs other than the
//! handshake's and the last FIN's, window updates, the retransmissions by
//! which TCP hides `server_link_loss` (the run only delays those messages),
//! the RST a closed socket answers to late data, CONTACT keep-alives (the
//! engine puts none on the wire), relay agents, and pcapng on output. The
//! reader skips IP fragments, IPv6 and other link types; a gap in a TCP
//! stream holds back the messages behind it.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddrV4};

use crate::addr::Mac;
use crate::packet::{
    Body, Destination, DhcpMessage, DhcpType, FailoverMessage, Node, Packet, Role,
};
use crate::scenario::{Action, Config, LinkCut};
use crate::time::Time;
use crate::trace::{Cause, Effect, Step, Timer, Why};
use crate::wire::dhcp::BROADCAST_FLAG;
use crate::wire::failover::{message_length, FAILOVER_PORT, HEADER_LEN};
use crate::wire::net::{self, tcp_flags, Ipv4Header, TcpSegment, BROADCAST_MAC};
use crate::wire::{self, WireError};

/// The primary's hardware address in captures.
pub const PRIMARY_MAC: Mac = Mac([0x02, 0xdf, 0, 0, 0, 0x01]);
/// The secondary's hardware address in captures.
pub const SECONDARY_MAC: Mac = Mac([0x02, 0xdf, 0, 0, 0, 0x02]);
/// The primary's end of the failover connection (the first dynamic port).
pub const PRIMARY_PORT: u16 = 49_152;
/// The primary's initial sequence number.
pub const PRIMARY_ISN: u32 = 0x1000_0000;
/// The secondary's initial sequence number.
pub const SECONDARY_ISN: u32 = 0x2000_0000;
/// Maximum segment size announced and used: Ethernet's 1500 less 40 header bytes.
pub const MSS: u16 = 1460;
/// Link type of Ethernet II in pcap and pcapng files.
pub const LINKTYPE_ETHERNET: u32 = 1;

/// The DHCP server port.
const SERVER_PORT: u16 = 67;
/// The DHCP client port.
const CLIENT_PORT: u16 = 68;
/// The receive window both servers announce.
const WINDOW: u16 = 64_240;
/// Bytes a packet record may hold in the files written here.
const SNAPLEN: u32 = 262_144;

/// Why a capture could not be written or read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PcapError {
    /// A packet of the run could not be turned into bytes.
    #[error("packet {packet} ({name}) cannot be encoded: {source}")]
    Encode {
        /// The packet's id in the run.
        packet: u32,
        /// Its message name.
        name: &'static str,
        /// What went wrong.
        source: WireError,
    },
    /// A TCP segment that opens or closes a connection could not be built.
    #[error("a TCP segment of the failover connection cannot be encoded: {source}")]
    Control {
        /// What went wrong.
        source: WireError,
    },
    /// A packet names a node the capture cannot place on the network.
    #[error("packet {packet} ({name}): {detail}")]
    Unaddressable {
        /// The packet's id in the run.
        packet: u32,
        /// Its message name.
        name: &'static str,
        /// What is missing.
        detail: String,
    },
    /// A time does not fit the file format.
    #[error("time {micros} µs since 1970 does not fit a pcap timestamp (32-bit seconds)")]
    TimeOutOfRange {
        /// The time, microseconds since 1970.
        micros: u64,
    },
    /// The file does not start like a pcap or pcapng file.
    #[error("not a pcap or pcapng file: it starts with {0:02x?}")]
    NotACapture(Vec<u8>),
    /// The file's structure is broken.
    #[error("capture file is malformed at byte {offset}: {detail}")]
    Malformed {
        /// Where, from the start of the file.
        offset: usize,
        /// What is wrong.
        detail: String,
    },
    /// A packet record holds a broken IPv4, UDP or TCP header.
    #[error("frame {frame}: {source}")]
    Frame {
        /// The frame number, from 1.
        frame: usize,
        /// What is wrong; offsets count from the start of that header.
        source: WireError,
    },
    /// A reassembled TCP stream does not cut into failover messages.
    #[error("failover stream {src} → {dst}, at frame {frame}: {source}")]
    Stream {
        /// Sender.
        src: SocketAddrV4,
        /// Receiver.
        dst: SocketAddrV4,
        /// The frame whose data broke the stream.
        frame: usize,
        /// What is wrong; offsets count from the unread part of the stream.
        source: WireError,
    },
}

/// One packet record: when, and the bytes of an Ethernet frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Microseconds since 1970.
    pub timestamp_us: u64,
    /// The frame.
    pub data: Vec<u8>,
}

/// The classic libpcap file of every packet the steps sent.
pub fn capture(cfg: &Config, steps: &[Step]) -> Result<Vec<u8>, PcapError> {
    write_pcap(&capture_records(cfg, steps)?)
}

/// The frames of every packet the steps sent, in time order, with the TCP
/// segments that open and close the failover connections.
pub fn capture_records(cfg: &Config, steps: &[Step]) -> Result<Vec<Record>, PcapError> {
    let mut builder =
        Builder { cfg, records: Vec::new(), idents: BTreeMap::new(), tcp: Connections::new(steps) };
    for step in steps {
        builder.step(step)?;
    }
    builder.finish()?;
    let mut records = builder.records;
    // A stable sort: frames of one instant stay in the order they were made.
    records.sort_by_key(|r| r.timestamp_us);
    Ok(records)
}

/// A classic libpcap file (little-endian, microseconds, Ethernet) of `records`.
pub fn write_pcap(records: &[Record]) -> Result<Vec<u8>, PcapError> {
    let mut out = Vec::with_capacity(24 + records.iter().map(|r| 16 + r.data.len()).sum::<usize>());
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&SNAPLEN.to_le_bytes());
    out.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
    for r in records {
        let micros = r.timestamp_us;
        let secs =
            u32::try_from(micros / 1_000_000).map_err(|_| PcapError::TimeOutOfRange { micros })?;
        let length = u32::try_from(r.data.len()).unwrap_or(u32::MAX).min(SNAPLEN);
        out.extend_from_slice(&secs.to_le_bytes());
        // The remainder of a division by a million fits 32 bits.
        out.extend_from_slice(&((micros % 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&length.to_le_bytes());
        // `length` is at most `data.len()`.
        out.extend_from_slice(&r.data[..length as usize]);
    }
    Ok(out)
}

/// One end of a datagram or segment.
#[derive(Clone, Copy, Debug)]
struct End {
    mac: Mac,
    ip: Ipv4Addr,
    port: u16,
}

/// Builds the frames of a run.
struct Builder<'a> {
    cfg: &'a Config,
    records: Vec<Record>,
    /// The next IPv4 identification per sender.
    idents: BTreeMap<Node, u16>,
    /// The failover connections.
    tcp: Connections,
}

/// The failover TCP connections of a run, as far as the steps so far show them.
#[derive(Debug)]
struct Connections {
    /// Every connection, in the order they were opened.
    all: Vec<Connection>,
    /// The connection each server's dhcpd uses, by [`Role::index`].
    current: [Option<usize>; 2],
    /// When each failover packet reached its receiver, by packet id.
    received: BTreeMap<u32, Time>,
    /// The connection and message each failover packet went out as, by packet id.
    placed: BTreeMap<u32, (usize, usize)>,
    /// Which directions of the link pass (by sender), from each instant on.
    link: Vec<(Time, [bool; 2])>,
    /// The time of the last step seen.
    end: Time,
}

/// One TCP connection between the primary's ephemeral port and port 647.
#[derive(Clone, Debug)]
struct Connection {
    /// The primary's port.
    port: u16,
    /// Each side's sending half, by [`Role::index`].
    sides: [Side; 2],
}

/// What one side of a connection sent.
#[derive(Clone, Debug)]
struct Side {
    /// The initial sequence number.
    isn: u32,
    /// The sequence number of the next byte to send.
    next: u32,
    /// Data and FIN, in sequence order.
    sent: Vec<Sent>,
    /// The FIN or RST that ended this side, and when.
    closed: Option<(Time, Close)>,
}

/// Data (or a FIN) sent on a connection.
#[derive(Clone, Debug)]
struct Sent {
    seq: u32,
    bytes: Vec<u8>,
    /// A FIN: one sequence number, no bytes.
    fin: bool,
    /// When it reached the peer (its last transmission, if it was sent again).
    received_at: Option<Time>,
}

/// How a side ended its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Close {
    /// An orderly close: FIN.
    Fin,
    /// The process was killed: RST.
    Reset,
}

impl Side {
    fn new(isn: u32) -> Side {
        Side { isn, next: isn.wrapping_add(1), sent: Vec::new(), closed: None }
    }

    /// What the peer can acknowledge at `at`: everything up to the first byte
    /// not yet received (TCP acknowledges in order).
    fn delivered_by(&self, at: Time) -> u32 {
        let mut ack = self.isn.wrapping_add(1);
        for s in &self.sent {
            match s.received_at {
                Some(t) if t <= at => ack = s.seq.wrapping_add(s.length()),
                _ => break,
            }
        }
        ack
    }
}

impl Sent {
    fn length(&self) -> u32 {
        // Messages are at most 65 535 bytes (their length field).
        if self.fin {
            1
        } else {
            self.bytes.len() as u32
        }
    }
}

impl Connections {
    fn new(steps: &[Step]) -> Connections {
        let received = steps
            .iter()
            .filter_map(|s| match &s.cause {
                Cause::Received(p) if matches!(p.body, Body::Failover(_)) => Some((p.id, s.at)),
                _ => None,
            })
            .collect();
        Connections {
            all: Vec::new(),
            current: [None, None],
            received,
            placed: BTreeMap::new(),
            link: vec![(Time::ZERO, [true, true])],
            end: Time::ZERO,
        }
    }

    /// Whether segments from `from` got through at `at`.
    fn passes(&self, from: Role, at: Time) -> bool {
        let state = self.link.iter().rev().find(|(t, _)| *t <= at);
        state.is_none_or(|(_, open)| open[from.index()])
    }

    /// The operator cut or healed the link at `at`.
    fn link_changed(&mut self, at: Time, action: &Action) {
        let mut open = self.link.last().map_or([true, true], |(_, o)| *o);
        match action {
            Action::CutLink(LinkCut::Both) => open = [false, false],
            Action::CutLink(LinkCut::ToPrimary) => open[Role::Secondary.index()] = false,
            Action::CutLink(LinkCut::ToSecondary) => open[Role::Primary.index()] = false,
            Action::HealLink => open = [true, true],
            _ => return,
        }
        self.link.push((at, open));
    }

    /// A new connection; the primary is attached to it.
    fn open(&mut self) -> usize {
        let n = self.all.len();
        // A fresh ephemeral port and fresh initial sequence numbers per connection.
        let step = (n as u32).wrapping_mul(0x0100_0000);
        let port = PRIMARY_PORT.wrapping_add(n as u16);
        let sides = [
            Side::new(PRIMARY_ISN.wrapping_add(step)),
            Side::new(SECONDARY_ISN.wrapping_add(step)),
        ];
        self.all.push(Connection { port, sides });
        self.current[Role::Primary.index()] = Some(n);
        n
    }
}

impl Builder<'_> {
    /// The frames of one step: the packets it sent, and the TCP segments of
    /// the connections it opened or closed.
    fn step(&mut self, step: &Step) -> Result<(), PcapError> {
        let role = match step.node {
            Node::Primary => Some(Role::Primary),
            Node::Secondary => Some(Role::Secondary),
            Node::Client(_) | Node::Operator => None,
        };
        match &step.cause {
            Cause::Script(action) => self.tcp.link_changed(step.at, action),
            Cause::Timer(Timer::TcpOpen) => {
                let c = self.tcp.open();
                // SYN and SYN-ACK crossed the link before the primary learnt of it.
                let latency = self.cfg.link_latency.0;
                let syn = Time(step.at.0.saturating_sub(2 * latency));
                let syn_ack = Time(step.at.0.saturating_sub(latency));
                self.handshake(c, [syn, syn_ack, step.at])?;
            }
            Cause::Received(p) => {
                // The secondary takes up the connection its CONNECT came on.
                let connect = matches!(p.body, Body::Failover(FailoverMessage::Connect(_)));
                if let (Some(Role::Secondary), true) = (role, connect) {
                    let conn = self.tcp.placed.get(&p.id).map(|&(c, _)| c);
                    self.tcp.current[Role::Secondary.index()] = conn;
                }
            }
            Cause::Timer(_) | Cause::Dropped(..) => {}
        }
        for effect in &step.effects {
            match (effect, role) {
                (Effect::Sent { packet, why }, _) => {
                    self.packet(packet, why)?;
                    if let (Why::ConnectRefused { .. }, Some(r)) = (why, role) {
                        // The refusing secondary leaves the connection to the primary to close.
                        self.tcp.current[r.index()] = None;
                    }
                }
                (Effect::Note { why }, Some(r)) => {
                    if let Some(close) = ends_connection(why) {
                        self.close(r, close, step.at)?;
                    }
                }
                _ => {}
            }
        }
        self.tcp.end = self.tcp.end.max(step.at);
        Ok(())
    }

    fn packet(&mut self, p: &Packet, why: &Why) -> Result<(), PcapError> {
        let at = self.micros(p.sent_at);
        match &p.body {
            Body::Dhcp(m) => self.dhcp(p, m, at),
            Body::Failover(m) => self.failover(p, m, why),
        }
    }

    /// `at` as microseconds since 1970. A time too large for u64 saturates,
    /// and `write_pcap` then refuses it.
    fn micros(&self, at: Time) -> u64 {
        let epoch = self.cfg.start_epoch.saturating_mul(1_000_000);
        epoch.saturating_add(at.millis().saturating_mul(1000))
    }

    fn dhcp(&mut self, p: &Packet, m: &DhcpMessage, at: u64) -> Result<(), PcapError> {
        let (src, dst) = match p.from {
            Node::Client(i) => (
                End { mac: self.client_mac(p, i)?, ip: m.ciaddr, port: CLIENT_PORT },
                self.request_destination(p)?,
            ),
            Node::Primary => {
                (self.server(Role::Primary, SERVER_PORT), self.reply_destination(p, m)?)
            }
            Node::Secondary => {
                (self.server(Role::Secondary, SERVER_PORT), self.reply_destination(p, m)?)
            }
            Node::Operator => return Err(unaddressable(p, "the operator sends no packets".into())),
        };
        let payload = wire::encode_dhcp(m);
        let udp = net::udp_datagram(src.ip, dst.ip, src.port, dst.port, &payload)
            .map_err(|source| encode_error(p, source))?;
        self.emit(p.from, (&src, &dst), net::PROTO_UDP, &udp, at)
            .map_err(|source| encode_error(p, source))
    }

    /// Where a client's message goes: everyone, or one server.
    fn request_destination(&self, p: &Packet) -> Result<End, PcapError> {
        match p.to {
            Destination::Broadcast => Ok(broadcast(SERVER_PORT)),
            Destination::Unicast(Node::Primary) => Ok(self.server(Role::Primary, SERVER_PORT)),
            Destination::Unicast(Node::Secondary) => Ok(self.server(Role::Secondary, SERVER_PORT)),
            Destination::Unicast(Node::Client(_) | Node::Operator) => {
                Err(unaddressable(p, "a client sends DHCP to another client".into()))
            }
        }
    }

    /// Where a server's reply goes when no relay is involved (RFC 2131 §4.1).
    fn reply_destination(&self, p: &Packet, m: &DhcpMessage) -> Result<End, PcapError> {
        let mac = match p.to {
            Destination::Unicast(Node::Client(i)) => self.client_mac(p, i)?,
            _ => m.chaddr,
        };
        let wants_broadcast = m.flags & BROADCAST_FLAG != 0 || m.yiaddr.is_unspecified();
        let unicast_ip = if p.to == Destination::Broadcast || m.message_type == DhcpType::Nak {
            None
        } else if !m.ciaddr.is_unspecified() {
            Some(m.ciaddr)
        } else if wants_broadcast {
            None
        } else {
            Some(m.yiaddr)
        };
        Ok(match unicast_ip {
            Some(ip) => End { mac, ip, port: CLIENT_PORT },
            None => broadcast(CLIENT_PORT),
        })
    }

    /// A failover message: data on the sender's connection (opened first if
    /// the run starts connected), or the same sequence numbers again when TCP
    /// sends held data after a cut.
    fn failover(&mut self, p: &Packet, m: &FailoverMessage, why: &Why) -> Result<(), PcapError> {
        let role = match p.from {
            Node::Primary => Role::Primary,
            Node::Secondary => Role::Secondary,
            Node::Client(_) | Node::Operator => {
                return Err(unaddressable(p, "a client sends a failover message".into()))
            }
        };
        let bytes =
            wire::encode_failover(m, self.cfg.start_epoch).map_err(|e| encode_error(p, e))?;
        let c = match self.tcp.current[role.index()] {
            Some(c) => c,
            None => self.attach(role, p.sent_at)?,
        };
        let received_at = self.tcp.received.get(&p.id).copied();
        let side = &mut self.tcp.all[c].sides[role.index()];
        let again = match why {
            Why::TcpRetransmit => {
                side.sent.iter().position(|s| !s.fin && s.received_at.is_none() && s.bytes == bytes)
            }
            _ => None,
        };
        let index = match again {
            Some(i) => {
                side.sent[i].received_at = received_at;
                i
            }
            None => {
                let seq = side.next;
                // A failover message is at most 65 535 bytes (its length field).
                side.next = seq.wrapping_add(bytes.len() as u32);
                side.sent.push(Sent { seq, bytes: Vec::new(), fin: false, received_at });
                side.sent.len() - 1
            }
        };
        let seq = side.sent[index].seq;
        side.sent[index].bytes.clone_from(&bytes);
        self.tcp.placed.insert(p.id, (c, index));
        let ack = self.tcp.all[c].sides[role.peer().index()].delivered_by(p.sent_at);
        let at = self.micros(p.sent_at);
        let chunks: Vec<&[u8]> = bytes.chunks(usize::from(MSS)).collect();
        let mut offset = 0u32;
        for (i, chunk) in chunks.iter().enumerate() {
            let push = if i + 1 == chunks.len() { tcp_flags::PSH } else { 0 };
            let flags = push | tcp_flags::ACK;
            let segment = (seq.wrapping_add(offset), ack, flags);
            self.segment(c, role, segment, chunk, at).map_err(|e| encode_error(p, e))?;
            // Chunks are at most MSS bytes.
            offset = offset.wrapping_add(chunk.len() as u32);
        }
        Ok(())
    }

    /// A server sends with no connection in the capture yet: the run started
    /// connected. The primary's connection is opened just before; the
    /// secondary takes the latest one still open on its side.
    fn attach(&mut self, role: Role, at: Time) -> Result<usize, PcapError> {
        let latest = self.tcp.all.len().checked_sub(1);
        let open_here = latest.filter(|&c| self.tcp.all[c].sides[role.index()].closed.is_none());
        let c = match (role, open_here) {
            (Role::Secondary, Some(c)) => c,
            _ => {
                let c = self.tcp.open();
                self.handshake(c, [at, at, at])?;
                c
            }
        };
        self.tcp.current[role.index()] = Some(c);
        Ok(c)
    }

    /// SYN, SYN-ACK and ACK at the three instants: the primary connects to
    /// the secondary's port 647.
    fn handshake(&mut self, c: usize, at: [Time; 3]) -> Result<(), PcapError> {
        let [p_isn, s_isn] = self.tcp.all[c].sides.each_ref().map(|s| s.isn);
        let (p_next, s_next) = (p_isn.wrapping_add(1), s_isn.wrapping_add(1));
        let steps = [
            (Role::Primary, p_isn, 0, tcp_flags::SYN),
            (Role::Secondary, s_isn, p_next, tcp_flags::SYN | tcp_flags::ACK),
            (Role::Primary, p_next, s_next, tcp_flags::ACK),
        ];
        for ((role, seq, ack, flags), at) in steps.into_iter().zip(at) {
            let at = self.micros(at);
            self.segment(c, role, (seq, ack, flags), &[], at).map_err(control_error)?;
        }
        Ok(())
    }

    /// `role`'s dhcpd gives up its connection at `at`: FIN, or RST when the
    /// process was killed. Nothing is sent on a connection the peer reset.
    fn close(&mut self, role: Role, close: Close, at: Time) -> Result<(), PcapError> {
        let Some(c) = self.tcp.current[role.index()].take() else { return Ok(()) };
        let peer = &self.tcp.all[c].sides[role.peer().index()];
        if matches!(peer.closed, Some((_, Close::Reset))) {
            return Ok(());
        }
        let ack = peer.delivered_by(at);
        self.fin_or_reset(c, role, close, ack, at)
    }

    fn fin_or_reset(
        &mut self,
        c: usize,
        role: Role,
        close: Close,
        ack: u32,
        at: Time,
    ) -> Result<(), PcapError> {
        let received_at = self.tcp.passes(role, at).then(|| at.plus(self.cfg.link_latency));
        let side = &mut self.tcp.all[c].sides[role.index()];
        let seq = side.next;
        side.closed = Some((at, close));
        let flags = match close {
            Close::Fin => {
                side.next = seq.wrapping_add(1);
                side.sent.push(Sent { seq, bytes: Vec::new(), fin: true, received_at });
                tcp_flags::FIN | tcp_flags::ACK
            }
            Close::Reset => tcp_flags::RST | tcp_flags::ACK,
        };
        let at = self.micros(at);
        self.segment(c, role, (seq, ack, flags), &[], at).map_err(control_error)
    }

    /// What the steps leave implied: a side that had left its connection
    /// without closing it (a refused CONNECT) closes it when the peer's FIN
    /// arrives, and each side's kernel acknowledges a FIN its own FIN did not.
    fn finish(&mut self) -> Result<(), PcapError> {
        let end = self.tcp.end;
        for c in 0..self.tcp.all.len() {
            for role in [Role::Primary, Role::Secondary] {
                let conn = &self.tcp.all[c];
                let (me, peer) = (&conn.sides[role.index()], &conn.sides[role.peer().index()]);
                let attached = self.tcp.current[role.index()] == Some(c);
                let peer_fin = fin_arrival(peer).filter(|t| *t <= end);
                if let (None, false, Some(t)) = (me.closed, attached, peer_fin) {
                    let ack = peer.delivered_by(t);
                    self.fin_or_reset(c, role, Close::Fin, ack, t)?;
                }
            }
            for role in [Role::Primary, Role::Secondary] {
                let conn = &self.tcp.all[c];
                let (me, peer) = (&conn.sides[role.index()], &conn.sides[role.peer().index()]);
                let Some((closed_at, Close::Fin)) = me.closed else { continue };
                let Some(t) = fin_arrival(peer).filter(|t| *t <= end && *t > closed_at) else {
                    continue;
                };
                // Only when everything before the FIN arrived too (data that
                // reached a stopped process is not modelled).
                let ack = peer.delivered_by(t);
                if ack == peer.next && self.tcp.passes(role, t) {
                    let segment = (me.next, ack, tcp_flags::ACK);
                    let at = self.micros(t);
                    self.segment(c, role, segment, &[], at).map_err(control_error)?;
                }
            }
        }
        Ok(())
    }

    /// One TCP segment of connection `c` from `role`: (seq, ack, flags).
    fn segment(
        &mut self,
        c: usize,
        role: Role,
        (seq, ack, flags): (u32, u32, u8),
        payload: &[u8],
        at: u64,
    ) -> Result<(), WireError> {
        let port = self.tcp.all[c].port;
        let end = |r: Role| match r {
            Role::Primary => self.server(r, port),
            Role::Secondary => self.server(r, FAILOVER_PORT),
        };
        let (src, dst) = (end(role), end(role.peer()));
        let segment = TcpSegment {
            src_port: src.port,
            dst_port: dst.port,
            seq,
            ack,
            flags,
            window: WINDOW,
            mss: (flags & tcp_flags::SYN != 0).then_some(MSS),
            payload,
        };
        let tcp = net::tcp_segment(src.ip, dst.ip, &segment)?;
        self.emit(role.node(), (&src, &dst), net::PROTO_TCP, &tcp, at)
    }

    /// Wraps a UDP or TCP segment from `sender` in IPv4 and Ethernet and records it.
    fn emit(
        &mut self,
        sender: Node,
        (src, dst): (&End, &End),
        protocol: u8,
        segment: &[u8],
        at: u64,
    ) -> Result<(), WireError> {
        let ident = self.idents.entry(sender).or_insert(0);
        *ident = ident.wrapping_add(1);
        let header = Ipv4Header {
            src: src.ip,
            dst: dst.ip,
            protocol,
            ident: *ident,
            ttl: 64,
            dont_fragment: protocol == net::PROTO_TCP,
        };
        let ip = net::ipv4_packet(&header, segment)?;
        let data = net::ethernet_frame(dst.mac, src.mac, net::ETHERTYPE_IPV4, &ip);
        self.records.push(Record { timestamp_us: at, data });
        Ok(())
    }

    fn server(&self, role: Role, port: u16) -> End {
        match role {
            Role::Primary => End { mac: PRIMARY_MAC, ip: self.cfg.primary_address, port },
            Role::Secondary => End { mac: SECONDARY_MAC, ip: self.cfg.secondary_address, port },
        }
    }

    fn client_mac(&self, p: &Packet, index: u16) -> Result<Mac, PcapError> {
        match self.cfg.clients.get(usize::from(index)) {
            Some(client) => Ok(client.mac),
            None => Err(unaddressable(p, format!("the scenario has no client number {index}"))),
        }
    }
}

fn broadcast(port: u16) -> End {
    End { mac: BROADCAST_MAC, ip: Ipv4Addr::BROADCAST, port }
}

fn encode_error(p: &Packet, source: WireError) -> PcapError {
    PcapError::Encode { packet: p.id, name: p.name(), source }
}

fn control_error(source: WireError) -> PcapError {
    PcapError::Control { source }
}

/// When a side's FIN reached the peer, if it did.
fn fin_arrival(side: &Side) -> Option<Time> {
    match side.closed {
        Some((_, Close::Fin)) => side.sent.iter().rev().find(|s| s.fin).and_then(|s| s.received_at),
        _ => None,
    }
}

/// How a step's note ends the connection of the server that acted, if it does.
fn ends_connection(why: &Why) -> Option<Close> {
    match why {
        Why::ProcessKilled => Some(Close::Reset),
        Why::PeerClosed
        | Why::NoContact { .. }
        | Why::ConnectAckRefused { .. }
        | Why::SkewDisconnect { .. }
        | Why::LinkStartupTimeout
        | Why::OrderlyExit { .. }
        | Why::DisconnectReceived { .. } => Some(Close::Fin),
        _ => None,
    }
}

fn unaddressable(p: &Packet, detail: String) -> PcapError {
    PcapError::Unaddressable { packet: p.id, name: p.name(), detail }
}

/// An IPv4 UDP or TCP packet found in a capture file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedFrame {
    /// Its position among the file's packet records, from 1 (Wireshark's frame number).
    pub number: usize,
    /// Microseconds since 1970.
    pub timestamp_us: u64,
    /// Ethernet source address (on Ethernet links).
    pub src_mac: Option<Mac>,
    /// Ethernet destination address (on Ethernet links).
    pub dst_mac: Option<Mac>,
    /// IPv4 source address.
    pub src: Ipv4Addr,
    /// IPv4 destination address.
    pub dst: Ipv4Addr,
    /// Whether the IPv4 header checksum is right.
    pub ip_checksum_ok: bool,
    /// The UDP or TCP part.
    pub transport: Transport,
}

/// The transport layer of a captured packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transport {
    /// A UDP datagram.
    Udp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
        /// Whether the checksum is right (or absent).
        checksum_ok: bool,
        /// The data.
        payload: Vec<u8>,
    },
    /// A TCP segment.
    Tcp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
        /// Sequence number.
        seq: u32,
        /// Acknowledgement number.
        ack: u32,
        /// Flag bits ([`tcp_flags`]).
        flags: u8,
        /// Whether the checksum is right.
        checksum_ok: bool,
        /// The data.
        payload: Vec<u8>,
    },
}

impl CapturedFrame {
    /// Source and destination ports.
    pub fn ports(&self) -> (u16, u16) {
        match &self.transport {
            Transport::Udp { src_port, dst_port, .. }
            | Transport::Tcp { src_port, dst_port, .. } => (*src_port, *dst_port),
        }
    }

    /// The UDP or TCP data.
    pub fn payload(&self) -> &[u8] {
        match &self.transport {
            Transport::Udp { payload, .. } | Transport::Tcp { payload, .. } => payload,
        }
    }

    /// Whether this is a UDP datagram between the DHCP ports 67 and 68.
    pub fn is_dhcp(&self) -> bool {
        let (a, b) = self.ports();
        matches!(self.transport, Transport::Udp { .. })
            && [a, b].iter().all(|p| *p == SERVER_PORT || *p == CLIENT_PORT)
    }

    /// Whether the IPv4 and the UDP or TCP checksums are all right.
    pub fn checksums_ok(&self) -> bool {
        let transport_ok = match &self.transport {
            Transport::Udp { checksum_ok, .. } | Transport::Tcp { checksum_ok, .. } => *checksum_ok,
        };
        self.ip_checksum_ok && transport_ok
    }
}

/// Reads a pcap or pcapng file and keeps its IPv4 UDP and TCP packets.
///
/// Other packets (ARP, IPv6, fragments, other link types) are skipped; their
/// frame numbers are still counted.
pub fn read(bytes: &[u8]) -> Result<Vec<CapturedFrame>, PcapError> {
    match bytes.get(..4) {
        Some([0x0a, 0x0d, 0x0d, 0x0a]) => read_pcapng(bytes),
        Some([0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1]) => {
            read_classic(bytes, Endian::Little)
        }
        Some([0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d]) => {
            read_classic(bytes, Endian::Big)
        }
        _ => Err(PcapError::NotACapture(bytes.iter().take(4).copied().collect())),
    }
}

/// A failover message reassembled from a TCP stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamMessage {
    /// The frame whose data completed it.
    pub frame: usize,
    /// That frame's time, microseconds since 1970.
    pub timestamp_us: u64,
    /// Sender.
    pub src: SocketAddrV4,
    /// Receiver.
    pub dst: SocketAddrV4,
    /// The message, header included: input for [`wire::Frame::decode`].
    pub bytes: Vec<u8>,
}

/// Every failover message carried on TCP port 647, in the order they were completed.
pub fn failover_messages(frames: &[CapturedFrame]) -> Result<Vec<StreamMessage>, PcapError> {
    tcp_messages(frames, FAILOVER_PORT)
}

/// Every failover-framed message carried on TCP `port` (either side), in the
/// order they were completed. Each direction of each connection is put back
/// in sequence order; retransmitted bytes are used once.
pub fn tcp_messages(frames: &[CapturedFrame], port: u16) -> Result<Vec<StreamMessage>, PcapError> {
    let mut flows: BTreeMap<(SocketAddrV4, SocketAddrV4), Flow> = BTreeMap::new();
    let mut out = Vec::new();
    for frame in frames {
        let Transport::Tcp { src_port, dst_port, seq, flags, payload, .. } = &frame.transport
        else {
            continue;
        };
        if *src_port != port && *dst_port != port {
            continue;
        }
        let (src, dst) =
            (SocketAddrV4::new(frame.src, *src_port), SocketAddrV4::new(frame.dst, *dst_port));
        let flow = flows.entry((src, dst)).or_default();
        flow.segment(*seq, *flags, payload);
        let messages = flow.messages().map_err(|source| PcapError::Stream {
            src,
            dst,
            frame: frame.number,
            source,
        })?;
        out.extend(messages.into_iter().map(|bytes| StreamMessage {
            frame: frame.number,
            timestamp_us: frame.timestamp_us,
            src,
            dst,
            bytes,
        }));
    }
    Ok(out)
}

/// One direction of a TCP connection being put back together.
#[derive(Debug, Default)]
struct Flow {
    /// The sequence number of the next byte wanted.
    next: Option<u32>,
    /// Bytes in order, not yet cut into messages.
    buffer: Vec<u8>,
    /// Segments that arrived ahead of a gap.
    pending: Vec<(u32, Vec<u8>)>,
}

impl Flow {
    fn segment(&mut self, seq: u32, flags: u8, payload: &[u8]) {
        if flags & tcp_flags::RST != 0 {
            *self = Flow::default();
            return;
        }
        let mut seq = seq;
        if flags & tcp_flags::SYN != 0 {
            // A SYN starts a new connection; its sequence number counts one byte.
            seq = seq.wrapping_add(1);
            *self = Flow { next: Some(seq), ..Flow::default() };
        }
        if payload.is_empty() {
            return;
        }
        let next = *self.next.get_or_insert(seq);
        self.pending.push((seq, payload.to_vec()));
        self.drain(next);
    }

    /// Moves every segment that continues the stream into the buffer.
    fn drain(&mut self, mut next: u32) {
        loop {
            // Sequence numbers wrap: compare by signed distance (RFC 9293 §3.4).
            self.pending
                .retain(|(seq, data)| seq.wrapping_sub(next) as i32 as i64 + data.len() as i64 > 0);
            let Some(i) =
                self.pending.iter().position(|(seq, _)| seq.wrapping_sub(next) as i32 <= 0)
            else {
                break;
            };
            let (seq, data) = self.pending.swap_remove(i);
            let skip = next.wrapping_sub(seq) as usize;
            let fresh = data.get(skip..).unwrap_or_default();
            self.buffer.extend_from_slice(fresh);
            // Segment data is bounded by the 16-bit IPv4 length.
            next = next.wrapping_add(fresh.len() as u32);
        }
        self.next = Some(next);
    }

    /// Cuts the complete messages off the front of the buffer.
    fn messages(&mut self) -> Result<Vec<Vec<u8>>, WireError> {
        let mut out = Vec::new();
        while let Some(length) = message_length(&self.buffer) {
            if length < HEADER_LEN {
                let (field, expected) =
                    ("message length", "must be at least 12, the header's size");
                return Err(WireError::BadValue {
                    field,
                    offset: 0,
                    value: length as u64,
                    expected,
                });
            }
            if self.buffer.len() < length {
                break;
            }
            out.push(self.buffer.drain(..length).collect());
        }
        Ok(out)
    }
}

/// Byte order of a capture file or section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

/// Bounds-checked reads from a capture file.
#[derive(Clone, Copy)]
struct File<'a> {
    bytes: &'a [u8],
    endian: Endian,
}

impl<'a> File<'a> {
    fn slice(&self, offset: usize, length: usize, what: &str) -> Result<&'a [u8], PcapError> {
        offset.checked_add(length).and_then(|end| self.bytes.get(offset..end)).ok_or_else(|| {
            PcapError::Malformed { offset, detail: format!("{what} runs past the end of the file") }
        })
    }

    fn array<const N: usize>(&self, offset: usize, what: &str) -> Result<[u8; N], PcapError> {
        let bytes = self.slice(offset, N, what)?;
        // `slice` returned exactly N bytes, so the conversion cannot fail.
        bytes.try_into().map_err(|_| PcapError::Malformed { offset, detail: what.to_string() })
    }

    fn u16(&self, offset: usize, what: &str) -> Result<u16, PcapError> {
        let pair = self.array(offset, what)?;
        Ok(match self.endian {
            Endian::Little => u16::from_le_bytes(pair),
            Endian::Big => u16::from_be_bytes(pair),
        })
    }

    fn u32(&self, offset: usize, what: &str) -> Result<u32, PcapError> {
        let quad = self.array(offset, what)?;
        Ok(match self.endian {
            Endian::Little => u32::from_le_bytes(quad),
            Endian::Big => u32::from_be_bytes(quad),
        })
    }
}

fn read_classic(bytes: &[u8], endian: Endian) -> Result<Vec<CapturedFrame>, PcapError> {
    let file = File { bytes, endian };
    let nanos = file.u32(0, "magic number")? == 0xa1b2_3c4d;
    // The low 16 bits hold the link type; higher bits describe an FCS.
    let link_type = file.u32(20, "file header")? & 0xffff;
    let mut out = Vec::new();
    let (mut offset, mut number) = (24, 0);
    while offset < bytes.len() {
        number += 1;
        let secs = u64::from(file.u32(offset, "record header")?);
        let fraction = u64::from(file.u32(offset + 4, "record header")?);
        let length = file.u32(offset + 8, "record header")? as usize;
        let data = file.slice(offset + 16, length, "packet data")?;
        let micros = secs * 1_000_000 + if nanos { fraction / 1000 } else { fraction };
        out.extend(decode_record(number, micros, link_type, data)?);
        offset += 16 + length;
    }
    Ok(out)
}

/// An interface of a pcapng section.
#[derive(Clone, Copy, Debug)]
struct Interface {
    link_type: u32,
    /// Timestamp units per second.
    units_per_second: u64,
}

fn read_pcapng(bytes: &[u8]) -> Result<Vec<CapturedFrame>, PcapError> {
    let mut file = File { bytes, endian: Endian::Little };
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut out = Vec::new();
    let (mut offset, mut number) = (0usize, 0usize);
    while offset < bytes.len() {
        let raw_type = file.slice(offset, 4, "block type")?;
        if raw_type == [0x0a, 0x0d, 0x0d, 0x0a] {
            file.endian = section_endian(&file, offset)?;
            interfaces.clear();
        }
        let block_type = file.u32(offset, "block type")?;
        let length = file.u32(offset + 4, "block length")? as usize;
        if length < 12 || !length.is_multiple_of(4) {
            let detail = format!("block length {length} is not a multiple of 4 of at least 12");
            return Err(PcapError::Malformed { offset: offset + 4, detail });
        }
        let body = file.slice(offset + 8, length - 12, "block")?;
        let block = File { bytes: body, endian: file.endian };
        match block_type {
            1 => interfaces.push(interface(&block, offset + 8)?),
            2 | 3 | 6 => {
                number += 1;
                let (iface, micros, data) =
                    packet_block(&block, block_type, &interfaces, offset + 8)?;
                out.extend(decode_record(number, micros, iface.link_type, data)?);
            }
            _ => {}
        }
        offset += length;
    }
    Ok(out)
}

fn section_endian(file: &File<'_>, offset: usize) -> Result<Endian, PcapError> {
    match file.slice(offset + 8, 4, "byte-order magic")? {
        [0x4d, 0x3c, 0x2b, 0x1a] => Ok(Endian::Little),
        [0x1a, 0x2b, 0x3c, 0x4d] => Ok(Endian::Big),
        other => Err(PcapError::Malformed {
            offset: offset + 8,
            detail: format!("byte-order magic {other:02x?}"),
        }),
    }
}

/// An Interface Description Block: link type and `if_tsresol` (option 9).
fn interface(block: &File<'_>, base: usize) -> Result<Interface, PcapError> {
    let link_type = u32::from(block.u16(0, "interface link type")?);
    let mut units_per_second = 1_000_000;
    let mut offset = 8;
    while offset + 4 <= block.bytes.len() {
        let code = block.u16(offset, "option code")?;
        let length = usize::from(block.u16(offset + 2, "option length")?);
        let value = block.slice(offset + 4, length, "option value")?;
        match (code, value) {
            (0, _) => break,
            (9, [resolution]) => units_per_second = resolution_units(*resolution, base + offset)?,
            _ => {}
        }
        offset += 4 + length.div_ceil(4) * 4;
    }
    Ok(Interface { link_type, units_per_second })
}

/// Timestamp units per second of an `if_tsresol` value: 10^-n or, with the top bit, 2^-n.
fn resolution_units(resolution: u8, offset: usize) -> Result<u64, PcapError> {
    let exponent = u32::from(resolution & 0x7f);
    let units = if resolution & 0x80 == 0 {
        10u64.checked_pow(exponent)
    } else {
        2u64.checked_pow(exponent)
    };
    units.filter(|u| *u > 0).ok_or_else(|| PcapError::Malformed {
        offset,
        detail: format!("timestamp resolution {resolution:#04x}"),
    })
}

/// The interface, time and data of an Enhanced (6), Simple (3) or obsolete (2) Packet Block.
fn packet_block<'a>(
    block: &File<'a>,
    block_type: u32,
    interfaces: &[Interface],
    base: usize,
) -> Result<(Interface, u64, &'a [u8]), PcapError> {
    let (iface_id, stamp, data) = match block_type {
        3 => {
            let length = block.u32(0, "original length")? as usize;
            (
                0,
                None,
                block.slice(4, length.min(block.bytes.len().saturating_sub(4)), "packet data")?,
            )
        }
        _ => {
            let iface_id = match block_type {
                2 => usize::from(block.u16(0, "interface id")?),
                _ => block.u32(0, "interface id")? as usize,
            };
            let stamp = (u64::from(block.u32(4, "timestamp")?) << 32)
                | u64::from(block.u32(8, "timestamp")?);
            let length = block.u32(12, "captured length")? as usize;
            (iface_id, Some(stamp), block.slice(20, length, "packet data")?)
        }
    };
    let Some(iface) = interfaces.get(iface_id).copied() else {
        return Err(PcapError::Malformed {
            offset: base,
            detail: format!("packet names interface {iface_id}, which is not described"),
        });
    };
    let micros = stamp.map_or(0, |s| {
        let micros = u128::from(s) * 1_000_000 / u128::from(iface.units_per_second);
        u64::try_from(micros).unwrap_or(u64::MAX)
    });
    Ok((iface, micros, data))
}

/// The IPv4 UDP or TCP packet in one record, if it holds one.
fn decode_record(
    number: usize,
    micros: u64,
    link_type: u32,
    data: &[u8],
) -> Result<Option<CapturedFrame>, PcapError> {
    let err = |source| PcapError::Frame { frame: number, source };
    let Some((macs, ethertype, l3)) = link_layer(link_type, data).map_err(err)? else {
        return Ok(None);
    };
    if ethertype != net::ETHERTYPE_IPV4 {
        return Ok(None);
    }
    let ip = net::parse_ipv4(l3).map_err(err)?;
    if ip.fragment {
        return Ok(None);
    }
    let Some(transport) = transport(&ip).map_err(err)? else {
        return Ok(None);
    };
    Ok(Some(CapturedFrame {
        number,
        timestamp_us: micros,
        src_mac: macs.map(|(src, _)| src),
        dst_mac: macs.map(|(_, dst)| dst),
        src: ip.src,
        dst: ip.dst,
        ip_checksum_ok: ip.checksum_ok,
        transport,
    }))
}

/// Source and destination MACs (on Ethernet), EtherType, and the network-layer bytes.
type LinkLayer<'a> = Option<(Option<(Mac, Mac)>, u16, &'a [u8])>;

fn link_layer(link_type: u32, data: &[u8]) -> Result<LinkLayer<'_>, WireError> {
    let after = |length: usize| {
        data.get(length..).ok_or(WireError::Truncated {
            field: "link-layer header",
            offset: 0,
            needed: length,
            available: data.len(),
        })
    };
    Ok(match link_type {
        1 => {
            let e = net::parse_ethernet(data)?;
            Some((Some((e.src, e.dst)), e.ethertype, e.payload))
        }
        // Linux cooked capture v1: protocol at bytes 14-15 of a 16-byte header.
        113 => Some((None, be16_at(data, 14), after(16)?)),
        // Linux cooked capture v2: protocol at bytes 0-1 of a 20-byte header.
        276 => Some((None, be16_at(data, 0), after(20)?)),
        // Raw IP.
        101 | 228 => Some((None, net::ETHERTYPE_IPV4, data)),
        // BSD loopback: a 4-byte address family in the writer's byte order, 2 = IPv4.
        0 => {
            let rest = after(4)?;
            match data.get(..4) {
                Some([2, 0, 0, 0] | [0, 0, 0, 2]) => Some((None, net::ETHERTYPE_IPV4, rest)),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The big-endian 16-bit number at `offset`, or 0 past the end.
fn be16_at(data: &[u8], offset: usize) -> u16 {
    match data.get(offset..offset.saturating_add(2)) {
        Some(&[high, low]) => u16::from_be_bytes([high, low]),
        _ => 0,
    }
}

fn transport(ip: &net::Ipv4View<'_>) -> Result<Option<Transport>, WireError> {
    let segment = ip.payload;
    Ok(match ip.protocol {
        net::PROTO_UDP => {
            let u = net::parse_udp(segment)?;
            let whole = segment.get(..net::UDP_HEADER_LEN + u.payload.len()).unwrap_or(segment);
            let checksum_ok =
                u.checksum == 0 || net::transport_checksum(ip.src, ip.dst, ip.protocol, whole) == 0;
            Some(Transport::Udp {
                src_port: u.src_port,
                dst_port: u.dst_port,
                checksum_ok,
                payload: u.payload.to_vec(),
            })
        }
        net::PROTO_TCP => {
            let t = net::parse_tcp(segment)?;
            let checksum_ok = net::transport_checksum(ip.src, ip.dst, ip.protocol, segment) == 0;
            Some(Transport::Tcp {
                src_port: t.src_port,
                dst_port: t.dst_port,
                seq: t.seq,
                ack: t.ack,
                flags: t.flags,
                checksum_ok,
                payload: t.payload.to_vec(),
            })
        }
        _ => None,
    })
}
