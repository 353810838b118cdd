//! Importing a dhcpd.conf: the `#import-conf` button in the top bar and the
//! dialog it opens. The text (pasted, or read from a chosen file) goes to the
//! engine's importer ([`dhcpfo_engine::conf::import`]), which runs in the
//! on-demand tools module ([`crate::tools`]; opening the dialog starts loading
//! it); a scenario that comes
//! back is loaded into the playground like a built-in, so the address bar
//! holds it and Share links to it, and the importer's notes are listed with
//! their line and column. A configuration the importer refuses shows the
//! error with its place, selects that line in the text, and leaves the
//! playground as it was.

use std::rc::Rc;

use dhcpfo_engine::conf::ConfNote;
use dhcpfo_engine::Scenario;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::browser;
use crate::components::icons;
use crate::state::{Action, Loaded, Shared};
use crate::tools::{client, Job, Reply};

/// What the dialog says above the text area.
const INTRO: &str = "Paste an ISC dhcpd 4.4 configuration or choose the file. The failover \
                     peer, its pool and the lease times become a scenario with two example \
                     clients, one hashing to each server; every statement left out is listed \
                     with its line.";

/// Whether `el` sits inside a modal dialog (the page's keyboard shortcuts leave those alone).
pub fn in_modal(el: &Element) -> bool {
    el.closest(".modal").ok().flatten().is_some()
}

/// Props of [`ImportConf`].
#[derive(Properties, PartialEq)]
pub struct ImportProps {
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// `#import-conf` and, while open, the dialog.
#[function_component(ImportConf)]
pub fn import_conf(props: &ImportProps) -> Html {
    let open = use_state_eq(|| false);
    // The text survives closing the dialog, so a fix can follow a failed import.
    let draft = use_mut_ref(String::new);
    let show = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    let close = {
        let (open, draft) = (open.clone(), draft.clone());
        Callback::from(move |text: String| {
            *draft.borrow_mut() = text;
            open.set(false);
        })
    };
    let text = AttrValue::from(draft.borrow().clone());
    html! {
        <>
            <button id="import-conf" class="btn" onclick={show} aria-haspopup="dialog"
                aria-label="Import dhcpd.conf"
                title="Turn an ISC dhcpd.conf into a scenario">
                { icons::import() }<span>{ "Import dhcpd.conf" }</span>
            </button>
            if *open {
                { in_body(html! {
                    <ImportDialog act={props.act.clone()} draft={text} on_close={close} />
                }) }
            }
        </>
    }
}

/// Renders `content` at the end of the document body, outside the sticky top bar,
/// whose backdrop filter would otherwise be the frame a fixed overlay is placed in.
fn in_body(content: Html) -> Html {
    let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
    match body {
        Some(body) => create_portal(content, body.into()),
        None => content,
    }
}

/// What the last import gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A scenario was loaded.
    Imported {
        /// Its title.
        title: String,
        /// Addresses in its pool.
        addresses: usize,
        /// What the importer left out or changed.
        notes: Rc<Vec<ConfNote>>,
    },
    /// Nothing was loaded, for this reason.
    Failed(String),
    /// The importer is reading the text.
    Working,
}

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
pub struct DialogProps {
    /// Sends an action to the page.
    pub act: Callback<Action>,
    /// The text to start with.
    pub draft: AttrValue,
    /// Closes the dialog, handing back the text.
    pub on_close: Callback<String>,
}

