//! The topology: clients on the left, the LAN bus, the primary above the
//! secondary on the right, and the failover link between them. Every packet
//! the current step sends flies along its wire with its name on it: client
//! broadcasts fan out dashed to both servers, unicasts fly solid, failover
//! messages take the server link in their own colour. A packet that will be
//! lost (loss, "drop next", a stopped server, a cut link) vanishes on its way,
//! both in the step that sends it and in the step of its loss. The server link
//! is drawn cut (red, dashed, with a mark on each blocked direction) while
//! `World::link_open` says a direction is closed. The flight is a CSS
//! animation along an `offset-path`, so playback costs no script per frame.

use dhcpfo_engine::packet::{Body, Destination, Node, Packet};
use dhcpfo_engine::trace::{describe_packet, Cause, Step};
use dhcpfo_engine::{Role, World};
use yew::prelude::*;

use crate::components::topology_nodes::{ClientNode, ServerNode};
use crate::state::{sent_by, Action, Loaded, PacketRef, Shared, Slot};
use crate::text;

/// Width of the drawing, in SVG units.
pub const WIDTH: f64 = 760.0;
/// Height of the drawing.
pub const HEIGHT: f64 = 340.0;
/// Where the LAN bus runs.
const BUS_X: f64 = 376.0;
/// Left edge of the server boxes.
pub const SERVER_X: f64 = 486.0;
/// Server box size.
pub const SERVER_W: f64 = 254.0;
/// Server box height (room for two rows of lease counts).
pub const SERVER_H: f64 = 112.0;
/// Top of the primary's box.
pub const PRIMARY_Y: f64 = 16.0;
/// Top of the secondary's box.
pub const SECONDARY_Y: f64 = HEIGHT - 16.0 - SERVER_H;
/// Where the failover link runs.
const LINK_X: f64 = SERVER_X + SERVER_W / 2.0;
/// Left edge of the client area.
pub const CLIENT_X: f64 = 20.0;
/// Width of a client box in list mode.
pub const CLIENT_W: f64 = 236.0;
/// Height of a client box in list mode.
pub const CLIENT_H: f64 = 54.0;
/// The most clients drawn as full boxes; more are drawn as a grid of tiles.
const LIST_MAX: usize = 5;
/// Width of the client area in grid mode.
const GRID_W: f64 = 300.0;

/// Where each client is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place {
    /// A full box with its top-left corner here.
    Box { x: f64, y: f64 },
    /// A square tile of side `size` with its top-left corner here.
    Tile { x: f64, y: f64, size: f64 },
}

impl Place {
    /// The point where the client's wire meets it, and how far a packet stops short.
    fn port(self) -> (f64, f64) {
        match self {
            Place::Box { x, y } => (x + CLIENT_W, y + CLIENT_H / 2.0),
            Place::Tile { x, y, size } => (x + size, y + size / 2.0),
        }
    }
}

/// Places `n` clients: a centred column of boxes, or a grid of tiles.
pub fn place_clients(n: usize) -> Vec<Place> {
    if n <= LIST_MAX {
        let pitch = CLIENT_H + 12.0;
        let top = (HEIGHT - pitch * n as f64 + 12.0) / 2.0;
        return (0..n).map(|i| Place::Box { x: CLIENT_X, y: top + pitch * i as f64 }).collect();
    }
    let area_h = HEIGHT - 40.0;
    let fits = |size: f64| {
        let gap = (size / 7.0).max(2.0);
        let cols = ((GRID_W + gap) / (size + gap)).floor().max(1.0) as usize;
        let rows = ((area_h + gap) / (size + gap)).floor().max(1.0) as usize;
        (cols * rows >= n, cols, gap)
    };
    let sizes = [44.0, 36.0, 28.0, 22.0, 17.0, 13.0, 10.0, 8.0, 6.0];
    let (size, cols, gap) = sizes
        .iter()
        .map(|&s| (s, fits(s)))
        .find(|(_, (ok, _, _))| *ok)
        .map(|(s, (_, cols, gap))| (s, cols, gap))
        .unwrap_or((6.0, 40, 2.0));
    let rows = n.div_ceil(cols);
    let top = (HEIGHT - rows as f64 * (size + gap) + gap) / 2.0;
    (0..n)
        .map(|i| Place::Tile {
            x: CLIENT_X + (i % cols) as f64 * (size + gap),
            y: top + (i / cols) as f64 * (size + gap),
            size,
        })
        .collect()
}

