//! The event log: every step as a line (number, time, summary), the current
//! one highlighted and kept in view; a click, or Enter on a focused line,
//! jumps there. A step with a safety violation is marked in red; an operator's
//! action, a lost packet and a change of failover state each have their mark. Only the
//! lines in and near the visible part of the list are in the DOM, so a trace
//! of a million steps costs the same as one of forty.

use dhcpfo_engine::trace::Effect;
use web_sys::Element;
use yew::prelude::*;

use crate::components::narration::is_operator;
use crate::state::{Action, Loaded, Shared};
use crate::text;

/// Height of one line in CSS pixels (must match `.log-row` in the style sheet).
const ROW: f64 = 30.0;
/// Lines rendered beyond each edge of the visible part.
const OVERSCAN: usize = 12;
/// Height of the scrolling list in CSS pixels (must match `.log-scroll`). Knowing it up
/// front spares a forced layout on every step.
const VIEW: f64 = 300.0;

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct LogProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Steps applied.
    pub step: usize,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// `#event-log`.
#[function_component(EventLog)]
pub fn event_log(props: &LogProps) -> Html {
    let scroller = use_node_ref();
    let top = use_state_eq(|| 0.0_f64);
    let ours = use_mut_ref(|| false);
    use_follow(&scroller, &top, &ours, props.step, props.loaded.id);
    let onscroll = {
        let (scroller, top, ours) = (scroller.clone(), top.clone(), ours.clone());
        Callback::from(move |_: Event| {
            // The scroll the page made itself is already in `top`; reading the position
            // back would force a layout for nothing.
            if std::mem::take(&mut *ours.borrow_mut()) {
                return;
            }
            if let Some(el) = scroller.cast::<Element>() {
                top.set(f64::from(el.scroll_top()));
            }
        })
    };
    let total = props.loaded.total();
    let first = ((*top / ROW) as usize).saturating_sub(OVERSCAN).min(total);
    let last = (((*top + VIEW) / ROW).ceil() as usize + OVERSCAN).min(total);
    html! {
        <section class="panel log" aria-labelledby="log-title">
            <div class="panel-head">
                <h2 id="log-title">{ "Event log" }</h2>
                <span class="panel-note">{ log_note(&props.loaded) }</span>
            </div>
            <div class="log-scroll" ref={scroller} {onscroll}>
                if total == 0 { <p class="empty log-empty">{ "No steps: nothing happens." }</p> }
                <div style={spacer(first as f64 * ROW)}></div>
                <ol id="event-log" start={(first + 1).to_string()}>
                    { for (first..last).map(|i| row(props, i)) }
                </ol>
                <div style={spacer((total - last) as f64 * ROW)}></div>
            </div>
        </section>
    }
}

/// Scrolls the list so the current line is visible whenever the step changes. It reads
/// the scroll position from state, so the DOM is only touched when the list must move;
/// the current line then goes near the top, leaving room for the steps that follow.
#[hook]
fn use_follow(
    scroller: &NodeRef,
    top: &UseStateHandle<f64>,
    ours: &std::rc::Rc<std::cell::RefCell<bool>>,
    step: usize,
    load: u32,
) {
    let (scroller, top, ours) = (scroller.clone(), top.clone(), ours.clone());
    use_effect_with((step, load), move |&(step, _)| {
        let row_top = step.saturating_sub(1) as f64 * ROW;
        if row_top < *top || row_top + ROW > *top + VIEW {
            let target = (row_top - 2.0 * ROW).max(0.0).floor();
            if let Some(el) = scroller.cast::<Element>() {
                *ours.borrow_mut() = true;
                el.set_scroll_top(target as i32);
            }
            top.set(target);
        }
    });
}

/// The number of steps, and whether the run was cut at the step limit.
fn log_note(loaded: &Loaded) -> String {
    let steps = text::count(loaded.total(), "step", "steps");
    if loaded.truncated() {
        format!("the first {steps} · click one to go there")
    } else {
        format!("{steps} · click one to go there")
    }
}

fn row(props: &LogProps, i: usize) -> Html {
    let Some(step) = props.loaded.step(i) else { return Html::default() };
    let n = i + 1;
    let current = n == props.step;
    let onclick = props.act.reform(move |_: MouseEvent| Action::Goto(n));
    let summary = step.summary(&props.loaded.config);
    let violation = props.loaded.violations_at(i).first().map(|v| v.address.to_string());
    let class = classes!(
        "log-row",
        format!("log-{}", step.kind()),
        is_operator(step).then_some("log-operator"),
        changes_state(step).then_some("log-state"),
        current.then_some("current"),
        (n > props.step).then_some("future"),
        violation.is_some().then_some("violation")
    );
    let title = match &violation {
        Some(address) => format!("Safety violation at {address} · {summary}"),
        None => summary.clone(),
    };
    html! {
        <li key={i} {class} data-step={n.to_string()} data-violation={violation}>
            <button type="button" class="log-btn" {onclick} {title}
                aria-current={current.then_some("step")}>
                <span class="log-n">{ n }</span>
                <span class="log-time">{ step.at.clock_millis() }</span>
                <span class="log-text">{ summary }</span>
            </button>
        </li>
    }
}

/// Whether a step changes a server's failover state.
fn changes_state(step: &dhcpfo_engine::Step) -> bool {
    let changes = |e: &Effect| matches!(e, Effect::ServerState { .. });
    step.effects.iter().any(changes)
}

/// The style of an empty block standing in for rows not rendered.
fn spacer(height: f64) -> String {
    format!("height: {}px", crate::text::fixed(height, 0))
}
