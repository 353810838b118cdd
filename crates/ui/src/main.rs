//! Entry point of the playground page: mounts [`dhcpfo_ui::App`] in `#root`.

fn main() {
    let root =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("root"));
    match root {
        Some(root) => {
            // Remove the "Loading…" placeholder before the app takes over.
            root.set_inner_html("");
            yew::Renderer::<dhcpfo_ui::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<dhcpfo_ui::App>::new().render();
        }
    }
}