fn server_top(role: Role) -> f64 {
    match role {
        Role::Primary => PRIMARY_Y,
        Role::Secondary => SECONDARY_Y,
    }
}

fn server_mid(role: Role) -> f64 {
    server_top(role) + SERVER_H / 2.0
}

/// The wire a packet takes from `from` to `to`, stopping `short` units before the receiver.
fn route(places: &[Place], from: Node, to: Node, short: f64) -> Option<String> {
    let client = |i: u16| places.get(usize::from(i)).map(|p| p.port());
    Some(match (from, to) {
        (Node::Client(c), Node::Primary | Node::Secondary) => {
            let (x, y) = client(c)?;
            let sy = server_mid(role_of(to)?);
            format!("M{} {}H{}V{}H{}", num(x), num(y), num(BUS_X), num(sy), num(SERVER_X - short))
        }
        (Node::Primary | Node::Secondary, Node::Client(c)) => {
            let (x, y) = client(c)?;
            let sy = server_mid(role_of(from)?);
            format!("M{} {}H{}V{}H{}", num(SERVER_X), num(sy), num(BUS_X), num(y), num(x + short))
        }
        (Node::Primary, Node::Secondary) => {
            let (y0, y1) = (PRIMARY_Y + SERVER_H, SECONDARY_Y - short);
            format!("M{} {}V{}", num(LINK_X), num(y0), num(y1))
        }
        (Node::Secondary, Node::Primary) => {
            let (y0, y1) = (SECONDARY_Y, PRIMARY_Y + SERVER_H + short);
            format!("M{} {}V{}", num(LINK_X), num(y0), num(y1))
        }
        _ => return None,
    })
}

fn role_of(node: Node) -> Option<Role> {
    match node {
        Node::Primary => Some(Role::Primary),
        Node::Secondary => Some(Role::Secondary),
        Node::Client(_) | Node::Operator => None,
    }
}

/// One packet flying to one receiver.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    /// Stable key: step, packet and receiver.
    pub key: String,
    /// The wire, drawn highlighted.
    pub wire: String,
    /// The path the label travels.
    pub path: String,
    /// The label.
    pub label: String,
    /// Label width in SVG units.
    pub width: f64,
    /// `dhcp` or `failover`, and `broadcast` when it is one.
    pub class: Classes,
    /// Position in a queue of packets on the same wire (0 = first).
    pub rank: usize,
    /// The packet, for the inspector.
    pub packet: PacketRef,
}

/// The flights of the packets `step` sends, after the packet it lost if it is a loss.
pub fn flights(loaded: &Loaded, step: &Step, places: &[Place]) -> Vec<Flight> {
    let mut out: Vec<Flight> = Vec::new();
    let index = step.index as usize;
    if let Cause::Dropped(packet, _) = &step.cause {
        let packet_ref = PacketRef { step: index, slot: Slot::Lost };
        out.extend(flight(loaded, (packet_ref, packet), step.node, places, &out));
    }
    for (k, packet) in sent_by(step) {
        let packet_ref = PacketRef { step: index, slot: Slot::Sent(k) };
        for to in receivers(packet) {
            if let Some(f) = flight(loaded, (packet_ref, packet), to, places, &out) {
                out.push(f);
            }
        }
    }
    out
}

fn receivers(packet: &Packet) -> Vec<Node> {
    match packet.to {
        Destination::Unicast(n) => vec![n],
        Destination::Broadcast => vec![Node::Primary, Node::Secondary],
    }
}

