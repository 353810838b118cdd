//! The clients table: each client's hardware address, RFC 2131 state, address,
//! granting server, lease time, lease end and renewal (T1) and rebinding (T2)
//! times, as the client itself sees them.

use dhcpfo_engine::client::Client;
use dhcpfo_engine::{Duration, Time, World};
use yew::prelude::*;

use crate::state::{ClientLabel, Loaded, Shared};

/// Props of [`ClientsTable`].
#[derive(Properties, PartialEq)]
pub struct ClientsProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown.
    pub world: Shared<World>,
    /// The client acting in the current step, if one is.
    pub acting: Option<usize>,
}

/// `#clients`.
#[function_component(ClientsTable)]
pub fn clients_table(props: &ClientsProps) -> Html {
    let labels = &props.loaded.labels.clients;
    let rows = props.world.clients().iter().zip(labels).enumerate().map(|(i, (c, label))| {
        let acting = props.acting == Some(i);
        let (key, label) = (label.key.clone(), label.clone());
        html! { <ClientRow {key} {label} client={c.clone()} {acting} /> }
    });
    html! {
        <section class="panel clients" aria-labelledby="clients-title">
            <div class="panel-head">
                <h2 id="clients-title">{ "Clients" }</h2>
                <span class="panel-note">{ "as each client sees its own lease" }</span>
            </div>
            <div class="table-scroll">
                <table id="clients">
                    <thead><tr>
                        { for COLUMNS.iter().map(|c| html! { <th>{ *c }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

/// The column headings.
const COLUMNS: [&str; 9] =
    ["name", "MAC", "state", "address", "server", "lease", "lease ends", "T1", "T2"];

/// Props of [`ClientRow`].
#[derive(Properties, PartialEq)]
pub struct RowProps {
    /// Name and hardware address.
    pub label: ClientLabel,
    /// State.
    pub client: Client,
    /// Whether the client acts in the current step.
    pub acting: bool,
}

/// One client.
#[function_component(ClientRow)]
pub fn client_row(props: &RowProps) -> Html {
    let c = &props.client;
    let state = c.state.name();
    let address = c.address.map(|a| a.to_string()).unwrap_or_else(|| "—".into());
    let held = c.address.is_some();
    let clock = |t: Option<Time>| t.map(|t| t.clock_millis()).unwrap_or_else(|| "—".into());
    let lease =
        if held { Duration::from_secs(u64::from(c.lease_time)).human() } else { "—".into() };
    html! {
        <tr class={classes!(props.acting.then_some("acting"))}
            data-client={props.label.name.clone()}
            data-state={state}>
            <th scope="row">{ props.label.name.clone() }</th>
            <td class="mono">{ props.label.mac.clone() }</td>
            <td><span class={classes!("state-chip", format!("cs-{state}"))}>{ state }</span></td>
            <td class="mono">{ address }</td>
            <td>{ c.server.map(|r| r.name()).unwrap_or("—") }</td>
            <td class="mono">{ lease }</td>
            <td class="mono">{ clock(c.lease_ends) }</td>
            <td class="mono">{ clock(c.t1_at) }</td>
            <td class="mono">{ clock(c.t2_at) }</td>
        </tr>
    }
}
