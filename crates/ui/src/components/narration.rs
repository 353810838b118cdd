//! The narration: the current step's time, what happened (the engine's
//! summary) and why (the engine's reasons, one sentence per effect, with the
//! rule each cites set apart), plus the packets of the step as chips that
//! open the packet inspector. A server's change of failover state is shown as
//! two state badges; an operator's action and a lost packet are marked as such.
//! A safety violation the engine's monitor recorded
//! in the step comes first, as an alert; the last step of a run cut at the
//! step limit says that the scenario goes on.

use dhcpfo_engine::packet::Destination;
use dhcpfo_engine::trace::{node_name, Cause, Effect, Step};
use dhcpfo_engine::{ClientState, FailoverState, Role, World};
use yew::prelude::*;

use crate::state::{is_violation, packets_of, Action, Loaded, PacketRef, Shared, Slot, Violation};
use crate::text::{self, Segment};

/// Props of [`Narration`].
#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown.
    pub world: Shared<World>,
    /// Steps applied.
    pub step: usize,
    /// The packet in the inspector.
    pub inspected: Option<PacketRef>,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// `#narration`.
#[function_component(Narration)]
pub fn narration(props: &NarrationProps) -> Html {
    let index = props.step.checked_sub(1);
    let body = match index.and_then(|i| Some((i, props.loaded.step(i)?))) {
        Some((i, step)) => explain(props, i, step),
        None => start(props),
    };
    html! {
        <section id="narration" class="panel narration" aria-live="polite">{ body }</section>
    }
}

fn explain(props: &NarrationProps, index: usize, step: &Step) -> Html {
    let cfg = &props.loaded.config;
    let summary = step.summary(cfg);
    let mut parts = summary.split("; ");
    let head = parts.next().unwrap_or_default().to_string();
    let tail: Vec<&str> = parts.collect();
    let violations = props.loaded.violations_at(index);
    let whys = reasons(cfg, step);
    let last_followed = props.loaded.truncated() && index + 1 == props.loaded.total();
    html! {
        <>
            { meta(&props.loaded, index, step) }
            if !violations.is_empty() { { violation_alert(violations) } }
            <p class="narr-summary">{ head }</p>
            { state_changes(step) }
            if !tail.is_empty() {
                <ul class="narr-effects">
                    { for tail.iter().map(|t| html! {
                        <li>{ render(&text::state_words(t)) }</li>
                    }) }
                </ul>
            }
            if !whys.is_empty() {
                <h3 class="narr-why-title">{ "Why" }</h3>
                <ol class="narr-whys">
                    { for whys.iter().map(|w| html! { <li>{ render(&text::segments(w)) }</li> }) }
                </ol>
            }
            if last_followed { { cut_note(&props.loaded) } }
            <PacketChips loaded={props.loaded.clone()} index={index} inspected={props.inspected}
                act={props.act.clone()} />
        </>
    }
}

/// The step's position, time, kind, actor and distance from the step before.
fn meta(loaded: &Loaded, index: usize, step: &Step) -> Html {
    let cfg = &loaded.config;
    let since = index.checked_sub(1).and_then(|p| loaded.step(p)).map(|prev| {
        match step.at.since(prev.at) {
            d if d.0 == 0 => "at the same instant as the previous step".to_string(),
            d => format!("{} after the previous step", text::gap(d)),
        }
    });
    let position =
        format!("Step {} of {}", text::thousands(index + 1), text::thousands(loaded.total()));
    let kind_class = classes!("kind", format!("kind-{}", step.kind()));
    let operator =
        is_operator(step).then(|| html! { <span class="kind kind-operator">{ "operator" }</span> });
    html! {
        <div class="narr-meta">
            <span class="narr-step">{ position }</span>
            <span class="narr-time">{ step.at.clock_millis() }</span>
            <span class={kind_class}>{ step.kind() }</span>
            { for operator }
            <span class="narr-actor">{ node_name(cfg, step.node) }</span>
            { for since.map(|s| html! { <span class="narr-since">{ s }</span> }) }
        </div>
    }
}

/// Whether the step is an operator's action (on the link or on a server).
pub fn is_operator(step: &Step) -> bool {
    matches!(&step.cause, Cause::Script(a) if !a.needs_client())
}

/// The failover state changes of a step, as `PRIMARY  NORMAL → COMMUNICATIONS-INTERRUPTED`.
fn state_changes(step: &Step) -> Html {
    let changes: Vec<Html> = step
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::ServerState { server, from, to, .. } => Some(html! {
                <li data-server={server.name()} data-to={to.name()}>
                    <span class="narr-server">{ server.name() }</span>
                    { state_chip(*from) }<span class="arrow">{ "→" }</span>{ state_chip(*to) }
                </li>
            }),
            _ => None,
        })
        .collect();
    if changes.is_empty() {
        return Html::default();
    }
    html! { <ul class="narr-states">{ for changes }</ul> }
}

/// A failover state as a small badge, coloured by what the state allows on its own.
pub fn state_chip(state: FailoverState) -> Html {
    let look = text::service_class(state, state.service(None).serves());
    html! {
        <span class={classes!("fo-chip", look)} title={text::service_words(look)}>
            { text::state_upper(state) }
        </span>
    }
}

