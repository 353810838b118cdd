//! Playback controls: start, back, play/pause, forward, end, speed, the
//! timeline scrubber with a mark for every scripted event and a red one for
//! every safety violation, the step counter, the virtual clock and the gap to
//! the next step (or why there is none).

use dhcpfo_engine::trace::Cause;
use dhcpfo_engine::Time;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{icons, notices};
use crate::state::{Action, Loaded, Shared, Speed};
use crate::text;

/// Props of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Steps applied.
    pub step: usize,
    /// The virtual time now.
    pub now: Time,
    /// Whether playback runs.
    pub playing: bool,
    /// Playback speed.
    pub speed: Speed,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// The control bar, and under it the notices about the whole run.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let act = &props.act;
    html! {
        <>
            <div class="controls" role="group" aria-label="Playback">
                { transport(props) }
                <Scrubber loaded={props.loaded.clone()} step={props.step} act={act.clone()} />
                <Readout loaded={props.loaded.clone()} step={props.step} now={props.now}
                    playing={props.playing} />
            </div>
            { notices::run_notices(&props.loaded, props.step, act) }
        </>
    }
}

/// Start, back, play/pause, forward, end and the speed; play needs a step to play.
fn transport(props: &ControlsProps) -> Html {
    let act = &props.act;
    let total = props.loaded.total();
    let press = |a: Action| act.reform(move |_: MouseEvent| a.clone());
    let (at_start, at_end) = (props.step == 0, props.step >= total);
    let play_label = match (props.playing, total) {
        (true, _) => "Pause (space)",
        (false, 0) => "Nothing to play: this scenario has no steps",
        (false, _) => "Play (space)",
    };
    html! {
        <div class="buttons">
            <button id="to-start" class="btn-icon" aria-label="Jump to the start"
                onclick={press(Action::Start)} disabled={at_start}
                title="Jump to the start (Home)">
                { icons::to_start() }
            </button>
            <button id="step-back" class="btn-icon" aria-label="Step back"
                onclick={press(Action::Back)} disabled={at_start} title="Step back (←)">
                { icons::step_back() }
            </button>
            <button id="play" class={classes!("btn-play", props.playing.then_some("playing"))}
                onclick={press(Action::TogglePlay)} aria-pressed={props.playing.to_string()}
                aria-label="Play" title={play_label} disabled={total == 0}>
                { if props.playing { icons::pause() } else { icons::play() } }
            </button>
            <button id="step-forward" class="btn-icon" aria-label="Step forward"
                onclick={press(Action::Forward)} disabled={at_end} title="Step forward (→)">
                { icons::step_forward() }
            </button>
            <button id="to-end" class="btn-icon" aria-label="Jump to the end"
                onclick={press(Action::End)} disabled={at_end} title="Jump to the end (End)">
                { icons::to_end() }
            </button>
            <SpeedSelect speed={props.speed} act={act.clone()} />
        </div>
    }
}

