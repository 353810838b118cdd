//! The packet inspector: one packet as it goes on the wire. The packet is
//! encoded to bytes and decoded again ([`crate::decode`]); the page shows
//! the decoded fields (the RFC 2131 header and RFC 2132 options of a DHCP
//! message, the draft-12 header and options of a failover message) and a
//! hex dump of the bytes. Pointing at a field marks its bytes in the dump.

use std::ops::Range;
use std::rc::Rc;

use dhcpfo_engine::packet::{Body, Node};
use dhcpfo_engine::trace::{describe_packet, node_name};
use dhcpfo_engine::{Config, Packet};
use yew::prelude::*;

use crate::components::hex_dump::HexDump;
use crate::components::narration::destination;
use crate::decode::{self, Decoded, Field, Section};
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

/// What the inspector says when the current step has no packet.
const NO_PACKET: &str = "This step sends no packet. Pick a step that does, or a packet chip above.";
/// What the inspector says before the first step.
const NOT_YET: &str = "No packet yet: step forward to see the first one.";

/// `#packet-inspector`.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    // Whether the hex dump is unfolded, kept from one packet to the next.
    let dump_open = use_state_eq(|| true);
    let found = props.packet.and_then(|r| Some((r, r.resolve(&props.loaded)?)));
    let Some((r, packet)) = found else {
        let text = if props.step == 0 { NOT_YET } else { NO_PACKET };
        return html! {
            <section id="packet-inspector" class="panel inspector">
                <div class="panel-head"><h2>{ "Packet inspector" }</h2></div>
                <p class="empty">{ text }</p>
            </section>
        };
    };
    let cfg = &props.loaded.config;
    let role = match r.slot {
        Slot::Received => "received in",
        Slot::Lost => "lost in",
        Slot::Sent(_) => "sent in",
    };
    let note = format!("packet #{} · {role} step {}", packet.id, r.step + 1);
    let decoded = decode::decode(&packet.body, cfg.start_epoch);
    let open = *dump_open;
    let on_toggle = Callback::from(move |open| dump_open.set(open));
    html! {
        <section id="packet-inspector" class="panel inspector">
            <div class="panel-head">
                <h2>{ "Packet inspector" }</h2>
                <span class="panel-note">{ note }</span>
            </div>
            <p class={classes!("insp-title", kind_class(packet))}>
                { describe_packet(cfg, packet) }
            </p>
            { fields_table(&envelope(cfg, packet, decoded.as_ref().ok()), None) }
            { match decoded {
                Ok(d) => html! {
                    <DecodedView key={packet.id} decoded={Rc::new(d)} dump_open={open}
                        {on_toggle} />
                },
                Err(message) => html! { <p class="insp-error" role="alert">{ message }</p> },
            } }
        </section>
    }
}

fn kind_class(packet: &Packet) -> &'static str {
    match packet.body {
        Body::Dhcp(_) => "dhcp",
        Body::Failover(_) => "failover",
    }
}

/// Props of [`DecodedView`].
#[derive(Properties, PartialEq)]
pub struct DecodedProps {
    /// The bytes and their fields.
    pub decoded: Rc<Decoded>,
    /// Whether the hex dump is unfolded.
    pub dump_open: bool,
    /// Reports the reader folding or unfolding the hex dump.
    pub on_toggle: Callback<bool>,
}

/// The decoded sections and the hex dump, with the bytes of the field under the
/// pointer marked.
#[function_component(DecodedView)]
pub fn decoded_view(props: &DecodedProps) -> Html {
    let marked = use_state_eq(|| None::<Range<usize>>);
    let d = &props.decoded;
    html! {
        <>
            { for d.sections.iter().map(|s| fields_table(s, Some(&marked))) }
            <HexDump bytes={d.bytes.clone()} mark={(*marked).clone()} open={props.dump_open}
                on_toggle={props.on_toggle.clone()} />
        </>
    }
}

/// A section as a two-column table; with `marked`, each row marks its bytes on hover.
fn fields_table(section: &Section, marked: Option<&UseStateHandle<Option<Range<usize>>>>) -> Html {
    html! {
        <table class="fields">
            <caption>{ section.title }</caption>
            <tbody>
                { for section.fields.iter().map(|f| field_row(f, marked)) }
            </tbody>
        </table>
    }
}

fn field_row(f: &Field, marked: Option<&UseStateHandle<Option<Range<usize>>>>) -> Html {
    let (enter, leave) = match marked {
        Some(m) => {
            let (m, leave_m, range) = (m.clone(), m.clone(), f.bytes.clone());
            let enter = Callback::from(move |_: MouseEvent| m.set(Some(range.clone())));
            (Some(enter), Some(Callback::from(move |_: MouseEvent| leave_m.set(None))))
        }
        None => (None, None),
    };
    let title = marked.map(|_| byte_span(&f.bytes));
    html! {
        <tr onmouseenter={enter} onmouseleave={leave} {title}>
            <th scope="row">{ f.label.clone() }</th>
            <td>
                { f.value.clone() }
                if let Some(note) = &f.note { <span class="field-note">{ note.clone() }</span> }
            </td>
        </tr>
    }
}

/// `byte 3` or `bytes 4–7`.
fn byte_span(r: &Range<usize>) -> String {
    match r.len() {
        0 | 1 => format!("byte {}", r.start),
        _ => format!("bytes {}–{}", r.start, r.end - 1),
    }
}

fn envelope(cfg: &Config, p: &Packet, decoded: Option<&Decoded>) -> Section {
    let wire = match (&p.body, p.from) {
        (Body::Failover(_), _) => "TCP, port 647 (server link)",
        (Body::Dhcp(_), Node::Client(_)) => "UDP 68 → 67 (client LAN)",
        (Body::Dhcp(_), _) => "UDP 67 → 68 (client LAN)",
    };
    let plain = |label: &str, value: String| Field {
        label: label.to_string(),
        value,
        note: None,
        bytes: 0..0,
    };
    let mut fields = vec![
        plain("from", node_name(cfg, p.from)),
        plain("to", destination(cfg, p.to)),
        plain("sent at", p.sent_at.clock_millis()),
        plain("arrives at", p.arrives_at.clock_millis()),
        plain("wire", wire.into()),
    ];
    if let Some(d) = decoded {
        fields.push(plain("payload", format!("{} bytes", d.bytes.len())));
    }
    Section { title: "On the wire", fields }
}
