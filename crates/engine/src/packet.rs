//! The messages the simulation puts on its wires, as typed values.
//!
//! DHCP messages carry the RFC 2131 §2 fixed fields and the RFC 2132 options
//! the model uses (message type 53, server identifier 54, requested address
//! 50, lease time 51, T1 58, T2 59, client identifier 61). Failover messages
//! carry the draft-12 §6/§12 options ISC dhcpd 4.4 sends for BNDUPD and
//! BNDACK. Times in failover messages are server seconds since the start.
//!
//! The byte encodings of these messages live in [`crate::wire`]; the capture
//! export in [`crate::pcap`] builds on them.
//!
//! The connection messages (CONNECT, CONNECTACK, STATE, DISCONNECT), the
//! update requests (UPDREQ, UPDREQALL, UPDDONE) and pool balancing requests
//! (POOLREQ, POOLRESP) carry the options ISC sends (reference notes §4.4).
//!
//! CONTACT keep-alives are not put on the wire as packets: while the link is
//! quiet they would be one packet every few seconds for the whole run, which
//! would bury the steps that teach something. The servers' watchdogs fire
//! exactly when they would have had every CONTACT been sent (see
//! [`crate::server`]).

use std::fmt;
use std::net::Ipv4Addr;

use serde::Serialize;

use crate::addr::Mac;
use crate::lease::BindingState;
use crate::time::Time;

/// A participant on the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// The primary server.
    Primary,
    /// The secondary server.
    Secondary,
    /// A client, by its index in the scenario.
    Client(u16),
    /// The person running the scenario: cuts links, stops servers, declares
    /// partner-down.
    Operator,
}

/// Which of the two servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Owns FREE leases, sends CONNECT, drives expiry in NORMAL.
    Primary,
    /// Owns BACKUP leases.
    Secondary,
}

impl Role {
    /// `"primary"` or `"secondary"`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Secondary => "secondary",
        }
    }

    /// The other server.
    pub fn peer(self) -> Role {
        match self {
            Role::Primary => Role::Secondary,
            Role::Secondary => Role::Primary,
        }
    }

    /// Index into `[primary, secondary]` arrays.
    pub fn index(self) -> usize {
        match self {
            Role::Primary => 0,
            Role::Secondary => 1,
        }
    }

    /// The node of this server.
    pub fn node(self) -> Node {
        match self {
            Role::Primary => Node::Primary,
            Role::Secondary => Node::Secondary,
        }
    }

    /// The binding state of the free leases this server owns.
    pub fn own_free_state(self) -> BindingState {
        match self {
            Role::Primary => BindingState::Free,
            Role::Secondary => BindingState::Backup,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// DHCP message type (option 53).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum DhcpType {
    /// 1
    Discover,
    /// 2
    Offer,
    /// 3
    Request,
    /// 4
    Decline,
    /// 5
    Ack,
    /// 6
    Nak,
    /// 7
    Release,
    /// 8
    Inform,
}

impl DhcpType {
    /// `DHCPDISCOVER` and so on.
    pub fn name(self) -> &'static str {
        match self {
            DhcpType::Discover => "DHCPDISCOVER",
            DhcpType::Offer => "DHCPOFFER",
            DhcpType::Request => "DHCPREQUEST",
            DhcpType::Decline => "DHCPDECLINE",
            DhcpType::Ack => "DHCPACK",
            DhcpType::Nak => "DHCPNAK",
            DhcpType::Release => "DHCPRELEASE",
            DhcpType::Inform => "DHCPINFORM",
        }
    }

    /// The option 53 value.
    pub fn code(self) -> u8 {
        match self {
            DhcpType::Discover => 1,
            DhcpType::Offer => 2,
            DhcpType::Request => 3,
            DhcpType::Decline => 4,
            DhcpType::Ack => 5,
            DhcpType::Nak => 6,
            DhcpType::Release => 7,
            DhcpType::Inform => 8,
        }
    }
}

/// A DHCPv4 message (RFC 2131 §2 fields, RFC 2132 options).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DhcpMessage {
    /// 1 BOOTREQUEST, 2 BOOTREPLY.
    pub op: u8,
    /// Transaction id chosen by the client.
    pub xid: u32,
    /// Seconds since the client began this acquisition or renewal.
    pub secs: u16,
    /// Bit 15 asks for a broadcast reply.
    pub flags: u16,
    /// Client's address (RENEWING, REBINDING, RELEASE).
    pub ciaddr: Ipv4Addr,
    /// "Your" address offered or acknowledged.
    pub yiaddr: Ipv4Addr,
    /// Next server address.
    pub siaddr: Ipv4Addr,
    /// Relay address.
    pub giaddr: Ipv4Addr,
    /// Client hardware address.
    pub chaddr: Mac,
    /// Option 53.
    pub message_type: DhcpType,
    /// Option 54.
    pub server_id: Option<Ipv4Addr>,
    /// Option 50.
    pub requested_address: Option<Ipv4Addr>,
    /// Option 51, seconds.
    pub lease_time: Option<u32>,
    /// Option 58, seconds.
    pub renewal_time: Option<u32>,
    /// Option 59, seconds.
    pub rebinding_time: Option<u32>,
    /// Option 61.
    pub client_id: Option<Vec<u8>>,
}

