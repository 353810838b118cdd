//! Inline SVG icons for the controls, drawn on a 16×16 grid in the current colour.

use yew::prelude::*;

fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d={path} />
        </svg>
    }
}

/// Triangle pointing right.
pub fn play() -> Html {
    icon("M4 2.5v11l9-5.5z")
}

/// Two bars.
pub fn pause() -> Html {
    icon("M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z")
}

/// Bar and triangle pointing left.
pub fn step_back() -> Html {
    icon("M3 2.5h2v11H3zM13 2.5v11L6 8z")
}

/// Triangle pointing right and bar.
pub fn step_forward() -> Html {
    icon("M3 2.5v11L10 8zM11 2.5h2v11h-2z")
}

/// Bar and double triangle pointing left.
pub fn to_start() -> Html {
    icon("M2 2.5h2v11H2zM9 2.5v11L4 8zM15 2.5v11L10 8z")
}

/// Double triangle pointing right and bar.
pub fn to_end() -> Html {
    icon("M1 2.5v11L6 8zM7 2.5v11L12 8zM12 2.5h2v11h-2z")
}

/// Two linked rings.
pub fn link() -> Html {
    icon(
        "M6.6 9.4a3 3 0 0 0 4.2 0l2.3-2.3a3 3 0 0 0-4.2-4.2l-.8.8 1 1 .8-.8a1.6 1.6 0 0 1 2.2 \
         2.2L9.8 8.4a1.6 1.6 0 0 1-2.2 0zM9.4 6.6a3 3 0 0 0-4.2 0L2.9 8.9a3 3 0 0 0 4.2 4.2l.8-.8\
         -1-1-.8.8a1.6 1.6 0 0 1-2.2-2.2l2.3-2.3a1.6 1.6 0 0 1 2.2 0z",
    )
}

/// An arrow down onto a tray.
pub fn download() -> Html {
    icon("M7 1.5h2v6.3l2.3-2.3 1.4 1.4L8 11.6 3.3 6.9l1.4-1.4L7 7.8zM2 12.5h12v2H2z")
}

/// An arrow up out of a tray.
pub fn import() -> Html {
    icon("M8 1.4l4.7 4.7-1.4 1.4L9 5.2v6.3H7V5.2L4.7 7.5 3.3 6.1zM2 12.5h12v2H2z")
}

/// The product mark: two servers joined by a link.
pub fn logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect x="3" y="4" width="14" height="9" rx="2.5" class="logo-a" />
            <rect x="15" y="19" width="14" height="9" rx="2.5" class="logo-b" />
            <path d="M10 13v5.5h5" class="logo-link" />
            <circle cx="7" cy="8.5" r="1.3" class="logo-dot" />
            <circle cx="19" cy="23.5" r="1.3" class="logo-dot" />
        </svg>
    }
}
