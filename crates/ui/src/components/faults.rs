//! The operator's panel: fault injection at the moment shown.
//!
//! Each button adds an operator event to the scenario one millisecond after
//! the step shown (cut or heal the server link, stop or start a server with
//! or without its lease file, declare partner-down, lose the next packet),
//! runs the scenario again and shows the new event's step. The event is part
//! of the scenario from then on, so the share link carries it and the run
//! stays deterministic. Buttons that cannot apply in the state shown (starting
//! a running server, healing a whole link) are disabled with the reason.

use dhcpfo_engine::{FailoverState, Role, World};
use yew::prelude::*;

use crate::state::{Action, Shared};

/// Props of [`Faults`].
#[derive(Properties, PartialEq)]
pub struct FaultsProps {
    /// The world shown: which servers run and which way the link passes.
    pub world: Shared<World>,
    /// Sends [`Action::Inject`].
    pub act: Callback<Action>,
}

/// One button: the scenario action it adds, its label, and why it is off.
struct Fault {
    action: String,
    label: &'static str,
    title: String,
    off: Option<&'static str>,
}

/// `#faults`: the link row and one row per server.
#[function_component(Faults)]
pub fn faults(props: &FaultsProps) -> Html {
    let w = &props.world;
    let to_secondary = w.link_open(Role::Primary);
    let to_primary = w.link_open(Role::Secondary);
    let whole = to_secondary && to_primary;
    let link = [
        fault(
            "cut-link",
            "Cut",
            "cut the server link both ways",
            (!to_primary && !to_secondary).then_some("already cut both ways"),
        ),
        fault(
            "cut-link-to-primary",
            "Cut → P",
            "lose every failover message from the secondary to the primary",
            (!to_primary).then_some("already cut that way"),
        ),
        fault(
            "cut-link-to-secondary",
            "Cut → S",
            "lose every failover message from the primary to the secondary",
            (!to_secondary).then_some("already cut that way"),
        ),
        fault("heal-link", "Heal", "repair the server link", whole.then_some("the link is whole")),
    ];
    html! {
        <section id="faults" class="panel faults" aria-labelledby="faults-title">
            <div class="panel-head">
                <h2 id="faults-title">{ "Operator" }</h2>
                <span class="panel-note">{ "adds an event just after the step shown" }</span>
            </div>
            { row("Server link", "link", &link, &props.act) }
            { for [Role::Primary, Role::Secondary].map(|r| server_row(w, r, &props.act)) }
        </section>
    }
}

fn server_row(world: &World, role: Role, act: &Callback<Action>) -> Html {
    let server = world.server(role);
    let running = server.running();
    let stopped = (!running).then_some("the server is stopped");
    let started = running.then_some("the server is running");
    let name = role.name();
    let peer = role.peer().name();
    let faults = [
        fault(&format!("stop-{name}"), "Stop", "kill dhcpd; its lease file stays on disk", stopped),
        fault(&format!("start-{name}"), "Start", "start dhcpd from its lease file", started),
        fault(
            &format!("start-{name}-empty"),
            "Start empty",
            "start dhcpd with its lease file lost",
            started,
        ),
        fault(
            &format!("partner-down-{name}"),
            "Partner down",
            &format!("tell the {name} that the {peer} is down; safe only if the {peer} really is"),
            stopped.or((server.state == FailoverState::PartnerDown).then_some("already there")),
        ),
        fault(
            &format!("drop-next-to-{name}"),
            "Drop next",
            &format!("lose the next DHCP packet that would reach the {name}"),
            None,
        ),
    ];
    let label = if role == Role::Primary { "Primary" } else { "Secondary" };
    row(label, name, &faults, act)
}

fn fault(action: &str, label: &'static str, title: &str, off: Option<&'static str>) -> Fault {
    Fault { action: action.to_string(), label, title: title.to_string(), off }
}

fn row(label: &str, key: &str, faults: &[Fault], act: &Callback<Action>) -> Html {
    html! {
        <div class="fault-row" data-row={key.to_string()}>
            <span class="fault-label">{ label.to_string() }</span>
            { for faults.iter().map(|f| button(f, act)) }
        </div>
    }
}

fn button(f: &Fault, act: &Callback<Action>) -> Html {
    let action = f.action.clone();
    let onclick = act.reform(move |_: MouseEvent| Action::Inject(action.clone()));
    let title = match f.off {
        Some(why) => format!("{}: not now, {why}", f.title),
        None => f.title.clone(),
    };
    html! {
        <button class="btn fault-btn" data-action={f.action.clone()} {onclick} {title}
            disabled={f.off.is_some()}>
            { f.label }
        </button>
    }
}
