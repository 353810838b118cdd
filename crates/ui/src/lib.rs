//! The DHCP Failover Playground UI (placeholder until the UI lands).
use yew::prelude::*;

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    html! { <main id="app">{ "DHCP Failover Playground" }</main> }
}
