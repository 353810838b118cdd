//! The "About and limits" note: what the model covers today and what it does
//! not, in a few factual lines, plus the keyboard shortcuts.

use yew::prelude::*;

/// `#about`.
#[function_component(About)]
pub fn about() -> Html {
    html! {
        <section id="about" class="panel about" aria-labelledby="about-title">
            <div class="panel-head"><h2 id="about-title">{ "About and limits" }</h2></div>
            <p>
                { "A deterministic model of an ISC dhcpd 4.4 failover pair \
                   (draft-ietf-dhc-failover-12) and RFC 2131 clients, run in your browser. \
                   Every packet, state and sentence on this page comes from the engine running \
                   the scenario; the same scenario always gives the same trace." }
            </p>
            <p>
                <b>{ "Modelled: " }</b>
                { "the failover states of draft-12 with ISC's RECOVER-WAIT, and the connection \
                   between the servers (CONNECT, CONNECTACK, STATE, DISCONNECT, the update \
                   requests, pool balancing); DISCOVER/OFFER with the ping check, \
                   REQUEST/ACK/NAK, RELEASE, DECLINE (and ABANDONED leases), INFORM; load \
                   balancing; the MCLT cap on lease times; BNDUPD/BNDACK with ack batching and \
                   the update window; MAC affinity; T1/T2 renewal, retransmission and \
                   INIT-REBOOT; faults and operator actions: a link cut both ways or one way, \
                   lost packets, a server stopped, started, paused or shut down, partner-down. \
                   Packets are real bytes: the capture export opens in Wireshark." }
            </p>
            <p>
                <b>{ "Not modelled yet: " }</b>
                { "CONTACT keep-alives as packets (the servers time out exactly as if they were \
                   sent), relays, reserved and BOOTP leases." }
            </p>
            <p class="keys">
                <kbd>{ "Space" }</kbd>{ " play/pause · " }<kbd>{ "←" }</kbd><kbd>{ "→" }</kbd>
                { " step · " }<kbd>{ "Home" }</kbd><kbd>{ "End" }</kbd>{ " jump · " }
                <kbd>{ "Esc" }</kbd>{ " closes a pop-up" }
            </p>
        </section>
    }
}
