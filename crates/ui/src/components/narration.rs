//! The narration: the current step's time, what happened (the engine's
//! summary) and why (the engine's reasons, one sentence per effect, with the
//! rule each cites set apart), plus the packets of the step as chips that
//! open the packet inspector.

use dhcpfo_engine::packet::Destination;
use dhcpfo_engine::trace::{node_name, Step};
use dhcpfo_engine::{ClientState, Role, World};
use yew::prelude::*;

use crate::state::{packets_of, Action, Loaded, PacketRef, Shared, Slot};
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
    let since = index.checked_sub(1).and_then(|p| props.loaded.step(p)).map(|prev| {
        match step.at.since(prev.at) {
            d if d.0 == 0 => "at the same instant as the previous step".to_string(),
            d => format!("{} after the previous step", text::gap(d)),
        }
    });
    let summary = step.summary(cfg);
    let mut parts = summary.split("; ");
    let head = parts.next().unwrap_or_default().to_string();
    let tail: Vec<&str> = parts.collect();
    let position = format!("Step {} of {}", index + 1, props.loaded.total());
    let kind_class = classes!("kind", format!("kind-{}", step.kind()));
    html! {
        <>
            <div class="narr-meta">
                <span class="narr-step">{ position }</span>
                <span class="narr-time">{ step.at.clock_millis() }</span>
                <span class={kind_class}>{ step.kind() }</span>
                <span class="narr-actor">{ node_name(cfg, step.node) }</span>
                { for since.map(|s| html! { <span class="narr-since">{ s }</span> }) }
            </div>
            <p class="narr-summary">{ head }</p>
            if !tail.is_empty() {
                <ul class="narr-effects">
                    { for tail.iter().map(|t| html! {
                        <li>{ render(&text::state_words(t)) }</li>
                    }) }
                </ul>
            }
            <h3 class="narr-why-title">{ "Why" }</h3>
            <ol class="narr-whys">
                { for step.whys(cfg).iter().map(|w| html! {
                    <li>{ render(&text::segments(w)) }</li>
                }) }
            </ol>
            <PacketChips loaded={props.loaded.clone()} index={index} inspected={props.inspected}
                act={props.act.clone()} />
        </>
    }
}

fn start(props: &NarrationProps) -> Html {
    let cfg = &props.loaded.config;
    let world = &props.world;
    let states =
        [Role::Primary, Role::Secondary].map(|r| world.server(r).state.name().to_ascii_uppercase());
    let off = world.clients().iter().filter(|c| c.state == ClientState::Off).count();
    let heading = format!("Start · {} steps", props.loaded.total());
    let first =
        props.loaded.step(0).map(|s| format!("{} — {}", s.at.clock_millis(), s.summary(cfg)));
    html! {
        <>
            <div class="narr-meta">
                <span class="narr-step">{ heading }</span>
                <span class="narr-time">{ world.now().clock_millis() }</span>
            </div>
            <p class="narr-summary">
                { format!("The primary is in {}, the secondary in {}; {off} of {} clients are off.",
                    states[0], states[1], cfg.clients.len()) }
            </p>
            <p class="narr-hint">
                { "Press play, or step forward with →, to see what happens." }
            </p>
            { for first.map(|f| html! {
                <p class="narr-next"><span class="kind">{ "first" }</span>{ f }</p>
            }) }
        </>
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
            Slot::Sent(_) => format!("⇢ {} to {}", p.name(), destination(cfg, p.to)),
        };
        let class = classes!("chip", (props.inspected == Some(r)).then_some("selected"));
        let onclick = props.act.reform(move |_: MouseEvent| Action::Inspect(r));
        html! { <button {class} {onclick} title="Show every field">{ label }</button> }
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