fn flight(
    loaded: &Loaded,
    (packet_ref, packet): (PacketRef, &Packet),
    to: Node,
    places: &[Place],
    earlier: &[Flight],
) -> Option<Flight> {
    let label = describe_packet(&loaded.config, packet);
    let width = label.chars().count() as f64 * 6.7 + 18.0;
    let wire = route(places, packet.from, to, 0.0)?;
    let rank = earlier.iter().filter(|f| f.wire == wire).count();
    // A label stops short of the receiver by half its size, and a later packet on the
    // same wire stops behind the earlier ones. The server link is vertical.
    let (kind, short) = match packet.body {
        Body::Dhcp(_) => ("dhcp", width / 2.0 + 6.0 + rank as f64 * (width + 8.0)),
        Body::Failover(_) => ("failover", 16.0 + rank as f64 * 24.0),
    };
    let path = route(places, packet.from, to, short)?;
    let broadcast = packet.to == Destination::Broadcast;
    let lost = loaded.drop_of(packet.id, to).is_some();
    Some(Flight {
        key: format!("{}-{}-{}", packet_ref.step, packet.id, node_key(to)),
        wire,
        path,
        label,
        width,
        class: classes!(kind, broadcast.then_some("broadcast"), lost.then_some("lost")),
        rank,
        packet: packet_ref,
    })
}

/// The drawing's coordinate system ([`WIDTH`] by [`HEIGHT`]).
pub const VIEW_BOX: &str = "0 0 760 340";

/// What the drawing shows, for screen readers.
const ARIA: &str =
    "Network: clients, the LAN, the primary and secondary servers, the failover link";

/// Props of [`Topology`].
#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown.
    pub world: Shared<World>,
    /// Steps applied.
    pub step: usize,
    /// How long a flight takes, ms.
    pub flight_ms: u32,
    /// Sends an action to the page (a click on a packet inspects it).
    pub act: Callback<Action>,
}

/// The network drawing.
#[function_component(Topology)]
pub fn topology(props: &TopologyProps) -> Html {
    let n = props.loaded.config.clients.len();
    let places = use_memo(n, |&n| place_clients(n));
    let current = props.step.checked_sub(1).and_then(|i| props.loaded.step(i));
    let acting = current.map(|s| s.node);
    let flight_ms = props.flight_ms;
    let flights = current.map(|s| flights(&props.loaded, s, &places)).unwrap_or_default();
    html! {
        <div class="topology">
            <div class="panel-head">
                <h2>{ "Network" }</h2>
                <ul class="wire-legend" aria-label="Wire styles">
                    <li><span class="wl dhcp broadcast"></span>{ "DHCP broadcast" }</li>
                    <li><span class="wl dhcp"></span>{ "DHCP unicast" }</li>
                    <li><span class="wl failover"></span>{ "failover message" }</li>
                    <li><span class="wl cut"></span>{ "cut link" }</li>
                </ul>
            </div>
            <svg id="topology" viewBox={VIEW_BOX} role="img" aria-label={ARIA}>
                // Each list sits in its own group so that Yew matches its items by key.
                <Wires places={places.clone()} />
                <g class="hot-wires">{ for flights.iter().map(hot_wire) }</g>
                <ServerLink open={link_state(&props.world)} />
                <ServerNode role={Role::Primary} world={props.world.clone()}
                    acting={acting == Some(Node::Primary)} />
                <ServerNode role={Role::Secondary} world={props.world.clone()}
                    acting={acting == Some(Node::Secondary)} />
                <g class="clients">
                    { for (0..n).map(|i| client_node(props, &places, i, acting)) }
                </g>
                <g class="flights">
                    { for flights.iter().map(|f| flight_html(f, flight_ms, &props.act)) }
                </g>
            </svg>
            <GapBadge loaded={props.loaded.clone()} step={props.step} />
            <ul class="state-legend" aria-label="Server state colours">
                { for ["serving", "silent", "down"].into_iter().map(|look| html! {
                    <li><span class={classes!("sl", look)}></span>{ text::service_words(look) }</li>
                }) }
            </ul>
        </div>
    }
}

fn client_node(props: &TopologyProps, places: &[Place], i: usize, acting: Option<Node>) -> Html {
    let (Some(client), Some(label)) =
        (props.world.clients().get(i), props.loaded.labels.clients.get(i))
    else {
        return Html::default();
    };
    let acting = acting == Some(Node::Client(i as u16));
    html! {
        <ClientNode key={label.key.clone()} name={label.name.clone()} client={client.clone()}
            place={places[i]} {acting} />
    }
}

fn hot_wire(f: &Flight) -> Html {
    let class = classes!("wire-hot", f.class.clone());
    html! { <path key={f.key.clone()} {class} d={f.wire.clone()} /> }
}