/// Each effect's reason once, in order, leaving out the safety monitor's notes (the
/// alert above shows them).
fn reasons(cfg: &dhcpfo_engine::Config, step: &Step) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in step.effects.iter().filter(|e| !is_violation(e)) {
        let sentence = step.effect_sentence(cfg, e);
        if !out.contains(&sentence) {
            out.push(sentence);
        }
    }
    out
}

/// Says, on the last step of a run cut at the step limit, that the scenario goes on.
fn cut_note(loaded: &Loaded) -> Html {
    let text = format!(
        "The page stops following the run here, at step {}: the scenario goes on to {}, \
         but makes more steps than the page follows.",
        text::thousands(loaded.total()),
        loaded.config.end.clock()
    );
    html! { <p class="narr-cut">{ text }</p> }
}

/// The safety monitor's findings for the step shown, as an alert.
fn violation_alert(violations: &[Violation]) -> Html {
    let first = violations.first().map(|v| v.address.to_string());
    html! {
        <div class="narr-alert" role="alert" data-violation={first}>
            <strong class="narr-alert-title">{ "Safety violation" }</strong>
            <ul>
                { for violations.iter().map(|v| html! {
                    <li>{ render(&text::segments(&v.sentence)) }</li>
                }) }
            </ul>
        </div>
    }
}

fn start(props: &NarrationProps) -> Html {
    let cfg = &props.loaded.config;
    let world = &props.world;
    let states = [Role::Primary, Role::Secondary].map(|r| text::state_upper(world.server(r).state));
    let off = world.clients().iter().filter(|c| c.state == ClientState::Off).count();
    let total = props.loaded.total();
    let heading = format!("Start · {}", text::count(total, "step", "steps"));
    let first =
        props.loaded.step(0).map(|s| format!("{} — {}", s.at.clock_millis(), s.summary(cfg)));
    let clients = match (cfg.clients.len(), off) {
        (0, _) => "the scenario has no clients".to_string(),
        (n, 1) => format!("1 of {} is off", text::count(n, "client", "clients")),
        (n, off) => format!("{off} of {} are off", text::count(n, "client", "clients")),
    };
    html! {
        <>
            <div class="narr-meta">
                <span class="narr-step">{ heading }</span>
                <span class="narr-time">{ world.now().clock_millis() }</span>
            </div>
            <p class="narr-summary">
                { format!("The primary is in {}, the secondary in {}; {clients}.",
                    states[0], states[1]) }
            </p>
            <p id="narr-hint" class="narr-hint">{ start_hint(total, cfg.end.clock()) }</p>
            { for first.map(|f| html! {
                <p class="narr-next"><span class="kind">{ "first" }</span>{ f }</p>
            }) }
        </>
    }
}

/// What to do at the start, or why there is nothing to do.
fn start_hint(total: usize, end: String) -> String {
    if total == 0 {
        format!(
            "Nothing happens in this scenario up to its end at {end}: it has no steps, so \
             there is nothing to play. Add clients and events, or pick another scenario."
        )
    } else {
        "Press play, or step forward with →, to see what happens.".into()
    }
}

/// Renders text segments: rules as marked chips, states in their pool colour.
pub fn render(segments: &[Segment<'_>]) -> Html {
    html! {
        { for segments.iter().map(|s| match s {
            Segment::Text(t) => html! { { *t } },
            Segment::Rule(r) => html! { <mark class="rule">{ *r }</mark> },
            Segment::State(state, word) => html! {
                <span class={classes!("state-word", format!("t-{}", state.name()))}>{ *word }</span>
            },
        }) }
    }
}

/// Props of [`PacketChips`].
#[derive(Properties, PartialEq)]
pub struct ChipsProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Index of the step.
    pub index: usize,
    /// The packet in the inspector.
    pub inspected: Option<PacketRef>,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// The packets of a step, as buttons that open them in the inspector.
#[function_component(PacketChips)]
pub fn packet_chips(props: &ChipsProps) -> Html {
    let Some(step) = props.loaded.step(props.index) else { return Html::default() };
    let cfg = &props.loaded.config;
    let packets = packets_of(props.index, step);
    if packets.is_empty() {
        return Html::default();
    }
    let chips = packets.into_iter().map(|(r, p)| {
        let label = match r.slot {
            Slot::Received => format!("⇠ {} from {}", p.name(), node_name(cfg, p.from)),
            Slot::Lost => format!("✕ {} from {}, lost", p.name(), node_name(cfg, p.from)),
            Slot::Sent(_) => format!("⇢ {} to {}", p.name(), destination(cfg, p.to)),
        };
        let class = classes!("chip", (props.inspected == Some(r)).then_some("selected"));
        let onclick = props.act.reform(move |_: MouseEvent| Action::Inspect(r));
        let title = format!("{label}: show every field");
        html! { <button {class} {onclick} {title}>{ label }</button> }
    });
    html! {
        <div class="narr-packets">
            <span class="narr-packets-title">{ "Packets" }</span>{ for chips }
        </div>
    }
}

/// `primary`, `laptop`, or `both servers` for a broadcast.
pub fn destination(cfg: &dhcpfo_engine::Config, to: Destination) -> String {
    match to {
        Destination::Unicast(n) => node_name(cfg, n),
        Destination::Broadcast => "both servers (broadcast)".into(),
    }
}
