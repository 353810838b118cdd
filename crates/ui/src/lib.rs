//! `dhcpfo-ui`: the DHCP Failover Playground page.
//!
//! The page is a thin host around the engine. It runs the scenario once into
//! a [`Timeline`](dhcpfo_engine::Timeline) and shows the exact world after
//! any number of steps; playback only changes which step is shown. The state
//! of the page lives in [`state`] (plain data and a reducer), the regions of
//! the page in [`components`], and the few browser calls (URL fragment,
//! clipboard, downloads, `window.dhcpfo`) in [`browser`]. What the page
//! hands to real tools is made in [`exports`] (capture and lease files) and
//! [`decode`] (the inspector's fields, read back from the packet's bytes);
//! the importer and the file writers run in a second, on-demand module whose
//! contract is [`tools`].
//!
//! The URL fragment always holds the scenario and the step shown, so a copied
//! address reopens exactly that moment. A fragment that cannot be opened
//! shows a dismissible message and the default scenario.

pub mod browser;
pub mod components;
pub mod decode;
pub mod exports;
pub mod state;
pub mod text;
pub mod tools;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use components::about::About;
use components::clients::ClientsTable;
use components::controls::Controls;
use components::event_log::EventLog;
use components::faults::Faults;
use components::header::{ErrorBanner, Header, Intro};
use components::inspector::Inspector;
use components::narration::Narration;
use components::pool::Pool;
use components::topology::Topology;
use state::{Action, Playback};

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| Playback::open(&browser::fragment()));
    use_playback(&state);
    use_url_sync(&state);
    use_keyboard(state.dispatcher());
    use_address_bar(state.dispatcher());
    use_js_api(&state);
    // One callback for the page's lifetime, so it never makes a component render again.
    let act = use_callback(state.dispatcher(), |a: Action, dispatch| dispatch.dispatch(a));
    let s = &*state;
    let error = s.error.clone().map(|message| {
        html! { <ErrorBanner {message} on_dismiss={act.reform(|_| Action::DismissError)} /> }
    });
    html! {
        <div id="app">
            <Header loaded={s.loaded.clone()} world={s.world.clone()} step={s.step}
                act={act.clone()} />
            { for error }
            <Intro loaded={s.loaded.clone()} />
            <main class="layout">
                <div class="stage">
                    <section class="panel topology-panel" aria-label="Topology">
                        <Topology loaded={s.loaded.clone()} world={s.world.clone()} step={s.step}
                            flight_ms={s.speed.flight_ms()} act={act.clone()} />
                        <Controls loaded={s.loaded.clone()} step={s.step} now={s.world.now()}
                            playing={s.playing} speed={s.speed} act={act.clone()} />
                    </section>
                    <Faults world={s.world.clone()} act={act.clone()} />
                    <Pool loaded={s.loaded.clone()} world={s.world.clone()} step={s.step} />
                    <ClientsTable loaded={s.loaded.clone()} world={s.world.clone()}
                        acting={s.acting_client()} />
                </div>
                <aside class="side">
                    <Narration loaded={s.loaded.clone()} world={s.world.clone()} step={s.step}
                        inspected={s.inspected()} act={act.clone()} />
                    <EventLog loaded={s.loaded.clone()} step={s.step} act={act.clone()} />
                    <Inspector loaded={s.loaded.clone()} packet={s.inspected()} step={s.step} />
                    <About />
                </aside>
            </main>
        </div>
    }
}

/// The least time between two address-bar updates while playing.
const URL_WRITE_INTERVAL_MS: f64 = 1000.0;

