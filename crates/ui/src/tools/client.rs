//! The page's side of the tools: one worker, started on first need ([`warm_up`]
//! or [`run`]), that answers jobs in the order they are sent.
//!
//! The bookkeeping is a few lines of JavaScript (`client.js` beside this file),
//! which costs the page far less than the same in Rust with its closures and
//! their glue. Requests made before the worker says it is ready wait in a queue
//! (a message posted while the worker is still loading its WebAssembly would
//! find no handler). If the worker cannot be loaded or stops (a missing file, a
//! trap, no answer within [`READY_WITHIN_MS`]), every job waiting for it fails
//! with a sentence saying so, and the next job starts a fresh worker.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::{Job, Reply, WORKER_SCRIPT};

/// How long a worker may take to load before its jobs fail.
pub const READY_WITHIN_MS: u32 = 30_000;

#[wasm_bindgen(module = "/src/tools/client.js")]
extern "C" {
    /// Starts the worker at `url` unless it runs already.
    fn tools_warm_up(url: &str, ready_within_ms: u32);

    /// Sends `message` (numbering it) to the worker at `url`, starting it if need be;
    /// resolves with the reply, rejects with a sentence.
    fn tools_run(url: &str, ready_within_ms: u32, message: &Object) -> Promise;
}

/// Starts loading the tools if they are not loaded yet, so a job soon after starts at once.
pub fn warm_up() {
    tools_warm_up(WORKER_SCRIPT, READY_WITHIN_MS);
}

/// Sends `job` to the tools and waits for the reply; `Err` says why there is none.
pub async fn run(job: Job) -> Result<Reply, String> {
    // The script numbers the request itself.
    let promise = tools_run(WORKER_SCRIPT, READY_WITHIN_MS, &job.to_message(0));
    match JsFuture::from(promise).await {
        Ok(reply) => Reply::from_message(&reply).map(|(_, reply)| reply),
        Err(error) => Err(error.as_string().unwrap_or_else(|| describe(&error))),
    }
}

/// A JavaScript error as text.
fn describe(error: &JsValue) -> String {
    let message = js_sys::Reflect::get(error, &JsValue::from_str("message")).ok();
    let message = message.and_then(|m| m.as_string());
    message.unwrap_or_else(|| "the tools failed without saying why".to_string())
}