/// Props of [`SpeedSelect`].
#[derive(Properties, PartialEq)]
pub struct SpeedProps {
    /// Current speed.
    pub speed: Speed,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// `#speed`.
#[function_component(SpeedSelect)]
pub fn speed_select(props: &SpeedProps) -> Html {
    let onchange = props.act.reform(|e: Event| {
        let value = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
        Action::SetSpeed(Speed::from_value(&value).unwrap_or(Speed::One))
    });
    html! {
        <select id="speed" class="speed" {onchange} aria-label="Speed" title="Playback speed">
            { for Speed::ALL.iter().map(|s| html! {
                <option value={s.value()} selected={*s == props.speed}>
                    { format!("{}×", s.value()) }
                </option>
            }) }
        </select>
    }
}

/// Props of [`Scrubber`].
#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Steps applied.
    pub step: usize,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// The most event marks drawn on the scrubber.
const MAX_MARKS: usize = 400;

/// `#scrubber`, a range over step counts, with marks for scripted events.
#[function_component(Scrubber)]
pub fn scrubber(props: &ScrubberProps) -> Html {
    let total = props.loaded.total();
    let oninput = props.act.reform(|e: InputEvent| {
        let value = e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
        Action::Goto(value.parse().unwrap_or(0))
    });
    let pct = |n: usize| if total == 0 { 0.0 } else { n as f64 * 100.0 / total as f64 };
    html! {
        <div class="scrubber">
            <Marks loaded={props.loaded.clone()} act={props.act.clone()} />
            <input id="scrubber" type="range" min="0" max={total.to_string()}
                value={props.step.to_string()} {oninput} aria-label="Timeline"
                disabled={total == 0}
                style={format!("--fill: {}%", crate::text::fixed(pct(props.step), 3))} />
        </div>
    }
}

/// Props of [`Marks`].
#[derive(Properties, PartialEq)]
pub struct MarksProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Sends an action to the page (a violation's mark jumps to it).
    pub act: Callback<Action>,
}

/// A tick above the scrubber for every scripted event, and a red flag for every safety
/// violation (drawn once per scenario).
#[function_component(Marks)]
pub fn marks(props: &MarksProps) -> Html {
    let loaded = &props.loaded;
    let total = loaded.total().max(1) as f64;
    let left = |index: usize| {
        let pct = (index as f64 + 1.0) * 100.0 / total;
        format!("left: {}%", crate::text::fixed(pct, 3))
    };
    let scripted = loaded.timeline.steps().iter().filter(|s| matches!(s.cause, Cause::Script(_)));
    let stride = (scripted.clone().count() / MAX_MARKS).max(1);
    let marks = scripted.step_by(stride).map(|s| {
        let title = format!("{} · {}", s.at.clock(), s.summary(&loaded.config));
        html! { <span class="mark" style={left(s.index as usize)} {title}></span> }
    });
    let flags = loaded.violations.iter().take(MAX_MARKS).map(|v| {
        let n = v.step + 1;
        let title = format!("step {n}: {}", v.sentence);
        let onclick = props.act.reform(move |_: MouseEvent| Action::Goto(n));
        html! {
            <span class="mark mark-violation" style={left(v.step)} {title} {onclick}
                data-violation={v.address.to_string()} data-step={n.to_string()}></span>
        }
    });
    html! { <div class="marks" aria-hidden="true">{ for marks }{ for flags }</div> }
}

/// Props of [`Readout`].
#[derive(Properties, PartialEq)]
pub struct ReadoutProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Steps applied.
    pub step: usize,
    /// The virtual time now.
    pub now: Time,
    /// Whether playback runs.
    pub playing: bool,
}

/// Step counter, virtual clock, and the wait until the next step.
#[function_component(Readout)]
pub fn readout(props: &ReadoutProps) -> Html {
    let next = props.loaded.step(props.step).map(|s| s.at.since(props.now));
    let gap = match next {
        Some(d) => {
            let long = text::is_long_gap(d);
            let class = classes!(
                "gap",
                long.then_some("gap-long"),
                (long && props.playing).then_some("pulse")
            );
            let label = format!("next {}", text::gap(d));
            let title = "Virtual time until the next step";
            html! { <span id="gap" {class} {title}>{ label }</span> }
        }
        None => last_word(&props.loaded),
    };
    html! {
        <div class="readout">
            <span class="counter">
                { "step " }<b id="step-index">{ props.step }</b>
                { " / " }<span id="step-total">{ props.loaded.total() }</span>
            </span>
            <span id="clock" class="clock" title="Virtual time since the scenario start">
                { props.now.clock_millis() }
            </span>
            { gap }
        </div>
    }
}

/// What the readout says after the last step: the run ended, was cut, or never began.
fn last_word(loaded: &Loaded) -> Html {
    let (label, title) = if loaded.total() == 0 {
        ("nothing to play", "This scenario has no steps")
    } else if loaded.truncated() {
        ("run cut here", "The scenario goes on, but makes more steps than the page follows")
    } else {
        ("end of run", "The scenario is over: nothing else happens before its end")
    };
    let class = classes!("gap", loaded.truncated().then_some("gap-cut"));
    html! { <span id="gap" {class} {title}>{ label }</span> }
}
