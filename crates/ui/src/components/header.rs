//! The header: product name, scenario picker, the dhcpd.conf import, the
//! Download menu, the Share button and link field, the error banner, and the
//! scenario's title and description.

use dhcpfo_engine::scenario::{builtin, BUILTINS};
use dhcpfo_engine::World;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::browser;
use crate::components::downloads::DownloadMenu;
use crate::components::icons;
use crate::components::import::ImportConf;
use crate::components::popover::use_dismiss;
use crate::state::{Action, Loaded, Shared};

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// The world shown (the lease files are its servers' databases).
    pub world: Shared<World>,
    /// Steps applied (goes into the share link).
    pub step: usize,
    /// Sends an action to the page.
    pub act: Callback<Action>,
}

/// The top bar.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    html! {
        <header class="topbar">
            <div class="brand">
                { icons::logo() }
                <span class="brand-name">{ "DHCP Failover Playground" }</span>
            </div>
            <ScenarioPicker loaded={props.loaded.clone()}
                on_pick={props.act.reform(Action::Pick)} />
            <div class="actions">
                <ImportConf act={props.act.clone()} />
                <DownloadMenu loaded={props.loaded.clone()} world={props.world.clone()}
                    step={props.step} act={props.act.clone()} />
                <ShareBox loaded={props.loaded.clone()} step={props.step} />
            </div>
        </header>
    }
}

/// Props of [`ScenarioPicker`].
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Asks for a built-in scenario by name.
    pub on_pick: Callback<String>,
}

/// `<select id="scenario-picker">` over every built-in, by title.
#[function_component(ScenarioPicker)]
pub fn scenario_picker(props: &PickerProps) -> Html {
    let titles = use_memo((), |_| {
        BUILTINS
            .iter()
            .map(|b| (b.name, builtin(b.name).map(|s| s.title).unwrap_or_else(|| b.name.into())))
            .collect::<Vec<_>>()
    });
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                on_pick.emit(select.value());
            }
        })
    };
    let current = props.loaded.builtin;
    let custom = current.is_none().then(|| {
        let title = &props.loaded.config.title;
        // An imported scenario's title already says where it came from.
        let label =
            if title.starts_with("Imported") { title.clone() } else { format!("Shared: {title}") };
        html! { <option value="" selected=true disabled=true>{ shorten(&label) }</option> }
    });
    html! {
        <label class="picker">
            <span class="picker-label">{ "Scenario" }</span>
            // Keyed by load, so the list shows the scenario even after the address bar changed it.
            <select key={props.loaded.id.to_string()} id="scenario-picker" {onchange}
                aria-label="Scenario">
                { for custom }
                { for titles.iter().map(|(name, title)| {
                    let selected = current == Some(*name);
                    html! { <option value={*name} {selected}>{ title.clone() }</option> }
                }) }
            </select>
        </label>
    }
}

/// The most characters of a title the scenario list shows.
const OPTION_CHARS: usize = 80;

/// `text` cut to [`OPTION_CHARS`] characters with an ellipsis, so that an odd title
/// cannot make the list wider than the page.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(OPTION_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Props of [`ShareBox`].
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
    /// Steps applied.
    pub step: usize,
}

/// The Share button and, once pressed, the link in a read-only field; Escape or a
/// press elsewhere closes it.
#[function_component(ShareBox)]
pub fn share_box(props: &ShareProps) -> Html {
    let open = use_state(|| false);
    let status = use_state(|| None::<&'static str>);
    let container = use_node_ref();
    use_dismiss(&container, &open);
    // Only an open share box shows the link, so only then is it worked out.
    let url = open.then(|| share_url(&props.loaded, props.step));
    let onclick = {
        let (open, status, loaded, step) =
            (open.clone(), status.clone(), props.loaded.clone(), props.step);
        Callback::from(move |_| {
            open.set(true);
            status.set(None);
            let (status, url) = (status.clone(), share_url(&loaded, step));
            wasm_bindgen_futures::spawn_local(async move {
                let copied = browser::copy_text(&url).await;
                status.set(Some(if copied { "Link copied" } else { "Copy the link below" }));
            });
        })
    };
    let close = {
        let (open, status) = (open.clone(), status.clone());
        Callback::from(move |_| {
            open.set(false);
            status.set(None);
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    html! {
        <div class="share" ref={container}>
            <button id="share" class="btn btn-accent" {onclick}
                title="Copy a link to this scenario at this step">
                { icons::link() }<span>{ "Share" }</span>
            </button>
            if let Some(url) = url {
                <div class="share-pop" role="dialog" aria-label="Share link">
                    <span class="share-status">{ status.unwrap_or("Copying…") }</span>
                    <input id="share-url" type="text" readonly=true value={url}
                        onfocus={select_all} />
                    <button class="btn-icon" onclick={close} aria-label="Close">{ "×" }</button>
                </div>
            }
        </div>
    }
}

/// The page's address with the fragment for `step`.
fn share_url(loaded: &Loaded, step: usize) -> String {
    let href = browser::page_url();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{}", loaded.fragment(step))
}

/// Props of [`ErrorBanner`].
#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    /// The message.
    pub message: String,
    /// Hides the banner.
    pub on_dismiss: Callback<()>,
}

/// `#error-banner`: a clear, dismissible message.
#[function_component(ErrorBanner)]
pub fn error_banner(props: &ErrorProps) -> Html {
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div id="error-banner" class="banner" role="alert">
            <span class="banner-icon" aria-hidden="true">{ "!" }</span>
            <span class="banner-text">{ props.message.clone() }</span>
            <button class="btn-icon" {onclick} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}

/// Props of [`Intro`].
#[derive(Properties, PartialEq)]
pub struct IntroProps {
    /// The scenario shown.
    pub loaded: Shared<Loaded>,
}

/// The scenario's title, start label and description, clamped to two lines until expanded.
#[function_component(Intro)]
pub fn intro(props: &IntroProps) -> Html {
    let expanded = use_state(|| false);
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    let cfg = &props.loaded.config;
    let start = cfg
        .start_label
        .clone()
        .map(|s| html! { <span class="intro-start">{ format!("t = 0 is {s}") }</span> });
    let label = if *expanded { "less" } else { "more" };
    let text_class = classes!("intro-text", (!*expanded).then_some("clamped"));
    html! {
        <section class="intro">
            <div class="intro-head">
                <h1 class="intro-title" title={cfg.title.clone()}>{ cfg.title.clone() }</h1>
                { for start }
            </div>
            if !cfg.description.is_empty() {
                <div class="intro-body">
                    <p id="description" class={text_class}>
                        { cfg.description.clone() }
                    </p>
                    <button class="link-btn" onclick={toggle} aria-expanded={expanded.to_string()}
                        aria-controls="description">{ label }</button>
                </div>
            }
        </section>
    }
}
