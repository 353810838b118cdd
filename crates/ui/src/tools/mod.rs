//! The on-demand tools: the dhcpd.conf importer and the capture and lease-file
//! writers run in a second WebAssembly module, `dhcpfo-tools`, loaded in a web
//! worker the first time the page needs one of them (the import dialog or the
//! Download menu opens). The page's own module stays small, so the default
//! scenario paints without waiting for code most visits never use.
//!
//! This module is the contract between the two sides, as plain JavaScript
//! objects posted with `postMessage`:
//!
//! - a request is `{id, job, ...}`: `job` is `"import"` (with `text`, the
//!   dhcpd.conf), `"capture"` (with `scenario`, its JSON) or `"leases"` (with
//!   `scenario`, `step`, the steps applied, and `role`, `"primary"` or
//!   `"secondary"`);
//! - a reply is `{id, ok, ...}`: on success `bytes` (a `Uint8Array`, the
//!   capture), `text` (the lease file) or `scenario` and `notes` (an import);
//!   on failure `error`, a sentence, and for an import the `line` at fault;
//! - the worker posts `{ready: true}` once it can take requests.
//!
//! [`client`] is the page's side (start the worker, send a [`Job`], await the
//! [`Reply`]), [`serve`] the worker's (answer a job with the engine).

pub mod client;
pub mod serve;

use dhcpfo_engine::conf::{ConfNote, Severity};
use dhcpfo_engine::Role;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// The name Trunk gives the worker's loader script (the worker's bin target plus `_loader`).
pub const WORKER_SCRIPT: &str = "./dhcpfo-tools_loader.js";

/// What the page asks the tools for.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// Turn a dhcpd.conf into a scenario.
    Import {
        /// The configuration's text.
        text: String,
    },
    /// The capture of a whole run.
    Capture {
        /// The scenario, as JSON.
        scenario: String,
    },
    /// One server's dhcpd.leases after some steps of a run.
    Leases {
        /// The scenario, as JSON.
        scenario: String,
        /// Steps applied.
        step: usize,
        /// Whose lease file.
        role: Role,
    },
}

/// What the tools answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// An imported configuration: the scenario as JSON and the importer's notes.
    Imported {
        /// The scenario, as JSON.
        scenario: String,
        /// What was left out or changed, in the order of the text.
        notes: Vec<ConfNote>,
    },
    /// A file made of bytes (the capture).
    Bytes(Vec<u8>),
    /// A text file (a lease file).
    Text(String),
    /// The job failed, for this reason.
    Failed {
        /// What went wrong, as a sentence.
        message: String,
        /// The line of the text at fault, for an import.
        line: Option<u32>,
    },
}

impl Reply {
    /// A failure with no line to point at.
    pub fn failed(message: impl Into<String>) -> Reply {
        Reply::Failed { message: message.into(), line: None }
    }
}

/// Sets `key` on `target`; setting a property on a plain object cannot fail.
fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Reads `key` of `source`, `undefined` when it is missing or `source` is no object.
fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a string field, or says which is missing.
fn string(source: &JsValue, key: &str) -> Result<String, String> {
    get(source, key).as_string().ok_or_else(|| format!("the message has no `{key}` text"))
}

/// Reads a whole number field that fits in `u32`, or says which is missing.
fn number(source: &JsValue, key: &str) -> Result<u32, String> {
    let value = get(source, key).as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0);
    match value {
        Some(n) if n <= f64::from(u32::MAX) => Ok(n as u32),
        _ => Err(format!("the message has no `{key}` number")),
    }
}

impl Job {
    /// The request message for this job, numbered `id`.
    pub fn to_message(&self, id: u32) -> Object {
        let message = Object::new();
        set(&message, "id", &JsValue::from(id));
        match self {
            Job::Import { text } => {
                set(&message, "job", &"import".into());
                set(&message, "text", &JsValue::from_str(text));
            }
            Job::Capture { scenario } => {
                set(&message, "job", &"capture".into());
                set(&message, "scenario", &JsValue::from_str(scenario));
            }
            Job::Leases { scenario, step, role } => {
                set(&message, "job", &"leases".into());
                set(&message, "scenario", &JsValue::from_str(scenario));
                set(&message, "step", &JsValue::from(*step as f64));
                set(&message, "role", &role.name().into());
            }
        }
        message
    }