impl DhcpMessage {
    /// A BOOTREQUEST from `chaddr` with every field zero.
    pub fn request(message_type: DhcpType, xid: u32, chaddr: Mac) -> DhcpMessage {
        DhcpMessage {
            op: 1,
            xid,
            secs: 0,
            flags: 0,
            ciaddr: Ipv4Addr::UNSPECIFIED,
            yiaddr: Ipv4Addr::UNSPECIFIED,
            siaddr: Ipv4Addr::UNSPECIFIED,
            giaddr: Ipv4Addr::UNSPECIFIED,
            chaddr,
            message_type,
            server_id: None,
            requested_address: None,
            lease_time: None,
            renewal_time: None,
            rebinding_time: None,
            client_id: None,
        }
    }

    /// A BOOTREPLY answering `to`.
    pub fn reply(message_type: DhcpType, to: &DhcpMessage, server_id: Ipv4Addr) -> DhcpMessage {
        DhcpMessage {
            op: 2,
            xid: to.xid,
            secs: 0,
            flags: to.flags,
            ciaddr: to.ciaddr,
            yiaddr: Ipv4Addr::UNSPECIFIED,
            siaddr: Ipv4Addr::UNSPECIFIED,
            giaddr: to.giaddr,
            chaddr: to.chaddr,
            message_type,
            server_id: Some(server_id),
            requested_address: None,
            lease_time: None,
            renewal_time: None,
            rebinding_time: None,
            client_id: None,
        }
    }
}

/// Failover message types (draft-12 §6.1 numbering, as ISC uses it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "UPPERCASE")]
pub enum FailoverMessage {
    /// 1: asks the peer to run its pool balancing.
    PoolReq(Control),
    /// 2: answers a POOLREQ with the number of leases moved.
    PoolResp(PoolResponse),
    /// 3: one lease's binding, from the server that changed it.
    BndUpd(BindingUpdate),
    /// 4: acknowledges (or refuses) one BNDUPD.
    BndAck(BindingAck),
    /// 5: the primary opens the failover conversation.
    Connect(Connect),
    /// 6: the secondary accepts (or refuses) the CONNECT.
    ConnectAck(ConnectAck),
    /// 7: "send me every binding you have".
    UpdReqAll(Control),
    /// 8: every binding asked for has been sent and acknowledged.
    UpdDone(Control),
    /// 9: "send me the bindings you have not sent yet".
    UpdReq(Control),
    /// 10: the sender's failover state.
    State(StateMessage),
    /// 12: the sender refuses or closes the connection.
    Disconnect(Disconnect),
}

/// A message with no options: only the header's xid and time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Control {
    /// Header xid (UPDDONE echoes the request's).
    pub xid: u32,
    /// Header time: the sender's clock, seconds.
    pub time: u64,
}

/// POOLRESP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolResponse {
    /// The POOLREQ's xid.
    pub xid: u32,
    /// Header time.
    pub time: u64,
    /// Option 1: addresses-transferred.
    pub transferred: u32,
}

/// CONNECT, with the options ISC sends (reference notes §4.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Connect {
    /// Header xid.
    pub xid: u32,
    /// Header time: the primary's clock; the secondary refuses a skew above 60 s.
    pub time: u64,
    /// Option 22: relationship-name.
    pub name: String,
    /// Option 14: max-unacked-bndupd, the primary's window.
    pub max_unacked: u32,
    /// Option 19: receive-timer, the primary's max-response-delay.
    pub receive_timer: u32,
    /// Option 15: MCLT.
    pub mclt: u32,
    /// Option 11: hash-bucket-assignment, 32 bytes (a set bit = the primary serves).
    pub hba: Vec<u8>,
}

/// CONNECTACK.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectAck {
    /// The CONNECT's xid.
    pub xid: u32,
    /// Header time: the secondary's clock.
    pub time: u64,
    /// Option 22: relationship-name.
    pub name: String,
    /// Option 14: the secondary's window.
    pub max_unacked: u32,
    /// Option 19: the secondary's max-response-delay.
    pub receive_timer: u32,
    /// Option 21: reject-reason, when refused.
    pub reject_reason: Option<u8>,
    /// Option 16: message, when refused.
    pub message: Option<String>,
}

/// STATE.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateMessage {
    /// Header xid.
    pub xid: u32,
    /// Header time.
    pub time: u64,
    /// Option 24: server-state (the saved state while in STARTUP).
    pub state: crate::failover::FailoverState,
    /// Option 23: server-flags bit 0, set while the sender is in STARTUP.
    pub startup: bool,
    /// Option 25: start-time-of-state.
    pub stos: u64,
}

/// DISCONNECT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Disconnect {
    /// Header xid.
    pub xid: u32,
    /// Header time.
    pub time: u64,
    /// Option 21: reject-reason.
    pub reject_reason: u8,
    /// Option 16: message.
    pub message: Option<String>,
}