/// `#import-dialog`: a modal with `#conf-text`, `#conf-file`, `#conf-import` and the outcome.
#[function_component(ImportDialog)]
pub fn import_dialog(props: &DialogProps) -> Html {
    let area = use_node_ref();
    let outcome = use_state(|| None::<Outcome>);
    use_focus(&area);
    let text_of = {
        let area = area.clone();
        move || area.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default()
    };
    let close = {
        let (on_close, text_of) = (props.on_close.clone(), text_of.clone());
        Callback::from(move |_: ()| on_close.emit(text_of()))
    };
    let working = matches!(*outcome, Some(Outcome::Working));
    let run = {
        let (act, area, outcome) = (props.act.clone(), area.clone(), outcome.clone());
        Callback::from(move |_: ()| {
            if !working {
                run_import(&act, &area, &outcome);
            }
        })
    };
    let onkeydown = dialog_keys(&close, &run);
    let on_backdrop = backdrop_press(&close);
    html! {
        <div class="modal-backdrop" onclick={on_backdrop}>
            <div id="import-dialog" class="modal" role="dialog" aria-modal="true"
                aria-labelledby="import-title" {onkeydown}>
                <div class="modal-head">
                    <h2 id="import-title">{ "Import dhcpd.conf" }</h2>
                    <button class="btn-icon" aria-label="Close"
                        onclick={close.reform(|_| ())}>{ "×" }</button>
                </div>
                <p class="modal-intro">{ INTRO }</p>
                <textarea id="conf-text" ref={area.clone()} rows="12" spellcheck="false"
                    aria-label="dhcpd.conf text" placeholder={PLACEHOLDER}
                    defaultvalue={props.draft.clone()} />
                <div class="modal-actions">
                    <FilePicker {area} outcome={outcome.clone()} />
                    <span class="modal-hint">{ "Ctrl+Enter imports" }</span>
                    // Not disabled while working: a disabled button would drop the focus, and
                    // with it the dialog's keys; a second press is ignored instead.
                    <button id="conf-import" class="btn btn-accent" aria-busy={working.to_string()}
                        onclick={run.reform(|_| ())}>{ "Import" }</button>
                </div>
                <OutcomeView outcome={(*outcome).clone()} on_close={close} />
            </div>
        </div>
    }
}

/// Escape closes the dialog; Ctrl+Enter (or ⌘+Enter) imports.
fn dialog_keys(close: &Callback<()>, run: &Callback<()>) -> Callback<KeyboardEvent> {
    let (close, run) = (close.clone(), run.clone());
    Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
        "Escape" => close.emit(()),
        "Enter" if e.ctrl_key() || e.meta_key() => run.emit(()),
        _ => {}
    })
}

/// A press on the dimmed page closes the dialog; one inside the dialog does not.
fn backdrop_press(close: &Callback<()>) -> Callback<MouseEvent> {
    let close = close.clone();
    Callback::from(move |e: MouseEvent| {
        let target = e.target_dyn_into::<Element>();
        if target.is_some_and(|el| el.class_name() == "modal-backdrop") {
            close.emit(());
        }
    })
}

/// What the empty text area suggests.
const PLACEHOLDER: &str = "failover peer \"dhcp-failover\" {\n  primary;\n  address 192.0.2.1;\n  \
                           peer address 192.0.2.2;\n  mclt 3600;\n  split 128;\n}\nsubnet \
                           192.0.2.0 netmask 255.255.255.0 {\n  pool {\n    failover peer \
                           \"dhcp-failover\";\n    range 192.0.2.10 192.0.2.29;\n  }\n}";

/// Gives the text area the focus when the dialog opens, and starts loading the importer.
#[hook]
fn use_focus(area: &NodeRef) {
    let area = area.clone();
    use_effect_with((), move |_| {
        if let Some(textarea) = area.cast::<HtmlTextAreaElement>() {
            let _ = textarea.focus();
        }
        client::warm_up();
    });
}

/// Imports the text area's text: the outcome is [`Outcome::Working`] until the tools
/// answer, then the loaded scenario, or the error with its line selected.
fn run_import(act: &Callback<Action>, area: &NodeRef, outcome: &UseStateHandle<Option<Outcome>>) {
    let Some(textarea) = area.cast::<HtmlTextAreaElement>() else {
        outcome.set(Some(Outcome::Failed("The text area is missing.".into())));
        return;
    };
    let text = textarea.value();
    if text.trim().is_empty() {
        let message = "Paste the text of a dhcpd.conf, or choose the file, first.";
        outcome.set(Some(Outcome::Failed(message.into())));
        return;
    }
    outcome.set(Some(Outcome::Working));
    let (act, outcome) = (act.clone(), outcome.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let reply = client::run(Job::Import { text: text.clone() }).await;
        outcome.set(Some(match reply {
            Ok(Reply::Imported { scenario, notes }) => load(&act, &scenario, notes),
            Ok(Reply::Failed { message, line }) => {
                if let Some(line) = line {
                    select_line(&textarea, &text, line);
                }
                Outcome::Failed(message)
            }
            Ok(_) => Outcome::Failed("The importer sent no scenario back.".into()),
            Err(message) => Outcome::Failed(message),
        }));
    });
}

