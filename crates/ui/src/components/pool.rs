//! The address pool: one column per address, the primary's view on top and
//! the secondary's below, each cell coloured by binding state. A column whose
//! two views disagree is highlighted: a binding update is on its way. Cells
//! the current step changed flash. Hovering or clicking an address shows its
//! lease on both servers, field by field.

use std::net::Ipv4Addr;

use dhcpfo_engine::lease::Lease;
use dhcpfo_engine::trace::Effect;
use dhcpfo_engine::{BindingState, Role, World};
use yew::prelude::*;

use crate::state::{AddressLabel, Loaded, Shared};
use crate::text::{self, BINDING_STATES};

/// Props of [`Pool`].
#[derive(Properties, PartialEq)]
pub struct PoolProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown.
    pub world: Shared<World>,
    /// Steps applied.
    pub step: usize,
}

/// The pool panel: legend, grid and lease card.
#[function_component(Pool)]
pub fn pool(props: &PoolProps) -> Html {
    let hovered = use_state(|| None::<Ipv4Addr>);
    let pinned = use_state(|| None::<Ipv4Addr>);
    {
        // A pin belongs to the scenario it was made in.
        let pinned = pinned.clone();
        use_effect_with(props.loaded.id, move |_| pinned.set(None));
    }
    let on_hover = use_callback(hovered.clone(), |a: Option<Ipv4Addr>, h| h.set(a));
    let on_pick = use_callback(pinned.clone(), |a: Ipv4Addr, p| {
        p.set(if **p == Some(a) { None } else { Some(a) })
    });
    let changed = changed_here(&props.loaded, props.step);
    let shown = (*hovered).or(*pinned).or_else(|| changed.last().map(|c| c.1));
    let columns = columns(&props.world, &changed, props.step, shown, *pinned);
    let differing = columns.iter().filter(|c| c.primary != c.secondary).count();
    let per_band = band_width(columns.len());
    let bands = columns.chunks(per_band).map(|band| {
        html! {
            <PoolBand key={band[0].index} loaded={props.loaded.clone()} columns={band.to_vec()}
                on_hover={on_hover.clone()} on_pick={on_pick.clone()} />
        }
    });
    // A small pool keeps cells of a normal size rather than stretching them across.
    let style = format!("grid-template-columns: 64px repeat({per_band}, minmax(0, 56px))");
    let leave = on_hover.reform(|_: MouseEvent| None);
    html! {
        <section class="panel pool" aria-labelledby="pool-title">
            <div class="panel-head">
                <h2 id="pool-title">{ "Address pool" }</h2>
                <span class="panel-note">{ pool_note(columns.len(), differing) }</span>
            </div>
            <Legend />
            <div class="pool-scroll">
                <div class="pool-grid" onmouseleave={leave} {style}>{ for bands }</div>
            </div>
            <LeaseCard loaded={props.loaded.clone()} world={props.world.clone()} address={shown}
                pinned={pinned.is_some() && *pinned == shown} />
        </section>
    }
}

/// What each address shows now.
fn columns(
    world: &World,
    changed: &[(Role, Ipv4Addr)],
    step: usize,
    shown: Option<Ipv4Addr>,
    pinned: Option<Ipv4Addr>,
) -> Vec<Column> {
    let primary = &world.server(Role::Primary).leases;
    let secondary = &world.server(Role::Secondary).leases;
    let column = |(index, (p, s)): (usize, (&Lease, &Lease))| {
        let flash = |role| changed.contains(&(role, p.address)).then_some(step);
        Column {
            index,
            address: p.address,
            primary: p.binding,
            secondary: s.binding,
            flash_primary: flash(Role::Primary),
            flash_secondary: flash(Role::Secondary),
            selected: shown == Some(p.address),
            pinned: pinned == Some(p.address),
        }
    };
    primary.iter().zip(secondary).enumerate().map(column).collect()
}

/// Addresses per band of the grid: the whole pool up to 24, else 24 a band.
fn band_width(size: usize) -> usize {
    size.clamp(1, 24)
}

