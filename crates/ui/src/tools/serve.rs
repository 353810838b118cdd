//! The worker's side of the tools: [`answer`] turns a [`Job`] into a
//! [`Reply`] with the engine (the importer, the capture writer, the lease-file
//! writer), and [`listen`] wires it to the worker's messages.
//!
//! A capture or a lease file needs the scenario's run, which the worker makes
//! again from the scenario (the engine is deterministic, so it is the run the
//! page shows). The last run is kept, so the three downloads of one scenario
//! run it once.

use std::cell::RefCell;

use dhcpfo_engine::{conf, Scenario, Timeline};
use js_sys::Object;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::{Job, Reply};
use crate::exports;

thread_local! {
    /// The last run made, with the scenario JSON it was made from.
    static LAST_RUN: RefCell<Option<(String, Timeline)>> = const { RefCell::new(None) };
}

/// Answers one job.
pub fn answer(job: Job) -> Reply {
    match job {
        Job::Import { text } => import(&text),
        Job::Capture { scenario } => with_run(&scenario, |timeline| {
            match exports::capture_steps(timeline.config(), timeline.steps()) {
                Ok(bytes) => Reply::Bytes(bytes),
                Err(message) => Reply::failed(message),
            }
        }),
        Job::Leases { scenario, step, role } => with_run(&scenario, |timeline| {
            if step > timeline.steps().len() {
                let total = timeline.steps().len();
                return Reply::failed(format!("The run has {total} steps, not {step}."));
            }
            Reply::Text(exports::leases_text(&timeline.world_after(step), role))
        }),
    }
}

/// Imports a dhcpd.conf; a refusal names its line.
fn import(text: &str) -> Reply {
    match conf::import(text) {
        Ok(imported) => {
            Reply::Imported { scenario: imported.scenario.to_json(), notes: imported.notes }
        }
        Err(e) => Reply::Failed { message: e.to_string(), line: Some(e.line) },
    }
}

/// Calls `make` with the run of the scenario in `json`, made now or kept from the last call.
fn with_run(json: &str, make: impl FnOnce(&Timeline) -> Reply) -> Reply {
    LAST_RUN.with(|last| {
        let mut last = last.borrow_mut();
        if last.as_ref().is_none_or(|(kept, _)| kept != json) {
            let config = match Scenario::from_json(json).and_then(|s| s.validate()) {
                Ok(config) => config,
                Err(e) => return Reply::failed(format!("The scenario is not valid: {e}.")),
            };
            *last = Some((json.to_string(), Timeline::run(config)));
        }
        match last.as_ref() {
            Some((_, timeline)) => make(timeline),
            None => Reply::failed("The run could not be made."),
        }
    })
}

/// Answers every message the worker receives, and says it is ready. Call once, at start.
pub fn listen() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let (message, transfer) = match Job::from_message(&data) {
            Ok((id, job)) => answer(job).to_message(id),
            // A message with no usable id still gets an answer, numbered as it was.
            Err(error) => {
                let id = super::number(&data, "id").unwrap_or(0);
                Reply::failed(format!("The tools could not read the request: {error}."))
                    .to_message(id)
            }
        };
        post(&reply_scope, &message, &transfer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let ready = Object::new();
    super::set(&ready, "ready", &JsValue::TRUE);
    post(&scope, &ready, &js_sys::Array::new());
}

/// Posts a message to the page, moving the buffers in `transfer`.
fn post(scope: &DedicatedWorkerGlobalScope, message: &Object, transfer: &js_sys::Array) {
    if scope.post_message_with_transfer(message, transfer).is_err() {
        // The page then hears of the failure through the worker's error event.
        wasm_bindgen::throw_str("the tools could not post their reply");
    }
}
