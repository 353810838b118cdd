//! The nodes of the topology: a server box (role, address, failover state as
//! a badge coloured by what the state allows, lease counts, updates waiting;
//! drawn down while its process is stopped) and a client box or tile (name, state,
//! address, granting server). Each is its own component so that only the
//! nodes that changed in a step are drawn again.

use dhcpfo_engine::client::Client;
use dhcpfo_engine::{BindingState, FailoverState, Role, World};
use yew::prelude::*;

use crate::components::topology::{
    num, Place, CLIENT_H, CLIENT_W, PRIMARY_Y, SECONDARY_Y, SERVER_H, SERVER_W, SERVER_X,
};
use crate::state::Shared;
use crate::text::{self, service_class, BINDING_STATES};

/// Props of [`ServerNode`].
#[derive(Properties, PartialEq)]
pub struct ServerProps {
    /// Which server.
    pub role: Role,
    /// The world shown.
    pub world: Shared<World>,
    /// Whether this server acts in the current step.
    pub acting: bool,
}

/// One server: its box is drawn down (dashed, dimmed) while its process is stopped.
#[function_component(ServerNode)]
pub fn server_node(props: &ServerProps) -> Html {
    let server = props.world.server(props.role);
    let top = match props.role {
        Role::Primary => PRIMARY_Y,
        Role::Secondary => SECONDARY_Y,
    };
    let running = server.running();
    let waiting = if running {
        format!(
            "{} update{} unacked · {} ack{} queued",
            server.outstanding_updates(),
            plural(server.outstanding_updates() as usize),
            server.queued_acks(),
            plural(server.queued_acks()),
        )
    } else {
        "dhcpd not running · lease file kept".to_string()
    };
    let look = service_class(server.state, server.service().serves());
    let class = classes!("server", props.role.name(), look, props.acting.then_some("acting"));
    html! {
        <g {class} data-node={props.role.name()} data-fo-state={server.state.name()}
            data-service={look} transform={format!("translate({} {})", num(SERVER_X), num(top))}>
            <rect class="node-box" width={num(SERVER_W)} height={num(SERVER_H)} rx="12" />
            <text class="server-name" x="16" y="25">
                { props.role.name().to_ascii_uppercase() }
            </text>
            <text class="server-addr" x={num(SERVER_W - 16.0)} y="25" text-anchor="end">
                { server.address.to_string() }
            </text>
            { state_badge(server.state, look) }
            <Counts world={props.world.clone()} role={props.role} />
            <text class="server-queue" x="16" y="104">{ waiting }</text>
        </g>
    }
}