/// The pool's size and how many addresses the two servers see differently.
pub fn pool_note(size: usize, differing: usize) -> String {
    let size = text::count(size, "address", "addresses");
    match differing {
        0 => format!("{size} · both servers agree"),
        1 => format!("{size} · 1 address differs: an update is in flight"),
        n => format!("{size} · {n} addresses differ: updates are in flight"),
    }
}

/// The (server, address) pairs whose lease the current step touched.
fn changed_here(loaded: &Loaded, step: usize) -> Vec<(Role, Ipv4Addr)> {
    let Some(s) = step.checked_sub(1).and_then(|i| loaded.step(i)) else { return Vec::new() };
    s.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Lease { server, address, .. } => Some((*server, *address)),
            _ => None,
        })
        .collect()
}

/// What one address shows: both bindings and its highlights.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Position in the pool.
    pub index: usize,
    /// The address.
    pub address: Ipv4Addr,
    /// The primary's binding state.
    pub primary: BindingState,
    /// The secondary's binding state.
    pub secondary: BindingState,
    /// Set to the step number when the current step changed the primary's lease.
    pub flash_primary: Option<usize>,
    /// Set to the step number when the current step changed the secondary's lease.
    pub flash_secondary: Option<usize>,
    /// Whether the lease card shows this address.
    pub selected: bool,
    /// Whether the address is pinned by a click.
    pub pinned: bool,
}

/// Props of [`PoolBand`].
#[derive(Properties, PartialEq)]
pub struct BandProps {
    /// The scenario shown (for the address labels).
    pub loaded: Shared<Loaded>,
    /// The addresses of this band.
    pub columns: Vec<Column>,
    /// Hover in and out.
    pub on_hover: Callback<Option<Ipv4Addr>>,
    /// Click.
    pub on_pick: Callback<Ipv4Addr>,
}

/// One row of the grid: the row labels, then up to 24 addresses. A step usually
/// changes one band, so the others are not even compared cell by cell.
#[function_component(PoolBand)]
pub fn pool_band(props: &BandProps) -> Html {
    let labels = &props.loaded.labels;
    html! {
        <>
            <div key="rows" class="pool-rows" aria-hidden="true">
                <span>{ "primary" }</span><span>{ "secondary" }</span>
            </div>
            { for props.columns.iter().map(|c| {
                let label = labels.address(c.index, c.address);
                let key = label.key.clone();
                html! {
                    <PoolColumn {key} column={c.clone()} {label}
                        on_hover={props.on_hover.clone()} on_pick={props.on_pick.clone()} />
                }
            }) }
        </>
    }
}

/// Props of [`PoolColumn`].
#[derive(Properties, PartialEq)]
pub struct ColumnProps {
    /// What to show.
    pub column: Column,
    /// The address as text.
    pub label: AddressLabel,
    /// Hover in and out.
    pub on_hover: Callback<Option<Ipv4Addr>>,
    /// Click.
    pub on_pick: Callback<Ipv4Addr>,
}

/// One address: the primary's cell over the secondary's.
#[function_component(PoolColumn)]
pub fn pool_column(props: &ColumnProps) -> Html {
    let c = &props.column;
    let address = c.address;
    let class = classes!(
        "pool-col",
        (c.primary != c.secondary).then_some("differs"),
        c.selected.then_some("selected"),
        c.pinned.then_some("pinned")
    );
    let onmouseenter = props.on_hover.reform(move |_: MouseEvent| Some(address));
    let onclick = props.on_pick.reform(move |_: MouseEvent| address);
    let title = format!(
        "{}: {} on the primary, {} on the secondary",
        props.label.text, c.primary, c.secondary
    );
    html! {
        <div {class} {onmouseenter} {onclick} {title}>
            { cell(&props.label, Role::Primary, c.primary, c.flash_primary) }
            { cell(&props.label, Role::Secondary, c.secondary, c.flash_secondary) }
        </div>
    }
}