/// Loads an imported scenario (as JSON) into the playground.
fn load(act: &Callback<Action>, json: &str, notes: Vec<ConfNote>) -> Outcome {
    let loaded = Scenario::from_json(json).and_then(Loaded::new);
    match loaded {
        Ok(loaded) => {
            let outcome = Outcome::Imported {
                title: loaded.config.title.clone(),
                addresses: loaded.config.pool.len(),
                notes: Rc::new(notes),
            };
            act.emit(Action::Load(Shared::new(loaded)));
            outcome
        }
        Err(e) => Outcome::Failed(format!("The imported scenario is not valid: {e}.")),
    }
}

/// Selects line `line` (from 1) of the text area and moves the focus there.
fn select_line(textarea: &HtmlTextAreaElement, text: &str, line: u32) {
    let index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
    // Selection offsets count UTF-16 code units.
    let units = |s: &str| s.encode_utf16().count() as u32;
    let start: u32 = text.split('\n').take(index).map(|l| units(l) + 1).sum();
    let end = start + text.split('\n').nth(index).map_or(0, units);
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(start, end);
}

/// Props of [`FilePicker`].
#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// The text area the file's text goes into.
    pub area: NodeRef,
    /// The dialog's outcome, cleared by a new file or set to a read error.
    pub outcome: UseStateHandle<Option<Outcome>>,
}

/// `#conf-file` behind a button-like label; the chosen file's text replaces the text area's.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let onchange = {
        let (area, outcome) = (props.area.clone(), props.outcome.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let (area, outcome) = (area.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match browser::chosen_file_text(&input).await {
                    Some(Ok(text)) => {
                        if let Some(textarea) = area.cast::<HtmlTextAreaElement>() {
                            textarea.set_value(&text);
                        }
                        outcome.set(None);
                    }
                    Some(Err(message)) => outcome.set(Some(Outcome::Failed(message))),
                    None => {}
                }
            });
        })
    };
    html! {
        <label class="btn file-btn">
            <span>{ "Choose file…" }</span>
            <input id="conf-file" type="file" accept=".conf,.txt,text/plain" {onchange} />
        </label>
    }
}

/// What a refused import adds.
const KEPT: &str = "The playground still shows its previous scenario.";

/// Props of [`OutcomeView`].
#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    /// The last import's outcome, if any.
    pub outcome: Option<Outcome>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// `#conf-error`, or the summary and `#conf-notes` of a loaded scenario.
#[function_component(OutcomeView)]
pub fn outcome_view(props: &OutcomeProps) -> Html {
    match &props.outcome {
        None => Html::default(),
        Some(Outcome::Working) => html! {
            <p id="conf-working" class="conf-working" role="status">
                { "Reading the configuration…" }
            </p>
        },
        Some(Outcome::Failed(message)) => html! {
            <div id="conf-error" class="conf-error" role="alert">
                <b>{ "Not imported. " }</b>{ code_spans(message) }
                <span class="conf-kept">{ KEPT }</span>
            </div>
        },
        Some(Outcome::Imported { title, addresses, notes }) => html! {
            <div id="conf-result" class="conf-result">
                <p class="conf-loaded">
                    { format!("Loaded “{title}”: {addresses} addresses, two example clients. \
                               The address bar now holds it, so Share links to it.") }
                </p>
                <NoteList notes={notes.clone()} />
                <button class="btn btn-accent" onclick={props.on_close.reform(|_| ())}>
                    { "Show the playground" }
                </button>
            </div>
        },
    }
}

/// Props of [`NoteList`].
#[derive(Properties, PartialEq)]
pub struct NoteListProps {
    /// The importer's notes, in the order of the text.
    pub notes: Rc<Vec<ConfNote>>,
}

/// `#conf-notes`: `line:column`, a severity badge and the message, one item per note.
#[function_component(NoteList)]
pub fn note_list(props: &NoteListProps) -> Html {
    if props.notes.is_empty() {
        return html! { <p class="conf-none">{ "Every statement was imported." }</p> };
    }
    let title = format!("Notes · {}", props.notes.len());
    html! {
        <>
            <h3 class="conf-notes-title">{ title }</h3>
            <ul id="conf-notes">
                { for props.notes.iter().map(|n| html! {
                    <li class={format!("sev-{}", n.severity.name())}>
                        <span class="note-pos">{ format!("{}:{}", n.line, n.column) }</span>
                        <span class="badge">{ n.severity.name() }</span>
                        <span class="note-text">{ code_spans(&n.message) }</span>
                    </li>
                }) }
            </ul>
        </>
    }
}

/// Text with the parts between backticks set as code.
fn code_spans(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { <>{ part.to_string() }</> }
        }
    });
    html! { <>{ for parts }</> }
}
