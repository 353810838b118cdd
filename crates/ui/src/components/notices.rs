//! Notices about the run as a whole, under the playback controls: a run cut
//! at the engine's step limit (how far the page follows it), and the safety
//! violations the engine's monitor found, with a button that goes to the next
//! one. Neither blocks the page; both stay until another scenario is opened.
//! The playback controls draw them, as they change with the step shown.

use yew::prelude::*;

use crate::state::{Action, Loaded};
use crate::text;

/// The notices that apply to the run shown (nothing when none does).
pub fn run_notices(loaded: &Loaded, step: usize, act: &Callback<Action>) -> Html {
    if !loaded.truncated() && loaded.violations.is_empty() {
        return Html::default();
    }
    html! {
        <div class="notices">
            if loaded.truncated() { { truncated(loaded) } }
            if !loaded.violations.is_empty() { { violations(loaded, step, act) } }
        </div>
    }
}

/// How far the page follows a run cut at the step limit.
fn truncated(loaded: &Loaded) -> Html {
    let steps = text::thousands(loaded.total());
    let text = format!(
        "Run cut short: this scenario makes more steps than the page follows. It shows the \
         first {steps}, up to {} of virtual time; the scenario itself runs to {}.",
        loaded.followed_until().clock_millis(),
        loaded.config.end.clock()
    );
    html! {
        <p id="truncated-notice" class="notice notice-cut" role="status">
            <span class="notice-icon" aria-hidden="true">{ "⋯" }</span>
            <span>{ text }</span>
        </p>
    }
}

/// How many safety violations the run has, and a way to the next one.
fn violations(loaded: &Loaded, step: usize, act: &Callback<Action>) -> Html {
    let count = text::count(loaded.violations.len(), "safety violation", "safety violations");
    let next = loaded.next_violation(step.checked_sub(1));
    let go = next.map(|v| {
        let n = v.step + 1;
        let onclick = act.reform(move |_: MouseEvent| Action::Goto(n));
        let label = format!("Go to step {} ({})", text::thousands(n), v.address);
        html! { <button id="next-violation" class="link-btn" {onclick}>{ label }</button> }
    });
    html! {
        <p id="violation-notice" class="notice notice-violation" role="status">
            <span class="notice-icon" aria-hidden="true">{ "!" }</span>
            <span>{ format!("The safety monitor found {count} in this run.") }</span>
            { for go }
        </p>
    }
}