fn cell(label: &AddressLabel, role: Role, binding: BindingState, flash: Option<usize>) -> Html {
    let class = classes!(
        "pool-cell",
        format!("b-{}", binding.name()),
        binding.is_transitional().then_some("transitional")
    );
    let flash =
        flash.map(|step| html! { <span key={step} class="flash" aria-hidden="true"></span> });
    html! {
        <div {class} data-server={role.name()} data-address={label.text.clone()}
            data-binding={binding.name()}>
            <span class="octet">{ label.octet.clone() }</span>
            { for flash }
        </div>
    }
}

/// The colour key of the binding states.
#[function_component(Legend)]
pub fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Binding states">
            { for BINDING_STATES.iter().map(|s| html! {
                <li title={text::binding_meaning(*s)}>
                    <span class={swatch_class(*s)}></span>
                    { s.name() }
                </li>
            }) }
            <li class="legend-note">{ "striped: waiting for the peer" }</li>
        </ul>
    }
}

fn swatch_class(state: BindingState) -> Classes {
    classes!(
        "swatch",
        format!("b-{}", state.name()),
        state.is_transitional().then_some("transitional")
    )
}

/// Props of [`LeaseCard`].
#[derive(Properties, PartialEq)]
pub struct CardProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown.
    pub world: Shared<World>,
    /// The address to show.
    pub address: Option<Ipv4Addr>,
    /// Whether it is pinned.
    pub pinned: bool,
}

/// Both servers' lease record for one address, side by side.
#[function_component(LeaseCard)]
pub fn lease_card(props: &CardProps) -> Html {
    let leases = props.address.and_then(|a| {
        Some((
            props.world.server(Role::Primary).lease(a)?,
            props.world.server(Role::Secondary).lease(a)?,
        ))
    });
    let Some((p, s)) = leases else {
        let hint = "Hover over an address to see its lease on both servers.";
        return html! { <p id="lease-card" class="lease-card empty">{ hint }</p> };
    };
    let (pr, sr) = (lease_rows(&props.loaded, p), lease_rows(&props.loaded, s));
    let heading = format!("{}{}", p.address, if props.pinned { " · pinned" } else { "" });
    let row =
        |role: &'static str, mine: &[(&'static str, String)], other: &[(&'static str, String)]| {
            html! {
                <tr>
                    <th scope="row">{ role }</th>
                    { for mine.iter().zip(other).map(|((_, a), (_, b))| html! {
                        <td class={classes!((a != b).then_some("differs"))}>{ a.clone() }</td>
                    }) }
                </tr>
            }
        };
    html! {
        <div id="lease-card" class="lease-card">
            <table>
                <thead><tr>
                    <th class="lease-addr">{ heading }</th>
                    { for pr.iter().map(|(field, _)| html! { <th>{ *field }</th> }) }
                </tr></thead>
                <tbody>{ row("primary", &pr, &sr) }{ row("secondary", &sr, &pr) }</tbody>
            </table>
        </div>
    }
}

/// The fields of a lease as (name, text) pairs.
fn lease_rows(loaded: &Loaded, l: &Lease) -> Vec<(&'static str, String)> {
    let client = l.hardware.map(|mac| {
        let name = loaded.config.clients.iter().find(|c| c.mac == mac).map(|c| c.name.clone());
        match name {
            Some(n) => n,
            None => mac.to_string(),
        }
    });
    vec![
        ("binding", l.binding.name().to_string()),
        ("next", l.next.name().to_string()),
        ("rewind", l.rewind.name().to_string()),
        ("starts", text::lease_time(l.starts)),
        ("ends", text::lease_time(l.ends)),
        ("tstp", text::lease_time(l.tstp)),
        ("tsfp", text::lease_time(l.tsfp)),
        ("atsfp", text::lease_time(l.atsfp)),
        ("cltt", text::lease_time(l.cltt)),
        ("client", client.unwrap_or_else(|| "—".into())),
    ]
}
