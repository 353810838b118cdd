//! The packet inspector: every field of one packet. DHCP messages show the
//! RFC 2131 header and the RFC 2132 options the model carries; failover
//! messages show the BNDUPD or BNDACK options with their draft-12 codes.

use std::net::Ipv4Addr;

use dhcpfo_engine::packet::{BindingAck, BindingUpdate, Body, DhcpMessage, FailoverMessage, Node};
use dhcpfo_engine::trace::{describe_packet, node_name};
use dhcpfo_engine::{Packet, Time};
use yew::prelude::*;

use crate::components::narration::destination;
use crate::state::{Loaded, PacketRef, Shared, Slot};

/// Props of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The packet to show.
    pub packet: Option<PacketRef>,
    /// Steps applied (before the first, there is nothing to show).
    pub step: usize,
}

/// A group of fields with a heading.
struct Group {
    title: &'static str,
    fields: Vec<(String, String)>,
}

/// What the inspector says when the current step has no packet.
const NO_PACKET: &str = "This step sends no packet. Pick a step that does, or a packet chip above.";
/// What the inspector says before the first step.
const NOT_YET: &str = "No packet yet: step forward to see the first one.";

/// `#packet-inspector`.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let found = props.packet.and_then(|r| Some((r, r.resolve(&props.loaded)?)));
    let Some((r, packet)) = found else {
        return html! {
            <section id="packet-inspector" class="panel inspector">
                <div class="panel-head"><h2>{ "Packet inspector" }</h2></div>
                <p class="empty">{ if props.step == 0 { NOT_YET } else { NO_PACKET } }</p>
            </section>
        };
    };
    let cfg = &props.loaded.config;
    let role = match r.slot {
        Slot::Received => "received in",
        Slot::Sent(_) => "sent in",
    };
    let note = format!("packet #{} · {role} step {}", packet.id, r.step + 1);
    let mut groups = vec![envelope(cfg, packet)];
    groups.extend(body_groups(packet));
    html! {
        <section id="packet-inspector" class="panel inspector">
            <div class="panel-head">
                <h2>{ "Packet inspector" }</h2>
                <span class="panel-note">{ note }</span>
            </div>
            <p class={classes!("insp-title", kind_class(packet))}>
                { describe_packet(cfg, packet) }
            </p>
            { for groups.iter().map(group_html) }
        </section>
    }
}

fn kind_class(packet: &Packet) -> &'static str {
    match packet.body {
        Body::Dhcp(_) => "dhcp",
        Body::Failover(_) => "failover",
    }
}