    /// Reads a request message: its id and its job.
    pub fn from_message(message: &JsValue) -> Result<(u32, Job), String> {
        let id = number(message, "id")?;
        let job = match string(message, "job")?.as_str() {
            "import" => Job::Import { text: string(message, "text")? },
            "capture" => Job::Capture { scenario: string(message, "scenario")? },
            "leases" => Job::Leases {
                scenario: string(message, "scenario")?,
                step: number(message, "step")? as usize,
                role: role_named(&string(message, "role")?)?,
            },
            other => return Err(format!("the tools do not know the job `{other}`")),
        };
        Ok((id, job))
    }
}

impl Reply {
    /// The reply message for request `id`, and the buffers to transfer rather than copy.
    pub fn to_message(&self, id: u32) -> (Object, Array) {
        let message = Object::new();
        let transfer = Array::new();
        set(&message, "id", &JsValue::from(id));
        set(&message, "ok", &JsValue::from(!matches!(self, Reply::Failed { .. })));
        match self {
            Reply::Imported { scenario, notes } => {
                set(&message, "scenario", &JsValue::from_str(scenario));
                let list: Array = notes.iter().map(note_to_js).collect();
                set(&message, "notes", &list);
            }
            Reply::Bytes(bytes) => {
                let array = Uint8Array::from(bytes.as_slice());
                transfer.push(&array.buffer());
                set(&message, "bytes", &array);
            }
            Reply::Text(text) => set(&message, "text", &JsValue::from_str(text)),
            Reply::Failed { message: error, line } => {
                set(&message, "error", &JsValue::from_str(error));
                if let Some(line) = line {
                    set(&message, "line", &JsValue::from(*line));
                }
            }
        }
        (message, transfer)
    }

    /// Reads a reply message: the id of its request and the reply.
    pub fn from_message(message: &JsValue) -> Result<(u32, Reply), String> {
        let id = number(message, "id")?;
        if get(message, "ok").as_bool() != Some(true) {
            let line = number(message, "line").ok();
            let error = get(message, "error").as_string();
            let error = error.unwrap_or_else(|| "the tools failed without saying why".into());
            return Ok((id, Reply::Failed { message: error, line }));
        }
        let bytes = get(message, "bytes");
        if let Some(array) = bytes.dyn_ref::<Uint8Array>() {
            return Ok((id, Reply::Bytes(array.to_vec())));
        }
        if let Some(text) = get(message, "text").as_string() {
            return Ok((id, Reply::Text(text)));
        }
        let scenario = string(message, "scenario")?;
        let notes = get(message, "notes");
        let notes = notes.dyn_ref::<Array>().ok_or("the import reply has no notes")?;
        let notes = notes.iter().map(|n| note_from_js(&n)).collect::<Result<_, _>>()?;
        Ok((id, Reply::Imported { scenario, notes }))
    }
}

/// The role called `name` (`"primary"` or `"secondary"`).
fn role_named(name: &str) -> Result<Role, String> {
    match name {
        "primary" => Ok(Role::Primary),
        "secondary" => Ok(Role::Secondary),
        other => Err(format!("`{other}` is not a server")),
    }
}

/// A note as `{line, column, severity, message}`.
fn note_to_js(note: &ConfNote) -> JsValue {
    let object = Object::new();
    set(&object, "line", &JsValue::from(note.line));
    set(&object, "column", &JsValue::from(note.column));
    set(&object, "severity", &note.severity.name().into());
    set(&object, "message", &JsValue::from_str(&note.message));
    object.into()
}

/// A note read back from `{line, column, severity, message}`.
fn note_from_js(value: &JsValue) -> Result<ConfNote, String> {
    let severity = match string(value, "severity")?.as_str() {
        "info" => Severity::Info,
        "warning" => Severity::Warning,
        other => return Err(format!("`{other}` is not a note's severity")),
    };
    Ok(ConfNote {
        line: number(value, "line")?,
        column: number(value, "column")?,
        severity,
        message: string(value, "message")?,
    })
}
