//! Entry point of `dhcpfo-tools`, the playground's on-demand tools module: it
//! runs in a web worker the page starts the first time someone imports a
//! dhcpd.conf or opens the Download menu, and answers the page's jobs
//! ([`dhcpfo_ui::tools`]). Nothing of the page's interface is linked in.

fn main() {
    dhcpfo_ui::tools::serve::listen();
}