fn flight_html(f: &Flight, flight_ms: u32, act: &Callback<Action>) -> Html {
    let delay = f.rank as u32 * flight_ms / 6;
    let style = format!(
        "offset-path: path('{}'); animation-duration: {flight_ms}ms; animation-delay: {delay}ms",
        f.path
    );
    let packet = f.packet;
    let onclick = act.reform(move |_: MouseEvent| Action::Inspect(packet));
    let lost = f.class.contains("lost");
    let title = if lost {
        "Lost on the way: show this packet in the inspector"
    } else {
        "Show this packet in the inspector"
    };
    html! {
        <g key={f.key.clone()} class={classes!("flight", f.class.clone())} {style} {onclick}>
            <title>{ title }</title>
            <rect x={num(-f.width / 2.0)} y="-10" width={num(f.width)} height="20" rx="10" />
            <text x="0" y="4" text-anchor="middle">{ f.label.clone() }</text>
            if lost { { cross("lost-mark", num(f.width / 2.0)) } }
        </g>
    }
}

/// Props of [`Wires`].
#[derive(Properties, PartialEq)]
pub struct WiresProps {
    /// Where the clients are.
    pub places: std::rc::Rc<Vec<Place>>,
}

/// The static wiring: client stubs, the bus, server stubs and the failover link.
#[function_component(Wires)]
pub fn wires(props: &WiresProps) -> Html {
    let ports: Vec<(f64, f64)> = props.places.iter().map(|p| p.port()).collect();
    let list = matches!(props.places.first(), Some(Place::Box { .. }));
    let ys =
        ports.iter().map(|p| p.1).chain([server_mid(Role::Primary), server_mid(Role::Secondary)]);
    let (top, bottom) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let stubs = list.then(|| {
        let stub =
            |&(x, y): &(f64, f64)| wire("wire", format!("M{} {}H{}", num(x), num(y), num(BUS_X)));
        ports.iter().map(stub).collect::<Html>()
    });
    html! {
        <g class="wires">
            { for stubs }
            { wire("wire bus", format!("M{} {}V{}", num(BUS_X), num(top), num(bottom))) }
            { wire("wire", horizontal(BUS_X, server_mid(Role::Primary), SERVER_X)) }
            { wire("wire", horizontal(BUS_X, server_mid(Role::Secondary), SERVER_X)) }
            { caption("wire-label", BUS_X + 8.0, HEIGHT / 2.0 - 4.0, "LAN") }
            { caption("wire-label dim", BUS_X + 8.0, HEIGHT / 2.0 + 10.0, "UDP 67/68") }
        </g>
    }
}

/// Which directions of the server link pass messages: from the primary, from the
/// secondary, and whether the two servers are connected (CONNECT and CONNECTACK done).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkState {
    /// Messages from the primary get through.
    pub from_primary: bool,
    /// Messages from the secondary get through.
    pub from_secondary: bool,
    /// Both servers hold an established connection.
    pub connected: bool,
}

impl LinkState {
    /// `open`, `cut`, `cut-to-secondary` or `cut-to-primary` (the blocked direction).
    pub fn name(self) -> &'static str {
        match (self.from_primary, self.from_secondary) {
            (true, true) => "open",
            (false, false) => "cut",
            (false, true) => "cut-to-secondary",
            (true, false) => "cut-to-primary",
        }
    }
}

/// The server link as the world has it.
pub fn link_state(world: &World) -> LinkState {
    let connected = [Role::Primary, Role::Secondary].iter().all(|&r| world.server(r).connected());
    LinkState {
        from_primary: world.link_open(Role::Primary),
        from_secondary: world.link_open(Role::Secondary),
        connected,
    }
}

/// Props of [`ServerLink`].
#[derive(Properties, PartialEq)]
pub struct LinkProps {
    /// Which directions pass.
    pub open: LinkState,
}

/// Offset of each one-way lane from the link's middle, while a direction is cut.
const LANE: f64 = 6.0;