/// The failover state as a pill, coloured by what it allows; long names get a smaller font.
fn state_badge(state: FailoverState, look: &'static str) -> Html {
    let name = text::state_upper(state);
    let long = name.len() > 18;
    let width = name.len() as f64 * if long { 7.0 } else { 8.8 } + 28.0;
    let tip = format!("{name}: {}", text::service_words(look));
    html! {
        <g class={classes!("fo-state", look, long.then_some("long"))} transform="translate(16 35)">
            <title>{ tip }</title>
            <rect width={num(width)} height="20" rx="10" />
            <circle cx="10" cy="10" r="3.5" />
            <text x="19" y="14">{ name }</text>
        </g>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Props of [`Counts`].
#[derive(Properties, PartialEq)]
pub struct CountsProps {
    /// The world shown.
    pub world: Shared<World>,
    /// Which server.
    pub role: Role,
}

/// Room for the lease counts across a server box, in SVG units.
const COUNTS_W: f64 = SERVER_W - 32.0;
/// Width of a count's swatch and the space after it.
const SWATCH_W: f64 = 16.0;
/// Space between two counts on a row.
const COUNT_GAP: f64 = 12.0;

/// Estimated width of a count with its swatch.
fn count_width(label: &str) -> f64 {
    SWATCH_W + label.len() as f64 * 6.2
}

/// How many leases the server holds in each binding state (those not zero): on one
/// row when they fit, else on two rows in even columns, named while the names fit.
#[function_component(Counts)]
pub fn counts(props: &CountsProps) -> Html {
    let server = props.world.server(props.role);
    let present: Vec<_> =
        BINDING_STATES.iter().map(|&s| (s, server.count(s))).filter(|&(_, n)| n > 0).collect();
    let mut labels: Vec<String> =
        present.iter().map(|(state, n)| format!("{n} {}", state.name())).collect();
    let one_row: f64 = labels.iter().map(|l| count_width(l) + COUNT_GAP).sum::<f64>();
    let rows = if one_row - COUNT_GAP <= COUNTS_W { 1 } else { 2 };
    let columns = present.len().div_ceil(rows).max(1);
    let column_w = COUNTS_W / columns as f64;
    if rows == 2 && labels.iter().any(|l| count_width(l) > column_w) {
        labels = present.iter().map(|(_, n)| n.to_string()).collect();
    }
    let mut x = 0.0;
    let items = present.iter().zip(labels).enumerate().map(|(i, (&(state, n), label))| {
        // One row packs the counts; two rows line them up in columns.
        let (at, y) = match rows {
            1 => (x, 8.0),
            _ => ((i % columns) as f64 * column_w, (i / columns) as f64 * 16.0),
        };
        x += count_width(&label) + COUNT_GAP;
        count_item(state, n, &label, at, y)
    });
    html! { <g class="counts" transform="translate(16 72)">{ for items }</g> }
}

fn count_item(state: BindingState, n: usize, label: &str, x: f64, y: f64) -> Html {
    html! {
        <g transform={format!("translate({} {})", num(x), num(y))}>
            <title>{ format!("{n} {}", state.name()) }</title>
            <rect class={classes!("swatch", format!("b-{}", state.name()))} y="-9" width="11"
                height="11" rx="2.5" />
            <text x="16" y="0">{ label.to_string() }</text>
        </g>
    }
}

/// Props of [`ClientNode`].
#[derive(Properties, PartialEq)]
pub struct ClientProps {
    /// The client's name.
    pub name: AttrValue,
    /// Its state.
    pub client: Client,
    /// Where it is drawn.
    pub place: Place,
    /// Whether it acts in the current step.
    pub acting: bool,
}

/// One client: a box with its details, or a tile in a crowded scenario.
#[function_component(ClientNode)]
pub fn client_node(props: &ClientProps) -> Html {
    match props.place {
        Place::Tile { x, y, size } => client_tile(props, x, y, size),
        Place::Box { x, y } => client_box(props, x, y),
    }
}

fn client_class(props: &ClientProps) -> Classes {
    let state = props.client.state.name();
    classes!("client", format!("cs-{state}"), props.acting.then_some("acting"))
}

fn client_tile(props: &ClientProps, x: f64, y: f64, size: f64) -> Html {
    let c = &props.client;
    let address = c.address.map(|a| a.to_string()).unwrap_or_default();
    let tip = format!("{}: {} {address}", props.name, c.state.name());
    html! {
        <rect class={client_class(props)} data-node={props.name.clone()} x={num(x)} y={num(y)}
            width={num(size)} height={num(size)} rx={num(size / 5.0)}>
            <title>{ tip }</title>
        </rect>
    }
}

/// A client's name cut with an ellipsis to about `room` SVG units (the whole name is in
/// the tooltip).
fn fit_name(name: &str, room: f64) -> String {
    let fits = (room / 8.6).max(4.0) as usize;
    match name.char_indices().nth(fits) {
        Some((cut, _)) => {
            let keep = name[..cut].char_indices().last().map_or(0, |(i, _)| i);
            format!("{}…", &name[..keep])
        }
        None => name.to_string(),
    }
}

fn client_box(props: &ClientProps, x: f64, y: f64) -> Html {
    let c = &props.client;
    let state = c.state.name();
    let via = c.server.map(|r| format!("via {}", r.name())).unwrap_or_default();
    let chip_w = state.len() as f64 * 7.0 + 16.0;
    let chip_at = format!("translate({} 8)", num(CLIENT_W - 12.0 - chip_w));
    let address_class = classes!("client-addr", c.address.is_none().then_some("dim"));
    let address = c.address.map(|a| a.to_string()).unwrap_or_else(|| "no address".into());
    html! {
        <g class={client_class(props)} data-node={props.name.clone()}
            transform={format!("translate({} {})", num(x), num(y))}>
            <rect class="node-box" width={num(CLIENT_W)} height={num(CLIENT_H)} rx="10" />
            <text class="client-name" x="14" y="22">
                <title>{ props.name.clone() }</title>
                { fit_name(&props.name, CLIENT_W - 12.0 - chip_w - 28.0) }
            </text>
            <g class="client-chip" transform={chip_at}>
                <rect width={num(chip_w)} height="18" rx="9" />
                <text x={num(chip_w / 2.0)} y="13" text-anchor="middle">
                    { state.to_ascii_uppercase() }
                </text>
            </g>
            <text class={address_class} x="14" y="43">{ address }</text>
            <text class="client-via" x={num(CLIENT_W - 12.0)} y="43" text-anchor="end">
                { via }
            </text>
        </g>
    }
}
