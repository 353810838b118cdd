//! The Download menu: the whole run as a capture for Wireshark, and either
//! server's dhcpd.leases at the moment shown, each saved as a file named after
//! the scenario ([`crate::exports`]). The files are written by the on-demand
//! tools ([`crate::tools`]): opening the menu starts loading them, and a choice
//! saves its file when the reply comes. A failure shows in the error banner.

use dhcpfo_engine::{Role, World};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::components::icons;
use crate::components::popover::use_dismiss;
use crate::exports;
use crate::state::{Action, Loaded, Shared};
use crate::tools::{client, Job, Reply};
use crate::{browser, state};

/// Props of [`DownloadMenu`] and [`DownloadItems`].
#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown; the lease files are its servers' databases.
    pub world: Shared<World>,
    /// Steps applied to make `world` (the tools make the same world again).
    pub step: usize,
    /// Sends an action to the page (errors go to the banner).
    pub act: Callback<Action>,
    /// Closes the menu (after a choice).
    #[prop_or_default]
    pub on_done: Callback<()>,
}

/// `#download-menu` and, while open, `#download-pop`.
#[function_component(DownloadMenu)]
pub fn download_menu(props: &DownloadProps) -> Html {
    let open = use_state_eq(|| false);
    let container = use_node_ref();
    use_dismiss(&container, &open);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let done = {
        let open = open.clone();
        Callback::from(move |_| open.set(false))
    };
    html! {
        <div class="menu" ref={container}>
            <button id="download-menu" class="btn" onclick={toggle} aria-label="Download"
                aria-haspopup="menu" aria-expanded={open.to_string()}
                title="Save this run for Wireshark, or a lease file">
                { icons::download() }<span>{ "Download" }</span>
            </button>
            if *open {
                <DownloadItems loaded={props.loaded.clone()} world={props.world.clone()}
                    step={props.step} act={props.act.clone()} on_done={done} />
            }
        </div>
    }
}

/// The three choices, each with what it holds and the file name it saves under.
#[function_component(DownloadItems)]
pub fn download_items(props: &DownloadProps) -> Html {
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with((), move |_| {
            if let Some(button) = first.cast::<HtmlElement>() {
                let _ = button.focus();
            }
            // Load the tools while the user picks a file.
            client::warm_up();
        });
    }
    let (loaded, world) = (&props.loaded, &props.world);
    let at = world.now().clock();
    let messages = exports::packet_count(loaded);
    let pcap_note = format!("every packet of the run, {messages} messages, for Wireshark");
    let lease_note = |role: Role| format!("the {role}'s lease database at {at}");
    html! {
        <div id="download-pop" class="menu-pop" role="menu" aria-label="Download"
            onkeydown={Callback::from(arrow_keys)}>
            <button id="download-pcap" class="menu-item" role="menuitem" ref={first}
                onclick={save_capture(props)}>
                <span class="menu-title">{ "Capture (.pcap)" }</span>
                <span class="menu-note">{ pcap_note }</span>
                <span class="menu-file">{ exports::pcap_name(loaded) }</span>
            </button>
            { for [Role::Primary, Role::Secondary].into_iter().map(|role| html! {
                <button id={format!("download-leases-{role}")} class="menu-item" role="menuitem"
                    onclick={save_leases(props, role)}>
                    <span class="menu-title">{ format!("dhcpd.leases · {role}") }</span>
                    <span class="menu-note">{ lease_note(role) }</span>
                    <span class="menu-file">{ exports::leases_name(loaded, role, world) }</span>
                </button>
            }) }
        </div>
    }
}

/// Up and Down move the focus through the menu's items.
fn arrow_keys(e: KeyboardEvent) {
    let Some(item) = e.target_dyn_into::<Element>() else { return };
    let next = match e.key().as_str() {
        "ArrowDown" => item.next_element_sibling().or_else(|| edge(&item, true)),
        "ArrowUp" => item.previous_element_sibling().or_else(|| edge(&item, false)),
        _ => return,
    };
    e.prevent_default();
    if let Some(next) = next.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
        let _ = next.focus();
    }
}

/// The first (or last) item of the menu `item` sits in: arrow keys wrap around.
fn edge(item: &Element, first: bool) -> Option<Element> {
    let menu = item.parent_element()?;
    if first {
        menu.first_element_child()
    } else {
        menu.last_element_child()
    }
}

/// Saves the capture of the whole run, once the tools have written it.
fn save_capture(props: &DownloadProps) -> Callback<MouseEvent> {
    let (loaded, act, done) = (props.loaded.clone(), props.act.clone(), props.on_done.clone());
    Callback::from(move |_| {
        done.emit(());
        let name = exports::pcap_name(&loaded);
        let job = Job::Capture { scenario: loaded.scenario.to_json() };
        save(job, name, exports::PCAP_MIME, act.clone());
    })
}

/// Saves `role`'s lease file at the step shown, once the tools have written it.
fn save_leases(props: &DownloadProps, role: Role) -> Callback<MouseEvent> {
    let (loaded, world, step) = (props.loaded.clone(), props.world.clone(), props.step);
    let (act, done) = (props.act.clone(), props.on_done.clone());
    Callback::from(move |_| {
        done.emit(());
        let name = exports::leases_name(&loaded, role, &world);
        let job = Job::Leases { scenario: loaded.scenario.to_json(), step, role };
        save(job, name, exports::LEASES_MIME, act.clone());
    })
}

/// Sends `job` to the tools and saves what comes back as `name`; a failure goes to the banner.
fn save(job: Job, name: String, mime: &'static str, act: Callback<Action>) {
    wasm_bindgen_futures::spawn_local(async move {
        let saved = match client::run(job).await {
            Ok(Reply::Bytes(bytes)) => browser::download(&name, mime, &bytes),
            Ok(Reply::Text(text)) => browser::download(&name, mime, text.as_bytes()),
            Ok(Reply::Failed { message, .. }) => Err(message),
            Ok(Reply::Imported { .. }) => Err(format!("The tools sent no file for {name}.")),
            Err(message) => Err(format!("{name} could not be made. {message}")),
        };
        if let Err(message) = saved {
            act.emit(state::Action::Report(message));
        }
    });
}