/// The failover link: one dashed line while it is whole; two lanes while it is cut,
/// each with an arrow for its direction, a blocked lane red with a cross on it.
#[function_component(ServerLink)]
pub fn server_link(props: &LinkProps) -> Html {
    let s = props.open;
    let (top, bottom) = (PRIMARY_Y + SERVER_H, SECONDARY_Y);
    let mid = (top + bottom) / 2.0;
    let lanes = if s.from_primary && s.from_secondary {
        wire("wire link", vertical(LINK_X, top, bottom))
    } else {
        html! {
            <>
                { lane(LINK_X - LANE, top, bottom, s.from_primary) }
                { lane(LINK_X + LANE, bottom, top, s.from_secondary) }
            </>
        }
    };
    let status = match (s.name(), s.connected) {
        ("open", true) => "TCP 647 · connected",
        ("open", false) => "no connection",
        ("cut", _) => "cut both ways",
        ("cut-to-secondary", _) => "cut to secondary",
        _ => "cut to primary",
    };
    let class = classes!("server-link", s.name(), s.connected.then_some("connected"));
    html! {
        <g id="server-link" {class} data-link={s.name()} data-connected={s.connected.to_string()}>
            { lanes }
            { caption("wire-label", LINK_X + 14.0, mid - 4.0, "failover link") }
            { caption("wire-label dim link-status", LINK_X + 14.0, mid + 10.0, status) }
        </g>
    }
}

/// One direction of a cut link, from `y0` to `y1`, open or blocked.
fn lane(x: f64, y0: f64, y1: f64, open: bool) -> Html {
    let down = y1 > y0;
    let tip = if down { y1 - 2.0 } else { y1 + 2.0 };
    let back = if down { tip - 7.0 } else { tip + 7.0 };
    let head = format!(
        "M{} {}L{} {}L{} {}Z",
        num(x - 4.5),
        num(back),
        num(x),
        num(tip),
        num(x + 4.5),
        num(back)
    );
    let class = if open { "lane" } else { "lane blocked" };
    let mid = (y0 + y1) / 2.0;
    html! {
        <g {class}>
            <path class="lane-line" d={vertical(x, y0, back)} />
            <path class="lane-head" d={head} />
            if !open {
                <g transform={format!("translate({} {})", num(x), num(mid))}>
                    { cross("cut-mark", "0".to_string()) }
                </g>
            }
        </g>
    }
}

/// A small red cross in a circle, centred at (`x`, 0).
fn cross(class: &'static str, x: String) -> Html {
    html! {
        <g {class} transform={format!("translate({x} 0)")}>
            <circle r="7" />
            <path d="M-3 -3L3 3M3 -3L-3 3" />
        </g>
    }
}

/// An SVG path from (x0, y) straight across to x1.
fn horizontal(x0: f64, y: f64, x1: f64) -> String {
    format!("M{} {}H{}", num(x0), num(y), num(x1))
}

/// An SVG path from (x, y0) straight down to y1.
fn vertical(x: f64, y0: f64, y1: f64) -> String {
    format!("M{} {}V{}", num(x), num(y0), num(y1))
}

fn wire(class: &'static str, d: String) -> Html {
    html! { <path {class} {d} /> }
}

fn caption(class: &'static str, x: f64, y: f64, text: &'static str) -> Html {
    html! { <text {class} x={num(x)} y={num(y)}>{ text }</text> }
}

/// An SVG number with one decimal.
pub fn num(v: f64) -> String {
    crate::text::fixed(v, 1)
}

/// Props of [`GapBadge`].
#[derive(Properties, PartialEq)]
pub struct GapProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Steps applied.
    pub step: usize,
}

/// A badge when the current step comes long after the previous one.
#[function_component(GapBadge)]
pub fn gap_badge(props: &GapProps) -> Html {
    let gap = props.step.checked_sub(2).and_then(|i| {
        let (prev, cur) = (props.loaded.step(i)?, props.loaded.step(i + 1)?);
        Some(cur.at.since(prev.at))
    });
    match gap {
        Some(d) if text::is_long_gap(d) => html! {
            <div key={props.step} class="gap-badge" title="Nothing happened in between">
                { format!("{} later", text::gap(d)) }
            </div>
        },
        _ => Html::default(),
    }
}

/// A short, unique text for a node, for element keys.
fn node_key(node: Node) -> String {
    match node {
        Node::Primary => "p".into(),
        Node::Secondary => "s".into(),
        Node::Client(i) => i.to_string(),
        Node::Operator => "o".into(),
    }
}
