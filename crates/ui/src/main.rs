//! Entry point of the playground page.

fn main() {
    yew::Renderer::<dhcpfo_ui::App>::new().render();
}
