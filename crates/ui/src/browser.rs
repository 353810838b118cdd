//! The few places the page talks to the browser: the URL fragment, the
//! clipboard, the document title, saving a file, reading a chosen file, and
//! the small `window.dhcpfo` API that tests and course pages use. Every call
//! tolerates a missing API and does nothing (or says what failed) rather
//! than panicking.

use std::cell::RefCell;
use std::rc::Rc;

use dhcpfo_engine::Snapshot;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::UseReducerDispatcher;

use crate::state::{Action, Playback};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The URL fragment without its `#`.
pub fn fragment() -> String {
    let hash = window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.trim_start_matches('#').to_string()
}

/// Replaces the URL fragment without adding a history entry or firing `hashchange`.
pub fn replace_fragment(fragment: &str) {
    let Some(history) = window().and_then(|w| w.history().ok()) else { return };
    let url = format!("#{fragment}");
    // A refused update (e.g. a sandboxed frame) only leaves the old URL in place.
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
}

/// The full address of the page.
pub fn page_url() -> String {
    window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Sets the document title.
pub fn set_title(title: &str) {
    if let Some(doc) = window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// Copies text with the asynchronous clipboard API; `false` when it is
/// missing or refuses (no permission, page not focused).
pub async fn copy_text(text: &str) -> bool {
    let Some(nav) = window().map(|w| w.navigator()) else { return false };
    let Ok(clipboard) = Reflect::get(&nav, &"clipboard".into()) else { return false };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let write = Reflect::get(&clipboard, &"writeText".into()).ok();
    let Some(write) = write.and_then(|f| f.dyn_into::<Function>().ok()) else { return false };
    match write.call1(&clipboard, &JsValue::from_str(text)) {
        Ok(promise) => JsFuture::from(Promise::from(promise)).await.is_ok(),
        Err(_) => false,
    }
}

/// How long an object URL handed to a download stays valid: long enough for the
/// browser to start reading it, short enough not to keep every export in memory.
const OBJECT_URL_LIFETIME_MS: u32 = 60_000;

/// The largest file the page reads as text: a dhcpd.conf is a few kilobytes.
pub const MAX_TEXT_FILE_BYTES: f64 = 1_048_576.0;

/// Saves `bytes` as a file called `name`: a Blob behind an object URL, handed to a
/// temporary `<a download>` that is clicked and removed at once.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |what: &str| format!("The browser refused to save {name}: {what}.");
    let document = window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let body = document.body().ok_or_else(|| fail("no document body"))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| fail("it could not make a Blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| fail("it could not make an object URL"))?;
    let link = document
        .create_element("a")
        .ok()
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| fail("it could not make a link"))?;
    link.set_href(&url);
    link.set_download(name);
    let _ = link.set_attribute("hidden", "");
    let _ = body.append_child(&link);
    link.click();
    link.remove();
    gloo_timers::callback::Timeout::new(OBJECT_URL_LIFETIME_MS, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// The text of the first file chosen in a file input: `None` when none is chosen,
/// an error naming the file when it is too large or cannot be read.
pub async fn chosen_file_text(input: &web_sys::HtmlInputElement) -> Option<Result<String, String>> {
    let file = input.files()?.get(0)?;
    let name = file.name();
    if file.size() > MAX_TEXT_FILE_BYTES {
        let size = crate::text::fixed(file.size() / 1024.0, 0);
        let max = crate::text::fixed(MAX_TEXT_FILE_BYTES / 1024.0, 0);
        return Some(Err(format!("{name} is {size} KB; the import reads files up to {max} KB.")));
    }
    let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
    Some(text.ok_or_else(|| format!("{name} could not be read as text.")))
}

/// What the JavaScript API reads: the latest state the page rendered.
pub type Mirror = Rc<RefCell<Option<Rc<Playback>>>>;

/// Installs `window.dhcpfo` with `step()`, `total()`, `goto(n)`, `scenario()`,
/// `fragment()` and `snapshot()` (the `dhcpfo state` JSON of the world shown).
pub fn install_api(mirror: Mirror, dispatch: UseReducerDispatcher<Playback>) {
    let Some(win) = window() else { return };
    let api = Object::new();
    let read = |f: fn(&Playback) -> JsValue| {
        let mirror = mirror.clone();
        move || mirror.borrow().as_deref().map(f).unwrap_or(JsValue::UNDEFINED)
    };
    set_fn0(&api, "step", read(|p| JsValue::from(p.step as u32)));
    set_fn0(&api, "total", read(|p| JsValue::from(p.loaded.total() as u32)));
    set_fn0(&api, "scenario", read(|p| JsValue::from_str(&p.loaded.config.title)));
    set_fn0(&api, "fragment", read(|p| JsValue::from_str(&p.loaded.fragment(p.step))));
    set_fn0(&api, "snapshot", read(snapshot));
    let go = Closure::<dyn Fn(f64)>::new(move |n: f64| {
        dispatch.dispatch(Action::Goto(n.max(0.0) as usize));
    });
    let _ = Reflect::set(&api, &"goto".into(), go.as_ref());
    go.forget();
    let _ = Reflect::set(&win, &"dhcpfo".into(), &api);
}

fn snapshot(p: &Playback) -> JsValue {
    js_sys::JSON::parse(&Snapshot::of(&p.world).to_json()).unwrap_or(JsValue::NULL)
}

fn set_fn0(target: &Object, name: &str, f: impl Fn() -> JsValue + 'static) {
    let closure = Closure::<dyn Fn() -> JsValue>::new(f);
    let _ = Reflect::set(target, &name.into(), closure.as_ref());
    // The API lives as long as the page.
    closure.forget();
}