fn group_html(group: &Group) -> Html {
    html! {
        <table class="fields">
            <caption>{ group.title }</caption>
            <tbody>
                { for group.fields.iter().map(|(k, v)| html! {
                    <tr><th scope="row">{ k.clone() }</th><td>{ v.clone() }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

fn envelope(cfg: &dhcpfo_engine::Config, p: &Packet) -> Group {
    let wire = match (&p.body, p.from) {
        (Body::Failover(_), _) => "TCP, port 647 (server link)",
        (Body::Dhcp(_), Node::Client(_)) => "UDP 68 → 67 (client LAN)",
        (Body::Dhcp(_), _) => "UDP 67 → 68 (client LAN)",
    };
    let fields = vec![
        ("from".into(), node_name(cfg, p.from)),
        ("to".into(), destination(cfg, p.to)),
        ("sent at".into(), p.sent_at.clock_millis()),
        ("arrives at".into(), p.arrives_at.clock_millis()),
        ("wire".into(), wire.into()),
    ];
    Group { title: "On the wire", fields }
}

fn body_groups(p: &Packet) -> Vec<Group> {
    match &p.body {
        Body::Dhcp(m) => vec![dhcp_header(m), dhcp_options(m)],
        Body::Failover(FailoverMessage::BndUpd(u)) => vec![bndupd(u)],
        Body::Failover(FailoverMessage::BndAck(a)) => vec![bndack(a)],
    }
}

fn f(name: &str, value: impl Into<String>) -> (String, String) {
    (name.to_string(), value.into())
}

fn ip(a: Ipv4Addr) -> String {
    a.to_string()
}

fn dhcp_header(m: &DhcpMessage) -> Group {
    let op = if m.op == 1 { "1 (BOOTREQUEST)" } else { "2 (BOOTREPLY)" };
    let broadcast = if m.flags & 0x8000 != 0 { " (broadcast bit set)" } else { "" };
    let fields = vec![
        f("op", if m.op == 1 || m.op == 2 { op.to_string() } else { m.op.to_string() }),
        f("xid", format!("{:#010x}", m.xid)),
        f("secs", m.secs.to_string()),
        f("flags", format!("{:#06x}{broadcast}", m.flags)),
        f("ciaddr", ip(m.ciaddr)),
        f("yiaddr", ip(m.yiaddr)),
        f("siaddr", ip(m.siaddr)),
        f("giaddr", ip(m.giaddr)),
        f("chaddr", m.chaddr.to_string()),
    ];
    Group { title: "DHCP header (RFC 2131 §2)", fields }
}

fn dhcp_options(m: &DhcpMessage) -> Group {
    let secs =
        |v: u32| format!("{v} s ({})", dhcpfo_engine::Duration::from_secs(u64::from(v)).human());
    let mut fields = vec![f(
        "53 message type",
        format!("{} ({})", m.message_type.code(), m.message_type.name()),
    )];
    let optional = [
        ("54 server identifier", m.server_id.map(ip)),
        ("50 requested address", m.requested_address.map(ip)),
        ("51 lease time", m.lease_time.map(secs)),
        ("58 renewal (T1) time", m.renewal_time.map(secs)),
        ("59 rebinding (T2) time", m.rebinding_time.map(secs)),
        ("61 client identifier", m.client_id.as_deref().map(hex)),
    ];
    fields.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| f(k, v))));
    Group { title: "Options (RFC 2132)", fields }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// A failover time: seconds since the start, shown as a clock too.
fn at(secs: u64) -> String {
    if secs == 0 {
        "0 (not set)".into()
    } else {
        format!("{} ({secs} s)", Time::from_secs(secs).clock())
    }
}

fn bndupd(u: &BindingUpdate) -> Group {
    let mut fields = vec![
        f("xid", format!("{:#010x}", u.xid)),
        f("time", at(u.time)),
        f("2 assigned IP address", ip(u.address)),
        f(
            "3 binding status",
            format!("{} ({})", u.status.wire_value(), u.status.name().to_uppercase()),
        ),
    ];
    if let Some(id) = &u.client_id {
        fields.push(f("4 client identifier", hex(id)));
    }
    if let Some(mac) = u.hardware {
        fields.push(f("5 client hardware address", format!("1 (Ethernet) {mac}")));
    }
    fields.extend([
        f("13 lease expiration time", at(u.lease_expiration)),
        f("18 potential expiration time", at(u.potential_expiration)),
        f("25 start time of state", at(u.start_time_of_state)),
    ]);
    if u.cltt != 0 {
        fields.push(f("6 client last transaction time", at(u.cltt)));
    }
    Group { title: "BNDUPD (failover message 3)", fields }
}

fn bndack(a: &BindingAck) -> Group {
    let mut fields = vec![
        f("xid", format!("{:#010x}", a.xid)),
        f("time", at(a.time)),
        f("2 assigned IP address", ip(a.address)),
    ];
    match a.reject_reason {
        Some(r) => fields.push(f("21 reject reason", r.to_string())),
        None => fields.push(f("result", "accepted (no reject reason option)")),
    }
    if let Some(m) = &a.message {
        fields.push(f("16 message", m.clone()));
    }
    Group { title: "BNDACK (failover message 4)", fields }
}
