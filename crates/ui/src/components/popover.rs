//! What every small pop-up of the header shares: it closes on a press outside
//! it and on Escape, as menus and popovers do everywhere else.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// While `open` is true, a press outside `container` or the Escape key sets it to false.
#[hook]
pub fn use_dismiss(container: &NodeRef, open: &UseStateHandle<bool>) {
    let (container, open) = (container.clone(), open.clone());
    use_effect_with(*open, move |&is_open| {
        let document = web_sys::window().and_then(|w| w.document());
        let listeners = document.filter(|_| is_open).map(|doc| {
            let close = open.clone();
            let press = EventListener::new(&doc, "mousedown", move |e| {
                let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                let inside = container.get().zip(target).is_some_and(|(c, t)| c.contains(Some(&t)));
                if !inside {
                    close.set(false);
                }
            });
            let key = EventListener::new(&doc, "keydown", move |e| {
                if e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Escape") {
                    open.set(false);
                }
            });
            (press, key)
        });
        move || drop(listeners)
    });
}