/// While playing, applies the next step after one tick; before a long jump on the
/// virtual clock it waits two ticks, so the jump (shown as "next +29m58s") can be read.
/// Ticks are counted from when the step shown was due, not from when the page finished
/// drawing it, so every speed keeps its pace however long a step takes to draw.
#[hook]
fn use_playback(state: &UseReducerHandle<Playback>) {
    let dispatch = state.dispatcher();
    let due = use_mut_ref(|| None::<f64>);
    let long_gap = state.next_gap().is_some_and(text::is_long_gap);
    let deps = (state.playing, state.step, state.speed, state.loaded.id, long_gap);
    use_effect_with(deps, move |&(playing, _, speed, _, long_gap)| {
        if !playing {
            *due.borrow_mut() = None;
        }
        let ticks = if long_gap { 2 } else { 1 };
        let timer = playing.then(|| {
            let now = js_sys::Date::now();
            let next = state::next_due(*due.borrow(), now, speed.tick_ms() * ticks);
            Timeout::new((next - now).max(0.0) as u32, move || {
                *due.borrow_mut() = Some(next);
                dispatch.dispatch(Action::Tick);
            })
        });
        move || drop(timer)
    });
}

/// Keeps the URL fragment and the document title in step with the page.
#[hook]
fn use_url_sync(state: &UseReducerHandle<Playback>) {
    let loaded = state.loaded.clone();
    let last_write = use_mut_ref(|| f64::NEG_INFINITY);
    let deps = (state.loaded.id, state.step, state.playing);
    use_effect_with(deps, move |&(_, step, playing)| {
        // While playing, the address bar is rewritten at most once a second (a long link
        // costs the browser a few milliseconds each time); pausing writes the exact step.
        let now = js_sys::Date::now();
        if !playing || now - *last_write.borrow() >= URL_WRITE_INTERVAL_MS {
            browser::replace_fragment(&loaded.fragment(step));
            *last_write.borrow_mut() = now;
        }
    });
    let title = state.loaded.config.title.clone();
    use_effect_with(state.loaded.id, move |_| {
        browser::set_title(&format!("{title} · DHCP Failover Playground"));
    });
}

/// Space plays or pauses, the arrows step, Home and End jump.
#[hook]
fn use_keyboard(dispatch: UseReducerDispatcher<Playback>) {
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let listener = document.map(|doc| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&doc, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if let Some(action) = key_action(e) {
                    e.prevent_default();
                    dispatch.dispatch(action);
                }
            })
        });
        move || drop(listener)
    });
}

/// The action for a key press, unless a form control should have the key.
fn key_action(e: &web_sys::KeyboardEvent) -> Option<Action> {
    if e.alt_key() || e.ctrl_key() || e.meta_key() {
        return None;
    }
    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let tag = target.as_ref().map(|el| el.tag_name());
    let key = e.key();
    let on_scrubber = target.as_ref().is_some_and(|el| el.id() == "scrubber");
    let on_log_line = target.as_ref().is_some_and(|el| el.class_name() == "log-btn");
    if target.as_ref().is_some_and(components::import::in_modal) {
        return None;
    }
    match tag.as_deref() {
        // The scrubber moves with the arrows itself, but has no use for the space bar.
        Some("INPUT") if on_scrubber && key == " " => {}
        // Enter on an event-log line goes there; the space bar still plays and pauses.
        Some("BUTTON") if on_log_line && key == " " => {}
        Some("INPUT" | "SELECT" | "TEXTAREA") => return None,
        Some("BUTTON") if key == " " || key == "Enter" => return None,
        _ => {}
    }
    match key.as_str() {
        " " => Some(Action::TogglePlay),
        "ArrowRight" => Some(Action::Forward),
        "ArrowLeft" => Some(Action::Back),
        "Home" => Some(Action::Start),
        "End" => Some(Action::End),
        _ => None,
    }
}

/// Opens a fragment typed into the address bar (or reached with Back).
#[hook]
fn use_address_bar(dispatch: UseReducerDispatcher<Playback>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            EventListener::new(&w, "hashchange", move |_| {
                dispatch.dispatch(Action::Open(browser::fragment()))
            })
        });
        move || drop(listener)
    });
}

/// Publishes `window.dhcpfo` and keeps what it reads current.
#[hook]
fn use_js_api(state: &UseReducerHandle<Playback>) {
    let mirror: browser::Mirror = use_mut_ref(|| None).clone();
    *mirror.borrow_mut() = Some(std::rc::Rc::new((**state).clone()));
    let dispatch = state.dispatcher();
    use_effect_with((), move |_| browser::install_api(mirror, dispatch));
}