/// The options of a BNDUPD, in ISC's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BindingUpdate {
    /// Header xid; the BNDACK echoes it.
    pub xid: u32,
    /// Header time: the sender's clock, seconds.
    pub time: u64,
    /// Option 2: assigned-IP-address.
    pub address: Ipv4Addr,
    /// Option 3: binding-status.
    pub status: BindingState,
    /// Option 4: client-identifier.
    pub client_id: Option<Vec<u8>>,
    /// Option 5: client-hardware-address (htype 1 + address).
    pub hardware: Option<Mac>,
    /// Option 13: lease-expiration-time (`ends`).
    pub lease_expiration: u64,
    /// Option 18: potential-expiration-time (`tstp`).
    pub potential_expiration: u64,
    /// Option 25: start-time-of-state (the lease's `starts`).
    pub start_time_of_state: u64,
    /// Option 6: client-last-transaction-time (omitted when zero).
    pub cltt: u64,
}

/// The options of a BNDACK.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BindingAck {
    /// The xid of the BNDUPD acknowledged.
    pub xid: u32,
    /// Header time: the sender's clock, seconds.
    pub time: u64,
    /// Option 2: assigned-IP-address.
    pub address: Ipv4Addr,
    /// Option 21: reject-reason, when refused.
    pub reject_reason: Option<u8>,
    /// Option 16: message, when refused.
    pub message: Option<String>,
}

impl FailoverMessage {
    /// `BNDUPD`, `STATE` and so on, as ISC logs them.
    pub fn name(&self) -> &'static str {
        match self {
            FailoverMessage::PoolReq(_) => "POOLREQ",
            FailoverMessage::PoolResp(_) => "POOLRESP",
            FailoverMessage::BndUpd(_) => "BNDUPD",
            FailoverMessage::BndAck(_) => "BNDACK",
            FailoverMessage::Connect(_) => "CONNECT",
            FailoverMessage::ConnectAck(_) => "CONNECTACK",
            FailoverMessage::UpdReqAll(_) => "UPDREQALL",
            FailoverMessage::UpdDone(_) => "UPDDONE",
            FailoverMessage::UpdReq(_) => "UPDREQ",
            FailoverMessage::State(_) => "STATE",
            FailoverMessage::Disconnect(_) => "DISCONNECT",
        }
    }

    /// The address the message is about (BNDUPD and BNDACK only).
    pub fn address(&self) -> Option<Ipv4Addr> {
        match self {
            FailoverMessage::BndUpd(u) => Some(u.address),
            FailoverMessage::BndAck(a) => Some(a.address),
            _ => None,
        }
    }

    /// The header's xid.
    pub fn xid(&self) -> u32 {
        match self {
            FailoverMessage::PoolReq(c)
            | FailoverMessage::UpdReqAll(c)
            | FailoverMessage::UpdDone(c)
            | FailoverMessage::UpdReq(c) => c.xid,
            FailoverMessage::PoolResp(m) => m.xid,
            FailoverMessage::BndUpd(m) => m.xid,
            FailoverMessage::BndAck(m) => m.xid,
            FailoverMessage::Connect(m) => m.xid,
            FailoverMessage::ConnectAck(m) => m.xid,
            FailoverMessage::State(m) => m.xid,
            FailoverMessage::Disconnect(m) => m.xid,
        }
    }

    /// The header's time: the sender's clock.
    pub fn time(&self) -> u64 {
        match self {
            FailoverMessage::PoolReq(c)
            | FailoverMessage::UpdReqAll(c)
            | FailoverMessage::UpdDone(c)
            | FailoverMessage::UpdReq(c) => c.time,
            FailoverMessage::PoolResp(m) => m.time,
            FailoverMessage::BndUpd(m) => m.time,
            FailoverMessage::BndAck(m) => m.time,
            FailoverMessage::Connect(m) => m.time,
            FailoverMessage::ConnectAck(m) => m.time,
            FailoverMessage::State(m) => m.time,
            FailoverMessage::Disconnect(m) => m.time,
        }
    }
}

/// What a packet carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum Body {
    /// UDP 67/68 on the client LAN.
    Dhcp(DhcpMessage),
    /// TCP 647 on the server link.
    Failover(FailoverMessage),
}

/// Where a packet goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Destination {
    /// One node.
    Unicast(Node),
    /// Every server on the LAN (a client's broadcast).
    Broadcast,
}

/// One packet on a wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// Sequence number, unique in a run.
    pub id: u32,
    /// Sender.
    pub from: Node,
    /// Receiver(s).
    pub to: Destination,
    /// When it left the sender.
    pub sent_at: Time,
    /// When it reaches the receiver(s).
    pub arrives_at: Time,
    /// The message.
    pub body: Body,
}

impl Packet {
    /// Short name of the message: `DHCPOFFER`, `BNDUPD` …
    pub fn name(&self) -> &'static str {
        match &self.body {
            Body::Dhcp(m) => m.message_type.name(),
            Body::Failover(m) => m.name(),
        }
    }
}
